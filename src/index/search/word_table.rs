//! What each word of a chunk stands for, by its key: the table that every word of the
//! corpus is looked up in.

use super::term_numbers::NO_TERM;
use crate::index::terms::WordKey;

/// Fibonacci hashing: the product's top bits depend on every bit of the key.
#[inline]
fn hash(key: WordKey) -> u64 {
    (key.low ^ key.high.rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// What each word of a chunk stands for (`NO_TERM` for a stop word), by `WordKey`: open
/// addressing with linear probing in one array kept at most half full, a free slot holding
/// the empty key (which no word has). Every word of the
/// corpus is looked up here, and a general hash map's groups and tags cost more than such a
/// probe over keys that are two numbers.
pub(super) struct WordTable {
    slots: Vec<(WordKey, u32)>,
    len: usize,
    /// 64 less the bits of a slot's index: the shift that takes them from the top of a hash.
    shift: u32,
}

impl WordTable {
    pub(super) fn with_capacity(capacity: usize) -> WordTable {
        let slots = capacity.max(2).next_power_of_two();
        WordTable {
            slots: vec![(WordKey::default(), NO_TERM); slots],
            len: 0,
            shift: 64 - slots.trailing_zeros(),
        }
    }

    /// The term of `key`, or the free slot where it goes.
    #[inline]
    pub(super) fn find(&self, key: WordKey) -> Result<u32, usize> {
        self.lookup().find(key)
    }

    /// The table to look words up in while it does not change.
    #[inline(always)]
    pub(super) fn lookup(&self) -> Lookup<'_> {
        Lookup {
            slots: &self.slots,
            shift: self.shift,
        }
    }

    /// Puts `key` in the free slot `find` gave for it.
    pub(super) fn insert(&mut self, slot: usize, key: WordKey, term: u32) {
        self.slots[slot] = (key, term);
        self.len += 1;
        if self.len * 2 > self.slots.len() {
            self.grow();
        }
    }

    fn grow(&mut self) {
        let doubled = vec![(WordKey::default(), NO_TERM); self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        self.shift -= 1;
        for (key, term) in old {
            if key != WordKey::default()
                && let Err(slot) = self.find(key)
            {
                self.slots[slot] = (key, term);
            }
        }
    }
}

/// A `WordTable` as it stands, its fields copied out: a loop that looks words up keeps them
/// in registers, where it read them from the table again at every word (the table could
/// have changed, as far as the compiler knew).
#[derive(Clone, Copy)]
pub(super) struct Lookup<'a> {
    slots: &'a [(WordKey, u32)],
    shift: u32,
}

impl Lookup<'_> {
    /// The term of `key`, or the free slot where it goes.
    #[inline(always)]
    pub(super) fn find(self, key: WordKey) -> Result<u32, usize> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut index = (hash(key) >> self.shift) as usize;
        loop {
            let Some(&(slot_key, term)) = self.slots.get(index) else {
                return Err(index);
            };
            if slot_key == key {
                return Ok(term);
            }
            if slot_key == WordKey::default() {
                return Err(index);
            }
            index = (index + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_table_finds_every_word_after_growing() {
        let mut table = WordTable::with_capacity(2);
        let keys: Vec<WordKey> = (0..5000u64)
            .map(|number| WordKey {
                low: number + 1,
                high: number % 7,
            })
            .collect();
        for (number, &key) in keys.iter().enumerate() {
            let slot = table.find(key).expect_err("not yet in the table");
            table.insert(slot, key, number as u32);
        }
        for (number, &key) in keys.iter().enumerate() {
            assert_eq!(table.find(key), Ok(number as u32));
        }
        assert!(table.find(WordKey { low: 9999, high: 0 }).is_err());
    }
}
