//! The sources as the index keeps them: metadata and paragraph ranges, not the text.
//!
//! A large corpus is gigabytes of text of which hover, completion and diagnostics read a few
//! paragraphs at a time, so the index does not hold it: a source's text is read back from
//! its file when asked for, and the last few are kept. A text that no file holds (a test's
//! source made in memory) stays in memory.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::packed::Fixed;
use crate::corpus::keys::{Citable, KeyFields};
use crate::corpus::load::{bundled_text, read_text};
use crate::corpus::{Origin, Paragraph, Section, Source};
use crate::edtf::Edtf;

/// A source of the index: everything the loader found but the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// The citation key (`berman2023`).
    pub key: String,
    /// The path shown to people: relative to the workspace root, with `/` separators.
    pub path: String,
    pub origin: Origin,
    /// The length of the text the ranges below point into: a file whose text now has
    /// another length changed after indexing, and its ranges no longer hold.
    pub text_len: usize,
    pub title: String,
    /// The authors as the source names them, first author first.
    pub authors: Vec<String>,
    pub date: Option<Edtf>,
    pub publisher: Option<String>,
    pub categories: Vec<String>,
    /// A `key:` the source's front matter asks for.
    pub requested_key: Option<String>,
    pub byline: Option<std::ops::Range<usize>>,
    pub sections: Vec<Section>,
    /// Packed: a 100k-source corpus has millions of paragraphs, and a start loads them all.
    #[serde(with = "super::packed")]
    pub paragraphs: Vec<Paragraph>,
    /// The text, for a source that no file or bundle can give back.
    pinned: Option<Arc<str>>,
}

impl SourceInfo {
    /// What the index keeps of a loaded source.
    pub fn new(source: Source) -> SourceInfo {
        let rereadable = match &source.origin {
            Origin::File(_) => true,
            Origin::Bundled(name) => bundled_text(name) == Some(source.text.as_str()),
        };
        SourceInfo {
            key: source.key,
            path: source.path,
            origin: source.origin,
            text_len: source.text.len(),
            title: source.title,
            authors: source.authors,
            date: source.date,
            publisher: source.publisher,
            categories: source.categories,
            requested_key: source.requested_key,
            byline: source.byline,
            sections: source.sections,
            paragraphs: source.paragraphs,
            pinned: (!rereadable).then(|| Arc::from(source.text)),
        }
    }

    /// The paragraph numbered `number` (1-based), if the source has it.
    pub fn paragraph(&self, number: u32) -> Option<&Paragraph> {
        let index = usize::try_from(number).ok()?.checked_sub(1)?;
        self.paragraphs.get(index)
    }

    /// The authors joined for display: `A`, `A and B`, `A, B and C`.
    pub fn author_line(&self) -> Option<String> {
        crate::corpus::source::author_line(&self.authors)
    }

    /// Reads the text back; `None` when the file is gone or changed since it was indexed
    /// (the file watcher's reindex follows).
    fn read(&self) -> Option<Arc<str>> {
        if let Some(text) = &self.pinned {
            return Some(Arc::clone(text));
        }
        let text = match &self.origin {
            Origin::File(path) => read_text(Path::new(path)).ok()?,
            Origin::Bundled(name) => bundled_text(name)?.to_string(),
        };
        (text.len() == self.text_len).then(|| Arc::from(text))
    }
}

/// A paragraph's number, start and end, each a `u32`: a source is never larger than
/// `MAX_SOURCE_BYTES` (256 MiB), so its offsets fit.
impl Fixed for Paragraph {
    const SIZE: usize = 12;

    fn put(&self, out: &mut Vec<u8>) {
        let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
        for number in [
            self.number,
            offset(self.range.start),
            offset(self.range.end),
        ] {
            number.put(out);
        }
    }

    fn get(bytes: &[u8]) -> Paragraph {
        let at = |n: usize| u32::get(&bytes[n * 4..n * 4 + 4]);
        Paragraph {
            number: at(0),
            range: at(1) as usize..at(2) as usize,
        }
    }
}

impl Citable for SourceInfo {
    fn key_fields(&self) -> KeyFields<'_> {
        KeyFields {
            requested: self.requested_key.as_deref(),
            authors: &self.authors,
            title: &self.title,
            date: self.date.as_ref(),
            path: &self.path,
        }
    }

    fn set_key(&mut self, key: String) {
        self.key = key;
    }
}

/// How many texts are kept: a brief cites a few dozen sources, and one check reads each
/// cited source many times.
const RECENT_TEXTS: usize = 64;

/// The texts read lately, most recent last.
#[derive(Debug, Default)]
pub struct RecentTexts {
    texts: Mutex<VecDeque<(usize, Arc<str>)>>,
}

impl RecentTexts {
    /// The text of source `number`, from the recent ones or read back.
    pub fn get(&self, number: usize, source: &SourceInfo) -> Option<Arc<str>> {
        {
            let mut texts = self.lock();
            if let Some(at) = texts.iter().position(|(n, _)| *n == number) {
                let entry = texts.remove(at)?;
                let text = Arc::clone(&entry.1);
                texts.push_back(entry);
                return Some(text);
            }
        }
        // Read outside the lock: another request may read another file meanwhile.
        let text = source.read()?;
        let mut texts = self.lock();
        if !texts.iter().any(|(n, _)| *n == number) {
            if texts.len() == RECENT_TEXTS {
                texts.pop_front();
            }
            texts.push_back((number, Arc::clone(&text)));
        }
        Some(text)
    }

    /// A panic elsewhere that poisoned the lock leaves a list that is still whole.
    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<(usize, Arc<str>)>> {
        self.texts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
