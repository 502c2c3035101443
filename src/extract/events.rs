//! Dated events: every sentence that places something in time becomes an event with its EDTF
//! date, its sentence (the summary, made when shown), its paragraph, and the entities its sentence names. Relative
//! times are dated from the dates before them (`dates::next_anchor`) or from publication,
//! and left undated when the text does not allow more.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::dates::{next_anchor, time_expressions_in};
use super::lexicon::Form;
use super::resolve::LocalMention;
use crate::corpus::Source;
use crate::edtf::{Edtf, parse_leading_date};
use crate::sentences::{LONGEST_SENTENCE, sentences_through_into};
use crate::text::floor_char_boundary;

/// A dated event of one source. Offsets are `u32`, as the index keeps them: a cold build
/// holds the events of every source at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtractedEvent {
    pub date: Option<Edtf>,
    /// 0 for the publication date in the byline or front matter.
    pub paragraph: u32,
    /// The time expression (`In July 2022`).
    pub when: Range<u32>,
    /// The sentence it dates.
    pub sentence: Range<u32>,
    /// Its local entity indices, in order of mention and without repeats, as a range of
    /// the source's `Extraction::event_entities`, where each event allocated a list of its
    /// own that the index soon dropped.
    pub entities: Range<u32>,
}

/// The events of a source, and the runs of local entity indices they name.
#[derive(Debug, Default)]
pub struct FoundEvents {
    pub list: Vec<ExtractedEvent>,
    pub entities: Vec<u32>,
}

/// A range in `u32` offsets, or `None` past 4 GiB (no source is that large).
fn narrow(range: &Range<usize>) -> Option<Range<u32>> {
    Some(u32::try_from(range.start).ok()?..u32::try_from(range.end).ok()?)
}

/// The longest summary, in characters; longer sentences are cut at a word.
const SUMMARY_CHARS: usize = 200;

/// The events of `source`, with the entities of `mentions` (in order of their start, as
/// `resolve` leaves them) named in each event's sentence.
pub fn events(source: &Source, mentions: &[LocalMention], header: Range<usize>) -> FoundEvents {
    debug_assert!(mentions.is_sorted_by_key(|m| m.range().start));
    let text = source.text.as_str();
    let mut named = Named::new(mentions);
    // Prose dates about two events a paragraph: room for them from the start, where the
    // vector was reallocated and copied as it grew (the index takes the events batch by
    // batch, so that room not used is soon given back).
    let mut found = Vec::with_capacity(source.paragraphs.len() * 2 + 1);
    if let Some(event) = publication(source, &mut named, header) {
        found.push(event);
    }
    let mut anchor = Anchor::Published;
    // Room for the tokens of the longest paragraph (as `tokenize_into` reckons them), so
    // that one allocation serves the source, where a paragraph longer than those before it
    // took a new one.
    let longest = source.paragraphs.iter().map(|p| p.range.len()).max();
    let mut tokens = Vec::with_capacity(longest.unwrap_or(0) / 5);
    // Room for the sentences of most paragraphs: grown from nothing, it was reallocated
    // twice a source.
    let mut sentence_ranges = Vec::with_capacity(32);
    let mut expressions = Vec::new();
    for paragraph in &source.paragraphs {
        let range = paragraph.range.clone();
        let Some(body) = text.get(range.clone()) else {
            continue;
        };
        let anchor_date = match &anchor {
            Anchor::Published => source.date.as_ref(),
            Anchor::Event(at) => found
                .get(*at)
                .and_then(|e: &ExtractedEvent| e.date.as_ref()),
            Anchor::Kept(date) => Some(date),
        };
        time_expressions_in(
            body,
            anchor_date,
            source.date.as_ref(),
            &mut tokens,
            &mut expressions,
        );
        if expressions.is_empty() {
            continue;
        }
        let last_end = expressions.iter().map(|e| e.range.end).max().unwrap_or(0);
        sentences_through_into(
            text,
            range.clone(),
            range.start + last_end,
            &mut sentence_ranges,
        );
        // The expression whose date is the next paragraph's anchor, if any: its date moves
        // into its event, and the anchor points there, where the anchor was cloned for every
        // paragraph.
        let next = next_anchor(&expressions);
        for (number, expression) in expressions.drain(..).enumerate() {
            let is_next = next == Some(number);
            let when = range.start + expression.range.start..range.start + expression.range.end;
            let sentence =
                sentence_holding(&sentence_ranges, &when).unwrap_or_else(|| range.clone());
            let sentence = within_reach(text, sentence, &when);
            let (Some(when), Some(narrow_sentence)) = (narrow(&when), narrow(&sentence)) else {
                if is_next && let Some(date) = expression.date {
                    anchor = Anchor::Kept(date);
                }
                continue;
            };
            if is_next {
                anchor = Anchor::Event(found.len());
            }
            found.push(ExtractedEvent {
                date: expression.date,
                paragraph: paragraph.number,
                entities: named.of(&sentence),
                when,
                sentence: narrow_sentence,
            });
        }
    }
    FoundEvents {
        list: found,
        entities: named.entities,
    }
}

/// The sentence of `sentences` (in order, apart, as `sentences_through_into` finds them)
/// that holds `when`, if one does: the only one that may is the first that ends at or
/// after it (those before end before it; those after start after it), found by a binary
/// search, where a walk from the first sentence for each expression grew with both (a
/// paragraph of a megabyte has thousands of each).
fn sentence_holding(sentences: &[Range<usize>], when: &Range<usize>) -> Option<Range<usize>> {
    let first_not_before = sentences.partition_point(|s| s.end < when.end);
    sentences
        .get(first_not_before)
        .filter(|s| s.start <= when.start && when.end <= s.end)
        .cloned()
}

/// How far before and after its expression an event reaches in an over-long sentence.
const REACH: usize = 300;

/// `sentence`, or when it is longer than `LONGEST_SENTENCE` (text with no sentence ends, or
/// a paragraph whose expression no sentence holds), the whole words of it within
/// `REACH` bytes of `when` (which it holds): an event names the entities of its sentence and
/// shows it, so that a megabyte without a full stop made each of its events name every
/// entity in it (work and entries growing with events times entities).
fn within_reach(text: &str, sentence: Range<usize>, when: &Range<usize>) -> Range<usize> {
    if sentence.len() <= LONGEST_SENTENCE {
        return sentence;
    }
    let bytes = text.as_bytes();
    let mut start = when.start.saturating_sub(REACH).max(sentence.start);
    // From the first word that starts in reach: after a space, on a character boundary.
    if let Some(space) = bytes[start..when.start]
        .iter()
        .position(u8::is_ascii_whitespace)
    {
        start += space + 1;
    }
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let mut end = (when.end + REACH).min(sentence.end);
    if let Some(space) = bytes[when.end..end]
        .iter()
        .rposition(u8::is_ascii_whitespace)
    {
        end = when.end + space;
    }
    start..floor_char_boundary(text, end)
}

/// Where the anchor for relative dates is (`dates::next_anchor`): the source's date, or
/// the date of an event already found, or one kept of an expression no event holds.
enum Anchor {
    Published,
    Event(usize),
    Kept(Edtf),
}

/// The summary of a source's publication event (paragraph 0).
pub fn publication_summary(title: &str, publisher: Option<&str>) -> String {
    match publisher {
        Some(publisher) => format!("“{title}” published in {publisher}"),
        None => format!("“{title}” published"),
    }
}

/// The publication itself: the source's date, its authors and publisher.
fn publication(source: &Source, named: &mut Named, header: Range<usize>) -> Option<ExtractedEvent> {
    let date = source.date.clone()?;
    let text = source.text.get(header.clone())?;
    let when = match source.byline {
        Some(_) => parse_leading_date(text.trim_start())
            .map(|(_, len)| {
                let start = header.start + (text.len() - text.trim_start().len());
                start..start + len
            })
            .unwrap_or(header.start..header.start),
        None => {
            // Spelled once: spelling a date takes a thousand instructions.
            let spelled = date.to_string();
            text.find(&spelled)
                .map_or(header.start..header.start, |at| {
                    header.start + at..header.start + at + spelled.len()
                })
        }
    };
    let (when, sentence) = (narrow(&when)?, narrow(&header)?);
    Some(ExtractedEvent {
        date: Some(date),
        paragraph: 0,
        entities: named.of(&header),
        when,
        sentence,
    })
}

/// The entities the events of a source name, each event's run after the last.
struct Named<'m> {
    /// In order of their start, as `resolve` leaves them.
    mentions: &'m [LocalMention],
    entities: Vec<u32>,
    /// The start of the last range asked for, and the first mention at or after it.
    last_start: usize,
    first: usize,
}

impl<'m> Named<'m> {
    fn new(mentions: &'m [LocalMention]) -> Named<'m> {
        Named {
            mentions,
            // Room for as many as there are mentions, which the runs seldom pass (a
            // mention is in one sentence, and few sentences have two events): grown from
            // nothing, the runs were reallocated and copied five times a source.
            entities: Vec::with_capacity(mentions.len()),
            last_start: 0,
            first: 0,
        }
    }

    /// The run of the entities named (not as demonyms) within `range`; an empty run when
    /// the runs would pass 4 Gi entries (no source names that many).
    fn of(&mut self, range: &Range<usize>) -> Range<u32> {
        let start = self.entities.len();
        let first = self.first_from(range.start);
        for mention in self.mentions.get(first..).unwrap_or_default() {
            let at = mention.range();
            if at.start > range.end {
                break;
            }
            let Ok(entity) = u32::try_from(mention.entity()) else {
                continue;
            };
            if at.end <= range.end
                && mention.form != Form::Demonym
                && !self
                    .entities
                    .get(start..)
                    .unwrap_or_default()
                    .contains(&entity)
            {
                self.entities.push(entity);
            }
        }
        match (u32::try_from(start), u32::try_from(self.entities.len())) {
            (Ok(start), Ok(end)) => start..end,
            _ => 0..0,
        }
    }

    /// The first mention that starts at or after `start`. The events come in order of
    /// their sentences, most of them: from the last range's first mention, a few steps
    /// forward find it, where a binary search over the source's mentions took a dozen
    /// (and is left for a range that starts before the last).
    fn first_from(&mut self, start: usize) -> usize {
        let mentions = self.mentions;
        let mut first = if start >= self.last_start {
            self.first
        } else {
            mentions.partition_point(|m| m.range().start < start)
        };
        while mentions.get(first).is_some_and(|m| m.range().start < start) {
            first += 1;
        }
        self.last_start = start;
        self.first = first;
        first
    }
}

/// The one-line summary of an event: its sentence, on one line and cut at
/// `SUMMARY_CHARS`. Made when shown, from the text: a large corpus has millions of events.
pub fn summarize(sentence: &str) -> String {
    let flat: String = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= SUMMARY_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(SUMMARY_CHARS).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |space| &cut[..space]);
    format!("{}…", at_word.trim_end_matches([',', ';', ':']))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// `entities_in` as it was: a binary search for every range, and a list of its own.
    fn reference_entities_in(mentions: &[LocalMention], range: &Range<usize>) -> Vec<u32> {
        let first = mentions.partition_point(|m| m.range().start < range.start);
        let mut entities = Vec::new();
        for mention in &mentions[first..] {
            let at = mention.range();
            if at.start > range.end {
                break;
            }
            let entity = u32::try_from(mention.entity()).expect("small");
            if at.end <= range.end && mention.form != Form::Demonym && !entities.contains(&entity) {
                entities.push(entity);
            }
        }
        entities
    }

    fn mentions() -> impl Strategy<Value = Vec<LocalMention>> {
        let form = prop_oneof![Just(Form::Name), Just(Form::Alias), Just(Form::Demonym)];
        prop::collection::vec((0usize..4, 0usize..40, 1usize..6, form), 0..24).prop_map(|found| {
            let mut mentions: Vec<LocalMention> = found
                .into_iter()
                .filter_map(|(entity, start, len, form)| {
                    LocalMention::new(entity, 1, start..start + len, form)
                })
                .collect();
            mentions.sort_by_key(|m| m.range().start);
            mentions
        })
    }

    proptest! {
        #[test]
        fn each_run_is_what_the_reference_finds(
            mentions in mentions(),
            ranges in prop::collection::vec((0usize..48, 0usize..16), 0..12),
        ) {
            let mut named = Named::new(&mentions);
            for (start, len) in ranges {
                let range = start..start + len;
                let run = named.of(&range);
                let got = &named.entities[run.start as usize..run.end as usize];
                prop_assert_eq!(got, &reference_entities_in(&mentions, &range)[..]);
            }
        }

        #[test]
        fn an_over_long_sentence_is_cut_to_whole_words_around_its_expression(
            words in prop::collection::vec("[a-zé“]{1,12}", 1..400),
            at in 0usize..400,
        ) {
            let text = words.join(" ");
            let starts: Vec<usize> = words
                .iter()
                .scan(0, |next, word| {
                    let start = *next;
                    *next += word.len() + 1;
                    Some(start)
                })
                .collect();
            let pick = at % words.len();
            let when = starts[pick]..starts[pick] + words[pick].len();
            let cut = within_reach(&text, 0..text.len(), &when);
            prop_assert!(cut.start <= when.start && when.end <= cut.end);
            prop_assert!(text.get(cut.clone()).is_some(), "on character boundaries");
            if text.len() <= LONGEST_SENTENCE {
                prop_assert_eq!(cut, 0..text.len());
            } else {
                prop_assert!(cut.len() <= when.len() + 2 * REACH);
                let starts_a_word = cut.start == 0 || text.as_bytes()[cut.start - 1] == b' ';
                let ends_a_word = cut.end == text.len() || text.as_bytes()[cut.end] == b' ';
                prop_assert!(starts_a_word && ends_a_word, "{cut:?} cuts a word");
            }
        }

        #[test]
        fn the_sentence_holding_an_expression_is_the_first_a_walk_finds(
            gaps in prop::collection::vec((0usize..4, 0usize..12), 0..10),
            start in 0usize..80,
            len in 0usize..20,
        ) {
            // Sentences in order and apart, as the sentence splitter gives them.
            let mut sentences = Vec::new();
            let mut at = 0;
            for (gap, len) in gaps {
                sentences.push(at + gap..at + gap + len);
                at += gap + len;
            }
            let when = start..start + len;
            let walked = sentences
                .iter()
                .find(|s| s.start <= when.start && when.end <= s.end)
                .cloned();
            prop_assert_eq!(sentence_holding(&sentences, &when), walked);
        }
    }
}
