//! Which rules cost the most? Over the texts of a dataset, times (1) every rule's exact regex
//! over every paragraph, and the whole extraction with and without the prefilter, and (2) each
//! rule on the prefiltered path, split into start search (relaxed form or literal starts) and
//! exact match: the second table is what a run pays, and names the rules worth rewriting.
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
    let mut paths = Vec::new();
    for (lang, docs) in &texts {
        let Some(lr) = rules.extract.lang(lang) else {
            continue;
        };
        let bytes: usize = docs.iter().map(String::len).sum();
        prefiltered_costs(lang, docs, lr, &mut paths);
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
    paths.sort_by(|a, b| (b.0 + b.1).total_cmp(&(a.0 + a.1)));
    println!("\non the prefiltered path (what a run pays):");
    println!("{:>8} {:>8} {:>7}  rule", "relaxed", "exact", "matches");
    for (relaxed, exact, n, id) in paths.iter().take(25) {
        println!("{relaxed:>8.3} {exact:>8.3} {n:>7}  {id}");
    }
    let total = |f: fn(&Cost) -> f64| paths.iter().map(f).sum::<f64>();
    println!(
        "{:>8.3} {:>8.3}          total",
        total(|c| c.0),
        total(|c| c.1)
    );
    Ok(())
}

/// Seconds in relaxed-start search, seconds in exact matching, matches, "lang rule".
type Cost = (f64, f64, usize, String);

/// Each rule's time on the path `extract` takes: the prefilter scan, then from each relaxed
/// start the exact regex (documents whose folded text changes length are left out).
fn prefiltered_costs(
    lang: &str,
    docs: &[String],
    lr: &thidua::rules::engine::LangRules,
    out: &mut Vec<Cost>,
) {
    let Some(pf) = &lr.prefilter else { return };
    let mut cost = vec![(0.0f64, 0.0f64, 0usize); lr.rules.len()];
    let mut scan = 0.0;
    // Each rule's search caches, kept for the whole run.
    let mut starts: Vec<Option<thidua::rules::pattern::Scratch>> =
        lr.rules.iter().map(|_| None).collect();
    let mut exact: Vec<_> = lr.rules.iter().map(|r| r.re.scratch()).collect();
    for d in docs {
        let t = Instant::now();
        let h = pf.scan(d);
        scan += t.elapsed().as_secs_f64();
        if !h.aligned {
            continue;
        }
        for (pi, (p, f)) in d.split('\n').zip(h.folded.split('\n')).enumerate() {
            for (ri, r) in lr.rules.iter().enumerate() {
                let Some(rel) = r.relaxed.as_ref().filter(|_| h.rule(pi, ri)) else {
                    continue;
                };
                let mut pos = 0;
                loop {
                    let t = Instant::now();
                    let start = rel.next_start(&mut starts[ri], p, f, pos);
                    cost[ri].0 += t.elapsed().as_secs_f64();
                    let Some(start) = start else { break };
                    let t = Instant::now();
                    let m = (r.re.captures_anchored_in(&mut exact[ri], p, start))
                        .and_then(|c| c.get(0));
                    cost[ri].1 += t.elapsed().as_secs_f64();
                    match m {
                        Some(m) if m.end() > start => {
                            cost[ri].2 += 1;
                            pos = m.end();
                        }
                        _ => pos = start + f[start..].chars().next().map_or(1, char::len_utf8),
                    }
                    if pos > f.len() {
                        break;
                    }
                }
            }
        }
    }
    out.push((scan, 0.0, 0, format!("{lang} (prefilter scan)")));
    for (r, (a, b, n)) in lr.rules.iter().zip(cost) {
        out.push((a, b, n, format!("{lang} {}", r.id)));
    }
}
