//! Unit tests of the name tokenizer: words, initials, possessives, sentences and runs,
//! against the tokenizer as first written.

use super::*;

fn words(text: &str) -> Vec<String> {
    tokenize(text, 0..text.len())
        .iter()
        .map(|t| {
            let mut shown = t.text(text).to_string();
            if t.sentence_start {
                shown.insert(0, '^');
            }
            if t.possessive {
                shown.push_str("'s");
            }
            if t.gap == Gap::Hyphen {
                shown.insert(0, '-');
            }
            shown
        })
        .collect()
}

#[test]
fn words_initials_possessives_and_sentences() {
    assert_eq!(
        words("Ilan I. Berman met U.S. officials. Putin's trip to Tehran."),
        [
            "^Ilan",
            "I.",
            "Berman",
            "met",
            "U.S.",
            "officials",
            "^Putin's",
            "trip",
            "to",
            "Tehran"
        ]
    );
    assert_eq!(
        words("Iranian-designed drones; O’Brien said: “Years from now…”"),
        [
            "^Iranian",
            "-designed",
            "drones",
            "O’Brien",
            "said",
            "^Years",
            "from",
            "now"
        ]
    );
    assert_eq!(
        words("the United States' allies"),
        ["^the", "United", "States's", "allies"]
    );
    assert_eq!(
        words("the United States’ allies. States’"),
        ["^the", "United", "States's", "allies", "^States's"]
    );
}

mod reference {
    use super::super::*;

    /// The tokenizer as first written, char by char and with the word's last characters
    /// tracked as it goes: what the faster one must reproduce.
    pub(super) fn tokenize_into(text: &str, range: Range<usize>, tokens: &mut Vec<Token>) {
        let slice = &text[range.clone()];
        let base = range.start;
        tokens.clear();
        // About one word in six bytes of prose: most paragraphs never grow the vector.
        tokens.reserve(slice.len() / 6 + 1);
        let mut at = 0;
        let mut gap_start = 0;
        while let Some(ch) = char_at(slice, at) {
            if !ch.is_alphanumeric() {
                // Spaces and punctuation between words, ASCII without decoding.
                at += ch.len_utf8();
                at = run_end(slice.as_bytes(), at, &ASCII_NOT_WORD);
                continue;
            }
            let start = at;
            let end = word_end(slice, start);
            let word = &slice[start..end];
            let (stem_end, possessive) = strip_possessive(slice, start, end);
            let word_end = stem_end - start;
            let between = &slice[gap_start..start];
            // One space is the usual gap: no punctuation to look through.
            let (gap, opens) = if between == " " && !tokens.is_empty() {
                (Gap::Space, "")
            } else {
                let gap = if tokens.is_empty() && between.trim().is_empty() {
                    Gap::Start
                } else if between.chars().all(char::is_whitespace) {
                    Gap::Space
                } else if between == "-" {
                    Gap::Hyphen
                } else {
                    Gap::Punctuation
                };
                let opens = between.trim_end_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[')
                });
                (gap, opens)
            };
            let sentence_start = match tokens.last() {
                None => true,
                Some(previous) => {
                    opens.ends_with(['.', '!', '?', ':', '…'])
                        || (opens.is_empty()
                            && text.as_bytes()[..previous.range.end].ends_with(b".")
                            && !is_initial(&text[previous.range.clone()]))
                }
            };
            tokens.push(Token {
                range: base + start..base + start + word_end,
                gap,
                sentence_start,
                possessive,
            });
            // A trailing possessive apostrophe (`States'`, `States’`) is part of the gap no
            // longer.
            gap_start = if possessive && word_end == word.len() {
                end + char_at(slice, end).map_or(0, char::len_utf8)
            } else {
                end
            };
            at = end;
        }
    }

    /// Where the word that starts at byte `start` ends: letters and digits, with apostrophes
    /// and periods inside the word.
    fn word_end(text: &str, start: usize) -> usize {
        let bytes = text.as_bytes();
        let mut end = start;
        // The word's last two characters so far, for the periods of initials.
        let mut last: Option<char> = None;
        let mut before_last: Option<char> = None;
        loop {
            // ASCII letters and digits, most of every word, without decoding.
            let run = run_end(bytes, end, &ASCII_LETTER_OR_DIGIT) - end;
            if run > 0 {
                end += run;
                before_last = match run {
                    1 => last,
                    _ => Some(char::from(bytes[end - 2])),
                };
                last = Some(char::from(bytes[end - 1]));
            }
            // Most words end at an ASCII space or mark that cannot continue them.
            if bytes
                .get(end)
                .is_none_or(|&b| b.is_ascii() && b != b'\'' && b != b'.')
            {
                break;
            }
            let Some(c) = char_at(text, end) else {
                break;
            };
            let inside_word = c.is_alphanumeric()
                || (matches!(c, '\'' | '’')
                    && char_at(text, end + c.len_utf8()).is_some_and(char::is_alphanumeric))
                || (c == '.' && is_abbreviation_period(last, before_last));
            if !inside_word {
                break;
            }
            before_last = last;
            last = Some(c);
            end += c.len_utf8();
        }
        end
    }
}

proptest::proptest! {
    #[test]
    fn words_are_read_as_the_reference_reads_them(
        text in "([A-Za-z0-9]{1,6}|[A-Z]\\.|s|’|'|‘|“|\\.|,|-|:|\\(| |  |\n|é|É|\\PC){0,40}"
    ) {
        let mut fast = Words::default();
        let mut reference = Vec::new();
        tokenize_into(&text, 0..text.len(), &mut fast);
        reference::tokenize_into(&text, 0..text.len(), &mut reference);
        proptest::prop_assert_eq!(fast.tokens, reference, "in {:?}", text);
    }

    /// The runs are those of the lexicon's own reading.
    #[test]
    fn runs_are_the_runs_of_letters_and_digits(
        text in "([A-Za-z0-9]{1,6}|[A-Z]\\.|s|’|'|‘|“|\\.|,|-|:|\\(| |  |\n|é|É|\\PC){0,40}"
    ) {
        let mut words = Words::default();
        let prefix = "Ab ";
        let whole = format!("{prefix}{text}");
        tokenize_into(&whole, prefix.len()..whole.len(), &mut words);
        let expected: Vec<Range<usize>> = runs_of(&text);
        proptest::prop_assert_eq!(words.runs, expected, "in {:?}", text);
    }

    #[test]
    fn any_text_tokenizes_without_panicking(
        text in "([A-Za-z]{1,6}|s|’|'|‘|“|\\.|,|-| |é|\\PC){0,40}"
    ) {
        for token in tokenize(&text, 0..text.len()) {
            proptest::prop_assert!(text.get(token.range.clone()).is_some());
        }
    }
}

/// The runs of letters and digits, a character at a time.
fn runs_of(text: &str) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                runs.push(from..at);
                start = None;
            }
            _ => {}
        }
    }
    runs
}

/// Each byte value, at each of the eight places, among letters.
#[test]
fn eight_bytes_are_told_apart_as_one_byte_is() {
    for byte in 0..=u8::MAX {
        for place in 0..8 {
            let mut eight = *b"abcXYZ09";
            eight[place] = byte;
            let others = not_ascii_letters_or_digits(u64::from_le_bytes(eight));
            for (at, &b) in eight.iter().enumerate() {
                let flagged = others >> (8 * at + 7) & 1 == 1;
                assert_eq!(flagged, !b.is_ascii_alphanumeric(), "{byte:#x} at {place}");
            }
        }
    }
}

/// `is_acronym` as first written, a character at a time.
fn is_acronym_by_chars(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let opens_with_letter = word.chars().next().is_some_and(char::is_alphabetic);
    (letters >= 2 || (letters == 1 && digits > 0 && opens_with_letter))
        && word
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '.')
}

proptest::proptest! {
    #[test]
    fn acronyms_are_told_as_a_walk_of_characters_tells_them(word in "[A-Za-z0-9.\\-É]{0,6}") {
        proptest::prop_assert_eq!(is_acronym(&word), is_acronym_by_chars(&word), "{:?}", word);
    }
}

#[test]
fn acronyms() {
    assert!(is_acronym("KGB") && is_acronym("G20") && is_acronym("U.S."));
    assert!(!is_acronym("I") && !is_acronym("Putin") && !is_acronym("2015"));
}

#[test]
fn general_punctuation_has_no_letter_or_digit() {
    for c in '\u{2000}'..='\u{206f}' {
        assert_eq!(is_letter_or_digit(c), c.is_alphanumeric(), "{c:?}");
    }
}

/// Words of prose as name recognition meets them: plain words, connectors, capitals,
/// initials, known names (some with lower-case words), numbers, marks.
const PROSE_WORD: &str = "(the|of|and|in|from|at|de|bin|al|la|y|said|were|officials|territory|occupied|preoccupied|administration|oPt|may|[a-z]{1,9}|[0-9]{1,4}|May|Iran|Iranian|Tehran|Palestinian|United|States|U\\.S\\.|J\\.|Putin's|States'|O'Brien|O’Brien|Minister|Foreign|President|Ministry|Finance|Élysée|Tromsø|naïve|[A-Z][a-z]{1,6}|JCPOA|don't|it’s|é)";
const PROSE_GLUE: &str = "( | |  | |, |\\. |-|'| ’|’ | — | “|” |; |: | \\(|\\) |\n|\\.|)";

/// `words` joined by `glue`.
fn prose(words: &[String], glue: &[String]) -> String {
    words
        .iter()
        .zip(glue)
        .flat_map(|(w, g)| [w.as_str(), g.as_str()])
        .collect()
}

proptest::proptest! {
    /// Each word read when plain prose is passed over is read as when every word is, and so
    /// are its runs.
    #[test]
    fn passing_over_prose_reads_a_part_of_the_words(
        words in proptest::collection::vec(PROSE_WORD, 0..50),
        glue in proptest::collection::vec(PROSE_GLUE, 50),
    ) {
        let text = prose(&words, &glue);
        let skip = crate::extract::lexicon::Lexicon::built_in().prose_skip();
        proptest::prop_assert!(skip.is_some());
        let mut all = Words::default();
        let mut some = Words::default();
        tokenize_into(&text, 0..text.len(), &mut all);
        tokenize_skipping_into(&text, 0..text.len(), &mut some, skip);
        // A word read after words passed over has a punctuation gap.
        let mut rest = all.tokens.iter();
        for token in &some.tokens {
            let same = |t: &Token| {
                t.range == token.range
                    && t.sentence_start == token.sentence_start
                    && t.possessive == token.possessive
                    && (t.gap == token.gap || token.gap == Gap::Punctuation)
            };
            proptest::prop_assert!(rest.any(same), "{:?} in {:?}", token, text);
        }
        let mut rest = all.runs.iter();
        for run in &some.runs {
            proptest::prop_assert!(rest.any(|r| r == run), "{:?} in {:?}", run, text);
        }
    }
}
