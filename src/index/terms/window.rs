//! The scan's fast path: 64 bytes of text at a time made into one bit per byte (an ASCII
//! letter or digit or not), so that each word's start and length are two bit counts, where
//! the scan looked at each word's first byte and loaded the word again to find its end.

/// Bytes per window: one bit each in a `u64`.
pub(crate) const WINDOW: usize = 64;

/// Bytes read past a window's start: 16 more than it has, so that a word inside can be
/// loaded 16 bytes at a time without a bounds check.
const BUFFER: usize = WINDOW + 16;

/// What stops a window's words short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// A byte past ASCII, which the word-by-word scan reads (it may go on a word).
    NonAscii,
    /// The window's 64 bytes: a word that reaches them may go on.
    WindowEnd,
    /// The end of the text: a word that reaches it ends there.
    TextEnd,
}

/// The bytes from some position of a text, as far as they are plain ASCII: `limit` of them
/// (at most 64), with a bit set in `words` for each ASCII letter or digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Window {
    pub words: u64,
    pub limit: usize,
    pub stop: Stop,
}

impl Window {
    /// The words that the window, which starts at `at`, holds whole; where the scan goes on
    /// after them; and whether it must go on word by word there (`step`). A word that runs
    /// into what the window cannot see is left to the next window, or to `step` at a byte
    /// past ASCII or when it fills the window.
    #[inline(always)]
    pub fn whole_words(&self, at: usize) -> (u64, usize, bool) {
        let (whole, end) = if self.stop == Stop::TextEnd {
            (self.words, self.limit)
        } else {
            // With every bit from the limit up set, the word that runs into the limit
            // joins those ones, and the run at the top starts where that word does (at
            // the limit if no word reaches it).
            let open = !(self.words | !below(self.limit));
            let end = WINDOW - open.leading_zeros() as usize;
            (self.words & below(end), end)
        };
        (whole, at + end, self.stop == Stop::NonAscii || end == 0)
    }
}

/// The bytes of the current window, copied where they can be loaded without bounds checks.
pub(crate) struct Windows {
    buffer: [u8; BUFFER],
}

impl Windows {
    pub fn new() -> Windows {
        Windows {
            buffer: [0; BUFFER],
        }
    }

    /// The window of `bytes` that starts at `at` (which must be inside them).
    #[inline(always)]
    pub fn read(&mut self, bytes: &[u8], at: usize) -> Window {
        let rest = bytes.get(at..).unwrap_or_default();
        let (valid, stop) = match rest.first_chunk::<WINDOW>() {
            Some(chunk) => {
                self.buffer[..WINDOW].copy_from_slice(chunk);
                let stop = if rest.len() == WINDOW {
                    Stop::TextEnd
                } else {
                    Stop::WindowEnd
                };
                (WINDOW, stop)
            }
            None => self.read_last(rest),
        };
        // One flag byte for each byte, in a loop that the compiler turns into vector
        // instructions (16 bytes at a time), where the same tests on eight bytes packed in
        // a number took twice the instructions. Each eight flags then go to one bit of each
        // byte of a number (the first eight's to the lowest bits), and the bits are
        // transposed into the window's order.
        let mut flags = [0u8; WINDOW];
        let mut any_byte = 0u8;
        for (flag, &byte) in flags.iter_mut().zip(&self.buffer[..WINDOW]) {
            let digit = byte.wrapping_sub(b'0') < 10;
            let letter = (byte | 0x20).wrapping_sub(b'a') < 26;
            *flag = if digit | letter { 0x80 } else { 0 };
            any_byte |= byte;
        }
        // Two lanes of eight bytes, each flag shifted to its eight's bit (the second lane's
        // one bit lower, shifted back after), which the compiler keeps in one vector.
        let mut lanes = [0u64; 2];
        let (sixteens, _) = flags.as_chunks::<16>();
        for (index, sixteen) in sixteens.iter().enumerate() {
            let (low, high) = sixteen.split_at(8);
            let shift = 7 - 2 * index;
            lanes[0] |= u64::from_le_bytes(low.try_into().unwrap_or_default()) >> shift;
            lanes[1] |= u64::from_le_bytes(high.try_into().unwrap_or_default()) >> shift;
        }
        let mut words = transpose(lanes[0] | lanes[1] << 1);
        let (mut limit, mut stop) = (valid, stop);
        if any_byte >= 0x80
            && let Some(first) = self.first_non_ascii(valid)
        {
            limit = first;
            stop = Stop::NonAscii;
            words &= below(first);
        }
        Window { words, limit, stop }
    }

    /// The text's last bytes, fewer than 64, padded with zeros (no letter, no digit).
    #[cold]
    #[inline(never)]
    fn read_last(&mut self, rest: &[u8]) -> (usize, Stop) {
        self.buffer = [0; BUFFER];
        self.buffer[..rest.len()].copy_from_slice(rest);
        (rest.len(), Stop::TextEnd)
    }

    /// Where the first byte past ASCII of the window's first `limit` is.
    #[cold]
    #[inline(never)]
    fn first_non_ascii(&self, limit: usize) -> Option<usize> {
        self.buffer[..limit].iter().position(|&byte| byte >= 0x80)
    }

    /// The 16 bytes from `start` (inside the window) as a little-endian number.
    #[inline(always)]
    pub fn sixteen_bytes(&self, start: usize) -> u128 {
        let start = start % WINDOW;
        let bytes = &self.buffer[start..start + 16];
        u128::from_le_bytes(bytes.try_into().unwrap_or_default())
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;

/// The top bit of each of the eight bytes packed in `bytes` (little-endian) set when that
/// byte is an ASCII letter or digit: each byte is tested at once, by additions whose top bit
/// says whether the byte reached a bound. The other bits are left as they fall. Only the
/// bytes before the first past ASCII are right: such a byte may carry into the next, and
/// its own top bit is as it falls (the scan word by word stops at it).
#[inline(always)]
pub(super) fn word_bytes(bytes: u64) -> u64 {
    let digit = bytes.wrapping_add(0x50 * ONES) & !bytes.wrapping_add(0x46 * ONES); // 0x30 ..= 0x39
    let folded = bytes | (0x20 * ONES);
    let letter = folded.wrapping_add(0x1f * ONES) & !folded.wrapping_add(0x05 * ONES); // 0x61 ..= 0x7a
    digit | letter
}

/// The 8 × 8 bits of `bits` transposed: bit `8 * i + j` goes to bit `8 * j + i` (Hacker's
/// Delight, 7-3), by three swaps of blocks of bits.
#[inline(always)]
fn transpose(mut bits: u64) -> u64 {
    let swap = (bits ^ (bits >> 7)) & 0x00aa_00aa_00aa_00aa;
    bits ^= swap ^ (swap << 7);
    let swap = (bits ^ (bits >> 14)) & 0x0000_cccc_0000_cccc;
    bits ^= swap ^ (swap << 14);
    let swap = (bits ^ (bits >> 28)) & 0x0000_0000_f0f0_f0f0;
    bits ^= swap ^ (swap << 28);
    bits
}

/// The bits below bit `count` (0 to 64).
#[inline(always)]
pub(crate) fn below(count: usize) -> u64 {
    u64::MAX
        .checked_shr(64u32.saturating_sub(count as u32))
        .filter(|_| count > 0)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The window the plain way, a byte at a time.
    fn reference(bytes: &[u8], at: usize) -> Window {
        let rest = &bytes[at..];
        let seen = rest.len().min(WINDOW);
        let first_high = rest[..seen].iter().position(|&byte| byte >= 0x80);
        let (limit, stop) = match first_high {
            Some(first) => (first, Stop::NonAscii),
            None if rest.len() <= WINDOW => (seen, Stop::TextEnd),
            None => (WINDOW, Stop::WindowEnd),
        };
        let mut words = 0;
        for (index, byte) in rest[..limit].iter().enumerate() {
            if byte.is_ascii_alphanumeric() {
                words |= 1 << index;
            }
        }
        Window { words, limit, stop }
    }

    proptest! {
        #[test]
        fn a_window_marks_the_letters_and_digits_the_plain_way_does(
            bytes in prop::collection::vec(any::<u8>(), 1..200),
            at in 0usize..200,
        ) {
            let at = at % bytes.len();
            let mut windows = Windows::new();
            prop_assert_eq!(windows.read(&bytes, at), reference(&bytes, at));
        }

        #[test]
        fn a_window_of_prose_marks_its_words(
            text in "[a-zA-Z0-9 ,.;:'()\\-é—]{1,150}",
            at in 0usize..150,
        ) {
            let bytes = text.as_bytes();
            let at = at % bytes.len();
            let mut windows = Windows::new();
            // A window read before must leave nothing behind.
            windows.read(b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 0);
            let window = windows.read(bytes, at);
            prop_assert_eq!(window, reference(bytes, at));
            for start in 0..window.limit {
                let mut expected = [0u8; 16];
                let end = bytes.len().min(at + start + 16);
                expected[..end - at - start].copy_from_slice(&bytes[at + start..end]);
                let got = windows.sixteen_bytes(start).to_le_bytes();
                let within = (window.limit - start).min(16);
                prop_assert_eq!(&got[..within], &expected[..within]);
            }
        }
    }

    #[test]
    fn a_transposition_moves_each_bit_across() {
        for bit in 0..64 {
            let (row, column) = (bit / 8, bit % 8);
            assert_eq!(transpose(1 << bit), 1 << (8 * column + row), "{bit}");
        }
    }

    #[test]
    fn below_keeps_the_low_bits() {
        assert_eq!(below(0), 0);
        assert_eq!(below(1), 1);
        assert_eq!(below(63), u64::MAX >> 1);
        assert_eq!(below(64), u64::MAX);
    }
}
