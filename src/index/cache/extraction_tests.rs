//! Tests of the cache's hand-written extraction encoding: round trips, and damaged bytes refused.

use proptest::prelude::*;

use super::*;
use crate::corpus::load_bundled;
use crate::edtf::strategies;
use crate::extract::extract;
use crate::extract::lexicon::Lexicon;

fn round_trip(extraction: &Extraction) -> Option<Extraction> {
    let mut bytes = Vec::new();
    encode_extraction(extraction, &mut bytes);
    decode_extraction(&bytes)
}

#[test]
fn the_bundled_sources_extractions_round_trip() {
    for source in &load_bundled().sources {
        let extraction = extract(source, Lexicon::built_in());
        assert_eq!(round_trip(&extraction), Some(extraction));
    }
}

#[test]
fn every_cut_short_or_lengthened_entry_is_refused() {
    let source = &load_bundled().sources[0];
    let mut bytes = Vec::new();
    encode_extraction(&extract(source, Lexicon::built_in()), &mut bytes);
    for end in 0..bytes.len() {
        assert_eq!(decode_extraction(&bytes[..end]), None, "cut at {end}");
    }
    bytes.push(0);
    assert_eq!(decode_extraction(&bytes), None);
}

fn date() -> impl Strategy<Value = Edtf> {
    strategies::with_ranges(strategies::single(any::<i32>(), any::<u8>()))
}

fn kind() -> impl Strategy<Value = EntityKind> {
    prop_oneof![
        Just(EntityKind::Person),
        Just(EntityKind::Organization),
        Just(EntityKind::Place),
        Just(EntityKind::Event),
        Just(EntityKind::Other),
    ]
}

fn form() -> impl Strategy<Value = Form> {
    prop_oneof![Just(Form::Name), Just(Form::Alias), Just(Form::Demonym)]
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(any::<String>(), 0..3)
}

fn description() -> impl Strategy<Value = Description> {
    (
        any::<String>(),
        any::<u32>(),
        any::<usize>(),
        any::<usize>(),
    )
        .prop_map(|(text, paragraph, start, end)| Description {
            text,
            paragraph,
            range: start..end,
        })
}

fn entity() -> impl Strategy<Value = ExtractedEntity> {
    (
        any::<String>(),
        kind(),
        texts(),
        texts(),
        proptest::option::of(description()),
        proptest::option::of(any::<String>()),
    )
        .prop_map(
            |(name, kind, aliases, demonyms, description, info)| ExtractedEntity {
                name,
                kind,
                aliases,
                demonyms,
                description,
                info,
            },
        )
}

fn mention() -> impl Strategy<Value = LocalMention> {
    (
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<u16>(),
        form(),
    )
        .prop_filter_map("fits", |(entity, paragraph, start, length, form)| {
            let start = start as usize;
            LocalMention::new(
                entity as usize,
                paragraph,
                start..start + usize::from(length),
                form,
            )
        })
}

fn event() -> impl Strategy<Value = ExtractedEvent> {
    (
        proptest::option::of(date()),
        any::<u32>(),
        any::<(u32, u32, u32, u32)>(),
        prop::collection::vec(any::<u32>(), 0..4),
    )
        .prop_map(|(date, paragraph, (a, b, c, d), entities)| ExtractedEvent {
            date,
            paragraph,
            when: a..b,
            sentence: c..d,
            entities,
        })
}

fn extraction() -> impl Strategy<Value = Extraction> {
    (
        prop::collection::vec(entity(), 0..4),
        prop::collection::vec(mention(), 0..8),
        prop::collection::vec(event(), 0..6),
    )
        .prop_map(|(entities, mentions, events)| Extraction {
            entities,
            mentions,
            events,
        })
}

proptest! {
    #[test]
    fn any_extraction_round_trips(extraction in extraction()) {
        prop_assert_eq!(round_trip(&extraction), Some(extraction));
    }

    #[test]
    fn any_bytes_decode_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode_extraction(&bytes);
    }
}
