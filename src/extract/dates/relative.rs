//! Relative time expressions (`the following year`, `thereafter`, `last year`, `in recent
//! months`) and the dates their context gives them.
//!
//! Two kinds, never mixed: *anaphoric* phrases count from the anchor, the latest date the
//! text has named (`the following year` after 2012 is 2013; `thereafter` after 2008–2012 is
//! `2012/..`); *deictic* phrases count from the document's own date (`last year` in an
//! article of 2023 is 2022). Without that date, the phrase is still found, with no date.
//!
//! Vague spans are bounded only as far as their words allow:
//! - `the past year` is the twelve months to publication (`2022-02/2023-02`);
//! - `preceding weeks` and `recent weeks` reach back at most into the month before the
//!   reference month (`2022-06/2022-07` for weeks before July 2022);
//! - `preceding months`, `recent months`, `recent years` have no known start: they end at
//!   the reference month (`../2023-02`) and claim nothing about how far back they go.

use std::collections::HashMap;
use std::sync::LazyLock;

use foldhash::fast::FixedState;

use super::{Context, Found, Preposition, apply_preposition, vocabulary};
use crate::edtf::Edtf;
use crate::extract::numbers::{count_words, small_count};
use crate::extract::scan::{Kind, LowerKey, LowerWord, Span, Token};

#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Whole years after (positive) or before the anchor, times the phrase's count.
    AnchorYears(i32),
    AnchorMonths(i32),
    /// The anchor's own year, month or day (`that year`).
    AnchorYear,
    AnchorMonth,
    AnchorDay,
    /// A few weeks before the anchor.
    AnchorWeeksBefore,
    /// Some time before the anchor, start unknown.
    AnchorBefore,
    /// From the anchor's end on.
    AnchorAfter,
    PublishedYears(i32),
    PublishedMonths(i32),
    PublishedPastYear,
    PublishedWeeksBefore,
    PublishedBefore,
}

use Rule::*;

/// Phrases as space-separated elements: `a|b` alternatives, `?x` optional, `#` a count
/// (`two`, `3`, `a`), `<Y>` years or decades, `<M>` months. Longer phrases come first.
const PHRASES: &[(&str, Rule)] = &[
    ("the following|next|subsequent year", AnchorYears(1)),
    ("the following|next|subsequent month", AnchorMonths(1)),
    ("the previous|preceding|prior year", AnchorYears(-1)),
    ("the previous|preceding|prior month", AnchorMonths(-1)),
    ("the same year", AnchorYear),
    ("the same month", AnchorMonth),
    ("the same day", AnchorDay),
    ("the past|last twelve|12 months", PublishedPastYear),
    ("the past year", PublishedPastYear),
    ("the past|last few weeks|days", PublishedWeeksBefore),
    ("the past|last few months|years", PublishedBefore),
    (
        "?the preceding|previous|prior weeks|days",
        AnchorWeeksBefore,
    ),
    ("?the preceding|previous|prior months|years", AnchorBefore),
    ("# <Y> later", AnchorYears(1)),
    ("# <Y> earlier", AnchorYears(-1)),
    ("# <M> later", AnchorMonths(1)),
    ("# <M> earlier", AnchorMonths(-1)),
    ("# <Y> ago", PublishedYears(-1)),
    ("# <M> ago", PublishedMonths(-1)),
    ("?later|earlier that|same year", AnchorYear),
    ("later|earlier in the year", AnchorYear),
    ("?later|earlier that|same month", AnchorMonth),
    ("that|same day", AnchorDay),
    ("thereafter|afterwards|afterward|subsequently", AnchorAfter),
    ("since|after then", AnchorAfter),
    ("from then on|onwards|onward", AnchorAfter),
    ("until|till|before then", AnchorBefore),
    ("?earlier|later this year", PublishedYears(0)),
    ("last year", PublishedYears(-1)),
    ("next year", PublishedYears(1)),
    ("?earlier|later this month", PublishedMonths(0)),
    ("last month", PublishedMonths(-1)),
    ("next month", PublishedMonths(1)),
    ("recent weeks|days", PublishedWeeksBefore),
    ("recent months|years", PublishedBefore),
];

/// The words of `PHRASES` that no phrase goes without (`vocabulary::CORE`): each phrase has
/// one of them, or a `<Y>` or `<M>` element, which reads only such words.
pub(super) const TIME_WORDS: [&str; 14] = [
    "year",
    "years",
    "decade",
    "decades",
    "month",
    "months",
    "day",
    "days",
    "weeks",
    "then",
    "thereafter",
    "afterwards",
    "afterward",
    "subsequently",
];

/// The most elements a phrase has (`the past twelve months`).
const LONGEST_PHRASE: usize = 4;

/// Whether a phrase may be found at token `i` (`at`): every phrase holds a time word
/// (`TIME_WORDS`), a core word that is no month, and starts at `i` or after a preposition
/// of at most two tokens, so a window of tokens without one holds none. Most tokens `at`
/// is asked of (years, prepositions before them) are turned away by a few flag tests,
/// where the phrases that start with their words were looked up and tried.
pub(super) fn may_be_at(tokens: &[Span], i: usize) -> bool {
    let window = tokens.get(i..).unwrap_or_default();
    window.iter().take(2 + LONGEST_PHRASE).any(|span| {
        span.kind == Kind::Word
            && span.class & vocabulary::CORE != 0
            && span.class & vocabulary::MONTH == 0
    })
}

/// A relative phrase at token `i`, with or without the leading preposition the caller read
/// there.
pub(super) fn at(
    context: &Context,
    i: usize,
    preposition: Option<(Preposition, usize)>,
) -> Option<Found> {
    let (end, date) = phrase_at(context, i).or_else(|| {
        // `much of the past year`: `of` there is partitive, not part of the time.
        if context.word(i, "of") {
            return None;
        }
        let (p, after) = preposition?;
        let (end, date) = phrase_at(context, after)?;
        Some((end, date.and_then(|d| apply_preposition(Some(p), d))))
    })?;
    Some(Found {
        start: i,
        end,
        date,
        relative: true,
    })
}

/// Which phrases can start at a token, by the token and the one after it: `the` alone
/// would leave a dozen phrases to try, `the following` leaves two. Most tokens are rejected
/// by one lookup of their own key, and no lookup builds a list.
struct Starts {
    /// By the first token's key, the phrases that can start with it.
    by_first: HashMap<Key, FirstStarts, FixedState>,
    /// The words phrases start with, in lower case.
    first_words: Vec<&'static [u8]>,
    /// Each phrase's elements, split once: `(optional, element)`.
    elements: Vec<Vec<(bool, Element)>>,
}

/// The phrases that can start with one key, by the key after it. A first key has a few
/// second keys at most (`the` has a dozen): they are searched in turn, where the pair of
/// keys was hashed, and hashed again with `ANY` when it was not there.
#[derive(Default)]
struct FirstStarts {
    /// Each second key with its phrases, which hold `any` as well, in `PHRASES` order.
    by_second: Vec<(Key, Vec<usize>)>,
    /// The phrases that may end after the first token, for any other second token.
    any: Vec<usize>,
}

/// A token's key where a number stands: any number may be a count (`3 years ago`).
const NUMBER: &[u8] = b"#";
/// The second key of a phrase that may end after its first token.
const ANY: &[u8] = b"*";

/// A token's key: its word in lower case, zero-padded (`LowerWord::key`), or a marker,
/// as one number (the tokenizer's `LowerKey` for a word): hashed as two integers.
type Key = LowerKey;

/// The key of a word or marker of the phrase table (all shorter than `LowerWord::MAX`).
pub(super) fn key_of(word: &[u8]) -> Key {
    let mut key = [0u8; LowerWord::MAX];
    key[..word.len()].copy_from_slice(word);
    u128::from_le_bytes(key)
}

enum Element {
    Words(Vec<&'static str>),
    Count,
    Years,
    Months,
}

impl Element {
    /// Every key of a token the element matches, a superset: `matches` has the last word.
    fn keys(&self) -> Vec<&'static [u8]> {
        let words: Vec<&'static str> = match self {
            Element::Words(words) => words.clone(),
            Element::Count => count_words().collect(),
            Element::Years => vec!["year", "years", "decade", "decades"],
            Element::Months => vec!["month", "months"],
        };
        let mut keys: Vec<&'static [u8]> = words.into_iter().map(str::as_bytes).collect();
        if matches!(self, Element::Count) {
            keys.push(NUMBER);
        }
        keys
    }
}

fn element(text: &'static str) -> (bool, Element) {
    let (optional, text) = match text.strip_prefix('?') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let element = match text {
        "#" => Element::Count,
        "<Y>" => Element::Years,
        "<M>" => Element::Months,
        alternatives => Element::Words(alternatives.split('|').collect()),
    };
    (optional, element)
}

/// The (first, second) keys a phrase can open with: an optional element may be skipped,
/// and a phrase that can end after its first element opens with (first, `ANY`).
fn openings(elements: &[(bool, Element)]) -> Vec<(&'static [u8], &'static [u8])> {
    let mut pairs = Vec::new();
    for (first_at, (_, first)) in elements.iter().enumerate() {
        let mut seconds: Vec<&'static [u8]> = Vec::new();
        let mut all_optional = true;
        for (optional, second) in &elements[first_at + 1..] {
            seconds.extend(second.keys());
            if !optional {
                all_optional = false;
                break;
            }
        }
        if all_optional {
            seconds.push(ANY);
        }
        for first_key in first.keys() {
            pairs.extend(seconds.iter().map(|&second| (first_key, second)));
        }
        if !elements[first_at].0 {
            break;
        }
    }
    pairs
}

static STARTS: LazyLock<Starts> = LazyLock::new(|| {
    let elements: Vec<Vec<(bool, Element)>> = PHRASES
        .iter()
        .map(|(pattern, _)| pattern.split(' ').map(element).collect())
        .collect();
    let mut by_first: HashMap<Key, FirstStarts, FixedState> = HashMap::default();
    let mut first_words = Vec::new();
    let any = key_of(ANY);
    for (number, phrase) in elements.iter().enumerate() {
        for (first, second) in openings(phrase) {
            let starts = by_first.entry(key_of(first)).or_default();
            let second = key_of(second);
            let phrases = if second == any {
                &mut starts.any
            } else {
                match starts.by_second.iter().position(|(key, _)| *key == second) {
                    Some(at) => &mut starts.by_second[at].1,
                    None => {
                        starts.by_second.push((second, Vec::new()));
                        &mut starts.by_second.last_mut().expect("just pushed").1
                    }
                }
            };
            phrases.push(number);
            if first != NUMBER {
                first_words.push(first);
            }
        }
    }
    // A second key's list holds the first key's `ANY` phrases too, so that one search
    // answers.
    for starts in by_first.values_mut() {
        starts.any.sort_unstable();
        starts.any.dedup();
        for (_, phrases) in &mut starts.by_second {
            phrases.extend(&starts.any);
            phrases.sort_unstable();
            phrases.dedup();
        }
    }
    first_words.sort_unstable();
    first_words.dedup();
    Starts {
        by_first,
        first_words,
        elements,
    }
});

/// Every word, in lower case, that a phrase has (counts in words among them).
pub(super) fn phrase_words() -> impl Iterator<Item = &'static [u8]> {
    STARTS
        .elements
        .iter()
        .flatten()
        .flat_map(|(_, element)| element.keys())
        .filter(|&key| key != NUMBER)
}

/// The words, in lower case, that a phrase can start with.
pub(super) fn start_words() -> impl Iterator<Item = &'static [u8]> {
    STARTS.first_words.iter().copied()
}

/// A token's key: its word in lower case, `NUMBER` for a number, `None` for punctuation and
/// words no phrase has (longer than `LowerWord::MAX`).
fn token_key(token: Token) -> Option<Key> {
    match token.kind() {
        Kind::Punct => None,
        Kind::Number => Some(key_of(NUMBER)),
        // A word of no class is no word of a phrase: its key would find none.
        Kind::Word => (token.class() != 0).then(|| vocabulary::key_of(token.word())),
    }
}

/// The phrases that can start at token `i`, in `PHRASES` order.
fn candidates(context: &Context, i: usize) -> &'static [usize] {
    let Some(first) = context.token(i) else {
        return &[];
    };
    // A count in digits has at most three and is at most 200 (`3 years ago`, `200 years
    // later`): as `small_count` reads digits, without first comparing them with its words.
    let count = |t: Token| t.text_len() <= 3 && t.plain_number().is_some_and(|n| n <= 200);
    if first.kind() == Kind::Number && !count(first) {
        return &[];
    }
    // A word phrases start with is a start word (`vocabulary::START`): the others need no
    // key and no lookup.
    if first.kind() == Kind::Word && first.class() & vocabulary::START == 0 {
        return &[];
    }
    let Some(first) = token_key(first) else {
        return &[];
    };
    let Some(starts) = STARTS.by_first.get(&first) else {
        return &[];
    };
    // A token that is no word of a phrase (punctuation, a long word) is no second key.
    let second = context.token(i + 1).and_then(token_key);
    let by_second = second.and_then(|second| {
        let (_, phrases) = starts.by_second.iter().find(|(key, _)| *key == second)?;
        Some(phrases)
    });
    by_second.unwrap_or(&starts.any).as_slice()
}

fn phrase_at(context: &Context, i: usize) -> Option<(usize, Option<Edtf>)> {
    first_phrase_at(context, i, candidates(context, i))
}

/// The first of `phrases` that matches at token `i`, with its date.
fn first_phrase_at(
    context: &Context,
    i: usize,
    phrases: &[usize],
) -> Option<(usize, Option<Edtf>)> {
    let token = context.token(i)?;
    if phrases.is_empty() {
        return None;
    }
    // `the last year of his term` is not last year.
    let after_the = i > 0 && context.word(i - 1, "the");
    // `drones subsequently used`: only a time when it opens a clause.
    let clause_start = i == 0 || context.punct(i - 1, ".,;:(—–\"“");
    if token.is_word("subsequently") && !clause_start {
        return None;
    }
    phrases.iter().find_map(|&number| {
        let (pattern, rule) = PHRASES[number];
        if after_the && !pattern.starts_with("the ") {
            return None;
        }
        let (end, count) = matches(context, i, &STARTS.elements[number])?;
        Some((end, resolve(context, rule, count)))
    })
}

/// Where a phrase of `elements` ends when it matches at token `i`, and the count it read (1
/// if none).
fn matches(context: &Context, mut i: usize, elements: &[(bool, Element)]) -> Option<(usize, i32)> {
    let mut count: i32 = 1;
    let mut factor: i32 = 1;
    for (optional, element) in elements {
        let token = context.token(i).filter(|t| t.kind() != Kind::Punct);
        let matched = match (element, token) {
            (_, None) => false,
            (Element::Count, Some(token)) => match small_count(token.text()) {
                Some(n) => {
                    count = i32::try_from(n).ok()?;
                    true
                }
                None => false,
            },
            (Element::Years, Some(token)) => {
                let decades = token.is_any_text(&["decade", "decades"]);
                factor = if decades { 10 } else { 1 };
                decades || token.is_any_text(&["year", "years"])
            }
            (Element::Months, Some(token)) => token.is_any_text(&["month", "months"]),
            (Element::Words(words), Some(token)) => token.is_any_text(words),
        };
        if matched {
            i += 1;
        } else if !optional {
            return None;
        }
    }
    Some((i, count.checked_mul(factor)?))
}

/// The month a date falls in, for a day or a month.
fn month_of(date: &Edtf) -> Option<Edtf> {
    match date {
        Edtf::Day { year, month, .. } | Edtf::Month { year, month } => Edtf::month(*year, *month),
        _ => None,
    }
}

/// The publication date at the precision relative phrases speak of: its month, or its year.
fn reference(published: &Edtf) -> Option<Edtf> {
    match published {
        Edtf::Year(_) => Some(published.clone()),
        other => month_of(other),
    }
}

/// A few weeks back from `date`: the month before it to its month (or year before to year).
fn weeks_before(date: &Edtf) -> Option<Edtf> {
    let to = match date {
        Edtf::Year(_) => date.clone(),
        other => month_of(other)?,
    };
    Some(Edtf::Interval(Box::new(to.shifted(-1)?), Box::new(to)))
}

fn resolve(context: &Context, rule: Rule, count: i32) -> Option<Edtf> {
    let anchor = context.anchor();
    let published = context
        .published
        .filter(|p| p.first_year() == p.last_year());
    let single_year = |d: &Edtf| (d.first_year() == d.last_year()).then(|| d.first_year());
    let open = |d: &Edtf, since: bool| {
        let d = Box::new(d.clone());
        if since {
            Edtf::Since(d)
        } else {
            Edtf::Until(d)
        }
    };
    match rule {
        AnchorYears(sign) if sign > 0 => Some(Edtf::Year(anchor?.last_year().checked_add(count)?)),
        AnchorYears(_) => Some(Edtf::Year(anchor?.first_year().checked_sub(count)?)),
        AnchorMonths(sign) if sign > 0 => month_of(anchor?.end()?)?.shifted(count),
        AnchorMonths(_) => month_of(anchor?.start()?)?.shifted(-count),
        AnchorYear => Some(Edtf::Year(single_year(anchor?)?)),
        AnchorMonth => month_of(anchor?),
        AnchorDay => anchor.filter(|a| matches!(a, Edtf::Day { .. })).cloned(),
        AnchorWeeksBefore => weeks_before(anchor?.start()?),
        AnchorBefore => Some(open(anchor?.start()?, false)),
        AnchorAfter => Some(open(anchor?.end()?, true)),
        PublishedYears(sign) => Some(Edtf::Year(
            published?.first_year().checked_add(sign * count)?,
        )),
        PublishedMonths(sign) => month_of(published?)?.shifted(sign * count),
        PublishedPastYear => {
            let to = reference(published?)?;
            let back = if matches!(to, Edtf::Year(_)) { -1 } else { -12 };
            Some(Edtf::Interval(Box::new(to.shifted(back)?), Box::new(to)))
        }
        PublishedWeeksBefore => weeks_before(published?),
        PublishedBefore => Some(open(&reference(published?)?, false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::scan::tokenize_into;

    #[test]
    fn no_phrase_is_longer_than_the_longest() {
        for elements in &STARTS.elements {
            assert!(elements.len() <= LONGEST_PHRASE);
        }
    }

    #[test]
    fn time_words_are_core_words_and_no_months() {
        for word in TIME_WORDS {
            let class = vocabulary::class_of(key_of(word.as_bytes()));
            assert_eq!(class & vocabulary::CORE, vocabulary::CORE, "{word}");
            assert_eq!(class & vocabulary::MONTH, 0, "{word}");
        }
    }

    #[test]
    fn every_phrase_has_a_time_word() {
        for (number, elements) in STARTS.elements.iter().enumerate() {
            let has = elements.iter().any(|(optional, element)| {
                !optional
                    && match element {
                        Element::Years | Element::Months => true,
                        Element::Words(words) => words.iter().all(|w| TIME_WORDS.contains(w)),
                        Element::Count => false,
                    }
            });
            assert!(has, "{:?}", PHRASES[number].0);
        }
    }

    proptest::proptest! {
        /// The index by two tokens finds what trying every phrase finds.
        #[test]
        fn indexed_phrases_match_as_all_phrases_do(
            words in proptest::collection::vec(
                "(the|The|a|an|two|Three|following|next|subsequent|previous|preceding|prior|same|past|last|few|twelve|12|3|250|year|years|Decades|month|months|weeks|days|later|earlier|ago|that|this|in|recent|thereafter|Subsequently|since|after|from|then|on|onwards|until|before|\\.|,|[a-z]{1,4}|abcdefghijklmnopq)",
                0..12,
            )
        ) {
            let text = words.join(" ");
            let mut tokens = Vec::new();
            tokenize_into(&text, &mut tokens, vocabulary::classifier(), vocabulary::number_class);
            let (anchor, published) = (Edtf::Year(2012), Edtf::Year(2023));
            let context =
                Context::new(&text, &tokens, Some(&anchor), Some(&published), Vec::new());
            let every: Vec<usize> = (0..PHRASES.len()).collect();
            for i in 0..tokens.len() {
                proptest::prop_assert_eq!(
                    phrase_at(&context, i),
                    first_phrase_at(&context, i, &every),
                    "at token {} of {:?}", i, text
                );
            }
        }
    }
}
