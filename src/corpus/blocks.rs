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
        // A blank line between paragraphs ends where it starts: no search set up for it.
        let end = match bytes[start] {
            b'\n' | b'\r' => Some(0),
            _ => memchr::memchr2(b'\n', b'\r', &bytes[start..]),
        };
        match end {
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
    /// Whether the block is one line, so holds no line break.
    pub single_line: bool,
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

/// The block being gathered, a line at a time: only its ends and whether it has one line
/// are kept (a list of its lines, never read, cost an allocation a block).
#[derive(Debug, Default)]
pub struct Gathering {
    open: Option<Block>,
}

impl Gathering {
    /// Adds the next line (trimmed) to the block.
    pub fn push(&mut self, line: Range<usize>) {
        match &mut self.open {
            Some(block) => {
                block.range.end = line.end;
                block.single_line = false;
            }
            None => {
                self.open = Some(Block {
                    range: line,
                    single_line: true,
                });
            }
        }
    }

    /// Ends the block being gathered, if any.
    pub fn flush(&mut self, blocks: &mut Vec<Block>) {
        blocks.extend(self.open.take());
    }
}

/// The blocks of `text[range]`, in order.
pub fn blocks(text: &str, range: Range<usize>) -> Vec<Block> {
    // Room for a block every 128 bytes, more than prose has: the vector is not regrown.
    let mut blocks = Vec::with_capacity(range.len() / 128 + 4);
    let mut current = Gathering::default();
    let base = range.start;
    for line in lines(&text[range]) {
        let line = (line.start + base)..(line.end + base);
        match trim_range(text, line) {
            Some(trimmed) => current.push(trimmed),
            None => current.flush(&mut blocks),
        }
    }
    current.flush(&mut blocks);
    blocks
}

/// `range` without leading and trailing white space, or `None` when it is all white space.
pub fn trim_range(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    // Most lines open and end with a letter or a mark: no white space to look for.
    let bytes = &text.as_bytes()[range.clone()];
    if let (Some(first), Some(last)) = (bytes.first(), bytes.last())
        && first.is_ascii_graphic()
        && last.is_ascii_graphic()
    {
        return Some(range);
    }
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
    // Most titles and headings are collapsed already: copied whole, where splitting them
    // decoded and tested every character.
    if is_collapsed(text) {
        return text.to_string();
    }
    let mut collapsed = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    collapsed
}

/// Whether `text` is its words joined by single spaces: no white space at either end, and
/// none between words but one space.
fn is_collapsed(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut after_space = true;
    for &byte in bytes {
        let space = byte == b' ';
        // A control byte may be white space (a tab, a line break): left to the splitting.
        if (space && after_space) || byte < b' ' {
            return false;
        }
        after_space = space;
    }
    !after_space && (text.is_ascii() || !text.chars().any(|c| !c.is_ascii() && c.is_whitespace()))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// `collapse_whitespace` as it was, splitting every text.
    fn reference_collapse(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    proptest! {
        #[test]
        fn collapsing_joins_the_words_by_single_spaces(
            text in "[a b\t\n\r\x0b\x0c\x01\u{a0}\u{2003}\u{3000}\u{85}é—]{0,12}",
        ) {
            prop_assert_eq!(collapse_whitespace(&text), reference_collapse(&text));
        }
    }

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
