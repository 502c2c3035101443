//! `dossier check`: the diagnostics the server would publish, for review pipelines, as
//! `path:line:col: severity[code]: message` lines, as JSON (the LSP diagnostics, each with
//! its `path`), or as SARIF 2.1.0; and each brief's citation coverage.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::cli::CheckFormat;
use crate::ide::Analysis;
use crate::ide::diagnostics::{self, Code, Coverage, Diagnostic, Severity};
use crate::index::Index;
use crate::lsp::diagnostics::to_lsp;
use crate::text::PositionEncoding;
use crate::workspace::Workspace;

/// One brief's findings.
pub struct Checked {
    pub path: PathBuf,
    pub analysis: Analysis,
    pub diagnostics: Vec<Diagnostic>,
    pub coverage: Coverage,
}

/// Reads and checks one brief; a file that cannot be read is an error message.
pub fn check_file(index: &Index, workspace: &Workspace, path: &Path) -> Result<Checked, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: not UTF-8 (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    let analysis = Analysis::new(text);
    // The same findings as the server publishes, with the same related passages.
    let report = diagnostics::check_quickly(
        index,
        &analysis,
        &workspace.config.diagnostics,
        &diagnostics::Passages::default(),
    );
    Ok(Checked {
        path: path.to_path_buf(),
        analysis,
        diagnostics: report.diagnostics,
        coverage: report.coverage,
    })
}

pub fn has_errors(checked: &[Checked]) -> bool {
    checked
        .iter()
        .any(|c| c.diagnostics.iter().any(|d| d.severity == Severity::Error))
}

/// `path:line:col: severity[code]: message`, 1-based, then each brief's coverage.
pub fn human(checked: &[Checked]) -> String {
    let mut out = String::new();
    for brief in checked {
        for diagnostic in &brief.diagnostics {
            let (line, column) = brief
                .analysis
                .lines
                .human_line_column(&brief.analysis.text, diagnostic.range.start);
            let _ = writeln!(
                out,
                "{}:{line}:{column}: {}[{}]: {}",
                brief.path.display(),
                diagnostic.severity.name(),
                diagnostic.code.name(),
                diagnostic.message
            );
        }
    }
    for brief in checked {
        let _ = writeln!(out, "{}", coverage_line(brief));
    }
    out
}

/// `brief.md: 12 claims, 10 cited (83%), 8 supported (67%)`
pub fn coverage_line(brief: &Checked) -> String {
    let Coverage {
        claims,
        cited,
        supported,
    } = brief.coverage;
    let percent = |part: usize| (part * 100).checked_div(claims).unwrap_or(100);
    format!(
        "{}: {claims} claims, {cited} cited ({}%), {supported} supported ({}%)",
        brief.path.display(),
        percent(cited),
        percent(supported)
    )
}

/// The LSP diagnostics (UTF-16 positions), each with its `path`.
pub fn json(index: &Index, checked: &[Checked]) -> Value {
    let mut all = Vec::new();
    for brief in checked {
        for diagnostic in &brief.diagnostics {
            let mut value = serde_json::to_value(to_lsp(
                index,
                &brief.analysis,
                diagnostic,
                PositionEncoding::Utf16,
            ))
            .unwrap_or(Value::Null);
            if let Value::Object(map) = &mut value {
                map.insert(
                    "path".to_string(),
                    Value::from(brief.path.display().to_string()),
                );
            }
            all.push(value);
        }
    }
    Value::Array(all)
}

/// SARIF 2.1.0: one run, a rule per code, a result per diagnostic (1-based lines, UTF-16
/// columns, as SARIF counts them by default).
pub fn sarif(index: &Index, checked: &[Checked]) -> Value {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|code| {
            json!({
                "id": code.name(),
                "shortDescription": {"text": short_description(*code)},
                "helpUri": diagnostics::documentation(*code),
                "defaultConfiguration": {"level": level(code.default_severity())},
            })
        })
        .collect();
    let mut results = Vec::new();
    for brief in checked {
        for diagnostic in &brief.diagnostics {
            let lsp = to_lsp(index, &brief.analysis, diagnostic, PositionEncoding::Utf16);
            let region = json!({
                "startLine": lsp.range.start.line + 1,
                "startColumn": lsp.range.start.character + 1,
                "endLine": lsp.range.end.line + 1,
                "endColumn": lsp.range.end.character + 1,
            });
            let related: Vec<Value> = lsp
                .related_information
                .iter()
                .flatten()
                .enumerate()
                .map(|(id, info)| {
                    json!({
                        "id": id,
                        "message": {"text": info.message},
                        "physicalLocation": {
                            "artifactLocation": {"uri": info.location.uri.as_str()},
                            "region": {
                                "startLine": info.location.range.start.line + 1,
                                "startColumn": info.location.range.start.character + 1,
                                "endLine": info.location.range.end.line + 1,
                                "endColumn": info.location.range.end.character + 1,
                            }
                        }
                    })
                })
                .collect();
            results.push(json!({
                "ruleId": diagnostic.code.name(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == diagnostic.code),
                "level": level(diagnostic.severity),
                "message": {"text": diagnostic.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri_reference(&brief.path)},
                        "region": region,
                    }
                }],
                "relatedLocations": related,
            }));
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dossier",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

fn short_description(code: Code) -> &'static str {
    match code {
        Code::UnknownSource => "A citation key that is not in the corpus",
        Code::UnknownLocator => "A paragraph number the cited source does not have",
        Code::Misquote => "A quotation the cited passage does not contain",
        Code::ContradictsSource => "A date or number that disagrees with the cited passage",
        Code::UnsupportedClaim => "A cited passage that does not support the sentence",
        Code::UncitedClaim => "A checkable fact with no citation",
    }
}

/// A path as a URI reference: relative as given, or `file://` when absolute (`/`
/// separators, spaces and the like percent-encoded).
fn uri_reference(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::with_capacity(text.len() + 7);
    if path.is_absolute() {
        out.push_str("file://");
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Output for `format`, and the coverage lines that go to stderr for machine formats.
pub fn render(index: &Index, checked: &[Checked], format: CheckFormat) -> (String, Option<String>) {
    let coverage: String = checked.iter().map(|c| coverage_line(c) + "\n").collect();
    match format {
        CheckFormat::Human => (human(checked), None),
        CheckFormat::Json => (pretty(&json(index, checked)), Some(coverage)),
        CheckFormat::Sarif => (pretty(&sarif(index, checked)), Some(coverage)),
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string()) + "\n"
}
