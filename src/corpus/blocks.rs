//! Splitting a text into lines and blank-line-separated blocks, with exact byte ranges.
//!
//! Sources are never parsed with tree-sitter (too slow for a corpus): both source layouts
//! stand on these two splitters.

use std::ops::Range;

/// A line's content (without its terminator) as a byte range.
pub fn lines(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let line_start = start;
        match memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
            Some(found) => {
                let end = start + found;
                start = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                    end + 2
                } else {
                    end + 1
                };
                Some(line_start..end)
            }
            None => {
                start = bytes.len();
                Some(line_start..bytes.len())
            }
        }
    })
}

/// A run of non-blank lines. `range` is trimmed of surrounding white space, so that the text
/// it cuts is exactly the block's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub range: Range<usize>,
    /// The trimmed range of each line in the block.
    pub lines: Vec<Range<usize>>,
}

impl Block {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.range.clone()]
    }

    /// The block's words joined by single spaces: how a title or heading is shown.
    pub fn flat_text(&self, text: &str) -> String {
        collapse_whitespace(self.text(text))
    }
}

/// The blocks of `text[range]`, in order.
pub fn blocks(text: &str, range: Range<usize>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Vec<Range<usize>> = Vec::new();
    let base = range.start;
    for line in lines(&text[range]) {
        let line = (line.start + base)..(line.end + base);
        match trim_range(text, line) {
            Some(trimmed) => current.push(trimmed),
            None => flush(&mut current, &mut blocks),
        }
    }
    flush(&mut current, &mut blocks);
    blocks
}

/// Ends the block being gathered, if any.
pub fn flush(current: &mut Vec<Range<usize>>, blocks: &mut Vec<Block>) {
    if let (Some(first), Some(last)) = (current.first(), current.last()) {
        blocks.push(Block {
            range: first.start..last.end,
            // Copied out at its size, so that `current` keeps its room for the next block.
            lines: current.to_vec(),
        });
        current.clear();
    }
}

/// `range` without leading and trailing white space, or `None` when it is all white space.
pub fn trim_range(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let slice = &text[range.clone()];
    let trimmed_start = slice.trim_start();
    if trimmed_start.is_empty() {
        return None;
    }
    let start = range.start + (slice.len() - trimmed_start.len());
    let end = start + trimmed_start.trim_end().len();
    Some(start..end)
}

pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_lf_crlf_and_cr() {
        let text = "a\r\nb\nc\rd";
        let found: Vec<&str> = lines(text).map(|r| &text[r]).collect();
        assert_eq!(found, ["a", "b", "c", "d"]);
    }

    #[test]
    fn blocks_are_trimmed_and_split_on_blank_lines() {
        let text = "  Title  \r\n\r\n first\r\nsecond \r\n \t \r\nlast";
        let found: Vec<&str> = blocks(text, 0..text.len())
            .iter()
            .map(|b| b.text(text))
            .collect();
        assert_eq!(found, ["Title", "first\r\nsecond", "last"]);
    }
}
