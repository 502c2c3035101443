//! Words of a paragraph with their byte ranges, as name recognition sees them: initials and
//! abbreviations keep their periods (`I.`, `U.S.`), apostrophes inside a word stay
//! (`O'Brien`), a possessive is marked (`Putin's`), and hyphens split words but are
//! remembered (`Iranian-designed`).

use std::ops::Range;

use super::scan::{ASCII_LETTER_OR_DIGIT, ASCII_NOT_WORD, char_at, run_end};
use super::words::MONTH_OR_NAME;
pub use sparse::ProseSkip;
use sparse::{Resume, next_anchor};

/// What stands between a word and the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// The word opens the text.
    Start,
    /// White space only.
    Space,
    /// A hyphen with nothing around it: the two words are one compound.
    Hyphen,
    /// Anything else: punctuation, a dash, a bracket, a quote.
    Punctuation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The word, without a possessive `'s`.
    pub range: Range<usize>,
    pub gap: Gap,
    /// The word opens a sentence: it follows `.`, `!`, `?` or `:` (through quotes and
    /// brackets), or opens the text.
    pub sentence_start: bool,
    /// The word ends in a possessive (`Putin's`, `States'`).
    pub possessive: bool,
}

impl Token {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.range.clone()]
    }
}

pub fn is_capitalized(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// `KGB`, `JCPOA`, `G20`: two or more letters, all upper-case.
pub fn is_acronym(word: &str) -> bool {
    if word.is_ascii() {
        return is_ascii_acronym(word.as_bytes());
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let opens_with_letter = word.chars().next().is_some_and(char::is_alphabetic);
    (letters >= 2 || (letters == 1 && digits > 0 && opens_with_letter))
        && word
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '.')
}

/// `is_acronym` of an ASCII word, in one pass over its bytes that stops at the first
/// lower-case letter (the second byte of most names asked about).
fn is_ascii_acronym(word: &[u8]) -> bool {
    let mut letters = 0;
    let mut digits = 0;
    for &b in word {
        match b {
            b'A'..=b'Z' => letters += 1,
            b'0'..=b'9' => digits += 1,
            b'.' => {}
            _ => return false,
        }
    }
    letters >= 2 || (letters == 1 && digits > 0 && word[0].is_ascii_uppercase())
}

/// The words of `text[range]`.
pub fn tokenize(text: &str, range: Range<usize>) -> Vec<Token> {
    let mut words = Words::default();
    tokenize_into(text, range, &mut words);
    words.tokens
}

/// The words of a paragraph, and its runs of letters and digits, which the lexicon looks
/// names up by: the same as the words but for the marks inside a word (`O'Brien` is two
/// runs) and possessives (`Putin's` too).
#[derive(Debug, Default)]
pub struct Words {
    pub tokens: Vec<Token>,
    /// From the start of the paragraph, not of the text.
    pub runs: Vec<Range<usize>>,
}

/// The words of `text[range]`, in `words` (emptied first): one buffer serves every
/// paragraph of a source.
pub fn tokenize_into(text: &str, range: Range<usize>, words: &mut Words) {
    tokenize_skipping_into(text, range, words, None);
}

/// `tokenize_into`, but for the words `skip` says name recognition never needs (`sparse.rs`):
/// each word read is as `tokenize_into` reads it (but for the gap of one after words passed
/// over, which is punctuation: the reader stops there), and the words it reads around each
/// word that may matter are those `tokenize_into` reads there.
pub fn tokenize_skipping_into(
    text: &str,
    range: Range<usize>,
    words: &mut Words,
    skip: Option<&ProseSkip>,
) {
    let slice = &text[range.clone()];
    let bytes = slice.as_bytes();
    let base = range.start;
    let Words { tokens, runs } = words;
    tokens.clear();
    runs.clear();
    // About one word in six bytes of prose: most paragraphs never grow the vectors.
    tokens.reserve(slice.len() / 6 + 1);
    runs.reserve(slice.len() / 6 + 1);
    let mut gap_start = 0;
    // Whether the last word ends in a full stop: a word after it opens a sentence.
    let mut after_stop = false;
    // Whether a word came before, read or passed over.
    let mut after_word = false;
    let mut passing = Passing::new(bytes, skip);
    loop {
        let mut passed = false;
        if let Some(skip) = skip
            && passing.may_pass(bytes, skip, gap_start)
        {
            match skip.resume_after(bytes, gap_start, passing.anchor) {
                Resume::Here => {}
                Resume::After(last_end) => {
                    // The word passed over is plain: it ends in no full stop.
                    gap_start = last_end;
                    after_stop = false;
                    after_word = true;
                    passing.resumed = true;
                    passed = true;
                }
                Resume::End => break,
            }
        }
        // Most words follow one space after the last: no punctuation to look through.
        let one_space = after_word
            && bytes.get(gap_start) == Some(&b' ')
            && bytes
                .get(gap_start + 1)
                .is_some_and(|&b| ASCII_LETTER_OR_DIGIT[usize::from(b)]);
        let (start, gap, sentence_start) = if one_space {
            (gap_start + 1, Gap::Space, after_stop)
        } else {
            let Some(start) = next_word(slice, gap_start) else {
                break;
            };
            let previous = after_word.then_some(after_stop);
            let (gap, sentence_start) = gap_before(&slice[gap_start..start], previous);
            (start, gap, sentence_start)
        };
        // After words passed over, a word joins nothing before it, as after punctuation: the
        // reader, looking on from a name, stops there as at the word passed over.
        let gap = if passed { Gap::Punctuation } else { gap };
        after_word = true;
        let (end, shape) = word_end(slice, start);
        if let Some(skip) = skip {
            passing.read(bytes, skip, start..end);
        }
        if shape == Shape::Plain {
            // No mark inside and no apostrophe after: no possessive, no full stop.
            runs.push(start..end);
            tokens.push(Token {
                range: base + start..base + end,
                gap,
                sentence_start,
                possessive: false,
            });
            after_stop = false;
            gap_start = end;
            continue;
        }
        let marked = shape == Shape::Marked;
        if marked {
            push_runs(slice, start..end, runs);
        } else {
            runs.push(start..end);
        }
        let (word_end, possessive) = strip_possessive(slice, start, end);
        let token = Token {
            range: base + start..base + word_end,
            gap,
            sentence_start,
            possessive,
        };
        // Only a word with marks inside can end in a period.
        after_stop = marked && after_full_stop(text, &token);
        tokens.push(token);
        // A trailing possessive apostrophe (`States'`, `States’`) is part of the gap no
        // longer.
        gap_start = if possessive && word_end == end {
            end + char_at(slice, end).map_or(0, char::len_utf8)
        } else {
            end
        };
    }
}

/// What `word_end` found in a word besides ASCII letters and digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Nothing, and an ASCII byte after it that is no apostrophe or period (or the text's
    /// end): most words, which need no look for a possessive.
    Plain,
    /// Other letters, or an apostrophe or a period after it that is not the word's.
    Unmarked,
    /// Apostrophes or periods inside (`O'Brien`, `U.S.`, `Putin's`).
    Marked,
}

/// Where the first word at or after byte `at` starts: the first letter or digit.
fn next_word(text: &str, mut at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    loop {
        // Spaces and punctuation between words, ASCII without decoding.
        at = run_end(bytes, at, &ASCII_NOT_WORD);
        let ch = char_at(text, at)?;
        if is_letter_or_digit(ch) {
            return Some(at);
        }
        at += ch.len_utf8();
    }
}

/// What a mark followed by a space says of the word after it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MarkBeforeSpace {
    /// `,` or `;`: nothing but punctuation.
    Continues,
    /// `.`, `!`, `?` or `:`: the word opens a sentence.
    EndsSentence,
    /// Any other byte: the gap is read in full.
    Other,
}

const MARK_BEFORE_SPACE: [MarkBeforeSpace; 256] = {
    let mut marks = [MarkBeforeSpace::Other; 256];
    marks[b',' as usize] = MarkBeforeSpace::Continues;
    marks[b';' as usize] = MarkBeforeSpace::Continues;
    marks[b'.' as usize] = MarkBeforeSpace::EndsSentence;
    marks[b'!' as usize] = MarkBeforeSpace::EndsSentence;
    marks[b'?' as usize] = MarkBeforeSpace::EndsSentence;
    marks[b':' as usize] = MarkBeforeSpace::EndsSentence;
    marks
};

/// What `between` (the text since the word before) makes of the next word: its gap, and
/// whether it opens a sentence. `previous`: whether the word before ends in a full stop,
/// if there is one.
fn gap_before(between: &str, previous: Option<bool>) -> (Gap, bool) {
    // Most other gaps are a mark and a space (`, `, `. `): told without trimming, and by a
    // table rather than a branch on the mark.
    if let (Some(_), [mark, b' ']) = (previous, between.as_bytes()) {
        let ends = MARK_BEFORE_SPACE[usize::from(*mark)];
        if ends != MarkBeforeSpace::Other {
            return (Gap::Punctuation, ends == MarkBeforeSpace::EndsSentence);
        }
    }
    let gap = if previous.is_none() && between.trim().is_empty() {
        Gap::Start
    } else if between.chars().all(char::is_whitespace) {
        Gap::Space
    } else if between == "-" {
        Gap::Hyphen
    } else {
        Gap::Punctuation
    };
    let opens = between.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[')
    });
    let sentence_start = previous.is_none_or(|full_stop| {
        opens.ends_with(['.', '!', '?', ':', '…']) || (opens.is_empty() && full_stop)
    });
    (gap, sentence_start)
}

/// Whether `previous` ends in a full stop: a period that is no initial's. Asked after
/// every word; most end in no period.
#[inline(always)]
fn after_full_stop(text: &str, previous: &Token) -> bool {
    let ends_in_period = previous
        .range
        .end
        .checked_sub(1)
        .and_then(|last| text.as_bytes().get(last))
        == Some(&b'.');
    ends_in_period && !is_initial(&text[previous.range.clone()])
}

/// The runs of letters and digits of the word `text[word]`, which holds other marks.
fn push_runs(text: &str, word: Range<usize>, runs: &mut Vec<Range<usize>>) {
    let mut run_start = None;
    for (at, c) in text[word.clone()].char_indices() {
        let at = word.start + at;
        match (is_letter_or_digit(c), run_start) {
            (true, None) => run_start = Some(at),
            (false, Some(start)) => {
                runs.push(start..at);
                run_start = None;
            }
            _ => {}
        }
    }
    if let Some(start) = run_start {
        runs.push(start..word.end);
    }
}

/// Where the word that starts at byte `start` ends: letters and digits, with apostrophes
/// and periods inside the word; and what it holds besides ASCII letters and digits.
#[inline(always)]
fn word_end(text: &str, start: usize) -> (usize, Shape) {
    let bytes = text.as_bytes();
    let end = ascii_word_end(bytes, start);
    // Most words end at an ASCII space or mark that cannot continue them.
    if bytes
        .get(end)
        .is_none_or(|&b| b.is_ascii() && b != b'\'' && b != b'.')
    {
        return (end, Shape::Plain);
    }
    match marked_word_end(text, start, end) {
        (end, true) => (end, Shape::Marked),
        (end, false) => (end, Shape::Unmarked),
    }
}

/// `word_end` for a word whose ASCII letters and digits end at `end`, before a character
/// that may continue it.
#[cold]
fn marked_word_end(text: &str, start: usize, mut end: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut marked = false;
    while let Some(c) = char_at(text, end) {
        let letter_or_digit = is_letter_or_digit(c);
        let inside_word = letter_or_digit
            || (matches!(c, '\'' | '’')
                && char_at(text, end + c.len_utf8()).is_some_and(is_letter_or_digit))
            || (c == '.' && ends_in_initial(&text[start..end]));
        if !inside_word {
            break;
        }
        marked |= !letter_or_digit;
        end += c.len_utf8();
        end = ascii_word_end(bytes, end);
        if bytes
            .get(end)
            .is_none_or(|&b| b.is_ascii() && b != b'\'' && b != b'.')
        {
            break;
        }
    }
    (end, marked)
}

/// Where the run of ASCII letters and digits that starts at `at` ends, read eight bytes at
/// a time: a word of up to seven is one load and no loop, and no branch on each byte.
#[inline(always)]
fn ascii_word_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(eight) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let others = not_ascii_letters_or_digits(u64::from_le_bytes(*eight));
        if others != 0 {
            return at + (others.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    run_end(bytes, at, &ASCII_LETTER_OR_DIGIT)
}

/// The high bit of each of eight bytes that is no ASCII letter or digit. Each test adds to
/// the byte's low seven bits, which no sum carries past: letters once bit 5 is set (which
/// makes either case lower), digits as they are.
fn not_ascii_letters_or_digits(bytes: u64) -> u64 {
    const EACH: u64 = u64::MAX / 0xFF;
    let low_bits = bytes & (EACH * 0x7F);
    let folded = low_bits | (EACH * 0x20);
    let from_a = folded + EACH * (0x80 - u64::from(b'a'));
    let past_z = folded + EACH * (0x80 - u64::from(b'z' + 1));
    let from_0 = low_bits + EACH * (0x80 - u64::from(b'0'));
    let past_9 = low_bits + EACH * (0x80 - u64::from(b'9' + 1));
    let word = ((from_a & !past_z) | (from_0 & !past_9)) & !bytes;
    !word & (EACH * 0x80)
}

/// Whether a period after `word` (so far) is an initial's or an abbreviation's.
fn ends_in_initial(word: &str) -> bool {
    let mut back = word.chars().rev();
    let last = back.next();
    let before_last = back.next();
    is_abbreviation_period(last, before_last)
}

/// A period inside or after a word belongs to it in initials and abbreviations: `I.`,
/// `U.S.`, `J.R.R.`: one upper-case letter before it, at the word's start or after a period.
/// (`a.` at a sentence end in lower case is not an abbreviation.)
fn is_abbreviation_period(last: Option<char>, before_last: Option<char>) -> bool {
    last.is_some_and(|c| c.is_alphabetic() && c.is_uppercase())
        && before_last.is_none_or(|c| c == '.')
}

fn is_initial(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    word.ends_with('.') && letters == word.matches('.').count()
}

/// The end of the word `text[start..end]` without its possessive, and whether it had one.
#[inline(always)]
fn strip_possessive(text: &str, start: usize, end: usize) -> (usize, bool) {
    // Both forms end in `s`; most words do not.
    if end == start || text.as_bytes()[end - 1] != b's' {
        return (end, false);
    }
    s_word_possessive(text, start, end)
}

/// `char::is_alphanumeric`, with dashes and typeset quotes (General Punctuation, where no
/// letter or digit is) answered before Unicode's tables, hundreds of instructions a look.
fn is_letter_or_digit(c: char) -> bool {
    !('\u{2000}'..='\u{206f}').contains(&c) && c.is_alphanumeric()
}

/// `strip_possessive` for a word that ends in `s`.
fn s_word_possessive(text: &str, start: usize, end: usize) -> (usize, bool) {
    let word = &text.as_bytes()[start..end];
    for suffix in ["'s", "’s"] {
        if word.ends_with(suffix.as_bytes()) {
            return (end - suffix.len(), true);
        }
    }
    // `States'`: an apostrophe after a final s, followed by no letter.
    let next = char_at(text, end);
    let after = next.and_then(|n| char_at(text, end + n.len_utf8()));
    let possessive = matches!(next, Some('\'' | '’')) && !after.is_some_and(is_letter_or_digit);
    (end, possessive)
}

/// Where the skipping stands: the next anchor, and whether the words read so far let the
/// next be passed over.
struct Passing {
    /// The next anchor not in a word read yet.
    anchor: usize,
    /// The word after the last read must be read.
    read_next: bool,
    /// The words up to the next anchor were kept on purpose: read them all.
    resumed: bool,
    /// The last word read holds an anchor: the reader may look at the next (`may_pass`).
    after_name: bool,
}

impl Passing {
    fn new(bytes: &[u8], skip: Option<&ProseSkip>) -> Passing {
        Passing {
            anchor: skip.map_or(bytes.len(), |_| next_anchor(bytes, 0)),
            read_next: false,
            resumed: false,
            after_name: false,
        }
    }

    /// Whether the words from `gap_start` may be passed over: the last word read needs
    /// none after it, or it is a name's and the next is a plain word the reader stops at
    /// (not a connector nor a word it looks for after a name).
    #[inline]
    fn may_pass(&self, bytes: &[u8], skip: &ProseSkip, gap_start: usize) -> bool {
        if self.resumed {
            return false;
        }
        if !self.read_next {
            return true;
        }
        if !self.after_name {
            return false;
        }
        let start = gap_start.saturating_add(1);
        if bytes.get(gap_start) != Some(&b' ')
            || !bytes.get(start).is_some_and(u8::is_ascii_lowercase)
        {
            return false;
        }
        let end = ascii_word_end(bytes, start);
        self.anchor > end && !skip.is_sticky(&bytes[start..end])
    }

    /// The word `bytes[word]` is read (`word` runs to its last letter or mark).
    #[inline]
    fn read(&mut self, bytes: &[u8], skip: &ProseSkip, word: Range<usize>) {
        if self.anchor < word.end {
            // The word holds an anchor, or follows one: the words around it may matter.
            self.read_next = true;
            self.resumed = false;
            // The reader reads a number after `May` (`May 2012`).
            self.after_name = &bytes[word.clone()] != MONTH_OR_NAME.as_bytes();
            self.anchor = next_anchor(bytes, word.end);
        } else {
            self.read_next = skip.is_sticky(&bytes[word]);
            self.after_name = false;
        }
    }
}

pub(crate) mod sparse;
/// The words before a place in a text, last first, each as its range: the stretches between
/// white space, back to the start of the text or to a blank line.
pub struct WordsBefore<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> WordsBefore<'t> {
    pub fn new(text: &'t str, at: usize) -> WordsBefore<'t> {
        WordsBefore { text, at }
    }
}

impl Iterator for WordsBefore<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let head = self.text.get(..self.at)?;
        let end = head.trim_end().len();
        if end == 0 || head[end..].matches('\n').nth(1).is_some() {
            return None;
        }
        let start = head[..end]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(at, c)| at + c.len_utf8());
        self.at = start;
        Some(start..end)
    }
}

#[cfg(test)]
mod tests;
