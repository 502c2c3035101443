//! Completion items as LSP values: a text edit over the range the item replaces, ranked by
//! the server through `sortText`.

use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionTextEdit, Documentation,
    MarkupContent, MarkupKind, TextEdit,
};

use super::convert::to_range;
use crate::ide::Analysis;
use crate::ide::completion::{Completions, ItemKind};
use crate::text::PositionEncoding;

pub fn to_lsp(
    analysis: &Analysis,
    list: Completions,
    encoding: PositionEncoding,
) -> CompletionList {
    let items = list
        .items
        .into_iter()
        .enumerate()
        .map(|(rank, item)| {
            let (range, new_text) = item.edit;
            CompletionItem {
                label: item.label,
                kind: Some(match item.kind {
                    ItemKind::Source => CompletionItemKind::REFERENCE,
                    ItemKind::Locator => CompletionItemKind::VALUE,
                    ItemKind::Passage => CompletionItemKind::TEXT,
                    ItemKind::Entity => CompletionItemKind::CONSTANT,
                }),
                detail: item.detail,
                documentation: item.documentation.map(|value| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value,
                    })
                }),
                sort_text: Some(format!("{rank:05}")),
                filter_text: Some(item.filter_text),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range: to_range(&analysis.lines, &analysis.text, range, encoding),
                    new_text,
                })),
                ..Default::default()
            }
        })
        .collect();
    CompletionList {
        is_incomplete: list.incomplete,
        items,
    }
}
