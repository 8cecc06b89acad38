//! `thidua extract`: read inputs, write the dataset.
//!
//! Usage: thidua extract [OPTIONS] -o DIR <INPUT>...
//!   INPUT: files or directories (walked recursively, sorted): .txt, .html/.htm, .jsonl, .warc,
//!   .warc.gz; other extensions are sniffed; `-` reads JSON Lines from standard input.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use thidua::driver;
use thidua::source::Limits;
use thidua::{Options, Pipeline};

#[derive(clap::Args)]
#[command(
    about = "Extract documents and facts from articles into a dataset",
    after_help = "Examples:\n  thidua extract corpus -o out\n  thidua extract --jsonl-stdin --jsonl-stdout < shard.jsonl > records.jsonl\n  thidua extract crawl.warc.gz pages/ -o out -j 2\n  cat articles.jsonl | thidua extract - -o out\n\nWrites documents.{jsonl,csv}, facts.{jsonl,csv}, dataset.sqlite and run.json into DIR."
)]
pub struct Args {
    /// Files or directories to read; `-` for JSON Lines on standard input
    #[arg(required_unless_present = "jsonl_stdin")]
    pub inputs: Vec<String>,
    /// Output directory (created if missing)
    #[arg(
        short,
        long,
        value_name = "DIR",
        required_unless_present = "jsonl_stdout"
    )]
    pub out: Option<PathBuf>,
    /// Read articles as JSON Lines from standard input (the same as the input `-`)
    #[arg(long)]
    pub jsonl_stdin: bool,
    /// Streaming: write one JSON line per article to standard output (the document with its
    /// facts nested under "facts"), flushed line by line, instead of a dataset directory
    #[arg(long, conflicts_with = "out")]
    pub jsonl_stdout: bool,
    /// Use the rule files in DIR instead of the built-in ones
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Worker threads (default: all cores); output is identical for any value
    #[arg(short = 'j', long)]
    pub threads: Option<usize>,
    /// Resolve year-less dates against this date when the document gives none (YYYY-MM-DD)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub reference_date: Option<String>,
    /// Largest single document in MiB; larger ones become error rows
    #[arg(long, default_value_t = 16, value_name = "MIB")]
    pub max_doc_mb: u64,
    /// No progress bar and no summary
    #[arg(short, long)]
    pub quiet: bool,
}

fn valid_date(s: &str) -> bool {
    let p: Vec<&str> = s.split('-').collect();
    p.len() == 3
        && p[0].len() == 4
        && p[1].len() == 2
        && p[2].len() == 2
        && p[0].parse::<u32>().is_ok()
        && p[1].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        && p[2].parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
}

pub fn run(a: Args) -> Result<i32> {
    if let Some(d) = &a.reference_date {
        if !valid_date(d) {
            bail!("--reference-date must be YYYY-MM-DD, got {d:?}");
        }
    }
    let mut inputs = a.inputs.clone();
    if a.jsonl_stdin && !inputs.iter().any(|i| i == "-") {
        inputs.push("-".to_string());
    }
    for i in &inputs {
        if i != "-" && !Path::new(i).exists() {
            bail!("input {i:?} does not exist");
        }
    }
    if a.threads == Some(0) {
        bail!("-j/--threads must be at least 1");
    }
    let threads = a.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    // Rules given with --rules compile now, their languages in parallel on as many threads as
    // the run may use; the built-in ones compile each language at its first document.
    let rules = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?
        .install(|| super::load_rules(a.rules.as_ref()))?;
    // Never dropped: freeing the compiled rules (hundreds of automata) took a tenth of a
    // second at the end of every run, and the process exits right after; the OS takes the
    // memory back. The pipeline holds no files or other resources that need a drop.
    let pipeline = std::mem::ManuallyDrop::new(Pipeline::new(
        rules,
        Options {
            reference_date: a.reference_date.clone(),
        },
    ));
    let limits = Limits {
        max_doc_bytes: a.max_doc_mb.saturating_mul(1024 * 1024),
    };
    let Some(out) = a.out.as_ref().filter(|_| !a.jsonl_stdout) else {
        let stdout = std::io::stdout().lock();
        let summary = driver::stream(&inputs, stdout, &pipeline, threads, limits)?;
        if !a.quiet {
            eprintln!("{}", summary.paragraph("Records on standard output"));
        }
        return Ok(0);
    };
    let progress = !a.quiet && std::io::stderr().is_terminal();
    let summary = driver::extract(&inputs, out, &pipeline, threads, limits, progress)?;
    if !a.quiet {
        eprintln!(
            "{}",
            summary.paragraph(&format!("Dataset in {}", out.display()))
        );
    }
    Ok(0)
}
