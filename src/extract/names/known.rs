//! The known names of a paragraph as the name reader meets them: which covers each word,
//! which lie inside some words, and the runs that are known names and nothing else. Asked
//! of every word and run: inline in the reader (`#[inline]`), as they were in its module.

use std::cell::Cell;
use std::ops::Range;

use super::Candidate;
use crate::extract::lexicon::{Form, KnownMatch};
use crate::extract::tokens::{Gap, Token};
use crate::extract::words::{head_kind, is_organization_suffix};

/// The known names of a paragraph, and which covers each of its words.
pub(super) struct KnownNames<'k, 'l> {
    /// In order, never overlapping.
    pub(super) matches: &'k [KnownMatch<'l>],
    /// For each word, the match that covers it: read in one pass over words and matches,
    /// where a binary search for each question cost more than the tokenizing.
    pub(super) covering: &'k [Option<u32>],
    /// No match before this one is inside the words asked about next (`emit_known_in`):
    /// they come in order.
    pub(super) next: Cell<usize>,
}

impl<'k, 'l> KnownNames<'k, 'l> {
    /// The known name that covers word `token`.
    #[inline]
    pub(super) fn covering(&self, token: usize) -> Option<&'k KnownMatch<'l>> {
        let index = self.covering.get(token).copied().flatten()?;
        self.matches.get(usize::try_from(index).ok()?)
    }
}

/// For each of `tokens`, the one of `known` that covers it. The matches are in order and
/// never overlap, and so are the words: each match covers the words from the first that
/// starts inside it to the last that ends inside it. Most words are in no match, so the
/// words are looked at only around the matches.
#[inline]
pub(super) fn cover(tokens: &[Token], known: &[KnownMatch], covering: &mut Vec<Option<u32>>) {
    covering.clear();
    covering.resize(tokens.len(), None);
    let mut first = 0;
    for (index, m) in known.iter().enumerate() {
        // Matches are a few words apart: a step at a time, where a binary search over the
        // rest of the paragraph cost more.
        while tokens
            .get(first)
            .is_some_and(|t| t.range.start < m.range.start)
        {
            first += 1;
        }
        let covered = tokens[first..]
            .iter()
            .take_while(|t| t.range.end <= m.range.end)
            .count();
        covering[first..first + covered].fill(u32::try_from(index).ok());
        first += covered;
    }
}

/// Records the known names that a run is, when it is plain known names
/// (`KnownMatch::plain`), no demonyms, each all of its words, joined by `and` (`Damascus
/// and Riyadh`), that no organisation noun follows (`the Assad government`), and whose
/// last word is no head noun when there are several (`Food and Agriculture Organization`
/// is split otherwise). What `read_run` finds in such a run, without its look at each
/// part; `false`, and nothing recorded, for another run.
#[inline]
pub(super) fn read_known_run<'l>(
    text: &str,
    tokens: &[Token],
    run: &Range<usize>,
    known: &KnownNames<'_, 'l>,
    found: &mut Vec<Candidate<'l>>,
) -> bool {
    let before = found.len();
    let mut at = run.start;
    let whole = loop {
        let Some(m) = known.covering(at) else {
            break false;
        };
        if !m.plain || m.form == Form::Demonym || m.range.start != tokens[at].range.start {
            break false;
        }
        let end = at + tokens[at..run.end].partition_point(|t| t.range.end <= m.range.end);
        if tokens[end - 1].range.end != m.range.end {
            break false;
        }
        found.push(Candidate::Known {
            range: m.range.clone(),
            entities: m.entities,
            form: m.form,
        });
        if end == run.end {
            break true;
        }
        // `and`, known as no name, and a name after it.
        if end + 1 >= run.end || tokens[end].text(text) != "and" || known.covering(end).is_some() {
            break false;
        }
        at = end + 1;
    };
    let last = &tokens[run.end - 1];
    let suffix_follows = || {
        !last.possessive
            && tokens
                .get(run.end)
                .is_some_and(|t| t.gap == Gap::Space && is_organization_suffix(t.text(text)))
    };
    let joined = found.len() > before + 1;
    if !whole || suffix_follows() || (joined && head_kind(last.text(text)).is_some()) {
        found.truncate(before);
        return false;
    }
    true
}

#[inline]
pub(super) fn emit_known_in<'l>(
    known: &KnownNames<'_, 'l>,
    tokens: &[Token],
    found: &mut Vec<Candidate<'l>>,
) {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return;
    };
    // The matches are in order and never overlap: those inside the tokens are consecutive,
    // and the words are asked about in order: the first is found a step at a time from
    // where the last search ended.
    let matches = known.matches;
    let mut from = known.next.get();
    while matches
        .get(from)
        .is_some_and(|m| m.range.start < first.range.start)
    {
        from += 1;
    }
    known.next.set(from);
    for m in matches[from..]
        .iter()
        .take_while(|m| m.range.start <= last.range.end)
    {
        if m.range.end <= last.range.end {
            found.push(Candidate::Known {
                range: m.range.clone(),
                entities: m.entities,
                form: m.form,
            });
        }
    }
}
