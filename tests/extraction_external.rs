//! Precision and recall of person, organisation and place mentions on text the project did
//! not write: public-domain US government texts in `tests/fixtures/external/` (provenance
//! and licences in its README), with hand-made gold annotations in `tests/gold/external/`,
//! annotated before the extractor was run on them.
//!
//! Scored as the CoNLL shared tasks score named entities: a mention counts only with its
//! exact span and its type (PER, ORG, LOC). Demonyms ("Japanese", "Soviet"), which CoNLL
//! calls MISC, are scored apart, by span alone; named events and agreements are not scored.
//! Run with `--nocapture` to see the table that docs/EXTRACTION.md reports, and every miss
//! and false positive.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use dossier::corpus::{self, Source};
use dossier::extract::extract;
use dossier::extract::lexicon::{EntityKind, Form, Lexicon};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Gold {
    entity: Vec<GoldEntity>,
    mention: Vec<GoldMention>,
}

#[derive(Debug, Deserialize)]
struct GoldEntity {
    name: String,
    kind: EntityKind,
}

#[derive(Debug, Deserialize)]
struct GoldMention {
    paragraph: u32,
    text: String,
    entity: String,
    #[serde(default)]
    demonym: bool,
}

/// The types CoNLL scores; events and other named things are MISC and left out.
const TYPES: [(EntityKind, &str); 3] = [
    (EntityKind::Person, "PER"),
    (EntityKind::Organization, "ORG"),
    (EntityKind::Place, "LOC"),
];

#[derive(Default, Clone, Copy)]
struct Score {
    true_positives: usize,
    predicted: usize,
    gold: usize,
}

impl Score {
    fn of<T: Eq + std::hash::Hash>(predicted: &HashSet<T>, gold: &HashSet<T>) -> Score {
        Score {
            true_positives: predicted.intersection(gold).count(),
            predicted: predicted.len(),
            gold: gold.len(),
        }
    }
    fn add(&mut self, other: Score) {
        self.true_positives += other.true_positives;
        self.predicted += other.predicted;
        self.gold += other.gold;
    }
    fn precision(&self) -> f64 {
        ratio(self.true_positives, self.predicted)
    }
    fn recall(&self) -> f64 {
        ratio(self.true_positives, self.gold)
    }
    fn f1(&self) -> f64 {
        ratio(2 * self.true_positives, self.predicted + self.gold)
    }
    fn cells(&self) -> String {
        format!(
            "{:.2} | {:.2} | {:.2} | {}",
            self.precision(),
            self.recall(),
            self.f1(),
            self.gold
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

type Span = (usize, usize, EntityKind);

/// The scores of one source: per type, all three types together, and demonyms.
struct Report {
    /// In the order of `TYPES`.
    per_type: Vec<(&'static str, Score)>,
    overall: Score,
    demonyms: Score,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The first whole-word occurrence of `needle` in `text[range]` at or after `from`.
fn find_whole(text: &str, needle: &str, range: Range<usize>, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(found) = text[at..range.end].find(needle) {
        let start = at + found;
        let end = start + needle.len();
        let before = text[..start].chars().next_back().is_some_and(is_word);
        let after = text[end..].chars().next().is_some_and(is_word);
        if !before && !after {
            return Some(start);
        }
        at = start + needle.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Gold spans (PER/ORG/LOC, non-demonym) and demonym spans, found in order in their units.
fn gold_spans(source: &Source, gold: &Gold) -> (HashSet<Span>, HashSet<Range<usize>>) {
    let kind_of = |name: &str| {
        gold.entity
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.kind)
            .unwrap_or_else(|| panic!("gold entity {name:?}"))
    };
    let header_end = source
        .paragraphs
        .first()
        .map_or(source.text.len(), |p| p.range.start);
    let mut names = HashSet::new();
    let mut demonyms = HashSet::new();
    let mut cursor: (u32, usize) = (u32::MAX, 0);
    for mention in &gold.mention {
        let unit = match mention.paragraph {
            0 => 0..header_end,
            n => source.paragraph(n).expect("gold paragraph").range.clone(),
        };
        let from = if cursor.0 == mention.paragraph {
            cursor.1
        } else {
            unit.start
        };
        let at = find_whole(&source.text, &mention.text, unit, from).unwrap_or_else(|| {
            panic!(
                "gold mention {:?} not in paragraph {}",
                mention.text, mention.paragraph
            )
        });
        let end = at + mention.text.len();
        cursor = (mention.paragraph, end);
        let kind = kind_of(&mention.entity);
        if mention.demonym {
            demonyms.insert(at..end);
        } else if TYPES.iter().any(|(k, _)| *k == kind) {
            names.insert((at, end, kind));
        }
    }
    (names, demonyms)
}

fn evaluate(name: &str, path: &str, gold_file: &str) -> Report {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = corpus::load(root, &[path.to_string()]);
    assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
    let source = &corpus.sources[0];
    let gold_text =
        std::fs::read_to_string(root.join("tests/gold/external").join(gold_file)).expect("gold");
    let gold: Gold = toml::from_str(&gold_text).expect("valid gold");
    let (gold_names, gold_demonyms) = gold_spans(source, &gold);

    let extraction = extract(source, Lexicon::built_in());
    let mut predicted_names: HashSet<Span> = HashSet::new();
    let mut predicted_demonyms: HashSet<Range<usize>> = HashSet::new();
    for mention in &extraction.mentions {
        let kind = extraction.entities[mention.entity()].kind;
        let range = mention.range();
        if mention.form == Form::Demonym {
            predicted_demonyms.insert(range);
        } else if TYPES.iter().any(|(k, _)| *k == kind) {
            predicted_names.insert((range.start, range.end, kind));
        }
    }

    let label = |kind: EntityKind| TYPES.iter().find(|(k, _)| *k == kind).map_or("?", |t| t.1);
    let mut errors: Vec<(usize, String)> = Vec::new();
    for &(start, end, kind) in predicted_names.difference(&gold_names) {
        errors.push((
            start,
            format!(
                "  false positive {} {:?}",
                label(kind),
                &source.text[start..end]
            ),
        ));
    }
    for &(start, end, kind) in gold_names.difference(&predicted_names) {
        errors.push((
            start,
            format!("  missed {} {:?}", label(kind), &source.text[start..end]),
        ));
    }
    for range in predicted_demonyms.difference(&gold_demonyms) {
        errors.push((
            range.start,
            format!("  false positive demonym {:?}", &source.text[range.clone()]),
        ));
    }
    for range in gold_demonyms.difference(&predicted_demonyms) {
        errors.push((
            range.start,
            format!("  missed demonym {:?}", &source.text[range.clone()]),
        ));
    }
    errors.sort();
    eprintln!("{name}:");
    for (_, line) in &errors {
        eprintln!("{line}");
    }

    let per_type = TYPES
        .iter()
        .map(|&(kind, label)| {
            let only = |spans: &HashSet<Span>| -> HashSet<Span> {
                spans.iter().filter(|s| s.2 == kind).copied().collect()
            };
            (
                label,
                Score::of(&only(&predicted_names), &only(&gold_names)),
            )
        })
        .collect();
    Report {
        per_type,
        overall: Score::of(&predicted_names, &gold_names),
        demonyms: Score::of(&predicted_demonyms, &gold_demonyms),
    }
}

fn row(name: &str, report: &Report) -> String {
    let mut cells = vec![name.to_string()];
    cells.extend(report.per_type.iter().map(|(_, score)| score.cells()));
    cells.push(report.overall.cells());
    cells.push(report.demonyms.cells());
    format!("| {} |", cells.join(" | "))
}

#[test]
fn public_domain_texts_we_did_not_write() {
    let sources = [
        (
            "carter1980 (State of the Union, 1980)",
            "tests/fixtures/external/carter-1980-state-of-the-union.txt",
            "carter-1980-state-of-the-union.toml",
        ),
        (
            "factbook (World Factbook backgrounds)",
            "tests/fixtures/external/factbook-backgrounds.md",
            "factbook-backgrounds.toml",
        ),
    ];
    let reports: Vec<(&str, Report)> = sources
        .iter()
        .map(|&(name, path, gold)| (name, evaluate(name, path, gold)))
        .collect();
    let mut total = Report {
        per_type: TYPES.iter().map(|t| (t.1, Score::default())).collect(),
        overall: Score::default(),
        demonyms: Score::default(),
    };
    for (_, report) in &reports {
        for ((_, sum), (_, score)) in total.per_type.iter_mut().zip(&report.per_type) {
            sum.add(*score);
        }
        total.overall.add(report.overall);
        total.demonyms.add(report.demonyms);
    }
    let header = TYPES
        .iter()
        .map(|t| t.1)
        .chain(["PER+ORG+LOC", "demonyms"])
        .map(|t| format!("{t} P | {t} R | {t} F1 | {t} gold"))
        .collect::<Vec<_>>()
        .join(" | ");
    eprintln!("| source | {header} |");
    eprintln!("|{}", " --- |".repeat(1 + 5 * 4));
    for (name, report) in &reports {
        eprintln!("{}", row(name, report));
    }
    eprintln!("{}", row("all (micro-average)", &total));

    // Floors a little under today's figures (docs/EXTRACTION.md, "On text we did not
    // write"), so that a regression fails the test. These are not the issue's 0.95/0.9 bars,
    // which apply to the seed gold (tests/extraction_gold.rs): this set measures how the
    // extractor does on text in general, and must never be tuned to.
    // Today: PER 0.40 / 0.19 (the Factbook's capitalised surnames), ORG 0.73 / 0.77, LOC
    // 0.97 / 0.85, all three 0.86 / 0.75.
    let floors = [
        ("PER", 0.30, 0.15),
        ("ORG", 0.65, 0.70),
        ("LOC", 0.90, 0.80),
    ];
    for (label, precision, recall) in floors {
        let score = total
            .per_type
            .iter()
            .find(|(l, _)| *l == label)
            .expect("type")
            .1;
        assert!(
            score.precision() >= precision,
            "{label} precision {:.3} under {precision}",
            score.precision()
        );
        assert!(
            score.recall() >= recall,
            "{label} recall {:.3} under {recall}",
            score.recall()
        );
    }
    assert!(
        total.overall.precision() >= 0.80,
        "PER+ORG+LOC precision {:.3}",
        total.overall.precision()
    );
    assert!(
        total.overall.recall() >= 0.70,
        "PER+ORG+LOC recall {:.3}",
        total.overall.recall()
    );
}
