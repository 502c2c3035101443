//! YAML front matter of Markdown sources: `title`, `author`, `date`, `publisher`, `key`,
//! `categories`. Unknown fields are ignored (front matter is shared with other tools); a
//! field of the wrong shape is a problem to report, never a reason to drop the source.

use std::ops::Range;

use yaml_rust2::{Yaml, YamlLoader};

use super::blocks::lines;
use crate::edtf::{Edtf, parse_leading_date};

mod simple;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub date: Option<Edtf>,
    pub publisher: Option<String>,
    pub key: Option<String>,
    pub categories: Vec<String>,
    pub problems: Vec<String>,
}

/// The front matter at the start of `text`, if any, and the byte range of the body after it.
pub fn split_front_matter(text: &str) -> (Option<FrontMatter>, Range<usize>) {
    let mut lines = lines(text);
    let whole = 0..text.len();
    match lines.next() {
        Some(first) if text[first.clone()].trim_end() == "---" => {}
        _ => return (None, whole),
    }
    let Some(closing) = lines.find(|line| matches!(text[line.clone()].trim_end(), "---" | "..."))
    else {
        return (None, whole);
    };
    let yaml_start = text[..closing.start]
        .find('\n')
        .map_or(closing.start, |newline| newline + 1);
    let yaml = &text[yaml_start.min(closing.start)..closing.start];
    (Some(read_front_matter(yaml)), closing.end..text.len())
}

fn read_front_matter(yaml: &str) -> FrontMatter {
    // Most front matter is a few `key: value` lines, read here at a fraction of what the
    // parser takes; the rest goes to the parser.
    if let Some(fields) = simple::simple_fields(yaml) {
        return read_fields(|key| simple::field(&fields, key));
    }
    let mut front_matter = FrontMatter::default();
    let documents = match YamlLoader::load_from_str(yaml) {
        Ok(documents) => documents,
        Err(error) => {
            front_matter
                .problems
                .push(format!("front matter is not valid YAML: {error}"));
            return front_matter;
        }
    };
    let Some(document) = documents.first() else {
        return front_matter;
    };
    if !matches!(document, Yaml::Hash(_)) {
        front_matter
            .problems
            .push("front matter is not a mapping of fields".to_string());
        return front_matter;
    }
    read_fields(|key| &document[key])
}

/// The fields of a mapping, each found by its key with `field` (a missing one is a bad
/// value).
fn read_fields<'y>(field: impl Fn(&str) -> &'y Yaml) -> FrontMatter {
    let mut front_matter = FrontMatter {
        title: scalar(field("title")),
        publisher: scalar(field("publisher")).or_else(|| scalar(field("publication"))),
        key: scalar(field("key")),
        authors: list(field("author")),
        categories: list(field("categories")),
        ..FrontMatter::default()
    };
    if front_matter.authors.is_empty() {
        front_matter.authors = list(field("authors"));
    }
    if front_matter.categories.is_empty() {
        front_matter.categories = list(field("tags"));
    }
    if let Some(date) = scalar(field("date")) {
        match date
            .parse::<Edtf>()
            .ok()
            .or_else(|| whole_written_date(&date))
        {
            Some(parsed) => front_matter.date = Some(parsed),
            None => front_matter
                .problems
                .push(format!("front matter date `{date}` is not a date")),
        }
    }
    front_matter
}

fn whole_written_date(text: &str) -> Option<Edtf> {
    let (date, taken) = parse_leading_date(text)?;
    text[taken..].trim().is_empty().then_some(date)
}

/// A string, number or boolean field as text.
fn scalar(value: &Yaml) -> Option<String> {
    let text = match value {
        Yaml::String(text) | Yaml::Real(text) => text.trim().to_string(),
        Yaml::Integer(number) => number.to_string(),
        Yaml::Boolean(flag) => flag.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// A list field: a YAML sequence (of strings, or of mappings with a `name`), or one string
/// with `;` or ` and ` between the items.
fn list(value: &Yaml) -> Vec<String> {
    match value {
        Yaml::Array(items) => items
            .iter()
            .filter_map(|item| scalar(item).or_else(|| scalar(&item["name"])))
            .collect(),
        _ => scalar(value)
            .map(|text| {
                let separator = if text.contains(';') { ";" } else { " and " };
                text.split(separator)
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_of_every_shape() {
        let text = "---\r\ntitle: \"Ice and Trade\"\r\nauthor:\r\n  - name: Åsa Lindqvist\r\n  - Jüri Tamm\r\ndate: 2021-11-08\r\npublisher: Nordic Review\r\nkey: ice\r\ntags: arctic; trade\r\nextra: [1, 2]\r\n---\r\nBody.\r\n";
        let (front_matter, body) = split_front_matter(text);
        let front_matter = front_matter.expect("front matter");
        assert_eq!(front_matter.title.as_deref(), Some("Ice and Trade"));
        assert_eq!(front_matter.authors, ["Åsa Lindqvist", "Jüri Tamm"]);
        assert_eq!(
            front_matter.date.map(|d| d.to_string()).as_deref(),
            Some("2021-11-08")
        );
        assert_eq!(front_matter.publisher.as_deref(), Some("Nordic Review"));
        assert_eq!(front_matter.key.as_deref(), Some("ice"));
        assert_eq!(front_matter.categories, ["arctic", "trade"]);
        assert!(front_matter.problems.is_empty());
        assert_eq!(text[body].trim(), "Body.");
    }

    #[test]
    fn bad_yaml_and_bad_dates_are_problems_not_failures() {
        let (front_matter, _) = split_front_matter("---\ntitle: [unclosed\n---\nBody\n");
        assert_eq!(front_matter.map(|f| f.problems.len()), Some(1));
        let (front_matter, _) = split_front_matter("---\ndate: someday\n---\n");
        let front_matter = front_matter.expect("front matter");
        assert_eq!(front_matter.date, None);
        assert_eq!(front_matter.problems.len(), 1);
    }

    #[test]
    fn no_closing_fence_means_no_front_matter() {
        let text = "---\ntitle: x\nno end";
        let (front_matter, body) = split_front_matter(text);
        assert!(front_matter.is_none());
        assert_eq!(body, 0..text.len());
    }
}
