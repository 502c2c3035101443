//! The forms by their first run, for the search's hot path: buckets by a few bytes and
//! the length of the run, where a hash map keyed by the run's bytes cost a hash of all
//! of them at every capitalised word (`The` alone is looked up ten thousand times in 500
//! sources, for `The Gambia` and `The Bahamas`).
//!
//! A bucket may hold the forms of other first runs that share its key: a form is taken
//! only when its first run is as long as the word's and all its bytes are the text's,
//! which makes that run the word's.

use std::ops::Range;

pub(super) struct FirstRuns {
    /// A bit for each key (`key_of`) some form's first run has, finer than the buckets:
    /// half the capitalised words asked about open no form, and most of those are told
    /// by this one load, with no bucket read.
    opens: Box<[u64]>,
    /// Where the entries of each bucket start in `entries`, and one past the last.
    starts: Box<[u32]>,
    /// By bucket, longest form first.
    entries: Box<[Entry]>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    pattern: u32,
    form_len: u32,
    run_len: u32,
    /// The form's first eight bytes (zeros past its end), and a mask of them: most forms
    /// are no longer, and compare as one number.
    head: u64,
    head_mask: u64,
}

const BUCKET_BITS: u32 = 12;
/// Bits of the key in `opens`: 8 KiB, where the forms' first runs take a few thousand.
const OPENS_BITS: u32 = 16;

impl FirstRuns {
    /// The forms, by pattern number, with the length of each one's first run (0 for a form
    /// that opens with neither letter nor digit, which is left out).
    pub(super) fn new(forms: &[Box<[u8]>], run_len: impl Fn(&[u8]) -> usize) -> FirstRuns {
        let keyed: Vec<(u32, Entry)> = (0u32..)
            .zip(forms)
            .filter_map(|(pattern, form)| {
                let run = &form[..run_len(form)];
                let (head, head_mask) = head_of(form);
                let entry = Entry {
                    pattern,
                    form_len: u32::try_from(form.len()).ok()?,
                    run_len: u32::try_from(run.len()).ok()?,
                    head,
                    head_mask,
                };
                (!run.is_empty()).then(|| (key_of(run), entry))
            })
            .collect();
        let mut opens = vec![0u64; 1 << (OPENS_BITS - 6)];
        for &(key, _) in &keyed {
            let bit = opens_bit(key);
            opens[bit / 64] |= 1 << (bit % 64);
        }
        let mut keyed: Vec<(usize, Entry)> = keyed
            .into_iter()
            .map(|(key, entry)| (bucket_of(key), entry))
            .collect();
        keyed.sort_by_key(|&(bucket, entry)| (bucket, std::cmp::Reverse(entry.form_len)));
        let mut starts = vec![0u32; (1 << BUCKET_BITS) + 1];
        for &(bucket, _) in &keyed {
            starts[bucket + 1] += 1;
        }
        for bucket in 0..1 << BUCKET_BITS {
            starts[bucket + 1] += starts[bucket];
        }
        FirstRuns {
            opens: opens.into_boxed_slice(),
            starts: starts.into_boxed_slice(),
            entries: keyed.into_iter().map(|(_, entry)| entry).collect(),
        }
    }

    /// The longest of `forms` whose first run is the word `bytes[run]` and which the text
    /// holds from there, as (pattern, end).
    #[inline(always)]
    pub(super) fn longest(
        &self,
        forms: &[Box<[u8]>],
        bytes: &[u8],
        run: Range<usize>,
    ) -> Option<(u32, usize)> {
        let key = key_of(&bytes[run.clone()]);
        let bit = opens_bit(key);
        if self.opens[bit / 64] & (1 << (bit % 64)) == 0 {
            return None;
        }
        self.longest_in_bucket(forms, bytes, run, bucket_of(key))
    }

    /// `longest`, for a word whose key some first run has.
    #[inline(always)]
    fn longest_in_bucket(
        &self,
        forms: &[Box<[u8]>],
        bytes: &[u8],
        run: Range<usize>,
        bucket: usize,
    ) -> Option<(u32, usize)> {
        let from = self.starts[bucket] as usize;
        let to = self.starts[bucket + 1] as usize;
        let rest = &bytes[run.start..];
        let run_len = run.len();
        // The text's first eight bytes here, as `head_of` reads a form's.
        let (text_head, _) = head_of(rest);
        self.entries[from..to]
            .iter()
            .find(|entry| {
                entry.run_len as usize == run_len
                    && text_head & entry.head_mask == entry.head
                    && rest.get(..entry.form_len as usize).is_some_and(|head| {
                        entry.form_len <= 8 || head == &*forms[entry.pattern as usize]
                    })
            })
            .map(|entry| (entry.pattern, run.start + entry.form_len as usize))
    }
}

/// The first eight bytes of `bytes` (zeros past its end) as one number, and a mask of the
/// bytes it has.
#[inline]
fn head_of(bytes: &[u8]) -> (u64, u64) {
    if let Some(eight) = bytes.first_chunk::<8>() {
        return (u64::from_le_bytes(*eight), u64::MAX);
    }
    let mut head = [0u8; 8];
    head[..bytes.len()].copy_from_slice(bytes);
    let mask = u64::MAX
        .checked_shr(u32::try_from(64 - 8 * bytes.len()).unwrap_or(64))
        .unwrap_or(0);
    (u64::from_le_bytes(head), mask)
}

/// The key of a first run (never empty): its first two bytes, its last and its length,
/// hashed.
#[inline]
fn key_of(run: &[u8]) -> u32 {
    let first = run[0];
    let second = run.get(1).copied().unwrap_or(0);
    let last = run[run.len() - 1];
    // The length's low byte: a longer run shares a key at worst.
    let length = run.len().to_le_bytes()[0];
    u32::from_le_bytes([first, second, last, length]).wrapping_mul(0x9E37_79B1)
}

#[inline]
fn opens_bit(key: u32) -> usize {
    (key >> (32 - OPENS_BITS)) as usize
}

#[inline]
fn bucket_of(key: u32) -> usize {
    (key >> (32 - BUCKET_BITS)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_len(form: &[u8]) -> usize {
        form.iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(form.len())
    }

    /// The longest form at `run.start` whose first run is the word, by a walk of all forms.
    fn longest_by_walk(
        forms: &[Box<[u8]>],
        bytes: &[u8],
        run: Range<usize>,
    ) -> Option<(u32, usize)> {
        (0u32..)
            .zip(forms)
            .filter(|(_, form)| {
                run_len(form) > 0
                    && form[..run_len(form)] == bytes[run.clone()]
                    && bytes[run.start..].starts_with(form)
            })
            .max_by_key(|(pattern, form)| (form.len(), std::cmp::Reverse(*pattern)))
            .map(|(pattern, form)| (pattern, run.start + form.len()))
    }

    proptest::proptest! {
        /// Forms and texts of a few letters, so that first runs share buckets and texts
        /// hold forms.
        #[test]
        fn the_longest_form_is_found_as_a_walk_finds_it(
            forms in proptest::collection::vec("[abT]{1,3}( [abT]{1,3}){0,2}|-[ab]", 1..40),
            text in "[abT ]{1,12}",
        ) {
            let forms: Vec<Box<[u8]>> = forms.iter().map(|f| f.as_bytes().into()).collect();
            let first_runs = FirstRuns::new(&forms, run_len);
            let bytes = text.as_bytes();
            let mut start = 0;
            while start < bytes.len() {
                let end = start + run_len(&bytes[start..]);
                if end > start {
                    let found = first_runs.longest(&forms, bytes, start..end);
                    let walked = longest_by_walk(&forms, bytes, start..end);
                    // Equal forms are one pattern in the lexicon; here either may be taken.
                    proptest::prop_assert_eq!(
                        found.map(|(p, end)| (&forms[p as usize], end)),
                        walked.map(|(p, end)| (&forms[p as usize], end)),
                        "at {} in {:?}", start, text
                    );
                }
                start = end + 1;
            }
        }
    }
}
