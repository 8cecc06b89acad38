//! `thidua eval --gold FILE DIR`: score a dataset made by `extract` against gold annotations.

use std::path::PathBuf;

use anyhow::Result;

use thidua::eval;

#[derive(clap::Args)]
#[command(
    about = "Score a dataset against gold annotations (precision, recall, F1 per kind and language)",
    after_help = "Example:\n  thidua extract corpus -o out && thidua eval --gold corpus/gold.jsonl out --misses"
)]
pub struct Args {
    /// Gold annotations, JSON Lines (SPEC §6)
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// A dataset directory written by `thidua extract`
    pub dir: PathBuf,
    /// List every missed and extra value, for rule writers
    #[arg(long)]
    pub misses: bool,
}

pub fn run(a: Args) -> Result<i32> {
    let gold = eval::read_gold(&a.gold)?;
    let report = eval::evaluate(&gold, &a.dir)?;
    print!("{}", report.render(a.misses));
    Ok(0)
}
