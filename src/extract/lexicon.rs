//! What the extractor knows before it reads a source: the built-in gazetteer (generated from
//! open data, see tools/gazetteer), the entities of `dossier.toml`, and ordinary English
//! words. Every known name, alias and demonym in a text is found by its first word
//! (`search.rs`).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use foldhash::fast::FixedState;
use serde::{Deserialize, Serialize};

use super::resolve::collapse_white_space;
use super::tokens::ProseSkip;
use crate::config::{EntityConfig, EntityKindConfig};

mod common_words;
mod first_runs;
mod prose;
mod search;

use common_words::CommonWords;
use search::FormIndex;

const GAZETTEER_TSV: &str = include_str!("../../data/gazetteer.tsv");
const COMMON_WORDS_TXT: &str = include_str!("../../data/common_words.txt");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Place,
    Event,
    Other,
}

impl From<EntityKindConfig> for EntityKind {
    fn from(kind: EntityKindConfig) -> EntityKind {
        match kind {
            EntityKindConfig::Person => EntityKind::Person,
            EntityKindConfig::Organization => EntityKind::Organization,
            EntityKindConfig::Place => EntityKind::Place,
            EntityKindConfig::Event => EntityKind::Event,
            EntityKindConfig::Other => EntityKind::Other,
        }
    }
}

/// An entity known in advance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownEntity {
    pub name: String,
    pub kind: EntityKind,
    pub aliases: Vec<String>,
    pub demonyms: Vec<String>,
    /// What the gazetteer or the analyst says it is (`capital of Iran`).
    pub description: Option<String>,
    /// From `dossier.toml`: wins over what the extractor finds.
    pub from_config: bool,
}

/// How a known name was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Form {
    Name,
    Alias,
    Demonym,
}

/// A known name found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownMatch<'l> {
    pub range: Range<usize>,
    /// The candidates it may name: more than one when the alias is ambiguous
    /// (`Islamic Republic` is Iran, Pakistan, Mauritania or Afghanistan). Borrowed from the
    /// lexicon: a paragraph has dozens of matches, and copying each list cost an allocation.
    pub entities: &'l [usize],
    pub form: Form,
    /// The form is nothing to the name reader but a name: none of its words is a function
    /// word, connector or title word (`words.rs`), which it would otherwise look each word
    /// of a run up for.
    pub plain: bool,
}

pub struct Lexicon {
    pub entities: Vec<KnownEntity>,
    /// The surface forms, one per pattern.
    forms: Vec<String>,
    /// Built on the first search: a start from the saved index never needs it.
    index: OnceLock<FormIndex>,
    /// For each pattern: the entities it names and how.
    patterns: Vec<(Vec<usize>, Form)>,
    common_words: &'static CommonWords,
    /// No form has white space but single spaces between words: a match is shown as is.
    forms_collapsed: bool,
}

/// Looked up up to six times a word (its inflections), by keys (`common_words.rs`).
static COMMON_WORDS: LazyLock<CommonWords> = LazyLock::new(|| CommonWords::parse(COMMON_WORDS_TXT));

static GAZETTEER: LazyLock<Vec<KnownEntity>> = LazyLock::new(|| parse_gazetteer(GAZETTEER_TSV));

static BUILT_IN: LazyLock<Lexicon> = LazyLock::new(|| Lexicon::build(&[]));

impl Lexicon {
    /// The lexicon of the built-in gazetteer alone.
    pub fn built_in() -> &'static Lexicon {
        &BUILT_IN
    }

    /// The gazetteer plus the analyst's entities, which win on a shared name.
    pub fn build(configured: &[EntityConfig]) -> Lexicon {
        let mut entities: Vec<KnownEntity> = configured
            .iter()
            .map(|entity| KnownEntity {
                name: entity.name.trim().to_string(),
                kind: entity.kind.into(),
                aliases: entity
                    .aliases
                    .iter()
                    .map(|a| a.trim().to_string())
                    .collect(),
                demonyms: Vec::new(),
                description: entity.description.clone(),
                from_config: true,
            })
            .filter(|entity| !entity.name.is_empty())
            .collect();
        let configured_names: HashSet<String> = entities
            .iter()
            .flat_map(|e| std::iter::once(e.name.clone()).chain(e.aliases.iter().cloned()))
            .collect();
        entities.extend(
            GAZETTEER
                .iter()
                .filter(|entity| !configured_names.contains(&entity.name))
                .cloned(),
        );

        // One pattern per distinct surface form; a form shared by several entities keeps
        // them all as candidates. Names beat aliases beat demonyms; the analyst's entities
        // come first, so they win ties.
        // Looked up by form only, never iterated (`order` keeps the order): foldhash, not
        // SipHash, and room for the usual two forms an entity without regrowing. Each form
        // is borrowed from its entity and gives its pattern's number: a form is copied once.
        let mut by_form: HashMap<&str, usize, FixedState> =
            HashMap::with_capacity_and_hasher(entities.len() * 2, FixedState::default());
        let mut order: Vec<String> = Vec::new();
        let mut patterns: Vec<(Vec<usize>, Form)> = Vec::new();
        let derived: Vec<Vec<String>> = entities.iter().map(KnownEntity::derived_aliases).collect();
        for (index, (entity, derived)) in entities.iter().zip(&derived).enumerate() {
            let forms = std::iter::once((&entity.name, Form::Name))
                .chain(entity.aliases.iter().map(|a| (a, Form::Alias)))
                .chain(derived.iter().map(|a| (a, Form::Alias)))
                .chain(entity.demonyms.iter().map(|d| (d, Form::Demonym)));
            for (text, form) in forms {
                if text.chars().count() < 2 {
                    continue;
                }
                match by_form.get(text.as_str()) {
                    Some(&pattern) => {
                        let (candidates, existing) = &mut patterns[pattern];
                        if *existing == form && !candidates.contains(&index) {
                            candidates.push(index);
                        }
                    }
                    None => {
                        by_form.insert(text.as_str(), patterns.len());
                        patterns.push((vec![index], form));
                        order.push(text.clone());
                    }
                }
            }
        }
        drop(by_form);
        Lexicon {
            entities,
            forms_collapsed: order
                .iter()
                .all(|form| collapse_white_space(form) == form.as_str()),
            forms: order,
            index: OnceLock::new(),
            patterns,
            common_words: &COMMON_WORDS,
        }
    }

    /// Builds the index of forms now rather than on the first search, which would keep
    /// every other search waiting for it.
    pub fn prepare(&self) {
        self.index();
    }

    fn index(&self) -> &FormIndex {
        self.index.get_or_init(|| FormIndex::new(&self.forms))
    }

    /// Every known name in `text`, on word boundaries, leftmost-longest, case-sensitive (so
    /// that `US` and `WHO` do not fire on "us" and "who").
    pub fn find(&self, text: &str) -> Vec<KnownMatch<'_>> {
        let mut found = Vec::new();
        self.find_into(text, 0, &mut found);
        found
    }

    /// `find`, with the ranges moved by `offset`, appended to `found`.
    pub fn find_into<'l>(&'l self, text: &str, offset: usize, found: &mut Vec<KnownMatch<'l>>) {
        self.find_in_runs(text, search::runs(text), offset, found);
    }

    /// `find_into`, given the runs of letters and digits of `text`, all of them and in
    /// order, as the name tokenizer reads them: the text is not read a second time.
    pub fn find_in_runs<'l>(
        &'l self,
        text: &str,
        runs: impl IntoIterator<Item = Range<usize>>,
        offset: usize,
        found: &mut Vec<KnownMatch<'l>>,
    ) {
        let index = self.index();
        index.search(text, runs, |pattern, range| {
            if let Some((entities, form)) = self.patterns.get(pattern as usize) {
                found.push(KnownMatch {
                    range: offset + range.start..offset + range.end,
                    entities,
                    form: *form,
                    plain: index.is_plain(pattern),
                });
            }
        });
    }

    /// Whether every form has white space as names are shown (single spaces between
    /// words), so that a match needs no collapsing.
    pub fn forms_are_collapsed(&self) -> bool {
        self.forms_collapsed
    }

    /// What the name tokenizer may pass over without changing what is found in a text:
    /// nothing when some form could be found in plain lower-case prose.
    pub fn prose_skip(&self) -> Option<&ProseSkip> {
        self.index().prose_skip.as_ref()
    }

    /// How `text`, exactly, is a known name, if it is one.
    pub fn form_of(&self, text: &str) -> Option<Form> {
        let pattern = self.index().pattern_of(text)?;
        self.patterns.get(pattern as usize).map(|(_, form)| *form)
    }

    /// An ordinary English word (`years`, `stunning`), in any case; plurals are tried as
    /// their singular.
    pub fn is_common_word(&self, word: &str) -> bool {
        self.common_words.is_common(word)
    }
}

impl KnownEntity {
    /// Short forms of official names: `Islamic Republic` from `Islamic Republic of Iran`.
    /// Often ambiguous; the extractor keeps the candidate the source itself mentions.
    fn derived_aliases(&self) -> Vec<String> {
        if self.from_config {
            return Vec::new();
        }
        self.aliases
            .iter()
            .filter_map(|alias| {
                let (short, rest) = alias.rsplit_once(" of ")?;
                let words = short.split_whitespace().count();
                (words >= 2 && rest == self.name).then(|| short.to_string())
            })
            .collect()
    }
}

fn parse_gazetteer(tsv: &str) -> Vec<KnownEntity> {
    let list = |field: &str| -> Vec<String> {
        field
            .split('|')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_string)
            .collect()
    };
    tsv.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let kind = match *fields.first()? {
                "place" => EntityKind::Place,
                "organization" => EntityKind::Organization,
                _ => return None,
            };
            let name = fields.get(1)?.trim().to_string();
            let info = fields
                .get(4)
                .map(|info| info.trim())
                .filter(|info| !info.is_empty());
            Some(KnownEntity {
                name,
                kind,
                aliases: list(fields.get(2).unwrap_or(&"")),
                demonyms: list(fields.get(3).unwrap_or(&"")),
                description: info.map(str::to_string),
                from_config: false,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(lexicon: &Lexicon, text: &str) -> Vec<String> {
        lexicon
            .find(text)
            .iter()
            .map(|m| {
                let candidates: Vec<&str> = m
                    .entities
                    .iter()
                    .map(|&i| lexicon.entities[i].name.as_str())
                    .collect();
                format!(
                    "{} → {} ({:?})",
                    &text[m.range.clone()],
                    candidates.join("|"),
                    m.form
                )
            })
            .collect()
    }

    #[test]
    fn the_gazetteer_finds_places_aliases_and_demonyms() {
        let lexicon = Lexicon::built_in();
        assert_eq!(
            names(
                lexicon,
                "Iranian officials met in Tehran; the Russian Federation and the US agreed, us too."
            ),
            [
                "Iranian → Iran (Demonym)",
                "Tehran → Tehran (Name)",
                "Russian Federation → Russia (Alias)",
                "US → United States (Alias)",
            ]
        );
    }

    /// The unanchored search of one automaton over the whole text, as `find` was first
    /// written: what the lookups by first word must reproduce.
    fn found_by_one_search(lexicon: &Lexicon, text: &str) -> Vec<(Range<usize>, usize)> {
        let automaton = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&lexicon.forms)
            .expect("the lexicon's automaton");
        automaton
            .find_iter(text)
            .filter(|m| search::is_word_boundary(text, m.start(), m.end()))
            .map(|m| (m.range(), m.pattern().as_usize()))
            .collect()
    }

    /// The patterns `find` reports, as `found_by_one_search` has them.
    fn found_with_patterns(lexicon: &Lexicon, text: &str) -> Vec<(Range<usize>, usize)> {
        lexicon
            .find(text)
            .into_iter()
            .map(|m| {
                let pattern = lexicon
                    .patterns
                    .iter()
                    .position(|(entities, _)| std::ptr::eq(entities.as_slice(), m.entities))
                    .expect("a pattern's entities");
                (m.range, pattern)
            })
            .collect()
    }

    /// Whether `find` and one Aho-Corasick search agree on the text of `words` joined by
    /// `glue`.
    fn found_alike(
        lexicon: &Lexicon,
        words: &[String],
        glue: &[String],
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let text: String = words
            .iter()
            .zip(glue)
            .flat_map(|(w, g)| [w.as_str(), g.as_str()])
            .collect();
        proptest::prop_assert_eq!(
            found_with_patterns(lexicon, &text),
            found_by_one_search(lexicon, &text),
            "in {:?}",
            text
        );
        Ok(())
    }

    /// Forms that open with a symbol, end in one, hold one after a single letter, or are
    /// one letter and a symbol: none of them in the gazetteer.
    static ODD_FORMS: LazyLock<Lexicon> = LazyLock::new(|| {
        Lexicon::build(&[EntityConfig {
            name: "Ann Lee".into(),
            kind: EntityKindConfig::Person,
            aliases: [
                "#ann",
                "'s-Hertogenbosch",
                "a b",
                "x-y",
                "ab",
                "abc d",
                "b.",
                "é-x",
                "Zed's",
                "-x",
                "d+",
                "cd",
            ]
            .map(String::from)
            .to_vec(),
            description: None,
        }])
    });

    proptest::proptest! {
        /// Forms inside words, overlapping forms, a form that hides the start of another
        /// (`preoccupied Palestinian`), lower-case and non-ASCII starts.
        #[test]
        fn lookups_by_first_word_find_what_one_search_finds(
            words in proptest::collection::vec(
                "(Iran|Iranian|Tehran|Islamic Republic|Islamic|Republic|of|the|United States|United|States|US|us|occupied Palestinian territory|preoccupied|Palestinian|oPt|Élysée|Élysée Palace|Ürümqi|Russian Federation|Russia|U.S.|U.K.|EU|U|S|OPEC+|OPEC|New York|York|ers|[a-zA-Z]{1,5}|é|-|,|\\.|'s)",
                0..12,
            ),
            glue in proptest::collection::vec("( |  |-|)", 12),
        ) {
            found_alike(Lexicon::built_in(), &words, &glue)?;
        }

        #[test]
        fn odd_forms_are_found_as_one_search_finds_them(
            words in proptest::collection::vec(
                "(#ann|#|ann|'s|s|Hertogenbosch|a|b|ab|abc|d|x|y|é|\\.|-|\\+|Zed|Ann Lee|Ann|c|cd|[a-e]{1,3})",
                0..12,
            ),
            glue in proptest::collection::vec("( |-|'|\\.|)", 12),
        ) {
            found_alike(&ODD_FORMS, &words, &glue)?;
        }
    }

    #[test]
    fn a_known_name_is_found_by_its_exact_text() {
        let lexicon = Lexicon::built_in();
        assert_eq!(lexicon.form_of("Iranian"), Some(Form::Demonym));
        assert_eq!(lexicon.form_of("Tehran"), Some(Form::Name));
        assert_eq!(lexicon.form_of("Iranians"), None);
        assert_eq!(lexicon.form_of("Ira"), None);
        assert_eq!(lexicon.form_of(""), None);
    }

    #[test]
    fn a_form_inside_a_word_hides_the_forms_it_covers() {
        let lexicon = Lexicon::built_in();
        assert_eq!(
            names(
                lexicon,
                "preoccupied Palestinian territory; occupied Palestinian territory"
            ),
            ["occupied Palestinian territory → Palestinian Territory (Alias)"]
        );
    }

    #[test]
    fn short_official_names_are_ambiguous_candidates() {
        let lexicon = Lexicon::built_in();
        let found = lexicon.find("the Islamic Republic");
        assert_eq!(found.len(), 1);
        assert!(found[0].entities.len() >= 2, "{found:?}");
    }

    #[test]
    fn configured_entities_win() {
        let lexicon = Lexicon::build(&[EntityConfig {
            name: "Georgia".into(),
            kind: EntityKindConfig::Person,
            aliases: vec!["G.".into()],
            description: Some("a colleague".into()),
        }]);
        assert_eq!(names(&lexicon, "Georgia"), ["Georgia → Georgia (Name)"]);
        let georgia = &lexicon.entities[lexicon.find("Georgia")[0].entities[0]];
        assert_eq!(georgia.kind, EntityKind::Person);
    }

    #[test]
    fn the_common_words_are_the_lines_of_their_list() {
        let listed: HashSet<&str> = COMMON_WORDS_TXT
            .lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .collect();
        assert_eq!(COMMON_WORDS.len(), listed.len());
        assert!(listed.iter().all(|word| COMMON_WORDS.contains(word)));
    }

    #[test]
    fn common_words_include_inflections() {
        let lexicon = Lexicon::built_in();
        for word in ["Years", "Stunning", "Thereafter", "countries", "Material"] {
            assert!(lexicon.is_common_word(word), "{word}");
        }
        for word in ["Putin", "Tehran", "Primakov"] {
            assert!(!lexicon.is_common_word(word), "{word}");
        }
    }

    #[test]
    fn forms_are_collapsed_unless_a_configured_one_is_not() {
        assert!(Lexicon::built_in().forms_are_collapsed());
        let spaced = Lexicon::build(&[EntityConfig {
            name: "Ann  Lee".into(),
            kind: EntityKindConfig::Person,
            aliases: Vec::new(),
            description: None,
        }]);
        assert!(!spaced.forms_are_collapsed());
    }
}
