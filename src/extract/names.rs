//! Name candidates in one paragraph: runs of capitalised words, cut into the title before a
//! name ("Russian President"), the name itself ("Vladimir Putin"), and the known names of
//! the lexicon inside them.
//!
//! What a candidate refers to (a surname to its full name, an acronym to its expansion) is
//! decided later, over the whole source, by `resolve.rs`.

use std::cell::Cell;
use std::ops::Range;

use super::lexicon::{EntityKind, Form, KnownMatch, Lexicon};
use super::resolve::collapse_white_space;
use super::tokens::{
    Gap, ProseSkip, Token, Words, is_acronym, is_capitalized, tokenize_skipping_into,
};
use super::words::{
    MONTH_OR_NAME, head_kind, is_calendar_word, is_connector, is_function_word,
    is_organization_suffix, is_title_head, is_title_modifier,
};
use kind::{guess_kind, is_locative_preposition, kind_in_apposition};
use known::{KnownNames, cover, emit_known_in, read_known_run};
use titles::lower_case_title_before;

/// Something in the paragraph that names an entity, before resolution. `'l` is the
/// lexicon's: a known name borrows its list of entities.
#[derive(Debug, Clone, PartialEq)]
pub enum Candidate<'l> {
    /// A name the lexicon knows (`Tehran`, `Iranian`, `Islamic Republic`).
    Known {
        range: Range<usize>,
        entities: &'l [usize],
        form: Form,
    },
    /// A name the lexicon does not know, with the kind its shape suggests.
    Unknown {
        range: Range<usize>,
        /// The name as it will be shown (white space collapsed).
        name: String,
        kind: Guess,
        /// The name opens a sentence: weaker evidence that it is a name at all.
        sentence_start: bool,
        /// The title words before it (`Russian Foreign Minister`), as a range.
        title: Option<Range<usize>>,
        /// An acronym in parentheses right after it: `Joint Comprehensive Plan of Action (JCPOA)`.
        acronym: Option<Range<usize>>,
        /// It follows a preposition of place (`in Tromsø`, `from Luleå`).
        after_locative: bool,
    },
}

/// What a name's shape says about its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guess {
    Kind(EntityKind),
    /// One capitalised word: a surname, an acronym, or a name of any kind.
    SingleWord,
}

/// Reads the name candidates of one paragraph after another, with the same buffers for
/// each: a source has dozens of paragraphs, and allocating the words and known names of
/// each anew was a tenth of the cost of reading them.
pub struct Reader<'l> {
    lexicon: &'l Lexicon,
    /// The words that need no reading, if the lexicon allows any to be passed over.
    skip: Option<&'l ProseSkip>,
    words: Words,
    known: Vec<KnownMatch<'l>>,
    covering: Vec<Option<u32>>,
    /// The parts of one run, split on `and`.
    parts: Vec<Range<usize>>,
}

impl<'l> Reader<'l> {
    pub fn new(lexicon: &'l Lexicon) -> Reader<'l> {
        let Spare {
            words,
            covering,
            parts,
        } = SPARE.take().unwrap_or_else(Spare::new);
        Reader {
            lexicon,
            skip: lexicon.prose_skip(),
            words,
            known: Vec::with_capacity(32),
            covering,
            parts,
        }
    }

    /// The name candidates of `text[range]`, in order.
    pub fn candidates(&mut self, text: &str, range: Range<usize>) -> Vec<Candidate<'l>> {
        let mut found = Vec::new();
        self.candidates_into(text, range, &mut found);
        found
    }

    /// `candidates`, appended to `found`: the candidates of all the paragraphs of a source
    /// go in one vector, where one for each paragraph cost an allocation and a copy.
    pub fn candidates_into(
        &mut self,
        text: &str,
        range: Range<usize>,
        found: &mut Vec<Candidate<'l>>,
    ) {
        // Most words are plain lower-case prose that starts no name: passed over.
        tokenize_skipping_into(text, range.clone(), &mut self.words, self.skip);
        self.known.clear();
        self.lexicon.find_in_runs(
            &text[range.clone()],
            self.words.runs.iter().cloned(),
            range.start,
            &mut self.known,
        );
        let tokens = &self.words.tokens;
        cover(tokens, &self.known, &mut self.covering);
        let known = KnownNames {
            matches: &self.known,
            covering: &self.covering,
            next: Cell::new(0),
        };
        let buffers = Buffers {
            found,
            parts: &mut self.parts,
        };
        read_paragraph(text, tokens, &known, self.lexicon, buffers);
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        let spare = Spare {
            words: std::mem::take(&mut self.words),
            covering: std::mem::take(&mut self.covering),
            parts: std::mem::take(&mut self.parts),
        };
        // Past the thread's end there is no next reader to keep them for.
        let _ = SPARE.try_with(|slot| slot.set(Some(spare)));
    }
}

/// The buffers of a `Reader` that borrow nothing, kept for the thread's next reader: one
/// is made for each source, and growing them anew in each cost five allocations a source.
struct Spare {
    words: Words,
    covering: Vec<Option<u32>>,
    parts: Vec<Range<usize>>,
}

impl Spare {
    /// Sized for most paragraphs: each buffer grown from nothing, in each source, cost more
    /// than a tenth of the tokenizing.
    fn new() -> Spare {
        Spare {
            words: Words {
                tokens: Vec::with_capacity(256),
                runs: Vec::with_capacity(256),
            },
            covering: Vec::with_capacity(256),
            parts: Vec::with_capacity(4),
        }
    }
}

thread_local! {
    static SPARE: Cell<Option<Spare>> = const { Cell::new(None) };
}

/// Where `read_paragraph` puts what it finds, and its scratch space.
struct Buffers<'b, 'l> {
    found: &'b mut Vec<Candidate<'l>>,
    parts: &'b mut Vec<Range<usize>>,
}

/// The candidates of a paragraph's words, given the known names among them.
fn read_paragraph<'l>(
    text: &str,
    tokens: &[Token],
    known: &KnownNames<'_, 'l>,
    lexicon: &Lexicon,
    mut buffers: Buffers<'_, 'l>,
) {
    let mut at = 0;
    while at < tokens.len() {
        let Some(run) = run_at(text, tokens, at, known) else {
            at += 1;
            continue;
        };
        at = run.end;
        // Most runs are known names alone (or joined by `and`): nothing in them to cut off or
        // look up.
        if !read_known_run(text, tokens, &run, known, buffers.found) {
            read_run(text, tokens, run, known, lexicon, &mut buffers);
        }
    }
}

/// The run of name-like words that starts at token `start`, if one does.
fn run_at(text: &str, tokens: &[Token], start: usize, known: &KnownNames) -> Option<Range<usize>> {
    if !is_name_word(text, tokens, start, known) {
        return None;
    }
    // `de-Nazify`, `anti-Western`: a capital after a lower-case prefix is no name's start,
    // unless the lexicon knows the word.
    let token = &tokens[start];
    let glued = token.gap == Gap::Hyphen
        && start > 0
        && !is_capitalized(tokens[start - 1].text(text))
        && known.covering(start).is_none();
    if glued {
        return None;
    }
    let mut end = start + 1;
    while end < tokens.len() && !tokens[end - 1].possessive {
        let token = &tokens[end];
        let joined = matches!(token.gap, Gap::Space | Gap::Hyphen);
        if !joined {
            break;
        }
        if token.gap == Gap::Hyphen && !is_capitalized(token.text(text)) {
            break;
        }
        if is_name_word(text, tokens, end, known) {
            end += 1;
            continue;
        }
        // Up to two connectors ("of the") between capitalised words.
        let word = token.text(text);
        if token.gap == Gap::Space && is_connector(word) {
            let mut next = end + 1;
            if tokens
                .get(next)
                .is_some_and(|t| t.gap == Gap::Space && is_connector(t.text(text)))
            {
                next += 1;
            }
            if tokens.get(next).is_some_and(|t| t.gap == Gap::Space)
                && is_name_word(text, tokens, next, known)
            {
                end = next + 1;
                continue;
            }
        }
        break;
    }
    Some(start..end)
}

/// Whether word `index` may be part of a name: a known name's, or a capitalised word that is
/// no number or calendar word. Asked of every word, so the common answers come inline.
#[inline(always)]
fn is_name_word(text: &str, tokens: &[Token], index: usize, known: &KnownNames) -> bool {
    if known.covering(index).is_some() {
        return true;
    }
    // Most words open with an ASCII byte that is no capital: not a name, without a look at
    // the rest of the word.
    let opens_lower = tokens.get(index).is_none_or(|token| {
        text.as_bytes()
            .get(token.range.start)
            .is_none_or(|b| b.is_ascii() && !b.is_ascii_uppercase())
    });
    !opens_lower && is_capitalised_name_word(text, tokens, index)
}

/// `is_name_word` for a word that the lexicon does not know and that may be capitalised.
fn is_capitalised_name_word(text: &str, tokens: &[Token], index: usize) -> bool {
    let token = &tokens[index];
    let word = token.text(text);
    // A capitalised word is no number; most open with an ASCII capital, told without
    // decoding a character.
    let opens_capital = word.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
    if !opens_capital && !is_capitalized(word) {
        return false;
    }
    // `May` is a month before or after a number (`May 2012`, `3 May`); the neighbours are
    // read only for it.
    let next_is_number = || {
        tokens
            .get(index + 1)
            .is_some_and(|t| t.text(text).starts_with(|c: char| c.is_ascii_digit()))
    };
    let previous_is_number = || {
        index > 0
            && tokens[index - 1]
                .text(text)
                .chars()
                .all(|c| c.is_ascii_digit())
            && token.gap == Gap::Space
    };
    !(is_calendar_word(word)
        || (word == MONTH_OR_NAME && (next_is_number() || previous_is_number())))
}

/// Cuts one run into title, known names and an unknown name, and records the candidates.
fn read_run<'l>(
    text: &str,
    tokens: &[Token],
    run: Range<usize>,
    known: &KnownNames<'_, 'l>,
    lexicon: &Lexicon,
    buffers: &mut Buffers<'_, 'l>,
) {
    let found = &mut *buffers.found;
    let mut start = run.start;
    let end = run.end;
    let word = |i: usize| tokens[i].text(text);
    // Ordinary words that open a sentence, and articles, are not part of a name.
    while start < end {
        let first = word(start);
        let known_here = known.covering(start).is_some();
        let ordinary = is_function_word(first)
            || (tokens[start].sentence_start
                && !known_here
                && (lexicon.is_common_word(first) || is_sentence_adverb(first)));
        if ordinary || is_connector(first) {
            start += 1;
        } else {
            break;
        }
    }
    // Title words and demonyms before the name: `Russian Foreign Minister`.
    let title_start = start;
    while start < end {
        let token = &tokens[start];
        let is_demonym = known
            .covering(start)
            .is_some_and(|m| m.form == Form::Demonym && m.range == token.range);
        if is_demonym || is_title_modifier(word(start)) {
            start += 1;
        } else {
            break;
        }
    }
    // `Minister of Finance Adaeze Nwosu`, `Secretary of State Ana Lee`: a portfolio after
    // the title head, when a name of two words or more still follows.
    if start > title_start
        && is_title_head(word(start - 1))
        && start < end
        && matches!(word(start), "of" | "for")
    {
        let portfolio_end = (start + 1..end)
            .take_while(|&i| is_capitalized(word(i)) || matches!(word(i), "and" | "&"))
            .take(3)
            .last()
            .map(|last| last + 1);
        match portfolio_end {
            Some(portfolio_end) if end.saturating_sub(portfolio_end) >= 2 => start = portfolio_end,
            // `Nigeria's Minister of Finance, Adaeze Nwosu`: the run is all title.
            Some(portfolio_end) if portfolio_end == end => start = end,
            _ => {}
        }
    }
    let title_has_head = (title_start..start).any(|i| is_title_head(word(i)));
    if start == end || !title_has_head {
        // All title (`Foreign Minister`), or no title: the demonyms are their own mentions.
        if !title_has_head {
            start = title_start;
        }
    }
    let title = (title_has_head && start > title_start)
        .then(|| tokens[title_start].range.start..tokens[start - 1].range.end)
        .or_else(|| {
            // Nothing cut off the run's front: a title in lower case may stand before it.
            (start == run.start && start < end)
                .then(|| lower_case_title_before(text, tokens[start].range.start, end - start))
                .flatten()
        });
    emit_known_in(known, &tokens[title_start..start], found);
    if start >= end {
        return;
    }
    split_on_and(text, tokens, start..end, buffers.parts);
    for (index, mut part) in buffers.parts.drain(..).enumerate() {
        // `Prime Minister Begin and President Sadat`: a name after `and` has its own title.
        let mut part_title = title.clone();
        if index > 0 {
            let title_end = (part.start..part.end)
                .take_while(|&i| is_title_modifier(word(i)))
                .last()
                .map_or(part.start, |last| last + 1);
            if title_end > part.start
                && title_end < part.end
                && (part.start..title_end).any(|i| is_title_head(word(i)))
            {
                part_title = Some(tokens[part.start].range.start..tokens[title_end - 1].range.end);
                part.start = title_end;
            }
        }
        let (first, second) = split_person_of(text, tokens, part, lexicon);
        for piece in std::iter::once(first).chain(second) {
            read_core(
                text,
                tokens,
                piece,
                known,
                part_title.clone(),
                lexicon,
                found,
            );
        }
    }
}

/// `Søren Kjærgaard of the Danish Institute`: a person, then an organisation (the run
/// itself when it is not so shaped).
fn split_person_of(
    text: &str,
    tokens: &[Token],
    core: Range<usize>,
    lexicon: &Lexicon,
) -> (Range<usize>, Option<Range<usize>>) {
    let Some(of) = (core.start..core.end).find(|&i| tokens[i].text(text) == "of") else {
        return (core, None);
    };
    let left = &tokens[core.start..of];
    let person_shaped = (2..=4).contains(&left.len())
        && left.iter().all(|t| {
            let w = t.text(text);
            is_capitalized(w)
                && !is_acronym(w)
                && head_kind(w).is_none()
                && !is_title_modifier(w)
                && !lexicon.is_common_word(w)
        });
    if !person_shaped {
        return (core, None);
    }
    let mut right = of + 1;
    while right < core.end && is_connector(tokens[right].text(text)) {
        right += 1;
    }
    (
        core.start..of,
        (right < core.end).then_some(right..core.end),
    )
}

/// `Russia and Iran` is two names; `Organization for Security and Co-operation` is one.
/// Before a head noun (`Food and Agriculture Organization`) the run is one name, unless
/// what stands before `and` is a name on its own: a head noun or an acronym (`House and
/// Senate`, `NATO and the Council`), or `and the` starts a new one.
fn split_on_and(text: &str, tokens: &[Token], core: Range<usize>, parts: &mut Vec<Range<usize>>) {
    let last_is_head = head_kind(tokens[core.end - 1].text(text)).is_some();
    let ends_a_name = |i: usize| {
        i > core.start && {
            let before = tokens[i - 1].text(text);
            head_kind(before).is_some() || is_acronym(before)
        }
    };
    let starts_a_name = |i: usize| i + 1 < core.end && tokens[i + 1].text(text) == "the";
    parts.clear();
    let mut part_start = core.start;
    for i in core.clone() {
        if matches!(tokens[i].text(text), "and" | "&")
            && (!last_is_head || ends_a_name(i) || starts_a_name(i))
        {
            if i > part_start {
                parts.push(part_start..i);
            }
            part_start = i + 1;
        }
    }
    if part_start < core.end {
        parts.push(part_start..core.end);
    }
}

fn read_core<'l>(
    text: &str,
    tokens: &[Token],
    mut core: Range<usize>,
    known: &KnownNames<'_, 'l>,
    title: Option<Range<usize>>,
    lexicon: &Lexicon,
    found: &mut Vec<Candidate<'l>>,
) {
    // Connectors never open or end a name.
    while core.end > core.start && is_connector(tokens[core.end - 1].text(text)) {
        core.end -= 1;
    }
    while core.start < core.end && is_connector(tokens[core.start].text(text)) {
        core.start += 1;
    }
    if core.is_empty() {
        return;
    }
    let core_tokens = &tokens[core.clone()];
    let uncovered = core
        .clone()
        .filter(|&i| is_capitalized(tokens[i].text(text)) && known.covering(i).is_none())
        .count();
    let range = core_tokens[0].range.start..core_tokens[core_tokens.len() - 1].range.end;
    // `the Obama administration`: a lower-case organisation noun after the name.
    let only_demonyms = core
        .clone()
        .all(|i| known.covering(i).is_some_and(|m| m.form == Form::Demonym));
    let suffix = tokens.get(core.end).filter(|t| {
        t.gap == Gap::Space
            && !only_demonyms
            && !core_tokens[core_tokens.len() - 1].possessive
            && is_organization_suffix(t.text(text))
    });
    if uncovered == 0 && suffix.is_none() {
        emit_known_in(known, core_tokens, found);
        return;
    }
    let range = match suffix {
        Some(suffix) => range.start..suffix.range.end,
        None => range,
    };
    let name = collapse_white_space(&text[range.clone()]).into_owned();
    let after_locative = core.start > 0
        && tokens[core.start].gap == Gap::Space
        && is_locative_preposition(tokens[core.start - 1].text(text));
    let kind = match (
        suffix,
        guess_kind(text, core_tokens, title.is_some(), lexicon),
    ) {
        (Some(_), _) => Guess::Kind(EntityKind::Organization),
        // `Empresa Portuaria Austral, the state-owned port operator,`: what the text says
        // the name is outweighs its shape.
        (None, Guess::Kind(EntityKind::Person | EntityKind::Other) | Guess::SingleWord)
            // `In Kiruna, the state miner LKAB …`: after a place's preposition, a comma
            // ends an opening phrase, not a name.
            if title.is_none()
                && !after_locative
                && let Some(kind) = kind_in_apposition(text, range.end) =>
        {
            Guess::Kind(kind)
        }
        // `in Rio Grande do Sul`: a name without a telling head noun, after a preposition of
        // place, is a place.
        (None, Guess::Kind(EntityKind::Person | EntityKind::Other))
            if after_locative
                && title.is_none()
                && !core_tokens[core_tokens.len() - 1].possessive
                && head_kind(core_tokens[core_tokens.len() - 1].text(text)).is_none() =>
        {
            Guess::Kind(EntityKind::Place)
        }
        // `French Indochina`: a name that opens with a demonym is no person's, unless a
        // title says so.
        (None, Guess::Kind(EntityKind::Person))
            if title.is_none()
                && known.covering(core.start).is_some_and(|m| {
                    m.form == Form::Demonym && m.range == core_tokens[0].range
                }) =>
        {
            Guess::Kind(EntityKind::Other)
        }
        (None, guess) => guess,
    };
    found.push(Candidate::Unknown {
        after_locative,
        acronym: parenthesised_acronym(text, range.end),
        range,
        name,
        kind,
        sentence_start: core_tokens[0].sentence_start,
        title,
    });
}

/// `(JCPOA)` right after a name.
fn parenthesised_acronym(text: &str, end: usize) -> Option<Range<usize>> {
    let rest = &text[end..];
    let inner_start = end + rest.len() - rest.trim_start().len();
    let after_open = text[inner_start..].strip_prefix('(')?;
    let close = after_open.find(')')?;
    let inner = &after_open[..close];
    let start = inner_start + 1;
    (is_acronym(inner) && inner.len() <= 12).then(|| start..start + inner.len())
}

/// `Absurdly`, `Ideologically`: sentence adverbs, rarer than the common-word list.
fn is_sentence_adverb(word: &str) -> bool {
    word.len() > 5 && word.ends_with("ly") && word.chars().skip(1).all(char::is_lowercase)
}

mod kind;
mod known;
#[cfg(test)]
mod tests;
mod titles;
