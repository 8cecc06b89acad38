//! The prefilter (one folded scan per document, then each rule only from where its relaxed
//! form could start) must not change a single fact: extraction with and without it agrees on
//! every corpus article, and on the same articles in capitals, in mixed case and with letters
//! whose case-folded form has another length in UTF-8 (which turns off the start search).
//! Extraction over a batch of documents (rule by rule over all of them) must give each
//! document the facts it gets alone.

mod common;

use std::path::Path;

use common::{extract, s};
use thidua::extract::{extract_batch, extract_with, Context, DocRef};
use thidua::RuleSet;

/// Capitals and small letters alternate, word by word.
fn mixed_case(text: &str) -> String {
    text.split(' ')
        .enumerate()
        .map(|(i, w)| {
            if i % 2 == 0 {
                w.to_uppercase()
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Letters that `(?i)` matches with ASCII letters but that take more bytes: long s, Kelvin sign.
fn odd_letters(text: &str) -> String {
    text.replace('s', "\u{17F}").replace('K', "\u{212A}")
}

/// What must agree of each fact: kind, value, span, rule and attributes.
type FactKey = (
    String,
    String,
    usize,
    usize,
    String,
    serde_json::Map<String, serde_json::Value>,
);

fn fact_keys(facts: &[thidua::Fact]) -> Vec<FactKey> {
    (facts.iter())
        .map(|f| {
            let (kind, value, rule) = (f.kind.clone(), f.value.clone(), f.rule.clone());
            (kind, value, f.start, f.end, rule, f.attrs.clone())
        })
        .collect()
}

#[test]
fn facts_are_the_same_with_and_without_the_prefilter() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let run = extract(&[Path::new("corpus")], &tmp.path().join("out"), &["-q"]);
    let rules = RuleSet::embedded().expect("built-in rules load");
    let (mut docs, mut facts) = (0, 0);
    for doc in run.documents() {
        let Some(lr) = rules.extract.lang(s(&doc, "lang")) else {
            continue;
        };
        let ctx = Context {
            published: common::opt(&doc, "published").map(str::to_string),
            reference_date: None,
        };
        let text = s(&doc, "text");
        for variant in [
            text.to_string(),
            text.to_uppercase(),
            mixed_case(text),
            odd_letters(text),
        ] {
            let a = fact_keys(&extract_with("d", &variant, &[], lr, &ctx, true));
            let b = fact_keys(&extract_with("d", &variant, &[], lr, &ctx, false));
            assert_eq!(
                a,
                b,
                "{} ({}): facts differ",
                s(&doc, "doc_id"),
                s(&doc, "lang")
            );
            docs += 1;
            facts += a.len();
        }
    }
    // Every language and variant was exercised on real facts.
    assert!(docs >= 4 * 40, "only {docs} documents checked");
    assert!(facts >= 3000, "only {facts} facts compared");
}

/// A batch of the texts, without sentences or publication dates.
fn doc_refs<'a>(texts: &'a [String], ctx: &'a Context) -> Vec<DocRef<'a>> {
    texts
        .iter()
        .map(|t| DocRef {
            doc_id: "d",
            text: t,
            sentences: &[],
            ctx,
        })
        .collect()
}

#[test]
fn a_batch_gives_each_document_the_facts_it_gets_alone() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let run = extract(&[Path::new("corpus")], &tmp.path().join("out"), &["-q"]);
    let rules = RuleSet::embedded().expect("built-in rules load");
    let no_ctx = Context::default();
    let mut checked = 0;
    for (code, lr) in rules.extract.all_langs() {
        // Every corpus text of the language, and the same texts in mixed case and with
        // letters that turn the start search off, all in one batch.
        let texts: Vec<String> = run
            .documents()
            .iter()
            .filter(|d| s(d, "lang") == code)
            .flat_map(|d| {
                let t = s(d, "text");
                [t.to_string(), mixed_case(t), odd_letters(t)]
            })
            .collect();
        let alone: Vec<Vec<thidua::Fact>> = texts
            .iter()
            .map(|t| thidua::extract::extract("d", t, &[], lr, &no_ctx))
            .collect();
        let docs = doc_refs(&texts, &no_ctx);
        // In input order and backwards: a document's facts do not depend on its neighbours.
        let together = extract_batch(&docs, lr);
        let mut reversed: Vec<DocRef> = docs.clone();
        reversed.reverse();
        let mut backwards = extract_batch(&reversed, lr);
        backwards.reverse();
        let json = |v: &[Vec<thidua::Fact>]| serde_json::to_string(v).expect("facts serialize");
        assert_eq!(
            json(&together),
            json(&alone),
            "{code}: a batch changed facts"
        );
        assert_eq!(
            json(&backwards),
            json(&alone),
            "{code}: batch order changed facts"
        );
        assert!(
            alone.iter().filter(|f| !f.is_empty()).count() >= 10,
            "{code}: few documents with facts"
        );
        checked += texts.len();
    }
    assert!(checked >= 3 * 40, "only {checked} documents checked");
}

#[test]
fn a_rule_keeps_one_start_cache_for_passes_that_follow_each_other() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let run = extract(&[Path::new("corpus")], &tmp.path().join("out"), &["-q"]);
    let rules = RuleSet::embedded().expect("built-in rules load");
    let no_ctx = Context::default();
    let lr = rules.extract.lang("ru").expect("Russian rules");
    let texts: Vec<String> = run
        .documents()
        .iter()
        .filter(|d| s(d, "lang") == "ru")
        .map(|d| s(d, "text").to_string())
        .collect();
    let docs = doc_refs(&texts, &no_ctx);
    let spares = || -> Vec<usize> {
        (lr.rules.iter())
            .map(|r| r.relaxed.as_ref().map_or(0, |x| x.spare_caches()))
            .collect()
    };
    // A rule whose start literals prove poor starts switches to checking them, and from then
    // on keeps a cache for that too: compare the rules that did not switch in between.
    let switched = || -> Vec<bool> {
        (lr.rules.iter())
            .map(|r| {
                r.relaxed
                    .as_ref()
                    .is_some_and(|x| x.checks_literal_starts())
            })
            .collect()
    };
    let first = extract_batch(&docs, lr);
    let (after_one, switched_one) = (spares(), switched());
    // The start regexes that searched kept their cache for the next pass...
    assert!(
        after_one.iter().filter(|&&n| n == 1).count() >= 5,
        "{after_one:?}"
    );
    // ...which takes it instead of making another: passes one after another need one.
    for _ in 0..3 {
        assert_eq!(extract_batch(&docs, lr), first);
    }
    let (now, switched_now) = (spares(), switched());
    for (i, rule) in lr.rules.iter().enumerate() {
        if switched_one[i] == switched_now[i] {
            assert_eq!(now[i], after_one[i], "{}", rule.id);
        }
    }
    // Passes at the same time on two threads need two at most.
    std::thread::scope(|sc| {
        for _ in 0..2 {
            sc.spawn(|| extract_batch(&docs, lr));
        }
    });
    assert!(spares().iter().all(|&n| n <= 2), "{:?}", spares());
}

/// Rules whose start literals are common words (a date's "ngày" in "ngày càng", an
/// address's "anh" in "anh em", a donation verb with no amount after it) switch to checking
/// each start with their relaxed form after enough failed tries; the facts before, during and
/// after the switch are those found without the prefilter.
#[test]
fn rules_that_switch_to_checked_starts_find_the_same_facts() {
    let rules = RuleSet::embedded().expect("built-in rules load");
    let lr = rules.extract.lang("vi").expect("Vietnamese rules");
    let names = [
        "Nguyễn Văn Tòng",
        "Lê Thị Hoa",
        "Trần Minh Đức",
        "Phạm Thu Hà",
    ];
    let texts: Vec<String> = (0..60)
        .map(|i| {
            let noise = "Ngày càng nhiều anh em, chị em tham gia; ông bà ta nói ngày nay khác \
                         xưa. Công ty hỗ trợ kỹ thuật và góp ý cho các đơn vị, anh em cùng làm.";
            let fact = format!(
                "Ngày {}/{}, anh {} trao {} suất quà trị giá {} triệu đồng cho hộ nghèo.",
                1 + i % 28,
                1 + i % 12,
                names[i % names.len()],
                10 + i,
                5 * (i + 1)
            );
            format!("{noise}\n{noise} {fact}\n{noise}")
        })
        .collect();
    let no_ctx = Context::default();
    let without: Vec<Vec<FactKey>> = (texts.iter())
        .map(|t| fact_keys(&extract_with("d", t, &[], lr, &no_ctx, false)))
        .collect();
    let switched = || {
        (lr.rules.iter().filter_map(|r| r.relaxed.as_ref()))
            .filter(|r| r.checks_literal_starts())
            .count()
    };
    assert_eq!(switched(), 0, "nothing was tried yet");
    let mut passes_after = 0;
    for _ in 0..40 {
        for (t, want) in texts.iter().zip(&without) {
            let got = fact_keys(&extract_with("d", t, &[], lr, &no_ctx, true));
            assert_eq!(&got, want, "{t}");
        }
        if switched() > 0 {
            passes_after += 1;
            if passes_after == 2 {
                break;
            }
        }
    }
    assert_eq!(passes_after, 2, "no rule switched to checking its starts");
    // Dates, people and donations were found, so the rules that switched had facts to keep.
    let kinds: std::collections::BTreeSet<_> =
        without.iter().flatten().map(|k| k.0.clone()).collect();
    for kind in ["date", "person", "donation"] {
        assert!(kinds.contains(kind), "no {kind} in {kinds:?}");
    }
    assert!(switched() >= 2, "{} rules switched", switched());
}
