//! Finding sources for citation-key completion: what the analyst typed after `@` against
//! keys, authors' last names, title words and years, then keys spelled nearly the same.
//! Knows sources' metadata only; nothing of paragraphs, briefs or LSP.
//!
//! Matches come in bands, best first, and a source appears once, in its best band:
//! exact key, key prefix, author last name, title word (exact words before prefixes), year,
//! then fuzzy keys. Every band but the fuzzy one is a range of a sorted table found by binary
//! search, read only until `limit + 1` sources are found: O(log n + limit). The fuzzy band
//! compares only the distinct key names that start with the typed word's first or second
//! letter, so it stays bounded at 100k keys.

mod fuzzy;
mod words;

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::corpus::keys;
use crate::index::SourceInfo;
use crate::index::terms;
use words::{WordTables, word_tables};

/// Sources a filtering word may be checked against before the search gives up and says the
/// list is incomplete.
const MOST_SCANNED: usize = 200_000;

/// Why a source matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchedBy {
    Key,
    KeyPrefix,
    Author,
    Title,
    Year,
    Fuzzy,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SourceMatch {
    /// Index of the source in the index's sources.
    pub source: u32,
    /// Higher is better; results are already in rank order.
    pub score: f32,
    pub matched: MatchedBy,
}

#[derive(Default, Serialize, Deserialize)]
pub struct SourceFinder {
    /// Folded keys (`berman2023`) with their source, sorted.
    keys: Vec<(Box<str>, u32)>,
    /// Distinct words of authors' last names and of titles, sorted.
    words: Vec<Box<str>>,
    /// `(word, source)`, sorted, for last names and for title words.
    authors: Vec<(u32, u32)>,
    titles: Vec<(u32, u32)>,
    /// `(year, source)`, sorted.
    years: Vec<(i32, u32)>,
    /// The words of each source (`source_words[source_word_starts[s]..source_word_starts[s+1]]`),
    /// and its year, for the second and later words typed.
    #[serde(with = "super::packed")]
    source_word_starts: Vec<u32>,
    #[serde(with = "super::packed")]
    source_words: Vec<u32>,
    source_years: Vec<Option<i32>>,
    /// Distinct key names (the letters before the year), sorted: the fuzzy band's candidates.
    names: Vec<Box<str>>,
}

impl SourceFinder {
    pub fn build(sources: &[SourceInfo]) -> SourceFinder {
        // The word tables and the key tables read different fields: each on its own core.
        let (
            WordTables {
                words,
                authors,
                titles,
                source_word_starts,
                source_words,
            },
            (keys, names),
        ) = rayon::join(|| word_tables(sources), || key_tables(sources));

        let source_years: Vec<Option<i32>> = sources
            .iter()
            .map(|source| source.date.as_ref().map(|date| date.first_year()))
            .collect();
        let mut years: Vec<(i32, u32)> = source_years
            .iter()
            .enumerate()
            .filter_map(|(index, year)| Some(((*year)?, index as u32)))
            .collect();
        years.sort_unstable();

        SourceFinder {
            keys,
            words,
            authors,
            titles,
            years,
            source_word_starts,
            source_words,
            source_years,
            names,
        }
    }

    /// The sources `typed` may mean, best first, at most `limit`; `true` when more match than
    /// were returned (LSP's `isIncomplete`). Case and accents do not matter; an empty `typed`
    /// lists sources in key order.
    pub fn find(&self, typed: &str, limit: usize) -> (Vec<SourceMatch>, bool) {
        let mut found = Found {
            matches: Vec::new(),
            seen: HashSet::new(),
            limit,
            full: false,
        };
        let folded = keys::fold(typed);
        let words = terms::words(typed);

        // Key bands: the whole text, spaces and punctuation folded away (`Berman 2023`).
        let key_range = self.key_prefix(&folded);
        let mut scanned = 0;
        for (key, source) in &self.keys[key_range.clone()] {
            if **key != *folded {
                break;
            }
            found.add(*source, 1.0, MatchedBy::Key);
        }
        for (key, source) in &self.keys[key_range] {
            if found.full {
                break;
            }
            if **key != *folded {
                found.add(*source, 0.9, MatchedBy::KeyPrefix);
            }
        }

        // Word bands: the first word finds, the others must match too.
        if let Some((first, rest)) = words.split_first() {
            let filters: Vec<Filter> = rest.iter().map(|word| self.filter(word)).collect();
            let keep = |source: u32| filters.iter().all(|filter| self.passes(filter, source));
            let range = self.word_prefix(first);
            let exact = self
                .words
                .get(range.start)
                .is_some_and(|word| **word == **first)
                .then_some(range.start as u32);
            let bands: [Band<'_>; 4] = [
                (&self.authors, true, 0.8, MatchedBy::Author),
                (&self.titles, true, 0.75, MatchedBy::Title),
                (&self.authors, false, 0.7, MatchedBy::Author),
                (&self.titles, false, 0.65, MatchedBy::Title),
            ];
            for (table, exact_band, score, matched) in bands {
                let ids = match (exact_band, exact) {
                    (true, Some(id)) => id..id + 1,
                    (true, None) => continue,
                    (false, Some(id)) => id + 1..range.end as u32,
                    (false, None) => range.start as u32..range.end as u32,
                };
                for &(_, source) in &table[entries(table, &ids)] {
                    if found.full || scanned >= MOST_SCANNED {
                        break;
                    }
                    scanned += 1;
                    if keep(source) {
                        found.add(source, score, matched);
                    }
                }
            }
            if let Some(years) = year_range(first) {
                let start = self.years.partition_point(|&(year, _)| year < years.start);
                let end = self.years.partition_point(|&(year, _)| year < years.end);
                for &(_, source) in &self.years[start..end] {
                    if found.full || scanned >= MOST_SCANNED {
                        break;
                    }
                    scanned += 1;
                    if keep(source) {
                        found.add(source, 0.6, MatchedBy::Year);
                    }
                }
            }
        }

        if !found.full {
            for (score, source) in self.fuzzy(&folded) {
                found.add(source, score, MatchedBy::Fuzzy);
                if found.full {
                    break;
                }
            }
        }
        let incomplete = found.full || scanned >= MOST_SCANNED;
        (found.matches, incomplete)
    }

    /// The bytes this finder holds on the heap (capacities, not lengths; boxed strings at
    /// their length).
    pub fn heap_bytes(&self) -> usize {
        let boxed = |strings: &[Box<str>]| strings.iter().map(|s| s.len()).sum::<usize>();
        self.keys.capacity() * size_of::<(Box<str>, u32)>()
            + self.keys.iter().map(|(key, _)| key.len()).sum::<usize>()
            + self.words.capacity() * size_of::<Box<str>>()
            + boxed(&self.words)
            + (self.authors.capacity() + self.titles.capacity()) * size_of::<(u32, u32)>()
            + self.years.capacity() * size_of::<(i32, u32)>()
            + (self.source_word_starts.capacity() + self.source_words.capacity()) * size_of::<u32>()
            + self.source_years.capacity() * size_of::<Option<i32>>()
            + self.names.capacity() * size_of::<Box<str>>()
            + boxed(&self.names)
    }

    /// The source whose key is spelled nearest `key` (at most `most` edits; case and
    /// accents do not matter), nearest first, then in key order. Like the fuzzy band, it
    /// compares only the keys that start with the first or second letter of `key`: a
    /// changed or lost first letter is not found, but a check stays bounded at 100k keys.
    pub fn nearest_key(&self, key: &str, most: usize) -> Option<u32> {
        let folded = keys::fold(key);
        let mut letters: Vec<u8> = folded.bytes().take(2).collect();
        letters.dedup();
        let mut best: Option<(usize, &str, u32)> = None;
        let mut rows = fuzzy::Rows::default();
        for letter in letters {
            let start = self
                .keys
                .partition_point(|(k, _)| k.as_bytes().first() < Some(&letter));
            let end = self
                .keys
                .partition_point(|(k, _)| k.as_bytes().first() <= Some(&letter));
            for (candidate, source) in &self.keys[start..end] {
                let Some(distance) = rows.distance(&folded, candidate, most) else {
                    continue;
                };
                if best.is_none_or(|(d, k, _)| (distance, &**candidate) < (d, k)) {
                    best = Some((distance, candidate, *source));
                }
            }
        }
        best.map(|(_, _, source)| source)
    }

    fn key_prefix(&self, prefix: &str) -> Range<usize> {
        let start = self.keys.partition_point(|(key, _)| **key < *prefix);
        let end = self
            .keys
            .partition_point(|(key, _)| **key < *prefix || key.starts_with(prefix));
        start..end.max(start)
    }

    fn word_prefix(&self, prefix: &str) -> Range<usize> {
        let start = self.words.partition_point(|word| **word < *prefix);
        let end = self
            .words
            .partition_point(|word| **word < *prefix || word.starts_with(prefix));
        start..end.max(start)
    }

    fn filter(&self, word: &str) -> Filter {
        Filter {
            words: self.word_prefix(word),
            years: year_range(word),
        }
    }

    fn passes(&self, filter: &Filter, source: u32) -> bool {
        let index = source as usize;
        let in_year = filter.years.as_ref().is_some_and(|years| {
            self.source_years
                .get(index)
                .copied()
                .flatten()
                .is_some_and(|year| years.contains(&year))
        });
        let start = self.source_word_starts.get(index).copied().unwrap_or(0) as usize;
        let end = self.source_word_starts.get(index + 1).copied().unwrap_or(0) as usize;
        let words = self.source_words.get(start..end).unwrap_or(&[]);
        in_year
            || words
                .iter()
                .any(|&word| filter.words.contains(&(word as usize)))
    }

    /// Sources whose key is spelled nearly as `typed`: its name part within an edit or two
    /// (a transposition is one), or its letters in order; its year part as typed so far.
    fn fuzzy(&self, typed: &str) -> Vec<(f32, u32)> {
        let name = key_name(typed);
        let rest = &typed[name.len()..];
        if name.len() < 3 {
            return Vec::new();
        }
        let most = if name.len() <= 5 { 1 } else { 2 };
        let mut letters: Vec<u8> = name.bytes().take(2).collect();
        letters.dedup();
        let mut scored: Vec<(f32, &str)> = Vec::new();
        let mut rows = fuzzy::Rows::default();
        for letter in letters {
            let start = self
                .names
                .partition_point(|n| n.as_bytes().first() < Some(&letter));
            let end = self
                .names
                .partition_point(|n| n.as_bytes().first() <= Some(&letter));
            for candidate in &self.names[start..end] {
                let score = match rows.distance(name, candidate, most) {
                    Some(distance) => 0.5 - 0.1 * distance as f32,
                    None if candidate.as_bytes().first() == name.as_bytes().first()
                        && fuzzy::is_subsequence(name, candidate) =>
                    {
                        0.2
                    }
                    None => continue,
                };
                scored.push((score, candidate));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        let mut matches = Vec::new();
        for (score, candidate) in scored {
            for (key, source) in &self.keys[self.key_prefix(candidate)] {
                let after = &key[candidate.len()..];
                // `berman` names `berman2023`, not `bermanis2020`.
                if !after.starts_with(|c: char| c.is_ascii_alphabetic()) && after.starts_with(rest)
                {
                    matches.push((score, *source));
                }
            }
        }
        matches
    }
}

impl fmt::Debug for SourceFinder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceFinder")
            .field("keys", &self.keys.len())
            .field("words", &self.words.len())
            .field("heap_bytes", &self.heap_bytes())
            .finish()
    }
}

/// A `(word, source)` table read for exact words or for longer words, its score and why.
type Band<'a> = (&'a [(u32, u32)], bool, f32, MatchedBy);

/// The results so far, each source once, stopping at one past the limit.
struct Found {
    matches: Vec<SourceMatch>,
    seen: HashSet<u32>,
    limit: usize,
    full: bool,
}

impl Found {
    fn add(&mut self, source: u32, score: f32, matched: MatchedBy) {
        if self.full || !self.seen.insert(source) {
            return;
        }
        if self.matches.len() == self.limit {
            self.full = true;
        } else {
            self.matches.push(SourceMatch {
                source,
                score,
                matched,
            });
        }
    }
}

/// A second or later typed word: the dictionary words it starts, and the years it may be.
struct Filter {
    words: Range<usize>,
    years: Option<Range<i32>>,
}

/// The entries of a `(word, source)` table whose word is in `ids`.
fn entries(table: &[(u32, u32)], ids: &Range<u32>) -> Range<usize> {
    let start = table.partition_point(|&(word, _)| word < ids.start);
    let end = table.partition_point(|&(word, _)| word < ids.end);
    start..end.max(start)
}

/// The years a typed number may be the start of: `20` is 2000–2099, `2023` is 2023.
fn year_range(word: &str) -> Option<Range<i32>> {
    if word.is_empty() || word.len() > 4 || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: i32 = word.parse().ok()?;
    let scale = 10i32.pow(4 - word.len() as u32);
    Some(value * scale..(value + 1) * scale)
}

/// Folded keys with their source.
type Keys = Vec<(Box<str>, u32)>;

/// The folded keys with their sources, sorted, and the distinct key names, sorted.
fn key_tables(sources: &[SourceInfo]) -> (Keys, Vec<Box<str>>) {
    let mut keys: Vec<(Box<str>, u32)> = sources
        .iter()
        .enumerate()
        .map(|(index, source)| (keys::fold(&source.key).into(), index as u32))
        .collect();
    keys.sort_unstable();
    let names = names_of_sorted(&keys);
    (keys, names)
}

/// The distinct names of `keys` (sorted), sorted. A name orders as its key does (it ends
/// where a digit, which sorts before any letter, or the key does), so the names come sorted,
/// equal ones side by side: none is copied twice, and none sorted.
fn names_of_sorted(keys: &[(Box<str>, u32)]) -> Vec<Box<str>> {
    let mut names: Vec<Box<str>> = Vec::new();
    for (key, _) in keys {
        let name = key_name(key);
        if !name.is_empty() && names.last().is_none_or(|last| **last != *name) {
            names.push(name.into());
        }
    }
    names
}

/// The letters a folded key starts with: `berman` in `berman2023a`.
fn key_name(key: &str) -> &str {
    let end = key
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(key.len());
    &key[..end]
}

#[cfg(test)]
mod tests;
