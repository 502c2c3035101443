//! Byte offsets ⇄ LSP positions. The only place in Dossier that counts code units.
//!
//! Everything inside Dossier speaks UTF-8 byte offsets into a text. At the edges (LSP, JSON,
//! `dossier check`) those become line/column positions, where the column counts UTF-16 code
//! units (the LSP default) or UTF-8 bytes (when the client negotiates it). Lines end at `\n`,
//! `\r\n` or a lone `\r`, as the LSP specification says; U+2028 and friends are not line breaks.
//! Every conversion clamps: a position past the end of its line lands at the end of the line,
//! a line past the end of the text lands at the end of the text, and an offset inside a
//! multi-byte character moves back to the character's start.

use serde::{Deserialize, Serialize};

/// How columns are counted in positions sent to or read from a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    /// Columns in UTF-8 bytes.
    Utf8,
    /// Columns in UTF-16 code units: the LSP default.
    #[default]
    Utf16,
}

/// A zero-based line and column, serialized in the shape of an LSP `Position`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

/// A pair of positions, serialized in the shape of an LSP `Range`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

/// Where each line of a text starts, so that conversions cost a binary search plus one scan
/// of a single line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the first character of each line; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
    /// Byte length of the text.
    len: usize,
    /// ASCII with `\n` line ends only: a column is a count of bytes in either encoding, and
    /// a line's content ends one byte before the next line starts, so positions need no text.
    plain: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while let Some(found) = memchr_line_break(&bytes[i..]) {
            let at = i + found;
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            line_starts.push(next);
            i = next;
        }
        LineIndex {
            line_starts,
            len: text.len(),
            plain: text.is_ascii() && !bytes.contains(&b'\r'),
        }
    }

    /// The range of a byte span without the text, when the text is plain (ASCII with `\n`
    /// line ends): what a list of thousands of places in as many sources needs.
    pub fn plain_range(&self, span: std::ops::Range<usize>) -> Option<Range> {
        self.plain.then(|| Range {
            start: self.plain_position(span.start),
            end: self.plain_position(span.end),
        })
    }

    fn plain_position(&self, offset: usize) -> Position {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let content_end = self
            .line_starts
            .get(line + 1)
            .map_or(self.len, |next| next - 1);
        Position {
            line: saturate(line),
            character: saturate(offset.min(content_end) - start),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The zero-based line that holds `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    /// The byte range of `line`'s content, without its line terminator.
    pub fn line_span(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let Some(&start) = self.line_starts.get(line) else {
            return self.len..self.len;
        };
        let next = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        let content = &text.as_bytes()[start..next];
        let terminator = if content.ends_with(b"\r\n") {
            2
        } else if content.ends_with(b"\n") || content.ends_with(b"\r") {
            1
        } else {
            0
        };
        start..next - terminator
    }

    /// The position of a byte offset. Offsets past the end or inside a character are clamped.
    pub fn position(&self, text: &str, offset: usize, encoding: PositionEncoding) -> Position {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        let span = self.line_span(text, line);
        // An offset between `\r` and `\n` belongs to the end of the line's content.
        let end = offset.min(span.end);
        let column = column_width(&text[span.start..end], encoding);
        Position {
            line: saturate(line),
            character: saturate(column),
        }
    }

    /// The byte offset of a position. Lines past the end give the end of the text; columns past
    /// the end of a line give the end of that line; a column inside a character gives the
    /// character's start.
    pub fn offset(&self, text: &str, position: Position, encoding: PositionEncoding) -> usize {
        let line = position.line as usize;
        if line >= self.line_starts.len() {
            return self.len;
        }
        let span = self.line_span(text, line);
        let content = &text[span.clone()];
        let wanted = position.character as usize;
        let mut counted = 0;
        for (at, ch) in content.char_indices() {
            let width = char_width(ch, encoding);
            if counted + width > wanted {
                return span.start + at;
            }
            counted += width;
        }
        span.end
    }

    pub fn range(
        &self,
        text: &str,
        span: std::ops::Range<usize>,
        encoding: PositionEncoding,
    ) -> Range {
        Range {
            start: self.position(text, span.start, encoding),
            end: self.position(text, span.end, encoding),
        }
    }
}

/// The number of code units `text` takes in `encoding`.
pub fn column_width(text: &str, encoding: PositionEncoding) -> usize {
    match encoding {
        PositionEncoding::Utf8 => text.len(),
        // Every position reported is measured from its line's start, and lines of prose can
        // be long: ASCII (checked a word at a time) is one unit a byte; other text is one unit
        // per character (a byte that is no continuation byte) and a second for a character
        // past the Basic Multilingual Plane (a four-byte lead), counted without decoding.
        PositionEncoding::Utf16 if text.is_ascii() => text.len(),
        PositionEncoding::Utf16 => text
            .bytes()
            .map(|b| usize::from(!is_continuation_byte(b)) + usize::from(b >= 0xF0))
            .sum(),
    }
}

fn is_continuation_byte(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

fn char_width(ch: char, encoding: PositionEncoding) -> usize {
    match encoding {
        PositionEncoding::Utf8 => ch.len_utf8(),
        PositionEncoding::Utf16 => ch.len_utf16(),
    }
}

/// The largest char boundary at or before `offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn memchr_line_break(bytes: &[u8]) -> Option<usize> {
    memchr::memchr2(b'\n', b'\r', bytes)
}

fn saturate(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// 1-based line and column (in characters) of an offset, for messages meant for people.
pub fn human_line_column(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).human_line_column(text, offset)
}

impl LineIndex {
    /// 1-based line and column (in characters) of an offset, for messages meant for people.
    pub fn human_line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let span = self.line_span(text, line);
        let column = text[span.start..offset.min(span.end)].chars().count();
        (line + 1, column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PositionEncoding::{Utf8, Utf16};

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn table_of_offsets_and_positions() {
        // (text, offset, utf16 position, utf8 position)
        let cases: &[(&str, usize, Position, Position)] = &[
            ("abc", 0, pos(0, 0), pos(0, 0)),
            ("abc", 3, pos(0, 3), pos(0, 3)),
            ("abc", 99, pos(0, 3), pos(0, 3)),
            ("é!", 2, pos(0, 1), pos(0, 2)),
            ("é!", 1, pos(0, 0), pos(0, 0)), // inside é: back to its start
            ("😀x", 4, pos(0, 2), pos(0, 4)),
            ("a\r\nb", 3, pos(1, 0), pos(1, 0)),
            ("a\r\nb", 2, pos(0, 1), pos(0, 1)), // between \r and \n
            ("a\rb", 2, pos(1, 0), pos(1, 0)),   // lone CR ends a line
            ("a\n", 2, pos(1, 0), pos(1, 0)),
            ("a\u{2028}b", 4, pos(0, 2), pos(0, 4)), // U+2028 is not a line break
        ];
        for &(text, offset, utf16, utf8) in cases {
            let index = LineIndex::new(text);
            assert_eq!(
                index.position(text, offset, Utf16),
                utf16,
                "{text:?} @ {offset}"
            );
            assert_eq!(
                index.position(text, offset, Utf8),
                utf8,
                "{text:?} @ {offset}"
            );
        }
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let text = "ab\r\ncd😀\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, pos(0, 99), Utf16), 2);
        assert_eq!(
            index.offset(text, pos(1, 99), Utf16),
            text.find("\nlast").unwrap_or(0)
        );
        assert_eq!(index.offset(text, pos(9, 0), Utf16), text.len());
        // Column 3 of "cd😀" in UTF-16 falls inside the emoji: back to its start.
        assert_eq!(index.offset(text, pos(1, 3), Utf16), 6);
        assert_eq!(index.offset(text, pos(1, 4), Utf16), 10);
    }

    #[test]
    fn human_positions_are_one_based_characters() {
        assert_eq!(human_line_column("ab\nçd", 5), (2, 2));
    }

    proptest::proptest! {
        #[test]
        fn utf16_width_is_the_sum_of_the_characters_widths(text in "(a|é|€|😀|\\PC){0,30}") {
            let decoded: usize = text.chars().map(char::len_utf16).sum();
            proptest::prop_assert_eq!(column_width(&text, Utf16), decoded);
        }
    }
}
