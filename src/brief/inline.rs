//! The inline constructs of a prose block that are never checked: code spans, link
//! destinations, autolinks, inline HTML and HTML comments. Knows nothing of citations.
//!
//! A small scanner after CommonMark's precedence: code spans, autolinks and HTML bind tighter
//! than links, the leftmost construct wins, a backslash escapes punctuation. Link *text* stays
//! prose; only the `(destination "title")` after it is skipped. Searches for a closer remember
//! their failures, so that a block full of unmatched backticks or `<!--` stays linear.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub range: Range<usize>,
    pub kind: SkippedKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkippedKind {
    /// `` `code` ``, delimiters included.
    CodeSpan,
    /// `(url "title")` after a link's or image's text, parentheses included.
    LinkDestination,
    /// `<https://…>` or `<name@example.org>`.
    Autolink,
    /// An open or closing tag.
    Html,
    /// `<!-- … -->`.
    Comment,
}

impl SkippedKind {
    /// What the construct is overwritten with in the masked text. Visible words (code,
    /// autolinks) become a word, so that sentences still start and end around them; invisible
    /// markup becomes white space; a destination becomes letters, so that a sentence ending in
    /// a link ends after its `)`.
    pub(super) fn filler(self) -> u8 {
        match self {
            SkippedKind::CodeSpan | SkippedKind::Autolink => b'X',
            SkippedKind::LinkDestination => LINK_DESTINATION_FILLER,
            SkippedKind::Html | SkippedKind::Comment => b' ',
        }
    }
}

/// What a link destination is masked with (see `filler`).
pub(super) const LINK_DESTINATION_FILLER: u8 = 0x01;

/// Longest attribute value or title searched for its closing quote.
const MAX_QUOTED: usize = 4096;
/// Backtick runs longer than this are not cached (they are rare).
const CACHED_RUNS: usize = 32;

/// Appends the skipped constructs of `bytes[content]` to `found`, in order.
pub(super) fn scan(bytes: &[u8], content: Range<usize>, found: &mut Vec<Skipped>) {
    let end = content.end.min(bytes.len());
    let mut scanner = Scanner {
        bytes: &bytes[..end],
        no_backtick_run_from: [usize::MAX; CACHED_RUNS + 1],
        no_comment_end_from: usize::MAX,
    };
    let mut at = content.start;
    let mut open_brackets: usize = 0;
    while at < end {
        if !matches!(bytes[at], b'`' | b'<' | b'\\' | b'[' | b']') {
            at += 1;
            continue;
        }
        match bytes[at] {
            b'\\' => {
                at += if bytes.get(at + 1).is_some_and(u8::is_ascii_punctuation) {
                    2
                } else {
                    1
                };
            }
            b'`' => {
                let run = run_length(bytes, at, end, b'`');
                match scanner.closing_backticks(at + run, run) {
                    Some(close) => {
                        found.push(Skipped {
                            range: at..close + run,
                            kind: SkippedKind::CodeSpan,
                        });
                        at = close + run;
                    }
                    None => at += run,
                }
            }
            b'<' => match scanner.angle(at) {
                Some((close, kind)) => {
                    found.push(Skipped {
                        range: at..close,
                        kind,
                    });
                    at = close;
                }
                None => at += 1,
            },
            b'[' => {
                open_brackets += 1;
                at += 1;
            }
            _ => {
                // `]`: with an opener before it and `(` right after, a link destination.
                if open_brackets > 0 {
                    open_brackets -= 1;
                    if bytes.get(at + 1) == Some(&b'(')
                        && let Some(close) = link_destination(bytes, at + 1, end)
                    {
                        found.push(Skipped {
                            range: at + 1..close,
                            kind: SkippedKind::LinkDestination,
                        });
                        at = close;
                        continue;
                    }
                }
                at += 1;
            }
        }
    }
}

struct Scanner<'b> {
    bytes: &'b [u8],
    /// For each run length, a position from which no closing run of that length exists.
    no_backtick_run_from: [usize; CACHED_RUNS + 1],
    no_comment_end_from: usize,
}

impl Scanner<'_> {
    /// The start of the next run of exactly `run` backticks at or after `from`.
    fn closing_backticks(&mut self, from: usize, run: usize) -> Option<usize> {
        let cached = (run <= CACHED_RUNS).then_some(run);
        if let Some(run) = cached
            && self.no_backtick_run_from[run] <= from
        {
            return None;
        }
        let mut at = from;
        while let Some(found) = memchr::memchr(b'`', &self.bytes[at..]) {
            let start = at + found;
            let length = run_length(self.bytes, start, self.bytes.len(), b'`');
            if length == run {
                return Some(start);
            }
            at = start + length;
        }
        if let Some(run) = cached {
            self.no_backtick_run_from[run] = from;
        }
        None
    }

    /// A comment, autolink or tag starting at the `<` at `at`: its end and kind.
    fn angle(&mut self, at: usize) -> Option<(usize, SkippedKind)> {
        let rest = &self.bytes[at..];
        if rest.starts_with(b"<!--") {
            return self.comment(at).map(|end| (end, SkippedKind::Comment));
        }
        if let Some(end) = autolink(self.bytes, at) {
            return Some((end, SkippedKind::Autolink));
        }
        tag(self.bytes, at).map(|end| (end, SkippedKind::Html))
    }

    fn comment(&mut self, at: usize) -> Option<usize> {
        let body = at + 4;
        // `<!-->` and `<!--->` are complete (if empty) comments in CommonMark 0.31.
        for short in [&b">"[..], b"->"] {
            if self.bytes[body..].starts_with(short) {
                return Some(body + short.len());
            }
        }
        if self.no_comment_end_from <= body {
            return None;
        }
        match memchr::memmem::find(&self.bytes[body..], b"-->") {
            Some(found) => Some(body + found + 3),
            None => {
                self.no_comment_end_from = body;
                None
            }
        }
    }
}

fn run_length(bytes: &[u8], at: usize, end: usize, byte: u8) -> usize {
    bytes[at..end].iter().take_while(|&&b| b == byte).count()
}

/// `<scheme:…>` or `<local@domain>`: the end past `>`.
fn autolink(bytes: &[u8], at: usize) -> Option<usize> {
    let start = at + 1;
    let scheme = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        .count();
    let first_is_letter = bytes.get(start).is_some_and(u8::is_ascii_alphabetic);
    if first_is_letter && (2..=32).contains(&scheme) && bytes.get(start + scheme) == Some(&b':') {
        let body = start + scheme + 1;
        let length = bytes[body..]
            .iter()
            .take_while(|&&b| b > b' ' && b != b'<' && b != b'>')
            .count();
        if bytes.get(body + length) == Some(&b'>') {
            return Some(body + length + 1);
        }
        return None;
    }
    let local = bytes[start..]
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&b))
        .count();
    if local == 0 || bytes.get(start + local) != Some(&b'@') {
        return None;
    }
    let domain_start = start + local + 1;
    let domain = bytes[domain_start..]
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        .count();
    (domain > 0 && bytes.get(domain_start + domain) == Some(&b'>'))
        .then_some(domain_start + domain + 1)
}

/// An open tag `<name attr="v">` or a closing tag `</name>`: the end past `>`.
fn tag(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    i += bytes[i..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    loop {
        let white = skip_white(bytes, i);
        match bytes.get(white)? {
            b'>' => return Some(white + 1),
            b'/' if !closing && bytes.get(white + 1) == Some(&b'>') => return Some(white + 2),
            b if !closing && white > i && (b.is_ascii_alphabetic() || matches!(b, b'_' | b':')) => {
                i = white
                    + bytes[white..]
                        .iter()
                        .take_while(|b| b.is_ascii_alphanumeric() || b"_.:-".contains(b))
                        .count();
                let before_value = skip_white(bytes, i);
                if bytes.get(before_value) == Some(&b'=') {
                    i = attribute_value(bytes, skip_white(bytes, before_value + 1))?;
                }
            }
            _ => return None,
        }
    }
}

fn attribute_value(bytes: &[u8], at: usize) -> Option<usize> {
    match *bytes.get(at)? {
        quote @ (b'"' | b'\'') => {
            let window = &bytes[at + 1..bytes.len().min(at + 1 + MAX_QUOTED)];
            memchr::memchr(quote, window).map(|found| at + 1 + found + 1)
        }
        _ => {
            let length = bytes[at..]
                .iter()
                .take_while(|&&b| b > b' ' && !b"\"'=<>`".contains(&b))
                .count();
            (length > 0).then_some(at + length)
        }
    }
}

/// `(destination "title")` starting at the `(` at `open`: the end past `)`.
fn link_destination(bytes: &[u8], open: usize, end: usize) -> Option<usize> {
    let bytes = &bytes[..end];
    let mut i = skip_white(bytes, open + 1);
    if bytes.get(i) == Some(&b'<') {
        let length = bytes[i + 1..]
            .iter()
            .take_while(|&&b| b != b'>' && b != b'<' && b != b'\n')
            .count();
        if bytes.get(i + 1 + length) != Some(&b'>') {
            return None;
        }
        i += length + 2;
    } else {
        let mut depth = 0usize;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\\' if bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) => i += 1,
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                _ if b <= b' ' => break,
                _ => {}
            }
            i += 1;
        }
    }
    let before_title = i;
    i = skip_white(bytes, i);
    if i > before_title
        && let Some(&quote) = bytes.get(i)
        && matches!(quote, b'"' | b'\'' | b'(')
    {
        let closer = if quote == b'(' { b')' } else { quote };
        let window = &bytes[i + 1..bytes.len().min(i + 1 + MAX_QUOTED)];
        i = i + 1 + memchr::memchr(closer, window)? + 1;
        i = skip_white(bytes, i);
    }
    (bytes.get(i) == Some(&b')')).then_some(i + 1)
}

fn skip_white(bytes: &[u8], at: usize) -> usize {
    at + bytes
        .get(at..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| b.is_ascii_whitespace())
        .count()
}
