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
use super::{PREPOSITION_WORDS, Span};
use super::{relative, years};
use crate::edtf::month_from_name;
use crate::extract::scan::{LowerKey, WordClass};

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
/// A word that may stand in an expression before its first core token: a start word, a
/// word of a relative phrase, a count, `to` (`up to`, `mid-to-late`).
pub(super) const INNER: u8 = 128;

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
#[cfg(test)]
pub(super) fn class_of(key: LowerKey) -> u8 {
    VOCABULARY.class(key).0
}

/// The class of the word whose `LowerKey` is `key`, and the word's number in the
/// vocabulary (`key_of`), with the table found once: the tokenizer asks it of every word.
pub(super) fn classifier() -> impl Fn(LowerKey) -> WordClass {
    let vocabulary: &'static Vocabulary = &VOCABULARY;
    |key| vocabulary.class(key)
}

/// The `LowerKey` of the word of class other than 0 that the vocabulary numbers `word`
/// (`classifier`, `Token::word`).
pub(super) fn key_of(word: u16) -> LowerKey {
    VOCABULARY.keys[usize::from(word) % SLOTS]
}

/// The month (1 to 12) of the word of class `MONTH` that the vocabulary numbers `word`
/// (`Token::word`), as `month_from_name` reads it: the scanner looks it up by the number,
/// where it read the token's text and compared it with the names.
pub(super) fn month_of(word: u16) -> Option<u8> {
    Some(VOCABULARY.months[usize::from(word) % SLOTS]).filter(|&month| month != 0)
}

/// `month_from_name` of the word whose `LowerKey` is `key`, or 0.
fn month_of_key(key: LowerKey) -> u8 {
    let bytes = key.to_le_bytes();
    let len = bytes
        .iter()
        .position(|&byte| byte == 0)
        .unwrap_or(bytes.len());
    std::str::from_utf8(&bytes[..len])
        .ok()
        .and_then(month_from_name)
        .unwrap_or(0)
}

/// The class of a number (`tokenize_into`'s `number_class`) by the value the tokenizer kept
/// (`Span::word`: the value plus one, or 0): a core token, as no word is a number, tested by
/// the one flag that finds core words. But for the numbers no expression holds: 201 to 999
/// and 2101 to 9999 are no year, day, decade, count or part of a date (`488 kilometres`),
/// and the scanner need not stop at them.
pub(super) fn number_class(kept: u16) -> u8 {
    match kept.wrapping_sub(1) {
        201..=999 | 2101..=9999 => 0,
        _ => CORE,
    }
}

/// Whether `token` is a number or a core word: every expression holds one.
pub(super) fn is_core(span: &Span) -> bool {
    is_core_class(span.class)
}

/// Whether a token of class `class` is a number or a core word (`is_core`).
pub(super) fn is_core_class(class: u8) -> bool {
    class & CORE != 0
}

/// The table size: a power of two, about three times the number of words, so that each
/// group of words (`Vocabulary::add_group`) soon finds a displacement that puts all of them
/// in free slots.
const SLOTS: usize = 1024;
/// The number of groups words are hashed into, each with its displacement.
const GROUPS: usize = 256;

/// A table from `LowerKey` to class in which each word has exactly one slot, found by one
/// probe: the word's hash picks its group and a home slot, and the group's displacement
/// (`displacements`) moves the home slot to where the word is. The tokenizer asks it of
/// every word, where a table of two slots a word read both. Empty slots hold key 0, the key
/// of no word, with class 0: a word not listed finds either an empty slot or another word's
/// key, and answers 0.
struct Vocabulary {
    keys: [LowerKey; SLOTS],
    classes: [u8; SLOTS],
    /// The month a word of class `MONTH` names (`month_from_name`), 0 for the others.
    months: [u8; SLOTS],
    displacements: [u16; GROUPS],
    /// The multiplier of `Vocabulary::hash`, the first of `MULTIPLIERS` under which no two
    /// words share both their group and their home slot.
    multiplier: u64,
}

/// Multipliers to hash with, tried in turn until the words fit (the first does for the
/// words listed now; the others are there so that a longer list cannot fail to build).
const MULTIPLIERS: [u64; 4] = [
    0xFF51_AFD7_ED55_8CCD,
    0xC4CE_B9FE_1A85_EC53,
    0x9E37_79B9_7F4A_7C15,
    0xD6E8_FEB8_6659_FD93,
];

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

/// Every word of the vocabulary with a class it has (a word may come more than once).
fn classed_words() -> impl Iterator<Item = (&'static [u8], u8)> {
    let seasons = SEASONS.iter().map(|(season, _)| *season);
    let core = seasons.chain(relative::TIME_WORDS).map(|word| (word, CORE));
    let months = MONTH_NAMES.into_iter().map(|word| (word, CORE | MONTH));
    let year_lists = YEAR_LISTS
        .into_iter()
        .flat_map(|(words, class)| words.iter().map(move |&word| (word, class)));
    let inner = start_words()
        .chain(relative::phrase_words())
        .chain([&b"to"[..]])
        .map(|word| (word, INNER));
    start_words().map(|word| (word, START)).chain(inner).chain(
        core.chain(months)
            .chain(year_lists)
            .map(|(word, class)| (word.as_bytes(), class)),
    )
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    // Each word once, with all its classes.
    let mut listed: Vec<(LowerKey, u8)> = classed_words()
        .map(|(word, class)| (relative::key_of(word), class))
        .collect();
    listed.sort_unstable_by_key(|&(key, _)| key);
    let mut words: Vec<(LowerKey, u8)> = Vec::with_capacity(listed.len());
    for (key, class) in listed {
        match words.last_mut() {
            Some((last, classes)) if *last == key => *classes |= class,
            _ => words.push((key, class)),
        }
    }
    MULTIPLIERS
        .into_iter()
        .find_map(|multiplier| Vocabulary::build(&words, multiplier))
        .expect("the vocabulary's words fit its table")
});

impl Vocabulary {
    /// The hash of `key`: its two halves folded, then multiplied so that the top bits, which
    /// pick the group and the home slot, depend on every byte.
    fn hash(&self, key: LowerKey) -> u64 {
        let folded = (key as u64) ^ ((key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        folded.wrapping_mul(self.multiplier)
    }

    /// The group and the home slot of a hash.
    fn group_and_home(hash: u64) -> (usize, usize) {
        const GROUP_BITS: u32 = GROUPS.trailing_zeros();
        const SLOT_BITS: u32 = SLOTS.trailing_zeros();
        let group = (hash >> (64 - GROUP_BITS)) as usize;
        let home = (hash >> (64 - GROUP_BITS - SLOT_BITS)) as usize % SLOTS;
        (group, home)
    }

    /// The word's class and its number (its slot), both 0 for a word not listed.
    fn class(&self, key: LowerKey) -> WordClass {
        let (group, home) = Self::group_and_home(self.hash(key));
        let slot = (home ^ usize::from(self.displacements[group])) % SLOTS;
        // The slot's class masked by whether it holds the key: no branch to mispredict.
        let listed = self.keys[slot] == key;
        let class = self.classes[slot] & 0u8.wrapping_sub(u8::from(listed));
        (class, slot as u16 & 0u16.wrapping_sub(u16::from(listed)))
    }

    /// The table of `words` (each once) under `multiplier`, or `None` when two words share
    /// their group and home slot, which no displacement can part. Groups are placed largest
    /// first, each at the first displacement that puts all its words in free slots.
    fn build(words: &[(LowerKey, u8)], multiplier: u64) -> Option<Vocabulary> {
        let mut vocabulary = Vocabulary {
            keys: [0; SLOTS],
            classes: [0; SLOTS],
            months: [0; SLOTS],
            displacements: [0; GROUPS],
            multiplier,
        };
        let mut groups: Vec<Vec<(usize, LowerKey, u8)>> = vec![Vec::new(); GROUPS];
        for &(key, class) in words {
            let (group, home) = Self::group_and_home(vocabulary.hash(key));
            if groups[group].iter().any(|&(other, _, _)| other == home) {
                return None;
            }
            groups[group].push((home, key, class));
        }
        let mut order: Vec<usize> = (0..GROUPS).collect();
        order.sort_by_key(|&group| std::cmp::Reverse(groups[group].len()));
        for group in order {
            let members = &groups[group];
            if members.is_empty() {
                break;
            }
            let displacement = (0..SLOTS).find(|&displacement| {
                members
                    .iter()
                    .all(|&(home, _, _)| vocabulary.keys[home ^ displacement] == 0)
            })?;
            vocabulary.displacements[group] = u16::try_from(displacement).ok()?;
            for &(home, key, class) in members {
                vocabulary.keys[home ^ displacement] = key;
                vocabulary.classes[home ^ displacement] = class;
                vocabulary.months[home ^ displacement] = month_of_key(key);
            }
        }
        Some(vocabulary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn the_first_multiplier_places_every_word() {
        // Else the table is still right, but built more than once.
        assert_eq!(VOCABULARY.multiplier, MULTIPLIERS[0]);
    }

    #[test]
    fn months_are_the_names_month_from_name_reads() {
        for word in MONTH_NAMES {
            assert!(month_from_name(word).is_some(), "{word}");
            assert_eq!(class(word) & MONTH, MONTH, "{word}");
            assert_eq!(class(&word.to_uppercase()) & MONTH, MONTH, "{word}");
            let (_, number) = VOCABULARY.class(LowerWord::new(word).expect("short").key());
            assert_eq!(month_of(number), month_from_name(word), "{word}");
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

    /// The class of `word` by a search of every list, as the table must answer it.
    fn listed_class(word: &str) -> u8 {
        classed_words()
            .filter(|(listed, _)| listed.eq_ignore_ascii_case(word.as_bytes()))
            .fold(0, |classes, (_, class)| classes | class)
    }

    #[test]
    fn every_listed_word_has_its_classes() {
        for (word, _) in classed_words() {
            let word = std::str::from_utf8(word).expect("a listed word is UTF-8");
            assert_eq!(class(word), listed_class(word), "{word}");
        }
    }

    proptest::proptest! {
        /// The table answers what a search of the lists answers, for any word.
        #[test]
        fn classes_are_the_lists_classes(word in "[A-Za-z]{1,17}|[a-z]{1,3}[’é]?") {
            proptest::prop_assert_eq!(class(&word), listed_class(&word), "{}", word);
        }

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
