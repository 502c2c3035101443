//! The block structure of a brief, from tree-sitter-md's block grammar: which blocks are prose
//! and where their inline content is. Knows nothing of citations, sentences or inline syntax.
//!
//! Only the block grammar is used: the inline grammar runs at a third of its speed, and the
//! inline content is scanned by `inline` instead. The walk is iterative so that deeply nested
//! block quotes or lists cannot overflow the stack.

use std::ops::Range;

use tree_sitter::{InputEdit, Node, Parser, Point, Tree};

use super::{Block, BlockKind};

/// Past this size tree-sitter is not asked (its offsets are 32-bit, and a brief this large is
/// a mistake): the brief is read as blank-line-separated paragraphs.
const MAX_TREE_SITTER_BYTES: usize = 256 << 20;

pub(super) struct Structure {
    pub blocks: Vec<Block>,
    /// Block continuation markers (`> ` of a quoted paragraph's later lines) inside inline
    /// content, which are not part of the prose.
    pub holes: Vec<Range<usize>>,
    /// The grammar gave no tree and the fallback was used.
    pub fell_back: bool,
}

/// The syntax tree of an earlier version of a brief, and that version's text: tree-sitter
/// reparses only what changed since, which on a keystroke is a few blocks, not the brief.
pub(super) struct Earlier<'a> {
    pub text: &'a str,
    pub tree: &'a Tree,
}

/// The brief's blocks, and the tree they were read from (none when the fallback was used).
pub(super) fn blocks(text: &str, earlier: Option<Earlier>) -> (Structure, Option<Tree>) {
    let tree = if text.len() <= MAX_TREE_SITTER_BYTES {
        let mut parser = Parser::new();
        let edited = earlier.map(|earlier| {
            let mut tree = earlier.tree.clone();
            tree.edit(&edit_between(earlier.text, text));
            tree
        });
        match parser.set_language(&tree_sitter_md::LANGUAGE.into()) {
            Ok(()) => parser.parse(text, edited.as_ref()),
            Err(_) => None,
        }
    } else {
        None
    };
    let Some(tree) = tree else {
        return (fallback(text), None);
    };
    let structure = walk(text, &tree);
    (structure, Some(tree))
}

/// The one edit that turns `old` into `new`: what lies between their common prefix and their
/// common suffix. Several edits between two versions become one that spans them all.
fn edit_between(old: &str, new: &str) -> InputEdit {
    let (old_bytes, new_bytes) = (old.as_bytes(), new.as_bytes());
    let prefix = old_bytes
        .iter()
        .zip(new_bytes)
        .take_while(|(a, b)| a == b)
        .count();
    let most_suffix = old.len().min(new.len()) - prefix;
    let suffix = old_bytes
        .iter()
        .rev()
        .zip(new_bytes.iter().rev())
        .take(most_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    // Tree-sitter reads characters: an edit that starts or ends inside one (`é` for `è`
    // share a byte) would leave nodes ending mid-character.
    let prefix = (0..=prefix)
        .rev()
        .find(|&at| new.is_char_boundary(at))
        .unwrap_or(0);
    let suffix = (0..=suffix)
        .rev()
        .find(|&s| old.is_char_boundary(old.len() - s) && new.is_char_boundary(new.len() - s))
        .unwrap_or(0);
    let (old_end, new_end) = (old.len() - suffix, new.len() - suffix);
    InputEdit {
        start_byte: prefix,
        old_end_byte: old_end,
        new_end_byte: new_end,
        start_position: point_at(new_bytes, prefix),
        old_end_position: point_at(old_bytes, old_end),
        new_end_position: point_at(new_bytes, new_end),
    }
}

/// Tree-sitter's point of a byte offset: the row, and the column in bytes.
fn point_at(text: &[u8], offset: usize) -> Point {
    let before = &text[..offset];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |newline| newline + 1);
    Point::new(row, offset - line_start)
}

fn walk(text: &str, tree: &Tree) -> Structure {
    let mut structure = Structure {
        blocks: Vec::new(),
        holes: Vec::new(),
        fell_back: false,
    };
    let mut stack: Vec<(Node, bool, bool)> = vec![(tree.root_node(), false, false)];
    let mut children = Vec::new();
    while let Some((node, in_block_quote, in_list_item)) = stack.pop() {
        let block = |kind, content: Range<usize>| Block {
            kind,
            range: trim_end(text, node.byte_range()),
            content,
            in_list_item,
            in_block_quote,
        };
        let kind = node.kind();
        match kind {
            "paragraph" => {
                let content = inline_content(text, node, &mut structure.holes);
                structure.blocks.push(block(BlockKind::Paragraph, content));
                continue;
            }
            "atx_heading" | "setext_heading" => {
                let level = heading_level(node);
                let content = heading_content(text, node, &mut structure.holes);
                structure
                    .blocks
                    .push(block(BlockKind::Heading { level }, content));
                continue;
            }
            "pipe_table_cell" => {
                let content = trim(text, node.byte_range());
                structure.blocks.push(block(BlockKind::TableCell, content));
                continue;
            }
            "fenced_code_block" | "indented_code_block" => {
                let range = trim_end(text, node.byte_range());
                structure.blocks.push(block(BlockKind::Code, range));
                continue;
            }
            "html_block" => {
                let range = trim_end(text, node.byte_range());
                structure.blocks.push(block(BlockKind::Html, range));
                continue;
            }
            "minus_metadata" | "plus_metadata" => {
                let range = trim_end(text, node.byte_range());
                structure.blocks.push(block(BlockKind::FrontMatter, range));
                continue;
            }
            "link_reference_definition" => {
                let range = trim_end(text, node.byte_range());
                structure
                    .blocks
                    .push(block(BlockKind::LinkReferenceDefinition, range));
                continue;
            }
            _ => {}
        }
        let in_block_quote = in_block_quote || kind == "block_quote";
        let in_list_item = in_list_item || kind == "list_item";
        let mut cursor = node.walk();
        children.clear();
        children.extend(node.children(&mut cursor));
        // Reversed so that the stack pops them in document order.
        for child in children.iter().rev() {
            stack.push((*child, in_block_quote, in_list_item));
        }
    }
    structure
}

/// A paragraph's inline child, with its continuation markers recorded as holes.
fn inline_content(text: &str, paragraph: Node, holes: &mut Vec<Range<usize>>) -> Range<usize> {
    let mut cursor = paragraph.walk();
    let inline = paragraph
        .children(&mut cursor)
        .find(|child| child.kind() == "inline");
    match inline {
        Some(inline) => {
            let mut cursor = inline.walk();
            holes.extend(
                inline
                    .children(&mut cursor)
                    .filter(|child| child.kind() == "block_continuation")
                    .map(|child| child.byte_range()),
            );
            trim(text, inline.byte_range())
        }
        None => trim(text, paragraph.byte_range()),
    }
}

fn heading_content(text: &str, heading: Node, holes: &mut Vec<Range<usize>>) -> Range<usize> {
    let mut cursor = heading.walk();
    let children: Vec<Node> = heading.children(&mut cursor).collect();
    for child in children {
        match child.kind() {
            "inline" => return without_closing_hashes(text, trim(text, child.byte_range())),
            "paragraph" => return inline_content(text, child, holes),
            _ => {}
        }
    }
    // `#` alone: an empty heading, its content an empty range after the marker.
    let end = trim_end(text, heading.byte_range()).end;
    end..end
}

/// `## Sub ##` ends its text before the closing `#`s (CommonMark: they must follow a space).
fn without_closing_hashes(text: &str, range: Range<usize>) -> Range<usize> {
    let Some(slice) = text.get(range.clone()) else {
        return range;
    };
    let without = slice.trim_end_matches('#');
    if without.len() == slice.len() {
        return range;
    }
    if without.is_empty() || without.ends_with([' ', '\t']) {
        return range.start..range.start + without.trim_end().len();
    }
    range
}

fn heading_level(heading: Node) -> u8 {
    let mut cursor = heading.walk();
    let level = heading
        .children(&mut cursor)
        .find_map(|child| match child.kind() {
            "atx_h1_marker" | "setext_h1_underline" => Some(1),
            "atx_h2_marker" | "setext_h2_underline" => Some(2),
            "atx_h3_marker" => Some(3),
            "atx_h4_marker" => Some(4),
            "atx_h5_marker" => Some(5),
            "atx_h6_marker" => Some(6),
            _ => None,
        });
    level.unwrap_or(1)
}

/// Blank-line-separated paragraphs: the structure when tree-sitter gives none.
fn fallback(text: &str) -> Structure {
    let mut blocks = Vec::new();
    let mut start = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some(offset),
            (true, Some(block_start)) => {
                blocks.push(paragraph(text, block_start..offset));
                start = None;
            }
            _ => {}
        }
        offset += line.len();
    }
    if let Some(block_start) = start {
        blocks.push(paragraph(text, block_start..text.len()));
    }
    Structure {
        blocks,
        holes: Vec::new(),
        fell_back: true,
    }
}

fn paragraph(text: &str, range: Range<usize>) -> Block {
    let range = trim(text, range);
    Block {
        kind: BlockKind::Paragraph,
        range: range.clone(),
        content: range,
        in_list_item: false,
        in_block_quote: false,
    }
}

fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let Some(slice) = text.get(range.clone()) else {
        return range;
    };
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = start + slice.trim().len();
    start..end
}

fn trim_end(text: &str, range: Range<usize>) -> Range<usize> {
    let Some(slice) = text.get(range.clone()) else {
        return range;
    };
    range.start..range.start + slice.trim_end().len()
}

#[cfg(test)]
pub(super) fn fallback_for_tests(text: &str) -> Vec<Block> {
    fallback(text).blocks
}
