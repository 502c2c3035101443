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
pub fn describe_person<'m>(
    text: &str,
    mentions: impl IntoIterator<Item = &'m LocalMention>,
    unit_start: impl Fn(u32) -> usize,
    unit_end: impl Fn(u32) -> usize,
    lexicon: &Lexicon,
) -> Option<Description> {
    mentions
        .into_iter()
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
        if words >= MAX_WORDS {
            break;
        }
        // A word that is no title word is no head either; a title word needs no look-up as
        // a demonym, nor a capitalized copy when it is one as it stands.
        if as_is_or_capitalized(bare, is_title_modifier) {
            has_head |= as_is_or_capitalized(bare, is_title_head);
        } else if lexicon.form_of(bare) != Some(Form::Demonym) {
            break;
        }
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
    // Most names are followed by no comma, or by a phrase in upper case: no search for its
    // end, and no look at its words.
    if !after_comma.chars().next().is_some_and(char::is_lowercase) {
        return None;
    }
    let end_offset = after_comma.find([',', ';', '.', '(', ')'])?;
    let phrase = &after_comma[..end_offset];
    let mut words = 0;
    let mut has_head = false;
    for word in phrase.split_whitespace() {
        words += 1;
        has_head = has_head || as_is_or_capitalized(word, is_title_head);
    }
    (has_head && words <= MAX_WORDS).then(|| start..start + phrase.trim_end().len())
}

/// Whether `word`, as it stands or with its first letter in upper case, passes `test`: a
/// word that capitalizing leaves as it is (most start with a capital or a symbol) is tested
/// once, with no copy.
fn as_is_or_capitalized(word: &str, test: impl Fn(&str) -> bool) -> bool {
    let capitalized_already = word
        .as_bytes()
        .first()
        .is_none_or(|b| b.is_ascii() && !b.is_ascii_lowercase());
    test(word) || (!capitalized_already && with_capitalized(word, test))
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
    use super::{as_is_or_capitalized, capitalize, with_capitalized, word_start};

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

    proptest::proptest! {
        /// Against both tests, as `title_before` made them before.
        #[test]
        fn a_word_is_tested_as_is_and_capitalized(word in "(a|Z|é|É|ß|1|-|x){0,3}") {
            let starts_upper = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
            let both = starts_upper(&word) || starts_upper(&capitalize(&word));
            proptest::prop_assert_eq!(as_is_or_capitalized(&word, starts_upper), both);
            let is_word = |w: &str| w == word;
            proptest::prop_assert!(as_is_or_capitalized(&word, is_word));
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
