//! Table tests for the date scanner: each phrase, the text each expression covers and its
//! EDTF date (`~` marks a relative one, `-` an undated one).

use super::*;
use crate::edtf::month_from_name;

/// `[matched text] date` for every expression, joined by ` | `.
fn render(text: &str, anchor: &str, published: &str) -> String {
    let parse = |s: &str| (!s.is_empty()).then(|| s.parse::<Edtf>().expect(s));
    let (anchor, published) = (parse(anchor), parse(published));
    time_expressions(text, anchor.as_ref(), published.as_ref())
        .iter()
        .map(|e| {
            let date = e.date.as_ref().map_or("-".to_string(), Edtf::to_string);
            let mark = if e.relative { "~" } else { "" };
            format!("[{}] {mark}{date}", &text[e.range.clone()])
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// (text, anchor, published, expected); an empty expected means no time expression.
const CASES: &[(&str, &str, &str, &str)] = &[
    // Written dates.
    (
        "February 15, 2023",
        "",
        "",
        "[February 15, 2023] 2023-02-15",
    ),
    (
        "It fell on 15 February 2023.",
        "",
        "",
        "[on 15 February 2023] 2023-02-15",
    ),
    (
        "Feb. 15, 2023 was cold",
        "",
        "",
        "[Feb. 15, 2023] 2023-02-15",
    ),
    ("Sept. 1st, 2001", "", "", "[Sept. 1st, 2001] 2001-09-01"),
    ("on 12 June 2024", "", "", "[on 12 June 2024] 2024-06-12"),
    ("12 June 2024", "", "", "[12 June 2024] 2024-06-12"),
    (
        "the 12th of June 2024",
        "",
        "",
        "[12th of June 2024] 2024-06-12",
    ),
    (
        "dated 2023-02-15 in the log",
        "",
        "",
        "[2023-02-15] 2023-02-15",
    ),
    ("July 2022", "", "", "[July 2022] 2022-07"),
    (
        "In July 2022, against the backdrop",
        "",
        "",
        "[In July 2022] 2022-07",
    ),
    (
        "the outbreak of the Ukraine war in February 2022, and",
        "",
        "",
        "[in February 2022] 2022-02",
    ),
    ("February 30, 2023", "", "", ""),
    // Years.
    (
        "the collapse of the Soviet Union in 1991.",
        "",
        "",
        "[in 1991] 1991",
    ),
    (
        "culminated in the 2015 Joint Comprehensive Plan of Action",
        "",
        "",
        "[2015] 2015",
    ),
    ("in the 2015 elections", "", "", "[2015] 2015"),
    ("the 2015 nuclear deal", "", "", "[2015] 2015"),
    ("Russia’s 2022 invasion", "", "", "[2022] 2022"),
    ("ties since 2013 have grown", "", "", "[since 2013] 2013/.."),
    ("carbon neutral by 2030", "", "", "[by 2030] ../2030"),
    ("up to 2030", "", "", "[up to 2030] ../2030"),
    ("before 2013", "", "", "[before 2013] ../2012"),
    ("after 2015", "", "", "[after 2015] 2016/.."),
    ("the pre-1991 borders", "", "", "[pre-1991] ../1990"),
    ("from 2013 onwards", "", "", "[from 2013 onwards] 2013/.."),
    ("circa 1850", "", "", "[circa 1850] 1850"),
    ("in 1991 and 1992", "", "", "[in 1991] 1991 | [1992] 1992"),
    (
        "in 1991, 1992 or 1993",
        "",
        "",
        "[in 1991] 1991 | [1992] 1992 | [1993] 1993",
    ),
    ("from 2008, the", "", "", "[from 2008] 2008"),
    ("by March", "", "2023-02-15", "[by March] ~../2022-03"),
    ("the 2014–15 season", "", "", "[2014–15] 2014/2015"),
    // Known limit: a year after `in` and before a count noun reads as a count.
    ("In 2015 people voted", "", "", ""),
    ("c. 1850", "", "", "[c. 1850] 1850"),
    ("early 2020", "", "", "[early 2020] 2020"),
    ("in mid-2015 the talks", "", "", "[in mid-2015] 2015"),
    // Intervals.
    (
        "Dmitry Medvedev (2008–2012). In turn",
        "",
        "",
        "[2008–2012] 2008/2012",
    ),
    ("2008-2012", "", "", "[2008-2012] 2008/2012"),
    ("the 2008—2012 term", "", "", "[2008—2012] 2008/2012"),
    ("in 2008–12", "", "", "[in 2008–12] 2008/2012"),
    ("from 2008 to 2012", "", "", "[from 2008 to 2012] 2008/2012"),
    (
        "between 2003 and 2010",
        "",
        "",
        "[between 2003 and 2010] 2003/2010",
    ),
    (
        "from July 2022 to February 2023",
        "",
        "",
        "[from July 2022 to February 2023] 2022-07/2023-02",
    ),
    (
        "from March to July 2022",
        "",
        "",
        "[from March to July 2022] 2022-03/2022-07",
    ),
    ("2012-2008", "", "", ""),
    // Decades and seasons.
    ("in the 1990s to create", "", "", "[in the 1990s] 199X"),
    (
        "during the mid-to-late 1980s, but",
        "",
        "",
        "[during the mid-to-late 1980s] 198X",
    ),
    ("the mid-1980s", "", "", "[the mid-1980s] 198X"),
    ("the mid-2010s", "", "", "[the mid-2010s] 201X"),
    ("the ’90s", "", "", "[the ’90s] 199X"),
    ("the '90s", "", "", "[the '90s] 199X"),
    ("back in the 90s", "", "", "[in the 90s] 199X"),
    ("the 1990’s", "", "", "[the 1990’s] 199X"),
    ("since the 1990s", "", "", "[since the 1990s] 199X/.."),
    (
        "in the spring of 2019",
        "",
        "",
        "[in the spring of 2019] 2019-21",
    ),
    ("summer 2022", "", "", "[summer 2022] 2022-22"),
    ("in the spring", "2019", "", "[in the spring] ~2019-21"),
    ("the fall of Kabul", "", "", ""),
    // Dates without a year.
    ("on March 3", "", "", "[on March 3] ~-"),
    ("on March 3", "2022", "", "[on March 3] ~2022-03-03"),
    ("on March 3", "", "2023-02-15", "[on March 3] ~2022-03-03"),
    (
        "on February 3",
        "",
        "2023-02-15",
        "[on February 3] ~2023-02-03",
    ),
    ("in March", "2022-07", "", "[in March] ~2022-03"),
    ("May I come?", "", "", ""),
    ("Theresa May said", "", "", ""),
    // Relative to the anchor.
    (
        "the following year",
        "2012",
        "",
        "[the following year] ~2013",
    ),
    (
        "the following year",
        "",
        "2023-02-15",
        "[the following year] ~-",
    ),
    (
        "In 2010 and two years later",
        "",
        "",
        "[In 2010] 2010 | [two years later] ~2012",
    ),
    ("a decade later", "2000", "", "[a decade later] ~2010"),
    ("later that year", "2022-07", "", "[later that year] ~2022"),
    ("that month", "2022-07-19", "", "[that month] ~2022-07"),
    (
        "the previous month",
        "2022-07",
        "",
        "[the previous month] ~2022-06",
    ),
    (
        "In preceding weeks, a range",
        "2022-07",
        "",
        "[In preceding weeks] ~2022-06/2022-07",
    ),
    (
        "in the preceding months",
        "2022-07",
        "",
        "[in the preceding months] ~../2022-07",
    ),
    (
        "Thereafter, the return of Putin",
        "2008/2012",
        "",
        "[Thereafter] ~2012/..",
    ),
    ("Thereafter, the return", "", "", "[Thereafter] ~-"),
    (
        "(2008–2012). Thereafter",
        "",
        "",
        "[2008–2012] 2008/2012 | [Thereafter] ~2012/..",
    ),
    // Relative to publication.
    ("last year", "", "2023-02-15", "[last year] ~2022"),
    ("last year", "2012", "", "[last year] ~-"),
    ("this year", "", "2023-02-15", "[this year] ~2023"),
    (
        "since last year",
        "",
        "2023-02-15",
        "[since last year] ~2022/..",
    ),
    ("three years ago", "", "2023", "[three years ago] ~2020"),
    (
        "For much of the past year, the",
        "",
        "2023-02-15",
        "[the past year] ~2022-02/2023-02",
    ),
    (
        "in recent months, the Islamic",
        "",
        "2023-02-15",
        "[in recent months] ~../2023-02",
    ),
    (
        "in recent weeks",
        "",
        "2023-02-15",
        "[in recent weeks] ~2023-01/2023-02",
    ),
    ("the last year of his term", "", "2023-02-15", ""),
    // Not dates.
    ("5,000 soldiers", "", "", ""),
    ("1,000 megawatts in 2,000 homes", "", "", ""),
    ("in 2000 troops", "", "", ""),
    ("of 2000 people", "", "", ""),
    ("a 1500 km range", "", "", ""),
    ("2015 tonnes", "", "", ""),
    ("in 2015 percent", "", "", ""),
    ("in 2015%", "", "", ""),
    ("the past 80 years", "", "", ""),
    ("three decades", "", "", ""),
    ("in 3000 and in 999", "", "", ""),
    ("see p. 1995", "", "", ""),
    ("Resolution 1929 of", "", "", ""),
    ("at 20:15 and at 1400 hours", "", "", ""),
    ("abc1990s and 1990sx", "", "", ""),
    ("F-2015 jets", "", "", ""),
    ("sent 2000 Shahed drones", "", "", ""),
    ("about 2015 Iranian", "", "", ""),
    ("$2015 in cash", "", "", ""),
    ("in 2015.5", "", "", ""),
    ("in their 90s", "", "", ""),
    ("For decades, Russia", "", "", ""),
    ("Years from now", "", "", ""),
];

#[test]
fn time_expressions_table() {
    let mut failures = Vec::new();
    for &(text, anchor, published, expected) in CASES {
        let actual = render(text, anchor, published);
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
fn seed_article_paragraphs() {
    let seed = include_str!("../../../seeds/000_66373d9ec02ed63b.txt");
    let published: Edtf = "2023-02-15".parse().expect("date");
    let mut anchor: Option<Edtf> = None;
    let mut lines = Vec::new();
    // The body starts after the categories block; headings carry no dates.
    for paragraph in seed.split("\n\n").skip(3).filter(|p| !p.starts_with('©')) {
        let found = time_expressions(paragraph, anchor.as_ref(), Some(&published));
        for e in &found {
            let date = e.date.as_ref().map_or("-".to_string(), Edtf::to_string);
            lines.push(format!("{} => {date}", &paragraph[e.range.clone()]));
        }
        if let Some(next) = next_anchor(&found) {
            anchor = found[next].date.clone();
        }
    }
    expect_test::expect![[r#"
        In July 2022 => 2022-07
        In preceding weeks => 2022-06/2022-07
        in 1991 => 1991
        during the mid-to-late 1980s => 198X
        in the 1990s => 199X
        2008–2012 => 2008/2012
        Thereafter => 2012/..
        2015 => 2015
        in February 2022 => 2022-02
        in recent months => ../2023-02
        in recent months => ../2023-02
        the past year => 2022-02/2023-02"#]]
    .assert_eq(&lines.join("\n"));
}

#[test]
fn ranges_are_byte_ranges_in_unicode_text() {
    let text = "Ça a duré — depuis 2013 — et “since 2013” ends";
    let found = time_expressions(text, None, None);
    let texts: Vec<&str> = found.iter().map(|e| &text[e.range.clone()]).collect();
    assert_eq!(texts, ["since 2013"]);
}

/// The tokens of `text`, with the classes the scanner gives them.
fn tokens(text: &str) -> Vec<Span> {
    let mut tokens = Vec::new();
    tokenize_into(
        text,
        &mut tokens,
        vocabulary::classifier(),
        vocabulary::number_class,
    );
    tokens
}

/// Where `may_start` says no expression starts, or the token is before the lead to the next
/// core token (`lead_start`), no scanner finds one, under any anchor.
fn assert_skipped_tokens_start_nothing(text: &str) {
    let tokens = tokens(text);
    let (anchor, published) = (Edtf::Year(2012), Edtf::day(2023, 2, 15).expect("date"));
    let context = Context::new(text, &tokens, Some(&anchor), Some(&published), Vec::new());
    for (i, span) in tokens.iter().enumerate() {
        if may_start(span, text) && lead_start(&tokens, first_core(&tokens, i)) <= i {
            continue;
        }
        let preposition_here = preposition(&context, i);
        assert!(
            relative::at(&context, i, preposition_here).is_none()
                && absolute_at(&context, i, preposition_here).is_none(),
            "an expression starts at the skipped token {:?} of {text:?}",
            span.token(text).text()
        );
    }
}

#[test]
fn skipped_tokens_start_no_expression_in_the_cases() {
    for (text, ..) in CASES {
        assert_skipped_tokens_start_nothing(text);
    }
    assert_skipped_tokens_start_nothing(include_str!("../../../seeds/000_66373d9ec02ed63b.txt"));
}

/// The scanner as it was before words were classified as they were tokenized: it tried
/// every token that `may_start` let through, comparing the words with its start words.
mod reference {
    use super::*;

    fn is_start_word(token: &Token) -> bool {
        let lower = token.text().to_ascii_lowercase();
        vocabulary::start_words().any(|word| word == lower.as_bytes())
    }

    fn may_start(token: &Token) -> bool {
        match token.kind() {
            Kind::Number => true,
            Kind::Punct => token.is_punct(APOSTROPHES),
            Kind::Word => {
                is_start_word(token)
                    || (token.is_capitalised() && month_from_name(token.text()).is_some())
            }
        }
    }

    pub(super) fn time_expressions(
        text: &str,
        anchor: Option<&Edtf>,
        published: Option<&Edtf>,
    ) -> Vec<TimeExpression> {
        let tokens = tokens(text);
        let mut context = Context::new(
            text,
            &tokens,
            anchor.filter(|a| a.is_bounded()),
            published,
            Vec::new(),
        );
        let mut i = 0;
        while i < tokens.len() {
            if !may_start(&tokens[i].token(text)) {
                i += 1;
                continue;
            }
            let preposition_here = preposition(&context, i);
            let Some(found_here) = relative::at(&context, i, preposition_here)
                .or_else(|| absolute_at(&context, i, preposition_here))
            else {
                i += 1;
                continue;
            };
            let (first, last) = (&tokens[found_here.start], &tokens[found_here.end - 1]);
            context.push(TimeExpression {
                range: first.start()..last.end(),
                date: found_here.date,
                relative: found_here.relative,
            });
            i = found_here.end;
        }
        context.found
    }
}

/// Words, numbers and punctuation that time expressions are made of, and a few others.
const DATE_LIKE: &str = "(In|in|on|of|during|around|circa|since|By|until|till|before|after|from|between|c|ca|up|to|pre|post|the|The|a|an|and|two|Three|early|mid|late|spring|Summer|fall|Winter|March|May|may|Sept|jul|year|years|month|months|decade|Decades|later|earlier|ago|following|next|last|past|same|that|this|recent|weeks|days|day|thereafter|Subsequently|afterwards|then|onwards|preceding|previous|prior|few|twelve|12|3|15|1990|2012|2023|90|200|201|488|999|2100|2101|2150|007|0012|s|th|’|'|-|–|\\.|,|\\(|\\)|;|[A-Za-z]{1,5})";

proptest::proptest! {
    #[test]
    fn skipped_tokens_start_no_expression(
        words in proptest::collection::vec(DATE_LIKE, 0..24)
    ) {
        assert_skipped_tokens_start_nothing(&words.join(" "));
        assert_skipped_tokens_start_nothing(&words.concat());
    }

    /// The scanner finds what the reference finds where an expression opens with a long
    /// lead: a preposition, `the`, a modifier, joined or not.
    #[test]
    fn long_leads_are_read_as_the_reference_reads_them(
        pieces in proptest::collection::vec(
            "(up to|c\\.|pre-|post-|in|between|from|of|by|)( ?the|)( ?mid-to-late-?| ?early-to-mid| ?late-?|)( ?’90s| ?1990s| ?1990| ?90s| ?March 2012| ?spring| ?following year| ?year|)( and| to|–|,|\\.|)",
            0..8,
        ),
    ) {
        let text = pieces.join(" ");
        let published = Edtf::day(2023, 2, 15);
        proptest::prop_assert_eq!(
            time_expressions(&text, None, published.as_ref()),
            reference::time_expressions(&text, None, published.as_ref()),
            "{:?}", text
        );
    }

    /// The scanner finds what the reference finds, in long runs of date-like words where
    /// cores are far apart and close together.
    #[test]
    fn expressions_are_the_reference_expressions(
        words in proptest::collection::vec((DATE_LIKE, "( |)"), 0..60),
        anchored in proptest::bool::ANY,
    ) {
        let text: String = words.iter().flat_map(|(word, space)| [word, space]).cloned().collect();
        let anchor = anchored.then_some(Edtf::Year(2012));
        let published = Edtf::day(2023, 2, 15);
        proptest::prop_assert_eq!(
            time_expressions(&text, anchor.as_ref(), published.as_ref()),
            reference::time_expressions(&text, anchor.as_ref(), published.as_ref()),
            "{:?}", text
        );
    }
}

/// The longest lead before a core token that an expression has: `LEAD` tokens.
#[test]
fn the_longest_lead_is_read() {
    let text = "It rose up to the mid-to-late-’90s.";
    let tokens = tokens(text);
    let up = tokens
        .iter()
        .position(|t| t.token(text).text() == "up")
        .expect("up");
    assert_eq!(first_core(&tokens, up), up + LEAD);
    let found = time_expressions(text, None, None);
    assert_eq!(found.len(), 1);
    assert_eq!(&text[found[0].range.clone()], "up to the mid-to-late-’90s");
}
