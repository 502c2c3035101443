//! What the name tokenizer may pass over (`tokens/sparse.rs`), given the forms: the words
//! of plain prose are passed over only where the search for forms would find nothing at
//! them, and would cover none of them with a match.

use crate::extract::scan::ASCII_LETTER_OR_DIGIT;
use crate::extract::tokens::ProseSkip;
use crate::extract::tokens::sparse::is_anchor;

/// The skipping the forms allow, if any: none when a form has no anchor (a match in plain
/// prose), opens with a symbol (looked for between words), or opens inside a plain word and
/// goes on past it but for the anchors after it (`occupied Palestinian` in
/// `preoccupied Palestinian` is fine: its `P` follows the word).
pub(super) fn prose_skip(
    forms: &[String],
    first_run_len: impl Fn(&str) -> usize,
) -> Option<ProseSkip> {
    let mut lead = 0;
    let mut cold_openings = Vec::new();
    let mut lower_words: Vec<&[u8]> = Vec::new();
    let mut crossing_runs: Vec<&[u8]> = Vec::new();
    for form in forms {
        let bytes = form.as_bytes();
        let first_anchor = bytes.iter().position(|&b| is_anchor(b))?;
        let run_len = first_run_len(form);
        let &first = bytes.first()?;
        if run_len == 0 {
            return None;
        }
        lead = lead.max(word_starts(&bytes[..first_anchor]));
        if !is_anchor(first) {
            let second = if run_len > 1 { bytes[1] } else { 0 };
            cold_openings.push(u16::from(first) << 8 | u16::from(second));
        }
        let run = &bytes[..run_len];
        let plain_run = run.iter().all(|&b| !is_anchor(b));
        let anchor_follows = bytes.get(run_len).is_some_and(|&b| is_anchor(b))
            || bytes.get(run_len + 1).is_some_and(|&b| is_anchor(b));
        if run_len < bytes.len() && plain_run {
            if !anchor_follows {
                return None;
            }
            crossing_runs.push(run);
        }
        lower_words.extend(
            bytes
                .split(|&b| !ASCII_LETTER_OR_DIGIT[usize::from(b)])
                .filter(|word| !word.is_empty() && !word.iter().any(|&b| is_anchor(b))),
        );
    }
    // A form with two words before its first anchor reaches past a plain word into another
    // (and is refused above); one word before is read, with the one before it.
    (lead <= 1).then(|| ProseSkip::new(cold_openings, lower_words, crossing_runs))
}

/// How many words (ASCII letters and digits after any other byte) start in `bytes`.
fn word_starts(bytes: &[u8]) -> usize {
    let is_word = |b: &u8| ASCII_LETTER_OR_DIGIT[usize::from(*b)];
    let mut starts = 0;
    let mut in_word = false;
    for b in bytes {
        let word = is_word(b);
        if word && !in_word {
            starts += 1;
        }
        in_word = word;
    }
    starts
}
