//! Running a language's rules over a document: candidates from every rule, vetoes, overlap
//! resolution (priority, then length), year resolution, and facts with character offsets.

pub mod number;
pub mod time;

use serde_json::{Map, Value};

use crate::model::{Fact, Sentence};
use crate::rules::engine::{LangRules, Piece, Rule, Template, Veto};
use crate::rules::pattern::{Caps, Pattern, Scratch};
use crate::rules::prefilter::{Hits, Relaxed};
use crate::segment::sentence_of;

/// What year resolution may lean on.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The document's publication date (YYYY-MM-DD…).
    pub published: Option<String>,
    /// `--reference-date`.
    pub reference_date: Option<String>,
}

#[derive(Debug, Clone)]
struct Candidate {
    rule: usize,
    start: usize,
    end: usize,
    values: Vec<String>,
    attrs: Map<String, Value>,
    year_missing: bool,
    year_offset: i32,
}

fn group_of(kind: &str) -> &str {
    match kind {
        "date" | "period" => "time",
        k => k,
    }
}

/// Normalize one capture by its name: lexicon of the same name (or `map`), numbers for
/// `amount*`/`count*`, zero-padded days and months.
fn normalize_capture(lr: &LangRules, rule: &Rule, name: &str, raw: &str) -> Option<String> {
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let lex = rule.map.get(name).map(String::as_str).unwrap_or(base);
    let looked_up = lr.lookup(lex, raw).map(str::to_string);
    if looked_up.is_none() && (base.starts_with("amount") || base.starts_with("count")) {
        let nf = lr.numbers.as_ref()?;
        return nf.amount(raw).map(|d| d.to_string());
    }
    let v = looked_up.unwrap_or_else(|| raw.split_whitespace().collect::<Vec<_>>().join(" "));
    match base {
        "day" | "month" => {
            let n: u32 = v.trim().parse().ok().or_else(|| {
                lr.numbers
                    .as_ref()
                    .and_then(|nf| nf.amount(&v))
                    .and_then(|d| d.to_string().parse().ok())
            })?;
            Some(format!("{n:02}"))
        }
        "year" => {
            let y: u32 = v.trim().parse().ok()?;
            Some(format!("{y:04}"))
        }
        _ => Some(v),
    }
}

fn render(t: &Template, env: &Env) -> Option<String> {
    let mut s = String::new();
    for p in &t.0 {
        match p {
            Piece::Lit(l) => s.push_str(l),
            Piece::Var(v) => s.push_str(env.get(v)?),
        }
    }
    Some(s)
}

type Env = std::collections::BTreeMap<String, String>;

/// Normalize every named capture (name, text when it took part) into `env`; false if one
/// cannot be read.
fn fill_env<'a>(
    lr: &LangRules,
    rule: &Rule,
    groups: impl Iterator<Item = (&'a str, Option<&'a str>)>,
    env: &mut Env,
) -> bool {
    for (name, text) in groups {
        if let Some(t) = text {
            match normalize_capture(lr, rule, name, t) {
                Some(v) => {
                    env.insert(name.to_string(), v);
                }
                None => return false,
            }
        }
    }
    true
}

/// Where a name ends: cut it before the first stop word, and trailing punctuation.
fn cut_name(stop: &regex::Regex, name: &str) -> usize {
    let end = stop
        .find_iter(name)
        .find(|m| m.start() > 0)
        .map(|m| m.start())
        .unwrap_or(name.len());
    name[..end]
        .trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—(".contains(c))
        .len()
}

/// Turn an environment into a candidate for span `start..end`.
fn make_candidate(
    rule: &Rule,
    ri: usize,
    mut env: Env,
    start: usize,
    end: usize,
) -> Option<Candidate> {
    for (k, t) in &rule.defaults {
        if !env.contains_key(k) {
            if let Some(v) = render(t, &env) {
                env.insert(k.clone(), v);
            }
        }
    }
    let mut year_missing = false;
    for t in &rule.values {
        for v in t.vars() {
            if v.starts_with("year") && !env.contains_key(v) {
                env.insert(v.to_string(), "XXXX".into());
                year_missing = true;
            }
        }
    }
    let year_offset = env
        .get("rel")
        .and_then(|r| r.trim_start_matches('+').parse::<i32>().ok())
        .unwrap_or(0);
    let values: Vec<String> = rule
        .values
        .iter()
        .map(|t| render(t, &env))
        .collect::<Option<_>>()?;
    if values
        .iter()
        .any(|v| !time::valid_value(&rule.kind, &v.replace("XXXX", "2000")))
    {
        return None;
    }
    let mut attrs = Map::new();
    for (k, t) in &rule.attrs {
        let v = render(t, &env).filter(|s| !s.is_empty());
        attrs.insert(k.clone(), v.map(Value::String).unwrap_or(Value::Null));
    }
    Some(Candidate {
        rule: ri,
        start,
        end,
        values,
        attrs,
        year_missing,
        year_offset,
    })
}

/// The candidates of every rule in each of a batch of documents (one language).
///
/// Rule by rule over the whole batch, not document by document: each rule's automata and
/// search caches stay in the CPU caches while they serve every document, where running all
/// rules over one paragraph after another touches a few megabytes of automata per paragraph
/// (rule matching on 3.5 MB of text: 1.8 times faster). A document's candidates are the same
/// either way: each rule still goes through its paragraphs in order, and what follows sorts
/// them by rule where nothing else decides.
fn candidates(docs: &[DocRef<'_>], hits: &[Option<Hits>], lr: &LangRules) -> Vec<Vec<Candidate>> {
    // Each document's paragraphs (no fact crosses a line break): byte offset, text, folded.
    let paras: Vec<Vec<(usize, &str, Option<&str>)>> = docs
        .iter()
        .zip(hits)
        .map(|(doc, h)| {
            let mut folded = h.as_ref().map(|h| h.folded.split('\n'));
            let mut base = 0usize;
            doc.text
                .split('\n')
                .map(|p| {
                    let f = folded.as_mut().and_then(Iterator::next);
                    let at = base;
                    base += p.len() + 1;
                    (at, p, f)
                })
                .collect()
        })
        .collect();
    let mut out: Vec<Vec<Candidate>> = docs.iter().map(|_| Vec::new()).collect();
    for (ri, rule) in lr.rules.iter().enumerate() {
        // This rule's caches serve the whole batch (see `Scratch`).
        let mut caches = Caches::new(rule.relaxed.as_ref());
        for ((doc_paras, h), cands) in paras.iter().zip(hits).zip(out.iter_mut()) {
            for (pi, &(base, para, folded)) in doc_paras.iter().enumerate() {
                let h = h.as_ref();
                if let Some(matches) = paragraph_matches(rule, ri, h, pi, para, folded, &mut caches)
                {
                    rule_candidates(base, ri, lr, matches, cands);
                }
            }
        }
        caches.done(rule.relaxed.as_ref());
    }
    out
}

/// One rule's or veto's search caches for one pass over a batch, each made when first needed
/// (see [`Scratch`]).
#[derive(Debug)]
struct Caches {
    exact: Option<Scratch>,
    starts: Option<Scratch>,
}

impl Caches {
    /// Caches for a pass: the exact pattern's made afresh when first needed, the start
    /// regex's a spare one of the relaxed form's when it has one.
    fn new(relaxed: Option<&Relaxed>) -> Caches {
        Caches {
            exact: None,
            starts: relaxed.and_then(Relaxed::take_scratch),
        }
    }

    /// The pass is over: the exact pattern's cache goes (it grew with the haystacks it served;
    /// making it again costs nothing measurable), the start regex's goes back to the relaxed
    /// form (see [`Relaxed::take_scratch`]).
    fn done(self, relaxed: Option<&Relaxed>) {
        if let (Some(rel), Some(s)) = (relaxed, self.starts) {
            rel.give_back(s);
        }
    }

    fn exact<'c>(exact: &'c mut Option<Scratch>, re: &Pattern) -> &'c mut Scratch {
        exact.get_or_insert_with(|| re.scratch())
    }
}

/// A rule's matches in one paragraph: only where the prefilter saw one of its literals, and
/// there only from where its relaxed form (no word boundaries, over the folded text, or the
/// text itself for a case-sensitive rule; DFA-fast) finds a possible start. `None` when the
/// rule need not run there.
fn paragraph_matches<'t>(
    rule: &Rule,
    ri: usize,
    hits: Option<&Hits>,
    pi: usize,
    para: &'t str,
    folded: Option<&str>,
    caches: &mut Caches,
) -> Option<Vec<Caps<'t>>> {
    let all = |c: &mut Caches| {
        rule.re
            .captures_all_in(Caches::exact(&mut c.exact, &rule.re), para)
    };
    match (hits, folded, &rule.relaxed) {
        (Some(h), _, _) if !h.rule(pi, ri) => None,
        (Some(h), Some(f), Some(rel)) => {
            if h.aligned && rel.nonempty {
                Some(matches_from_starts(&rule.re, rel, para, f, caches))
            } else if rel.may_match(&mut caches.starts, para, f) {
                Some(all(caches))
            } else {
                None
            }
        }
        _ => Some(all(caches)),
    }
}

/// The matches of a pattern as its own iterator gives them (leftmost first, not overlapping),
/// found by trying it, anchored, only where its relaxed form may start a match in `folded`
/// (the text case-folded, with the same byte offsets). The relaxed form matches wherever the
/// pattern does, so the pattern's next match at or after a position starts at one of the
/// relaxed form's leftmost starts from there: try the pattern at that start; where it fails,
/// go on from the next character. When every relaxed match begins with one of a few literals,
/// their occurrences are those starts (a superset of them), found without the relaxed form's
/// DFA. `at(start)` gives the pattern's match starting exactly there and its end. (A
/// case-sensitive pattern's relaxed form searches `text` itself: the offsets are the same.)
fn from_relaxed_starts<T>(
    relaxed: &Relaxed,
    starts: &mut Option<Scratch>,
    text: &str,
    folded: &str,
    mut at: impl FnMut(usize) -> Option<(T, usize)>,
) -> Vec<T> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos <= folded.len() {
        let Some(start) = relaxed.next_start(starts, text, folded, pos) else {
            break;
        };
        match at(start) {
            // (A match is never empty: the relaxed form, which holds it, is not.)
            Some((m, end)) if end > start => {
                relaxed.record_try(true);
                out.push(m);
                pos = end;
            }
            _ => {
                relaxed.record_try(false);
                pos = start + folded[start..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    out
}

/// The captures of `re` in `text`, as `captures_iter` gives them (see [`from_relaxed_starts`]).
fn matches_from_starts<'t>(
    re: &Pattern,
    relaxed: &Relaxed,
    text: &'t str,
    folded: &str,
    caches: &mut Caches,
) -> Vec<Caps<'t>> {
    let exact = &mut caches.exact;
    from_relaxed_starts(relaxed, &mut caches.starts, text, folded, |start| {
        let caps = re.captures_anchored_in(Caches::exact(exact, re), text, start)?;
        let end = caps.get(0)?.end();
        Some((caps, end))
    })
}

/// Spans of a veto's matches in the whole text: from the relaxed starts when the prefilter ran.
fn veto_matches(
    v: &Veto,
    text: &str,
    hits: Option<&Hits>,
    caches: &mut Caches,
) -> Vec<(usize, usize)> {
    let exact = &mut caches.exact;
    match (hits, &v.relaxed) {
        (Some(h), Some(rel)) if h.aligned && rel.nonempty => {
            from_relaxed_starts(rel, &mut caches.starts, text, &h.folded, |start| {
                let m =
                    v.re.find_anchored_in(Caches::exact(exact, &v.re), text, start)?;
                Some((m, m.1))
            })
        }
        _ => v.re.find_all_in(Caches::exact(exact, &v.re), text),
    }
}

fn rule_candidates(
    base: usize,
    ri: usize,
    lr: &LangRules,
    matches: Vec<Caps<'_>>,
    out: &mut Vec<Candidate>,
) {
    let rule = &lr.rules[ri];
    let before = out.len();
    for caps in matches {
        let Some(m) = caps.get(0) else { continue };
        if m.as_str().contains('\n') || m.as_str().trim().is_empty() {
            continue;
        }
        let mut env = Env::new();
        let groups = rule
            .re
            .capture_names()
            .flatten()
            .map(|n| (n, caps.name(n).map(|g| g.as_str())));
        if !fill_env(lr, rule, groups, &mut env) {
            continue;
        }
        let whole = rule.span.as_ref().and_then(|n| caps.name(n)).unwrap_or(m);
        let (start, mut end) = (whole.start(), whole.end());
        if let (Some(stop), Some(name)) = (&rule.stop, caps.name("name")) {
            let keep = cut_name(stop, name.as_str());
            if keep == 0 || name.as_str()[..keep].split_whitespace().count() < rule.min_words {
                continue;
            }
            env.insert(
                "name".into(),
                name.as_str()[..keep]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            if name.end() == whole.end() {
                end = name.start() + keep;
            }
        }
        match (
            &rule.split,
            rule.split.as_ref().and_then(|sp| caps.name(&sp.capture)),
        ) {
            (Some(sp), Some(list)) => {
                for (is, ie) in split_items(sp, list.as_str()) {
                    let item_text = &list.as_str()[is..ie];
                    let Some(ic) = sp.item.captures(item_text) else {
                        continue;
                    };
                    let mut ienv = env.clone();
                    let groups = sp
                        .item
                        .capture_names()
                        .flatten()
                        .map(|n| (n, ic.name(n).map(|g| g.as_str())));
                    if !fill_env(lr, rule, groups, &mut ienv) {
                        continue;
                    }
                    // The fact's span is the item's `name` capture when there is one.
                    let (s0, e0) = ic
                        .name("name")
                        .map(|n| (n.start(), n.end()))
                        .unwrap_or((0, item_text.len()));
                    let base = list.start() + is;
                    if let Some(c) = make_candidate(rule, ri, ienv, base + s0, base + e0) {
                        out.push(c);
                    }
                }
            }
            _ => {
                if let Some(c) = make_candidate(rule, ri, env, start, end) {
                    out.push(c);
                }
            }
        }
    }
    for c in &mut out[before..] {
        c.start += base;
        c.end += base;
    }
}

/// Byte ranges of the items of an enumeration, trimmed.
fn split_items(sp: &crate::rules::engine::Split, list: &str) -> Vec<(usize, usize)> {
    let mut items = Vec::new();
    let mut last = 0;
    // A separator may look ahead: only its `cut` group (when it has one) is removed, the rest
    // of its match belongs to the next item ("…, Sở Y tế": cut ", ", keep "Sở").
    for c in sp.separators.captures_iter(list) {
        let Some(m) = c.name("cut").or_else(|| c.get(0)) else {
            continue;
        };
        items.push((last, m.start()));
        last = m.end();
    }
    items.push((last, list.len()));
    if let (Some(ls), Some(&(a, b))) = (&sp.last_separator, items.last()) {
        let tail = &list[a..b];
        if let Some(m) = ls.find_iter(tail).last() {
            items.pop();
            items.push((a, a + m.start()));
            items.push((a + m.end(), b));
        }
    }
    items
        .into_iter()
        .filter_map(|(a, b)| {
            let seg = &list[a..b];
            let lead = seg.len() - seg.trim_start().len();
            let trail = seg.len() - seg.trim_end().len();
            (b - trail > a + lead).then_some((a + lead, b - trail))
        })
        .collect()
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Extract the facts of one document. `doc_id` is copied into each fact.
pub fn extract(
    doc_id: &str,
    text: &str,
    sentences: &[Sentence],
    lr: &LangRules,
    ctx: &Context,
) -> Vec<Fact> {
    extract_with(doc_id, text, sentences, lr, ctx, true)
}

/// One document of a batch given to [`extract_batch`].
#[derive(Debug, Clone, Copy)]
pub struct DocRef<'a> {
    pub doc_id: &'a str,
    pub text: &'a str,
    pub sentences: &'a [Sentence],
    pub ctx: &'a Context,
}

/// Extract the facts of several documents of one language: the same facts as [`extract`]
/// on each, found faster (see [`candidates`]).
pub fn extract_batch(docs: &[DocRef<'_>], lr: &LangRules) -> Vec<Vec<Fact>> {
    extract_batch_with(docs, lr, true)
}

/// [`extract`], with the prefilter on or off (off: every rule's regex runs over every
/// paragraph; for the test and benchmark that show the prefilter changes nothing).
#[doc(hidden)]
pub fn extract_with(
    doc_id: &str,
    text: &str,
    sentences: &[Sentence],
    lr: &LangRules,
    ctx: &Context,
    prefilter: bool,
) -> Vec<Fact> {
    let doc = DocRef {
        doc_id,
        text,
        sentences,
        ctx,
    };
    extract_batch_with(&[doc], lr, prefilter)
        .pop()
        .unwrap_or_default()
}

fn extract_batch_with(docs: &[DocRef<'_>], lr: &LangRules, prefilter: bool) -> Vec<Vec<Fact>> {
    let hits: Vec<Option<Hits>> = docs
        .iter()
        .map(|d| match (&lr.prefilter, prefilter) {
            (Some(pf), true) => Some(pf.scan(d.text)),
            _ => None,
        })
        .collect();
    let cands = candidates(docs, &hits, lr);
    // The vetoes' caches serve the batch (see `Scratch`).
    let mut veto_caches: Vec<Caches> = (lr.vetoes.iter())
        .map(|v| Caches::new(v.relaxed.as_ref()))
        .collect();
    let facts = docs
        .iter()
        .zip(&hits)
        .zip(cands)
        .map(|((d, h), c)| resolve(d, lr, h.as_ref(), c, &mut veto_caches))
        .collect();
    for (v, c) in lr.vetoes.iter().zip(veto_caches) {
        c.done(v.relaxed.as_ref());
    }
    facts
}

/// One document's candidates → its facts: vetoes, overlaps, years, character offsets.
fn resolve(
    doc: &DocRef<'_>,
    lr: &LangRules,
    hits: Option<&Hits>,
    mut cands: Vec<Candidate>,
    veto_caches: &mut [Caches],
) -> Vec<Fact> {
    let DocRef {
        doc_id,
        text,
        sentences,
        ctx,
    } = *doc;
    // Vetoes delete what they overlap: run those whose literals occur and that could delete
    // one of the candidates.
    let mut veto_spans: Vec<(usize, usize, &Vec<String>)> = Vec::new();
    for ((vi, v), caches) in lr.vetoes.iter().enumerate().zip(veto_caches) {
        if hits.is_some_and(|h| !h.veto(vi))
            || !cands
                .iter()
                .any(|c| v.kinds.contains(&lr.rules[c.rule].kind))
        {
            continue;
        }
        for (s, e) in veto_matches(v, text, hits, caches) {
            veto_spans.push((s, e, &v.kinds));
        }
    }
    cands.retain(|c| {
        let kind = &lr.rules[c.rule].kind;
        !veto_spans
            .iter()
            .any(|(s, e, kinds)| kinds.contains(kind) && overlaps((*s, *e), (c.start, c.end)))
    });
    // Overlaps within a group: priority, then length, then position, then rule order.
    cands.sort_by(|a, b| {
        let (ra, rb) = (&lr.rules[a.rule], &lr.rules[b.rule]);
        rb.priority
            .cmp(&ra.priority)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
            .then(a.rule.cmp(&b.rule))
    });
    let mut kept: Vec<Candidate> = Vec::new();
    for c in cands {
        let g = group_of(&lr.rules[c.rule].kind);
        if kept.iter().any(|k| {
            group_of(&lr.rules[k.rule].kind) == g && overlaps((k.start, k.end), (c.start, c.end))
        }) {
            continue;
        }
        kept.push(c);
    }
    kept.sort_by_key(|c| (c.start, c.end, c.rule));
    // Byte → character offsets, computed once.
    let mut char_at = vec![0usize; text.len() + 1];
    let mut n = 0;
    for (i, ch) in text.char_indices() {
        for slot in char_at.iter_mut().skip(i).take(ch.len_utf8()) {
            *slot = n;
        }
        n += 1;
    }
    char_at[text.len()] = n;
    resolve_years(&mut kept, text, lr, ctx, &char_at);
    let mut facts = Vec::new();
    for c in &kept {
        let rule = &lr.rules[c.rule];
        let (start, end) = (char_at[c.start], char_at[c.end]);
        for v in &c.values {
            let mut attrs = c.attrs.clone();
            match rule.kind.as_str() {
                "date" => {
                    attrs.insert("year_inferred".into(), Value::Bool(c.year_missing));
                    attrs.entry("part_of_day").or_insert(Value::Null);
                }
                "period" => {
                    let (s, e) = time::period_bounds(v).flatten().unzip();
                    attrs.insert("start".into(), s.map(Value::String).unwrap_or(Value::Null));
                    attrs.insert("end".into(), e.map(Value::String).unwrap_or(Value::Null));
                    if c.year_missing {
                        attrs.insert("year_inferred".into(), Value::Bool(true));
                    }
                }
                _ => {}
            }
            facts.push(Fact {
                doc_id: doc_id.to_string(),
                fact_id: 0,
                kind: rule.kind.clone(),
                text: text[c.start..c.end].to_string(),
                start,
                end,
                sentence: sentence_of(sentences, start),
                value: v.clone(),
                attrs,
                rule: rule.id.clone(),
            });
        }
    }
    for (i, f) in facts.iter_mut().enumerate() {
        f.fact_id = i as u32;
    }
    facts
}

/// Give year-less dates and periods their year (SPEC §4.1).
fn resolve_years(
    kept: &mut [Candidate],
    text: &str,
    lr: &LangRules,
    ctx: &Context,
    char_at: &[usize],
) {
    let anchor = ctx
        .published
        .as_deref()
        .and_then(time::ymd)
        .or_else(|| ctx.reference_date.as_deref().and_then(time::ymd));
    // Years written with time expressions, for the last resort: (byte position, year).
    let written: Vec<(usize, i32)> = kept
        .iter()
        .filter(|c| !c.year_missing)
        .filter_map(|c| {
            let kind = &lr.rules[c.rule].kind;
            let v = c.values.first()?;
            let y = match kind.as_str() {
                "date" => v.get(..4)?.parse().ok()?,
                "period"
                    if v.len() == 4 || v.len() == 7 && v.contains("-H") || v.contains("-Q") =>
                {
                    v.get(..4)?.parse().ok()?
                }
                _ => return None,
            };
            Some((c.start, y))
        })
        .collect();
    for c in kept.iter_mut().filter(|c| c.year_missing) {
        let kind = lr.rules[c.rule].kind.clone();
        let sentence_text = sentence_around(text, c.start);
        let future = lr
            .future
            .as_ref()
            .is_some_and(|re| re.is_match(sentence_text));
        let month = c
            .values
            .first()
            .and_then(|v| time::parse_date(&v.replace("XXXX", "2000")).map(|(_, m, _)| m));
        let year = match (&anchor, kind.as_str()) {
            (Some(a), "date") => c
                .values
                .first()
                .and_then(|v| time::parse_date(&v.replace("XXXX", "2000")))
                .map(|(_, m, d)| time::year_for(m, d, *a, future)),
            (Some(a), _) => Some(a.0 + c.year_offset),
            (None, _) => {
                let (s0, s1) = sentence_bounds(text, c.start);
                let near: Vec<i32> = written
                    .iter()
                    .filter(|(p, _)| *p >= s0 && *p < s1)
                    .map(|(_, y)| *y)
                    .collect();
                pick_written_year(&near, month)
                    .or_else(|| {
                        written
                            .iter()
                            .min_by_key(|(p, _)| {
                                (char_at[*p] as i64 - char_at[c.start] as i64).abs()
                            })
                            .map(|(_, y)| *y)
                    })
                    .map(|y| y + c.year_offset)
            }
        };
        if let Some(y) = year {
            let ys = format!("{y:04}");
            for v in c.values.iter_mut() {
                *v = v.replace("XXXX", &ys);
            }
            if kind == "date" && c.values.iter().any(|v| time::parse_date(v).is_none()) {
                // 29 February in a year without it: leave unresolved.
                for v in c.values.iter_mut() {
                    *v = format!("XXXX{}", &v[4..]);
                }
            }
        }
    }
}

/// Byte bounds of the stretch of text between sentence punctuation around a position.
fn sentence_bounds(text: &str, pos: usize) -> (usize, usize) {
    let start = text[..pos]
        .rfind(['!', '?', '\n'])
        .map(|i| i + 1)
        .unwrap_or(0);
    let start = text[start..pos]
        .rfind(". ")
        .map(|i| start + i + 2)
        .unwrap_or(start);
    let end = text[pos..]
        .find(['!', '?', '\n'])
        .map(|i| pos + i)
        .unwrap_or(text.len());
    let end = text[pos..end]
        .find(". ")
        .map(|i| pos + i + 1)
        .unwrap_or(end);
    (start, end)
}

fn sentence_around(text: &str, pos: usize) -> &str {
    let (s, e) = sentence_bounds(text, pos);
    &text[s..e]
}

/// Among years written in the same sentence, the one a year-less date most likely has.
/// Reports around the turn of a year name the year just ended and the one begun ("summary of
/// 2023, tasks for 2024"): a date in the first half of the calendar takes the later of two
/// consecutive years, a date in the second half the earlier.
fn pick_written_year(years: &[i32], month: Option<u32>) -> Option<i32> {
    let max = *years.iter().max()?;
    if years.contains(&(max - 1)) {
        return Some(match month {
            Some(m) if m > 6 => max - 1,
            _ => max,
        });
    }
    let mut counts: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
    for y in years {
        *counts.entry(*y).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(y, n)| (*n, *y))
        .map(|(y, _)| y)
}
