//! The command line: one file per subcommand, each opening with what it does.

pub mod check;
pub mod eval;
pub mod extract;
pub mod gen;
pub mod rules;

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use thidua::RuleSet;

#[derive(Parser)]
#[command(
    name = "thidua",
    version,
    about = "Turn scraped news about Vietnam's emulation movement into a normalized, queryable dataset",
    long_about = "thidua reads scraped articles (HTML, text, JSON Lines, WARC) in Vietnamese, Russian, \
Ukrainian, Portuguese and Korean, finds their main text and language, extracts facts with \
human-editable rule files, and writes documents and facts as JSON Lines, CSV and SQLite.",
    after_help = "Example:\n  thidua extract corpus -o out\n  sqlite3 out/dataset.sqlite 'SELECT lang, count(*) FROM documents GROUP BY lang'"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    Extract(extract::Args),
    #[command(name = "check-translation")]
    CheckTranslation(check::Args),
    Eval(eval::Args),
    #[command(name = "gen-corpus", hide = true)]
    GenCorpus(gen::Args),
    /// Validate rule files and run every example they carry
    #[command(subcommand)]
    Rules(rules::RulesCommand),
}

/// The rules to use: `--rules DIR`, else the ones built into the binary.
pub fn load_rules(dir: Option<&PathBuf>) -> Result<RuleSet> {
    match dir {
        Some(d) => {
            RuleSet::from_dir(d).with_context(|| format!("cannot use the rules in {}", d.display()))
        }
        None => RuleSet::embedded().context("the built-in rules are broken (this is a bug)"),
    }
}

pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Extract(a) => extract::run(a),
        Command::CheckTranslation(a) => check::run(a),
        Command::Eval(a) => eval::run(a),
        Command::GenCorpus(a) => gen::run(a),
        Command::Rules(c) => rules::run(c),
    }
}
