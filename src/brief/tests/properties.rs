//! `parse` never panics and every range it returns lies on character boundaries within the
//! text, whatever mix of citation syntax, comments, quotes and multi-byte text it is given.

use std::ops::Range;

use proptest::prelude::*;

use crate::brief::{Brief, citation_context_at, parse, parse_after};

fn pieces() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("["),
        Just("]"),
        Just("@"),
        Just(";"),
        Just(","),
        Just("¶"),
        Just("`"),
        Just("``"),
        Just("<!--"),
        Just("-->"),
        Just("\""),
        Just("“"),
        Just("”"),
        Just("\n"),
        Just("\n\n"),
        Just("😀"),
        Just("é"),
        Just("Ж"),
        Just(" "),
        Just("key"),
        Just("2023"),
        Just("para. "),
        Just("-"),
        Just("–"),
        Just("> "),
        Just("# "),
        Just("- "),
        Just("|"),
        Just("```\n"),
        Just("<a href=\"x\">"),
        Just("("),
        Just(")"),
        Just("{"),
        Just("}"),
        Just(". "),
        Just("A"),
        Just("\\"),
        Just("dossier-ignore "),
        Just("dossier-disable x "),
        Just("dossier-enable "),
        Just("---\n"),
        Just("<https://x.y/@k>"),
        Just("\r\n"),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

fn ranges(brief: &Brief) -> Vec<Range<usize>> {
    let mut all = Vec::new();
    for block in &brief.blocks {
        all.extend([block.range.clone(), block.content.clone()]);
    }
    for heading in &brief.headings {
        all.extend([heading.range.clone(), heading.text.clone()]);
    }
    for citation in &brief.citations {
        all.extend([
            citation.range.clone(),
            citation.group.clone(),
            citation.key_range.clone(),
        ]);
        all.extend(citation.prefix.clone());
        all.extend(citation.suffix.clone());
        if let Some(locator) = &citation.locator {
            all.push(locator.value.clone());
            all.extend(locator.label_range.clone());
            all.extend(locator.pieces.iter().map(|piece| piece.range.clone()));
        }
    }
    all.extend(
        brief
            .sentences
            .iter()
            .map(|sentence| sentence.range.clone()),
    );
    for quote in &brief.quotes {
        all.extend([quote.range.clone(), quote.inner.clone()]);
    }
    all.extend(brief.skipped.iter().map(|skipped| skipped.range.clone()));
    all.extend(
        brief
            .directives
            .iter()
            .map(|directive| directive.range.clone()),
    );
    all.extend(
        brief
            .suppressions
            .iter()
            .map(|suppression| suppression.range.clone()),
    );
    all.extend(brief.issues.iter().map(|issue| issue.range.clone()));
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn parse_never_panics_and_ranges_are_on_boundaries(text in pieces()) {
        let brief = parse(&text);
        for range in ranges(&brief) {
            prop_assert!(range.start <= range.end && range.end <= text.len(), "{range:?} in {text:?}");
            prop_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end), "{range:?} in {text:?}");
        }
        for sentence in &brief.sentences {
            for &citation in &sentence.citations {
                prop_assert!(citation < brief.citations.len());
            }
        }
        for offset in 0..=text.len() + 1 {
            let _ = citation_context_at(&text, offset);
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(text in "\\PC*") {
        let brief = parse(&text);
        for range in ranges(&brief) {
            prop_assert!(text.get(range.clone()).is_some(), "{range:?} in {text:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A reparse from the tree of an earlier version reads a brief exactly as a fresh parse
    /// does, whatever was replaced, inserted or deleted between the two versions.
    #[test]
    fn a_reparse_after_an_edit_equals_a_fresh_parse(
        before in pieces(), removed in pieces(), inserted in pieces(), after in pieces()
    ) {
        let old = format!("{before}{removed}{after}");
        let new = format!("{before}{inserted}{after}");
        let (_, tree) = parse_after(&old, None);
        let tree = tree.expect("a tree for a small brief");
        let (reparsed, _) = parse_after(&new, Some((&old, &tree)));
        prop_assert_eq!(reparsed, parse(&new), "{:?} -> {:?}", old, new);
    }
}
