//! Fuzz target: the brief parser and the citation context at every offset.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let brief = dossier::brief::parse(text);
    for citation in &brief.citations {
        assert!(citation.group.end <= text.len());
    }
    for offset in (0..=text.len()).step_by(7) {
        let _ = dossier::brief::context::citation_context_at(text, offset);
    }
});
