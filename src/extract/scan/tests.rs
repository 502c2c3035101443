//! Tests of the date and quantity tokenizer.

use super::*;

#[test]
fn byte_classes_agree_with_char_tests() {
    for byte in 0..=255u8 {
        let c = char::from(byte);
        let ascii = byte.is_ascii();
        assert_eq!(ASCII_LETTER[usize::from(byte)], ascii && c.is_alphabetic());
        assert_eq!(
            ASCII_LETTER_OR_DIGIT[usize::from(byte)],
            ascii && c.is_alphanumeric()
        );
        assert_eq!(ASCII_SPACE[usize::from(byte)], ascii && c.is_whitespace());
        assert_eq!(
            ASCII_NOT_WORD[usize::from(byte)],
            ascii && !c.is_alphanumeric()
        );
    }
}

/// The tokenizer as it was before it tested bytes by frequency and read words eight
/// bytes at a time: a character at a time, by `char` tests.
fn reference_tokens(text: &str) -> Vec<(&str, usize, Kind)> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut start = 0;
    while let Some(c) = char_at(text, start) {
        let (end, kind) = if c.is_ascii_digit() {
            (number_end(bytes, start).0, Kind::Number)
        } else if c.is_alphabetic() {
            (letters_end(text, start), Kind::Word)
        } else if c.is_whitespace() {
            start += c.len_utf8();
            continue;
        } else {
            (start + c.len_utf8(), Kind::Punct)
        };
        tokens.push((&text[start..end], start, kind));
        start = end;
    }
    tokens
}

/// A number's `Span::word`: its value plus one when it has at most four digits, else 0.
fn reference_plain_word(text: &str) -> u16 {
    let plain = text.len() <= 4 && text.bytes().all(|b| b.is_ascii_digit());
    plain
        .then(|| text.parse::<u16>().ok())
        .flatten()
        .map_or(0, |value| value + 1)
}

#[test]
fn general_punctuation_has_no_letter() {
    for c in '\u{2000}'..='\u{206f}' {
        assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
    }
}

#[test]
fn letter_runs_agree_with_the_byte_class() {
    for byte in 0..=255u8 {
        for at in 0..8 {
            let mut eight = [b'a'; 8];
            eight[at] = byte;
            let others = not_ascii_letters(u64::from_le_bytes(eight));
            let expected = if ASCII_LETTER[usize::from(byte)] {
                0
            } else {
                0x80 << (8 * at)
            };
            assert_eq!(others, expected, "{byte:#x} at {at}");
        }
    }
}

proptest::proptest! {
    /// The tokenizer finds the tokens the reference finds, and classifies each word by
    /// its `LowerWord`, at the end of the text and inside it.
    #[test]
    fn tokens_are_the_reference_tokens(
        text in r"([A-Za-z]{1,18}|[ÄéΣ٣]|[ \t\n\u{a0}\u{2009},.;:'’—\-0-9@\[`{]){0,40}"
    ) {
        // A class and a number from the key, that the tokens must carry.
        let class = |key: LowerKey| ((key % 7) as u8, (key % 1021) as u16);
        let mut spans = Vec::new();
        tokenize_into(&text, &mut spans, class, |kept| (kept % 5) as u8 + 9);
        let tokens: Vec<Token> = spans.iter().map(|span| span.token(&text)).collect();
        let found: Vec<(&str, usize, Kind)> =
            tokens.iter().map(|t| (t.text(), t.start(), t.kind())).collect();
        proptest::prop_assert_eq!(found, reference_tokens(&text));
        for token in &tokens {
            let expected = match token.kind() {
                Kind::Word => class(LowerWord::new(token.text()).map_or(0, LowerWord::key)),
                Kind::Number => {
                    let kept = reference_plain_word(token.text());
                    ((kept % 5) as u8 + 9, kept)
                }
                Kind::Punct => (0, 0),
            };
            proptest::prop_assert_eq!(
                (token.class(), token.word()),
                expected,
                "{:?} in {:?}", token.text(), text
            );
        }
        for (span, token) in spans.iter().zip(&tokens) {
            proptest::prop_assert_eq!(
                (span.start(), span.end(), span.len()),
                (token.start(), token.end(), token.text_len())
            );
        }
    }
}

proptest::proptest! {
    /// Tokens compared as bytes answer as their text compared: punctuation past ASCII
    /// with a search of the characters, words with `eq_ignore_ascii_case`.
    #[test]
    fn byte_comparisons_are_text_comparisons(
        text in r"([A-Za-z]{1,6}|12|[’‘—–\-.,]|[ \u{a0}]){0,12}",
        chars in r"[’‘—–\-.,x]{0,4}",
    ) {
        let words = ["year", "Years", "12", "’", "twelve"];
        for token in tokenize(&text) {
            proptest::prop_assert_eq!(
                token.is_punct(&chars),
                token.kind == Kind::Punct && chars.contains(token.text())
            );
            proptest::prop_assert_eq!(
                token.is_any_text(&words),
                words.iter().any(|w| w.eq_ignore_ascii_case(token.text()))
            );
        }
    }

    /// A plain number's value is what `str::parse` reads, for any digits and others.
    #[test]
    fn plain_numbers_are_parsed_numbers(text in "[0-9]{0,12}|[0-9,.]{1,6}|[0-9]{1,3}[a-z]") {
        let span = Span { start: 0, end: text.len() as u32, kind: Kind::Number, class: 0, word: 0 };
        let token = span.token(&text);
        let parsed = text
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| text.parse::<u32>().ok())
            .flatten();
        proptest::prop_assert_eq!(token.plain_number(), parsed);
    }
}

proptest::proptest! {
    /// A number's value kept by the tokenizer is the value its digits read.
    #[test]
    fn kept_values_are_parsed_values(text in "([0-9]{1,6}|[0-9]{1,3},[0-9]{3}|[0-9]\\.[0-9]|[ a-z]){0,8}") {
        for token in tokenize(&text) {
            let digits = token.text();
            let parsed = (token.kind() == Kind::Number && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.parse::<u32>().ok())
                .flatten();
            proptest::prop_assert_eq!(token.plain_number(), parsed, "{:?}", digits);
        }
    }
}

#[test]
fn tokens_keep_groups_and_offsets() {
    let text = "In 2015, 5,000 soldiers’ 9.5 é-1990s";
    let tokens: Vec<(&str, usize)> = tokenize(text)
        .iter()
        .map(|t| (t.text(), t.start()))
        .collect();
    assert_eq!(
        tokens,
        [
            ("In", 0),
            ("2015", 3),
            (",", 7),
            ("5,000", 9),
            ("soldiers", 15),
            ("’", 23),
            ("9.5", 27),
            ("é", 31),
            ("-", 33),
            ("1990", 34),
            ("s", 38)
        ]
    );
    let years: Vec<&str> = tokenize("2015,2016 and 1,00")
        .iter()
        .map(|t| t.text())
        .collect();
    assert_eq!(years, ["2015", ",", "2016", "and", "1", ",", "00"]);
}
