//! The server's log: one line per event on stderr, never stdout (stdout is the protocol).
//!
//! Deliberately tiny. Editors show a server's stderr in their output panel as it comes.

use std::io::Write;

pub fn info(message: &str) {
    line("info", message);
}

pub fn warn(message: &str) {
    line("warning", message);
}

fn line(level: &str, message: &str) {
    // A closed stderr must not take the server down: the protocol may still be alive.
    let _ = writeln!(std::io::stderr().lock(), "dossier lsp: {level}: {message}");
}
