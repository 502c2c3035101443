//! The index as people and programs read it: `dossier index` (human summary) and
//! `dossier index --format json` (the document of SPEC §5). Ranges become LSP ranges
//! (0-based, UTF-16) into each source file here, at the edge, through `text.rs`.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use super::Index;
use crate::extract::events::summarize;
use crate::extract::lexicon::EntityKind;
use crate::index::SourceInfo;
use crate::text::{LineIndex, PositionEncoding, Range};
use std::sync::Arc;

/// The document of SPEC §5. It is made as it is written, a source, an entity, an event at a
/// time: whole, the document of 10k sources took some 900 MB, and of 100k would take ten
/// times that.
pub struct IndexDocument<'a> {
    index: &'a Index,
    /// The sources' texts, read back from their files: positions are UTF-16 columns, and an
    /// entity's mentions jump between sources.
    texts: Vec<Arc<str>>,
    lines: Vec<LineIndex>,
    /// For each event, the names of the entities it involves.
    involved: Vec<Vec<&'a str>>,
}

impl Serialize for IndexDocument<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut document = serializer.serialize_struct("IndexDocument", 3)?;
        document.serialize_field("sources", &Sequence(|| self.sources()))?;
        document.serialize_field("entities", &Sequence(|| self.entities()))?;
        document.serialize_field("events", &Sequence(|| self.events()))?;
        document.end()
    }
}

/// A sequence serialized from the iterator `.0` makes when it is written.
struct Sequence<F>(F);

impl<F, I> Serialize for Sequence<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
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

#[derive(Serialize)]
pub struct EntityEntry<'a, M> {
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
    /// Its mentions, made as they are written (a common name has thousands).
    pub mentions: M,
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
    let texts: Vec<Arc<str>> = (0..index.sources().len())
        .map(|source| index.text(source).unwrap_or_default())
        .collect();
    let lines = texts.iter().map(|text| LineIndex::new(text)).collect();
    IndexDocument {
        index,
        texts,
        lines,
        involved: event_entities(index),
    }
}

impl<'a> IndexDocument<'a> {
    fn place(&self, source: usize, paragraph: u32, range: std::ops::Range<usize>) -> Place<'a> {
        Place {
            source: &self.index.sources()[source].key,
            paragraph,
            range: self.lines[source].range(&self.texts[source], range, PositionEncoding::Utf16),
        }
    }

    fn sources(&self) -> impl Iterator<Item = SourceEntry<'a>> + '_ {
        self.index
            .sources()
            .iter()
            .zip(self.lines.iter().zip(&self.texts))
            .map(|(source, (lines, text))| source_entry(source, text, lines))
    }

    fn entities(&self) -> impl Iterator<Item = EntityEntry<'a, impl Serialize + '_>> + '_ {
        self.index.entities().iter().map(move |entity| EntityEntry {
            id: &entity.id,
            name: &entity.name,
            kind: entity.kind,
            aliases: &entity.aliases,
            demonyms: &entity.demonyms,
            description: entity.description.as_ref().map(|d| d.text.as_str()),
            described_in: entity
                .description
                .as_ref()
                .and_then(|d| Some(self.place(d.source?, d.paragraph, d.range.clone()))),
            info: entity.info.as_deref(),
            mentions: Sequence(move || {
                entity.mentions.iter().map(|m| {
                    let Place {
                        source,
                        paragraph,
                        range,
                    } = self.place(m.source(), m.paragraph, m.range());
                    MentionEntry {
                        source,
                        paragraph,
                        range,
                        demonym: m.demonym,
                    }
                })
            }),
        })
    }

    fn events(&self) -> impl Iterator<Item = EventEntry<'a>> + '_ {
        let index = self.index;
        index
            .events()
            .iter()
            .zip(&self.involved)
            .map(move |(event, entities)| EventEntry {
                date: index.event_date(event).map(ToString::to_string),
                summary: match event.paragraph {
                    0 => index.event_summary(event).unwrap_or_default(),
                    _ => summarize(
                        self.texts[event.source()]
                            .get(event.sentence())
                            .unwrap_or(""),
                    ),
                },
                source: &index.sources()[event.source()].key,
                paragraph: event.paragraph,
                range: self
                    .place(event.source(), event.paragraph, event.when())
                    .range,
                entities: entities.clone(),
            })
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
