//! `contradicts-source` and `unsupported-claim`: a cited passage supports a sentence when it
//! carries the sentence's names (through aliases), its dates and numbers (in any wording) and
//! its key terms. A date or number that disagrees with what the passage says of the same
//! thing contradicts it; names, dates and terms that are not there leave the claim
//! unsupported.
//!
//! "The same thing": of the passage's dates (or numbers), the one whose sentence shares the
//! most names and terms with the claim.

use std::collections::HashSet;
use std::ops::Range;

use super::claims::{SentenceClaim, cite, has_quotation};
use super::facts::{Facts, brief_skips, dates_agree, facts, span};
use super::passages::{
    Candidate, Outcome, Passage, Passages, amounts_agree, clause_facts, comparable, same_thing,
    terms_meet,
};
use super::{Code, CorpusFixes, Finding, Fix, Related};
use crate::brief::{Citation, CitationMode};
use crate::ide::{Analysis, SourceRange};
use crate::index::Index;

/// Below these shares of the sentence's names, of all its facts, and of its key terms found
/// in the passage, the passage does not speak of what the sentence speaks of.
const MIN_ENTITIES: f64 = 0.5;
const MIN_SUPPORT: f64 = 0.5;
const MIN_TERMS: f64 = 0.34;
/// Names (not demonyms) the passage shares with the sentence that make it on topic whatever
/// the terms.
const NAMES_ENOUGH: usize = 2;
/// How many paragraphs of the corpus are weighed for the best supporting passage.
const CANDIDATES: usize = 40;

/// The paragraphs a citation points at, or every paragraph of the source when it has no
/// paragraph locator. `None` when the key or the paragraphs are not there.
pub fn cited_passages(index: &Index, citation: &Citation) -> Option<Vec<SourceRange>> {
    let source_index = index.source_index(&citation.key)?;
    let source = index.source_at(source_index)?;
    let numbers = citation.paragraphs();
    let place = |p: &crate::corpus::Paragraph| SourceRange {
        source: source_index,
        range: p.range.clone(),
    };
    let paragraphs: Vec<SourceRange> = if numbers.is_empty() {
        source.paragraphs.iter().map(place).collect()
    } else {
        numbers
            .iter()
            .filter_map(|&n| source.paragraph(n))
            .map(place)
            .collect()
    };
    (!paragraphs.is_empty()).then_some(paragraphs)
}

/// The groups of passages a sentence may be judged by: each citation's paragraphs, each
/// paragraph of a source cited whole, and all the cited paragraphs together (a sentence
/// with two citations may need both).
fn candidate_groups(index: &Index, citations: &[&Citation]) -> Vec<Vec<SourceRange>> {
    let mut groups: Vec<Vec<SourceRange>> = Vec::new();
    let mut together: Vec<SourceRange> = Vec::new();
    for citation in citations {
        let Some(passages) = cited_passages(index, citation) else {
            continue;
        };
        if citation.paragraphs().is_empty() {
            groups.extend(passages.into_iter().map(|p| vec![p]));
        } else {
            together.extend(passages.iter().cloned());
            groups.push(passages);
        }
    }
    if together.len() > 1 && !groups.contains(&together) {
        groups.push(together);
    }
    groups
}

/// How a group of passages fares against a sentence.
#[derive(Debug, Clone, Default)]
struct Verdict {
    /// The share of the sentence's names the passages carry (1 when it names none).
    entities: f64,
    /// The share of all its facts (names, dates, numbers, and key terms at half weight) the
    /// passages carry, the contradicted ones left out of the count.
    support: f64,
    /// The share of its key terms the passages carry (1 when it has fewer than two).
    terms: f64,
    /// Names the passages share with it, not counting demonyms.
    names: usize,
    /// Claim facts the passages contradict: the claim's range, what the passage says, where.
    contradictions: Vec<(Range<usize>, String, SourceRange)>,
    /// Claim facts absent from the passages, as written in the brief.
    missing: Vec<String>,
}

impl Verdict {
    fn score(&self) -> f64 {
        self.entities + self.support + self.terms - 0.1 * self.contradictions.len() as f64
    }

    /// The passages speak of what the sentence speaks of.
    fn on_topic(&self) -> bool {
        self.entities >= MIN_ENTITIES
            && self.support >= MIN_SUPPORT
            && (self.terms >= MIN_TERMS || self.names >= NAMES_ENOUGH)
    }
}

pub fn check(
    index: &Index,
    analysis: &Analysis,
    sentences: &[SentenceClaim],
    cache: &Passages,
    fixes: CorpusFixes,
    findings: &mut Vec<Finding>,
) {
    let brief = &analysis.brief;
    // Quoted words are the misquote check's; citations are not claims.
    let skipped = brief_skips(brief, true);
    for claim in sentences.iter().filter(|s| s.cited) {
        let Some(sentence) = brief.sentences.get(claim.sentence) else {
            continue;
        };
        let citations: Vec<&Citation> = sentence
            .citations
            .iter()
            .filter_map(|&i| brief.citations.get(i))
            .collect();
        let groups = candidate_groups(index, &citations);
        let facts = facts(
            index,
            &analysis.text,
            sentence.range.clone(),
            &skipped,
            None,
        );
        if groups.is_empty() || !has_checkable_facts(&facts) {
            continue;
        }
        let authors = cited_authors(index, &citations);
        let Some((verdict, group)) = groups
            .iter()
            .map(|group| {
                (
                    judge(index, &analysis.text, &facts, group, &authors, cache),
                    group,
                )
            })
            .max_by(|a, b| a.0.score().total_cmp(&b.0.score()))
        else {
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
            for (range, says, place) in &verdict.contradictions {
                findings.push(Finding {
                    code: Code::ContradictsSource,
                    range: range.clone(),
                    message: format!("the cited paragraph says {says}"),
                    related: std::iter::once(Related {
                        place: place.clone(),
                        message: format!("the passage says {says}"),
                    })
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
        // A sentence built on a quotation stands or falls with it: the misquote check
        // judges the quotation, and a correct one is the support.
        if has_quotation(brief, &sentence.range) {
            continue;
        }
        let Some(first) = citations.first() else {
            continue;
        };
        let mut missing = verdict.missing.clone();
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
        if fixes == CorpusFixes::Make
            && let Some(best) = best_support(index, &analysis.text, &facts, cache)
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

/// The entities that are the cited sources' authors: a sentence that names the author
/// ("Lindqvist describes…") is not unsupported for it.
fn cited_authors(index: &Index, citations: &[&Citation]) -> HashSet<usize> {
    let mut authors = HashSet::new();
    for citation in citations {
        let Some(source) = index.source(&citation.key) else {
            continue;
        };
        for author in &source.authors {
            authors.extend(index.entities_named(author).iter().copied());
        }
    }
    authors
}

fn unsupported_message(index: &Index, group: &[SourceRange], missing: &[String]) -> String {
    let cited: Vec<String> = group
        .iter()
        .take(3)
        .map(|place| {
            cite(index, place)
                .trim_start_matches('@')
                .replace(", para. ", " ¶")
        })
        .collect();
    let cited = if group.len() > 3 {
        format!("{} …", cited.join(", "))
    } else {
        cited.join(", ")
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
fn judge(
    index: &Index,
    brief_text: &str,
    claim: &Facts,
    group: &[SourceRange],
    present: &HashSet<usize>,
    cache: &Passages,
) -> Verdict {
    let passages: Vec<Passage> = group
        .iter()
        .filter_map(|place| {
            Some(Passage {
                place: place.clone(),
                data: cache.get(index, place)?,
            })
        })
        .collect();
    let shown = |range: &Range<usize>| brief_text.get(range.clone()).unwrap_or("").to_string();
    let mut verdict = Verdict::default();
    let mut matched = 0.0;
    let mut counted = 0.0;

    let passage_entities: HashSet<usize> = passages
        .iter()
        .flat_map(|p| p.data.facts.entities.iter().map(|m| m.entity))
        .chain(present.iter().copied())
        .collect();
    let claim_entities = claim.entity_set();
    let found: HashSet<usize> = claim_entities
        .iter()
        .copied()
        .filter(|e| passage_entities.contains(e))
        .collect();
    verdict.entities = share(found.len(), claim_entities.len());
    verdict.names = claim
        .entities
        .iter()
        .filter(|m| !m.demonym && found.contains(&m.entity))
        .map(|m| m.entity)
        .collect::<HashSet<_>>()
        .len();
    matched += found.len() as f64;
    counted += claim_entities.len() as f64;
    let mut reported = HashSet::new();
    for mention in &claim.entities {
        if !found.contains(&mention.entity) && reported.insert(mention.entity) {
            verdict.missing.push(shown(&mention.range));
        }
    }

    let claim_terms = claim.term_set();
    let found_terms = claim_terms
        .iter()
        .filter(|t| {
            passages.iter().any(|p| {
                p.data
                    .facts
                    .terms
                    .iter()
                    .any(|(_, said)| terms_meet(t, said))
            })
        })
        .count();
    matched += 0.5 * found_terms as f64;
    counted += 0.5 * claim_terms.len() as f64;
    verdict.terms = if claim_terms.len() < 2 {
        1.0
    } else {
        share(found_terms, claim_terms.len())
    };

    for (range, date) in &claim.dates {
        let candidates: Vec<Candidate> = passages
            .iter()
            .flat_map(|p| {
                p.data
                    .facts
                    .dates
                    .iter()
                    .map(move |(at, said)| (p, at, dates_agree(date, said), span(said)))
            })
            .collect();
        match same_thing(&candidates, &clause_facts(brief_text, claim, range)) {
            Outcome::Agrees => {
                matched += 1.0;
                counted += 1.0;
            }
            Outcome::Disagrees(passage, at) => verdict.contradictions.push((
                bare(brief_text, range),
                bare_text(passage.text().get(at.clone()).unwrap_or("")),
                SourceRange {
                    source: passage.place.source,
                    range: at.clone(),
                },
            )),
            Outcome::Absent => {
                counted += 1.0;
                verdict.missing.push(shown(range));
            }
        }
    }
    for quantity in &claim.quantities {
        let candidates: Vec<Candidate> = passages
            .iter()
            .flat_map(|p| {
                p.data
                    .facts
                    .quantities
                    .iter()
                    .filter(|said| comparable(quantity, said))
                    .map(move |said| (p, &said.range, amounts_agree(quantity, said), 0))
            })
            .collect();
        let agrees_anywhere = passages.iter().any(|p| {
            p.data
                .facts
                .quantities
                .iter()
                .any(|said| amounts_agree(quantity, said))
        });
        match same_thing(
            &candidates,
            &clause_facts(brief_text, claim, &quantity.range),
        ) {
            _ if agrees_anywhere => {
                matched += 1.0;
                counted += 1.0;
            }
            Outcome::Disagrees(passage, at) => verdict.contradictions.push((
                quantity.range.clone(),
                passage.text().get(at.clone()).unwrap_or("").to_string(),
                SourceRange {
                    source: passage.place.source,
                    range: at.clone(),
                },
            )),
            Outcome::Agrees | Outcome::Absent => {
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

/// A time expression without its leading preposition: `July 2023` of `in July 2023`.
fn bare(text: &str, range: &Range<usize>) -> Range<usize> {
    let Some(words) = text.get(range.clone()) else {
        return range.clone();
    };
    let lead = words.len() - bare_text(words).len();
    range.start + lead..range.end
}

fn bare_text(words: &str) -> String {
    for preposition in [
        "in ", "In ", "on ", "On ", "during ", "During ", "at ", "At ",
    ] {
        if let Some(after) = words.strip_prefix(preposition) {
            return after.to_string();
        }
    }
    words.to_string()
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
pub fn best_support(
    index: &Index,
    brief_text: &str,
    claim: &Facts,
    cache: &Passages,
) -> Option<SourceRange> {
    let mut candidates: Vec<SourceRange> = Vec::new();
    let mut seen = HashSet::new();
    for mention in &claim.entities {
        let Some(entity) = index.entity_at(mention.entity) else {
            continue;
        };
        for found in entity.mentions.iter().filter(|m| m.paragraph > 0) {
            if candidates.len() >= CANDIDATES {
                break;
            }
            if seen.insert((found.source(), found.paragraph))
                && let Some(paragraph) = index
                    .source_at(found.source())
                    .and_then(|s| s.paragraph(found.paragraph))
            {
                candidates.push(SourceRange {
                    source: found.source(),
                    range: paragraph.range.clone(),
                });
            }
        }
    }
    let nobody = HashSet::new();
    candidates
        .into_iter()
        .map(|place| {
            (
                judge(
                    index,
                    brief_text,
                    claim,
                    std::slice::from_ref(&place),
                    &nobody,
                    cache,
                ),
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
