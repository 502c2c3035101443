//! One chunk of the paragraph search's build: the words of its paragraphs read into term
//! numbers, and those sorted into each term's postings. Knows how postings are encoded, not
//! how chunks are merged.

use std::ops::Range;

use super::postings::Postings;
use super::term_numbers::{NO_TERM, TermNumbers};
use crate::corpus::Source;
use crate::index::terms::{self, LONGEST_WORD, WINDOW, Windows, Word, WordKey};

/// The most words a window holds: each but the last is followed by a byte of no word.
const WORDS_PER_WINDOW: usize = WINDOW / 2;

/// The postings of one chunk of sources, terms sorted. Each term's postings start with an
/// absolute paragraph id, so that the merge only re-encodes the first gap of each chunk.
pub(super) struct Chunk {
    terms: String,
    term_ends: Vec<u32>,
    /// Each term's postings are `postings[posting_starts[i]..posting_ends[i]]`, with room
    /// to spare between them (see `Postings`).
    postings: Vec<u8>,
    posting_starts: Vec<usize>,
    posting_ends: Vec<usize>,
    pub(super) doc_freq: Vec<u32>,
    pub(super) last: Vec<u32>,
    pub(super) lengths: Vec<u16>,
}

impl Chunk {
    pub(super) fn len(&self) -> usize {
        self.term_ends.len()
    }

    pub(super) fn term(&self, index: usize) -> &str {
        let start = index
            .checked_sub(1)
            .map_or(0, |i| self.term_ends[i] as usize);
        &self.terms[start..self.term_ends[index] as usize]
    }

    pub(super) fn postings(&self, index: usize) -> &[u8] {
        &self.postings[self.posting_starts[index]..self.posting_ends[index]]
    }

    /// The bytes of the terms `range` (indices) and of their postings.
    pub(super) fn bytes_of(&self, range: &Range<usize>) -> (usize, usize) {
        let Some(last) = range.end.checked_sub(1).filter(|_| !range.is_empty()) else {
            return (0, 0);
        };
        let term_start = range.start.checked_sub(1).map_or(0, |i| self.term_ends[i]);
        let starts = self.posting_starts.get(range.clone()).unwrap_or_default();
        let ends = self.posting_ends.get(range.clone()).unwrap_or_default();
        let posting_len = ends
            .iter()
            .zip(starts)
            .map(|(end, start)| end - start)
            .sum();
        ((self.term_ends[last] - term_start) as usize, posting_len)
    }
}

/// The chunk of `sources`, whose first paragraph has the id `first_paragraph`.
pub(super) fn index_chunk(sources: &[Source], first_paragraph: u32) -> Chunk {
    let bytes: usize = sources.iter().map(|source| source.text.len()).sum();
    let mut terms = TermNumbers::with_room_for(bytes);
    let mut occurrences = Occurrences::with_room_for(sources);
    let mut windows = Windows::new();
    for source in sources {
        for range in &source.paragraphs {
            let text = source.text.get(range.range.clone()).unwrap_or("");
            occurrences.read(text, &mut windows, &mut terms);
            occurrences.end_paragraph();
        }
    }
    let seen: Vec<(u32, u32)> = terms.words.seen().collect();
    occurrences.into_chunk(&terms.names(), &seen, first_paragraph)
}

/// The chunk's term numbers in reading order, one per occurrence: one flat log, sorted by
/// term at the chunk's end (a counting sort), where a growing list per term would be
/// reallocated over and over.
struct Occurrences {
    /// The log, its first `kept` entries the terms so far, and as long as the room it has
    /// (see `make_room`).
    terms: Vec<u32>,
    kept: usize,
    /// Where each paragraph's occurrences end in `terms`.
    paragraph_ends: Vec<usize>,
    /// The terms of the words longer than a key, which the table of words does not count.
    uncounted: Vec<u32>,
}

impl Occurrences {
    /// Empty, with room for the occurrences of `sources`, so that the log is not copied
    /// again and again as it grows: prose has about one word in six bytes, and keeps one
    /// in eleven as terms (stop words are logged but not kept), so a term in eight bytes
    /// is room enough, where one in six was zeroed for nothing (a text that needs more
    /// doubles it once).
    fn with_room_for(sources: &[Source]) -> Occurrences {
        let bytes: usize = sources.iter().map(|source| source.text.len()).sum();
        let paragraphs: usize = sources.iter().map(|source| source.paragraphs.len()).sum();
        Occurrences {
            terms: vec![0; bytes / 8 + WORDS_PER_WINDOW],
            kept: 0,
            paragraph_ends: Vec::with_capacity(paragraphs),
            uncounted: Vec::new(),
        }
    }

    /// Logs the term of each word of `text`. The text is read a window at a time, and each
    /// word the window holds is looked up as soon as it is found, in one loop that keeps
    /// the window's bits, the table and the log in registers, where a scan that handed
    /// keys to a second loop stored and loaded each one and checked a vector's capacity.
    /// Words the windows cannot see go through the scan word by word.
    fn read(&mut self, text: &str, windows: &mut Windows, terms: &mut TermNumbers) {
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let (next, step_there) = self.read_window(bytes, at, windows, terms);
            at = if step_there {
                terms::step(text, next, &mut |word| self.log_word(word, terms))
            } else {
                next
            };
        }
    }

    /// Logs the words that the window at `at` holds whole; returns where the reading goes
    /// on, and whether it goes on word by word (`terms::step`) there.
    #[inline(always)]
    fn read_window(
        &mut self,
        bytes: &[u8],
        at: usize,
        windows: &mut Windows,
        terms: &mut TermNumbers,
    ) -> (usize, bool) {
        let window = windows.read(bytes, at);
        let (words, next, step_there) = window.whole_words(at);
        // A word's first and last bytes: each word's start and end are two bit counts.
        let mut starts = words & !(words << 1);
        let mut ends = words & !(words >> 1);
        self.make_room(WORDS_PER_WINDOW);
        let log = self.terms.as_mut_slice();
        let mut kept = self.kept;
        let mut lookup = terms.words.lookup();
        while starts != 0 {
            let start = starts.trailing_zeros() as usize;
            // One less than the word's length, which the tests and the table of key
            // masks take as well as the length, and one instruction sooner.
            let last = (ends.trailing_zeros() as usize).wrapping_sub(start);
            let len = last.wrapping_add(1);
            starts &= starts.wrapping_sub(1);
            ends &= ends.wrapping_sub(1);
            let (term, is_term) = if last < 16 {
                let key = WordKey::in_window(windows, start, len);
                match lookup.find(key) {
                    Ok(found) => found,
                    Err(slot) => {
                        let term = terms.first_seen(slot, key);
                        lookup = terms.words.lookup();
                        (term, usize::from(term != NO_TERM))
                    }
                }
            } else if len <= LONGEST_WORD {
                let word = bytes.get(at + start..at + start + len).unwrap_or_default();
                let term = terms.number(word);
                self.uncounted.push(term);
                lookup = terms.words.lookup();
                (term, usize::from(term != NO_TERM))
            } else {
                continue;
            };
            // Every word is logged and a stop word then not counted (the next word takes
            // its place), where a branch on it would go either way (two words in five
            // are stop words) and be mispredicted.
            if let Some(entry) = log.get_mut(kept) {
                *entry = term;
            }
            kept += is_term;
        }
        self.kept = kept;
        (next, step_there)
    }

    /// Logs the term of `word`, one that the scan word by word found.
    fn log_word(&mut self, word: Word<'_>, terms: &mut TermNumbers) {
        let term = match terms.key_of(word) {
            WordKey { low: 0, high } => {
                self.uncounted.push(high as u32);
                high as u32
            }
            key => match terms.words.lookup().find(key) {
                Ok((term, _)) => term,
                Err(slot) => terms.first_seen(slot, key),
            },
        };
        self.make_room(1);
        if let Some(entry) = self.terms.get_mut(self.kept) {
            *entry = term;
        }
        self.kept += usize::from(term != NO_TERM);
    }

    /// Room in the log for `words` more after the kept ones: the log is as long as its
    /// room, so that each word is written where it goes, with no check of a capacity.
    #[inline(always)]
    fn make_room(&mut self, words: usize) {
        if self.terms.len() < self.kept + words {
            self.grow(words);
        }
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, words: usize) {
        let len = (self.kept + words).max(self.terms.len() * 2);
        self.terms.resize(len, 0);
    }

    fn end_paragraph(&mut self) {
        self.paragraph_ends.push(self.kept);
    }

    /// The postings of the terms `names` (by number), the first paragraph being
    /// `first_paragraph`; `seen` are terms and how many times the table of words found
    /// them (`WordTable::seen`).
    fn into_chunk(mut self, names: &[&str], seen: &[(u32, u32)], first_paragraph: u32) -> Chunk {
        self.terms.truncate(self.kept);
        let occurrences = self.occurrences(names.len(), seen);
        let order = sorted_numbers(names);
        let mut postings = Postings::new(
            &occurrences,
            &order,
            first_paragraph,
            self.paragraph_ends.len(),
        );
        let mut paragraph = first_paragraph;
        let mut start = 0;
        for &end in &self.paragraph_ends {
            postings.add_paragraph(self.terms.get(start..end).unwrap_or_default(), paragraph);
            start = end;
            paragraph = paragraph.saturating_add(1);
        }

        let mut chunk = Chunk {
            terms: String::new(),
            term_ends: Vec::with_capacity(names.len()),
            postings: Vec::new(),
            posting_starts: Vec::with_capacity(names.len()),
            posting_ends: Vec::with_capacity(names.len()),
            doc_freq: Vec::with_capacity(names.len()),
            last: Vec::with_capacity(names.len()),
            lengths: self.lengths(),
        };
        for number in order {
            chunk.terms.push_str(names[number]);
            chunk.term_ends.push(chunk.terms.len() as u32);
            let written = postings.finish(number);
            chunk.posting_starts.push(written.start);
            chunk.posting_ends.push(written.end);
            chunk.doc_freq.push(written.doc_freq);
            chunk.last.push(written.last);
        }
        chunk.postings = postings.into_bytes();
        chunk
    }

    /// How many times each term occurs: from the counts of the table of words (taken as it
    /// was probed) and of the longer words, where a pass over the log counted them again.
    fn occurrences(&self, term_count: usize, seen: &[(u32, u32)]) -> Vec<usize> {
        let mut occurrences = vec![0; term_count];
        let counted = seen.iter().copied();
        let uncounted = self.uncounted.iter().map(|&term| (term, 1));
        for (term, count) in counted.chain(uncounted) {
            if term != NO_TERM
                && let Some(occurrence) = occurrences.get_mut(term as usize)
            {
                *occurrence += count as usize;
            }
        }
        if occurrences.iter().sum::<usize>() != self.terms.len() {
            // Not the log's count (it cannot be): the log's own, then.
            occurrences.fill(0);
            for &term in &self.terms {
                occurrences[term as usize] += 1;
            }
        }
        occurrences
    }

    /// Terms kept per paragraph (saturating).
    fn lengths(&self) -> Vec<u16> {
        let mut start = 0;
        self.paragraph_ends
            .iter()
            .map(|&end| {
                let length = end - start;
                start = end;
                u16::try_from(length).unwrap_or(u16::MAX)
            })
            .collect()
    }
}

/// The numbers of the terms `names` (by number), in the order of their names. Each is
/// sorted by its first eight bytes as one number, which orders names as their bytes do
/// (zero past the end sorts first, as a shorter name does), with its number in the low
/// bits: numbers compare in a couple of instructions, and only the few names that share
/// their first eight bytes are then compared whole.
fn sorted_numbers(names: &[&str]) -> Vec<usize> {
    if let Some(numbers) = sorted_short_numbers(names) {
        return numbers;
    }
    let mut order: Vec<u128> = names
        .iter()
        .enumerate()
        .map(|(number, name)| u128::from(prefix(name)) << 64 | number as u128)
        .collect();
    order.sort_unstable();
    let mut numbers: Vec<usize> = order.iter().map(|&key| key as u64 as usize).collect();
    sort_ties_by_name(
        &mut numbers,
        order.chunk_by(|a, b| a >> 64 == b >> 64),
        names,
    );
    numbers
}

/// Sorts by their whole names the numbers of each run of `ties` (terms that share the
/// prefix they were sorted by), `numbers` holding the runs one after the other.
fn sort_ties_by_name<'k, K: 'k>(
    numbers: &mut [usize],
    ties: impl Iterator<Item = &'k [K]>,
    names: &[&str],
) {
    let mut start = 0;
    for run in ties {
        let end = start + run.len();
        if run.len() > 1 {
            numbers[start..end].sort_unstable_by(|&a, &b| names[a].cmp(names[b]));
        }
        start = end;
    }
}

/// `sorted_numbers` for terms of lower-case ASCII letters and digits (all of them, as words
/// are folded), fewer than 65,536: each sorted by a `u64`, its first eight bytes in six bits
/// each (in their order, zero past the end) over its number in sixteen, where two `u64`
/// words compared and swapped at twice the cost. `None` for other terms.
fn sorted_short_numbers(names: &[&str]) -> Option<Vec<usize>> {
    if names.len() > usize::from(u16::MAX) {
        return None;
    }
    let mut order = Vec::with_capacity(names.len());
    for (number, name) in names.iter().enumerate() {
        let mut prefix = 0u64;
        for index in 0..8 {
            let code = match name.as_bytes().get(index) {
                None => 0,
                Some(&byte @ b'0'..=b'9') => byte - b'0' + 1,
                Some(&byte @ b'a'..=b'z') => byte - b'a' + 11,
                Some(_) => return None,
            };
            prefix = prefix << 6 | u64::from(code);
        }
        order.push(prefix << 16 | number as u64);
    }
    order.sort_unstable();
    let mut numbers: Vec<usize> = order.iter().map(|&key| (key & 0xffff) as usize).collect();
    sort_ties_by_name(
        &mut numbers,
        order.chunk_by(|a, b| a >> 16 == b >> 16),
        names,
    );
    Some(numbers)
}

/// The first eight bytes of `name` as a big-endian number, zero past its end.
fn prefix(name: &str) -> u64 {
    let mut prefix = [0u8; 8];
    let len = name.len().min(8);
    prefix[..len].copy_from_slice(&name.as_bytes()[..len]);
    u64::from_be_bytes(prefix)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::super::varint;
    use super::*;
    use crate::index::fixtures::source;

    /// Each term's postings the plain way: a sorted map from term to (paragraph, count).
    fn reference_postings(paragraphs: &[String], first: u32) -> BTreeMap<String, Vec<(u32, u32)>> {
        let mut postings: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
        for (offset, text) in paragraphs.iter().enumerate() {
            let paragraph = first + offset as u32;
            for word in terms::words(text) {
                let Some(term) = terms::term(&word) else {
                    continue;
                };
                let list = postings.entry(term.into_owned()).or_default();
                match list.last_mut() {
                    Some((last, count)) if *last == paragraph => *count += 1,
                    _ => list.push((paragraph, 1)),
                }
            }
        }
        postings
    }

    /// `(paragraph, count)` pairs back from a chunk's encoding.
    fn decode(bytes: &[u8]) -> Vec<(u32, u32)> {
        let mut pairs = Vec::new();
        let mut at = 0;
        let mut paragraph = varint::read(bytes, &mut at).unwrap_or(0);
        loop {
            let count = varint::read(bytes, &mut at).unwrap_or(0);
            pairs.push((paragraph, count));
            match varint::read(bytes, &mut at) {
                Some(gap) => paragraph += gap,
                None => return pairs,
            }
        }
    }

    /// Paragraphs from a small vocabulary, so that words repeat across and within them:
    /// stop words, plurals, case, accents, numbers and words too long to keep.
    fn paragraphs() -> impl Strategy<Value = Vec<String>> {
        let word = prop_oneof![
            Just("the"),
            Just("The"),
            Just("drones"),
            Just("Drone"),
            Just("countries"),
            Just("Tromsø"),
            Just("北京"),
            Just("2023"),
            Just("abcdefghijklmnop"),
            Just("ABCDEFGHIJKLMNOPQ"),
            Just("internationalisation"),
            Just("glasses"),
            Just("x"),
            Just("—"),
        ]
        .prop_map(str::to_string);
        let long = "[a-z]{41,44}";
        let paragraph = prop::collection::vec(prop_oneof![8 => word, 1 => long], 0..30)
            .prop_map(|words| words.join(" "));
        prop::collection::vec(paragraph, 0..12)
    }

    proptest! {
        #[test]
        fn terms_are_sorted_as_their_names(names in prop::collection::vec("[ab\\x00]{0,10}", 0..40)) {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut expected: Vec<usize> = (0..names.len()).collect();
            expected.sort_by(|&a, &b| names[a].cmp(names[b]).then(a.cmp(&b)));
            let mut found = sorted_numbers(&names);
            // Equal names may come in any order.
            found.sort_by(|&a, &b| names[a].cmp(names[b]).then(a.cmp(&b)));
            prop_assert_eq!(&found, &expected);
            let sorted = sorted_numbers(&names);
            prop_assert!(sorted.windows(2).all(|pair| names[pair[0]] <= names[pair[1]]));
        }

        #[test]
        fn terms_of_letters_and_digits_are_sorted_as_their_names(
            names in prop::collection::vec("[a-c0-9z]{0,10}", 0..40),
        ) {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let sorted = sorted_short_numbers(&names);
            prop_assert!(sorted.is_some());
            let mut found = sorted.unwrap_or_default();
            prop_assert!(found.windows(2).all(|pair| names[pair[0]] <= names[pair[1]]));
            found.sort_unstable();
            prop_assert_eq!(found, (0..names.len()).collect::<Vec<_>>());
        }

        #[test]
        fn a_chunk_holds_the_postings_of_the_reference(paragraphs in paragraphs(), first in 0u32..1000) {
            let texts: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
            let sources = [source("a2020", &["A"], "2020", "A", &texts)];
            let chunk = index_chunk(&sources, first);
            let expected = reference_postings(&paragraphs, first);

            prop_assert_eq!(chunk.len(), expected.len());
            for (index, (term, pairs)) in expected.iter().enumerate() {
                prop_assert_eq!(chunk.term(index), term.as_str());
                prop_assert_eq!(&decode(chunk.postings(index)), pairs);
                prop_assert_eq!(chunk.doc_freq[index] as usize, pairs.len());
                prop_assert_eq!(Some(chunk.last[index]), pairs.last().map(|&(last, _)| last));
            }
            let lengths: Vec<u16> = paragraphs
                .iter()
                .map(|text| terms::words(text).iter().filter(|word| terms::term(word).is_some()).count() as u16)
                .collect();
            prop_assert_eq!(chunk.lengths, lengths);
        }
    }
}
