//! Dates as EDTF (ISO 8601-2) values: a day, a month, a season, a year, a decade or an
//! interval, closed (`2008/2012`) or open at one end (`2013/..`, `../2030`).
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
    /// An EDTF level 1 season: 21 spring, 22 summer, 23 autumn, 24 winter (`2019-21`).
    Season {
        year: i32,
        season: u8,
    },
    Year(i32),
    /// A decade, by its first year: `Decade(1990)` is `199X`.
    Decade(i32),
    Interval(Box<Edtf>, Box<Edtf>),
    /// From a date on, with no known end: `since 2013` is `2013/..` (EDTF level 1).
    Since(Box<Edtf>),
    /// Up to a date, with no known start: `by 2030` is `../2030` (EDTF level 1).
    Until(Box<Edtf>),
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

    pub fn season(year: i32, season: u8) -> Option<Edtf> {
        (21..=24)
            .contains(&season)
            .then_some(Edtf::Season { year, season })
    }

    /// The year this date starts in; `i32::MIN` for an interval with no known start, so that
    /// comparisons of ranges of years stay correct.
    pub fn first_year(&self) -> i32 {
        match self {
            Edtf::Day { year, .. }
            | Edtf::Month { year, .. }
            | Edtf::Season { year, .. }
            | Edtf::Year(year) => *year,
            Edtf::Decade(start) => *start,
            Edtf::Interval(start, _) | Edtf::Since(start) => start.first_year(),
            Edtf::Until(_) => i32::MIN,
        }
    }

    /// The year this date ends in; `i32::MAX` for an interval with no known end.
    pub fn last_year(&self) -> i32 {
        match self {
            Edtf::Day { year, .. }
            | Edtf::Month { year, .. }
            | Edtf::Season { year, .. }
            | Edtf::Year(year) => *year,
            Edtf::Decade(start) => start + 9,
            Edtf::Interval(_, end) | Edtf::Until(end) => end.last_year(),
            Edtf::Since(_) => i32::MAX,
        }
    }

    /// The date an interval starts with (itself for a single date); `None` when open.
    pub fn start(&self) -> Option<&Edtf> {
        match self {
            Edtf::Interval(start, _) | Edtf::Since(start) => Some(start),
            Edtf::Until(_) => None,
            single => Some(single),
        }
    }

    /// The date an interval ends with (itself for a single date); `None` when open.
    pub fn end(&self) -> Option<&Edtf> {
        match self {
            Edtf::Interval(_, end) | Edtf::Until(end) => Some(end),
            Edtf::Since(_) => None,
            single => Some(single),
        }
    }

    /// The date `n` units away at the same precision: `2022-07` shifted by -1 is `2022-06`,
    /// `199X` by 1 is `200X`. `None` for intervals.
    pub fn shifted(&self, n: i32) -> Option<Edtf> {
        match self {
            Edtf::Year(year) => Some(Edtf::Year(year.checked_add(n)?)),
            Edtf::Decade(start) => Some(Edtf::Decade(start.checked_add(n.checked_mul(10)?)?)),
            Edtf::Season { year, season } => Edtf::season(year.checked_add(n)?, *season),
            Edtf::Month { year, month } => {
                let index = year.checked_mul(12)? + i32::from(*month) - 1 + n;
                Edtf::month(
                    index.div_euclid(12),
                    u8::try_from(index.rem_euclid(12) + 1).ok()?,
                )
            }
            Edtf::Day { year, month, day } => {
                let (mut year, mut month, mut day) = (*year, *month, *day);
                // Briefs only ever step a few days, so walking one day at a time is enough.
                for _ in 0..n.unsigned_abs().min(400) {
                    if n > 0 && day < days_in_month(year, month) {
                        day += 1;
                    } else if n > 0 {
                        let Edtf::Month { year: y, month: m } =
                            Edtf::Month { year, month }.shifted(1)?
                        else {
                            return None;
                        };
                        (year, month, day) = (y, m, 1);
                    } else if day > 1 {
                        day -= 1;
                    } else {
                        let Edtf::Month { year: y, month: m } =
                            Edtf::Month { year, month }.shifted(-1)?
                        else {
                            return None;
                        };
                        (year, month, day) = (y, m, days_in_month(y, m));
                    }
                }
                Edtf::day(year, month, day)
            }
            Edtf::Interval(..) | Edtf::Since(_) | Edtf::Until(_) => None,
        }
    }

    /// Whether both ends are known: everything but `Since` and `Until`.
    pub fn is_bounded(&self) -> bool {
        !matches!(self, Edtf::Since(_) | Edtf::Until(_))
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
            Edtf::Season { year, season } => write!(f, "{year:04}-{season:02}"),
            Edtf::Year(year) => write!(f, "{year:04}"),
            Edtf::Decade(start) => write!(f, "{:03}X", start / 10),
            Edtf::Interval(start, end) => write!(f, "{start}/{end}"),
            Edtf::Since(start) => write!(f, "{start}/.."),
            Edtf::Until(end) => write!(f, "../{end}"),
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
            let single = |part: &str| match part.parse::<Edtf>() {
                Ok(date) if date.is_bounded() && !matches!(date, Edtf::Interval(..)) => Ok(date),
                _ => Err(error()),
            };
            return match (start, end) {
                ("..", "..") => Err(error()),
                ("..", end) => Ok(Edtf::Until(Box::new(single(end)?))),
                (start, "..") => Ok(Edtf::Since(Box::new(single(start)?))),
                (start, end) => Ok(Edtf::Interval(
                    Box::new(single(start)?),
                    Box::new(single(end)?),
                )),
            };
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
                let year = number(year, 4).ok_or_else(error)?;
                match small(number(month, 2)) {
                    season @ 21..=24 => Edtf::season(year, season),
                    month => Edtf::month(year, month),
                }
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

/// EDTF text in human-readable formats (JSON); in binary ones (the index cache) the fields
/// themselves, which load without parsing: a large index holds millions of dates.
impl Serialize for Edtf {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(self)
        } else {
            FieldsRef::from(self).serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Edtf {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Edtf, D::Error> {
        if deserializer.is_human_readable() {
            let text = String::deserialize(deserializer)?;
            text.parse().map_err(serde::de::Error::custom)
        } else {
            Fields::deserialize(deserializer).map(Edtf::from)
        }
    }
}

/// `Edtf` as the binary formats store it.
#[derive(Serialize, Deserialize)]
enum Fields {
    Day(i32, u8, u8),
    Month(i32, u8),
    Season(i32, u8),
    Year(i32),
    Decade(i32),
    Interval(Box<Edtf>, Box<Edtf>),
    Since(Box<Edtf>),
    Until(Box<Edtf>),
}

/// `Fields` borrowed, for writing: a date is encoded without a copy of its boxed parts.
/// The same variants in the same order, so that the bytes are the same.
#[derive(Serialize)]
#[serde(rename = "Fields")]
enum FieldsRef<'a> {
    Day(i32, u8, u8),
    Month(i32, u8),
    Season(i32, u8),
    Year(i32),
    Decade(i32),
    Interval(&'a Edtf, &'a Edtf),
    Since(&'a Edtf),
    Until(&'a Edtf),
}

impl<'a> From<&'a Edtf> for FieldsRef<'a> {
    fn from(date: &'a Edtf) -> FieldsRef<'a> {
        match date {
            &Edtf::Day { year, month, day } => FieldsRef::Day(year, month, day),
            &Edtf::Month { year, month } => FieldsRef::Month(year, month),
            &Edtf::Season { year, season } => FieldsRef::Season(year, season),
            &Edtf::Year(year) => FieldsRef::Year(year),
            &Edtf::Decade(year) => FieldsRef::Decade(year),
            Edtf::Interval(start, end) => FieldsRef::Interval(start, end),
            Edtf::Since(start) => FieldsRef::Since(start),
            Edtf::Until(end) => FieldsRef::Until(end),
        }
    }
}

impl From<Fields> for Edtf {
    fn from(fields: Fields) -> Edtf {
        match fields {
            Fields::Day(year, month, day) => Edtf::Day { year, month, day },
            Fields::Month(year, month) => Edtf::Month { year, month },
            Fields::Season(year, season) => Edtf::Season { year, season },
            Fields::Year(year) => Edtf::Year(year),
            Fields::Decade(year) => Edtf::Decade(year),
            Fields::Interval(start, end) => Edtf::Interval(start, end),
            Fields::Since(start) => Edtf::Since(start),
            Fields::Until(end) => Edtf::Until(end),
        }
    }
}

/// The month a word names: `July`, `jul`, `Jul.`, `Sept.`. Case-insensitive.
pub fn month_from_name(word: &str) -> Option<u8> {
    // No allocation and one `match`: this runs on every capitalised word of every source.
    let word = word.strip_suffix('.').unwrap_or(word).as_bytes();
    // `september` is the longest name; a longer word is no month.
    let mut lower = [0u8; 9];
    let lower = lower.get_mut(..word.len()).filter(|_| word.len() >= 3)?;
    for (to, from) in lower.iter_mut().zip(word) {
        *to = from.to_ascii_lowercase();
    }
    let month = match &*lower {
        b"jan" | b"january" => 1,
        b"feb" | b"february" => 2,
        b"mar" | b"march" => 3,
        b"apr" | b"april" => 4,
        b"may" => 5,
        b"jun" | b"june" => 6,
        b"jul" | b"july" => 7,
        b"aug" | b"august" => 8,
        b"sep" | b"sept" | b"september" => 9,
        b"oct" | b"october" => 10,
        b"nov" | b"november" => 11,
        b"dec" | b"december" => 12,
        _ => return None,
    };
    Some(month)
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

/// Proptest strategies for dates, for the tests that store or number them.
#[cfg(test)]
pub mod strategies {
    use proptest::prelude::*;

    use super::Edtf;

    /// Single dates (day, month, season, year, decade) of the given field values. Boxed: the
    /// unboxed strategy trees overflow a test thread's stack in debug builds.
    pub fn single(
        year: impl Strategy<Value = i32> + Clone + 'static,
        small: impl Strategy<Value = u8> + Clone + 'static,
    ) -> BoxedStrategy<Edtf> {
        prop_oneof![
            (year.clone(), small.clone(), small.clone()).prop_map(|(year, month, day)| Edtf::Day {
                year,
                month,
                day
            }),
            (year.clone(), small.clone()).prop_map(|(year, month)| Edtf::Month { year, month }),
            (year.clone(), small).prop_map(|(year, season)| Edtf::Season { year, season }),
            year.clone().prop_map(Edtf::Year),
            year.prop_map(Edtf::Decade),
        ]
        .boxed()
    }

    /// `single` dates, and intervals, "since" and "until" dates of them.
    pub fn with_ranges(single: BoxedStrategy<Edtf>) -> BoxedStrategy<Edtf> {
        prop_oneof![
            single.clone(),
            (single.clone(), single.clone())
                .prop_map(|(start, end)| Edtf::Interval(Box::new(start), Box::new(end))),
            single
                .clone()
                .prop_map(|start| Edtf::Since(Box::new(start))),
            single.prop_map(|end| Edtf::Until(Box::new(end))),
        ]
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_json_fields_in_the_binary_cache() {
        for text in [
            "2023-02-15",
            "2022-07",
            "2019-21",
            "199X",
            "2008/2012",
            "2013/..",
            "../2030",
        ] {
            let date: Edtf = text.parse().expect("parses");
            let json = serde_json::to_string(&date).expect("json");
            assert_eq!(json, format!("\"{text}\""));
            let binary = postcard::to_stdvec(&date).expect("binary");
            assert!(binary.len() < text.len(), "{text}: {binary:?}");
            let back: Edtf = postcard::from_bytes(&binary).expect("decodes");
            assert_eq!(back, date);
        }
    }

    #[test]
    fn edtf_round_trips() {
        for text in [
            "2023-02-15",
            "2022-07",
            "1991",
            "199X",
            "2008/2012",
            "2022-06/2022-07",
            "2013/..",
            "../2030",
            "2019-21",
            "2022-06/..",
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
            "../..",
            "2019-25",
            "2013/../2014",
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
    fn neighbours_and_open_ends() {
        let shift = |text: &str, n: i32| {
            let date: Edtf = text.parse().expect(text);
            date.shifted(n).map(|d| d.to_string())
        };
        assert_eq!(shift("2022-01", -1).as_deref(), Some("2021-12"));
        assert_eq!(shift("2022-07", 7).as_deref(), Some("2023-02"));
        assert_eq!(shift("2024-02-28", 1).as_deref(), Some("2024-02-29"));
        assert_eq!(shift("2023-01-01", -1).as_deref(), Some("2022-12-31"));
        assert_eq!(shift("199X", 1).as_deref(), Some("200X"));
        assert_eq!(shift("2008/2012", 1), None);
        let since: Edtf = "2013/..".parse().expect("since");
        assert_eq!((since.first_year(), since.last_year()), (2013, i32::MAX));
        assert_eq!(since.end(), None);
        let until: Edtf = "../2030".parse().expect("until");
        assert_eq!((until.first_year(), until.last_year()), (i32::MIN, 2030));
    }

    #[test]
    fn months_by_name() {
        assert_eq!(month_from_name("July"), Some(7));
        assert_eq!(month_from_name("Jul."), Some(7));
        assert_eq!(month_from_name("Sept."), Some(9));
        assert_eq!(month_from_name("Ma"), None);
        assert_eq!(month_from_name("Marching"), None);
        let names = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        for (number, name) in (1..).zip(names) {
            assert_eq!(month_from_name(name), Some(number));
            assert_eq!(month_from_name(&name.to_uppercase()), Some(number));
            assert_eq!(month_from_name(&format!("{}.", &name[..3])), Some(number));
        }
        assert_eq!(month_from_name("sept"), Some(9));
        assert_eq!(month_from_name("Septe"), None);
        assert_eq!(month_from_name("Mayé"), None);
        assert_eq!(month_from_name("Julyy"), None);
    }
}
