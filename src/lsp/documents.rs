//! The open documents: ropes edited in place by `didChange`, each with its version.
//!
//! Edits are applied synchronously by the handler, before any `.await`, so that they land in
//! the order the client sent them (tower-lsp runs handlers concurrently). Features never
//! read a rope: they take a `DocumentSnapshot`, an immutable copy of the text at a version.

use std::collections::HashMap;
use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

use crate::text::PositionEncoding;

#[derive(Debug)]
pub struct Document {
    rope: Rope,
    version: i32,
    /// The last snapshot taken, reused until the next edit.
    snapshot: Option<Arc<DocumentSnapshot>>,
}

/// The text of a document at one version.
#[derive(Debug, PartialEq, Eq)]
pub struct DocumentSnapshot {
    pub uri: Uri,
    pub version: i32,
    pub text: String,
}

/// Why an edit was not applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("{0} is not open")]
    NotOpen(String),
    #[error("{uri}: version {got} is not newer than {have}")]
    StaleVersion { uri: String, have: i32, got: i32 },
}

#[derive(Debug, Default)]
pub struct Documents {
    open: HashMap<Uri, Document>,
}

impl Documents {
    /// Opens (or, on a duplicate `didOpen`, replaces) a document.
    pub fn open(&mut self, uri: Uri, version: i32, text: &str) {
        self.open.insert(
            uri,
            Document {
                rope: Rope::from_str(text),
                version,
                snapshot: None,
            },
        );
    }

    pub fn close(&mut self, uri: &Uri) {
        self.open.remove(uri);
    }

    /// The version of an open document.
    pub fn version(&self, uri: &Uri) -> Option<i32> {
        self.open.get(uri).map(|document| document.version)
    }

    pub fn uris(&self) -> Vec<Uri> {
        self.open.keys().cloned().collect()
    }

    /// Applies a `didChange` in order: ranged edits and full replacements. Ranges past the end
    /// of the document are clamped to it.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: PositionEncoding,
    ) -> Result<(), EditError> {
        let document = self
            .open
            .get_mut(uri)
            .ok_or_else(|| EditError::NotOpen(uri.as_str().to_string()))?;
        if version <= document.version {
            return Err(EditError::StaleVersion {
                uri: uri.as_str().to_string(),
                have: document.version,
                got: version,
            });
        }
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = char_index(&document.rope, range.start, encoding);
                    let end = char_index(&document.rope, range.end, encoding).max(start);
                    document.rope.remove(start..end);
                    document.rope.insert(start, &change.text);
                }
                None => document.rope = Rope::from_str(&change.text),
            }
        }
        document.version = version;
        document.snapshot = None;
        Ok(())
    }

    /// The document's text at its current version.
    pub fn snapshot(&mut self, uri: &Uri) -> Option<Arc<DocumentSnapshot>> {
        let document = self.open.get_mut(uri)?;
        let snapshot = document.snapshot.get_or_insert_with(|| {
            Arc::new(DocumentSnapshot {
                uri: uri.clone(),
                version: document.version,
                text: document.rope.to_string(),
            })
        });
        Some(Arc::clone(snapshot))
    }

    /// Snapshots of every open document, for references across briefs.
    pub fn all_snapshots(&mut self) -> Vec<Arc<DocumentSnapshot>> {
        let uris: Vec<Uri> = self.open.keys().cloned().collect();
        uris.iter().filter_map(|uri| self.snapshot(uri)).collect()
    }
}

/// The char index of an LSP position in a rope, clamped as the specification says: a line past
/// the end is the end of the text, a column past the end of its line is the end of the line.
fn char_index(rope: &Rope, position: Position, encoding: PositionEncoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_char(line);
    let line_slice = rope.line(line);
    let content_chars = line_content_chars(&line_slice);
    let wanted = position.character as usize;
    let mut counted = 0;
    for (index, ch) in line_slice.chars().take(content_chars).enumerate() {
        let width = match encoding {
            PositionEncoding::Utf8 => ch.len_utf8(),
            PositionEncoding::Utf16 => ch.len_utf16(),
        };
        if counted + width > wanted {
            return line_start + index;
        }
        counted += width;
    }
    line_start + content_chars
}

/// The chars of a line before its terminator (`\n`, `\r\n` or `\r`).
fn line_content_chars(line: &ropey::RopeSlice<'_>) -> usize {
    let len = line.len_chars();
    let last = (len > 0).then(|| line.char(len - 1));
    let before_last = (len > 1).then(|| line.char(len - 2));
    match (before_last, last) {
        (Some('\r'), Some('\n')) => len - 2,
        (_, Some('\n' | '\r')) => len - 1,
        _ => len,
    }
}

/// An LSP range, for tests and callers that build edits.
pub fn range(start: (u32, u32), end: (u32, u32)) -> Range {
    Range {
        start: Position {
            line: start.0,
            character: start.1,
        },
        end: Position {
            line: end.0,
            character: end.1,
        },
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use proptest::prelude::*;

    use super::*;
    use crate::text::{LineIndex, Position as TextPosition};

    fn uri() -> Uri {
        Uri::from_str("file:///brief.md").expect("uri")
    }

    fn edit(range: Range, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(range),
            range_length: None,
            text: text.to_string(),
        }
    }

    fn text(documents: &mut Documents) -> String {
        documents
            .snapshot(&uri())
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }

    #[test]
    fn edits_apply_in_utf16_and_utf8_columns() {
        let mut documents = Documents::default();
        documents.open(uri(), 1, "a😀b\r\ncd");
        documents
            .change(
                &uri(),
                2,
                vec![edit(range((0, 3), (0, 4)), "B")],
                PositionEncoding::Utf16,
            )
            .expect("applies");
        assert_eq!(text(&mut documents), "a😀B\r\ncd");
        documents
            .change(
                &uri(),
                3,
                vec![edit(range((0, 1), (0, 5)), "-")],
                PositionEncoding::Utf8,
            )
            .expect("applies");
        assert_eq!(text(&mut documents), "a-B\r\ncd");
    }

    #[test]
    fn ranges_past_the_end_are_clamped() {
        let mut documents = Documents::default();
        documents.open(uri(), 1, "ab\ncd");
        documents
            .change(
                &uri(),
                2,
                vec![edit(range((0, 99), (7, 3)), "!")],
                PositionEncoding::Utf16,
            )
            .expect("applies");
        assert_eq!(text(&mut documents), "ab!");
    }

    #[test]
    fn stale_versions_and_unknown_documents_are_refused() {
        let mut documents = Documents::default();
        let other = Uri::from_str("file:///other.md").expect("uri");
        assert!(matches!(
            documents.change(&other, 1, vec![], PositionEncoding::Utf16),
            Err(EditError::NotOpen(_))
        ));
        documents.open(uri(), 5, "x");
        assert!(matches!(
            documents.change(&uri(), 5, vec![], PositionEncoding::Utf16),
            Err(EditError::StaleVersion { .. })
        ));
    }

    /// Random edits applied to the rope and, through `text.rs`, to a `String` give the same
    /// text.
    fn apply_to_string(
        text: &mut String,
        start: (u32, u32),
        end: (u32, u32),
        insert: &str,
        encoding: PositionEncoding,
    ) {
        let lines = LineIndex::new(text);
        let at = |(line, character): (u32, u32)| {
            lines.offset(text, TextPosition { line, character }, encoding)
        };
        let (start, end) = (at(start), at(end));
        let end = end.max(start);
        text.replace_range(start..end, insert);
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("a".to_string()),
            Just("é".to_string()),
            Just("😀".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\r".to_string()),
            Just("“q”".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn rope_edits_match_string_edits(
            initial in prop::collection::vec(piece(), 0..20),
            edits in prop::collection::vec(((0u32..6, 0u32..8), (0u32..6, 0u32..8), piece()), 1..30),
            utf8 in any::<bool>(),
        ) {
            let encoding = if utf8 { PositionEncoding::Utf8 } else { PositionEncoding::Utf16 };
            let mut expected = initial.concat();
            let mut documents = Documents::default();
            documents.open(uri(), 0, &expected);
            for (version, (start, end, insert)) in edits.into_iter().enumerate() {
                let (start, end) = if start <= end { (start, end) } else { (end, start) };
                apply_to_string(&mut expected, start, end, &insert, encoding);
                documents
                    .change(&uri(), version as i32 + 1, vec![edit(range(start, end), &insert)], encoding)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(text(&mut documents), expected.clone());
            }
        }
    }
}
