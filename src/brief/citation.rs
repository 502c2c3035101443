//! Pandoc citations in a block's prose: `[@key]`, `[see @a, para. 1; @b, p. 3]`, `[-@key]`,
//! in-text `@key` and `@key [para. 4]`, with keys and locators as Pandoc and citeproc read them.
//! Knows nothing of Markdown blocks or of which keys exist.
//!
//! It runs on the masked text (see `brief`), so code spans, URLs and HTML are already gone.
//! Not citations: `@` after a letter or digit (e-mail addresses), an escaped `\@`, and Quarto
//! cross-references (`@fig-…`, `@tbl-…`, `@sec-…`, `@eq-…`). A bracket with any item that is
//! not a citation is not a citation group (as in Pandoc); in-text citations inside it still
//! count.

use std::ops::Range;

use super::inline::LINK_DESTINATION_FILLER;
use super::locator::{self, Locator};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitationMode {
    /// `[@key]`, inside a bracketed group.
    Bracketed,
    /// `[-@key]`: the author's name is left out.
    SuppressAuthor,
    /// `@key` or `@key [para. 4]` in running text.
    InText,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub key: String,
    /// The key's characters, without `@` or braces.
    pub key_range: Range<usize>,
    /// This citation: prefix to suffix within its group, or `@key [locator]` in running text.
    pub range: Range<usize>,
    /// The bracketed group it belongs to, brackets included; `range` for in-text citations.
    pub group: Range<usize>,
    pub mode: CitationMode,
    /// Text before the key in its group (`see`).
    pub prefix: Option<Range<usize>>,
    /// Text after the key, as Pandoc keeps it: `, para. 4` (in a group) or `para. 4` (in the
    /// brackets after an in-text key).
    pub suffix: Option<Range<usize>>,
    pub locator: Option<Locator>,
}

impl Citation {
    /// The paragraph numbers this citation points at (see `Locator::paragraphs`).
    pub fn paragraphs(&self) -> Vec<u32> {
        self.locator
            .as_ref()
            .map(Locator::paragraphs)
            .unwrap_or_default()
    }
}

/// A bracketed group longer than this is not looked for: no citation is a kilobyte long, and
/// the bound keeps a block full of unclosed `[` linear.
const MAX_GROUP: usize = 1024;
/// Braced keys longer than this are not keys.
const MAX_BRACED_KEY: usize = 256;

/// Prefixes of Quarto cross-references, which share the `@` syntax.
const CROSS_REFERENCES: &[&str] = &["fig-", "tbl-", "sec-", "eq-"];

/// Appends the citations of `text[content]` to `found`, in order.
pub(super) fn scan(text: &str, content: Range<usize>, found: &mut Vec<Citation>) {
    let bytes = text.as_bytes();
    let end = content.end.min(text.len());
    let mut at = content.start;
    while at < end {
        match bytes[at] {
            b'[' if !escaped(bytes, content.start, at) => {
                if let Some(close) = group(text, at, end, found) {
                    at = close;
                    continue;
                }
            }
            b'@' if !escaped(bytes, content.start, at) && !after_word(text, at) => {
                if let Some((citation, close)) = in_text(text, at, end) {
                    found.push(citation);
                    at = close;
                    continue;
                }
            }
            _ => {}
        }
        at += 1;
    }
}

/// A bracketed group at the `[` at `open`: pushes its citations and returns its end.
fn group(text: &str, open: usize, end: usize, found: &mut Vec<Citation>) -> Option<usize> {
    let close = closing_bracket(text.as_bytes(), open, end)?;
    // `[text with @key](url)` is a link: its text is prose, not a citation group.
    if text.as_bytes().get(close + 1) == Some(&LINK_DESTINATION_FILLER) {
        return None;
    }
    let inner = open + 1..close;
    let mut citations = Vec::new();
    let mut item_start = inner.start;
    let mut depth = 0usize;
    for (offset, byte) in text.as_bytes()[inner.clone()].iter().enumerate() {
        let at = inner.start + offset;
        match byte {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b';' if depth == 0 => {
                citations.push(item(text, item_start..at, open..close + 1)?);
                item_start = at + 1;
            }
            _ => {}
        }
    }
    citations.push(item(text, item_start..close, open..close + 1)?);
    found.extend(citations);
    Some(close + 1)
}

/// One `prefix -@key suffix` item of a group.
fn item(text: &str, range: Range<usize>, group: Range<usize>) -> Option<Citation> {
    let range = trim(text, range);
    let bytes = text.as_bytes();
    let at = (range.start..range.end).find(|&at| bytes[at] == b'@' && !after_word(text, at))?;
    let dash = at > range.start
        && bytes[at - 1] == b'-'
        && (at - 1 == range.start || bytes[at - 2].is_ascii_whitespace());
    let key_start = if dash { at - 1 } else { at };
    let (key, key_range, key_end) = key(text, at + 1, range.end)?;
    let prefix = trim(text, range.start..key_start);
    let suffix = trim(text, key_end..range.end);
    let locator = text
        .get(suffix.clone())
        .filter(|suffix| suffix.starts_with(','))
        .and_then(|_| locator::parse(text, suffix.start + 1..suffix.end));
    Some(Citation {
        key,
        key_range,
        range,
        group,
        mode: if dash {
            CitationMode::SuppressAuthor
        } else {
            CitationMode::Bracketed
        },
        prefix: (!prefix.is_empty()).then_some(prefix),
        suffix: (!suffix.is_empty()).then_some(suffix),
        locator,
    })
}

/// An in-text citation at the `@` at `at`, with its `[locator]` if one follows.
fn in_text(text: &str, at: usize, end: usize) -> Option<(Citation, usize)> {
    let (key, key_range, key_end) = key(text, at + 1, end)?;
    let bytes = text.as_bytes();
    let mut citation = Citation {
        key,
        key_range,
        range: at..key_end,
        group: at..key_end,
        mode: CitationMode::InText,
        prefix: None,
        suffix: None,
        locator: None,
    };
    let open = if bytes.get(key_end) == Some(&b' ') {
        key_end + 1
    } else {
        key_end
    };
    if open < end
        && bytes[open] == b'['
        && let Some(close) = closing_bracket(bytes, open, end)
        && !bytes[open..close].contains(&b'@')
        && bytes.get(close + 1) != Some(&LINK_DESTINATION_FILLER)
    {
        let suffix = trim(text, open + 1..close);
        let locator_start = if bytes.get(suffix.start) == Some(&b',') {
            suffix.start + 1
        } else {
            suffix.start
        };
        citation.locator = locator::parse(text, locator_start..suffix.end);
        citation.suffix = (!suffix.is_empty()).then_some(suffix);
        citation.range = at..close + 1;
        citation.group = at..close + 1;
    }
    let close = citation.range.end;
    Some((citation, close))
}

/// A key starting right after `@`: the key, its range, and where it ends (past `}` if braced).
pub(super) fn key(text: &str, start: usize, end: usize) -> Option<(String, Range<usize>, usize)> {
    let rest = text.get(start..end)?;
    if let Some(braced) = rest.strip_prefix('{') {
        // Cut on a character: the byte at the cap may be inside one.
        let window = &braced[..crate::text::floor_char_boundary(braced, MAX_BRACED_KEY)];
        let close = window.find('}')?;
        let key = &braced[..close];
        if key.trim().is_empty() || key.contains('\n') {
            return None;
        }
        return Some((
            key.to_owned(),
            start + 1..start + 1 + close,
            start + close + 2,
        ));
    }
    let length = plain_key_length(rest);
    if length == 0 {
        return None;
    }
    let key = &rest[..length];
    if CROSS_REFERENCES
        .iter()
        .any(|prefix| key.starts_with(prefix))
    {
        return None;
    }
    Some((key.to_owned(), start..start + length, start + length))
}

/// The length of the plain key at the start of `rest`: a letter, digit or `_`, then
/// alphanumerics and `_`, with `:.#$%&-+?<>~/` only between them (so `smith2020.` ends before
/// the period).
pub(super) fn plain_key_length(rest: &str) -> usize {
    let mut chars = rest.char_indices().peekable();
    match chars.peek() {
        Some(&(_, first)) if first.is_alphanumeric() || first == '_' => {}
        _ => return 0,
    }
    let mut length = 0;
    while let Some((offset, c)) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            length = offset + c.len_utf8();
        } else if ":.#$%&-+?<>~/".contains(c) {
            match chars.peek() {
                Some(&(_, next)) if next.is_alphanumeric() || next == '_' => {}
                _ => break,
            }
        } else {
            break;
        }
    }
    length
}

/// The `]` that closes the `[` at `open`, nested brackets balanced, within `MAX_GROUP`.
fn closing_bracket(bytes: &[u8], open: usize, end: usize) -> Option<usize> {
    let limit = end.min(open.saturating_add(MAX_GROUP));
    let mut depth = 0usize;
    for (offset, byte) in bytes.get(open + 1..limit)?.iter().enumerate() {
        match byte {
            b'[' => depth += 1,
            b']' if depth == 0 => return Some(open + 1 + offset),
            b']' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Whether the character before `at` is a letter or digit (`name@example.org`).
fn after_word(text: &str, at: usize) -> bool {
    text.get(..at)
        .and_then(|before| before.chars().next_back())
        .is_some_and(char::is_alphanumeric)
}

/// Whether the byte at `at` is escaped by an odd number of backslashes.
fn escaped(bytes: &[u8], start: usize, at: usize) -> bool {
    bytes[start..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count()
        % 2
        == 1
}

pub(super) fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let Some(slice) = text.get(range.clone()) else {
        return range.start..range.start;
    };
    let start = range.start + (slice.len() - slice.trim_start().len());
    start..start + slice.trim().len()
}
