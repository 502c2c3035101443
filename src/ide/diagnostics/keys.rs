//! `unknown-source` and `unknown-locator`: citations of keys the corpus does not have, and of
//! paragraphs their source does not have. An unknown key is offered the closest known key.

use super::{Code, Finding, Fix, Related};
use crate::ide::{Analysis, SourceRange};
use crate::index::Index;

/// Keys further than this many edits from every known key get no suggestion.
const MAX_DISTANCE: usize = 3;

pub fn check(index: &Index, analysis: &Analysis, findings: &mut Vec<Finding>) {
    for citation in &analysis.brief.citations {
        let Some(source_index) = index.source_index(&citation.key) else {
            let closest = closest_key(index, &citation.key);
            let message = match &closest {
                Some(key) => format!(
                    "no source has the key `{}`; did you mean `{key}`?",
                    citation.key
                ),
                None => format!("no source has the key `{}`", citation.key),
            };
            findings.push(Finding {
                code: Code::UnknownSource,
                range: citation.key_range.clone(),
                message,
                related: Vec::new(),
                fixes: closest
                    .map(|key| Fix {
                        title: format!("Cite @{key}"),
                        edits: vec![(citation.key_range.clone(), key)],
                    })
                    .into_iter()
                    .collect(),
            });
            continue;
        };
        let Some(source) = index.source_at(source_index) else {
            continue;
        };
        let Some(locator) = &citation.locator else {
            continue;
        };
        let count = source.paragraphs.len();
        for piece in &locator.pieces {
            let mut missing: Vec<u32> = [piece.first, piece.last]
                .into_iter()
                .flatten()
                .filter(|&n| n == 0 || n as usize > count)
                .collect();
            missing.dedup();
            if missing.is_empty() || citation.paragraphs().is_empty() {
                continue;
            }
            let last = source.paragraphs.last().map(|p| SourceRange {
                source: source_index,
                range: p.range.clone(),
            });
            findings.push(Finding {
                code: Code::UnknownLocator,
                range: piece.range.clone(),
                message: format!(
                    "{} has {count} paragraphs; there is no paragraph {}",
                    source.key,
                    missing
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
                related: last
                    .map(|place| Related {
                        place,
                        message: format!("the last paragraph of {}", source.key),
                    })
                    .into_iter()
                    .collect(),
                fixes: Vec::new(),
            });
        }
    }
}

/// The known key with the fewest edits from `key` (case-insensitive), if close enough.
pub fn closest_key(index: &Index, key: &str) -> Option<String> {
    let wanted = key.to_lowercase();
    index
        .sources()
        .iter()
        .filter_map(|source| {
            let distance = edit_distance(&wanted, &source.key.to_lowercase(), MAX_DISTANCE)?;
            Some((distance, &source.key))
        })
        .min()
        .map(|(_, key)| key.clone())
}

/// Levenshtein distance, or `None` beyond `limit` (checked cheaply first by length).
fn edit_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        if current.iter().min().is_some_and(|&m| m > limit) {
            return None;
        }
        previous = current;
    }
    previous.last().copied().filter(|&d| d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("berman2032", "berman2023", 3), Some(2));
        assert_eq!(edit_distance("bermann2023", "berman2023", 3), Some(1));
        assert_eq!(edit_distance("smith2020", "berman2023", 3), None);
    }
}
