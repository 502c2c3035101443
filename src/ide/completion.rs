//! Completion: citation keys after `[@` or `@` (found by key, author, title, year or a near
//! spelling, ranked on the server), paragraph locators with a preview after `[@key, `, a
//! content search of the corpus when the words after `[@` are no key, and entity names in
//! prose.

use std::ops::Range;

use super::Analysis;
use super::markdown::{escape, excerpt};
use crate::brief::{CitationContext, citation_context_at};
use crate::index::{Index, MatchedBy};

/// At most this many items per answer; longer lists are marked incomplete.
pub const MAX_ITEMS: usize = 200;
/// Citation keys offered at once: a screenful and more. The list is marked incomplete
/// beyond it, and the editor asks again as the analyst types; each key item carries its
/// card, so a longer list costs milliseconds to send on every keystroke.
pub const MAX_KEYS: usize = 50;
/// Passages offered by a content search.
const MAX_PASSAGES: usize = 20;
/// Entity names offered in prose.
const MAX_ENTITIES: usize = 50;
const PREVIEW_CHARS: usize = 80;
const DOCUMENTATION_CHARS: usize = 1200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Source,
    Locator,
    Passage,
    Entity,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    pub detail: Option<String>,
    /// Markdown, source text escaped.
    pub documentation: Option<String>,
    /// What the client filters on as the user goes on typing.
    pub filter_text: String,
    /// The range of the brief the item replaces, and its text.
    pub edit: (Range<usize>, String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completions {
    /// In rank order.
    pub items: Vec<Item>,
    /// More would match, or the ranking depends on the server: the client asks again as the
    /// user types.
    pub incomplete: bool,
}

pub fn completion(index: &Index, analysis: &Analysis, offset: usize) -> Option<Completions> {
    // Never in code, front matter or comments. A cursor after spaces at the end of a line
    // (`[@key, $0`) is still in the block those spaces end.
    let before = analysis.text.get(..offset).unwrap_or("");
    let probe = before.trim_end_matches([' ', '\t']).len();
    let in_prose = analysis.brief.prose_block_at(probe).is_some();
    let at_end_of_text = offset >= analysis.text.trim_end().len();
    if !in_prose && !at_end_of_text {
        return None;
    }
    match citation_context_at(&analysis.text, offset) {
        Some(CitationContext::Key { typed, range, .. }) => Some(keys(index, &typed, range)),
        Some(CitationContext::Locator { key, range, .. }) => locators(index, &key, range),
        Some(CitationContext::Search { query, range }) => Some(passages(index, &query, range)),
        None => entities(index, analysis, offset),
    }
}

/// Entities a typed name may mean, for finding the sources that mention them.
const MAX_NAMED_ENTITIES: usize = 5;

fn keys(index: &Index, typed: &str, range: Range<usize>) -> Completions {
    let (found, more) = index.finder().find(typed, MAX_KEYS);
    let mut completions = Completions {
        items: Vec::new(),
        incomplete: more,
    };
    let mut sources: Vec<(usize, bool)> = found
        .iter()
        .map(|m| {
            (
                m.source as usize,
                matches!(m.matched, MatchedBy::Key | MatchedBy::KeyPrefix),
            )
        })
        .collect();
    // Then the sources that mention an entity of that name (`[@primakov`), when there is
    // room for them.
    let mentioning = if sources.len() < MAX_KEYS {
        sources_mentioning(index, typed)
    } else {
        completions.incomplete = true;
        Vec::new()
    };
    for source in mentioning {
        if sources.len() >= MAX_KEYS {
            completions.incomplete = true;
            break;
        }
        if !sources.iter().any(|(s, _)| *s == source) {
            sources.push((source, false));
        }
    }
    for (source_index, by_key) in sources {
        let Some(source) = index.source_at(source_index) else {
            continue;
        };
        // Matches the client cannot see in the key itself (an author, a title word, an
        // entity, a near spelling) must survive its filtering: they filter on what was
        // typed, and the server is asked again as the user types.
        if !by_key {
            completions.incomplete = true;
        }
        let year = source
            .date
            .as_ref()
            .map(|d| d.first_year().to_string())
            .unwrap_or_else(|| "n.d.".to_string());
        let author = source
            .author_line()
            .unwrap_or_else(|| "no author".to_string());
        completions.items.push(Item {
            label: source.key.clone(),
            kind: ItemKind::Source,
            detail: Some(format!("{author} ({year}) — {}", source.title)),
            documentation: Some(format!(
                "**{}**\n\n{} · {year}{}\n\n{} paragraphs",
                escape(&source.title),
                escape(&author),
                source
                    .publisher
                    .as_ref()
                    .map(|p| format!(" · *{}*", escape(p)))
                    .unwrap_or_default(),
                source.paragraphs.len()
            )),
            filter_text: if by_key {
                source.key.clone()
            } else {
                typed.to_string()
            },
            edit: (range.clone(), source.key.clone()),
        });
    }
    completions
}

/// The sources that mention entities whose name, alias or surname begins with `typed`,
/// those that mention them most first.
fn sources_mentioning(index: &Index, typed: &str) -> Vec<usize> {
    let wanted = typed.trim().to_lowercase();
    if wanted.chars().count() < 3 {
        return Vec::new();
    }
    let named = |entity: &&crate::index::Entity| {
        std::iter::once(&entity.name)
            .chain(&entity.aliases)
            .flat_map(|form| {
                form.split_whitespace()
                    .chain(std::iter::once(form.as_str()))
            })
            .any(|word| starts_with_ignoring_case(word, &wanted))
    };
    let mut counts: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for entity in index
        .entities()
        .iter()
        .filter(named)
        .take(MAX_NAMED_ENTITIES)
    {
        // Mentions are in source order: one count per source, not per mention.
        for run in entity.mentions.chunk_by(|a, b| a.source() == b.source()) {
            *counts.entry(run[0].source()).or_default() += run.len();
        }
    }
    let mut sources: Vec<(usize, usize)> = counts.into_iter().collect();
    sources.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    sources.into_iter().map(|(source, _)| source).collect()
}

/// Whether `word` starts with `prefix` (lower-case), case aside; allocates nothing.
fn starts_with_ignoring_case(word: &str, prefix: &str) -> bool {
    let mut letters = word.chars().flat_map(char::to_lowercase);
    prefix.chars().all(|wanted| letters.next() == Some(wanted))
}

fn locators(index: &Index, key: &str, range: Range<usize>) -> Option<Completions> {
    let number = index.source_index(key)?;
    let source = index.source_at(number)?;
    let source_text = index.text(number).unwrap_or_default();
    let items: Vec<Item> = source
        .paragraphs
        .iter()
        .take(MAX_ITEMS)
        .map(|paragraph| {
            let text = source_text.get(paragraph.range.clone()).unwrap_or("");
            let label = format!("para. {}", paragraph.number);
            Item {
                detail: Some(excerpt(text, PREVIEW_CHARS)),
                documentation: Some(format!(
                    "**{} ¶{}**\n\n{}",
                    escape(&source.key),
                    paragraph.number,
                    escape(&excerpt(text, DOCUMENTATION_CHARS))
                )),
                filter_text: label.clone(),
                edit: (range.clone(), label.clone()),
                kind: ItemKind::Locator,
                label,
            }
        })
        .collect();
    Some(Completions {
        incomplete: source.paragraphs.len() > MAX_ITEMS,
        items,
    })
}

fn passages(index: &Index, query: &str, range: Range<usize>) -> Completions {
    let items = index
        .search()
        .search(query, MAX_PASSAGES)
        .into_iter()
        .filter_map(|hit| {
            let source = index.source_at(hit.source as usize)?;
            let paragraph = source.paragraph(hit.paragraph)?;
            let text = &index
                .paragraph_text(hit.source as usize, paragraph)
                .unwrap_or_default();
            let citation = format!("{}, para. {}", source.key, hit.paragraph);
            Some(Item {
                label: format!("@{citation}"),
                kind: ItemKind::Passage,
                detail: Some(excerpt(text, PREVIEW_CHARS)),
                documentation: Some(format!(
                    "**{} ¶{}** — {}\n\n{}",
                    escape(&source.key),
                    hit.paragraph,
                    escape(&source.title),
                    escape(&excerpt(text, DOCUMENTATION_CHARS))
                )),
                // The client filters on the words typed, which the citation does not hold.
                filter_text: query.to_string(),
                edit: (range.clone(), citation),
            })
        })
        .collect();
    Completions {
        items,
        incomplete: true,
    }
}

/// Entity names that begin with the word being typed in prose.
fn entities(index: &Index, analysis: &Analysis, offset: usize) -> Option<Completions> {
    let before = analysis.text.get(..offset)?;
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '-' || *c == '\'')
        .last()
        .map_or(offset, |(at, _)| at);
    let typed = &analysis.text[word_start..offset];
    if typed.chars().count() < 2 {
        return None;
    }
    let wanted = typed.to_lowercase();
    let mut items: Vec<Item> = Vec::new();
    let mut more = false;
    for entity in index.entities() {
        // A person is found by the surname too, and completed in full.
        let surname = (entity.kind == crate::extract::lexicon::EntityKind::Person)
            .then(|| entity.name.split_whitespace().last())
            .flatten()
            .filter(|last| last.to_lowercase().starts_with(&wanted))
            .map(|_| &entity.name);
        let forms = std::iter::once(&entity.name).chain(&entity.aliases);
        let Some(form) = forms
            .into_iter()
            .find(|form| form.to_lowercase().starts_with(&wanted))
            .or(surname)
        else {
            continue;
        };
        if items.len() >= MAX_ENTITIES {
            more = true;
            break;
        }
        items.push(Item {
            label: form.clone(),
            kind: ItemKind::Entity,
            detail: Some(crate::index::entities::kind_name(entity.kind).to_string()),
            documentation: entity
                .description
                .as_ref()
                .map(|d| escape(&d.text))
                .or_else(|| entity.info.as_deref().map(escape)),
            filter_text: form.clone(),
            edit: (word_start..offset, form.clone()),
        });
    }
    items.sort_by(|a, b| {
        a.label
            .len()
            .cmp(&b.label.len())
            .then_with(|| a.label.cmp(&b.label))
    });
    (!items.is_empty()).then_some(Completions {
        items,
        incomplete: more,
    })
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::ide::fixture;

    fn check_completion(fixture_text: &str, expect: Expect) {
        let (index, analysis, offset, _files) = fixture::parse(fixture_text);
        let shown = match completion(&index, &analysis, offset) {
            None => "none".to_string(),
            Some(list) => {
                let mut out = format!("incomplete: {}\n", list.incomplete);
                for item in list.items.iter().take(6) {
                    let (range, text) = &item.edit;
                    out.push_str(&format!(
                        "{} | {} | replaces {:?} with {:?}\n",
                        item.label,
                        item.detail
                            .as_deref()
                            .map(|d| excerpt(d, 40))
                            .unwrap_or_default(),
                        &analysis.text[range.clone()],
                        text
                    ));
                }
                out
            }
        };
        expect.assert_eq(&shown);
    }

    #[test]
    fn keys_stop_at_the_cap_and_say_there_are_more() {
        let mut fixture_text = String::new();
        for n in 0..=MAX_KEYS {
            fixture_text.push_str(&format!(
                "//- sources/roe-{n}.txt\nReport {n}\n\nMay 3, {} Ann Roe Notes\n\nShips.\n",
                1900 + n
            ));
        }
        fixture_text.push_str("//- brief.md\nShips came [@roe$0].\n");
        let (index, analysis, offset, _files) = fixture::parse(&fixture_text);
        let list = completion(&index, &analysis, offset).expect("keys");
        assert_eq!((list.items.len(), list.incomplete), (MAX_KEYS, true));
    }

    const SOURCES: &str = r#"
//- sources/roe-2021.txt
Ships in the Strait

May 3, 2021 Ann Roe Harbour Notes

First paragraph on ports.

Second paragraph mentions Ankara and its navy.
//- sources/roe-2022.txt
Later Ships

June 3, 2022 Ann Roe Harbour Notes

Ankara built drones for export.
//- sources/lee-2020.md
---
title: Grain Corridors
author: Kim Lee
date: 2020-01-01
---
Grain moved through Odesa.
"#;

    #[test]
    fn keys_after_an_opening_bracket() {
        check_completion(
            &format!("{SOURCES}//- brief.md\nShips came [@ro$0].\n"),
            expect![[r#"
                incomplete: false
                roe2021 | Ann Roe (2021) — Ships in the Strait | replaces "ro" with "roe2021"
                roe2022 | Ann Roe (2022) — Later Ships | replaces "ro" with "roe2022"
            "#]],
        );
        check_completion(
            &format!("{SOURCES}//- brief.md\nShips came [@$0\n"),
            expect![[r#"
                incomplete: false
                lee2020 | Kim Lee (2020) — Grain Corridors | replaces "" with "lee2020"
                roe2021 | Ann Roe (2021) — Ships in the Strait | replaces "" with "roe2021"
                roe2022 | Ann Roe (2022) — Later Ships | replaces "" with "roe2022"
            "#]],
        );
    }

    #[test]
    fn keys_by_title_word() {
        check_completion(
            &format!("{SOURCES}//- brief.md\nGrain [@grai$0\n"),
            expect![[r#"
                incomplete: true
                lee2020 | Kim Lee (2020) — Grain Corridors | replaces "grai" with "lee2020"
            "#]],
        );
    }

    #[test]
    fn keys_by_an_entity_the_source_mentions() {
        check_completion(
            &format!("{SOURCES}//- brief.md\nThe navy [@ankar$0\n"),
            expect![[r#"
                incomplete: true
                roe2021 | Ann Roe (2021) — Ships in the Strait | replaces "ankar" with "roe2021"
                roe2022 | Ann Roe (2022) — Later Ships | replaces "ankar" with "roe2022"
            "#]],
        );
    }

    #[test]
    fn locators_with_previews() {
        check_completion(
            &format!("{SOURCES}//- brief.md\nShips came [@roe2021, $0\n\nNext.\n"),
            expect![[r#"
                incomplete: false
                para. 1 | First paragraph on ports. | replaces "" with "para. 1"
                para. 2 | Second paragraph mentions Ankara and… | replaces "" with "para. 2"
            "#]],
        );
        check_completion(
            &format!("{SOURCES}//- brief.md\nShips came [@roe2021, $0].\n"),
            expect![[r#"
                incomplete: false
                para. 1 | First paragraph on ports. | replaces "" with "para. 1"
                para. 2 | Second paragraph mentions Ankara and… | replaces "" with "para. 2"
            "#]],
        );
    }

    #[test]
    fn a_search_when_the_words_are_no_key() {
        check_completion(
            "//- brief.md\nIran sent drones [@kamikaze drones$0\n",
            expect![[r#"
                incomplete: true
                @berman2023, para. 13 | These difficulties have led Moscow to… | replaces "kamikaze drones" with "berman2023, para. 13"
                @berman2023, para. 14 | The collaboration has not stopped… | replaces "kamikaze drones" with "berman2023, para. 14"
                @berman2023, para. 18 | Iran's involvement has likewise begun… | replaces "kamikaze drones" with "berman2023, para. 18"
            "#]],
        );
    }

    #[test]
    fn entity_names_in_prose() {
        check_completion(
            "//- brief.md\nThen Prim$0\n",
            expect![[r#"
                incomplete: false
                Yevgeny Primakov | person | replaces "Prim" with "Yevgeny Primakov"
                Primakov Doctrine | other | replaces "Prim" with "Primakov Doctrine"
            "#]],
        );
    }

    #[test]
    fn nothing_in_code() {
        check_completion("//- brief.md\n```\n[@ber$0\n```\n", expect!["none"]);
    }
}
