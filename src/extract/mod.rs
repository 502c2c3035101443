//! What Dossier reads out of prose: time expressions and quantities. Pure functions of a
//! paragraph's text (and, for relative dates, the dates around it); nothing here knows of
//! briefs, the index or LSP.
//!
//! Both scanners share one tokenizer ([`scan`]) and one table of number words
//! ([`numbers`]), so that `two years later` and `two years` read `two` the same way.

pub mod dates;
mod numbers;
pub mod quantities;
mod scan;
