//! Fuzz target: the source layouts on any UTF-8 text; paragraph ranges stay on boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for layout in [
        dossier::corpus::layout::parse_plain(text),
        dossier::corpus::layout::parse_markdown(text),
    ] {
        for paragraph in &layout.paragraphs {
            let range = paragraph.range.clone();
            assert!(range.end <= text.len());
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        }
    }
});
