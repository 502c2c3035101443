//! `contradicts-source` and `unsupported-claim`: a cited passage supports a sentence when it
//! carries the sentence's names (through aliases), its dates and numbers (in any wording) and
//! its key terms. A date or number that disagrees with what the passage says of the same
//! thing contradicts it; names, dates and terms that are not there leave the claim
//! unsupported.
//!
//! "The same thing": of the passage's dates (or numbers), the one whose sentence shares the
//! most names and terms with the claim.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::rc::Rc;

use super::claims::{SentenceClaim, cite, has_quotation};
use super::facts::{Facts, SkipRanges, brief_skips, dates_agree, facts, span};
use super::{Code, CorpusFixes, Finding, Fix, Related};
use crate::brief::{Citation, CitationMode};
use crate::extract::quantities::Quantity;
use crate::ide::{Analysis, SourceRange};
use crate::index::Index;
use crate::sentences::sentences;

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

/// What a paragraph of the corpus states, read once per check of a brief: a brief of many
/// claims asks about the same paragraphs again and again.
pub struct PassageData {
    facts: Facts,
    sentences: Vec<Range<usize>>,
}

/// The paragraphs read so far in one check, by source and start offset.
#[derive(Default)]
pub struct PassageCache {
    read: RefCell<HashMap<(usize, usize), Rc<PassageData>>>,
}

impl PassageCache {
    fn get(&self, index: &Index, place: &SourceRange) -> Option<Rc<PassageData>> {
        if let Some(data) = self.read.borrow().get(&(place.source, place.range.start)) {
            return Some(Rc::clone(data));
        }
        let source = index.source_at(place.source)?;
        let data = Rc::new(PassageData {
            facts: facts(
                index,
                &source.text,
                place.range.clone(),
                &SkipRanges::default(),
                source.date.as_ref(),
            ),
            sentences: sentences(&source.text, place.range.clone()),
        });
        self.read
            .borrow_mut()
            .insert((place.source, place.range.start), Rc::clone(&data));
        Some(data)
    }
}

/// A passage (one paragraph) read for judging: its facts and its sentences.
struct Passage<'i> {
    place: SourceRange,
    text: &'i str,
    data: Rc<PassageData>,
}

impl Passage<'_> {
    /// How much the sentence of the passage around `at` shares with `claim` (the facts of
    /// the claim's clause).
    fn context(&self, at: &Range<usize>, claim: &Facts) -> usize {
        let Some(sentence) = self
            .data
            .sentences
            .iter()
            .find(|s| s.start <= at.start && at.end <= s.end)
        else {
            return 0;
        };
        let inside = |r: &Range<usize>| sentence.start <= r.start && r.end <= sentence.end;
        let claim_entities = claim.entity_set();
        let entities: HashSet<usize> = self
            .data
            .facts
            .entities
            .iter()
            .filter(|m| inside(&m.range) && claim_entities.contains(&m.entity))
            .map(|m| m.entity)
            .collect();
        let claim_terms = claim.term_set();
        let terms: HashSet<&str> = self
            .data
            .facts
            .terms
            .iter()
            .filter(|(r, t)| inside(r) && claim_terms.iter().any(|c| terms_meet(c, t)))
            .map(|(_, t)| t.as_str())
            .collect();
        entities.len() + terms.len()
    }
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
    cache: &PassageCache,
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
    cache: &PassageCache,
) -> Verdict {
    let passages: Vec<Passage> = group
        .iter()
        .filter_map(|place| {
            let source = index.source_at(place.source)?;
            Some(Passage {
                place: place.clone(),
                text: &source.text,
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
                bare_text(passage.text.get(at.clone()).unwrap_or("")),
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
                passage.text.get(at.clone()).unwrap_or("").to_string(),
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

enum Outcome<'p> {
    Agrees,
    Disagrees(&'p Passage<'p>, Range<usize>),
    Absent,
}

/// A candidate for "the same thing": a passage, the range of its date or number, whether it
/// agrees with the claim's, and how precise it is (smaller is more precise).
type Candidate<'p> = (&'p Passage<'p>, &'p Range<usize>, bool, i64);

/// Of the passage's dates or numbers, those whose sentence shares the most with the claim's
/// clause speak of the same thing, and of those the most precise: the claim agrees when one
/// of them agrees with it. With no overlap at all, any agreeing one will do; else the first
/// is what the passage says instead.
fn same_thing<'p>(candidates: &[Candidate<'p>], clause: &Facts) -> Outcome<'p> {
    if candidates.is_empty() {
        return Outcome::Absent;
    }
    let scored: Vec<(usize, &Candidate)> = candidates
        .iter()
        .map(|c| (c.0.context(c.1, clause), c))
        .collect();
    let best = scored.iter().map(|(score, _)| *score).max().unwrap_or(0);
    if best == 0 {
        if candidates.iter().any(|c| c.2) {
            return Outcome::Agrees;
        }
        return candidates
            .first()
            .map_or(Outcome::Absent, |c| Outcome::Disagrees(c.0, c.1.clone()));
    }
    let precision = scored
        .iter()
        .filter(|(s, _)| *s == best)
        .map(|(_, c)| c.3)
        .min()
        .unwrap_or(0);
    let closest: Vec<&Candidate> = scored
        .iter()
        .filter(|(s, c)| *s == best && c.3 == precision)
        .map(|(_, c)| *c)
        .collect();
    if closest.iter().any(|c| c.2) {
        return Outcome::Agrees;
    }
    match closest.first() {
        Some((passage, at, _, _)) => Outcome::Disagrees(passage, (*at).clone()),
        None => Outcome::Absent,
    }
}

/// The claim's facts in the clause around `at`: clauses end at `,`, `;` and at ` and ` /
/// ` while ` / ` but ` between them, so that in "founded in 1975, and Mercosur in 1991"
/// each date keeps its own names.
fn clause_facts(text: &str, claim: &Facts, at: &Range<usize>) -> Facts {
    let bounds = claim
        .entities
        .iter()
        .map(|m| m.range.clone())
        .chain(claim.terms.iter().map(|(r, _)| r.clone()))
        .chain(claim.dates.iter().map(|(r, _)| r.clone()))
        .fold(at.clone(), |all, r| {
            all.start.min(r.start)..all.end.max(r.end)
        });
    let sentence = text.get(bounds.clone()).unwrap_or("");
    let mut start = bounds.start;
    let mut end = bounds.end;
    for separator in [",", ";", " and ", " while ", " but ", " whereas "] {
        for (offset, _) in sentence.match_indices(separator) {
            let position = bounds.start + offset;
            if position + separator.len() <= at.start {
                start = start.max(position + separator.len());
            } else if position >= at.end {
                end = end.min(position);
            }
        }
    }
    let inside = |r: &Range<usize>| start <= r.start && r.end <= end;
    Facts {
        entities: claim
            .entities
            .iter()
            .filter(|m| inside(&m.range))
            .cloned()
            .collect(),
        dates: Vec::new(),
        quantities: Vec::new(),
        terms: claim
            .terms
            .iter()
            .filter(|(r, _)| inside(r))
            .cloned()
            .collect(),
    }
}

/// Quantities that could be of the same thing: the same unit, or both bare numbers of a
/// like size.
fn comparable(claim: &Quantity, passage: &Quantity) -> bool {
    match (&claim.unit, &passage.unit) {
        (Some(a), Some(b)) => a == b,
        (None, None) => {
            let (a, b) = (claim.value.abs().max(1e-9), passage.value.abs().max(1e-9));
            (a / b).max(b / a) <= 100.0
        }
        _ => false,
    }
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
    cache: &PassageCache,
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
            if seen.insert((found.source, found.paragraph))
                && let Some(paragraph) = index
                    .source_at(found.source)
                    .and_then(|s| s.paragraph(found.paragraph))
            {
                candidates.push(SourceRange {
                    source: found.source,
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
