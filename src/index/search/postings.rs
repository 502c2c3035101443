//! A chunk's postings written in one pass over its log of terms, each term's bytes in a
//! region of their own sized from its count of occurrences: where the paragraph of every
//! occurrence was first sorted into a list by term, and that list then read again to be
//! encoded (two passes, and a list as long as the log).

/// Where a term's postings stand as the log is read.
#[derive(Clone, Copy)]
struct Cursor {
    /// Where its next byte goes.
    at: usize,
    /// The paragraph it was last found in (before its first, one that no paragraph of the
    /// chunk is), and how many times.
    last: u32,
    count: u32,
    /// The paragraphs it was found in.
    doc_freq: u32,
}

/// The postings of a chunk's terms as they are written: `bytes` holds each term's region,
/// in the order given to `new`, and some room may be left at the end of each.
pub(super) struct Postings {
    bytes: Vec<u8>,
    cursors: Vec<Cursor>,
    starts: Vec<usize>,
}

/// A term's postings once written: its bytes in `Postings::into_bytes`, the paragraphs it
/// is in, and the last.
pub(super) struct Written {
    pub start: usize,
    pub end: usize,
    pub doc_freq: u32,
    pub last: u32,
}

impl Postings {
    /// Room for the postings of terms found `occurrences` times each (by number), laid out
    /// in the order `order`, in a chunk of `paragraphs` paragraphs from `first_paragraph`.
    pub(super) fn new(
        occurrences: &[usize],
        order: &[usize],
        first_paragraph: u32,
        paragraphs: usize,
    ) -> Postings {
        let first_len = varint_len(first_paragraph.saturating_add(paragraphs as u32));
        let mut starts = vec![0; occurrences.len()];
        let mut total = 0usize;
        for &number in order {
            starts[number] = total;
            total += room_for(occurrences[number], paragraphs, first_len);
        }
        let before_first = Cursor {
            at: 0,
            last: first_paragraph.wrapping_sub(1),
            count: 0,
            doc_freq: 0,
        };
        let cursors = starts
            .iter()
            .map(|&at| Cursor { at, ..before_first })
            .collect();
        Postings {
            bytes: vec![0; total],
            cursors,
            starts,
        }
    }

    /// Adds the occurrences of `terms` in `paragraph` (paragraphs come in order): for
    /// each, a count more in the paragraph it was last found in, or that paragraph's count
    /// and the gap to this one (both a byte, as they mostly are). The table and the bytes
    /// are taken out of `self` first, so that the loop keeps them in registers.
    pub(super) fn add_paragraph(&mut self, terms: &[u32], paragraph: u32) {
        let bytes = self.bytes.as_mut_slice();
        let cursors = self.cursors.as_mut_slice();
        for &term in terms {
            let Some(cursor) = cursors.get_mut(term as usize) else {
                continue;
            };
            if cursor.last == paragraph {
                cursor.count += 1;
                continue;
            }
            let gap = paragraph.wrapping_sub(cursor.last);
            // A count of 1 to 127 (0 before the first paragraph, whose id goes whole) and
            // a gap under 127, tested at once (127 itself goes the slow way, as well).
            if cursor.count.wrapping_sub(1) | gap < 0x7f
                && let Some([count, small_gap]) = bytes
                    .get_mut(cursor.at..)
                    .and_then(|rest| rest.first_chunk_mut::<2>())
            {
                *count = cursor.count as u8;
                *small_gap = gap as u8;
                cursor.at += 2;
            } else {
                write_pair(bytes, cursor, paragraph);
            }
            cursor.last = paragraph;
            cursor.count = 1;
            cursor.doc_freq += 1;
        }
    }

    /// Ends the postings of term `number` with its last paragraph's count.
    pub(super) fn finish(&mut self, number: usize) -> Written {
        let start = self.starts[number];
        let cursor = &mut self.cursors[number];
        if cursor.count == 0 {
            return Written {
                start,
                end: start,
                doc_freq: 0,
                last: 0,
            };
        }
        write_at(&mut self.bytes, &mut cursor.at, cursor.count);
        Written {
            start,
            end: cursor.at,
            doc_freq: cursor.doc_freq,
            last: cursor.last,
        }
    }

    pub(super) fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// The count of the paragraph `cursor` was last found in and the gap to `paragraph`, or
/// `paragraph` itself if it has none, one or both more than a byte.
#[cold]
#[inline(never)]
fn write_pair(bytes: &mut [u8], cursor: &mut Cursor, paragraph: u32) {
    if cursor.count == 0 {
        write_at(bytes, &mut cursor.at, paragraph);
    } else {
        write_at(bytes, &mut cursor.at, cursor.count);
        write_at(bytes, &mut cursor.at, paragraph.wrapping_sub(cursor.last));
    }
}

/// Writes `value` as a varint at `*at` in `bytes`, moving `*at` past it.
fn write_at(bytes: &mut [u8], at: &mut usize, mut value: u32) {
    loop {
        let byte = if value >= 0x80 {
            (value as u8) | 0x80
        } else {
            value as u8
        };
        if let Some(slot) = bytes.get_mut(*at) {
            *slot = byte;
        }
        *at += 1;
        if value < 0x80 {
            return;
        }
        value >>= 7;
    }
}

/// Bytes of `value` as a varint.
fn varint_len(value: u32) -> usize {
    let bits = 32 - value.leading_zeros() as usize;
    bits.div_ceil(7).max(1)
}

/// The most bytes the postings of a term found `occurrences` times can take in a chunk of
/// `paragraphs` paragraphs, the first paragraph's id taking at most `first_len`: each count
/// takes no more bytes than it counts (the counts add up to `occurrences`), and each gap a
/// byte, and one more for each gap of 128 or over, and so on: the gaps add up to less than
/// `paragraphs`, so no more than `paragraphs >> 7` of them can be that long.
fn room_for(occurrences: usize, paragraphs: usize, first_len: usize) -> usize {
    let Some(gaps) = occurrences.checked_sub(1) else {
        return 0;
    };
    let mut room = first_len + occurrences + gaps;
    let mut long_gaps = paragraphs >> 7;
    while long_gaps > 0 {
        room += gaps.min(long_gaps);
        long_gaps >>= 7;
    }
    room
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::varint;
    use super::*;

    #[test]
    fn a_varint_is_as_long_as_its_seven_bit_groups() {
        for value in [0, 1, 127, 128, 16_383, 16_384, u32::MAX] {
            let mut bytes = Vec::new();
            varint::write(&mut bytes, value);
            assert_eq!(varint_len(value), bytes.len(), "{value}");
        }
    }

    proptest! {
        /// Occurrences of one term, far apart or close, counted many times or once: the
        /// room kept for them holds what `varint` writes.
        #[test]
        fn a_term_s_postings_fit_the_room_kept_for_them(
            steps in prop::collection::vec((0u32..3, 1u32..300), 1..60),
            first_paragraph in prop_oneof![Just(0u32), 0u32..300_000, Just(u32::MAX - 100_000)],
        ) {
            let mut paragraph = 0u32;
            let mut paragraphs_of = Vec::new();
            for &(kind, size) in &steps {
                let (gap, repeats) = match kind {
                    0 => (0, size),
                    1 => (size, 1),
                    _ => (size * size, 1),
                };
                paragraph += gap;
                paragraphs_of.extend(std::iter::repeat_n(paragraph, repeats as usize));
            }
            let paragraphs = paragraph as usize + 1;
            let ids: Vec<u32> = paragraphs_of.iter().map(|&p| first_paragraph.saturating_add(p)).collect();
            let mut postings = Postings::new(&[ids.len()], &[0], first_paragraph, paragraphs);
            for &id in &ids {
                postings.add_paragraph(&[0], id);
            }
            let written = postings.finish(0);
            let room = room_for(ids.len(), paragraphs, varint_len(first_paragraph.saturating_add(paragraphs as u32)));
            prop_assert!(written.end - written.start <= room);
            prop_assert_eq!(written.end - written.start, reference(&ids).len());
            prop_assert_eq!(&postings.into_bytes()[written.start..written.end], &reference(&ids)[..]);
        }
    }

    /// The postings of `ids` the way they were written before: first id, then a count and a
    /// gap for each paragraph after, then the last paragraph's count.
    fn reference(ids: &[u32]) -> Vec<u8> {
        let mut bytes = Vec::new();
        let Some(&first) = ids.first() else {
            return bytes;
        };
        varint::write(&mut bytes, first);
        let (mut last, mut count) = (first, 0);
        for &id in ids {
            if id != last {
                varint::write(&mut bytes, count);
                varint::write(&mut bytes, id - last);
                last = id;
                count = 0;
            }
            count += 1;
        }
        varint::write(&mut bytes, count);
        bytes
    }
}
