//! The five real articles the project started from (`../shared/seeds`, SPEC §6): each is read,
//! identified, stripped of page chrome, and its credited source URL found.

mod common;

use std::path::PathBuf;

use common::*;
use serde_json::Value;

fn seeds_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "note: {} does not exist; skipping the seed articles test",
            dir.display()
        );
        None
    }
}

/// `gold.jsonl`, by file name.
fn gold(dir: &std::path::Path) -> Vec<Value> {
    read_jsonl(&dir.join("gold.jsonl"))
}

/// Page chrome that must not survive into any seed's text.
const CHROME: [&str; 9] = [
    "Коментар (0)",
    "Комментарий (0)",
    "Comentário (0)",
    "댓글 (0)",
    "[광고_2]",
    "Thống kê truy cập",
    "Đang truy cập",
    "Đăng nhập",
    "Lượt xem",
];

/// Source-credit labels: the line is metadata (`source_url`), not article text.
const SOURCE_LABELS: [&str; 2] = ["Джерело:", "출처:"];

/// Bare source labels left on a line of their own.
const BARE_LABELS: [&str; 2] = ["Источник", "Fonte"];

#[test]
fn seed_articles_are_read_identified_and_cleaned() {
    let Some(dir) = seeds_dir() else {
        return;
    };
    let tmp = tempdir();
    let run = extract(&[&dir], &tmp.path().join("out"), &[]);
    let docs = run.documents();

    let file_name = |doc: &Value| -> String {
        let source = s(doc, "source");
        PathBuf::from(source)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| panic!("source {source:?} names a file"))
    };
    let names: Vec<String> = docs.iter().map(file_name).collect();
    assert_eq!(
        docs.len(),
        5,
        "the seeds directory holds 5 articles (gold.jsonl is annotations, not input): {names:?}"
    );

    let expected_langs = [
        ("000_", "uk"),
        ("001_", "ru"),
        ("002_", "pt"),
        ("003_", "ko"),
        ("004_", "vi"),
    ];
    for (doc, (prefix, lang)) in docs.iter().zip(expected_langs) {
        let name = file_name(doc);
        assert!(
            name.starts_with(prefix),
            "rows in sorted order: expected a {prefix}* file, got {name}"
        );
        assert_status(doc, "ok", &name);
        assert_lang(doc, lang, &name);
        let text = s(doc, "text");
        assert!(
            text.chars().count() > 1000,
            "{name}: the article text is mostly gone ({} chars)",
            text.chars().count()
        );
        for chrome in CHROME {
            assert!(
                !text.contains(chrome),
                "{name}: page chrome {chrome:?} left in text"
            );
        }
        for label in SOURCE_LABELS {
            assert!(
                !text.contains(label),
                "{name}: source line {label:?} left in text"
            );
        }
        for line in text.lines() {
            assert!(
                !BARE_LABELS.contains(&line.trim()),
                "{name}: a bare source label line {:?} left in text",
                line.trim()
            );
        }
    }

    for entry in gold(&dir) {
        let file = s(&entry, "file");
        let Some(expected) = entry
            .get("doc")
            .and_then(|d| d.get("source_url"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let doc = docs
            .iter()
            .find(|d| file_name(d) == file)
            .unwrap_or_else(|| panic!("no row for gold file {file}"));
        assert_eq!(
            opt(doc, "source_url"),
            Some(expected),
            "{file}: source_url must be the URL the article credits"
        );
    }
    // Seeds 000 and 003 credit their sources; make sure the loop above checked them.
    let with_source_url = gold(&dir)
        .iter()
        .filter(|e| e.pointer("/doc/source_url").is_some_and(Value::is_string))
        .map(|e| s(e, "file").to_string())
        .collect::<Vec<_>>();
    assert!(
        with_source_url.iter().any(|f| f.starts_with("000_"))
            && with_source_url.iter().any(|f| f.starts_with("003_")),
        "gold.jsonl gives source_url for seeds 000 and 003: {with_source_url:?}"
    );
}
