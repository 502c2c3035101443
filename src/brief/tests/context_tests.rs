//! `citation_context_at` on `$0` cursor fixtures.

use expect_test::{Expect, expect};

use crate::brief::{CitationContext, citation_context_at};

fn check(fixture: &str, expect: Expect) {
    let offset = fixture.find("$0").expect("fixture has a $0 cursor");
    let text = fixture.replacen("$0", "", 1);
    let rendered = match citation_context_at(&text, offset) {
        None => "none".to_owned(),
        Some(CitationContext::Key {
            typed,
            range,
            bracketed,
        }) => {
            format!(
                "key typed={typed:?} range={:?} bracketed={bracketed}",
                &text[range]
            )
        }
        Some(CitationContext::Locator {
            key,
            key_range,
            range,
        }) => {
            format!(
                "locator key={key:?} key_range={:?} range={:?}",
                &text[key_range], &text[range]
            )
        }
        Some(CitationContext::Search { query, range }) => {
            format!("search query={query:?} range={:?}", &text[range])
        }
    };
    expect.assert_eq(&rendered);
}

#[test]
fn right_after_bracket_at() {
    check(
        "Putin went [@$0",
        expect![[r#"key typed="" range="" bracketed=true"#]],
    );
}

#[test]
fn key_prefix() {
    check(
        "Putin went [@ber$0",
        expect![[r#"key typed="ber" range="ber" bracketed=true"#]],
    );
}

#[test]
fn key_prefix_with_rest_of_key_after_cursor() {
    check(
        "Putin went [@ber$0man2023].",
        expect![[r#"key typed="ber" range="berman2023" bracketed=true"#]],
    );
}

#[test]
fn second_item_of_a_group() {
    check(
        "Putin went [see @a, p. 1; @qu$0]",
        expect![[r#"key typed="qu" range="qu" bracketed=true"#]],
    );
}

#[test]
fn locator_after_comma() {
    check(
        "Putin went [@berman2023, $0",
        expect![[r#"locator key="berman2023" key_range="berman2023" range="""#]],
    );
}

#[test]
fn locator_partly_typed_before_closing_bracket() {
    check(
        "Putin went [@berman2023, para. 1$0].",
        expect![[r#"locator key="berman2023" key_range="berman2023" range="para. 1""#]],
    );
}

#[test]
fn free_text_search() {
    check(
        "Drones [@kamikaze drones$0",
        expect![[r#"search query="kamikaze drones" range="kamikaze drones""#]],
    );
}

#[test]
fn free_text_search_before_closing_bracket() {
    check(
        "Drones [@kamikaze dr$0ones] were used.",
        expect![[r#"search query="kamikaze dr" range="kamikaze drones""#]],
    );
}

#[test]
fn in_text_key() {
    check(
        "As @ber$0 wrote",
        expect![[r#"key typed="ber" range="ber" bracketed=false"#]],
    );
}

#[test]
fn in_text_locator() {
    check(
        "As @berman2023 [para. $0",
        expect![[r#"locator key="berman2023" key_range="berman2023" range="para. ""#]],
    );
}

#[test]
fn email_is_not_a_citation() {
    check("Write to analyst@exa$0", expect!["none"]);
}

#[test]
fn prose_after_in_text_key_is_not_a_citation() {
    check("As @berman2023 wrote$0", expect!["none"]);
}

#[test]
fn closed_bracket_is_not_a_context() {
    check("Putin went [@berman2023] and $0", expect!["none"]);
}

#[test]
fn cross_reference_is_not_a_key() {
    check("See @fig-ma$0", expect!["none"]);
}

#[test]
fn code_span_is_not_a_context() {
    check("Run `[@ber$0", expect!["none"]);
}

#[test]
fn bracket_without_at_is_not_a_context() {
    check("Putin went [see $0", expect!["none"]);
}

#[test]
fn cursor_past_the_end_or_inside_a_character() {
    check(
        "Émile [@é$0",
        expect![[r#"key typed="é" range="é" bracketed=true"#]],
    );
    assert_eq!(citation_context_at("[@é", 3), citation_context_at("[@é", 2));
    assert!(citation_context_at("x", 99).is_none());
}
