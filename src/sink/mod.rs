//! The dataset on disk: documents and facts as JSON Lines, CSV and SQLite, and run.json.
//!
//! Every file is written under a temporary name inside the output directory and renamed into
//! place when complete, so an interrupted run never leaves a truncated file under a final name.

mod csv_out;
mod sqlite;
pub mod table;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::model::Record;

pub use csv_out::neutralize;

/// Writes every output format at once, row by row.
pub struct Sink {
    out: PathBuf,
    tmp: PathBuf,
    docs_jsonl: BufWriter<File>,
    facts_jsonl: BufWriter<File>,
    docs_csv: csv::Writer<BufWriter<File>>,
    facts_csv: csv::Writer<BufWriter<File>>,
    sqlite: sqlite::SqliteSink,
}

pub const FILES: [&str; 5] = [
    "documents.jsonl",
    "facts.jsonl",
    "documents.csv",
    "facts.csv",
    "dataset.sqlite",
];

impl Sink {
    /// Open temporary files in `out` (created if missing).
    pub fn create(out: &Path) -> Result<Sink> {
        fs::create_dir_all(out)
            .with_context(|| format!("cannot create output directory {}", out.display()))?;
        let tmp = out.join(format!(".thidua-tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).ok();
        }
        fs::create_dir_all(&tmp)
            .with_context(|| format!("output directory {} is not writable", out.display()))?;
        let open = |name: &str| -> Result<BufWriter<File>> {
            let p = tmp.join(name);
            Ok(BufWriter::with_capacity(
                1 << 20,
                File::create(&p).with_context(|| format!("cannot write {}", p.display()))?,
            ))
        };
        let mut docs_csv = csv::Writer::from_writer(open("documents.csv")?);
        docs_csv.write_record(csv_out::DOCUMENT_COLUMNS)?;
        let mut facts_csv = csv::Writer::from_writer(open("facts.csv")?);
        facts_csv.write_record(csv_out::FACT_COLUMNS)?;
        Ok(Sink {
            docs_jsonl: open("documents.jsonl")?,
            facts_jsonl: open("facts.jsonl")?,
            docs_csv,
            facts_csv,
            sqlite: sqlite::SqliteSink::create(&tmp.join("dataset.sqlite"))?,
            out: out.to_path_buf(),
            tmp,
        })
    }

    /// Append one record (its document row and its facts).
    pub fn write(&mut self, r: &Record) -> Result<()> {
        serde_json::to_writer(&mut self.docs_jsonl, &r.document)?;
        self.docs_jsonl.write_all(b"\n")?;
        csv_out::write_document(&mut self.docs_csv, &r.document)?;
        for f in &r.facts {
            serde_json::to_writer(&mut self.facts_jsonl, f)?;
            self.facts_jsonl.write_all(b"\n")?;
            csv_out::write_fact(&mut self.facts_csv, f)?;
        }
        self.sqlite.write(r)?;
        Ok(())
    }

    /// Flush everything, build indexes, and move the files into place.
    pub fn finish(mut self, run_json: &serde_json::Value) -> Result<()> {
        self.docs_jsonl.flush()?;
        self.facts_jsonl.flush()?;
        self.docs_csv.flush()?;
        self.facts_csv.flush()?;
        self.sqlite.finish()?;
        let mut run = BufWriter::new(File::create(self.tmp.join("run.json"))?);
        serde_json::to_writer_pretty(&mut run, run_json)?;
        run.write_all(b"\n")?;
        run.flush()?;
        drop(run);
        for name in FILES.iter().chain(std::iter::once(&"run.json")) {
            let from = self.tmp.join(name);
            let to = self.out.join(name);
            fs::rename(&from, &to)
                .with_context(|| format!("cannot move {} into place", to.display()))?;
        }
        fs::remove_dir_all(&self.tmp).ok();
        Ok(())
    }
}

/// Write a small file atomically (temporary name, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.persist(path)
        .with_context(|| format!("cannot move {} into place", path.display()))?;
    Ok(())
}
