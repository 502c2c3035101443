//! Near spellings of key names: a bounded edit distance and a subsequence test, on folded
//! ASCII words.

/// The three rows the distance is worked out in, kept between calls: comparing one word
/// with a thousand candidates then allocates nothing after the first.
#[derive(Default)]
pub struct Rows {
    before: Vec<usize>,
    previous: Vec<usize>,
    current: Vec<usize>,
}

impl Rows {
    /// The optimal-string-alignment distance between `a` and `b` (insertions, deletions,
    /// substitutions, and swaps of neighbours each count one), or `None` when it exceeds
    /// `most`. Stops as soon as a whole row exceeds `most`, so distant words cost little.
    pub fn distance(&mut self, a: &str, b: &str, most: usize) -> Option<usize> {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len().abs_diff(b.len()) > most {
            return None;
        }
        let width = b.len() + 1;
        let Rows {
            before,
            previous,
            current,
        } = self;
        before.clear();
        before.resize(width, 0);
        previous.clear();
        previous.extend(0..width);
        current.clear();
        current.resize(width, 0);
        for i in 1..=a.len() {
            current[0] = i;
            let mut row_best = i;
            for j in 1..width {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut value = (previous[j] + 1)
                    .min(current[j - 1] + 1)
                    .min(previous[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    value = value.min(before[j - 2] + 1);
                }
                current[j] = value;
                row_best = row_best.min(value);
            }
            if row_best > most {
                return None;
            }
            std::mem::swap(before, previous);
            std::mem::swap(previous, current);
        }
        let result = previous[b.len()];
        (result <= most).then_some(result)
    }
}

/// Whether the letters of `short` appear in `long` in order (`brmn` in `berman`).
pub fn is_subsequence(short: &str, long: &str) -> bool {
    let mut letters = long.bytes();
    short
        .bytes()
        .all(|wanted| letters.any(|letter| letter == wanted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_count_swaps_as_one_edit() {
        assert_eq!(Rows::default().distance("berman", "berman", 2), Some(0));
        assert_eq!(Rows::default().distance("bremann", "berman", 2), Some(2));
        assert_eq!(Rows::default().distance("bermna", "berman", 2), Some(1));
        assert_eq!(Rows::default().distance("berma", "berman", 2), Some(1));
        assert_eq!(Rows::default().distance("smith", "berman", 2), None);
        assert_eq!(Rows::default().distance("", "ab", 2), Some(2));
    }

    #[test]
    fn subsequences_keep_letter_order() {
        assert!(is_subsequence("brmn", "berman"));
        assert!(!is_subsequence("nmrb", "berman"));
    }
}
