//! Editor features as pure functions of `(&Index, &Analysis, offset)`: hover, go to source,
//! references, symbols, completion. They speak byte offsets and plain structs; only the LSP
//! layer knows about positions, URIs and JSON, and `dossier check` calls the same functions.

pub mod completion;
pub mod diagnostics;
pub mod goto;
pub mod hover;
pub mod markdown;
pub mod references;
pub mod symbols;

use std::ops::Range;

use crate::brief::{self, Brief, Citation, SyntaxTree};
use crate::index::Index;
use crate::text::LineIndex;

/// A brief's text with its parse: what every feature reads. Built once per version.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub text: String,
    pub brief: Brief,
    /// Where the brief's lines start, for the edges that speak in positions.
    pub lines: LineIndex,
    /// What the next version's parse starts from.
    tree: Option<SyntaxTree>,
}

impl Analysis {
    pub fn new(text: String) -> Analysis {
        Analysis::after(text, None)
    }

    /// The analysis of a new version of a brief, reparsing only what changed since
    /// `earlier`, the analysis of an earlier version of the same document.
    pub fn after(text: String, earlier: Option<&Analysis>) -> Analysis {
        let earlier = earlier.and_then(|e| Some((e.text.as_str(), e.tree.as_ref()?)));
        let (brief, tree) = brief::parse_after(&text, earlier);
        let lines = LineIndex::new(&text);
        Analysis {
            text,
            brief,
            lines,
            tree,
        }
    }
}

/// A place in a source: the index's source number and a byte range in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRange {
    pub source: usize,
    pub range: Range<usize>,
}

/// What stands at a cursor in a brief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'b> {
    /// The key of a citation (`@berman2023`).
    CitationKey(&'b Citation),
    /// The locator of a citation (`para. 13`).
    Locator(&'b Citation),
    /// A mention of an entity of the index.
    Entity { range: Range<usize>, entity: usize },
}

/// What the cursor is on. A cursor right after a word is still on it, as editors expect.
pub fn target_at<'b>(index: &Index, analysis: &'b Analysis, offset: usize) -> Option<Target<'b>> {
    let on = |range: &Range<usize>| range.start <= offset && offset <= range.end;
    for citation in &analysis.brief.citations {
        if !on(&citation.range) && !on(&citation.key_range) {
            continue;
        }
        if on(&citation.key_range) {
            return Some(Target::CitationKey(citation));
        }
        if let Some(locator) = &citation.locator {
            let label_start = locator
                .label_range
                .as_ref()
                .map_or(locator.value.start, |l| l.start);
            if on(&(label_start..locator.value.end)) {
                return Some(Target::Locator(citation));
            }
        }
        return Some(Target::CitationKey(citation));
    }
    entity_at(index, analysis, offset).map(|(range, entity)| Target::Entity { range, entity })
}

/// The entity mention under the cursor, in prose only.
pub fn entity_at(
    index: &Index,
    analysis: &Analysis,
    offset: usize,
) -> Option<(Range<usize>, usize)> {
    let block = analysis.brief.prose_block_at(offset)?;
    index
        .matcher()
        .find(&analysis.text, block.content.clone())
        .into_iter()
        .find(|m| m.range.start <= offset && offset <= m.range.end)
        .map(|m| (m.range, m.entity))
}

/// Every entity mention in the prose of a brief.
pub fn entity_mentions(index: &Index, analysis: &Analysis) -> Vec<(Range<usize>, usize)> {
    analysis
        .brief
        .blocks
        .iter()
        .filter(|block| block.is_prose())
        .flat_map(|block| index.matcher().find(&analysis.text, block.content.clone()))
        .map(|m| (m.range, m.entity))
        .collect()
}

/// The paragraphs a citation's locator points at that its source has; none without a
/// paragraph locator.
pub fn cited_paragraphs(index: &Index, citation: &Citation) -> Vec<SourceRange> {
    let Some(source_index) = index.source_index(&citation.key) else {
        return Vec::new();
    };
    let Some(source) = index.source_at(source_index) else {
        return Vec::new();
    };
    citation
        .paragraphs()
        .into_iter()
        .filter_map(|number| source.paragraph(number))
        .map(|paragraph| SourceRange {
            source: source_index,
            range: paragraph.range.clone(),
        })
        .collect()
}

/// Test fixtures: a corpus of `//- path` files and a brief with a `$0` cursor.
#[cfg(test)]
pub mod fixture {
    use super::Analysis;
    use crate::corpus::load;
    use crate::extract::lexicon::Lexicon;
    use crate::index::Index;

    /// Files after `//- path` lines; the one ending in `.md` under `brief` is the brief. Its
    /// `$0` marks the cursor. The folder of the sources comes last: the index reads their
    /// texts back from it, so it must live as long as the index.
    pub fn parse(fixture: &str) -> (Index, Analysis, usize, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut brief = String::new();
        let mut sources = Vec::new();
        let mut current: Option<(String, String)> = None;
        let mut flush = |current: &mut Option<(String, String)>, brief: &mut String| {
            if let Some((path, text)) = current.take() {
                if path.starts_with("brief") {
                    *brief = text;
                } else {
                    let full = dir.path().join(&path);
                    std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
                    std::fs::write(full, text).expect("write");
                    sources.push(path);
                }
            }
        };
        for line in fixture.trim_start_matches('\n').split_inclusive('\n') {
            if let Some(path) = line.strip_prefix("//- ") {
                flush(&mut current, &mut brief);
                current = Some((path.trim().to_string(), String::new()));
            } else if let Some((_, text)) = current.as_mut() {
                text.push_str(line);
            }
        }
        flush(&mut current, &mut brief);
        let index = if sources.is_empty() {
            Index::build(crate::corpus::load_bundled().sources, Lexicon::built_in())
        } else {
            Index::build(load(dir.path(), &sources).sources, Lexicon::built_in())
        };
        let cursor = brief.find("$0").unwrap_or(brief.len());
        let text = brief.replacen("$0", "", 1);
        (index, Analysis::new(text), cursor, dir)
    }
}
