//! Quotations in a block's prose: text in straight (`"…"`) or curly (`“…”`) double quotes.
//! Knows nothing of citations or sources.
//!
//! A straight quote opens where a word starts (after white space, an opening bracket or the
//! start of the block) and closes where a word ends; one that can do neither, such as an inch
//! mark in `a 12" pipe`, is ignored, and an opener never closed yields nothing. Quotations do
//! not cross blocks.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The quotation, quote marks included.
    pub range: Range<usize>,
    /// The quoted words, without the marks.
    pub inner: Range<usize>,
    /// Index into `Brief::blocks`.
    pub block: usize,
}

/// Appends the quotations of `text[content]` to `found`, in order.
pub(super) fn scan(text: &str, content: Range<usize>, block: usize, found: &mut Vec<Quote>) {
    let Some(slice) = text.get(content.clone()) else {
        return;
    };
    let mut straight: Option<usize> = None;
    let mut curly: Option<usize> = None;
    let mut previous: Option<char> = None;
    let mut chars = slice.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        let at = content.start + offset;
        let next = chars.peek().map(|&(_, next)| next);
        match c {
            '"' => {
                let can_open = previous.is_none_or(opens_before)
                    && next.is_some_and(|next| !next.is_whitespace());
                let can_close = previous.is_some_and(|previous| !previous.is_whitespace())
                    && next.is_none_or(closes_before);
                match straight {
                    Some(open) if can_close => {
                        push(found, open, at, 1, block);
                        straight = None;
                    }
                    _ if can_open => straight = Some(at),
                    _ => {}
                }
            }
            '“' => curly = Some(at),
            '”' => {
                if let Some(open) = curly.take() {
                    push(found, open, at, '”'.len_utf8(), block);
                }
            }
            _ => {}
        }
        previous = Some(c);
    }
}

fn push(found: &mut Vec<Quote>, open: usize, close: usize, close_len: usize, block: usize) {
    let open_len = if close_len == 1 { 1 } else { '“'.len_utf8() };
    found.push(Quote {
        range: open..close + close_len,
        inner: open + open_len..close,
        block,
    });
}

/// Whether a quote after `c` can open a quotation.
fn opens_before(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | '*' | '_')
}

/// Whether a quote before `c` can close a quotation.
fn closes_before(c: char) -> bool {
    c.is_whitespace() || (c.is_ascii_punctuation() && c != '"') || matches!(c, '—' | '–' | '…')
}
