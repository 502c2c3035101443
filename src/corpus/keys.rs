//! Citation keys: the first author's last name, lower-cased and folded to ASCII, then the
//! year (`berman2023`). Sources that would share a key get `a`, `b`, … in order of date, then
//! title (`berman2023a`, `berman2023b`). A `key:` in front matter wins over all of this.
//!
//! With no author the first significant word of the title stands in for the name; with no
//! date the year is `nd` ("no date"), as reference managers write it.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;

use deunicode::deunicode_with_tofu_cow;
use foldhash::fast::FixedState;
use rayon::prelude::*;

use super::source::Source;
use crate::edtf::Edtf;

/// What a source's key is made from.
pub struct KeyFields<'a> {
    /// A `key:` the source's front matter asks for.
    pub requested: Option<&'a str>,
    pub authors: &'a [String],
    pub title: &'a str,
    pub date: Option<&'a Edtf>,
    pub path: &'a str,
}

/// Whatever holds a source's metadata: a source being read, or what the index keeps of it
/// once its text is gone.
pub trait Citable {
    fn key_fields(&self) -> KeyFields<'_>;
    fn set_key(&mut self, key: String);
}

impl Citable for Source {
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

/// Gives every source its key. Returns the problems found (a requested key used twice).
pub fn assign_keys<S: Citable>(sources: &mut [S]) -> Vec<(usize, String)> {
    let mut problems = Vec::new();
    let mut taken: HashSet<String, FixedState> = HashSet::default();
    let mut generated: BTreeMap<String, Vec<usize>> = BTreeMap::new();

    let fields: Vec<KeyFields> = sources.iter().map(Citable::key_fields).collect();
    // Spelling a base key (folding names to ASCII) is most of the work, and each source's
    // is its own: spelled on every core, for every source that may need one.
    let mut bases: Vec<Option<String>> = fields
        .par_iter()
        .map(|source| needs_generated_key(source).then(|| base_key(source)))
        .collect();
    for (index, source) in fields.iter().enumerate() {
        match source.requested.map(str::trim).filter(|k| is_valid_key(k)) {
            Some(key) if taken.insert(key.to_string()) => {}
            requested => {
                if let Some(key) = requested {
                    problems.push((index, format!("key `{key}` is already used by another source; a key was generated instead")));
                } else if let Some(bad) = source.requested {
                    problems.push((
                        index,
                        format!(
                            "`{bad}` is not a usable citation key; a key was generated instead"
                        ),
                    ));
                }
                let base = bases[index].take().unwrap_or_else(|| base_key(source));
                generated.entry(base).or_default().push(index);
            }
        }
    }

    let mut keys: Vec<Option<String>> = fields
        .iter()
        .map(|s| s.requested.map(str::trim).map(str::to_string))
        .collect();
    for (base, mut members) in generated {
        for &index in &members {
            keys[index] = None;
        }
        if members.len() == 1 && !taken.contains(&base) {
            taken.insert(base.clone());
            keys[members[0]] = Some(base);
            continue;
        }
        // Each member's order is worked out once (it spells its date), not at every
        // comparison; the sort keeps the listing order of equals, as before.
        members.sort_by_cached_key(|&index| collision_order(&fields[index]));
        // Each candidate is spelled over the last, and copied only when it is free.
        let mut candidate = String::with_capacity(base.len() + 2);
        let mut suffix = 0;
        for index in members {
            loop {
                candidate.clear();
                candidate.push_str(&base);
                push_suffix(&mut candidate, suffix);
                suffix += 1;
                if !taken.contains(candidate.as_str()) {
                    taken.insert(candidate.clone());
                    break;
                }
            }
            keys[index] = Some(candidate.clone());
        }
    }
    drop(fields);
    for (source, key) in sources.iter_mut().zip(keys) {
        source.set_key(key.unwrap_or_default());
    }
    problems
}

/// Whether `source` surely needs a generated key: it asks for none, or for one no source can
/// have. (A valid key asked for twice needs one too, which only the listing order tells.)
fn needs_generated_key(source: &KeyFields) -> bool {
    !source.requested.map(str::trim).is_some_and(is_valid_key)
}

/// Sources that would share a key are lettered by date, then title, then path.
fn collision_order<'a>(source: &KeyFields<'a>) -> (Option<String>, &'a str, &'a str) {
    (
        source.date.map(ToString::to_string),
        source.title,
        source.path,
    )
}

/// Writes the `n`th suffix after `out`: `a`, `b`, … `z`, `aa`, `ab`, … without end.
fn push_suffix(out: &mut String, mut n: usize) {
    // Fourteen letters number every `usize`.
    let mut letters = [0u8; 16];
    let mut start = letters.len();
    loop {
        start -= 1;
        letters[start] = b'a' + (n % 26) as u8;
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.push_str(std::str::from_utf8(&letters[start..]).unwrap_or_default());
}

/// The key before any collision suffix: `berman2023`.
pub fn base_key(source: &KeyFields) -> String {
    // The last name as it stands in the name (white space folds to nothing), with room for
    // the year.
    let mut key = String::with_capacity(24);
    if let Some(author) = source.authors.first() {
        fold_into(last_name(author), &mut key);
    }
    if key.is_empty() {
        key = title_word(source.title).unwrap_or_else(|| "anon".to_string());
    }
    match source.date {
        Some(date) => {
            let _ = write!(key, "{}", date.first_year());
        }
        None => key.push_str("nd"),
    }
    key
}

/// The last name of a personal name: `Berman` in `Ilan I. Berman`, `Berman, Ilan`,
/// `Smith` in `John Smith Jr.`, `de la Cruz` in `Ana de la Cruz`; a part of `name`, with
/// the white space `name` has between its words.
pub fn last_name(name: &str) -> &str {
    if let Some((family, _)) = name.split_once(',') {
        return family.trim();
    }
    // Most names are ASCII, whose white space (tab to carriage return, space) is told by
    // its byte, where `split_whitespace` asks Unicode of every character.
    if name.is_ascii() {
        span_of_words(
            name,
            name.split(|c: char| matches!(c, '\t'..='\r' | ' '))
                .filter(|word| !word.is_empty()),
        )
    } else {
        span_of_words(name, name.split_whitespace())
    }
}

/// `last_name` of `name`, whose words are `words`.
fn span_of_words<'a>(
    name: &'a str,
    words: impl DoubleEndedIterator<Item = &'a str> + Clone,
) -> &'a str {
    let count = words.clone().count();
    let mut before = words.rev();
    let mut end = count;
    let last = loop {
        let Some(word) = before.next() else {
            return "";
        };
        if end > 1 && is_suffix(word) {
            end -= 1;
        } else {
            break word;
        }
    };
    let mut first = last;
    let mut start = end - 1;
    for word in before {
        if start > 1 && word.chars().next().is_some_and(char::is_lowercase) {
            first = word;
            start -= 1;
        } else {
            break;
        }
    }
    let offset = |word: &str| (word.as_ptr() as usize).saturating_sub(name.as_ptr() as usize);
    name.get(offset(first)..offset(last) + last.len())
        .unwrap_or_default()
}

/// `last_name` as it was spelled before, its words copied and joined by single spaces: the
/// tests' reference.
#[cfg(test)]
pub fn last_name_joined(name: &str) -> String {
    if let Some((family, _)) = name.split_once(',') {
        return family.trim().to_string();
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut end = words.len();
    while end > 1 && is_suffix(words[end - 1]) {
        end -= 1;
    }
    let Some(last) = end.checked_sub(1) else {
        return String::new();
    };
    let mut start = last;
    while start > 1
        && words[start - 1]
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
    {
        start -= 1;
    }
    words[start..end].join(" ")
}

fn is_suffix(word: &str) -> bool {
    matches!(
        word.trim_end_matches(','),
        "Jr." | "Sr." | "Jr" | "Sr" | "II" | "III" | "IV"
    )
}

fn title_word(title: &str) -> Option<String> {
    title
        .split_whitespace()
        .map(fold)
        .find(|word| !word.is_empty() && !matches!(word.as_str(), "a" | "an" | "the"))
}

/// Lower-case ASCII letters and digits only: `Lindqvist` for `Lindqvist`, `obrien` for
/// `O'Brien`, `sogaard` for `Søgaard`.
pub fn fold(text: &str) -> String {
    let mut folded = String::new();
    fold_into(text, &mut folded);
    folded
}

/// Writes `fold(text)` after `out`.
fn fold_into(text: &str, out: &mut String) {
    // Borrowed, not copied, when the text is ASCII already (a key, most names); room made
    // once, where a string collected a character at a time was grown as it went.
    let ascii = deunicode_with_tofu_cow(text, "[?]");
    out.reserve(ascii.len());
    for byte in ascii.bytes().filter(u8::is_ascii_alphanumeric) {
        out.push(char::from(byte.to_ascii_lowercase()));
    }
}

/// A key that Pandoc's citation syntax can name without braces.
pub fn is_valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || "_:.#$%&-+?<>~/".contains(c))
        && !key.ends_with(|c: char| !(c.is_alphanumeric() || c == '_'))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::corpus::source::{Origin, Source};
    use crate::edtf::Edtf;

    fn source(author: &str, date: Option<&str>, title: &str, key: Option<&str>) -> Source {
        Source {
            key: String::new(),
            path: format!("{title}.txt"),
            origin: Origin::Bundled(title.to_string()),
            text: String::new(),
            title: title.to_string(),
            authors: (!author.is_empty())
                .then(|| author.to_string())
                .into_iter()
                .collect(),
            date: date.map(|d| d.parse::<Edtf>().expect(d)),
            publisher: None,
            categories: vec![],
            requested_key: key.map(str::to_string),
            byline: None,
            sections: vec![],
            paragraphs: vec![],
        }
    }

    fn keys(mut sources: Vec<Source>) -> Vec<String> {
        assign_keys(&mut sources);
        sources.into_iter().map(|s| s.key).collect()
    }

    #[test]
    fn keys_follow_the_scheme() {
        let sources = vec![
            source("Ilan I. Berman", Some("2023-02-15"), "A New Page", None),
            source("Åsa Søgaard-Lindqvist", Some("2021-11"), "Ice", None),
            source("Seán O'Brien Jr.", Some("1999"), "Bog", None),
            source("Berman, Ilan", None, "Undated", None),
            source("", Some("2020"), "The Economist's View", None),
        ];
        assert_eq!(
            keys(sources),
            [
                "berman2023",
                "sogaardlindqvist2021",
                "obrien1999",
                "bermannd",
                "economists2020"
            ]
        );
    }

    #[test]
    fn collisions_are_lettered_by_date_then_title() {
        let sources = vec![
            source("Ilan Berman", Some("2023-06-01"), "Later", None),
            source("Ilan Berman", Some("2023-02-15"), "Zebra", None),
            source("Ilan Berman", Some("2023-02-15"), "Alpha", None),
            source(
                "Ilan Berman",
                Some("2023-02-15"),
                "Mine",
                Some("berman2023"),
            ),
        ];
        assert_eq!(
            keys(sources),
            ["berman2023c", "berman2023b", "berman2023a", "berman2023"]
        );
    }

    proptest::proptest! {
        #[test]
        fn the_last_name_has_the_joined_last_name_s_words(
            name in "(Ana|de|la|Cruz|Berman|Jr\\.|III|van|,| |  |\u{a0}|\t|\u{b}|\u{1c}|\r){0,8}"
        ) {
            let span = last_name(&name);
            proptest::prop_assert!(span.split_whitespace().eq(last_name_joined(&name).split_whitespace()));
        }

        /// Against the spelling as it was, from the last name's copy and with `format!`.
        #[test]
        fn base_keys_are_the_formatted_ones(
            author in "(Ana|de|la|Cruz|Søgaard|O'Brien|Jr\\.|北京|,| |  |\u{a0}|\u{1680}|\u{3000}|\t){0,8}",
            year in prop_oneof![Just(None), Just(Some(-12)), Just(Some(2023)), Just(Some(i32::MIN))],
        ) {
            let date = year.map(Edtf::Year);
            let authors = [author];
            let fields = KeyFields {
                requested: None,
                authors: &authors,
                title: "The Ports",
                date: date.as_ref(),
                path: "p",
            };
            let name = Some(fold(&last_name_joined(&authors[0])))
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| "ports".to_string());
            let year = year.map_or_else(|| "nd".to_string(), |year| year.to_string());
            proptest::prop_assert_eq!(base_key(&fields), format!("{name}{year}"));
        }

        /// Against the suffixes as they were made, each a string of its own.
        #[test]
        fn suffixes_are_the_made_ones(n in prop_oneof![0usize..800, Just(usize::MAX)]) {
            let mut made = Vec::new();
            let mut rest = n;
            loop {
                made.push(b'a' + (rest % 26) as u8);
                if rest < 26 {
                    break;
                }
                rest = rest / 26 - 1;
            }
            made.reverse();
            let mut out = "x".to_string();
            push_suffix(&mut out, n);
            proptest::prop_assert_eq!(out.as_bytes(), [b"x".as_slice(), &made].concat());
        }

        /// Against the fold as it was, with a copy made of every text.
        #[test]
        fn folds_are_the_copied_folds(text in "(a|Z|9|'| |-|é|Ø|ß|北|🙂|\u{7f}|\u{0}){0,12}") {
            let copied: String = deunicode::deunicode(&text)
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            proptest::prop_assert_eq!(fold(&text), copied);
        }
    }

    #[test]
    fn white_space_folds_to_nothing() {
        let white: String = (0..=0x10_ffff_u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert_eq!(fold(&white), "");
    }

    #[test]
    fn a_requested_key_used_twice_is_reported() {
        let mut sources = vec![
            source("A Smith", Some("2020"), "One", Some("dup")),
            source("B Jones", Some("2020"), "Two", Some("dup")),
        ];
        let problems = assign_keys(&mut sources);
        assert_eq!(sources[0].key, "dup");
        assert_eq!(sources[1].key, "jones2020");
        assert_eq!(problems.len(), 1);
    }
}
