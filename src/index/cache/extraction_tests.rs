//! Tests of the cache's hand-written extraction encoding: round trips, and damaged bytes refused.

use proptest::prelude::*;

use super::*;
use crate::corpus::load_bundled;
use crate::edtf::strategies;
use crate::extract::extract;
use crate::extract::lexicon::Lexicon;

fn encoded(extraction: &Extraction) -> Vec<u8> {
    encode_extraction(extraction, &mut Vec::new()).to_vec()
}

fn round_trip(extraction: &Extraction) -> Option<Extraction> {
    decode_extraction(&encoded(extraction))
}

#[test]
fn the_bundled_sources_extractions_round_trip() {
    for source in &load_bundled().sources {
        let extraction = extract(source, Lexicon::built_in());
        assert_eq!(encoded(&extraction), reference_encoding(&extraction));
        assert_eq!(round_trip(&extraction), Some(extraction));
    }
}

#[test]
fn every_cut_short_or_lengthened_entry_is_refused() {
    let source = &load_bundled().sources[0];
    let mut bytes = encoded(&extract(source, Lexicon::built_in()));
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

/// An event, and the local entity indices it names.
fn event() -> impl Strategy<Value = (ExtractedEvent, Vec<u32>)> {
    (
        proptest::option::of(date()),
        any::<u32>(),
        any::<(u32, u32, u32, u32)>(),
        prop::collection::vec(any::<u32>(), 0..4),
    )
        .prop_map(|(date, paragraph, (a, b, c, d), entities)| {
            let event = ExtractedEvent {
                date,
                paragraph,
                when: a..b,
                sentence: c..d,
                entities: 0..0,
            };
            (event, entities)
        })
}

fn extraction() -> impl Strategy<Value = Extraction> {
    (
        prop::collection::vec(entity(), 0..4),
        prop::collection::vec(mention(), 0..8),
        prop::collection::vec(event(), 0..6),
    )
        .prop_map(|(entities, mentions, named_events)| {
            let mut event_entities = Vec::new();
            let mut events = Vec::new();
            for (mut event, named) in named_events {
                let start = event_entities.len() as u32;
                event_entities.extend(named);
                event.entities = start..event_entities.len() as u32;
                events.push(event);
            }
            Extraction {
                entities,
                mentions,
                events,
                event_entities,
            }
        })
}

/// `encode_extraction` as it was, pushing each byte onto the vector.
fn reference_encoding(extraction: &Extraction) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut out = Pushed(&mut bytes);
    out.number(extraction.entities.len() as u64);
    for entity in &extraction.entities {
        out.entity(entity);
    }
    out.number(extraction.mentions.len() as u64);
    for mention in &extraction.mentions {
        out.mention(mention);
    }
    out.number(extraction.events.len() as u64);
    for event in &extraction.events {
        let run = event.entities.start as usize..event.entities.end as usize;
        out.event(event, &extraction.event_entities[run]);
    }
    bytes
}

/// The encoding as it was written before it went through a slice: a byte pushed at a time.
struct Pushed<'a>(&'a mut Vec<u8>);

impl Pushed<'_> {
    fn byte(&mut self, byte: u8) {
        self.0.push(byte);
    }

    fn number(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.0.push(value as u8 | 0x80);
            value >>= 7;
        }
        self.0.push(value as u8);
    }

    fn text(&mut self, text: &str) {
        self.number(text.len() as u64);
        self.0.extend_from_slice(text.as_bytes());
    }

    fn texts(&mut self, texts: &[String]) {
        self.number(texts.len() as u64);
        for text in texts {
            self.text(text);
        }
    }

    fn range(&mut self, range: &Range<usize>) {
        self.number(range.start as u64);
        self.number(range.end as u64);
    }

    fn entity(&mut self, entity: &ExtractedEntity) {
        self.text(&entity.name);
        self.byte(kind_byte(entity.kind));
        self.texts(&entity.aliases);
        self.texts(&entity.demonyms);
        match &entity.description {
            None => self.byte(0),
            Some(description) => {
                self.byte(1);
                self.text(&description.text);
                self.number(u64::from(description.paragraph));
                self.range(&description.range);
            }
        }
        match &entity.info {
            None => self.byte(0),
            Some(info) => {
                self.byte(1);
                self.text(info);
            }
        }
    }

    fn mention(&mut self, mention: &LocalMention) {
        let range = mention.range();
        self.number(mention.entity() as u64);
        self.number(u64::from(mention.paragraph));
        self.number(range.start as u64);
        self.number(range.len() as u64);
        self.byte(form_byte(mention.form));
    }

    fn event(&mut self, event: &ExtractedEvent, entities: &[u32]) {
        match &event.date {
            None => self.byte(0),
            Some(date) => {
                self.byte(1);
                self.date(date);
            }
        }
        self.number(u64::from(event.paragraph));
        self.number(u64::from(event.when.start));
        self.number(u64::from(event.when.end));
        self.number(u64::from(event.sentence.start));
        self.number(u64::from(event.sentence.end));
        self.number(entities.len() as u64);
        for &entity in entities {
            self.number(u64::from(entity));
        }
    }

    fn date(&mut self, date: &Edtf) {
        match date {
            &Edtf::Day { year, month, day } => {
                self.byte(0);
                self.year(year);
                self.byte(month);
                self.byte(day);
            }
            &Edtf::Month { year, month } => {
                self.byte(1);
                self.year(year);
                self.byte(month);
            }
            &Edtf::Season { year, season } => {
                self.byte(2);
                self.year(year);
                self.byte(season);
            }
            &Edtf::Year(year) => {
                self.byte(3);
                self.year(year);
            }
            &Edtf::Decade(year) => {
                self.byte(4);
                self.year(year);
            }
            Edtf::Interval(start, end) => {
                self.byte(5);
                self.date(start);
                self.date(end);
            }
            Edtf::Since(start) => {
                self.byte(6);
                self.date(start);
            }
            Edtf::Until(end) => {
                self.byte(7);
                self.date(end);
            }
        }
    }

    /// Zigzag, so that a year before the common era stays short.
    fn year(&mut self, year: i32) {
        self.number(u64::from(((year << 1) ^ (year >> 31)) as u32));
    }
}

proptest! {
    #[test]
    fn any_extraction_is_encoded_as_the_reference_encodes_it(
        extraction in extraction(),
        before in extraction(),
    ) {
        // Over room that an extraction before left as it was.
        let mut room = Vec::new();
        encode_extraction(&before, &mut room);
        let bytes = encode_extraction(&extraction, &mut room);
        prop_assert_eq!(bytes, &reference_encoding(&extraction)[..]);
        prop_assert!(bytes.len() <= most_bytes(&extraction));
    }

    #[test]
    fn any_extraction_round_trips(extraction in extraction()) {
        prop_assert_eq!(round_trip(&extraction), Some(extraction));
    }

    #[test]
    fn any_bytes_decode_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode_extraction(&bytes);
    }
}
