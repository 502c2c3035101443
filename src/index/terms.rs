//! Words and search terms: how text (a paragraph, a query, a title) becomes the lower-case
//! ASCII words and terms that the search structures compare. Knows nothing of sources.
//!
//! A word is a run of Unicode letters and digits, folded to lower-case ASCII (`Tromsø` is
//! `tromso`, `北京` is `bei` `jing`). A term is a word that is not an English stop word,
//! lightly stemmed (`drones` is `drone`, `countries` is `country`). Paragraphs and queries go
//! through the same functions, so whatever folding or stemming does, both sides agree.

mod scan;
mod window;

pub(crate) use scan::step;
pub use scan::{Word, WordKey, for_each_cased_word};
pub(crate) use window::{WINDOW, Windows};

use std::borrow::Cow;

/// Words longer than this are URLs, hashes or junk: nobody types them, and each would be a
/// term of its own in the dictionary.
pub(crate) const LONGEST_WORD: usize = 40;

/// Calls `f` with each word of `text`, folded to lower-case ASCII letters and digits.
/// `scratch` is reused between calls so that the hot loop does not allocate.
pub fn for_each_word(text: &str, scratch: &mut String, f: &mut impl FnMut(&str)) {
    for_each_cased_word(text, &mut |word| f(lower_case_into(word.bytes(), scratch)));
}

/// `word` (ASCII letters and digits) in lower case, written over `scratch`.
pub fn lower_case_into<'a>(word: &[u8], scratch: &'a mut String) -> &'a str {
    scratch.clear();
    scratch.push_str(std::str::from_utf8(word).unwrap_or_default());
    scratch.make_ascii_lowercase();
    scratch
}

/// The words of `text`, collected (for queries and titles, not for the corpus's hot loop).
pub fn words(text: &str) -> Vec<String> {
    // Room for a word every six bytes, as prose has, where the list regrew from empty; each
    // word made lower-case as it is copied, where it was copied twice.
    let mut words = Vec::with_capacity(text.len() / 6 + 1);
    for_each_cased_word(text, &mut |word| {
        let lower = word
            .bytes()
            .iter()
            .map(|&byte| char::from(byte.to_ascii_lowercase()));
        words.push(lower.collect());
    });
    words
}

/// The term a word stands for, or `None` for a stop word.
pub fn term(word: &str) -> Option<Cow<'_, str>> {
    if is_stop_word(word) {
        None
    } else {
        Some(stem(word))
    }
}

/// Letters, digits and combining marks (a decomposed `é` is `e` and U+0301, one word).
pub fn is_word_char(c: char) -> bool {
    // The accented letters of European names (`García`, `Tromsø`, `Łódź`), the most
    // common word characters past ASCII, are Latin-1 and Latin Extended-A and -B, all
    // letters but `×` and `÷`; and dashes and typeset quotes, the most common others, are
    // General Punctuation, which has no letter or digit. Both are answered before
    // Unicode's tables, which cost hundreds of instructions a character.
    if LATIN_LETTERS.contains(&c) {
        return c != '×' && c != '÷';
    }
    !GENERAL_PUNCTUATION.contains(&c)
        && (c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c))
}

/// Latin-1's letters, with `×` and `÷`, and Latin Extended-A and -B: letters all.
const LATIN_LETTERS: std::ops::RangeInclusive<char> = '\u{c0}'..='\u{24f}';

/// The General Punctuation block: `—`, `’`, `“`, `…` and the like.
const GENERAL_PUNCTUATION: std::ops::RangeInclusive<char> = '\u{2000}'..='\u{206f}';

/// Plural endings only: `-ing` and `-ed` undo too many words wrongly (`used`, `bring`) for
/// what they would add.
pub fn stem(word: &str) -> Cow<'_, str> {
    let bytes = word.as_bytes();
    if bytes.len() <= 3 || bytes.iter().all(u8::is_ascii_digit) {
        return Cow::Borrowed(word);
    }
    if let Some(base) = word.strip_suffix("ies")
        && base.len() >= 2
    {
        return Cow::Owned(format!("{base}y"));
    }
    if word.ends_with("sses") {
        return Cow::Borrowed(&word[..word.len() - 2]);
    }
    if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
        return Cow::Borrowed(word);
    }
    match word.strip_suffix('s') {
        Some(base) => Cow::Borrowed(base),
        None => Cow::Borrowed(word),
    }
}

/// English function words, and the pieces an apostrophe leaves (`putin's`, `don't`).
pub fn is_stop_word(word: &str) -> bool {
    // A probe of a table of numbers, where a `match` on strings compared the word with each
    // stop word of its length (a `memcmp` each), and a binary search took eight unforeseeable
    // branches: the search's build asks for every word it has not seen.
    let Some(key) = packed(word.as_bytes()).filter(|&key| key != 0) else {
        return false;
    };
    let mut slot = stop_slot(key);
    loop {
        match STOP_TABLE[slot] {
            entry if entry == key => return true,
            0 => return false,
            _ => slot = (slot + 1) % STOP_SLOTS,
        }
    }
}

/// Slots of `STOP_TABLE`: four for each stop word, so that a probe mostly ends at its first.
const STOP_SLOTS: usize = 512;

/// The slot where a probe for `key` starts (Fibonacci hashing of its two halves).
const fn stop_slot(key: u128) -> usize {
    let mixed =
        (key as u64 ^ ((key >> 64) as u64).rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> (64 - STOP_SLOTS.trailing_zeros())) as usize
}

/// `STOP_KEYS` by open addressing with linear probing; 0 (no word's key) marks a free slot.
static STOP_TABLE: [u128; STOP_SLOTS] = {
    let mut table = [0; STOP_SLOTS];
    let mut index = 0;
    while index < STOP_KEYS.len() {
        let key = STOP_KEYS[index];
        let mut slot = stop_slot(key);
        while table[slot] != 0 {
            slot = (slot + 1) % STOP_SLOTS;
        }
        table[slot] = key;
        index += 1;
    }
    table
};

const STOP_WORDS: [&str; 133] = [
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "d",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "ll",
    "m",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "re",
    "s",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "ve",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// `STOP_WORDS` packed, sorted.
const STOP_KEYS: [u128; 133] = {
    let mut keys = [0; 133];
    let mut index = 0;
    while index < keys.len() {
        keys[index] = match packed(STOP_WORDS[index].as_bytes()) {
            Some(key) => key,
            None => panic!("a stop word longer than 15 bytes"),
        };
        index += 1;
    }
    // Insertion sort: `sort` is not `const`.
    let mut sorted = 1;
    while sorted < keys.len() {
        let mut at = sorted;
        while at > 0 && keys[at - 1] > keys[at] {
            let before = keys[at - 1];
            keys[at - 1] = keys[at];
            keys[at] = before;
            at -= 1;
        }
        sorted += 1;
    }
    keys
};

/// A word of up to 15 bytes as one number: its bytes, and its length in the top byte (so
/// that no two words share one, whatever their bytes); `None` for a longer word.
const fn packed(word: &[u8]) -> Option<u128> {
    if word.len() > 15 {
        return None;
    }
    let mut bytes = [0; 16];
    bytes.split_at_mut(word.len()).0.copy_from_slice(word);
    bytes[15] = word.len() as u8;
    Some(u128::from_le_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn general_punctuation_has_no_word_char() {
        for c in GENERAL_PUNCTUATION {
            assert!(
                !c.is_alphanumeric() && !('\u{300}'..='\u{36f}').contains(&c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn the_latin_letters_are_word_chars_as_unicode_says() {
        for c in LATIN_LETTERS {
            let by_tables = c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c);
            assert_eq!(is_word_char(c), by_tables, "{c:?}");
        }
    }

    fn terms(text: &str) -> Vec<String> {
        words(text)
            .iter()
            .filter_map(|word| term(word).map(Cow::into_owned))
            .collect()
    }

    #[test]
    fn words_are_folded_to_lower_case_ascii() {
        assert_eq!(
            words("Tromsø, SØGAARD and naïve Putin's 2023 drones—北京"),
            [
                "tromso", "sogaard", "and", "naive", "putin", "s", "2023", "drones", "bei", "jing"
            ]
        );
    }

    #[test]
    fn a_decomposed_accent_stays_inside_its_word() {
        assert_eq!(words("Tromse\u{301}x"), ["tromsex"]);
    }

    #[test]
    fn stop_words_are_dropped_and_plurals_stemmed() {
        assert_eq!(
            terms("The drones of the countries, glasses and Putin's news"),
            ["drone", "country", "glass", "putin", "new"]
        );
    }

    proptest! {
        #[test]
        fn a_stop_word_is_one_of_the_list(
            word in prop_oneof![
                prop::sample::select(STOP_WORDS.to_vec()).prop_map(str::to_string),
                prop::sample::select(STOP_WORDS.to_vec()).prop_map(|word| word.to_uppercase()),
                prop::sample::select(STOP_WORDS.to_vec()).prop_map(|word| format!("{word}\0")),
                "[a-z\\x00]{0,17}",
                "\\PC{0,6}",
            ],
        ) {
            prop_assert_eq!(is_stop_word(&word), STOP_WORDS.contains(&word.as_str()));
        }
    }

    #[test]
    fn every_stop_word_is_one() {
        assert!(STOP_WORDS.iter().all(|word| is_stop_word(word)));
        assert!(!is_stop_word("drone") && !is_stop_word("") && !is_stop_word("The"));
    }

    #[test]
    fn junk_longer_than_a_word_is_skipped() {
        assert!(words(&"x".repeat(LONGEST_WORD + 1)).is_empty());
    }
}
