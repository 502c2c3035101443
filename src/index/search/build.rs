//! Building the paragraph search index in parallel: each chunk of sources is tokenised into
//! its own sorted postings, then ranges of the term space are merged in parallel and laid end
//! to end. Knows the layout of `Dictionary`, not how it is queried.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Range;

use rayon::prelude::*;

use super::chunk::{Chunk, index_chunk};
use super::varint;
use super::{Dictionary, ParagraphSearch};
use crate::corpus::Source;

/// Chunks per worker thread in each call of `add`: one, since every chunk repeats the
/// dictionary of its terms, and fewer, larger chunks merge faster and in less memory (the
/// indexer's batches already keep the cores evenly busy).
const CHUNKS_PER_THREAD: usize = 1;
/// Below this much text a chunk costs more to merge than it saves.
const SMALLEST_CHUNK_BYTES: usize = 1 << 20;
/// Term ranges per worker thread for the merge.
const PARTS_PER_THREAD: usize = 8;

/// The paragraph search of sources given a batch at a time, in the index's order: each batch
/// is tokenised into chunks when it comes, so that its texts can go before the next is
/// read, and the chunks are merged once all have come.
pub struct SearchBuilder {
    chunks: Vec<Chunk>,
    first_paragraph: Vec<u32>,
    paragraphs: u32,
    smallest_chunk: usize,
}

impl Default for SearchBuilder {
    fn default() -> Self {
        SearchBuilder::with_smallest_chunk(SMALLEST_CHUNK_BYTES)
    }
}

impl SearchBuilder {
    /// `smallest_chunk` in bytes of text; tests make it tiny to exercise the merge.
    pub(super) fn with_smallest_chunk(smallest_chunk: usize) -> SearchBuilder {
        SearchBuilder {
            chunks: Vec::new(),
            first_paragraph: Vec::new(),
            paragraphs: 0,
            smallest_chunk,
        }
    }

    /// Tokenises the paragraphs of the next `sources`, in parallel.
    pub fn add(&mut self, sources: &[Source]) {
        let first = self.first_paragraph.len();
        for source in sources {
            self.first_paragraph.push(self.paragraphs);
            let count = u32::try_from(source.paragraphs.len()).unwrap_or(u32::MAX);
            self.paragraphs = self.paragraphs.saturating_add(count);
        }
        let first_paragraph = &self.first_paragraph[first..];
        let chunks: Vec<Chunk> = chunk_ranges(sources, self.smallest_chunk)
            .into_par_iter()
            .map(|range| index_chunk(&sources[range.clone()], first_paragraph[range.start]))
            .collect();
        self.chunks.extend(chunks);
    }

    /// The search over every paragraph added, the chunks merged on every core.
    pub fn finish(self) -> ParagraphSearch {
        let SearchBuilder {
            chunks,
            mut first_paragraph,
            paragraphs,
            ..
        } = self;
        first_paragraph.push(paragraphs);
        let lengths: Vec<u16> = chunks
            .iter()
            .flat_map(|chunk| chunk.lengths.iter().copied())
            .collect();
        let total: u64 = lengths.iter().map(|&length| u64::from(length)).sum();
        let average_length = if lengths.is_empty() {
            1.0
        } else {
            (total as f64 / lengths.len() as f64).max(1.0) as f32
        };

        let parts: Vec<Part> = term_ranges(&chunks)
            .into_par_iter()
            .map(|(low, high)| merge_part(&chunks, low.as_deref(), high.as_deref()))
            .collect();
        drop(chunks);

        ParagraphSearch {
            dictionary: concatenate(parts),
            lengths,
            first_paragraph,
            average_length,
            scratch: Default::default(),
        }
    }
}

/// Contiguous ranges of sources with about the same amount of text each.
fn chunk_ranges(sources: &[Source], smallest_chunk: usize) -> Vec<Range<usize>> {
    let total: usize = sources.iter().map(|source| source.text.len()).sum();
    let wanted = rayon::current_num_threads().max(1) * CHUNKS_PER_THREAD;
    let target = (total / wanted).max(smallest_chunk);
    runs_of_about(sources.iter().map(|source| source.text.len()), target)
}

/// Consecutive runs of items whose `sizes` add up to about `target` each (the last may be
/// smaller), as ranges of their indices.
pub fn runs_of_about(sizes: impl IntoIterator<Item = usize>, target: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut size = 0usize;
    let mut count = 0;
    for (index, item) in sizes.into_iter().enumerate() {
        count = index + 1;
        size = size.saturating_add(item);
        if size >= target {
            ranges.push(start..count);
            start = count;
            size = 0;
        }
    }
    if start < count {
        ranges.push(start..count);
    }
    ranges
}

/// Split points of the term space, sampled from the chunk with the most terms, so that the
/// merge can run on every core: `(None, Some(a))`, `(Some(a), Some(b))`, …, `(Some(z), None)`.
fn term_ranges(chunks: &[Chunk]) -> Vec<(Option<String>, Option<String>)> {
    let parts = rayon::current_num_threads().max(1) * PARTS_PER_THREAD;
    let mut splits: Vec<String> = Vec::new();
    if let Some(largest) = chunks.iter().max_by_key(|chunk| chunk.len()) {
        let step = largest.len() / parts;
        if step > 0 {
            splits = (1..parts)
                .map(|part| largest.term(part * step).to_string())
                .collect();
            splits.dedup();
        }
    }
    let mut ranges = Vec::with_capacity(splits.len() + 1);
    let mut low = None;
    for split in splits {
        ranges.push((low, Some(split.clone())));
        low = Some(split);
    }
    ranges.push((low, None));
    ranges
}

/// A contiguous range of the final dictionary; offsets relative to the part.
struct Part {
    terms: String,
    term_ends: Vec<u32>,
    postings: Vec<u8>,
    posting_ends: Vec<u64>,
    doc_freq: Vec<u32>,
}

fn merge_part(chunks: &[Chunk], low: Option<&str>, high: Option<&str>) -> Part {
    let mut heads: Vec<Range<usize>> = chunks
        .iter()
        .map(|chunk| {
            let start = low.map_or(0, |low| {
                partition(chunk.len(), |index| chunk.term(index) < low)
            });
            let end = high.map_or(chunk.len(), |high| {
                partition(chunk.len(), |index| chunk.term(index) < high)
            });
            start..end
        })
        .collect();
    let mut queue: BinaryHeap<Reverse<(&str, usize)>> = heads
        .iter()
        .enumerate()
        .filter(|(_, range)| !range.is_empty())
        .map(|(number, range)| Reverse((chunks[number].term(range.start), number)))
        .collect();

    // Sized from the chunks' ranges, so that no vector is copied as it grows: the postings
    // are at most theirs (each first gap re-encoded is no longer than the id it replaces);
    // the terms at least the largest chunk's, as most terms are in every chunk.
    let (mut terms, mut term_bytes, mut posting_bytes) = (0, 0, 0);
    for (chunk, range) in chunks.iter().zip(&heads) {
        let (term_len, posting_len) = chunk.bytes_of(range);
        terms = terms.max(range.len());
        term_bytes = term_bytes.max(term_len);
        posting_bytes += posting_len;
    }
    let mut part = Part {
        terms: String::with_capacity(term_bytes),
        term_ends: Vec::with_capacity(terms),
        postings: Vec::with_capacity(posting_bytes),
        posting_ends: Vec::with_capacity(terms),
        doc_freq: Vec::with_capacity(terms),
    };
    // Chunks hold increasing paragraph ids, and equal terms pop in chunk order.
    let mut current: Option<&str> = None;
    let mut last = 0u32;
    while let Some(Reverse((term, number))) = queue.pop() {
        let chunk = &chunks[number];
        let index = heads[number].start;
        heads[number].start += 1;
        if heads[number].start < heads[number].end {
            queue.push(Reverse((chunk.term(heads[number].start), number)));
        }
        if current != Some(term) {
            if current.is_some() {
                part.posting_ends.push(part.postings.len() as u64);
            }
            part.terms.push_str(term);
            part.term_ends.push(part.terms.len() as u32);
            part.doc_freq.push(0);
            current = Some(term);
            last = 0;
        }
        let bytes = chunk.postings(index);
        let mut at = 0;
        let first = varint::read(bytes, &mut at).unwrap_or(0);
        varint::write(&mut part.postings, first.saturating_sub(last));
        part.postings.extend_from_slice(&bytes[at..]);
        last = chunk.last[index];
        if let Some(doc_freq) = part.doc_freq.last_mut() {
            *doc_freq += chunk.doc_freq[index];
        }
    }
    if current.is_some() {
        part.posting_ends.push(part.postings.len() as u64);
    }
    part
}

fn concatenate(parts: Vec<Part>) -> Dictionary {
    let terms_len: usize = parts.iter().map(|part| part.terms.len()).sum();
    let postings_len: usize = parts.iter().map(|part| part.postings.len()).sum();
    let count: usize = parts.iter().map(|part| part.term_ends.len()).sum();
    let mut dictionary = Dictionary {
        terms: String::with_capacity(terms_len),
        term_starts: Vec::with_capacity(count + 1),
        postings: Vec::with_capacity(postings_len),
        posting_starts: Vec::with_capacity(count + 1),
        doc_freq: Vec::with_capacity(count),
    };
    dictionary.term_starts.push(0);
    dictionary.posting_starts.push(0);
    // Parts are consumed one by one, so the merge's copy is freed as the final one fills.
    for part in parts {
        let term_base = dictionary.terms.len() as u32;
        let posting_base = dictionary.postings.len() as u64;
        dictionary.terms.push_str(&part.terms);
        dictionary.postings.extend_from_slice(&part.postings);
        dictionary
            .term_starts
            .extend(part.term_ends.iter().map(|end| term_base + end));
        dictionary
            .posting_starts
            .extend(part.posting_ends.iter().map(|end| posting_base + end));
        dictionary.doc_freq.extend_from_slice(&part.doc_freq);
    }
    dictionary
}

/// The first index in `0..len` where `before` turns false (it must be true, then false).
fn partition(len: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (0, len);
    while low < high {
        let middle = low + (high - low) / 2;
        if before(middle) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    low
}
