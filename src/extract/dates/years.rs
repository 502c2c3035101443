//! When a four-digit number in prose is a year and not a count, a page or a name: the
//! judgement behind `in 1991` (a year) and `in 2000 troops` (a count).

use super::Context;
use super::vocabulary::{DATED_NOUN, DETERMINER, NOT_AFTER, NOT_BEFORE};
use super::written::year_at;
use crate::extract::scan::{APOSTROPHES, DASHES, Kind, Token};

/// Words before a number that make it a page, a resolution or a flight, never a year.
#[rustfmt::skip]
pub(super) const NOT_BEFORE_YEAR: &[&str] = &[
    "p", "pp", "page", "pages", "para", "paras", "paragraph", "no", "nos", "number", "vol",
    "volume", "chapter", "ch", "section", "sec", "art", "article", "figure", "fig", "table",
    "line", "lines", "flight", "route", "resolution", "resolutions", "item", "model", "room",
    "ref", "id", "code", "box", "suite", "unit", "highway", "bus", "about", "some", "nearly",
    "than", "approximately", "roughly", "almost", "least", "exactly", "another", "additional",
];

/// Words after a number that make it a count or a measure.
#[rustfmt::skip]
pub(super) const NOT_AFTER_YEAR: &[&str] = &[
    "percent", "per", "pc", "troops", "soldiers", "people", "persons", "men", "women",
    "children", "civilians", "refugees", "km", "kilometres", "kilometers", "miles", "mi",
    "metres", "meters", "m", "ft", "feet", "kg", "tonnes", "tons", "t", "mw", "megawatts", "gw",
    "barrels", "bpd", "hours", "hrs", "h", "gmt", "utc", "dollars", "euros", "rubles",
    "roubles", "rials", "units", "drones", "missiles", "rockets", "tanks", "vehicles",
    "aircraft", "jets", "planes", "ships", "vessels", "cases", "deaths", "dead", "killed",
    "wounded", "casualties", "votes", "members", "employees", "workers", "jobs", "words",
    "households", "families", "students", "hectares", "acres", "times", "points", "seats",
    "fighters", "militants", "prisoners", "detainees", "residents", "protesters", "copies",
    "shells", "rounds", "sq", "square", "years", "months", "days", "weeks",
];

/// Nouns a year can qualify as an adjective: `the 2015 elections`, `the 2014 war`.
#[rustfmt::skip]
pub(super) const DATED_NOUNS: &[&str] = &[
    "election", "elections", "war", "wars", "agreement", "deal", "accord", "accords", "treaty",
    "summit", "invasion", "census", "budget", "report", "referendum", "crisis", "revolution",
    "coup", "protests", "uprising", "talks", "campaign", "law", "act", "attack", "attacks",
    "conflict", "ceasefire", "truce", "visit", "meeting", "decision", "sanctions", "offensive",
    "earthquake", "pandemic", "outbreak", "strike", "strikes", "operation", "plan", "strategy",
    "constitution", "negotiations", "survey", "poll", "vote", "framework", "memorandum",
    "declaration", "massacre", "siege", "speech", "doctrine", "program", "programme",
    "annexation", "deadline", "edition", "season", "games", "cup", "olympics", "review",
];

/// Words after which a year may stand as an adjective: `the 2015 deal`, `Russia's 2022 war`.
#[rustfmt::skip]
pub(super) const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "his", "her", "their", "our", "this", "that", "these", "those",
    "whose", "s",
];

/// Whether the year-only date in tokens `start..end` is a year and not a count: `supported`
/// when a preposition, a modifier or an interval already says it is one.
pub(super) fn year_is_date(context: &Context, start: usize, end: usize, supported: bool) -> bool {
    let before = start.checked_sub(1).and_then(|k| context.token(k));
    let after = context.token(end);
    let glued_before = before.is_some_and(|b| context.joined(start) && b.kind() != Kind::Punct)
        || before.is_some_and(|b| b.is_punct("$€£¥#:.,") && context.joined(start))
        || (before.is_some_and(|b| b.is_punct(DASHES))
            && context.joined(start)
            && start >= 2
            && context.joined(start - 1)
            && !context.any_word(start - 2, &["mid", "early", "late", "pre", "post"]));
    let glued_after =
        after.is_some_and(|a| context.joined(end) && (a.kind() != Kind::Punct || a.is_punct("%:")));
    if glued_before || glued_after {
        return false;
    }
    let page = |k: usize| context.token(k).is_some_and(|t| in_list(t, NOT_BEFORE));
    if start > 0 && page(start - 1) || start > 1 && context.punct(start - 1, ".") && page(start - 2)
    {
        return false;
    }
    if after.is_some_and(|a| in_list(a, NOT_AFTER)) {
        return false;
    }
    // `in 1991 and 1992`: a year listed after a year.
    let listed = start >= 2
        && context
            .token(start - 1)
            .is_some_and(|b| b.is_any_word(&["and", "or"]) || b.is_punct(","))
        && year_at(context, start - 2).is_some();
    if supported
        || listed
        || before.is_some_and(|b| b.is_punct("("))
        || after.is_some_and(|a| a.is_punct(")"))
    {
        return true;
    }
    let after_determiner = match before {
        None => true,
        Some(b) if b.is_punct(".(:;\"“") => true,
        Some(b) if b.is_word("s") => start >= 2 && context.punct(start - 2, APOSTROPHES),
        Some(b) => in_list(b, DETERMINER),
    };
    let names_something = after.is_some_and(|a| a.is_capitalised() || in_list(a, DATED_NOUN))
        || after.is_some_and(|a| a.kind() == Kind::Word && !a.is_capitalised())
            && context
                .token(end + 1)
                .is_some_and(|t| in_list(t, DATED_NOUN));
    after_determiner && names_something
}

/// Whether `token` is a word of the list whose vocabulary class is `list` (`NOT_BEFORE`,
/// `NOT_AFTER`, `DATED_NOUN`, `DETERMINER`): one flag, read when the word was tokenized,
/// where the lists were searched word by word.
fn in_list(token: Token, list: u8) -> bool {
    token.kind() == Kind::Word && token.class() & list != 0
}
