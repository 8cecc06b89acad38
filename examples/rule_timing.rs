//! Which rules cost the most? Times every rule's regex over the texts of a dataset.
//! Usage: cargo run --release --example rule_timing -- OUT_DIR [RULES_DIR]
//! (OUT_DIR is a dataset written by `thidua extract`.)

use std::collections::BTreeMap;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let out = args
        .get(1)
        .ok_or_else(|| anyhow::anyhow!("usage: rule_timing OUT_DIR [RULES_DIR]"))?;
    let rules = match args.get(2) {
        Some(d) => thidua::RuleSet::from_dir(std::path::Path::new(d))?,
        None => thidua::RuleSet::embedded()?,
    };
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in std::fs::read_to_string(format!("{out}/documents.jsonl"))?.lines() {
        let d: thidua::Document = serde_json::from_str(line)?;
        texts.entry(d.lang.clone()).or_default().push(d.text);
    }
    let mut rows = Vec::new();
    for (lang, docs) in &texts {
        let Some(lr) = rules.extract.langs.get(lang) else {
            continue;
        };
        let bytes: usize = docs.iter().map(String::len).sum();
        for r in &lr.rules {
            let t = Instant::now();
            let mut n = 0;
            for d in docs {
                for p in d.split('\n') {
                    n += r.re.find_iter(p).count();
                }
            }
            let secs = t.elapsed().as_secs_f64();
            rows.push((
                secs,
                lang.clone(),
                r.id.clone(),
                n,
                bytes as f64 / 1e6 / secs,
            ));
        }
        // The whole extraction of every document, with and without the prefilter.
        for (label, on) in [
            ("(extract, prefilter on)", true),
            ("(extract, prefilter off)", false),
        ] {
            let t = Instant::now();
            let mut n = 0;
            for d in docs {
                n += thidua::extract::extract_with("d", d, &[], lr, &Default::default(), on).len();
            }
            let secs = t.elapsed().as_secs_f64();
            rows.push((
                secs,
                lang.clone(),
                label.into(),
                n,
                bytes as f64 / 1e6 / secs,
            ));
        }
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!(
        "{:>8}  {:<4} {:<40} {:>7} {:>9}",
        "seconds", "lang", "rule", "matches", "MB/s"
    );
    for (secs, lang, id, n, mbs) in rows.iter().take(30) {
        println!("{secs:>8.3}  {lang:<4} {id:<40} {n:>7} {mbs:>9.1}");
    }
    Ok(())
}
