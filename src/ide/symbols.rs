//! Symbols: the brief's outline (headings, with the citations under each) and the
//! workspace's entities, events and sources, fuzzy-matched.

use std::ops::Range;

use super::{Analysis, SourceRange};
use crate::extract::lexicon::EntityKind;
use crate::index::Index;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutlineKind {
    Heading,
    Citation,
}

/// One entry of the brief's outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineSymbol {
    pub name: String,
    pub kind: OutlineKind,
    /// The whole section (for a heading) or citation.
    pub range: Range<usize>,
    /// The heading's line or the citation's key.
    pub selection: Range<usize>,
    pub children: Vec<OutlineSymbol>,
}

/// Headings nested by level, each with the citations of its section; citations before the
/// first heading stand at the top.
pub fn document_symbols(analysis: &Analysis) -> Vec<OutlineSymbol> {
    let brief = &analysis.brief;
    let text_end = analysis.text.len();
    // Each heading's section runs to the next heading of the same or a higher level.
    let sections: Vec<(u8, OutlineSymbol)> = brief
        .headings
        .iter()
        .enumerate()
        .map(|(i, heading)| {
            let end = brief.headings[i + 1..]
                .iter()
                .find(|next| next.level <= heading.level)
                .map_or(text_end, |next| next.range.start);
            (
                heading.level,
                OutlineSymbol {
                    name: collapse(analysis.text.get(heading.text.clone()).unwrap_or_default()),
                    kind: OutlineKind::Heading,
                    range: heading.range.start..end,
                    selection: heading.range.clone(),
                    children: Vec::new(),
                },
            )
        })
        .collect();
    let citations: Vec<OutlineSymbol> = brief
        .citations
        .iter()
        .map(|citation| OutlineSymbol {
            name: format!(
                "@{}",
                analysis
                    .text
                    .get(citation.key_range.clone())
                    .unwrap_or(&citation.key)
            ) + &citation
                .suffix
                .as_ref()
                .and_then(|s| analysis.text.get(s.clone()))
                .map(|s| format!(" {}", s.trim()))
                .unwrap_or_default(),
            kind: OutlineKind::Citation,
            range: citation.range.clone(),
            selection: citation.key_range.clone(),
            children: Vec::new(),
        })
        .collect();
    nest(sections, citations)
}

/// Builds the tree: a heading takes the deeper headings after it; a citation goes to the
/// innermost section that holds it.
fn nest(sections: Vec<(u8, OutlineSymbol)>, citations: Vec<OutlineSymbol>) -> Vec<OutlineSymbol> {
    let mut roots: Vec<OutlineSymbol> = Vec::new();
    let mut stack: Vec<(u8, OutlineSymbol)> = Vec::new();
    let mut citations = citations.into_iter().peekable();
    let close = |stack: &mut Vec<(u8, OutlineSymbol)>, roots: &mut Vec<OutlineSymbol>| {
        if let Some((_, done)) = stack.pop() {
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(done),
                None => roots.push(done),
            }
        }
    };
    for (level, section) in sections {
        // Citations before this heading belong to the open sections (or the top).
        while let Some(citation) = citations.next_if(|c| c.range.start < section.range.start) {
            match stack.last_mut() {
                Some((_, open)) => open.children.push(citation),
                None => roots.push(citation),
            }
        }
        while stack.last().is_some_and(|(open, _)| *open >= level) {
            close(&mut stack, &mut roots);
        }
        stack.push((level, section));
    }
    for citation in citations {
        match stack.last_mut() {
            Some((_, open)) => open.children.push(citation),
            None => roots.push(citation),
        }
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    roots
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkspaceKind {
    Source,
    Entity(EntityKind),
    Event,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: WorkspaceKind,
    /// The source key the symbol belongs to, for display.
    pub container: Option<String>,
    pub location: SourceRange,
}

/// At most this many workspace symbols per answer.
pub const MAX_WORKSPACE_SYMBOLS: usize = 200;

/// Entities, events and sources whose names match `query`, best first.
pub fn workspace_symbols(index: &Index, query: &str) -> Vec<WorkspaceSymbol> {
    let query = query.trim().to_lowercase();
    let mut scored: Vec<(u32, WorkspaceSymbol)> = Vec::new();
    let mut consider = |name: &str, symbol: &dyn Fn() -> Option<WorkspaceSymbol>| {
        if let Some(score) = fuzzy_score(&query, name)
            && let Some(symbol) = symbol()
        {
            scored.push((score, symbol));
        }
    };
    for (index_number, source) in index.sources().iter().enumerate() {
        let name = format!("{} {}", source.key, source.title);
        consider(&name, &|| {
            Some(WorkspaceSymbol {
                name: format!("@{} — {}", source.key, source.title),
                kind: WorkspaceKind::Source,
                container: None,
                location: SourceRange {
                    source: index_number,
                    range: source.paragraphs.first().map_or(0..0, |p| p.range.clone()),
                },
            })
        });
    }
    for entity in index.entities() {
        consider(&entity.name, &|| {
            let mention = entity
                .description
                .as_ref()
                .and_then(|d| Some((d.source?, d.range.clone())))
                .or_else(|| entity.mentions.first().map(|m| (m.source(), m.range())))?;
            Some(WorkspaceSymbol {
                name: entity.name.clone(),
                kind: WorkspaceKind::Entity(entity.kind),
                container: index.source_at(mention.0).map(|s| s.key.clone()),
                location: SourceRange {
                    source: mention.0,
                    range: mention.1,
                },
            })
        });
    }
    for event in index.events() {
        let date = index
            .event_date(event)
            .map_or_else(|| "undated".to_string(), ToString::to_string);
        let summary = index.event_summary(event).unwrap_or_default();
        let name = format!("{date} {summary}");
        consider(&name, &|| {
            Some(WorkspaceSymbol {
                name: format!("{date} — {summary}"),
                kind: WorkspaceKind::Event,
                container: index.source_at(event.source()).map(|s| s.key.clone()),
                location: SourceRange {
                    source: event.source(),
                    range: event.when(),
                },
            })
        });
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    scored.truncate(MAX_WORKSPACE_SYMBOLS);
    scored.into_iter().map(|(_, symbol)| symbol).collect()
}

/// How well `query` (lower-case) matches `name`: exact, then prefix, then a word's prefix,
/// then a substring, then the letters in order. `None` when they are not all there.
pub fn fuzzy_score(query: &str, name: &str) -> Option<u32> {
    if query.is_empty() {
        return Some(1);
    }
    let name = name.to_lowercase();
    if name == query {
        return Some(1000);
    }
    if name.starts_with(query) {
        return Some(900 - length_penalty(&name));
    }
    if name
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word.starts_with(query))
    {
        return Some(700 - length_penalty(&name));
    }
    if name.contains(query) {
        return Some(500 - length_penalty(&name));
    }
    // The letters in order, scored by how close together they are.
    let mut wanted = query.chars().filter(|c| !c.is_whitespace()).peekable();
    let mut spread = 0u32;
    let mut started = false;
    for ch in name.chars() {
        match wanted.peek() {
            Some(&next) if next == ch => {
                wanted.next();
                started = true;
            }
            Some(_) if started => spread += 1,
            Some(_) => {}
            None => break,
        }
    }
    wanted
        .peek()
        .is_none()
        .then(|| 300u32.saturating_sub(spread.min(290)))
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn length_penalty(name: &str) -> u32 {
    u32::try_from(name.chars().count().min(99)).unwrap_or(99)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    fn outline(symbols: &[OutlineSymbol], depth: usize, out: &mut String) {
        for symbol in symbols {
            out.push_str(&format!(
                "{}{:?} {}\n",
                "  ".repeat(depth),
                symbol.kind,
                symbol.name
            ));
            outline(&symbol.children, depth + 1, out);
        }
    }

    #[test]
    fn the_outline_nests_headings_and_citations() {
        let (_, analysis, _, _files) = fixture::parse(
            "//- brief.md\nIntro [@a2020].\n\n# One\n\nText [@berman2023, para. 1].\n\n## One.A\n\n@b2021 says.\n\n# Two\n\nMore [@c2022].\n",
        );
        let mut shown = String::new();
        outline(&document_symbols(&analysis), 0, &mut shown);
        assert_eq!(
            shown,
            "Citation @a2020\nHeading One\n  Citation @berman2023 , para. 1\n  Heading One.A\n    Citation @b2021\nHeading Two\n  Citation @c2022\n"
        );
    }

    #[test]
    fn workspace_symbols_rank_exact_and_prefix_first() {
        let (index, _, _, _files) = fixture::parse("//- brief.md\n");
        let found = workspace_symbols(&index, "teh");
        assert_eq!(found.first().map(|s| s.name.as_str()), Some("Tehran"));
        let found = workspace_symbols(&index, "putin");
        assert_eq!(
            found.first().map(|s| (s.name.as_str(), s.kind)),
            Some(("Vladimir Putin", WorkspaceKind::Entity(EntityKind::Person)))
        );
        assert!(
            workspace_symbols(&index, "2022-07")
                .iter()
                .any(|s| s.kind == WorkspaceKind::Event)
        );
        assert!(
            workspace_symbols(&index, "berman2023")
                .iter()
                .any(|s| s.kind == WorkspaceKind::Source)
        );
        assert!(workspace_symbols(&index, "zzzzqqq").is_empty());
    }

    #[test]
    fn fuzzy_scores_order_matches() {
        let scores: Vec<Option<u32>> = [
            "tehran",
            "tehran province",
            "new tehran",
            "the hran",
            "moscow",
        ]
        .iter()
        .map(|name| fuzzy_score("tehran", name))
        .collect();
        assert!(scores[0] > scores[1] && scores[1] > scores[2] && scores[2] > scores[3]);
        assert_eq!(scores[4], None);
    }
}
