//! The corpus: source files read into `Source` values (text, metadata, numbered paragraphs
//! with byte ranges). `load` is the only module that does I/O; the layouts are pure.

mod blocks;
pub mod bundled;
mod byline;
mod decode;
mod front_matter;
pub mod keys;
pub mod layout;
pub mod load;
mod path_order;
pub mod source;

pub use load::{Corpus, LoadProblem, load, load_bundled};
pub use source::{Origin, Paragraph, Section, Source};
