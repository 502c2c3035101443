//! `dossier.toml`: the corpus paths, diagnostic severities and entities the analyst adds.
//!
//! Unknown keys and wrong types are errors that name the file, the line and the key: a typo
//! in the configuration must never pass silently.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::text::human_line_column;

pub const CONFIG_FILE: &str = "dossier.toml";

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub corpus: CorpusConfig,
    #[serde(default)]
    pub diagnostics: DiagnosticsConfig,
    /// `[[entity]]` tables: entities the analyst adds or corrects.
    #[serde(default, rename = "entity")]
    pub entities: Vec<EntityConfig>,
    #[serde(default)]
    pub cache: CacheConfig,
}

/// The on-disk index cache.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheConfig {
    /// Whether to keep one.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Its folder, relative to the workspace root (or absolute).
    #[serde(default = "default_cache_dir")]
    pub dir: String,
}

impl Default for CacheConfig {
    fn default() -> CacheConfig {
        CacheConfig {
            enabled: true,
            dir: default_cache_dir(),
        }
    }
}

fn yes() -> bool {
    true
}

fn default_cache_dir() -> String {
    ".dossier".to_string()
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorpusConfig {
    /// Files or directories, relative to the workspace root. None: the bundled corpus.
    #[serde(default)]
    pub paths: Vec<String>,
}

/// The severity of each diagnostic code, where the analyst changed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DiagnosticsConfig {
    pub unknown_source: Option<SeverityLevel>,
    pub unknown_locator: Option<SeverityLevel>,
    pub misquote: Option<SeverityLevel>,
    pub contradicts_source: Option<SeverityLevel>,
    pub unsupported_claim: Option<SeverityLevel>,
    pub uncited_claim: Option<SeverityLevel>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeverityLevel {
    Error,
    Warning,
    Information,
    Hint,
    Off,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityConfig {
    pub name: String,
    pub kind: EntityKindConfig,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKindConfig {
    Person,
    Organization,
    Place,
    Event,
    Other,
}

/// What an editor may set for the server (`initializationOptions`): the same keys as
/// `dossier.toml`'s `[corpus]` and `[diagnostics]`, which they override.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSettings {
    #[serde(default)]
    pub corpus: CorpusConfig,
    #[serde(default)]
    pub diagnostics: DiagnosticsConfig,
}

impl Config {
    /// This configuration with an editor's settings laid over it: corpus paths replace the
    /// file's when given; each severity given replaces the file's.
    pub fn with_client_settings(mut self, settings: &ClientSettings) -> Config {
        if !settings.corpus.paths.is_empty() {
            self.corpus.paths = settings.corpus.paths.clone();
        }
        let (mine, theirs) = (&mut self.diagnostics, &settings.diagnostics);
        for (slot, set) in [
            (&mut mine.unknown_source, theirs.unknown_source),
            (&mut mine.unknown_locator, theirs.unknown_locator),
            (&mut mine.misquote, theirs.misquote),
            (&mut mine.contradicts_source, theirs.contradicts_source),
            (&mut mine.unsupported_claim, theirs.unsupported_claim),
            (&mut mine.uncited_claim, theirs.uncited_claim),
        ] {
            if set.is_some() {
                *slot = set;
            }
        }
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

impl Config {
    pub fn read(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text).map_err(|(offset, message)| {
            let (line, column) = human_line_column(&text, offset);
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        })
    }

    /// Parses the text of a `dossier.toml`; an error comes with its byte offset.
    pub fn parse(text: &str) -> Result<Config, (usize, String)> {
        toml::from_str(text).map_err(|error| {
            let offset = error.span().map_or(0, |span| span.start);
            let message = error.message().trim().to_string();
            let message = match key_at(text, offset) {
                Some(key) if !message.contains(&format!("`{key}`")) => {
                    format!("key `{key}`: {message}")
                }
                _ => message,
            };
            (offset, message)
        })
    }
}

/// The dotted key whose value or name stands at `offset` (`corpus.paths`), found from the
/// line's `key =` and the nearest table header above it.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let offset = crate::text::floor_char_boundary(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let key = line
        .split_once('=')
        .map(|(key, _)| key.trim().trim_matches('"'));
    let table = text[..line_start].lines().rev().find_map(|l| {
        let l = l.trim();
        (l.starts_with('[') && l.ends_with(']'))
            .then(|| l.trim_matches(['[', ']']).trim().to_string())
    });
    match (table, key) {
        (Some(table), Some(key)) if !key.is_empty() => Some(format!("{table}.{key}")),
        (None, Some(key)) if !key.is_empty() => Some(key.to_string()),
        (Some(table), _) if line.trim_start().starts_with('[') => Some(table),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_config_reads() {
        let config = Config::parse(
            r#"
[corpus]
paths = ["sources", "archive/2024"]

[diagnostics]
uncited-claim = "warning"
misquote = "off"

[[entity]]
name = "Yevgeny Primakov"
kind = "person"
aliases = ["Primakov"]
"#,
        )
        .expect("valid");
        assert_eq!(config.corpus.paths, ["sources", "archive/2024"]);
        assert_eq!(
            config.diagnostics.uncited_claim,
            Some(SeverityLevel::Warning)
        );
        assert_eq!(config.diagnostics.misquote, Some(SeverityLevel::Off));
        assert_eq!(config.entities[0].aliases, ["Primakov"]);
    }

    #[test]
    fn errors_name_the_line_and_the_key() {
        let cases = [
            ("[corpus]\npathz = [\"a\"]\n", 2, "pathz"),
            ("[corpus]\npaths = 3\n", 2, "corpus.paths"),
            (
                "[diagnostics]\nmisquote = \"loud\"\n",
                2,
                "diagnostics.misquote",
            ),
            ("[corpus]\npaths = [\"a\"\n", 2, ""),
        ];
        for (text, line, key) in cases {
            let (offset, message) = Config::parse(text).expect_err(text);
            assert_eq!(human_line_column(text, offset).0, line, "{text}: {message}");
            assert!(message.contains(key), "{text}: {message}");
        }
    }
}
