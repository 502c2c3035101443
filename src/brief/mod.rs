//! The brief model: a Markdown brief parsed into blocks, sentences, citations, quotations and
//! directives, all as byte ranges into the brief's text. Pure: it knows nothing of LSP, tokio,
//! the corpus or the index.
//!
//! How the parts fit:
//! - `blocks` walks tree-sitter-md's block tree (the inline grammar is too slow) and says which
//!   blocks are prose and where their inline content is.
//! - `inline` scans that content for what is never checked: code spans, link destinations,
//!   autolinks, inline HTML and comments. `parse` then works on a *masked* copy of the text, with
//!   those constructs and block-quote markers overwritten by ASCII filler of the same byte length,
//!   so every later scanner sees only prose and every offset stays an offset into the brief.
//! - `citation` reads Pandoc citations, `quotes` quotations, `crate::sentences` sentences,
//!   `directives` the `<!-- dossier-… -->` comments; `context` says what is being typed at a
//!   cursor, for completion.

mod blocks;
pub mod citation;
pub mod context;
mod directives;
mod inline;
pub mod locator;
mod pieces;
pub mod quotes;

use std::ops::Range;

pub use citation::{Citation, CitationMode};
pub use context::{CitationContext, citation_context_at};
pub use directives::{Directive, DirectiveKind, Suppression};
pub use inline::{Skipped, SkippedKind};
pub use locator::{Locator, LocatorLabel, LocatorPiece};
pub use quotes::Quote;

/// A parsed brief. Every range is a byte range into the text it was parsed from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Brief {
    /// Every block in document order, prose or not.
    pub blocks: Vec<Block>,
    /// Headings, in order: the outline.
    pub headings: Vec<Heading>,
    /// Citations in document order; a bracketed group `[@a; @b]` gives one per key.
    pub citations: Vec<Citation>,
    /// Sentences of the prose blocks, in order.
    pub sentences: Vec<Sentence>,
    pub quotes: Vec<Quote>,
    /// Inline constructs inside prose blocks that are never checked.
    pub skipped: Vec<Skipped>,
    pub directives: Vec<Directive>,
    /// What the directives silence, resolved to byte ranges.
    pub suppressions: Vec<Suppression>,
    /// What could not be understood; parsing itself never fails.
    pub issues: Vec<Issue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading {
        level: u8,
    },
    TableCell,
    /// Fenced or indented code.
    Code,
    /// An HTML block, comments included.
    Html,
    /// YAML (`---`) or TOML (`+++`) front matter.
    FrontMatter,
    LinkReferenceDefinition,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// The whole block as the Markdown grammar sees it.
    pub range: Range<usize>,
    /// The inline content of a prose block (heading text, cell text), else `range`.
    pub content: Range<usize>,
    pub in_list_item: bool,
    pub in_block_quote: bool,
}

impl Block {
    /// Whether the block's inline content is scanned (paragraphs, headings, table cells).
    pub fn is_prose(&self) -> bool {
        matches!(
            self.kind,
            BlockKind::Paragraph | BlockKind::Heading { .. } | BlockKind::TableCell
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The whole heading, markers and underline included.
    pub range: Range<usize>,
    /// The heading's words.
    pub text: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub range: Range<usize>,
    /// Index into `Brief::blocks`.
    pub block: usize,
    /// Indices into `Brief::citations` of the citations inside the sentence or attached to it
    /// (a citation right after its final stop belongs to it).
    pub citations: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub range: Range<usize>,
    pub kind: IssueKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueKind {
    /// `<!-- dossier-something -->` with a verb other than ignore, disable, enable.
    UnknownDirective(String),
    /// `dossier-enable` with no open `dossier-disable` for that code.
    EnableWithoutDisable,
    /// The Markdown grammar gave no tree (input too large or parser failure): the brief was
    /// read as blank-line-separated paragraphs instead.
    StructureUnavailable,
}

impl Brief {
    /// The prose block whose content contains `offset` (end inclusive, where a cursor sits
    /// after the last character).
    pub fn prose_block_at(&self, offset: usize) -> Option<&Block> {
        let index = self
            .blocks
            .partition_point(|block| block.range.end < offset);
        self.blocks[index..]
            .iter()
            .take_while(|block| block.range.start <= offset)
            .find(|block| {
                block.is_prose() && block.content.start <= offset && offset <= block.content.end
            })
    }

    /// Whether a finding `code` at `range` is silenced by a directive.
    pub fn is_suppressed(&self, code: &str, range: &Range<usize>) -> bool {
        self.suppressions
            .iter()
            .any(|suppression| suppression.silences(code, range.start))
    }
}

/// The block syntax tree of a parsed brief, kept so that the next version reparses only the
/// blocks an edit touched.
#[derive(Debug, Clone)]
pub struct SyntaxTree(tree_sitter::Tree);

/// Parses a brief. Never fails: what cannot be understood is left out or reported in
/// `Brief::issues`.
pub fn parse(text: &str) -> Brief {
    parse_after(text, None).0
}

/// Parses a new version of a brief, reusing the syntax tree of an earlier version (its text
/// and tree) where the two texts agree; gives the tree for the next version.
pub fn parse_after(
    text: &str,
    earlier: Option<(&str, &SyntaxTree)>,
) -> (Brief, Option<SyntaxTree>) {
    let earlier = earlier.map(|(text, tree)| blocks::Earlier {
        text,
        tree: &tree.0,
    });
    let (structure, tree) = blocks::blocks(text, earlier);
    (parse_structure(text, structure), tree.map(SyntaxTree))
}

fn parse_structure(text: &str, structure: blocks::Structure) -> Brief {
    let mut brief = Brief::default();
    if structure.fell_back {
        brief.issues.push(Issue {
            range: 0..text.len(),
            kind: IssueKind::StructureUnavailable,
        });
    }

    // The masked copy: same bytes as the text, except block-quote markers inside paragraphs
    // and the never-checked inline constructs, overwritten with ASCII of the same length.
    let mut masked = text.as_bytes().to_vec();
    for hole in &structure.holes {
        masked[hole.clone()].fill(b' ');
    }
    let mut comments = Vec::new();
    for block in structure.blocks.iter().filter(|block| block.is_prose()) {
        inline::scan(&masked, block.content.clone(), &mut brief.skipped);
    }
    for skipped in &brief.skipped {
        masked[skipped.range.clone()].fill(skipped.kind.filler());
        if skipped.kind == SkippedKind::Comment {
            comments.push(skipped.range.clone());
        }
    }
    // Every filler is ASCII written over whole characters, so this cannot fail; if it ever
    // did, scanning the unmasked text is the graceful answer.
    let masked = String::from_utf8(masked).unwrap_or_else(|_| text.to_owned());

    for block in &structure.blocks {
        if block.kind == BlockKind::Html {
            directives::comments_in(text, block.range.clone(), &mut comments);
        }
    }
    comments.sort_by_key(|range| range.start);
    directives::read(text, &comments, &mut brief);

    for (index, block) in structure.blocks.iter().enumerate() {
        if !block.is_prose() {
            continue;
        }
        let first_citation = brief.citations.len();
        citation::scan(&masked, block.content.clone(), &mut brief.citations);
        quotes::scan(&masked, block.content.clone(), index, &mut brief.quotes);
        // Citations and sentences are both in order: one walk pairs them.
        let mut next = first_citation;
        let citation_ends: Vec<usize> = brief.citations[first_citation..]
            .iter()
            .map(|citation| citation.group.end)
            .collect();
        let sentences = crate::sentences::sentences(&masked, block.content.clone())
            .into_iter()
            .flat_map(|sentence| pieces::pieces(text, sentence, &citation_ends));
        for range in sentences {
            let starts_at = |index: usize| brief.citations.get(index).map(|c| c.range.start);
            while starts_at(next).is_some_and(|start| start < range.start) {
                next += 1;
            }
            let mut citations = Vec::new();
            while starts_at(next).is_some_and(|start| start < range.end) {
                citations.push(next);
                next += 1;
            }
            brief.sentences.push(Sentence {
                range,
                block: index,
                citations,
            });
        }
        if let BlockKind::Heading { level } = block.kind {
            brief.headings.push(Heading {
                level,
                range: block.range.clone(),
                text: block.content.clone(),
            });
        }
    }
    brief.blocks = structure.blocks;
    brief
}

#[cfg(test)]
mod tests;
