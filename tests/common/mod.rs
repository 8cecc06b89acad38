//! Shared helpers for the integration tests: run `thidua extract`, read and check what it
//! wrote (SPEC §3), and the article texts the tests are built from.
//!
//! Every test crate uses a different subset of these helpers.
#![allow(dead_code)]

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::{Map, Value};

/// The columns of `documents.*`, SPEC §3.1.
pub const DOC_FIELDS: [&str; 16] = [
    "doc_id",
    "source",
    "status",
    "error",
    "encoding",
    "url",
    "source_url",
    "title",
    "published",
    "author",
    "lang",
    "lang_confidence",
    "text",
    "event_date",
    "bloc",
    "province",
];

/// The columns of `facts.*`, SPEC §3.2.
pub const FACT_FIELDS: [&str; 10] = [
    "doc_id", "fact_id", "kind", "text", "start", "end", "sentence", "value", "attrs", "rule",
];

/// The files `extract` writes into `--out`, SPEC §3.
pub const OUTPUT_FILES: [&str; 6] = [
    "documents.jsonl",
    "documents.csv",
    "facts.jsonl",
    "facts.csv",
    "dataset.sqlite",
    "run.json",
];

/// Document fields that are a string or null.
const NULLABLE_STRING_FIELDS: [&str; 9] = [
    "error",
    "url",
    "source_url",
    "title",
    "published",
    "author",
    "event_date",
    "bloc",
    "province",
];

/// How long one `extract` run may take before the test calls it hung (debug builds are slow).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// The binary under test.
pub fn thidua() -> Command {
    Command::cargo_bin("thidua").expect("cargo builds the thidua binary for integration tests")
}

/// What one `extract` run left behind.
pub struct Extract {
    pub out: PathBuf,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Extract {
    /// The rows of `documents.jsonl`, each checked against SPEC §3.1.
    pub fn documents(&self) -> Vec<Value> {
        documents(&self.out)
    }

    /// The rows of `facts.jsonl`, each checked against SPEC §3.2.
    pub fn facts(&self) -> Vec<Value> {
        facts(&self.out)
    }
}

/// Runs `thidua extract INPUTS... -o OUT EXTRA...`, asserts that it exits 0 and wrote every
/// output file.
pub fn extract(inputs: &[&Path], out: &Path, extra: &[&str]) -> Extract {
    extract_with_timeout(inputs, out, extra, DEFAULT_TIMEOUT)
}

/// [`extract`] with a time limit of its own.
pub fn extract_with_timeout(
    inputs: &[&Path],
    out: &Path,
    extra: &[&str],
    timeout: Duration,
) -> Extract {
    let mut cmd = thidua();
    cmd.arg("extract");
    for input in inputs {
        cmd.arg(input);
    }
    cmd.arg("-o").arg(out).args(extra).timeout(timeout);
    let started = Instant::now();
    let output = cmd.output().expect("thidua extract could be started");
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "`thidua extract {inputs:?} -o {out:?} {extra:?}` must exit 0 (SPEC §1: failed documents \
         are reported in the dataset, not by the exit status), but it ended with {status} after \
         {elapsed:?}{hung}\n--- stderr ---\n{stderr}",
        status = output.status,
        hung = if elapsed >= timeout {
            " (killed: it exceeded the test's time limit)"
        } else {
            ""
        },
    );
    for name in OUTPUT_FILES {
        assert!(
            out.join(name).is_file(),
            "extract exited 0 but did not write {name} into {out:?} (SPEC §3)"
        );
    }
    let run_json = fs::read_to_string(out.join("run.json")).expect("run.json is readable");
    let run: Value = serde_json::from_str(&run_json)
        .unwrap_or_else(|e| panic!("run.json is not valid JSON ({e}):\n{run_json}"));
    assert!(
        run.is_object(),
        "run.json must hold a JSON object, got {run}"
    );
    Extract {
        out: out.to_path_buf(),
        stdout,
        stderr,
        elapsed,
    }
}

/// Reads a JSON Lines file into its rows, each a JSON object.
pub fn read_jsonl(path: &Path) -> Vec<Value> {
    let content = fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} must be readable UTF-8: {e}", path.display()));
    content
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let row: Value = serde_json::from_str(line).unwrap_or_else(|e| {
                panic!("{} line {}: not JSON ({e}): {line}", path.display(), i + 1)
            });
            assert!(
                row.is_object(),
                "{} line {}: each row must be a JSON object, got {row}",
                path.display(),
                i + 1
            );
            row
        })
        .collect()
}

/// The rows of `OUT/documents.jsonl`, each checked with [`check_document_row`].
pub fn documents(out: &Path) -> Vec<Value> {
    let rows = read_jsonl(&out.join("documents.jsonl"));
    for row in &rows {
        check_document_row(row);
    }
    rows
}

/// The rows of `OUT/facts.jsonl`, each checked with [`check_fact_row`].
pub fn facts(out: &Path) -> Vec<Value> {
    let rows = read_jsonl(&out.join("facts.jsonl"));
    for row in &rows {
        check_fact_row(row);
    }
    rows
}

/// A field that must be a string.
pub fn s<'a>(row: &'a Value, field: &str) -> &'a str {
    row.get(field)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("field {field:?} must be a string in row {row}"))
}

/// A field that must be a string or null.
pub fn opt<'a>(row: &'a Value, field: &str) -> Option<&'a str> {
    match row.get(field) {
        Some(Value::Null) => None,
        Some(Value::String(v)) => Some(v),
        other => panic!("field {field:?} must be a string or null, got {other:?} in row {row}"),
    }
}

/// A field that must be a non-negative integer.
pub fn n(row: &Value, field: &str) -> u64 {
    row.get(field)
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("field {field:?} must be a non-negative integer in row {row}"))
}

/// Case-insensitive `contains`.
pub fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// A short description of a row for assertion messages (the text can be megabytes).
pub fn brief(row: &Value) -> String {
    let mut shown = Map::new();
    if let Some(obj) = row.as_object() {
        for (k, v) in obj {
            let v = match v {
                Value::String(t) if t.chars().count() > 300 => {
                    let head: String = t.chars().take(300).collect();
                    Value::String(format!("{head}… ({} chars)", t.chars().count()))
                }
                other => other.clone(),
            };
            shown.insert(k.clone(), v);
        }
    }
    Value::Object(shown).to_string()
}

/// Checks one `documents` row against the types and rules of SPEC §3.1.
pub fn check_document_row(row: &Value) {
    let obj = row.as_object().expect("a documents row is a JSON object");
    for field in DOC_FIELDS {
        assert!(
            obj.contains_key(field),
            "documents row lacks field {field:?} (SPEC §3.1): {}",
            brief(row)
        );
    }
    assert!(!s(row, "doc_id").is_empty(), "empty doc_id: {}", brief(row));
    assert!(!s(row, "source").is_empty(), "empty source: {}", brief(row));
    let status = s(row, "status");
    assert!(
        ["ok", "skipped", "duplicate", "error"].contains(&status),
        "status must be ok|skipped|duplicate|error, got {status:?}: {}",
        brief(row)
    );
    s(row, "encoding");
    assert!(
        !s(row, "lang").is_empty(),
        "lang must not be empty (use \"und\"): {}",
        brief(row)
    );
    for field in NULLABLE_STRING_FIELDS {
        opt(row, field);
    }
    if status != "ok" {
        let error = opt(row, "error").unwrap_or("");
        assert!(
            !error.trim().is_empty(),
            "a row with status {status:?} must say why in `error`: {}",
            brief(row)
        );
    }
    let confidence = row
        .get("lang_confidence")
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("lang_confidence must be a number: {}", brief(row)));
    assert!(
        (0.0..=1.0).contains(&confidence),
        "lang_confidence must be within 0..=1, got {confidence}: {}",
        brief(row)
    );
    let text = s(row, "text");
    assert!(
        unicode_normalization::is_nfc(text),
        "text must be NFC (SPEC §3.1): {}",
        brief(row)
    );
}

/// Checks one `facts` row against the types of SPEC §3.2.
pub fn check_fact_row(row: &Value) {
    let obj = row.as_object().expect("a facts row is a JSON object");
    for field in FACT_FIELDS {
        assert!(
            obj.contains_key(field),
            "facts row lacks field {field:?} (SPEC §3.2): {row}"
        );
    }
    for field in ["doc_id", "kind", "text", "value", "rule"] {
        s(row, field);
    }
    for field in ["fact_id", "start", "end", "sentence"] {
        n(row, field);
    }
    assert!(
        n(row, "start") <= n(row, "end"),
        "start > end in fact {row}"
    );
    assert!(
        row.get("attrs").is_some_and(Value::is_object),
        "attrs must be a JSON object in facts.jsonl: {row}"
    );
}

/// Checks that facts belong to ok documents, are ordered by document (input order) then by
/// `fact_id`, that `fact_id`s count 0, 1, 2… in order of `start`, and that each fact's `text`
/// is exactly `documents.text[start..end]` in characters (SPEC §3.2).
pub fn check_facts_against_documents(docs: &[Value], facts: &[Value]) {
    let mut doc_index: HashMap<&str, usize> = HashMap::new();
    let mut doc_chars: HashMap<&str, Vec<char>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if s(d, "status") == "ok" {
            doc_index.entry(s(d, "doc_id")).or_insert(i);
            doc_chars
                .entry(s(d, "doc_id"))
                .or_insert_with(|| s(d, "text").chars().collect());
        }
    }
    let mut previous: Option<(usize, u64, u64)> = None;
    for fact in facts {
        let doc_id = s(fact, "doc_id");
        let index = *doc_index.get(doc_id).unwrap_or_else(|| {
            panic!("fact {fact} names doc_id {doc_id:?}, which is no ok row of documents.jsonl")
        });
        let (fact_id, start, end) = (n(fact, "fact_id"), n(fact, "start"), n(fact, "end"));
        match previous {
            Some((prev_index, prev_id, prev_start)) if prev_index == index => {
                assert_eq!(
                    fact_id,
                    prev_id + 1,
                    "fact_ids of a document must count 0, 1, 2… in file order: {fact}"
                );
                assert!(
                    start >= prev_start,
                    "fact_ids must follow the order of `start`: {fact}"
                );
            }
            Some((prev_index, _, _)) => {
                assert!(
                    index > prev_index,
                    "facts must be ordered by input order of their documents: {fact}"
                );
                assert_eq!(fact_id, 0, "a document's first fact has fact_id 0: {fact}");
            }
            None => assert_eq!(fact_id, 0, "a document's first fact has fact_id 0: {fact}"),
        }
        previous = Some((index, fact_id, start));
        let chars = &doc_chars[doc_id];
        let (start, end) = (
            usize::try_from(start).expect("offset fits in usize"),
            usize::try_from(end).expect("offset fits in usize"),
        );
        assert!(
            end <= chars.len(),
            "fact {fact} ends at {end}, past the end of its document text ({} chars)",
            chars.len()
        );
        let span: String = chars[start..end].iter().collect();
        assert_eq!(
            span,
            s(fact, "text"),
            "fact text must be exactly documents.text[start..end] (character offsets): {fact}"
        );
    }
}

/// `len` bytes from a fixed-seed linear congruential generator (Knuth's MMIX constants):
/// the same "random" bytes on every run and machine.
pub fn lcg_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state.to_be_bytes()[0]
        })
        .collect()
}

/// Writes `bytes` to `dir/name`, creating `dir`, and returns the path.
pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    path
}

/// The `source` a file given on the command line must get: the path as given.
pub fn source_of(path: &Path) -> String {
    path.to_str()
        .expect("temporary paths in these tests are UTF-8")
        .to_string()
}

/// A fresh temporary directory.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory can be created")
}

/// Writes `bytes` as `name` into a fresh directory, runs `extract` on that one file and
/// returns its single documents row (asserting there is exactly one, with the right source).
pub fn extract_one(name: &str, bytes: &[u8]) -> Value {
    extract_one_with_timeout(name, bytes, DEFAULT_TIMEOUT)
}

/// [`extract_one`] with a time limit of its own.
pub fn extract_one_with_timeout(name: &str, bytes: &[u8], timeout: Duration) -> Value {
    let tmp = tempdir();
    let path = write(&tmp.path().join("in"), name, bytes);
    let run = extract_with_timeout(&[&path], &tmp.path().join("out"), &[], timeout);
    let mut rows = run.documents();
    assert_eq!(
        rows.len(),
        1,
        "{name}: one input file must give exactly one documents row (SPEC §2), got {}:\n{}",
        rows.len(),
        rows.iter().map(brief).collect::<Vec<_>>().join("\n")
    );
    let row = rows.remove(0);
    assert_eq!(
        s(&row, "source"),
        source_of(&path),
        "{name}: source must be the input path as given"
    );
    row
}

/// Asserts a row's status, with the row in the message.
pub fn assert_status(row: &Value, expected: &str, what: &str) {
    assert_eq!(
        s(row, "status"),
        expected,
        "{what}: expected status {expected:?}; row: {}",
        brief(row)
    );
}

/// Asserts a row is an error whose message mentions one of `keywords` (case-insensitively).
pub fn assert_error_mentions(row: &Value, keywords: &[&str], what: &str) {
    assert_status(row, "error", what);
    let error = opt(row, "error").unwrap_or("");
    assert!(
        keywords.iter().any(|k| contains_ci(error, k)),
        "{what}: the error message must mention one of {keywords:?}, got {error:?}"
    );
}

/// Asserts a row's text contains `needle`.
pub fn assert_text_contains(row: &Value, needle: &str, what: &str) {
    assert!(
        s(row, "text").contains(needle),
        "{what}: text must contain {needle:?}; row: {}",
        brief(row)
    );
}

/// Asserts a row's `lang`.
pub fn assert_lang(row: &Value, lang: &str, what: &str) {
    assert_eq!(
        s(row, "lang"),
        lang,
        "{what}: expected lang {lang:?}; row: {}",
        brief(row)
    );
}

// ---------------------------------------------------------------------------------------
// Articles. Written for these tests: news prose about an emulation bloc's conference, in the
// languages the pipeline reads. Vietnamese is NFC here; tests derive other forms from it.
// ---------------------------------------------------------------------------------------

/// The Vietnamese name every Vietnamese article carries, in NFC.
pub const VI_BLOC: &str = "Khối thi đua";

pub const VI_TITLE: &str =
    "Khối thi đua các cơ quan Đảng tỉnh Hà Giang ký kết giao ước thi đua năm 2024";

pub const VI_PARAGRAPHS: [&str; 5] = [
    "Sáng ngày 14/3/2024, tại hội trường Văn phòng Tỉnh ủy, Khối thi đua các cơ quan Đảng tỉnh \
     Hà Giang tổ chức hội nghị tổng kết công tác thi đua, khen thưởng năm 2023 và ký kết giao \
     ước thi đua năm 2024.",
    "Khối thi đua gồm 8 đơn vị thành viên với hơn 350 cán bộ, công chức, người lao động. Năm \
     2023, Văn phòng Tỉnh ủy giữ vai trò Trưởng khối, Ban Tổ chức Tỉnh ủy là Phó Trưởng khối.",
    "Với phương châm \"Đoàn kết, kỷ cương, sáng tạo, hiệu quả\", các đơn vị thành viên đã tích \
     cực hưởng ứng phong trào thi đua yêu nước, ủng hộ Quỹ Vì người nghèo của tỉnh số tiền 45,5 \
     triệu đồng và trao tặng 300 cuốn sách cho học sinh vùng cao.",
    "Tại hội nghị, các đại biểu thống nhất đề nghị Ủy ban nhân dân tỉnh tặng Cờ thi đua năm 2023 \
     cho Ban Tuyên giáo Tỉnh ủy và tặng Bằng khen cho 3 tập thể có thành tích xuất sắc trong \
     phong trào thi đua.",
    "Phát biểu kết luận hội nghị, đồng chí Trưởng khối đề nghị các đơn vị tiếp tục đổi mới nội \
     dung, hình thức thi đua, gắn phong trào thi đua với việc thực hiện nhiệm vụ chính trị của \
     từng cơ quan.",
];

pub const RU_TITLE: &str =
    "Блок соревнования партийных органов провинции Хазянг подписал соглашение о соревновании на 2024 год";

pub const RU_PARAGRAPHS: [&str; 4] = [
    "Утром 14 марта 2024 года в зале заседаний канцелярии провинциального комитета партии блок \
     соревнования партийных органов провинции Хазянг провёл конференцию, посвящённую подведению \
     итогов работы по соревнованию и поощрению за 2023 год и подписанию соглашения о \
     соревновании на 2024 год.",
    "В состав блока входят 8 подразделений, в которых работают более 350 кадровых работников, \
     государственных служащих и сотрудников.",
    "В течение года подразделения блока активно участвовали в патриотическом движении \
     соревнования и передали в фонд помощи бедным провинции 45,5 млн донгов.",
    "Делегаты конференции единогласно предложили провинциальному народному комитету наградить \
     переходящим знаменем соревнования отдел пропаганды провинциального комитета партии.",
];

pub const UK_TITLE: &str =
    "Блок змагань партійних органів провінції Хазянг підписав угоду про змагання на 2024 рік";

pub const UK_PARAGRAPHS: [&str; 4] = [
    "Уранці 14 березня 2024 року в залі засідань канцелярії провінційного комітету партії блок \
     змагань партійних органів провінції Хазянг провів конференцію з підбиття підсумків роботи \
     з питань змагань і заохочення за 2023 рік та підписання угоди про змагання на 2024 рік.",
    "До складу блоку входять 8 підрозділів, у яких працюють понад 350 кадрових працівників, \
     державних службовців і співробітників. Їхня спільна робота ґрунтується на єдності та \
     взаємній підтримці.",
    "Протягом року підрозділи блоку активно долучалися до патріотичного руху змагань і передали \
     до фонду допомоги бідним провінції 45,5 млн донгів.",
    "Делегати конференції одностайно запропонували провінційному народному комітету нагородити \
     перехідним прапором змагань відділ пропаганди провінційного комітету партії, відзначивши \
     ґрунтовну підготовку та єдність колективу.",
];

pub const KO_TITLE: &str = "하장성 당기관 경쟁블록, 2024년 경쟁 협약 체결";

pub const KO_PARAGRAPHS: [&str; 4] = [
    "하장성 당기관 경쟁블록은 2024년 3월 14일 오전 성당위원회 사무국 회의실에서 2023년 경쟁 및 \
     포상 사업을 총결산하고 2024년 경쟁 협약을 체결하는 회의를 개최했다.",
    "경쟁블록은 8개 회원 기관으로 구성되어 있으며, 350여 명의 간부와 공무원, 근로자가 근무하고 \
     있다.",
    "지난 한 해 동안 회원 기관들은 애국 경쟁 운동에 적극적으로 참여했으며, 성 빈곤층 지원 기금에 \
     4,550만 동을 기부했다.",
    "회의에서 대표단은 뛰어난 성과를 거둔 성당위원회 선전교육위원회에 경쟁기를 수여해 줄 것을 성 \
     인민위원회에 건의하기로 합의했다.",
];

/// A plain-text article: the title line, then the paragraphs, separated by blank lines.
pub fn plain_article(title: &str, paragraphs: &[&str]) -> String {
    let mut text = String::from(title);
    for p in paragraphs {
        text.push_str("\n\n");
        text.push_str(p);
    }
    text.push('\n');
    text
}

/// The Vietnamese article as plain text (NFC).
pub fn vi_text() -> String {
    plain_article(VI_TITLE, &VI_PARAGRAPHS)
}

/// The Russian article as plain text.
pub fn ru_text() -> String {
    plain_article(RU_TITLE, &RU_PARAGRAPHS)
}

/// The Ukrainian article as plain text.
pub fn uk_text() -> String {
    plain_article(UK_TITLE, &UK_PARAGRAPHS)
}

/// The Korean article as plain text.
pub fn ko_text() -> String {
    plain_article(KO_TITLE, &KO_PARAGRAPHS)
}

/// A news page: `head_extra` goes into `<head>` (a meta charset, say), the title into both
/// `<title>` and `<h1>`, the paragraphs into `<p>`s inside `<article>`, with a little site
/// chrome around them.
pub fn html_page(head_extra: &str, title: &str, paragraphs: &[&str]) -> String {
    let mut body = String::new();
    for p in paragraphs {
        body.push_str("      <p>");
        body.push_str(&escape_html(p));
        body.push_str("</p>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n  {head_extra}\n  <title>{t}</title>\n</head>\n<body>\n  \
         <nav><a href=\"/\">Home</a> | <a href=\"/tin-tuc\">News</a></nav>\n  <main>\n    \
         <article>\n      <h1>{t}</h1>\n{body}    </article>\n  </main>\n  \
         <footer>Copyright 2024 example.vn</footer>\n</body>\n</html>\n",
        t = escape_html(title),
    )
}

/// The Vietnamese article as a UTF-8 HTML page that says so.
pub fn vi_html() -> String {
    html_page("<meta charset=\"utf-8\">", VI_TITLE, &VI_PARAGRAPHS)
}

/// The Russian article as a UTF-8 HTML page that says so.
pub fn ru_html() -> String {
    html_page("<meta charset=\"utf-8\">", RU_TITLE, &RU_PARAGRAPHS)
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
