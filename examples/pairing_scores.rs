//! How well content pairing separates true pairs from the rest, to choose and justify
//! `pair_threshold` (rules/common/alignment.toml).
//!
//!   cargo run --release --example pairing_scores -- DATASET_DIR corpus/translations.jsonl
//!
//! Prints every true pair's content score (its URL ignored) and the highest scores of pairs
//! that are not translations of each other.

use std::collections::BTreeSet;

use anyhow::{Context, Result};
use thidua::model::{Document, Fact};
use thidua::translate::{pairing, Side};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, truth) = match args.as_slice() {
        [d, t] => (std::path::PathBuf::from(d), t.clone()),
        _ => anyhow::bail!("usage: pairing_scores DATASET_DIR TRANSLATIONS.jsonl"),
    };
    let rules = thidua::RuleSet::embedded()?;
    let docs: Vec<Document> = thidua::eval::read_jsonl(&dir.join("documents.jsonl"))?;
    let facts: Vec<Fact> = thidua::eval::read_jsonl(&dir.join("facts.jsonl"))?;
    let text = std::fs::read_to_string(&truth).with_context(|| truth.clone())?;
    let mut true_pairs: BTreeSet<(String, String)> = BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let o = v["original"].as_str().unwrap_or_default().to_string();
        let t = v["translation"].as_str().unwrap_or_default().to_string();
        true_pairs.insert((o, t));
    }
    let sides: Vec<Side> = docs
        .iter()
        .map(|d| {
            let f = facts.iter().filter(|f| f.doc_id == d.doc_id).collect();
            Side::new(d, f, &rules)
        })
        .collect();
    let originals: Vec<&Side> = sides.iter().filter(|s| s.doc.lang == "vi").collect();
    let translations: Vec<&Side> = sides.iter().filter(|s| s.doc.lang != "vi").collect();
    let short = |s: &Side| -> String {
        let src = &s.doc.source;
        src.rsplit_once("corpus/")
            .map(|x| x.1.to_string())
            .unwrap_or_else(|| src.rsplit('/').next().unwrap_or(src).to_string())
    };
    let scores =
        pairing::content_scores(&originals, &translations, rules.alignment.pair_window_days);
    let mut truth_scores = Vec::new();
    let mut false_scores = Vec::new();
    for (oi, ti, s) in scores {
        let key = (short(originals[oi]), short(translations[ti]));
        if true_pairs.contains(&key) {
            truth_scores.push((s, key));
        } else {
            false_scores.push((s, key));
        }
    }
    truth_scores.sort_by(|a, b| a.0.total_cmp(&b.0));
    false_scores.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!(
        "true pairs ({} of {}), lowest first:",
        truth_scores.len(),
        true_pairs.len()
    );
    for (s, (o, t)) in &truth_scores {
        println!("  {s:.3}  {o} <- {t}");
    }
    println!(
        "highest scores of other pairs ({} candidates in the date window):",
        false_scores.len()
    );
    for (s, (o, t)) in false_scores.iter().take(8) {
        println!("  {s:.3}  {o} <- {t}");
    }
    Ok(())
}
