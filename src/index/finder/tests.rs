//! Tests of the source finder: the order of its bands, incompleteness, fuzzy matching.

use proptest::prelude::*;

use super::*;
use crate::index::fixtures::source;

fn sources() -> Vec<SourceInfo> {
    infos(vec![
        source(
            "berman2023",
            &["Ilan I. Berman"],
            "2023-02-15",
            "A New Page in the Russo–Iranian Partnership",
            &[],
        ),
        source(
            "berman2019",
            &["Ilan I. Berman"],
            "2019",
            "Iran's Deadly Ambition",
            &[],
        ),
        source(
            "bermanis2020",
            &["Rita Bermanis"],
            "2020",
            "Baltic Ports",
            &[],
        ),
        source(
            "sogaard2021",
            &["Anders Søgaard"],
            "2021",
            "Drones over Tromsø",
            &[],
        ),
        source(
            "quill2025",
            &["Maya Quill"],
            "2025",
            "Berman's critics answered",
            &[],
        ),
        source(
            "roe2023",
            &["Jane Roe"],
            "2023",
            "Kamikaze drones in Ukraine",
            &[],
        ),
    ])
}

fn infos(sources: Vec<crate::corpus::Source>) -> Vec<SourceInfo> {
    sources.into_iter().map(SourceInfo::new).collect()
}

/// `key (matched)` of each match, best first, and whether the list is incomplete.
fn check(typed: &str, limit: usize) -> (Vec<String>, bool) {
    let sources = sources();
    let finder = SourceFinder::build(&sources);
    let (matches, incomplete) = finder.find(typed, limit);
    let scores: Vec<f32> = matches.iter().map(|m| m.score).collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "{scores:?}"
    );
    let shown = matches
        .iter()
        .map(|m| format!("{} ({:?})", sources[m.source as usize].key, m.matched))
        .collect();
    (shown, incomplete)
}

#[test]
fn an_exact_key_comes_before_keys_it_starts() {
    let (found, incomplete) = check("berman2023", 10);
    assert_eq!(found, ["berman2023 (Key)"]);
    assert!(!incomplete);
}

#[test]
fn key_prefixes_then_last_names_then_title_words() {
    let (found, _) = check("berman", 10);
    assert_eq!(
        found,
        [
            "berman2019 (KeyPrefix)",
            "berman2023 (KeyPrefix)",
            "bermanis2020 (KeyPrefix)",
            "quill2025 (Title)",
        ]
    );
}

#[test]
fn last_names_and_title_words_are_found_by_prefix() {
    assert_eq!(check("Quil", 10).0, ["quill2025 (KeyPrefix)"]);
    assert_eq!(check("ilan", 10).0, Vec::<String>::new());
    assert_eq!(
        check("drone", 10).0,
        ["sogaard2021 (Title)", "roe2023 (Title)"]
    );
    assert_eq!(check("kami", 10).0, ["roe2023 (Title)"]);
}

#[test]
fn exact_words_come_before_words_they_start() {
    let sources = infos(vec![
        source("a2020", &["Ann Iranova"], "2020", "Notes", &[]),
        source("b2020", &["Bo Bo"], "2020", "Iran at sea", &[]),
    ]);
    let finder = SourceFinder::build(&sources);
    let (matches, _) = finder.find("iran", 10);
    let keys: Vec<&str> = matches
        .iter()
        .map(|m| sources[m.source as usize].key.as_str())
        .collect();
    assert_eq!(keys, ["b2020", "a2020"]);
}

#[test]
fn accents_and_case_do_not_matter() {
    assert_eq!(check("SØGAARD", 10).0, ["sogaard2021 (KeyPrefix)"]);
    assert_eq!(check("tromsø", 10).0, ["sogaard2021 (Title)"]);
}

#[test]
fn years_and_second_words() {
    assert_eq!(check("2023", 10).0, ["berman2023 (Year)", "roe2023 (Year)"]);
    assert_eq!(check("berman 2019", 10).0, ["berman2019 (Key)"]);
    assert_eq!(check("drones 2021", 10).0, ["sogaard2021 (Title)"]);
    assert_eq!(check("iran 2019", 10).0, ["berman2019 (Title)"]);
}

#[test]
fn misspelt_keys_are_found_last() {
    assert_eq!(check("bermna2023", 10).0, ["berman2023 (Fuzzy)"]);
    assert_eq!(
        check("bremann", 10).0,
        ["berman2019 (Fuzzy)", "berman2023 (Fuzzy)"]
    );
    assert_eq!(check("sgrd", 10).0, ["sogaard2021 (Fuzzy)"]);
    assert_eq!(check("zzzz", 10).0, Vec::<String>::new());
}

#[test]
fn more_than_the_limit_is_incomplete() {
    let (found, incomplete) = check("", 2);
    assert_eq!(found, ["berman2019 (KeyPrefix)", "berman2023 (KeyPrefix)"]);
    assert!(incomplete);
    let (found, incomplete) = check("berman", 4);
    assert_eq!(found.len(), 4);
    assert!(!incomplete);
    let (found, incomplete) = check("berman", 0);
    assert!(found.is_empty());
    assert!(incomplete);
}

proptest! {
    #[test]
    fn any_typed_text_is_answered_without_panicking(typed in "\\PC{0,30}", limit in 0usize..8) {
        let sources = sources();
        let finder = SourceFinder::build(&sources);
        let (matches, _) = finder.find(&typed, limit);
        prop_assert!(matches.len() <= limit);
        let mut seen = HashSet::new();
        for found in matches {
            prop_assert!(seen.insert(found.source));
        }
    }
}

#[test]
fn nearest_key_for_a_misspelt_citation() {
    let finder = SourceFinder::build(&sources());
    let keys = sources();
    let nearest = |typed: &str| {
        finder
            .nearest_key(typed, 3)
            .map(|source| keys[source as usize].key.clone())
    };
    assert_eq!(
        nearest("berman2032").as_deref(),
        Some("berman2023"),
        "swapped digits"
    );
    assert_eq!(nearest("Bermann2023").as_deref(), Some("berman2023"));
    assert_eq!(
        nearest("vberman2019").as_deref(),
        Some("berman2019"),
        "a letter before"
    );
    assert_eq!(
        nearest("verman2019"),
        None,
        "a changed first letter is not looked for"
    );
    assert_eq!(nearest("søgard2021").as_deref(), Some("sogaard2021"));
    assert_eq!(nearest("smith2020"), None);
    assert_eq!(nearest(""), None);
}

proptest! {
    /// Against the names of the keys sorted and deduplicated apart.
    #[test]
    fn the_names_of_sorted_keys_are_the_sorted_names(
        keys in prop::collection::vec("[ab0-9]{0,5}", 0..12),
    ) {
        let mut keys: Vec<(Box<str>, u32)> = keys
            .into_iter()
            .enumerate()
            .map(|(index, key)| (key.into(), index as u32))
            .collect();
        keys.sort_unstable();
        let mut expected: Vec<Box<str>> = keys.iter().map(|(key, _)| key_name(key).into()).collect();
        expected.retain(|name| !name.is_empty());
        expected.sort_unstable();
        expected.dedup();
        prop_assert_eq!(names_of_sorted(&keys), expected);
    }
}
