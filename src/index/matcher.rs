//! Entity mentions in a brief: one Aho-Corasick automaton over every name, alias and
//! demonym of the index's entities, built once per index (when first asked for), matched on
//! word boundaries.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::entities::Entity;
use crate::extract::lexicon::EntityKind;

/// A mention of an entity found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityMatch {
    pub range: Range<usize>,
    /// Index into the index's entities.
    pub entity: usize,
    /// Named by an adjective or demonym (`Iranian`): weaker evidence than a name.
    pub demonym: bool,
}

#[derive(Debug, Default)]
pub struct EntityMatcher {
    automaton: Option<AhoCorasick>,
    /// The entity of each pattern, and whether the pattern is a demonym.
    owners: Vec<(usize, bool)>,
}

impl EntityMatcher {
    pub fn build(entities: &[Entity]) -> EntityMatcher {
        let mut patterns: Vec<&str> = Vec::new();
        let mut owners = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (index, entity) in entities.iter().enumerate() {
            // A person is named by the surname alone too (`Primakov`), even where the
            // corpus never does so.
            let surname = (entity.kind == EntityKind::Person && entity.name.contains(' '))
                .then(|| entity.name.split_whitespace().last())
                .flatten()
                .filter(|word| !word.ends_with('.'));
            let forms = std::iter::once((entity.name.as_str(), false))
                .chain(entity.aliases.iter().map(|a| (a.as_str(), false)))
                .chain(entity.demonyms.iter().map(|d| (d.as_str(), true)))
                .chain(surname.map(|s| (s, false)));
            for (form, demonym) in forms {
                // A form two entities share (a surname of two people) names neither for sure:
                // the first entity keeps it, as the index lists the better-known first.
                if form.chars().count() >= 2 && seen.insert(form) {
                    patterns.push(form);
                    owners.push((index, demonym));
                }
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        EntityMatcher { automaton, owners }
    }

    /// The mentions in `text[range]`, leftmost-longest, case-sensitive, on word boundaries.
    pub fn find(&self, text: &str, range: Range<usize>) -> Vec<EntityMatch> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let Some(slice) = text.get(range.clone()) else {
            return Vec::new();
        };
        automaton
            .find_iter(slice)
            .filter(|m| {
                let before = slice[..m.start()].chars().next_back();
                let after = slice[m.end()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
            .filter_map(|m| {
                let (entity, demonym) = *self.owners.get(m.pattern().as_usize())?;
                Some(EntityMatch {
                    range: range.start + m.start()..range.start + m.end(),
                    entity,
                    demonym,
                })
            })
            .collect()
    }
}
