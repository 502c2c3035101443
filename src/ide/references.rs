//! References: every mention of an entity in the corpus and in a brief, and every citation
//! of a source in a brief.

use std::ops::Range;

use super::{Analysis, SourceRange, Target, entity_mentions, target_at};
use crate::index::Index;

/// What the cursor asks references of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Entity(usize),
    Source(String),
}

pub fn subject_at(index: &Index, analysis: &Analysis, offset: usize) -> Option<Subject> {
    match target_at(index, analysis, offset)? {
        Target::CitationKey(citation) | Target::Locator(citation) => {
            Some(Subject::Source(citation.key.clone()))
        }
        Target::Entity { entity, .. } => Some(Subject::Entity(entity)),
    }
}

/// The subject's places in the corpus, at most `most` of them in corpus order, and how many
/// there are: an entity's mentions; a source's paragraphs are not references, so none for a
/// source.
pub fn in_corpus(index: &Index, subject: &Subject, most: usize) -> (Vec<SourceRange>, usize) {
    let mentions = match subject {
        Subject::Entity(entity) => index
            .entity_at(*entity)
            .map_or(&[][..], |entity| entity.mentions.as_slice()),
        Subject::Source(_) => &[],
    };
    let places = mentions
        .iter()
        .take(most)
        .map(|m| SourceRange {
            source: m.source(),
            range: m.range(),
        })
        .collect();
    (places, mentions.len())
}

/// The subject's places in one brief: an entity's mentions, or the citations of a source.
pub fn in_brief(index: &Index, analysis: &Analysis, subject: &Subject) -> Vec<Range<usize>> {
    match subject {
        Subject::Entity(entity) => entity_mentions(index, analysis)
            .into_iter()
            .filter(|(_, found)| found == entity)
            .map(|(range, _)| range)
            .collect(),
        Subject::Source(key) => analysis
            .brief
            .citations
            .iter()
            .filter(|citation| &citation.key == key)
            .map(|citation| citation.key_range.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    #[test]
    fn an_entity_is_found_in_the_corpus_and_the_brief() {
        let (index, analysis, offset, _files) =
            fixture::parse("//- brief.md\nTehr$0an and Moscow. Tehran again.\n");
        let subject = subject_at(&index, &analysis, offset).expect("subject");
        let in_brief: Vec<&str> = in_brief(&index, &analysis, &subject)
            .into_iter()
            .map(|r| &analysis.text[r])
            .collect();
        assert_eq!(in_brief, ["Tehran", "Tehran"]);
        let (corpus, total) = in_corpus(&index, &subject, usize::MAX);
        assert!(corpus.len() >= 10, "{}", corpus.len());
        assert_eq!(corpus.len(), total);
        let (first, same_total) = in_corpus(&index, &subject, 3);
        assert_eq!((first.as_slice(), same_total), (&corpus[..3], total));
        let text = index.text(0).expect("seed");
        assert!(corpus.iter().all(|r| &text[r.range.clone()] == "Tehran"));
    }

    #[test]
    fn a_key_finds_its_citations() {
        let (index, analysis, offset, _files) = fixture::parse(
            "//- brief.md\nA [@berman2023]. B [@other2020; @berm$0an2023, para. 2]. @berman2023 says.\n",
        );
        let subject = subject_at(&index, &analysis, offset).expect("subject");
        assert_eq!(in_brief(&index, &analysis, &subject).len(), 3);
    }
}
