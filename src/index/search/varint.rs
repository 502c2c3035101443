//! LEB128 varints: how postings keep paragraph gaps and term counts in a byte or two.

pub fn write(bytes: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        bytes.push((value as u8) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}

/// The value at `*at`, moving `*at` past it; `None` when the bytes end inside a varint.
#[inline]
pub fn read(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut value = 0u32;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u32::from(byte & 0x7f).checked_shl(shift)?;
        if byte < 0x80 {
            return Some(value);
        }
        shift += 7;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        let values = [0, 1, 127, 128, 300, 16_383, 16_384, u32::MAX];
        let mut bytes = Vec::new();
        for &value in &values {
            write(&mut bytes, value);
        }
        let mut at = 0;
        for &value in &values {
            assert_eq!(read(&bytes, &mut at), Some(value));
        }
        assert_eq!(read(&bytes, &mut at), None);
    }
}
