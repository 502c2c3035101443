//! Reading the corpus: the only place that touches source files.
//!
//! Walks the configured paths (hidden folders skipped, `.gitignore` honoured, symlinks
//! followed with loop detection), reads and decodes each file in parallel, and parses it with
//! its layout. A file that cannot be read becomes a `LoadProblem` with its path and reason;
//! it never stops the rest of the corpus from loading.

use std::collections::HashSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::decode::{Decoded, decode};
use super::keys::assign_keys;
use super::layout::{Layout, parse_markdown, parse_plain};
use super::source::{Origin, Source};

/// Files above this size are refused: they are not articles, and reading them would cost
/// the memory of the whole corpus.
pub const MAX_SOURCE_BYTES: u64 = 256 * 1024 * 1024;

const NOT_REGULAR: &str = "not a regular file (a FIFO, socket, device or folder)";

/// The extensions read when walking a directory. A file named on its own is read whatever
/// its extension.
pub const SOURCE_EXTENSIONS: [&str; 3] = ["txt", "md", "markdown"];

/// The seed article, compiled into the binary so that an installed `dossier` works anywhere.
pub const BUNDLED: [(&str, &str); 1] = [(
    "seeds/000_66373d9ec02ed63b.txt",
    include_str!("../../seeds/000_66373d9ec02ed63b.txt"),
)];

/// A file that was skipped, or read with a warning, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    /// As shown to people: relative to the workspace root where it can be.
    pub path: String,
    pub reason: String,
    /// Whether the file was left out of the corpus (or only read with a warning).
    pub skipped: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub sources: Vec<Source>,
    pub problems: Vec<LoadProblem>,
}

/// The corpus compiled into the binary.
pub fn load_bundled() -> Corpus {
    let mut sources: Vec<Source> = BUNDLED
        .iter()
        .map(|(name, text)| {
            let layout = parse_layout(name, text);
            source_from_layout(
                name.to_string(),
                Origin::Bundled(name.to_string()),
                text.to_string(),
                layout,
            )
        })
        .collect();
    assign_keys(&mut sources);
    Corpus {
        sources,
        problems: Vec::new(),
    }
}

/// Loads the sources under `paths` (relative to `root`, or absolute).
pub fn load(root: &Path, paths: &[String]) -> Corpus {
    let mut problems = Vec::new();
    let files = list_files(root, paths, &mut problems);
    let results: Vec<Result<(Source, Vec<String>), LoadProblem>> = files
        .par_iter()
        .map(|file| read_source(root, file))
        .collect();
    let mut sources = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok((source, warnings)) => {
                problems.extend(warnings.into_iter().map(|reason| LoadProblem {
                    path: source.path.clone(),
                    reason,
                    skipped: false,
                }));
                sources.push(source);
            }
            Err(problem) => problems.push(problem),
        }
    }
    for (index, reason) in assign_keys(&mut sources) {
        problems.push(LoadProblem {
            path: sources[index].path.clone(),
            reason,
            skipped: false,
        });
    }
    Corpus { sources, problems }
}

/// Every source file under `paths`, sorted and without duplicates (a file reached twice,
/// through a symlink or two configured paths, is read once).
pub fn list_files(root: &Path, paths: &[String], problems: &mut Vec<LoadProblem>) -> Vec<PathBuf> {
    list_files_with_states(root, paths, problems)
        .into_iter()
        .map(|(file, _)| file)
        .collect()
}

/// `list_files`, each file with its state: the one `stat` that tells duplicates apart also
/// gives what keys the file's cache entry, so that a build never asks for it again.
pub fn list_files_with_states(
    root: &Path,
    paths: &[String],
    problems: &mut Vec<LoadProblem>,
) -> Vec<(PathBuf, Option<FileState>)> {
    let mut files = Vec::new();
    for configured in paths {
        let start = root.join(configured);
        if !start.exists() {
            problems.push(LoadProblem {
                path: configured.clone(),
                reason: "configured corpus path does not exist".to_string(),
                skipped: true,
            });
            continue;
        }
        if start.is_file() {
            files.push(start);
            continue;
        }
        walk_directory(root, &start, &mut files, problems);
    }
    super::path_order::sort_paths(&mut files);
    let stated: Vec<(FileIdentity, Option<FileState>)> =
        files.par_iter().map(|path| stat(path)).collect();
    // The same file reached twice (two configured paths, a symlink) is read once.
    let mut seen = HashSet::new();
    files
        .into_iter()
        .zip(stated)
        .filter_map(|(file, (identity, state))| seen.insert(identity).then_some((file, state)))
        .collect()
}

/// A file's size and modification time (nanoseconds since the epoch), as they were before it
/// was read: what keys its entry in the index cache.
pub type FileState = (u64, u128);

/// The state `metadata` gives, if the system knows modification times.
pub fn state_of(metadata: &std::fs::Metadata) -> Option<FileState> {
    let modified = metadata
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((metadata.len(), modified))
}

#[derive(PartialEq, Eq, Hash)]
enum FileIdentity {
    Inode(u64, u64),
    Path(PathBuf),
}

/// What makes a file itself whatever path reaches it, and its state: its device and inode
/// where there are such (one `stat`, where resolving the path takes one call per folder),
/// else its path with every link resolved.
fn stat(path: &Path) -> (FileIdentity, Option<FileState>) {
    let metadata = std::fs::metadata(path).ok();
    let state = metadata.as_ref().and_then(state_of);
    #[cfg(unix)]
    if let Some(metadata) = &metadata {
        use std::os::unix::fs::MetadataExt;
        return (FileIdentity::Inode(metadata.dev(), metadata.ino()), state);
    }
    let resolved = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    (FileIdentity::Path(resolved), state)
}

fn walk_directory(
    root: &Path,
    start: &Path,
    files: &mut Vec<PathBuf>,
    problems: &mut Vec<LoadProblem>,
) {
    // A symlink to a folder that holds the walk's start would walk the start again, and the
    // walker only sees loops below the start: such links are refused here.
    let refused = Arc::new(Mutex::new(Vec::new()));
    let start_identity = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
    let walker = ignore::WalkBuilder::new(start)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .parents(true)
        .follow_links(true)
        .filter_entry({
            let refused = Arc::clone(&refused);
            move |entry| {
                let loops = entry.path_is_symlink()
                    && entry
                        .path()
                        .canonicalize()
                        .is_ok_and(|target| target.is_dir() && start_identity.starts_with(&target));
                if loops && let Ok(mut refused) = refused.lock() {
                    refused.push(entry.path().to_path_buf());
                }
                !loops
            }
        })
        .build_parallel();
    // Folders are walked on every core (a corpus of 100k files is some hundred folders); the
    // files are sorted after, and the problems here, so that runs agree.
    let found = Mutex::new((Vec::new(), Vec::new()));
    walker.run(|| {
        Box::new(|entry| {
            let (file, problem) = classify(root, entry);
            if file.is_some() || problem.is_some() {
                let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
                found.0.extend(file);
                found.1.extend(problem);
            }
            ignore::WalkState::Continue
        })
    });
    let (found_files, mut found_problems) = found.into_inner().unwrap_or_else(|e| e.into_inner());
    files.extend(found_files);
    found_problems.sort_by(|a: &LoadProblem, b| a.path.cmp(&b.path));
    problems.extend(found_problems);
    let refused = refused.lock().map(|r| r.clone()).unwrap_or_default();
    problems.extend(refused.into_iter().map(|path| LoadProblem {
        path: display_path(root, &path),
        reason: "symlink loop: it points to a folder that holds it".to_string(),
        skipped: true,
    }));
}

/// A walked entry: a source file to read, or a problem to report (or neither: a folder).
fn classify(
    root: &Path,
    entry: Result<ignore::DirEntry, ignore::Error>,
) -> (Option<PathBuf>, Option<LoadProblem>) {
    match entry {
        Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
            let path = entry.into_path();
            if has_source_extension(&path) {
                (Some(path), None)
            } else {
                let problem = LoadProblem {
                    path: display_path(root, &path),
                    reason: "not a source format Dossier reads (.txt, .md, .markdown)".to_string(),
                    skipped: true,
                };
                (None, Some(problem))
            }
        }
        // A FIFO, socket or device: reading one can block forever or never end.
        Ok(entry) if entry.file_type().is_some_and(|t| !t.is_dir()) => {
            let problem = LoadProblem {
                path: display_path(root, entry.path()),
                reason: NOT_REGULAR.to_string(),
                skipped: true,
            };
            (None, Some(problem))
        }
        Ok(_) => (None, None),
        Err(error) => (None, Some(walk_problem(root, &error))),
    }
}

fn has_source_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SOURCE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn walk_problem(root: &Path, error: &ignore::Error) -> LoadProblem {
    let path = walk_error_path(error).map_or_else(String::new, |p| display_path(root, p));
    LoadProblem {
        path,
        reason: error.to_string(),
        skipped: true,
    }
}

fn walk_error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

/// Reads, decodes and parses one file. The source's key is assigned later, with the others'.
pub fn read_source(root: &Path, file: &Path) -> Result<(Source, Vec<String>), LoadProblem> {
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    read_source_at(root, file, absolute)
}

/// `read_source`, given the file's absolute path as `std::path::absolute` makes it (or the
/// file as given, where it cannot), which a caller that has it need not make again.
pub fn read_source_at(
    root: &Path,
    file: &Path,
    absolute: PathBuf,
) -> Result<(Source, Vec<String>), LoadProblem> {
    let path = display_path(root, file);
    let problem = |reason: String| LoadProblem {
        path: path.clone(),
        reason,
        skipped: true,
    };
    let decoded = read_decoded(file).map_err(problem)?;
    let mut layout = parse_layout(&path, &decoded.text);
    let mut warnings: Vec<String> = decoded.note.into_iter().collect();
    warnings.append(&mut layout.problems);
    let source = source_from_layout(path, Origin::File(absolute), decoded.text, layout);
    Ok((source, warnings))
}

/// Reads and decodes a regular file of at most `MAX_SOURCE_BYTES`, or says why not.
fn read_decoded(file: &Path) -> Result<Decoded, String> {
    let cannot_read = |error: std::io::Error| format!("cannot read: {error}");
    let handle = open_without_waiting(file).map_err(cannot_read)?;
    let metadata = handle.metadata().map_err(cannot_read)?;
    if !metadata.is_file() {
        return Err(NOT_REGULAR.to_string());
    }
    let too_large = |size: u64| {
        format!(
            "file of {size} bytes is larger than the {MAX_SOURCE_BYTES} bytes a source may have"
        )
    };
    let size = metadata.len();
    if size > MAX_SOURCE_BYTES {
        return Err(too_large(size));
    }
    // Read into room for the whole file and one byte more, to see its end: `fs::read` would
    // ask the system for the size again. A file that grew since is still read to its end.
    let mut bytes = Vec::with_capacity(usize::try_from(size).map_or(0, |size| size + 1));
    handle
        .take(MAX_SOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    decode(bytes)
}

/// Opens `file` for reading. Opening a FIFO waits for a writer to come, so on Unix the file
/// is opened without waiting and refused after (it is no regular file); elsewhere it is not
/// opened unless it is a regular file.
fn open_without_waiting(file: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::File::options();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    if !std::fs::metadata(file)?.is_file() {
        return Err(std::io::Error::other(NOT_REGULAR));
    }
    options.open(file)
}

/// The decoded text of a source file, as `read_source` reads it: the index reads texts back
/// with it instead of keeping them.
pub fn read_text(file: &Path) -> Result<String, String> {
    read_decoded(file).map(|decoded| decoded.text)
}

/// The text of a bundled source, by its path in the repository.
pub fn bundled_text(name: &str) -> Option<&'static str> {
    BUNDLED
        .iter()
        .find(|(bundled, _)| *bundled == name)
        .map(|(_, text)| *text)
}

/// Markdown for `.md` and `.markdown` files and for any text that opens with front matter;
/// the plain-text layout for the rest.
fn parse_layout(path: &str, text: &str) -> Layout {
    let lower = path.to_ascii_lowercase();
    let opens_with_front_matter = text.starts_with("---\n") || text.starts_with("---\r\n");
    if lower.ends_with(".md") || lower.ends_with(".markdown") || opens_with_front_matter {
        parse_markdown(text)
    } else {
        parse_plain(text)
    }
}

fn source_from_layout(path: String, origin: Origin, text: String, layout: Layout) -> Source {
    let title = if layout.title.is_empty() {
        file_stem(&path)
    } else {
        layout.title
    };
    Source {
        key: String::new(),
        path,
        origin,
        text,
        title,
        authors: layout.authors,
        date: layout.date,
        publisher: layout.publisher,
        categories: layout.categories,
        requested_key: layout.requested_key,
        byline: layout.byline,
        sections: layout.sections,
        paragraphs: layout.paragraphs,
    }
}

fn file_stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `path` relative to `root` when it is inside it, with `/` separators.
pub fn display_path(root: &Path, path: &Path) -> String {
    let relative = plainly_under(root, path)
        .or_else(|| path.strip_prefix(root).ok())
        .unwrap_or(path);
    let text = relative.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// `path` relative to `root` when both are plain (no `.` component, no repeated or trailing
/// separator) and `path` is `root`, a separator, then more: what `strip_prefix` gives then,
/// cut from the bytes, where `strip_prefix` compared the paths a component at a time.
#[cfg(unix)]
fn plainly_under<'p>(root: &Path, path: &'p Path) -> Option<&'p Path> {
    use std::os::unix::ffi::OsStrExt;
    let root = root.as_os_str().as_bytes();
    let rest = path
        .as_os_str()
        .as_bytes()
        .strip_prefix(root)?
        .strip_prefix(b"/")?;
    let plain_root = root.starts_with(b"/") && is_plain_path(root);
    let plain_rest = !matches!(rest, [] | [b'/', ..] | [b'.'] | [b'.', b'/', ..]);
    (plain_root && plain_rest && is_plain_path(rest))
        .then(|| Path::new(std::ffi::OsStr::from_bytes(rest)))
}

/// Whether no component of `path` is `.` after its first, and no separator is repeated or
/// trailing: the path as its components would build it again.
pub fn is_plain_path(path: &[u8]) -> bool {
    // 1 after a separator, 2 after a separator and a dot, else 0.
    let mut after = 0u8;
    for &byte in path {
        after = match (after, byte) {
            (1 | 2, b'/') => return false,
            (_, b'/') => 1,
            (1, b'.') => 2,
            _ => 0,
        };
    }
    after == 0
}

#[cfg(not(unix))]
fn plainly_under<'p>(_root: &Path, _path: &'p Path) -> Option<&'p Path> {
    None
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn path() -> impl Strategy<Value = String> {
        "(/|\\./|\\.\\./)?([ab.]{1,2}/{1,2}){0,3}[ab.]{0,2}/?"
    }

    proptest! {
        #[test]
        fn a_path_is_shown_as_strip_prefix_cuts_it(root in path(), rest in path()) {
            let path = PathBuf::from(format!("{root}/{rest}"));
            let root = Path::new(&root);
            let expected = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().into_owned();
            prop_assert_eq!(display_path(root, &path), expected);
        }
    }
}
