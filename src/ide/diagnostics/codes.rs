//! The diagnostic codes of SPEC §6, their default severities, and the severities the analyst
//! set in `dossier.toml`.

use crate::config::{DiagnosticsConfig, SeverityLevel};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    UnknownSource,
    UnknownLocator,
    Misquote,
    ContradictsSource,
    UnsupportedClaim,
    UncitedClaim,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Code {
    pub const ALL: [Code; 6] = [
        Code::UnknownSource,
        Code::UnknownLocator,
        Code::Misquote,
        Code::ContradictsSource,
        Code::UnsupportedClaim,
        Code::UncitedClaim,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Code::UnknownSource => "unknown-source",
            Code::UnknownLocator => "unknown-locator",
            Code::Misquote => "misquote",
            Code::ContradictsSource => "contradicts-source",
            Code::UnsupportedClaim => "unsupported-claim",
            Code::UncitedClaim => "uncited-claim",
        }
    }

    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|code| code.name() == name)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Code::UnknownSource | Code::UnknownLocator | Code::Misquote => Severity::Error,
            Code::ContradictsSource | Code::UnsupportedClaim => Severity::Warning,
            Code::UncitedClaim => Severity::Information,
        }
    }

    /// The severity in force, or `None` when the analyst turned the code off.
    pub fn severity(self, config: &DiagnosticsConfig) -> Option<Severity> {
        let set = match self {
            Code::UnknownSource => config.unknown_source,
            Code::UnknownLocator => config.unknown_locator,
            Code::Misquote => config.misquote,
            Code::ContradictsSource => config.contradicts_source,
            Code::UnsupportedClaim => config.unsupported_claim,
            Code::UncitedClaim => config.uncited_claim,
        };
        match set {
            None => Some(self.default_severity()),
            Some(SeverityLevel::Off) => None,
            Some(SeverityLevel::Error) => Some(Severity::Error),
            Some(SeverityLevel::Warning) => Some(Severity::Warning),
            Some(SeverityLevel::Information) => Some(Severity::Information),
            Some(SeverityLevel::Hint) => Some(Severity::Hint),
        }
    }
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}
