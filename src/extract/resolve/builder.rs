//! The entities of one source while its candidates are read: names and forms borrowed from
//! the text, the candidates and the lexicon, copied once for the entities kept at the end.

use std::borrow::Cow;
use std::ops::Range;

use super::{LocalEntity, LocalMention, Map, SourceEntities};
use crate::extract::lexicon::{EntityKind, Form, Lexicon};

/// No entity, no surface.
pub(super) const NONE: u32 = u32::MAX;

/// An entity as the builder knows it.
pub(super) struct Draft<'a> {
    pub name: &'a str,
    pub kind: EntityKind,
    pub known: Option<usize>,
    pub title: Option<(u32, Range<usize>)>,
    /// How often the source names this known entity unambiguously.
    pub count: u32,
    /// Its latest surface in `Builder::surfaces`; each links to the one before.
    last_surface: u32,
}

/// A form a source writes an entity in other than its name, or a demonym.
struct Surface<'a> {
    text: Cow<'a, str>,
    demonym: bool,
    previous: u32,
}

pub(super) struct Builder<'a> {
    lexicon: &'a Lexicon,
    pub drafts: Vec<Draft<'a>>,
    /// By name, then by kind (`EntityKind as usize`).
    by_name: Map<&'a str, [u32; 5]>,
    by_known: Map<usize, u32>,
    /// Each entity's distinct surfaces, as lists linked from `Draft::last_surface`: an
    /// entity has a few, where a set of copies cost allocations and string comparisons.
    surfaces: Vec<Surface<'a>>,
    mentions: Vec<LocalMention>,
}

impl<'a> Builder<'a> {
    /// Room for `candidates`, most of them one mention each.
    pub fn new(lexicon: &'a Lexicon, candidates: usize) -> Builder<'a> {
        // Sized for the entities of most sources (a dozen names, half a dozen known ones):
        // growing the maps from nothing rehashed them three or four times.
        Builder {
            lexicon,
            drafts: Vec::with_capacity(candidates.min(32)),
            by_name: Map::with_capacity_and_hasher(candidates.min(28), Default::default()),
            by_known: Map::with_capacity_and_hasher(candidates.min(14), Default::default()),
            surfaces: Vec::new(),
            mentions: Vec::with_capacity(candidates),
        }
    }

    /// The entity of the lexicon's entry `known`. Inlined: called for most candidates.
    #[inline]
    pub fn known_entity(&mut self, known: usize) -> usize {
        let drafts = &mut self.drafts;
        let lexicon = self.lexicon;
        *self.by_known.entry(known).or_insert_with(|| {
            let entry = &lexicon.entities[known];
            push_draft(drafts, entry.name.as_str(), entry.kind, Some(known))
        }) as usize
    }

    /// The known entity already drafted for the entry `known`, if any.
    pub fn drafted_known(&self, known: usize) -> Option<&Draft<'a>> {
        let &index = self.by_known.get(&known)?;
        self.drafts.get(index as usize)
    }

    /// The entity named `name` of `kind`, and whether it is new.
    pub fn named_entity(&mut self, name: &'a str, kind: EntityKind) -> (usize, bool) {
        let kinds = self.by_name.entry(name).or_insert([NONE; 5]);
        match kinds[kind as usize] {
            NONE => {
                let index = push_draft(&mut self.drafts, name, kind, None);
                kinds[kind as usize] = index;
                (index as usize, true)
            }
            index => (index as usize, false),
        }
    }

    /// Records a mention of `entity` written `surface`, and the surface as one of its forms
    /// when it is not its name. Inlined: called for every mention, with six arguments.
    #[inline]
    pub fn mention(
        &mut self,
        entity: usize,
        paragraph: u32,
        range: Range<usize>,
        form: Form,
        surface: Cow<'a, str>,
    ) {
        let demonym = form == Form::Demonym;
        let draft = &mut self.drafts[entity];
        if demonym || *surface != *draft.name {
            let mut seen = SurfacesOf {
                surfaces: &self.surfaces,
                at: draft.last_surface,
            };
            // Most mentions repeat a form already recorded: keep only a new one.
            if !seen.any(|s| s.demonym == demonym && s.text == surface) {
                let previous = draft.last_surface;
                draft.last_surface = u32::try_from(self.surfaces.len()).unwrap_or(NONE);
                self.surfaces.push(Surface {
                    text: surface,
                    demonym,
                    previous,
                });
            }
        }
        if let Some(mention) = LocalMention::new(entity, paragraph, range, form) {
            self.mentions.push(mention);
        }
    }

    /// The entities that have mentions, numbered in the order of their first mention, and
    /// the mentions by place.
    pub fn finish(self) -> SourceEntities {
        let Builder {
            lexicon,
            drafts,
            surfaces,
            mut mentions,
            ..
        } = self;
        let mut renumbered = vec![NONE; drafts.len()];
        let mut kept = Vec::with_capacity(drafts.len());
        for mention in &mut mentions {
            let old = mention.entity();
            if renumbered[old] == NONE {
                renumbered[old] = u32::try_from(kept.len()).unwrap_or(NONE);
                kept.push(old);
            }
            // Fewer entities than before: the new number fits where the old one did.
            mention.entity = renumbered[old];
        }
        let entities = kept
            .iter()
            .map(|&old| {
                let draft = &drafts[old];
                let known = draft.known.map(|k| &lexicon.entities[k]);
                let surfaces = |demonym: bool| {
                    SurfacesOf {
                        surfaces: &surfaces,
                        at: draft.last_surface,
                    }
                    .filter(move |s| s.demonym == demonym)
                    .map(|s| &*s.text)
                };
                LocalEntity {
                    name: draft.name.to_string(),
                    kind: draft.kind,
                    aliases: sorted_forms(known.map_or(&[], |k| &k.aliases), surfaces(false)),
                    demonyms: sorted_forms(known.map_or(&[], |k| &k.demonyms), surfaces(true)),
                    known: draft.known,
                    title: draft.title.clone(),
                }
            })
            .collect();
        // The candidates come in the order of the text, mostly: a sort is seldom needed.
        let place = |m: &LocalMention| (m.start, m.len);
        if !mentions.is_sorted_by_key(place) {
            mentions.sort_by_key(place);
        }
        SourceEntities { entities, mentions }
    }
}

fn push_draft<'a>(
    drafts: &mut Vec<Draft<'a>>,
    name: &'a str,
    kind: EntityKind,
    known: Option<usize>,
) -> u32 {
    let index = u32::try_from(drafts.len()).unwrap_or(NONE);
    drafts.push(Draft {
        name,
        kind,
        known,
        title: None,
        count: 0,
        last_surface: NONE,
    });
    index
}

/// The surfaces of one entity, latest first.
struct SurfacesOf<'s, 'a> {
    surfaces: &'s [Surface<'a>],
    at: u32,
}

impl<'s, 'a> Iterator for SurfacesOf<'s, 'a> {
    type Item = &'s Surface<'a>;

    fn next(&mut self) -> Option<&'s Surface<'a>> {
        let surface = self.surfaces.get(self.at as usize)?;
        self.at = surface.previous;
        Some(surface)
    }
}

/// The `listed` forms and the `seen` ones, sorted and each once, as copies. The lexicon's
/// lists are most often sorted already, and a source seldom writes an entity in a form
/// they lack: those are copied as they are, and the others put in their places.
fn sorted_forms<'f>(listed: &[String], seen: impl Iterator<Item = &'f str>) -> Vec<String> {
    let mut forms = listed.to_vec();
    if !forms.is_sorted_by(|a, b| a < b) {
        forms.sort_unstable();
        forms.dedup();
    }
    for form in seen {
        if let Err(at) = forms.binary_search_by(|f| f.as_str().cmp(form)) {
            forms.insert(at, form.to_string());
        }
    }
    forms
}
