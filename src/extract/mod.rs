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

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::corpus::Source;
use describe::{Description, describe_person};
use events::{ExtractedEvent, events};
use lexicon::{EntityKind, Form, Lexicon};
use names::{Candidate, Guess, Reader};
use resolve::{LocalMention, SourceEntities, UnitCandidates, resolve};

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
    let entities = found_entities
        .into_iter()
        .enumerate()
        .map(|(index, local)| {
            let description = (local.kind == EntityKind::Person)
                .then(|| {
                    let mentions: Vec<&LocalMention> = found_mentions
                        .iter()
                        .filter(|m| m.entity() == index)
                        .collect();
                    describe_person(
                        text,
                        &mentions,
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
