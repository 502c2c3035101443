//! The front matter most sources have, read without a YAML parser: one `key: value` line per
//! field, each value a plain or quoted scalar or a flow list of plain scalars (`[a, b]`) on
//! its line. Anything else (nesting, comments, escapes, odd characters, a repeated key) is
//! left to `yaml_rust2`, and so is its error: what this reader takes, the parser reads the
//! same (see the proptest).

use yaml_rust2::Yaml;

use crate::corpus::blocks::lines;

/// Longer keys are left to the parser, which limits implicit keys to 1024 characters.
const MAX_KEY_LEN: usize = 64;

/// What a key missing from the fields is, as a YAML mapping has it.
static MISSING: Yaml = Yaml::BadValue;

/// The fields of `yaml`, a simple front matter, in order; `None` when it is not that simple.
pub fn simple_fields(yaml: &str) -> Option<Vec<(&str, Yaml)>> {
    let mut fields: Vec<(&str, Yaml)> = Vec::with_capacity(8);
    for line in lines(yaml) {
        let line = &yaml[line];
        if line.is_empty() {
            continue;
        }
        let (key, value) = key_and_value(line)?;
        // The parser refuses a repeated key: its error is the one to report.
        if fields.iter().any(|(seen, _)| *seen == key) {
            return None;
        }
        fields.push((key, value));
    }
    // No field at all: an empty document, as the parser has it.
    (!fields.is_empty()).then_some(fields)
}

/// The value of `key` in `fields`.
pub fn field<'f>(fields: &'f [(&str, Yaml)], key: &str) -> &'f Yaml {
    fields
        .iter()
        .find(|(name, _)| *name == key)
        .map_or(&MISSING, |(_, value)| value)
}

/// `key: value`, with a key of letters, digits, `_` and `-` that is a string to YAML.
fn key_and_value(line: &str) -> Option<(&str, Yaml)> {
    let (key, rest) = line.split_once(':')?;
    let simple_key = key.len() <= MAX_KEY_LEN
        && key.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        // Opening with a letter, it is a string to YAML unless it names null or a boolean.
        && !names_null_or_boolean(key);
    if !simple_key {
        return None;
    }
    // A value after one space or more; none at all may open a nested block.
    let value = rest.strip_prefix(' ')?.trim_matches(' ');
    if value.is_empty() || !value.chars().all(is_ordinary) {
        return None;
    }
    Some((key, value_of(value)?))
}

/// A character the parser takes as itself in any scalar: not a control, a tab, a line or
/// paragraph separator or a byte order mark.
fn is_ordinary(c: char) -> bool {
    matches!(c, ' '..='~')
        || (c >= '\u{a0}'
            && !matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            ))
}

/// A value: quoted without quotes or escapes inside, a flow list of plain items, or plain,
/// typed as the parser types it.
fn value_of(value: &str) -> Option<Yaml> {
    for quote in ['"', '\''] {
        if value.starts_with(quote) {
            let inner = value.strip_prefix(quote)?.strip_suffix(quote)?;
            let plain_inside = !inner.contains(['"', '\'', '\\']);
            return plain_inside.then(|| Yaml::String(inner.to_string()));
        }
    }
    if let Some(list) = value.strip_prefix('[') {
        return flow_list(list.strip_suffix(']')?);
    }
    // A plain value holds no `: ` or ` #` and no final `:`.
    let plain = opens_plainly(value)
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':');
    plain.then(|| scalar(value))
}

/// The items of `[a, b]` between its brackets: plain, without the marks that mean more in a
/// flow (`,[]{}:#` and quotes).
fn flow_list(items: &str) -> Option<Yaml> {
    if items.trim_matches(' ').is_empty() {
        return Some(Yaml::Array(Vec::new()));
    }
    let mut list = Vec::with_capacity(4);
    for item in items.split(',') {
        let item = item.trim_matches(' ');
        let plain =
            opens_plainly(item) && !item.contains(['[', ']', '{', '}', ':', '#', '"', '\'']);
        if !plain {
            return None;
        }
        list.push(scalar(item));
    }
    Some(Yaml::Array(list))
}

/// A plain scalar typed as `Yaml::from_str` types it. Text that opens with an ASCII letter
/// is a string unless it is one of the words for null and the booleans (no number opens
/// with a letter, and `from_str` reads none of `inf` or `nan` without a digit), and is made
/// one without the parse of a number and of a float that `from_str` tries first: most
/// fields are such.
fn scalar(text: &str) -> Yaml {
    let opens_with_letter = text.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
    if opens_with_letter && !names_null_or_boolean(text) {
        Yaml::String(text.to_string())
    } else {
        Yaml::from_str(text)
    }
}

/// The plain words `Yaml::from_str` reads as null or a boolean.
fn names_null_or_boolean(text: &str) -> bool {
    matches!(
        text,
        "null" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    )
}

/// Whether a plain scalar may open with the first character of `value`: a letter, a digit
/// or a few harmless marks (not an indicator such as `-`, `[`, `&`, `|`, `#`, `!`).
fn opens_plainly(value: &str) -> bool {
    value.chars().next().is_some_and(|c| {
        c.is_ascii_alphanumeric()
            || !c.is_ascii()
            || matches!(c, '.' | '+' | '(' | '~' | '/' | '$' | '_')
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use yaml_rust2::YamlLoader;

    use super::*;

    /// The fields as the parser's mapping, in order.
    fn as_document(fields: Vec<(&str, Yaml)>) -> Yaml {
        Yaml::Hash(
            fields
                .into_iter()
                .map(|(key, value)| (Yaml::String(key.to_string()), value))
                .collect(),
        )
    }

    #[test]
    fn the_usual_front_matter_is_simple() {
        let yaml = "title: \"Mashhad and Baku: after 2022\"\nauthor: Gulnara Park\r\ndate: 2022-10-06\npublisher: The Jerusalem Strategic Tribune\n\nkey: 42\ntags: a; b\ncategories: [Terrorism, Warfare, International Economics and Trade]\nempty: [ ]\n";
        assert_eq!(
            YamlLoader::load_from_str(yaml).expect("yaml"),
            vec![as_document(simple_fields(yaml).expect("simple"))]
        );
        for not_simple in [
            "author:\n  - A\n",
            "title: a: b\n",
            "title: x # note\n",
            "title: \"a\\\"b\"\n",
            "title: [a, [b]]\n",
            "title: [a, b,]\n",
            "title: [a: b]\n",
            "title: x\ntitle: y\n",
            "true: x\n",
            "title:x\n",
            "title:\tx\n",
            "# comment\ntitle: x\n",
            "\n",
        ] {
            assert_eq!(simple_fields(not_simple), None, "{not_simple:?}");
        }
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("title".to_string()),
            Just("author".to_string()),
            Just("date".to_string()),
            Just("key".to_string()),
            Just("True".to_string()),
            Just("null".to_string()),
            Just("inf".to_string()),
            Just("e1".to_string()),
            Just("-x".to_string()),
            "[a-zA-Z0-9_ -]{0,6}",
        ]
    }

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("2022-10-06".to_string()),
            Just("\"Mashhad: after 2022\"".to_string()),
            Just("'it''s'".to_string()),
            Just("'plain'".to_string()),
            Just("\"unclosed".to_string()),
            Just("0x1F".to_string()),
            Just("0o17".to_string()),
            Just("+12".to_string()),
            Just("-12".to_string()),
            Just("1e3".to_string()),
            Just(".inf".to_string()),
            Just("~".to_string()),
            Just("TRUE".to_string()),
            Just("Åsa Lindqvist".to_string()),
            Just("a\u{85}b".to_string()),
            Just("a\u{2028}b".to_string()),
            Just("\u{feff}x".to_string()),
            Just("http://x.org/a#b".to_string()),
            Just("[a, b]".to_string()),
            Just("[Maritime Security, Turkey]".to_string()),
            Just("[ ]".to_string()),
            Just("[a,  b  c , 12, true, ~]".to_string()),
            Just("[a, b".to_string()),
            Just("[a,,b]".to_string()),
            Just("[a, 'b']".to_string()),
            Just("[a, -b]".to_string()),
            "\\[[a-z0-9 ,:#.'\\-\\[\\]{}]{0,8}\\]",
            Just("a, b; c".to_string()),
            "[a-z0-9 :#'\"\\\\.,;\\-+~/()$_\t]{0,10}",
            "[^\n\r]{0,6}",
        ]
    }

    /// Lines of `key: value` and their odd variants, with any line break.
    fn front_matter() -> impl Strategy<Value = String> {
        let separator = prop_oneof![Just(": "), Just(":  "), Just(":"), Just(" : "), Just(":\t")];
        let trailing = prop_oneof![Just(""), Just("  "), Just("\t")];
        let ending = prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("\n\n")];
        proptest::collection::vec((key(), separator, value(), trailing, ending, 0..8u8), 0..6)
            .prop_map(|fields| {
                let mut yaml = String::new();
                for (key, separator, value, trailing, ending, indent) in fields {
                    if indent == 0 {
                        yaml.push(' ');
                    }
                    yaml.push_str(&key);
                    yaml.push_str(separator);
                    yaml.push_str(&value);
                    yaml.push_str(trailing);
                    yaml.push_str(ending);
                }
                yaml
            })
    }

    proptest! {
        #[test]
        fn a_scalar_is_typed_as_the_parser_types_it(
            text in prop_oneof![
                "[a-zA-Z][a-zA-Z0-9 .+-]{0,8}",
                "(null|true|True|TRUE|false|False|FALSE|inf|nan|Infinity|e5|E1|n1|inf5)",
                "[0-9+.~-][a-z0-9.eE+-]{0,6}",
            ],
        ) {
            prop_assert_eq!(scalar(&text), Yaml::from_str(&text));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// What the simple reader takes, the parser reads as the same single mapping.
        #[test]
        fn a_simple_front_matter_is_what_yaml_reads(yaml in front_matter()) {
            if let Some(fields) = simple_fields(&yaml) {
                let parsed = YamlLoader::load_from_str(&yaml);
                prop_assert!(parsed.is_ok(), "{:?}: {:?}", yaml, parsed);
                prop_assert_eq!(parsed.ok(), Some(vec![as_document(fields)]), "{:?}", yaml);
            }
        }
    }
}
