//! The extraction cache (`index.cache`): each source's extraction with the state of the file
//! it was read from. Written an entry at a time while the corpus is read, so that a build
//! never holds every extraction; read back whole, but an entry's extraction is decoded only
//! when its file turns out unchanged.
//!
//! After the header: the entries, each the file's record (postcard), then its extraction's
//! length (u32) and bytes (`extraction`); then a trailer of the entries' count, length and
//! CRC-32.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::extraction::{decode_extraction, encode_extraction};
use super::{
    CACHE_FORMAT, EXTRACTOR, FileRecord, MAGIC, PayloadRef, Temporary, decode_payload, encode,
    file_size, read_at, read_header, write_header,
};
use crate::corpus::load::FileState;
use crate::extract::Extraction;

/// The count (u64), length (u64) and CRC-32 of the entries, at the end of the file.
const TRAILER: usize = 8 + 8 + 4;

/// One file's entry, as the cache file holds it: encoded while the file is read.
pub fn encode_entry(record: &FileRecord, extraction: &Extraction) -> std::io::Result<Vec<u8>> {
    thread_local! {
        // What the record and the extraction are encoded into, kept from one source to the
        // next, so that neither is grown nor zeroed again; the entry is then made at its
        // exact size from them.
        static SCRATCH: std::cell::RefCell<(Vec<u8>, Vec<u8>)> =
            const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    SCRATCH.with_borrow_mut(|(head, room)| {
        head.clear();
        *head = postcard::to_extend(record, std::mem::take(head)).map_err(std::io::Error::other)?;
        let extraction = encode_extraction(extraction, room);
        let length = u32::try_from(extraction.len())
            .map_err(|_| std::io::Error::other("an extraction past 4 GiB"))?;
        let mut entry = Vec::with_capacity(head.len() + LENGTH + extraction.len());
        entry.extend_from_slice(head);
        entry.extend_from_slice(&length.to_le_bytes());
        entry.extend_from_slice(extraction);
        Ok(entry)
    })
}

/// Bytes of an entry's extraction length (u32).
const LENGTH: usize = 4;

/// A cache file being written, an entry at a time; it replaces the old one on `finish`, and
/// is removed if dropped before.
pub struct CacheWriter {
    out: BufWriter<Temporary>,
    count: u64,
    length: u64,
    checksum: crc32fast::Hasher,
}

impl Write for Temporary {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.file.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl CacheWriter {
    pub fn create(path: &Path, lexicon: u64) -> std::io::Result<CacheWriter> {
        let head = encode(&PayloadRef {
            extractor: EXTRACTOR,
            lexicon,
            body: (),
        })?;
        let mut out = BufWriter::with_capacity(1 << 20, Temporary::create(path)?);
        write_header(&mut out, MAGIC, CACHE_FORMAT, &[&head])?;
        Ok(CacheWriter {
            out,
            count: 0,
            length: 0,
            checksum: crc32fast::Hasher::new(),
        })
    }

    /// Appends an entry made by [`encode_entry`].
    pub fn push(&mut self, entry: &[u8]) -> std::io::Result<()> {
        self.out.write_all(entry)?;
        self.count += 1;
        self.length += entry.len() as u64;
        self.checksum.update(entry);
        Ok(())
    }

    /// Writes the trailer and puts the file in place of the old one.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.write_all(&self.count.to_le_bytes())?;
        self.out.write_all(&self.length.to_le_bytes())?;
        self.out
            .write_all(&self.checksum.finalize().to_le_bytes())?;
        let temporary = self.out.into_inner().map_err(|error| error.into_error())?;
        temporary.commit()
    }
}

/// The entries of a cache file, by absolute path; each decoded when asked for.
#[derive(Debug, Default)]
pub struct CachedEntries {
    bytes: Vec<u8>,
    by_file: HashMap<PathBuf, CachedAt>,
}

#[derive(Debug)]
struct CachedAt {
    record: FileRecord,
    /// The whole entry in `bytes`.
    entry: Range<usize>,
    /// Its extraction in `bytes`.
    extraction: Range<usize>,
}

/// A cache entry whose file is unchanged.
pub struct CachedEntry<'a> {
    pub record: &'a FileRecord,
    /// The entry as the file holds it, to write again as it is.
    pub encoded: &'a [u8],
    extraction: &'a [u8],
}

impl CachedEntry<'_> {
    /// The extraction, or `None` if it does not decode.
    pub fn extraction(&self) -> Option<Extraction> {
        decode_extraction(self.extraction)
    }
}

impl CachedEntries {
    /// Reads a cache made by this extractor with these `[[entity]]` tables, or says why it
    /// cannot be used.
    pub fn read(path: &Path, lexicon: u64) -> Result<CachedEntries, String> {
        let mut file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
        let (payload, start) = read_header(&mut file, MAGIC, CACHE_FORMAT, false)?;
        let () = decode_payload(&payload, lexicon)?;
        let length = file_size(&file)?
            .checked_sub(start)
            .and_then(|rest| usize::try_from(rest).ok())
            .and_then(|rest| rest.checked_sub(TRAILER))
            .ok_or("truncated")?;
        let mut bytes = vec![0; length];
        let mut trailer = [0u8; TRAILER];
        read_at(&mut file, start, &mut bytes)?;
        read_at(&mut file, start + length as u64, &mut trailer)?;
        let number = |at: usize| {
            let mut value = [0u8; 8];
            value.copy_from_slice(&trailer[at..at + 8]);
            u64::from_le_bytes(value)
        };
        let (count, written) = (number(0), number(8));
        let mut checksum = [0u8; 4];
        checksum.copy_from_slice(&trailer[16..]);
        if written != length as u64 {
            return Err("truncated".to_string());
        }
        if crc32fast::hash(&bytes) != u32::from_le_bytes(checksum) {
            return Err("checksum mismatch".to_string());
        }
        let by_file = index_entries(&bytes, count)?;
        Ok(CachedEntries { bytes, by_file })
    }

    /// The entry of `file` (absolute), if the file is still in `state`.
    pub fn current(&self, file: &Path, state: Option<FileState>) -> Option<CachedEntry<'_>> {
        let at = self.by_file.get(file)?;
        at.record.is_current(state).then(|| CachedEntry {
            record: &at.record,
            encoded: &self.bytes[at.entry.clone()],
            extraction: &self.bytes[at.extraction.clone()],
        })
    }
}

/// Where each of the `count` entries in `bytes` is, by file.
fn index_entries(bytes: &[u8], count: u64) -> Result<HashMap<PathBuf, CachedAt>, String> {
    let damaged = |_| "cannot decode an entry".to_string();
    let mut by_file = HashMap::new();
    let mut rest = bytes;
    for _ in 0..count {
        let start = bytes.len() - rest.len();
        let (record, after): (FileRecord, _) = postcard::take_from_bytes(rest).map_err(damaged)?;
        let (length, after) = after
            .split_first_chunk::<LENGTH>()
            .ok_or("cannot decode an entry")?;
        let length = u32::from_le_bytes(*length) as usize;
        let extraction_start = bytes.len() - after.len();
        if length > after.len() {
            return Err("cannot decode an entry".to_string());
        }
        rest = &after[length..];
        let end = bytes.len() - rest.len();
        by_file.insert(
            record.file.clone(),
            CachedAt {
                record,
                entry: start..end,
                extraction: extraction_start..extraction_start + length,
            },
        );
    }
    if !rest.is_empty() {
        return Err("cannot decode an entry".to_string());
    }
    Ok(by_file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_bundled;
    use crate::extract::{extract, lexicon::Lexicon};

    fn record(n: u64) -> FileRecord {
        FileRecord {
            file: PathBuf::from(format!("/nowhere/{n}.txt")),
            size: n,
            modified: 2,
            warnings: vec!["a note".to_string()],
        }
    }

    fn write(path: &Path, lexicon: u64, entries: &[(FileRecord, Extraction)]) {
        let mut writer = CacheWriter::create(path, lexicon).expect("created");
        for (record, extraction) in entries {
            writer
                .push(&encode_entry(record, extraction).expect("encoded"))
                .expect("pushed");
        }
        writer.finish().expect("written");
    }

    fn write_seed(path: &Path, lexicon: u64) -> (FileRecord, Extraction) {
        let source = load_bundled().sources.remove(0);
        let extraction = extract(&source, Lexicon::built_in());
        write(path, lexicon, &[(record(1), extraction.clone())]);
        (record(1), extraction)
    }

    #[test]
    fn the_cache_round_trips() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join(super::super::FILE_NAME);
        let (record, extraction) = write_seed(&path, 7);
        let read = CachedEntries::read(&path, 7).expect("read");
        let entry = read
            .current(&record.file, Some((record.size, record.modified)))
            .expect("current");
        assert_eq!(*entry.record, record);
        assert_eq!(entry.extraction(), Some(extraction.clone()));
        assert_eq!(
            entry.encoded,
            encode_entry(&record, &extraction).expect("encoded")
        );
        assert!(
            read.current(&record.file, Some((record.size + 1, 2)))
                .is_none()
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
    fn many_entries_read_back_each_by_its_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("index.cache");
        let entries: Vec<(FileRecord, Extraction)> = (0..300)
            .map(|n| (record(n), Extraction::default()))
            .collect();
        write(&path, 1, &entries);
        let read = CachedEntries::read(&path, 1).expect("read");
        for (record, _) in &entries {
            let entry = read.current(&record.file, Some((record.size, 2)));
            assert_eq!(entry.map(|entry| entry.record), Some(record));
        }
    }

    #[test]
    fn a_writer_dropped_before_finishing_leaves_the_old_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("index.cache");
        write_seed(&path, 7);
        let before = std::fs::read(&path).expect("bytes");
        let mut writer = CacheWriter::create(&path, 7).expect("created");
        writer.push(b"half an entry").expect("pushed");
        drop(writer);
        assert_eq!(std::fs::read(&path).expect("bytes"), before);
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1);
    }

    #[test]
    fn damaged_or_foreign_caches_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("index.cache");
        write_seed(&path, 7);
        let good = std::fs::read(&path).expect("bytes");
        assert!(CachedEntries::read(&path, 8).is_err_and(|e| e.contains("entity")));

        std::fs::write(&path, &good[..good.len() / 2]).expect("truncate");
        assert!(CachedEntries::read(&path, 7).is_err_and(|e| e.contains("truncated")));

        let mut flipped = good.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0xFF;
        std::fs::write(&path, &flipped).expect("flip");
        assert!(CachedEntries::read(&path, 7).is_err_and(|e| e.contains("checksum")));

        std::fs::write(&path, b"something else entirely").expect("garbage");
        assert!(CachedEntries::read(&path, 7).is_err());
        assert!(CachedEntries::read(&dir.path().join("missing"), 7).is_err());
    }
}
