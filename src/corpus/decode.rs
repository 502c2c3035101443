//! Bytes of a source file to text: UTF-8 (a byte order mark removed), UTF-16 with a byte
//! order mark, or, for text that is not UTF-8, the legacy encoding that `chardetng` (the
//! detector Firefox uses) finds most likely, said in a note so that the user knows. Binary
//! files are refused.

/// How much of a file is looked at to tell binary from text.
const SNIFF_LEN: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Said when the text was not plain UTF-8, for the load report.
    pub note: Option<String>,
}

/// Decodes a file's bytes, or says why they are not text.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded, String> {
    if bytes.is_empty() {
        return Err("empty file".to_string());
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF")
        && let Ok(text) = std::str::from_utf8(rest)
    {
        return Ok(plain(text.to_string()));
    }
    for (bom, encoding) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if bytes.starts_with(bom) {
            let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[2..]);
            let mut note = format!("decoded from {}", encoding.name());
            if had_errors {
                note.push_str(" (with invalid sequences replaced)");
            }
            return Ok(Decoded {
                text: text.into_owned(),
                note: Some(note),
            });
        }
    }
    // NUL is valid UTF-8, so binary files are told apart before the UTF-8 check.
    if let Some(reason) = binary_reason(&bytes) {
        return Err(reason);
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(plain(text)),
        Err(error) => error.into_bytes(),
    };
    let invalid_at = std::str::from_utf8(&bytes)
        .err()
        .map_or(0, |error| error.valid_up_to());
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(&bytes, true);
    let encoding = detector.guess(None, true);
    let (text, _, _) = encoding.decode(&bytes);
    Ok(Decoded {
        text: text.into_owned(),
        note: Some(format!(
            "not UTF-8 (invalid byte 0x{:02X} at offset {invalid_at}); decoded as {}",
            bytes.get(invalid_at).copied().unwrap_or(0),
            encoding.name()
        )),
    })
}

fn plain(text: String) -> Decoded {
    Decoded { text, note: None }
}

/// 1 for a control byte that text does not hold (below space, but for tab, line feed, form
/// feed and carriage return), else 0: in comparisons without a branch or a lookup, which the
/// compiler runs on many bytes at once (below space, less the four of 9..=13 that are not 11).
fn control_flag(byte: u8) -> u8 {
    let from_tab = byte.wrapping_sub(b'\t');
    u8::from(byte < 0x20) - (u8::from(from_tab < 5) & u8::from(from_tab != 2))
}

/// Why the bytes look like a binary file: a NUL byte, or many control characters.
fn binary_reason(bytes: &[u8]) -> Option<String> {
    let sniff = &bytes[..bytes.len().min(SNIFF_LEN)];
    // NUL is a control byte: text with none (nearly all) is not searched for one.
    let controls = count_controls(sniff);
    if controls == 0 {
        return None;
    }
    if let Some(at) = memchr::memchr(0, sniff) {
        return Some(format!("binary file (NUL byte at offset {at})"));
    }
    (controls * 20 > sniff.len()).then(|| {
        format!(
            "binary file ({controls} control bytes in the first {} bytes)",
            sniff.len()
        )
    })
}

/// Bytes looked at once: a multiple of the widest vector, and no more than a byte's count
/// holds.
const BLOCK: usize = 64;

/// How many control bytes (`control_flag`) `bytes` has. Most blocks of text hold no byte
/// below a space (a line break every line or so): such a block is passed by its least byte,
/// which the compiler finds in wide instructions, and only the others are counted, without a
/// branch per byte. Every file is sniffed, and counting every block cost twice as much.
fn count_controls(bytes: &[u8]) -> usize {
    let count = |block: &[u8]| usize::from(block.iter().map(|&b| control_flag(b)).sum::<u8>());
    let (blocks, rest) = bytes.as_chunks::<BLOCK>();
    let whole: usize = blocks
        .iter()
        .map(|block| {
            let least = block.iter().fold(u8::MAX, |least, &byte| least.min(byte));
            if least < b' ' { count(block) } else { 0 }
        })
        .sum();
    whole + count(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(b"caf\xC3\xA9".to_vec()), Ok(plain("café".into())));
        assert_eq!(
            decode(b"\xEF\xBB\xBFcaf\xC3\xA9".to_vec()),
            Ok(plain("café".into()))
        );
    }

    #[test]
    fn utf16_with_bom() {
        let decoded = decode(b"\xFF\xFEh\0i\0".to_vec()).expect("utf-16");
        assert_eq!(decoded.text, "hi");
        assert!(decoded.note.is_some());
    }

    #[test]
    fn latin1_is_decoded_with_a_note() {
        let bytes = b"Caf\xE9 au lait in M\xFCnchen, said the na\xEFve reporter.".to_vec();
        let decoded = decode(bytes).expect("latin-1");
        assert_eq!(
            decoded.text,
            "Café au lait in München, said the naïve reporter."
        );
        let note = decoded.note.unwrap_or_default();
        assert!(note.contains("offset 3"), "{note}");
    }

    fn is_control(byte: u8) -> bool {
        byte < 0x20 && !matches!(byte, b'\t' | b'\n' | 0x0C | b'\r')
    }

    #[test]
    fn the_control_flag_is_the_control_test() {
        for byte in 0..=u8::MAX {
            assert_eq!(control_flag(byte), u8::from(is_control(byte)), "{byte}");
        }
    }

    proptest::proptest! {
        #[test]
        fn control_bytes_are_counted(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..1000)) {
            let expected = bytes.iter().filter(|&&b| is_control(b)).count();
            proptest::prop_assert_eq!(count_controls(&bytes), expected);
        }

        #[test]
        fn control_bytes_are_counted_in_text(text in "[a-z \n\t\r\x00\x01\x0b\x1f]{0,400}") {
            let expected = text.bytes().filter(|&b| is_control(b)).count();
            proptest::prop_assert_eq!(count_controls(text.as_bytes()), expected);
        }
    }

    #[test]
    fn binary_and_empty_files_are_refused() {
        assert!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()).is_err_and(|e| e.contains("NUL"))
        );
        assert!(decode(vec![0x01, 0x02, 0x03, 0xFF, 0x04]).is_err());
        assert_eq!(decode(vec![]), Err("empty file".to_string()));
    }
}
