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
use crate::sentences::sentences_through_into;

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
    /// Local entity indices, in order of mention, without repeats.
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
pub fn events(
    source: &Source,
    mentions: &[LocalMention],
    header: Range<usize>,
) -> Vec<ExtractedEvent> {
    debug_assert!(mentions.is_sorted_by_key(|m| m.range().start));
    let text = source.text.as_str();
    // Prose dates about two events a paragraph: room for them from the start, where the
    // vector was reallocated and copied as it grew (the index takes the events batch by
    // batch, so that room not used is soon given back).
    let mut found = Vec::with_capacity(source.paragraphs.len() * 2 + 1);
    if let Some(event) = publication(source, mentions, header) {
        found.push(event);
    }
    let mut anchor = Anchor::Published;
    // Room for the tokens of the longest paragraph (as `tokenize_into` reckons them), so
    // that one allocation serves the source, where a paragraph longer than those before it
    // took a new one.
    let longest = source.paragraphs.iter().map(|p| p.range.len()).max();
    let mut tokens = Vec::with_capacity(longest.unwrap_or(0) / 5);
    let mut sentence_ranges = Vec::new();
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
            let sentence = sentence_ranges
                .iter()
                .find(|s| s.start <= when.start && when.end <= s.end)
                .cloned()
                .unwrap_or_else(|| range.clone());
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
                entities: entities_in(mentions, &sentence),
                when,
                sentence: narrow_sentence,
            });
        }
    }
    found
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
fn publication(
    source: &Source,
    mentions: &[LocalMention],
    header: Range<usize>,
) -> Option<ExtractedEvent> {
    let date = source.date.clone()?;
    let text = source.text.get(header.clone())?;
    let when = match source.byline {
        Some(_) => parse_leading_date(text.trim_start())
            .map(|(_, len)| {
                let start = header.start + (text.len() - text.trim_start().len());
                start..start + len
            })
            .unwrap_or(header.start..header.start),
        None => text
            .find(&date.to_string())
            .map_or(header.start..header.start, |at| {
                header.start + at..header.start + at + date.to_string().len()
            }),
    };
    Some(ExtractedEvent {
        date: Some(date),
        paragraph: 0,
        entities: entities_in(mentions, &header),
        when: narrow(&when)?,
        sentence: narrow(&header)?,
    })
}

/// The entities named (not as demonyms) within `range`. `mentions` are in order of their
/// start, as `resolve` leaves them: those that can lie within `range` are one run, found by
/// a binary search where a scan read every mention of the source for every event.
fn entities_in(mentions: &[LocalMention], range: &Range<usize>) -> Vec<u32> {
    let first = mentions.partition_point(|m| m.range().start < range.start);
    let within = &mentions[first..];
    let len = within
        .iter()
        .take_while(|m| m.range().start <= range.end)
        .count();
    let within = &within[..len];
    // At most one entity a mention: one allocation, where pushing grew the vector anew
    // for most events.
    let mut entities = Vec::with_capacity(within.len());
    for mention in within {
        let at = mention.range();
        let Ok(entity) = u32::try_from(mention.entity()) else {
            continue;
        };
        if at.end <= range.end && mention.form != Form::Demonym && !entities.contains(&entity) {
            entities.push(entity);
        }
    }
    entities
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
