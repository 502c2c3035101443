//! What citation is being typed at a cursor, for completion: a key after `[@` or `@`, a
//! locator after `[@key, `, or free text after `[@` that is not a key (a search of the corpus).
//! Pure text: it knows nothing of keys that exist, LSP or the index.
//!
//! It reads only the cursor's line, so it costs the same in any brief. It cannot see code
//! blocks: callers check `Brief::prose_block_at` first. A cursor in an open code span (an odd
//! number of backticks before it on the line) has no context.

use std::ops::Range;

use super::citation::plain_key_length;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CitationContext {
    /// A key: `[@ber$0`, `[see @ber$0`, `@ber$0`. `range` is the whole key (it may go on past
    /// the cursor), what a completion replaces; `typed` is the part before the cursor.
    Key {
        typed: String,
        range: Range<usize>,
        bracketed: bool,
    },
    /// A locator after a key: `[@berman2023, $0`, `[@berman2023, para. 1$0]`,
    /// `@berman2023 [$0`. `range` is the locator text, from after the comma to the end of the
    /// item.
    Locator {
        key: String,
        key_range: Range<usize>,
        range: Range<usize>,
    },
    /// Words after `[@` that cannot be a key: `[@kamikaze drones$0`. `query` is what was typed
    /// before the cursor; `range` runs from after `@` to the end of the item.
    Search { query: String, range: Range<usize> },
}

/// How far back on its line the cursor looks: a citation is never longer.
const LOOK_BACK: usize = 1024;

/// Prefixes of Quarto cross-references, never completed as keys.
const CROSS_REFERENCES: &[&str] = &["fig-", "tbl-", "sec-", "eq-"];

pub fn citation_context_at(text: &str, offset: usize) -> Option<CitationContext> {
    let offset = floor_boundary(text, offset.min(text.len()));
    let mut line_start = text[..offset].rfind('\n').map_or(0, |newline| newline + 1);
    line_start = line_start.max(floor_boundary(text, offset.saturating_sub(LOOK_BACK)));
    let before = &text[line_start..offset];
    if before.bytes().filter(|&b| b == b'`').count() % 2 == 1 {
        return None;
    }
    // The innermost unclosed `[` before the cursor on this line, if any.
    let open = before
        .rfind(['[', ']'])
        .filter(|&at| before.as_bytes()[at] == b'[')
        .map(|at| line_start + at);
    match open {
        Some(open) => bracketed(text, open, offset),
        None => in_text(text, line_start, offset),
    }
}

fn bracketed(text: &str, open: usize, offset: usize) -> Option<CitationContext> {
    let item_start = text[open + 1..offset]
        .rfind(';')
        .map_or(open + 1, |semicolon| open + 1 + semicolon + 1);
    let item_end = item_end(text, offset);
    let item = &text[item_start..offset];
    let at = item
        .char_indices()
        .find(|&(index, c)| {
            c == '@'
                && item[..index]
                    .chars()
                    .next_back()
                    .is_none_or(|previous| previous.is_whitespace() || previous == '-')
        })
        .map(|(index, _)| item_start + index);
    let Some(at) = at else {
        // `@key [para. $0`: the brackets of an in-text citation hold its locator.
        let before_open = text[..open].strip_suffix(' ').unwrap_or(&text[..open]);
        let key_end = before_open.len();
        let at = before_open.rfind('@')?;
        let key_length = plain_key_length(&text[at + 1..]);
        if key_length == 0 || at + 1 + key_length != key_end || escaped_or_after_word(text, at) {
            return None;
        }
        let range = trim_start(text, open + 1, item_end);
        return Some(CitationContext::Locator {
            key: text[at + 1..key_end].to_owned(),
            key_range: at + 1..key_end,
            range,
        });
    };
    if escaped_or_after_word(text, at) {
        return None;
    }
    let key_start = at + 1;
    let key_end = key_start + plain_key_length(&text[key_start..]);
    if offset <= key_end {
        return key(text, key_start, key_end, offset, true);
    }
    if key_end == key_start || is_cross_reference(&text[key_start..key_end]) {
        return None;
    }
    let rest = &text[key_end..offset];
    if rest.starts_with(',') {
        return Some(CitationContext::Locator {
            key: text[key_start..key_end].to_owned(),
            key_range: key_start..key_end,
            range: trim_start(text, key_end + 1, item_end),
        });
    }
    if rest.starts_with(char::is_whitespace) {
        return Some(CitationContext::Search {
            query: text[key_start..offset].to_owned(),
            range: key_start..item_end,
        });
    }
    None
}

fn in_text(text: &str, line_start: usize, offset: usize) -> Option<CitationContext> {
    let at = line_start + text[line_start..offset].rfind('@')?;
    if escaped_or_after_word(text, at) {
        return None;
    }
    let key_start = at + 1;
    let key_end = key_start + plain_key_length(&text[key_start..]);
    // The cursor must be within the key (or right after `@`): `@berman2023 and$0` is prose.
    if offset > key_end {
        return None;
    }
    key(text, key_start, key_end, offset, false)
}

fn key(
    text: &str,
    key_start: usize,
    key_end: usize,
    offset: usize,
    bracketed: bool,
) -> Option<CitationContext> {
    let typed = &text[key_start..offset];
    if is_cross_reference(typed) {
        return None;
    }
    Some(CitationContext::Key {
        typed: typed.to_owned(),
        range: key_start..key_end,
        bracketed,
    })
}

fn is_cross_reference(key: &str) -> bool {
    CROSS_REFERENCES
        .iter()
        .any(|prefix| key.starts_with(prefix))
}

/// Where the item under the cursor ends: before `]`, `;` or the line break, trimmed, and never
/// before the cursor.
fn item_end(text: &str, offset: usize) -> usize {
    let rest = &text[offset..];
    let length = rest.find([']', ';', '\n', '\r']).unwrap_or(rest.len());
    offset + rest[..length].trim_end().len()
}

fn trim_start(text: &str, start: usize, end: usize) -> Range<usize> {
    let end = end.max(start);
    let slice = &text[start..end];
    (start + slice.len() - slice.trim_start().len())..end
}

fn escaped_or_after_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(|previous| previous.is_alphanumeric() || previous == '\\')
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
