//! The byline of a plain-text source: `Month D, YYYY Author Name Publication`.
//!
//! The author and the publication stand side by side with nothing between them, so the
//! boundary is found from the shape of a personal name: given names or initials, name
//! particles, a surname, a suffix. `Ilan I. Berman The Jerusalem Strategic Tribune` gives the
//! author `Ilan I. Berman` and the publisher `The Jerusalem Strategic Tribune`.

use crate::edtf::{Edtf, parse_leading_date};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Byline {
    pub date: Option<Edtf>,
    pub authors: Vec<String>,
    pub publisher: Option<String>,
}

/// Reads a byline, or `None` when the text does not start with a day or a month.
pub fn parse_byline(text: &str) -> Option<Byline> {
    let (date, taken) = parse_leading_date(text)?;
    if !matches!(date, Edtf::Day { .. } | Edtf::Month { .. }) {
        return None;
    }
    let rest = text[taken..].trim_start_matches([',', ' ', '\t', '\r', '\n']);
    let mut words: Vec<&str> = rest.split_whitespace().collect();
    if words
        .first()
        .is_some_and(|w| w.eq_ignore_ascii_case("by") || *w == "|" || *w == "—" || *w == "-")
    {
        words.remove(0);
    }
    let (authors, used) = read_names(&words);
    let publisher = words[used..].join(" ");
    let publisher = publisher.trim_matches(|c: char| c == '|' || c == '—' || c.is_whitespace());
    Some(Byline {
        date: Some(date),
        authors,
        publisher: (!publisher.is_empty()).then(|| publisher.to_string()),
    })
}

/// Personal names at the start of `words`, joined by `and`, `&` or commas; returns the names
/// and how many words they took.
fn read_names(words: &[&str]) -> (Vec<String>, usize) {
    let mut names = Vec::new();
    let mut at = 0;
    while let Some(len) = name_length(&words[at..]) {
        let name = words[at..at + len].join(" ");
        let ends_with_comma = name.ends_with(',');
        names.push(name.trim_end_matches(',').to_string());
        at += len;
        match words.get(at) {
            Some(&"and") | Some(&"&") if name_length(&words[at + 1..]).is_some() => at += 1,
            _ if ends_with_comma && name_length(&words[at..]).is_some() => {}
            _ => break,
        }
    }
    (names, at)
}

/// How many words the personal name at the start of `words` takes.
fn name_length(words: &[&str]) -> Option<usize> {
    let first = *words.first()?;
    if !(is_capitalized(first) || is_initial(first)) || is_article(first) {
        return None;
    }
    let mut at = 1;
    while words.get(at).is_some_and(|w| is_initial(w)) {
        at += 1;
    }
    while words.get(at).is_some_and(|w| is_particle(w)) {
        at += 1;
    }
    let surname = *words.get(at)?;
    if !is_capitalized(surname) || is_article(surname) || first.ends_with(',') {
        return None;
    }
    at += 1;
    if words.get(at).is_some_and(|w| is_suffix(w)) {
        at += 1;
    }
    Some(at)
}

fn is_capitalized(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

/// `I.`, `J.R.R.`, `J`
fn is_initial(word: &str) -> bool {
    let word = word.trim_end_matches(',');
    !word.is_empty()
        && word.len() <= 8
        && word
            .split('.')
            .filter(|part| !part.is_empty())
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_uppercase))
        && (word.contains('.') || word.chars().count() == 1)
}

fn is_particle(word: &str) -> bool {
    matches!(
        word,
        "van"
            | "von"
            | "der"
            | "den"
            | "de"
            | "del"
            | "della"
            | "di"
            | "da"
            | "dos"
            | "das"
            | "du"
            | "la"
            | "le"
            | "al"
            | "el"
            | "bin"
            | "ibn"
            | "ben"
            | "ter"
            | "ten"
            | "zu"
    )
}

fn is_suffix(word: &str) -> bool {
    matches!(
        word.trim_end_matches(','),
        "Jr." | "Sr." | "Jr" | "Sr" | "II" | "III" | "IV"
    )
}

fn is_article(word: &str) -> bool {
    matches!(word, "The" | "A" | "An")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, authors: &[&str], publisher: Option<&str>) {
        let byline = parse_byline(text).expect(text);
        assert_eq!(byline.authors, authors, "{text}");
        assert_eq!(byline.publisher.as_deref(), publisher, "{text}");
    }

    #[test]
    fn author_and_publication_are_told_apart() {
        check(
            "February 15, 2023 Ilan I. Berman The Jerusalem Strategic Tribune",
            &["Ilan I. Berman"],
            Some("The Jerusalem Strategic Tribune"),
        );
        check(
            "March 3, 2019 Chiamaka Okonkwo Lagos Policy Review",
            &["Chiamaka Okonkwo"],
            Some("Lagos Policy Review"),
        );
        check(
            "May 2020 By Ana de la Cruz and J. R. Smith Jr. Foreign Notes",
            &["Ana de la Cruz", "J. R. Smith Jr."],
            Some("Foreign Notes"),
        );
        check("June 1, 2021 Åsa Lindqvist", &["Åsa Lindqvist"], None);
        check("June 1, 2021 The Economist", &[], Some("The Economist"));
        check("June 1, 2021", &[], None);
    }

    #[test]
    fn a_paragraph_that_starts_with_a_year_is_not_a_byline() {
        assert_eq!(
            parse_byline("1991 was the year the Soviet Union fell."),
            None
        );
        assert_eq!(parse_byline("Putin traveled to Tehran."), None);
    }
}
