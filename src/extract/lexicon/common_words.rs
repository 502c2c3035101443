//! The list of ordinary English words, and the check of a word against it. A word of up to
//! fifteen bytes is kept and looked up as one number (its bytes and its length): an ASCII
//! word and its inflected readings are looked up with no copy, no UTF-8 check and no
//! `format!`.

use std::collections::HashSet;

use foldhash::fast::FixedState;

/// The longest word kept by its key: the sixteenth byte of a key holds the length.
const MAX_KEYED: usize = 15;

/// A byte repeated over a key: `EACH * byte`.
const EACH: u128 = u128::MAX / 0xFF;

/// The words of the list.
pub(super) struct CommonWords {
    /// Those of up to `MAX_KEYED` bytes, by `key_of`.
    keyed: HashSet<u128, FixedState>,
    /// The longer ones.
    long: HashSet<&'static str, FixedState>,
}

impl CommonWords {
    /// The words of `text`, one a line; lines opening with `#` are comments.
    pub fn parse(text: &'static str) -> CommonWords {
        // Fifteen thousand words, read once a build: the set is sized for them all at once
        // (growing it rehashed every word so far, again and again), from the size of the
        // text (a line has eight bytes, most often); the lines, that short, are cut by a
        // look at each byte, where `memchr` was set up anew for each.
        let mut keyed = HashSet::with_capacity_and_hasher(text.len() / 6, FixedState::default());
        let mut long = HashSet::default();
        let mut start = 0;
        for line in text.as_bytes().split(|&b| b == b'\n') {
            let end = start + line.len();
            let line = &text[start..end];
            let line = line.strip_suffix('\r').unwrap_or(line);
            start = end + 1;
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            match key_of(line.as_bytes()) {
                Some(key) => keyed.insert(key),
                None => long.insert(line),
            };
        }
        CommonWords { keyed, long }
    }

    /// How many words the list has.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.keyed.len() + self.long.len()
    }

    /// Whether `word`, exactly, is one of the list.
    pub fn contains(&self, word: &str) -> bool {
        match key_of(word.as_bytes()) {
            Some(key) => self.keyed.contains(&key),
            None => self.long.contains(word),
        }
    }

    /// Whether `word`, in lower case and with trailing apostrophes dropped, or its singular
    /// or stem (`-ies` as `-y`, `-es`, `-s`, `-ed`, `-ing` dropped) is a listed word.
    pub fn is_common(&self, word: &str) -> bool {
        let mut trimmed = word.as_bytes();
        while let [rest @ .., b'\''] = trimmed {
            trimmed = rest;
        }
        match ascii_bytes(trimmed) {
            Some(bytes) => self.is_common_ascii(trimmed, ascii_lower_case(bytes)),
            None => self.is_common_lower(&word.to_lowercase()),
        }
    }

    /// `is_common` for `word`, ASCII and without trailing apostrophes, of up to `MAX_KEYED`
    /// bytes: `lower` in lower case. By keys alone, and the inflections by the last letter,
    /// which most words (and most names) do not end an inflection with.
    fn is_common_ascii(&self, word: &[u8], lower: u128) -> bool {
        let len = word.len();
        let has = |key: u128| self.keyed.contains(&key);
        if has(lower | length_byte(len)) {
            return true;
        }
        let has_stem = |suffix: &[u8]| {
            len.checked_sub(suffix.len())
                .is_some_and(|stem| ends_with(lower, len, suffix) && has(prefix_key(lower, stem)))
        };
        match len
            .checked_sub(1)
            .map(|last| word[last].to_ascii_lowercase())
        {
            Some(b's') => {
                let y_stem = len >= 3 && ends_with(lower, len, b"ies") && {
                    let stem = len - 3;
                    has(prefix(lower, stem)
                        | u128::from(b'y') << (8 * stem)
                        | length_byte(stem + 1))
                };
                y_stem || has_stem(b"es") || has_stem(b"s")
            }
            Some(b'd') => has_stem(b"ed"),
            Some(b'g') => has_stem(b"ing"),
            _ => false,
        }
    }

    /// `is_common` for a word in lower case, by strings.
    fn is_common_lower(&self, lower: &str) -> bool {
        let lower = lower.trim_end_matches(['\'', '’']);
        self.contains(lower)
            || lower
                .strip_suffix("ies")
                .is_some_and(|stem| self.contains(&format!("{stem}y")))
            || lower.strip_suffix("es").is_some_and(|s| self.contains(s))
            || lower.strip_suffix('s').is_some_and(|s| self.contains(s))
            || lower.strip_suffix("ed").is_some_and(|s| self.contains(s))
            || lower.strip_suffix("ing").is_some_and(|s| self.contains(s))
    }
}

/// `word`'s bytes, zero-padded, with its length in the last byte (which no word of up to
/// `MAX_KEYED` bytes reaches): two words share a key only when they are the same. `None`
/// for a longer word.
fn key_of(word: &[u8]) -> Option<u128> {
    (word.len() <= MAX_KEYED).then(|| prefix_key(load(word), word.len()))
}

/// The bytes of `word`, an ASCII word of up to `MAX_KEYED` bytes, as one number; `None` for
/// any other word.
fn ascii_bytes(word: &[u8]) -> Option<u128> {
    if word.len() > MAX_KEYED {
        return None;
    }
    let bytes = load(word);
    (bytes & (EACH * 0x80) == 0).then_some(bytes)
}

/// Up to sixteen bytes as a little-endian number, the others zero: from two loads that may
/// overlap (their common bytes are the same), where a copy of a slice of any length called
/// `memcpy`, shifted as halves (a shift of a `u128` by a variable amount costs several).
/// Bytes past the sixteenth are left out.
fn load(word: &[u8]) -> u128 {
    let word = word.get(..16).unwrap_or(word);
    let len = word.len();
    let (low, high) =
        if let (Some(low), Some(high)) = (word.first_chunk::<8>(), word.last_chunk::<8>()) {
            // The high half is the last `len - 8` bytes, the top ones of the last eight.
            let high = u64::from_le_bytes(*high);
            (
                u64::from_le_bytes(*low),
                high.checked_shr(8 * (16 - len) as u32).unwrap_or(0),
            )
        } else if let (Some(low), Some(high)) = (word.first_chunk::<4>(), word.last_chunk::<4>()) {
            let low = u64::from(u32::from_le_bytes(*low));
            (
                low | u64::from(u32::from_le_bytes(*high)) << (8 * (len - 4)),
                0,
            )
        } else {
            let low = word
                .iter()
                .enumerate()
                .fold(0, |bytes, (i, &b)| bytes | u64::from(b) << (8 * i));
            (low, 0)
        };
    u128::from(high) << 64 | u128::from(low)
}

/// ASCII `bytes` with their capital letters in lower case, all at once: a byte is a capital
/// when adding 0x3F sets its high bit and adding 0x25 does not (no sum carries into the next
/// byte of ASCII bytes).
fn ascii_lower_case(bytes: u128) -> u128 {
    let capitals =
        bytes.wrapping_add(EACH * 0x3F) & !bytes.wrapping_add(EACH * 0x25) & (EACH * 0x80);
    bytes | capitals >> 2
}

/// Whether the word of `len` bytes in `bytes` ends with `suffix`, which it is no shorter than.
fn ends_with(bytes: u128, len: usize, suffix: &[u8]) -> bool {
    let at = len.saturating_sub(suffix.len());
    prefix(bytes >> (8 * at.min(MAX_KEYED)), suffix.len()) == load(suffix)
}

/// The key of the first `len` (at most `MAX_KEYED`) bytes of `bytes`.
fn prefix_key(bytes: u128, len: usize) -> u128 {
    prefix(bytes, len) | length_byte(len)
}

/// The first `len` (at most `MAX_KEYED`) bytes of `bytes`, the others zero; masked as
/// halves, as `load` shifts.
fn prefix(bytes: u128, len: usize) -> u128 {
    let (low, high) = (bytes as u64, (bytes >> 64) as u64);
    let first = |half: u64, len: usize| half & (1u64 << (8 * len.min(7))).wrapping_sub(1);
    match len.checked_sub(8) {
        Some(in_high) => u128::from(first(high, in_high)) << 64 | u128::from(low),
        None => u128::from(first(low, len)),
    }
}

fn length_byte(len: usize) -> u128 {
    (len.min(MAX_KEYED) as u128) << 120
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;
    use crate::extract::lexicon::{COMMON_WORDS, COMMON_WORDS_TXT};

    static LISTED: LazyLock<HashSet<&str>> = LazyLock::new(|| {
        COMMON_WORDS_TXT
            .lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .collect()
    });

    /// The list as a set of strings, and the check by strings the keys replaced.
    fn simple_is_common(listed: &HashSet<&str>, word: &str) -> bool {
        let lower = word.to_lowercase();
        let lower = lower.trim_end_matches(['\'', '’']);
        let has = |word: &str| listed.contains(word);
        has(lower)
            || lower
                .strip_suffix("ies")
                .is_some_and(|stem| has(&format!("{stem}y")))
            || lower.strip_suffix("es").is_some_and(has)
            || lower.strip_suffix('s').is_some_and(has)
            || lower.strip_suffix("ed").is_some_and(has)
            || lower.strip_suffix("ing").is_some_and(has)
    }

    proptest::proptest! {
        #[test]
        fn words_are_common_as_by_strings(
            word in "(c|C|ount|RI|ies|y|e|s|d|ing|walk|Year|a|'|’|é|x{9}|@|\\[|`|\\{|Z){0,5}"
        ) {
            proptest::prop_assert_eq!(COMMON_WORDS.is_common(&word), simple_is_common(&LISTED, &word));
        }
    }

    #[test]
    fn every_listed_word_its_plural_and_its_capitalized_form_are_common() {
        let words = CommonWords::parse(COMMON_WORDS_TXT);
        let listed = &*LISTED;
        assert_eq!(words.len(), listed.len());
        for word in listed {
            assert!(words.contains(word), "{word}");
            for form in [word.to_string(), format!("{word}s"), word.to_uppercase()] {
                assert!(words.is_common(&form), "{form}");
            }
        }
        for word in ["Putin", "Tehran", "Primakov", "", "'", "ies"] {
            assert_eq!(
                words.is_common(word),
                simple_is_common(listed, word),
                "{word}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn a_word_loads_as_its_bytes(word in proptest::collection::vec(1u8..=255, 0..20)) {
            let mut padded = [0u8; 16];
            let len = word.len().min(16);
            padded[..len].copy_from_slice(&word[..len]);
            proptest::prop_assert_eq!(load(&word), u128::from_le_bytes(padded));
        }

        #[test]
        fn ascii_is_lowered_as_by_the_standard_library(word in "[\\x00-\\x7f]{0,15}") {
            let lowered = ascii_lower_case(load(word.as_bytes()));
            proptest::prop_assert_eq!(lowered, load(word.to_ascii_lowercase().as_bytes()));
        }
    }
}
