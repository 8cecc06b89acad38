//! Fact-by-fact comparison of an original and its translation, within the sentence alignment.
//!
//! Values (dates, periods, counts, amounts) are compared as sets of normalized values: a value
//! the translation states anywhere is not lost, however often the original repeats it. What is
//! left on one side only is `missing` or `added`, unless a leftover of the same kind sits in the
//! aligned slot on the other side: then it is `changed`, with a subtype where the change has a
//! recognisable shape (a year, a power of ten, day and month swapped).
//!
//! Names (blocs, member units, awards, persons) are written differently in every language, so
//! they are matched in document order by a sequence alignment whose score comes from the
//! gazetteer, the glossary of name words and the transliteration tables, and from the sentence
//! alignment: a name in the aligned slot that cannot be checked is taken as its translation.
//! A person's name must be a transliteration; one in the aligned slot that is not (a name
//! translated as common words) is `changed`.

use std::collections::BTreeSet;

use serde::Serialize;

use super::align::Link;
use super::Side;
use crate::model::Fact;
use crate::rules::translit::{Names, SAME_CONCEPTS, SAME_NAME};

/// Kinds whose values are names rather than normalized values.
pub const NAME_KINDS: [&str; 4] = ["bloc", "member_unit", "award", "person"];

/// One row of `discrepancies.*` (SPEC §5, with `subtype` and the fact ids added).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discrepancy {
    pub original_doc_id: String,
    pub translation_doc_id: String,
    #[serde(rename = "type")]
    pub kind_of_change: String,
    pub subtype: Option<String>,
    pub kind: String,
    pub original_value: Option<String>,
    pub translation_value: Option<String>,
    pub original_text: Option<String>,
    pub translation_text: Option<String>,
    pub original_sentence: Option<String>,
    pub translation_sentence: Option<String>,
    pub original_fact_id: Option<u32>,
    pub translation_fact_id: Option<u32>,
    /// Index of the alignment link the discrepancy sits in (for ordering and the report).
    #[serde(skip)]
    pub link: usize,
}

/// The sentence alignment seen from both sides.
pub struct Slots<'l> {
    pub links: &'l [Link],
    of_orig: Vec<usize>,
    of_trans: Vec<usize>,
}

impl<'l> Slots<'l> {
    pub fn new(links: &'l [Link], n_orig: usize, n_trans: usize) -> Self {
        let mut of_orig = vec![0; n_orig];
        let mut of_trans = vec![0; n_trans];
        for (k, l) in links.iter().enumerate() {
            for i in l.orig.clone() {
                if let Some(x) = of_orig.get_mut(i) {
                    *x = k;
                }
            }
            for j in l.trans.clone() {
                if let Some(x) = of_trans.get_mut(j) {
                    *x = k;
                }
            }
        }
        Slots {
            links,
            of_orig,
            of_trans,
        }
    }

    pub fn of_orig(&self, sentence: usize) -> usize {
        self.of_orig.get(sentence).copied().unwrap_or(0)
    }

    pub fn of_trans(&self, sentence: usize) -> usize {
        self.of_trans.get(sentence).copied().unwrap_or(0)
    }

    fn distance(&self, o: &Fact, t: &Fact) -> usize {
        self.of_orig(o.sentence).abs_diff(self.of_trans(t.sentence))
    }
}

/// Compare the facts of `o` (original) and `t` (translation).
pub fn compare(o: &Side, t: &Side, slots: &Slots, names: &Names) -> Vec<Discrepancy> {
    let mut kinds: BTreeSet<&str> = BTreeSet::new();
    kinds.extend(o.facts.iter().map(|f| f.kind.as_str()));
    kinds.extend(t.facts.iter().map(|f| f.kind.as_str()));
    let mut out = Vec::new();
    for kind in kinds {
        let of: Vec<&Fact> = o.facts.iter().copied().filter(|f| f.kind == kind).collect();
        let tf: Vec<&Fact> = t.facts.iter().copied().filter(|f| f.kind == kind).collect();
        let found = if NAME_KINDS.contains(&kind) {
            compare_names(kind, &of, &tf, &t.doc.lang, slots, names)
        } else {
            compare_values(kind, &of, &tf, slots)
        };
        for (change, subtype, a, b) in found {
            out.push(row(o, t, slots, change, subtype, kind, a, b));
        }
    }
    out.sort_by(|a, b| {
        (a.link, a.original_fact_id, a.translation_fact_id).cmp(&(
            b.link,
            b.original_fact_id,
            b.translation_fact_id,
        ))
    });
    out
}

type Found<'a> = (
    &'static str,
    Option<String>,
    Option<&'a Fact>,
    Option<&'a Fact>,
);

fn compare_values<'a>(
    kind: &str,
    of: &[&'a Fact],
    tf: &[&'a Fact],
    slots: &Slots,
) -> Vec<Found<'a>> {
    let ovals: BTreeSet<&str> = of.iter().map(|f| f.value.as_str()).collect();
    let tvals: BTreeSet<&str> = tf.iter().map(|f| f.value.as_str()).collect();
    let lone_o: Vec<&Fact> = of
        .iter()
        .copied()
        .filter(|f| !tvals.contains(f.value.as_str()))
        .collect();
    let lone_t: Vec<&Fact> = tf
        .iter()
        .copied()
        .filter(|f| !ovals.contains(f.value.as_str()))
        .collect();
    let mut candidates = Vec::new();
    for a in &lone_o {
        for b in &lone_t {
            let d = slots.distance(a, b);
            let shape = relation(kind, &a.value, &b.value);
            if d == 0 || (d <= 1 && shape.is_some()) {
                candidates.push((d, shape.is_none(), a.start, b.start, *a, *b, shape));
            }
        }
    }
    candidates.sort_by_key(|c| (c.0, c.1, c.2, c.3));
    let mut out = Vec::new();
    let mut used_o: BTreeSet<&str> = BTreeSet::new();
    let mut used_t: BTreeSet<&str> = BTreeSet::new();
    for (_, _, _, _, a, b, shape) in candidates {
        if used_o.contains(a.value.as_str()) || used_t.contains(b.value.as_str()) {
            continue;
        }
        used_o.insert(&a.value);
        used_t.insert(&b.value);
        out.push(("changed", shape, Some(a), Some(b)));
    }
    for a in lone_o {
        if used_o.insert(&a.value) {
            out.push(("missing", None, Some(a), None));
        }
    }
    for b in lone_t {
        if used_t.insert(&b.value) {
            out.push(("added", None, None, Some(b)));
        }
    }
    out
}

/// The shape of a change from `a` to `b`, when it has one.
pub fn relation(kind: &str, a: &str, b: &str) -> Option<String> {
    match kind {
        "date" => date_relation(a, b),
        "period" => (a != b && same_but_years(a, b)).then(|| "year_changed".to_string()),
        _ => scale_relation(a, b),
    }
}

/// Periods that differ only in their four-digit years.
fn same_but_years(a: &str, b: &str) -> bool {
    let mask = |s: &str| -> String {
        let mut out = String::new();
        let mut digits = String::new();
        for c in s.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_digit() {
                digits.push(c);
            } else {
                if digits.len() == 4 {
                    out.push_str("YYYY");
                } else {
                    out.push_str(&digits);
                }
                digits.clear();
                out.push(c);
            }
        }
        out
    };
    mask(a) == mask(b)
}

fn date_relation(a: &str, b: &str) -> Option<String> {
    let parts = |s: &str| -> Option<(String, u32, u32)> {
        let mut it = s.splitn(3, '-');
        let y = it.next()?.to_string();
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        Some((y, m, d))
    };
    let (ya, ma, da) = parts(a)?;
    let (yb, mb, db) = parts(b)?;
    let name = if (ma, da) == (mb, db) && ya != yb {
        "year_changed"
    } else if ya == yb && ma == db && da == mb && ma != da {
        "day_month_swapped"
    } else if ya == yb && ma == mb {
        "day_changed"
    } else if ya == yb && da == db {
        "month_changed"
    } else {
        return None;
    };
    Some(name.to_string())
}

/// `scale_changed` when `b` is `a` times a power of ten (×1000: "triệu" read as "тыс.").
fn scale_relation(a: &str, b: &str) -> Option<String> {
    let x: f64 = a.parse().ok()?;
    let y: f64 = b.parse().ok()?;
    if x <= 0.0 || y <= 0.0 {
        return None;
    }
    let k = (y / x).log10();
    let r = k.round();
    ((k - r).abs() < 1e-9 && r != 0.0).then(|| "scale_changed".to_string())
}

fn gazetteer_id(f: &Fact) -> Option<&str> {
    f.attrs.get("gazetteer_id").and_then(|v| v.as_str())
}

/// How sure we are that two names are the same: a score, and whether it is a proof.
fn name_score(kind: &str, a: &Fact, b: &Fact, lang: &str, names: &Names) -> (f64, bool) {
    if let (Some(x), Some(y)) = (gazetteer_id(a), gazetteer_id(b)) {
        return if x == y { (1.0, true) } else { (0.0, false) };
    }
    if a.value.to_lowercase() == b.value.to_lowercase() {
        return (1.0, true);
    }
    if kind == "person" {
        let s = names
            .person_similarity(&a.value, lang, &b.value)
            .unwrap_or(0.0);
        return (s, s >= SAME_NAME);
    }
    let concepts = names.concept_similarity(&a.value, lang, &b.value);
    let spelled = names
        .table(lang)
        .map(|t| t.similarity(&a.value, &b.value))
        .unwrap_or(0.0);
    let s = concepts.unwrap_or(0.0).max(spelled);
    (
        s,
        concepts.is_some_and(|c| c > SAME_CONCEPTS) || spelled >= SAME_NAME,
    )
}

fn compare_names<'a>(
    kind: &str,
    of: &[&'a Fact],
    tf: &[&'a Fact],
    lang: &str,
    slots: &Slots,
    names: &Names,
) -> Vec<Found<'a>> {
    let (n, m) = (of.len(), tf.len());
    // Needleman–Wunsch over the two lists in document order; gaps cost nothing, a pair is
    // worth its evidence, and a pair with no evidence must at least sit in the aligned slot.
    const NO: f64 = f64::NEG_INFINITY;
    let pair: Vec<Vec<(f64, bool)>> = of
        .iter()
        .map(|a| {
            tf.iter()
                .map(|b| {
                    let (s, proof) = name_score(kind, a, b, lang, names);
                    let d = slots.distance(a, b);
                    let w = if proof {
                        3.0 + s
                    } else if d == 0 {
                        1.0 + s
                    } else if d == 1 && kind != "person" {
                        0.5 + s
                    } else {
                        NO
                    };
                    (w, proof)
                })
                .collect()
        })
        .collect();
    let mut best = vec![vec![0.0f64; m + 1]; n + 1];
    for i in 1..=n {
        for j in 1..=m {
            let diag = best[i - 1][j - 1] + pair[i - 1][j - 1].0;
            best[i][j] = best[i - 1][j].max(best[i][j - 1]).max(diag);
        }
    }
    let mut matched = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        let w = pair[i - 1][j - 1].0;
        if w > NO && best[i][j] == best[i - 1][j - 1] + w {
            matched.push((i - 1, j - 1));
            i -= 1;
            j -= 1;
        } else if best[i][j] == best[i - 1][j] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    matched.reverse();
    let mut same_o: BTreeSet<&str> = BTreeSet::new();
    let mut same_t: BTreeSet<&str> = BTreeSet::new();
    let mut suspect = Vec::new();
    for &(a, b) in &matched {
        let (fa, fb) = (of[a], tf[b]);
        let proof = pair[a][b].1;
        let refuted = !proof && refutes(kind, fa, fb, lang, names);
        if refuted {
            suspect.push((fa, fb));
        } else {
            same_o.insert(&fa.value);
            same_t.insert(&fb.value);
        }
    }
    let mut out = Vec::new();
    let mut done_o: BTreeSet<&str> = BTreeSet::new();
    let mut done_t: BTreeSet<&str> = BTreeSet::new();
    for (fa, fb) in suspect {
        if same_o.contains(fa.value.as_str())
            || same_t.contains(fb.value.as_str())
            || done_o.contains(fa.value.as_str())
            || done_t.contains(fb.value.as_str())
        {
            continue;
        }
        done_o.insert(&fa.value);
        done_t.insert(&fb.value);
        let subtype = (kind == "person").then(|| "name_not_transliterated".to_string());
        out.push(("changed", subtype, Some(fa), Some(fb)));
    }
    for fa in of {
        if !same_o.contains(fa.value.as_str()) && done_o.insert(&fa.value) {
            out.push(("missing", None, Some(*fa), None));
        }
    }
    for fb in tf {
        if !same_t.contains(fb.value.as_str()) && done_t.insert(&fb.value) {
            out.push(("added", None, None, Some(*fb)));
        }
    }
    out
}

/// A pair matched only by position that the evidence contradicts: a person's name that is no
/// transliteration of the original's, or two different gazetteer entries.
fn refutes(kind: &str, a: &Fact, b: &Fact, lang: &str, names: &Names) -> bool {
    if let (Some(x), Some(y)) = (gazetteer_id(a), gazetteer_id(b)) {
        return x != y;
    }
    kind == "person"
        && names
            .person_similarity(&a.value, lang, &b.value)
            .is_some_and(|s| s < SAME_NAME)
}

#[allow(clippy::too_many_arguments)]
fn row(
    o: &Side,
    t: &Side,
    slots: &Slots,
    change: &str,
    subtype: Option<String>,
    kind: &str,
    a: Option<&Fact>,
    b: Option<&Fact>,
) -> Discrepancy {
    let link = match (a, b) {
        (Some(a), _) => slots.of_orig(a.sentence),
        (None, Some(b)) => slots.of_trans(b.sentence),
        (None, None) => 0,
    };
    let aligned_text = |side: &Side, range: std::ops::Range<usize>| -> Option<String> {
        let s: Vec<&str> = range.map(|i| side.sentence_text(i)).collect();
        (!s.is_empty()).then(|| s.join(" "))
    };
    let l = slots.links.get(link);
    let original_sentence = match a {
        Some(a) => Some(o.sentence_text(a.sentence).to_string()),
        None => l.and_then(|l| aligned_text(o, l.orig.clone())),
    };
    let translation_sentence = match b {
        Some(b) => Some(t.sentence_text(b.sentence).to_string()),
        None => l.and_then(|l| aligned_text(t, l.trans.clone())),
    };
    Discrepancy {
        original_doc_id: o.doc.doc_id.clone(),
        translation_doc_id: t.doc.doc_id.clone(),
        kind_of_change: change.to_string(),
        subtype,
        kind: kind.to_string(),
        original_value: a.map(|f| f.value.clone()),
        translation_value: b.map(|f| f.value.clone()),
        original_text: a.map(|f| f.text.clone()),
        translation_text: b.map(|f| f.text.clone()),
        original_sentence,
        translation_sentence,
        original_fact_id: a.map(|f| f.fact_id),
        translation_fact_id: b.map(|f| f.fact_id),
        link,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_change() {
        assert_eq!(
            relation("date", "2024-07-18", "2024-07-19").as_deref(),
            Some("day_changed")
        );
        assert_eq!(
            relation("date", "2023-12-15", "2022-12-15").as_deref(),
            Some("year_changed")
        );
        assert_eq!(
            relation("date", "2024-05-08", "2024-08-05").as_deref(),
            Some("day_month_swapped")
        );
        assert_eq!(
            relation("date", "2024-11-23", "2024-10-23").as_deref(),
            Some("month_changed")
        );
        assert_eq!(relation("date", "2024-11-23", "2023-10-22"), None);
        assert_eq!(
            relation("donation", "45500000", "45500").as_deref(),
            Some("scale_changed")
        );
        assert_eq!(
            relation("headcount", "120", "1200").as_deref(),
            Some("scale_changed")
        );
        assert_eq!(relation("headcount", "1150", "1510"), None);
        assert_eq!(relation("member_count", "7", "8"), None);
        assert_eq!(
            relation("period", "2023-H1", "2024-H1").as_deref(),
            Some("year_changed")
        );
        assert_eq!(relation("period", "2023-H1", "2023-H2"), None);
    }
}
