//! What the extractor knows before it reads a source: the built-in gazetteer (generated from
//! open data, see tools/gazetteer), the entities of `dossier.toml`, and ordinary English
//! words. One Aho-Corasick automaton finds every known name, alias and demonym in a text,
//! walked only from the bytes a name can start with.

use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, OnceLock};

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, PatternID, StartKind};
use foldhash::fast::FixedState;
use serde::{Deserialize, Serialize};

use super::scan::LowerWord;
use crate::config::{EntityConfig, EntityKindConfig};

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
    pub range: std::ops::Range<usize>,
    /// The candidates it may name: more than one when the alias is ambiguous
    /// (`Islamic Republic` is Iran, Pakistan, Mauritania or Afghanistan). Borrowed from the
    /// lexicon: a paragraph has dozens of matches, and copying each list cost an allocation.
    pub entities: &'l [usize],
    pub form: Form,
}

pub struct Lexicon {
    pub entities: Vec<KnownEntity>,
    /// The surface forms, one per pattern, for the automaton.
    forms: Vec<String>,
    /// Built on the first search: a start from the saved index never needs it.
    automaton: OnceLock<Option<DFA>>,
    /// The bytes a form starts with, and its first two bytes (every form has two or more):
    /// the only places where a search needs the automaton.
    starts: FormStarts,
    /// For each pattern: the entities it names and how.
    patterns: Vec<(Vec<usize>, Form)>,
    common_words: &'static HashSet<&'static str, FixedState>,
}

/// Looked up up to six times a word (its inflections): foldhash, not SipHash.
static COMMON_WORDS: LazyLock<HashSet<&'static str, FixedState>> = LazyLock::new(|| {
    COMMON_WORDS_TXT
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .collect()
});

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
        let mut by_form: HashMap<String, (Vec<usize>, Form)> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        for (index, entity) in entities.iter().enumerate() {
            let derived = entity.derived_aliases();
            let forms = std::iter::once((&entity.name, Form::Name))
                .chain(entity.aliases.iter().map(|a| (a, Form::Alias)))
                .chain(derived.iter().map(|a| (a, Form::Alias)))
                .chain(entity.demonyms.iter().map(|d| (d, Form::Demonym)));
            for (text, form) in forms {
                if text.chars().count() < 2 {
                    continue;
                }
                match by_form.get_mut(text.as_str()) {
                    Some((candidates, existing)) => {
                        if *existing == form && !candidates.contains(&index) {
                            candidates.push(index);
                        }
                    }
                    None => {
                        by_form.insert(text.clone(), (vec![index], form));
                        order.push(text.clone());
                    }
                }
            }
        }
        let patterns: Vec<(Vec<usize>, Form)> = order
            .iter()
            .filter_map(|text| by_form.remove(text))
            .collect();
        let starts = FormStarts::new(&order);
        Lexicon {
            entities,
            forms: order,
            automaton: OnceLock::new(),
            starts,
            patterns,
            common_words: &COMMON_WORDS,
        }
    }

    /// Builds the automaton now rather than on the first search, which would keep every
    /// other search waiting for it.
    pub fn prepare(&self) {
        self.automaton.get_or_init(|| self.build_automaton());
    }

    /// Every known name in `text`, on word boundaries, leftmost-longest, case-sensitive (so
    /// that `US` and `WHO` do not fire on "us" and "who").
    pub fn find(&self, text: &str) -> Vec<KnownMatch<'_>> {
        let mut found = Vec::new();
        self.find_into(text, 0, &mut found);
        found
    }

    /// `find`, with the ranges moved by `offset`, appended to `found`.
    ///
    /// The search is the automaton's unanchored leftmost-longest one (the earliest start
    /// wins, then the longest form there, and the next search starts where a match ends,
    /// whether or not it is on word boundaries), run as anchored searches from the bytes a
    /// form can start with. Most bytes of prose are lower-case letters and spaces that
    /// start no form: skipped with one table lookup each instead of a walk through the
    /// automaton, which cost a tenth of all extraction.
    pub fn find_into<'l>(&'l self, text: &str, offset: usize, found: &mut Vec<KnownMatch<'l>>) {
        let Some(automaton) = self.automaton.get_or_init(|| self.build_automaton()) else {
            return;
        };
        let bytes = text.as_bytes();
        let mut at = self.starts.next_start(bytes, 0);
        while at < bytes.len() {
            let found_here = self
                .starts
                .may_start(bytes, at)
                .then(|| longest_at(automaton, bytes, at))
                .flatten();
            let Some((pattern, end)) = found_here else {
                at = self.starts.next_start(bytes, at + 1);
                continue;
            };
            if is_word_boundary(text, at, end)
                && let Some((entities, form)) = self.patterns.get(pattern.as_usize())
            {
                found.push(KnownMatch {
                    range: offset + at..offset + end,
                    entities,
                    form: *form,
                });
            }
            at = self.starts.next_start(bytes, end);
        }
    }

    /// A DFA: a few megabytes and some tens of milliseconds to build, once, and then it reads
    /// a form at one transition per byte. Only anchored searches: `find_into` picks the
    /// starts.
    fn build_automaton(&self) -> Option<DFA> {
        DFA::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(&self.forms)
            .ok()
    }

    /// An ordinary English word (`years`, `stunning`), in any case; plurals are tried as
    /// their singular.
    pub fn is_common_word(&self, word: &str) -> bool {
        // An ASCII word is lower-cased on the stack; any other takes Unicode's lower case.
        match LowerWord::new(word).filter(|_| word.is_ascii()) {
            Some(lower) => self.is_lower_common_word(lower.as_str()),
            None => self.is_lower_common_word(&word.to_lowercase()),
        }
    }

    fn is_lower_common_word(&self, lower: &str) -> bool {
        let lower = lower.trim_end_matches(['\'', '’']);
        self.common_words.contains(lower)
            || lower
                .strip_suffix("ies")
                .is_some_and(|stem| self.common_words.contains(format!("{stem}y").as_str()))
            || lower
                .strip_suffix("es")
                .is_some_and(|stem| self.common_words.contains(stem))
            || lower
                .strip_suffix('s')
                .is_some_and(|stem| self.common_words.contains(stem))
            || lower
                .strip_suffix("ed")
                .is_some_and(|stem| self.common_words.contains(stem))
            || lower
                .strip_suffix("ing")
                .is_some_and(|stem| self.common_words.contains(stem))
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

/// Where a form may start: a table of first bytes, which rejects most bytes of prose, and a
/// bit per pair of first bytes, which rejects most of the rest (`o` starts `oPt`, but
/// `of`, `on` and `or` start nothing).
struct FormStarts {
    first_bytes: [bool; 256],
    first_pairs: Vec<u64>,
}

impl FormStarts {
    fn new(forms: &[String]) -> FormStarts {
        let mut starts = FormStarts {
            first_bytes: [false; 256],
            first_pairs: vec![0; 256 * 256 / 64],
        };
        for form in forms {
            if let [first, second, ..] = *form.as_bytes() {
                starts.first_bytes[usize::from(first)] = true;
                let pair = FormStarts::pair(first, second);
                starts.first_pairs[pair / 64] |= 1 << (pair % 64);
            }
        }
        starts
    }

    fn pair(first: u8, second: u8) -> usize {
        usize::from(first) << 8 | usize::from(second)
    }

    /// The first byte at or after `at` that starts a form, or the end of `bytes`.
    fn next_start(&self, bytes: &[u8], mut at: usize) -> usize {
        // Eight bytes to a step, without a branch for each: most words of prose hold no
        // byte that starts a form.
        while let Some(chunk) = bytes
            .get(at..at + 8)
            .and_then(|c| <&[u8; 8]>::try_from(c).ok())
        {
            if chunk
                .iter()
                .fold(false, |any, &b| any | self.first_bytes[usize::from(b)])
            {
                break;
            }
            at += 8;
        }
        while bytes
            .get(at)
            .is_some_and(|&b| !self.first_bytes[usize::from(b)])
        {
            at += 1;
        }
        at
    }

    /// Whether a form may start at byte `at` of `bytes`, one that `first_bytes` admits.
    fn may_start(&self, bytes: &[u8], at: usize) -> bool {
        match bytes.get(at..at + 2) {
            Some(&[first, second]) => {
                let pair = FormStarts::pair(first, second);
                self.first_pairs[pair / 64] & (1 << (pair % 64)) != 0
            }
            _ => false,
        }
    }
}

/// The longest form that starts at byte `start` of `haystack` and where it ends, as the
/// automaton's anchored search reports it.
fn longest_at(automaton: &DFA, haystack: &[u8], start: usize) -> Option<(PatternID, usize)> {
    let mut state = automaton.start_state(Anchored::Yes).ok()?;
    let mut longest = None;
    for (end, &byte) in (start + 1..).zip(&haystack[start..]) {
        state = automaton.next_state(Anchored::Yes, state, byte);
        if !automaton.is_special(state) {
            continue;
        }
        if automaton.is_dead(state) {
            break;
        }
        if automaton.is_match(state) {
            let pattern = automaton.match_pattern(state, 0);
            // A match state also holds the forms that end here but start later (a suffix
            // of what was read): not anchored at `start`.
            if end.checked_sub(automaton.pattern_len(pattern)) == Some(start) {
                longest = Some((pattern, end));
            }
        }
    }
    longest
}

fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
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
    use std::ops::Range;

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
    /// written: what the anchored searches from chosen starts must reproduce.
    fn found_by_one_search(lexicon: &Lexicon, text: &str) -> Vec<(Range<usize>, usize)> {
        let automaton = aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&lexicon.forms)
            .expect("the lexicon's automaton");
        automaton
            .find_iter(text)
            .filter(|m| is_word_boundary(text, m.start(), m.end()))
            .map(|m| (m.range(), m.pattern().as_usize()))
            .collect()
    }

    proptest::proptest! {
        /// Forms inside words, overlapping forms, a form that hides the start of another
        /// (`preoccupied Palestinian`), lower-case and non-ASCII starts.
        #[test]
        fn anchored_searches_find_what_one_search_finds(
            words in proptest::collection::vec(
                "(Iran|Iranian|Tehran|Islamic Republic|Islamic|Republic|of|the|United States|United|States|US|us|occupied Palestinian territory|preoccupied|Palestinian|oPt|Élysée|Élysée Palace|Ürümqi|Russian Federation|Russia|[a-zA-Z]{1,5}|é|-|,|\\.|'s)",
                0..12,
            ),
            glue in proptest::collection::vec("( |  |-|)", 12),
        ) {
            let lexicon = Lexicon::built_in();
            let text: String = words.iter().zip(&glue).flat_map(|(w, g)| [w.as_str(), g.as_str()]).collect();
            let found: Vec<(Range<usize>, usize)> = lexicon
                .find(&text)
                .into_iter()
                .map(|m| {
                    let pattern = lexicon
                        .patterns
                        .iter()
                        .position(|(entities, _)| std::ptr::eq(entities.as_slice(), m.entities))
                        .expect("a pattern's entities");
                    (m.range, pattern)
                })
                .collect();
            proptest::prop_assert_eq!(found, found_by_one_search(lexicon, &text), "in {:?}", text);
        }
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
    fn common_words_include_inflections() {
        let lexicon = Lexicon::built_in();
        for word in ["Years", "Stunning", "Thereafter", "countries", "Material"] {
            assert!(lexicon.is_common_word(word), "{word}");
        }
        for word in ["Putin", "Tehran", "Primakov"] {
            assert!(!lexicon.is_common_word(word), "{word}");
        }
    }
}
