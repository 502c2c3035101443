//! The index as people and programs read it: `dossier index` (human summary) and
//! `dossier index --format json` (the document of SPEC §5). Ranges become LSP ranges
//! (0-based, UTF-16) into each source file here, at the edge, through `text.rs`.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use super::Index;
use crate::extract::events::summarize;
use crate::extract::lexicon::EntityKind;
use crate::index::SourceInfo;
use crate::text::{LineIndex, PositionEncoding, Range};
use std::sync::Arc;

#[derive(Debug, Serialize)]
pub struct IndexDocument<'a> {
    pub sources: Vec<SourceEntry<'a>>,
    pub entities: Vec<EntityEntry<'a>>,
    pub events: Vec<EventEntry<'a>>,
}

#[derive(Debug, Serialize)]
pub struct EventEntry<'a> {
    /// EDTF; `null` when the text gives no way to date it.
    pub date: Option<String>,
    pub summary: String,
    pub source: &'a str,
    pub paragraph: u32,
    /// The time expression in the source file.
    pub range: Range,
    /// The names of the entities its sentence names.
    pub entities: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct EntityEntry<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: EntityKind,
    pub aliases: &'a [String],
    pub demonyms: &'a [String],
    pub description: Option<&'a str>,
    /// Where the description was read, when a source gave it.
    pub described_in: Option<Place<'a>>,
    /// What the built-in gazetteer or `dossier.toml` says it is.
    pub info: Option<&'a str>,
    pub mentions: Vec<MentionEntry<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Place<'a> {
    pub source: &'a str,
    pub paragraph: u32,
    pub range: Range,
}

#[derive(Debug, Serialize)]
pub struct MentionEntry<'a> {
    pub source: &'a str,
    pub paragraph: u32,
    pub range: Range,
    /// The mention is an adjective or demonym (`Iranian` for Iran).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub demonym: bool,
}

#[derive(Debug, Serialize)]
pub struct SourceEntry<'a> {
    pub key: &'a str,
    pub path: &'a str,
    pub title: &'a str,
    pub author: Option<String>,
    pub date: Option<String>,
    pub publisher: Option<&'a str>,
    pub categories: &'a [String],
    pub paragraphs: Vec<ParagraphEntry>,
}

#[derive(Debug, Serialize)]
pub struct ParagraphEntry {
    pub n: u32,
    pub text: String,
    pub range: Range,
}

pub fn document(index: &Index) -> IndexDocument<'_> {
    // The texts are read back from the files, one source at a time would do but the
    // mentions of an entity jump between sources.
    let texts: Vec<Arc<str>> = (0..index.sources().len())
        .map(|source| index.text(source).unwrap_or_default())
        .collect();
    let lines: Vec<LineIndex> = texts.iter().map(|text| LineIndex::new(text)).collect();
    let place = |source: usize, paragraph: u32, range: std::ops::Range<usize>| {
        let text = &texts[source];
        Place {
            source: &index.sources()[source].key,
            paragraph,
            range: lines[source].range(text, range, PositionEncoding::Utf16),
        }
    };
    IndexDocument {
        sources: index
            .sources()
            .iter()
            .zip(lines.iter().zip(&texts))
            .map(|(source, (lines, text))| source_entry(source, text, lines))
            .collect(),
        entities: index
            .entities()
            .iter()
            .map(|entity| EntityEntry {
                id: &entity.id,
                name: &entity.name,
                kind: entity.kind,
                aliases: &entity.aliases,
                demonyms: &entity.demonyms,
                description: entity.description.as_ref().map(|d| d.text.as_str()),
                described_in: entity
                    .description
                    .as_ref()
                    .and_then(|d| Some(place(d.source?, d.paragraph, d.range.clone()))),
                info: entity.info.as_deref(),
                mentions: entity
                    .mentions
                    .iter()
                    .map(|m| {
                        let Place {
                            source,
                            paragraph,
                            range,
                        } = place(m.source(), m.paragraph, m.range());
                        MentionEntry {
                            source,
                            paragraph,
                            range,
                            demonym: m.demonym,
                        }
                    })
                    .collect(),
            })
            .collect(),
        events: index
            .events()
            .iter()
            .zip(event_entities(index))
            .map(|(event, entities)| EventEntry {
                date: index.event_date(event).map(ToString::to_string),
                summary: match event.paragraph {
                    0 => index.event_summary(event).unwrap_or_default(),
                    _ => summarize(texts[event.source()].get(event.sentence()).unwrap_or("")),
                },
                source: &index.sources()[event.source()].key,
                paragraph: event.paragraph,
                range: place(event.source(), event.paragraph, event.when()).range,
                entities,
            })
            .collect(),
    }
}

fn source_entry<'a>(source: &'a SourceInfo, text: &str, lines: &LineIndex) -> SourceEntry<'a> {
    SourceEntry {
        key: &source.key,
        path: &source.path,
        title: &source.title,
        author: source.author_line(),
        date: source.date.as_ref().map(ToString::to_string),
        publisher: source.publisher.as_deref(),
        categories: &source.categories,
        paragraphs: source
            .paragraphs
            .iter()
            .map(|paragraph| ParagraphEntry {
                n: paragraph.number,
                text: text.get(paragraph.range.clone()).unwrap_or("").to_string(),
                range: lines.range(text, paragraph.range.clone(), PositionEncoding::Utf16),
            })
            .collect(),
    }
}

/// How many sources the human summary lists by name.
const LISTED_SOURCES: usize = 20;

/// The human summary: counts, time taken, and the first sources by key.
pub fn summary(index: &Index, corpus_name: &str, elapsed: Duration) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Dossier index of {corpus_name}");
    let _ = writeln!(out, "  sources     {}", index.sources().len());
    let _ = writeln!(out, "  paragraphs  {}", index.paragraph_count());
    let _ = writeln!(out, "  entities    {}", index.entities().len());
    let _ = writeln!(out, "  events      {}", index.events().len());
    let _ = writeln!(
        out,
        "  took        {:.1} ms",
        elapsed.as_secs_f64() * 1000.0
    );
    if !index.sources().is_empty() {
        out.push('\n');
    }
    for source in index.sources().iter().take(LISTED_SOURCES) {
        let date = source
            .date
            .as_ref()
            .map_or_else(|| "n.d.".to_string(), ToString::to_string);
        let author = source
            .author_line()
            .unwrap_or_else(|| "(no author)".to_string());
        let _ = writeln!(
            out,
            "  {}  {date}  {author}: {} ({} paragraphs, {})",
            source.key,
            source.title,
            source.paragraphs.len(),
            source.path
        );
    }
    if index.sources().len() > LISTED_SOURCES {
        let _ = writeln!(
            out,
            "  … and {} more",
            index.sources().len() - LISTED_SOURCES
        );
    }
    out
}

/// For each event, the names of the entities it involves, in the order its sentence names
/// them: the index keeps the events of each entity, not the entities of each event.
fn event_entities(index: &Index) -> Vec<Vec<&str>> {
    let mut involved: Vec<Vec<(usize, &str)>> = vec![Vec::new(); index.events().len()];
    for (number, entity) in index.entities().iter().enumerate() {
        for event_number in index.event_numbers_of(number) {
            let Some(event) = index.events().get(event_number) else {
                continue;
            };
            // Mentions are in (source, offset) order.
            let sentence = event.sentence();
            let at = entity.mentions.partition_point(|m| {
                (m.source(), m.range().start) < (event.source(), sentence.start)
            });
            let first = entity
                .mentions
                .get(at)
                .filter(|m| m.source() == event.source() && sentence.contains(&m.range().start))
                .map_or(usize::MAX, |m| m.range().start);
            involved[event_number].push((first, entity.name.as_str()));
        }
    }
    involved
        .into_iter()
        .map(|mut names| {
            names.sort_by_key(|&(first, _)| first);
            names.into_iter().map(|(_, name)| name).collect()
        })
        .collect()
}
