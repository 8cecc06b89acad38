//! `thidua check-translation`: what a translation dropped, added or changed (SPEC §5).
//!
//! Two article files → a report on standard output; or `--dataset DIR` → pairs, discrepancies
//! and an HTML report written into the dataset.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use thidua::model::{Document, Fact, Record, Status};
use thidua::sink::table;
use thidua::source::{Limits, Sources};
use thidua::translate::{self, report, Pair, Side};
use thidua::{driver, eval, Options, Pipeline, RuleSet};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Jsonl,
    Html,
}

#[derive(clap::Args)]
#[command(
    about = "Check translations against their Vietnamese originals, fact by fact",
    after_help = "Examples:\n  thidua check-translation corpus/vi/02-caobang-cum2-so-ket.html corpus/ru/02-kaobang-klaster2.html\n  thidua check-translation --format html ORIGINAL TRANSLATION > report.html\n  thidua extract corpus -o out && thidua check-translation --dataset out\n\nWith --dataset, writes pairs.{jsonl,csv}, discrepancies.{jsonl,csv}, unpaired.{jsonl,csv},\nreport.html and the tables pairs, discrepancies and unpaired in dataset.sqlite."
)]
pub struct Args {
    /// The original article (a file extract can read)
    #[arg(required_unless_present = "dataset", conflicts_with = "dataset")]
    pub original: Option<PathBuf>,
    /// Its translation
    #[arg(required_unless_present = "dataset", conflicts_with = "dataset")]
    pub translation: Option<PathBuf>,
    /// Pair and check every translation in a dataset made by `thidua extract`
    #[arg(long, value_name = "DIR")]
    pub dataset: Option<PathBuf>,
    /// Report format for a pair of files
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Use the rule files in DIR instead of the built-in ones
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Resolve year-less dates against this date when an article gives none (YYYY-MM-DD)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub reference_date: Option<String>,
}

pub fn run(a: Args) -> Result<i32> {
    let rules = super::load_rules(a.rules.as_ref())?;
    match (&a.dataset, &a.original, &a.translation) {
        (Some(dir), _, _) => dataset(dir, &rules),
        (None, Some(o), Some(t)) => {
            let pipeline = Pipeline::new(
                rules,
                Options {
                    reference_date: a.reference_date.clone(),
                },
            );
            pair_of_files(o, t, &pipeline, a.format)
        }
        _ => bail!("give ORIGINAL and TRANSLATION, or --dataset DIR"),
    }
}

/// Read and process the one article in `path`.
fn load(path: &Path, pipeline: &Pipeline) -> Result<Record> {
    if !path.is_file() {
        bail!("{} is not a file", path.display());
    }
    let input = path.display().to_string();
    let mut sources = Sources::new(&[input], Limits::default());
    let unit = sources
        .next()
        .with_context(|| format!("{} holds no article", path.display()))?;
    if sources.next().is_some() {
        eprintln!(
            "note: {} holds several articles; checking the first",
            path.display()
        );
    }
    let r = driver::process_guarded(pipeline, unit);
    if r.document.status != Status::Ok {
        bail!(
            "{} cannot be checked: {}",
            path.display(),
            r.document.error.as_deref().unwrap_or("not an article")
        );
    }
    Ok(r)
}

fn pair_of_files(o: &Path, t: &Path, pipeline: &Pipeline, format: Format) -> Result<i32> {
    let ro = load(o, pipeline)?;
    let rt = load(t, pipeline)?;
    if ro.document.lang != "vi" {
        eprintln!(
            "note: the original {} reads as {:?}, not Vietnamese; checking anyway",
            o.display(),
            ro.document.lang
        );
    }
    let rules = &pipeline.rules;
    let so = Side::new(&ro.document, ro.facts.iter().collect(), rules);
    let st = Side::new(&rt.document, rt.facts.iter().collect(), rules);
    let pair = given_pair(&so, &st);
    if pair.method == "content" && pair.score < rules.alignment.pair_threshold {
        eprintln!(
            "note: these two articles share few facts (score {:.3}, pairing needs {}); are they original and translation?",
            pair.score, rules.alignment.pair_threshold
        );
    }
    let r = translate::check_pair(&so, &st, pair, rules);
    match format {
        Format::Text => print!("{}", report::text(&r, &so, &st)),
        Format::Jsonl => print!("{}", table::jsonl(&table::to_rows(&r.discrepancies)?)?),
        Format::Html => print!("{}", report::html_pair(&r, &so, &st)),
    }
    Ok(0)
}

/// How the pair would have been found in a collection: by URL, else its content score.
fn given_pair(o: &Side, t: &Side) -> Pair {
    let by_url = matches!((&o.doc.url, &t.doc.source_url), (Some(u), Some(s))
        if translate::pairing::normalize_url(u) == translate::pairing::normalize_url(s));
    let score = if by_url {
        1.0
    } else {
        translate::pairing::content_scores(&[o], &[t], i64::MAX)
            .first()
            .map(|c| (c.2 * 1000.0).round() / 1000.0)
            .unwrap_or(0.0)
    };
    Pair {
        original_doc_id: o.doc.doc_id.clone(),
        translation_doc_id: t.doc.doc_id.clone(),
        method: if by_url { "url" } else { "content" }.to_string(),
        score,
    }
}

const PAIR_COLUMNS: [(&str, &str); 4] = [
    ("original_doc_id", "TEXT"),
    ("translation_doc_id", "TEXT"),
    ("method", "TEXT"),
    ("score", "REAL"),
];

const DISCREPANCY_COLUMNS: [(&str, &str); 13] = [
    ("original_doc_id", "TEXT"),
    ("translation_doc_id", "TEXT"),
    ("type", "TEXT"),
    ("subtype", "TEXT"),
    ("kind", "TEXT"),
    ("original_value", "TEXT"),
    ("translation_value", "TEXT"),
    ("original_text", "TEXT"),
    ("translation_text", "TEXT"),
    ("original_sentence", "TEXT"),
    ("translation_sentence", "TEXT"),
    ("original_fact_id", "INTEGER"),
    ("translation_fact_id", "INTEGER"),
];

const UNPAIRED_COLUMNS: [(&str, &str); 7] = [
    ("translation_doc_id", "TEXT"),
    ("source", "TEXT"),
    ("lang", "TEXT"),
    ("source_url", "TEXT"),
    ("best_original_doc_id", "TEXT"),
    ("best_score", "REAL"),
    ("reason", "TEXT"),
];

fn write_table(
    dir: &Path,
    name: &str,
    columns: &[(&str, &str)],
    rows: &[serde_json::Map<String, serde_json::Value>],
) -> Result<()> {
    let names: Vec<&str> = columns.iter().map(|c| c.0).collect();
    table::write_files(dir, name, &names, rows)?;
    let db = dir.join("dataset.sqlite");
    if db.is_file() {
        table::write_sqlite(&db, name, columns, rows)?;
    }
    Ok(())
}

fn dataset(dir: &Path, rules: &RuleSet) -> Result<i32> {
    let docs_path = dir.join("documents.jsonl");
    if !docs_path.is_file() {
        bail!(
            "{} is not a dataset made by `thidua extract` (no documents.jsonl)",
            dir.display()
        );
    }
    let docs: Vec<Document> = eval::read_jsonl(&docs_path)?;
    let facts: Vec<Fact> = eval::read_jsonl(&dir.join("facts.jsonl"))?;
    let c = translate::check_collection(&docs, &facts, rules);
    let pairs: Vec<&Pair> = c.pairs.iter().map(|p| &p.pair).collect();
    let all: Vec<&translate::Discrepancy> = c.pairs.iter().flat_map(|p| &p.discrepancies).collect();
    write_table(dir, "pairs", &PAIR_COLUMNS, &table::to_rows(&pairs)?)?;
    write_table(
        dir,
        "discrepancies",
        &DISCREPANCY_COLUMNS,
        &table::to_rows(&all)?,
    )?;
    write_table(
        dir,
        "unpaired",
        &UNPAIRED_COLUMNS,
        &table::to_rows(&c.unpaired)?,
    )?;
    thidua::sink::write_atomic(
        &dir.join("report.html"),
        report::html_collection(&c).as_bytes(),
    )?;
    print!("{}", report::collection_text(&c));
    println!(
        "Wrote pairs, discrepancies and unpaired (.jsonl, .csv, dataset.sqlite tables) and report.html in {}.",
        dir.display()
    );
    Ok(0)
}
