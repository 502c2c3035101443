//! `contradicts-source` and `unsupported-claim`: a cited passage supports a sentence when it
//! carries the sentence's names (through aliases), its dates and numbers (in any wording) and
//! its key terms. A date or number that disagrees with what the passage says of the same
//! thing contradicts it; names, dates and terms that are not there leave the claim
//! unsupported.

use std::collections::HashSet;
use std::ops::Range;

use super::claims::{SentenceClaim, cite};
use super::facts::{Facts, dates_agree, facts};
use super::{Code, Finding, Fix, Related};
use crate::brief::{Citation, CitationMode};
use crate::extract::quantities::Quantity;
use crate::ide::{Analysis, SourceRange};
use crate::index::Index;

/// Below these shares of the sentence's names and key terms found in the passage, the
/// passage does not support it.
const MIN_ENTITIES: f64 = 0.5;
const MIN_SUPPORT: f64 = 0.5;
const MIN_TERMS: f64 = 0.34;
/// How many paragraphs of the corpus are weighed for the best supporting passage.
const CANDIDATES: usize = 40;

/// The passages a citation points at, as groups that support together: the cited paragraphs
/// (one group), or each paragraph of the source when there is no paragraph locator. `None`
/// when the key or the paragraphs are not there.
pub fn cited_passages(index: &Index, citation: &Citation) -> Option<Vec<SourceRange>> {
    let source_index = index.source_index(&citation.key)?;
    let source = index.source_at(source_index)?;
    let numbers = citation.paragraphs();
    let paragraphs: Vec<SourceRange> = if numbers.is_empty() {
        source
            .paragraphs
            .iter()
            .map(|p| SourceRange {
                source: source_index,
                range: p.range.clone(),
            })
            .collect()
    } else {
        numbers
            .iter()
            .filter_map(|&n| source.paragraph(n))
            .map(|p| SourceRange {
                source: source_index,
                range: p.range.clone(),
            })
            .collect()
    };
    (!paragraphs.is_empty()).then_some(paragraphs)
}

/// How a passage fares against a sentence.
#[derive(Debug, Clone, Default)]
struct Verdict {
    /// The share of the sentence's names the passage carries (1 when it names none).
    entities: f64,
    /// The share of all its facts (names, dates, numbers, and key terms at half weight) the
    /// passage carries, the contradicted ones left out of the count.
    support: f64,
    /// The share of its key terms the passage carries (1 when it has fewer than two).
    terms: f64,
    /// Claim facts the passage contradicts: the claim's range, what the passage says, where.
    contradictions: Vec<(Range<usize>, String, Range<usize>)>,
    /// Claim facts absent from the passage: their text.
    missing: Vec<String>,
}

impl Verdict {
    fn score(&self) -> f64 {
        self.entities + self.support + self.terms - 0.1 * self.contradictions.len() as f64
    }

    /// The passage speaks of what the sentence speaks of.
    fn on_topic(&self) -> bool {
        self.entities >= MIN_ENTITIES && self.support >= MIN_SUPPORT && self.terms >= MIN_TERMS
    }
}

pub fn check(
    index: &Index,
    analysis: &Analysis,
    sentences: &[SentenceClaim],
    findings: &mut Vec<Finding>,
) {
    for claim in sentences.iter().filter(|s| s.cited) {
        let Some(sentence) = analysis.brief.sentences.get(claim.sentence) else {
            continue;
        };
        let citations: Vec<&Citation> = sentence
            .citations
            .iter()
            .filter_map(|&i| analysis.brief.citations.get(i))
            .collect();
        // Each citation gives one group (its paragraphs) or, without a locator, a group per
        // paragraph of the source; the best group is the one the sentence is judged by.
        let mut groups: Vec<Vec<SourceRange>> = Vec::new();
        for citation in &citations {
            let Some(passages) = cited_passages(index, citation) else {
                continue;
            };
            if citation.paragraphs().is_empty() {
                groups.extend(passages.into_iter().map(|p| vec![p]));
            } else {
                groups.push(passages);
            }
        }
        if groups.is_empty() || !has_checkable_facts(&claim.facts) {
            continue;
        }
        let judged = groups
            .iter()
            .map(|group| (judge(index, &analysis.text, &claim.facts, group), group))
            .max_by(|a, b| a.0.score().total_cmp(&b.0.score()));
        let Some((verdict, group)) = judged else {
            continue;
        };
        let related: Vec<Related> = group
            .iter()
            .map(|place| Related {
                place: place.clone(),
                message: "the cited passage".to_string(),
            })
            .collect();
        if !verdict.contradictions.is_empty() && verdict.on_topic() {
            for (range, says, passage_range) in &verdict.contradictions {
                let place = group
                    .iter()
                    .find(|p| {
                        p.range.start <= passage_range.start && passage_range.end <= p.range.end
                    })
                    .map(|p| SourceRange {
                        source: p.source,
                        range: passage_range.clone(),
                    });
                findings.push(Finding {
                    code: Code::ContradictsSource,
                    range: range.clone(),
                    message: format!("the cited paragraph says {says}"),
                    related: place
                        .map(|place| Related {
                            place,
                            message: format!("the passage says {says}"),
                        })
                        .into_iter()
                        .chain(related.iter().cloned())
                        .collect(),
                    fixes: vec![Fix {
                        title: format!("Write {says}, as the source does"),
                        edits: vec![(range.clone(), says.clone())],
                    }],
                });
            }
            continue;
        }
        if verdict.on_topic() && verdict.missing.is_empty() && verdict.contradictions.is_empty() {
            continue;
        }
        let Some(first) = citations.first() else {
            continue;
        };
        let mut missing: Vec<String> = verdict.missing.clone();
        missing.extend(
            verdict
                .contradictions
                .iter()
                .map(|(range, _, _)| analysis.text.get(range.clone()).unwrap_or("").to_string()),
        );
        let mut finding = Finding {
            code: Code::UnsupportedClaim,
            range: first.range.clone(),
            message: unsupported_message(index, group, &missing),
            related,
            fixes: Vec::new(),
        };
        if let Some(best) = best_support(index, &analysis.text, &claim.facts)
            && !group.contains(&best)
        {
            finding.fixes.push(recite(index, first, &best));
        }
        findings.push(finding);
    }
}

fn has_checkable_facts(facts: &Facts) -> bool {
    !facts.entities.is_empty()
        || !facts.dates.is_empty()
        || !facts.quantities.is_empty()
        || facts.terms.len() >= 2
}

fn unsupported_message(index: &Index, group: &[SourceRange], missing: &[String]) -> String {
    let cited = group
        .first()
        .map(|place| super::claims::cite(index, place))
        .unwrap_or_default()
        .trim_start_matches('@')
        .replace(", para. ", " ¶");
    let cited = if group.len() > 1 {
        format!("{cited}–{}", group.len())
    } else {
        cited
    };
    let mut names: Vec<&str> = missing
        .iter()
        .map(String::as_str)
        .filter(|m| !m.is_empty())
        .collect();
    names.dedup();
    match names.as_slice() {
        [] => format!("{cited} does not support this sentence: its key terms are not there"),
        some => format!(
            "{cited} does not mention {}",
            some.iter()
                .take(3)
                .map(|n| format!("“{n}”"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Weighs a group of passages against a sentence's facts.
fn judge(index: &Index, brief_text: &str, claim: &Facts, group: &[SourceRange]) -> Verdict {
    let mut passage = Facts::default();
    let mut texts: Vec<(usize, &str)> = Vec::new();
    for place in group {
        let Some(source) = index.source_at(place.source) else {
            continue;
        };
        let found = facts(
            index,
            &source.text,
            place.range.clone(),
            &[],
            source.date.as_ref(),
        );
        passage.entities.extend(found.entities);
        passage.dates.extend(found.dates);
        passage.quantities.extend(found.quantities);
        passage.terms.extend(found.terms);
        texts.push((place.source, &source.text));
    }
    let shown = |range: &Range<usize>| brief_text.get(range.clone()).unwrap_or("").to_string();
    let passage_text = |range: &Range<usize>| {
        texts
            .iter()
            .find_map(|(_, text)| text.get(range.clone()))
            .unwrap_or("")
            .to_string()
    };
    let mut verdict = Verdict::default();
    let mut matched = 0.0;
    let mut counted = 0.0;

    let passage_entities = passage.entity_set();
    let claim_entities: HashSet<usize> = claim.entity_set();
    let found_entities = claim_entities
        .iter()
        .filter(|e| passage_entities.contains(e))
        .count();
    verdict.entities = share(found_entities, claim_entities.len());
    matched += found_entities as f64;
    counted += claim_entities.len() as f64;
    let mut reported = HashSet::new();
    for (range, entity) in &claim.entities {
        if !passage_entities.contains(entity) && reported.insert(*entity) {
            verdict.missing.push(shown(range));
        }
    }

    let passage_terms = passage.term_set();
    let claim_terms: HashSet<&str> = claim.term_set();
    let found_terms = claim_terms
        .iter()
        .filter(|t| passage_terms.iter().any(|p| terms_meet(t, p)))
        .count();
    matched += 0.5 * found_terms as f64;
    counted += 0.5 * claim_terms.len() as f64;
    verdict.terms = if claim_terms.len() < 2 {
        1.0
    } else {
        share(found_terms, claim_terms.len())
    };

    for (range, date) in &claim.dates {
        if passage
            .dates
            .iter()
            .any(|(_, said)| dates_agree(date, said))
        {
            matched += 1.0;
            counted += 1.0;
            continue;
        }
        // The passage's date nearest in time is the one it says of the same thing.
        let nearest = passage.dates.iter().min_by_key(|(_, said)| {
            (i64::from(said.first_year()) - i64::from(date.first_year())).abs()
        });
        match nearest {
            Some((at, _)) => verdict.contradictions.push((
                bare(brief_text, range),
                bare_text(&passage_text(at)),
                at.clone(),
            )),
            None => {
                counted += 1.0;
                verdict.missing.push(shown(range));
            }
        }
    }
    for quantity in &claim.quantities {
        if passage
            .quantities
            .iter()
            .any(|said| amounts_agree(quantity, said))
        {
            matched += 1.0;
            counted += 1.0;
            continue;
        }
        let same_unit = passage
            .quantities
            .iter()
            .filter(|said| said.unit.is_some() && said.unit == quantity.unit)
            .min_by(|a, b| {
                (a.value - quantity.value)
                    .abs()
                    .total_cmp(&(b.value - quantity.value).abs())
            });
        match same_unit {
            Some(said) => verdict.contradictions.push((
                quantity.range.clone(),
                passage_text(&said.range),
                said.range.clone(),
            )),
            None => {
                counted += 1.0;
                verdict.missing.push(shown(&quantity.range));
            }
        }
    }
    verdict.support = if counted == 0.0 {
        1.0
    } else {
        matched / counted
    };
    verdict
}

/// Two quantities agree when they are the same amount and neither names a different unit
/// (`nine and a half million people` and a population of `nine-and-a-half million`).
fn amounts_agree(claim: &Quantity, passage: &Quantity) -> bool {
    let scale = claim.value.abs().max(passage.value.abs()).max(1.0);
    let same_value = (claim.value - passage.value).abs() <= scale * 1e-9;
    same_value && (claim.unit == passage.unit || claim.unit.is_none() || passage.unit.is_none())
}

/// Stems meet when equal, or when one begins the other and shares five letters
/// (`president`, `presidency`).
fn terms_meet(a: &str, b: &str) -> bool {
    a == b || (a.len().min(b.len()) >= 5 && (a.starts_with(b) || b.starts_with(a)))
}

/// A time expression without its leading preposition: `July 2023` of `in July 2023`.
fn bare(text: &str, range: &Range<usize>) -> Range<usize> {
    let Some(words) = text.get(range.clone()) else {
        return range.clone();
    };
    let lead = words.len() - bare_text(words).len();
    range.start + lead..range.end
}

fn bare_text(words: &str) -> String {
    let mut rest = words;
    for preposition in [
        "in ", "In ", "on ", "On ", "during ", "During ", "at ", "At ",
    ] {
        if let Some(after) = rest.strip_prefix(preposition) {
            rest = after;
            break;
        }
    }
    rest.to_string()
}

fn share(found: usize, total: usize) -> f64 {
    if total == 0 {
        1.0
    } else {
        found as f64 / total as f64
    }
}

/// The paragraph of the corpus that best supports a sentence: among the paragraphs that
/// mention its entities, the one whose names, dates and terms it carries best.
pub fn best_support(index: &Index, brief_text: &str, claim: &Facts) -> Option<SourceRange> {
    let mut candidates: Vec<SourceRange> = Vec::new();
    let mut seen = HashSet::new();
    for (_, entity) in &claim.entities {
        let Some(entity) = index.entity_at(*entity) else {
            continue;
        };
        for mention in entity.mentions.iter().filter(|m| m.paragraph > 0) {
            if candidates.len() >= CANDIDATES {
                break;
            }
            if seen.insert((mention.source, mention.paragraph))
                && let Some(paragraph) = index
                    .source_at(mention.source)
                    .and_then(|s| s.paragraph(mention.paragraph))
            {
                candidates.push(SourceRange {
                    source: mention.source,
                    range: paragraph.range.clone(),
                });
            }
        }
    }
    candidates
        .into_iter()
        .map(|place| {
            (
                judge(index, brief_text, claim, std::slice::from_ref(&place)),
                place,
            )
        })
        .filter(|(verdict, _)| verdict.on_topic() && verdict.contradictions.is_empty())
        .max_by(|a, b| a.0.score().total_cmp(&b.0.score()))
        .map(|(_, place)| place)
}

/// A fix that cites `best` in place of `citation`'s key and locator.
fn recite(index: &Index, citation: &Citation, best: &SourceRange) -> Fix {
    let text = cite(index, best);
    let (key, number) = match text.trim_start_matches('@').split_once(", para. ") {
        Some((key, number)) => (key.to_string(), Some(number.to_string())),
        None => (text.trim_start_matches('@').to_string(), None),
    };
    let mut edits = vec![(citation.key_range.clone(), key)];
    match (&citation.locator, number) {
        (Some(locator), Some(number)) => edits.push((locator.value.clone(), number)),
        (None, Some(number)) => {
            let at = citation.key_range.end;
            let addition = match citation.mode {
                CitationMode::InText => format!(" [para. {number}]"),
                _ => format!(", para. {number}"),
            };
            edits.push((at..at, addition));
        }
        _ => {}
    }
    Fix {
        title: format!("Cite {text} instead"),
        edits,
    }
}
