//! Table tests for the quantity scanner: the text each quantity covers, its value, unit and
//! qualifier.

use super::*;

/// `[matched text] value unit` (and the qualifier when not exact), joined by ` | `.
fn render(text: &str) -> String {
    quantities(text)
        .iter()
        .map(|q| {
            let unit = q.unit.as_deref().map_or(String::new(), |u| format!(" {u}"));
            let qualifier = match q.qualifier {
                Qualifier::Exact => String::new(),
                other => format!(" {other:?}"),
            };
            format!("[{}] {}{unit}{qualifier}", &text[q.range.clone()], q.value)
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

const CASES: &[(&str, &str)] = &[
    // Digits.
    ("a ratio of 9.5", "[9.5] 9.5"),
    ("1,000 megawatts", "[1,000 megawatts] 1000 megawatt"),
    ("5 000 troops", "[5 000 troops] 5000 troop"),
    ("5\u{a0}000 troops", "[5\u{a0}000 troops] 5000 troop"),
    ("5,000 soldiers", "[5,000 soldiers] 5000 soldier"),
    (
        "5,000 Russian soldiers",
        "[5,000 Russian soldiers] 5000 soldier",
    ),
    ("2,000", "[2,000] 2000"),
    ("the past 80 years", "[80 years] 80 year"),
    ("9.5 million", "[9.5 million] 9500000"),
    ("1.2bn people", "[1.2bn people] 1200000000 person"),
    ("a 1500 km range", "[1500 km] 1500 km"),
    ("1500km", "[1500km] 1500 km"),
    ("killed 12 civilians", "[12 civilians] 12 civilian"),
    ("17 casualties", "[17 casualties] 17 casualty"),
    // Number words.
    ("three", "[three] 3"),
    ("thirty years", "[thirty years] 30 year"),
    ("eighty-five", "[eighty-five] 85"),
    (
        "two hundred and fifty drones",
        "[two hundred and fifty drones] 250 drone",
    ),
    (
        "nine-and-a-half million",
        "[nine-and-a-half million] 9500000",
    ),
    (
        "nine and a half million",
        "[nine and a half million] 9500000",
    ),
    ("a dozen drones", "[a dozen drones] 12 drone"),
    ("two dozen", "[two dozen] 24"),
    ("a tenth of Israel's population", "[a tenth] 0.1"),
    ("half of the drones", "[half] 0.5"),
    ("half a million", "[half a million] 500000"),
    ("two-thirds of voters", "[two-thirds] 0.6666666666666666"),
    ("a million people", "[a million people] 1000000 person"),
    ("the two countries", "[two countries] 2 country"),
    ("one of them", ""),
    ("no one came", ""),
    ("one drone", "[one drone] 1 drone"),
    ("a few", ""),
    // Durations.
    ("three decades", "[three decades] 30 year"),
    ("a decade", "[a decade] 10 year"),
    ("an eight-year war", "[eight-year] 8 year"),
    ("a 30-year-old", "[30-year] 30 year"),
    ("two centuries", "[two centuries] 200 year"),
    ("six months", "[six months] 6 month"),
    // Percentages and currencies.
    ("12 percent", "[12 percent] 12 percent"),
    ("12 per cent", "[12 per cent] 12 percent"),
    ("12%", "[12%] 12 percent"),
    (
        "a rise of 3 percentage points",
        "[3 percentage points] 3 percentage point",
    ),
    ("€423 million", "[€423 million] 423000000 EUR"),
    ("$5bn", "[$5bn] 5000000000 USD"),
    ("$5m deal", "[$5m] 5000000 USD"),
    ("US$ 40 billion", "[US$ 40 billion] 40000000000 USD"),
    ("5 billion dollars", "[5 billion dollars] 5000000000 USD"),
    ("10m sprint", "[10m] 10 m"),
    // Qualifiers.
    (
        "more than three decades",
        "[more than three decades] 30 year MoreThan",
    ),
    (
        "its more-than-four decades of misrule",
        "[more-than-four decades] 40 year MoreThan",
    ),
    (
        "nearly nine-and-a-half million",
        "[nearly nine-and-a-half million] 9500000 Nearly",
    ),
    (
        "some 5,000 soldiers",
        "[some 5,000 soldiers] 5000 soldier About",
    ),
    (
        "at least 40 people",
        "[at least 40 people] 40 person AtLeast",
    ),
    ("up to 300 drones", "[up to 300 drones] 300 drone AtMost"),
    (
        "fewer than 10 ships",
        "[fewer than 10 ships] 10 ship LessThan",
    ),
    ("over the past year", ""),
    // Dates are not quantities.
    ("in 1991", ""),
    ("February 15, 2023", ""),
    ("In 2015, 1,000 people", "[1,000 people] 1000 person"),
    ("two years later", ""),
    ("(2008–2012)", ""),
];

#[test]
fn quantities_table() {
    let mut failures = Vec::new();
    for &(text, expected) in CASES {
        let actual = render(text);
        if actual != expected {
            failures.push(format!(
                "{text:?}\n  expected {expected}\n  actual   {actual}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn equal_amounts_in_different_words() {
    let one = |text: &str| quantities(text).into_iter().next().expect(text);
    assert!(one("three decades").same_amount(&one("thirty years")));
    assert!(one("nine-and-a-half million").same_amount(&one("9.5 million")));
    assert!(one("a dozen drones").same_amount(&one("12 drones")));
    assert!(!one("three decades").same_amount(&one("thirty months")));
    assert!(!one("12%").same_amount(&one("12 drones")));
}

#[test]
fn seed_sentences() {
    let text = "which represents more than a tenth of Israel's population of nearly \
                nine-and-a-half million. Fresh off a grinding eight-year war, it has endured \
                for more than three decades, the conflict of the past 80 years.";
    expect_test::expect!["[more than a tenth] 0.1 MoreThan | [nearly nine-and-a-half million] 9500000 Nearly | [eight-year] 8 year | [more than three decades] 30 year MoreThan | [80 years] 80 year"].assert_eq(&render(text));
}
