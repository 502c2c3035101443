//! The words time expressions are made of, each classified once, by its lower-case key, as
//! the paragraph is tokenized (`Token::class`): the scanner then passes over most words on
//! one flag test, where it compared strings token by token.
//!
//! Two classes decide where the scanner looks. A *core* word is one that no expression goes
//! without, short of a number: a month, a season, or the time word of a relative phrase
//! (`year`, `weeks`, `thereafter`). A *start* word is one an expression may begin with.
//! Four more are the word lists of `years`, which judge whether a number is a year.

use std::sync::LazyLock;

use super::written::{MODIFIERS, SEASONS};
use super::{PREPOSITION_WORDS, Token};
use super::{relative, years};
use crate::extract::scan::{Kind, LowerKey};

/// A word an expression may start with: a preposition, `the`, a modifier, a season, the
/// first word of a relative phrase.
pub(super) const START: u8 = 1;
/// A word that no expression goes without, short of a number.
pub(super) const CORE: u8 = 2;
/// A month's name or abbreviation, in any case (`month_from_name` knows it).
pub(super) const MONTH: u8 = 4;
/// `years::NOT_BEFORE_YEAR`: `page 1991` is no year.
pub(super) const NOT_BEFORE: u8 = 8;
/// `years::NOT_AFTER_YEAR`: `1991 troops` is no year.
pub(super) const NOT_AFTER: u8 = 16;
/// `years::DATED_NOUNS`: `the 2015 elections`.
pub(super) const DATED_NOUN: u8 = 32;
/// `years::DETERMINERS`: `its 2015 deal`.
pub(super) const DETERMINER: u8 = 64;

/// The names `edtf::month_from_name` reads (without the period it also takes).
const MONTH_NAMES: [&str; 24] = [
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];

/// The word lists the judgement of a year reads (`years`), each with its class.
const YEAR_LISTS: [(&[&str], u8); 4] = [
    (years::NOT_BEFORE_YEAR, NOT_BEFORE),
    (years::NOT_AFTER_YEAR, NOT_AFTER),
    (years::DATED_NOUNS, DATED_NOUN),
    (years::DETERMINERS, DETERMINER),
];

/// The class of the word whose `LowerKey` is `key` (0 for words of no class).
pub(super) fn class_of(key: LowerKey) -> u8 {
    VOCABULARY.class(key)
}

/// Whether `token` is a number or a core word: every expression holds one.
pub(super) fn is_core(token: &Token) -> bool {
    token.kind == Kind::Number || token.class & CORE != 0
}

/// The table size: a power of two, about three times the number of words, so that a word
/// outside the table meets an empty slot within a probe or two.
const SLOTS: usize = 1024;

/// An open-addressing table from `LowerKey` to class. Empty slots hold key 0, the key of no
/// word, with class 0: looking 0 up finds an empty slot and answers 0.
struct Vocabulary {
    keys: [LowerKey; SLOTS],
    classes: [u8; SLOTS],
}

/// The words an expression may start with (class `START`), lower-case.
pub(super) fn start_words() -> impl Iterator<Item = &'static [u8]> {
    PREPOSITION_WORDS
        .iter()
        .chain(&["the"])
        .chain(&MODIFIERS)
        .chain(SEASONS.iter().map(|(season, _)| season))
        .map(|word| word.as_bytes())
        .chain(relative::start_words())
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    let mut vocabulary = Vocabulary {
        keys: [0; SLOTS],
        classes: [0; SLOTS],
    };
    for word in start_words() {
        vocabulary.add(word, START);
    }
    let seasons = SEASONS.iter().map(|(season, _)| *season);
    for word in seasons.chain(relative::TIME_WORDS) {
        vocabulary.add(word.as_bytes(), CORE);
    }
    for word in MONTH_NAMES {
        vocabulary.add(word.as_bytes(), CORE | MONTH);
    }
    for (words, class) in YEAR_LISTS {
        for word in words {
            vocabulary.add(word.as_bytes(), class);
        }
    }
    vocabulary
});

/// The first slot to try for `key`: its two halves folded, then multiplied so that the top
/// bits depend on every byte.
fn home_slot(key: LowerKey) -> usize {
    let folded = (key as u64) ^ ((key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (folded.wrapping_mul(0xFF51_AFD7_ED55_8CCD) >> (64 - SLOTS.trailing_zeros())) as usize
}

impl Vocabulary {
    fn class(&self, key: LowerKey) -> u8 {
        let mut slot = home_slot(key);
        loop {
            let found = self.keys[slot];
            if found == key || found == 0 {
                return self.classes[slot];
            }
            slot = (slot + 1) % SLOTS;
        }
    }

    /// Adds `class` to the classes of `word` (lower case, at most `LowerWord::MAX` bytes).
    fn add(&mut self, word: &[u8], class: u8) {
        let key = relative::key_of(word);
        let mut slot = home_slot(key);
        while self.keys[slot] != 0 && self.keys[slot] != key {
            slot = (slot + 1) % SLOTS;
        }
        self.keys[slot] = key;
        self.classes[slot] |= class;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edtf::month_from_name;
    use crate::extract::scan::LowerWord;

    fn class(word: &str) -> u8 {
        LowerWord::new(word).map_or(0, |lower| class_of(lower.key()))
    }

    #[test]
    fn the_table_has_room() {
        let used = VOCABULARY.keys.iter().filter(|&&key| key != 0).count();
        assert!(used * 2 < SLOTS, "{used} words in {SLOTS} slots");
    }

    #[test]
    fn months_are_the_names_month_from_name_reads() {
        for word in MONTH_NAMES {
            assert!(month_from_name(word).is_some(), "{word}");
            assert_eq!(class(word) & MONTH, MONTH, "{word}");
            assert_eq!(class(&word.to_uppercase()) & MONTH, MONTH, "{word}");
        }
    }

    #[test]
    fn the_year_lists_are_classes() {
        for (words, list_class) in YEAR_LISTS {
            for word in words {
                assert!(word.len() <= LowerWord::MAX, "{word}");
                assert_eq!(class(word) & list_class, list_class, "{word}");
                assert_eq!(
                    class(&word.to_uppercase()) & list_class,
                    list_class,
                    "{word}"
                );
            }
        }
    }

    proptest::proptest! {
        /// A word has a list's class exactly when the list holds it, in any case.
        #[test]
        fn a_word_is_in_a_year_list_when_the_list_says_so(word in "[A-Za-z]{1,6}|[a-z]{7,14}") {
            let lists = [
                (years::NOT_BEFORE_YEAR, NOT_BEFORE),
                (years::NOT_AFTER_YEAR, NOT_AFTER),
                (years::DATED_NOUNS, DATED_NOUN),
                (years::DETERMINERS, DETERMINER),
            ];
            for (words, list_class) in lists {
                proptest::prop_assert_eq!(
                    class(&word) & list_class != 0,
                    words.iter().any(|w| w.eq_ignore_ascii_case(&word)),
                    "{}", word
                );
            }
        }

        #[test]
        fn a_word_is_a_month_when_month_from_name_says_so(word in "[A-Za-z]{1,10}") {
            proptest::prop_assert_eq!(
                class(&word) & MONTH != 0,
                month_from_name(&word).is_some(),
                "{}", word
            );
        }
    }
}
