//! dataset.sqlite: tables `documents` and `facts` (the same columns as the JSON Lines files,
//! `attrs` as JSON text), indexes for the usual filters, and `documents_fts`, an FTS5 index
//! over title and text (diacritics folded, so "khoi" also finds "Khối").

use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::{params, Connection};

use crate::model::Record;

pub struct SqliteSink {
    conn: Connection,
    pending: usize,
}

const SCHEMA: &str = r#"
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE documents (
  doc_id TEXT NOT NULL, source TEXT NOT NULL, status TEXT NOT NULL, error TEXT,
  encoding TEXT, url TEXT, source_url TEXT, title TEXT, published TEXT, author TEXT,
  lang TEXT, lang_confidence REAL, text TEXT, event_date TEXT, bloc TEXT, province TEXT
);
CREATE TABLE facts (
  doc_id TEXT NOT NULL, fact_id INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT,
  "start" INTEGER, "end" INTEGER, sentence INTEGER, value TEXT, attrs TEXT, rule TEXT
);
CREATE VIRTUAL TABLE documents_fts USING fts5(
  title, text, content='documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
BEGIN;
"#;

const INDEXES: &str = r#"
COMMIT;
CREATE INDEX documents_doc_id ON documents(doc_id);
CREATE INDEX documents_lang ON documents(lang, status);
CREATE INDEX documents_province ON documents(province);
CREATE INDEX documents_event_date ON documents(event_date);
CREATE INDEX documents_bloc ON documents(bloc);
CREATE INDEX facts_doc ON facts(doc_id, fact_id);
CREATE INDEX facts_kind_value ON facts(kind, value);
INSERT INTO documents_fts(documents_fts) VALUES('optimize');
"#;

impl SqliteSink {
    pub fn create(path: &Path) -> Result<SqliteSink> {
        let conn =
            Connection::open(path).with_context(|| format!("cannot create {}", path.display()))?;
        conn.execute_batch(SCHEMA)?;
        Ok(SqliteSink { conn, pending: 0 })
    }

    pub fn write(&mut self, r: &Record) -> Result<()> {
        let d = &r.document;
        let mut ins = self.conn.prepare_cached(
            "INSERT INTO documents VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
        )?;
        ins.execute(params![
            d.doc_id,
            d.source,
            d.status.as_str(),
            d.error,
            d.encoding,
            d.url,
            d.source_url,
            d.title,
            d.published,
            d.author,
            d.lang,
            d.lang_confidence,
            d.text,
            d.event_date,
            d.bloc,
            d.province
        ])?;
        let rowid = self.conn.last_insert_rowid();
        let mut fts = self
            .conn
            .prepare_cached("INSERT INTO documents_fts(rowid, title, text) VALUES (?1, ?2, ?3)")?;
        fts.execute(params![rowid, d.title, d.text])?;
        let mut fi = self
            .conn
            .prepare_cached("INSERT INTO facts VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)")?;
        for f in &r.facts {
            fi.execute(params![
                f.doc_id,
                f.fact_id,
                f.kind,
                f.text,
                f.start as i64,
                f.end as i64,
                f.sentence as i64,
                f.value,
                serde_json::to_string(&f.attrs)?,
                f.rule
            ])?;
        }
        self.pending += 1;
        if self.pending >= 5000 {
            self.conn.execute_batch("COMMIT; BEGIN;")?;
            self.pending = 0;
        }
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        self.conn.execute_batch(INDEXES)?;
        self.conn
            .close()
            .map_err(|(_, e)| anyhow::anyhow!("cannot close dataset.sqlite: {e}"))?;
        Ok(())
    }
}
