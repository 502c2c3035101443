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

/// Sources whose entities meet across sources: a name in one, its alias in another,
/// dates repeated between them.
pub fn linked_sources() -> Vec<Source> {
    vec![
        source(
            "lee2020",
            &["Ann Lee"],
            "2020",
            "Moscow talks",
            &["Vladimir Putin met Gazprom officials in Moscow on 3 March 2020."],
        ),
        source(
            "roe2021",
            &["Jane Roe"],
            "2021",
            "Tehran and Moscow",
            &[
                "Putin flew to Tehran in May 2019.",
                "Gazprom opened an office in Tehran on 3 March 2020.",
            ],
        ),
        source(
            "kim2022",
            &["Bo Kim"],
            "2022",
            "Caspian trade",
            &["Ebrahim Raisi and Putin spoke of the Caspian Sea in 2022."],
        ),
        source(
            "ode2023",
            &["Ola Ode"],
            "2023",
            "Sanctions",
            &["Raisi said in Tehran that Gazprom would stay, in May 2019."],
        ),
    ]
}
