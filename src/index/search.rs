//! Content search over every paragraph of the corpus: an inverted index ranked with BM25.
//! Knows sources only as numbered paragraphs of text; nothing of briefs, citations or LSP.
//!
//! Layout, chosen to stay compact at 100k sources (see `heap_bytes`):
//! - paragraphs get global ids `0..n` in (source, paragraph) order; `first_paragraph[s]` is the
//!   id of source `s`'s paragraph 1, so an id maps back by binary search;
//! - the dictionary is every term, sorted, in one `String` with `u32` starts (a term is found by
//!   binary search, a prefix is a contiguous range);
//! - a term's postings are `(gap, count)` varint pairs in one shared `Vec<u8>`;
//! - `lengths` keeps each paragraph's term count as a `u16` for BM25's length normalisation.
//!
//! A query is evaluated term at a time into a pooled per-paragraph accumulator (only touched
//! entries are reset), most selective word first; once the best `limit` scores beat what the
//! remaining words could add, those words only update paragraphs already found (the
//! "continue" strategy of Moffat and Zobel). The best `limit` go through a bounded heap.

mod build;
mod chunk;
mod postings;
mod term_numbers;
mod varint;
mod word_table;

pub use build::{SearchBuilder, runs_of_about};

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fmt;
use std::ops::Range;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::corpus::Source;
use crate::index::terms;

/// BM25's saturation of repeated terms and its length normalisation, the usual values.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// A word being typed is matched as a prefix only from this length: one letter matches half
/// the dictionary and tells nothing.
const SHORTEST_PREFIX: usize = 2;
/// How many dictionary terms a prefix may stand for (the most frequent win), and how many it
/// looks at to choose them, so that a short prefix stays fast at 100k sources.
const PREFIX_TERMS: usize = 16;
const PREFIX_SCAN: usize = 1 << 16;
const PREFIX_POSTINGS: u64 = 1 << 19;

/// A paragraph that matches a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Index of the source in the index's sources.
    pub source: u32,
    /// The paragraph's number, from 1.
    pub paragraph: u32,
    pub score: f32,
}

#[derive(Default, Serialize, Deserialize)]
pub struct ParagraphSearch {
    dictionary: Dictionary,
    /// Terms kept per paragraph, by paragraph id (saturating).
    #[serde(with = "super::packed")]
    lengths: Vec<u16>,
    /// Per source, the id of its first paragraph; one more entry holds the total.
    #[serde(with = "super::packed")]
    first_paragraph: Vec<u32>,
    average_length: f32,
    #[serde(skip)]
    scratch: Mutex<Vec<Scratch>>,
}

#[derive(Default, Serialize, Deserialize)]
struct Dictionary {
    terms: String,
    /// `terms[term_starts[i]..term_starts[i + 1]]` is term `i`.
    #[serde(with = "super::packed")]
    term_starts: Vec<u32>,
    /// In the snapshot, a section of its own (read without a copy in between).
    #[serde(skip)]
    postings: Vec<u8>,
    #[serde(with = "super::packed")]
    posting_starts: Vec<u64>,
    #[serde(with = "super::packed")]
    doc_freq: Vec<u32>,
}

impl Dictionary {
    fn len(&self) -> usize {
        self.doc_freq.len()
    }

    fn term(&self, index: usize) -> &str {
        let start = self.term_starts[index] as usize;
        let end = self.term_starts[index + 1] as usize;
        &self.terms[start..end]
    }

    fn postings(&self, index: usize) -> &[u8] {
        let start = usize::try_from(self.posting_starts[index]).unwrap_or(usize::MAX);
        let end = usize::try_from(self.posting_starts[index + 1]).unwrap_or(usize::MAX);
        self.postings.get(start..end).unwrap_or(&[])
    }

    fn find(&self, term: &str) -> Option<usize> {
        let index = self.partition(|candidate| candidate < term);
        (index < self.len() && self.term(index) == term).then_some(index)
    }

    /// The terms that start with `prefix`: contiguous, since the dictionary is sorted.
    fn with_prefix(&self, prefix: &str) -> Range<usize> {
        let start = self.partition(|candidate| candidate < prefix);
        let end = self.partition(|candidate| candidate < prefix || candidate.starts_with(prefix));
        start..end.max(start)
    }

    fn partition(&self, before: impl Fn(&str) -> bool) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if before(self.term(middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }
}

impl ParagraphSearch {
    /// Indexes every paragraph of `sources`, in parallel.
    pub fn build(sources: &[Source]) -> ParagraphSearch {
        let mut builder = SearchBuilder::default();
        builder.add(sources);
        builder.finish()
    }

    /// Every term's postings, one after the other: the snapshot stores them apart.
    pub(super) fn postings(&self) -> &[u8] {
        &self.dictionary.postings
    }

    /// Puts back the postings read from a snapshot.
    pub(super) fn set_postings(&mut self, postings: Vec<u8>) {
        self.dictionary.postings = postings;
    }

    /// The `limit` paragraphs that best match `query`, best first; equal scores in source and
    /// paragraph order. A last word with no space after it is the word being typed and also
    /// matches as a prefix (`kamikaze dro` finds `drones`). Stop words match nothing.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        if limit == 0 || self.lengths.is_empty() {
            return Vec::new();
        }
        let mut groups = self.scored_groups(query);
        if groups.is_empty() {
            return Vec::new();
        }
        // Most promising first, so that the bound below can stop scoring early.
        groups.sort_by(|a, b| b.bound.total_cmp(&a.bound));

        let mut scratch = self.take_scratch();
        let Scratch {
            score,
            touched,
            in_group,
            group_touched,
        } = &mut scratch;
        score.resize(self.lengths.len(), 0.0);
        let mut update_only = false;
        for (position, group) in groups.iter().enumerate() {
            // Once the `limit`-th best score so far beats anything a paragraph not yet seen
            // could still reach, the remaining terms only add to paragraphs already seen.
            if !update_only && position > 0 && touched.len() >= limit {
                let remaining: f32 = groups[position..].iter().map(|g| g.bound).sum();
                update_only = remaining < kth_best(score, touched, limit);
            }
            if let [(term, idf)] = group.terms.as_slice() {
                self.for_each_posting(*term, *idf, |paragraph, value| {
                    let slot = &mut score[paragraph as usize];
                    if *slot == 0.0 {
                        if update_only {
                            return;
                        }
                        touched.push(paragraph);
                    }
                    *slot += value;
                });
            } else {
                // A typed prefix: a paragraph scores its best expansion, not their sum.
                in_group.resize(self.lengths.len(), 0.0);
                for &(term, idf) in &group.terms {
                    self.for_each_posting(term, idf, |paragraph, value| {
                        if update_only && score[paragraph as usize] == 0.0 {
                            return;
                        }
                        let slot = &mut in_group[paragraph as usize];
                        if *slot == 0.0 {
                            group_touched.push(paragraph);
                        }
                        *slot = slot.max(value);
                    });
                }
                for &paragraph in group_touched.iter() {
                    let slot = &mut score[paragraph as usize];
                    if *slot == 0.0 {
                        touched.push(paragraph);
                    }
                    *slot += std::mem::take(&mut in_group[paragraph as usize]);
                }
                group_touched.clear();
            }
        }

        let mut top: BinaryHeap<Ranked> = BinaryHeap::with_capacity(limit.min(1024) + 1);
        for &paragraph in touched.iter() {
            let ranked = Ranked {
                score: std::mem::take(&mut score[paragraph as usize]),
                paragraph,
            };
            if top.len() < limit {
                top.push(ranked);
            } else if top.peek().is_some_and(|worst| ranked < *worst) {
                top.pop();
                top.push(ranked);
            }
        }
        touched.clear();
        self.return_scratch(scratch);
        top.into_sorted_vec()
            .into_iter()
            .filter_map(|ranked| self.hit(ranked))
            .collect()
    }

    /// Calls `f` with each paragraph that has `term` and the term's BM25 score there.
    #[inline]
    fn for_each_posting(&self, term: usize, idf: f32, mut f: impl FnMut(u32, f32)) {
        let bytes = self.dictionary.postings(term);
        let scale = K1 / self.average_length;
        let mut at = 0;
        let mut paragraph = 0u32;
        while let (Some(gap), Some(count)) =
            (varint::read(bytes, &mut at), varint::read(bytes, &mut at))
        {
            // The first gap is the absolute id, since `paragraph` starts at 0.
            paragraph = paragraph.wrapping_add(gap);
            let Some(&length) = self.lengths.get(paragraph as usize) else {
                return;
            };
            let norm = K1 * (1.0 - B) + scale * B * f32::from(length);
            let count = count as f32;
            f(paragraph, idf * count * (K1 + 1.0) / (count + norm));
        }
    }

    fn take_scratch(&self) -> Scratch {
        self.scratch
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop())
            .unwrap_or_default()
    }

    fn return_scratch(&self, scratch: Scratch) {
        if let Ok(mut pool) = self.scratch.lock() {
            pool.push(scratch);
        }
    }

    /// The bytes this index holds on the heap (capacities, not lengths), with the work space
    /// pooled for queries (two floats a paragraph per concurrent query at most).
    pub fn heap_bytes(&self) -> usize {
        let dictionary = &self.dictionary;
        let scratch: usize = self.scratch.lock().map_or(0, |pool| {
            pool.iter()
                .map(|scratch| {
                    (scratch.score.capacity() + scratch.in_group.capacity()) * size_of::<f32>()
                        + (scratch.touched.capacity() + scratch.group_touched.capacity())
                            * size_of::<u32>()
                })
                .sum()
        });
        dictionary.terms.capacity()
            + dictionary.term_starts.capacity() * size_of::<u32>()
            + dictionary.postings.capacity()
            + dictionary.posting_starts.capacity() * size_of::<u64>()
            + dictionary.doc_freq.capacity() * size_of::<u32>()
            + self.lengths.capacity() * size_of::<u16>()
            + self.first_paragraph.capacity() * size_of::<u32>()
            + scratch
    }

    /// Distinct terms in the dictionary.
    pub fn term_count(&self) -> usize {
        self.dictionary.len()
    }

    pub fn paragraph_count(&self) -> usize {
        self.lengths.len()
    }

    /// One group of dictionary terms per query word: the word's term, and for the word being
    /// typed the terms it is a prefix of. A paragraph scores the best term of each group.
    fn scored_groups(&self, query: &str) -> Vec<Group> {
        let paragraphs = self.lengths.len() as f32;
        self.query_groups(query)
            .into_iter()
            .map(|terms| {
                let terms: Vec<(usize, f32)> = terms
                    .into_iter()
                    .map(|term| {
                        let doc_freq = self.dictionary.doc_freq[term] as f32;
                        let idf = (1.0 + (paragraphs - doc_freq + 0.5) / (doc_freq + 0.5)).ln();
                        (term, idf)
                    })
                    .collect();
                // BM25 never gives a term more than idf × (k1 + 1).
                let bound = terms.iter().map(|&(_, idf)| idf).fold(0.0, f32::max) * (K1 + 1.0);
                Group { terms, bound }
            })
            .collect()
    }

    fn query_groups(&self, query: &str) -> Vec<Vec<usize>> {
        let words = terms::words(query);
        let open = query.chars().next_back().is_some_and(terms::is_word_char);
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (position, word) in words.iter().enumerate() {
            let Some(term) = terms::term(word) else {
                continue;
            };
            let mut group: Vec<usize> = self.dictionary.find(&term).into_iter().collect();
            if open && position + 1 == words.len() && word.len() >= SHORTEST_PREFIX {
                self.expand_prefix(word, &mut group);
            }
            group.sort_unstable();
            group.dedup();
            if !group.is_empty() && !groups.contains(&group) {
                groups.push(group);
            }
        }
        groups
    }

    fn expand_prefix(&self, prefix: &str, group: &mut Vec<usize>) {
        let range = self.dictionary.with_prefix(prefix);
        let end = range.end.min(range.start.saturating_add(PREFIX_SCAN));
        let mut candidates: Vec<usize> = (range.start..end).collect();
        let by_frequency = |a: &usize, b: &usize| {
            let (a_freq, b_freq) = (self.dictionary.doc_freq[*a], self.dictionary.doc_freq[*b]);
            b_freq.cmp(&a_freq).then(a.cmp(b))
        };
        if candidates.len() > PREFIX_TERMS {
            candidates.select_nth_unstable_by(PREFIX_TERMS, by_frequency);
            candidates.truncate(PREFIX_TERMS);
        }
        candidates.sort_unstable_by(by_frequency);
        // The most frequent expansion always; the others while their postings stay within
        // budget, since a query reads every posting of every term.
        let mut postings = 0u64;
        for (position, term) in candidates.into_iter().enumerate() {
            postings += u64::from(self.dictionary.doc_freq[term]);
            if position > 0 && postings > PREFIX_POSTINGS {
                break;
            }
            group.push(term);
        }
    }

    fn hit(&self, ranked: Ranked) -> Option<Hit> {
        // The last source whose first paragraph is at or before this one, skipping sources
        // with no paragraphs (they share their first id with the next source).
        let after = self
            .first_paragraph
            .partition_point(|&first| first <= ranked.paragraph);
        let source = after.checked_sub(1)?;
        let first = *self.first_paragraph.get(source)?;
        Some(Hit {
            source: u32::try_from(source).ok()?,
            paragraph: ranked.paragraph - first + 1,
            score: ranked.score,
        })
    }
}

impl fmt::Debug for ParagraphSearch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParagraphSearch")
            .field("terms", &self.term_count())
            .field("paragraphs", &self.paragraph_count())
            .field("heap_bytes", &self.heap_bytes())
            .finish()
    }
}

/// The terms of one query word, each with its idf, and the most the word can add to a
/// paragraph's score.
struct Group {
    terms: Vec<(usize, f32)>,
    bound: f32,
}

/// Per-query work space, pooled so that a query does not allocate and zero one float per
/// paragraph of the corpus: only the entries it touched are reset.
#[derive(Default)]
struct Scratch {
    score: Vec<f32>,
    touched: Vec<u32>,
    in_group: Vec<f32>,
    group_touched: Vec<u32>,
}

/// The `limit`-th best score among the touched paragraphs (`touched.len() >= limit > 0`).
fn kth_best(score: &[f32], touched: &[u32], limit: usize) -> f32 {
    let mut scores: Vec<f32> = touched.iter().map(|&p| score[p as usize]).collect();
    let (_, kth, _) = scores.select_nth_unstable_by(limit - 1, |a, b| b.total_cmp(a));
    *kth
}

/// A candidate in the top-k heap, ordered so that the heap's top is the worst kept: lower
/// score, then later paragraph.
#[derive(Clone, Copy)]
struct Ranked {
    score: f32,
    paragraph: u32,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.paragraph.cmp(&other.paragraph))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

#[cfg(test)]
mod tests;
