//! Where start-up memory goes: each rule's and veto's compiled pattern and relaxed form, and
//! the search cache a new thread allocates for each before it has searched (lazy DFA caches
//! grow from there as a run goes on), largest first.
//! Usage: cargo run --release --example rule_memory [RULES_DIR]
use thidua::rules::prefilter::Starts;

fn main() -> anyhow::Result<()> {
    let rules = match std::env::args().nth(1) {
        Some(d) => thidua::RuleSet::from_dir(std::path::Path::new(&d))?,
        None => thidua::RuleSet::embedded()?,
    };
    let mut rows = Vec::new();
    let (mut relaxed, mut by_literals) = (0, 0);
    for (lang, lr) in rules.extract.all_langs() {
        for r in lr.rules.iter().filter_map(|r| r.relaxed.as_ref()) {
            relaxed += 1;
            by_literals += usize::from(matches!(r.search, Starts::Literals(_)));
        }
        let rules = lr.rules.iter().map(|r| (r.id.clone(), &r.re, &r.relaxed));
        let vetoes = (lr.vetoes.iter()).map(|v| (format!("veto {}", v.id), &v.re, &v.relaxed));
        for (id, re, relaxed) in rules.chain(vetoes) {
            let (rm, rc) = relaxed.as_ref().map_or((0, 0), |x| x.memory_usage());
            let (em, ec) = (re.memory_usage(), re.cache_memory_usage());
            rows.push((em, ec, rm, rc, format!("{lang} {id}")));
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.0 + r.1 + r.2 + r.3));
    let mb = |b: usize| b as f64 / 1e6;
    println!("   exact    cache  relaxed    cache  (MB; cache: a new thread's)");
    for (a, b, c, d, id) in rows.iter().take(25) {
        println!(
            "{:8.2} {:8.2} {:8.2} {:8.2}  {id}",
            mb(*a),
            mb(*b),
            mb(*c),
            mb(*d)
        );
    }
    let sum = |f: fn(&(usize, usize, usize, usize, String)) -> usize| mb(rows.iter().map(f).sum());
    println!(
        "{:8.2} {:8.2} {:8.2} {:8.2}  total over {} patterns",
        sum(|r| r.0),
        sum(|r| r.1),
        sum(|r| r.2),
        sum(|r| r.3),
        rows.len()
    );
    println!("{by_literals} of {relaxed} rules' relaxed forms find their starts by literals");
    Ok(())
}
