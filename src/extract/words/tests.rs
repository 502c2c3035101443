//! Unit tests of the closed word classes: the filters before each lookup turn no word away.

use super::*;

/// The title tests as first written, one set lookup each and the singular tried.
fn is_title_head_by_sets(word: &str) -> bool {
    let singular = word
        .strip_suffix('s')
        .filter(|stem| stem.len() > 3)
        .unwrap_or(word);
    TITLE_HEADS.contains(&word) || TITLE_HEADS.contains(&singular)
}

fn is_title_modifier_by_sets(word: &str) -> bool {
    is_title_head_by_sets(word) || TITLE_MODIFIERS.contains(&word)
}

/// Month and weekday names, their abbreviations and other words, in several cases:
/// the filter before the lookups turns none away.
#[test]
fn calendar_words_as_the_lookups_alone_tell_them() {
    let by_lookups = |word: &str| {
        crate::edtf::month_from_name(word).is_some_and(|_| word.len() > 3 || word.ends_with('.'))
            || matches!(
                word,
                "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday"
            )
    };
    let names = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "Sept",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Tehran",
        "Riyadh",
        "",
        "Ä",
        "Mayday",
    ];
    for name in names {
        let variants = [
            name.to_string(),
            name.to_lowercase(),
            name.to_uppercase(),
            format!("{name}."),
            name.chars().take(3).collect(),
            format!("{}.", name.chars().take(3).collect::<String>()),
            format!("{name}s"),
        ];
        for word in variants {
            assert_eq!(is_calendar_word(&word), by_lookups(&word), "{word}");
        }
    }
}

/// The filter before the lookup turns no head noun away.
#[test]
fn every_head_noun_has_a_kind() {
    for list in [ORGANIZATION_HEADS, PLACE_HEADS, EVENT_HEADS, OTHER_HEADS] {
        for &word in list {
            assert!(head_kind(word).is_some(), "{word}");
        }
    }
    assert!(head_kind("Tehran").is_none() && head_kind("council").is_none());
    assert!(head_kind("").is_none() && head_kind("C").is_none());
}

/// The filters before the comparisons turn no connector or particle away.
#[test]
fn connectors_and_particles_pass_their_filters() {
    for &word in NAME_PARTICLES {
        assert!(is_name_particle(word) && is_connector(word), "{word}");
    }
    // Nothing but the list's words is a particle.
    let short_words = (b'a'..=b'z').flat_map(|a| {
        (b'a'..=b'z').flat_map(move |b| {
            [
                String::from(char::from(a)),
                format!("{}{}", char::from(a), char::from(b)),
            ]
        })
    });
    for word in short_words.chain(["dos", "das", "del", "della", "der", "den"].map(String::from)) {
        assert_eq!(
            is_name_particle(&word),
            NAME_PARTICLES.contains(&word.as_str()),
            "{word}"
        );
    }
    for word in ["of", "for", "on", "the", "and", "&"] {
        assert!(is_connector(word) && !is_name_particle(word), "{word}");
    }
    for word in ["", "De", "dell", "these", "a", "Of", "thee", "vanity"] {
        assert!(!is_connector(word) && !is_name_particle(word), "{word}");
    }
}

#[test]
fn function_words_in_any_case() {
    for &word in FUNCTION_WORDS {
        assert!(is_function_word(word), "{word}");
        assert!(is_function_word(&word.to_uppercase()), "{word}");
        assert!(!is_function_word(&format!("{word}x")), "{word}");
    }
    assert!(!is_function_word("thé") && !is_function_word("nevertheless-and-then-some"));
    // Unicode's lower case folds the Kelvin sign into `k`.
    assert!(is_function_word("li\u{212A}e") && is_function_word("UNLI\u{212A}E"));
}

proptest::proptest! {
    /// The table answers as the list does of each word's Unicode lower case.
    #[test]
    fn function_words_are_told_as_the_list_tells_them(
        word in "(the|an|like|unlike|whose|[a-zA-Z\u{212A}é]{0,4})[a-zA-Z\u{212A}]{0,2}"
    ) {
        let by_list = FUNCTION_WORDS.contains(&word.to_lowercase().as_str());
        proptest::prop_assert_eq!(is_function_word(&word), by_list, "{:?}", word);
    }
}

/// The filter before the lookup turns no word away that Unicode's lower case makes a
/// function word: the only letter outside ASCII that folds into ASCII is the Kelvin sign.
#[test]
fn only_the_kelvin_sign_folds_into_ascii() {
    let folding: Vec<char> = ('\u{80}'..=char::MAX)
        .filter(|c| c.to_lowercase().any(|l| l.is_ascii()))
        .collect();
    assert_eq!(folding, ['\u{130}', '\u{212A}']);
    // U+0130 folds into `i` and a combining dot, which is no ASCII word.
    assert!(!"\u{130}".to_lowercase().is_ascii());
}

#[test]
fn one_lookup_answers_as_the_sets_did() {
    let words = TITLE_HEADS.iter().chain(TITLE_MODIFIERS).flat_map(|&word| {
        [
            word.to_string(),
            format!("{word}s"),
            format!("{word}ss"),
            word.to_lowercase(),
            word[..word.len() - 1].to_string(),
        ]
    });
    for word in words.chain(["Mrs", "Dr.s", "Heads", "Sirs", "Ms", "", "s"].map(String::from)) {
        assert_eq!(is_title_head(&word), is_title_head_by_sets(&word), "{word}");
        assert_eq!(
            is_title_modifier(&word),
            is_title_modifier_by_sets(&word),
            "{word}"
        );
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

/// The filter before `lower_case_title` turns no title word away, in either case.
#[test]
fn the_lower_case_title_filter_turns_no_title_word_away() {
    for word in TITLE_HEADS.iter().chain(TITLE_MODIFIERS) {
        for form in [
            word.to_string(),
            word.to_lowercase(),
            format!("{}s", word.to_lowercase()),
        ] {
            let told = lower_case_title(&form).is_some() || is_title_modifier(&form);
            if told {
                assert!(may_be_lower_case_title_word(form.as_bytes()), "{form}");
            }
        }
    }
    assert!(!may_be_lower_case_title_word(b""));
}
