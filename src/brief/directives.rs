//! `<!-- dossier-… -->` comments that silence findings: `dossier-ignore CODE…` for the next
//! line, `dossier-disable CODE…` … `dossier-enable CODE…` for a stretch. Knows nothing of which
//! codes exist; no code means every code.
//!
//! Comments come from HTML blocks and from inline comments in prose, never from code.

use std::ops::Range;

use super::{Brief, Issue, IssueKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveKind {
    Ignore,
    Disable,
    Enable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// Empty: every code.
    pub codes: Vec<String>,
    /// The whole comment.
    pub range: Range<usize>,
}

/// A stretch of the brief where some codes are silenced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// Empty: every code.
    pub codes: Vec<String>,
    /// For `ignore`, the line after the comment's (without its line break); for `disable`,
    /// from the end of its comment to the start of the matching `enable` or the end of the text.
    pub range: Range<usize>,
}

impl Suppression {
    /// Whether a finding `code` starting at `offset` is silenced.
    pub fn silences(&self, code: &str, offset: usize) -> bool {
        (self.codes.is_empty() || self.codes.iter().any(|silenced| silenced == code))
            && self.range.start <= offset
            && offset <= self.range.end
    }
}

const PREFIX: &str = "dossier-";

/// Appends the comments in an HTML block's text to `comments`.
pub(super) fn comments_in(text: &str, range: Range<usize>, comments: &mut Vec<Range<usize>>) {
    let Some(html) = text.get(range.clone()) else {
        return;
    };
    let mut at = 0;
    while let Some(open) = html[at..].find("<!--") {
        let body = at + open + 4;
        let Some(close) = html[body..].find("-->") else {
            break;
        };
        comments.push(range.start + at + open..range.start + body + close + 3);
        at = body + close + 3;
    }
}

/// Reads the directives among `comments` (in order) into `brief`.
pub(super) fn read(text: &str, comments: &[Range<usize>], brief: &mut Brief) {
    // Open `disable`s: the code (empty for every code) and where its stretch starts.
    let mut open: Vec<(String, usize)> = Vec::new();
    for comment in comments {
        let Some(body) = text
            .get(comment.clone())
            .and_then(|comment| comment.strip_prefix("<!--"))
            .map(|body| body.strip_suffix("-->").unwrap_or(body).trim())
        else {
            continue;
        };
        let Some(directive) = body.strip_prefix(PREFIX) else {
            continue;
        };
        let mut words = directive
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|word| !word.is_empty());
        let verb = words.next().unwrap_or_default();
        let codes: Vec<String> = words.map(str::to_owned).collect();
        let kind = match verb {
            "ignore" => DirectiveKind::Ignore,
            "disable" => DirectiveKind::Disable,
            "enable" => DirectiveKind::Enable,
            _ => {
                brief.issues.push(Issue {
                    range: comment.clone(),
                    kind: IssueKind::UnknownDirective(format!("{PREFIX}{verb}")),
                });
                continue;
            }
        };
        match kind {
            DirectiveKind::Ignore => {
                if let Some(line) = next_line(text, comment.end) {
                    brief.suppressions.push(Suppression {
                        codes: codes.clone(),
                        range: line,
                    });
                }
            }
            DirectiveKind::Disable if codes.is_empty() => open.push((String::new(), comment.end)),
            DirectiveKind::Disable => {
                open.extend(codes.iter().map(|code| (code.clone(), comment.end)));
            }
            DirectiveKind::Enable => {
                let before = open.len();
                let closes = |code: &String| codes.is_empty() || codes.contains(code);
                for (code, start) in open.iter().filter(|(code, _)| closes(code)) {
                    brief.suppressions.push(Suppression {
                        codes: if code.is_empty() {
                            Vec::new()
                        } else {
                            vec![code.clone()]
                        },
                        range: *start..comment.start,
                    });
                }
                open.retain(|(code, _)| !closes(code));
                if open.len() == before {
                    brief.issues.push(Issue {
                        range: comment.clone(),
                        kind: IssueKind::EnableWithoutDisable,
                    });
                }
            }
        }
        brief.directives.push(Directive {
            kind,
            codes,
            range: comment.clone(),
        });
    }
    for (code, start) in open {
        brief.suppressions.push(Suppression {
            codes: if code.is_empty() {
                Vec::new()
            } else {
                vec![code]
            },
            range: start..text.len(),
        });
    }
}

/// The line after the one containing `offset`, without its line break.
fn next_line(text: &str, offset: usize) -> Option<Range<usize>> {
    let start = offset + text.get(offset..)?.find('\n')? + 1;
    let length = text[start..]
        .find(['\n', '\r'])
        .unwrap_or(text.len() - start);
    Some(start..start + length)
}
