//! `misquote`: a quotation in a cited sentence that the cited passage does not contain, after
//! folding quote marks, dashes, case and white space. A near match shows the source's words
//! and offers them as the fix.

use std::ops::Range;

use super::support::cited_passages;
use super::{Code, Finding, Fix, Passages, Related};
use crate::ide::{Analysis, SourceRange};
use crate::index::Index;

/// A near match must share at least this share of the quotation's words, in order.
const NEAR_MATCH: f64 = 0.5;

pub fn check(index: &Index, analysis: &Analysis, memo: &Passages, findings: &mut Vec<Finding>) {
    let brief = &analysis.brief;
    for quote in &brief.quotes {
        // Sentences are in order: the one that holds the quotation is found by bisection.
        let after = brief
            .sentences
            .partition_point(|s| s.range.start <= quote.range.start);
        let Some(sentence) = after
            .checked_sub(1)
            .and_then(|i| brief.sentences.get(i))
            .filter(|s| quote.range.end <= s.range.end)
        else {
            continue;
        };
        let citations: Vec<_> = sentence
            .citations
            .iter()
            .filter_map(|&i| brief.citations.get(i))
            .collect();
        let passages: Vec<SourceRange> = citations
            .iter()
            .flat_map(|citation| cited_passages(index, citation).into_iter().flatten())
            .collect();
        if passages.is_empty() {
            continue; // uncited, or cited to a key or paragraph that is not there
        }
        let quoted = analysis.text.get(quote.inner.clone()).unwrap_or("");
        if fold(quoted).trim().is_empty() {
            continue;
        }
        // The memo keeps what was read, so an edit reads no source again.
        let read: Vec<_> = passages
            .iter()
            .map(|place| (place, memo.get(index, place)))
            .collect();
        let texts: Vec<(&SourceRange, &str)> = read
            .iter()
            .map(|(place, data)| {
                let text = data.as_ref().and_then(|d| d.text.get(place.range.clone()));
                (*place, text.unwrap_or_default())
            })
            .collect();
        if texts.iter().any(|(_, text)| contains_quote(text, quoted)) {
            continue;
        }
        let near = texts
            .iter()
            .filter_map(|(place, text)| {
                let (range, score) = nearest_words(text, quoted)?;
                Some((score, *place, text, range))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(score, ..)| *score >= NEAR_MATCH);
        let first = &passages[0];
        let (message, fixes, related_place) = match near {
            Some((_, place, text, range)) => {
                let words = &text[range.clone()];
                let absolute = place.range.start + range.start..place.range.start + range.end;
                (
                    format!("the cited passage says “{words}”"),
                    vec![Fix {
                        title: "Use the source's words".to_string(),
                        edits: vec![(quote.inner.clone(), words.to_string())],
                    }],
                    SourceRange {
                        source: place.source,
                        range: absolute,
                    },
                )
            }
            None => (
                "the cited passage does not contain these words".to_string(),
                Vec::new(),
                first.clone(),
            ),
        };
        findings.push(Finding {
            code: Code::Misquote,
            range: quote.range.clone(),
            message,
            related: vec![Related {
                place: related_place,
                message: "the cited passage".to_string(),
            }],
            fixes,
        });
    }
}

/// Whether `passage` contains `quoted`, folded; an ellipsis in the quotation stands for
/// words left out, so its parts must appear in order.
pub fn contains_quote(passage: &str, quoted: &str) -> bool {
    let passage = fold(passage);
    let mut from = 0;
    for part in quoted
        .split(['…'])
        .flat_map(|p| p.split("..."))
        .flat_map(|p| p.split(". . ."))
    {
        let part = fold(part);
        // Punctuation at a quotation's ends is the writer's (`“a pariah,” he wrote`).
        let part = part
            .trim()
            .trim_matches([',', '.', ';', ':', '!', '?', '\''])
            .trim();
        if part.is_empty() {
            continue;
        }
        match passage[from..].find(part) {
            Some(at) => from += at + part.len(),
            None => return false,
        }
    }
    true
}

/// Lower case, one kind of quote mark and dash, single spaces, no punctuation at the ends.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.chars() {
        let ch = match ch {
            '“' | '”' | '„' | '«' | '»' | '"' | '‘' | '’' | '`' | '\'' => '\'',
            '–' | '—' | '‒' | '―' | '−' => '-',
            c if c.is_whitespace() => {
                // No space next to a dash: `pariah—and` is `pariah – and`.
                space = !out.is_empty() && !out.ends_with('-');
                continue;
            }
            c => c,
        };
        if space && ch != '-' {
            out.push(' ');
        }
        space = false;
        out.extend(ch.to_lowercase());
    }
    out
}

/// The run of the passage's words most like the quotation's: the byte range in `passage`
/// and the share of the quotation's words it has, in order.
fn nearest_words(passage: &str, quoted: &str) -> Option<(Range<usize>, f64)> {
    let wanted: Vec<String> = word_spans(quoted).into_iter().map(|(_, w)| w).collect();
    let words = word_spans(passage);
    if wanted.is_empty() || words.is_empty() {
        return None;
    }
    let width = wanted.len();
    // Most of the quotation's words in order first, then the shortest run that has them.
    let mut best: Option<((usize, usize, bool), Range<usize>)> = None;
    for size in width.saturating_sub(2).max(1)..=width + 3 {
        for start in 0..words.len().saturating_sub(size - 1) {
            let window: Vec<&str> = words[start..start + size]
                .iter()
                .map(|(_, w)| w.as_str())
                .collect();
            let common = common_in_order(&wanted, &window);
            // Most words in order, then the length nearest the quotation's, then a run that
            // opens with the quotation's first word.
            let aligned = window.first().copied() == wanted.first().map(String::as_str);
            let rank = (common, usize::MAX - size.abs_diff(width), aligned);
            let better = best.as_ref().is_none_or(|(best_rank, _)| rank > *best_rank);
            if better {
                let range = words[start].0.start..words[start + size - 1].0.end;
                best = Some((rank, range));
            }
        }
    }
    best.map(|((common, _, _), range)| (range, common as f64 / width as f64))
}

fn word_spans(text: &str) -> Vec<(Range<usize>, String)> {
    super::facts::words(text)
        .map(|(at, word)| (at..at + word.len(), fold(word)))
        .collect()
}

/// The length of the longest common subsequence of two word lists.
fn common_in_order(a: &[String], b: &[&str]) -> usize {
    let mut table = vec![0usize; b.len() + 1];
    for word in a {
        let mut diagonal = 0;
        for (j, other) in b.iter().enumerate() {
            let above = table[j + 1];
            table[j + 1] = if word == other {
                diagonal + 1
            } else {
                table[j + 1].max(table[j])
            };
            diagonal = above;
        }
    }
    table[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_match_after_folding() {
        let passage = "transforming Russia into an international pariah—and Iran into a lifeline for Putin's government.";
        assert!(contains_quote(
            passage,
            "an international pariah – and Iran into a  LIFELINE"
        ));
        assert!(contains_quote(passage, "Russia into … a lifeline"));
        assert!(!contains_quote(passage, "an international outcast"));
    }

    #[test]
    fn the_nearest_words_are_found() {
        let passage = "Iran into a lifeline for Putin's government.";
        let (range, score) = nearest_words(passage, "a lifeline for the Kremlin").expect("near");
        assert_eq!(&passage[range], "a lifeline for Putin's government");
        assert!(score >= 0.5, "{score}");
    }
}
