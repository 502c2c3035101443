//! A chunk's terms, numbered as they first appear, and what each word of it stands for.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use super::word_table::WordTable;
use crate::index::terms::{self, Word, WordKey};

/// A word's term for no term: a stop word.
pub(super) const NO_TERM: u32 = u32::MAX;

/// The chunk's terms, numbered as they first appear, and what each word stands for. Words
/// repeat (a few thousand make most of any text): each distinct word is looked up once as a
/// stop word and stemmed once, and after that costs one probe of `words`.
pub(super) struct TermNumbers {
    pub(super) words: WordTable,
    /// Each term's number by its key, for the terms of up to 16 bytes (nearly all): a probe
    /// of two numbers, where a map of strings hashed each term twice and allocated it.
    short: WordTable,
    /// Each longer term's number.
    long: HashMap<Box<str>, u32, FixedState>,
    /// The terms by number, end to end, and where each ends.
    names: String,
    name_ends: Vec<usize>,
    scratch: String,
}

impl TermNumbers {
    /// Empty, with room for the words and terms of `bytes` of text. A chunk has some
    /// thousands (about one distinct word in 250 bytes at a megabyte, fewer as it grows):
    /// room for them from the start, where the tables were rehashed as they filled.
    pub(super) fn with_room_for(bytes: usize) -> TermNumbers {
        let room = (bytes / 128).clamp(1 << 12, 1 << 18);
        TermNumbers {
            words: WordTable::with_capacity(room),
            short: WordTable::with_capacity(room),
            long: HashMap::default(),
            names: String::with_capacity(1 << 15),
            name_ends: Vec::with_capacity(1 << 12),
            scratch: String::new(),
        }
    }

    /// The key of `word` to look up in `words`. A word with no key (longer than 16 bytes,
    /// and rare) is given its term now, in a key that no word has: zero for its first eight
    /// bytes (a word has at least one), its term for the rest.
    #[inline(always)]
    pub(super) fn key_of(&mut self, word: Word<'_>) -> WordKey {
        match word.key {
            Some(key) => key,
            None => WordKey {
                low: 0,
                high: u64::from(self.number(word.bytes())),
            },
        }
    }

    /// The term of a word seen for the first time, which goes in `slot` of `words`.
    #[cold]
    #[inline(never)]
    pub(super) fn first_seen(&mut self, slot: usize, key: WordKey) -> u32 {
        // The key is the word, lower-cased and padded with zeros.
        let mut bytes = [0; 16];
        bytes[..8].copy_from_slice(&key.low.to_le_bytes());
        bytes[8..].copy_from_slice(&key.high.to_le_bytes());
        let len = bytes.iter().position(|&byte| byte == 0).unwrap_or(16);
        let word = std::str::from_utf8(&bytes[..len]).unwrap_or_default();
        let term = self.number_of_lower(word);
        self.words.insert(slot, key, term);
        term
    }

    /// The number of the term of `word` (ASCII letters and digits, any case).
    #[cold]
    #[inline(never)]
    pub(super) fn number(&mut self, word: &[u8]) -> u32 {
        let mut scratch = std::mem::take(&mut self.scratch);
        let number = self.number_of_lower(terms::lower_case_into(word, &mut scratch));
        self.scratch = scratch;
        number
    }

    /// The number of the term of `word` (lower-case ASCII letters and digits).
    fn number_of_lower(&mut self, word: &str) -> u32 {
        let Some(term) = terms::term(word) else {
            return NO_TERM;
        };
        match WordKey::of(term.as_bytes()) {
            Some(key) => match self.short.find(key) {
                Ok(number) => number,
                Err(slot) => {
                    let number = self.add_name(&term);
                    self.short.insert(slot, key, number);
                    number
                }
            },
            None => match self.long.get(term.as_ref()) {
                Some(&number) => number,
                None => {
                    let number = self.add_name(&term);
                    self.long.insert(term.into(), number);
                    number
                }
            },
        }
    }

    /// Numbers the new term `name`.
    fn add_name(&mut self, name: &str) -> u32 {
        // One term fewer than `u32` counts, so that no number is `NO_TERM`.
        let Some(number) = u32::try_from(self.name_ends.len())
            .ok()
            .filter(|&n| n != NO_TERM)
        else {
            return NO_TERM;
        };
        self.names.push_str(name);
        self.name_ends.push(self.names.len());
        number
    }

    /// Each term, by number.
    pub(super) fn names(&self) -> Vec<&str> {
        let mut start = 0;
        self.name_ends
            .iter()
            .map(|&end| {
                let name = self.names.get(start..end).unwrap_or_default();
                start = end;
                name
            })
            .collect()
    }
}
