//! The scan of text for words, the hot loop of the search's build: every byte of every
//! paragraph goes through it. ASCII words are read eight bytes at a time, and a word of up to
//! 16 bytes comes with a `WordKey` made from the same loads; anything else (a word with
//! non-ASCII letters) is folded through deunicode.

use std::cell::RefCell;
use std::collections::HashMap;

use deunicode::deunicode;
use foldhash::fast::FixedState;

use super::window::{Stop, Windows, word_bytes};
use super::{LONGEST_WORD, is_word_char};

/// A word as the scan found it: ASCII letters and digits, in the case written.
#[derive(Clone, Copy)]
pub struct Word<'a> {
    /// The bytes the word is in, and where in them: sliced only when asked for (`bytes`),
    /// which the search's build does for a word it has not seen.
    text: &'a [u8],
    start: usize,
    end: usize,
    /// The word lower-cased as a key, when it has at most 16 bytes.
    pub key: Option<WordKey>,
}

impl<'a> Word<'a> {
    /// The word `text[start..end]`, with its key if it has one.
    fn new(text: &'a [u8], start: usize, end: usize, key: Option<WordKey>) -> Word<'a> {
        Word {
            text,
            start,
            end,
            key,
        }
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.text.get(self.start..self.end).unwrap_or_default()
    }
}

/// Calls `f` with each word of `text`, in the case written: lower-casing is left to the
/// caller, which may not need it (the search's build looks most words up by their key).
/// The text is read 64 bytes at a time (`Window`), and word by word (`step`) only where the
/// windows cannot see: at a byte past ASCII, or in a word as long as a window. `f` is
/// inlined into the loop, where an iterator's state went through memory at every word.
#[inline]
pub fn for_each_cased_word(text: &str, f: &mut impl FnMut(Word<'_>)) {
    let bytes = text.as_bytes();
    let mut windows = Windows::new();
    let mut at = 0;
    while at < bytes.len() {
        let (next, step_there) = words_of_window(bytes, at, &mut windows, f);
        at = if step_there {
            step(text, next, f)
        } else {
            next
        };
    }
}

/// Calls `f` with each word that the window at `at` holds whole; returns where the scan
/// goes on, and whether it must go on word by word (`step`) there.
#[inline(always)]
fn words_of_window(
    bytes: &[u8],
    at: usize,
    windows: &mut Windows,
    f: &mut impl FnMut(Word<'_>),
) -> (usize, bool) {
    let window = windows.read(bytes, at);
    // A word that ends here may go on past what the window sees.
    let open_end = if window.stop == Stop::TextEnd {
        usize::MAX
    } else {
        window.limit
    };
    let mut words = window.words;
    while words != 0 {
        let start = words.trailing_zeros() as usize;
        let len = (!(words >> start)).trailing_zeros() as usize;
        if start + len == open_end {
            let step_there = window.stop == Stop::NonAscii || start == 0;
            return (at + start, step_there);
        }
        // Adding the word's lowest bit carries through its bits and clears them.
        words &= words.wrapping_add(words & words.wrapping_neg());
        let key = if len <= 16 {
            Some(WordKey::of_bytes(windows.sixteen_bytes(start), len))
        } else if len <= LONGEST_WORD {
            None
        } else {
            continue;
        };
        let start = at + start;
        f(Word::new(bytes, start, start + len, key));
    }
    (at + window.limit, window.stop == Stop::NonAscii)
}

/// One step of the scan word by word from `at`: the word there (ASCII or not) or the
/// character that is no word's; returns where the next step starts.
#[cold]
#[inline(never)]
pub(crate) fn step(text: &str, at: usize, f: &mut impl FnMut(Word<'_>)) -> usize {
    let bytes = text.as_bytes();
    let Some(&byte) = bytes.get(at) else {
        return at.saturating_add(1);
    };
    if is_ascii_word_byte(byte) {
        let (end, key, next) = read_ascii_word(bytes, at);
        if next >= 0x80 && starts_word_char(&text[end..]) {
            // `Tromsø`: the word goes on past ASCII, so fold it whole.
            return fold_words(text, at, end, f);
        }
        if end - at <= LONGEST_WORD {
            f(Word::new(bytes, at, end, key));
        }
        // An ASCII byte after the word is a space or a punctuation mark, which the scan
        // would skip next (past the end, `next` is 0 and the scan ends all the same).
        end + usize::from(next < 0x80)
    } else if byte < 0x80 {
        at + 1
    } else if starts_word_char(&text[at..]) {
        fold_words(text, at, at, f)
    } else {
        at + text[at..].chars().next().map_or(1, char::len_utf8)
    }
}

/// Folds the word that starts at `start` and goes on with non-ASCII letters at `from`,
/// calls `f` with each piece of it to keep (letters and digits, no longer than
/// `LONGEST_WORD`), and says where the word ends.
#[cold]
#[inline(never)]
fn fold_words(text: &str, start: usize, from: usize, f: &mut impl FnMut(Word<'_>)) -> usize {
    let end = unicode_word_end(text, from);
    let word = &text[start..end];
    let mut inline = [0; FOLDED_INLINE];
    let owned;
    let folded = match folded_into(word, &mut inline) {
        Some(len) => &inline[..len],
        None => {
            owned = deunicode(word);
            owned.as_bytes()
        }
    };
    for piece in folded.split(|byte| !byte.is_ascii_alphanumeric()) {
        if !piece.is_empty() && piece.len() <= LONGEST_WORD {
            f(Word::new(piece, 0, piece.len(), WordKey::of(piece)));
        }
    }
    end
}

/// The longest fold kept in `FOLDED` and copied out of it.
const FOLDED_INLINE: usize = 64;

/// The most words `FOLDED` keeps before it starts again.
const FOLDED_WORDS: usize = 4096;

thread_local! {
    /// Words past ASCII as deunicode folds them, by their text: a corpus names the same
    /// people and places again and again (`García`, `Tromsø`), and each fold cost a thousand
    /// instructions or so and an allocation.
    static FOLDED: RefCell<HashMap<Box<str>, Box<str>, FixedState>> =
        RefCell::new(HashMap::with_hasher(FixedState::default()));
}

/// Writes the fold of `word` into `inline` from the words folded before (folding it now if
/// it is new) and says how long it is; `None` when it is longer than `inline`, or the cache
/// is in use further up the stack.
fn folded_into(word: &str, inline: &mut [u8; FOLDED_INLINE]) -> Option<usize> {
    let copy = |fold: &str, inline: &mut [u8; FOLDED_INLINE]| {
        inline
            .get_mut(..fold.len())?
            .copy_from_slice(fold.as_bytes());
        Some(fold.len())
    };
    FOLDED.with(|folded| {
        let mut folded = folded.try_borrow_mut().ok()?;
        if let Some(fold) = folded.get(word) {
            return copy(fold, inline);
        }
        let fold: Box<str> = deunicode(word).into();
        let len = copy(&fold, inline);
        if folded.len() >= FOLDED_WORDS {
            folded.clear();
        }
        folded.insert(word.into(), fold);
        len
    })
}

/// ASCII letters and digits, by table: the scan looks at every byte that starts a word or
/// separates two, and one load is cheaper than `is_ascii_alphanumeric`'s ranges.
const ASCII_WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    table
};

fn is_ascii_word_byte(byte: u8) -> bool {
    ASCII_WORD_BYTES[usize::from(byte)]
}

/// A word of 1 to 16 ASCII letters and digits, lower-cased, as two numbers (its bytes in
/// little-endian order, zero past its end): hashed and compared in a few instructions, where
/// a string would be hashed byte by byte and compared with `memcmp`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WordKey {
    pub low: u64,
    pub high: u64,
}

impl WordKey {
    /// The key of the word of `len` bytes (1 to 16, ASCII letters and digits) that starts
    /// `sixteen` (little-endian).
    #[inline(always)]
    fn of_bytes(sixteen: u128, len: usize) -> WordKey {
        // Every byte of the word is a letter or a digit, which 0x20 turns into lower case
        // or leaves as it is: one `or`, masked after.
        let (low_mask, high_mask) = KEY_MASKS[len.min(16)];
        WordKey {
            low: (sixteen as u64 | LOWER_CASE) & low_mask,
            high: ((sixteen >> 64) as u64 | LOWER_CASE) & high_mask,
        }
    }

    /// The key of the word of `len` bytes (1 to 16, ASCII letters and digits) that starts at
    /// `start` in the window `windows` read last.
    #[inline(always)]
    pub(crate) fn in_window(windows: &Windows, start: usize, len: usize) -> WordKey {
        WordKey::of_bytes(windows.sixteen_bytes(start), len)
    }

    /// The key of `word` (ASCII letters and digits); `None` for a word longer than 16 bytes.
    pub fn of(word: &[u8]) -> Option<WordKey> {
        if word.len() > 16 {
            return None;
        }
        let (low, high) = word.split_at(word.len().min(8));
        Some(WordKey {
            low: lower_case(eight_bytes(low, 0)),
            high: lower_case(eight_bytes(high, 0)),
        })
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
/// What lower case adds to a letter, and a digit has already.
const LOWER_CASE: u64 = 0x20 * ONES;

/// For each length of a word (0 to 16), which bytes of its first eight and of its next
/// eight are its own: one load, where the masks cost a dozen instructions to compute.
const KEY_MASKS: [(u64, u64); 17] = {
    let mut masks = [(0, 0); 17];
    let mut len = 1;
    while len <= 16 {
        masks[len] = if len <= 8 {
            (u64::MAX >> (64 - 8 * len), 0)
        } else {
            (u64::MAX, u64::MAX >> (128 - 8 * len))
        };
        len += 1;
    }
    masks
};

/// Where the ASCII word that starts at `start` ends, its key, and the byte after it (0 past
/// the end of `bytes`). The word's first eight bytes are one load, which says where a word
/// of up to eight ends, is its key's low half, and holds the byte after it.
#[inline(always)]
fn read_ascii_word(bytes: &[u8], start: usize) -> (usize, Option<WordKey>, u8) {
    let low = eight_bytes(bytes, start);
    let low_len = word_bytes_in(low);
    if low_len < 8 {
        let key = WordKey {
            low: lower_case(first_bytes(low, low_len)),
            high: 0,
        };
        return (start + low_len, Some(key), byte_at(low, low_len));
    }
    let high = eight_bytes(bytes, start + 8);
    let high_len = word_bytes_in(high);
    if high_len < 8 {
        let key = WordKey {
            low: lower_case(low),
            high: lower_case(first_bytes(high, high_len)),
        };
        return (start + 8 + high_len, Some(key), byte_at(high, high_len));
    }
    let end = ascii_word_end(bytes, start + 16);
    let key = WordKey {
        low: lower_case(low),
        high: lower_case(high),
    };
    let next = bytes.get(end).copied().unwrap_or(0);
    (end, (end == start + 16).then_some(key), next)
}

/// Byte `index` (0 to 7) of the eight bytes packed in `bytes`.
#[inline(always)]
fn byte_at(bytes: u64, index: usize) -> u8 {
    (bytes >> (8 * index)) as u8
}

/// The eight bytes from `at` as a little-endian number, zero past the end of `bytes`.
#[inline(always)]
fn eight_bytes(bytes: &[u8], at: usize) -> u64 {
    let rest = bytes.get(at..).unwrap_or_default();
    match rest.first_chunk::<8>() {
        Some(eight) => u64::from_le_bytes(*eight),
        None => {
            let mut eight = [0; 8];
            eight[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(eight)
        }
    }
}

/// How many of the eight bytes packed in `bytes`, from the first, are ASCII letters or
/// digits (a byte past ASCII is neither, and what it does to the bytes after it does not
/// matter).
#[inline(always)]
fn word_bytes_in(bytes: u64) -> usize {
    let not_word = !(word_bytes(bytes) & !bytes) & (0x80 * ONES);
    (not_word.trailing_zeros() / 8) as usize
}

/// The first `count` (0 to 8) bytes of `bytes`, the others zero.
#[inline(always)]
fn first_bytes(bytes: u64, count: usize) -> u64 {
    bytes & u64::MAX.checked_shr(64 - 8 * count as u32).unwrap_or(0)
}

/// ASCII letters and digits packed in a number, lower-cased: letters have 0x40 set and digits
/// do not, and 0x20 is what lower case adds to a letter (a digit has it already). Zero bytes
/// stay zero, so that no word's key is another's.
#[inline(always)]
fn lower_case(packed: u64) -> u64 {
    packed | (packed & (0x40 * ONES)) >> 1
}

/// Where the run of ASCII letters and digits that goes on at `from` ends.
fn ascii_word_end(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    from + rest
        .iter()
        .position(|byte| !byte.is_ascii_alphanumeric())
        .unwrap_or(rest.len())
}

fn starts_word_char(text: &str) -> bool {
    text.chars().next().is_some_and(is_word_char)
}

fn unicode_word_end(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(text.len(), |(offset, _)| from + offset)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The scan as it was before it read eight bytes at a time: the words, lower-cased.
    fn reference_words(text: &str) -> Vec<String> {
        fn ascii_word(word: &str, words: &mut Vec<String>) {
            if word.len() <= LONGEST_WORD {
                words.push(word.to_ascii_lowercase());
            }
        }
        fn fold_word(word: &str, words: &mut Vec<String>) {
            let folded = deunicode(word);
            for piece in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
                if !piece.is_empty() {
                    ascii_word(piece, words);
                }
            }
        }
        let mut words = Vec::new();
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let byte = bytes[at];
            if byte.is_ascii_alphanumeric() {
                let start = at;
                while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                    at += 1;
                }
                if at < bytes.len() && bytes[at] >= 0x80 && starts_word_char(&text[at..]) {
                    at = unicode_word_end(text, at);
                    fold_word(&text[start..at], &mut words);
                } else {
                    ascii_word(&text[start..at], &mut words);
                }
            } else if byte < 0x80 {
                at += 1;
            } else if starts_word_char(&text[at..]) {
                let start = at;
                at = unicode_word_end(text, at);
                fold_word(&text[start..at], &mut words);
            } else {
                at += text[at..].chars().next().map_or(1, char::len_utf8);
            }
        }
        words
    }

    /// Mostly ASCII words of any length, with accents (precomposed and combining), other
    /// scripts, digits, punctuation and dashes mixed in.
    fn mixed_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            8 => "[a-zA-Z0-9]{1,18}",
            2 => "[ ,.;:'!?()@\\[\\]`{}/\\-]{1,3}",
            1 => "[a-zA-Z]{30,45}",
            1 => "[a-z0-9]{60,130}",
            1 => "[éøÅßœﬁİı]{1,3}",
            1 => "[\\u{300}-\\u{36f}\\u{2014}\\u{a0}]",
            1 => "[北京東京한국어Ωλ١٢٣²½]{1,3}",
            1 => "\\PC{1,4}",
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    fn scanned(text: &str) -> Vec<(String, Option<WordKey>)> {
        let mut words = Vec::new();
        for_each_cased_word(text, &mut |word| {
            let lower = String::from_utf8_lossy(word.bytes()).to_ascii_lowercase();
            words.push((lower, word.key));
        });
        words
    }

    proptest! {
        #[test]
        fn the_scan_finds_the_words_of_the_reference(text in mixed_text()) {
            let words: Vec<String> = scanned(&text).into_iter().map(|(word, _)| word).collect();
            prop_assert_eq!(words, reference_words(&text));
        }

        #[test]
        fn a_word_read_eight_bytes_at_a_time_has_the_key_of_its_bytes(text in mixed_text()) {
            let mut words = Vec::new();
            for_each_cased_word(&text, &mut |word| words.push((word.bytes().to_vec(), word.key)));
            for (bytes, key) in words {
                prop_assert_eq!(key, WordKey::of(&bytes));
            }
        }

        #[test]
        fn two_words_have_one_key_when_they_differ_only_in_case(
            a in "[a-zA-Z0-9]{1,17}",
            b in "[a-zA-Z0-9]{1,17}",
        ) {
            let (key_a, key_b) = (WordKey::of(a.as_bytes()), WordKey::of(b.as_bytes()));
            prop_assert_eq!(key_a.is_some(), a.len() <= 16);
            if a.len() <= 16 && b.len() <= 16 {
                prop_assert_eq!(key_a == key_b, a.eq_ignore_ascii_case(&b));
            }
            let lower = a.to_ascii_lowercase();
            prop_assert_eq!(WordKey::of(lower.as_bytes()), key_a);
        }
    }

    #[test]
    fn every_byte_is_a_word_byte_exactly_when_it_is_an_ascii_letter_or_digit() {
        for byte in 0..=255u8 {
            let packed = u64::from(byte) | u64::from(b'x') << 8;
            let expected = if byte.is_ascii_alphanumeric() { 2 } else { 0 };
            assert_eq!(word_bytes_in(packed), expected, "{byte:#x}");
        }
    }
}
