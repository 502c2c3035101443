//! The stretches of a paragraph that can hold a time expression, tokenized alone: most of a
//! paragraph holds none, and tokenizing every word of it cost more than the scanner.
//!
//! Every expression holds a core token (a number or a core word, `vocabulary::CORE`) and
//! starts at most `LEAD` tokens before one, and the scanners read at most `BEHIND` tokens
//! before where they start. A *window* runs from at least `LEAD + BEHIND` tokens before a
//! core token (or from the paragraph's start) to `TAIL` tokens after the last core token in
//! it; the scanner reads the windows' tokens one after the other as it read the whole
//! paragraph's. Between windows no token is made:
//! - the next core token is found by its bytes (`next_anchor`): an ASCII digit, or a run of
//!   ASCII letters whose key `CORE_KEYS` may hold;
//! - the start of its window by counting back runs of text between ASCII white space, each
//!   of which holds a whole token when it holds an ASCII byte (`window_start`).
//!
//! `TAIL` is not proven to cover every read: the scanner checks each read against the window
//! of its core token (`Context::token`) and reads the whole paragraph again when one strays
//! out of it, which prose almost never makes it do.

use std::ops::Range;
use std::sync::LazyLock;

use super::{LEAD, vocabulary};
use crate::extract::scan::{ASCII_LETTER, ASCII_SPACE, LowerKey, Token, ascii_word, tokenize_from};

/// The tokens a window keeps after its last core token: more than the scanners were seen to
/// read past one (`windows_hold_every_read`), so that they seldom read a paragraph twice.
pub(super) const TAIL: usize = 6;

/// The tokens before where it starts that a scanner reads: `the` of `the 90s`, `mid` of
/// `mid-90s`.
pub(super) const BEHIND: usize = 2;

/// Tokenizes the windows of `text` into `tokens`, one after the other, and puts the range of
/// each in `tokens` into `windows`. The last window ends at `usize::MAX` when no token
/// follows it: a read past it finds nothing, as in the whole paragraph. `tail` is `TAIL`
/// but in tests.
pub(super) fn tokenize_windows<'t>(
    text: &'t str,
    tail: usize,
    tokens: &mut Vec<Token<'t>>,
    windows: &mut Vec<Range<usize>>,
) {
    tokens.clear();
    windows.clear();
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(anchor) = next_anchor(bytes, at) {
        let start = window_start(bytes, at, anchor);
        // A window that starts where the last one ended goes on with it.
        if windows.is_empty() || start > at {
            windows.push(tokens.len()..tokens.len());
        }
        // Tokens left to make after the last core token; the anchor's token starts the
        // count even when it is none.
        let mut left = None;
        at = tokenize_from(text, start, tokens, vocabulary::class_of, |token| {
            if vocabulary::is_core(token) || left.is_none() && token.end() > anchor {
                left = Some(tail);
            } else if let Some(left) = &mut left {
                *left -= 1;
            }
            left != Some(0)
        });
        if let Some(last) = windows.last_mut() {
            last.end = tokens.len();
        }
    }
    if let Some(last) = windows.last_mut()
        && text
            .get(at..)
            .is_none_or(|rest| rest.trim_start().is_empty())
    {
        last.end = usize::MAX;
    }
}

/// The first byte at or after `from` that may start a core token: an ASCII digit, or a run of
/// ASCII letters whose key `CORE_KEYS` may hold. It never passes over a core token, and
/// stops at a few words that are none. `from` must not be inside a word.
fn next_anchor(bytes: &[u8], from: usize) -> Option<usize> {
    let core_keys = &*CORE_KEYS;
    let mut at = from;
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii_digit() {
            return Some(at);
        }
        if ASCII_LETTER[usize::from(byte)] {
            // A core word is a whole run of ASCII letters, the word's `LowerKey`.
            let (end, key) = ascii_word(bytes, at);
            if core_keys.may_hold(key) {
                return Some(at);
            }
            at = end;
        } else {
            at += 1;
        }
    }
    None
}

/// Where the window of the core token at byte `anchor` starts: after ASCII white space at
/// least `LEAD + BEHIND` tokens before it, or at `floor` (where the last window ended, or 0)
/// when that comes first. The runs between ASCII white space are counted when they hold an
/// ASCII byte, so a whole token: a run of `\u{a0}` alone holds none.
fn window_start(bytes: &[u8], floor: usize, anchor: usize) -> usize {
    let space = |at: usize| ASCII_SPACE[usize::from(bytes[at])];
    let mut at = anchor;
    // Back to the start of the anchor's own run.
    while at > floor && !space(at - 1) {
        at -= 1;
    }
    let mut runs = 0;
    while runs < LEAD + BEHIND {
        while at > floor && space(at - 1) {
            at -= 1;
        }
        let mut holds_token = false;
        while at > floor && !space(at - 1) {
            holds_token |= bytes[at - 1].is_ascii();
            at -= 1;
        }
        if at == floor {
            return floor;
        }
        runs += usize::from(holds_token);
    }
    at
}

/// A set of `LowerKey`s as one bit each of a hashed table: it holds every key added, and
/// answers yes for about one other word in a hundred.
struct KeyFilter {
    bits: [u64; KeyFilter::BITS / 64],
}

impl KeyFilter {
    const BITS: usize = 4096;

    /// The key's bit: its two halves folded, then multiplied so that the top bits depend on
    /// every byte.
    fn bit(key: LowerKey) -> usize {
        let folded = (key as u64) ^ ((key >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (folded.wrapping_mul(0xFF51_AFD7_ED55_8CCD) >> (64 - KeyFilter::BITS.trailing_zeros()))
            as usize
    }

    fn add(&mut self, key: LowerKey) {
        let bit = KeyFilter::bit(key);
        self.bits[bit / 64] |= 1 << (bit % 64);
    }

    fn may_hold(&self, key: LowerKey) -> bool {
        let bit = KeyFilter::bit(key);
        self.bits[bit / 64] >> (bit % 64) & 1 != 0
    }
}

/// The keys of the core words.
static CORE_KEYS: LazyLock<KeyFilter> = LazyLock::new(|| {
    let mut filter = KeyFilter {
        bits: [0; KeyFilter::BITS / 64],
    };
    for key in vocabulary::core_keys() {
        filter.add(key);
    }
    filter
});
