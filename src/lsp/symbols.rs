//! Outline and workspace symbols as LSP types.

use tower_lsp_server::ls_types::{DocumentSymbol, OneOf, SymbolKind, WorkspaceSymbol};

use super::convert::{source_location, to_range};
use crate::extract::lexicon::EntityKind;
use crate::ide::Analysis;
use crate::ide::symbols::{OutlineKind, OutlineSymbol, WorkspaceKind, WorkspaceSymbol as Found};
use crate::index::Index;
use crate::text::PositionEncoding;

pub fn outline(
    analysis: &Analysis,
    symbols: &[OutlineSymbol],
    encoding: PositionEncoding,
) -> Vec<DocumentSymbol> {
    symbols
        .iter()
        .map(|symbol| {
            #[allow(deprecated)] // `deprecated` is a required field of the LSP type
            DocumentSymbol {
                name: if symbol.name.is_empty() {
                    "(untitled)".to_string()
                } else {
                    symbol.name.clone()
                },
                detail: None,
                kind: match symbol.kind {
                    OutlineKind::Heading => SymbolKind::NAMESPACE,
                    OutlineKind::Citation => SymbolKind::KEY,
                },
                tags: None,
                deprecated: None,
                range: to_range(
                    &analysis.lines,
                    &analysis.text,
                    symbol.range.clone(),
                    encoding,
                ),
                selection_range: to_range(
                    &analysis.lines,
                    &analysis.text,
                    symbol.selection.clone(),
                    encoding,
                ),
                children: Some(outline(analysis, &symbol.children, encoding)),
            }
        })
        .collect()
}

pub fn workspace(
    index: &Index,
    symbols: &[Found],
    encoding: PositionEncoding,
) -> Vec<WorkspaceSymbol> {
    symbols
        .iter()
        .filter_map(|symbol| {
            Some(WorkspaceSymbol {
                name: symbol.name.clone(),
                kind: match symbol.kind {
                    WorkspaceKind::Source => SymbolKind::FILE,
                    WorkspaceKind::Event => SymbolKind::EVENT,
                    WorkspaceKind::Entity(EntityKind::Person) => SymbolKind::OBJECT,
                    WorkspaceKind::Entity(EntityKind::Organization) => SymbolKind::STRUCT,
                    WorkspaceKind::Entity(EntityKind::Place) => SymbolKind::MODULE,
                    WorkspaceKind::Entity(EntityKind::Event) => SymbolKind::EVENT,
                    WorkspaceKind::Entity(EntityKind::Other) => SymbolKind::CONSTANT,
                },
                tags: None,
                container_name: symbol.container.clone(),
                location: OneOf::Left(source_location(index, &symbol.location, encoding)?),
                data: None,
            })
        })
        .collect()
}
