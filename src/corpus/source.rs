//! The source model: one document of the corpus, its metadata and its numbered paragraphs.
//!
//! A `Source` keeps its whole text and speaks byte ranges into it; nothing here knows about
//! lines, columns or LSP. Paragraph numbers start at 1, as analysts cite them.

use std::ops::Range;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::edtf::Edtf;

/// Where a source's text came from, so that go-to-source can open it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    /// A file on disk, by absolute path.
    File(PathBuf),
    /// A source compiled into the binary, by its path in the repository (`seeds/…`).
    Bundled(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The citation key (`berman2023`).
    pub key: String,
    /// The path shown to people: relative to the workspace root, with `/` separators.
    pub path: String,
    pub origin: Origin,
    /// The decoded text of the file (a UTF-8 byte order mark removed).
    pub text: String,
    pub title: String,
    /// The authors as the source names them, first author first.
    pub authors: Vec<String>,
    pub date: Option<Edtf>,
    pub publisher: Option<String>,
    pub categories: Vec<String>,
    /// A `key:` the source's front matter asks for.
    pub requested_key: Option<String>,
    /// The byline block of a plain-text source: it names people and publications too.
    pub byline: Option<Range<usize>>,
    pub sections: Vec<Section>,
    pub paragraphs: Vec<Paragraph>,
}

/// A section heading and the paragraphs under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    pub range: Range<usize>,
    /// The number of the first paragraph after the heading (one past the last paragraph when
    /// the heading ends the source).
    pub first_paragraph: u32,
}

/// A body paragraph: its number and its exact byte range in the source text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub number: u32,
    pub range: Range<usize>,
}

impl Source {
    /// The paragraph numbered `number` (1-based), if the source has it.
    pub fn paragraph(&self, number: u32) -> Option<&Paragraph> {
        let index = usize::try_from(number).ok()?.checked_sub(1)?;
        self.paragraphs.get(index)
    }

    /// The exact text of a paragraph, as it stands in the file.
    pub fn paragraph_text(&self, paragraph: &Paragraph) -> &str {
        self.text.get(paragraph.range.clone()).unwrap_or("")
    }

    /// The authors joined for display: `A`, `A and B`, `A, B and C`.
    pub fn author_line(&self) -> Option<String> {
        author_line(&self.authors)
    }
}

/// Authors joined for display: `A`, `A and B`, `A, B and C`.
pub fn author_line(authors: &[String]) -> Option<String> {
    match authors {
        [] => None,
        [one] => Some(one.clone()),
        [init @ .., last] => Some(format!("{} and {last}", init.join(", "))),
    }
}
