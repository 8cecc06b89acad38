//! thidua: scraped news about Vietnam's emulation movement → a normalized, queryable dataset.
//!
//! The pipeline runs one direction: [`source`] → [`decode`] → [`article`] → [`clean`] →
//! [`lang`] → [`segment`] → extract → [`sink`], driven by [`driver`]. Language knowledge lives
//! in rule files loaded into a [`rules::RuleSet`]. See ARCHITECTURE.md.

pub mod article;
pub mod clean;
pub mod decode;
pub mod driver;
pub mod eval;
pub mod extract;
pub mod hash;
pub mod lang;
pub mod letters;
pub mod link;
pub mod model;
pub mod pipeline;
pub mod rules;
pub mod seen;
pub mod segment;
pub mod sink;
pub mod source;
pub mod tones;
pub mod translate;

pub use model::{Document, Fact, Record, Status};
pub use pipeline::{Options, Pipeline};
pub use rules::RuleSet;
