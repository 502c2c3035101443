//! What a sentence or a passage states that can be checked: the entities it names, its
//! dates, its quantities, and its key terms. The same reading is applied to a brief's
//! sentence and to the source paragraph it cites, so that they can be compared.

use std::collections::HashSet;
use std::ops::Range;

use crate::edtf::Edtf;
use crate::extract::dates::time_expressions;
use crate::extract::quantities::{Quantity, quantities_outside};
use crate::extract::words::is_function_word;
use crate::index::Index;

#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub entities: Vec<EntityMention>,
    /// Dated time expressions.
    pub dates: Vec<(Range<usize>, Edtf)>,
    pub quantities: Vec<Quantity>,
    /// Content words, stemmed, with their ranges.
    pub terms: Vec<(Range<usize>, String)>,
}

/// An entity named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityMention {
    pub range: Range<usize>,
    /// The index's entity number.
    pub entity: usize,
    /// Named by an adjective (`Russian`): weaker evidence than a name.
    pub demonym: bool,
}

impl Facts {
    pub fn entity_set(&self) -> HashSet<usize> {
        self.entities.iter().map(|m| m.entity).collect()
    }

    pub fn term_set(&self) -> HashSet<&str> {
        self.terms.iter().map(|(_, t)| t.as_str()).collect()
    }
}

/// Ranges left out of a text's facts (citations, code, quotations), merged once per brief into
/// sorted, disjoint spans so that each sentence finds its own by binary search. Regression: a
/// 5 MB brief (80,000 cited sentences) took minutes when every sentence scanned, and copied,
/// every citation of the brief.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkipRanges(Vec<Range<usize>>);

impl SkipRanges {
    pub fn new(ranges: impl IntoIterator<Item = Range<usize>>) -> Self {
        let mut ranges: Vec<Range<usize>> = ranges.into_iter().collect();
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for range in ranges {
            match merged.last_mut() {
                // Only true overlaps merge; ends stay sorted either way.
                Some(last) if range.start < last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        SkipRanges(merged)
    }

    /// The spans that overlap `range`, as `a.start < b.end && b.start < a.end` means.
    pub fn overlapping(&self, range: &Range<usize>) -> &[Range<usize>] {
        let low = self.0.partition_point(|s| s.end <= range.start);
        let high = self.0.partition_point(|s| s.start < range.end);
        self.0.get(low..high.max(low)).unwrap_or(&[])
    }
}

/// The facts of `text[range]`; `skip` ranges (citations, code) are left out. `anchor` and
/// `published` date relative expressions, as in the sources.
pub fn facts(
    index: &Index,
    text: &str,
    range: Range<usize>,
    skip: &SkipRanges,
    published: Option<&Edtf>,
) -> Facts {
    let Some(slice) = text.get(range.clone()) else {
        return Facts::default();
    };
    let skip = skip.overlapping(&range);
    let outside = |r: &Range<usize>| !skip.iter().any(|s| s.start < r.end && r.start < s.end);
    let entities: Vec<EntityMention> = index
        .matcher()
        .find(text, range.clone())
        .into_iter()
        .filter(|m| outside(&m.range))
        .map(|m| EntityMention {
            range: m.range,
            entity: m.entity,
            demonym: m.demonym,
        })
        .collect();
    let times = time_expressions(slice, None, published);
    let dates: Vec<(Range<usize>, Edtf)> = times
        .iter()
        .filter_map(|t| {
            Some((
                range.start + t.range.start..range.start + t.range.end,
                t.date.clone()?,
            ))
        })
        .filter(|(r, _)| outside(r))
        .collect();
    let quantities: Vec<Quantity> = quantities_outside(slice, &times)
        .into_iter()
        .map(|q| Quantity {
            range: range.start + q.range.start..range.start + q.range.end,
            ..q
        })
        .filter(|q| outside(&q.range))
        .collect();
    let taken: Vec<Range<usize>> = entities
        .iter()
        .map(|m| m.range.clone())
        .chain(dates.iter().map(|(r, _)| r.clone()))
        .chain(quantities.iter().map(|q| q.range.clone()))
        .chain(skip.iter().cloned())
        .collect();
    let terms = words(slice)
        .filter_map(|(at, word)| {
            let r = range.start + at..range.start + at + word.len();
            let free = !taken.iter().any(|t| t.start < r.end && r.start < t.end);
            (free && is_key_term(word)).then(|| (r, stem(&word.to_lowercase())))
        })
        .collect();
    Facts {
        entities,
        dates,
        quantities,
        terms,
    }
}

/// What a brief's claims are read without: citations, code spans, link targets, HTML, and
/// (`with_quotations`) quoted words.
pub fn brief_skips(brief: &crate::brief::Brief, with_quotations: bool) -> SkipRanges {
    let quotations = brief
        .quotes
        .iter()
        .filter(|_| with_quotations)
        .map(|q| q.range.clone());
    SkipRanges::new(
        brief
            .citations
            .iter()
            .map(|c| c.group.clone())
            .chain(brief.skipped.iter().map(|s| s.range.clone()))
            .chain(quotations),
    )
}

/// Words of a text with their byte offsets.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .scan(0usize, |offset, piece| {
            let at = *offset;
            *offset += piece.len() + 1;
            Some((at, piece))
        })
        .map(|(at, piece)| {
            let trimmed = piece.trim_matches(|c: char| !c.is_alphanumeric());
            let lead = piece.len()
                - piece
                    .trim_start_matches(|c: char| !c.is_alphanumeric())
                    .len();
            (at + lead, trimmed)
        })
        .filter(|(_, word)| !word.is_empty())
}

/// A word that carries meaning: not a function word, not a common verb of reporting, at
/// least four letters.
fn is_key_term(word: &str) -> bool {
    let lower = word.to_lowercase();
    lower.chars().count() >= 4
        && lower.chars().any(char::is_alphabetic)
        && !is_function_word(&lower)
        && !matches!(
            lower.as_str(),
            "have"
                | "has"
                | "had"
                | "been"
                | "were"
                | "would"
                | "could"
                | "should"
                | "will"
                | "said"
                | "says"
                | "also"
                | "more"
                | "most"
                | "very"
                | "into"
                | "made"
                | "make"
                | "such"
                | "them"
                | "then"
                | "than"
                | "they"
                | "their"
                | "this"
                | "that"
                | "with"
                | "what"
                | "when"
                | "which"
                | "while"
                | "year"
                | "years"
                | "other"
                | "others"
                | "only"
                | "over"
                | "some"
                | "much"
                | "many"
                | "well"
                | "just"
                | "does"
                | "done"
                | "being"
                | "both"
                | "each"
                | "even"
                | "ever"
                | "here"
                | "there"
                | "these"
                | "those"
                | "where"
                | "whom"
                | "your"
                | "ours"
                | "itself"
                | "first"
                | "last"
                | "according"
                | "became"
                | "become"
                | "becomes"
                | "remain"
                | "remains"
        )
}

/// A light stem, so that `drones` meets `drone` and `traveled` meets `travel`.
pub fn stem(word: &str) -> String {
    let word = word
        .trim_end_matches(['\'', '’'])
        .trim_end_matches("'s")
        .trim_end_matches("’s");
    // `-es` only after a sibilant (`processes`, `churches`); else a plural takes `-s`.
    let sibilant_plural = ["sses", "ches", "shes", "xes", "zes"]
        .iter()
        .any(|end| word.ends_with(end));
    let rules: [(&str, &str); 5] = [
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ed", ""),
        (if sibilant_plural { "es" } else { "s" }, ""),
    ];
    for (suffix, keep) in rules {
        if let Some(base) = word.strip_suffix(suffix)
            && base.chars().count() >= 3
            && !(suffix == "s" && base.ends_with('s'))
        {
            return format!("{base}{keep}");
        }
    }
    word.to_string()
}

/// Whether two dates can describe the same time: equal, or one within the other
/// (`2022` and `July 2022`; `1995` and `the 1990s`).
pub fn dates_agree(claim: &Edtf, passage: &Edtf) -> bool {
    // `since 2009` and `since 2013` name different starts: open intervals agree only on
    // their bound.
    match (claim, passage) {
        (Edtf::Since(a), Edtf::Since(b)) | (Edtf::Until(a), Edtf::Until(b)) => {
            return dates_agree(a, b);
        }
        (Edtf::Since(_), Edtf::Until(_)) | (Edtf::Until(_), Edtf::Since(_)) => return false,
        _ => {}
    }
    let (claim, passage) = (key(claim), key(passage));
    let within = |inner: (i64, i64), outer: (i64, i64)| outer.0 <= inner.0 && inner.1 <= outer.1;
    within(claim, passage) || within(passage, claim)
}

/// How many days a date spans, roughly: the smaller, the more precise.
pub fn span(date: &Edtf) -> i64 {
    let (first, last) = key(date);
    last.saturating_sub(first)
}

/// The first and last day a date covers, as comparable numbers (yyyymmdd); open ends are
/// the smallest and largest numbers.
fn key(date: &Edtf) -> (i64, i64) {
    let day = |y: i32, m: u8, d: u8| i64::from(y) * 10_000 + i64::from(m) * 100 + i64::from(d);
    match date {
        Edtf::Day {
            year,
            month,
            day: d,
        } => (day(*year, *month, *d), day(*year, *month, *d)),
        Edtf::Month { year, month } => (day(*year, *month, 1), day(*year, *month, 31)),
        Edtf::Season { year, .. } | Edtf::Year(year) => (day(*year, 1, 1), day(*year, 12, 31)),
        Edtf::Decade(start) => (day(*start, 1, 1), day(start + 9, 12, 31)),
        Edtf::Interval(start, end) => (key(start).0, key(end).1),
        Edtf::Since(start) => (key(start).0, i64::MAX),
        Edtf::Until(end) => (i64::MIN, key(end).1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Edtf {
        text.parse().expect(text)
    }

    #[test]
    fn dates_agree_when_one_holds_the_other() {
        assert!(dates_agree(&date("2022"), &date("2022-07")));
        assert!(dates_agree(&date("2022-07-14"), &date("2022-07")));
        assert!(dates_agree(&date("1995"), &date("199X")));
        assert!(dates_agree(&date("2008/2012"), &date("2008/2012")));
        assert!(!dates_agree(&date("2023-07"), &date("2022-07")));
        assert!(!dates_agree(&date("2009/2013"), &date("2008/2012")));
        assert!(!dates_agree(&date("2009/.."), &date("2013/..")));
        assert!(dates_agree(&date("2013/.."), &date("2013/..")));
        assert!(
            dates_agree(&date("../2012-05"), &date("2012-05")),
            "by May 2012"
        );
    }

    #[test]
    fn stems_meet() {
        assert_eq!(stem("drones"), stem("drone"));
        assert_eq!(stem("traveled"), "travel");
        assert_eq!(stem("countries"), "country");
        assert_eq!(stem("process"), "process");
    }

    proptest::proptest! {
        /// Regression (a 5 MB brief took minutes): the merged, searched skip ranges answer
        /// "does this range touch a skipped one" exactly as a scan of every range did.
        #[test]
        fn skip_ranges_agree_with_a_scan_of_every_range(
            ranges in proptest::collection::vec((0usize..200, 0usize..30), 0..40),
            probes in proptest::collection::vec((0usize..230, 1usize..30), 1..40),
        ) {
            let ranges: Vec<Range<usize>> = ranges.into_iter().map(|(s, l)| s..s + l).collect();
            let skip = SkipRanges::new(ranges.clone());
            for (start, len) in probes {
                let probe = start..start + len;
                let scanned = ranges.iter().any(|s| s.start < probe.end && probe.start < s.end);
                let found = skip
                    .overlapping(&probe)
                    .iter()
                    .any(|s| s.start < probe.end && probe.start < s.end);
                proptest::prop_assert_eq!(scanned, found, "{:?} in {:?}", probe, ranges);
            }
        }
    }
}
