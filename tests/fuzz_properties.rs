//! Property tests ("fuzzing on stable") of the parsers that read what others wrote: the source
//! layouts, over arbitrary and source-shaped text, and the frame reader, over arbitrary bytes.
//! The brief parser and citation scanner have theirs in `src/brief/tests/properties.rs`.

use dossier::corpus::layout::{Layout, parse_markdown, parse_plain};
use dossier::lsp::framing::{Frame, FrameReader, MAX_BODY_BYTES};
use proptest::prelude::*;

/// Text shaped like sources: titles, bylines, front matter, headings, CRLF, odd characters.
fn source_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Title of It".to_string()),
        Just("March 3, 2024 Jane Roe The Review".to_string()),
        Just("Related Categories: a; b".to_string()),
        Just("---".to_string()),
        Just("title: \"x\"\ndate: 2024-01-02\nauthor: [a, b]\nkey: k".to_string()),
        Just("© 2024 - Holder".to_string()),
        Just("A body sentence, with a date on 2 March 2024.".to_string()),
        Just("# Heading".to_string()),
        Just("  \t ".to_string()),
        Just("é😀\u{2028}\u{0}".to_string()),
        "\\PC{0,40}",
    ];
    let separator = prop_oneof![
        Just("\n"),
        Just("\n\n"),
        Just("\r\n\r\n"),
        Just("\r"),
        Just(""),
    ];
    proptest::collection::vec((piece, separator), 0..24).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(piece, separator)| piece + separator)
            .collect()
    })
}

fn check_layout(text: &str, layout: &Layout) -> Result<(), TestCaseError> {
    let mut previous_end = 0;
    for (n, paragraph) in layout.paragraphs.iter().enumerate() {
        let range = &paragraph.range;
        prop_assert_eq!(paragraph.number as usize, n + 1);
        prop_assert!(
            range.start < range.end && range.end <= text.len(),
            "{range:?} in {text:?}"
        );
        prop_assert!(
            text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
            "{range:?} in {text:?}"
        );
        let body = &text[range.clone()];
        prop_assert_eq!(body, body.trim(), "untrimmed {:?} in {:?}", range, text);
        prop_assert!(
            range.start >= previous_end,
            "overlapping paragraphs in {text:?}"
        );
        previous_end = range.end;
    }
    if let Some(byline) = &layout.byline {
        prop_assert!(byline.end <= text.len() && text.is_char_boundary(byline.start));
        prop_assert!(text.is_char_boundary(byline.end));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn layouts_never_panic_on_arbitrary_text(text in "\\PC*") {
        check_layout(&text, &parse_plain(&text))?;
        check_layout(&text, &parse_markdown(&text))?;
    }

    #[test]
    fn layouts_never_panic_on_source_shaped_text(text in source_like()) {
        check_layout(&text, &parse_plain(&text))?;
        check_layout(&text, &parse_markdown(&text))?;
    }

    #[test]
    fn the_frame_reader_always_ends_and_never_panics(
        input in proptest::collection::vec(any::<u8>(), 0..4096),
        frames_in_front in 0usize..3,
    ) {
        // Arbitrary bytes, optionally after good frames: the reader reads every good frame,
        // answers the rest with bad headers, and reaches the end of the input.
        let mut bytes = Vec::new();
        for n in 0..frames_in_front {
            bytes.extend(dossier::lsp::framing::encode(format!("{{\"n\":{n}}}").as_bytes()));
        }
        bytes.extend(&input);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let read = runtime.block_on(async {
            let mut reader = FrameReader::new(bytes.as_slice());
            let mut read = Vec::new();
            // Each frame consumes at least one byte, so this bound is never reached.
            for _ in 0..=bytes.len() + 1 {
                match reader.next_frame().await.expect("in-memory reads cannot fail") {
                    Some(frame) => read.push(frame),
                    None => return Some(read),
                }
            }
            None
        });
        let Some(read) = read else {
            return Err(TestCaseError::fail("the reader did not reach the end"));
        };
        for (n, frame) in read.iter().take(frames_in_front).enumerate() {
            prop_assert_eq!(frame, &Frame::Body(format!("{{\"n\":{n}}}").into_bytes()));
        }
        for frame in &read {
            if let Frame::Body(body) = frame {
                prop_assert!(body.len() <= MAX_BODY_BYTES);
                let _ = dossier::lsp::message::classify(body);
            }
        }
    }
}
