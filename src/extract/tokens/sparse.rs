//! Which words of a paragraph name recognition can pass over unread. Most prose words are
//! plain lower-case words far from any name: they start no run of name words, the lexicon
//! finds nothing at them, and the reader never looks at them. They are passed over a
//! stretch at a time, found by the bytes that may belong to a name (the "anchors":
//! capitals, non-ASCII bytes, apostrophes), eight bytes at a time.
//!
//! A word is read (as the full tokenizer reads it) when it holds an anchor or stands right
//! after one, before one, or after a word the reader looks past (a connector such as `of`
//! or `the`, or a lower-case word of a known name): the reader looks at most one word
//! before a name word and through connectors after one. What the lexicon needs decides
//! the rest (`ProseSkip::new`, built from its forms). The word before an anchor is passed
//! over too when the reader would make nothing of it (`the`, `said`), as it does of a
//! word that is not there: no preposition of place, number, hyphen or form's start.

use super::super::scan::ASCII_LETTER_OR_DIGIT;
use std::ops::Range;

use super::super::words::{LOCATIVE_PREPOSITIONS, ORGANIZATION_SUFFIXES, connectors};
use super::not_ascii_letters_or_digits;

/// What passing over plain prose must keep, from the lexicon's forms.
#[derive(Debug, Clone)]
pub struct ProseSkip {
    /// A bit for each `sticky_key` of the words after which the next word is read: the
    /// connectors, and the lower-case words of known names.
    sticky: Box<[u64]>,
    /// The opening keys (`opening_key`) of the forms that open with a lower-case letter or
    /// a digit, sorted.
    cold_openings: Box<[u16]>,
    /// A bit for each first byte of `cold_openings`.
    opening_bytes: u128,
    /// A bit for each `sticky_key` of the words before a name that the reader looks at:
    /// the prepositions of place (`in Tromsø`).
    before_name: Box<[u64]>,
    /// A bit for each `end_key` of the plain first runs of forms that go on past them
    /// (`occupied` of `occupied Palestinian territory`): a word that ends so may hold a
    /// match that hides the name after it (`preoccupied Palestinian`), and is read.
    crossing_ends: Box<[u64]>,
}

impl ProseSkip {
    /// `cold_openings`: the first two bytes of the first word (or its one byte and 0) of
    /// each form that opens with a lower-case letter or digit; `lower_words`: the words of
    /// forms without anchors. No form may have more than one word before its first anchor.
    /// `crossing_runs`: the first runs of forms that go on past them, with no anchor.
    pub fn new<'w>(
        cold_openings: impl IntoIterator<Item = u16>,
        lower_words: impl IntoIterator<Item = &'w [u8]>,
        crossing_runs: impl IntoIterator<Item = &'w [u8]>,
    ) -> ProseSkip {
        let mut sticky = vec![0u64; STICKY_KEYS / 64].into_boxed_slice();
        let mut stick = |word: &[u8]| {
            if !word.is_empty() {
                let key = sticky_key(word);
                sticky[key / 64] |= 1 << (key % 64);
            }
        };
        lower_words.into_iter().for_each(&mut stick);
        connectors().map(str::as_bytes).for_each(&mut stick);
        // The reader looks at the word after a name for these too.
        ORGANIZATION_SUFFIXES
            .iter()
            .map(|w| w.as_bytes())
            .for_each(stick);
        let mut cold_openings: Vec<u16> = cold_openings.into_iter().collect();
        cold_openings.sort_unstable();
        cold_openings.dedup();
        let opening_bytes = cold_openings
            .iter()
            .filter_map(|key| 1u128.checked_shl(u32::from(key >> 8)))
            .fold(0, |bits, bit| bits | bit);
        let mut before_name = vec![0u64; STICKY_KEYS / 64].into_boxed_slice();
        for word in LOCATIVE_PREPOSITIONS {
            let key = sticky_key(word.as_bytes());
            before_name[key / 64] |= 1 << (key % 64);
        }
        let mut crossing_ends = vec![0u64; END_KEYS / 64].into_boxed_slice();
        let mut cross = |key: usize| crossing_ends[key / 64] |= 1 << (key % 64);
        for run in crossing_runs {
            match *run {
                [] => {}
                // A run of one byte ends a word after any byte.
                [last] => (0..=u8::MAX).for_each(|before| cross(end_key(&[before, last]))),
                [.., before, last] => cross(end_key(&[before, last])),
            }
        }
        ProseSkip {
            sticky,
            opening_bytes,
            cold_openings: cold_openings.into_boxed_slice(),
            before_name,
            crossing_ends,
        }
    }

    /// Whether the reader makes nothing of the plain word `bytes[word]` before an anchor
    /// (`ProseSkip::resume_after`): no preposition of place, no number (`3 May`), not
    /// joined to the next word but by one space, and no word that a form may end inside.
    fn passes_before_name(&self, bytes: &[u8], word: Range<usize>) -> bool {
        let plain = &bytes[word.clone()];
        let (Some(&first), Some(b' ')) = (plain.first(), bytes.get(word.end)) else {
            return false;
        };
        let before = sticky_key(plain);
        let end = end_key(plain);
        !first.is_ascii_digit()
            && self.before_name[before / 64] & (1 << (before % 64)) == 0
            && self.crossing_ends[end / 64] & (1 << (end % 64)) == 0
    }

    /// Whether the word after `word` must be read: `word` may be a connector, a word of a
    /// known name, or a word the reader looks for after a name (`administration`).
    #[inline]
    pub(super) fn is_sticky(&self, word: &[u8]) -> bool {
        let key = sticky_key(word);
        self.sticky[key / 64] & (1 << (key % 64)) != 0
    }

    /// Where to go on reading words when the words after `gap_start` need not be read up
    /// to the next anchor at `anchor`: `Here` to read on from `gap_start`, `After` the end
    /// of the last word to pass over (the words after it are read), or `End`: no anchor
    /// follows, and no word after is needed.
    pub(super) fn resume_after(&self, bytes: &[u8], gap_start: usize, anchor: usize) -> Resume {
        if anchor >= bytes.len() {
            return Resume::End;
        }
        if anchor <= gap_start {
            return Resume::Here;
        }
        // The word before the anchor is read (the reader looks at it), and so is the one
        // before that if a form may open with it (and the anchor is the form's).
        let Some(last_end) = last_word_end(bytes, gap_start, anchor) else {
            return Resume::Here;
        };
        let mut read_from = word_start(bytes, last_end);
        if self.may_open(bytes, read_from) {
            let Some(end) = last_word_end(bytes, gap_start, read_from) else {
                return Resume::Here;
            };
            read_from = word_start(bytes, end);
        } else if self.passes_before_name(bytes, read_from..last_end) {
            return Resume::After(last_end);
        }
        last_word_end(bytes, gap_start, read_from).map_or(Resume::Here, Resume::After)
    }

    /// Whether a form may open at the word that starts at `start`, by its first two bytes.
    fn may_open(&self, bytes: &[u8], start: usize) -> bool {
        let first = bytes[start];
        if first >= 128 || self.opening_bytes & (1 << first) == 0 {
            return false;
        }
        let first = u16::from(first) << 8;
        let one_byte = self.cold_openings.binary_search(&first).is_ok();
        match bytes.get(start + 1) {
            // A non-ASCII byte may or may not go on with the word.
            Some(&next) if !next.is_ascii() || ASCII_LETTER_OR_DIGIT[usize::from(next)] => {
                one_byte
                    || self
                        .cold_openings
                        .binary_search(&(first | u16::from(next)))
                        .is_ok()
            }
            _ => one_byte,
        }
    }
}

/// What `ProseSkip::resume_after` decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Resume {
    /// Read the next word.
    Here,
    /// Pass over the words up to this end of one.
    After(usize),
    /// No word after is needed.
    End,
}

const STICKY_KEYS: usize = 1 << 15;

const END_KEYS: usize = 1 << 16;

/// The last two bytes of a word (0 before a word of one byte), as one number.
fn end_key(word: &[u8]) -> usize {
    match *word {
        [] => 0,
        [last] => usize::from(last),
        [.., before, last] => usize::from(before) << 8 | usize::from(last),
    }
}

/// A word's first two bytes (5 bits each) and length (mod 32), as one number: words that
/// share one share their answer, which errs only toward reading more.
fn sticky_key(word: &[u8]) -> usize {
    let first = usize::from(word[0] & 31);
    let second = usize::from(word.get(1).map_or(0, |b| b & 31));
    first | second << 5 | (word.len() & 31) << 10
}

/// The end of the last word that ends in `bytes[from + 1..=to]`, after the gap before `to`.
#[inline]
fn last_word_end(bytes: &[u8], from: usize, mut to: usize) -> Option<usize> {
    while to > from {
        if ASCII_LETTER_OR_DIGIT[usize::from(bytes[to - 1])] {
            return Some(to);
        }
        to -= 1;
    }
    None
}

/// Where the ASCII word that ends at `end` starts: eight bytes at a time.
#[inline]
fn word_start(bytes: &[u8], mut end: usize) -> usize {
    while end >= 8 {
        let Some(eight) = bytes.get(end - 8..).and_then(<[u8]>::first_chunk::<8>) else {
            break;
        };
        let others = not_ascii_letters_or_digits(u64::from_le_bytes(*eight));
        if others != 0 {
            return end - 8 + (64 - others.leading_zeros() as usize) / 8;
        }
        end -= 8;
    }
    while end > 0 && ASCII_LETTER_OR_DIGIT[usize::from(bytes[end - 1])] {
        end -= 1;
    }
    end
}

/// Whether a byte is an anchor: a capital, an apostrophe, or part of a non-ASCII
/// character. Words without one are plain lower-case words and numbers.
pub const fn is_anchor(byte: u8) -> bool {
    !byte.is_ascii() || byte.is_ascii_uppercase() || byte == b'\''
}

/// The first anchor at or after `at`, or `bytes.len()`: eight bytes at a time.
#[inline]
pub(super) fn next_anchor(bytes: &[u8], mut at: usize) -> usize {
    let Some(rest) = bytes.get(at..) else {
        return bytes.len();
    };
    let mut chunks = rest.chunks_exact(8);
    for eight in &mut chunks {
        let eight: &[u8; 8] = eight.try_into().unwrap_or(&[0; 8]);
        let anchors = anchors_in(u64::from_le_bytes(*eight));
        if anchors != 0 {
            return at + (anchors.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&byte) = bytes.get(at) {
        if is_anchor(byte) {
            return at;
        }
        at += 1;
    }
    bytes.len()
}

/// The high bit of each of eight bytes that is an anchor. The tests on the low seven bits
/// carry into no other byte; a non-ASCII byte has its high bit already.
fn anchors_in(bytes: u64) -> u64 {
    const EACH: u64 = u64::MAX / 0xFF;
    let low_bits = bytes & (EACH * 0x7F);
    let from_a = low_bits + EACH * (0x80 - u64::from(b'A'));
    let past_z = low_bits + EACH * (0x80 - u64::from(b'Z' + 1));
    let not_apostrophe = (low_bits ^ (EACH * u64::from(b'\''))) + EACH * 0x7F;
    (bytes | (from_a & !past_z) | !not_apostrophe) & (EACH * 0x80)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_bytes_find_the_anchors_one_byte_finds() {
        let text = "plain words, then Capitals and o'clock; naïve — 12 more words here";
        let bytes = text.as_bytes();
        for at in 0..=bytes.len() {
            let by_byte = (at..bytes.len())
                .find(|&i| is_anchor(bytes[i]))
                .unwrap_or(bytes.len());
            assert_eq!(next_anchor(bytes, at), by_byte, "from {at}");
        }
    }

    proptest::proptest! {
        #[test]
        fn words_are_found_back_from_a_point_as_a_walk_finds_them(text in "[a-z0-9 ,.;-]{0,40}") {
            let bytes = text.as_bytes();
            let is_word = |at: usize| bytes[at].is_ascii_alphanumeric();
            for end in (0..=bytes.len()).filter(|&e| e > 0 && is_word(e - 1)) {
                let walked = (0..end).rev().take_while(|&at| is_word(at)).last();
                proptest::prop_assert_eq!(Some(word_start(bytes, end)), walked);
            }
            for from in 0..=bytes.len() {
                for to in from..=bytes.len() {
                    let walked = (from + 1..=to).rev().find(|&e| is_word(e - 1));
                    proptest::prop_assert_eq!(last_word_end(bytes, from, to), walked);
                }
            }
        }

        #[test]
        fn anchors_are_found_as_a_walk_finds_them(bytes in proptest::collection::vec(0u8..=255, 0..40)) {
            for at in 0..=bytes.len() {
                let by_byte = (at..bytes.len())
                    .find(|&i| is_anchor(bytes[i]))
                    .unwrap_or(bytes.len());
                proptest::prop_assert_eq!(next_anchor(&bytes, at), by_byte);
            }
        }
    }
}
