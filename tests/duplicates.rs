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
