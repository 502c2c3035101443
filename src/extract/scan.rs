//! The word, number and punctuation tokens that the date and quantity scanners read (name
//! recognition has its own, in `tokens.rs`).
//!
//! One pass over a paragraph, no allocation per token: tokens borrow the text and carry
//! their byte offsets. A number token takes its thousands groups and decimals with it
//! (`5,000`, `9.5`), so that `5,000` can never be read as the year `000` or `5`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters only: `Putin`, `mid`, `s` (of `1990s`). Apostrophes and hyphens split words.
    Word,
    /// ASCII digits, with `,ddd` groups and a `.d` fraction when the text has them.
    Number,
    /// Any other visible character, one per token.
    Punct,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub kind: Kind,
    /// A word's `lower_key`, read once here: the scanners look a word up in several
    /// keyword tables, and lower-casing it for each cost more than the tokenizing.
    pub lower: LowerKey,
}

impl Token<'_> {
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    pub fn is_word(&self, word: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(word)
    }

    pub fn is_any_word(&self, words: &[&str]) -> bool {
        self.kind == Kind::Word && words.iter().any(|w| self.text.eq_ignore_ascii_case(w))
    }

    pub fn is_punct(&self, chars: &str) -> bool {
        self.kind == Kind::Punct && chars.contains(self.text)
    }

    pub fn is_capitalised(&self) -> bool {
        self.kind == Kind::Word && self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// The word's `LowerKey`, when it has at most `LowerWord::MAX` bytes.
    pub fn lower_key(&self) -> Option<LowerKey> {
        (self.kind == Kind::Word && self.text.len() <= LowerWord::MAX).then_some(self.lower)
    }

    /// The word in lower case, zero-padded, when it has at most `LowerWord::MAX` bytes.
    pub fn lower_bytes(&self) -> Option<[u8; LowerWord::MAX]> {
        self.lower_key().map(LowerKey::to_le_bytes)
    }

    /// The value of a number made only of digits (no groups, no decimals).
    pub fn plain_number(&self) -> Option<u32> {
        (self.kind == Kind::Number && self.text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| self.text.parse().ok())
            .flatten()
    }

    /// The value of any number token: `5,000` is 5000, `9.5` is 9.5.
    pub fn number_value(&self) -> Option<f64> {
        if self.kind != Kind::Number {
            return None;
        }
        let digits: String = self.text.chars().filter(|&c| c != ',').collect();
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

    /// The word's bytes and zeros after them: a key of fixed size for hash tables. No two
    /// words without a zero byte (no word of letters has one) share a key.
    pub fn padded(&self) -> [u8; LowerWord::MAX] {
        self.bytes
    }

    /// The word as text: only ASCII letters changed, so it is still UTF-8.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

/// A word of up to `LowerWord::MAX` bytes in ASCII lower case, zero-padded, as one number
/// (`LowerWord::padded`, read as little-endian): compared and hashed as two integers. 0 for
/// longer words and for tokens that are no words.
pub(crate) type LowerKey = u128;

/// The `LowerKey` of `word`, which starts at byte `start` of `bytes`.
fn lower_key(bytes: &[u8], start: usize, word: &str) -> LowerKey {
    let len = word.len();
    // Most words have eight bytes or fewer: one load from the text, without a copy of
    // variable length.
    if len <= 8
        && let Some(window) = bytes.get(start..start + 8)
        && let Ok(window) = <[u8; 8]>::try_from(window)
    {
        let keep = u64::MAX.checked_shr(64 - 8 * len as u32).unwrap_or(0);
        return u128::from(ascii_lower(u64::from_le_bytes(window) & keep));
    }
    LowerWord::new(word).map_or(0, |lower| u128::from_le_bytes(lower.padded()))
}

/// Eight bytes with ASCII upper-case letters in lower case and the others unchanged, all at
/// once: a byte's low seven bits plus 0x3F reach 0x80 from `A` on, plus 0x25 from past
/// `Z`, and no byte's sum carries into the next.
fn ascii_lower(bytes: u64) -> u64 {
    const EACH: u64 = u64::MAX / 0xFF;
    let low_bits = bytes & (EACH * 0x7F);
    let from_a = low_bits + EACH * (0x80 - u64::from(b'A'));
    let past_z = low_bits + EACH * (0x80 - u64::from(b'Z' + 1));
    let upper = from_a & !past_z & !bytes & (EACH * 0x80);
    bytes | (upper >> 2)
}

/// Apostrophes as typed and as typeset.
pub(crate) const APOSTROPHES: &str = "'’‘";
/// Hyphens and the dashes that join ranges.
pub(crate) const DASHES: &str = "-‐‑–—";

pub(crate) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    tokenize_into(text, &mut tokens);
    tokens
}

/// The tokens of `text` in `tokens` (emptied first), so that one vector serves every
/// paragraph of a source.
pub(crate) fn tokenize_into<'t>(text: &'t str, tokens: &mut Vec<Token<'t>>) {
    let bytes = text.as_bytes();
    tokens.clear();
    tokens.reserve(text.len() / 5);
    let mut start = 0;
    while let Some(c) = char_at(text, start) {
        let (end, kind) = if c.is_ascii_digit() {
            (number_end(bytes, start), Kind::Number)
        } else if c.is_alphabetic() {
            (letters_end(text, start), Kind::Word)
        } else if c.is_whitespace() {
            start += c.len_utf8();
            // Runs of ASCII spaces, without decoding.
            start = run_end(bytes, start, &ASCII_SPACE);
            continue;
        } else {
            (start + c.len_utf8(), Kind::Punct)
        };
        let word = &text[start..end];
        tokens.push(Token {
            text: word,
            start,
            kind,
            lower: match kind {
                Kind::Word => lower_key(bytes, start, word),
                _ => 0,
            },
        });
        start = end;
    }
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
        match char_at(text, end).filter(|c| !c.is_ascii() && c.is_alphabetic()) {
            Some(c) => end += c.len_utf8(),
            None => return end,
        }
    }
}

/// Where the number starting at `start` ends: digits, then `,ddd` groups (exactly three
/// digits each, so `2015,2016` stays two numbers), then an optional `.d…` fraction.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let digits_from = |at: usize| {
        bytes[at.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut end = start + digits_from(start);
    while bytes.get(end) == Some(&b',') && digits_from(end + 1) == 3 {
        end += 4;
    }
    if bytes.get(end) == Some(&b'.') {
        let fraction = digits_from(end + 1);
        if fraction > 0 {
            end += 1 + fraction;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_classes_agree_with_char_tests() {
        for byte in 0..=255u8 {
            let c = char::from(byte);
            let ascii = byte.is_ascii();
            assert_eq!(ASCII_LETTER[usize::from(byte)], ascii && c.is_alphabetic());
            assert_eq!(
                ASCII_LETTER_OR_DIGIT[usize::from(byte)],
                ascii && c.is_alphanumeric()
            );
            assert_eq!(ASCII_SPACE[usize::from(byte)], ascii && c.is_whitespace());
            assert_eq!(
                ASCII_NOT_WORD[usize::from(byte)],
                ascii && !c.is_alphanumeric()
            );
        }
    }

    proptest::proptest! {
        /// Every word's key is its `LowerWord`, at the end of the text and inside it.
        #[test]
        fn lower_keys_are_lower_words(text in "([A-Za-z@\\[`{]{1,18}|[ÄéΣ]|[ ,.0-9]){0,12}") {
            for token in tokenize(&text) {
                let expected = match LowerWord::new(token.text) {
                    Some(lower) if token.kind == Kind::Word => u128::from_le_bytes(lower.padded()),
                    _ => 0,
                };
                proptest::prop_assert_eq!(token.lower, expected, "{:?} in {:?}", token.text, text);
            }
        }
    }

    #[test]
    fn tokens_keep_groups_and_offsets() {
        let text = "In 2015, 5,000 soldiers’ 9.5 é-1990s";
        let tokens: Vec<(&str, usize)> = tokenize(text).iter().map(|t| (t.text, t.start)).collect();
        assert_eq!(
            tokens,
            [
                ("In", 0),
                ("2015", 3),
                (",", 7),
                ("5,000", 9),
                ("soldiers", 15),
                ("’", 23),
                ("9.5", 27),
                ("é", 31),
                ("-", 33),
                ("1990", 34),
                ("s", 38)
            ]
        );
        let years: Vec<&str> = tokenize("2015,2016 and 1,00")
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(years, ["2015", ",", "2016", "and", "1", ",", "00"]);
    }
}
