//! The `dossier` binary: the command line lives in `dossier::cli`.

/// jemalloc: see Cargo.toml for why.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    dossier::cli::main()
}
