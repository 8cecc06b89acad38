//! The streaming driver: read units lazily, process bounded chunks in parallel (rayon), write
//! in input order. Output is byte-identical for any thread count; memory is bounded by the
//! chunk size, not the corpus size (the only thing that grows is the table of content hashes
//! used to spot duplicates, 16 bytes of id and the first source per distinct document).

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde_json::json;

use crate::model::{Document, Fact, Record, Status};
use crate::pipeline::{Pending, Pipeline, Stage};
use crate::seen::Seen;
use crate::sink::Sink;
use crate::source::{Limits, Payload, RawUnit, Sources};

/// Units per chunk, and bytes per chunk: whichever comes first.
const CHUNK_UNITS: usize = 256;
const CHUNK_BYTES: usize = 64 << 20;

/// Counts for the summary and run.json.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub documents: usize,
    pub by_status: BTreeMap<String, usize>,
    pub by_lang: BTreeMap<String, usize>,
    pub facts: usize,
    pub facts_by_kind: BTreeMap<String, usize>,
    pub bytes: u64,
    pub seconds: f64,
    pub not_inputs: NotInputs,
}

/// Files passed over because they are not articles: (path, reason).
pub type NotInputs = Vec<(String, String)>;

impl Summary {
    fn add(&mut self, r: &Record, bytes: u64) {
        self.documents += 1;
        self.bytes += bytes;
        *self
            .by_status
            .entry(r.document.status.as_str().to_string())
            .or_default() += 1;
        if r.document.status == Status::Ok {
            *self.by_lang.entry(r.document.lang.clone()).or_default() += 1;
        }
        self.facts += r.facts.len();
        for f in &r.facts {
            *self.facts_by_kind.entry(f.kind.clone()).or_default() += 1;
        }
    }

    /// One paragraph for the terminal.
    pub fn paragraph(&self, destination: &str) -> String {
        let join = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mb = self.bytes as f64 / 1e6;
        let secs = self.seconds.max(1e-9);
        let mut s = format!(
            "thidua: {} documents ({}); languages: {}; {} facts{}; {:.1} MB in {:.2} s ({:.1} MB/s, {:.0} documents/s). {destination}.",
            self.documents,
            join(&self.by_status),
            if self.by_lang.is_empty() { "none".into() } else { join(&self.by_lang) },
            self.facts,
            if self.facts_by_kind.is_empty() { String::new() } else { format!(" ({})", join(&self.facts_by_kind)) },
            mb,
            self.seconds,
            mb / secs,
            self.documents as f64 / secs,
        );
        if !self.not_inputs.is_empty() {
            s.push_str(&format!(
                " Passed over {} file(s) that are not articles ({}); see run.json.",
                self.not_inputs.len(),
                self.not_inputs
                    .iter()
                    .map(|(p, _)| p.as_str())
                    .take(3)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        s
    }
}

enum Work {
    Process(RawUnit),
    Duplicate(Document),
}

fn unit_bytes(u: &RawUnit) -> usize {
    match &u.payload {
        Ok(Payload::Bytes(b)) => b.len(),
        Ok(Payload::Text(t)) => t.len(),
        Err(_) => 0,
    }
}

/// A unit to process, or a duplicate of one already seen (same content hash).
fn classify(unit: RawUnit, seen: &mut Seen) -> Result<Work> {
    if unit.payload.is_err() {
        return Ok(Work::Process(unit));
    }
    let first = (seen.first_source(&unit.doc_id, &unit.source))
        .context("the temporary file of documents seen so far")?;
    Ok(match first {
        Some(first) => {
            let mut d = Document::new(unit.doc_id.clone(), unit.source.clone());
            d.status = Status::Duplicate;
            d.error = Some(first);
            Work::Duplicate(d)
        }
        None => Work::Process(unit),
    })
}

/// The files `sources` passed over so far, with the reason.
fn passed_over(sources: &Sources) -> NotInputs {
    (sources.not_inputs.iter())
        .map(|n| (n.path.clone(), n.reason.clone()))
        .collect()
}

/// Units waiting to be processed together, each with its size in bytes.
type Chunk = Vec<(Work, u64)>;

/// The next chunk of units in input order (empty when the input is exhausted): at most
/// [`CHUNK_UNITS`] units, or the first units that reach [`CHUNK_BYTES`].
fn next_chunk(sources: &mut Sources, seen: &mut Seen) -> Result<Chunk> {
    let mut chunk = Vec::new();
    let mut bytes = 0usize;
    for unit in sources.by_ref() {
        let n = unit_bytes(&unit);
        bytes += n;
        chunk.push((classify(unit, seen)?, n as u64));
        if chunk.len() >= CHUNK_UNITS || bytes >= CHUNK_BYTES {
            break;
        }
    }
    Ok(chunk)
}

/// Most documents extracted together (see [`process_chunk`]): enough for each rule's
/// automata to serve many documents while in the CPU caches, few enough that a chunk's
/// batches keep every thread busy.
const BATCH_DOCS: usize = 32;

/// Process a chunk in parallel; records come back in input order. Three stages, each in
/// parallel: everything before extraction, document by document; extraction, in batches of
/// documents of one language (rule by rule over a batch: [`crate::extract::extract_batch`]);
/// linking. The records are those [`Pipeline::process`] gives for each unit.
fn process_chunk(
    pool: &rayon::ThreadPool,
    pipeline: &Pipeline,
    chunk: Vec<(Work, u64)>,
) -> Vec<(Record, u64)> {
    pool.install(|| {
        let staged: Vec<(Stage, u64)> = chunk
            .into_par_iter()
            .map(|(w, n)| {
                let s = match w {
                    Work::Duplicate(d) => Stage::Done(Record {
                        document: d,
                        facts: Vec::new(),
                    }),
                    Work::Process(u) => {
                        let (doc_id, source) = (u.doc_id.clone(), u.source.clone());
                        guarded(|| pipeline.prepare(u)).unwrap_or_else(|what| {
                            Stage::Done(panic_record(&doc_id, &source, &what))
                        })
                    }
                };
                (s, n)
            })
            .collect();
        // Batches: the documents of each language, in input order, cut every BATCH_DOCS.
        let mut by_lang: BTreeMap<&str, Vec<(usize, &Pending)>> = BTreeMap::new();
        for (i, (s, _)) in staged.iter().enumerate() {
            if let Stage::Extract(p) = s {
                by_lang.entry(&p.document.lang).or_default().push((i, p));
            }
        }
        let batches: Vec<&[(usize, &Pending)]> = by_lang
            .values()
            .flat_map(|docs| docs.chunks(BATCH_DOCS))
            .collect();
        let found: Vec<Vec<(usize, Found)>> = batches
            .into_par_iter()
            .map(|batch| extract_guarded(pipeline, batch))
            .collect();
        let mut facts: Vec<Option<Found>> = staged.iter().map(|_| None).collect();
        for (i, f) in found.into_iter().flatten() {
            facts[i] = Some(f);
        }
        staged
            .into_par_iter()
            .zip(facts)
            .map(|((s, n), f)| {
                let r = match (s, f) {
                    (Stage::Done(r), _) => r,
                    (Stage::Extract(p), f) => {
                        let (doc_id, source) =
                            (p.document.doc_id.clone(), p.document.source.clone());
                        // (Every document to extract was in one batch: `f` is never None.)
                        f.unwrap_or_else(|| Ok(Vec::new()))
                            .and_then(|facts| guarded(|| pipeline.finish(p, facts)))
                            .unwrap_or_else(|what| panic_record(&doc_id, &source, &what))
                    }
                };
                (r, n)
            })
            .collect()
    })
}

/// A document's facts, or what a panic while extracting them said.
type Found = Result<Vec<Fact>, String>;

/// The facts of a batch's documents, by index in the chunk. Should extraction panic (a bug),
/// each document is extracted again alone, so that only the one that panics becomes an
/// error row.
fn extract_guarded(pipeline: &Pipeline, batch: &[(usize, &Pending)]) -> Vec<(usize, Found)> {
    let docs: Vec<&Pending> = batch.iter().map(|(_, p)| *p).collect();
    if let Ok(all) = guarded(|| pipeline.extract(&docs)) {
        return batch
            .iter()
            .map(|(i, _)| *i)
            .zip(all.into_iter().map(Ok))
            .collect();
    }
    batch
        .iter()
        .map(|&(i, p)| {
            (
                i,
                guarded(|| pipeline.extract(&[p]).pop().unwrap_or_default()),
            )
        })
        .collect()
}

/// One record as a single JSON object: the document row with its facts nested under "facts".
pub fn record_json(r: &Record) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(&r.document)?;
    if let serde_json::Value::Object(m) = &mut v {
        m.insert("facts".into(), serde_json::to_value(&r.facts)?);
    }
    Ok(v)
}

/// Streaming mode (`--jsonl-stdout`): one JSON line per input unit, in input order, flushed
/// line by line. A reader thread feeds a bounded queue; each round processes what has
/// arrived (at least one unit, at most a chunk), so a producer that waits for answers is
/// served at once and a fast producer still gets parallel chunks.
pub fn stream<W: std::io::Write>(
    inputs: &[String],
    mut out: W,
    pipeline: &Pipeline,
    threads: usize,
    limits: Limits,
) -> Result<Summary> {
    use std::sync::mpsc::{sync_channel, TryRecvError};
    enum Msg {
        Unit(RawUnit),
        Done(NotInputs),
    }
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let mut summary = Summary::default();
    let mut seen = Seen::new();
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = sync_channel::<Msg>(CHUNK_UNITS);
        scope.spawn(move || {
            let mut sources = Sources::new(inputs, limits);
            for unit in sources.by_ref() {
                if tx.send(Msg::Unit(unit)).is_err() {
                    return;
                }
            }
            let _ = tx.send(Msg::Done(passed_over(&sources)));
        });
        let mut done = false;
        while !done {
            let mut chunk: Vec<(Work, u64)> = Vec::new();
            let mut chunk_bytes = 0usize;
            let mut take =
                |m: Msg, chunk: &mut Vec<(Work, u64)>, summary: &mut Summary| -> Result<bool> {
                    Ok(match m {
                        Msg::Unit(unit) => {
                            let n = unit_bytes(&unit);
                            chunk_bytes += n;
                            chunk.push((classify(unit, &mut seen)?, n as u64));
                            chunk.len() >= CHUNK_UNITS || chunk_bytes >= CHUNK_BYTES
                        }
                        Msg::Done(not) => {
                            summary.not_inputs = not;
                            true
                        }
                    })
                };
            match rx.recv() {
                Ok(m) => {
                    done = matches!(m, Msg::Done(_));
                    if !take(m, &mut chunk, &mut summary)? {
                        loop {
                            match rx.try_recv() {
                                Ok(m) => {
                                    done = matches!(m, Msg::Done(_));
                                    if take(m, &mut chunk, &mut summary)? {
                                        break;
                                    }
                                }
                                Err(TryRecvError::Empty) => break,
                                Err(TryRecvError::Disconnected) => {
                                    done = true;
                                    break;
                                }
                            }
                        }
                    }
                }
                Err(_) => done = true,
            }
            for (r, n) in &process_chunk(&pool, pipeline, chunk) {
                serde_json::to_writer(&mut out, &record_json(r)?)?;
                out.write_all(b"\n")?;
                out.flush()?;
                summary.add(r, *n);
            }
        }
        Ok(())
    })?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Run a whole extraction into `out`.
pub fn extract(
    inputs: &[String],
    out: &Path,
    pipeline: &Pipeline,
    threads: usize,
    limits: Limits,
    show_progress: bool,
) -> Result<Summary> {
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let mut sink = Sink::create(out)?;
    let bar = if show_progress {
        let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} {pos} documents, {bytes} read, {bytes_per_sec} [{elapsed}] {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    // Three threads besides the workers' pool: a reader makes the next chunk (reading files,
    // hashing them to spot duplicates) while the workers process this one, and the sink
    // writes the last one. On the main thread, reading left every worker idle between chunks
    // (10 % of a -j 2 run over small text files); the SQLite, CSV and JSON Lines writers are
    // serial and did the same. One chunk waits at most between each two of them.
    let (sink, mut summary, not_inputs) =
        std::thread::scope(|scope| -> Result<(Sink, Summary, NotInputs)> {
            let (chunks_tx, chunks_rx) = std::sync::mpsc::sync_channel::<Result<Chunk>>(0);
            let reader = scope.spawn(move || {
                let mut sources = Sources::new(inputs, limits);
                let mut seen = Seen::new();
                loop {
                    let chunk = next_chunk(&mut sources, &mut seen);
                    let last = matches!(&chunk, Ok(c) if c.is_empty()) || chunk.is_err();
                    // A closed channel: the main thread stopped on an error it reports.
                    if chunks_tx.send(chunk).is_err() || last {
                        break;
                    }
                }
                passed_over(&sources)
            });
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(Record, u64)>>(1);
            let writer_bar = bar.clone();
            let writer = scope.spawn(move || -> Result<(Sink, Summary)> {
                let mut summary = Summary::default();
                for done in rx {
                    for (r, n) in &done {
                        sink.write(r)?;
                        summary.add(r, *n);
                        writer_bar.inc(1);
                    }
                }
                Ok((sink, summary))
            });
            let mut failed = None;
            for chunk in chunks_rx {
                let chunk = match chunk {
                    Ok(c) if c.is_empty() => break,
                    Ok(c) => c,
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                };
                // A closed channel means the writer stopped on an error, which join reports.
                if tx.send(process_chunk(&pool, pipeline, chunk)).is_err() {
                    break;
                }
            }
            drop(tx);
            let written = writer
                .join()
                .map_err(|_| anyhow::anyhow!("the output writer thread panicked"))?;
            let not_inputs = reader
                .join()
                .map_err(|_| anyhow::anyhow!("the input reader thread panicked"))?;
            if let Some(e) = failed {
                return Err(e);
            }
            let (sink, summary) = written?;
            Ok((sink, summary, not_inputs))
        })?;
    bar.finish_and_clear();
    summary.seconds = started.elapsed().as_secs_f64();
    summary.not_inputs = not_inputs;
    let run = json!({
        "tool": "thidua",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": { "files": pipeline.rules.files, "sha256": pipeline.rules.fingerprint },
        "inputs": inputs,
        "threads": threads,
        "documents": { "total": summary.documents, "by_status": summary.by_status, "by_lang": summary.by_lang },
        "facts": { "total": summary.facts, "by_kind": summary.facts_by_kind },
        "bytes_read": summary.bytes,
        "seconds": (summary.seconds * 1000.0).round() / 1000.0,
        "mb_per_second": ((summary.bytes as f64 / 1e6 / summary.seconds.max(1e-9)) * 100.0).round() / 100.0,
        "documents_per_second": (summary.documents as f64 / summary.seconds.max(1e-9)).round(),
        "not_inputs": summary.not_inputs.iter().map(|(p, r)| json!({"path": p, "reason": r})).collect::<Vec<_>>(),
    });
    sink.finish(&run)?;
    Ok(summary)
}

/// Process a unit; a panic (a bug, never expected) becomes an error row instead of a crash.
pub fn process_guarded(pipeline: &Pipeline, unit: RawUnit) -> Record {
    let doc_id = unit.doc_id.clone();
    let source = unit.source.clone();
    guarded(|| pipeline.process(unit)).unwrap_or_else(|what| panic_record(&doc_id, &source, &what))
}

/// `f()`, or, should it panic (a bug), what the panic said.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|e| {
        e.downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| e.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into())
    })
}

/// The row of a document whose processing panicked (a bug) with `what`.
fn panic_record(doc_id: &str, source: &str, what: &str) -> Record {
    let mut d = Document::new(doc_id.to_string(), source.to_string());
    d.fail(
        Status::Error,
        format!("internal error while processing (please report): {what}"),
    );
    Record {
        document: d,
        facts: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{Options, PANIC_FOR_TEST};
    use crate::rules::RuleSet;
    use crate::source::{Form, UnitMeta};

    fn unit(name: &str, text: &str) -> RawUnit {
        let payload = Payload::Text(text.to_string());
        RawUnit::ok(
            name.into(),
            text.as_bytes(),
            payload,
            Form::Text,
            UnitMeta::default(),
        )
    }

    #[test]
    fn a_panic_while_extracting_a_batch_fails_only_the_document_that_caused_it() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/vi");
        let mut texts: Vec<(String, String)> = std::fs::read_dir(&dir)
            .expect("corpus/vi")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .map(|p| {
                let name = p.display().to_string();
                (name, std::fs::read_to_string(&p).expect("corpus text"))
            })
            .collect();
        texts.sort();
        assert!(texts.len() >= 3, "too few Vietnamese texts in the corpus");
        // The second article, with the word that makes extraction panic in its first line.
        let bad = texts[1].0.clone();
        texts[1].1 = texts[1]
            .1
            .replacen('\n', &format!(" {PANIC_FOR_TEST}\n"), 1);
        let rules = RuleSet::embedded().expect("built-in rules");
        let pipeline = Pipeline::new(rules, Options::default());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("thread pool");
        let chunk: Vec<(Work, u64)> = texts
            .iter()
            .map(|(name, text)| (Work::Process(unit(name, text)), text.len() as u64))
            .collect();
        let records = process_chunk(&pool, &pipeline, chunk);
        assert_eq!(records.len(), texts.len(), "one record per unit");
        for ((r, _), (name, text)) in records.iter().zip(&texts) {
            assert_eq!(&r.document.source, name, "records in input order");
            if *name == bad {
                assert_eq!(r.document.status, Status::Error);
                let msg = r.document.error.clone().unwrap_or_default();
                assert!(
                    msg.contains("internal error") && msg.contains("asked"),
                    "{msg}"
                );
                assert!(r.facts.is_empty());
            } else {
                // The others keep the facts they get on their own.
                let alone = pipeline.process(unit(name, text));
                assert_eq!(r.document.status, Status::Ok, "{name}");
                assert!(!r.facts.is_empty(), "{name}: no facts");
                let json = |f: &[Fact]| serde_json::to_string(f).expect("facts serialize");
                assert_eq!(json(&r.facts), json(&alone.facts), "{name}");
            }
        }
    }
}
