//! Scoring a dataset against gold annotations (SPEC §6): precision, recall and F1 per kind and
//! per language over each document's distinct normalized values, and accuracy of document
//! fields. Names (bloc, member_unit, person) match after case-folding and punctuation
//! normalization when one contains the other or they share most of their words.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::model::{Document, Fact};

pub const NAME_KINDS: [&str; 3] = ["bloc", "member_unit", "person"];

#[derive(Debug, Deserialize)]
pub struct GoldDoc {
    pub file: String,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub facts: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub doc: BTreeMap<String, Option<String>>,
    #[serde(default)]
    pub translation_of: Option<String>,
}

/// True positives, false positives, false negatives.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// One missed or extra value, for `--misses`.
#[derive(Debug, Clone)]
pub struct Miss {
    pub file: String,
    pub kind: String,
    pub value: String,
    pub missed: bool,
}

#[derive(Debug, Default)]
pub struct Report {
    /// (kind, lang) → counts; lang "all" for totals.
    pub by_kind_lang: BTreeMap<(String, String), Counts>,
    /// field → (correct, total)
    pub fields: BTreeMap<String, (usize, usize)>,
    pub field_misses: Vec<(String, String, String, String)>,
    pub misses: Vec<Miss>,
    pub unmatched_gold: Vec<String>,
    pub documents: usize,
}

fn norm_name(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Do two names refer to the same thing (SPEC §6)?
pub fn names_match(a: &str, b: &str) -> bool {
    let (a, b) = (norm_name(a), norm_name(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b || a.contains(&b) || b.contains(&a) {
        return true;
    }
    let wa: BTreeSet<&str> = a.split(' ').collect();
    let wb: BTreeSet<&str> = b.split(' ').collect();
    let inter = wa.intersection(&wb).count();
    inter * 3 >= wa.len().max(wb.len()) * 2
}

/// Compare gold and predicted values of one kind in one document.
pub fn compare(kind: &str, gold: &[String], pred: &[String]) -> (Counts, Vec<String>, Vec<String>) {
    let gold: Vec<&String> = gold.iter().collect::<BTreeSet<_>>().into_iter().collect();
    let pred: Vec<&String> = pred.iter().collect::<BTreeSet<_>>().into_iter().collect();
    let fuzzy = NAME_KINDS.contains(&kind);
    let mut used = vec![false; pred.len()];
    let mut missed = Vec::new();
    let mut tp = 0;
    for g in &gold {
        let hit = pred
            .iter()
            .enumerate()
            .position(|(i, p)| !used[i] && if fuzzy { names_match(g, p) } else { g == p });
        match hit {
            Some(i) => {
                used[i] = true;
                tp += 1;
            }
            None => missed.push((*g).clone()),
        }
    }
    let extra: Vec<String> = pred
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(p, _)| (*p).clone())
        .collect();
    (
        Counts {
            tp,
            fp: extra.len(),
            fn_: missed.len(),
        },
        missed,
        extra,
    )
}

pub fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{}:{}: invalid JSON", path.display(), i + 1))
        })
        .collect()
}

pub fn read_gold(path: &Path) -> Result<Vec<GoldDoc>> {
    read_jsonl(path)
}

/// The document a gold entry names: its source ends with the gold file path.
pub fn find_doc<'a>(docs: &'a [Document], file: &str) -> Option<&'a Document> {
    docs.iter().find(|d| {
        let s = d.source.replace('\\', "/");
        s == file || s.ends_with(&format!("/{file}"))
    })
}

fn field_value(d: &Document, key: &str) -> Option<String> {
    match key {
        "source_url" => d.source_url.clone(),
        "event_date" => d.event_date.clone(),
        "province" => d.province.clone(),
        "author" => d.author.clone(),
        "published" => d.published.as_ref().map(|p| p.chars().take(10).collect()),
        "url" => d.url.clone(),
        "title" => d.title.clone(),
        "bloc" => d.bloc.clone(),
        _ => None,
    }
}

fn field_eq(key: &str, gold: &Option<String>, got: &Option<String>) -> bool {
    match (gold, got) {
        (None, None) => true,
        (Some(g), Some(v)) => match key {
            "author" | "title" | "province" => norm_name(g) == norm_name(v),
            "bloc" => names_match(g, v),
            "published" => g.get(..10).unwrap_or(g) == v.get(..10).unwrap_or(v),
            _ => g.trim() == v.trim(),
        },
        _ => false,
    }
}

/// Score the dataset in `dir` against `gold`.
pub fn evaluate(gold: &[GoldDoc], dir: &Path) -> Result<Report> {
    let docs: Vec<Document> = read_jsonl(&dir.join("documents.jsonl"))?;
    let facts: Vec<Fact> = read_jsonl(&dir.join("facts.jsonl"))?;
    let mut by_doc: BTreeMap<&str, Vec<&Fact>> = BTreeMap::new();
    for f in &facts {
        by_doc.entry(f.doc_id.as_str()).or_default().push(f);
    }
    let mut r = Report::default();
    for g in gold {
        let Some(d) = find_doc(&docs, &g.file) else {
            r.unmatched_gold.push(g.file.clone());
            continue;
        };
        r.documents += 1;
        let lang = g.lang.clone().unwrap_or_else(|| d.lang.clone());
        let empty = Vec::new();
        let dfacts = by_doc.get(d.doc_id.as_str()).unwrap_or(&empty);
        for (kind, gold_values) in &g.facts {
            // A canonical name from the gazetteer may differ from the name as written, which is
            // what a gold annotator sees: for names, a fact's `attrs.surface` counts too.
            // (All mentions of one canonical value count as the surface the gold names.)
            let gold_has = |n: &str| gold_values.iter().any(|g| names_match(g, n));
            let mut as_written: BTreeMap<&str, &str> = BTreeMap::new();
            for f in dfacts
                .iter()
                .filter(|f| &f.kind == kind && NAME_KINDS.contains(&kind.as_str()))
            {
                if let Some(surface) = f.attrs.get("surface").and_then(serde_json::Value::as_str) {
                    if !gold_has(&f.value) && gold_has(surface) {
                        as_written.entry(f.value.as_str()).or_insert(surface);
                    }
                }
            }
            let pred: Vec<String> = dfacts
                .iter()
                .filter(|f| &f.kind == kind)
                .map(|f| {
                    as_written
                        .get(f.value.as_str())
                        .map_or_else(|| f.value.clone(), |s| s.to_string())
                })
                .collect();
            let (c, missed, extra) = compare(kind, gold_values, &pred);
            for key in [
                (kind.clone(), lang.clone()),
                (kind.clone(), "all".into()),
                ("all".into(), lang.clone()),
                ("all".into(), "all".into()),
            ] {
                r.by_kind_lang.entry(key).or_default().add(c);
            }
            let tagged = missed
                .into_iter()
                .map(|v| (v, true))
                .chain(extra.into_iter().map(|v| (v, false)));
            for (value, missed) in tagged {
                r.misses.push(Miss {
                    file: g.file.clone(),
                    kind: kind.clone(),
                    value,
                    missed,
                });
            }
        }
        for (key, gv) in &g.doc {
            let got = field_value(d, key);
            let e = r.fields.entry(key.clone()).or_default();
            e.1 += 1;
            if field_eq(key, gv, &got) {
                e.0 += 1;
            } else {
                r.field_misses.push((
                    g.file.clone(),
                    key.clone(),
                    gv.clone().unwrap_or_else(|| "null".into()),
                    got.unwrap_or_else(|| "null".into()),
                ));
            }
        }
    }
    Ok(r)
}

impl Report {
    /// The table printed by `thidua eval`.
    pub fn render(&self, misses: bool) -> String {
        let mut s = String::new();
        s.push_str(&format!("{} gold documents matched", self.documents));
        if !self.unmatched_gold.is_empty() {
            s.push_str(&format!(
                ", {} not found in the dataset: {}",
                self.unmatched_gold.len(),
                self.unmatched_gold.join(", ")
            ));
        }
        s.push_str("\n\nkind          lang   precision  recall     F1    tp   fp   fn\n");
        for ((kind, lang), c) in &self.by_kind_lang {
            if c.tp + c.fp + c.fn_ == 0 {
                continue;
            }
            s.push_str(&format!(
                "{kind:<13} {lang:<5} {:>9.3} {:>7.3} {:>6.3} {:>5} {:>4} {:>4}\n",
                c.precision(),
                c.recall(),
                c.f1(),
                c.tp,
                c.fp,
                c.fn_
            ));
        }
        if !self.fields.is_empty() {
            s.push_str("\ndocument field   correct\n");
            for (k, (ok, n)) in &self.fields {
                s.push_str(&format!("{k:<16} {ok}/{n}\n"));
            }
        }
        if misses {
            s.push_str("\nmisses (- missed, + extra):\n");
            for m in &self.misses {
                s.push_str(&format!(
                    "  {} {} {} {:?}\n",
                    if m.missed { "-" } else { "+" },
                    m.file,
                    m.kind,
                    m.value
                ));
            }
            for (f, k, want, got) in &self.field_misses {
                s.push_str(&format!(
                    "  ! {f} doc.{k}: expected {want:?}, got {got:?}\n"
                ));
            }
        }
        s
    }

    pub fn counts(&self, kind: &str, lang: &str) -> Counts {
        self.by_kind_lang
            .get(&(kind.to_string(), lang.to_string()))
            .copied()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_loosely() {
        assert!(names_match("Блок змагань", "блок змагань"));
        assert!(names_match(
            "Khối thi đua các cơ quan tham mưu tổng hợp",
            "Khối thi đua các cơ quan tham mưu tổng hợp tỉnh Cao Bằng"
        ));
        assert!(!names_match("Sở Ngoại vụ", "Sở Tư pháp"));
    }

    #[test]
    fn counts_and_f1() {
        let (c, missed, extra) = compare(
            "date",
            &["2023-07-13".into(), "2023-07-14".into()],
            &["2023-07-13".into(), "2024-01-01".into()],
        );
        assert_eq!(
            c,
            Counts {
                tp: 1,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(missed, vec!["2023-07-14"]);
        assert_eq!(extra, vec!["2024-01-01"]);
        assert!((c.f1() - 0.5).abs() < 1e-9);
    }
}
