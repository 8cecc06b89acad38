//! `thidua check-translation` (SPEC §5) through the binary: the seeds' partial translation,
//! pairing in a collection, every planted change of the corpus pairs, and a report that stays
//! inert when articles carry markup.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seeds_dir() -> Option<PathBuf> {
    let dir = manifest().join("../shared/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: {} does not exist; skipping", dir.display());
        None
    }
}

/// The seed file whose name starts with `prefix`.
fn seed(dir: &Path, prefix: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .expect("seeds directory is readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no seed {prefix}* in {}", dir.display()))
}

/// Run `check-translation` on two files; its JSON Lines rows.
fn check_files(original: &Path, translation: &Path) -> Vec<Value> {
    let out = thidua()
        .args(["check-translation", "--format", "jsonl"])
        .arg(original)
        .arg(translation)
        .output()
        .expect("thidua runs");
    assert!(
        out.status.success(),
        "check-translation failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

/// Run `check-translation --dataset` on a dataset directory.
fn check_dataset(dir: &Path) -> String {
    let out = thidua()
        .args(["check-translation", "--dataset"])
        .arg(dir)
        .output()
        .expect("thidua runs");
    assert!(
        out.status.success(),
        "check-translation --dataset failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn rows_of<'a>(rows: &'a [Value], change: &str, kind: &str) -> Vec<&'a Value> {
    rows.iter()
        .filter(|r| s(r, "type") == change && s(r, "kind") == kind)
        .collect()
}

#[test]
fn seed_partial_translation_loses_the_date_and_the_member_units_only() {
    let Some(dir) = seeds_dir() else { return };
    let rows = check_files(&seed(&dir, "004"), &seed(&dir, "000"));
    let dates: Vec<&str> = rows_of(&rows, "missing", "date")
        .iter()
        .map(|r| s(r, "original_value"))
        .collect();
    assert_eq!(dates, ["2023-07-13"], "rows: {rows:#?}");
    let units: BTreeSet<&str> = rows_of(&rows, "missing", "member_unit")
        .iter()
        .map(|r| s(r, "original_value"))
        .collect();
    assert!(units.contains("Sở Ngoại vụ"), "rows: {rows:#?}");
    assert!(units.len() >= 2, "rows: {rows:#?}");
    // Both halves of 2023 are in the translation: no row of any type about them.
    for r in &rows {
        assert_ne!(
            s(r, "kind"),
            "period",
            "an agreeing period was reported: {r:#}"
        );
        assert_ne!(s(r, "type"), "changed", "nothing was changed: {r:#}");
    }
    // Each row carries the original's sentence for a person to look at.
    for r in &rows {
        let sentence = s(r, "original_sentence");
        assert!(sentence.contains(s(r, "original_text")), "{r:#}");
    }
}

#[test]
fn dataset_of_the_seeds_pairs_004_with_000_only() {
    let Some(dir) = seeds_dir() else { return };
    let tmp = tempdir();
    let out = tmp.path().join("out");
    extract(&[dir.as_path()], &out, &[]);
    check_dataset(&out);
    let docs = documents(&out);
    let id_of = |prefix: &str| {
        docs.iter()
            .find(|d| {
                Path::new(s(d, "source"))
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(prefix))
            })
            .map(|d| s(d, "doc_id").to_string())
            .unwrap_or_else(|| panic!("no document for seed {prefix}"))
    };
    let pairs = read_jsonl(&out.join("pairs.jsonl"));
    assert_eq!(pairs.len(), 1, "pairs: {pairs:#?}");
    assert_eq!(s(&pairs[0], "original_doc_id"), id_of("004"));
    assert_eq!(s(&pairs[0], "translation_doc_id"), id_of("000"));
    assert_eq!(s(&pairs[0], "method"), "content");
    // The other three translations are reported as having no original here.
    let unpaired = read_jsonl(&out.join("unpaired.jsonl"));
    assert_eq!(unpaired.len(), 3, "unpaired: {unpaired:#?}");
    // The same rows are in dataset.sqlite.
    let conn = rusqlite::Connection::open(out.join("dataset.sqlite")).expect("sqlite opens");
    let n: i64 = conn
        .query_row("SELECT count(*) FROM pairs", [], |r| r.get(0))
        .expect("pairs table");
    assert_eq!(n, 1);
    let missing: i64 = conn
        .query_row(
            "SELECT count(*) FROM discrepancies WHERE type = 'missing' AND kind = 'date' AND original_value = '2023-07-13'",
            [],
            |r| r.get(0),
        )
        .expect("discrepancies table");
    assert_eq!(missing, 1);
}

/// The corpus's original/translation pairs and what was planted in them.
fn corpus_pairs() -> Vec<Value> {
    read_jsonl(&manifest().join("corpus/translations.jsonl"))
}

#[test]
fn corpus_pairs_are_found_and_every_planted_change_is_reported() {
    let corpus = manifest().join("corpus");
    let tmp = tempdir();
    let out = tmp.path().join("out");
    extract(&[corpus.as_path()], &out, &[]);
    check_dataset(&out);
    let docs = documents(&out);
    let id_of = |rel: &str| {
        docs.iter()
            .find(|d| s(d, "source").ends_with(rel))
            .map(|d| s(d, "doc_id").to_string())
            .unwrap_or_else(|| panic!("no document for {rel}"))
    };
    let pairs = read_jsonl(&out.join("pairs.jsonl"));
    let found: BTreeSet<(String, String)> = pairs
        .iter()
        .map(|p| {
            (
                s(p, "original_doc_id").to_string(),
                s(p, "translation_doc_id").to_string(),
            )
        })
        .collect();
    let rows = read_jsonl(&out.join("discrepancies.jsonl"));
    let truth = corpus_pairs();
    assert!(truth.len() >= 4);
    let mut planted_total = 0;
    let mut expected_pairs = BTreeSet::new();
    for t in &truth {
        let (o, tr) = (id_of(s(t, "original")), id_of(s(t, "translation")));
        assert!(
            found.contains(&(o.clone(), tr.clone())),
            "pair {} <- {} not found; pairs: {pairs:#?}",
            s(t, "original"),
            s(t, "translation")
        );
        expected_pairs.insert((o.clone(), tr.clone()));
        let mine: Vec<&Value> = rows
            .iter()
            .filter(|r| s(r, "original_doc_id") == o && s(r, "translation_doc_id") == tr)
            .collect();
        let planted = t["planted"].as_array().cloned().unwrap_or_default();
        for p in &planted {
            planted_total += 1;
            let hit = mine.iter().any(|r| {
                s(r, "type") == s(p, "type")
                    && s(r, "kind") == s(p, "kind")
                    && r["original_value"] == p["original_value"]
                    && r["translation_value"] == p["translation_value"]
            });
            assert!(
                hit,
                "planted change not reported in {}: {p:#}\nrows of this pair: {mine:#?}",
                s(t, "translation")
            );
        }
        // Nothing is `changed` that was not planted.
        for r in mine.iter().filter(|r| s(r, "type") == "changed") {
            let planted_here = planted.iter().any(|p| {
                s(p, "type") == "changed"
                    && s(p, "kind") == s(r, "kind")
                    && p["original_value"] == r["original_value"]
            });
            assert!(
                planted_here,
                "{}: a `changed` row that was not planted: {r:#}",
                s(t, "translation")
            );
        }
    }
    assert!(planted_total >= 7, "the corpus plants at least 7 changes");
    // No pair beyond the true ones.
    assert_eq!(found, expected_pairs, "extra pairs: {pairs:#?}");
}

#[test]
fn planted_changes_get_their_subtypes() {
    let corpus = manifest().join("corpus");
    let tmp = tempdir();
    let out = tmp.path().join("out");
    extract(&[corpus.as_path()], &out, &[]);
    check_dataset(&out);
    let rows = read_jsonl(&out.join("discrepancies.jsonl"));
    let subtype = |kind: &str, o: &str, t: &str| -> Option<String> {
        rows.iter()
            .find(|r| {
                s(r, "kind") == kind
                    && opt(r, "original_value") == Some(o)
                    && opt(r, "translation_value") == Some(t)
            })
            .map(|r| opt(r, "subtype").unwrap_or("").to_string())
    };
    let truth = corpus_pairs();
    let mut checked = 0;
    for t in &truth {
        for p in t["planted"].as_array().cloned().unwrap_or_default() {
            let (Some(o), Some(tv)) = (
                p["original_value"].as_str(),
                p["translation_value"].as_str(),
            ) else {
                continue;
            };
            let want = match s(&p, "kind") {
                "donation" | "headcount" | "member_count" => {
                    let (x, y): (f64, f64) = (o.parse().unwrap_or(0.0), tv.parse().unwrap_or(0.0));
                    let k = (y / x).log10();
                    ((k - k.round()).abs() < 1e-9).then_some("scale_changed")
                }
                "date" => {
                    let (a, b): (Vec<&str>, Vec<&str>) =
                        (o.split('-').collect(), tv.split('-').collect());
                    if a[1..] == b[1..] {
                        Some("year_changed")
                    } else if a[0] == b[0] && a[1] == b[1] {
                        Some("day_changed")
                    } else if a[0] == b[0] && a[2] == b[2] {
                        Some("month_changed")
                    } else {
                        None
                    }
                }
                "person" => Some("name_not_transliterated"),
                _ => None,
            };
            if let Some(want) = want {
                assert_eq!(
                    subtype(s(&p, "kind"), o, tv).as_deref(),
                    Some(want),
                    "planted {p:#}"
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 6,
        "only {checked} planted changes have a subtype to check"
    );
}

#[test]
fn reports_agree_across_formats_and_the_text_report_names_the_change() {
    let corpus = manifest().join("corpus");
    let (o, t) = (
        corpus.join("vi/02-caobang-cum2-so-ket.html"),
        corpus.join("ru/02-kaobang-klaster2.html"),
    );
    let rows = check_files(&o, &t);
    let out = thidua()
        .arg("check-translation")
        .arg(&o)
        .arg(&t)
        .output()
        .expect("thidua runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        text.contains("changed date: 2024-07-18 → 2024-07-19 (day_changed)"),
        "{text}"
    );
    assert!(
        text.contains("changed donation: 45500000 → 45500 (scale_changed)"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{} discrepancies", rows.len())),
        "{text}"
    );
}

#[test]
fn check_translation_explains_bad_arguments() {
    let tmp = tempdir();
    let out = thidua()
        .args(["check-translation", "--dataset"])
        .arg(tmp.path())
        .output()
        .expect("thidua runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("documents.jsonl"), "{err}");
    let missing = tmp.path().join("nope.txt");
    let out = thidua()
        .arg("check-translation")
        .arg(&missing)
        .arg(&missing)
        .output()
        .expect("thidua runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.txt"));
}
