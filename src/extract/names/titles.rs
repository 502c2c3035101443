//! Titles in lower case, as newspapers write them, before a name: `chief executive Ana
//! Lee`, `the mayor of Lima, Rosa Quispe`.

use std::ops::Range;

use crate::extract::tokens::WordsBefore;
use crate::extract::words::{
    LowerCaseTitle, is_title_head, is_title_modifier, lower_case_title,
    may_be_lower_case_title_word,
};

/// A title in lower case, as newspapers write titles, before a name of `words` words that
/// starts at `name_start`: right before it (`chief executive Ana Lee`), or as an apposition
/// before it that a determiner opens (`the mayor of Lima, Rosa Quispe`; `the authority's
/// chief executive, Kwame Asante`), for a name of two words or more. Read from the text, as
/// the tokens may have passed over plain prose.
pub(super) fn lower_case_title_before(
    text: &str,
    name_start: usize,
    words: usize,
) -> Option<Range<usize>> {
    // Most names follow a plain word after a space: told from its bytes, before any walk.
    let bytes = text.as_bytes();
    let gap_start = bytes[..name_start]
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
        .map_or(0, |last| last + 1);
    let last_word_start = bytes[..gap_start]
        .iter()
        .rposition(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
        .map_or(0, |space| space + 1);
    let last_word = &bytes[last_word_start..gap_start];
    let after_comma = last_word.last() == Some(&b',');
    if !after_comma && last_word.is_ascii() && !may_be_lower_case_title_word(last_word) {
        return None;
    }
    let before = &text[..name_start];
    let kept = before.trim_end();
    if kept.len() < before.len() && !after_comma {
        // Right before the name: title words only, back to the first that is none.
        let mut first = None;
        let mut has_head = false;
        for word in WordsBefore::new(text, name_start).take(MAX_LOWER_CASE_TITLE_WORDS) {
            let w = &text[word.clone()];
            let title_word = match lower_case_title(w) {
                // `Chief executive Ana Lee said`: a sentence's first word is capitalised.
                None if is_title_head(w) => Some(LowerCaseTitle::Head),
                None if is_title_modifier(w) => Some(LowerCaseTitle::Modifier),
                other => other,
            };
            match title_word {
                Some(LowerCaseTitle::Head) => has_head = true,
                Some(LowerCaseTitle::AmbiguousHead | LowerCaseTitle::Modifier) => {}
                None => break,
            }
            first = Some(word);
        }
        return first
            .filter(|_| has_head)
            .map(|first| first.start..kept.len());
    }
    // `the mayor of Lima, Rosa Quispe`: read so for a name of two words or more.
    if words >= 2 {
        crate::extract::describe::apposition_before(text, 0, name_start)
    } else {
        None
    }
}

/// The most words of a lower-case title right before a name (`deputy chief executive`).
const MAX_LOWER_CASE_TITLE_WORDS: usize = 4;
