//! Dates as EDTF (ISO 8601-2) values: a day, a month, a year, a decade or an interval.
//!
//! Sources and briefs state dates with every precision, so Dossier never invents a day or a
//! month that the text does not give: `July 2022` is `2022-07`, `the 1990s` is `199X`,
//! `2008–2012` is `2008/2012`. This module also reads the written forms that sources use for
//! their own date (`February 15, 2023`, `15 Feb. 2023`, `2023-02-15`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Edtf {
    Day {
        year: i32,
        month: u8,
        day: u8,
    },
    Month {
        year: i32,
        month: u8,
    },
    Year(i32),
    /// A decade, by its first year: `Decade(1990)` is `199X`.
    Decade(i32),
    Interval(Box<Edtf>, Box<Edtf>),
}

impl Edtf {
    pub fn day(year: i32, month: u8, day: u8) -> Option<Edtf> {
        (1..=12).contains(&month).then_some(())?;
        (1..=days_in_month(year, month))
            .contains(&day)
            .then_some(())?;
        Some(Edtf::Day { year, month, day })
    }

    pub fn month(year: i32, month: u8) -> Option<Edtf> {
        (1..=12)
            .contains(&month)
            .then_some(Edtf::Month { year, month })
    }

    /// The year this date starts in.
    pub fn first_year(&self) -> i32 {
        match self {
            Edtf::Day { year, .. } | Edtf::Month { year, .. } | Edtf::Year(year) => *year,
            Edtf::Decade(start) => *start,
            Edtf::Interval(start, _) => start.first_year(),
        }
    }

    /// The year this date ends in.
    pub fn last_year(&self) -> i32 {
        match self {
            Edtf::Day { year, .. } | Edtf::Month { year, .. } | Edtf::Year(year) => *year,
            Edtf::Decade(start) => start + 9,
            Edtf::Interval(_, end) => end.last_year(),
        }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Edtf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Edtf::Day { year, month, day } => write!(f, "{year:04}-{month:02}-{day:02}"),
            Edtf::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Edtf::Year(year) => write!(f, "{year:04}"),
            Edtf::Decade(start) => write!(f, "{:03}X", start / 10),
            Edtf::Interval(start, end) => write!(f, "{start}/{end}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not an EDTF date (expected forms like 2023-02-15, 2022-07, 1991, 199X, 2008/2012)"
)]
pub struct EdtfParseError(pub String);

impl FromStr for Edtf {
    type Err = EdtfParseError;

    fn from_str(text: &str) -> Result<Edtf, EdtfParseError> {
        let error = || EdtfParseError(text.to_string());
        let text = text.trim();
        if let Some((start, end)) = text.split_once('/') {
            let start: Edtf = start.parse().map_err(|_| error())?;
            let end: Edtf = end.parse().map_err(|_| error())?;
            if matches!(start, Edtf::Interval(..)) || matches!(end, Edtf::Interval(..)) {
                return Err(error());
            }
            return Ok(Edtf::Interval(Box::new(start), Box::new(end)));
        }
        if let Some(decade) = text.strip_suffix('X') {
            if decade.len() == 3 && decade.bytes().all(|b| b.is_ascii_digit()) {
                let decade: i32 = decade.parse().map_err(|_| error())?;
                return Ok(Edtf::Decade(decade * 10));
            }
            return Err(error());
        }
        let parts: Vec<&str> = text.split('-').collect();
        let number = |part: &str, width: usize| {
            (part.len() == width && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse::<i32>().ok())
                .flatten()
        };
        let date = match parts.as_slice() {
            [year] => number(year, 4).map(Edtf::Year),
            [year, month] => {
                Edtf::month(number(year, 4).ok_or_else(error)?, small(number(month, 2)))
            }
            [year, month, day] => Edtf::day(
                number(year, 4).ok_or_else(error)?,
                small(number(month, 2)),
                small(number(day, 2)),
            ),
            _ => None,
        };
        date.ok_or_else(error)
    }
}

fn small(value: Option<i32>) -> u8 {
    value.and_then(|v| u8::try_from(v).ok()).unwrap_or(0)
}

impl Serialize for Edtf {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Edtf {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Edtf, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a word names: `July`, `jul`, `Jul.`, `Sept.`. Case-insensitive.
pub fn month_from_name(word: &str) -> Option<u8> {
    let word = word.strip_suffix('.').unwrap_or(word).to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    let position = MONTHS.iter().position(|month| {
        *month == word
            || (word.len() == 3 && month.starts_with(&word))
            || (word == "sept" && *month == "september")
    })?;
    u8::try_from(position + 1).ok()
}

/// A written date at the start of `text`, and how many bytes it took. Reads
/// `February 15, 2023`, `Feb. 15 2023`, `15 February 2023`, `February 2023`, `2023-02-15`
/// and a bare year. Used for the byline and for front matter.
pub fn parse_leading_date(text: &str) -> Option<(Edtf, usize)> {
    let tokens = leading_tokens(text, 3);
    let token = |i: usize| tokens.get(i).map(|&(word, _)| word);
    let end = |i: usize| tokens.get(i).map(|&(_, end)| end);
    let year = |word: Option<&str>| -> Option<i32> {
        let word = word?;
        (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
            .then(|| word.parse().ok())
            .flatten()
    };
    let day = |word: Option<&str>| -> Option<u8> {
        let word = word?;
        let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic()); // 1st, 2nd
        (!digits.is_empty() && digits.len() <= 2)
            .then(|| digits.parse().ok())
            .flatten()
    };

    if let Some(first) = token(0)
        && first.len() == 10
        && first.as_bytes().get(4) == Some(&b'-')
        && let Ok(date @ Edtf::Day { .. }) = first.parse::<Edtf>()
    {
        return Some((date, end(0)?));
    }
    if let Some(month) = token(0).and_then(month_from_name) {
        if let (Some(d), Some(y)) = (day(token(1)), year(token(2))) {
            return Some((Edtf::day(y, month, d)?, end(2)?));
        }
        if let Some(y) = year(token(1)) {
            return Some((Edtf::month(y, month)?, end(1)?));
        }
    }
    if let (Some(d), Some(month)) = (day(token(0)), token(1).and_then(month_from_name)) {
        let y = year(token(2))?;
        return Some((Edtf::day(y, month, d)?, end(2)?));
    }
    year(token(0)).map(|y| (Edtf::Year(y), end(0).unwrap_or(0)))
}

/// Up to `count` leading words of `text` with the byte offset where each ends; a comma after
/// a word is not part of it.
fn leading_tokens(text: &str, count: usize) -> Vec<(&str, usize)> {
    let mut tokens = Vec::with_capacity(count);
    let mut rest_start = 0;
    while tokens.len() < count {
        let rest = &text[rest_start..];
        let skipped = rest.len() - rest.trim_start().len();
        let start = rest_start + skipped;
        let word_len = text[start..]
            .find(char::is_whitespace)
            .unwrap_or(text.len() - start);
        if word_len == 0 {
            break;
        }
        let word = &text[start..start + word_len];
        let trimmed = word.trim_end_matches(',');
        tokens.push((trimmed, start + trimmed.len()));
        rest_start = start + word_len;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edtf_round_trips() {
        for text in [
            "2023-02-15",
            "2022-07",
            "1991",
            "199X",
            "2008/2012",
            "2022-06/2022-07",
        ] {
            let date: Edtf = text.parse().expect(text);
            assert_eq!(date.to_string(), text);
        }
        for bad in [
            "2023-13",
            "2023-02-30",
            "19",
            "abc",
            "1/2/3",
            "2023-2-1",
            "",
        ] {
            assert!(bad.parse::<Edtf>().is_err(), "{bad}");
        }
    }

    #[test]
    fn written_dates() {
        let cases = [
            ("February 15, 2023 Ilan", "2023-02-15", "February 15, 2023"),
            ("Feb. 15 2023", "2023-02-15", "Feb. 15 2023"),
            ("15 February 2023 x", "2023-02-15", "15 February 2023"),
            ("July 2022, then", "2022-07", "July 2022"),
            ("2023-02-15 Someone", "2023-02-15", "2023-02-15"),
            ("1999 Someone", "1999", "1999"),
            ("Sept. 1st, 2001", "2001-09-01", "Sept. 1st, 2001"),
        ];
        for (text, date, taken) in cases {
            let (parsed, len) = parse_leading_date(text).expect(text);
            assert_eq!((parsed.to_string().as_str(), &text[..len]), (date, taken));
        }
        for text in [
            "Mayor Smith",
            "February 30, 2023",
            "The Tribune",
            "12 monkeys",
        ] {
            assert_eq!(parse_leading_date(text), None, "{text}");
        }
    }

    #[test]
    fn months_by_name() {
        assert_eq!(month_from_name("July"), Some(7));
        assert_eq!(month_from_name("Jul."), Some(7));
        assert_eq!(month_from_name("Sept."), Some(9));
        assert_eq!(month_from_name("Ma"), None);
        assert_eq!(month_from_name("Marching"), None);
    }
}
