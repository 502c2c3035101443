//! Hover: for a citation key, the source (title, author, date, publisher); for a locator, the
//! cited paragraph's text; for an entity, a card with its kind, description, dated events and
//! the passages that mention it. Every piece of source text is escaped.

use std::fmt::Write as _;
use std::ops::Range;

use super::markdown::{code, escape, excerpt};
use super::{Analysis, Target, target_at};
use crate::brief::Citation;
use crate::corpus::Paragraph;
use crate::index::entities::{Counts, kind_name};
use crate::index::{Entity, Index};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// What the hover is about, in the brief.
    pub range: Range<usize>,
    pub markdown: String,
}

/// How much of a paragraph a locator hover shows, and how many paragraphs.
const PARAGRAPH_CHARS: usize = 1200;
const MAX_PARAGRAPHS: usize = 3;
/// How many events and passages an entity card lists.
const MAX_EVENTS: usize = 6;
const MAX_PASSAGES: usize = 4;
const PASSAGE_CHARS: usize = 220;

pub fn hover(index: &Index, analysis: &Analysis, offset: usize) -> Option<Hover> {
    match target_at(index, analysis, offset)? {
        Target::CitationKey(citation) => Some(Hover {
            range: citation.key_range.clone(),
            markdown: source_card(index, &citation.key),
        }),
        Target::Locator(citation) => Some(Hover {
            range: citation
                .locator
                .as_ref()
                .map_or(citation.range.clone(), |l| {
                    l.label_range.as_ref().map_or(l.value.start, |r| r.start)..l.value.end
                }),
            markdown: paragraph_card(index, citation),
        }),
        Target::Entity { range, entity } => Some(Hover {
            range,
            markdown: entity_card(index, entity, index.entity_at(entity)?),
        }),
    }
}

fn source_card(index: &Index, key: &str) -> String {
    let Some(source) = index.source(key) else {
        return format!("No source in the corpus has the key {}.", code(key));
    };
    let mut out = format!("**{}**\n\n", escape(&source.title));
    let mut facts = Vec::new();
    if let Some(author) = source.author_line() {
        facts.push(escape(&author));
    }
    if let Some(date) = &source.date {
        facts.push(escape(&date.to_string()));
    }
    if let Some(publisher) = &source.publisher {
        facts.push(format!("*{}*", escape(publisher)));
    }
    if !facts.is_empty() {
        let _ = writeln!(out, "{}\n", facts.join(" · "));
    }
    let _ = write!(
        out,
        "{} · {} paragraphs · {}",
        code(&format!("@{}", source.key)),
        source.paragraphs.len(),
        escape(&source.path)
    );
    out
}

/// The paragraph's text, or nothing when its file changed since it was indexed.
fn paragraph_text(index: &Index, key: &str, paragraph: &Paragraph) -> String {
    index
        .source_index(key)
        .and_then(|source| index.paragraph_text(source, paragraph))
        .unwrap_or_default()
}

fn paragraph_card(index: &Index, citation: &Citation) -> String {
    let Some(source) = index.source(&citation.key) else {
        return format!(
            "No source in the corpus has the key {}.",
            code(&citation.key)
        );
    };
    let numbers = citation.paragraphs();
    if numbers.is_empty() {
        return source_card(index, &citation.key);
    }
    let mut out = String::new();
    for number in numbers.iter().take(MAX_PARAGRAPHS) {
        match source.paragraph(*number) {
            Some(paragraph) => {
                let _ = writeln!(
                    out,
                    "**{} ¶{number}**\n\n{}\n",
                    escape(&source.key),
                    escape(&excerpt(
                        &paragraph_text(index, &citation.key, paragraph),
                        PARAGRAPH_CHARS
                    ))
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "**{} has no paragraph {number}** (it has {}).\n",
                    escape(&source.key),
                    source.paragraphs.len()
                );
            }
        }
    }
    if numbers.len() > MAX_PARAGRAPHS {
        let _ = writeln!(
            out,
            "… and {} more paragraphs",
            numbers.len() - MAX_PARAGRAPHS
        );
    }
    out.trim_end().to_string()
}

fn entity_card(index: &Index, number: usize, entity: &Entity) -> String {
    let mut out = format!("**{}** · {}", escape(&entity.name), kind_name(entity.kind));
    if let Some(description) = &entity.description {
        let _ = write!(out, "\n\n{}", escape(&description.text));
        if let Some(source) = description.source.and_then(|s| index.source_at(s)) {
            let _ = write!(out, " — {} ¶{}", escape(&source.key), description.paragraph);
        }
    } else if let Some(info) = &entity.info {
        let _ = write!(out, "\n\n{}", escape(info));
    }
    let other_names: Vec<String> = entity
        .aliases
        .iter()
        .chain(&entity.demonyms)
        .take(8)
        .map(|name| escape(name))
        .collect();
    if !other_names.is_empty() {
        let _ = write!(out, "\n\nAlso: {}", other_names.join(", "));
    }
    // A place named in thousands of sources: show the first few, with the counts made when
    // the index was built.
    let shown: Vec<_> = index
        .events_of(number)
        .filter(|event| event.paragraph > 0)
        .take(MAX_EVENTS)
        .collect();
    if !shown.is_empty() {
        out.push_str("\n\n**Events**\n");
        let more = (entity.counts.events as usize).saturating_sub(shown.len());
        for event in shown {
            let date = index
                .event_date(event)
                .map_or_else(|| "undated".to_string(), ToString::to_string);
            let key = index
                .source_at(event.source())
                .map_or("", |s| s.key.as_str());
            let _ = write!(
                out,
                "\n- {} — {} ({} ¶{})",
                escape(&date),
                escape(&excerpt(
                    &index.event_summary(event).unwrap_or_default(),
                    PASSAGE_CHARS
                )),
                escape(key),
                event.paragraph
            );
        }
        if more > 0 {
            let _ = write!(out, "\n- … and {more} more");
        }
    }
    // Mentions are in source and offset order, so a passage's mentions are neighbours.
    let mut shown: Vec<(usize, u32)> = Vec::new();
    for mention in entity.mentions.iter().filter(|m| m.paragraph > 0) {
        let passage = (mention.source(), mention.paragraph);
        if shown.last() == Some(&passage) {
            continue;
        }
        if shown.len() == MAX_PASSAGES {
            break;
        }
        shown.push(passage);
    }
    let Counts {
        passages, sources, ..
    } = entity.counts;
    if passages > 0 {
        let _ = write!(
            out,
            "\n\n**Mentioned in** {} of {}\n",
            count(passages as usize, "passage"),
            count(sources as usize, "source")
        );
        for (number_of_source, number) in shown {
            let Some(source) = index.source_at(number_of_source) else {
                continue;
            };
            let Some(paragraph) = source.paragraph(number) else {
                continue;
            };
            let _ = write!(
                out,
                "\n> {} — {} ¶{number}\n",
                escape(&excerpt(
                    &index
                        .paragraph_text(number_of_source, paragraph)
                        .unwrap_or_default(),
                    PASSAGE_CHARS
                )),
                escape(&source.key)
            );
        }
    }
    out
}

/// `1 passage`, `6 passages`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture;

    fn check_hover(fixture_text: &str, expect: Expect) {
        let (index, analysis, offset, _files) = fixture::parse(fixture_text);
        let shown = match hover(&index, &analysis, offset) {
            Some(hover) => format!("[{}]\n{}", &analysis.text[hover.range], hover.markdown),
            None => "no hover".to_string(),
        };
        expect.assert_eq(&shown);
    }

    #[test]
    fn hover_on_a_key_shows_the_source() {
        check_hover(
            "//- brief.md\nPutin went to Tehran [@berm$0an2023, para. 1].\n",
            expect![[r#"
                [berman2023]
                **A New Page in the Russo–Iranian Partnership**

                Ilan I. Berman · 2023-02-15 · *The Jerusalem Strategic Tribune*

                `@berman2023` · 20 paragraphs · seeds/000\_66373d9ec02ed63b\.txt"#]],
        );
    }

    #[test]
    fn hover_on_a_locator_shows_the_paragraph() {
        check_hover(
            r#"
//- sources/roe-2021.txt
Ships in the Strait

May 3, 2021 Ann Roe Harbour Notes

First paragraph.

Second paragraph mentions Ankara and [a link](command:evil).
//- brief.md
Ankara sent ships [@roe2021, para.$0 2].
"#,
            expect![[r#"
                [para. 2]
                **roe2021 ¶2**

                Second paragraph mentions Ankara and \[a link\]\(command:evil\)."#]],
        );
    }

    #[test]
    fn hover_on_a_missing_paragraph_says_so() {
        check_hover(
            "//- brief.md\nSee [@berman2023, para. 4$02].\n",
            expect![[r#"
                [para. 42]
                **berman2023 has no paragraph 42** (it has 20)."#]],
        );
    }

    #[test]
    fn hover_on_an_entity_shows_its_card() {
        check_hover(
            "//- brief.md\n# Notes\n\nPrimak$0ov shaped the doctrine.\n",
            expect![[r#"
                [Primakov]
                **Yevgeny Primakov** · person

                Russian Foreign Minister \(and former KGB head\) — berman2023 ¶6

                **Events**

                - 199X — Tehran also saw a natural role for itself in the so-called "Primakov Doctrine," the strategic concept promulgated by Russian Foreign Minister \(and former KGB head\) Yevgeny Primakov in the 1990s to… (berman2023 ¶6)

                **Mentioned in** 1 passage of 1 source

                > Iran, meanwhile, came to see the Russian Federation as a savior, in more ways than one. Fresh off a grinding eight-year war with neighboring Iraq, the Islamic Republic was in dire need of arms to reconstitute the might… — berman2023 ¶6
            "#]],
        );
        check_hover(
            "//- brief.md\nThe trip by Vladimir Pu$0tin mattered.\n",
            expect![[r#"
                [Vladimir Putin]
                **Vladimir Putin** · person

                Russian President — berman2023 ¶1

                Also: Putin

                **Events**

                - 2022-07 — In July 2022, against the backdrop of the ongoing war in Ukraine, Russian President Vladimir Putin embarked on a notable foreign trip. (berman2023 ¶1)
                - 2012/.. — Thereafter, the return of Putin to the country's top post \(a position which he, in truth, had never abandoned\) muted calls for a Russian about-face on Iran, at least somewhat. (berman2023 ¶9)

                **Mentioned in** 6 passages of 1 source

                > In July 2022, against the backdrop of the ongoing war in Ukraine, Russian President Vladimir Putin embarked on a notable foreign trip. Amid mounting international censure and growing hostility from the outside world,… — berman2023 ¶1

                > Putin's trip to Tehran may have been the most high-profile visit by his government, but it was hardly the only one. In preceding weeks, a range of Russian officials had all trekked to the Islamic Republic in service of… — berman2023 ¶2

                > These diplomatic forays reflected a monumental geopolitical shift. Practically overnight, the traditional balance of power in the longrunning strategic partnership had been inverted. For decades, Russia served as a key… — berman2023 ¶3

                > Thereafter, the return of Putin to the country's top post \(a position which he, in truth, had never abandoned\) muted calls for a Russian about-face on Iran, at least somewhat. Nevertheless, hopes that Moscow might be… — berman2023 ¶9
            "#]],
        );
    }

    #[test]
    fn no_hover_in_code() {
        check_hover("//- brief.md\n```\nPu$0tin\n```\n", expect!["no hover"]);
    }
}
