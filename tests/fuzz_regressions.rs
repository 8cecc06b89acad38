//! Inputs found by the fuzz targets in fuzz/ (see fuzz/README.md), fed through the same
//! functions as the targets. Every file in tests/data/fuzz/ is run by the target its name
//! starts with (`pipeline_bytes-…`, `readers-…`, `rule_loader-…`); each must give a normal
//! result or an error value, never a panic, in bounded time and with a bounded result.

use std::io::{BufRead, Cursor};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use thidua::source::{open_reader, JsonlReader, Limits, RawUnit, WarcReader};
use thidua::{Options, Pipeline, Record, RuleSet, Status};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| {
        Pipeline::new(
            RuleSet::embedded().expect("the embedded rules load"),
            Options {
                reference_date: Some("2024-06-15".into()),
            },
        )
    })
}

/// The `pipeline_bytes` target: the bytes as an HTML file, as a text file, and (when UTF-8)
/// as already-decoded text of unknown form.
fn pipeline_bytes(data: &[u8]) -> Vec<Record> {
    let p = pipeline();
    let units = RawUnit::every_form("fuzz", data);
    let records: Vec<Record> = units.into_iter().map(|u| p.process(u)).collect();
    for r in &records {
        if r.document.status != Status::Ok {
            assert!(r.facts.is_empty(), "facts from a failed document");
        }
        // The text is drawn from the input: it cannot be much larger than it (a legacy or
        // UTF-16 decode at most triples the bytes).
        assert!(
            r.document.text.len() <= 3 * data.len() + 16,
            "text of {} bytes from {} bytes of input",
            r.document.text.len(),
            data.len()
        );
    }
    records
}

/// The bytes as a container, gunzipped when they start with the gzip magic.
fn reader(data: &[u8]) -> Box<dyn BufRead + Send> {
    open_reader(Cursor::new(data.to_vec()), data.starts_with(&[0x1f, 0x8b]))
}

/// The `readers` target: the bytes as a JSON Lines file and as a WARC file, with the default
/// limit and with a small one; units read with the default limit go on through the pipeline.
/// Returns the number of units each reading gave.
fn readers(data: &[u8]) -> Vec<usize> {
    let p = pipeline();
    let mut counts = Vec::new();
    for limits in [Limits::default(), Limits { max_doc_bytes: 512 }] {
        let jsonl: Vec<RawUnit> =
            JsonlReader::new(reader(data), "fuzz.jsonl".into(), limits).collect();
        let warc: Vec<RawUnit> =
            WarcReader::new(reader(data), "fuzz.warc".into(), limits).collect();
        counts.push(jsonl.len());
        counts.push(warc.len());
        if limits.max_doc_bytes > 512 {
            for u in jsonl.into_iter().chain(warc).take(128) {
                p.process(u);
            }
        }
    }
    counts
}

/// The `rule_loader` target: the bytes as the text of one rule file, shared and per language.
/// Returns, per path, whether the rules loaded.
fn rule_loader(data: &[u8]) -> Vec<bool> {
    let text = String::from_utf8_lossy(data).into_owned();
    ["common/fuzz.toml", "vi/fuzz.toml"]
        .iter()
        .map(|path| {
            let sources = vec![(path.to_string(), text.clone())];
            match RuleSet::from_sources(&sources) {
                Ok(rules) => {
                    let _ = rules.check_examples();
                    true
                }
                Err(errs) => {
                    assert!(!errs.0.is_empty(), "an Err without any error");
                    assert!(!errs.to_string().is_empty());
                    false
                }
            }
        })
        .collect()
}

/// Generous: the fuzzers ran these in well under a second; a debug build is slower.
const TIME_LIMIT: Duration = Duration::from_secs(60);

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    assert!(
        t.elapsed() < TIME_LIMIT,
        "{what} took {:?}, over {TIME_LIMIT:?}",
        t.elapsed()
    );
    out
}

fn saved_inputs(prefix: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".bin"))
        })
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("readable input"))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn saved_pipeline_bytes_inputs() {
    let inputs = saved_inputs("pipeline_bytes-");
    assert!(!inputs.is_empty(), "no saved pipeline_bytes inputs");
    for (name, data) in inputs {
        let recs = timed(&name, || pipeline_bytes(&data));
        assert!(recs.len() >= 2, "{name}");
    }
}

#[test]
fn saved_readers_inputs() {
    let inputs = saved_inputs("readers-");
    assert!(!inputs.is_empty(), "no saved readers inputs");
    for (name, data) in inputs {
        let counts = timed(&name, || readers(&data));
        // Every unit comes from at least one byte of a line or a record header; gzip aside,
        // there cannot be more units than bytes.
        if !data.starts_with(&[0x1f, 0x8b]) {
            assert!(
                counts.iter().all(|&n| n <= data.len() + 1),
                "{name}: {counts:?}"
            );
        }
    }
}

#[test]
fn saved_rule_loader_inputs() {
    let inputs = saved_inputs("rule_loader-");
    assert!(!inputs.is_empty(), "no saved rule_loader inputs");
    for (name, data) in inputs {
        timed(&name, || rule_loader(&data));
    }
}

// ---------------------------------------------------------------------------------------
// Hand-made hostile inputs in the spirit of what the fuzzers tried.
// ---------------------------------------------------------------------------------------

#[test]
fn hostile_pipeline_bytes() {
    let deep = "<div>".repeat(20_000) + "Khối thi đua" + &"</div>".repeat(20_000);
    let unclosed = "<p><b><i><a href='x'>".repeat(3_000);
    let mut utf16_odd = vec![0xFF, 0xFE];
    utf16_odd.extend(std::iter::repeat_n([0x41, 0xD8], 5_000).flatten()); // lone surrogates
    utf16_odd.push(0x41);
    let legacy = b"Kh\xe8i thi \xae\xd5a c\xb8c c\xa1 quan \xae\xb9ng t\xd6nh ".repeat(200);
    let digits = "9".repeat(60_000);
    let dates = "ngày 31/12/9999 ngày 0/0/0 năm 99999999999999999999 ".repeat(300);
    let inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"\xef\xbb\xbf".to_vec(),
        b"\xfe\xff".to_vec(),
        deep.into_bytes(),
        unclosed.into_bytes(),
        utf16_odd,
        legacy,
        digits.into_bytes(),
        dates.into_bytes(),
    ];
    for data in inputs {
        timed("hostile pipeline input", || pipeline_bytes(&data));
    }
}

#[test]
fn hostile_readers() {
    let huge_length = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 18446744073709551615\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>x</p>".to_vec();
    let bad_length = b"WARC/1.0\r\nContent-Length: -1\r\n\r\n".to_vec();
    let huge_chunk = {
        let body = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nabc\r\n0\r\n\r\n";
        let mut w = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        w.extend_from_slice(body);
        w
    };
    let no_header_end = b"WARC/1.0\r\n".repeat(10_000);
    let blank_lines = b"\n".repeat(100_000);
    let nested_json = format!("{}{}\n", "[".repeat(10_000), "]".repeat(10_000)).into_bytes();
    let long_escape = format!("{{\"text\": \"{}\"}}\n", "\\u00e1".repeat(10_000)).into_bytes();
    let gzip_garbage = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3];
    for data in [
        huge_length,
        bad_length,
        huge_chunk,
        no_header_end,
        blank_lines,
        nested_json,
        long_escape,
        gzip_garbage,
    ] {
        timed("hostile reader input", || readers(&data));
    }
}

#[test]
fn hostile_rule_files() {
    let inputs = [
        // Regexes far over the size limit must be refused, not built.
        "[[line]]\nid = \"a\"\npattern = '(?:\\w{1000}){1000}'\nexamples = [\"x\"]\n".to_string(),
        "[patterns]\nx = '\\p{L}{1000}{1000}'\n[[rule]]\nid = \"r\"\nkind = \"award\"\npattern = '{x}'\nvalue = \"v\"\n".to_string(),
        // Sub-patterns that refer to themselves.
        "[patterns]\na = '{b}'\nb = '{a}'\n".to_string(),
        // Braces and placeholders that are not closed.
        "[patterns]\na = '{b'\nb = '{'\nc = '{lex:'\n".to_string(),
        "[[language]]\ncode = \"vi\"\nname = \"x\"\nscript = \"y\"\nwhatlang = \"zzz\"\n".to_string(),
        "x = ".to_string() + &"[".repeat(5_000),
        "\u{feff}\0\u{10ffff}".to_string(),
    ];
    for text in inputs {
        timed("hostile rule file", || rule_loader(text.as_bytes()));
    }
}

/// The errors of loading `text` as the rule file `path`.
fn rule_errors(path: &str, text: &str) -> String {
    match RuleSet::from_sources(&vec![(path.to_string(), text.to_string())]) {
        Ok(_) => panic!("{path} loaded"),
        Err(e) => e.to_string(),
    }
}

/// Ten sub-patterns, each naming the next eight times: 8^9 copies of the last. The loader
/// used to expand them all (gigabytes of regex source, out of memory or a hang); now the
/// expansion stops at a size bound with an error.
#[test]
fn rule_loader_exponential_pattern_expansion() {
    let data = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/fuzz/rule_loader-pattern-expansion.bin"),
    )
    .unwrap();
    let errors = timed("exponential expansion", || {
        rule_errors("vi/fuzz.toml", &data)
    });
    assert!(
        errors.contains("expands to more than 256 KiB of regex"),
        "{errors}"
    );
}

/// A 240 KB pattern named by fifty rules: each rule compiled megabytes of regex. Now the
/// patterns of a language have one budget in all.
#[test]
fn rule_loader_pattern_named_by_many_rules() {
    let mut text = format!(
        "[patterns]\nq = '{}'\np = '{{q}}{{q}}{{q}}{{q}}'\n",
        "x".repeat(60_000)
    );
    for i in 0..50 {
        text.push_str(&format!(
            "[[rule]]\nid = \"r{i}\"\nkind = \"award\"\npattern = '{{p}}'\nvalue = \"v\"\nexamples = []\n"
        ));
    }
    let errors = timed("pattern reuse", || rule_errors("vi/fuzz.toml", &text));
    assert!(
        errors.contains("expand to more than 2 MiB of regex in all"),
        "{errors}"
    );
}
