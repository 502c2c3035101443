//! What a source says an entity is, in its own words: the title before a person's name
//! (`Russian Foreign Minister (and former KGB head) Yevgeny Primakov`) or an apposition after
//! it (`Jüri Ratas, then Estonia's prime minister,`).

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::lexicon::{Form, Lexicon};
use super::resolve::{LocalMention, collapse_white_space};
use super::words::{is_title_head, is_title_modifier};

/// A description and the passage it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Description {
    pub text: String,
    pub paragraph: u32,
    pub range: Range<usize>,
}

/// The longest a description may be, in words.
const MAX_WORDS: usize = 14;

/// The description of a person, from the first of its full-name mentions that has one.
/// `units` gives each paragraph's range, to keep the search inside it.
pub fn describe_person(
    text: &str,
    mentions: &[&LocalMention],
    unit_start: impl Fn(u32) -> usize,
    unit_end: impl Fn(u32) -> usize,
    lexicon: &Lexicon,
) -> Option<Description> {
    mentions
        .iter()
        .filter(|m| m.form == Form::Name)
        .find_map(|m| {
            let before = title_before(text, unit_start(m.paragraph), m.range().start, lexicon);
            let range =
                before.or_else(|| apposition_after(text, m.range().end, unit_end(m.paragraph)))?;
            Some(Description {
                // Borrowed when its white space is single spaces already: one copy, not a
                // list of its words and their join.
                text: collapse_white_space(&text[range.clone()]).into_owned(),
                paragraph: m.paragraph,
                range,
            })
        })
}

/// The title words right before a name, through one parenthesis:
/// `Russian Foreign Minister (and former KGB head)`.
fn title_before(
    text: &str,
    unit_start: usize,
    name_start: usize,
    lexicon: &Lexicon,
) -> Option<Range<usize>> {
    let before = &text[unit_start..name_start];
    let end = unit_start + before.trim_end().len();
    let mut cursor = end;
    if text[..cursor].ends_with(')') {
        let open = text[unit_start..cursor].rfind('(')? + unit_start;
        cursor = unit_start + text[unit_start..open].trim_end().len();
    }
    let mut start = cursor;
    let mut has_head = false;
    for (words, word) in text[unit_start..cursor]
        .split_whitespace()
        .rev()
        .enumerate()
    {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
        if bare.len() != word.len() && !word.ends_with('.') {
            break; // punctuation ends the title
        }
        let (is_title, is_head) = with_capitalized(bare, |capitalized| {
            // A word that is no title word is no head either.
            let is_title = is_title_modifier(bare) || is_title_modifier(capitalized);
            let is_head = is_title && (is_title_head(bare) || is_title_head(capitalized));
            (is_title, is_head)
        });
        let is_demonym = lexicon.form_of(bare) == Some(Form::Demonym);
        if !(is_title || is_demonym) || words >= MAX_WORDS {
            break;
        }
        has_head |= is_head;
        start = word_start(text, start, word);
    }
    (has_head && start < end).then_some(start..end)
}

/// Where `word`, the last word before `before` and a slice of `text`, starts: its place in
/// `text`, where a search back for it built a substring searcher for every title word (the
/// last match of a word with only white space after it is that word).
fn word_start(text: &str, before: usize, word: &str) -> usize {
    (word.as_ptr() as usize)
        .checked_sub(text.as_ptr() as usize)
        .filter(|&at| at < before)
        .unwrap_or(before)
}

/// `, then Estonia's prime minister,` after a name: a short phrase between commas that holds
/// a title word.
fn apposition_after(text: &str, name_end: usize, unit_end: usize) -> Option<Range<usize>> {
    let rest = text.get(name_end..unit_end)?;
    let after_comma = rest.strip_prefix(", ")?;
    let start = name_end + 2;
    let end_offset = after_comma.find([',', ';', '.', '(', ')'])?;
    let phrase = &after_comma[..end_offset];
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let starts_lower = phrase.chars().next().is_some_and(char::is_lowercase);
    let has_head = words
        .iter()
        .any(|w| is_title_head(w) || with_capitalized(w, is_title_head));
    (starts_lower && has_head && words.len() <= MAX_WORDS)
        .then(|| start..start + phrase.trim_end().len())
}

/// `answer` of `word` with its first letter in upper case: an ASCII word of a usual length
/// capitalized on the stack, any other through `capitalize`.
fn with_capitalized<T>(word: &str, answer: impl FnOnce(&str) -> T) -> T {
    let mut bytes = [0u8; 32];
    match bytes.get_mut(..word.len()) {
        Some(copy) if word.is_ascii() => {
            copy.copy_from_slice(word.as_bytes());
            if let Some(first) = copy.first_mut() {
                first.make_ascii_uppercase();
            }
            answer(std::str::from_utf8(copy).unwrap_or_default())
        }
        _ => answer(&capitalize(word)),
    }
}

/// `word` with its first letter in upper case. Most words start with an ASCII letter: those
/// are changed in place of a copy made a character at a time.
fn capitalize(word: &str) -> String {
    match word.as_bytes().first() {
        Some(first) if first.is_ascii() => {
            let mut capitalized = word.to_string();
            capitalized[..1].make_ascii_uppercase();
            capitalized
        }
        _ => {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{capitalize, with_capitalized, word_start};

    proptest::proptest! {
        /// Against the search back for the word that `word_start` replaced.
        #[test]
        fn a_word_starts_where_the_last_match_before_it_does(
            text in "(President|Pres|ident|Foreign|(and|former)|KGB|K|\\.|,| |  |\t|\u{a0}|\u{2003}|é){0,14}",
            unit_start in 0usize..4,
        ) {
            let unit_start = (0..=unit_start.min(text.len()))
                .rev()
                .find(|&at| text.is_char_boundary(at))
                .unwrap_or(0);
            let cursor = unit_start + text[unit_start..].trim_end().len();
            let mut start = cursor;
            for word in text[unit_start..cursor].split_whitespace().rev() {
                let searched = text[unit_start..start]
                    .rfind(word)
                    .map_or(start, |at| unit_start + at);
                proptest::prop_assert_eq!(word_start(&text, start, word), searched);
                start = searched;
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn a_word_is_capitalized_on_the_stack_as_by_capitalize(
            word in "(a|Z|é|ß|1|x{30}|-){0,4}"
        ) {
            proptest::prop_assert_eq!(with_capitalized(&word, str::to_string), capitalize(&word));
        }
    }

    #[test]
    fn capitalizes_the_first_letter_of_any_script() {
        for (word, expected) in [
            ("minister", "Minister"),
            ("Minister", "Minister"),
            ("1990s", "1990s"),
            ("état", "État"),
            ("ßa", "SSa"),
            ("", ""),
        ] {
            assert_eq!(capitalize(word), expected, "{word}");
        }
    }
}
