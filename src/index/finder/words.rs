//! The finder's word tables: the distinct words of authors' last names and of titles, which
//! sources have each, and each source's words.
//!
//! Every word is numbered the first time it is read and looked up by its key after (the
//! scan's lower-cased bytes as two numbers), so no string is made for a word read again.
//! Sorted once at the end (only the distinct words, a few thousand where the sources have
//! millions), the numbers become places in the dictionary, and the `(word, source)` tables
//! are counted into order rather than sorted.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use crate::corpus::keys;
use crate::index::SourceInfo;
use crate::index::terms::{self, Word, WordKey};

/// The word tables of `SourceFinder`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WordTables {
    /// Distinct words of authors' last names and of titles, sorted.
    pub words: Vec<Box<str>>,
    /// `(word, source)`, sorted, for last names and for title words.
    pub authors: Vec<(u32, u32)>,
    pub titles: Vec<(u32, u32)>,
    /// Source `s`'s words are `source_words[source_word_starts[s]..source_word_starts[s+1]]`:
    /// its last names' words, sorted, then its title's, sorted.
    pub source_word_starts: Vec<u32>,
    pub source_words: Vec<u32>,
}

/// No word yet: a number no word is given.
const UNPLACED: u32 = u32::MAX;

/// The words read so far, each with the number of its first reading.
#[derive(Default)]
struct Numbering {
    /// Words of up to 16 bytes by their key (`WordKey`, lower-cased already): a lookup of two
    /// numbers, not of a string; longer words by their lower-cased text.
    by_key: HashMap<(u64, u64), u32, FixedState>,
    by_text: HashMap<Box<str>, u32, FixedState>,
    /// Each number's word, whether it is a stop word, and whether a table holds it (a stop
    /// word read only in titles is in none, nor in the dictionary).
    spelled: Vec<(Box<str>, bool, bool)>,
    scratch: String,
}

impl Numbering {
    fn number(&mut self, word: Word<'_>) -> u32 {
        let Numbering {
            by_key,
            by_text,
            spelled,
            scratch,
        } = self;
        let next = u32::try_from(spelled.len()).unwrap_or(UNPLACED);
        let mut new = false;
        let number = match word.key.or_else(|| WordKey::of(word.bytes())) {
            Some(key) => *by_key.entry((key.low, key.high)).or_insert_with(|| {
                new = true;
                next
            }),
            None => {
                let lower = terms::lower_case_into(word.bytes(), scratch);
                match by_text.get(lower) {
                    Some(&number) => number,
                    None => {
                        new = true;
                        by_text.insert(lower.into(), next);
                        next
                    }
                }
            }
        };
        if new {
            let lower = terms::lower_case_into(word.bytes(), scratch);
            spelled.push((lower.into(), terms::is_stop_word(lower), false));
        }
        number
    }

    /// The number of `word` as a title word: `None` for a stop word.
    fn title_number(&mut self, word: Word<'_>) -> Option<u32> {
        let number = self.number(word);
        let (_, stop, used) = self.spelled.get_mut(number as usize)?;
        *used |= !*stop;
        (!*stop).then_some(number)
    }

    fn author_number(&mut self, word: Word<'_>) -> u32 {
        let number = self.number(word);
        if let Some((_, _, used)) = self.spelled.get_mut(number as usize) {
            *used = true;
        }
        number
    }

    /// The dictionary (the words a table holds, sorted) and each number's place in it.
    fn dictionary(self) -> (Vec<Box<str>>, Vec<u32>) {
        let count = self.spelled.len();
        let mut kept: Vec<(Box<str>, u32)> = self
            .spelled
            .into_iter()
            .enumerate()
            .filter(|(_, (_, _, used))| *used)
            .map(|(number, (word, _, _))| (word, number as u32))
            .collect();
        kept.sort_unstable();
        let mut places = vec![UNPLACED; count];
        for (place, (_, number)) in kept.iter().enumerate() {
            if let Some(slot) = places.get_mut(*number as usize) {
                *slot = place as u32;
            }
        }
        (kept.into_iter().map(|(word, _)| word).collect(), places)
    }
}

/// The word tables of `sources`.
pub fn word_tables(sources: &[SourceInfo]) -> WordTables {
    let mut numbering = Numbering::default();
    // Each source's numbers, its last names' then its title's: `read[ends[s].0..ends[s].1]`
    // and `read[ends[s].1..ends[s].2]`.
    let mut read: Vec<u32> = Vec::new();
    let mut ends: Vec<(usize, usize, usize)> = Vec::with_capacity(sources.len());
    for source in sources {
        let start = read.len();
        for author in &source.authors {
            // The last name's words, read where the name has them: a copy with its words
            // joined by single spaces has the same words.
            terms::for_each_cased_word(keys::last_name(author), &mut |word| {
                read.push(numbering.author_number(word));
            });
        }
        let middle = read.len();
        terms::for_each_cased_word(&source.title, &mut |word| {
            read.extend(numbering.title_number(word));
        });
        ends.push((start, middle, read.len()));
    }

    let (words, places) = numbering.dictionary();
    for number in &mut read {
        *number = places.get(*number as usize).copied().unwrap_or(UNPLACED);
    }
    // A word's place orders as its text does: each run sorted by place is sorted by word.
    let mut source_word_starts = Vec::with_capacity(sources.len() + 1);
    let mut source_words = Vec::with_capacity(read.len());
    let mut author_runs = Vec::with_capacity(sources.len());
    let mut title_runs = Vec::with_capacity(sources.len());
    for &(start, middle, end) in &ends {
        source_word_starts.push(source_words.len() as u32);
        for (range, runs) in [
            (start..middle, &mut author_runs),
            (middle..end, &mut title_runs),
        ] {
            let run_start = source_words.len();
            let run = &mut read[range];
            run.sort_unstable();
            let mut last = None;
            for &place in run.iter() {
                if last != Some(place) {
                    source_words.push(place);
                    last = Some(place);
                }
            }
            runs.push(run_start..source_words.len());
        }
    }
    source_word_starts.push(source_words.len() as u32);
    WordTables {
        authors: by_word(words.len(), &source_words, &author_runs),
        titles: by_word(words.len(), &source_words, &title_runs),
        words,
        source_word_starts,
        source_words,
    }
}

/// `(word, source)` for every word of each source's run (`runs[s]` of `source_words`, no
/// word twice), sorted: counted by word, then filled in source order.
fn by_word(
    word_count: usize,
    source_words: &[u32],
    runs: &[std::ops::Range<usize>],
) -> Vec<(u32, u32)> {
    let mut next = vec![0usize; word_count + 1];
    for run in runs {
        for &word in &source_words[run.clone()] {
            if let Some(count) = next.get_mut(word as usize + 1) {
                *count += 1;
            }
        }
    }
    for word in 0..word_count {
        next[word + 1] += next[word];
    }
    let mut table = vec![(0, 0); next[word_count]];
    for (source, run) in runs.iter().enumerate() {
        for &word in &source_words[run.clone()] {
            if let Some(at) = next.get_mut(word as usize) {
                table[*at] = (word, source as u32);
                *at += 1;
            }
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::index::fixtures::source;

    /// The tables as `SourceFinder::build` made them before: each source's words as strings,
    /// a dictionary of them hashed, and every table sorted.
    fn simple_tables(sources: &[SourceInfo]) -> WordTables {
        fn author_words(source: &SourceInfo) -> Vec<String> {
            let mut words: Vec<String> = source
                .authors
                .iter()
                .flat_map(|author| terms::words(&keys::last_name_joined(author)))
                .collect();
            words.sort_unstable();
            words.dedup();
            words
        }
        fn title_words(title: &str) -> Vec<String> {
            let mut words: Vec<String> = terms::words(title)
                .into_iter()
                .filter(|word| !terms::is_stop_word(word))
                .collect();
            words.sort_unstable();
            words.dedup();
            words
        }
        let per_source: Vec<(Vec<String>, Vec<String>)> = sources
            .iter()
            .map(|source| (author_words(source), title_words(&source.title)))
            .collect();
        let mut words: Vec<&str> = per_source
            .iter()
            .flat_map(|(authors, titles)| authors.iter().chain(titles))
            .map(String::as_str)
            .collect();
        words.sort_unstable();
        words.dedup();
        let id = |word: &String| words.binary_search(&word.as_str()).unwrap_or(0) as u32;
        let mut tables = WordTables::default();
        for (index, (author_words, title_words)) in per_source.iter().enumerate() {
            tables
                .source_word_starts
                .push(tables.source_words.len() as u32);
            for word in author_words {
                tables.authors.push((id(word), index as u32));
                tables.source_words.push(id(word));
            }
            for word in title_words {
                tables.titles.push((id(word), index as u32));
                tables.source_words.push(id(word));
            }
        }
        tables
            .source_word_starts
            .push(tables.source_words.len() as u32);
        for table in [&mut tables.authors, &mut tables.titles] {
            table.sort_unstable();
            table.dedup();
        }
        tables.words = words.into_iter().map(Box::from).collect();
        tables
    }

    fn infos(sources: Vec<(Vec<String>, String)>) -> Vec<SourceInfo> {
        sources
            .into_iter()
            .map(|(authors, title)| {
                let authors: Vec<&str> = authors.iter().map(String::as_str).collect();
                SourceInfo::new(source("key", &authors, "2020", &title, &[]))
            })
            .collect()
    }

    /// Words of names and titles, separators and stop words, in several cases and scripts.
    macro_rules! words {
        () => {
            "(The|the|of|Berman|berman|Ilan|I\\.|de|la|Cruz|Jr\\.|Søgaard|Tromsø|Tromso|TROMSO|北京|a|Drones|drones|x{17}|,| |  |\u{a0}|-|’|2023)"
        };
    }

    proptest! {
        #[test]
        fn the_tables_are_the_simple_ones(
            sources in prop::collection::vec(
                (
                    prop::collection::vec(concat!(words!(), "{0,6}"), 0..3),
                    concat!(words!(), "{0,10}"),
                ),
                0..8,
            ),
        ) {
            let sources = infos(sources);
            prop_assert_eq!(word_tables(&sources), simple_tables(&sources));
        }
    }

    #[test]
    fn a_stop_word_of_a_title_is_a_word_of_a_name() {
        let sources = infos(vec![
            (
                vec!["Ana Of".to_string()],
                "Of Ports and the Sea".to_string(),
            ),
            (vec![], "The Sea".to_string()),
        ]);
        let tables = word_tables(&sources);
        assert_eq!(tables, simple_tables(&sources));
        assert_eq!(&*tables.words, ["of", "ports", "sea"].map(Box::from));
    }
}
