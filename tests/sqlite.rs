//! SPEC §3: `dataset.sqlite` holds the same documents and facts as the JSON Lines files, with
//! full-text search over document text.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use common::*;
use rusqlite::{Connection, OpenFlags};
use serde_json::{json, Value};

struct Corpus {
    _tmp: tempfile::TempDir,
    run: Extract,
    vi: String,
    ru: String,
}

/// A small mixed corpus: Vietnamese, Russian, Korean, a failing file and a JSON Lines file.
fn corpus() -> Corpus {
    let tmp = tempdir();
    let input = tmp.path().join("in");
    let vi = write(&input, "a_vi.txt", vi_text());
    let ru = write(&input, "b_ru.txt", ru_text());
    write(
        &input,
        "c_ko.html",
        html_page("<meta charset=\"utf-8\">", KO_TITLE, &KO_PARAGRAPHS),
    );
    write(&input, "d_empty.txt", "");
    let lines = format!(
        "{}\n{}\n",
        json!({"url": "https://uk.example.vn/blok-zmahan-2024", "text": uk_text()}),
        json!({"url": "https://baohagiang.example.vn/tin-2", "html": vi_html()}),
    );
    write(&input, "e_lines.jsonl", lines);
    let run = extract(&[&input], &tmp.path().join("out"), &[]);
    Corpus {
        _tmp: tmp,
        run,
        vi: source_of(&vi),
        ru: source_of(&ru),
    }
}

fn open(out: &Path) -> Connection {
    let path: PathBuf = out.join("dataset.sqlite");
    Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap_or_else(|e| panic!("{} must open as an SQLite database: {e}", path.display()))
}

fn columns(db: &Connection, table: &str) -> HashSet<String> {
    let mut stmt = db
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
        .expect("pragma_table_info can be queried");
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .expect("pragma_table_info runs")
        .collect::<Result<HashSet<_>, _>>()
        .expect("column names are text");
    assert!(!names.is_empty(), "dataset.sqlite has no table {table:?}");
    names
}

/// Sources of the documents whose text matches an FTS5 query.
fn search(db: &Connection, query: &str) -> Vec<String> {
    let mut stmt = db
        .prepare(
            "SELECT d.source FROM documents_fts f JOIN documents d ON d.rowid = f.rowid \
             WHERE documents_fts MATCH ?1 ORDER BY d.rowid",
        )
        .expect("the FTS5 table documents_fts exists and joins documents by rowid");
    stmt.query_map([query], |r| r.get::<_, String>(0))
        .expect("the full-text query runs")
        .collect::<Result<Vec<_>, _>>()
        .expect("sources are text")
}

#[test]
fn sqlite_holds_the_same_documents_and_facts_as_jsonl() {
    let c = corpus();
    let docs = c.run.documents();
    let facts = c.run.facts();
    assert_eq!(
        docs.len(),
        6,
        "4 files (one of them empty) + 2 JSON lines give 6 documents rows"
    );
    assert!(
        !facts.is_empty(),
        "articles full of dates and numbers gave no facts"
    );
    check_facts_against_documents(&docs, &facts);

    let db = open(&c.run.out);
    let doc_columns = columns(&db, "documents");
    for field in DOC_FIELDS {
        assert!(
            doc_columns.contains(field),
            "table documents lacks column {field:?}"
        );
    }
    let fact_columns = columns(&db, "facts");
    for field in FACT_FIELDS {
        assert!(
            fact_columns.contains(field),
            "table facts lacks column {field:?}"
        );
    }

    type DocRow = (String, String, String, String, String, Option<String>);
    let mut stmt = db
        .prepare("SELECT doc_id, source, status, lang, text, title FROM documents ORDER BY rowid")
        .expect("documents can be queried");
    let rows: Vec<DocRow> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .expect("documents query runs")
        .collect::<Result<_, _>>()
        .expect("documents columns have the SPEC §3.1 types");
    assert_eq!(
        rows.len(),
        docs.len(),
        "documents rows in SQLite vs documents.jsonl"
    );
    for (row, doc) in rows.iter().zip(&docs) {
        let (doc_id, source, status, lang, text, title) = row;
        assert_eq!(
            doc_id,
            s(doc, "doc_id"),
            "doc_ids in the same order as documents.jsonl"
        );
        assert_eq!(
            source,
            s(doc, "source"),
            "sources in the same order as documents.jsonl"
        );
        assert_eq!(status, s(doc, "status"), "{source}: status");
        assert_eq!(lang, s(doc, "lang"), "{source}: lang");
        assert_eq!(text, s(doc, "text"), "{source}: text");
        assert_eq!(title.as_deref(), opt(doc, "title"), "{source}: title");
    }

    type FactRow = (String, i64, String, String, i64, i64, String);
    let mut stmt = db
        .prepare("SELECT doc_id, fact_id, kind, value, start, \"end\", attrs FROM facts")
        .expect("facts can be queried");
    let mut sql_facts: Vec<FactRow> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .expect("facts query runs")
        .collect::<Result<_, _>>()
        .expect("facts columns have the SPEC §3.2 types (attrs as JSON text)");
    let mut jsonl_facts: Vec<FactRow> = facts
        .iter()
        .map(|f| {
            (
                s(f, "doc_id").to_string(),
                i64::try_from(n(f, "fact_id")).expect("fact_id fits in i64"),
                s(f, "kind").to_string(),
                s(f, "value").to_string(),
                i64::try_from(n(f, "start")).expect("start fits in i64"),
                i64::try_from(n(f, "end")).expect("end fits in i64"),
                f["attrs"].to_string(),
            )
        })
        .collect();
    assert_eq!(
        sql_facts.len(),
        jsonl_facts.len(),
        "facts rows in SQLite vs facts.jsonl"
    );
    // attrs are compared as JSON values, not as text.
    for fact in &mut sql_facts {
        let attrs: Value = serde_json::from_str(&fact.6)
            .unwrap_or_else(|e| panic!("facts.attrs must be JSON text ({e}): {}", fact.6));
        assert!(
            attrs.is_object(),
            "facts.attrs must be a JSON object: {attrs}"
        );
        fact.6 = attrs.to_string();
    }
    sql_facts.sort();
    jsonl_facts.sort();
    assert_eq!(
        sql_facts, jsonl_facts,
        "SQLite facts and facts.jsonl hold the same facts"
    );
}

#[test]
fn full_text_search_finds_the_right_articles() {
    let c = corpus();
    let db = open(&c.run.out);

    let hits = search(&db, "\"giao ước\"");
    assert!(
        hits.contains(&c.vi),
        "searching \"giao ước\" must find the Vietnamese article {}; found {hits:?}",
        c.vi
    );
    assert!(
        !hits.contains(&c.ru),
        "searching \"giao ước\" must not find the Russian article; found {hits:?}"
    );

    let hits = search(&db, "Khối");
    assert!(
        hits.contains(&c.vi),
        "searching Khối must find {}; found {hits:?}",
        c.vi
    );
    assert!(
        !hits.contains(&c.ru),
        "searching Khối found the Russian article: {hits:?}"
    );

    let hits = search(&db, "соревнования");
    assert!(
        hits.contains(&c.ru),
        "searching соревнования must find the Russian article {}; found {hits:?}",
        c.ru
    );
    assert!(
        !hits.contains(&c.vi),
        "searching соревнования found the Vietnamese article: {hits:?}"
    );

    let hits = search(&db, "zyxwvutsrq");
    assert!(hits.is_empty(), "a word in no article matched {hits:?}");
}
