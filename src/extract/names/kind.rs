//! What kind of entity a name is, from its own words (the head noun, the shape of a
//! person's name) and from the word before it.

use super::Guess;
use crate::extract::lexicon::{EntityKind, Lexicon};
use crate::extract::scan::LowerWord;
use crate::extract::tokens::{Token, is_acronym, is_capitalized};
use crate::extract::words::{
    HeadKind, LOCATIVE_PREPOSITIONS, head_kind, is_name_particle, with_capitalized,
};

/// The kind the words of a name suggest: its head noun's (`Ministry`, `Sea`), else a
/// person's when it is shaped like a person's name, else `Other`; one word with nothing
/// to tell is a `SingleWord`, for resolution to decide.
pub(super) fn guess_kind(text: &str, core: &[Token], has_title: bool, lexicon: &Lexicon) -> Guess {
    // Most names have a few words: on the stack, where a vector cost an allocation.
    let mut few = [""; 8];
    let many: Vec<&str>;
    let words: &[&str] = if core.len() <= few.len() {
        for (slot, token) in few.iter_mut().zip(core) {
            *slot = token.text(text);
        }
        &few[..core.len()]
    } else {
        many = core.iter().map(|t| t.text(text)).collect();
        &many
    };
    // The head noun stands before `of`/`for` (`Plan of Action`), or last.
    let head = words
        .iter()
        .position(|w| matches!(*w, "of" | "for" | "on"))
        .map_or(words.len() - 1, |of| of.saturating_sub(1));
    // Else the last word that is a head noun, the head itself not asked again.
    let other_heads = || {
        (0..words.len())
            .rev()
            .filter(|&at| at != head)
            .find_map(|at| head_kind(words[at]))
    };
    if let Some(kind) = head_kind(words[head]).or_else(other_heads) {
        return Guess::Kind(entity_kind(kind));
    }
    if words.len() == 1 {
        return if may_be_acronym(words[0]) && is_acronym(words[0]) {
            Guess::Kind(EntityKind::Organization)
        } else if has_title {
            Guess::Kind(EntityKind::Person)
        } else {
            Guess::SingleWord
        };
    }
    let person_shaped = is_person_shaped(words);
    // `Iron Dome`: a name that opens with an ordinary word is a thing, unless a title
    // says it is a person (the word list is looked at only then).
    if person_shaped && (has_title || !lexicon.is_common_word(words[0])) {
        Guess::Kind(EntityKind::Person)
    } else {
        Guess::Kind(EntityKind::Other)
    }
}

fn entity_kind(head: HeadKind) -> EntityKind {
    match head {
        HeadKind::Organization => EntityKind::Organization,
        HeadKind::Place => EntityKind::Place,
        HeadKind::Event => EntityKind::Event,
        HeadKind::Other => EntityKind::Other,
    }
}

/// The kind an apposition after a name gives it, by its head noun: `Empresa Portuaria
/// Austral, the state-owned port operator,` is an organisation; `Tema, a fishing port,` a
/// place. The phrase is an article and up to six words, in lower case where it ends, with
/// no preposition or clause in it (`the chair of the board` is no board).
pub(super) fn kind_in_apposition(text: &str, name_end: usize) -> Option<EntityKind> {
    let rest = text.get(name_end..)?.strip_prefix(", ")?;
    let phrase = ["the ", "a ", "an "]
        .iter()
        .find_map(|article| rest.strip_prefix(article))?;
    // Closed by punctuation, as an apposition is; a wrapped line goes on.
    let phrase = &phrase[..phrase.find([',', ';', '.', '(', ')', ':'])?];
    let mut last = "";
    for (words, word) in phrase.split_whitespace().enumerate() {
        if APPOSITION_STOPS.contains(&word) || words == MAX_APPOSITION_WORDS {
            return None;
        }
        last = word;
    }
    if !last.chars().next().is_some_and(char::is_lowercase) {
        return None;
    }
    if let Some(kind) = APPOSITION_NOUNS
        .iter()
        .find_map(|(nouns, kind)| nouns.contains(&last).then_some(*kind))
    {
        return Some(kind);
    }
    with_capitalized(last, head_kind).map(entity_kind)
}

/// Common nouns that say what an organisation or a place is in an apposition (`a shipping
/// firm`, `a port town`), besides the head nouns of names (`Authority`, `Port`).
#[rustfmt::skip]
const APPOSITION_NOUNS: [(&[&str], EntityKind); 2] = [
    (
        &[
            "company", "firm", "operator", "carrier", "conglomerate", "lender", "insurer",
            "utility", "manufacturer", "producer", "miner", "exporter", "importer", "shipper",
            "developer", "consultancy", "newspaper", "broadcaster", "charity", "regulator",
            "subsidiary", "shipyard", "airline", "automaker", "carmaker", "bank", "party",
            "agency", "authority", "ministry", "union", "militia", "government", "university",
        ],
        EntityKind::Organization,
    ),
    (
        &[
            "city", "town", "village", "port", "capital", "country", "province", "region",
            "state", "island", "district", "suburb", "neighbourhood", "neighborhood",
            "municipality", "enclave", "settlement", "oblast", "county",
        ],
        EntityKind::Place,
    ),
];

/// The most words of an apposition that tells a name's kind, after its article.
const MAX_APPOSITION_WORDS: usize = 6;

/// Words after which the apposition's last word is no longer its head (`the chair of the
/// board`, `a company that owns the port`).
#[rustfmt::skip]
const APPOSITION_STOPS: &[&str] = &[
    "of", "for", "from", "in", "at", "on", "by", "with", "to", "and", "or", "who", "which",
    "that", "whose", "where", "than", "as",
];

/// Two to five words besides particles, each capitalised, no acronym and no digit in it
/// (`Hassan Rouhani`, `Ursula von der Leyen`).
fn is_person_shaped(words: &[&str]) -> bool {
    let mut name_words = 0;
    for word in words.iter().filter(|w| !is_name_particle(w)) {
        let shaped = is_capitalized(word)
            && !(may_be_acronym(word) && is_acronym(word))
            && !word.bytes().any(|b| b.is_ascii_digit());
        if !shaped {
            return false;
        }
        name_words += 1;
    }
    (2..=5).contains(&name_words)
}

/// False for a word whose second byte is a lower-case ASCII letter, which no acronym has:
/// most names' words, told without `is_acronym`'s count of letters.
fn may_be_acronym(word: &str) -> bool {
    !word.as_bytes().get(1).is_some_and(u8::is_ascii_lowercase)
}

/// `in`, `near`, `across`…: a name after one is likely a place.
pub(super) fn is_locative_preposition(word: &str) -> bool {
    // An ASCII word is lower-cased on the stack; any other takes Unicode's lower case.
    match LowerWord::new(word).filter(|_| word.is_ascii()) {
        Some(lower) => is_lower_locative_preposition(lower.as_str()),
        None => is_lower_locative_preposition(&word.to_lowercase()),
    }
}

fn is_lower_locative_preposition(word: &str) -> bool {
    LOCATIVE_PREPOSITIONS.contains(&word)
}
