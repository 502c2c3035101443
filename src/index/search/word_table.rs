//! What each word of a chunk stands for, by its key: the table that every word of the
//! corpus is looked up in.

use super::term_numbers::NO_TERM;
use crate::index::terms::WordKey;

/// Fibonacci hashing: the product's top bits depend on every bit of the key. The halves
/// are added, one instruction where a rotation and an `xor` took two: most words have no
/// second half, and the first eight bytes of longer words mostly differ.
#[inline]
fn hash(key: WordKey) -> u64 {
    key.low
        .wrapping_add(key.high)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// What each word of a chunk stands for (`NO_TERM` for a stop word), by `WordKey`: open
/// addressing with linear probing in one array kept at most half full, a free slot holding
/// the empty key (which no word has). Every word of the
/// corpus is looked up here, and a general hash map's groups and tags cost more than such a
/// probe over keys that are two numbers.
pub(super) struct WordTable {
    slots: Vec<Slot>,
    len: usize,
    /// 64 less the bits of a slot's index: the shift that takes them from the top of a hash.
    shift: u32,
}

/// A key, what it stands for, how many times it was found (`Lookup::find`), and whether
/// its value is a term (1) or `NO_TERM` (0): the count of terms kept adds it, one
/// instruction where a test of the value took four.
#[derive(Clone, Copy)]
struct Slot {
    key: WordKey,
    value: u32,
    seen: u32,
    is_term: u32,
}

const FREE: Slot = Slot {
    key: WordKey { low: 0, high: 0 },
    value: NO_TERM,
    seen: 0,
    is_term: 0,
};

impl WordTable {
    pub(super) fn with_capacity(capacity: usize) -> WordTable {
        let slots = capacity.max(2).next_power_of_two();
        WordTable {
            slots: vec![FREE; slots],
            len: 0,
            shift: 64 - slots.trailing_zeros(),
        }
    }

    /// The value of `key`, or the free slot where it goes.
    #[inline]
    pub(super) fn find(&self, key: WordKey) -> Result<u32, usize> {
        probe(&self.slots, self.shift, key).map(|index| self.slots[index].value)
    }

    /// The table to look words up in, and count them, while no key is added.
    #[inline(always)]
    pub(super) fn lookup(&mut self) -> Lookup<'_> {
        Lookup {
            slots: &mut self.slots,
            shift: self.shift,
        }
    }

    /// Puts `key` in the free slot `find` gave for it, found once.
    pub(super) fn insert(&mut self, slot: usize, key: WordKey, value: u32) {
        self.slots[slot] = Slot {
            key,
            value,
            seen: 1,
            is_term: u32::from(value != NO_TERM),
        };
        self.len += 1;
        if self.len * 2 > self.slots.len() {
            self.grow();
        }
    }

    /// Each value with how many times its keys were found (values shared by several keys
    /// come once for each).
    pub(super) fn seen(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.slots
            .iter()
            .filter(|slot| slot.key != FREE.key)
            .map(|slot| (slot.value, slot.seen))
    }

    fn grow(&mut self) {
        let doubled = vec![FREE; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        self.shift -= 1;
        for slot in old {
            if slot.key != FREE.key
                && let Err(index) = self.find(slot.key)
            {
                self.slots[index] = slot;
            }
        }
    }
}

/// A `WordTable` as it stands, its fields copied out: a loop that looks words up keeps them
/// in registers, where it read them from the table again at every word (the table could
/// have changed, as far as the compiler knew).
pub(super) struct Lookup<'a> {
    slots: &'a mut [Slot],
    shift: u32,
}

impl Lookup<'_> {
    /// The value of `key` and whether it is a term (1 or 0), counting it found, or the
    /// free slot where it goes. The count comes with the probe, where the search's build
    /// counted each term's occurrences in a pass of its own.
    #[inline(always)]
    pub(super) fn find(&mut self, key: WordKey) -> Result<(u32, usize), usize> {
        let index = probe(self.slots, self.shift, key)?;
        let slot = &mut self.slots[index];
        slot.seen = slot.seen.wrapping_add(1);
        Ok((slot.value, slot.is_term as usize))
    }
}

/// The slot of `key` in `slots` (`Ok`), or the free slot where it goes (`Err`).
#[inline(always)]
fn probe(slots: &[Slot], shift: u32, key: WordKey) -> Result<usize, usize> {
    let mask = slots.len().wrapping_sub(1);
    let mut index = (hash(key) >> shift) as usize;
    loop {
        let Some(slot) = slots.get(index) else {
            return Err(index);
        };
        if slot.key == key {
            return Ok(index);
        }
        if slot.key == FREE.key {
            return Err(index);
        }
        index = (index + 1) & mask;
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

    #[test]
    fn a_word_table_counts_what_it_finds_through_its_growth() {
        let mut table = WordTable::with_capacity(2);
        let keys: Vec<WordKey> = (1..=300u64)
            .map(|number| WordKey {
                low: number,
                high: 0,
            })
            .collect();
        for (number, &key) in keys.iter().enumerate() {
            let slot = table.lookup().find(key).expect_err("not yet in the table");
            table.insert(slot, key, number as u32);
            for _ in 0..number % 3 {
                assert_eq!(table.lookup().find(key), Ok((number as u32, 1)));
            }
        }
        let mut seen: Vec<(u32, u32)> = table.seen().collect();
        seen.sort_unstable();
        let expected: Vec<(u32, u32)> =
            (0..300u32).map(|number| (number, 1 + number % 3)).collect();
        assert_eq!(seen, expected);
    }
}
