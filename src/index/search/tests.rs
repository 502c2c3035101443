//! Tests of the paragraph search: ranking, prefixes, accents, stop words, determinism.

use proptest::prelude::*;

use super::*;
use crate::index::fixtures::source;

fn sources() -> Vec<Source> {
    vec![
        source(
            "roe2021",
            &["Jane Roe"],
            "2021-03-02",
            "Turkey at sea",
            &[
                "Turkey sent warships to the Aegean in the spring.",
                "The drone programme of Turkey expanded, and a drone flew over Cyprus.",
                "Nothing in this paragraph is about aircraft.",
            ],
        ),
        source(
            "lindqvist2022",
            &["Eva Lindqvist"],
            "2022",
            "Winter notes",
            &[
                "Shahed drones struck Kyiv; the kamikaze drones were Iranian.",
                "In Tromsø the winter was cold and the harbour froze.",
            ],
        ),
        source("empty2020", &["No Body"], "2020", "Nothing", &[]),
        source(
            "doe2023",
            &["John Doe"],
            "2023",
            "Repeats",
            &[
                "A kamikaze pilot in 1945.",
                "Harbour cranes and harbour walls.",
            ],
        ),
    ]
}

/// `key ¶n` of each hit, best first.
fn check(search: &ParagraphSearch, sources: &[Source], query: &str, limit: usize) -> Vec<String> {
    search
        .search(query, limit)
        .iter()
        .map(|hit| format!("{} ¶{}", sources[hit.source as usize].key, hit.paragraph))
        .collect()
}

#[test]
fn the_paragraph_with_every_word_ranks_first() {
    let sources = sources();
    let search = ParagraphSearch::build(&sources);
    // Then BM25's order: `drone` twice in a paragraph outweighs `kamikaze` once.
    assert_eq!(
        check(&search, &sources, "kamikaze drones", 10),
        ["lindqvist2022 ¶1", "roe2021 ¶2", "doe2023 ¶1"]
    );
}

#[test]
fn the_word_being_typed_matches_as_a_prefix() {
    let sources = sources();
    let search = ParagraphSearch::build(&sources);
    assert_eq!(
        check(&search, &sources, "kamikaze dro", 2),
        ["lindqvist2022 ¶1", "roe2021 ¶2"]
    );
    // Once a space follows it, the word is whole: `dro` is no term.
    assert_eq!(check(&search, &sources, "dro ", 10), Vec::<String>::new());
    assert_eq!(
        check(&search, &sources, "harb", 10),
        ["doe2023 ¶2", "lindqvist2022 ¶2"]
    );
}

#[test]
fn accents_and_case_are_folded_on_both_sides() {
    let sources = sources();
    let search = ParagraphSearch::build(&sources);
    assert_eq!(check(&search, &sources, "tromso", 10), ["lindqvist2022 ¶2"]);
    assert_eq!(check(&search, &sources, "TROMSØ", 10), ["lindqvist2022 ¶2"]);
    assert_eq!(
        check(&search, &sources, "Tromsø ", 10),
        ["lindqvist2022 ¶2"]
    );
}

#[test]
fn stop_words_alone_find_nothing() {
    let sources = sources();
    let search = ParagraphSearch::build(&sources);
    assert!(search.search("the and of", 10).is_empty());
    assert!(search.search("in the", 10).is_empty());
    assert!(search.search("", 10).is_empty());
    assert!(search.search("  —  ", 10).is_empty());
}

#[test]
fn limit_keeps_the_best_and_ties_go_in_source_order() {
    let twin = "Identical words about a harbour.";
    let sources = vec![
        source("a2020", &["A"], "2020", "A", &["unrelated", twin]),
        source("b2020", &["B"], "2020", "B", &[twin]),
        source("c2020", &["C"], "2020", "C", &[twin]),
    ];
    let search = ParagraphSearch::build(&sources);
    assert_eq!(
        check(&search, &sources, "harbour", 10),
        ["a2020 ¶2", "b2020 ¶1", "c2020 ¶1"]
    );
    assert_eq!(
        check(&search, &sources, "harbour", 2),
        ["a2020 ¶2", "b2020 ¶1"]
    );
    assert!(search.search("harbour", 0).is_empty());
    let hits = search.search("identical harbour", 3);
    assert_eq!(hits[0].score.to_bits(), hits[1].score.to_bits());
}

#[test]
fn batches_of_tiny_chunks_merge_to_the_search_of_one_chunk() {
    let sources = sources();
    let whole = ParagraphSearch::build(&sources);
    let mut split = SearchBuilder::with_smallest_chunk(1);
    for batch in sources.chunks(2) {
        split.add(batch);
    }
    let split = split.finish();
    assert_eq!(whole.term_count(), split.term_count());
    for query in [
        "kamikaze drones",
        "harbour",
        "turkey drone cyprus",
        "w",
        "kamikaze dr",
    ] {
        assert_eq!(whole.search(query, 10), split.search(query, 10), "{query}");
    }
    assert_eq!(whole.dictionary.terms, split.dictionary.terms);
    assert_eq!(whole.dictionary.postings, split.dictionary.postings);
    assert_eq!(whole.dictionary.doc_freq, split.dictionary.doc_freq);
}

#[test]
fn kamikaze_drones_in_the_seed_is_berman_paragraph_13() {
    let corpus = crate::corpus::load_bundled();
    let search = ParagraphSearch::build(&corpus.sources);
    for query in ["kamikaze drones", "kamikaze dro", "Kamikaze Drone"] {
        let hits = search.search(query, 5);
        let first = hits.first().expect(query);
        assert_eq!(
            (
                corpus.sources[first.source as usize].key.as_str(),
                first.paragraph
            ),
            ("berman2023", 13),
            "{query}"
        );
    }
    assert_eq!(search.paragraph_count(), 20);
}

proptest! {
    #[test]
    fn any_query_is_answered_without_panicking(query in "\\PC{0,40}", limit in 0usize..20) {
        let sources = sources();
        let search = ParagraphSearch::build(&sources);
        let hits = search.search(&query, limit);
        prop_assert!(hits.len() <= limit);
        for hit in hits {
            prop_assert!(hit.paragraph >= 1);
            prop_assert!(hit.score.is_finite());
        }
    }
}

#[test]
fn runs_of_about_a_size_cover_every_item_in_order() {
    assert_eq!(runs_of_about([3, 3, 3, 1], 5), [0..2, 2..4]);
    assert_eq!(runs_of_about([9, 1], 5), [0..1, 1..2]);
    assert_eq!(runs_of_about([usize::MAX, 1], 5), [0..1, 1..2]);
    assert!(runs_of_about([], 5).is_empty());
}
