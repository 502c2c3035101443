//! Time expressions in English prose (`in July 2022`, `the mid-1980s`, `(2008–2012)`,
//! `the following year`) with the EDTF date each one names. Pure; knows nothing of briefs.
//!
//! A hand scanner over [`tokens`](super::tokens): one pass, no regex, no allocation beyond
//! the token list, because it runs over every paragraph of every source.
//!
//! **Ranges.** A range covers the expression with its leading preposition or determiner
//! when it has one, because the preposition is part of the meaning (`since 2013` is not
//! `2013`): `In July 2022`, `during the mid-to-late 1980s`, `between 2003 and 2010`,
//! `the following year`. Two exceptions: a year used as an adjective covers the year only
//! (`2015` in `the 2015 Joint Comprehensive Plan`, where `the` belongs to the plan), and
//! parentheses are punctuation, not part of the range (`2008–2012` in `(2008–2012)`).
//!
//! **Prepositions.** `since X` is `X/..`; `by`, `until`, `up to X` are `../X`; `before X`
//! is `../` the unit before X and `after X` the unit after X `/..`; `X onwards` is `X/..`.
//! `circa`/`around` keep X (EDTF's `~` qualifier is not modelled yet).
//!
//! **Relative expressions** are resolved by `relative`: never guessed, `date: None` when
//! the context does not fix them. Within a paragraph each bounded date found becomes the
//! anchor for the expressions after it; [`next_anchor`] gives the anchor for the next one.

mod relative;
#[cfg(test)]
mod tests;
mod vocabulary;
mod written;
mod years;

use std::ops::Range;

use super::scan::{APOSTROPHES, DASHES, Kind, Span, Token, tokenize_into};
use crate::edtf::Edtf;
use written::{Shape, Simple, modifier_at, simple_at};
use years::year_is_date;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeExpression {
    /// Byte range into the paragraph's text.
    pub range: Range<usize>,
    /// The date named; `None` when the expression is relative and its context is unknown.
    pub date: Option<Edtf>,
    /// Whether the date depends on context (`the following year`, `last year`, `on March 3`).
    pub relative: bool,
}

/// Time expressions in `text` (one paragraph), in order. `anchor` is the latest date known
/// before this paragraph (for relative expressions); `published` is the document's own date.
pub fn time_expressions(
    text: &str,
    anchor: Option<&Edtf>,
    published: Option<&Edtf>,
) -> Vec<TimeExpression> {
    let mut found = Vec::new();
    time_expressions_in(text, anchor, published, &mut Vec::new(), &mut found);
    found
}

/// `time_expressions` in `found` (emptied first), with `tokens` to tokenize into: one
/// vector of each serves every paragraph of a source, where each paragraph allocated its
/// expressions anew.
pub(super) fn time_expressions_in(
    text: &str,
    anchor: Option<&Edtf>,
    published: Option<&Edtf>,
    tokens: &mut Vec<Span>,
    found: &mut Vec<TimeExpression>,
) {
    tokenize_into(
        text,
        tokens,
        vocabulary::classifier(),
        vocabulary::number_class,
    );
    let tokens = tokens.as_slice();
    found.clear();
    let mut context = Context::new(
        text,
        tokens,
        anchor.filter(|a| a.is_bounded()),
        published,
        std::mem::take(found),
    );
    let mut i = 0;
    // The first core token at or after `i`, and where the run of tokens that may lead to it
    // starts: every expression from `i` on holds that core, so none starts before the run,
    // and the tokens before it are passed over.
    let mut core = first_core(tokens, 0);
    let mut reach = lead_start(tokens, core);
    while i < tokens.len() {
        if core < i {
            core = first_core(tokens, i);
            reach = lead_start(tokens, core);
        }
        if core == tokens.len() {
            break;
        }
        i = i.max(reach);
        if !may_start(&tokens[i], text) {
            i += 1;
            continue;
        }
        // Both scanners start with the preposition, if any: read it once.
        let preposition_here = preposition(&context, i);
        let relative_here = relative::may_be_at(tokens, i)
            .then(|| relative::at(&context, i, preposition_here))
            .flatten();
        let Some(found_here) = relative_here.or_else(|| absolute_at(&context, i, preposition_here))
        else {
            i += 1;
            continue;
        };
        let (Some(first), Some(last)) =
            (tokens.get(found_here.start), tokens.get(found_here.end - 1))
        else {
            break;
        };
        context.push(TimeExpression {
            range: first.start()..last.end(),
            date: found_here.date,
            relative: found_here.relative,
        });
        i = found_here.end;
    }
    *found = context.found;
}

/// Whether any scanner can find an expression that starts at `token`. Most tokens are
/// ordinary words: one flag rejects them, where trying every scanner costs dozens of
/// table searches. It must answer `true` wherever `relative::at` or `absolute_at` could
/// match (the tests check it), and may answer `true` more often.
fn may_start(span: &Span, text: &str) -> bool {
    match span.kind {
        // Years, days, counts.
        Kind::Number => true,
        // `’90s`.
        Kind::Punct => span.token(text).is_punct(APOSTROPHES),
        // Month names capitalised, as `month_at` reads them.
        Kind::Word => {
            span.class & vocabulary::START != 0
                || span.class & vocabulary::MONTH != 0 && span.token(text).is_capitalised()
        }
    }
}

/// The most tokens an expression runs before its first number or core word: a preposition
/// of two tokens, `the`, a modifier of six (`mid-to-late-`), an apostrophe (`up to the
/// mid-to-late-’90s`). A relative phrase needs fewer.
const LEAD: usize = 10;

/// Where the tokens that may stand in an expression before the core token at `core` start:
/// punctuation and `vocabulary::INNER` words, at most `LEAD` of them. An expression that
/// holds the core and starts before them would hold a word no expression has there.
fn lead_start(tokens: &[Span], core: usize) -> usize {
    let before = &tokens[core.saturating_sub(LEAD)..core.min(tokens.len())];
    let lead = before
        .iter()
        .rev()
        .take_while(|t| t.kind == Kind::Punct || t.class & vocabulary::INNER != 0)
        .count();
    core.min(tokens.len()) - lead
}

/// The first token at or after `i` that is a number or a core word, or `tokens.len()`.
fn first_core(tokens: &[Span], i: usize) -> usize {
    let rest = tokens.get(i..).unwrap_or_default();
    // Most tokens are no core: four are passed over on one test of their classes together,
    // where each was tested and counted in turn.
    let (fours, _) = rest.as_chunks::<4>();
    let passed = fours
        .iter()
        .take_while(|[a, b, c, d]| {
            !vocabulary::is_core_class(a.class | b.class | c.class | d.class)
        })
        .count()
        * 4;
    rest[passed..]
        .iter()
        .position(vocabulary::is_core)
        .map_or(tokens.len(), |at| i + passed + at)
}

/// Which of a paragraph's expressions `found` dates the paragraph after it (its anchor):
/// the last with a bounded date. With none, the anchor stays what it was.
pub fn next_anchor(found: &[TimeExpression]) -> Option<usize> {
    found
        .iter()
        .rposition(|e| e.date.as_ref().is_some_and(Edtf::is_bounded))
}

/// What the scanners read: the tokens, the dates that relative expressions count from, and
/// the expressions found so far. Dates are borrowed, from the caller or from `found`: each
/// was cloned per paragraph and per expression found.
pub(super) struct Context<'t, 'a, 'd> {
    /// The paragraph, and its tokens.
    text: &'a str,
    tokens: &'t [Span],
    /// The anchor before the paragraph (bounded), until an expression found gives one.
    anchor_before: Option<&'d Edtf>,
    published: Option<&'d Edtf>,
    found: Vec<TimeExpression>,
    /// The expression of `found` whose date is the anchor: the last with a bounded date.
    anchor_found: Option<usize>,
}

impl<'t, 'a, 'd> Context<'t, 'a, 'd> {
    /// `found` is empty: the vector is passed in to be reused.
    fn new(
        text: &'a str,
        tokens: &'t [Span],
        anchor: Option<&'d Edtf>,
        published: Option<&'d Edtf>,
        found: Vec<TimeExpression>,
    ) -> Self {
        Context {
            text,
            tokens,
            anchor_before: anchor,
            published,
            found,
            anchor_found: None,
        }
    }

    /// The latest bounded date known: the anchor for relative expressions.
    fn anchor(&self) -> Option<&Edtf> {
        match self.anchor_found {
            Some(at) => self.found.get(at).and_then(|e| e.date.as_ref()),
            None => self.anchor_before,
        }
    }

    /// Records an expression found; a bounded date becomes the anchor.
    fn push(&mut self, expression: TimeExpression) {
        if expression.date.as_ref().is_some_and(Edtf::is_bounded) {
            self.anchor_found = Some(self.found.len());
        }
        self.found.push(expression);
    }
}

impl<'a> Context<'_, 'a, '_> {
    fn token(&self, i: usize) -> Option<Token<'a>> {
        Some(self.tokens.get(i)?.token(self.text))
    }
    // The next three test the kind and the length on the span, before the token is made:
    // most tokens they are asked of are of another kind or length.
    fn word(&self, i: usize, word: &str) -> bool {
        self.tokens.get(i).is_some_and(|s| {
            s.kind == Kind::Word && s.len() == word.len() && s.token(self.text).is_word(word)
        })
    }
    fn any_word(&self, i: usize, words: &[&str]) -> bool {
        self.tokens.get(i).is_some_and(|s| {
            s.kind == Kind::Word
                && words.iter().any(|w| w.len() == s.len())
                && s.token(self.text).is_any_word(words)
        })
    }
    fn punct(&self, i: usize, chars: &str) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|s| s.kind == Kind::Punct && s.token(self.text).is_punct(chars))
    }
    /// Whether token `i` starts right where token `i - 1` ends (no space between).
    fn joined(&self, i: usize) -> bool {
        i > 0
            && matches!((self.tokens.get(i - 1), self.tokens.get(i)), (Some(a), Some(b)) if a.end() == b.start())
    }
}

/// What a scanner found: tokens `start..end`, the date, and whether it came from context.
pub(super) struct Found {
    start: usize,
    end: usize,
    date: Option<Edtf>,
    relative: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Preposition {
    In,
    Since,
    Until,
    Before,
    After,
    From,
    Between,
}

/// Every word `preposition` reads at the token it starts from.
pub(super) const PREPOSITION_WORDS: [&str; 20] = [
    "in",
    "on",
    "of",
    "during",
    "throughout",
    "around",
    "circa",
    "since",
    "by",
    "until",
    "till",
    "before",
    "after",
    "from",
    "between",
    "c",
    "ca",
    "up",
    "pre",
    "post",
];

/// The preposition at token `i` and the token after it.
fn preposition(context: &Context, i: usize) -> Option<(Preposition, usize)> {
    let token = context.token(i)?;
    // Prepositions are start words: one flag turns the others away before lower-casing.
    if token.kind() != Kind::Word || token.class() & vocabulary::START == 0 {
        return None;
    }
    let lower = vocabulary::key_of(token.word()).to_le_bytes();
    let plain = match lower.get(..token.text_len())? {
        b"in" | b"on" | b"of" | b"during" | b"throughout" | b"around" | b"circa" => {
            Some(Preposition::In)
        }
        b"since" => Some(Preposition::Since),
        b"by" | b"until" | b"till" => Some(Preposition::Until),
        b"before" => Some(Preposition::Before),
        b"after" => Some(Preposition::After),
        b"from" => Some(Preposition::From),
        b"between" => Some(Preposition::Between),
        _ => None,
    };
    if let Some(p) = plain {
        return Some((p, i + 1));
    }
    if token.is_any_word(&["c", "ca"]) && context.punct(i + 1, ".") && context.joined(i + 1) {
        return Some((Preposition::In, i + 2));
    }
    if token.is_word("up") && context.word(i + 1, "to") {
        return Some((Preposition::Until, i + 2));
    }
    // `pre-1991`, `post-2014`.
    if token.is_any_word(&["pre", "post"]) && context.punct(i + 1, DASHES) && context.joined(i + 2)
    {
        let p = if token.is_word("pre") {
            Preposition::Before
        } else {
            Preposition::After
        };
        return Some((p, i + 2));
    }
    None
}

/// A written date, year, decade or season at `i`, with its preposition and interval.
fn absolute_at(
    context: &Context,
    i: usize,
    preposition_here: Option<(Preposition, usize)>,
) -> Option<Found> {
    let (preposition, after_preposition) = match preposition_here {
        Some((p, after)) => (Some(p), after),
        None => (None, i),
    };
    let mut j = after_preposition;
    let the = context.word(j, "the");
    j += usize::from(the);
    let modified = modifier_at(context, j);
    let first = simple_at(context, modified.unwrap_or(j))?;

    // The interval's second date: `2008–2012`, `2008–12`, `from X to Y`, `between X and Y`.
    let joiner = context.punct(first.end, DASHES)
        || context.any_word(first.end, &["to", "until", "till", "through"])
            && (preposition == Some(Preposition::From) || first.shape == Shape::Written)
        || context.word(first.end, "and") && preposition == Some(Preposition::Between);
    let second = if joiner {
        interval_end(context, &first, first.end + 1)
    } else {
        None
    };
    // The dates move into the expression's: they were cloned.
    let (first_shape, second_shape) = (first.shape, second.as_ref().map(|s| s.shape));
    let (mut date, end, needs_year) = match second {
        Some(second) => {
            let start = if first.needs_year && !second.needs_year {
                with_year(&first.date, second.date.first_year())?
            } else {
                first.date
            };
            if start.first_year() > second.date.first_year() || start == second.date {
                return None;
            }
            let interval = Edtf::Interval(Box::new(start), Box::new(second.date));
            (interval, second.end, second.needs_year)
        }
        None => (first.date, first.end, first.needs_year),
    };
    if preposition == Some(Preposition::Between) && second_shape.is_none() {
        return None;
    }

    let bare_year =
        first_shape == Shape::BareYear && second_shape.is_none_or(|s| s == Shape::BareYear);
    if the && matches!(first_shape, Shape::BareYear | Shape::Written) && modified.is_none() {
        return None; // `in the 2015 elections`: the year is an adjective, found on its own.
    }
    if first_shape == Shape::Alone && preposition.is_none() && modified.is_none() {
        return None;
    }
    let start_token = modified.unwrap_or(j);
    // `abc1990s`, `F16`: digits glued to a word are part of a name.
    let glued = start_token > 0
        && context.joined(start_token)
        && context
            .token(start_token - 1)
            .is_some_and(|t| t.kind() != Kind::Punct);
    if glued {
        return None;
    }
    if bare_year
        && !year_is_date(
            context,
            start_token,
            end,
            preposition.is_some() || modified.is_some() || second_shape.is_some(),
        )
    {
        return None;
    }
    let onwards = context.any_word(end, &["onwards", "onward"]);
    let relative = needs_year;
    if needs_year {
        date = match infer_year(context, &date) {
            Some(dated) => dated,
            None => {
                return Some(Found {
                    start: i,
                    end,
                    date: None,
                    relative,
                });
            }
        };
    }
    let date = apply_preposition(
        if onwards {
            Some(Preposition::Since)
        } else {
            preposition
        },
        date,
    );
    let start = if bare_year && preposition.is_none() && modified.is_none() {
        start_token
    } else {
        i
    };
    Some(Found {
        start,
        end: end + usize::from(onwards),
        date,
        relative,
    })
}

/// What a preposition makes of a date: `since X` is `X/..`, `before X` is `../` the unit
/// before X; `in`, `from` and the rest leave it as it is.
fn apply_preposition(preposition: Option<Preposition>, date: Edtf) -> Option<Edtf> {
    let since = |d: &Edtf| Edtf::Since(Box::new(d.clone()));
    let until = |d: &Edtf| Edtf::Until(Box::new(d.clone()));
    match preposition {
        Some(Preposition::Since) => date.start().map(since),
        Some(Preposition::Until) => date.end().map(until),
        Some(Preposition::Before) => date.start().and_then(|s| s.shifted(-1)).as_ref().map(until),
        Some(Preposition::After) => date.end().and_then(|e| e.shifted(1)).as_ref().map(since),
        _ => Some(date),
    }
}

/// The date after an interval's joiner: a full date, or `12` in `2008–12`.
fn interval_end(context: &Context, first: &Simple, i: usize) -> Option<Simple> {
    if first.shape == Shape::BareYear
        && let Some(token) = context.token(i)
        && token.text_len() == 2
        && let Some(short) = token.plain_number()
    {
        let century = first.date.first_year() / 100 * 100;
        let year = century + i32::try_from(short).ok()?;
        return (!context.joined(i + 1) || !context.word(i + 1, "s")).then_some(Simple {
            end: i + 1,
            date: Edtf::Year(year),
            needs_year: false,
            shape: Shape::BareYear,
        });
    }
    let second = simple_at(context, i)?;
    (second.shape != Shape::Alone || first.shape == Shape::Alone).then_some(second)
}

/// Puts `year` into a date read without one.
fn with_year(date: &Edtf, year: i32) -> Option<Edtf> {
    match date {
        Edtf::Day { month, day, .. } => Edtf::day(year, *month, *day),
        Edtf::Month { month, .. } => Edtf::month(year, *month),
        Edtf::Season { season, .. } => Edtf::season(year, *season),
        _ => None,
    }
}

/// The year of a month or day written without one: the anchor's when the anchor lies
/// within one year; else the latest such date not after publication (news writes `on
/// March 3` for the last March 3); else none.
fn infer_year(context: &Context, date: &Edtf) -> Option<Edtf> {
    if let Some(anchor) = context.anchor()
        && anchor.first_year() == anchor.last_year()
    {
        return with_year(date, anchor.first_year());
    }
    let published = context.published?;
    let year = published.first_year();
    let candidate = with_year(date, year)?;
    let later = match (published, &candidate) {
        (
            Edtf::Day {
                month: pm, day: pd, ..
            },
            Edtf::Day { month, day, .. },
        ) => (month, day) > (pm, pd),
        (
            Edtf::Day { month: pm, .. } | Edtf::Month { month: pm, .. },
            Edtf::Day { month, .. } | Edtf::Month { month, .. },
        ) => month > pm,
        _ => false,
    };
    if later {
        with_year(date, year - 1)
    } else {
        Some(candidate)
    }
}
