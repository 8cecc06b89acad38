//! SPEC §3.1: `doc_id` is a hash of the raw bytes; a unit with the same bytes as an earlier
//! one is a `duplicate` row whose `error` names the first row's source, and its facts are not
//! repeated.

mod common;

use common::*;
use serde_json::Value;

fn facts_of<'a>(facts: &'a [Value], doc_id: &str) -> Vec<&'a Value> {
    facts.iter().filter(|f| s(f, "doc_id") == doc_id).collect()
}

#[test]
fn same_bytes_twice_is_a_duplicate_row_pointing_at_the_first() {
    let tmp = tempdir();
    let input = tmp.path().join("in");
    let first = write(&input, "a_first.txt", vi_text());
    let copy = write(&input, "b_copy.txt", vi_text());
    let other = write(&input, "c_other.txt", ru_text());

    let run = extract(&[&input], &tmp.path().join("out"), &[]);
    let docs = run.documents();
    let sources: Vec<&str> = docs.iter().map(|d| s(d, "source")).collect();
    assert_eq!(
        sources,
        [source_of(&first), source_of(&copy), source_of(&other)],
        "one row per file, in sorted order"
    );
    let (a, b, c) = (&docs[0], &docs[1], &docs[2]);
    assert_status(a, "ok", "the first copy");
    assert_status(b, "duplicate", "the second copy of the same bytes");
    assert_eq!(
        opt(b, "error"),
        Some(source_of(&first).as_str()),
        "a duplicate's error is the source of the row it repeats"
    );
    assert_eq!(s(a, "doc_id"), s(b, "doc_id"), "same bytes, same doc_id");
    assert_status(c, "ok", "a different article");
    assert_ne!(
        s(a, "doc_id"),
        s(c, "doc_id"),
        "different bytes, different doc_id"
    );

    // The duplicate's facts are not repeated: the doc_id has as many facts as when the
    // article is extracted alone.
    let alone = extract(&[&first], &tmp.path().join("out_alone"), &[]);
    let alone_facts = alone.facts();
    let expected = facts_of(&alone_facts, s(a, "doc_id")).len();
    assert!(
        expected > 0,
        "the Vietnamese article (dates, counts, money, awards) gave no facts, so the \
         no-repeat check means nothing"
    );
    let facts = run.facts();
    assert_eq!(
        facts_of(&facts, s(a, "doc_id")).len(),
        expected,
        "the duplicate's facts must not be added again"
    );
    check_facts_against_documents(&docs, &facts);
}

#[test]
fn doc_id_depends_only_on_the_bytes() {
    let tmp = tempdir();
    let here = write(&tmp.path().join("one"), "bai.txt", vi_text());
    let there = write(
        &tmp.path().join("two/deeper"),
        "renamed.html.txt",
        vi_text(),
    );
    let changed = write(
        &tmp.path().join("three"),
        "bai.txt",
        vi_text().replace("350 cán bộ", "351 cán bộ"),
    );
    let id = |path: &std::path::Path, out: &str| {
        let run = extract(&[path], &tmp.path().join(out), &[]);
        let docs = run.documents();
        assert_eq!(docs.len(), 1, "one file, one row");
        s(&docs[0], "doc_id").to_string()
    };
    let a = id(&here, "out_a");
    let b = id(&there, "out_b");
    let c = id(&changed, "out_c");
    assert_eq!(
        a, b,
        "the same bytes under another name and directory keep their doc_id"
    );
    assert_ne!(a, c, "one changed digit changes the doc_id");
}

/// A run reads its input in chunks of a few hundred units, and reads and prepares the next
/// chunk while the workers are still on the one before. Across several chunks the rows keep
/// the input order, each copy still points at the first row with its bytes (whether that row
/// is in the same chunk, the one before, or further back), and the output does not depend on
/// the thread count.
#[test]
fn duplicates_and_order_hold_across_chunks_at_any_thread_count() {
    const ARTICLES: usize = 300;
    let tmp = tempdir();
    let input = tmp.path().join("in");
    let text = vi_text();
    assert!(
        text.contains("350 cán bộ"),
        "the article to vary has changed"
    );
    let mut originals = Vec::new();
    for i in 0..ARTICLES {
        let body = text.replace("350 cán bộ", &format!("{} cán bộ", 1000 + i));
        originals.push(write(&input, &format!("a{i:03}.txt"), &body));
        write(&input, &format!("b{i:03}.txt"), &body);
    }
    let one = extract(&[&input], &tmp.path().join("out_j1"), &["-j", "1"]);
    let two = extract(&[&input], &tmp.path().join("out_j2"), &["-j", "2"]);
    for name in ["documents.jsonl", "facts.jsonl"] {
        let a = std::fs::read(one.out.join(name)).expect("-j 1 output is readable");
        let b = std::fs::read(two.out.join(name)).expect("-j 2 output is readable");
        assert!(a == b, "{name} differs between -j 1 and -j 2");
    }
    let docs = two.documents();
    assert_eq!(docs.len(), 2 * ARTICLES, "one row per file");
    for (i, first) in originals.iter().enumerate() {
        let (a, b) = (&docs[i], &docs[ARTICLES + i]);
        assert_eq!(s(a, "source"), source_of(first), "row {i} out of order");
        assert_status(a, "ok", s(a, "source"));
        assert_status(b, "duplicate", s(b, "source"));
        assert_eq!(
            opt(b, "error"),
            Some(source_of(first).as_str()),
            "a copy names its first row"
        );
        assert_eq!(s(a, "doc_id"), s(b, "doc_id"));
    }
    // Each article's own headcount is found in its own row, and in no other.
    let facts = two.facts();
    let value = |f: &Value| match f.get("value") {
        Some(Value::String(v)) => v.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    for (i, a) in docs[..ARTICLES].iter().enumerate() {
        let heads: Vec<String> = facts_of(&facts, s(a, "doc_id"))
            .into_iter()
            .filter(|f| s(f, "kind") == "headcount")
            .map(value)
            .collect();
        assert_eq!(heads, [format!("{}", 1000 + i)], "row {i}'s headcounts");
    }
    check_facts_against_documents(&docs, &facts);
}
