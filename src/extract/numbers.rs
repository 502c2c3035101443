//! English number words, shared by the date scanner (`two years later`) and the quantity
//! scanner (`nine-and-a-half million`). Lookups only; the grammar lives with each scanner.

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// `zero` to `nineteen`.
pub(crate) fn unit_word(word: &str) -> Option<u32> {
    let position = UNITS.iter().position(|w| w.eq_ignore_ascii_case(word))?;
    u32::try_from(position).ok()
}

/// `twenty` to `ninety`.
pub(crate) fn tens_word(word: &str) -> Option<u32> {
    let position = TENS.iter().position(|w| w.eq_ignore_ascii_case(word))?;
    u32::try_from(position * 10 + 20).ok()
}

/// Words that multiply what comes before them: `hundred`, `million`, `bn`.
pub(crate) fn scale_word(word: &str) -> Option<f64> {
    const SCALES: [(&str, f64); 16] = [
        ("hundred", 1e2),
        ("thousand", 1e3),
        ("k", 1e3),
        ("million", 1e6),
        ("millions", 1e6),
        ("m", 1e6),
        ("mn", 1e6),
        ("mln", 1e6),
        ("billion", 1e9),
        ("billions", 1e9),
        ("bn", 1e9),
        ("bln", 1e9),
        ("trillion", 1e12),
        ("trillions", 1e12),
        ("tn", 1e12),
        ("hundreds", 1e2),
    ];
    lookup(&SCALES, word)
}

/// Fractions by name, as a value: `tenth` is 0.1, `half` 0.5, `thirds` 1/3.
pub(crate) fn fraction_word(word: &str) -> Option<f64> {
    const FRACTIONS: [(&str, f64); 10] = [
        ("half", 1.0 / 2.0),
        ("halve", 1.0 / 2.0),
        ("third", 1.0 / 3.0),
        ("quarter", 1.0 / 4.0),
        ("fifth", 1.0 / 5.0),
        ("sixth", 1.0 / 6.0),
        ("seventh", 1.0 / 7.0),
        ("eighth", 1.0 / 8.0),
        ("ninth", 1.0 / 9.0),
        ("tenth", 1.0 / 10.0),
    ];
    lookup(&FRACTIONS, word.strip_suffix('s').unwrap_or(word))
}

/// A case-insensitive table lookup that allocates nothing (it runs on every word).
pub(crate) fn lookup<T: Copy>(table: &[(&str, T)], word: &str) -> Option<T> {
    table
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))
        .map(|&(_, value)| value)
}

/// The words `small_count` reads, in lower case: digits aside, no other word is a count.
pub(crate) fn count_words() -> impl Iterator<Item = &'static str> {
    ["a", "an"].into_iter().chain(UNITS).chain(TENS)
}

/// A small count written in words or digits, as in `two years later` or `3 years ago`;
/// `a`/`an` count as one.
pub(crate) fn small_count(word: &str) -> Option<u32> {
    if word.eq_ignore_ascii_case("a") || word.eq_ignore_ascii_case("an") {
        return Some(1);
    }
    if let Some(value) = unit_word(word).or_else(|| tens_word(word)) {
        return Some(value);
    }
    word.parse::<u32>().ok().filter(|&n| n <= 200)
}
