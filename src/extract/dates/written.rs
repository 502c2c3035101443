//! Dates as prose writes them, before any preposition or interval: `15 February 2023`,
//! `Feb. 15, 2023`, `July 2022`, `1991`, `the 1990s`, `’90s`, `the spring of 2019`.

use super::{Context, Token, vocabulary};
use crate::edtf::Edtf;
use crate::extract::scan::{APOSTROPHES, DASHES, Kind};

/// A date by itself, before any interval or preposition is applied.
pub(super) struct Simple {
    pub(super) end: usize,
    pub(super) date: Edtf,
    /// The text gave no year (`on March 3`); `date` carries year 0 until one is inferred.
    pub(super) needs_year: bool,
    pub(super) shape: Shape,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// A year alone: a year only when the context says so.
    BareYear,
    /// A month or season named without a day or year (`in March`): needs a preposition.
    Alone,
    /// A decade or season: may follow `the`.
    Period,
    /// Anything with a month name or digits in a date layout.
    Written,
}

/// A number's plain value and its length in digits: `simple_at` reads them once, where each
/// reading of a date read the digits again.
#[derive(Clone, Copy)]
struct Plain {
    value: u32,
    digits: usize,
}

fn plain(token: Token) -> Option<Plain> {
    Some(Plain {
        value: token.plain_number()?,
        digits: token.text_len(),
    })
}

pub(super) fn year_at(context: &Context, i: usize) -> Option<i32> {
    year_of(plain(context.token(i)?)?)
}

fn year_of(number: Plain) -> Option<i32> {
    (number.digits == 4 && (1000..=2100).contains(&number.value))
        .then(|| i32::try_from(number.value).ok())
        .flatten()
}

/// A day of the month at `i` (`3`, `3rd`) and the token after it.
fn day_at(context: &Context, i: usize) -> Option<(u8, usize)> {
    day_of(context, i, plain(context.token(i)?)?)
}

/// `day_at`, for the number `number` at `i`.
fn day_of(context: &Context, i: usize, number: Plain) -> Option<(u8, usize)> {
    let day = u8::try_from(number.value)
        .ok()
        .filter(|d| (1..=31).contains(d))?;
    if number.digits > 2 {
        return None;
    }
    let ordinal = context.any_word(i + 1, &["st", "nd", "rd", "th"]) && context.joined(i + 1);
    Some((day, if ordinal { i + 2 } else { i + 1 }))
}

/// A month name at `i` (capitalised, as prose writes months) and the token after it.
fn month_at(context: &Context, i: usize) -> Option<(u8, usize, bool)> {
    let token = context.token(i)?;
    // One flag turns away the words that are no month's name, in any case.
    if token.class() & vocabulary::MONTH == 0 || !token.is_capitalised() || token.text_len() > 9 {
        return None;
    }
    let month = vocabulary::month_of(token.word())?;
    let abbreviated = token.text_len() <= 4 && !matches!(token.bytes(), b"May" | b"June" | b"July");
    let dotted = abbreviated && context.punct(i + 1, ".") && context.joined(i + 1);
    Some((month, if dotted { i + 2 } else { i + 1 }, abbreviated))
}

/// Season names and their EDTF season numbers.
pub(super) const SEASONS: [(&str, u8); 5] = [
    ("spring", 21),
    ("summer", 22),
    ("autumn", 23),
    ("fall", 23),
    ("winter", 24),
];

fn season_at(context: &Context, i: usize) -> Option<u8> {
    let token = context.token(i)?;
    // Seasons are core words: one flag turns numbers and the other words away before the
    // list is searched.
    if token.kind() != Kind::Word || token.class() & vocabulary::CORE == 0 {
        return None;
    }
    SEASONS
        .iter()
        .find(|(season, _)| token.is_any_text(&[season]))
        .map(|&(_, number)| number)
}

/// A decade at `i`: `1990s`, `1990’s`, `’90s`, and `90s` after `the` or `mid-`. `number` is
/// the plain number at `i`, if any.
fn decade_at(context: &Context, i: usize, number: Option<Plain>) -> Option<(i32, usize)> {
    let s_after = |j: usize| {
        if context.word(j, "s") && context.joined(j) {
            Some(j + 1)
        } else if context.punct(j, APOSTROPHES) && context.joined(j) && context.word(j + 1, "s") {
            context.joined(j + 1).then_some(j + 2)
        } else {
            None
        }
    };
    if let Some(year) = number.and_then(year_of).filter(|y| y % 10 == 0) {
        return Some((year, s_after(i + 1)?));
    }
    let apostrophe = context.punct(i, APOSTROPHES) && context.joined(i + 1);
    let (digits_at, two) = if apostrophe {
        (i + 1, plain(context.token(i + 1)?))
    } else {
        (i, number)
    };
    let two = two.filter(|n| n.digits == 2 && n.value % 10 == 0)?.value;
    let modifiers = ["the", "mid", "early", "late"];
    let after_the = i > 0 && context.any_word(i - 1, &modifiers)
        || i > 1 && context.punct(i - 1, DASHES) && context.any_word(i - 2, &modifiers);
    if !apostrophe && !after_the {
        return None;
    }
    // `'20s` could be either century: left unread rather than guessed.
    let decade = match two {
        0..=10 => 2000 + two,
        30..=90 => 1900 + two,
        _ => return None,
    };
    Some((i32::try_from(decade).ok()?, s_after(digits_at + 1)?))
}

/// Whether a date can start at `token`: every one starts with a number, an apostrophe
/// (`’90s`), a month or a season (core words both). Most tokens `simple_at` is asked of are
/// turned away by this one test, before a dozen word comparisons.
fn may_open(token: Token) -> bool {
    match token.kind() {
        Kind::Number => true,
        Kind::Punct => token.is_punct(APOSTROPHES),
        Kind::Word => token.class() & vocabulary::CORE != 0,
    }
}

pub(super) fn simple_at(context: &Context, i: usize) -> Option<Simple> {
    let token = context.token(i)?;
    if !may_open(token) {
        return None;
    }
    let number = plain(token);
    let simple = |end, date, needs_year, shape| {
        Some(Simple {
            end,
            date,
            needs_year,
            shape,
        })
    };
    if let Some((decade, end)) = decade_at(context, i, number) {
        return simple(end, Edtf::Decade(decade), false, Shape::Period);
    }
    if let Some(year) = number.and_then(year_of) {
        // 2023-02-15, written without spaces.
        let joined_number = |j: usize, len: usize| {
            context.joined(j)
                && context
                    .token(j)
                    .is_some_and(|t| t.text_len() == len && t.kind() == Kind::Number)
        };
        let iso = context.punct(i + 1, "-")
            && context.punct(i + 3, "-")
            && context.joined(i + 1)
            && context.joined(i + 3)
            && joined_number(i + 2, 2)
            && joined_number(i + 4, 2);
        if iso {
            let part = |j: usize| context.token(j).and_then(|t| t.plain_number());
            let (month, day) = (
                u8::try_from(part(i + 2)?).ok()?,
                u8::try_from(part(i + 4)?).ok()?,
            );
            return simple(i + 5, Edtf::day(year, month, day)?, false, Shape::Written);
        }
        return simple(i + 1, Edtf::Year(year), false, Shape::BareYear);
    }
    if let Some((month, after, abbreviated)) = month_at(context, i) {
        if let Some((day, after_day)) = day_at(context, after) {
            let comma = usize::from(context.punct(after_day, ","));
            if let Some(year) = year_at(context, after_day + comma) {
                return simple(
                    after_day + comma + 1,
                    Edtf::day(year, month, day)?,
                    false,
                    Shape::Written,
                );
            }
            return simple(
                after_day,
                Edtf::day(2000, month, day)?,
                true,
                Shape::Written,
            );
        }
        if let Some(year) = year_at(context, after) {
            return simple(after + 1, Edtf::month(year, month)?, false, Shape::Written);
        }
        if abbreviated {
            return None;
        }
        return simple(after, Edtf::month(0, month)?, true, Shape::Alone);
    }
    if let Some((day, after_day)) = number.and_then(|number| day_of(context, i, number)) {
        let of = usize::from(context.word(after_day, "of"));
        let (month, after, _) = month_at(context, after_day + of)?;
        let comma = usize::from(context.punct(after, ","));
        if let Some(year) = year_at(context, after + comma) {
            return simple(
                after + comma + 1,
                Edtf::day(year, month, day)?,
                false,
                Shape::Written,
            );
        }
        return simple(after, Edtf::day(2000, month, day)?, true, Shape::Written);
    }
    if let Some(season) = season_at(context, i) {
        let of = usize::from(context.word(i + 1, "of"));
        if let Some(year) = year_at(context, i + 1 + of) {
            return simple(
                i + 2 + of,
                Edtf::season(year, season)?,
                false,
                Shape::Period,
            );
        }
        if context.word(i, "fall") {
            return None; // `the fall of Kabul`: only a season when a year follows.
        }
        return simple(i + 1, Edtf::season(0, season)?, true, Shape::Alone);
    }
    None
}

/// The words that open a modifier.
pub(super) const MODIFIERS: [&str; 3] = ["early", "mid", "late"];

/// `early`, `mid`, `late`, `mid-to-late`, `early-to-mid` at `i`, and the token after.
pub(super) fn modifier_at(context: &Context, i: usize) -> Option<usize> {
    // Modifiers are start words: one flag turns the others away.
    let start_word = context
        .token(i)
        .is_some_and(|t| t.class() & vocabulary::START != 0);
    if !start_word || !context.any_word(i, &MODIFIERS) {
        return None;
    }
    let dash = |j: usize| context.punct(j, DASHES);
    if dash(i + 1)
        && context.word(i + 2, "to")
        && dash(i + 3)
        && context.any_word(i + 4, &MODIFIERS)
    {
        return Some(if dash(i + 5) { i + 6 } else { i + 5 });
    }
    if dash(i + 1) && context.joined(i + 1) {
        return Some(i + 2);
    }
    Some(i + 1)
}
