//! The source layouts on the seed and on sources of our own, odd ones included.
//! `UPDATE_EXPECT=1 cargo test` refreshes the snapshots; review the diff like code.

use std::fmt::Write as _;

use dossier::corpus::layout::{Layout, parse_markdown, parse_plain};
use dossier::corpus::{keys, load_bundled};
use expect_test::{Expect, expect};

const SEED: &str = include_str!("../seeds/000_66373d9ec02ed63b.txt");

/// A layout as a few lines of text: metadata, then each heading and paragraph in order, the
/// paragraph shown by its first and last words.
fn render(text: &str, layout: &Layout) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "title: {}", layout.title);
    let _ = writeln!(out, "authors: {:?}", layout.authors);
    let date = layout.date.as_ref().map(ToString::to_string);
    let _ = writeln!(out, "date: {}", date.as_deref().unwrap_or("-"));
    let _ = writeln!(
        out,
        "publisher: {}",
        layout.publisher.as_deref().unwrap_or("-")
    );
    let _ = writeln!(out, "categories: {:?}", layout.categories);
    if let Some(key) = &layout.requested_key {
        let _ = writeln!(out, "key: {key}");
    }
    if !layout.problems.is_empty() {
        let _ = writeln!(out, "problems: {:?}", layout.problems);
    }
    let mut sections = layout.sections.iter().peekable();
    for paragraph in &layout.paragraphs {
        while let Some(section) = sections.next_if(|s| s.first_paragraph <= paragraph.number) {
            let _ = writeln!(out, "## {}", section.title);
        }
        let body = &text[paragraph.range.clone()];
        let words: Vec<&str> = body.split_whitespace().collect();
        let shown = if words.len() <= 6 {
            words.join(" ")
        } else {
            format!(
                "{} … {}",
                words[..3].join(" "),
                words[words.len() - 3..].join(" ")
            )
        };
        let _ = writeln!(out, "¶{} {shown}", paragraph.number);
    }
    for section in sections {
        let _ = writeln!(out, "## {}", section.title);
    }
    out
}

fn check_plain(text: &str, expect: Expect) {
    let layout = parse_plain(text);
    assert_ranges_cut_trimmed_text(text, &layout);
    expect.assert_eq(&render(text, &layout));
}

fn check_markdown(text: &str, expect: Expect) {
    let layout = parse_markdown(text);
    assert_ranges_cut_trimmed_text(text, &layout);
    expect.assert_eq(&render(text, &layout));
}

fn assert_ranges_cut_trimmed_text(text: &str, layout: &Layout) {
    for paragraph in &layout.paragraphs {
        let cut = &text[paragraph.range.clone()];
        assert_eq!(
            cut,
            cut.trim(),
            "paragraph {} has untrimmed space",
            paragraph.number
        );
        assert!(!cut.is_empty());
    }
}

#[test]
fn the_seed_has_its_metadata_and_twenty_paragraphs() {
    let corpus = load_bundled();
    let [source] = corpus.sources.as_slice() else {
        panic!("the bundled corpus has one source");
    };
    assert_eq!(source.key, "berman2023");
    assert_eq!(
        source.date.as_ref().map(ToString::to_string).as_deref(),
        Some("2023-02-15")
    );
    assert_eq!(source.authors, ["Ilan I. Berman"]);
    assert_eq!(
        source.publisher.as_deref(),
        Some("The Jerusalem Strategic Tribune")
    );
    assert_eq!(source.title, "A New Page in the Russo–Iranian Partnership");
    assert_eq!(source.paragraphs.len(), 20);
    assert_eq!(
        keys::base_key(&keys::Citable::key_fields(source)),
        "berman2023"
    );

    // An independent split of the file: every block that is not the title, the byline, the
    // categories, a heading or the footer, in order.
    let headings = [
        "A Post-Soviet Entente",
        "Misreading Russian Policy",
        "The Equation, Inverted",
        "A Risky Gambit . . . for Iran",
    ];
    let expected: Vec<&str> = SEED
        .split("\n\n")
        .map(str::trim)
        .filter(|block| !block.is_empty())
        .skip(3)
        .filter(|block| !headings.contains(block) && !block.starts_with('©'))
        .collect();
    let cut: Vec<&str> = source
        .paragraphs
        .iter()
        .map(|p| &source.text[p.range.clone()])
        .collect();
    assert_eq!(cut, expected);
    assert_eq!(source.text, SEED, "the bundled text is the file, unchanged");
    let section_titles: Vec<&str> = source.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(section_titles, headings);
}

#[test]
fn seed_layout() {
    check_plain(
        SEED,
        expect![[r#"
            title: A New Page in the Russo–Iranian Partnership
            authors: ["Ilan I. Berman"]
            date: 2023-02-15
            publisher: The Jerusalem Strategic Tribune
            categories: ["Arms Control and Proliferation", "Economic Sanctions", "International Economics and Trade", "Public Diplomacy and Information Operations", "Warfare", "Iran", "Russia"]
            ¶1 In July 2022, … the two countries.
            ¶2 Putin's trip to … Moscow and Tehran.
            ¶3 These diplomatic forays … for Putin's government.
            ## A Post-Soviet Entente
            ¶4 To understand just … have truly blossomed.
            ¶5 They did so … Cold War-era prominence.
            ¶6 Iran, meanwhile, came … the Middle East.
            ¶7 The resulting meeting … to break them.
            ## Misreading Russian Policy
            ¶8 For nearly as … lack of transparency.
            ¶9 Thereafter, the return … the Russian Federation.
            ¶10 All of this, … its near abroad.
            ¶11 These reasons, and … remote than ever.
            ## The Equation, Inverted
            ¶12 When Russia launched … and costly conflict.
            ¶13 These difficulties have … in drone warfare.
            ¶14 The collaboration has … energy development arrangements.
            ¶15 All of this … even economic aims.
            ## A Risky Gambit . . . for Iran
            ¶16 Years from now, … its own standing.
            ¶17 The consequences are … against the West.
            ¶18 Iran's involvement has … missile defense system.
            ¶19 Yet, despite these … draw Tehran closer.
            ¶20 Iran, for its … are steep indeed.
        "#]],
    );
}

#[test]
fn plain_text_with_crlf_trailing_spaces_and_no_categories() {
    check_plain(
        "Water Rights on the Nile  \r\n\r\nMarch 3, 2019 Chiamaka Okonkwo Lagos Policy Review   \r\n\r\nThe dam was finished in 2020.  \r\nTalks had stalled\r\nfor years.\r\n\r\nWhat Comes Next\r\n\r\n“Nobody wins,” said the minister — twice.\r\n\r\n© 2019 - Lagos Policy Review\r\n",
        expect![[r#"
            title: Water Rights on the Nile
            authors: ["Chiamaka Okonkwo"]
            date: 2019-03-03
            publisher: Lagos Policy Review
            categories: []
            ¶1 The dam was … stalled for years.
            ## What Comes Next
            ¶2 “Nobody wins,” said … minister — twice.
        "#]],
    );
}

#[test]
fn plain_text_without_a_byline() {
    check_plain(
        "Notes on the Sahel\n\nThe region saw three coups between 2020 and 2023.\n\nCategories: not really a categories block.\n",
        expect![[r#"
            title: Notes on the Sahel
            authors: []
            date: -
            publisher: -
            categories: []
            ¶1 The region saw … 2020 and 2023.
            ¶2 Categories: not really a categories block.
        "#]],
    );
}

#[test]
fn plain_text_with_headings_only() {
    check_plain(
        "Outline\n\nJune 1, 2021 Åsa Lindqvist\n\nIntroduction\n\nBackground (continued)\n\nConclusion\n",
        expect![[r#"
            title: Outline
            authors: ["Åsa Lindqvist"]
            date: 2021-06-01
            publisher: -
            categories: []
            ## Introduction
            ## Background (continued)
            ## Conclusion
        "#]],
    );
}

#[test]
fn a_short_line_with_final_punctuation_is_a_paragraph() {
    check_plain(
        "T\n\nMay 2020 The Economist\n\nRelated Categories: Trade, Ports\n\nIt rained.\n\nShips waited “outside.”\n\nNo punctuation here\n",
        expect![[r#"
            title: T
            authors: []
            date: 2020-05
            publisher: The Economist
            categories: ["Trade", "Ports"]
            ¶1 It rained.
            ¶2 Ships waited “outside.”
            ## No punctuation here
        "#]],
    );
}

#[test]
fn markdown_with_front_matter_headings_and_wrapped_paragraphs() {
    check_markdown(
        "---\ntitle: Ice and Trade\nauthor: Åsa Lindqvist\ndate: 2021-11-08\npublisher: Nordic Review\ncategories: [Arctic, Trade]\n---\n\n# Ice and Trade\n\nShipping through the\nNorthern Sea Route grew.\n\n## Ports\nTromsø and Nuuk expanded.\n\n```\ncode\n\nstill code\n```\n\n---\n\n<!-- a comment -->\n\nSetext heading\n--------------\n\nLast words.\n\n© 2021 - Nordic Review\n",
        expect![[r#"
            title: Ice and Trade
            authors: ["Åsa Lindqvist"]
            date: 2021-11-08
            publisher: Nordic Review
            categories: ["Arctic", "Trade"]
            ¶1 Shipping through the … Sea Route grew.
            ## Ports
            ¶2 Tromsø and Nuuk expanded.
            ¶3 ``` code still code ```
            ## Setext heading
            ¶4 Last words.
        "#]],
    );
}

#[test]
fn markdown_without_front_matter_takes_its_title_from_the_first_heading() {
    check_markdown(
        "# Lula’s Second Term\r\n\r\nBetween 2003 and 2010, trade doubled.\r\n",
        expect![[r#"
            title: Lula’s Second Term
            authors: []
            date: -
            publisher: -
            categories: []
            ¶1 Between 2003 and 2010, trade doubled.
        "#]],
    );
}

#[test]
fn markdown_with_broken_front_matter_still_loads_its_body() {
    check_markdown(
        "---\ntitle: [broken\nkey: x\n---\nBody text.\n",
        expect![[r#"
            title: 
            authors: []
            date: -
            publisher: -
            categories: []
            problems: ["front matter is not valid YAML: illegal placement of ':' indicator at byte 18 line 2 column 4"]
            ¶1 Body text.
        "#]],
    );
}
