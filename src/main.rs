//! The `dossier` binary: the command line lives in `dossier::cli`.

fn main() -> std::process::ExitCode {
    dossier::cli::main()
}
