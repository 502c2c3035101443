//! Source layouts: how a file's blocks become a title, a byline, categories, section headings
//! and numbered paragraphs. Two layouts share one result type: the plain-text layout of the
//! seed article, and Markdown with YAML front matter (see `front_matter.rs`).
//!
//! Pure functions of the text; what they could not read comes back as `problems`.

use std::ops::Range;

use super::blocks::{Block, Gathering, blocks, collapse_whitespace, lines, trim_range};
use super::byline::parse_byline;
use super::front_matter::{FrontMatter, split_front_matter};
use super::source::{Paragraph, Section};
use crate::edtf::{Edtf, month_from_name};

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
        && may_open_with_date(block.text(text))
        && let Some(byline) = parse_byline(&block.flat_text(text))
    {
        layout.date = byline.date;
        layout.authors = byline.authors;
        layout.publisher = byline.publisher;
        layout.byline = Some(block.range.clone());
        rest = tail;
    }
    if let Some((block, tail)) = rest.split_first()
        && may_be_categories(block.text(text))
        && let Some(categories) = categories_line(&block.flat_text(text))
    {
        layout.categories = categories;
        rest = tail;
    }
    add_body(text, rest, &mut layout, |block| {
        is_plain_heading(block, text).then(|| block.flat_text(text))
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
    // Most blocks are paragraphs: room for them all at once rather than by regrowing.
    layout.paragraphs.reserve(body.len());
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

/// Whether `block` (trimmed) may be a categories line: `categories_line` of its flat text
/// needs one of its labels at the start, and the flat text starts as the block does. Most
/// third blocks are paragraphs, which are not flattened for nothing then.
fn may_be_categories(block: &str) -> bool {
    ["related", "categories", "tags", "topics"]
        .iter()
        .any(|label| {
            block
                .get(..label.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(label))
        })
}

/// Whether `block` (trimmed) may open with the date of a byline: `parse_leading_date` of
/// its flat text reads a day, a month or a year from the first word, which the block and
/// its flat text share. What passes is read in full; what fails could not be a byline.
fn may_open_with_date(block: &str) -> bool {
    let first = block.split(char::is_whitespace).next().unwrap_or("");
    let first = first.trim_end_matches(',');
    // An ISO day, a day or a year (digits, which `u8` parsing lets a `+` lead), a month.
    (first.len() == 10 && first.as_bytes().get(4) == Some(&b'-'))
        || first
            .as_bytes()
            .first()
            .is_some_and(|b| b.is_ascii_digit() || *b == b'+')
        || month_from_name(first).is_some()
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

fn is_plain_heading(block: &Block, text: &str) -> bool {
    let block_text = block.text(text);
    // A paragraph is most blocks, and ends with final punctuation: that test first, then
    // the others cheapest first; none reads past its limit.
    !block_text.is_empty()
        && !ends_with_final_punctuation(block_text)
        && (block.single_line || !block_text.contains('\n'))
        && (block_text.len() <= HEADING_MAX_CHARS
            || block_text.chars().nth(HEADING_MAX_CHARS).is_none())
        && !has_more_words_than(block_text, HEADING_MAX_WORDS)
}

/// Whether `text` has more than `most` words (runs of anything but white space). ASCII text
/// is counted a byte at a time, where splitting it decoded every character.
fn has_more_words_than(text: &str, most: usize) -> bool {
    if !text.is_ascii() {
        return text.split_whitespace().nth(most).is_some();
    }
    let mut words = 0usize;
    let mut in_word = false;
    for &byte in text.as_bytes() {
        let space = matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words > most
}

/// Sentence-final punctuation, looking through closing quotes and brackets after it.
fn ends_with_final_punctuation(text: &str) -> bool {
    // Most blocks end with an ASCII mark or letter that no quote or bracket hides: told by
    // that byte, where the trimming compared the last character with nine.
    if let Some(&last) = text.as_bytes().last()
        && last.is_ascii()
        && !matches!(last, b'"' | b'\'' | b')' | b']' | b'*' | b'_')
    {
        return matches!(last, b'.' | b'!' | b'?' | b':' | b';' | b',');
    }
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
    // The opening first: most last blocks are paragraphs, whose lines are not counted then.
    (start.starts_with('©') || opens_with("(c) ") || opens_with("copyright"))
        && block.lines().nth(2).is_none()
}

/// Markdown blocks: blank-line separated, except inside fenced code, and with each ATX
/// heading line a block of its own.
fn markdown_blocks(text: &str, body: Range<usize>) -> Vec<Block> {
    // Room for a block every 128 bytes, as `blocks` has.
    let mut result = Vec::with_capacity(body.len() / 128 + 4);
    let mut current = Gathering::default();
    let mut fence: Option<&str> = None;
    let base = body.start;
    for line in lines(&text[body]) {
        let line = (line.start + base)..(line.end + base);
        let Some(trimmed) = trim_range(text, line) else {
            if fence.is_none() {
                current.flush(&mut result);
            }
            continue;
        };
        let content = &text[trimmed.clone()];
        if let Some(marker) = fence {
            current.push(trimmed);
            if content.starts_with(marker) {
                fence = None;
                current.flush(&mut result);
            }
        } else if let Some(marker) = ["```", "~~~"].into_iter().find(|m| content.starts_with(m)) {
            current.flush(&mut result);
            current.push(trimmed);
            fence = Some(marker);
        } else if atx_level(content).is_some() {
            current.flush(&mut result);
            current.push(trimmed);
            current.flush(&mut result);
        } else {
            current.push(trimmed);
        }
    }
    current.flush(&mut result);
    result
}

/// The level of an ATX heading line (`## Title`), which holds no line break.
fn atx_level(line: &str) -> Option<usize> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    let after = &line[level..];
    ((1..=6).contains(&level) && (after.is_empty() || after.starts_with([' ', '\t'])))
        .then_some(level)
}

/// An ATX heading (`## Title ##`) or a setext heading (`Title` over `===` or `---`): its level
/// and text.
fn markdown_heading(block: &str) -> Option<(usize, String)> {
    // Most blocks are paragraphs: an ATX heading opens with `#` and a setext heading ends
    // with its underline, which tells them apart before any line is split.
    let opens_atx = block.starts_with('#');
    if !opens_atx && !block.trim_end().ends_with(['=', '-']) {
        return None;
    }
    let mut lines = block.lines();
    let first = lines.next()?;
    let second = lines.next();
    if second.is_none() {
        let level = atx_level(first)?;
        let title = first[level..].trim().trim_end_matches('#').trim();
        return Some((level, collapse_whitespace(title)));
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

#[cfg(test)]
mod tests;
