//! The records that flow through the pipeline and into the dataset (SPEC §3).

use serde::{Deserialize, Serialize};

/// What became of one input unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Skipped,
    Duplicate,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Skipped => "skipped",
            Status::Duplicate => "duplicate",
            Status::Error => "error",
        }
    }
}

/// One row of `documents.*`. Field order here is column order in every output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub doc_id: String,
    pub source: String,
    pub status: Status,
    pub error: Option<String>,
    pub encoding: String,
    pub url: Option<String>,
    pub source_url: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub author: Option<String>,
    pub lang: String,
    pub lang_confidence: f64,
    pub text: String,
    pub event_date: Option<String>,
    pub bloc: Option<String>,
    pub province: Option<String>,
}

impl Document {
    /// An empty row for `source` whose content hashes to `doc_id`.
    pub fn new(doc_id: String, source: String) -> Self {
        Document {
            doc_id,
            source,
            status: Status::Ok,
            error: None,
            encoding: String::new(),
            url: None,
            source_url: None,
            title: None,
            published: None,
            author: None,
            lang: "und".to_string(),
            lang_confidence: 0.0,
            text: String::new(),
            event_date: None,
            bloc: None,
            province: None,
        }
    }

    /// Mark this row as failed with a message that names the problem.
    pub fn fail(&mut self, status: Status, message: impl Into<String>) {
        self.status = status;
        self.error = Some(message.into());
    }
}

/// One row of `facts.*`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub doc_id: String,
    pub fact_id: u32,
    pub kind: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub value: String,
    pub attrs: serde_json::Map<String, serde_json::Value>,
    pub rule: String,
}

/// A processed input unit: its row and its facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub document: Document,
    pub facts: Vec<Fact>,
}

/// A sentence of `Document::text`, as character offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}
