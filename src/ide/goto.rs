//! Go to source: from a citation key or locator to the paragraph in the source file, from an
//! entity mention to the passage that first introduces it.

use super::{Analysis, SourceRange, Target, cited_paragraphs, target_at};
use crate::index::Index;

pub fn definition(index: &Index, analysis: &Analysis, offset: usize) -> Vec<SourceRange> {
    match target_at(index, analysis, offset) {
        Some(Target::CitationKey(citation) | Target::Locator(citation)) => {
            let cited = cited_paragraphs(index, citation);
            if !cited.is_empty() {
                return cited;
            }
            // No locator, or one the source does not have: the source's first paragraph.
            let Some(source_index) = index.source_index(&citation.key) else {
                return Vec::new();
            };
            let Some(source) = index.source_at(source_index) else {
                return Vec::new();
            };
            let range = source.paragraphs.first().map_or(0..0, |p| p.range.clone());
            vec![SourceRange {
                source: source_index,
                range,
            }]
        }
        Some(Target::Entity { entity, .. }) => {
            let Some(entity) = index.entity_at(entity) else {
                return Vec::new();
            };
            // The passage that introduces it: where it is described, else its first mention
            // in a paragraph, else its first mention at all.
            let described = entity.description.as_ref().and_then(|d| {
                Some(SourceRange {
                    source: d.source?,
                    range: d.range.clone(),
                })
            });
            let first = || {
                entity
                    .mentions
                    .iter()
                    .find(|m| m.paragraph > 0)
                    .or(entity.mentions.first())
                    .map(|m| SourceRange {
                        source: m.source(),
                        range: m.range(),
                    })
            };
            described.or_else(first).into_iter().collect()
        }
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    fn check_definition(fixture_text: &str) -> Vec<String> {
        let (index, analysis, offset, _files) = fixture::parse(fixture_text);
        definition(&index, &analysis, offset)
            .into_iter()
            .map(|target| {
                let source = index.source_at(target.source).expect("source");
                let text = index.text(target.source).expect("text");
                format!("{}: {}", source.key, &text[target.range])
            })
            .collect()
    }

    #[test]
    fn a_locator_goes_to_its_paragraphs() {
        let found = check_definition("//- brief.md\nDrones [@berman2023, paras. 13–1$04].\n");
        assert_eq!(found.len(), 2);
        assert!(
            found[0].starts_with("berman2023: These difficulties have led Moscow"),
            "{found:?}"
        );
        assert!(
            found[1].starts_with("berman2023: The collaboration has not stopped there."),
            "{found:?}"
        );
    }

    #[test]
    fn a_key_without_locator_goes_to_the_first_paragraph() {
        let found = check_definition("//- brief.md\nSee @berm$0an2023.\n");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("berman2023: In July 2022"),
            "{found:?}"
        );
    }

    #[test]
    fn an_entity_goes_to_its_introducing_passage() {
        assert_eq!(
            check_definition("//- brief.md\nPrimakov$0 mattered.\n"),
            ["berman2023: Russian Foreign Minister (and former KGB head)"],
            "a surname alone names the person"
        );
        assert_eq!(
            check_definition("//- brief.md\nYevgeny Prim$0akov mattered.\n"),
            ["berman2023: Russian Foreign Minister (and former KGB head)"]
        );
        assert_eq!(
            check_definition("//- brief.md\nTehr$0an\n"),
            ["berman2023: Tehran"]
        );
    }

    #[test]
    fn an_unknown_key_goes_nowhere() {
        assert!(check_definition("//- brief.md\n[@nob$0ody2020]\n").is_empty());
    }
}
