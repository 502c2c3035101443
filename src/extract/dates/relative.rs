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

use super::{Context, Found, Preposition, apply_preposition};
use crate::edtf::Edtf;
use crate::extract::numbers::{count_words, small_count};
use crate::extract::scan::{Kind, LowerWord};

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

/// Which phrases can start at a token: by the word (lower-case), and those that start with a
/// count. Most tokens are rejected by one lookup, and `the` or `a` try only the phrases
/// that begin so instead of every phrase.
struct Starts {
    /// Count words (`a`, `two`) have the counted phrases merged into their lists, so that
    /// one lookup answers for any word, and no lookup builds a list.
    by_word: HashMap<&'static [u8], Vec<usize>, FixedState>,
    counted: Vec<usize>,
    /// Each phrase's elements, split once: `(optional, element)`.
    elements: Vec<Vec<(bool, Element)>>,
}

enum Element {
    Words(Vec<&'static str>),
    Count,
    Years,
    Months,
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

static STARTS: LazyLock<Starts> = LazyLock::new(|| {
    let mut starts = Starts {
        by_word: HashMap::default(),
        counted: Vec::new(),
        elements: PHRASES
            .iter()
            .map(|(pattern, _)| pattern.split(' ').map(element).collect())
            .collect(),
    };
    for (number, (pattern, _)) in PHRASES.iter().enumerate() {
        for element in pattern.split(' ') {
            let optional = element.starts_with('?');
            match element.trim_start_matches('?') {
                "#" => starts.counted.push(number),
                alternatives => {
                    for word in alternatives.split('|') {
                        let phrases = starts.by_word.entry(word.as_bytes()).or_default();
                        if phrases.last() != Some(&number) {
                            phrases.push(number);
                        }
                    }
                }
            }
            if !optional {
                break;
            }
        }
    }
    for word in count_words() {
        let phrases = starts.by_word.entry(word.as_bytes()).or_default();
        phrases.extend(&starts.counted);
        phrases.sort_unstable();
        phrases.dedup();
    }
    starts
});

/// The phrases that can start with a word, in `PHRASES` order.
fn word_candidates(lower: &LowerWord) -> &'static [usize] {
    STARTS
        .by_word
        .get(lower.as_bytes())
        .map_or(&[], Vec::as_slice)
}

/// The phrases that can start with a number, in `PHRASES` order.
fn number_candidates(digits: &str) -> &'static [usize] {
    match small_count(digits) {
        Some(_) => &STARTS.counted,
        None => &[],
    }
}

fn phrase_at(context: &Context, i: usize) -> Option<(usize, Option<Edtf>)> {
    let token = context.token(i)?;
    let phrases = match token.kind {
        Kind::Punct => return None,
        Kind::Number if token.text.len() <= 3 => number_candidates(token.text),
        Kind::Word => word_candidates(&LowerWord::new(token.text)?),
        Kind::Number => return None,
    };
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
        let token = context.token(i);
        let text = token.filter(|t| t.kind != Kind::Punct).map(|t| t.text);
        let matched = match (element, text) {
            (_, None) => false,
            (Element::Count, Some(text)) => match small_count(text) {
                Some(n) => {
                    count = i32::try_from(n).ok()?;
                    true
                }
                None => false,
            },
            (Element::Years, Some(text)) => {
                let is = |words: [&str; 2]| words.iter().any(|w| w.eq_ignore_ascii_case(text));
                let decades = is(["decade", "decades"]);
                factor = if decades { 10 } else { 1 };
                decades || is(["year", "years"])
            }
            (Element::Months, Some(text)) => {
                text.eq_ignore_ascii_case("month") || text.eq_ignore_ascii_case("months")
            }
            (Element::Words(words), Some(text)) => {
                words.iter().any(|word| word.eq_ignore_ascii_case(text))
            }
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
    let anchor = context.anchor.as_ref();
    let published = context
        .published
        .as_ref()
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
