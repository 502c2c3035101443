//! An extraction as a cache entry holds it: written field by field, numbers as LEB128
//! varints, strings as their length then their bytes, enums as one byte. Written by hand
//! rather than by serde: the cold build encodes every source's extraction, and postcard's
//! serializer, one visitor call per field of hundreds of mentions and events, cost about
//! thirty instructions a byte.

use std::ops::Range;

use crate::edtf::Edtf;
use crate::extract::describe::Description;
use crate::extract::events::ExtractedEvent;
use crate::extract::lexicon::{EntityKind, Form};
use crate::extract::resolve::LocalMention;
use crate::extract::{ExtractedEntity, Extraction};

/// Writes `extraction` over the start of `room` and gives back what it wrote. The room keeps
/// its length from one extraction to the next (the most that any took, and the most that
/// `most_bytes` asked for), so that it is zeroed once and not for every source; each byte goes
/// through a slice, where each byte pushed onto a vector loaded, checked and stored the
/// vector's length.
pub fn encode_extraction<'r>(extraction: &Extraction, room: &'r mut Vec<u8>) -> &'r [u8] {
    let most = most_bytes(extraction);
    if room.len() < most {
        room.resize(most, 0);
    }
    let mut writer = Out {
        room: room.as_mut_slice(),
        at: 0,
    };
    writer.number(extraction.entities.len() as u64);
    for entity in &extraction.entities {
        writer.entity(entity);
    }
    writer.number(extraction.mentions.len() as u64);
    for mention in &extraction.mentions {
        writer.mention(mention);
    }
    writer.number(extraction.events.len() as u64);
    for event in &extraction.events {
        writer.event(event, event_entities(extraction, event));
    }
    let written = writer.at;
    room.get(..written).unwrap_or_default()
}

/// The extraction `encode_extraction` wrote as `bytes`, or `None` if they are not one.
pub fn decode_extraction(bytes: &[u8]) -> Option<Extraction> {
    let mut bytes = In(bytes);
    let entities = bytes.list(In::entity)?;
    let mentions = bytes.list(In::mention)?;
    let mut event_entities = Vec::new();
    let events = bytes.list(|bytes| bytes.event(&mut event_entities))?;
    let extraction = Extraction {
        entities,
        mentions,
        events,
        event_entities,
    };
    bytes.0.is_empty().then_some(extraction)
}

/// The local entity indices `event` names (none for a run out of bounds, which
/// `extract` does not make).
fn event_entities<'e>(extraction: &'e Extraction, event: &ExtractedEvent) -> &'e [u32] {
    let run = event.entities.start as usize..event.entities.end as usize;
    extraction.event_entities.get(run).unwrap_or_default()
}

/// Dates nest only as the ends of an interval; a deeper nesting is damage, refused before
/// it could exhaust the stack.
const DATE_DEPTH: u32 = 4;

/// The most bytes a number takes (a `u64`, seven bits a byte).
const NUMBER: usize = 10;

/// At least as many bytes as `encode_extraction` writes for `extraction`.
fn most_bytes(extraction: &Extraction) -> usize {
    let entities: usize = extraction.entities.iter().map(entity_bytes).sum();
    let mentions = extraction.mentions.len() * (4 * NUMBER + 1);
    let events: usize = extraction
        .events
        .iter()
        .map(|event| {
            let entities = event_entities(extraction, event).len();
            1 + event.date.as_ref().map_or(0, date_bytes) + (6 + entities) * NUMBER
        })
        .sum();
    3 * NUMBER + entities + mentions + events
}

fn entity_bytes(entity: &ExtractedEntity) -> usize {
    let texts =
        |texts: &[String]| NUMBER + texts.iter().map(|text| text_bytes(text)).sum::<usize>();
    let description = entity
        .description
        .as_ref()
        .map_or(0, |description| text_bytes(&description.text) + 3 * NUMBER);
    text_bytes(&entity.name)
        + 1
        + texts(&entity.aliases)
        + texts(&entity.demonyms)
        + 1
        + description
        + 1
        + entity.info.as_deref().map_or(0, text_bytes)
}

fn text_bytes(text: &str) -> usize {
    NUMBER + text.len()
}

fn date_bytes(date: &Edtf) -> usize {
    1 + match date {
        Edtf::Interval(start, end) => date_bytes(start) + date_bytes(end),
        Edtf::Since(inner) | Edtf::Until(inner) => date_bytes(inner),
        _ => NUMBER + 2,
    }
}

/// The room an extraction is written into, and how much of it is written. Room short of
/// what is written (which `most_bytes` rules out) would leave an entry that does not
/// decode, and whose file is extracted again next time.
struct Out<'a> {
    room: &'a mut [u8],
    at: usize,
}

impl Out<'_> {
    #[inline(always)]
    fn byte(&mut self, byte: u8) {
        if let Some(slot) = self.room.get_mut(self.at) {
            *slot = byte;
        }
        self.at += 1;
    }

    #[inline(always)]
    fn number(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.byte(value as u8 | 0x80);
            value >>= 7;
        }
        self.byte(value as u8);
    }

    fn text(&mut self, text: &str) {
        self.number(text.len() as u64);
        let end = self.at.saturating_add(text.len());
        if let Some(room) = self.room.get_mut(self.at..end) {
            room.copy_from_slice(text.as_bytes());
        }
        self.at = end;
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

    #[inline(always)]
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

struct In<'a>(&'a [u8]);

impl In<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&byte, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(byte)
    }

    fn number(&mut self) -> Option<u64> {
        let mut value = 0u64;
        let mut shift = 0u32;
        loop {
            let byte = self.byte()?;
            // The tenth byte holds the 64th bit alone.
            if shift == 63 && byte > 1 {
                return None;
            }
            value |= u64::from(byte & 0x7F) << shift;
            if byte < 0x80 {
                return Some(value);
            }
            shift += 7;
            if shift > 63 {
                return None;
            }
        }
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.number()?).ok()
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.number()?).ok()
    }

    fn text(&mut self) -> Option<String> {
        let length = self.usize()?;
        if length > self.0.len() {
            return None;
        }
        let (text, rest) = self.0.split_at(length);
        self.0 = rest;
        std::str::from_utf8(text).ok().map(str::to_owned)
    }

    fn flag(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    /// A count then as many items read by `item`. Every item takes a byte at least: a
    /// damaged count cannot make a vector larger than what is left.
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let count = self.usize()?;
        if count > self.0.len() {
            return None;
        }
        let mut items = Vec::with_capacity(count);
        for _ in 0..count {
            items.push(item(self)?);
        }
        Some(items)
    }

    fn entity(&mut self) -> Option<ExtractedEntity> {
        let name = self.text()?;
        let kind = kind_from(self.byte()?)?;
        let aliases = self.list(In::text)?;
        let demonyms = self.list(In::text)?;
        let description = match self.flag()? {
            false => None,
            true => Some(Description {
                text: self.text()?,
                paragraph: self.u32()?,
                range: self.usize()?..self.usize()?,
            }),
        };
        let info = match self.flag()? {
            false => None,
            true => Some(self.text()?),
        };
        Some(ExtractedEntity {
            name,
            kind,
            aliases,
            demonyms,
            description,
            info,
        })
    }

    fn mention(&mut self) -> Option<LocalMention> {
        let entity = self.usize()?;
        let paragraph = self.u32()?;
        let start = self.usize()?;
        let length = self.usize()?;
        let form = form_from(self.byte()?)?;
        LocalMention::new(entity, paragraph, start..start.checked_add(length)?, form)
    }

    /// An event, its local entity indices pushed onto `entities`.
    fn event(&mut self, entities: &mut Vec<u32>) -> Option<ExtractedEvent> {
        let date = match self.flag()? {
            false => None,
            true => Some(self.date(DATE_DEPTH)?),
        };
        let paragraph = self.u32()?;
        let when = self.u32()?..self.u32()?;
        let sentence = self.u32()?..self.u32()?;
        let count = self.usize()?;
        if count > self.0.len() {
            return None;
        }
        let start = u32::try_from(entities.len()).ok()?;
        for _ in 0..count {
            entities.push(self.u32()?);
        }
        let end = u32::try_from(entities.len()).ok()?;
        Some(ExtractedEvent {
            date,
            paragraph,
            when,
            sentence,
            entities: start..end,
        })
    }

    fn date(&mut self, depth: u32) -> Option<Edtf> {
        let inner = |bytes: &mut Self| bytes.date(depth.checked_sub(1)?).map(Box::new);
        Some(match self.byte()? {
            0 => Edtf::Day {
                year: self.year()?,
                month: self.byte()?,
                day: self.byte()?,
            },
            1 => Edtf::Month {
                year: self.year()?,
                month: self.byte()?,
            },
            2 => Edtf::Season {
                year: self.year()?,
                season: self.byte()?,
            },
            3 => Edtf::Year(self.year()?),
            4 => Edtf::Decade(self.year()?),
            5 => Edtf::Interval(inner(self)?, inner(self)?),
            6 => Edtf::Since(inner(self)?),
            7 => Edtf::Until(inner(self)?),
            _ => return None,
        })
    }

    fn year(&mut self) -> Option<i32> {
        let zigzag = self.u32()?;
        Some(((zigzag >> 1) as i32) ^ -((zigzag & 1) as i32))
    }
}

fn kind_byte(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Organization => 1,
        EntityKind::Place => 2,
        EntityKind::Event => 3,
        EntityKind::Other => 4,
    }
}

fn kind_from(byte: u8) -> Option<EntityKind> {
    Some(match byte {
        0 => EntityKind::Person,
        1 => EntityKind::Organization,
        2 => EntityKind::Place,
        3 => EntityKind::Event,
        4 => EntityKind::Other,
        _ => return None,
    })
}

fn form_byte(form: Form) -> u8 {
    match form {
        Form::Name => 0,
        Form::Alias => 1,
        Form::Demonym => 2,
    }
}

fn form_from(byte: u8) -> Option<Form> {
    Some(match byte {
        0 => Form::Name,
        1 => Form::Alias,
        2 => Form::Demonym,
        _ => return None,
    })
}

#[cfg(test)]
#[path = "extraction_tests.rs"]
mod tests;
