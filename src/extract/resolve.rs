//! From the name candidates of a whole source to its entities and their mentions: a surname
//! is the person named in full elsewhere in the source (`Putin` → `Vladimir Putin`), an
//! acronym is the name it was introduced after (`JCPOA`), an ambiguous short name is the
//! candidate the source mentions otherwise (`Islamic Republic` → Iran).

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use foldhash::fast::FixedState;

use serde::{Deserialize, Serialize};

use super::lexicon::{EntityKind, Form, Lexicon};
use super::names::{Candidate, Guess};
use super::tokens::is_acronym;
use super::words::is_name_particle;

/// An entity as one source knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalEntity {
    pub name: String,
    pub kind: EntityKind,
    /// Other names the source uses for it, and those the lexicon knows.
    pub aliases: BTreeSet<String>,
    pub demonyms: BTreeSet<String>,
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

struct Builder<'l> {
    lexicon: &'l Lexicon,
    entities: Vec<LocalEntity>,
    /// By name, then by kind (`EntityKind as usize`): a name is looked up without being
    /// copied into a key.
    by_name: Map<String, [Option<usize>; 5]>,
    by_known: Map<usize, usize>,
    mentions: Vec<LocalMention>,
}

impl Builder<'_> {
    fn known_entity(&mut self, known: usize) -> usize {
        if let Some(&index) = self.by_known.get(&known) {
            return index;
        }
        let entry = &self.lexicon.entities[known];
        let index = self.entities.len();
        self.entities.push(LocalEntity {
            name: entry.name.clone(),
            kind: entry.kind,
            aliases: entry.aliases.iter().cloned().collect(),
            demonyms: entry.demonyms.iter().cloned().collect(),
            known: Some(known),
            title: None,
        });
        self.by_known.insert(known, index);
        index
    }

    fn named_entity(&mut self, name: &str, kind: EntityKind) -> usize {
        if let Some(index) = self
            .by_name
            .get(name)
            .and_then(|kinds| kinds[kind as usize])
        {
            return index;
        }
        let index = self.entities.len();
        self.entities.push(LocalEntity {
            name: name.to_string(),
            kind,
            aliases: BTreeSet::new(),
            demonyms: BTreeSet::new(),
            known: None,
            title: None,
        });
        self.by_name.entry(name.to_string()).or_default()[kind as usize] = Some(index);
        index
    }

    fn mention(
        &mut self,
        entity: usize,
        paragraph: u32,
        range: Range<usize>,
        form: Form,
        surface: &str,
    ) {
        let local = &mut self.entities[entity];
        // Most mentions repeat a form already recorded: copy only a new one.
        let forms = match form {
            Form::Demonym => &mut local.demonyms,
            _ if surface != local.name => &mut local.aliases,
            _ => return self.push_mention(entity, paragraph, range, form),
        };
        if !forms.contains(surface) {
            forms.insert(surface.to_string());
        }
        self.push_mention(entity, paragraph, range, form);
    }

    fn push_mention(&mut self, entity: usize, paragraph: u32, range: Range<usize>, form: Form) {
        self.mentions
            .extend(LocalMention::new(entity, paragraph, range, form));
    }
}

/// The entities a source has at most, most often.
const TYPICAL_ENTITIES: usize = 32;

pub fn resolve(text: &str, units: &[UnitCandidates], lexicon: &Lexicon) -> SourceEntities {
    // Most candidates are one mention each: the list is seldom grown.
    let candidates: usize = units.iter().map(|u| u.candidates.len()).sum();
    let mut builder = Builder {
        lexicon,
        // Room for the few dozen entities of most sources, where the vector of these large
        // records was reallocated and copied as it grew from four (room for every candidate
        // cost a large allocation, dearer than the copies).
        entities: Vec::with_capacity(candidates.min(TYPICAL_ENTITIES)),
        by_name: Map::default(),
        by_known: Map::default(),
        mentions: Vec::with_capacity(candidates),
    };
    let all = || {
        units
            .iter()
            .flat_map(|u| u.candidates.iter().map(move |c| (u.paragraph, c)))
    };

    // How often the source names each known entity unambiguously: the evidence that picks
    // the reading of an ambiguous name.
    let mut known_counts: Map<usize, usize> = Map::default();
    for (_, candidate) in all() {
        if let Candidate::Known { entities, .. } = candidate
            && let [only] = entities
        {
            *known_counts.entry(*only).or_default() += 1;
        }
    }

    // Full names first, so that surnames and acronyms can point at them.
    let mut surnames: Map<String, usize> = Map::default();
    let mut acronyms: Map<String, usize> = Map::default();
    for (paragraph, candidate) in all() {
        let Candidate::Unknown {
            name,
            kind: Guess::Kind(kind),
            title,
            acronym,
            ..
        } = candidate
        else {
            continue;
        };
        if !name.contains(' ') {
            continue; // a single word may be an alias: resolved below
        }
        let known_before = builder.entities.len();
        let entity = builder.named_entity(name, *kind);
        if *kind == EntityKind::Person {
            // A person seen before has registered its short names already.
            if entity >= known_before {
                for_each_short_name(name, |short| {
                    if !surnames.contains_key(short) {
                        surnames.insert(short.to_string(), entity);
                    }
                });
            }
            if builder.entities[entity].title.is_none()
                && let Some(title) = title
            {
                builder.entities[entity].title = Some((paragraph, title.clone()));
            }
        }
        if let Some(acronym) = acronym {
            acronyms.insert(text[acronym.clone()].to_string(), entity);
        }
    }

    for (paragraph, candidate) in all() {
        match candidate {
            Candidate::Known {
                range,
                entities,
                form,
            } => {
                let chosen = match entities {
                    [only] => Some(*only),
                    many => choose_reading(many, &known_counts, lexicon),
                };
                if let Some(known) = chosen {
                    let entity = builder.known_entity(known);
                    let surface = known_surface(&text[range.clone()], lexicon);
                    builder.mention(entity, paragraph, range.clone(), *form, &surface);
                }
            }
            Candidate::Unknown {
                range,
                name,
                kind: Guess::Kind(kind),
                ..
            } => {
                let alias_of = if name.contains(' ') {
                    None
                } else if is_acronym(name) {
                    acronyms.get(name.as_str())
                } else {
                    surnames.get(name.as_str())
                };
                let entity = alias_of
                    .copied()
                    .unwrap_or_else(|| builder.named_entity(name, *kind));
                let form = if builder.entities[entity].name == *name {
                    Form::Name
                } else {
                    Form::Alias
                };
                let surface = unknown_surface(name, paragraph);
                builder.mention(entity, paragraph, range.clone(), form, &surface);
            }
            Candidate::Unknown {
                range,
                name,
                kind: Guess::SingleWord,
                sentence_start,
                after_locative,
                ..
            } => {
                let entity = acronyms
                    .get(name.as_str())
                    .or_else(|| surnames.get(name.as_str()))
                    .copied()
                    .or_else(|| {
                        // A lone word is a name of its own only mid-sentence and when it is
                        // not an ordinary word.
                        let kind = if *after_locative {
                            EntityKind::Place
                        } else {
                            EntityKind::Other
                        };
                        (!sentence_start && !lexicon.is_common_word(name))
                            .then(|| builder.named_entity(name, kind))
                    });
                if let Some(entity) = entity {
                    let form = if builder.entities[entity].name == *name {
                        Form::Name
                    } else {
                        Form::Alias
                    };
                    let surface = unknown_surface(name, paragraph);
                    builder.mention(entity, paragraph, range.clone(), form, &surface);
                }
            }
        }
    }

    drop_unmentioned(builder.entities, builder.mentions)
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

/// Keeps the entities that have mentions, renumbered, and sorts the mentions by place.
fn drop_unmentioned(entities: Vec<LocalEntity>, mut mentions: Vec<LocalMention>) -> SourceEntities {
    let mut renumbered = vec![None; entities.len()];
    let mut kept = Vec::new();
    for mention in &mentions {
        if renumbered[mention.entity()].is_none() {
            renumbered[mention.entity()] = Some(kept.len());
            kept.push(mention.entity());
        }
    }
    let mut slots: Vec<Option<LocalEntity>> = entities.into_iter().map(Some).collect();
    let mut kept_entities = Vec::with_capacity(kept.len());
    kept_entities.extend(kept.iter().filter_map(|&old| slots[old].take()));
    for mention in &mut mentions {
        // Fewer entities than before: the new number fits where the old one did.
        let new = renumbered[mention.entity()].unwrap_or(0);
        mention.entity = u32::try_from(new).unwrap_or(mention.entity);
    }
    mentions.sort_by_key(|m| (m.start, m.len));
    SourceEntities {
        entities: kept_entities,
        mentions,
    }
}

/// The reading of an ambiguous known name: the candidate the source names otherwise, else
/// the one country among territories (`French` is France before Martinique).
fn choose_reading(
    candidates: &[usize],
    counts: &Map<usize, usize>,
    lexicon: &Lexicon,
) -> Option<usize> {
    let named = candidates
        .iter()
        .filter(|e| counts.get(e).is_some_and(|&n| n > 0))
        .max_by_key(|e| counts.get(e).copied().unwrap_or(0));
    if let Some(&named) = named {
        return Some(named);
    }
    let countries: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&e| {
            lexicon.entities[e]
                .description
                .as_deref()
                .is_some_and(|d| d.starts_with("country"))
        })
        .collect();
    match countries.as_slice() {
        [country] => Some(*country),
        _ => None,
    }
}

/// The words by which a person may be named alone: the surname (the last word that is not
/// a particle or an initial) and the middle names (`Lula` in `Luiz Inácio Lula da Silva`),
/// each given to `register` (the surname perhaps twice). The first registration of a word
/// wins, so full names seen earlier keep theirs; all of one name's words name the same
/// person, so their order does not matter. Read without a list of the words, which cost two
/// allocations a person.
fn for_each_short_name(name: &str, mut register: impl FnMut(&str)) {
    let usable = |w: &str| !is_name_particle(w) && !w.ends_with('.');
    let mut words = name.split_whitespace();
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
            name in "(Luiz|Lula|da|de|van|J\\.|Silva| |  |\u{a0}){0,8}"
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
