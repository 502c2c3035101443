//! Sentence splitting for brief blocks and source paragraphs, as trimmed byte ranges.
//!
//! Pure text: it knows nothing of Markdown, sources or the index. It is called on every
//! paragraph of the corpus, so it makes one pass over the bytes (`memchr` leaps to the next that
//! may end a sentence) and allocates only the result.
//!
//! A sentence ends at `.`, `!`, `?` or `…` (runs such as `?!` or `...` count as one stop) when
//! white space and then an upper-case letter, a digit, an opening quote or bracket, or the end
//! of the range follow. Closing quotes, brackets and Markdown emphasis markers right after the
//! stop belong to the sentence. Bracketed text (`[@key, para. 4]`) never ends a sentence, so a
//! citation before the stop stays inside. A citation right *after* the stop
//! (`…in 2022. [@berman2023] Next`) is attached to the preceding sentence: Pandoc users write
//! both orders and both mean "this sentence is cited". Known abbreviations, single-letter
//! initials (`Ilan I. Berman`) and decimals (`9.5`) do not end sentences.

use std::ops::Range;
use std::sync::LazyLock;

/// Abbreviations that never end a sentence, without their final period. Matched on the whole
/// word before the period, case-sensitively (`Gen.` is an abbreviation, `gen.` a typo).
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Prof", "Jr", "Sr",
    "vs", "etc", "e.g", "i.e", "cf", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec", "U.S",
    "U.K", "U.N", "p", "pp", "para", "paras", "¶", "Vol", "vol", "fig", "Fig", "sec", "ch", "Ph.D",
    "a.m", "p.m", "Inc", "Corp", "Ltd", "Co", "Mt", "Ft", "approx", "Adm", "Gens", "Sens", "Reps",
    "Sgt", "Capt", "Maj", "Cmdr", "Rev", "Hon", "al", "viz", "ca", "Messrs",
];

/// Abbreviations that are only abbreviations before a number: `No. 5` but `He said No. Then`.
const NUMBER_ABBREVIATIONS: &[&str] = &["No", "Nos", "Art", "art"];

/// A word of at most eight bytes as one number, its bytes read as little-endian and zeros
/// after them; `None` for a longer word, or one ending in a zero byte (it would have the key
/// of the word without it). No abbreviation has a zero byte.
fn short_key(word: &str) -> Option<u64> {
    if word.ends_with('\0') {
        return None;
    }
    let mut bytes = [0u8; 8];
    bytes
        .get_mut(..word.len())?
        .copy_from_slice(word.as_bytes());
    Some(u64::from_le_bytes(bytes))
}

/// Every abbreviation by its `short_key`, sorted, with whether it is one only before a
/// number: a binary search where a scan compared the word with each abbreviation in turn,
/// at every period in the corpus.
static ABBREVIATION_KEYS: LazyLock<Vec<(u64, bool)>> = LazyLock::new(|| {
    let always = ABBREVIATIONS.iter().map(|word| (word, false));
    let before_number = NUMBER_ABBREVIATIONS.iter().map(|word| (word, true));
    let mut keys: Vec<(u64, bool)> = always
        .chain(before_number)
        .filter_map(|(word, before_number)| Some((short_key(word)?, before_number)))
        .collect();
    keys.sort_unstable();
    keys
});

/// For each first byte, the lengths (bit `n` for `n` bytes, up to 8) of the abbreviations
/// that start with it: a word that no abbreviation could be is told by two loads, where the
/// binary search of `ABBREVIATION_KEYS` took fifty instructions, at most periods of prose.
const ABBREVIATION_SHAPES: [u16; 256] = {
    let mut shapes = [0u16; 256];
    let lists = [ABBREVIATIONS, NUMBER_ABBREVIATIONS];
    let mut list = 0;
    while list < lists.len() {
        let words = lists[list];
        let mut at = 0;
        while at < words.len() {
            let word = words[at].as_bytes();
            if !word.is_empty() && word.len() <= 8 {
                shapes[word[0] as usize] |= 1 << word.len();
            }
            at += 1;
        }
        list += 1;
    }
    shapes
};

/// Where the next byte the splitter stops at lies: a stop (`.`, `!`, `?`), the first byte of
/// `…`, or `[`. Two `memchr` searches, each run again only once the splitter has passed
/// what it found, read the text many bytes at a time where a loop took one. The second
/// finds `…` by its last byte (0xA6), where it found every character of General
/// Punctuation (0xE2: typeset quotes, apostrophes and dashes, common in news) and was run
/// again after each.
struct MayStop<'a> {
    bytes: &'a [u8],
    end: usize,
    /// The next `.`, `!` or `?` at or after the last search, or `end`.
    stop: usize,
    /// The next `[` or `…` at or after the last search, or `end`.
    other: usize,
}

impl<'a> MayStop<'a> {
    /// For offsets from `start` on.
    fn new(bytes: &'a [u8], start: usize, end: usize) -> MayStop<'a> {
        let mut may_stop = MayStop {
            bytes,
            end,
            stop: 0,
            other: 0,
        };
        may_stop.search_stop(start);
        may_stop.search_other(start);
        may_stop
    }

    /// The first byte at or after `from` (before `end`) the splitter stops at, or `end`.
    fn next(&mut self, from: usize) -> usize {
        if self.stop < from {
            self.search_stop(from);
        }
        if self.other < from {
            self.search_other(from);
        }
        self.stop.min(self.other)
    }

    fn search_stop(&mut self, from: usize) {
        let haystack = self.bytes.get(from..self.end).unwrap_or_default();
        self.stop = memchr::memchr3(b'.', b'!', b'?', haystack).map_or(self.end, |at| from + at);
    }

    fn search_other(&mut self, from: usize) {
        let mut at = from;
        loop {
            let haystack = self.bytes.get(at..self.end).unwrap_or_default();
            let Some(found) = memchr::memchr2(b'[', 0xA6, haystack).map(|offset| at + offset)
            else {
                self.other = self.end;
                return;
            };
            if self.bytes.get(found) == Some(&b'[') {
                self.other = found;
                return;
            }
            // 0xA6 ends `…` (E2 80 A6) when the two bytes before it are E2 80; a `…` that
            // starts before `from` was passed, as a search for 0xE2 from there passed it.
            let ellipsis = found.checked_sub(2).filter(|&start| {
                start >= from && self.bytes.get(start..found) == Some(&[0xE2, 0x80][..])
            });
            if let Some(start) = ellipsis {
                self.other = start;
                return;
            }
            at = found + 1;
        }
    }
}

/// The longest run of text, in bytes, that readers of sentences take as one sentence: longer
/// ones come of text with no full stops (notes, a pasted table) and are read in parts, each
/// reader as it needs (an event keeps the words around its date, a brief's claims end at
/// their citations), so that work over a sentence stays in proportion to the text.
pub const LONGEST_SENTENCE: usize = 1000;

/// The sentences of `text[range]`, trimmed of white space, as byte ranges into `text`.
///
/// `range` is clamped to `text` and to character boundaries, so any input is safe.
pub fn sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    sentences_through(text, range, usize::MAX)
}

/// The sentences of `text[range]` as [`sentences`] finds them, up to the first that ends at
/// or after byte `until`: the rest of the range starts after `until`, so no sentence there
/// holds anything that ends by `until`, and it is not read. (The events of a paragraph need
/// the sentences of its time expressions, not those after its last one.)
pub fn sentences_through(text: &str, range: Range<usize>, until: usize) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    sentences_through_into(text, range, until, &mut found);
    found
}

/// `sentences_through` in `found` (emptied first), so that one vector serves every paragraph
/// of a source, where each paragraph allocated and grew its own.
pub fn sentences_through_into(
    text: &str,
    range: Range<usize>,
    until: usize,
    found: &mut Vec<Range<usize>>,
) {
    found.clear();
    let range = clamp(text, range);
    let bytes = text.as_bytes();
    let end = range.end;
    let mut start = range.start;
    let mut i = range.start;
    // Where the next `]` is, searched lazily so that many `[` cost one pass in all.
    let mut next_close: Option<usize> = None;
    let mut searched = false;
    let mut may_stop = MayStop::new(bytes, range.start, end);
    while i < end {
        let byte = bytes[i];
        let stop_len = match byte {
            b'.' | b'!' | b'?' => 1,
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA6) => 3,
            b'[' => {
                // No `]` after an earlier search point means none after this one either.
                if !searched || next_close.is_some_and(|close| close < i) {
                    next_close = memchr::memchr(b']', &bytes[i..end]).map(|at| i + at);
                    searched = true;
                }
                // Bracketed text such as `[@key, para. 4]` never ends a sentence.
                i = match next_close {
                    Some(close) => close + 1,
                    None => i + 1,
                };
                continue;
            }
            _ => {
                // Most bytes are none of the above: skip to the next that may be.
                i = may_stop.next(i + 1);
                continue;
            }
        };
        let stop = i;
        let mut after = i + stop_len;
        // A run of stops (`?!`, `...`, `.…`) is one stop.
        while after < end {
            match stop_char_len(bytes, after) {
                Some(len) => after += len,
                None => break,
            }
        }
        after = skip_closers(text, after, end);
        match sentence_break(text, range.start, stop, after, end) {
            Some(sentence_end) => {
                push_trimmed(text, start..sentence_end, found);
                if sentence_end >= until {
                    return;
                }
                // The white space after a stop is passed over here, so that the next
                // sentence comes to `push_trimmed` with nothing to trim.
                start = sentence_end;
                while start < end && is_ascii_white(bytes[start]) {
                    start += 1;
                }
                i = sentence_end;
            }
            None => i = after.max(stop + 1),
        }
    }
    push_trimmed(text, start..end, found);
}

/// Where the sentence whose stop is at `stop` ends, or `None` when the stop does not end it.
/// `after` is just past the stop run and its closing punctuation.
fn sentence_break(
    text: &str,
    range_start: usize,
    stop: usize,
    after: usize,
    end: usize,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let next = skip_white(text, after, end);
    if next >= end {
        return Some(end);
    }
    if bytes[stop] == b'.' && is_abbreviation(text, range_start, stop, next) {
        return None;
    }
    if bytes[next] == b'[' {
        // A citation right after the stop belongs to the sentence before it.
        if let Some(citation_end) = trailing_citations(text, next, end) {
            let following = skip_white(text, citation_end, end);
            if following >= end || starts_sentence(text, following) {
                return Some(citation_end);
            }
            return None;
        }
    }
    // A stop must be followed by white space: this is what keeps `9.5` and `U.S.-led` whole.
    if next > after && starts_sentence(text, next) {
        Some(after)
    } else {
        None
    }
}

/// The end of one or more bracketed citations (`[@a] [@b]`) starting at `at`.
fn trailing_citations(text: &str, at: usize, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut citations_end = None;
    let mut cursor = at;
    while cursor < end && bytes[cursor] == b'[' {
        let close = cursor + memchr::memchr(b']', &bytes[cursor..end])?;
        if memchr::memchr(b'@', &bytes[cursor..close]).is_none() {
            break;
        }
        citations_end = Some(close + 1);
        cursor = skip_white(text, close + 1, end);
    }
    citations_end
}

fn stop_char_len(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'.' | b'!' | b'?' => Some(1),
        0xE2 if bytes.get(at + 1) == Some(&0x80) && bytes.get(at + 2) == Some(&0xA6) => Some(3),
        _ => None,
    }
}

/// Past the closing quotes, brackets and emphasis markers at `at`.
fn skip_closers(text: &str, mut at: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    while at < end {
        // An ASCII byte is told without decoding a character (and slicing the text).
        match bytes[at] {
            b'"' | b'\'' | b')' | b']' | b'*' | b'_' | b'`' => {
                at += 1;
                continue;
            }
            byte if byte.is_ascii() => break,
            _ => {}
        }
        match text[at..end].chars().next() {
            Some(c @ ('"' | '\'' | '”' | '’' | ')' | ']' | '»' | '*' | '_' | '`')) => {
                at += c.len_utf8()
            }
            _ => break,
        }
    }
    at
}

#[inline(always)]
fn skip_white(text: &str, mut at: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        // ASCII white space a byte at a time, where each character was decoded.
        while at < end && is_ascii_white(bytes[at]) {
            at += 1;
        }
        if at >= end || bytes[at].is_ascii() {
            return at;
        }
        match text[at..end].chars().next() {
            Some(c) if c.is_whitespace() => at += c.len_utf8(),
            _ => return at,
        }
    }
}

/// `char::is_whitespace` of an ASCII byte: tab to carriage return, and space.
fn is_ascii_white(byte: u8) -> bool {
    matches!(byte, b'\t'..=b'\r' | b' ')
}

fn starts_sentence(text: &str, at: usize) -> bool {
    if let Some(&byte) = text.as_bytes().get(at)
        && byte.is_ascii()
    {
        // `char::is_uppercase` and `char::is_numeric` of an ASCII character, and the ASCII
        // openers below, without decoding it.
        return byte.is_ascii_uppercase()
            || byte.is_ascii_digit()
            || matches!(byte, b'"' | b'\'' | b'(' | b'[' | b'*' | b'_' | b'`');
    }
    match text[at..].chars().next() {
        Some(c) => {
            c.is_uppercase()
                || c.is_numeric()
                || matches!(
                    c,
                    '"' | '\'' | '“' | '‘' | '(' | '[' | '«' | '*' | '_' | '`' | '¶' | '§'
                )
        }
        None => true,
    }
}

/// The bytes before a word that `is_abbreviation` reads back to: ASCII white space (as
/// `u8::is_ascii_whitespace` has it) and the openers `( [ " ' /`. One load a byte, where the
/// tests of each byte were compiled into a jump through a table, mispredicted at a good share
/// of the bytes.
const WORD_EDGE: [bool; 256] = {
    let mut edge = [false; 256];
    let bytes = *b"\t\n\x0C\r ([\"'/";
    let mut at = 0;
    while at < bytes.len() {
        edge[bytes[at] as usize] = true;
        at += 1;
    }
    edge
};

/// Whether the word that ends with the period at `stop` is an abbreviation or an initial.
fn is_abbreviation(text: &str, range_start: usize, stop: usize, next: usize) -> bool {
    let bytes = text.as_bytes();
    let mut word_start = stop;
    while word_start > range_start && !WORD_EDGE[usize::from(bytes[word_start - 1])] {
        word_start -= 1;
    }
    // Walking back by bytes stops only after ASCII bytes, so this is a character boundary;
    // `get` keeps it safe regardless.
    let Some(word) = text.get(word_start..stop) else {
        return false;
    };
    let word = word.trim_start_matches(['“', '‘', '«', '*', '_']);
    if word.is_empty() {
        return false;
    }
    let mut chars = word.chars();
    if let (Some(only), None) = (chars.next(), chars.next()) {
        // A single letter and a period: an initial (`Ilan I. Berman`) or `p.`.
        return only.is_alphabetic();
    }
    let could_be = word.len() <= 8
        && ABBREVIATION_SHAPES[usize::from(word.as_bytes()[0])] & (1 << word.len()) != 0;
    if !could_be {
        return false;
    }
    let Some(key) = short_key(word) else {
        return false;
    };
    let keys = ABBREVIATION_KEYS.as_slice();
    match keys.binary_search_by_key(&key, |&(key, _)| key) {
        Ok(at) => !keys[at].1 || bytes.get(next).is_some_and(u8::is_ascii_digit),
        Err(_) => false,
    }
}

#[inline(always)]
fn push_trimmed(text: &str, range: Range<usize>, found: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    // Most sentences have no white space to trim: a byte at each end tells.
    let untrimmed = |at: usize| {
        bytes
            .get(at)
            .is_some_and(|b| b.is_ascii() && !is_ascii_white(*b))
    };
    if range.start < range.end && untrimmed(range.start) && untrimmed(range.end - 1) {
        found.push(range);
        return;
    }
    let slice = &text[range.clone()];
    let from_start = trim_start(slice);
    let trimmed = trim_end(from_start);
    if !trimmed.is_empty() {
        let start = range.start + (slice.len() - from_start.len());
        found.push(start..start + trimmed.len());
    }
}

/// `str::trim_start`, with ASCII white space passed over a byte at a time: a sentence
/// starts after a space or two, which `trim_start` decoded as characters.
fn trim_start(text: &str) -> &str {
    let ascii = text
        .bytes()
        .position(|byte| !byte.is_ascii_whitespace() && byte != 0x0B)
        .unwrap_or(text.len());
    match text.as_bytes().get(ascii) {
        Some(byte) if !byte.is_ascii() => text[ascii..].trim_start(),
        _ => &text[ascii..],
    }
}

/// `str::trim_end`, as `trim_start`: ASCII white space a byte at a time.
fn trim_end(text: &str) -> &str {
    let ascii = text
        .bytes()
        .rposition(|byte| !byte.is_ascii_whitespace() && byte != 0x0B)
        .map_or(0, |at| at + 1);
    match ascii.checked_sub(1).map(|last| text.as_bytes()[last]) {
        Some(byte) if !byte.is_ascii() => text[..ascii].trim_end(),
        _ => &text[..ascii],
    }
}

fn clamp(text: &str, range: Range<usize>) -> Range<usize> {
    let mut end = range.end.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut start = range.start.min(end);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    start..end
}

#[cfg(test)]
mod tests;
