//! Over-long sentences read as several claims. Text with no full stops (a pasted table, notes
//! typed without punctuation) makes one "sentence" of a whole paragraph: every check that
//! compares a claim's facts with its citations' passages would then weigh all of it against
//! all of them, in time growing with its length squared or more. A sentence longer than
//! `LONGEST_SENTENCE` is cut after each of its citations, and where none comes within that
//! many bytes, at the last space before: pieces a reader would take for claims.

use std::ops::Range;

use crate::sentences::LONGEST_SENTENCE;
use crate::text::floor_char_boundary;

/// `sentence` (a range of `text`), or when it is longer than `LONGEST_SENTENCE`, its pieces:
/// each ends right after a citation (`citation_ends`: where the paragraph's citations end,
/// brackets included, in order) or, with none within `LONGEST_SENTENCE` bytes of its start,
/// at the last space before that; each starts past the spaces and commas after the one
/// before.
pub fn pieces(text: &str, sentence: Range<usize>, citation_ends: &[usize]) -> Vec<Range<usize>> {
    if sentence.len() <= LONGEST_SENTENCE {
        return vec![sentence];
    }
    let bytes = text.as_bytes();
    let first = citation_ends.partition_point(|&end| end <= sentence.start);
    let mut ends = citation_ends[first..]
        .iter()
        .copied()
        .take_while(|&end| end <= sentence.end)
        .peekable();
    let mut pieces = Vec::new();
    let mut start = sentence.start;
    loop {
        while start < sentence.end
            && matches!(bytes[start], b' ' | b'\t' | b'\r' | b'\n' | b',' | b';')
        {
            start += 1;
        }
        if start >= sentence.end {
            return pieces;
        }
        while ends.next_if(|&end| end <= start).is_some() {}
        let limit = start + LONGEST_SENTENCE;
        let end = match ends.peek() {
            Some(&end) if end <= limit => end,
            _ if sentence.end <= limit => sentence.end,
            _ => cut_before(text, start, limit),
        };
        pieces.push(start..end);
        start = end;
    }
}

/// Where to end a piece that starts at `start` and may run to `limit` (inside the text): at
/// its last space, or with none, at the last character boundary (past `start`: the room is
/// `LONGEST_SENTENCE` bytes, and no character is wider than four).
fn cut_before(text: &str, start: usize, limit: usize) -> usize {
    match text.as_bytes()[start + 1..limit]
        .iter()
        .rposition(|&b| b == b' ')
    {
        Some(space) => start + 1 + space,
        None => floor_char_boundary(text, limit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_of_usual_length_is_one_piece() {
        let text = "Putin went to Tehran in July 2022 [@berman2023, para. 1], and met Raisi.";
        assert_eq!(pieces(text, 0..text.len(), &[56]), vec![0..text.len()]);
    }

    #[test]
    fn an_over_long_sentence_ends_a_piece_after_each_citation() {
        let claim = "Russia sold Iran drones in July 2022 [@a, para. 1], ";
        let text = claim.repeat(40);
        let ends: Vec<usize> = (0..40).map(|i| i * claim.len() + claim.len() - 2).collect();
        let found = pieces(&text, 0..text.len() - 2, &ends);
        assert_eq!(found.len(), 40);
        for (piece, end) in found.iter().zip(&ends) {
            assert_eq!(piece.end, *end);
            assert_eq!(&text[piece.clone()], claim.trim_end_matches([',', ' ']));
        }
    }

    proptest::proptest! {
        #[test]
        fn pieces_cover_the_sentence_in_order_within_the_longest(
            words in proptest::collection::vec("[a-zé“]{1,14}|\\[@k\\]|,", 1..700),
        ) {
            let text = words.join(" ");
            let ends: Vec<usize> = text.match_indices("[@k]").map(|(at, c)| at + c.len()).collect();
            let found = pieces(&text, 0..text.len(), &ends);
            let mut last_end = 0;
            for piece in &found {
                proptest::prop_assert!(piece.start >= last_end && piece.start < piece.end);
                proptest::prop_assert!(text.get(piece.clone()).is_some(), "character boundaries");
                if text.len() > LONGEST_SENTENCE {
                    proptest::prop_assert!(piece.len() <= LONGEST_SENTENCE);
                }
                // What lies between pieces is spaces and commas only.
                proptest::prop_assert!(text[last_end..piece.start].bytes().all(|b| b == b' ' || b == b','));
                last_end = piece.end;
            }
            proptest::prop_assert!(text[last_end..].bytes().all(|b| b == b' ' || b == b','));
        }
    }
}
