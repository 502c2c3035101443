//! The index as people and programs read it: `dossier index` (human summary) and
//! `dossier index --format json` (the document of SPEC §5). Ranges become LSP ranges
//! (0-based, UTF-16) into each source file here, at the edge, through `text.rs`.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use super::Index;
use crate::corpus::Source;
use crate::text::{LineIndex, PositionEncoding, Range};

#[derive(Debug, Serialize)]
pub struct IndexDocument<'a> {
    pub sources: Vec<SourceEntry<'a>>,
    pub entities: Vec<serde_json::Value>,
    pub events: Vec<serde_json::Value>,
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
    pub paragraphs: Vec<ParagraphEntry<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ParagraphEntry<'a> {
    pub n: u32,
    pub text: &'a str,
    pub range: Range,
}

pub fn document(index: &Index) -> IndexDocument<'_> {
    IndexDocument {
        sources: index.sources().iter().map(source_entry).collect(),
        entities: Vec::new(),
        events: Vec::new(),
    }
}

fn source_entry(source: &Source) -> SourceEntry<'_> {
    let lines = LineIndex::new(&source.text);
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
                text: source.paragraph_text(paragraph),
                range: lines.range(
                    &source.text,
                    paragraph.range.clone(),
                    PositionEncoding::Utf16,
                ),
            })
            .collect(),
    }
}

/// How many sources the human summary lists by name.
const LISTED_SOURCES: usize = 20;

/// The human summary: counts, time taken, and the first sources by key.
pub fn summary(index: &Index, corpus_name: &str, elapsed: Duration) -> String {
    let mut out = String::new();
    let document = document(index);
    let _ = writeln!(out, "Dossier index of {corpus_name}");
    let _ = writeln!(out, "  sources     {}", index.sources().len());
    let _ = writeln!(out, "  paragraphs  {}", index.paragraph_count());
    let _ = writeln!(out, "  entities    {}", document.entities.len());
    let _ = writeln!(out, "  events      {}", document.events.len());
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
