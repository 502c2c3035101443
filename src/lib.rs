//! Dossier: a language server for analysts who write briefs in Markdown and cite sources.
//!
//! Data flows one way:
//!
//! ```text
//! corpus files ──indexer (corpus::load reads, index::cache reuses: the only corpus I/O)──▶ Source
//!    ──extract (pure, per source)──▶ entities, mentions, dated events, quantities
//!    ──Index::build (pure)──▶ Index            (shared behind an Arc, swapped whole, never mutated;
//!                                               saved as index.snapshot, loaded when no file changed)
//!    the Index keeps sources' metadata, not their text: `Index::text` reads a source back
//!    from its file (corpus::load::read_text) when a feature shows a paragraph
//!    ──index::export──▶ `dossier index` output (LSP ranges made at the edge, by text.rs)
//! open briefs ──brief::parse (pure, tree-sitter-md block grammar)──▶ Brief
//!    (blocks, sentences, citations, quotations, directives; `sentences` is shared with sources)
//!
//! stdin ──lsp::stage (our framing, lifecycle, exit status)──▶ tower-lsp ──▶ lsp::server
//! ```
//!
//! Invariants: everything inside speaks UTF-8 byte offsets; only `text.rs` counts code units.
//! Nothing a file or a client controls is `unwrap`ped. Stdout belongs to the protocol and
//! the command output, so the library never prints.

pub mod brief;
pub mod check;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod edtf;
pub mod extract;
pub mod ide;
pub mod index;
pub mod indexer;
pub mod lsp;
pub mod sentences;
pub mod text;
pub mod workspace;
