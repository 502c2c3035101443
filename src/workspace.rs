//! Finding the workspace the way cargo does: the nearest `dossier.toml` from the current
//! directory upwards, or the directory `--root` names. Its corpus is the configured paths, or
//! the bundled seed when none are configured (`indexer.rs` reads it).

use std::path::{Path, PathBuf};

use crate::config::{CONFIG_FILE, Config, ConfigError};

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    /// The `dossier.toml` read, if there is one.
    pub config_file: Option<PathBuf>,
    pub config: Config,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("--root {0}: not a directory")]
    NotADirectory(PathBuf),
    #[error(transparent)]
    Config(#[from] ConfigError),
}

impl Workspace {
    /// The workspace for `root` when given, else the nearest one above `cwd`. With no
    /// `dossier.toml` anywhere, `cwd` (or `root`) is the root and the configuration is empty.
    pub fn open(root: Option<&Path>, cwd: &Path) -> Result<Workspace, WorkspaceError> {
        let root = match root {
            Some(root) => {
                let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
                if !root.is_dir() {
                    return Err(WorkspaceError::NotADirectory(root));
                }
                root
            }
            None => find_root(cwd).unwrap_or_else(|| cwd.to_path_buf()),
        };
        let config_path = root.join(CONFIG_FILE);
        let (config_file, config) = if config_path.is_file() {
            let config = Config::read(&config_path)?;
            (Some(config_path), config)
        } else {
            (None, Config::default())
        };
        Ok(Workspace {
            root,
            config_file,
            config,
        })
    }

    /// Whether the corpus is the bundled seed (no corpus paths configured).
    pub fn uses_bundled_corpus(&self) -> bool {
        self.config.corpus.paths.is_empty()
    }
}

/// The nearest directory at or above `start` that holds a `dossier.toml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}
