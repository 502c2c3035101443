//! Snapshot tests of parsed briefs, one per citation form and skipped construct, rendered so
//! that a reviewer reads text rather than offsets.

use std::fmt::Write;

use expect_test::{Expect, expect};

use super::*;

fn check(text: &str, expect: Expect) {
    expect.assert_eq(&render(text, &parse(text)));
}

fn render(text: &str, brief: &Brief) -> String {
    let show = |range: &Range<usize>| format!("{:?}", &text[range.clone()]);
    let mut out = String::new();
    for block in &brief.blocks {
        let mut flags = String::new();
        if block.in_list_item {
            flags.push_str(" in-list");
        }
        if block.in_block_quote {
            flags.push_str(" in-quote");
        }
        let _ = writeln!(
            out,
            "block {:?}{flags} {}",
            block.kind,
            show(&block.content)
        );
    }
    for heading in &brief.headings {
        let _ = writeln!(out, "heading h{} {}", heading.level, show(&heading.text));
    }
    for citation in &brief.citations {
        let _ = write!(
            out,
            "citation {:?} key={:?} {}",
            citation.mode,
            citation.key,
            show(&citation.range)
        );
        if citation.group != citation.range {
            let _ = write!(out, " group={}", show(&citation.group));
        }
        if let Some(prefix) = &citation.prefix {
            let _ = write!(out, " prefix={}", show(prefix));
        }
        if let Some(suffix) = &citation.suffix {
            let _ = write!(out, " suffix={}", show(suffix));
        }
        if let Some(locator) = &citation.locator {
            let label = locator.label_range.as_ref().map_or("none".to_owned(), show);
            let _ = write!(
                out,
                " locator={:?} label={label} value={}",
                locator.label,
                show(&locator.value)
            );
            let paragraphs = locator.paragraphs();
            if !paragraphs.is_empty() {
                let _ = write!(out, " paragraphs={paragraphs:?}");
            }
        }
        out.push('\n');
    }
    for sentence in &brief.sentences {
        let _ = writeln!(
            out,
            "sentence {} citations={:?}",
            show(&sentence.range),
            sentence.citations
        );
    }
    for quote in &brief.quotes {
        let _ = writeln!(out, "quote {}", show(&quote.inner));
    }
    for skipped in &brief.skipped {
        let _ = writeln!(out, "skipped {:?} {}", skipped.kind, show(&skipped.range));
    }
    for directive in &brief.directives {
        let _ = writeln!(out, "directive {:?} {:?}", directive.kind, directive.codes);
    }
    for suppression in &brief.suppressions {
        let _ = writeln!(
            out,
            "suppression {:?} {}",
            suppression.codes,
            show(&suppression.range)
        );
    }
    for issue in &brief.issues {
        let _ = writeln!(out, "issue {:?} {}", issue.kind, show(&issue.range));
    }
    out
}

#[test]
fn bracketed_citation() {
    check(
        "Putin went to Tehran [@berman2023].",
        expect![[r#"
        block Paragraph "Putin went to Tehran [@berman2023]."
        citation Bracketed key="berman2023" "@berman2023" group="[@berman2023]"
        sentence "Putin went to Tehran [@berman2023]." citations=[0]
    "#]],
    );
}

#[test]
fn paragraph_locators() {
    check(
        "A [@berman2023, para. 4]. B [@berman2023, paras. 4–6]. C [@berman2023, ¶ 4]. D [@berman2023, ¶¶ 4-6]. E [@berman2023, paragraph 2, 7].",
        expect![[r#"
            block Paragraph "A [@berman2023, para. 4]. B [@berman2023, paras. 4–6]. C [@berman2023, ¶ 4]. D [@berman2023, ¶¶ 4-6]. E [@berman2023, paragraph 2, 7]."
            citation Bracketed key="berman2023" "@berman2023, para. 4" group="[@berman2023, para. 4]" suffix=", para. 4" locator=Paragraph label="para." value="4" paragraphs=[4]
            citation Bracketed key="berman2023" "@berman2023, paras. 4–6" group="[@berman2023, paras. 4–6]" suffix=", paras. 4–6" locator=Paragraph label="paras." value="4–6" paragraphs=[4, 5, 6]
            citation Bracketed key="berman2023" "@berman2023, ¶ 4" group="[@berman2023, ¶ 4]" suffix=", ¶ 4" locator=Paragraph label="¶" value="4" paragraphs=[4]
            citation Bracketed key="berman2023" "@berman2023, ¶¶ 4-6" group="[@berman2023, ¶¶ 4-6]" suffix=", ¶¶ 4-6" locator=Paragraph label="¶¶" value="4-6" paragraphs=[4, 5, 6]
            citation Bracketed key="berman2023" "@berman2023, paragraph 2, 7" group="[@berman2023, paragraph 2, 7]" suffix=", paragraph 2, 7" locator=Paragraph label="paragraph" value="2, 7" paragraphs=[2, 7]
            sentence "A [@berman2023, para. 4]." citations=[0]
            sentence "B [@berman2023, paras. 4–6]." citations=[1]
            sentence "C [@berman2023, ¶ 4]." citations=[2]
            sentence "D [@berman2023, ¶¶ 4-6]." citations=[3]
            sentence "E [@berman2023, paragraph 2, 7]." citations=[4]
        "#]],
    );
}

#[test]
fn other_locators() {
    check(
        "A [@a, p. 33]. B [@a, 33]. C [@a, pp. 33-35, 38-39 and passim]. D [@a, chap. iv]. E [@a, § 3]. F [@a, sub verbo 12]. G [@a, vol. 2, p. 3]. H [@a, emphasis added].",
        expect![[r#"
            block Paragraph "A [@a, p. 33]. B [@a, 33]. C [@a, pp. 33-35, 38-39 and passim]. D [@a, chap. iv]. E [@a, § 3]. F [@a, sub verbo 12]. G [@a, vol. 2, p. 3]. H [@a, emphasis added]."
            citation Bracketed key="a" "@a, p. 33" group="[@a, p. 33]" suffix=", p. 33" locator=Page label="p." value="33"
            citation Bracketed key="a" "@a, 33" group="[@a, 33]" suffix=", 33" locator=Page label=none value="33"
            citation Bracketed key="a" "@a, pp. 33-35, 38-39 and passim" group="[@a, pp. 33-35, 38-39 and passim]" suffix=", pp. 33-35, 38-39 and passim" locator=Page label="pp." value="33-35, 38-39"
            citation Bracketed key="a" "@a, chap. iv" group="[@a, chap. iv]" suffix=", chap. iv" locator=Chapter label="chap." value="iv"
            citation Bracketed key="a" "@a, § 3" group="[@a, § 3]" suffix=", § 3" locator=Section label="§" value="3"
            citation Bracketed key="a" "@a, sub verbo 12" group="[@a, sub verbo 12]" suffix=", sub verbo 12" locator=SubVerbo label="sub verbo" value="12"
            citation Bracketed key="a" "@a, vol. 2, p. 3" group="[@a, vol. 2, p. 3]" suffix=", vol. 2, p. 3" locator=Volume label="vol." value="2"
            citation Bracketed key="a" "@a, emphasis added" group="[@a, emphasis added]" suffix=", emphasis added"
            sentence "A [@a, p. 33]." citations=[0]
            sentence "B [@a, 33]." citations=[1]
            sentence "C [@a, pp. 33-35, 38-39 and passim]." citations=[2]
            sentence "D [@a, chap. iv]." citations=[3]
            sentence "E [@a, § 3]." citations=[4]
            sentence "F [@a, sub verbo 12]." citations=[5]
            sentence "G [@a, vol. 2, p. 3]." citations=[6]
            sentence "H [@a, emphasis added]." citations=[7]
        "#]],
    );
}

#[test]
fn group_with_prefix_and_suffix() {
    check(
        "Ties deepened [see @berman2023, para. 1; also @quill2025, p. 3].",
        expect![[r#"
        block Paragraph "Ties deepened [see @berman2023, para. 1; also @quill2025, p. 3]."
        citation Bracketed key="berman2023" "see @berman2023, para. 1" group="[see @berman2023, para. 1; also @quill2025, p. 3]" prefix="see" suffix=", para. 1" locator=Paragraph label="para." value="1" paragraphs=[1]
        citation Bracketed key="quill2025" "also @quill2025, p. 3" group="[see @berman2023, para. 1; also @quill2025, p. 3]" prefix="also" suffix=", p. 3" locator=Page label="p." value="3"
        sentence "Ties deepened [see @berman2023, para. 1; also @quill2025, p. 3]." citations=[0, 1]
    "#]],
    );
}

#[test]
fn suppress_author() {
    check(
        "Berman says so [-@berman2023, para. 2].",
        expect![[r#"
        block Paragraph "Berman says so [-@berman2023, para. 2]."
        citation SuppressAuthor key="berman2023" "-@berman2023, para. 2" group="[-@berman2023, para. 2]" suffix=", para. 2" locator=Paragraph label="para." value="2" paragraphs=[2]
        sentence "Berman says so [-@berman2023, para. 2]." citations=[0]
    "#]],
    );
}

#[test]
fn in_text_citations() {
    check(
        "@berman2023 says so. As @smith2020. Also @berman2023 [para. 4] and @berman2023[p. 5], @{weird key} too.",
        expect![[r#"
            block Paragraph "@berman2023 says so. As @smith2020. Also @berman2023 [para. 4] and @berman2023[p. 5], @{weird key} too."
            citation InText key="berman2023" "@berman2023"
            citation InText key="smith2020" "@smith2020"
            citation InText key="berman2023" "@berman2023 [para. 4]" suffix="para. 4" locator=Paragraph label="para." value="4" paragraphs=[4]
            citation InText key="berman2023" "@berman2023[p. 5]" suffix="p. 5" locator=Page label="p." value="5"
            citation InText key="weird key" "@{weird key}"
            sentence "@berman2023 says so." citations=[0]
            sentence "As @smith2020." citations=[1]
            sentence "Also @berman2023 [para. 4] and @berman2023[p. 5], @{weird key} too." citations=[2, 3, 4]
        "#]],
    );
}

#[test]
fn not_citations() {
    check(
        "Mail analyst@example.org or see @fig-map, @tbl-x, @sec-intro, @eq-one. Escaped \\@key and [not a citation] and [@fig-x].",
        expect![[r#"
            block Paragraph "Mail analyst@example.org or see @fig-map, @tbl-x, @sec-intro, @eq-one. Escaped \\@key and [not a citation] and [@fig-x]."
            sentence "Mail analyst@example.org or see @fig-map, @tbl-x, @sec-intro, @eq-one." citations=[]
            sentence "Escaped \\@key and [not a citation] and [@fig-x]." citations=[]
        "#]],
    );
}

#[test]
fn group_with_a_non_citation_item_keeps_in_text_citations() {
    check(
        "It grew [@a; see the appendix].",
        expect![[r#"
        block Paragraph "It grew [@a; see the appendix]."
        citation InText key="a" "@a"
        sentence "It grew [@a; see the appendix]." citations=[0]
    "#]],
    );
}

#[test]
fn code_spans_and_blocks_are_skipped() {
    check(
        "Run `@notakey` and ``a ` @b`` here.\n\n```\n[@code]\n```\n\n    @indented\n",
        expect![[r#"
            block Paragraph "Run `@notakey` and ``a ` @b`` here."
            block Code "```\n[@code]\n```"
            block Code "    @indented"
            sentence "Run `@notakey` and ``a ` @b`` here." citations=[]
            skipped CodeSpan "`@notakey`"
            skipped CodeSpan "``a ` @b``"
        "#]],
    );
}

#[test]
fn links_autolinks_and_html_are_skipped() {
    check(
        "See [the @berman2023 text](https://x.org/@a \"title @b\") and <https://x.org/@c> or <me@x.org>. A <span title=\"@d\">tag</span> and <!-- @e --> end.",
        expect![[r#"
            block Paragraph "See [the @berman2023 text](https://x.org/@a \"title @b\") and <https://x.org/@c> or <me@x.org>. A <span title=\"@d\">tag</span> and <!-- @e --> end."
            citation InText key="berman2023" "@berman2023"
            sentence "See [the @berman2023 text](https://x.org/@a \"title @b\") and <https://x.org/@c> or <me@x.org>." citations=[0]
            sentence "A <span title=\"@d\">tag</span> and <!-- @e --> end." citations=[]
            skipped LinkDestination "(https://x.org/@a \"title @b\")"
            skipped Autolink "<https://x.org/@c>"
            skipped Autolink "<me@x.org>"
            skipped Html "<span title=\"@d\">"
            skipped Html "</span>"
            skipped Comment "<!-- @e -->"
        "#]],
    );
}

#[test]
fn front_matter_html_blocks_and_link_definitions_are_skipped() {
    check(
        "---\ntitle: \"@a\"\n---\n\n<div>\n@b\n</div>\n\n[ref]: https://x.org/@c\n\nProse @d.\n",
        expect![[r#"
            block FrontMatter "---\ntitle: \"@a\"\n---"
            block Html "<div>\n@b\n</div>"
            block LinkReferenceDefinition "[ref]: https://x.org/@c"
            block Paragraph "Prose @d."
            citation InText key="d" "@d"
            sentence "Prose @d." citations=[0]
        "#]],
    );
}

#[test]
fn headings_lists_quotes_and_tables() {
    check(
        "# Title [@a]\n\nSetext\n======\n\n## Sub ##\n\n- item [@b, para. 1]\n  more\n\n> quoted [@c,\n> para. 2] text.\n\n| who | what |\n|---|---|\n| Putin | visit [@d] |\n",
        expect![[r#"
            block Heading { level: 1 } "Title [@a]"
            block Heading { level: 1 } "Setext"
            block Heading { level: 2 } "Sub"
            block Paragraph in-list "item [@b, para. 1]\n  more"
            block Paragraph in-quote "quoted [@c,\n> para. 2] text."
            block TableCell "who"
            block TableCell "what"
            block TableCell "Putin"
            block TableCell "visit [@d]"
            heading h1 "Title [@a]"
            heading h1 "Setext"
            heading h2 "Sub"
            citation Bracketed key="a" "@a" group="[@a]"
            citation Bracketed key="b" "@b, para. 1" group="[@b, para. 1]" suffix=", para. 1" locator=Paragraph label="para." value="1" paragraphs=[1]
            citation Bracketed key="c" "@c,\n> para. 2" group="[@c,\n> para. 2]" suffix=",\n> para. 2" locator=Paragraph label="para." value="2" paragraphs=[2]
            citation Bracketed key="d" "@d" group="[@d]"
            sentence "Title [@a]" citations=[0]
            sentence "Setext" citations=[]
            sentence "Sub" citations=[]
            sentence "item [@b, para. 1]\n  more" citations=[1]
            sentence "quoted [@c,\n> para. 2] text." citations=[2]
            sentence "who" citations=[]
            sentence "what" citations=[]
            sentence "Putin" citations=[]
            sentence "visit [@d]" citations=[3]
        "#]],
    );
}

#[test]
fn sentences_carry_their_citations() {
    check(
        "It grew in 2022 [@a, para. 1]. Then it fell. [@b] Last one @c.\n",
        expect![[r#"
            block Paragraph "It grew in 2022 [@a, para. 1]. Then it fell. [@b] Last one @c."
            citation Bracketed key="a" "@a, para. 1" group="[@a, para. 1]" suffix=", para. 1" locator=Paragraph label="para." value="1" paragraphs=[1]
            citation Bracketed key="b" "@b" group="[@b]"
            citation InText key="c" "@c"
            sentence "It grew in 2022 [@a, para. 1]." citations=[0]
            sentence "Then it fell. [@b]" citations=[1]
            sentence "Last one @c." citations=[2]
        "#]],
    );
}

#[test]
fn a_paragraph_without_full_stops_is_read_as_claims_ending_at_their_citations() {
    let claim = "Russia sold Iran drones in July 2022 and Iran paid in gold [@a, para. 1], ";
    let text = format!("{}\n", claim.repeat(30).trim_end_matches([',', ' ']));
    let brief = parse(&text);
    assert_eq!(brief.citations.len(), 30);
    assert_eq!(brief.sentences.len(), 30, "one claim a citation");
    for (number, sentence) in brief.sentences.iter().enumerate() {
        assert_eq!(
            &text[sentence.range.clone()],
            claim.trim_end_matches([',', ' '])
        );
        assert_eq!(sentence.citations, vec![number]);
    }
}

#[test]
fn quotations() {
    check(
        "He called it “a new phase” [@a]. She said \"near abroad.\" A 12\" pipe. Odd \"open.\n",
        expect![[r#"
            block Paragraph "He called it “a new phase” [@a]. She said \"near abroad.\" A 12\" pipe. Odd \"open."
            citation Bracketed key="a" "@a" group="[@a]"
            sentence "He called it “a new phase” [@a]." citations=[0]
            sentence "She said \"near abroad.\"" citations=[]
            sentence "A 12\" pipe." citations=[]
            sentence "Odd \"open." citations=[]
            quote "a new phase"
            quote "near abroad."
        "#]],
    );
}

#[test]
fn directives() {
    check(
        "<!-- dossier-ignore uncited-claim misquote -->\nPutin went.\n\n<!-- dossier-ignore -->\nAll silenced.\n\n<!-- dossier-disable unsupported-claim -->\n\nInside.\n\n<!-- dossier-enable unsupported-claim -->\n\nOutside <!-- dossier-frobnicate --> <!-- dossier-enable x -->.\n\n<!-- dossier-disable -->\nTo the end.\n",
        expect![[r#"
            block Html "<!-- dossier-ignore uncited-claim misquote -->"
            block Paragraph "Putin went."
            block Html "<!-- dossier-ignore -->"
            block Paragraph "All silenced."
            block Html "<!-- dossier-disable unsupported-claim -->"
            block Paragraph "Inside."
            block Html "<!-- dossier-enable unsupported-claim -->"
            block Paragraph "Outside <!-- dossier-frobnicate --> <!-- dossier-enable x -->."
            block Html "<!-- dossier-disable -->"
            block Paragraph "To the end."
            sentence "Putin went." citations=[]
            sentence "All silenced." citations=[]
            sentence "Inside." citations=[]
            sentence "Outside <!-- dossier-frobnicate --> <!-- dossier-enable x -->." citations=[]
            sentence "To the end." citations=[]
            skipped Comment "<!-- dossier-frobnicate -->"
            skipped Comment "<!-- dossier-enable x -->"
            directive Ignore ["uncited-claim", "misquote"]
            directive Ignore []
            directive Disable ["unsupported-claim"]
            directive Enable ["unsupported-claim"]
            directive Enable ["x"]
            directive Disable []
            suppression ["uncited-claim", "misquote"] "Putin went."
            suppression [] "All silenced."
            suppression ["unsupported-claim"] "\n\nInside.\n\n"
            suppression [] "\nTo the end.\n"
            issue UnknownDirective("dossier-frobnicate") "<!-- dossier-frobnicate -->"
            issue EnableWithoutDisable "<!-- dossier-enable x -->"
        "#]],
    );
}

#[test]
fn suppression_queries() {
    let text = "<!-- dossier-ignore uncited-claim -->\nPutin went.\nNext line.\n";
    let brief = parse(text);
    let line = text.find("Putin").expect("fixture");
    let next = text.find("Next").expect("fixture");
    assert!(brief.is_suppressed("uncited-claim", &(line..line + 5)));
    assert!(!brief.is_suppressed("misquote", &(line..line + 5)));
    assert!(!brief.is_suppressed("uncited-claim", &(next..next + 4)));
}

#[test]
fn prose_block_at_finds_prose_only() {
    let text = "Prose here.\n\n```\ncode\n```\n";
    let brief = parse(text);
    assert!(brief.prose_block_at(3).is_some());
    assert!(
        brief
            .prose_block_at(text.find("code").expect("fixture"))
            .is_none()
    );
}

#[test]
fn huge_ranges_are_capped() {
    let brief = parse("A [@a, paras. 1–1000000].");
    let paragraphs = brief.citations[0].paragraphs();
    assert_eq!(paragraphs.len(), locator::MAX_EXPANDED + 1);
    assert_eq!(paragraphs.last(), Some(&1_000_000));
}

#[test]
fn fallback_reads_paragraphs() {
    let blocks = blocks::fallback_for_tests("One.\n\n\nTwo\nlines.\n");
    let texts: Vec<_> = blocks.iter().map(|block| block.content.clone()).collect();
    assert_eq!(texts, vec![0..4, 7..17]);
}

#[test]
fn a_braced_key_too_long_is_cut_on_a_character_and_refused() {
    let text = format!("See [@{{{}}}].", "😀".repeat(100));
    assert!(parse(&text).citations.is_empty());
}

mod context_tests;
mod properties;
