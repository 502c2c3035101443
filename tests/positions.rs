//! Property tests of `text.rs` against a reference that walks the text one character at a
//! time: any Unicode (astral-plane characters, combining marks), CRLF, lone CR.

use dossier::text::{LineIndex, Position, PositionEncoding};
use proptest::prelude::*;

/// Text made of the characters that make position conversion hard.
fn tricky_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("a".to_string()),
        Just("é".to_string()),
        Just("e\u{301}".to_string()), // e + combining acute
        Just("😀".to_string()),
        Just("𝔸".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just("\r".to_string()),
        Just("\u{2028}".to_string()),
        Just("—".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

/// ASCII with `\n` line ends, where positions need no text; now and then a `\r`.
fn mostly_plain_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => Just("word"),
        4 => Just(" "),
        4 => Just("\n"),
        1 => Just("\r\n"),
        1 => Just("é"),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// Line and column of `offset` by walking every character from the start.
fn reference_position(text: &str, offset: usize, encoding: PositionEncoding) -> Position {
    let (mut line, mut column) = (0u32, 0u32);
    let mut chars = text.char_indices().peekable();
    while let Some((at, ch)) = chars.next() {
        if at >= offset {
            break;
        }
        match ch {
            '\r' if chars.peek().map(|&(_, next)| next) == Some('\n') => {
                if at + 1 >= offset {
                    break; // between \r and \n: still the end of this line
                }
                chars.next();
                line += 1;
                column = 0;
            }
            '\n' | '\r' => {
                line += 1;
                column = 0;
            }
            _ => {
                column += match encoding {
                    PositionEncoding::Utf8 => ch.len_utf8() as u32,
                    PositionEncoding::Utf16 => ch.len_utf16() as u32,
                }
            }
        }
    }
    Position {
        line,
        character: column,
    }
}

fn is_inside_crlf(text: &str, offset: usize) -> bool {
    offset > 0
        && text.as_bytes().get(offset - 1) == Some(&b'\r')
        && text.as_bytes().get(offset) == Some(&b'\n')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn positions_match_the_reference(text in tricky_text()) {
        let index = LineIndex::new(&text);
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
                let position = index.position(&text, offset, encoding);
                prop_assert_eq!(position, reference_position(&text, offset, encoding));
                if !is_inside_crlf(&text, offset) {
                    prop_assert_eq!(index.offset(&text, position, encoding), offset);
                }
            }
        }
    }

    /// Positions made without the text, where the text allows it, are the same positions.
    #[test]
    fn plain_ranges_match_the_positions_read_from_the_text(
        text in prop_oneof![tricky_text(), mostly_plain_text()]
    ) {
        let index = LineIndex::new(&text);
        let plain = text.is_ascii() && !text.contains('\r');
        for offset in 0..=text.len() + 2 {
            let found = index.plain_range(offset..offset + 1);
            prop_assert_eq!(found.is_some(), plain);
            if let Some(range) = found {
                for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
                    prop_assert_eq!(range.start, index.position(&text, offset, encoding));
                    prop_assert_eq!(range.end, index.position(&text, offset + 1, encoding));
                }
            }
        }
    }

    #[test]
    fn any_position_gives_a_char_boundary_within_the_text(
        text in tricky_text(),
        line in 0u32..80,
        character in 0u32..200,
    ) {
        let index = LineIndex::new(&text);
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            let offset = index.offset(&text, Position { line, character }, encoding);
            prop_assert!(offset <= text.len());
            prop_assert!(text.is_char_boundary(offset));
        }
    }

    #[test]
    fn any_offset_gives_a_position_that_converts_back_within_the_line(
        text in tricky_text(),
        offset in 0usize..400,
    ) {
        let index = LineIndex::new(&text);
        let position = index.position(&text, offset, PositionEncoding::Utf16);
        let back = index.offset(&text, position, PositionEncoding::Utf16);
        prop_assert!(back <= offset.min(text.len()));
    }
}
