//! Building an index a batch of sources at a time, in the index's source order: each batch
//! is added to the paragraph search, its entities and events merged, and its texts let go
//! before the next batch is read, so that a build never holds the whole corpus's text.

use super::entities::Merging;
use super::events::Gathering;
use super::{EntityTable, Index, SearchBuilder, SourceFinder, SourceInfo, SourceTable};
use crate::corpus::Source;
use crate::extract::Extraction;

#[derive(Default)]
pub struct IndexBuilder {
    sources: Vec<SourceInfo>,
    entities: Merging,
    events: Gathering,
    search: SearchBuilder,
}

impl IndexBuilder {
    /// Adds the next sources and what was extracted from them (`extractions[i]` is of
    /// `sources[i]`); only their metadata is kept.
    pub fn add(&mut self, sources: Vec<Source>, extractions: Vec<Extraction>) {
        let first = self.sources.len();
        let IndexBuilder {
            entities,
            events,
            search,
            ..
        } = self;
        rayon::join(
            || search.add(&sources),
            || {
                for (number, extraction) in (first..).zip(extractions) {
                    let local_to_merged = entities.add(number, &extraction);
                    events.add(
                        number,
                        extraction.events,
                        &extraction.event_entities,
                        &local_to_merged,
                    );
                }
            },
        );
        self.sources
            .extend(sources.into_iter().map(SourceInfo::new));
    }

    /// The index of every source added.
    pub fn finish(self) -> Index {
        self.finish_keyed(|_: &mut [SourceInfo]| ()).0
    }

    /// The index of every source added, `keyed` giving the sources their keys on the way
    /// (`corpus::keys::assign_keys`), and what `keyed` returns (the problems it found).
    pub fn finish_keyed<P: Send>(
        self,
        keyed: impl FnOnce(&mut [SourceInfo]) -> P + Send,
    ) -> (Index, P) {
        let IndexBuilder {
            mut sources,
            entities,
            events,
            search,
        } = self;
        // The entities and their events, the paragraph search, and the keys with the finder
        // that reads them are independent: each runs while the others do, none of it left
        // for one core at the end (the keys, once worked out before all of it, kept both
        // cores waiting on one).
        let ((entities, (events, events_by_entity)), (search, (finder, keyed))) = rayon::join(
            || {
                let (mut entities, renumbered) = entities.finish();
                let events = events.finish(&renumbered, &mut entities);
                (EntityTable::new(entities), events)
            },
            || {
                rayon::join(
                    || search.finish(),
                    || {
                        let keyed = keyed(&mut sources);
                        (SourceFinder::build(&sources), keyed)
                    },
                )
            },
        );
        let index = Index::from_parts(
            SourceTable::new(sources),
            entities,
            events,
            search,
            finder,
            events_by_entity,
        );
        (index, keyed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::extract;
    use crate::extract::lexicon::Lexicon;
    use crate::index::export;
    use crate::index::fixtures::linked_sources;

    fn built_in_batches(sources: &[Source], batch: usize) -> Index {
        let mut builder = IndexBuilder::default();
        for sources in sources.chunks(batch) {
            let extractions = sources
                .iter()
                .map(|source| extract(source, Lexicon::built_in()))
                .collect();
            builder.add(sources.to_vec(), extractions);
        }
        builder.finish()
    }

    #[test]
    fn an_index_built_in_batches_is_the_index_built_at_once() {
        let sources = linked_sources();
        let whole = Index::build(sources.clone(), Lexicon::built_in());
        let expected = serde_json::to_string(&export::document(&whole)).expect("json");
        assert!(expected.contains("vladimir-putin"), "{expected}");
        for batch in 1..sources.len() {
            let batched = built_in_batches(&sources, batch);
            let json = serde_json::to_string(&export::document(&batched)).expect("json");
            assert_eq!(json, expected, "batches of {batch}");
            for query in ["putin tehran", "gazprom", "caspian sea"] {
                assert_eq!(
                    batched.search().search(query, 10),
                    whole.search().search(query, 10),
                    "{query} in batches of {batch}"
                );
            }
            for number in 0..whole.entities().len() {
                assert!(
                    batched.events_of(number).eq(whole.events_of(number)),
                    "events of entity {number} in batches of {batch}"
                );
            }
        }
    }
}
