//! SPEC §3: the CSV files are RFC 4180 with a header row, hold the same rows as the JSON
//! Lines files, and are safe to open in a spreadsheet (no cell starts a formula).

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::*;
use serde_json::Value;

const FORMULA_TITLE: &str = "=HYPERLINK(\"http://evil.example/x\",\"Khối thi đua\")";

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Reads a CSV file into its header and records.
fn read_csv(path: &Path) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("{} must open: {e}", path.display()));
    let header: Vec<String> = reader
        .headers()
        .unwrap_or_else(|e| panic!("{} must have a header row: {e}", path.display()))
        .iter()
        .map(str::to_string)
        .collect();
    let records = reader
        .records()
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{} must be valid CSV: {e}", path.display()));
    (header, records)
}

/// Asserts a CSV cell carries the JSON value: strings verbatim (or, when they start a
/// formula, neutralized with a prefix), null as an empty cell, numbers equal, objects as
/// JSON text.
fn assert_cell(cell: &str, value: &Value, what: &str) {
    match value {
        Value::Null => assert_eq!(cell, "", "{what}: null is an empty cell"),
        Value::String(text) if text.starts_with(FORMULA_STARTS) => {
            assert!(
                !cell.starts_with(FORMULA_STARTS),
                "{what}: {cell:?} would run as a formula in a spreadsheet"
            );
            assert!(
                cell.ends_with(text.as_str()),
                "{what}: neutralizing may prefix the value but must keep it: {cell:?} vs {text:?}"
            );
        }
        Value::String(text) => assert_eq!(cell, text, "{what}"),
        Value::Number(number) => {
            let expected = number.as_f64().expect("JSON numbers are finite");
            let actual: f64 = cell
                .parse()
                .unwrap_or_else(|e| panic!("{what}: {cell:?} is not a number: {e}"));
            assert!(
                (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
                "{what}: {actual} vs {expected}"
            );
        }
        Value::Object(_) | Value::Array(_) => {
            let parsed: Value = serde_json::from_str(cell)
                .unwrap_or_else(|e| panic!("{what}: {cell:?} must be JSON text: {e}"));
            assert_eq!(&parsed, value, "{what}");
        }
        Value::Bool(b) => assert!(
            cell.eq_ignore_ascii_case(&b.to_string()) || cell == if *b { "1" } else { "0" },
            "{what}: {cell:?} vs {b}"
        ),
    }
}

/// Asserts a CSV file holds the same rows as a JSON Lines file, column by column.
fn assert_csv_matches_jsonl(csv_path: &Path, rows: &[Value], fields: &[&str]) {
    let (header, records) = read_csv(csv_path);
    let index: HashMap<&str, usize> = header
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    for field in fields {
        assert!(
            index.contains_key(field),
            "{}: header {header:?} lacks column {field:?}",
            csv_path.display()
        );
    }
    assert_eq!(
        records.len(),
        rows.len(),
        "{}: one CSV record per JSON Lines row",
        csv_path.display()
    );
    for (i, (record, row)) in records.iter().zip(rows).enumerate() {
        for field in fields {
            let cell = record.get(index[field]).unwrap_or_else(|| {
                panic!("{} record {}: too few cells", csv_path.display(), i + 1)
            });
            let what = format!("{} record {} column {field}", csv_path.display(), i + 1);
            assert_cell(cell, &row[*field], &what);
        }
    }
}

#[test]
fn formula_title_is_neutralized_in_csv_and_kept_in_jsonl() {
    let tmp = tempdir();
    let input = tmp.path().join("in");
    let page = write(
        &input,
        "a_formula.html",
        html_page("<meta charset=\"utf-8\">", FORMULA_TITLE, &VI_PARAGRAPHS),
    );
    write(&input, "b_plain.txt", ru_text());
    let run = extract(&[&input], &tmp.path().join("out"), &[]);

    let docs = run.documents();
    let row = docs
        .iter()
        .find(|d| s(d, "source") == source_of(&page))
        .expect("the formula page has a row");
    assert_status(row, "ok", "page titled with a formula");
    assert_eq!(
        opt(row, "title"),
        Some(FORMULA_TITLE),
        "documents.jsonl keeps the title exactly as written"
    );

    let (header, records) = read_csv(&run.out.join("documents.csv"));
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("documents.csv lacks column {name:?}: {header:?}"))
    };
    let (source_col, title_col) = (col("source"), col("title"));
    let record = records
        .iter()
        .find(|r| r.get(source_col) == Some(source_of(&page).as_str()))
        .expect("documents.csv has a record for the formula page");
    let title = record.get(title_col).expect("the record has a title cell");
    assert!(
        !title.starts_with('='),
        "documents.csv must not start a cell with '=' (formula injection): {title:?}"
    );
    assert!(
        title.contains("HYPERLINK(\"http://evil.example/x\""),
        "the neutralized cell still shows the value: {title:?}"
    );
    for record in &records {
        for cell in record {
            assert!(
                !cell.starts_with(['=', '+', '@']),
                "no cell of documents.csv may start a formula: {cell:?}"
            );
        }
    }
}

#[test]
fn csv_files_hold_the_jsonl_rows() {
    let tmp = tempdir();
    let input = tmp.path().join("in");
    // Quotes, commas and blank lines in the text; an error row with nulls; a JSON Lines file.
    write(&input, "a_vi.html", vi_html());
    write(&input, "b_ru.txt", ru_text());
    write(&input, "c_empty.txt", "");
    write(
        &input,
        "d_ko.html",
        html_page("<meta charset=\"utf-8\">", KO_TITLE, &KO_PARAGRAPHS),
    );
    let run = extract(&[&input], &tmp.path().join("out"), &[]);
    let docs = run.documents();
    let facts = run.facts();
    assert!(
        docs.iter()
            .any(|d| s(d, "text").contains('"') && s(d, "text").contains("\n\n")),
        "the corpus has a text with quotes and paragraphs, to exercise CSV quoting"
    );
    assert_csv_matches_jsonl(&run.out.join("documents.csv"), &docs, &DOC_FIELDS);
    assert!(
        !facts.is_empty(),
        "articles full of dates and numbers gave no facts"
    );
    assert_csv_matches_jsonl(&run.out.join("facts.csv"), &facts, &FACT_FIELDS);
}
