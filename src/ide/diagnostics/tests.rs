//! Diagnostics on fixtures: each finding is drawn under its line as `^^^ severity code:
//! message`, and quick fixes are applied to the text.

use expect_test::{Expect, expect};

use super::{Code, Passages, check};
use crate::config::{DiagnosticsConfig, SeverityLevel};
use crate::ide::fixture;

fn render(text: &str, report: &super::Report) -> String {
    let mut out = String::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        out.push_str(line.trim_end_matches('\n'));
        out.push('\n');
        for d in report
            .diagnostics
            .iter()
            .filter(|d| line_start <= d.range.start && d.range.start < line_end)
        {
            let column = text[line_start..d.range.start].chars().count();
            let width = text[d.range.start..d.range.end.min(line_end)]
                .trim_end()
                .chars()
                .count()
                .max(1);
            out.push_str(&format!(
                "{}{} {} {}: {}\n",
                " ".repeat(column),
                "^".repeat(width),
                d.severity.name(),
                d.code.name(),
                d.message
            ));
        }
        line_start = line_end;
    }
    out
}

fn check_diagnostics(fixture_text: &str, expect: Expect) {
    let (index, analysis, _, _files) = fixture::parse(fixture_text);
    let passages = Passages::default();
    let settings = DiagnosticsConfig::default();
    let first = render(
        &analysis.text,
        &check(&index, &analysis, &settings, &passages),
    );
    // A second check reads the paragraphs the first one kept, as the server does on edits.
    let again = render(
        &analysis.text,
        &check(&index, &analysis, &settings, &passages),
    );
    assert_eq!(first, again, "the same findings from the kept paragraphs");
    expect.assert_eq(&first);
}

/// The brief after applying the first fix of the first finding with `code`.
fn check_fix(fixture_text: &str, code: Code, expect: Expect) {
    let (index, analysis, _, _files) = fixture::parse(fixture_text);
    let report = check(
        &index,
        &analysis,
        &DiagnosticsConfig::default(),
        &Passages::default(),
    );
    let finding = report
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .expect("a finding with that code");
    let fix = finding.fixes.first().expect("a fix");
    let mut text = analysis.text.clone();
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, replacement) in edits {
        text.replace_range(range, &replacement);
    }
    expect.assert_eq(&format!("{}\n{text}", fix.title));
}

#[test]
fn every_code_on_the_seed() {
    check_diagnostics(
        r#"
//- brief.md
# Russia and Iran

In our view, the partnership is durable.

Putin traveled to Tehran in July 2022 [@berman2023, para. 1].

Putin traveled to Tehran in July 2023 [@berman2023, para. 1].

Iran fought a grinding six-year war with Iraq [@berman2023, para. 6].

Russia became "an international outcast" [@berman2023, para. 3].

The Kremlin bought kamikaze drones from Tehran [@berman2023, para. 1].

See [@berman2032] and [@berman2023, para. 42].

Putin met Iranian officials in Tehran in July 2022.
"#,
        expect![[r##"
            # Russia and Iran

            In our view, the partnership is durable.

            Putin traveled to Tehran in July 2022 [@berman2023, para. 1].

            Putin traveled to Tehran in July 2023 [@berman2023, para. 1].
                                        ^^^^^^^^^ warning contradicts-source: the cited paragraph says July 2022

            Iran fought a grinding six-year war with Iraq [@berman2023, para. 6].
                                   ^^^^^^^^ warning contradicts-source: the cited paragraph says eight-year

            Russia became "an international outcast" [@berman2023, para. 3].
                          ^^^^^^^^^^^^^^^^^^^^^^^^^^ error misquote: the cited passage says “an international pariah”

            The Kremlin bought kamikaze drones from Tehran [@berman2023, para. 1].
                                                            ^^^^^^^^^^^^^^^^^^^^ warning unsupported-claim: berman2023 ¶1 does not mention “Kremlin”

            See [@berman2032] and [@berman2023, para. 42].
                  ^^^^^^^^^^ error unknown-source: no source has the key `berman2032`; did you mean `berman2023`?
                                                      ^^ error unknown-locator: berman2023 has 20 paragraphs; there is no paragraph 42

            Putin met Iranian officials in Tehran in July 2022.
            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ information uncited-claim: this sentence states a date (in July 2022) with no citation
        "##]],
    );
}

#[test]
fn paraphrase_in_other_words_is_supported() {
    check_diagnostics(
        r#"
//- brief.md
Medvedev was president from 2008 to 2012 [@berman2023, para. 8].

The partnership has lasted thirty years [@berman2023, para. 7].

Israel's population is nearly nine and a half million [@berman2023, para. 18].

The Islamic Republic sent "kamikaze" drones to Russia [@berman2023, paras. 13–14].

Iran sent drones, @berman2023 [para. 13] says.
"#,
        expect![[r#"
            Medvedev was president from 2008 to 2012 [@berman2023, para. 8].

            The partnership has lasted thirty years [@berman2023, para. 7].

            Israel's population is nearly nine and a half million [@berman2023, para. 18].

            The Islamic Republic sent "kamikaze" drones to Russia [@berman2023, paras. 13–14].

            Iran sent drones, @berman2023 [para. 13] says.
        "#]],
    );
}

#[test]
fn severities_and_silences() {
    let fixture_text = r#"
//- brief.md
<!-- dossier-ignore unknown-source -->
See [@nobody2020].

See [@nobody2021].

Putin went to Tehran in July 2022.
"#;
    let (index, analysis, _, _files) = fixture::parse(fixture_text);
    let settings = DiagnosticsConfig {
        uncited_claim: Some(SeverityLevel::Off),
        unknown_source: Some(SeverityLevel::Warning),
        ..Default::default()
    };
    let report = check(&index, &analysis, &settings, &Passages::default());
    expect![[r#"
        <!-- dossier-ignore unknown-source -->
        See [@nobody2020].

        See [@nobody2021].
              ^^^^^^^^^^ warning unknown-source: no source has the key `nobody2021`

        Putin went to Tehran in July 2022.
    "#]]
    .assert_eq(&render(&analysis.text, &report));
}

#[test]
fn fixes_apply() {
    check_fix(
        "//- brief.md\nSee [@berman2032, para. 1].\n",
        Code::UnknownSource,
        expect![[r#"
            Cite @berman2023
            See [@berman2023, para. 1].
        "#]],
    );
    check_fix(
        "//- brief.md\nRussia became \"an international outcast\" [@berman2023, para. 3].\n",
        Code::Misquote,
        expect![[r#"
            Use the source's words
            Russia became "an international pariah" [@berman2023, para. 3].
        "#]],
    );
    check_fix(
        "//- brief.md\nPutin traveled to Tehran in July 2023 [@berman2023, para. 1].\n",
        Code::ContradictsSource,
        expect![[r#"
            Write July 2022, as the source does
            Putin traveled to Tehran in July 2022 [@berman2023, para. 1].
        "#]],
    );
    check_fix(
        "//- brief.md\nTehran sent kamikaze drones to the Russian military [@berman2023, para. 1].\n",
        Code::UnsupportedClaim,
        expect![[r#"
            Cite @berman2023, para. 13 instead
            Tehran sent kamikaze drones to the Russian military [@berman2023, para. 13].
        "#]],
    );
    check_fix(
        "//- brief.md\nPutin traveled to Tehran in July 2022.\n",
        Code::UncitedClaim,
        expect![[r#"
            Cite @berman2023, para. 1
            Putin traveled to Tehran in July 2022 [@berman2023, para. 1].
        "#]],
    );
}
