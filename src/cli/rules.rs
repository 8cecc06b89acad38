//! `thidua rules check [DIR]`: load and compile every rule file, validate it, and run every
//! worked example; report each problem with file, line and rule id.

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;

use thidua::rules::{self, RuleSet};

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Validate rule files (the built-in ones, or DIR) and run all their examples
    #[command(after_help = "Examples:\n  thidua rules check\n  thidua rules check my-rules/")]
    Check {
        /// A rules directory (default: the rules built into the binary)
        dir: Option<PathBuf>,
    },
}

pub fn run(c: RulesCommand) -> Result<i32> {
    let RulesCommand::Check { dir } = c;
    let sources = match &dir {
        Some(d) => match rules::dir_sources(d) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{e}");
                return Ok(1);
            }
        },
        None => rules::embedded_sources(),
    };
    let set = match RuleSet::from_sources(&sources) {
        Ok(set) => set,
        Err(e) => {
            eprintln!("{e}");
            return Ok(1);
        }
    };
    let failures = set.check_examples();
    if failures.is_empty() {
        let (rules, examples) = count(&sources);
        println!(
            "{} files, {rules} rules, {examples} examples: all pass",
            set.files
        );
        Ok(0)
    } else {
        for f in &failures {
            eprintln!("{f}");
        }
        eprintln!("{} example(s) fail", failures.len());
        Ok(1)
    }
}

/// Count rules (entries with an id and a pattern; gazetteer entries are data, not rules) and
/// examples across the files.
fn count(sources: &rules::Sources) -> (usize, usize) {
    let mut r = 0;
    let mut e = 0;
    for (_, text) in sources {
        let Ok(v) = text.parse::<toml::Table>() else {
            continue;
        };
        walk(&toml::Value::Table(v), &mut r, &mut e);
    }
    (r, e)
}

fn walk(v: &toml::Value, r: &mut usize, e: &mut usize) {
    match v {
        toml::Value::Table(t) => {
            if t.contains_key("id") && t.contains_key("pattern") {
                *r += 1;
            }
            for (k, x) in t {
                if matches!(k.as_str(), "examples" | "counter_examples" | "example") {
                    if let toml::Value::Array(a) = x {
                        *e += a.len();
                    }
                }
                walk(x, r, e);
            }
        }
        toml::Value::Array(a) => a.iter().for_each(|x| walk(x, r, e)),
        _ => {}
    }
}
