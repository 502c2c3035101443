//! `unknown-source` and `unknown-locator`: citations of keys the corpus does not have, and of
//! paragraphs their source does not have. An unknown key is offered the closest known key.

use super::{Code, Finding, Fix, Passages, Related};
use crate::ide::{Analysis, SourceRange};
use crate::index::Index;

/// Keys further than this many edits from every known key get no suggestion.
const MAX_DISTANCE: usize = 3;

pub fn check(index: &Index, analysis: &Analysis, memo: &Passages, findings: &mut Vec<Finding>) {
    for citation in &analysis.brief.citations {
        let Some(source_index) = index.source_index(&citation.key) else {
            let closest = memo.closest_key(&citation.key, || closest_key(index, &citation.key));
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
    let source = index.finder().nearest_key(key, MAX_DISTANCE)?;
    Some(index.source_at(source as usize)?.key.clone())
}
