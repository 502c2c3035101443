//! Diagnostics and their quick fixes as LSP values. `dossier check --format json` prints the
//! very same objects, so the editor and CI cannot disagree.

use std::collections::HashMap;

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeDescription, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, NumberOrString, Position, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::convert::{source_location, to_range};
use crate::ide::Analysis;
use crate::ide::diagnostics::{self, Diagnostic as Found, Severity};
use crate::index::Index;
use crate::text::PositionEncoding;

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

pub fn to_lsp(
    index: &Index,
    analysis: &Analysis,
    found: &Found,
    encoding: PositionEncoding,
) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = found
        .related
        .iter()
        .filter_map(|related| {
            Some(DiagnosticRelatedInformation {
                location: source_location(index, &related.place, encoding)?,
                message: related.message.clone(),
            })
        })
        .collect();
    Diagnostic {
        range: to_range(
            &analysis.lines,
            &analysis.text,
            found.range.clone(),
            encoding,
        ),
        severity: Some(severity(found.severity)),
        code: Some(NumberOrString::String(found.code.name().to_string())),
        code_description: diagnostics::documentation(found.code)
            .and_then(|href| href.parse::<Uri>().ok())
            .map(|href| CodeDescription { href }),
        source: Some("dossier".to_string()),
        message: found.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

/// The quick fixes of the diagnostics that touch `range`, and a `dossier-ignore` line for
/// each of them.
pub fn code_actions(
    uri: &Uri,
    index: &Index,
    analysis: &Analysis,
    found: &[Found],
    range: std::ops::Range<usize>,
    encoding: PositionEncoding,
) -> Vec<CodeAction> {
    let mut actions = Vec::new();
    for finding in found
        .iter()
        .filter(|f| f.range.start <= range.end && range.start <= f.range.end)
    {
        let diagnostic = to_lsp(index, analysis, finding, encoding);
        for fix in &finding.fixes {
            let edits = fix
                .edits
                .iter()
                .map(|(range, text)| TextEdit {
                    range: to_range(&analysis.lines, &analysis.text, range.clone(), encoding),
                    new_text: text.clone(),
                })
                .collect();
            actions.push(action(uri, &fix.title, edits, &diagnostic, true));
        }
        let line = analysis.lines.line_of(finding.range.start);
        let line_start = analysis.lines.line_span(&analysis.text, line).start;
        let indent: String = analysis.text[line_start..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let at = Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character: 0,
        };
        let edit = TextEdit {
            range: Range { start: at, end: at },
            new_text: format!("{indent}<!-- dossier-ignore {} -->\n", finding.code.name()),
        };
        let title = format!("Ignore {} on this line", finding.code.name());
        actions.push(action(uri, &title, vec![edit], &diagnostic, false));
    }
    actions
}

fn action(
    uri: &Uri,
    title: &str,
    edits: Vec<TextEdit>,
    diagnostic: &Diagnostic,
    preferred: bool,
) -> CodeAction {
    CodeAction {
        title: title.to_string(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }),
        is_preferred: preferred.then_some(true),
        ..Default::default()
    }
}
