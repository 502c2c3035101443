//! Where the lexicon's forms occur in a text, looked up by their first word rather than
//! walked through an automaton: a hash of the word's letters at each word that may open a
//! form, then a comparison of the rest.
//!
//! The answer is the one an unanchored leftmost-longest Aho-Corasick search gives: the
//! earliest start wins, then the longest form there, the next search starts where a match
//! ends, and only matches on word boundaries are kept. A match inside a word is never kept
//! but hides what it covers (`preoccupied Palestinian territory` hides `Palestinian`), so
//! such matches are looked for too, though only where one could reach past its word.

use std::collections::HashMap;
use std::ops::Range;

use foldhash::fast::FixedState;

use super::first_runs::FirstRuns;
use crate::extract::scan::{ASCII_LETTER_OR_DIGIT, ASCII_NOT_WORD, char_at, run_end};
use crate::extract::tokens::{ProseSkip, Words, tokenize_into};
use crate::extract::words::{is_connector, is_function_word, is_title_modifier};

/// The forms, indexed by their first run of letters and digits (their first word, up to
/// any other character).
pub(super) struct FormIndex {
    /// The forms' bytes, by pattern number.
    forms: Vec<Box<[u8]>>,
    /// By first run (empty for a form that opens with another character): the patterns
    /// that open with it, longest first.
    by_first_run: HashMap<Box<[u8]>, Box<[u32]>, FixedState>,
    /// The same, for the lookup at the start of a word, where most are made.
    first_runs: FirstRuns,
    /// The bytes that open a form that opens with neither letter nor digit, if any does.
    opens_symbol: Option<Box<[bool; 256]>>,
    /// Where a match from inside a word may reach past it.
    crossing: CrossingRuns,
    /// What the name tokenizer may pass over, given these forms.
    pub(super) prose_skip: Option<ProseSkip>,
    /// By pattern: no word of the form is a function word, connector or title word.
    plain: Box<[bool]>,
}

impl FormIndex {
    pub(super) fn new(forms: &[String]) -> FormIndex {
        let mut by_first_run: HashMap<Box<[u8]>, Vec<u32>, FixedState> = HashMap::default();
        let mut opens_symbol = None;
        let mut crossing = CrossingRuns::default();
        for (pattern, form) in (0u32..).zip(forms) {
            let run = &form[..first_run_len(form)];
            if run.is_empty()
                && let Some(&first) = form.as_bytes().first()
            {
                opens_symbol.get_or_insert_with(|| Box::new([false; 256]))[usize::from(first)] =
                    true;
            }
            if !run.is_empty() && run.len() < form.len() {
                crossing.add(form.as_bytes(), run.len());
            }
            by_first_run
                .entry(run.as_bytes().into())
                .or_default()
                .push(pattern);
        }
        let by_first_run = by_first_run
            .into_iter()
            .map(|(run, mut patterns)| {
                patterns.sort_by_key(|&p| std::cmp::Reverse(forms[p as usize].len()));
                (run, patterns.into_boxed_slice())
            })
            .collect();
        let prose_skip = super::prose::prose_skip(forms, first_run_len);
        let mut words = Words::default();
        let plain = forms
            .iter()
            .map(|form| is_plain(form, &mut words))
            .collect();
        let forms: Vec<Box<[u8]>> = forms.iter().map(|f| f.as_bytes().into()).collect();
        let first_runs = FirstRuns::new(&forms, first_run_len_of_bytes);
        FormIndex {
            forms,
            by_first_run,
            first_runs,
            opens_symbol,
            crossing,
            prose_skip,
            plain,
        }
    }

    /// Whether no word of the form of `pattern` is a function word, connector or title
    /// word: a match of it alone is a known name and nothing else.
    pub(super) fn is_plain(&self, pattern: u32) -> bool {
        self.plain.get(pattern as usize).is_some_and(|&plain| plain)
    }

    /// The pattern whose form is `text` exactly.
    pub(super) fn pattern_of(&self, text: &str) -> Option<u32> {
        let run = &text.as_bytes()[..first_run_len(text)];
        self.by_first_run
            .get(run)?
            .iter()
            .copied()
            .find(|&p| *self.forms[p as usize] == *text.as_bytes())
    }

    /// Every form in `text` on word boundaries, as (pattern, range), in order. `runs` are
    /// the runs of letters and digits of `text`, all of them, in order (`runs` or the
    /// tokenizer's): forms are looked up where they start.
    pub(super) fn search(
        &self,
        text: &str,
        runs: impl IntoIterator<Item = Range<usize>>,
        mut found: impl FnMut(u32, Range<usize>),
    ) {
        let bytes = text.as_bytes();
        let mut search = Search {
            text,
            at: 0,
            found: &mut found,
        };
        let mut gap_start = 0;
        for run in runs {
            if self.opens_symbol.is_some() {
                self.search_gap(&mut search, gap_start..run.start);
            }
            if self.crossing.may_start_inside(text, &run) {
                // Rare: every start in the word, as the automaton read them.
                for start in run.clone().filter(|&at| text.is_char_boundary(at)) {
                    if start >= search.at
                        && let Some((pattern, end)) = self.longest_at(text, start, run.end)
                    {
                        search.take(pattern, start..end);
                    }
                }
            } else if run.start >= search.at
                && let Some((pattern, end)) =
                    self.first_runs.longest(&self.forms, bytes, run.clone())
            {
                // A match from inside this word could only end inside it and hide nothing
                // outside: such matches need no look.
                search.take(pattern, run.start..end);
            }
            gap_start = run.end;
        }
        self.search_gap(&mut search, gap_start..text.len());
    }

    /// The forms that open with neither letter nor digit, between two words.
    fn search_gap(
        &self,
        search: &mut Search<'_, '_, impl FnMut(u32, Range<usize>)>,
        gap: Range<usize>,
    ) {
        let Some(opens_symbol) = &self.opens_symbol else {
            return;
        };
        let bytes = search.text.as_bytes();
        for start in gap.filter(|&at| search.text.is_char_boundary(at)) {
            if start >= search.at
                && opens_symbol[usize::from(bytes[start])]
                && let Some((pattern, end)) = self.longest_with_run(bytes, start..start)
            {
                search.take(pattern, start..end);
            }
        }
    }

    /// The longest form at byte `start`, inside the word that ends at `run_end`.
    fn longest_at(&self, text: &str, start: usize, run_end: usize) -> Option<(u32, usize)> {
        let bytes = text.as_bytes();
        self.longest_with_run(bytes, start..run_end).or_else(|| {
            // A form of one word that ends inside this one.
            (start + 1..run_end)
                .rev()
                .filter(|&end| text.is_char_boundary(end))
                .find_map(|end| {
                    let patterns = self.by_first_run.get(&bytes[start..end])?;
                    let shortest = *patterns.last()?;
                    (self.forms[shortest as usize].len() == end - start).then_some((shortest, end))
                })
        })
    }

    /// The longest form whose first run is `bytes[run]`, at `run.start`.
    fn longest_with_run(&self, bytes: &[u8], run: Range<usize>) -> Option<(u32, usize)> {
        let rest = &bytes[run.start..];
        self.by_first_run
            .get(&bytes[run.clone()])?
            .iter()
            .copied()
            .find(|&p| {
                // Most forms that do not match differ in their last byte: no call to compare.
                let form = &self.forms[p as usize];
                rest.get(..form.len())
                    .is_some_and(|head| head.last() == form.last() && head == &**form)
            })
            .map(|p| (p, run.start + self.forms[p as usize].len()))
    }
}

/// Whether no word of `form`, as the name tokenizer reads it (into `words`), is a function
/// word, a connector or a title word.
fn is_plain(form: &str, words: &mut Words) -> bool {
    let plain_word =
        |word: &str| !is_function_word(word) && !is_connector(word) && !is_title_modifier(word);
    // Most forms are one word of letters: no need to cut them into words.
    if form.bytes().all(|b| b.is_ascii_alphabetic()) {
        return plain_word(form);
    }
    tokenize_into(form, 0..form.len(), words);
    words
        .tokens
        .iter()
        .all(|token| plain_word(token.text(form)))
}

/// The state of one search: where the next match may start.
struct Search<'t, 'f, F> {
    text: &'t str,
    at: usize,
    found: &'f mut F,
}

impl<F: FnMut(u32, Range<usize>)> Search<'_, '_, F> {
    /// A match: kept on word boundaries, and the next one starts after it either way.
    #[inline(always)]
    fn take(&mut self, pattern: u32, range: Range<usize>) {
        self.at = range.end;
        if is_word_boundary(self.text, range.start, range.end) {
            (self.found)(pattern, range);
        }
    }
}

#[inline]
pub(super) fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    // Most matches have an ASCII byte on either side: no character to decode.
    let bytes = text.as_bytes();
    let byte_before = start.checked_sub(1).map(|at| bytes[at]);
    let byte_after = bytes.get(end).copied();
    if byte_before.is_none_or(|b| b.is_ascii()) && byte_after.is_none_or(|b| b.is_ascii()) {
        return !byte_before.is_some_and(|b| b.is_ascii_alphanumeric())
            && !byte_after.is_some_and(|b| b.is_ascii_alphanumeric());
    }
    is_char_boundary_of_words(text, start, end)
}

/// `is_word_boundary` by the characters on either side, one of them not ASCII.
#[cold]
fn is_char_boundary_of_words(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// The length of the letters and digits that open `form`.
fn first_run_len(form: &str) -> usize {
    // Most forms are ASCII up to their first space: no character to decode.
    let ascii = form
        .bytes()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(form.len());
    if form.as_bytes().get(ascii).is_none_or(u8::is_ascii) {
        return ascii;
    }
    let rest = &form[ascii..];
    ascii
        + rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len())
}

/// `first_run_len` of a form's bytes, which are a whole `str`.
fn first_run_len_of_bytes(form: &[u8]) -> usize {
    std::str::from_utf8(form).map_or(0, first_run_len)
}

/// The runs of letters and digits of `text`.
pub(super) fn runs(text: &str) -> impl Iterator<Item = Range<usize>> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let run = next_run(text, at)?;
        at = run.end;
        Some(run)
    })
}

/// The next run of letters and digits at or after byte `at`.
fn next_run(text: &str, mut at: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let start = loop {
        // Spaces and punctuation between words, ASCII without decoding.
        at = run_end(bytes, at, &ASCII_NOT_WORD);
        let c = char_at(text, at)?;
        if c.is_alphanumeric() {
            break at;
        }
        at += c.len_utf8();
    };
    let mut end = start;
    loop {
        end = run_end(bytes, end, &ASCII_LETTER_OR_DIGIT);
        match char_at(text, end) {
            Some(c) if !c.is_ascii() && c.is_alphanumeric() => end += c.len_utf8(),
            _ => return Some(start..end),
        }
    }
}

/// The first runs of the forms that go on past them (`United` of `United States`, `U` of
/// `U.S.`): only such a form, found from inside a word, can hide a match after that word.
/// A run must then end the word, and be followed by what follows it in the form.
#[derive(Default)]
struct CrossingRuns {
    /// For each key (`end_key`, hashed), the length of the shortest run that has it (0
    /// for none, at most 255): most words have none, or are such a run themselves
    /// (`European` before `Union`), told by one load.
    shortest: Vec<u8>,
    /// The runs by key.
    by_end: HashMap<u32, Vec<Box<[u8]>>, FixedState>,
}

const END_BITS: u32 = 15;

impl CrossingRuns {
    fn add(&mut self, form: &[u8], run_len: usize) {
        if self.shortest.is_empty() {
            self.shortest = vec![0; 1 << END_BITS];
        }
        let length = u8::try_from(run_len).unwrap_or(u8::MAX);
        let any = || 0..=u8::MAX;
        // The byte before a run of one byte is the word's, whatever it is; so is the byte
        // after a form's last.
        let before_last: Vec<u8> = match run_len {
            1 => any().collect(),
            _ => vec![form[run_len - 2]],
        };
        let next: Vec<u8> = match form.get(run_len + 1) {
            Some(&next) => vec![next],
            None => any().collect(),
        };
        let run: Box<[u8]> = form[..run_len].into();
        for &first in &before_last {
            for &fourth in &next {
                let key = u32::from_le_bytes([first, form[run_len - 1], form[run_len], fourth]);
                let shortest = &mut self.shortest[end_slot(key)];
                if *shortest == 0 || length < *shortest {
                    *shortest = length;
                }
                let runs = self.by_end.entry(key).or_default();
                if !runs.contains(&run) {
                    runs.push(run.clone());
                }
            }
        }
    }

    /// Whether such a run starts inside the word `run` of `text` (and ends it).
    #[inline]
    fn may_start_inside(&self, text: &str, run: &Range<usize>) -> bool {
        let Some(key) = end_key(text.as_bytes(), run) else {
            return false;
        };
        // Only a run shorter than the word starts inside it.
        if self
            .shortest
            .get(end_slot(key))
            .is_none_or(|&shortest| shortest == 0 || run.len() <= usize::from(shortest))
        {
            return false;
        }
        self.starts_inside(text, run, key)
    }

    /// `may_start_inside` for a word longer than some run of its key.
    fn starts_inside(&self, text: &str, run: &Range<usize>, key: u32) -> bool {
        self.by_end.get(&key).is_some_and(|runs| {
            runs.iter().any(|crossing| {
                crossing.len() < run.len()
                    && text.is_char_boundary(run.end - crossing.len())
                    && text.as_bytes()[run.end - crossing.len()..run.end] == **crossing
            })
        })
    }
}

/// The last two bytes of a word of two bytes or more and the two after it (0 past the
/// text's end), as one number.
fn end_key(bytes: &[u8], run: &Range<usize>) -> Option<u32> {
    if run.len() < 2 {
        return None;
    }
    // Most words are followed by two bytes at least: one load.
    if let Some(four) = bytes.get(run.end - 2..run.end + 2) {
        return Some(u32::from_le_bytes(four.try_into().ok()?));
    }
    let [first, second] = *bytes.get(run.end - 2..run.end)? else {
        return None;
    };
    let third = *bytes.get(run.end)?;
    Some(u32::from_le_bytes([first, second, third, 0]))
}

fn end_slot(key: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> (32 - END_BITS)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The ASCII fast path answers as a walk of the characters does.
        #[test]
        fn first_run_len_is_that_of_a_walk_of_characters(form in "[aZ9é ß.\u{300}-]{0,8}") {
            let walked = form
                .find(|c: char| !c.is_alphanumeric())
                .unwrap_or(form.len());
            proptest::prop_assert_eq!(first_run_len(&form), walked);
        }
    }
}
