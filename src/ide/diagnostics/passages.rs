//! The corpus paragraphs a claim is judged by, read once per index, and which of their
//! dates and numbers speak of the same thing as the claim's: those whose sentence shares the
//! most names and terms with the claim's clause, the most precise first.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, Mutex, MutexGuard};

use super::facts::{Facts, SkipRanges, facts};
use crate::extract::quantities::Quantity;
use crate::ide::SourceRange;
use crate::index::Index;
use crate::sentences::sentences;

/// What a paragraph of the corpus states: a brief of many claims asks about the same
/// paragraphs again and again, and so does every edit of it.
pub struct PassageData {
    /// The whole text of the paragraph's source, which the ranges point into.
    pub(super) text: Arc<str>,
    pub(super) facts: Facts,
    pub(super) sentences: Vec<Range<usize>>,
}

/// At most this many paragraphs are kept; past it, the memo starts again (a brief cites a
/// few hundred).
const MOST_PASSAGES: usize = 4096;

/// At most this many unknown keys keep their closest known key.
const MOST_SUGGESTIONS: usize = 1024;

/// The paragraphs read so far, by source and start offset, and the closest known key to each
/// unknown key met. Both depend on the index alone, so one memo serves every check against
/// the same index: the server keeps one per index, across edits; `dossier check` makes one
/// per run.
#[derive(Default)]
pub struct Passages {
    read: Mutex<HashMap<(usize, usize), Arc<PassageData>>>,
    suggestions: Mutex<HashMap<String, Option<String>>>,
}

impl Passages {
    pub(super) fn get(&self, index: &Index, place: &SourceRange) -> Option<Arc<PassageData>> {
        let key = (place.source, place.range.start);
        if let Some(data) = self.lock().get(&key) {
            return Some(Arc::clone(data));
        }
        // Computed outside the lock: two checks may compute one paragraph twice, never wait.
        let source = index.source_at(place.source)?;
        let text = index.text(place.source)?;
        let data = Arc::new(PassageData {
            facts: facts(
                index,
                &text,
                place.range.clone(),
                &SkipRanges::default(),
                source.date.as_ref(),
            ),
            sentences: sentences(&text, place.range.clone()),
            text,
        });
        let mut read = self.lock();
        if read.len() >= MOST_PASSAGES {
            read.clear();
        }
        read.insert(key, Arc::clone(&data));
        Some(data)
    }

    /// The known key closest to an unknown `key`: the same few typos stay in a brief across
    /// many edits, and each costs an edit distance to thousands of keys.
    pub(super) fn closest_key(
        &self,
        key: &str,
        compute: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        if let Some(found) = relock(&self.suggestions).get(key) {
            return found.clone();
        }
        let found = compute();
        let mut suggestions = relock(&self.suggestions);
        if suggestions.len() >= MOST_SUGGESTIONS {
            suggestions.clear();
        }
        suggestions.insert(key.to_string(), found.clone());
        found
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<(usize, usize), Arc<PassageData>>> {
        relock(&self.read)
    }
}

/// A panic elsewhere that poisoned a lock leaves a memo that is still whole.
fn relock<T>(memo: &Mutex<T>) -> MutexGuard<'_, T> {
    memo.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A passage (one paragraph) read for judging: its facts and its sentences.
pub(super) struct Passage {
    pub(super) place: SourceRange,
    pub(super) data: Arc<PassageData>,
}

impl Passage {
    pub(super) fn text(&self) -> &str {
        &self.data.text
    }

    /// How much the sentence of the passage around `at` shares with `claim` (the facts of
    /// the claim's clause).
    pub(super) fn context(&self, at: &Range<usize>, claim: &Facts) -> usize {
        let Some(sentence) = self
            .data
            .sentences
            .iter()
            .find(|s| s.start <= at.start && at.end <= s.end)
        else {
            return 0;
        };
        let inside = |r: &Range<usize>| sentence.start <= r.start && r.end <= sentence.end;
        let claim_entities = claim.entity_set();
        let entities: HashSet<usize> = self
            .data
            .facts
            .entities
            .iter()
            .filter(|m| inside(&m.range) && claim_entities.contains(&m.entity))
            .map(|m| m.entity)
            .collect();
        let claim_terms = claim.term_set();
        let terms: HashSet<&str> = self
            .data
            .facts
            .terms
            .iter()
            .filter(|(r, t)| inside(r) && claim_terms.iter().any(|c| terms_meet(c, t)))
            .map(|(_, t)| t.as_str())
            .collect();
        entities.len() + terms.len()
    }
}

pub(super) enum Outcome<'p> {
    Agrees,
    Disagrees(&'p Passage, Range<usize>),
    Absent,
}

/// A candidate for "the same thing": a passage, the range of its date or number, whether it
/// agrees with the claim's, and how precise it is (smaller is more precise).
pub(super) type Candidate<'p> = (&'p Passage, &'p Range<usize>, bool, i64);

/// Of the passage's dates or numbers, those whose sentence shares the most with the claim's
/// clause speak of the same thing, and of those the most precise: the claim agrees when one
/// of them agrees with it. With no overlap at all, any agreeing one will do; else the first
/// is what the passage says instead.
pub(super) fn same_thing<'p>(candidates: &[Candidate<'p>], clause: &Facts) -> Outcome<'p> {
    if candidates.is_empty() {
        return Outcome::Absent;
    }
    let scored: Vec<(usize, &Candidate)> = candidates
        .iter()
        .map(|c| (c.0.context(c.1, clause), c))
        .collect();
    let best = scored.iter().map(|(score, _)| *score).max().unwrap_or(0);
    if best == 0 {
        if candidates.iter().any(|c| c.2) {
            return Outcome::Agrees;
        }
        return candidates
            .first()
            .map_or(Outcome::Absent, |c| Outcome::Disagrees(c.0, c.1.clone()));
    }
    let precision = scored
        .iter()
        .filter(|(s, _)| *s == best)
        .map(|(_, c)| c.3)
        .min()
        .unwrap_or(0);
    let closest: Vec<&Candidate> = scored
        .iter()
        .filter(|(s, c)| *s == best && c.3 == precision)
        .map(|(_, c)| *c)
        .collect();
    if closest.iter().any(|c| c.2) {
        return Outcome::Agrees;
    }
    match closest.first() {
        Some((passage, at, _, _)) => Outcome::Disagrees(passage, (*at).clone()),
        None => Outcome::Absent,
    }
}

/// The claim's facts in the clause around `at`: clauses end at `,`, `;` and at ` and ` /
/// ` while ` / ` but ` between them, so that in "founded in 1975, and Mercosur in 1991"
/// each date keeps its own names.
pub(super) fn clause_facts(text: &str, claim: &Facts, at: &Range<usize>) -> Facts {
    let bounds = claim
        .entities
        .iter()
        .map(|m| m.range.clone())
        .chain(claim.terms.iter().map(|(r, _)| r.clone()))
        .chain(claim.dates.iter().map(|(r, _)| r.clone()))
        .fold(at.clone(), |all, r| {
            all.start.min(r.start)..all.end.max(r.end)
        });
    let sentence = text.get(bounds.clone()).unwrap_or("");
    let mut start = bounds.start;
    let mut end = bounds.end;
    for separator in [",", ";", " and ", " while ", " but ", " whereas "] {
        for (offset, _) in sentence.match_indices(separator) {
            let position = bounds.start + offset;
            if position + separator.len() <= at.start {
                start = start.max(position + separator.len());
            } else if position >= at.end {
                end = end.min(position);
            }
        }
    }
    let inside = |r: &Range<usize>| start <= r.start && r.end <= end;
    Facts {
        entities: claim
            .entities
            .iter()
            .filter(|m| inside(&m.range))
            .cloned()
            .collect(),
        dates: Vec::new(),
        quantities: Vec::new(),
        terms: claim
            .terms
            .iter()
            .filter(|(r, _)| inside(r))
            .cloned()
            .collect(),
    }
}

/// Quantities that could be of the same thing: the same unit, or both bare numbers of a
/// like size.
pub(super) fn comparable(claim: &Quantity, passage: &Quantity) -> bool {
    match (&claim.unit, &passage.unit) {
        (Some(a), Some(b)) => a == b,
        (None, None) => {
            let (a, b) = (claim.value.abs().max(1e-9), passage.value.abs().max(1e-9));
            (a / b).max(b / a) <= 100.0
        }
        _ => false,
    }
}

/// Two quantities agree when they are the same amount and neither names a different unit
/// (`nine and a half million people` and a population of `nine-and-a-half million`).
pub(super) fn amounts_agree(claim: &Quantity, passage: &Quantity) -> bool {
    let scale = claim.value.abs().max(passage.value.abs()).max(1.0);
    let same_value = (claim.value - passage.value).abs() <= scale * 1e-9;
    same_value && (claim.unit == passage.unit || claim.unit.is_none() || passage.unit.is_none())
}

/// Stems meet when equal, or when one begins the other and shares five letters
/// (`president`, `presidency`).
pub(super) fn terms_meet(a: &str, b: &str) -> bool {
    a == b || (a.len().min(b.len()) >= 5 && (a.starts_with(b) || b.starts_with(a)))
}
