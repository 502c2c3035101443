//! The bundled corpus on disk: go-to-source must open a real file whose text is the source's,
//! even for the seed compiled into the binary. The first time it is asked for, a bundled
//! source is written to the user's cache folder (atomically, and again only if it changed).

use std::io;
use std::path::PathBuf;
use std::sync::Mutex;

use super::load::BUNDLED;

/// The cache folder for Dossier's files: `$XDG_CACHE_HOME/dossier`, `~/.cache/dossier`, or
/// the system's temporary folder when neither is known.
pub fn cache_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("dossier")
}

/// Documents the editor links to (the diagnostic codes' explanations), bundled like the seed.
const DOCUMENTS: [(&str, &str); 1] = [(
    "docs/diagnostics.md",
    include_str!("../../docs/diagnostics.md"),
)];

/// The path of bundled source `name` (`seeds/…`) on disk, written there if needed.
pub fn materialize(name: &str) -> io::Result<PathBuf> {
    write_once(&BUNDLED, name)
}

/// The path of a bundled document (`docs/diagnostics.md`) on disk, written there if needed.
pub fn materialize_document(name: &str) -> io::Result<PathBuf> {
    write_once(&DOCUMENTS, name)
}

/// The files written by this process, so that each is checked on disk only once.
static WRITTEN: Mutex<Vec<(String, PathBuf)>> = Mutex::new(Vec::new());

fn write_once(bundle: &[(&str, &str)], name: &str) -> io::Result<PathBuf> {
    if let Ok(written) = WRITTEN.lock()
        && let Some((_, path)) = written.iter().find(|(done, _)| done == name)
        && path.exists()
    {
        return Ok(path.clone());
    }
    let path = write_to_disk(bundle, name)?;
    if let Ok(mut written) = WRITTEN.lock() {
        written.push((name.to_string(), path.clone()));
    }
    Ok(path)
}

fn write_to_disk(bundle: &[(&str, &str)], name: &str) -> io::Result<PathBuf> {
    let Some((_, text)) = bundle.iter().find(|(bundled, _)| *bundled == name) else {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{name} is not bundled"),
        ));
    };
    let path = cache_dir()
        .join(format!("bundled-{}", env!("CARGO_PKG_VERSION")))
        .join(name);
    if std::fs::read(&path).is_ok_and(|on_disk| on_disk == text.as_bytes()) {
        return Ok(path);
    }
    let folder = path
        .parent()
        .ok_or_else(|| io::Error::other("no parent folder"))?;
    std::fs::create_dir_all(folder)?;
    // Written aside and renamed, so that a reader never sees half a file.
    let temporary = folder.join(format!(
        ".{}.{}.tmp",
        std::process::id(),
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, &path)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_written_once_with_its_text() {
        let name = BUNDLED[0].0;
        let path = materialize(name).expect("written");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), BUNDLED[0].1);
        assert_eq!(materialize(name).expect("again"), path);
        assert!(materialize("seeds/none.txt").is_err());
    }
}
