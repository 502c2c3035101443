//! Source layouts: how a file's blocks become a title, a byline, categories, section headings
//! and numbered paragraphs. Two layouts share one result type: the plain-text layout of the
//! seed article, and Markdown with YAML front matter (see `front_matter.rs`).
//!
//! Pure functions of the text; what they could not read comes back as `problems`.

use std::ops::Range;

use super::blocks::{Block, blocks, collapse_whitespace, flush, lines, trim_range};
use super::byline::parse_byline;
use super::front_matter::{FrontMatter, split_front_matter};
use super::source::{Paragraph, Section};
use crate::edtf::Edtf;

/// Everything a layout reads from a source's text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layout {
    /// Empty when the text has none; the loader then uses the file name.
    pub title: String,
    pub authors: Vec<String>,
    pub date: Option<Edtf>,
    pub publisher: Option<String>,
    pub categories: Vec<String>,
    pub requested_key: Option<String>,
    pub byline: Option<Range<usize>>,
    pub sections: Vec<Section>,
    pub paragraphs: Vec<Paragraph>,
    /// What could not be read, for the load report.
    pub problems: Vec<String>,
}

/// A heading is a single short line without final punctuation.
const HEADING_MAX_CHARS: usize = 120;
const HEADING_MAX_WORDS: usize = 15;

/// The plain-text layout: title, byline, optional categories, then body blocks.
pub fn parse_plain(text: &str) -> Layout {
    let mut layout = Layout::default();
    let blocks = blocks(text, 0..text.len());
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
    add_body(text, rest, &mut layout, |block| {
        is_plain_heading(block.text(text)).then(|| block.flat_text(text))
    });
    layout
}

/// The Markdown layout: YAML front matter, ATX (`#`) and setext headings, body blocks.
pub fn parse_markdown(text: &str) -> Layout {
    let mut layout = Layout::default();
    let (front_matter, body) = split_front_matter(text);
    if let Some(front_matter) = front_matter {
        apply_front_matter(&mut layout, front_matter);
    }
    let blocks = markdown_blocks(text, body);
    let mut rest = blocks.as_slice();
    // A leading level-1 heading is the title (often repeating the front matter's).
    if let Some((first, tail)) = rest.split_first()
        && let Some((1, heading)) = markdown_heading(first.text(text))
        && (layout.title.is_empty() || layout.title == heading)
    {
        layout.title = heading;
        rest = tail;
    }
    add_body(text, rest, &mut layout, |block| {
        let block_text = block.text(text);
        if let Some((_, heading)) = markdown_heading(block_text) {
            return Some(heading);
        }
        // A thematic break or an HTML comment is neither a heading nor a paragraph.
        let is_comment = block_text.starts_with("<!--") && block_text.ends_with("-->");
        (is_thematic_break(block_text) || is_comment).then(String::new)
    });
    layout
}

fn apply_front_matter(layout: &mut Layout, front_matter: FrontMatter) {
    layout.title = front_matter.title.unwrap_or_default();
    layout.authors = front_matter.authors;
    layout.date = front_matter.date;
    layout.publisher = front_matter.publisher;
    layout.categories = front_matter.categories;
    layout.requested_key = front_matter.key;
    layout.problems.extend(front_matter.problems);
}

/// Numbers the body: each block is a paragraph unless `heading` names it a heading (an empty
/// name: a block to skip). A final `© YEAR - Holder` block is a footer.
fn add_body(
    text: &str,
    mut body: &[Block],
    layout: &mut Layout,
    heading: impl Fn(&Block) -> Option<String>,
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

/// `Related Categories: a; b` (or `Categories:`), split on `;` (on `,` when there is no `;`).
fn categories_line(block: &str) -> Option<Vec<String>> {
    let (label, list) = block.split_once(':')?;
    if !matches!(
        label.trim().to_ascii_lowercase().as_str(),
        "related categories" | "categories" | "tags" | "topics"
    ) {
        return None;
    }
    let separator = if list.contains(';') { ';' } else { ',' };
    Some(
        list.split(separator)
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// `---`, `* * *`, `___`: three or more of one of `-*_`, white space between allowed.
fn is_thematic_break(block: &str) -> bool {
    let mut marks = block.chars().filter(|c| !c.is_whitespace());
    let Some(mark @ ('-' | '*' | '_')) = marks.next() else {
        return false;
    };
    let mut count = 1;
    for c in marks {
        if c != mark {
            return false;
        }
        count += 1;
    }
    count >= 3
}

fn is_plain_heading(block: &str) -> bool {
    // A paragraph is most blocks: the cheap tests first, and none reads past the limit.
    !block.is_empty()
        && !block.contains('\n')
        && block.chars().nth(HEADING_MAX_CHARS).is_none()
        && block.split_whitespace().nth(HEADING_MAX_WORDS).is_none()
        && !ends_with_final_punctuation(block)
}

/// Sentence-final punctuation, looking through closing quotes and brackets after it.
fn ends_with_final_punctuation(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*', '_']);
    trimmed.ends_with(['.', '!', '?', ':', ';', '…', ','])
}

fn is_footer(block: &str) -> bool {
    let start = block.trim_start();
    let opens_with = |prefix: &str| {
        start
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    block.lines().nth(2).is_none()
        && (start.starts_with('©') || opens_with("(c) ") || opens_with("copyright"))
}

/// Markdown blocks: blank-line separated, except inside fenced code, and with each ATX
/// heading line a block of its own.
fn markdown_blocks(text: &str, body: Range<usize>) -> Vec<Block> {
    let mut result = Vec::new();
    let mut current: Vec<Range<usize>> = Vec::new();
    let mut fence: Option<&str> = None;
    let base = body.start;
    for line in lines(&text[body]) {
        let line = (line.start + base)..(line.end + base);
        let Some(trimmed) = trim_range(text, line) else {
            if fence.is_none() {
                flush(&mut current, &mut result);
            }
            continue;
        };
        let content = &text[trimmed.clone()];
        if let Some(marker) = fence {
            current.push(trimmed);
            if content.starts_with(marker) {
                fence = None;
                flush(&mut current, &mut result);
            }
        } else if let Some(marker) = ["```", "~~~"].into_iter().find(|m| content.starts_with(m)) {
            flush(&mut current, &mut result);
            current.push(trimmed);
            fence = Some(marker);
        } else if markdown_heading(content).is_some() {
            flush(&mut current, &mut result);
            current.push(trimmed);
            flush(&mut current, &mut result);
        } else {
            current.push(trimmed);
        }
    }
    flush(&mut current, &mut result);
    result
}

/// An ATX heading (`## Title ##`) or a setext heading (`Title` over `===` or `---`): its level
/// and text.
fn markdown_heading(block: &str) -> Option<(usize, String)> {
    let mut lines = block.lines();
    let first = lines.next()?;
    let second = lines.next();
    if second.is_none() {
        let level = first.bytes().take_while(|&b| b == b'#').count();
        let after = &first[level..];
        if (1..=6).contains(&level) && (after.is_empty() || after.starts_with([' ', '\t'])) {
            let title = after.trim().trim_end_matches('#').trim();
            return Some((level, collapse_whitespace(title)));
        }
        return None;
    }
    let underline = second?.trim();
    if lines.next().is_none() && !underline.is_empty() {
        if underline.chars().all(|c| c == '=') {
            return Some((1, collapse_whitespace(first)));
        }
        if underline.chars().all(|c| c == '-') {
            return Some((2, collapse_whitespace(first)));
        }
    }
    None
}
