//! Unit tests of name candidates: titles, runs, acronyms, and what the lexicon already knows.

use super::*;

/// The names the lexicon does not know, with their kind and title.
fn unknown(text: &str) -> Vec<(String, Guess, Option<String>)> {
    Reader::new(Lexicon::built_in())
        .candidates(text, 0..text.len())
        .into_iter()
        .filter_map(|c| match c {
            Candidate::Unknown {
                name, kind, title, ..
            } => Some((name, kind, title.map(|t| text[t].to_string()))),
            Candidate::Known { .. } => None,
        })
        .collect()
}

/// The names the lexicon does not know, with their kind.
fn kinds(text: &str) -> Vec<(String, Guess)> {
    unknown(text)
        .into_iter()
        .map(|(name, kind, _)| (name, kind))
        .collect()
}

fn person(name: &str, title: Option<&str>) -> (String, Guess, Option<String>) {
    (
        name.to_string(),
        Guess::Kind(EntityKind::Person),
        title.map(str::to_string),
    )
}

#[test]
fn a_name_after_and_has_its_own_title() {
    assert_eq!(
        unknown("They met Chief Justice Amara Feld and Governor Tomas Reyl yesterday."),
        vec![
            person("Amara Feld", Some("Chief Justice")),
            person("Tomas Reyl", Some("Governor")),
        ]
    );
}

#[test]
fn bodies_joined_by_and_are_two_names() {
    let names: Vec<String> = unknown(
        "The bill went to the Assembly and Senate, then to the Tarvo Party and the \
         Harbour Commission.",
    )
    .into_iter()
    .map(|(name, _, _)| name)
    .collect();
    assert_eq!(
        names,
        ["Assembly", "Senate", "Tarvo Party", "Harbour Commission"]
    );
    // One name: what stands before `and` is no name on its own.
    let one = unknown("She joined the Fisheries and Forestry Board.");
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].0, "Fisheries and Forestry Board");
}

#[test]
fn empires_and_kingdoms_are_places_and_agreements_things() {
    let kinds = kinds("The Varno Empire fell; the Kesh Kingdom signed the Lorn Agreements.");
    assert_eq!(
        kinds,
        [
            ("Varno Empire".to_string(), Guess::Kind(EntityKind::Place)),
            ("Kesh Kingdom".to_string(), Guess::Kind(EntityKind::Place)),
            (
                "Lorn Agreements".to_string(),
                Guess::Kind(EntityKind::Other)
            ),
        ]
    );
}

#[test]
fn a_name_that_opens_with_a_demonym_is_no_person() {
    let found = unknown("Trade with German Velmoria grew.");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "German Velmoria");
    assert_eq!(found[0].1, Guess::Kind(EntityKind::Other));
}

/// Words of prose as name recognition meets them: plain words, connectors, locatives,
/// capitals, titles, initials, known names (some with lower-case words), numbers, marks.
const PROSE_WORD: &str = "(the|of|and|and|Riyadh|Damascus|Gulf|Council|Bosnia|Herzegovina|International Monetary Fund|Food|Agriculture|Organization|for|in|from|at|de|bin|al|la|y|said|were|officials|territory|occupied|preoccupied|administration|government|oPt|may|[a-z]{1,9}|[0-9]{1,4}|May|Iran|Iranian|Russian|Tehran|Palestinian|United|States|Islamic|Republic|U\\.S\\.|J\\.|Putin's|States'|O'Brien|O’Brien|Minister|Foreign|President|Prime|Ministry|Finance|Party|Élysée|Tromsø|naïve|[A-Z][a-z]{1,6}|JCPOA|\\(JCPOA\\)|don't|it’s|é)";
const PROSE_GLUE: &str = "( | |  | |, |\\. |-|'| ’|’ | — | “|” |; |: | \\(|\\) |\n|\\.|)";

proptest::proptest! {
    /// Passing over plain prose finds the candidates that reading every word finds.
    #[test]
    fn passing_over_prose_finds_what_reading_every_word_finds(
        words in proptest::collection::vec(PROSE_WORD, 0..60),
        glue in proptest::collection::vec(PROSE_GLUE, 60),
    ) {
        let text: String = words
            .iter()
            .zip(&glue)
            .flat_map(|(w, g)| [w.as_str(), g.as_str()])
            .collect();
        let lexicon = Lexicon::built_in();
        let mut passing = Reader::new(lexicon);
        proptest::prop_assert!(passing.skip.is_some());
        let mut reading = Reader::new(lexicon);
        reading.skip = None;
        proptest::prop_assert_eq!(
            passing.candidates(&text, 0..text.len()),
            reading.candidates(&text, 0..text.len()),
            "in {:?}",
            text
        );
    }
}

#[test]
fn prose_is_passed_over_only_where_the_lexicon_allows() {
    use crate::config::{EntityConfig, EntityKindConfig};
    let with = |alias: &str| {
        Lexicon::build(&[EntityConfig {
            name: "Ann Lee".into(),
            kind: EntityKindConfig::Person,
            aliases: vec![alias.into()],
            description: None,
        }])
    };
    // A form without capitals, one that opens with a symbol, one that reaches past a plain
    // word into more plain words.
    for alias in ["the bank", "#Ann", "town hall Ann"] {
        assert!(with(alias).prose_skip().is_none(), "{alias}");
    }
    assert!(with("Ann Lee of the Ridge").prose_skip().is_some());
}

/// The candidates of `text`, every word read and every run read by `read_run`: what the
/// shortcut for runs of known names (`read_known_run`) must find too.
fn candidates_by_read_run(text: &str) -> Vec<Candidate<'static>> {
    let lexicon = Lexicon::built_in();
    let mut words = Words::default();
    crate::extract::tokens::tokenize_into(text, 0..text.len(), &mut words);
    let mut matches = Vec::new();
    lexicon.find_in_runs(text, words.runs.iter().cloned(), 0, &mut matches);
    let mut covering = Vec::new();
    cover(&words.tokens, &matches, &mut covering);
    let known = KnownNames {
        matches: &matches,
        covering: &covering,
        next: Cell::new(0),
    };
    let (mut found, mut parts) = (Vec::new(), Vec::new());
    let tokens = &words.tokens;
    let mut at = 0;
    while at < tokens.len() {
        let Some(run) = run_at(text, tokens, at, &known) else {
            at += 1;
            continue;
        };
        at = run.end;
        let mut buffers = Buffers {
            found: &mut found,
            parts: &mut parts,
        };
        read_run(text, tokens, run, &known, lexicon, &mut buffers);
    }
    found
}

proptest::proptest! {
    /// Runs of known names are found as `read_run` finds them.
    #[test]
    fn known_runs_are_read_as_read_run_reads_them(
        words in proptest::collection::vec(PROSE_WORD, 0..40),
        glue in proptest::collection::vec(PROSE_GLUE, 40),
    ) {
        let text: String = words
            .iter()
            .zip(&glue)
            .flat_map(|(w, g)| [w.as_str(), g.as_str()])
            .collect();
        let mut reader = Reader::new(Lexicon::built_in());
        reader.skip = None;
        proptest::prop_assert_eq!(
            reader.candidates(&text, 0..text.len()),
            candidates_by_read_run(&text),
            "in {:?}",
            text
        );
    }
}

#[test]
fn a_title_in_lower_case_before_a_name_makes_it_a_person() {
    assert_eq!(
        unknown("Chief executive Tarmo Velde said the port would grow."),
        vec![person("Tarmo Velde", Some("Chief executive"))]
    );
    assert_eq!(
        unknown("The plan was backed by finance minister Rose Okafor and others."),
        vec![person("Rose Okafor", Some("finance minister"))]
    );
    // A title word that is as often something else opens no title on its own.
    let general = unknown("The fleet in general Amber Sound was calm.");
    assert!(
        general.iter().all(|(_, _, title)| title.is_none()),
        "{general:?}"
    );
}

#[test]
fn an_apposition_before_a_name_is_its_title() {
    assert_eq!(
        unknown("Critics, including the mayor of Tarvo, Rose Velde, disagreed."),
        vec![
            ("Tarvo".to_string(), Guess::SingleWord, None),
            person("Rose Velde", Some("mayor of Tarvo")),
        ]
    );
    assert_eq!(
        unknown("The authority's head, Amber Okafor, resigned."),
        vec![person("Amber Okafor", Some("authority's head"))]
    );
    // No determiner opens the phrase: no title.
    let plain = unknown("Ports grew, Amber Okafor said.");
    assert!(
        plain.iter().all(|(_, _, title)| title.is_none()),
        "{plain:?}"
    );
}

#[test]
fn an_apposition_after_a_name_tells_its_kind() {
    let kinds = kinds(
        "Empresa Portuaria Tarvo, the state-owned port operator, hired Tomas Reyl, a \
         former mayor of the port city, at Velde Kask, a small fishing port.",
    );
    assert_eq!(
        kinds,
        [
            (
                "Empresa Portuaria Tarvo".to_string(),
                Guess::Kind(EntityKind::Organization)
            ),
            // `a former mayor of …`: no kind told, the name keeps its shape's.
            ("Tomas Reyl".to_string(), Guess::Kind(EntityKind::Person)),
            ("Velde Kask".to_string(), Guess::Kind(EntityKind::Place)),
        ]
    );
}

#[test]
fn a_phrase_after_an_opening_place_is_no_apposition() {
    let kinds = kinds(
        "In Tarvo Kask, the state miner, Velde Reyl, spoke. Tomas Lind, the Swedish state \
         miner\nLKAB is moving a whole town centre to make room.",
    );
    assert_eq!(
        kinds,
        [
            ("Tarvo Kask".to_string(), Guess::Kind(EntityKind::Place)),
            ("Velde Reyl".to_string(), Guess::Kind(EntityKind::Person)),
            // A wrapped line does not end the phrase after a name.
            ("Tomas Lind".to_string(), Guess::Kind(EntityKind::Person)),
            ("LKAB".to_string(), Guess::Kind(EntityKind::Organization)),
        ]
    );
}
