//! Citation locators as citeproc reads them: a label (`para.`, `¶`, `pp.`, `chapter`, …) and a
//! value (`4`, `4–6`, `4, 7`, `4–6, 9`). Knows nothing of sources or of which paragraphs exist.
//!
//! A bare number is a page (citeproc's default), not a paragraph. The value stops where
//! citeproc's does: at a comma not followed by a number (`p. 33, emphasis added`).

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocatorLabel {
    Book,
    Chapter,
    Column,
    Figure,
    Folio,
    Number,
    Line,
    Note,
    Opus,
    Page,
    Paragraph,
    Part,
    Section,
    SubVerbo,
    Verse,
    Volume,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locator {
    pub label: LocatorLabel,
    /// `None` for a bare number (a page).
    pub label_range: Option<Range<usize>>,
    /// The whole value: `4–6, 9`.
    pub value: Range<usize>,
    /// Each number or span of the value, in order.
    pub pieces: Vec<LocatorPiece>,
}

/// `4` or `4–6` within a locator's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatorPiece {
    pub range: Range<usize>,
    /// The numbers at either end, when they are numbers (`iv` is not); equal for `4`.
    pub first: Option<u32>,
    pub last: Option<u32>,
}

/// At most this many paragraph numbers come out of one locator: `paras. 1–1000000` is a typo,
/// not a request to allocate a million numbers.
pub const MAX_EXPANDED: usize = 1000;

impl Locator {
    /// The paragraph numbers a paragraph locator points at, sorted and without repeats; empty
    /// for any other label. Spans are expanded up to `MAX_EXPANDED` numbers in all; a span cut
    /// short still yields its last number, so that an out-of-range end is never hidden.
    pub fn paragraphs(&self) -> Vec<u32> {
        if self.label != LocatorLabel::Paragraph {
            return Vec::new();
        }
        let mut numbers = Vec::new();
        for piece in &self.pieces {
            let (Some(first), Some(last)) = (piece.first, piece.last) else {
                continue;
            };
            let (low, high) = (first.min(last), first.max(last));
            let budget = MAX_EXPANDED.saturating_sub(numbers.len());
            let span = (high - low) as usize + 1;
            if span <= budget {
                numbers.extend(low..=high);
            } else {
                numbers.extend((low..=high).take(budget));
                numbers.push(high);
            }
        }
        numbers.sort_unstable();
        numbers.dedup();
        numbers
    }
}

/// Label spellings, matched case-insensitively; a word must end at a non-letter.
const LABELS: &[(&str, LocatorLabel)] = {
    use LocatorLabel::*;
    &[
        ("book", Book),
        ("books", Book),
        ("bk.", Book),
        ("bks.", Book),
        ("chapter", Chapter),
        ("chapters", Chapter),
        ("chap.", Chapter),
        ("chaps.", Chapter),
        ("ch.", Chapter),
        ("column", Column),
        ("columns", Column),
        ("col.", Column),
        ("cols.", Column),
        ("figure", Figure),
        ("figures", Figure),
        ("fig.", Figure),
        ("figs.", Figure),
        ("folio", Folio),
        ("folios", Folio),
        ("fol.", Folio),
        ("fols.", Folio),
        ("number", Number),
        ("numbers", Number),
        ("no.", Number),
        ("nos.", Number),
        ("line", Line),
        ("lines", Line),
        ("l.", Line),
        ("ll.", Line),
        ("note", Note),
        ("notes", Note),
        ("n.", Note),
        ("nn.", Note),
        ("opus", Opus),
        ("opera", Opus),
        ("op.", Opus),
        ("opp.", Opus),
        ("page", Page),
        ("pages", Page),
        ("p.", Page),
        ("pp.", Page),
        ("paragraph", Paragraph),
        ("paragraphs", Paragraph),
        ("para.", Paragraph),
        ("paras.", Paragraph),
        ("¶¶", Paragraph),
        ("¶", Paragraph),
        ("part", Part),
        ("parts", Part),
        ("pt.", Part),
        ("pts.", Part),
        ("section", Section),
        ("sections", Section),
        ("sec.", Section),
        ("secs.", Section),
        ("§§", Section),
        ("§", Section),
        ("sub verbo", SubVerbo),
        ("sub verbis", SubVerbo),
        ("s.v.", SubVerbo),
        ("s.vv.", SubVerbo),
        ("verse", Verse),
        ("verses", Verse),
        ("v.", Verse),
        ("vv.", Verse),
        ("volume", Volume),
        ("volumes", Volume),
        ("vol.", Volume),
        ("vols.", Volume),
    ]
};

/// The locator at the start of `text[range]` (white space first is fine), if there is one.
pub(super) fn parse(text: &str, range: Range<usize>) -> Option<Locator> {
    let rest = text.get(range.clone())?;
    let start = range.start + (rest.len() - rest.trim_start().len());
    let rest = &text[start..range.end];
    let (label, label_range, value_start) = match label_at(rest) {
        Some((label, length)) => {
            let after = &rest[length..];
            let white = after.len() - after.trim_start().len();
            (label, Some(start..start + length), start + length + white)
        }
        None if rest.starts_with(|c: char| c.is_ascii_digit()) => (LocatorLabel::Page, None, start),
        None => return None,
    };
    let pieces = pieces(text, value_start..range.end);
    let value = pieces.first()?.range.start..pieces.last()?.range.end;
    Some(Locator {
        label,
        label_range,
        value,
        pieces,
    })
}

/// The longest label at the start of `rest`, and its length in bytes.
pub(super) fn label_at(rest: &str) -> Option<(LocatorLabel, usize)> {
    LABELS
        .iter()
        .filter(|(spelling, _)| {
            let Some(head) = rest.get(..spelling.len()) else {
                return false;
            };
            let ends_word = !spelling.ends_with(|c: char| c.is_alphabetic())
                || !rest[spelling.len()..].starts_with(char::is_alphanumeric);
            head.eq_ignore_ascii_case(spelling) && ends_word
        })
        .max_by_key(|(spelling, _)| spelling.len())
        .map(|&(spelling, label)| (label, spelling.len()))
}

/// The pieces of a value: `4–6, 9` gives `4–6` and `9`.
fn pieces(text: &str, range: Range<usize>) -> Vec<LocatorPiece> {
    let mut pieces = Vec::new();
    let mut at = range.start;
    while let Some(first) = token(text, at, range.end) {
        let mut piece = LocatorPiece {
            range: first.clone(),
            first: number(text, &first),
            last: number(text, &first),
        };
        let after_first = &text[first.end..range.end];
        let dash = ['-', '–', '—', '‑']
            .into_iter()
            .find(|&dash| after_first.starts_with(dash));
        if let Some(dash) = dash
            && let Some(last) = token(text, first.end + dash.len_utf8(), range.end)
        {
            piece.last = number(text, &last);
            piece.range.end = last.end;
        }
        at = piece.range.end;
        pieces.push(piece);
        // Another piece only after a comma and a number: `4, 7` but not `4, emphasis added`.
        let after = &text[at..range.end];
        let Some(next) = after.strip_prefix(',') else {
            break;
        };
        let next = next.trim_start();
        if !next.starts_with(|c: char| c.is_ascii_digit()) {
            break;
        }
        at = range.end - next.len();
    }
    pieces
}

/// A value token at `at`: digits and letters containing a digit, or a roman numeral.
fn token(text: &str, at: usize, end: usize) -> Option<Range<usize>> {
    let rest = text.get(at..end)?;
    let length = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let token = &rest[..length];
    let numeric = token.bytes().any(|b| b.is_ascii_digit());
    let roman = token.bytes().all(|b| b"ivxlcdmIVXLCDM".contains(&b));
    (length > 0 && (numeric || roman)).then_some(at..at + length)
}

fn number(text: &str, range: &Range<usize>) -> Option<u32> {
    text.get(range.clone())?.parse().ok()
}
