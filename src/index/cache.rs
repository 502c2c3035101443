//! The on-disk index cache: each source with its extraction, keyed by the file's path, size
//! and modification time, so that a start re-reads only the files that changed.
//!
//! Layout: an 8-byte magic, the format version, the payload's length and CRC-32, then the
//! payload (postcard). The payload names the extractor's version and the hash of the
//! analyst's `[[entity]]` tables, which both change what extraction finds. A file that fails
//! any check is discarded (the caller rebuilds and logs why). Writes go to a temporary file
//! that is renamed over the old one, so a crash mid-write leaves the old cache or none.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::corpus::Source;
use crate::extract::Extraction;

const MAGIC: &[u8; 8] = b"DOSSIER\0";
/// Bumped when the file layout or a cached type changes.
pub const FORMAT: u32 = 1;
/// Bumped when extraction changes what it finds in the same text.
pub const EXTRACTOR: &str = concat!(env!("CARGO_PKG_VERSION"), "/extract-1");
const HEADER: usize = 8 + 4 + 8 + 4;
pub const FILE_NAME: &str = "index.cache";

/// A source as it was read and extracted, and the file state it was read from.
#[derive(Debug, Clone, Deserialize)]
pub struct Entry {
    /// The absolute path of the file.
    pub file: PathBuf,
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub modified: u128,
    /// What reading it said (a guessed encoding, front matter that did not parse).
    pub warnings: Vec<String>,
    pub source: Source,
    pub extraction: Extraction,
}

/// An entry to write, borrowed: the same fields in the same order as `Entry`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct EntryRef<'a> {
    pub file: &'a Path,
    pub size: u64,
    pub modified: u128,
    pub warnings: &'a [String],
    pub source: &'a Source,
    pub extraction: &'a Extraction,
}

#[derive(Serialize)]
struct PayloadRef<'a> {
    extractor: &'a str,
    lexicon: u64,
    entries: &'a [EntryRef<'a>],
}

#[derive(Deserialize)]
struct Payload {
    extractor: String,
    lexicon: u64,
    entries: Vec<Entry>,
}

/// The size and modification time that key a file's entry.
pub fn file_state(path: &Path) -> Option<(u64, u128)> {
    let metadata = std::fs::metadata(path).ok()?;
    let modified = metadata
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((metadata.len(), modified))
}

/// Reads a cache file made by this extractor with these `[[entity]]` tables, or says why it
/// cannot be used.
pub fn read(path: &Path, lexicon: u64) -> Result<HashMap<PathBuf, Entry>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return Err("not a Dossier cache".to_string());
    }
    let number = |at: usize, len: usize| -> u64 {
        let mut value = [0u8; 8];
        value[..len].copy_from_slice(&bytes[at..at + len]);
        u64::from_le_bytes(value)
    };
    let format = number(8, 4);
    if format != u64::from(FORMAT) {
        return Err(format!("format {format}, this Dossier writes {FORMAT}"));
    }
    let length = usize::try_from(number(12, 8)).map_err(|_| "impossible length".to_string())?;
    let checksum = number(20, 4);
    let payload = bytes
        .get(HEADER..)
        .filter(|p| p.len() == length)
        .ok_or("truncated")?;
    if u64::from(crc32fast::hash(payload)) != checksum {
        return Err("checksum mismatch".to_string());
    }
    let payload: Payload =
        postcard::from_bytes(payload).map_err(|e| format!("cannot decode: {e}"))?;
    if payload.extractor != EXTRACTOR {
        return Err(format!(
            "made by extractor {}, this is {EXTRACTOR}",
            payload.extractor
        ));
    }
    if payload.lexicon != lexicon {
        return Err("the [[entity]] tables of dossier.toml changed".to_string());
    }
    Ok(payload
        .entries
        .into_iter()
        .map(|entry| (entry.file.clone(), entry))
        .collect())
}

/// Writes the cache atomically: a temporary file in the same folder, flushed to disk, then
/// renamed over the old cache.
pub fn write(path: &Path, entries: &[EntryRef<'_>], lexicon: u64) -> std::io::Result<()> {
    let payload = PayloadRef {
        extractor: EXTRACTOR,
        lexicon,
        entries,
    };
    let body = postcard::to_stdvec(&payload).map_err(std::io::Error::other)?;
    let folder = path
        .parent()
        .ok_or_else(|| std::io::Error::other("the cache path has no folder"))?;
    std::fs::create_dir_all(folder)?;
    remove_stale_temporaries(folder);
    let temporary = folder.join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(MAGIC)?;
    file.write_all(&FORMAT.to_le_bytes())?;
    file.write_all(&(body.len() as u64).to_le_bytes())?;
    file.write_all(&crc32fast::hash(&body).to_le_bytes())?;
    file.write_all(&body)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temporary, path)
}

/// Temporary files that a killed writer left behind, once they are old enough not to be
/// another writer's at work.
fn remove_stale_temporaries(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let prefix = format!(".{FILE_NAME}.");
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age.as_secs() >= 60);
        if name.starts_with(&prefix) && name.ends_with(".tmp") && stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A stable hash of the analyst's entities (FNV-1a over their debug form).
pub fn lexicon_hash(entities: &[crate::config::EntityConfig]) -> u64 {
    let text = format!("{entities:?}");
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_bundled;
    use crate::extract::{extract, lexicon::Lexicon};

    fn write_seed(path: &Path, lexicon: u64) -> (crate::corpus::Source, Extraction) {
        let source = load_bundled().sources.remove(0);
        let extraction = extract(&source, Lexicon::built_in());
        let warnings = vec!["a note".to_string()];
        let entry = EntryRef {
            file: Path::new("/nowhere/seed.txt"),
            size: 1,
            modified: 2,
            warnings: &warnings,
            source: &source,
            extraction: &extraction,
        };
        write(path, &[entry], lexicon).expect("written");
        (source, extraction)
    }

    #[test]
    fn the_cache_round_trips() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join(FILE_NAME);
        let (source, extraction) = write_seed(&path, 7);
        let read = read(&path, 7).expect("read");
        let entry = &read[Path::new("/nowhere/seed.txt")];
        assert_eq!(entry.source, source);
        assert_eq!(entry.extraction, extraction);
        assert_eq!(
            (entry.size, entry.modified, entry.warnings.as_slice()),
            (1, 2, ["a note".to_string()].as_slice())
        );
        assert!(
            std::fs::read_dir(path.parent().expect("folder"))
                .expect("list")
                .count()
                == 1,
            "no temporary file left"
        );
    }

    #[test]
    fn damaged_or_foreign_caches_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(FILE_NAME);
        write_seed(&path, 7);
        let good = std::fs::read(&path).expect("bytes");
        assert!(read(&path, 8).is_err_and(|e| e.contains("entity")));

        std::fs::write(&path, &good[..good.len() / 2]).expect("truncate");
        assert!(read(&path, 7).is_err_and(|e| e.contains("truncated")));

        let mut flipped = good.clone();
        let last = flipped.len() - 10;
        flipped[last] ^= 0xFF;
        std::fs::write(&path, &flipped).expect("flip");
        assert!(read(&path, 7).is_err_and(|e| e.contains("checksum")));

        std::fs::write(&path, b"something else entirely").expect("garbage");
        assert!(read(&path, 7).is_err());
        assert!(read(&dir.path().join("missing"), 7).is_err());
    }
}
