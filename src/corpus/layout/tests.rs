//! The layouts against the first, simpler version of themselves (which split every block into
//! a list of lines, flattened every candidate block, and tested headings in the order they are
//! written): on texts made of the lines that matter, both must read the same layout.

use std::ops::Range;

use proptest::prelude::*;

use super::*;
use crate::corpus::front_matter::split_front_matter;

struct ReferenceBlock {
    range: Range<usize>,
}

impl ReferenceBlock {
    fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.range.clone()]
    }

    fn flat_text(&self, text: &str) -> String {
        reference_collapse(self.text(text))
    }
}

fn reference_collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn reference_trim(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let slice = &text[range.clone()];
    let trimmed_start = slice.trim_start();
    if trimmed_start.is_empty() {
        return None;
    }
    let start = range.start + (slice.len() - trimmed_start.len());
    Some(start..start + trimmed_start.trim_end().len())
}

fn reference_flush(current: &mut Vec<Range<usize>>, blocks: &mut Vec<ReferenceBlock>) {
    if let (Some(first), Some(last)) = (current.first(), current.last()) {
        blocks.push(ReferenceBlock {
            range: first.start..last.end,
        });
        current.clear();
    }
}

fn reference_blocks(text: &str) -> Vec<ReferenceBlock> {
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    for line in lines(text) {
        match reference_trim(text, line) {
            Some(trimmed) => current.push(trimmed),
            None => reference_flush(&mut current, &mut blocks),
        }
    }
    reference_flush(&mut current, &mut blocks);
    blocks
}

fn reference_plain(text: &str) -> Layout {
    let mut layout = Layout::default();
    let blocks = reference_blocks(text);
    let mut rest = blocks.as_slice();
    if let Some((title, tail)) = rest.split_first() {
        layout.title = title.flat_text(text);
        rest = tail;
    }
    if let Some((block, tail)) = rest.split_first()
        && let Some(byline) = parse_byline(&block.flat_text(text))
    {
        layout.date = byline.date;
        layout.authors = byline.authors;
        layout.publisher = byline.publisher;
        layout.byline = Some(block.range.clone());
        rest = tail;
    }
    if let Some((block, tail)) = rest.split_first()
        && let Some(categories) = categories_line(&block.flat_text(text))
    {
        layout.categories = categories;
        rest = tail;
    }
    reference_body(text, rest, &mut layout, |block| {
        reference_is_plain_heading(block.text(text)).then(|| block.flat_text(text))
    });
    layout
}

fn reference_is_plain_heading(block: &str) -> bool {
    !block.is_empty()
        && !block.contains('\n')
        && block.chars().nth(HEADING_MAX_CHARS).is_none()
        && block.split_whitespace().nth(HEADING_MAX_WORDS).is_none()
        && !ends_with_final_punctuation(block)
}

fn reference_markdown(text: &str) -> Layout {
    let mut layout = Layout::default();
    let (front_matter, body) = split_front_matter(text);
    if let Some(front_matter) = front_matter {
        apply_front_matter(&mut layout, front_matter);
    }
    let blocks = reference_markdown_blocks(text, body);
    let mut rest = blocks.as_slice();
    if let Some((first, tail)) = rest.split_first()
        && let Some((1, heading)) = reference_heading(first.text(text))
        && (layout.title.is_empty() || layout.title == heading)
    {
        layout.title = heading;
        rest = tail;
    }
    reference_body(text, rest, &mut layout, |block| {
        let block_text = block.text(text);
        if let Some((_, heading)) = reference_heading(block_text) {
            return Some(heading);
        }
        let is_comment = block_text.starts_with("<!--") && block_text.ends_with("-->");
        (is_thematic_break(block_text) || is_comment).then(String::new)
    });
    layout
}

fn reference_body(
    text: &str,
    mut body: &[ReferenceBlock],
    layout: &mut Layout,
    heading: impl Fn(&ReferenceBlock) -> Option<String>,
) {
    if let Some((last, init)) = body.split_last()
        && is_footer(last.text(text))
    {
        body = init;
    }
    for block in body {
        let next_number = layout.paragraphs.len() as u32 + 1;
        match heading(block) {
            Some(title) if title.is_empty() => {}
            Some(title) => layout.sections.push(Section {
                title,
                range: block.range.clone(),
                first_paragraph: next_number,
            }),
            None => layout.paragraphs.push(Paragraph {
                number: next_number,
                range: block.range.clone(),
            }),
        }
    }
}

fn reference_markdown_blocks(text: &str, body: Range<usize>) -> Vec<ReferenceBlock> {
    let mut result = Vec::new();
    let mut current = Vec::new();
    let mut fence: Option<&str> = None;
    let base = body.start;
    for line in lines(&text[body]) {
        let line = (line.start + base)..(line.end + base);
        let Some(trimmed) = reference_trim(text, line) else {
            if fence.is_none() {
                reference_flush(&mut current, &mut result);
            }
            continue;
        };
        let content = &text[trimmed.clone()];
        if let Some(marker) = fence {
            current.push(trimmed);
            if content.starts_with(marker) {
                fence = None;
                reference_flush(&mut current, &mut result);
            }
        } else if let Some(marker) = ["```", "~~~"].into_iter().find(|m| content.starts_with(m)) {
            reference_flush(&mut current, &mut result);
            current.push(trimmed);
            fence = Some(marker);
        } else if reference_heading(content).is_some() {
            reference_flush(&mut current, &mut result);
            current.push(trimmed);
            reference_flush(&mut current, &mut result);
        } else {
            current.push(trimmed);
        }
    }
    reference_flush(&mut current, &mut result);
    result
}

fn reference_heading(block: &str) -> Option<(usize, String)> {
    let mut lines = block.lines();
    let first = lines.next()?;
    let second = lines.next();
    if second.is_none() {
        let level = first.bytes().take_while(|&b| b == b'#').count();
        let after = &first[level..];
        if (1..=6).contains(&level) && (after.is_empty() || after.starts_with([' ', '\t'])) {
            let title = after.trim().trim_end_matches('#').trim();
            return Some((level, reference_collapse(title)));
        }
        return None;
    }
    let underline = second?.trim();
    if lines.next().is_none() && !underline.is_empty() {
        if underline.chars().all(|c| c == '=') {
            return Some((1, reference_collapse(first)));
        }
        if underline.chars().all(|c| c == '-') {
            return Some((2, reference_collapse(first)));
        }
    }
    None
}

/// Lines of the kinds the layouts tell apart, and their odd variants.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" \t ".to_string()),
        Just("\u{a0}".to_string()),
        Just("Title without a stop".to_string()),
        Just("  Indented heading  ".to_string()),
        Just("A sentence that ends.".to_string()),
        Just("Quoted “end.”".to_string()),
        Just("March 3, 2019 Chiamaka Okonkwo Lagos Policy Review".to_string()),
        Just("3 March 2019, by Ana de la Cruz".to_string()),
        Just("+1 May 2020 The Economist".to_string()),
        Just("2021-06-01 Åsa Lindqvist".to_string()),
        Just("Sept. 2020 | Foreign Notes".to_string()),
        Just("1991 was the year.".to_string()),
        Just("Related Categories: Trade; Ports".to_string()),
        Just("Related\tCategories: a, b".to_string()),
        Just("tags: x".to_string()),
        Just("Topics:".to_string()),
        Just("Categoriesque: no".to_string()),
        Just("# Heading #".to_string()),
        Just("###### Six".to_string()),
        Just("####### Seven".to_string()),
        Just("#NoSpace".to_string()),
        Just("#".to_string()),
        Just("===".to_string()),
        Just("---".to_string()),
        Just("- - -".to_string()),
        Just("* * *".to_string()),
        Just("--- x".to_string()),
        Just("```".to_string()),
        Just("~~~ rust".to_string()),
        Just("<!-- note -->".to_string()),
        Just("© 2019 - Holder".to_string()),
        Just("(c) 2020 Someone".to_string()),
        Just("Copyright 2021".to_string()),
        "[a-zé#=\\-. ,:]{0,12}",
        "[a-z ]{100,140}",
        "(word ){14,17}",
    ]
}

/// Lines that a plain text's title, byline and categories blocks are read from.
fn header_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Title without a stop".to_string()),
        Just("March 3, 2019 Chiamaka Okonkwo Lagos Policy Review".to_string()),
        Just("3 March 2019, by Ana de la Cruz".to_string()),
        Just("+1 May 2020 The Economist".to_string()),
        Just("2021-06-01 Åsa Lindqvist".to_string()),
        Just("Sept. 2020 | Foreign Notes".to_string()),
        Just("5th\nJune 2020 Ann Lee".to_string()),
        Just("1991 was the year.".to_string()),
        Just("Related Categories: Trade; Ports".to_string()),
        Just("Related\tCategories: a, b".to_string()),
        Just("related\ncategories: a".to_string()),
        Just("tags: x".to_string()),
        Just("TAGS : x, y".to_string()),
        Just("Topics:".to_string()),
        Just("Categoriesque: no".to_string()),
        Just("Categories".to_string()),
        "[A-Za-z0-9+,:; ]{0,16}",
    ]
}

/// A text of such lines, each ended by one of the line breaks (or none at the very end),
/// often after a header of blocks that may be a title, a byline and categories.
fn text() -> impl Strategy<Value = String> {
    let ending = prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("\n\n")];
    (
        proptest::collection::vec(header_line(), 0..4),
        proptest::collection::vec((line(), ending), 0..14),
        proptest::bool::ANY,
    )
        .prop_map(|(header, lines, front_matter)| {
            let mut text = if front_matter {
                "---\ntitle: T\n---\n".to_string()
            } else {
                String::new()
            };
            for line in header {
                text.push_str(&line);
                text.push_str("\n\n");
            }
            for (line, ending) in lines {
                text.push_str(&line);
                text.push_str(ending);
            }
            text
        })
}

/// `ends_with_final_punctuation` as it was, trimming every block.
fn reference_final_punctuation(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*', '_']);
    trimmed.ends_with(['.', '!', '?', ':', ';', '…', ','])
}

proptest! {
    #[test]
    fn final_punctuation_is_found_as_before(text in "[a .!?:;,…\"'”’»)\\]*_]{0,6}") {
        prop_assert_eq!(ends_with_final_punctuation(&text), reference_final_punctuation(&text));
    }

    #[test]
    fn the_plain_layout_reads_as_its_first_version(text in text()) {
        prop_assert_eq!(parse_plain(&text), reference_plain(&text));
    }

    #[test]
    fn the_markdown_layout_reads_as_its_first_version(text in text()) {
        prop_assert_eq!(parse_markdown(&text), reference_markdown(&text));
    }

    #[test]
    fn blocks_are_trimmed_as_before(text in text()) {
        let found: Vec<Range<usize>> = blocks(&text, 0..text.len()).into_iter().map(|b| b.range).collect();
        let expected: Vec<Range<usize>> = reference_blocks(&text).into_iter().map(|b| b.range).collect();
        prop_assert_eq!(found, expected);
    }
}
