//! Numbers and quantities in English prose, normalised so that claims can be compared:
//! `three decades` and `thirty years` are both 30 `year`; `nine-and-a-half million` and
//! `9.5 million` are both 9 500 000. Pure; knows nothing of briefs.
//!
//! A quantity is an optional qualifier (`more than`, `nearly`), an optional currency sign,
//! a number in digits (`9.5`, `1,000`, `5 000`) or words (`eighty-five`, `a dozen`,
//! `a tenth`), an optional scale (`million`, `bn`) and an optional unit: the noun after it,
//! singular and lower-case (`soldiers` → `soldier`), with durations in years (`decade` ×10,
//! `century` ×100), percentages as `percent` and currencies as ISO codes (`€` → `EUR`).
//!
//! Years are dates, not quantities: [`quantities`] drops every number inside a time
//! expression (`in 1991`, `February 15, 2023`, `two years later`).

#[cfg(test)]
mod tests;

use std::ops::Range;

use super::dates::{TimeExpression, time_expressions};
use super::numbers::{fraction_word, lookup, scale_word, tens_word, unit_word};
use super::scan::{DASHES, Kind, Token, tokenize};

#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Byte range into the text, qualifier and unit included.
    pub range: Range<usize>,
    pub value: f64,
    /// The normalised unit: `year`, `percent`, `USD`, `soldier`; `None` for a bare number.
    pub unit: Option<String>,
    pub qualifier: Qualifier,
}

/// How the text hedges the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    Exact,
    /// `about`, `around`, `some`, `roughly`, `approximately`.
    About,
    /// `nearly`, `almost`, `close to`: a little less.
    Nearly,
    /// `more than`, `over`, `upwards of`.
    MoreThan,
    /// `less than`, `fewer than`, `under`.
    LessThan,
    /// `at least`.
    AtLeast,
    /// `up to`, `as many as`.
    AtMost,
}

impl Quantity {
    /// Whether two quantities state the same amount of the same thing, qualifiers aside.
    pub fn same_amount(&self, other: &Quantity) -> bool {
        let scale = self.value.abs().max(other.value.abs()).max(1.0);
        self.unit == other.unit && (self.value - other.value).abs() <= scale * 1e-9
    }
}

/// The quantities in `text` that are not part of a time expression, in order.
pub fn quantities(text: &str) -> Vec<Quantity> {
    quantities_outside(text, &time_expressions(text, None, None))
}

/// The quantities in `text` that overlap none of `times` (found earlier by the caller).
pub fn quantities_outside(text: &str, times: &[TimeExpression]) -> Vec<Quantity> {
    let tokens = tokenize(text);
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match quantity_at(&tokens, i) {
            Some((end, quantity)) => {
                let overlaps = times.iter().any(|t| {
                    t.range.start < quantity.range.end && quantity.range.start < t.range.end
                });
                if !overlaps {
                    found.push(quantity);
                }
                i = end;
            }
            None => i += 1,
        }
    }
    found
}

fn word(tokens: &[Token], i: usize, text: &str) -> bool {
    tokens.get(i).is_some_and(|t| t.is_word(text))
}

fn joined(tokens: &[Token], i: usize) -> bool {
    i > 0
        && matches!((tokens.get(i - 1), tokens.get(i)), (Some(a), Some(b)) if a.end() == b.start())
}

const QUALIFIERS: &[(&[&str], Qualifier)] = &[
    (&["more", "than"], Qualifier::MoreThan),
    (&["upwards", "of"], Qualifier::MoreThan),
    (&["in", "excess", "of"], Qualifier::MoreThan),
    (&["well", "over"], Qualifier::MoreThan),
    (&["just", "over"], Qualifier::MoreThan),
    (&["over"], Qualifier::MoreThan),
    (&["less", "than"], Qualifier::LessThan),
    (&["fewer", "than"], Qualifier::LessThan),
    (&["under"], Qualifier::LessThan),
    (&["at", "least"], Qualifier::AtLeast),
    (&["up", "to"], Qualifier::AtMost),
    (&["as", "many", "as"], Qualifier::AtMost),
    (&["as", "much", "as"], Qualifier::AtMost),
    (&["close", "to"], Qualifier::Nearly),
    (&["just", "under"], Qualifier::Nearly),
    (&["nearly"], Qualifier::Nearly),
    (&["almost"], Qualifier::Nearly),
    (&["about"], Qualifier::About),
    (&["around"], Qualifier::About),
    (&["approximately"], Qualifier::About),
    (&["roughly"], Qualifier::About),
    (&["some"], Qualifier::About),
    (&["circa"], Qualifier::About),
];

/// The qualifier at `i` and the token after it; hyphens between its words are allowed, as
/// in `more-than-four decades`.
fn qualifier_at(tokens: &[Token], i: usize) -> Option<(Qualifier, usize)> {
    QUALIFIERS.iter().find_map(|&(words, qualifier)| {
        let mut j = i;
        for w in words {
            if !word(tokens, j, w) {
                return None;
            }
            j += 1;
            if tokens.get(j).is_some_and(|t| t.is_punct(DASHES)) && joined(tokens, j) {
                j += 1;
            }
        }
        Some((qualifier, j))
    })
}

fn currency_sign(tokens: &[Token], i: usize) -> Option<(&'static str, usize)> {
    let token = tokens.get(i)?;
    if token.is_word("US") && tokens.get(i + 1).is_some_and(|t| t.is_punct("$")) {
        return Some(("USD", i + 2));
    }
    let code = match token.text() {
        "$" => "USD",
        "€" => "EUR",
        "£" => "GBP",
        "¥" => "JPY",
        "₽" => "RUB",
        _ => return None,
    };
    Some((code, i + 1))
}

/// A number at `i`: digits or words, then a scale. Returns the value, the token after it,
/// and whether it was only `one`/`a` (which alone is a pronoun or an article, not a count).
fn number_at(tokens: &[Token], i: usize, currency: bool) -> Option<(f64, usize, bool)> {
    let (mut value, mut end, weak) = match tokens.get(i)?.kind() {
        Kind::Number => {
            let (value, end) = digits_at(tokens, i)?;
            (value, end, false)
        }
        Kind::Word => words_at(tokens, i)?,
        Kind::Punct => return None,
    };
    // `9.5 million`, `5bn`, `$5m`: `m` and `k` are scales only after a currency sign.
    if let Some(next) = tokens.get(end).filter(|t| t.kind() == Kind::Word) {
        let letter_scale = matches!(next.text(), "m" | "k");
        let scale = if letter_scale && !currency {
            None
        } else {
            scale_word(next.text())
        };
        if let Some(scale) = scale.filter(|&s| s >= 1e3 || tokens[i].kind() == Kind::Number) {
            value *= scale;
            end += 1;
        }
    }
    Some((value, end, weak))
}

/// Digits at `i`, joining `5 000` written with a space between groups of three.
fn digits_at(tokens: &[Token], i: usize) -> Option<(f64, usize)> {
    let first = tokens.get(i)?;
    let mut value = first.number_value()?;
    let mut end = i + 1;
    if first.text_len() <= 3 && first.plain_number().is_some() {
        while let Some(group) = tokens.get(end)
            && group.text_len() == 3
            && group.plain_number().is_some()
            // Any whitespace between (space, no-break space, thin space), at most 3 bytes.
            && group.start() - tokens[end - 1].end() <= 3
        {
            value = value * 1000.0 + group.number_value()?;
            end += 1;
        }
    }
    Some((value, end))
}

/// Number words at `i`: `eighty-five`, `two hundred and fifty`, `nine-and-a-half million`,
/// `a dozen`, `a tenth`, `half a million`, `two-thirds`.
fn words_at(tokens: &[Token], i: usize) -> Option<(f64, usize, bool)> {
    let text = |j: usize| {
        tokens
            .get(j)
            .filter(|t| t.kind() == Kind::Word)
            .map(|t| t.text())
    };
    let dash = |j: usize| tokens.get(j).is_some_and(|t| t.is_punct(DASHES)) && joined(tokens, j);
    let is_number_word =
        |j: usize| text(j).is_some_and(|w| unit_word(w).is_some() || tens_word(w).is_some());
    let first = text(i)?;
    // `a dozen`, `a million`, `a tenth`, `a decade`: the article counts as one.
    let article = first.eq_ignore_ascii_case("a") || first.eq_ignore_ascii_case("an");
    let mut j = i + usize::from(article);
    let mut total = 0.0;
    let mut current = if article { 1.0 } else { 0.0 };
    // Whether a digit word may come next: at the start, and after `hundred` or `million`.
    let mut open = !article;
    let mut any = article;
    while let Some(w) = text(j) {
        if let Some(tens) = tens_word(w).filter(|_| open) {
            current += f64::from(tens);
            j += 1;
            if dash(j)
                && let Some(unit) = text(j + 1).and_then(unit_word)
            {
                current += f64::from(unit);
                j += 2;
            }
            open = false;
        } else if let Some(unit) = unit_word(w).filter(|_| open) {
            current += f64::from(unit);
            j += 1;
            open = false;
        } else if any && w.eq_ignore_ascii_case("dozen") {
            current *= 12.0;
            j += 1;
        } else if !any
            && w.eq_ignore_ascii_case("half")
            && (word(tokens, j + 1, "of") || word(tokens, j + 1, "a"))
        {
            current = 0.5;
            j += 1;
            if word(tokens, j, "a") && text(j + 1).and_then(scale_word).is_some() {
                j += 1; // `half a million`
            }
        } else if let Some(fraction) = fraction_word(w).filter(|_| any) {
            current *= fraction;
            j += 1;
        } else if let Some(scale) = scale_word(w).filter(|&s| any && s >= 100.0 && w.len() > 2) {
            if scale > 100.0 {
                total += current * scale;
                current = 0.0;
            } else {
                current *= scale;
            }
            j += 1;
            open = true;
        } else {
            break;
        }
        any = true;
        let gap = usize::from(dash(j));
        if word(tokens, j + gap, "and") {
            // `nine-and-a-half`, `nine and a half`, `two hundred and fifty`.
            let a_at = j + gap + 1 + usize::from(dash(j + gap + 1));
            let half_at = a_at + 1 + usize::from(dash(a_at + 1));
            if word(tokens, a_at, "a") && word(tokens, half_at, "half") {
                current += 0.5;
                j = half_at + 1;
            } else if open && is_number_word(a_at) {
                j = a_at;
            }
        } else if dash(j) && text(j + 1).and_then(fraction_word).is_some() {
            j += 1; // `two-thirds`
        }
    }
    let article_alone = article && j == i + 1;
    if !any || article_alone && !text(j).is_some_and(is_time_unit) {
        return None;
    }
    let weak = j == i + 1 && (article || first.eq_ignore_ascii_case("one"));
    Some((total + current, j, weak))
}

fn is_time_unit(word: &str) -> bool {
    time_unit(word).is_some()
}

/// Durations in one unit: years (decades and centuries folded in), months, weeks, days.
fn time_unit(word: &str) -> Option<(&'static str, f64)> {
    const UNITS: [(&str, (&str, f64)); 14] = [
        ("year", ("year", 1.0)),
        ("years", ("year", 1.0)),
        ("decade", ("year", 10.0)),
        ("decades", ("year", 10.0)),
        ("century", ("year", 100.0)),
        ("centuries", ("year", 100.0)),
        ("month", ("month", 1.0)),
        ("months", ("month", 1.0)),
        ("week", ("week", 1.0)),
        ("weeks", ("week", 1.0)),
        ("day", ("day", 1.0)),
        ("days", ("day", 1.0)),
        ("hour", ("hour", 1.0)),
        ("hours", ("hour", 1.0)),
    ];
    lookup(&UNITS, word)
}

/// Words that follow a number without being what it counts.
const NOT_UNITS: &[&str] = &[
    "of", "and", "or", "the", "a", "an", "to", "in", "on", "at", "for", "by", "with", "from", "as",
    "than", "that", "this", "is", "are", "was", "were", "be", "been", "had", "has", "have", "will",
    "would", "could", "should", "may", "might", "can", "did", "do", "does", "not", "more", "less",
    "per", "each", "who", "which", "it", "its", "they", "their", "he", "she", "we", "into", "over",
    "under", "after", "before", "during", "since", "until", "s", "other", "such", "but", "so",
    "if", "when", "while", "also", "all", "both", "later", "earlier", "ago",
];

/// The unit after a number at `i`: its name, a factor for the value, and the token after.
fn unit_at(tokens: &[Token], i: usize) -> Option<(String, f64, usize)> {
    let token = tokens.get(i)?;
    if token.is_punct("%") {
        return Some(("percent".into(), 1.0, i + 1));
    }
    // `eight-year war`: the unit joined by a hyphen.
    let hyphenated = token.is_punct(DASHES) && joined(tokens, i) && joined(tokens, i + 1);
    let at = if hyphenated { i + 1 } else { i };
    let noun = tokens.get(at).filter(|t| t.kind() == Kind::Word)?;
    if let Some((unit, factor)) = time_unit(noun.text()) {
        return Some((unit.into(), factor, at + 1));
    }
    if hyphenated {
        return None;
    }
    let lower = noun.text().to_ascii_lowercase();
    if lower == "percent" || lower == "pc" {
        return Some(("percent".into(), 1.0, at + 1));
    }
    if lower == "per" && word(tokens, at + 1, "cent") {
        return Some(("percent".into(), 1.0, at + 2));
    }
    if lower == "percentage" && word(tokens, at + 1, "points") {
        return Some(("percentage point".into(), 1.0, at + 2));
    }
    let currency = match lower.as_str() {
        "dollars" | "dollar" => Some("USD"),
        "euros" | "euro" => Some("EUR"),
        "rubles" | "roubles" | "ruble" | "rouble" => Some("RUB"),
        "rials" | "rial" => Some("IRR"),
        "yuan" => Some("CNY"),
        _ => None,
    };
    if let Some(code) = currency {
        return Some((code.into(), 1.0, at + 1));
    }
    // `5,000 Russian soldiers`: one capitalised adjective may stand before the noun.
    if noun.is_capitalised() {
        let next = tokens
            .get(at + 1)
            .filter(|t| t.kind() == Kind::Word && !t.is_capitalised())?;
        let unit = singular(&next.text().to_ascii_lowercase())?;
        return Some((unit, 1.0, at + 2));
    }
    Some((singular(&lower)?, 1.0, at + 1))
}

/// The singular of a plural noun, by the common English endings; `None` for non-units.
fn singular(word: &str) -> Option<String> {
    if NOT_UNITS.contains(&word) || word.len() > 20 {
        return None;
    }
    let irregular = match word {
        "people" => Some("person"),
        "men" => Some("man"),
        "women" => Some("woman"),
        "children" => Some("child"),
        _ => None,
    };
    if let Some(irregular) = irregular {
        return Some(irregular.into());
    }
    if let Some(stem) = word.strip_suffix("ies").filter(|s| s.len() > 1) {
        return Some(format!("{stem}y"));
    }
    if word.ends_with("ss") || word.ends_with("us") || word.len() <= 3 {
        return Some(word.into());
    }
    Some(word.strip_suffix('s').unwrap_or(word).into())
}

/// A quantity starting at token `i`, and the token after it.
fn quantity_at(tokens: &[Token], i: usize) -> Option<(usize, Quantity)> {
    let (qualifier, after_qualifier) = qualifier_at(tokens, i).unwrap_or((Qualifier::Exact, i));
    let (currency, after_currency) = match currency_sign(tokens, after_qualifier) {
        Some((code, after)) => (Some(code), after),
        None => (None, after_qualifier),
    };
    let (value, after_number, weak) = number_at(tokens, after_currency, currency.is_some())?;
    // `no one came`, `each one`: a pronoun, not a count.
    let pronoun = ["no", "any", "every", "each", "the", "this", "that"];
    if weak && after_currency > 0 && tokens[after_currency - 1].is_any_word(&pronoun) {
        return None;
    }
    let unit = if currency.is_some() {
        None
    } else {
        unit_at(tokens, after_number)
    };
    let (unit, value, end) = match (currency, unit) {
        (Some(code), _) => (Some(code.to_string()), value, after_number),
        (None, Some((unit, factor, end))) => (Some(unit), value * factor, end),
        (None, None) if weak => return None,
        (None, None) => (None, value, after_number),
    };
    let start = tokens.get(i)?.start();
    let last = tokens.get(end.checked_sub(1)?)?;
    Some((
        end,
        Quantity {
            range: start..last.end(),
            value,
            unit,
            qualifier,
        },
    ))
}
