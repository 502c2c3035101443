//! Merging what each source says into the corpus's entities: the same name and kind in two
//! sources is one entity; a name that only one entity uses as an alias (a surname, an
//! acronym) is that entity.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::packed::Fixed;

use crate::extract::lexicon::{EntityKind, Form};
use crate::extract::resolve::{pack_name_range, unpack_name_range};
use crate::extract::{ExtractedEntity, Extraction};

/// An entity of the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable and readable: `vladimir-putin`, `georgia-place`.
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    pub aliases: Vec<String>,
    pub demonyms: Vec<String>,
    pub description: Option<EntityDescription>,
    /// What the built-in gazetteer or the analyst's configuration says it is.
    pub info: Option<String>,
    /// In the snapshot, a section of its own (read without a copy in between).
    #[serde(skip)]
    pub mentions: Vec<Mention>,
    /// Counted once when the index is built, so that a hover on a place named in thousands
    /// of sources does not count them again.
    pub counts: Counts,
}

/// How widely the corpus speaks of an entity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Paragraphs that mention it (the byline and front matter aside).
    pub passages: u32,
    /// Sources with such a paragraph.
    pub sources: u32,
    /// Dated events of body paragraphs that involve it (filled in with the events).
    pub events: u32,
}

impl Counts {
    /// The passages and sources of mentions in source and offset order.
    fn of_mentions(mentions: &[Mention]) -> Counts {
        let mut counts = Counts::default();
        let mut last: Option<(u32, u32)> = None;
        for mention in mentions.iter().filter(|m| m.paragraph > 0) {
            let passage = (mention.source, mention.paragraph);
            if last == Some(passage) {
                continue;
            }
            if last.is_none_or(|(source, _)| source != passage.0) {
                counts.sources += 1;
            }
            counts.passages += 1;
            last = Some(passage);
        }
        counts
    }
}

/// A description in a source's words, with where it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityDescription {
    pub text: String,
    /// Index of the source in the index; `None` when the analyst's configuration gave it.
    pub source: Option<usize>,
    pub paragraph: u32,
    pub range: Range<usize>,
}

/// Where an entity is named. Kept small (16 bytes): a large corpus has tens of millions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    source: u32,
    /// 0 for the byline or front matter.
    pub paragraph: u32,
    start: u32,
    len: u16,
    pub demonym: bool,
}

impl Mention {
    /// `None` when a number does not fit: a source past 4 GiB, a name past 64 KiB.
    pub fn new(
        source: usize,
        paragraph: u32,
        range: Range<usize>,
        demonym: bool,
    ) -> Option<Mention> {
        let (start, len) = pack_name_range(&range)?;
        Some(Mention {
            source: u32::try_from(source).ok()?,
            paragraph,
            start,
            len,
            demonym,
        })
    }

    /// Index of the source in the index.
    pub fn source(&self) -> usize {
        self.source as usize
    }

    /// The name's range in the source's text.
    pub fn range(&self) -> Range<usize> {
        unpack_name_range(self.start, self.len)
    }

    /// Where it is, as an entity's mentions are ordered: by source, then start.
    fn place(&self) -> (u32, u32) {
        (self.source, self.start)
    }
}

impl Fixed for Mention {
    const SIZE: usize = 16;

    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.source.to_le_bytes());
        out.extend_from_slice(&self.paragraph.to_le_bytes());
        out.extend_from_slice(&self.start.to_le_bytes());
        out.extend_from_slice(&self.len.to_le_bytes());
        out.extend_from_slice(&[u8::from(self.demonym), 0]);
    }

    fn get(bytes: &[u8]) -> Mention {
        let u32_at = |at: usize| u32::get(&bytes[at..at + 4]);
        Mention {
            source: u32_at(0),
            paragraph: u32_at(4),
            start: u32_at(8),
            len: u16::get(&bytes[12..14]),
            demonym: bytes[14] != 0,
        }
    }
}

/// The corpus's entities, merged as the sources come in the index's source order. While
/// merging an entity has a provisional number; `finish` folds aliases and says where each
/// provisional number went.
#[derive(Default)]
pub struct Merging {
    entities: Vec<Entity>,
    /// The entities of each name, by kind (a name is seldom more than one kind): looked up
    /// by the borrowed name for every entity of every source, so no key is made for a hit.
    by_name: HashMap<String, Vec<(EntityKind, usize)>, foldhash::fast::RandomState>,
    /// Whether an entity's mentions may be out of order of place (`Mention::place`): they
    /// come in source order, and each source's in order of place, so this is seldom true.
    out_of_place: Vec<bool>,
    /// The last source merged.
    last_source: Option<usize>,
}

impl Merging {
    /// Merges what source number `source` says. Returns, for each of its local entities, the
    /// provisional number of the entity it is.
    pub fn add(&mut self, source: usize, extraction: &Extraction) -> Vec<usize> {
        let mut local_to_merged = Vec::with_capacity(extraction.entities.len());
        for local in &extraction.entities {
            let index = self.number_of(local);
            absorb(&mut self.entities[index], local, source);
            local_to_merged.push(index);
        }
        for mention in &extraction.mentions {
            if let Some(&index) = local_to_merged.get(mention.entity())
                && let Some(mention) = Mention::new(
                    source,
                    mention.paragraph,
                    mention.range(),
                    mention.form == Form::Demonym,
                )
            {
                self.entities[index].mentions.push(mention);
            }
        }
        // Told once a source, not at every mention: its mentions come after those of the
        // sources before, and in order of place among themselves (`resolve` sorts them, and
        // the cache keeps its order; checked in debug builds, where a check of every source
        // cost more than the sorts it spared).
        debug_assert!(
            extraction
                .mentions
                .is_sorted_by_key(|mention| mention.range().start)
        );
        if self.last_source.is_some_and(|last| last >= source) {
            for &index in &local_to_merged {
                self.out_of_place[index] = true;
            }
        }
        self.last_source = Some(source);
        local_to_merged
    }

    /// The provisional number of the entity `local` is, a new one if it is the first of its
    /// name and kind.
    fn number_of(&mut self, local: &ExtractedEntity) -> usize {
        let known = self.by_name.get(local.name.as_str()).and_then(|kinds| {
            kinds
                .iter()
                .find(|(kind, _)| *kind == local.kind)
                .map(|&(_, index)| index)
        });
        known.unwrap_or_else(|| {
            self.entities.push(new_entity(local));
            self.out_of_place.push(false);
            let index = self.entities.len() - 1;
            self.by_name
                .entry(local.name.clone())
                .or_default()
                .push((local.kind, index));
            index
        })
    }

    /// The corpus's entities once every source is in, and for each provisional number the
    /// entity's number among them.
    pub fn finish(self) -> (Vec<Entity>, Vec<usize>) {
        let (mut entities, renumbered) = fold_aliases(self.entities);
        // Features find an event's mentions by binary search. An entity's mentions are in
        // order already unless an alias's were folded in or some came out of order: only
        // those are sorted (a sort of the others made its scratch space, and read them all).
        let mut unsorted = vec![false; entities.len()];
        let mut merged_from = vec![0usize; entities.len()];
        for (old, &new) in renumbered.iter().enumerate() {
            if let Some(count) = merged_from.get_mut(new) {
                *count += 1;
                unsorted[new] |= *count > 1 || self.out_of_place.get(old).copied().unwrap_or(true);
            }
        }
        for (entity, unsorted) in entities.iter_mut().zip(unsorted) {
            if unsorted {
                entity.mentions.sort_by_key(Mention::place);
            }
            entity.counts = Counts::of_mentions(&entity.mentions);
        }
        assign_ids(&mut entities);
        (entities, renumbered)
    }
}

fn new_entity(local: &ExtractedEntity) -> Entity {
    Entity {
        id: String::new(),
        name: local.name.clone(),
        kind: local.kind,
        aliases: Vec::new(),
        demonyms: Vec::new(),
        description: None,
        info: local.info.clone(),
        mentions: Vec::new(),
        counts: Counts::default(),
    }
}

fn absorb(entity: &mut Entity, local: &ExtractedEntity, source: usize) {
    add_all(&mut entity.aliases, &local.aliases);
    add_all(&mut entity.demonyms, &local.demonyms);
    if entity.description.is_none()
        && let Some(description) = &local.description
    {
        let from_text = description.range.end > description.range.start;
        entity.description = Some(EntityDescription {
            text: description.text.clone(),
            source: from_text.then_some(source),
            paragraph: description.paragraph,
            range: description.range.clone(),
        });
    }
}

fn add_all(into: &mut Vec<String>, items: &[String]) {
    for item in items {
        if !into.contains(item) {
            into.push(item.clone());
        }
    }
}

type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// An entity whose name is an alias of exactly one other entity (a source that says only
/// `Putin`, another that says `Vladimir Putin`) joins that entity. Returns the entities left
/// and where each old index went.
fn fold_aliases(entities: Vec<Entity>) -> (Vec<Entity>, Vec<usize>) {
    // Looked up by key only, never iterated: foldhash, not SipHash; sized once, not regrown.
    let mut alias_owners: FastMap<&str, BTreeSet<usize>> =
        FastMap::with_capacity_and_hasher(entities.len(), Default::default());
    for (index, entity) in entities.iter().enumerate() {
        for alias in &entity.aliases {
            alias_owners
                .entry(alias.as_str())
                .or_default()
                .insert(index);
        }
        if entity.kind == EntityKind::Person
            && let Some(surname) = entity.name.split_whitespace().last()
            && entity.name.contains(' ')
        {
            alias_owners.entry(surname).or_default().insert(index);
        }
    }
    let mut target: Vec<Option<usize>> = vec![None; entities.len()];
    for (index, entity) in entities.iter().enumerate() {
        let single_word = !entity.name.contains(' ');
        let loose_kind = matches!(entity.kind, EntityKind::Other | EntityKind::Organization);
        if let Some(owners) = alias_owners.get(entity.name.as_str())
            && let [owner] = owners.iter().copied().collect::<Vec<_>>().as_slice()
            && *owner != index
            && (entities[*owner].kind == entity.kind || (single_word && loose_kind))
        {
            target[index] = Some(*owner);
        }
    }
    let mut slots: Vec<Option<Entity>> = entities.into_iter().map(Some).collect();
    let mut folded_into: Vec<Option<usize>> = vec![None; slots.len()];
    for index in 0..slots.len() {
        let Some(owner) = target[index] else { continue };
        if target[owner].is_some() {
            continue; // no chains: keep both
        }
        folded_into[index] = Some(owner);
        if let Some(folded) = slots[index].take()
            && let Some(owner_entity) = slots[owner].as_mut()
        {
            if !owner_entity.aliases.contains(&folded.name) {
                owner_entity.aliases.push(folded.name.clone());
            }
            add_all(&mut owner_entity.aliases, &folded.aliases);
            owner_entity.mentions.extend(folded.mentions);
        }
    }
    let mut new_index = vec![0; slots.len()];
    let mut next = 0;
    for (old, slot) in slots.iter().enumerate() {
        if slot.is_some() {
            new_index[old] = next;
            next += 1;
        }
    }
    let renumbered = (0..slots.len())
        .map(|old| new_index[folded_into[old].unwrap_or(old)])
        .collect();
    (slots.into_iter().flatten().collect(), renumbered)
}

/// `vladimir-putin`; a name shared by two kinds gets the kind too: `georgia-place`.
fn assign_ids(entities: &mut [Entity]) {
    // Looked up by key only, never iterated: foldhash, not SipHash; sized once, not regrown.
    let slugs: Vec<String> = entities.iter().map(|entity| slug(&entity.name)).collect();
    let mut counts: FastMap<&str, usize> =
        FastMap::with_capacity_and_hasher(entities.len(), Default::default());
    for slug in &slugs {
        *counts.entry(slug.as_str()).or_default() += 1;
    }
    let mut used: FastMap<String, usize> =
        FastMap::with_capacity_and_hasher(entities.len(), Default::default());
    for (entity, base) in entities.iter_mut().zip(&slugs) {
        let mut id = if counts.get(base.as_str()).copied().unwrap_or(0) > 1 {
            format!("{base}-{}", kind_name(entity.kind))
        } else {
            base.clone()
        };
        let seen = used.entry(id.clone()).or_default();
        *seen += 1;
        if *seen > 1 {
            id = format!("{id}-{seen}");
        }
        entity.id = id;
    }
}

pub fn kind_name(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "person",
        EntityKind::Organization => "organization",
        EntityKind::Place => "place",
        EntityKind::Event => "event",
        EntityKind::Other => "other",
    }
}

fn slug(name: &str) -> String {
    // Borrowed when the name is ASCII already (as most are), where `deunicode` copied it.
    let folded = deunicode::deunicode_with_tofu_cow(name, "[?]");
    // Folded text is ASCII, whose lower case needs no copy of its own.
    let folded = if folded.is_ascii() {
        folded
    } else {
        Cow::Owned(folded.to_lowercase())
    };
    // Sized once: pushed a character at a time, the slug was reallocated as it grew.
    let mut slug = String::with_capacity(folded.len());
    // By bytes, where each character was decoded: the bytes of a character past ASCII are
    // none of them ASCII, and make one `-` as the character did.
    let mut dash = false;
    for &byte in folded.as_bytes() {
        if byte.is_ascii_alphanumeric() {
            slug.push(char::from(byte.to_ascii_lowercase()));
            dash = false;
        } else if !dash && !slug.is_empty() {
            slug.push('-');
            dash = true;
        }
    }
    if slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        "entity".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `slug` as it was, for the proptest.
    fn simple_slug(name: &str) -> String {
        let folded = deunicode::deunicode(name).to_lowercase();
        let mut slug = String::new();
        for c in folded.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        let trimmed = slug.trim_end_matches('-').to_string();
        if trimmed.is_empty() {
            "entity".to_string()
        } else {
            trimmed
        }
    }

    proptest::proptest! {
        #[test]
        fn slugs_are_the_simple_slugs(name in "(A|b|Z|9| |-|'|é|Ö|ß|İ|K|\u{212A}|北|京|🙂|\\.){0,16}") {
            proptest::prop_assert_eq!(slug(&name), simple_slug(&name));
        }
    }

    #[test]
    fn a_name_without_letters_is_an_entity() {
        assert_eq!(slug("--- !"), "entity");
        assert_eq!(slug("Vladimir Putin"), "vladimir-putin");
        assert_eq!(slug("Ali Khamenei."), "ali-khamenei");
    }
}
