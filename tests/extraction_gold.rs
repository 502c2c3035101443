//! Precision and recall of entity extraction against hand-made gold annotations
//! (`tests/gold/*.toml`): the seed, and three sources written for these tests on other
//! regions, decades and names. Run with `--nocapture` to see the table that
//! docs/EXTRACTION.md reports.

use std::collections::HashSet;
use std::path::Path;

use dossier::corpus;
use dossier::extract::lexicon::{EntityKind, Lexicon};
use dossier::index::Index;
use dossier::index::SourceInfo;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Gold {
    #[serde(default)]
    entity: Vec<GoldEntity>,
    #[serde(default)]
    mention: Vec<GoldMention>,
    #[serde(default)]
    event: Vec<GoldEvent>,
}

#[derive(Debug, Deserialize)]
struct GoldEvent {
    paragraph: u32,
    when: String,
    /// EDTF, or empty when the text gives no date.
    date: String,
}

#[derive(Debug, Deserialize)]
struct GoldEntity {
    name: String,
    kind: EntityKind,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    demonyms: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct GoldMention {
    paragraph: u32,
    text: String,
    entity: String,
    #[serde(default)]
    demonym: bool,
}

struct Score {
    true_positives: usize,
    predicted: usize,
    gold: usize,
}

impl Score {
    fn precision(&self) -> f64 {
        ratio(self.true_positives, self.predicted)
    }
    fn recall(&self) -> f64 {
        ratio(self.true_positives, self.gold)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn load(path: &str) -> Index {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = corpus::load(root, &[path.to_string()]);
    assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
    Index::build(corpus.sources, Lexicon::built_in())
}

fn gold(name: &str) -> Gold {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/gold")
        .join(name);
    let text = std::fs::read_to_string(path).expect("gold file");
    toml::from_str(&text).expect("valid gold")
}

/// Entities: a predicted entity matches a gold one of the same kind when their names,
/// aliases and demonyms share a form. Precision counts the predictions that match a gold
/// entity; recall the gold entities that some prediction matches.
fn score_entities(index: &Index, gold: &Gold) -> (f64, f64) {
    let forms = |name: &str, aliases: &[String], demonyms: &[String]| -> HashSet<String> {
        std::iter::once(name.to_string())
            .chain(aliases.iter().cloned())
            .chain(demonyms.iter().cloned())
            .collect()
    };
    let predicted: Vec<(EntityKind, HashSet<String>)> = index
        .entities()
        .iter()
        .map(|e| (e.kind, forms(&e.name, &e.aliases, &e.demonyms)))
        .collect();
    let expected: Vec<(EntityKind, HashSet<String>)> = gold
        .entity
        .iter()
        .map(|e| (e.kind, forms(&e.name, &e.aliases, &e.demonyms)))
        .collect();
    let matches = |a: &(EntityKind, HashSet<String>), b: &(EntityKind, HashSet<String>)| {
        a.0 == b.0 && !a.1.is_disjoint(&b.1)
    };
    let matched_predictions = predicted
        .iter()
        .filter(|p| expected.iter().any(|g| matches(p, g)))
        .count();
    let matched_gold = expected
        .iter()
        .filter(|g| predicted.iter().any(|p| matches(p, g)))
        .count();
    for p in predicted
        .iter()
        .filter(|p| !expected.iter().any(|g| matches(p, g)))
    {
        eprintln!("  not in gold: {:?} {:?}", p.0, p.1);
    }
    for g in expected
        .iter()
        .filter(|g| !predicted.iter().any(|p| matches(p, g)))
    {
        eprintln!("  missed: {:?} {:?}", g.0, g.1);
    }
    (
        ratio(matched_predictions, predicted.len()),
        ratio(matched_gold, expected.len()),
    )
}

/// Mentions, CoNLL-style: exact span and kind. Demonyms are scored apart (CoNLL would call
/// them MISC).
fn score_mentions(
    index: &Index,
    (source, text): (&SourceInfo, &str),
    gold: &Gold,
    demonyms: bool,
) -> Score {
    let kind_of = |name: &str| gold.entity.iter().find(|e| e.name == name).map(|e| e.kind);
    let mut gold_spans: HashSet<(usize, usize, EntityKind)> = HashSet::new();
    let mut cursor: (u32, usize) = (u32::MAX, 0);
    for mention in &gold.mention {
        let unit = if mention.paragraph == 0 {
            0..source
                .paragraphs
                .first()
                .map_or(text.len(), |p| p.range.start)
        } else {
            source
                .paragraph(mention.paragraph)
                .expect("gold paragraph")
                .range
                .clone()
        };
        let from = if cursor.0 == mention.paragraph {
            cursor.1
        } else {
            unit.start
        };
        let at = text[from..unit.end]
            .find(&mention.text)
            .expect("gold mention in text")
            + from;
        cursor = (mention.paragraph, at + mention.text.len());
        if mention.demonym == demonyms
            && let Some(kind) = kind_of(&mention.entity)
        {
            gold_spans.insert((at, at + mention.text.len(), kind));
        }
    }
    let predicted: HashSet<(usize, usize, EntityKind)> = index
        .entities()
        .iter()
        .flat_map(|e| {
            e.mentions
                .iter()
                .filter(|m| m.demonym == demonyms)
                .map(move |m| (m.range().start, m.range().end, e.kind))
        })
        .collect();
    Score {
        true_positives: predicted.intersection(&gold_spans).count(),
        predicted: predicted.len(),
        gold: gold_spans.len(),
    }
}

/// Dated events: a predicted event matches a gold one when they are in the same paragraph,
/// their time expressions overlap, and their dates are equal. Undated expressions ("years
/// from now") are left out on both sides: the bar is for what the text dates.
fn score_events(index: &Index, (source, text): (&SourceInfo, &str), gold: &Gold) -> Score {
    let header_end = source
        .paragraphs
        .first()
        .map_or(text.len(), |p| p.range.start);
    let expected: Vec<(u32, std::ops::Range<usize>, String)> = gold
        .event
        .iter()
        .filter(|event| !event.date.is_empty())
        .map(|event| {
            let unit = match event.paragraph {
                0 => 0..header_end,
                n => source.paragraph(n).expect("gold paragraph").range.clone(),
            };
            let at = text[unit.clone()]
                .find(&event.when)
                .expect("gold time expression")
                + unit.start;
            (
                event.paragraph,
                at..at + event.when.len(),
                event.date.clone(),
            )
        })
        .collect();
    let predicted: Vec<(u32, std::ops::Range<usize>, String)> = index
        .events()
        .iter()
        .filter_map(|e| Some((e.paragraph, e.when(), index.event_date(e)?.to_string())))
        .collect();
    let matches = |a: &(u32, std::ops::Range<usize>, String),
                   b: &(u32, std::ops::Range<usize>, String)| {
        a.0 == b.0 && a.1.start < b.1.end && b.1.start < a.1.end && a.2 == b.2
    };
    for p in predicted
        .iter()
        .filter(|p| !expected.iter().any(|g| matches(p, g)))
    {
        eprintln!(
            "  event not in gold: ¶{} {:?} {}",
            p.0,
            &text[p.1.clone()],
            p.2
        );
    }
    for g in expected
        .iter()
        .filter(|g| !predicted.iter().any(|p| matches(p, g)))
    {
        eprintln!("  event missed: ¶{} {:?} {}", g.0, &text[g.1.clone()], g.2);
    }
    Score {
        true_positives: expected
            .iter()
            .filter(|g| predicted.iter().any(|p| matches(p, g)))
            .count(),
        predicted: predicted.len(),
        gold: expected.len(),
    }
}

struct Report {
    name: &'static str,
    events: Score,
    entity_precision: f64,
    entity_recall: f64,
    mentions: Score,
    demonyms: Score,
}

fn evaluate(name: &'static str, source_path: &str, gold_file: &str) -> Report {
    let index = load(source_path);
    let gold = gold(gold_file);
    let text = index.text(0).expect("the source's text");
    let source = (&index.sources()[0], &*text);
    let (entity_precision, entity_recall) = score_entities(&index, &gold);
    let report = Report {
        name,
        entity_precision,
        entity_recall,
        events: score_events(&index, source, &gold),
        mentions: score_mentions(&index, source, &gold, false),
        demonyms: score_mentions(&index, source, &gold, true),
    };
    eprintln!(
        "| {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
        report.name,
        report.entity_precision,
        report.entity_recall,
        report.mentions.precision(),
        report.mentions.recall(),
        report.demonyms.precision(),
        report.demonyms.recall(),
        report.events.precision(),
        report.events.recall(),
    );
    report
}

#[test]
fn seed_entities_meet_the_bar() {
    let report = evaluate(
        "berman2023 (seed)",
        "seeds/000_66373d9ec02ed63b.txt",
        "berman2023.toml",
    );
    assert!(
        report.entity_recall >= 0.95,
        "entity recall {:.3}",
        report.entity_recall
    );
    assert!(
        report.entity_precision >= 0.90,
        "entity precision {:.3}",
        report.entity_precision
    );
    assert!(
        report.mentions.recall() >= 0.90,
        "mention recall {:.3}",
        report.mentions.recall()
    );
    assert!(
        report.mentions.precision() >= 0.90,
        "mention precision {:.3}",
        report.mentions.precision()
    );
}

#[test]
fn sources_the_extractor_was_not_written_for() {
    for (name, path, gold_file) in [
        (
            "okonkwo2019 (Sahel, plain text)",
            "tests/fixtures/corpus/sources/okonkwo-2019-sahel.txt",
            "okonkwo-2019-sahel.toml",
        ),
        (
            "lindqvist2021 (Arctic, Markdown)",
            "tests/fixtures/corpus/sources/lindqvist-2021-arctic.md",
            "lindqvist-2021-arctic.toml",
        ),
        (
            "ferreira2024 (Mercosur, CRLF)",
            "tests/fixtures/corpus/sources/ferreira-2024-mercosur.txt",
            "ferreira-2024-mercosur.toml",
        ),
    ] {
        let report = evaluate(name, path, gold_file);
        // Lower bars than the seed's: these texts were written after the extractor, to
        // keep it honest; the figures are in docs/EXTRACTION.md.
        assert!(
            report.entity_recall >= 0.80,
            "{name}: entity recall {:.3}",
            report.entity_recall
        );
        assert!(
            report.entity_precision >= 0.80,
            "{name}: entity precision {:.3}",
            report.entity_precision
        );
        assert!(
            report.mentions.recall() >= 0.75,
            "{name}: mention recall {:.3}",
            report.mentions.recall()
        );
        assert!(
            report.mentions.precision() >= 0.75,
            "{name}: mention precision {:.3}",
            report.mentions.precision()
        );
    }
}

/// A text in a British newspaper's style (titles in lower case, appositions, non-English
/// organisations), written and annotated for these tests by hand, blind to the extractor's
/// output. Its floors are a little under today's figures (docs/EXTRACTION.md): a change
/// that loses ground on it fails here.
#[test]
fn a_newspaper_text_annotated_blind() {
    let report = evaluate(
        "mensah2022 (ports, newspaper style)",
        "tests/fixtures/newsroom/mensah-2022-ports.txt",
        "mensah-2022-ports.toml",
    );
    for (what, figure, floor) in [
        ("entity precision", report.entity_precision, 0.70),
        ("entity recall", report.entity_recall, 0.70),
        ("mention precision", report.mentions.precision(), 0.70),
        ("mention recall", report.mentions.recall(), 0.68),
    ] {
        assert!(figure >= floor, "mensah2022: {what} {figure:.3} < {floor}");
    }
}
