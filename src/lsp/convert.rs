//! Between the features' byte offsets and LSP's positions, URIs and locations. Columns are
//! counted by `text.rs` in the negotiated encoding.

use std::ops::Range;

use tower_lsp_server::ls_types::{self as lsp, Location, Uri};

use crate::corpus::{Origin, bundled};
use crate::ide::SourceRange;
use crate::index::{Index, SourceInfo};
use crate::text::{LineIndex, Position, PositionEncoding};

pub fn to_position(position: Position) -> lsp::Position {
    lsp::Position {
        line: position.line,
        character: position.character,
    }
}

pub fn from_position(position: lsp::Position) -> Position {
    Position {
        line: position.line,
        character: position.character,
    }
}

pub fn to_range(
    lines: &LineIndex,
    text: &str,
    range: Range<usize>,
    encoding: PositionEncoding,
) -> lsp::Range {
    lsp_range(lines.range(text, range, encoding))
}

fn lsp_range(range: crate::text::Range) -> lsp::Range {
    lsp::Range {
        start: to_position(range.start),
        end: to_position(range.end),
    }
}

/// The byte offset of an LSP position (clamped to the text).
pub fn to_offset(
    lines: &LineIndex,
    text: &str,
    position: lsp::Position,
    encoding: PositionEncoding,
) -> usize {
    lines.offset(text, from_position(position), encoding)
}

/// The file URI of a source; a bundled source is written to the cache folder first.
pub fn source_uri(source: &SourceInfo) -> Option<Uri> {
    match &source.origin {
        Origin::File(path) => Uri::from_file_path(path),
        Origin::Bundled(name) => Uri::from_file_path(bundled::materialize(name).ok()?),
    }
}

/// A place in a source as an LSP location.
pub fn source_location(
    index: &Index,
    target: &SourceRange,
    encoding: PositionEncoding,
) -> Option<Location> {
    let source = index.source_at(target.source)?;
    let lines = index.source_lines(target.source)?;
    // Most sources are plain text: their positions need no read of the file.
    let range = match lines.plain_range(target.range.clone()) {
        Some(range) => lsp_range(range),
        None => to_range(
            lines,
            &index.text(target.source)?,
            target.range.clone(),
            encoding,
        ),
    };
    Some(Location {
        uri: source_uri(source)?,
        range,
    })
}
