//! Which sentences of a brief are claims: they state a date, a number, a named actor doing
//! something, or a quotation. Framing and opinion ("In our view…", "This brief reviews…")
//! are not. `uncited-claim` is a claim with no citation.

use super::facts::{Facts, brief_skips, facts};
use super::passages::Passages;
use super::support::best_support;
use super::{Code, CorpusFixes, Finding, Fix, Related};
use crate::brief::BlockKind;
use crate::ide::{Analysis, SourceRange};
use crate::index::Index;

/// One sentence of the brief, read.
#[derive(Debug, Clone)]
pub struct SentenceClaim {
    /// Index into `Brief::sentences`.
    pub sentence: usize,
    pub is_claim: bool,
    pub cited: bool,
    pub facts: Facts,
}

/// Reads every prose sentence (headings are never claims).
pub fn classify(index: &Index, analysis: &Analysis) -> Vec<SentenceClaim> {
    let brief = &analysis.brief;
    let skipped = brief_skips(brief, false);
    brief
        .sentences
        .iter()
        .enumerate()
        .filter(|(_, sentence)| {
            brief.blocks.get(sentence.block).is_some_and(|block| {
                matches!(block.kind, BlockKind::Paragraph | BlockKind::TableCell)
            })
        })
        .map(|(number, sentence)| {
            let facts = facts(
                index,
                &analysis.text,
                sentence.range.clone(),
                &skipped,
                None,
            );
            let text = analysis.text.get(sentence.range.clone()).unwrap_or("");
            let quotes = has_quotation(brief, &sentence.range);
            let cited = !sentence.citations.is_empty();
            let is_claim = !is_framing(text)
                && (!facts.dates.is_empty()
                    || !facts.quantities.is_empty()
                    || (!facts.entities.is_empty() && word_count(text) >= 4)
                    || (quotes && cited));
            SentenceClaim {
                sentence: number,
                is_claim,
                cited,
                facts,
            }
        })
        .collect()
}

/// Whether a quotation stands within `range` (quotations are in order: a bisection).
pub fn has_quotation(brief: &crate::brief::Brief, range: &std::ops::Range<usize>) -> bool {
    let first = brief
        .quotes
        .partition_point(|q| q.range.start < range.start);
    brief
        .quotes
        .get(first)
        .is_some_and(|q| q.range.end <= range.end)
}

/// Opinion, framing and the brief speaking of itself.
fn is_framing(sentence: &str) -> bool {
    let lower = sentence
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    const OPENINGS: [&str; 24] = [
        "in our view",
        "in my view",
        "we ",
        "i ",
        "our ",
        "this brief",
        "this memo",
        "this note",
        "this section",
        "this report",
        "this paper",
        "below",
        "here we",
        "in this brief",
        "in this section",
        "it seems",
        "arguably",
        "in short",
        "to conclude",
        "in conclusion",
        "we recommend",
        "we assess",
        "we judge",
        "readers",
    ];
    OPENINGS.iter().any(|opening| lower.starts_with(opening))
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// `uncited-claim`: a claim without a citation, with the passage that best supports it.
pub fn uncited(
    index: &Index,
    analysis: &Analysis,
    sentences: &[SentenceClaim],
    cache: &Passages,
    fixes: CorpusFixes,
    findings: &mut Vec<Finding>,
) {
    for claim in sentences.iter().filter(|s| s.is_claim && !s.cited) {
        let Some(sentence) = analysis.brief.sentences.get(claim.sentence) else {
            continue;
        };
        let what = describe_facts(&analysis.text, &claim.facts);
        let mut finding = Finding {
            code: Code::UncitedClaim,
            range: sentence.range.clone(),
            message: format!("this sentence states {what} with no citation"),
            related: Vec::new(),
            fixes: Vec::new(),
        };
        let best = (fixes == CorpusFixes::Make)
            .then(|| best_support(index, &analysis.text, &claim.facts, cache))
            .flatten();
        if let Some(best) = best {
            let insert_at = before_final_stop(&analysis.text, &sentence.range);
            let citation = cite(index, &best);
            finding.related.push(Related {
                place: best.clone(),
                message: "the passage that best supports it".to_string(),
            });
            finding.fixes.push(Fix {
                title: format!("Cite {citation}"),
                edits: vec![(insert_at..insert_at, format!(" [{citation}]"))],
            });
        }
        findings.push(finding);
    }
}

/// `@key, para. N` for a paragraph of the corpus.
pub fn cite(index: &Index, place: &SourceRange) -> String {
    let Some(source) = index.source_at(place.source) else {
        return String::new();
    };
    let number = source
        .paragraphs
        .iter()
        .find(|p| p.range == place.range)
        .map(|p| p.number);
    match number {
        Some(number) => format!("@{}, para. {number}", source.key),
        None => format!("@{}", source.key),
    }
}

/// Where a citation goes in a sentence: before its final stop (and closing quotes).
pub fn before_final_stop(text: &str, range: &std::ops::Range<usize>) -> usize {
    let sentence = text.get(range.clone()).unwrap_or("");
    let trimmed = sentence.trim_end_matches(['.', '!', '?', '…', '"', '”', '’', '\'', ')', ' ']);
    range.start + trimmed.len()
}

/// "a date (July 2022)", "a number (9.5 million)", "a named actor (Putin)".
fn describe_facts(text: &str, facts: &Facts) -> String {
    let shown = |range: &std::ops::Range<usize>| text.get(range.clone()).unwrap_or("").to_string();
    if let Some((range, _)) = facts.dates.first() {
        return format!("a date ({})", shown(range));
    }
    if let Some(quantity) = facts.quantities.first() {
        return format!("a number ({})", shown(&quantity.range));
    }
    if let Some(mention) = facts.entities.first() {
        return format!("a fact about {}", shown(&mention.range));
    }
    "a quotation".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_is_not_a_claim() {
        for sentence in [
            "In our view, Russia erred.",
            "This brief reviews ties.",
            "We recommend caution.",
        ] {
            assert!(is_framing(sentence), "{sentence}");
        }
        assert!(!is_framing("Putin traveled to Tehran in July 2022."));
    }

    #[test]
    fn a_citation_goes_before_the_stop() {
        let text = "He went there in 2022.” Next";
        assert_eq!(
            before_final_stop(text, &(0..text.find(" Next").unwrap_or(0))),
            21
        );
    }
}
