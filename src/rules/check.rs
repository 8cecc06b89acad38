//! Worked examples as tests: every rule's examples must produce their values through the whole
//! language's extraction (so overlaps and vetoes are exercised too), counter-examples must
//! produce no fact of the rule's kind, vetoes must fire on their examples, and number examples
//! must read to their value.

use std::collections::BTreeSet;

use super::{RuleError, RuleSet};
use crate::extract::{self, Context};
use crate::segment;

pub fn run(set: &RuleSet) -> Vec<RuleError> {
    let mut errs = Vec::new();
    for re in &set.extract.rule_examples {
        let Some(lr) = set.extract.lang(&re.lang) else {
            continue;
        };
        let rule = &lr.rules[re.rule_index];
        let err = |message: String| RuleError {
            file: re.file.clone(),
            line: rule.line,
            id: Some(rule.id.clone()),
            message,
        };
        for ex in &re.examples {
            let text = prepare(set, &re.lang, &ex.text);
            let sentences = segment::sentences(&text, &re.lang, set);
            let ctx = Context {
                published: ex.published.clone(),
                reference_date: None,
            };
            let mut facts = extract::extract("example", &text, &sentences, lr, &ctx);
            let mut doc = crate::model::Document::new("example".into(), "example".into());
            doc.text = text.clone();
            doc.published = ex.published.clone();
            crate::link::link(&mut doc, &mut facts, lr, &set.extract);
            let mine: Vec<_> = facts.iter().filter(|f| f.rule == rule.id).collect();
            let got: BTreeSet<&str> = mine.iter().map(|f| f.value.as_str()).collect();
            let want: BTreeSet<&str> = ex.values.iter().map(String::as_str).collect();
            if got != want {
                let others: Vec<String> = facts
                    .iter()
                    .filter(|f| f.rule != rule.id)
                    .map(|f| format!("{}={} by {}", f.kind, f.value, f.rule))
                    .collect();
                errs.push(err(format!(
                    "example {:?}: expected {:?}, got {:?}{}",
                    ex.text,
                    want,
                    got,
                    if others.is_empty() {
                        String::new()
                    } else {
                        format!(" (other facts: {})", others.join(", "))
                    }
                )));
                continue;
            }
            for (k, v) in &ex.attrs {
                let expected = toml_to_json(v);
                if let Some(f) = mine.first() {
                    let actual = f.attrs.get(k).cloned().unwrap_or(serde_json::Value::Null);
                    if actual != expected {
                        errs.push(err(format!(
                            "example {:?}: attrs.{k} is {actual}, expected {expected}",
                            ex.text
                        )));
                    }
                }
            }
        }
        for ce in &re.counter_examples {
            let text = prepare(set, &re.lang, ce);
            let sentences = segment::sentences(&text, &re.lang, set);
            let facts = extract::extract("example", &text, &sentences, lr, &Context::default());
            let bad: Vec<String> = facts
                .iter()
                .filter(|f| f.rule == rule.id)
                .map(|f| format!("{}={} by {}", f.kind, f.value, f.rule))
                .collect();
            if !bad.is_empty() {
                errs.push(err(format!(
                    "counter-example {ce:?} gives {}",
                    bad.join(", ")
                )));
            }
        }
    }
    for (lang, file, id, ex) in &set.extract.veto_examples {
        let Some(lr) = set.extract.lang(lang) else {
            continue;
        };
        let text = prepare(set, lang, ex);
        if let Some(v) = lr.vetoes.iter().find(|v| &v.id == id) {
            if !v.re.is_match(&text) {
                errs.push(RuleError {
                    file: file.clone(),
                    line: None,
                    id: Some(id.clone()),
                    message: format!("veto example does not match: {ex:?}"),
                });
            }
        }
    }
    for (lang, file, text, value) in &set.extract.number_examples {
        let Some(lr) = set.extract.lang(lang) else {
            continue;
        };
        let prepared = prepare(set, lang, text);
        let found = lr
            .amount_re
            .as_ref()
            .and_then(|re| re.find(&prepared))
            .map(|m| m.as_str().to_string());
        let got = found
            .and_then(|m| lr.numbers.as_ref().and_then(|nf| nf.amount(&m)))
            .map(|d| d.to_string());
        if got.as_deref() != Some(value.as_str()) {
            errs.push(RuleError {
                file: file.clone(),
                line: None,
                id: Some("number_example".into()),
                message: format!("number example {text:?} reads as {got:?}, expected {value:?}"),
            });
        }
    }
    for (file, lang, ex) in &set.segment_examples {
        let n = segment::sentences(ex, lang, set).len();
        if n != 1 {
            errs.push(RuleError {
                file: file.clone(),
                line: None,
                id: Some("segment".into()),
                message: format!("example splits into {n} sentences: {ex:?}"),
            });
        }
    }
    errs
}

/// An example text as the pipeline would see it: NFC, plain spaces, tone marks normalized.
fn prepare(set: &RuleSet, lang: &str, text: &str) -> String {
    let t = crate::clean::normalize(text);
    match set.tone_placement.get(lang) {
        Some(c) => crate::tones::normalize(&t, *c),
        None => t,
    }
}

fn toml_to_json(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        toml::Value::Float(f) => serde_json::Value::from(*f),
        toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
        other => serde_json::Value::String(other.to_string()),
    }
}
