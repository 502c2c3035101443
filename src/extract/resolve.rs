//! From the name candidates of a whole source to its entities and their mentions: a surname
//! is the person named in full elsewhere in the source (`Putin` → `Vladimir Putin`), an
//! acronym is the name it was introduced after (`JCPOA`), an ambiguous short name is the
//! candidate the source mentions otherwise (`Islamic Republic` → Iran).

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use foldhash::fast::FixedState;

use serde::{Deserialize, Serialize};

use super::lexicon::{EntityKind, Form, Lexicon};
use super::names::{Candidate, Guess};
use super::tokens::is_acronym;
use super::words::is_name_particle;

mod builder;

use builder::{Builder, NONE};

/// An entity as one source knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalEntity {
    pub name: String,
    pub kind: EntityKind,
    /// Other names the source uses for it, and those the lexicon knows: sorted, each once.
    pub aliases: Vec<String>,
    pub demonyms: Vec<String>,
    /// Its entry in the lexicon, when it is a known entity.
    pub known: Option<usize>,
    /// Where a person's title was read (`Russian President`), for the description.
    pub title: Option<(u32, Range<usize>)>,
}

/// Where a source names one of its entities. Kept small (16 bytes): a source of a few
/// kilobytes has hundreds, and a cold build holds those of every source at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalMention {
    entity: u32,
    /// 0 for the byline or front matter, else the paragraph number.
    pub paragraph: u32,
    start: u32,
    len: u16,
    pub form: Form,
}

/// A name's range as mentions keep it, a `u32` start and a `u16` length; `None` past 4 GiB
/// into a source or for a name past 64 KiB.
pub fn pack_name_range(range: &Range<usize>) -> Option<(u32, u16)> {
    Some((
        u32::try_from(range.start).ok()?,
        u16::try_from(range.len()).ok()?,
    ))
}

/// The range `pack_name_range` packed.
pub fn unpack_name_range(start: u32, len: u16) -> Range<usize> {
    let start = start as usize;
    start..start + usize::from(len)
}

impl LocalMention {
    /// `None` when a number does not fit: a source past 4 GiB, a name past 64 KiB.
    pub fn new(entity: usize, paragraph: u32, range: Range<usize>, form: Form) -> Option<Self> {
        let (start, len) = pack_name_range(&range)?;
        Some(LocalMention {
            entity: u32::try_from(entity).ok()?,
            paragraph,
            start,
            len,
            form,
        })
    }

    /// The source's local entity it names.
    pub fn entity(&self) -> usize {
        self.entity as usize
    }

    /// The name's range in the source's text.
    pub fn range(&self) -> Range<usize> {
        unpack_name_range(self.start, self.len)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceEntities {
    pub entities: Vec<LocalEntity>,
    pub mentions: Vec<LocalMention>,
}

/// The candidates of one unit (the byline or a paragraph).
pub struct UnitCandidates<'c, 'l> {
    pub paragraph: u32,
    pub candidates: &'c [Candidate<'l>],
}

/// Maps of the builder: looked up for every candidate, their order never read.
type Map<K, V> = HashMap<K, V, FixedState>;

pub fn resolve(text: &str, units: &[UnitCandidates], lexicon: &Lexicon) -> SourceEntities {
    let candidates: usize = units.iter().map(|u| u.candidates.len()).sum();
    let mut builder = Builder::new(lexicon, candidates);
    let all = || {
        units
            .iter()
            .flat_map(|u| u.candidates.iter().map(move |c| (u.paragraph, c)))
    };
    // The entity of each candidate that names one alone, found in the first pass and taken
    // in the second: a known name named unambiguously, a full name.
    let mut entity_of = Vec::with_capacity(candidates);
    let mut short_names = ShortNames {
        by_word: Map::with_capacity_and_hasher(candidates.min(14), FixedState::default()),
    };
    for (paragraph, candidate) in all() {
        let entity = match candidate {
            // How often the source names each known entity unambiguously: the evidence that
            // picks the reading of an ambiguous name.
            Candidate::Known {
                entities: [only], ..
            } => {
                let entity = builder.known_entity(*only);
                let draft = &mut builder.drafts[entity];
                draft.count = draft.count.saturating_add(1);
                entity
            }
            // Full names first, so that surnames and acronyms can point at them.
            Candidate::Unknown {
                name,
                kind: Guess::Kind(kind),
                title,
                acronym,
                ..
            } if name.contains(' ') => {
                let (entity, new) = builder.named_entity(name, *kind);
                if *kind == EntityKind::Person {
                    // A person seen before has registered its short names already.
                    if new {
                        short_names.add_surnames(name, entity);
                    }
                    let draft = &mut builder.drafts[entity];
                    if draft.title.is_none()
                        && let Some(title) = title
                    {
                        draft.title = Some((paragraph, title.clone()));
                    }
                }
                if let Some(acronym) = acronym {
                    short_names.add_acronym(&text[acronym.clone()], entity);
                }
                entity
            }
            _ => NONE as usize,
        };
        entity_of.push(entity);
    }

    for ((paragraph, candidate), &first) in all().zip(&entity_of) {
        match candidate {
            Candidate::Known {
                range,
                entities,
                form,
            } => {
                let chosen = match entities {
                    [_] => Some(first),
                    many => choose_reading(many, &builder, lexicon)
                        .map(|known| builder.known_entity(known)),
                };
                if let Some(entity) = chosen {
                    let surface = known_surface(&text[range.clone()], lexicon);
                    builder.mention(entity, paragraph, range.clone(), *form, surface);
                }
            }
            Candidate::Unknown {
                range,
                name,
                kind: Guess::Kind(kind),
                ..
            } => {
                let entity = if first != NONE as usize {
                    first // a full name
                } else {
                    let alias_of = if is_acronym(name) {
                        short_names.acronym(name)
                    } else {
                        short_names.surname(name)
                    };
                    alias_of.unwrap_or_else(|| builder.named_entity(name, *kind).0)
                };
                mention_unknown(&mut builder, entity, paragraph, range, name);
            }
            Candidate::Unknown {
                range,
                name,
                kind: Guess::SingleWord,
                sentence_start,
                after_locative,
                ..
            } => {
                let entity = short_names.acronym_or_surname(name).or_else(|| {
                    // A lone word is a name of its own only mid-sentence and when it is
                    // not an ordinary word.
                    let kind = if *after_locative {
                        EntityKind::Place
                    } else {
                        EntityKind::Other
                    };
                    (!sentence_start && !lexicon.is_common_word(name))
                        .then(|| builder.named_entity(name, kind).0)
                });
                if let Some(entity) = entity {
                    mention_unknown(&mut builder, entity, paragraph, range, name);
                }
            }
        }
    }

    builder.finish()
}

/// Records a mention of `entity` by the unknown name `name`.
fn mention_unknown<'a>(
    builder: &mut Builder<'a>,
    entity: usize,
    paragraph: u32,
    range: &Range<usize>,
    name: &'a str,
) {
    let form = if builder.drafts[entity].name == name {
        Form::Name
    } else {
        Form::Alias
    };
    let surface = unknown_surface(name, paragraph);
    builder.mention(entity, paragraph, range.clone(), form, surface);
}

/// The single words that name an entity of the source: a person's surname and middle names,
/// the acronym a name was introduced with.
struct ShortNames<'a> {
    /// By word: the entity it is the acronym of, the person it is a short name of.
    by_word: Map<&'a str, [u32; 2]>,
}

impl<'a> ShortNames<'a> {
    const ACRONYM: usize = 0;
    const SURNAME: usize = 1;

    /// The short names of the person `name`; a word keeps the first person it named.
    fn add_surnames(&mut self, name: &'a str, entity: usize) {
        let entity = u32::try_from(entity).unwrap_or(NONE);
        for_each_short_name(name, |short| {
            let slot = &mut self.by_word.entry(short).or_insert([NONE; 2])[Self::SURNAME];
            if *slot == NONE {
                *slot = entity;
            }
        });
    }

    /// `acronym` for `entity`, the latest introduction winning.
    fn add_acronym(&mut self, acronym: &'a str, entity: usize) {
        let entity = u32::try_from(entity).unwrap_or(NONE);
        self.by_word.entry(acronym).or_insert([NONE; 2])[Self::ACRONYM] = entity;
    }

    fn find(&self, word: &str, which: usize) -> Option<usize> {
        let entity = self.by_word.get(word)?[which];
        (entity != NONE).then_some(entity as usize)
    }

    fn acronym(&self, word: &str) -> Option<usize> {
        self.find(word, Self::ACRONYM)
    }

    fn surname(&self, word: &str) -> Option<usize> {
        self.find(word, Self::SURNAME)
    }

    fn acronym_or_surname(&self, word: &str) -> Option<usize> {
        let [acronym, surname] = *self.by_word.get(word)?;
        [acronym, surname]
            .into_iter()
            .find(|&entity| entity != NONE)
            .map(|entity| entity as usize)
    }
}

/// How a known name's `matched` text is shown: as it is when every form of the lexicon is
/// (the text is one of them, byte for byte), which spares a scan of each mention.
fn known_surface<'t>(matched: &'t str, lexicon: &Lexicon) -> Cow<'t, str> {
    if lexicon.forms_are_collapsed() {
        Cow::Borrowed(matched)
    } else {
        collapse_white_space(matched)
    }
}

/// How an unknown `name` is shown. The reader collapsed its names already; the header's
/// (paragraph 0) are the metadata's spelling, which may have white space runs.
fn unknown_surface(name: &str, paragraph: u32) -> Cow<'_, str> {
    if paragraph == 0 {
        collapse_white_space(name)
    } else {
        Cow::Borrowed(name)
    }
}

/// The reading of an ambiguous known name: the candidate the source names otherwise, else
/// the one country among territories (`French` is France before Martinique).
fn choose_reading(candidates: &[usize], builder: &Builder, lexicon: &Lexicon) -> Option<usize> {
    let count = |known: usize| builder.drafted_known(known).map_or(0, |d| d.count);
    let named = candidates
        .iter()
        .filter(|&&e| count(e) > 0)
        .max_by_key(|&&e| count(e));
    if let Some(&named) = named {
        return Some(named);
    }
    let mut countries = candidates.iter().copied().filter(|&e| {
        lexicon.entities[e]
            .description
            .as_deref()
            .is_some_and(|d| d.starts_with("country"))
    });
    match (countries.next(), countries.next()) {
        (Some(country), None) => Some(country),
        _ => None,
    }
}

/// The words by which a person may be named alone: the surname (the last word that is not
/// a particle or an initial) and the middle names (`Lula` in `Luiz Inácio Lula da Silva`),
/// each given to `register` (the surname perhaps twice). The first registration of a word
/// wins, so full names seen earlier keep theirs; all of one name's words name the same
/// person, so their order does not matter. Read without a list of the words, which cost two
/// allocations a person.
fn for_each_short_name<'n>(name: &'n str, register: impl FnMut(&'n str)) {
    if name.is_ascii() {
        short_names_among(ascii_words(name), register);
    } else {
        short_names_among(name.split_whitespace(), register);
    }
}

/// `for_each_short_name` for the name of `words`.
fn short_names_among<'n>(
    mut words: impl Iterator<Item = &'n str>,
    mut register: impl FnMut(&'n str),
) {
    let usable = |w: &str| !is_name_particle(w) && !w.ends_with('.');
    let (Some(first), Some(mut last)) = (words.next(), words.next()) else {
        return;
    };
    let mut surname = usable(first).then_some(first);
    for word in words {
        // `last` is a middle name, being neither the first word nor the last.
        if usable(last) {
            register(last);
            surname = Some(last);
        }
        last = word;
    }
    if usable(last) {
        surname = Some(last);
    }
    if let Some(surname) = surname {
        register(surname);
    }
}

/// The words of an ASCII `text`, as `split_whitespace` cuts them (its white space in ASCII
/// is the vertical tab and the others of `is_ascii_whitespace`), by a look at each byte
/// where it decoded each character.
fn ascii_words(text: &str) -> impl Iterator<Item = &str> {
    let base = text.as_ptr() as usize;
    text.as_bytes()
        .split(|&b| matches!(b, b' ' | b'\t'..=b'\r'))
        .filter(|word| !word.is_empty())
        .map(move |word| {
            let at = (word.as_ptr() as usize).wrapping_sub(base);
            text.get(at..at + word.len()).unwrap_or_default()
        })
}

/// `text` with its white space runs as single spaces and trimmed, as names are shown;
/// borrowed when it is so already.
pub(crate) fn collapse_white_space(text: &str) -> Cow<'_, str> {
    if is_collapsed(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// Whether `text` has no white space but single spaces between words.
fn is_collapsed(text: &str) -> bool {
    let bytes = text.as_bytes();
    match is_collapsed_ascii(bytes) {
        Some(collapsed) => collapsed,
        None => {
            // Unicode white space (a no-break space) is white space too.
            let mut previous_space = true;
            text.chars().all(|c| {
                let ok = if c == ' ' {
                    !previous_space
                } else {
                    !c.is_whitespace()
                };
                previous_space = c == ' ';
                ok
            }) && !previous_space
        }
    }
}

/// `is_collapsed` for ASCII `bytes`; `None` for any other. Eight bytes at a time, the last
/// eight overlapping the others (a shorter text is padded with letters), and no branch on
/// each byte: a name's bytes are too varied to predict.
fn is_collapsed_ascii(bytes: &[u8]) -> Option<bool> {
    const EACH: u64 = u64::MAX / 0xFF;
    const HIGH: u64 = EACH * 0x80;
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return Some(true);
    };
    let mut flaws = u64::from(first == b' ' || last == b' ');
    let mut high_bits = 0;
    // Spaces after spaces and ASCII white space other than a space, in `eight`; `before`
    // has the high bit of its lowest byte set when the byte before `eight` is a space.
    let mut look = |eight: u64, before: u64| {
        high_bits |= eight & HIGH;
        // For ASCII bytes no sum carries from one byte into the next; other bytes may carry
        // (and overflow the word), but their high bits already make the answer `None`.
        let spaces = !((eight ^ (EACH * 0x20)).wrapping_add(EACH * 0x7F)) & HIGH;
        let controls = eight.wrapping_add(EACH * 0x77) & !eight.wrapping_add(EACH * 0x72) & HIGH;
        flaws |= (spaces & (spaces << 8 | before)) | controls;
        spaces >> 56
    };
    if let Some(tail_start) = bytes.len().checked_sub(8) {
        let mut before = 0;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            before = look(eight_bytes(chunk), before);
        }
        let before_tail = tail_start
            .checked_sub(1)
            .map_or(0, |at| u64::from(bytes[at] == b' ') << 7);
        look(eight_bytes(&bytes[tail_start..]), before_tail);
    } else {
        let mut padded = [b'a'; 8];
        padded[..bytes.len()].copy_from_slice(bytes);
        look(u64::from_le_bytes(padded), 0);
    }
    (high_bits == 0).then_some(flaws == 0)
}

fn eight_bytes(chunk: &[u8]) -> u64 {
    chunk
        .first_chunk::<8>()
        .map_or(0, |eight| u64::from_le_bytes(*eight))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The short names as `for_each_short_name` gave them before, as a list.
    fn simple_short_names(name: &str) -> Vec<String> {
        let words: Vec<&str> = name.split_whitespace().collect();
        if words.len() < 2 {
            return Vec::new();
        }
        let usable = |w: &str| !is_name_particle(w) && !w.ends_with('.');
        let mut names: Vec<String> = words
            .iter()
            .rev()
            .copied()
            .filter(|w| usable(w))
            .take(1)
            .map(str::to_string)
            .collect();
        names.extend(
            words[1..words.len() - 1]
                .iter()
                .copied()
                .filter(|w| usable(w))
                .map(str::to_string),
        );
        names
    }

    proptest::proptest! {
        #[test]
        fn the_short_names_are_the_simple_ones(
            name in "(Luiz|Lula|da|de|van|J\\.|Silva| |  |\t|\x0b|\x1f|\u{a0}){0,8}"
        ) {
            let mut given = Vec::new();
            for_each_short_name(&name, |short| given.push(short.to_string()));
            let mut expected = simple_short_names(&name);
            given.sort();
            given.dedup();
            expected.sort();
            expected.dedup();
            proptest::prop_assert_eq!(given, expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn collapsing_white_space_joins_the_words_with_single_spaces(
            text in "( |  |\t|\n|\u{a0}|\u{2003}|a|B|é|-){0,12}"
        ) {
            let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(collapse_white_space(&text), joined);
        }

        /// ASCII names long enough to be read eight bytes at a time.
        #[test]
        fn collapsing_ascii_white_space_joins_the_words_with_single_spaces(
            text in "( |  |\t|\n|\r|\x0b|\x0c|\x08|\x0e|\x1f|!|a|B|-|Ab|abc){0,40}"
        ) {
            let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(collapse_white_space(&text), joined);
        }
    }
}
