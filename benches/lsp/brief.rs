//! The 300-line brief the benchmark edits and queries, written from the corpus as loaded by
//! the library (so its keys and paragraph numbers are the server's own), and the cursor
//! positions of each kind of request.
//!
//! Most claims copy a sentence of the paragraph they cite; some quote it, misquote it, change
//! a year, cite a paragraph that does not exist or a key that does not exist, or cite nothing,
//! so that every check of the diagnostics has work to do.

use dossier::corpus::Source;

use super::corpus::{Rng, SEED, place_names};

pub const LINES: usize = 300;
const DRAFTS: usize = 10;

/// An LSP position (UTF-16 columns, as the client does not offer UTF-8).
#[derive(Debug, Clone, Copy)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

pub struct Brief {
    pub text: String,
    /// On a person or place named in a claim.
    pub entities: Vec<Position>,
    /// Inside a citation key.
    pub keys: Vec<Position>,
    /// On a locator's number.
    pub locators: Vec<Position>,
    /// At the end of `[@` and two or three letters of a key.
    pub key_completions: Vec<Position>,
    /// At the end of `[@` and two words of a paragraph.
    pub searches: Vec<Position>,
    /// The line the re-diagnosis edits (a claim in the middle).
    pub edit_line: u32,
}

fn utf16(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

/// The first sentence of a paragraph, without its final period.
fn first_sentence(paragraph: &str) -> &str {
    let end = paragraph.find(". ").unwrap_or(paragraph.len());
    paragraph[..end].trim_end_matches('.')
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '\'' || c == '-')
}

/// Where `name` stands in `line` as a whole word, if it does.
fn find_word(line: &str, name: &str) -> Option<usize> {
    line.match_indices(name).map(|(at, _)| at).find(|&at| {
        !is_word_char(line[..at].chars().next_back())
            && !is_word_char(line[at + name.len()..].chars().next())
    })
}

pub fn write_brief(sources: &[Source], people: &[&str]) -> Brief {
    let mut rng = Rng::new(SEED ^ 0xb41e_f000);
    let mut lines: Vec<String> = vec![
        format!(
            "# The region after the war: a review of {} sources",
            sources.len()
        ),
        String::new(),
        "In our view, the balance of the partnerships in the region has shifted.".to_string(),
        String::new(),
    ];
    let mut brief = Brief {
        text: String::new(),
        entities: Vec::new(),
        keys: Vec::new(),
        locators: Vec::new(),
        key_completions: Vec::new(),
        searches: Vec::new(),
        edit_line: 0,
    };
    let body_lines = LINES - 2 - 4 * DRAFTS;
    let mut claims = 0;
    while lines.len() < body_lines - 1 {
        if claims % 12 == 0 {
            let place = rng.pick(place_names());
            lines.push(format!("## {} and its neighbours", place));
            lines.push(String::new());
            if lines.len() >= body_lines - 1 {
                break;
            }
        }
        claims += 1;
        let line_number = lines.len() as u32;
        let source = &sources[rng.below(sources.len())];
        let number = 1 + rng.below(source.paragraphs.len());
        let Some(paragraph) = source.paragraph(number as u32) else {
            continue;
        };
        let text = source.paragraph_text(paragraph);
        let sentence = first_sentence(text);
        let key = &source.key;
        let line = match rng.below(100) {
            0..65 => format!("{sentence} [@{key}, para. {number}]."),
            65..80 => {
                let words: Vec<&str> = text.split_whitespace().collect();
                let from = rng.below(words.len().saturating_sub(8).max(1));
                let mut quoted: Vec<&str> = words[from..(from + 7).min(words.len())].to_vec();
                if claims % 2 == 0 && quoted.len() > 3 {
                    quoted[2] = "unprecedented"; // a misquote
                }
                let quoted = quoted.join(" ");
                let quoted = quoted.trim_end_matches(['.', ',']);
                format!("The source reports that \"{quoted}\" [@{key}, para. {number}].")
            }
            80..85 => {
                // A year that disagrees with the cited passage.
                let changed = sentence
                    .split(' ')
                    .map(|word| match word.parse::<u32>() {
                        Ok(year) if (1900..2100).contains(&year) => (year + 3).to_string(),
                        _ => word.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                format!("{changed} [@{key}, para. {number}].")
            }
            85..88 => format!("{sentence} [@{key}, para. 99]."),
            88..91 => format!("{sentence} [@{key}x, para. {number}]."),
            91..94 => {
                let other = &sources[rng.below(sources.len())];
                format!(
                    "{sentence} [see @{key}, ¶ {number}; @{}, para. 1].",
                    other.key
                )
            }
            _ => format!("{sentence}."),
        };
        // Cursor positions on this line.
        if let Some(at) = line.find(&format!("@{key}")) {
            let middle = at + 1 + key.len() / 2;
            brief.keys.push(Position {
                line: line_number,
                character: utf16(&line[..middle]),
            });
            if let Some(locator) = line[at..].find("para. ").map(|l| at + l + 6) {
                brief.locators.push(Position {
                    line: line_number,
                    character: utf16(&line[..locator]),
                });
            }
        }
        let named = people
            .iter()
            .chain(place_names())
            .filter_map(|name| find_word(&line, name).map(|at| (at, name.len())))
            .min();
        if let Some((at, length)) = named {
            brief.entities.push(Position {
                line: line_number,
                character: utf16(&line[..at + length / 2]),
            });
        }
        lines.push(line);
        lines.push(String::new());
    }
    lines.truncate(body_lines);
    while lines.len() < body_lines {
        lines.push(String::new());
    }
    brief.edit_line = (body_lines / 2) as u32;
    while lines[brief.edit_line as usize].is_empty()
        || lines[brief.edit_line as usize].starts_with('#')
    {
        brief.edit_line += 1;
    }
    lines.push("## Drafts".to_string());
    lines.push(String::new());
    for _ in 0..DRAFTS {
        let key = &sources[rng.below(sources.len())].key;
        let typed: String = key.chars().take(2 + rng.below(2)).collect();
        let line = format!("Still to cite: [@{typed}");
        brief.key_completions.push(Position {
            line: lines.len() as u32,
            character: utf16(&line),
        });
        lines.push(line);
        lines.push(String::new());
    }
    for _ in 0..DRAFTS {
        let source = &sources[rng.below(sources.len())];
        let number = 1 + rng.below(source.paragraphs.len());
        let text = source
            .paragraph(number as u32)
            .map(|p| source.paragraph_text(p))
            .unwrap_or("");
        let words: Vec<&str> = text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.len() >= 5 && w.chars().all(|c| c.is_lowercase()))
            .collect();
        let (first, second) = match words.as_slice() {
            [] => ("pipeline", "sanctions"),
            [one] => (*one, "sanctions"),
            many => (*rng.pick(many), *rng.pick(many)),
        };
        // Half the time the second word is still being typed.
        let second: String = if rng.chance(50) {
            second.chars().take(4).collect()
        } else {
            second.to_string()
        };
        let line = format!("Still to find: [@{first} {second}");
        brief.searches.push(Position {
            line: lines.len() as u32,
            character: utf16(&line),
        });
        lines.push(line);
        lines.push(String::new());
    }
    debug_assert_eq!(lines.len(), LINES);
    brief.text = lines.join("\n") + "\n";
    brief
}
