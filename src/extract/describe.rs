//! What a source says an entity is, in its own words: the title before a person's name
//! (`Russian Foreign Minister (and former KGB head) Yevgeny Primakov`) or an apposition after
//! it (`Jüri Ratas, then Estonia's prime minister,`).

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::lexicon::{Form, Lexicon};
use super::resolve::{LocalMention, collapse_white_space};
use super::tokens::WordsBefore;
use super::words::{
    LowerCaseTitle, as_is_or_capitalized, is_title_head, is_title_modifier, lower_case_title,
};

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
            let range = before
                .or_else(|| apposition_before(text, unit_start(m.paragraph), m.range().start))
                .or_else(|| apposition_after(text, m.range().end, unit_end(m.paragraph)))?;
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

/// `the mayor of Lima, Rosa Quispe`, `the authority's chief executive, Kwame Asante`: an
/// apposition before a name, between a determiner (or an owner) and the comma before the
/// name, that holds a title word in either case.
pub(super) fn apposition_before(
    text: &str,
    unit_start: usize,
    name_start: usize,
) -> Option<Range<usize>> {
    let comma = text
        .get(unit_start..name_start)?
        .trim_end()
        .strip_suffix(',')?
        .len()
        + unit_start;
    // Back to the determiner or the owner that opens it; after the title's head, only what
    // it is of (`the mayor of Lima`, not `the mayor said`).
    let mut first = None;
    let mut has_head = false;
    let mut after_head = None;
    for word in WordsBefore::new(text, comma).take(MAX_APPOSITION_WORDS + 1) {
        if word.start < unit_start {
            return None;
        }
        let w = &text[word.clone()];
        if is_determiner(w) {
            break;
        }
        if !w.ends_with(char::is_alphanumeric) && !is_possessive(w) {
            return None; // the phrase would cross a clause
        }
        let title_word = lower_case_title(w);
        let head = title_word.is_some_and(|t| t != LowerCaseTitle::Modifier) || is_title_head(w);
        if head && !has_head {
            has_head = true;
            let of = after_head.as_ref().is_none_or(|next: &Range<usize>| {
                matches!(&text[next.clone()], "of" | "for" | "at" | "to" | "in")
            });
            if !of {
                return None;
            }
        }
        if !has_head && title_word.is_none() && !is_title_modifier(w) {
            after_head = Some(word.clone());
        }
        first = Some(word);
        if is_possessive(w) {
            break; // the owner opens it
        }
    }
    let first = first?;
    let opened = is_possessive(&text[first.clone()])
        || WordsBefore::new(text, first.start)
            .next()
            .is_some_and(|word| word.start >= unit_start && is_determiner(&text[word]));
    (has_head && opened).then_some(first.start..comma)
}

/// The most words of an apposition before a name (`the mayor of Rio Grande do Sul`).
const MAX_APPOSITION_WORDS: usize = 8;

/// Words that open the apposition before a name.
fn is_determiner(word: &str) -> bool {
    matches!(word, "the" | "its" | "their" | "his" | "her" | "our")
}

fn is_possessive(word: &str) -> bool {
    word.ends_with("'s") || word.ends_with("\u{2019}s")
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

#[cfg(test)]
mod tests {
    use super::{apposition_before, word_start};

    #[test]
    fn an_apposition_before_a_name_describes_it() {
        let described = |text: &str, name: &str| {
            let at = text.find(name).expect("the name is in the text");
            apposition_before(text, 0, at).map(|range| text[range].to_string())
        };
        let text = "Critics, including the mayor of Tarvo, Rose Velde, disagreed.";
        assert_eq!(described(text, "Rose"), Some("mayor of Tarvo".into()));
        let text = "The authority\u{2019}s chief executive, Amber Okafor, resigned.";
        assert_eq!(
            described(text, "Amber"),
            Some("authority\u{2019}s chief executive".into())
        );
        // No title word, no determiner, or a clause in between: none.
        for (text, name) in [
            ("Unlike the harbour, Rose Velde stayed.", "Rose"),
            ("Ports grew, the mayor said, Rose Velde agreed.", "Rose"),
            ("As mayor, Rose Velde spoke.", "Rose"),
            ("Presidents Ana Lind and Rose Velde met.", "Rose"),
        ] {
            assert_eq!(described(text, name), None, "{text}");
        }
    }

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
}
