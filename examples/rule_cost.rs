//! Time spent per rule on the prefiltered path (relaxed start search + exact captures), for
//! finding the rules worth rewriting. Usage: rule_cost OUT_DIR [LANG]
use std::collections::BTreeMap;
use std::time::Instant;
fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let out = args
        .get(1)
        .ok_or_else(|| anyhow::anyhow!("usage: rule_cost OUT_DIR [LANG]"))?;
    let rules = thidua::RuleSet::embedded()?;
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in std::fs::read_to_string(format!("{out}/documents.jsonl"))?.lines() {
        let d: thidua::Document = serde_json::from_str(line)?;
        texts.entry(d.lang.clone()).or_default().push(d.text);
    }
    let mut rows = Vec::new();
    for (lang, docs) in &texts {
        if args.get(2).is_some_and(|l| l != lang) {
            continue;
        }
        let Some(lr) = rules.extract.langs.get(lang) else {
            continue;
        };
        let Some(pf) = &lr.prefilter else { continue };
        let mut cost = vec![(0.0f64, 0.0f64, 0usize); lr.rules.len()];
        let mut scan = 0.0;
        for d in docs {
            let t = Instant::now();
            let h = pf.scan(d);
            scan += t.elapsed().as_secs_f64();
            for (pi, (p, f)) in d.split('\n').zip(h.folded.split('\n')).enumerate() {
                for (ri, r) in lr.rules.iter().enumerate() {
                    if !h.rule(pi, ri) {
                        continue;
                    }
                    let Some(rel) = &r.relaxed else { continue };
                    let mut pos = 0;
                    loop {
                        let t = Instant::now();
                        let s = rel
                            .re
                            .search(&regex_automata::Input::new(f).range(pos..))
                            .map(|m| m.start());
                        cost[ri].0 += t.elapsed().as_secs_f64();
                        let Some(s) = s else { break };
                        let t = Instant::now();
                        let c = r.re.captures_at(p, s);
                        cost[ri].1 += t.elapsed().as_secs_f64();
                        let Some(m) = c.and_then(|c| c.get(0)) else {
                            break;
                        };
                        cost[ri].2 += 1;
                        pos = m.end();
                    }
                }
            }
        }
        rows.push((scan, 0.0, 0, format!("{lang} (prefilter scan)")));
        for (ri, r) in lr.rules.iter().enumerate() {
            rows.push((
                cost[ri].0,
                cost[ri].1,
                cost[ri].2,
                format!("{lang} {}", r.id),
            ));
        }
    }
    rows.sort_by(|a, b| (b.0 + b.1).total_cmp(&(a.0 + a.1)));
    println!("{:>8} {:>8} {:>7}  rule", "relaxed", "exact", "matches");
    for (a, b, n, id) in rows.iter().take(25) {
        println!("{a:>8.3} {b:>8.3} {n:>7}  {id}");
    }
    let (ta, tb): (f64, f64) = (
        rows.iter().map(|r| r.0).sum(),
        rows.iter().map(|r| r.1).sum(),
    );
    println!("{ta:>8.3} {tb:>8.3}          total");
    Ok(())
}
