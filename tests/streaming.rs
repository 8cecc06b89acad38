//! Streaming mode for distributed engines: `extract --jsonl-stdin --jsonl-stdout` answers each
//! JSON line with one JSON line (the document and its facts), in order, flushed at once, with
//! the results of a batch run.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::*;
use serde_json::{json, Value};

/// JSON Lines input built from corpus articles of every language, plus a broken line.
fn input_lines() -> Vec<String> {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut lines = Vec::new();
    for lang in ["vi", "ru", "uk", "pt", "ko"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join(lang))
            .expect("corpus language directory")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        files.sort();
        for f in files.iter().take(3) {
            let body = std::fs::read_to_string(f).expect("corpus file is UTF-8");
            let key = if f.extension().is_some_and(|e| e == "html") {
                "html"
            } else {
                "text"
            };
            lines.push(json!({ key: body }).to_string());
        }
    }
    lines.insert(4, "{not json".to_string());
    lines
}

fn without_source(mut v: Value) -> Value {
    if let Value::Object(m) = &mut v {
        m.remove("source");
    }
    v
}

#[test]
fn streamed_records_equal_a_batch_run() {
    let lines = input_lines();
    let tmp = tempdir();
    let input = write(tmp.path(), "in.jsonl", lines.join("\n") + "\n");
    let out = tmp.path().join("batch");
    extract(&[input.as_path()], &out, &[]);
    let docs = documents(&out);
    let facts = facts(&out);

    let run = thidua()
        .args([
            "extract",
            "--jsonl-stdin",
            "--jsonl-stdout",
            "-q",
            "-j",
            "2",
        ])
        .write_stdin(lines.join("\n") + "\n")
        .output()
        .expect("thidua runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let streamed: Vec<Value> = String::from_utf8_lossy(&run.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    assert_eq!(
        streamed.len(),
        lines.len(),
        "one output line per input line"
    );
    assert_eq!(streamed.len(), docs.len());
    let mut n_facts = 0;
    for (i, (s, d)) in streamed.iter().zip(&docs).enumerate() {
        let mut s = s.clone();
        let nested = s
            .as_object_mut()
            .and_then(|m| m.remove("facts"))
            .expect("facts are nested");
        assert_eq!(
            without_source(s.clone()),
            without_source(d.clone()),
            "line {}",
            i + 1
        );
        let batch_facts: Vec<&Value> = facts
            .iter()
            .filter(|f| f["doc_id"] == d["doc_id"])
            .collect();
        let nested = nested.as_array().cloned().unwrap_or_default();
        assert_eq!(nested.len(), batch_facts.len(), "facts of line {}", i + 1);
        for (a, b) in nested.iter().zip(batch_facts) {
            assert_eq!(a, b);
        }
        n_facts += nested.len();
    }
    assert!(n_facts > 100, "the articles carry facts ({n_facts})");
    assert_eq!(
        s(&streamed[4], "status"),
        "error",
        "the broken line is an error row"
    );
}

#[test]
fn each_line_is_answered_before_the_next_is_sent() {
    let bin = assert_cmd::cargo::cargo_bin("thidua");
    let mut child = Command::new(bin)
        .args(["extract", "--jsonl-stdin", "--jsonl-stdout", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("thidua starts");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let lines = input_lines();
    for (i, line) in lines.iter().take(3).enumerate() {
        writeln!(stdin, "{line}").expect("write a line");
        stdin.flush().expect("flush");
        // stdin stays open: the answer must come anyway.
        let answer = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("no answer to line {} while stdin is open", i + 1))
            .expect("read a line");
        let v: Value = serde_json::from_str(&answer).expect("answer is JSON");
        assert_eq!(v["status"], "ok", "line {}: {answer}", i + 1);
    }
    drop(stdin);
    let status = child.wait().expect("thidua exits");
    assert!(status.success());
}
