//! Hand-made sources for the index's unit tests: a key, authors, a date, a title and body
//! paragraphs, laid out as the loader would.

use crate::corpus::{Origin, Paragraph, Source};
use crate::edtf::Edtf;

pub fn source(key: &str, authors: &[&str], date: &str, title: &str, paragraphs: &[&str]) -> Source {
    let mut text = format!("{title}\n\n");
    let mut ranges = Vec::new();
    for (index, paragraph) in paragraphs.iter().enumerate() {
        let start = text.len();
        text.push_str(paragraph);
        ranges.push(Paragraph {
            number: index as u32 + 1,
            range: start..text.len(),
        });
        text.push_str("\n\n");
    }
    Source {
        key: key.to_string(),
        path: format!("sources/{key}.txt"),
        origin: Origin::Bundled(format!("sources/{key}.txt")),
        text,
        title: title.to_string(),
        authors: authors.iter().map(|author| author.to_string()).collect(),
        date: date.parse::<Edtf>().ok(),
        publisher: None,
        categories: vec![],
        requested_key: None,
        byline: None,
        sections: vec![],
        paragraphs: ranges,
    }
}
