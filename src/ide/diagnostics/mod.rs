//! Diagnostics for unsupported claims (SPEC §6): one module per check, each producing
//! findings as plain values with byte ranges; severities, the analyst's settings and the
//! `dossier-ignore` directives are applied here, once. The server and `dossier check` both
//! call [`check`], so the editor and CI never disagree.

pub mod claims;
pub mod codes;
pub mod facts;
mod keys;
mod passages;
mod quotes;
mod support;
#[cfg(test)]
mod tests;

use std::ops::Range;

use super::{Analysis, SourceRange};
use crate::config::DiagnosticsConfig;
use crate::index::Index;
pub use codes::{Code, Severity};
pub use passages::Passages;

/// A finding before severities: what is wrong, where, what the source says, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    /// The words that matter in the brief: the key, the locator, the quotation, the date.
    pub range: Range<usize>,
    pub message: String,
    /// The passages the message speaks of.
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub place: SourceRange,
    pub message: String,
}

/// A quick fix: edits to the brief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<(Range<usize>, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub range: Range<usize>,
    pub message: String,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

/// The citation coverage of a brief, for reviewers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Sentences that state a checkable fact.
    pub claims: usize,
    /// Of those, the ones with a citation.
    pub cited: usize,
    /// Of those, the ones whose citations hold up (no finding on them).
    pub supported: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub coverage: Coverage,
}

/// Whether to make the quick fixes that search the corpus (the passage that best supports a
/// claim): costly on every keystroke, so the server makes them only when the editor asks for
/// code actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorpusFixes {
    Make,
    Skip,
}

/// Every diagnostic of a brief, in order, with the analyst's severities and silences, and
/// every quick fix.
pub fn check(
    index: &Index,
    analysis: &Analysis,
    settings: &DiagnosticsConfig,
    passages: &Passages,
) -> Report {
    check_with(index, analysis, settings, passages, CorpusFixes::Make)
}

/// Every diagnostic of a brief, with only the quick fixes that need no search of the corpus:
/// what the server publishes as the user types, and what `dossier check` prints.
/// `passages` is what earlier checks against the same index read of the corpus.
pub fn check_quickly(
    index: &Index,
    analysis: &Analysis,
    settings: &DiagnosticsConfig,
    passages: &Passages,
) -> Report {
    check_with(index, analysis, settings, passages, CorpusFixes::Skip)
}

fn check_with(
    index: &Index,
    analysis: &Analysis,
    settings: &DiagnosticsConfig,
    passages: &Passages,
    fixes: CorpusFixes,
) -> Report {
    let mut findings = Vec::new();
    keys::check(index, analysis, passages, &mut findings);
    quotes::check(index, analysis, passages, &mut findings);
    let sentences = claims::classify(index, analysis);
    support::check(index, analysis, &sentences, passages, fixes, &mut findings);
    claims::uncited(index, analysis, &sentences, passages, fixes, &mut findings);

    let coverage = coverage(analysis, &sentences, &findings);
    let mut diagnostics: Vec<Diagnostic> = findings
        .into_iter()
        .filter(|finding| {
            !analysis
                .brief
                .is_suppressed(finding.code.name(), &finding.range)
        })
        .filter_map(|finding| {
            Some(Diagnostic {
                severity: finding.code.severity(settings)?,
                code: finding.code,
                range: finding.range,
                message: finding.message,
                related: finding.related,
                fixes: finding.fixes,
            })
        })
        .collect();
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    Report {
        diagnostics,
        coverage,
    }
}

fn coverage(
    analysis: &Analysis,
    sentences: &[claims::SentenceClaim],
    findings: &[Finding],
) -> Coverage {
    let mut coverage = Coverage::default();
    // Where the findings on cited claims start, sorted, so each sentence is a binary search.
    let mut starts: Vec<usize> = findings
        .iter()
        .filter(|f| f.code != Code::UncitedClaim)
        .map(|f| f.range.start)
        .collect();
    starts.sort_unstable();
    for sentence in sentences.iter().filter(|s| s.is_claim) {
        coverage.claims += 1;
        if sentence.cited {
            coverage.cited += 1;
            let range = &analysis.brief.sentences[sentence.sentence].range;
            let first = starts.partition_point(|&start| start < range.start);
            let faulted = starts.get(first).is_some_and(|&start| start < range.end);
            if !faulted {
                coverage.supported += 1;
            }
        }
    }
    coverage
}

/// The link to a code's documentation: `docs/diagnostics.md`, written next to the bundled
/// sources so that it opens offline.
pub fn documentation(code: Code) -> Option<String> {
    let path = crate::corpus::bundled::materialize_document("docs/diagnostics.md").ok()?;
    Some(format!("file://{}#{}", path.display(), code.name()))
}
