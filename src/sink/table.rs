//! Small result tables written after a run (the translation check's pairs and discrepancies):
//! one struct type → `NAME.jsonl`, `NAME.csv` and a table `NAME` in dataset.sqlite, with the
//! same columns in the same order everywhere. Files are written atomically; the SQLite table is
//! replaced inside one transaction.

use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::Value;

use super::{neutralize, write_atomic};

/// Rows as JSON objects (field order = column order).
pub fn to_rows<T: Serialize>(rows: &[T]) -> Result<Vec<serde_json::Map<String, Value>>> {
    rows.iter()
        .map(|r| match serde_json::to_value(r)? {
            Value::Object(m) => Ok(m),
            other => anyhow::bail!("a table row must be an object, not {other}"),
        })
        .collect()
}

/// JSON Lines text of the rows.
pub fn jsonl(rows: &[serde_json::Map<String, Value>]) -> Result<String> {
    let mut out = String::new();
    for r in rows {
        out.push_str(&serde_json::to_string(r)?);
        out.push('\n');
    }
    Ok(out)
}

/// Write `dir/NAME.jsonl` and `dir/NAME.csv` (header row even when there are no rows).
pub fn write_files(
    dir: &Path,
    name: &str,
    columns: &[&str],
    rows: &[serde_json::Map<String, Value>],
) -> Result<()> {
    write_atomic(&dir.join(format!("{name}.jsonl")), jsonl(rows)?.as_bytes())?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns)?;
    for r in rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| match r.get(*c) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => neutralize(s).into_owned(),
                Some(v) => v.to_string(),
            })
            .collect();
        w.write_record(&cells)?;
    }
    let bytes = w.into_inner().context("cannot finish a CSV file")?;
    write_atomic(&dir.join(format!("{name}.csv")), &bytes)
}

/// Replace table `name` in the SQLite database at `db` with these rows. `columns` gives each
/// column's name and SQL type.
pub fn write_sqlite(
    db: &Path,
    name: &str,
    columns: &[(&str, &str)],
    rows: &[serde_json::Map<String, Value>],
) -> Result<()> {
    let mut conn = Connection::open(db).with_context(|| format!("cannot open {}", db.display()))?;
    let tx = conn.transaction()?;
    let cols: Vec<String> = columns
        .iter()
        .map(|(c, t)| format!("\"{c}\" {t}"))
        .collect();
    tx.execute_batch(&format!(
        "DROP TABLE IF EXISTS \"{name}\"; CREATE TABLE \"{name}\" ({});",
        cols.join(", ")
    ))?;
    {
        let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let mut ins = tx.prepare(&format!(
            "INSERT INTO \"{name}\" VALUES ({})",
            marks.join(",")
        ))?;
        for r in rows {
            let values: Vec<rusqlite::types::Value> = columns
                .iter()
                .map(|(c, _)| match r.get(*c) {
                    None | Some(Value::Null) => rusqlite::types::Value::Null,
                    Some(Value::String(s)) => rusqlite::types::Value::Text(s.clone()),
                    Some(Value::Bool(b)) => rusqlite::types::Value::Integer(i64::from(*b)),
                    Some(Value::Number(n)) => match n.as_i64() {
                        Some(i) => rusqlite::types::Value::Integer(i),
                        None => rusqlite::types::Value::Real(n.as_f64().unwrap_or(0.0)),
                    },
                    Some(v) => rusqlite::types::Value::Text(v.to_string()),
                })
                .collect();
            ins.execute(rusqlite::params_from_iter(values))?;
        }
    }
    tx.commit()?;
    Ok(())
}
