//! The word, number and punctuation tokens that the date and quantity scanners read (name
//! recognition has its own, in `tokens.rs`).
//!
//! One pass over a paragraph, no allocation per token: tokens borrow the text and carry
//! their byte offsets. A number token takes its thousands groups and decimals with it
//! (`5,000`, `9.5`), so that `5,000` can never be read as the year `000` or `5`.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters only: `Putin`, `mid`, `s` (of `1990s`). Apostrophes and hyphens split words.
    Word,
    /// ASCII digits, with `,ddd` groups and a `.d` fraction when the text has them.
    Number,
    /// Any other visible character, one per token.
    Punct,
}

/// A token as the tokenizer keeps it, in 12 bytes: where it is in the text (offsets below
/// 4 GiB), its kind and what the caller's vocabulary says of it. The scanners read it as a
/// `Token`, with its text, for the few tokens they read: each token was made with its text
/// (a slice and its bounds test) and its key, in 48 bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    start: u32,
    end: u32,
    pub kind: Kind,
    /// What the caller's vocabulary says of the word (`tokenize_into`'s `classify`), read
    /// once here so that the scanners test a flag where they compared strings: 0 for words
    /// it does not know and for punctuation, what the caller's `number_class` says of a
    /// number.
    pub class: u8,
    /// The caller's number for a word its vocabulary knows (`classify`), which gives the
    /// word's `LowerKey` back: the scanners look such words up by it, where each token kept
    /// its key. Read only where `class` is not 0. A number's value plus one, or 0
    /// (`number_end`).
    pub word: u16,
}

impl Span {
    #[inline]
    pub fn start(&self) -> usize {
        self.start as usize
    }

    #[inline]
    pub fn end(&self) -> usize {
        self.end as usize
    }

    /// The length of the token's text in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    /// The token, with its text from `text`, the text it was cut from (which holds it:
    /// `tokenize_into` cut it there).
    #[inline]
    pub fn token<'a>(&self, text: &'a str) -> Token<'a> {
        Token {
            // No panic path: the slice is left out where the scanner reads no text.
            bytes: text
                .as_bytes()
                .get(self.start()..self.end())
                .unwrap_or_default(),
            start: self.start,
            kind: self.kind,
            class: self.class,
            word: self.word,
        }
    }
}

/// A token with its text, as the scanners read it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token<'a> {
    /// The token's text, as bytes: a slice of bytes is made without the two character
    /// boundary tests of a slice of text, where few tokens are read as text (`text`).
    bytes: &'a [u8],
    start: u32,
    kind: Kind,
    /// `Span::class`.
    class: u8,
    /// `Span::word`.
    word: u16,
}

impl<'a> Token<'a> {
    #[inline]
    pub fn start(&self) -> usize {
        self.start as usize
    }

    #[inline]
    pub fn end(&self) -> usize {
        self.start() + self.bytes.len()
    }

    #[inline]
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// `Span::class`.
    #[inline]
    pub fn class(&self) -> u8 {
        self.class
    }

    /// `Span::word`.
    #[inline]
    pub fn word(&self) -> u16 {
        self.word
    }

    #[inline]
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The token's text.
    pub fn text(&self) -> &'a str {
        // A token starts and ends at character boundaries of the text it was cut from.
        std::str::from_utf8(self.bytes()).unwrap_or_default()
    }

    /// The length of the token's text in bytes.
    #[inline]
    pub fn text_len(&self) -> usize {
        self.bytes.len()
    }

    // Inlined, as the next two: the scanners call them with constant words, most of which
    // the length alone tells apart, without a call.
    #[inline]
    pub fn is_word(&self, word: &str) -> bool {
        self.kind() == Kind::Word
            && self.text_len() == word.len()
            && self.bytes().eq_ignore_ascii_case(word.as_bytes())
    }

    #[inline]
    pub fn is_any_word(&self, words: &[&str]) -> bool {
        self.kind() == Kind::Word
            && words.iter().any(|w| {
                self.text_len() == w.len() && self.bytes().eq_ignore_ascii_case(w.as_bytes())
            })
    }

    /// Whether the token's text is one of `words`, in any case, whatever its kind (`12` in
    /// `the past 12 months`): its bytes compared, where its text was made to compare.
    #[inline]
    pub fn is_any_text(&self, words: &[&str]) -> bool {
        words
            .iter()
            .any(|w| self.text_len() == w.len() && self.bytes().eq_ignore_ascii_case(w.as_bytes()))
    }

    #[inline]
    pub fn is_punct(&self, chars: &str) -> bool {
        if self.kind() != Kind::Punct {
            return false;
        }
        // Most punctuation is one ASCII byte, which only that byte in `chars` can be: with
        // `chars` a constant, a few comparisons.
        match self.bytes() {
            &[byte] => chars.bytes().any(|c| c == byte),
            _ => self.is_wide_punct(chars),
        }
    }

    /// `is_punct` of a character past ASCII: a search, kept out of line.
    #[inline(never)]
    fn is_wide_punct(&self, chars: &str) -> bool {
        // As `str::contains` searches, byte by byte, without making the token's text.
        chars
            .as_bytes()
            .windows(self.text_len())
            .any(|window| window == self.bytes())
    }

    pub fn is_capitalised(&self) -> bool {
        self.kind() == Kind::Word
            && match self.bytes.first() {
                Some(byte) if byte.is_ascii() => byte.is_ascii_uppercase(),
                _ => self.text().chars().next().is_some_and(char::is_uppercase),
            }
    }

    /// The value of a number made only of digits (no groups, no decimals), if it fits a
    /// `u32`. Read digit by digit: the scanners ask it of every number, several times.
    pub fn plain_number(&self) -> Option<u32> {
        if self.kind() != Kind::Number || self.bytes.is_empty() {
            return None;
        }
        // Kept by the tokenizer for numbers of a few digits (`number_end`).
        if self.word != 0 {
            return Some(u32::from(self.word - 1));
        }
        self.bytes().iter().try_fold(0u32, |value, byte| {
            let digit = byte.checked_sub(b'0').filter(|d| *d <= 9)?;
            value.checked_mul(10)?.checked_add(u32::from(digit))
        })
    }

    /// The value of any number token: `5,000` is 5000, `9.5` is 9.5.
    pub fn number_value(&self) -> Option<f64> {
        if self.kind() != Kind::Number {
            return None;
        }
        let digits: String = self.text().chars().filter(|&c| c != ',').collect();
        digits.parse().ok()
    }
}

/// A short word in ASCII lower case, on the stack. Keyword tables are looked up on every
/// token; a fixed-size buffer lower-cases in a few vector instructions, where a slice of any
/// length goes byte by byte. Other bytes stay as they are, so that a word matches a keyword
/// exactly when `eq_ignore_ascii_case` says so.
pub(crate) struct LowerWord {
    bytes: [u8; LowerWord::MAX],
    len: usize,
}

impl LowerWord {
    pub const MAX: usize = 16;

    /// `None` for a word longer than `MAX` bytes.
    pub fn new(word: &str) -> Option<LowerWord> {
        let mut bytes = [0u8; LowerWord::MAX];
        bytes
            .get_mut(..word.len())?
            .copy_from_slice(word.as_bytes());
        for byte in &mut bytes {
            *byte |= u8::from(byte.is_ascii_uppercase()) << 5;
        }
        Some(LowerWord {
            bytes,
            len: word.len(),
        })
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// The word's bytes and zeros after them as one number, a key for hash tables: its
    /// `LowerKey`. No two words without a zero byte (no word of letters has one) share a key.
    pub fn key(self) -> LowerKey {
        u128::from_le_bytes(self.bytes)
    }

    /// The word as text: only ASCII letters changed, so it is still UTF-8.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

/// A word of up to `LowerWord::MAX` bytes in ASCII lower case, zero-padded, as one number
/// (`LowerWord::key`, its bytes read as little-endian): compared and hashed as two integers.
pub(crate) type LowerKey = u128;

/// Apostrophes as typed and as typeset.
pub(crate) const APOSTROPHES: &str = "'’‘";
/// Hyphens and the dashes that join ranges.
pub(crate) const DASHES: &str = "-‐‑–—";

pub(crate) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut spans = Vec::new();
    tokenize_into(text, &mut spans, |_| (0, 0), |_| 0);
    spans.iter().map(|span| span.token(text)).collect()
}

/// What a caller's vocabulary says of a word (`tokenize_into`'s `classify`): its class, and
/// the vocabulary's number for it (`Span::word`).
pub(crate) type WordClass = (u8, u16);

/// The tokens of `text` in `spans` (emptied first), so that one vector serves every
/// paragraph of a source. `classify` gives each word's `Span::class` and `Span::word` from
/// its `LowerKey`; numbers keep their value in `Span::word` (`number_end`) and have the class
/// `number_class` gives that. Offsets are `u32`: a text longer than 4 GiB (no paragraph is)
/// is read as far as its last character boundary before that.
pub(crate) fn tokenize_into(
    text: &str,
    spans: &mut Vec<Span>,
    classify: impl Fn(LowerKey) -> WordClass,
    number_class: impl Fn(u16) -> u8,
) {
    let text = within_offsets(text);
    let bytes = text.as_bytes();
    let room = text.len() / 5;
    if spans.capacity() < room {
        // A fresh vector: growing the emptied one would copy its old tokens over.
        *spans = Vec::with_capacity(room);
    }
    spans.clear();
    let mut start = 0;
    while let Some(&byte) = bytes.get(start) {
        // The kinds are tested by frequency, each by a branch that mostly goes one way: a
        // `match` on a kind table jumped indirectly, and mispredicted at nearly every token
        // of prose, where words and spaces alternate.
        let end = if ASCII_LETTER[usize::from(byte)] {
            let (end, key) = word_end(text, start);
            let (class, word) = classify(key);
            spans.push(span(start..end, Kind::Word, class, word));
            end
        } else if ASCII_SPACE[usize::from(byte)] {
            start = run_end(bytes, start + 1, &ASCII_SPACE);
            continue;
        } else if byte.is_ascii() {
            let (end, kind, class, word) = if byte.is_ascii_digit() {
                let (end, plain) = number_end(bytes, start);
                (end, Kind::Number, number_class(plain), plain)
            } else {
                (start + 1, Kind::Punct, 0, 0)
            };
            spans.push(span(start..end, kind, class, word));
            end
        } else {
            let Some(end) = push_not_ascii(text, start, spans, &classify) else {
                break;
            };
            end
        };
        // Most tokens are followed by one space: it is passed over without a branch.
        start = end + usize::from(bytes.get(end) == Some(&b' '));
    }
}

/// `text`, or as much of it as `u32` offsets reach, to a character boundary.
fn within_offsets(text: &str) -> &str {
    let mut end = text.len().min(u32::MAX as usize);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The span `range` (offsets in a text `within_offsets`).
#[inline(always)]
fn span(range: Range<usize>, kind: Kind, class: u8, word: u16) -> Span {
    Span {
        start: range.start as u32,
        end: range.end as u32,
        kind,
        class,
        word,
    }
}

/// Where the word of ASCII letters (and any letters past ASCII after them) starting at
/// `start` ends, and its `LowerKey` (0 when it has none).
// Inlined: called once a word, its result is best kept in registers.
#[inline(always)]
fn word_end(text: &str, start: usize) -> (usize, LowerKey) {
    let bytes = text.as_bytes();
    let (ascii_end, key) = ascii_word(bytes, start);
    // Most words end at an ASCII byte: no letter there to decode.
    match bytes.get(ascii_end) {
        Some(byte) if !byte.is_ascii() => {
            let end = letters_end(text, ascii_end);
            let key = match text.get(start..end) {
                Some(word) if end != ascii_end || key == 0 => {
                    LowerWord::new(word).map_or(0, LowerWord::key)
                }
                _ => key,
            };
            (end, key)
        }
        _ if key == 0 => {
            let key = text
                .get(start..ascii_end)
                .and_then(LowerWord::new)
                .map_or(0, LowerWord::key);
            (ascii_end, key)
        }
        _ => (ascii_end, key),
    }
}

/// Pushes the token starting at `start` with a character past ASCII (a space passes
/// without one), and says where it ends: `None` when `start` is no character boundary.
fn push_not_ascii(
    text: &str,
    start: usize,
    spans: &mut Vec<Span>,
    classify: &impl Fn(LowerKey) -> WordClass,
) -> Option<usize> {
    let c = char_at(text, start)?;
    let (end, kind) = if is_letter(c) {
        (letters_end(text, start), Kind::Word)
    } else if c.is_whitespace() {
        return Some(start + c.len_utf8());
    } else {
        (start + c.len_utf8(), Kind::Punct)
    };
    let (class, word) = match kind {
        Kind::Word => classify(LowerWord::new(&text[start..end]).map_or(0, LowerWord::key)),
        _ => (0, 0),
    };
    spans.push(span(start..end, kind, class, word));
    Some(end)
}

/// Where the run of ASCII letters starting at `start` ends and, when it has fewer than 16
/// letters, their `LowerKey` (else 0, which is no word's key): the loads of eight bytes that
/// find the end give the key too.
// Inlined: called once a word, its result is best kept in registers.
#[inline(always)]
fn ascii_word(bytes: &[u8], start: usize) -> (usize, LowerKey) {
    const EACH: u64 = u64::MAX / 0xFF;
    let eight_at = |at: usize| {
        let eight = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>)?;
        Some(u64::from_le_bytes(*eight))
    };
    // Letters of either case have bit 5 set in lower case.
    let lower = |eight: u64| eight | (EACH * 0x20);
    let Some(first) = eight_at(start) else {
        return (run_end(bytes, start, &ASCII_LETTER), 0);
    };
    let others = not_ascii_letters(first);
    if others != 0 {
        let len = others.trailing_zeros() / 8;
        let key = lower(first) & ((1 << (8 * len)) - 1);
        return (start + len as usize, u128::from(key));
    }
    let Some(second) = eight_at(start + 8) else {
        return (run_end(bytes, start + 8, &ASCII_LETTER), 0);
    };
    let others = not_ascii_letters(second);
    if others != 0 {
        let len = others.trailing_zeros() / 8;
        let high = lower(second) & ((1 << (8 * len)) - 1);
        let key = u128::from(lower(first)) | u128::from(high) << 64;
        return (start + 8 + len as usize, key);
    }
    (ascii_letters_end(bytes, start + 16), 0)
}

/// Where the run of ASCII letters starting at `at` ends, read eight bytes at a time.
fn ascii_letters_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(eight) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let others = not_ascii_letters(u64::from_le_bytes(*eight));
        if others != 0 {
            return at + (others.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    run_end(bytes, at, &ASCII_LETTER)
}

/// The high bit of each of eight bytes that is no ASCII letter. A byte with bit 5 set is
/// a lower-case letter exactly when the byte is a letter of either case; its low seven
/// bits plus 0x1F reach 0x80 from `a` on, plus 0x05 from past `z`, and no byte's sum
/// carries into the next.
fn not_ascii_letters(bytes: u64) -> u64 {
    const EACH: u64 = u64::MAX / 0xFF;
    let low_bits = (bytes | (EACH * 0x20)) & (EACH * 0x7F);
    let from_a = low_bits + EACH * (0x80 - u64::from(b'a'));
    let past_z = low_bits + EACH * (0x80 - u64::from(b'z' + 1));
    let letters = from_a & !past_z & !bytes;
    !letters & (EACH * 0x80)
}

/// A set of bytes, one flag per byte value: one load per byte where a range test takes
/// several, in the loops that read every byte of every source.
pub(crate) type ByteClass = [bool; 256];

/// The ASCII bytes in `ranges` (inclusive), or with `outside`, the other ASCII bytes.
const fn ascii_class(ranges: &[(u8, u8)], outside: bool) -> ByteClass {
    let mut class = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        let mut inside = false;
        let mut r = 0;
        while r < ranges.len() {
            inside |= ranges[r].0 <= byte && byte <= ranges[r].1;
            r += 1;
        }
        class[byte as usize] = inside != outside;
        byte += 1;
    }
    class
}

const LETTERS: [(u8, u8); 2] = [(b'a', b'z'), (b'A', b'Z')];
const LETTERS_AND_DIGITS: [(u8, u8); 3] = [(b'a', b'z'), (b'A', b'Z'), (b'0', b'9')];

pub(crate) const ASCII_LETTER: ByteClass = ascii_class(&LETTERS, false);
pub(crate) const ASCII_LETTER_OR_DIGIT: ByteClass = ascii_class(&LETTERS_AND_DIGITS, false);
/// ASCII white space as `char::is_whitespace` has it: tab to carriage return, and space.
pub(crate) const ASCII_SPACE: ByteClass = ascii_class(&[(b'\t', b'\r'), (b' ', b' ')], false);
/// ASCII bytes that are neither letters nor digits.
pub(crate) const ASCII_NOT_WORD: ByteClass = ascii_class(&LETTERS_AND_DIGITS, true);

/// Where the run of `class` bytes starting at `at` ends.
#[inline]
pub(crate) fn run_end(bytes: &[u8], mut at: usize, class: &ByteClass) -> usize {
    while let Some(&byte) = bytes.get(at) {
        if !class[usize::from(byte)] {
            break;
        }
        at += 1;
    }
    at
}

/// The character at byte `at` of `text` (a character boundary), if any. Most text is
/// ASCII, read without decoding.
#[inline]
pub(crate) fn char_at(text: &str, at: usize) -> Option<char> {
    match *text.as_bytes().get(at)? {
        byte if byte.is_ascii() => Some(char::from(byte)),
        _ => text.get(at..)?.chars().next(),
    }
}

/// `char::is_alphabetic` of a character past ASCII, with dashes and typeset quotes (General
/// Punctuation, where no letter is) answered before Unicode's tables, which cost hundreds
/// of instructions a character.
fn is_letter(c: char) -> bool {
    !('\u{2000}'..='\u{206f}').contains(&c) && c.is_alphabetic()
}

/// Where the letters starting at `start` end.
fn letters_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = start;
    loop {
        // ASCII letters, most of every word, without decoding.
        end = run_end(bytes, end, &ASCII_LETTER);
        // Most words end at an ASCII byte: no letter there to decode.
        if bytes.get(end).is_none_or(u8::is_ascii) {
            return end;
        }
        match char_at(text, end).filter(|c| !c.is_ascii() && is_letter(*c)) {
            Some(c) => end += c.len_utf8(),
            None => return end,
        }
    }
}

/// Where the number starting at `start` ends: digits, then `,ddd` groups (exactly three
/// digits each, so `2015,2016` stays two numbers), then an optional `.d…` fraction. And its
/// `Span::word`: its value plus one when it is made of at most `PLAIN_DIGITS` digits, else 0
/// (`Token::plain_number` reads the digits then). The scanners ask every number its value,
/// several times: years, days and counts have four digits at most.
#[inline]
fn number_end(bytes: &[u8], start: usize) -> (usize, u16) {
    let digits_from = |at: usize| {
        bytes[at.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut end = start;
    let mut value: u16 = 0;
    while let Some(digit) = bytes
        .get(end)
        .and_then(|b| b.checked_sub(b'0'))
        .filter(|d| *d <= 9)
    {
        value = value.wrapping_mul(10).wrapping_add(u16::from(digit));
        end += 1;
    }
    let plain = if end - start <= PLAIN_DIGITS {
        value.wrapping_add(1)
    } else {
        0
    };
    let digits_end = end;
    while bytes.get(end) == Some(&b',') && digits_from(end + 1) == 3 {
        end += 4;
    }
    if bytes.get(end) == Some(&b'.') {
        let fraction = digits_from(end + 1);
        if fraction > 0 {
            end += 1 + fraction;
        }
    }
    (end, if end == digits_end { plain } else { 0 })
}

/// The most digits a number's value is kept for in its span (`number_end`).
const PLAIN_DIGITS: usize = 4;

#[cfg(test)]
mod tests;
