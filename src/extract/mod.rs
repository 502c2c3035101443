//! Entity and event extraction: a pure function of one source's text and the lexicon.
//!
//! ```text
//! paragraph ──names::Reader──────▶ candidates ──resolve (whole source)──▶ entities + mentions
//!                                                 └─describe──▶ descriptions from the text
//! paragraph ──dates::time_expressions──▶ dated events (with the entities of their sentence)
//! ```
//!
//! Dates and quantities share one scanner (`scan`) and one table of number words
//! (`numbers`), so that `two years later` and `two years` read `two` the same way.
//!
//! Nothing here knows about briefs, the index or LSP. Each source is extracted on its own,
//! so that sources can be extracted in parallel and cached one by one; the index merges
//! what the sources say about the same entity.

pub mod dates;
pub mod describe;
pub mod events;
pub mod lexicon;
pub mod names;
mod numbers;
pub mod quantities;
pub mod resolve;
mod scan;
pub mod tokens;
pub mod words;

use std::borrow::Cow;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::corpus::Source;
use describe::{Description, describe_person};
use events::{ExtractedEvent, events};
use lexicon::{EntityKind, Form, Lexicon};
use names::{Candidate, Guess, Reader};
use resolve::{LocalEntity, LocalMention, SourceEntities, UnitCandidates, resolve};

/// What one source says: its entities, where it mentions them, and when things happened.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub entities: Vec<ExtractedEntity>,
    pub mentions: Vec<LocalMention>,
    pub events: Vec<ExtractedEvent>,
    /// The local entity indices of the events, a run for each (`ExtractedEvent::entities`).
    pub event_entities: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtractedEntity {
    pub name: String,
    pub kind: EntityKind,
    pub aliases: Vec<String>,
    pub demonyms: Vec<String>,
    /// In the source's words, with the passage.
    pub description: Option<Description>,
    /// What the lexicon says (`capital of Iran`), for entities it knows.
    pub info: Option<String>,
}

/// Extracts one source.
pub fn extract(source: &Source, lexicon: &Lexicon) -> Extraction {
    let text = source.text.as_str();
    // The candidates of every unit in one vector: one per paragraph cost an allocation.
    let mut candidates = header_candidates(source);
    // About one candidate in fifty bytes of prose: the vector is seldom grown, each time
    // copying all the candidates so far.
    candidates.reserve(text.len() / 50);
    let mut bounds = Vec::with_capacity(source.paragraphs.len() + 1);
    bounds.push((0, 0..candidates.len()));
    let mut reader = Reader::new(lexicon);
    for paragraph in &source.paragraphs {
        let start = candidates.len();
        reader.candidates_into(text, paragraph.range.clone(), &mut candidates);
        bounds.push((paragraph.number, start..candidates.len()));
    }
    let units: Vec<UnitCandidates> = bounds
        .into_iter()
        .map(|(paragraph, range)| UnitCandidates {
            paragraph,
            candidates: &candidates[range],
        })
        .collect();
    let found = resolve(text, &units, lexicon);
    let unit_range = |paragraph: u32| -> Range<usize> {
        match paragraph {
            0 => header_range(source),
            n => source.paragraph(n).map_or(0..0, |p| p.range.clone()),
        }
    };
    // Taken apart: each entity's name and forms are moved into what the index keeps, not
    // copied.
    let SourceEntities {
        entities: found_entities,
        mentions: found_mentions,
    } = found;
    let mentions_of = MentionsByEntity::new(&found_mentions, &found_entities);
    let entities = found_entities
        .into_iter()
        .enumerate()
        .map(|(index, local)| {
            let description = (local.kind == EntityKind::Person)
                .then(|| {
                    describe_person(
                        text,
                        mentions_of.of(index),
                        |p| unit_range(p).start,
                        |p| unit_range(p).end,
                        lexicon,
                    )
                })
                .flatten();
            let known = local.known.map(|k| &lexicon.entities[k]);
            ExtractedEntity {
                name: local.name,
                kind: local.kind,
                aliases: local.aliases,
                demonyms: local.demonyms,
                description: description.or_else(|| {
                    let known = known.filter(|k| k.from_config)?;
                    Some(Description {
                        text: known.description.clone()?,
                        paragraph: 0,
                        range: 0..0,
                    })
                }),
                info: known.and_then(|k| k.description.clone()),
            }
        })
        .collect();
    let found_events = events(source, &found_mentions, header_range(source));
    Extraction {
        entities,
        events: found_events.list,
        event_entities: found_events.entities,
        mentions: found_mentions,
    }
}

/// A source's mentions by entity, in the source's order. Found by a filter of all of them
/// for each person, when that is little work; else grouped first (a counting sort): the
/// filters grow with people times mentions, which a book-length source has thousands of.
struct MentionsByEntity<'m> {
    /// All the mentions, or when `starts` is not empty, grouped.
    mentions: Cow<'m, [LocalMention]>,
    /// Entity `i`'s mentions are `mentions[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
}

/// The most people times mentions that filters find the mentions of.
const MOST_FILTERED: usize = 1 << 12;

impl<'m> MentionsByEntity<'m> {
    fn new(mentions: &'m [LocalMention], entities: &[LocalEntity]) -> MentionsByEntity<'m> {
        let people = entities
            .iter()
            .filter(|e| e.kind == EntityKind::Person)
            .count();
        if people.saturating_mul(mentions.len()) <= MOST_FILTERED {
            MentionsByEntity {
                mentions: Cow::Borrowed(mentions),
                starts: Vec::new(),
            }
        } else {
            MentionsByEntity::grouped(mentions, entities.len())
        }
    }

    /// The mentions of `entities` entities grouped by entity.
    fn grouped(mentions: &[LocalMention], entities: usize) -> MentionsByEntity<'m> {
        let known = mentions.iter().filter(|m| m.entity() < entities);
        // Each entity's count, then where its group ends (the last entry: the total)...
        let mut starts = vec![0; entities + 1];
        known.clone().for_each(|m| starts[m.entity()] += 1);
        let mut total = 0;
        for start in &mut starts {
            total += *start;
            *start = total;
        }
        // ... and, once each group is filled from its end, where it starts.
        let mut grouped = mentions.get(..total).unwrap_or_default().to_vec();
        for mention in known.rev() {
            starts[mention.entity()] -= 1;
            grouped[starts[mention.entity()]] = mention.clone();
        }
        MentionsByEntity {
            mentions: Cow::Owned(grouped),
            starts,
        }
    }

    fn of(&self, entity: usize) -> impl Iterator<Item = &LocalMention> {
        let group = match (self.starts.get(entity), self.starts.get(entity + 1)) {
            (Some(&start), Some(&end)) => &self.mentions[start..end],
            _ if self.starts.is_empty() => &self.mentions[..],
            _ => &[],
        };
        group.iter().filter(move |m| m.entity() == entity)
    }
}

/// The part of a source before its first paragraph: the byline, or the front matter.
fn header_range(source: &Source) -> Range<usize> {
    source.byline.clone().unwrap_or_else(|| {
        let end = source
            .paragraphs
            .first()
            .map_or(source.text.len(), |p| p.range.start);
        0..end
    })
}

/// The authors (people) and the publisher (an organisation) where the header names them.
fn header_candidates(source: &Source) -> Vec<Candidate<'static>> {
    let header = header_range(source);
    let text = &source.text;
    let mut found = Vec::new();
    let mut search_from = header.start;
    let people = source
        .authors
        .iter()
        .map(|a| (a.as_str(), EntityKind::Person));
    let publisher = source.publisher.iter().map(|p| {
        (
            p.strip_prefix("The ").unwrap_or(p),
            EntityKind::Organization,
        )
    });
    for (name, kind) in people.chain(publisher) {
        let Some(at) = text.get(search_from..header.end).and_then(|h| h.find(name)) else {
            continue;
        };
        let range = search_from + at..search_from + at + name.len();
        search_from = range.end;
        found.push(Candidate::Unknown {
            range,
            name: name.to_string(),
            kind: Guess::Kind(kind),
            sentence_start: false,
            title: None,
            acronym: None,
            after_locative: false,
        });
    }
    found
}

/// The surface forms of an entity that a reader would look for: name, aliases, demonyms.
pub fn forms(entity: &ExtractedEntity) -> impl Iterator<Item = (&str, Form)> {
    std::iter::once((entity.name.as_str(), Form::Name))
        .chain(entity.aliases.iter().map(|a| (a.as_str(), Form::Alias)))
        .chain(entity.demonyms.iter().map(|d| (d.as_str(), Form::Demonym)))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn grouped_mentions_are_those_a_filter_for_each_entity_finds(
            owners in proptest::collection::vec(0usize..6, 0..40),
            entities in 0usize..5,
        ) {
            let mentions: Vec<LocalMention> = owners
                .iter()
                .enumerate()
                .filter_map(|(at, &entity)| LocalMention::new(entity, 1, at..at + 1, Form::Name))
                .collect();
            let grouped = MentionsByEntity::grouped(&mentions, entities);
            for entity in 0..entities + 2 {
                let filtered: Vec<&LocalMention> = mentions
                    .iter()
                    .filter(|m| m.entity() == entity && entity < entities)
                    .collect();
                let found: Vec<&LocalMention> = grouped.of(entity).collect();
                proptest::prop_assert_eq!(found, filtered);
            }
        }
    }
}
