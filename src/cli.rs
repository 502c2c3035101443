//! The command line: `dossier lsp`, `dossier check`, `dossier index` (SPEC §1).
//!
//! Parsing with clap; exit status 0 on success, 1 when `check` finds an error, 2 on a usage
//! or I/O error. Command output goes to stdout, everything else to stderr.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::check;
use crate::corpus::LoadProblem;
use crate::index::{Index, export};
use crate::indexer;
use crate::workspace::Workspace;

#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version,
    about = "A language server for analysts who write briefs in Markdown and cite sources",
    long_about = "Dossier reads a corpus of sources, indexes its entities and dated events, \
                  and checks Markdown briefs against it: in the editor over the Language \
                  Server Protocol, or from the command line.\n\n\
                  The workspace is the nearest directory with a dossier.toml, from the current \
                  directory upwards; with none, the corpus is the bundled seed article."
)]
pub struct Cli {
    /// The workspace root, instead of the nearest directory with a dossier.toml.
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the language server on stdin and stdout (logs go to stderr).
    Lsp {
        /// Accepted and ignored: editor clients pass it.
        #[arg(long)]
        stdio: bool,
    },
    /// Print the diagnostics the server would publish for each brief.
    Check {
        /// The output format.
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// The briefs to check (Markdown files).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Build the index of the corpus and print it.
    Index {
        /// A summary for people, or the whole index as JSON.
        #[arg(long, value_enum, default_value_t = IndexFormat::Human)]
        format: IndexFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// `path:line:col: severity[code]: message`
    Human,
    /// An array of LSP diagnostics, each with its `path`.
    Json,
    /// SARIF 2.1.0.
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IndexFormat {
    Human,
    Json,
}

const USAGE_ERROR: u8 = 2;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(USAGE_ERROR));
        }
    };
    // The server finds its workspace from the client's root, and reports a bad
    // `dossier.toml` to the editor instead of refusing to start.
    let command = match cli.command {
        Command::Lsp { .. } => return crate::lsp::run(cli.root),
        command => command,
    };
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(error) => return fail(&format!("cannot read the current directory: {error}")),
    };
    let workspace = match Workspace::open(cli.root.as_deref(), &cwd) {
        Ok(workspace) => workspace,
        Err(error) => return fail(&error.to_string()),
    };
    match command {
        Command::Index { format } => run_index(&workspace, format),
        Command::Check { format, files } => run_check(&workspace, format, &files),
        // Handled above, before the workspace is opened.
        Command::Lsp { .. } => crate::lsp::run(Some(workspace.root)),
    }
}

fn run_index(workspace: &Workspace, format: IndexFormat) -> ExitCode {
    let started = Instant::now();
    let index = build_index(workspace);
    let elapsed = started.elapsed();
    match format {
        IndexFormat::Human => {
            let name = if workspace.uses_bundled_corpus() {
                "the bundled corpus (no corpus paths in a dossier.toml)".to_string()
            } else {
                workspace.root.display().to_string()
            };
            write_stdout(&export::summary(index, &name, elapsed))
        }
        IndexFormat::Json => write_json(&export::document(index)),
    }
}

/// Writes `value` as pretty JSON as it is serialized, never whole in memory; a closed pipe
/// is not an error.
fn write_json(value: &impl serde::Serialize) -> ExitCode {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = serde_json::to_writer_pretty(&mut stdout, value)
        .map_err(std::io::Error::from)
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => fail(&format!("cannot write the index as JSON: {error}")),
    }
}

fn run_check(workspace: &Workspace, format: CheckFormat, files: &[PathBuf]) -> ExitCode {
    let index = build_index(workspace);
    let mut checked = Vec::new();
    let mut unreadable = false;
    for file in files {
        match check::check_file(index, workspace, file) {
            Ok(brief) => checked.push(brief),
            Err(message) => {
                unreadable = true;
                let _ = writeln!(std::io::stderr(), "dossier: error: {message}");
            }
        }
    }
    let (output, coverage) = check::render(index, &checked, format);
    if let Some(coverage) = coverage {
        let _ = write!(std::io::stderr(), "{coverage}");
    }
    let written = write_stdout(&output);
    if unreadable {
        ExitCode::from(USAGE_ERROR)
    } else if written != ExitCode::SUCCESS {
        written
    } else if check::has_errors(&checked) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Builds the index, reusing the cache, with a progress line on a terminal and the files
/// that could not be read on stderr. The index is never dropped: the command ends with the
/// process, and freeing a large index an allocation at a time (0.3 s at 100k sources) would
/// only delay that.
fn build_index(workspace: &Workspace) -> &'static Index {
    let on_terminal = std::io::stderr().is_terminal();
    let last_shown = std::sync::Mutex::new(Instant::now());
    let progress = |done: usize, total: usize| {
        let Ok(mut last) = last_shown.lock() else {
            return;
        };
        if on_terminal && (last.elapsed().as_millis() >= 100 || done == total) {
            *last = Instant::now();
            let _ = write!(
                std::io::stderr(),
                "\rdossier: indexing {done}/{total} files"
            );
            if done == total {
                let _ = writeln!(std::io::stderr());
            }
        }
    };
    let built = indexer::build(workspace, &progress);
    report_problems(&built.problems);
    let saved = built
        .unsaved
        .map_or(Ok(()), |unsaved| unsaved.write(&built.index));
    for note in built.cache_note.into_iter().chain(saved.err()) {
        let _ = writeln!(std::io::stderr(), "dossier: {note}");
    }
    Box::leak(Box::new(built.index))
}

fn report_problems(problems: &[LoadProblem]) {
    let mut stderr = std::io::stderr().lock();
    for problem in problems {
        let what = if problem.skipped {
            "skipped"
        } else {
            "warning"
        };
        let _ = writeln!(
            stderr,
            "dossier: {what}: {}: {}",
            problem.path, problem.reason
        );
    }
}

/// Writes command output; a closed pipe (`dossier index | head`) is not an error.
fn write_stdout(output: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => fail(&format!("cannot write to stdout: {error}")),
    }
}

fn fail(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "dossier: error: {message}");
    ExitCode::from(USAGE_ERROR)
}
