//! Dates and years spelled as their `Display` spells them, by hand: the keys' collision
//! order compares dates as written, and a key ends in a year, for thousands of sources at
//! once, where the formatting machinery cost over a thousand instructions a date.

use std::cmp::Ordering;

use crate::edtf::Edtf;

/// A date as `Edtf`'s `Display` writes it, ordered as that text is.
#[derive(Debug, Clone)]
pub struct SpelledDate {
    /// The usual dates (years of four digits), up to an interval of two days.
    short: [u8; 24],
    short_len: u8,
    /// Any other date, spelled by `Display`.
    long: Option<String>,
}

impl SpelledDate {
    pub fn of(date: &Edtf) -> SpelledDate {
        let mut spelled = SpelledDate {
            short: [0; 24],
            short_len: 0,
            long: None,
        };
        if !spelled.write(date) {
            spelled.long = Some(date.to_string());
        }
        spelled
    }

    pub fn as_bytes(&self) -> &[u8] {
        match &self.long {
            Some(long) => long.as_bytes(),
            None => self
                .short
                .get(..usize::from(self.short_len))
                .unwrap_or_default(),
        }
    }

    /// Writes `date` after what is written; `false` for a date it does not spell (a year
    /// past four digits or before zero, a month past two).
    fn write(&mut self, date: &Edtf) -> bool {
        match date {
            Edtf::Day { year, month, day } => {
                self.year(*year)
                    && self.push(b"-")
                    && self.digits(u32::from(*month), 2)
                    && self.push(b"-")
                    && self.digits(u32::from(*day), 2)
            }
            Edtf::Month { year, month: part } | Edtf::Season { year, season: part } => {
                self.year(*year) && self.push(b"-") && self.digits(u32::from(*part), 2)
            }
            Edtf::Year(year) => self.year(*year),
            Edtf::Decade(start) => {
                u32::try_from(*start).is_ok_and(|start| self.digits(start / 10, 3))
                    && self.push(b"X")
            }
            Edtf::Interval(start, end) => self.write(start) && self.push(b"/") && self.write(end),
            Edtf::Since(start) => self.write(start) && self.push(b"/.."),
            Edtf::Until(end) => self.push(b"../") && self.write(end),
        }
    }

    fn year(&mut self, year: i32) -> bool {
        u32::try_from(year).is_ok_and(|year| self.digits(year, 4))
    }

    /// `value` in exactly `width` digits (at most four), as `{value:0width$}` writes a value
    /// that fits.
    fn digits(&mut self, value: u32, width: usize) -> bool {
        let mut digits = [b'0'; 4];
        let Some(digits) = digits.get_mut(..width) else {
            return false;
        };
        let mut rest = value;
        for digit in digits.iter_mut().rev() {
            *digit = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        rest == 0 && self.push(digits)
    }

    fn push(&mut self, bytes: &[u8]) -> bool {
        let start = usize::from(self.short_len);
        let end = start + bytes.len();
        match self.short.get_mut(start..end) {
            Some(place) => {
                place.copy_from_slice(bytes);
                self.short_len = end as u8;
                true
            }
            None => false,
        }
    }
}

impl PartialEq for SpelledDate {
    fn eq(&self, other: &SpelledDate) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for SpelledDate {}

impl PartialOrd for SpelledDate {
    fn partial_cmp(&self, other: &SpelledDate) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SpelledDate {
    fn cmp(&self, other: &SpelledDate) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

/// Writes `number` after `out` as `Display` does.
pub fn push_number(out: &mut String, number: i32) {
    if number < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    let mut rest = number.unsigned_abs();
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // ASCII digits: always UTF-8, pushed at once rather than a character at a time.
    out.push_str(std::str::from_utf8(&digits[start..]).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::edtf::strategies;

    fn date() -> BoxedStrategy<Edtf> {
        let year = prop_oneof![
            Just(0),
            Just(9),
            Just(999),
            Just(2023),
            Just(9999),
            Just(10_000),
            Just(-1),
            Just(-10),
            Just(i32::MIN),
            Just(i32::MAX),
        ];
        let small = prop_oneof![Just(0u8), Just(7), Just(21), Just(99), Just(100), Just(255)];
        let single = strategies::single(year, small);
        let nested = (strategies::with_ranges(single.clone()), single.clone())
            .prop_map(|(start, end)| Edtf::Interval(Box::new(start), Box::new(end)));
        prop_oneof![strategies::with_ranges(single), nested].boxed()
    }

    proptest! {
        #[test]
        fn a_date_is_spelled_as_displayed(date in date()) {
            let spelled = SpelledDate::of(&date);
            let displayed = date.to_string();
            prop_assert_eq!(spelled.as_bytes(), displayed.as_bytes());
        }

        #[test]
        fn dates_order_as_their_text(a in date(), b in date()) {
            prop_assert_eq!(
                SpelledDate::of(&a).cmp(&SpelledDate::of(&b)),
                a.to_string().cmp(&b.to_string())
            );
        }

        #[test]
        fn a_number_is_written_as_displayed(number in any::<i32>()) {
            let mut out = "key".to_string();
            push_number(&mut out, number);
            prop_assert_eq!(out, format!("key{number}"));
        }
    }

    #[test]
    fn the_extreme_numbers_are_written_as_displayed() {
        for number in [0, -1, 9, 10, i32::MIN, i32::MAX] {
            let mut out = String::new();
            push_number(&mut out, number);
            assert_eq!(out, number.to_string());
        }
    }
}
