//! Precision and recall of every diagnostic code on a labelled set of briefs
//! (`tests/claims/`, see its README): each labelled line ends with `<!-- expect: CODE… -->`
//! or `<!-- expect: none -->`; a finding on a line counts for the code it carries. The test
//! fails when any code falls under 0.9 for either; `--nocapture` prints the table that
//! docs/DIAGNOSTICS-QUALITY.md reports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use dossier::config::DiagnosticsConfig;
use dossier::corpus;
use dossier::extract::lexicon::Lexicon;
use dossier::ide::Analysis;
use dossier::ide::diagnostics::{Code, Passages, check};
use dossier::index::Index;

#[derive(Default, Clone, Copy)]
struct Counts {
    true_positives: usize,
    false_positives: usize,
    false_negatives: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn index_for(name: &str) -> Index {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if name.starts_with("seed-") {
        Index::build(corpus::load_bundled().sources, Lexicon::built_in())
    } else {
        let corpus = corpus::load(
            &root.join("tests/fixtures/corpus"),
            &["sources".to_string()],
        );
        Index::build(corpus.sources, Lexicon::built_in())
    }
}

/// The codes each line expects (`None` for unlabelled lines).
fn labels(text: &str) -> Vec<(std::ops::Range<usize>, Option<BTreeSet<String>>)> {
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let range = start..start + line.len();
        start = range.end;
        let expected = line.split_once("<!-- expect:").map(|(_, rest)| {
            rest.split("-->")
                .next()
                .unwrap_or("")
                .split_whitespace()
                .filter(|code| *code != "none")
                .map(str::to_string)
                .collect()
        });
        lines.push((range, expected));
    }
    lines
}

#[test]
fn every_code_reaches_the_bar_on_the_labelled_briefs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/claims");
    let mut briefs: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/claims")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "md") && !path.ends_with("README.md"))
        .collect();
    briefs.sort();
    assert!(briefs.len() >= 6, "the labelled set is there");

    let mut counts: BTreeMap<&'static str, Counts> = Code::ALL
        .iter()
        .map(|c| (c.name(), Counts::default()))
        .collect();
    let mut labelled = 0;
    for path in &briefs {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let text = std::fs::read_to_string(path).expect("brief");
        let index = index_for(name);
        let analysis = Analysis::new(text.clone());
        let report = check(
            &index,
            &analysis,
            &DiagnosticsConfig::default(),
            &Passages::default(),
        );
        for (range, expected) in labels(&text) {
            let found: BTreeSet<&'static str> = report
                .diagnostics
                .iter()
                .filter(|d| range.start <= d.range.start && d.range.start < range.end)
                .map(|d| d.code.name())
                .collect();
            let expected = expected.clone().unwrap_or_default();
            if !found.is_empty() || !expected.is_empty() {
                labelled += 1;
            }
            for code in Code::ALL.iter().map(|c| c.name()) {
                let entry = counts.entry(code).or_default();
                match (found.contains(code), expected.contains(code)) {
                    (true, true) => entry.true_positives += 1,
                    (true, false) => {
                        entry.false_positives += 1;
                        eprintln!("  false {code}: {name}: {}", text[range.clone()].trim_end());
                    }
                    (false, true) => {
                        entry.false_negatives += 1;
                        eprintln!(
                            "  missed {code}: {name}: {}",
                            text[range.clone()].trim_end()
                        );
                    }
                    (false, false) => {}
                }
            }
        }
    }
    assert!(labelled > 100, "{labelled} lines with labels or findings");
    eprintln!("| code | precision | recall | labelled |");
    eprintln!("| --- | --- | --- | --- |");
    let mut failures = Vec::new();
    for (code, c) in &counts {
        let precision = ratio(c.true_positives, c.true_positives + c.false_positives);
        let recall = ratio(c.true_positives, c.true_positives + c.false_negatives);
        eprintln!(
            "| {code} | {precision:.2} | {recall:.2} | {} |",
            c.true_positives + c.false_negatives
        );
        if precision < 0.9 || recall < 0.9 {
            failures.push(format!(
                "{code}: precision {precision:.2}, recall {recall:.2}"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}
