//! The translation check (SPEC §5): pair translations with their Vietnamese originals, align
//! their sentences, and compare their facts.
//!
//! pairing → [`align`] → [`compare`] → [`report`]. Everything works on documents and facts as
//! the dataset holds them, so a dataset made by `extract` can be checked without the inputs.

pub mod align;
pub mod compare;
pub mod pairing;
pub mod report;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::{Document, Fact, Sentence, Status};
use crate::rules::RuleSet;
use crate::segment;

pub use align::Link;
pub use compare::Discrepancy;
pub use pairing::{Pair, Unpaired};

/// One document as the check sees it: the row, its facts in text order, its sentences.
pub struct Side<'a> {
    pub doc: &'a Document,
    pub facts: Vec<&'a Fact>,
    pub sentences: Vec<Sentence>,
    /// Byte offset of every sentence boundary (start, end), for slicing.
    bytes: Vec<(usize, usize)>,
}

impl<'a> Side<'a> {
    /// Segment the document's text with the rules; each fact gets its sentence from its offset,
    /// so facts and sentences agree even if the dataset was made with other rules.
    pub fn new(doc: &'a Document, facts: Vec<&'a Fact>, rules: &RuleSet) -> Side<'a> {
        let sentences = segment::sentences(&doc.text, &doc.lang, rules);
        let mut char_to_byte: Vec<usize> = doc.text.char_indices().map(|(b, _)| b).collect();
        char_to_byte.push(doc.text.len());
        let at = |c: usize| char_to_byte.get(c).copied().unwrap_or(doc.text.len());
        let bytes = sentences.iter().map(|s| (at(s.start), at(s.end))).collect();
        let mut facts = facts;
        facts.sort_by_key(|f| (f.start, f.fact_id));
        Side {
            doc,
            facts,
            sentences,
            bytes,
        }
    }

    /// The text of sentence `i` ("" if there is none).
    pub fn sentence_text(&self, i: usize) -> &str {
        self.bytes
            .get(i)
            .and_then(|&(a, b)| self.doc.text.get(a..b))
            .map(str::trim)
            .unwrap_or("")
    }

    /// Sentence index of a fact, from its offset.
    fn sentence_of(&self, f: &Fact) -> usize {
        segment::sentence_of(&self.sentences, f.start)
    }
}

/// Everything found about one pair.
pub struct PairReport {
    pub pair: Pair,
    pub links: Vec<Link>,
    pub discrepancies: Vec<Discrepancy>,
}

/// Summary figures of an alignment.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AlignmentSummary {
    pub links: usize,
    /// Original sentences with a counterpart in the translation.
    pub original_translated: usize,
    pub original_sentences: usize,
    pub translation_sentences: usize,
}

impl PairReport {
    pub fn alignment_summary(&self) -> AlignmentSummary {
        AlignmentSummary {
            links: self.links.len(),
            original_translated: self
                .links
                .iter()
                .filter(|l| !l.trans.is_empty())
                .map(|l| l.orig.len())
                .sum(),
            original_sentences: self.links.iter().map(|l| l.orig.len()).sum(),
            translation_sentences: self.links.iter().map(|l| l.trans.len()).sum(),
        }
    }
}

/// Fact values that anchor the alignment: not names (they are written differently in every
/// language) but dates, periods, numbers and gazetteer entries.
fn anchor_values(side: &Side) -> Vec<BTreeSet<String>> {
    let mut out = vec![BTreeSet::new(); side.sentences.len()];
    for f in &side.facts {
        let key = match f.attrs.get("gazetteer_id").and_then(|v| v.as_str()) {
            Some(id) => format!("g:{id}"),
            None if compare::NAME_KINDS.contains(&f.kind.as_str()) => continue,
            None => format!("{}:{}", f.kind, f.value),
        };
        if let Some(s) = out.get_mut(side.sentence_of(f)) {
            s.insert(key);
        }
    }
    out
}

/// Align and compare one pair. `pair` says who is who (its ids are the two documents').
pub fn check_pair(o: &Side, t: &Side, pair: Pair, rules: &RuleSet) -> PairReport {
    let (c, s2) = rules.alignment.ratio(&t.doc.lang);
    let lens = |s: &Side| -> Vec<usize> {
        (0..s.sentences.len())
            .map(|i| s.sentence_text(i).chars().count())
            .collect()
    };
    let ao = anchor_values(o);
    let at = anchor_values(t);
    // A value repeated in many sentences says little about which one is which.
    let count = |sets: &[BTreeSet<String>], v: &str| sets.iter().filter(|s| s.contains(v)).count();
    let anchors = |i: usize, j: usize| -> f64 {
        ao[i]
            .intersection(&at[j])
            .map(|v| 1.0 / count(&ao, v).max(count(&at, v)) as f64)
            .sum()
    };
    let links = align::align(&lens(o), &lens(t), align::Model { c, s2 }, &anchors);
    // Facts carry the sentence of their offset under these rules.
    let fix = |side: &Side<'_>| -> Vec<Fact> {
        side.facts
            .iter()
            .map(|f| {
                let mut f = (*f).clone();
                f.sentence = side.sentence_of(&f);
                f
            })
            .collect()
    };
    let (fo, ft) = (fix(o), fix(t));
    let so = Side {
        doc: o.doc,
        facts: fo.iter().collect(),
        sentences: o.sentences.clone(),
        bytes: o.bytes.clone(),
    };
    let st = Side {
        doc: t.doc,
        facts: ft.iter().collect(),
        sentences: t.sentences.clone(),
        bytes: t.bytes.clone(),
    };
    let slots = compare::Slots::new(&links, o.sentences.len(), t.sentences.len());
    let discrepancies = compare::compare(&so, &st, &slots, &rules.names);
    PairReport {
        pair,
        links,
        discrepancies,
    }
}

/// The result of checking a whole collection.
pub struct CollectionReport<'a> {
    pub sides: Vec<Side<'a>>,
    pub pairs: Vec<PairReport>,
    pub unpaired: Vec<Unpaired>,
}

/// Pair and check every translation of a collection of documents and their facts.
pub fn check_collection<'a>(
    docs: &'a [Document],
    facts: &'a [Fact],
    rules: &RuleSet,
) -> CollectionReport<'a> {
    let mut by_doc: std::collections::HashMap<&str, Vec<&Fact>> = Default::default();
    for f in facts {
        by_doc.entry(f.doc_id.as_str()).or_default().push(f);
    }
    let known: BTreeSet<&str> = rules.language_codes().into_iter().collect();
    let sides: Vec<Side> = docs
        .iter()
        .filter(|d| d.status == Status::Ok && known.contains(d.lang.as_str()))
        .map(|d| {
            Side::new(
                d,
                by_doc.remove(d.doc_id.as_str()).unwrap_or_default(),
                rules,
            )
        })
        .collect();
    let originals: Vec<&Side> = sides.iter().filter(|s| s.doc.lang == "vi").collect();
    let translations: Vec<&Side> = sides.iter().filter(|s| s.doc.lang != "vi").collect();
    let (pairs, unpaired) = pairing::pair(
        &originals,
        &translations,
        rules.alignment.pair_threshold,
        rules.alignment.pair_window_days,
    );
    let find = |id: &str| sides.iter().find(|s| s.doc.doc_id == id);
    let reports = pairs
        .into_iter()
        .filter_map(|p| {
            let o = find(&p.original_doc_id)?;
            let t = find(&p.translation_doc_id)?;
            Some(check_pair(o, t, p, rules))
        })
        .collect();
    CollectionReport {
        sides,
        pairs: reports,
        unpaired,
    }
}
