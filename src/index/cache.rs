//! The on-disk caches, under `.dossier/` by default:
//! - `index.cache`: each source's extraction, keyed by the file's path, size and modification
//!   time, so that a start after a change extracts only the files that changed;
//! - `index.snapshot`: the whole index as the last build left it, with the state of every
//!   file it was built from, so that a start where nothing changed only loads it.
//!
//! Each file: an 8-byte magic, the format version, a header payload's length and CRC-32,
//! then that payload (postcard), which names the extractor's version and the hash of the
//! analyst's `[[entity]]` tables (both change what extraction finds). Then the body, written
//! as it is made, and at the end what the body's checks need: the cache's entries then their
//! count, length and CRC-32 (see `entries`); the snapshot's sections then the table of their
//! lengths and CRC-32s, so that its parts are read and decoded in parallel. A file that fails
//! any check is discarded (the caller rebuilds and logs why). Writes go to a temporary file
//! that is renamed over the old one, so a crash mid-write leaves the old file or none.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::packed::{Fixed, STREAM_BYTES};
use crate::corpus::load::FileState;

mod entries;
mod extraction;
pub use entries::{CacheWriter, CachedEntries, CachedEntry, encode_entry};

/// Bumped when the snapshot's layout or a type it holds changes.
pub const SNAPSHOT_FORMAT: u32 = 10;
/// Bumped when the cache's layout or the encoding of its extractions changes (11: written
/// by hand, `cache::extraction`, where postcard wrote them).
pub const CACHE_FORMAT: u32 = 11;
/// Bumped when extraction changes what it finds in the same text.
pub const EXTRACTOR: &str = concat!(env!("CARGO_PKG_VERSION"), "/extract-2");
const HEADER: usize = 8 + 4 + 8 + 4;
pub const FILE_NAME: &str = "index.cache";
pub const SNAPSHOT_FILE_NAME: &str = "index.snapshot";
const MAGIC: &[u8; 8] = b"DOSSIER\0";
const SNAPSHOT_MAGIC: &[u8; 8] = b"DOSSNAP\0";

/// What was read from one file, and the file state it was read in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// The absolute path of the file.
    pub file: PathBuf,
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub modified: u128,
    /// What reading it said (a guessed encoding, front matter that did not parse).
    pub warnings: Vec<String>,
}

impl FileRecord {
    /// Whether the file is still as it was read: the same size and modification time.
    pub fn is_current(&self, state: Option<FileState>) -> bool {
        state == Some((self.size, self.modified))
    }
}

#[derive(Serialize)]
struct PayloadRef<'a, T> {
    extractor: &'a str,
    lexicon: u64,
    body: T,
}

#[derive(Deserialize)]
struct Payload<T> {
    extractor: String,
    lexicon: u64,
    body: T,
}

/// A snapshot's parts, each encoded on its own (see `index::snapshot`).
pub fn encode<T: Serialize>(part: &T) -> std::io::Result<Vec<u8>> {
    postcard::to_stdvec(part).map_err(std::io::Error::other)
}

/// Encodes `part` into `out` as it goes, without a copy in memory.
pub fn encode_into<T: Serialize>(out: &mut dyn Write, part: &T) -> std::io::Result<()> {
    postcard::to_io(part, out)
        .map(|_| ())
        .map_err(std::io::Error::other)
}

/// The length and CRC-32 of each section of a snapshot, in order.
#[derive(Serialize, Deserialize)]
struct SectionTable(Vec<(u64, u32)>);

/// Bytes at the end of a snapshot: the length (u64) and CRC-32 of its section table.
const TRAILER: u64 = 8 + 4;

/// A snapshot section's encoder: writes the section to the file.
pub type SectionWriter<'a> = &'a dyn Fn(&mut dyn Write) -> std::io::Result<()>;

/// Writes a snapshot atomically: a header, each section as its writer encodes it straight
/// into the file (no section is held in memory whole), then the table of the sections'
/// lengths and checksums, then the table's own length and checksum.
pub fn write_snapshot(
    path: &Path,
    lexicon: u64,
    sections: &[SectionWriter],
) -> std::io::Result<()> {
    let head = encode(&PayloadRef {
        extractor: EXTRACTOR,
        lexicon,
        body: (),
    })?;
    write_atomically(path, |file| {
        write_header(file, SNAPSHOT_MAGIC, SNAPSHOT_FORMAT, &[&head])?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        let mut table = Vec::with_capacity(sections.len());
        for write_section in sections {
            let mut tally = Tally::new(&mut out);
            write_section(&mut tally)?;
            table.push((tally.length, tally.checksum.finalize()));
        }
        let table = encode(&SectionTable(table))?;
        out.write_all(&table)?;
        out.write_all(&(table.len() as u64).to_le_bytes())?;
        out.write_all(&crc32fast::hash(&table).to_le_bytes())?;
        out.flush()
    })
}

/// A writer that counts and checksums what goes through it.
struct Tally<W> {
    inner: W,
    length: u64,
    checksum: crc32fast::Hasher,
}

impl<W: Write> Tally<W> {
    fn new(inner: W) -> Tally<W> {
        Tally {
            inner,
            length: 0,
            checksum: crc32fast::Hasher::new(),
        }
    }
}

impl<W: Write> Write for Tally<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.length += written as u64;
        self.checksum.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A snapshot whose header passed its checks: its sections are read and checked one at a
/// time, from any thread.
pub struct Snapshot {
    path: PathBuf,
    /// Each section's offset in the file, length and CRC-32.
    sections: Vec<(u64, u64, u32)>,
}

impl Snapshot {
    /// Reads a snapshot's header, or says why the snapshot cannot be used.
    pub fn open(path: &Path, lexicon: u64) -> Result<Snapshot, String> {
        let mut file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
        let (payload, end) = read_header(&mut file, SNAPSHOT_MAGIC, SNAPSHOT_FORMAT, false)?;
        let () = decode_payload(&payload, lexicon)?;
        let (table_start, table) = read_section_table(&mut file, end)?;
        let mut offset = end;
        let mut sections = Vec::with_capacity(table.len());
        for (length, checksum) in table {
            sections.push((offset, length, checksum));
            offset = offset.checked_add(length).ok_or("impossible length")?;
        }
        if offset != table_start {
            return Err("truncated".to_string());
        }
        Ok(Snapshot {
            path: path.to_path_buf(),
            sections,
        })
    }

    /// Decodes section `number`, once its length and checksum hold.
    pub fn section<T: DeserializeOwned>(&self, number: usize) -> Result<T, String> {
        let &(offset, length, checksum) = self.sections.get(number).ok_or("missing section")?;
        let length = usize::try_from(length).map_err(|_| "impossible length".to_string())?;
        // A file of its own per section, so that threads read theirs without a shared cursor.
        let mut file = std::fs::File::open(&self.path).map_err(|e| format!("cannot read: {e}"))?;
        let mut bytes = vec![0; length];
        read_at(&mut file, offset, &mut bytes)?;
        if crc32fast::hash(&bytes) != checksum {
            return Err("checksum mismatch".to_string());
        }
        postcard::from_bytes(&bytes).map_err(|e| format!("cannot decode: {e}"))
    }

    /// Reads section `number`, a run of fixed-size records (`packed::write_records`), cut
    /// into lists of `lengths` records. The records go from the file into their lists a
    /// buffer at a time, without a copy of the whole section in between: at 100k sources
    /// these sections are hundreds of megabytes.
    pub fn record_lists<T: Fixed>(
        &self,
        number: usize,
        lengths: &[u32],
    ) -> Result<Vec<Vec<T>>, String> {
        let &(offset, length, checksum) = self.sections.get(number).ok_or("missing section")?;
        let records: u64 = lengths.iter().map(|&count| u64::from(count)).sum();
        if records.checked_mul(T::SIZE as u64) != Some(length) {
            return Err("inconsistent snapshot".to_string());
        }
        let mut file = std::fs::File::open(&self.path).map_err(|e| format!("cannot read: {e}"))?;
        file.seek(SeekFrom::Start(offset))
            .map_err(|_| "truncated".to_string())?;
        let mut reader = RecordReader {
            file: file.take(length),
            buffer: Vec::new(),
            at: 0,
            checksum: crc32fast::Hasher::new(),
        };
        let mut lists = Vec::with_capacity(lengths.len());
        for &count in lengths {
            lists.push(reader.take(count as usize)?);
        }
        if reader.checksum.finalize() != checksum {
            return Err("checksum mismatch".to_string());
        }
        Ok(lists)
    }

    /// Reads section `number`, a run of fixed-size records, whole.
    pub fn records<T: Fixed>(&self, number: usize) -> Result<Vec<T>, String> {
        let &(_, length, _) = self.sections.get(number).ok_or("missing section")?;
        let count = u32::try_from(length / T::SIZE as u64).map_err(|_| "impossible length")?;
        let mut lists = self.record_lists(number, &[count])?;
        Ok(lists.pop().unwrap_or_default())
    }
}

/// Records read from a section a buffer at a time, with the section's checksum taken as
/// they pass.
struct RecordReader {
    file: std::io::Take<std::fs::File>,
    buffer: Vec<u8>,
    /// How much of `buffer` was decoded.
    at: usize,
    checksum: crc32fast::Hasher,
}

impl RecordReader {
    /// The next `count` records. The caller checked that the section holds them all.
    fn take<T: Fixed>(&mut self, count: usize) -> Result<Vec<T>, String> {
        let mut records = Vec::with_capacity(count);
        let mut wanted = count * T::SIZE;
        while wanted > 0 {
            if self.at == self.buffer.len() {
                self.refill(T::SIZE)?;
            }
            // The buffer holds whole records, so this is whole records too.
            let bytes = wanted.min(self.buffer.len() - self.at);
            T::extend_from(&mut records, &self.buffer[self.at..self.at + bytes]);
            self.at += bytes;
            wanted -= bytes;
        }
        Ok(records)
    }

    /// Reads the next buffer: whole records of `size` bytes, since the section is.
    fn refill(&mut self, size: usize) -> Result<(), String> {
        let left = usize::try_from(self.file.limit()).unwrap_or(usize::MAX);
        let bytes = left.min(STREAM_BYTES / size * size);
        if bytes == 0 {
            return Err("truncated".to_string());
        }
        self.buffer.resize(bytes, 0);
        self.file
            .read_exact(&mut self.buffer)
            .map_err(|_| "truncated".to_string())?;
        self.checksum.update(&self.buffer);
        self.at = 0;
        Ok(())
    }
}

/// The section table at the end of a snapshot whose sections start at `sections_start`, and
/// where the table starts.
fn read_section_table(
    file: &mut std::fs::File,
    sections_start: u64,
) -> Result<(u64, Vec<(u64, u32)>), String> {
    let trailer_start = file_size(file)?
        .checked_sub(TRAILER)
        .filter(|&start| start >= sections_start)
        .ok_or("truncated")?;
    let mut trailer = [0u8; TRAILER as usize];
    read_at(file, trailer_start, &mut trailer)?;
    let mut length = [0u8; 8];
    length.copy_from_slice(&trailer[..8]);
    let mut checksum = [0u8; 4];
    checksum.copy_from_slice(&trailer[8..]);
    let table_start = trailer_start
        .checked_sub(u64::from_le_bytes(length))
        .filter(|&start| start >= sections_start)
        .ok_or("truncated")?;
    let mut table = vec![0u8; (trailer_start - table_start) as usize];
    read_at(file, table_start, &mut table)?;
    if crc32fast::hash(&table) != u32::from_le_bytes(checksum) {
        return Err("checksum mismatch".to_string());
    }
    let SectionTable(table) =
        postcard::from_bytes(&table).map_err(|e| format!("cannot decode: {e}"))?;
    Ok((table_start, table))
}

/// The size of an open file.
fn file_size(file: &std::fs::File) -> Result<u64, String> {
    file.metadata()
        .map(|metadata| metadata.len())
        .map_err(|e| format!("cannot read: {e}"))
}

/// Fills `bytes` from `offset` in `file`; a file too short for them is truncated.
fn read_at(file: &mut std::fs::File, offset: u64, bytes: &mut [u8]) -> Result<(), String> {
    file.seek(SeekFrom::Start(offset))
        .and_then(|_| file.read_exact(bytes))
        .map_err(|_| "truncated".to_string())
}

/// The payload of a header with this magic and format, and where the payload ends.
fn read_header(
    file: &mut std::fs::File,
    magic: &[u8; 8],
    expected: u32,
    ends_file: bool,
) -> Result<(Vec<u8>, u64), String> {
    let mut header = [0u8; HEADER];
    file.read_exact(&mut header)
        .map_err(|_| "not a Dossier cache".to_string())?;
    if &header[..8] != magic {
        return Err("not a Dossier cache".to_string());
    }
    let number = |at: usize, len: usize| -> u64 {
        let mut value = [0u8; 8];
        value[..len].copy_from_slice(&header[at..at + len]);
        u64::from_le_bytes(value)
    };
    let format = number(8, 4);
    if format != u64::from(expected) {
        return Err(format!("format {format}, this Dossier writes {expected}"));
    }
    let length = number(12, 8);
    let checksum = number(20, 4);
    let end = (HEADER as u64)
        .checked_add(length)
        .ok_or("impossible length")?;
    let size = file_size(file)?;
    if size < end || (ends_file && size != end) {
        return Err("truncated".to_string());
    }
    let length = usize::try_from(length).map_err(|_| "impossible length".to_string())?;
    let mut payload = vec![0; length];
    file.read_exact(&mut payload)
        .map_err(|_| "truncated".to_string())?;
    if u64::from(crc32fast::hash(&payload)) != checksum {
        return Err("checksum mismatch".to_string());
    }
    Ok((payload, end))
}

fn decode_payload<T: DeserializeOwned>(payload: &[u8], lexicon: u64) -> Result<T, String> {
    let payload: Payload<T> =
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
    Ok(payload.body)
}

/// Writes a temporary file with `write`, then renames it over `path`: a reader sees the
/// old file or the new one, never a part.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut temporary = Temporary::create(path)?;
    write(&mut temporary.file)?;
    temporary.commit()
}

/// A file being written beside `path`, renamed over it once complete; removed if dropped
/// before.
struct Temporary {
    file: std::fs::File,
    temporary: PathBuf,
    path: PathBuf,
    committed: bool,
}

impl Temporary {
    fn create(path: &Path) -> std::io::Result<Temporary> {
        let folder = path
            .parent()
            .ok_or_else(|| std::io::Error::other("the cache path has no folder"))?;
        std::fs::create_dir_all(folder)?;
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        remove_stale_temporaries(folder, &name);
        let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
        Ok(Temporary {
            file: std::fs::File::create(&temporary)?,
            temporary,
            path: path.to_path_buf(),
            committed: false,
        })
    }

    /// Flushes the file to disk and renames it over `path`.
    fn commit(mut self) -> std::io::Result<()> {
        self.file.sync_all()?;
        std::fs::rename(&self.temporary, &self.path)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

/// The magic, the format, the payload's length and checksum, then the payload (given in
/// parts).
fn write_header(
    out: &mut impl Write,
    magic: &[u8; 8],
    format: u32,
    payload: &[&[u8]],
) -> std::io::Result<()> {
    let length: usize = payload.iter().map(|part| part.len()).sum();
    let mut checksum = crc32fast::Hasher::new();
    for part in payload {
        checksum.update(part);
    }
    out.write_all(magic)?;
    out.write_all(&format.to_le_bytes())?;
    out.write_all(&(length as u64).to_le_bytes())?;
    out.write_all(&checksum.finalize().to_le_bytes())?;
    for part in payload {
        out.write_all(part)?;
    }
    Ok(())
}

/// Temporary files that a killed writer left behind, once they are old enough not to be
/// another writer's at work.
fn remove_stale_temporaries(folder: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let prefix = format!(".{name}.");
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
