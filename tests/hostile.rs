//! Hostile inputs (SPEC §2): every input unit yields exactly one documents row, whatever
//! happens to it, the run goes on and exits 0, and what can be read is read correctly.

mod common;

use std::fs;
use std::io::Write;
use std::time::Duration;

use common::*;
use encoding_rs::{Encoding, EUC_KR, KOI8_U, WINDOWS_1251, WINDOWS_1252, WINDOWS_1258};
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::{json, Value};
use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------------------------------
// Builders: each hostile input as bytes, shared by the one-file tests and the mixed run.
// ---------------------------------------------------------------------------------------

/// Encodes `text` in a legacy encoding, insisting that every character is representable.
fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
    let (bytes, used, had_errors) = encoding.encode(text);
    assert_eq!(
        used,
        encoding,
        "encoding_rs encodes into {}",
        encoding.name()
    );
    assert!(
        !had_errors,
        "test input is not representable in {}",
        encoding.name()
    );
    bytes.into_owned()
}

/// 4 KiB of fixed-seed noise, with NUL bytes in it.
fn random_binary(seed: u64) -> Vec<u8> {
    let mut bytes = lcg_bytes(seed, 4096);
    bytes[100] = 0;
    bytes[2000] = 0;
    bytes[4000] = 0;
    bytes
}

/// The words either side of the invalid bytes in [`invalid_utf8`].
const BEFORE_BAD_BYTES: &str = "Khối thi đua các cơ quan Đảng tỉnh Hà Giang tổ chức hội nghị";
const AFTER_BAD_BYTES: &str = "tổng kết công tác thi đua, khen thưởng năm 2023";

/// Vietnamese UTF-8 with 0xFF 0xFE 0xC3 in the middle of a sentence.
fn invalid_utf8() -> Vec<u8> {
    let text = vi_text();
    let (before, after) = text
        .split_once(" tổng kết công tác thi đua")
        .expect("the Vietnamese article has the phrase the bad bytes go before");
    let mut bytes = before.as_bytes().to_vec();
    bytes.extend_from_slice(&[0xFF, 0xFE, 0xC3]);
    bytes.extend_from_slice(" tổng kết công tác thi đua".as_bytes());
    bytes.extend_from_slice(after.as_bytes());
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the input really is invalid UTF-8"
    );
    bytes
}

fn russian_windows_1251() -> Vec<u8> {
    encode(&ru_text(), WINDOWS_1251)
}

fn ukrainian_koi8_u() -> Vec<u8> {
    let text = uk_text();
    for letter in ['і', 'ї', 'є', 'ґ'] {
        assert!(text.contains(letter), "the Ukrainian article uses {letter}");
    }
    encode(&text, KOI8_U)
}

fn korean_euc_kr_html() -> Vec<u8> {
    let page = html_page(
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=euc-kr\">",
        KO_TITLE,
        &KO_PARAGRAPHS,
    );
    encode(&page, EUC_KR)
}

/// UTF-8 Vietnamese in a page whose `<meta>` names another charset.
fn vietnamese_with_lying_meta(meta: &str) -> Vec<u8> {
    html_page(meta, VI_TITLE, &VI_PARAGRAPHS).into_bytes()
}

/// UTF-8 Vietnamese that was decoded as windows-1252 once and saved as UTF-8 again.
fn vietnamese_mojibake() -> Vec<u8> {
    let text = vi_text();
    let (garbled, _) = WINDOWS_1252.decode_without_bom_handling(text.as_bytes());
    assert!(
        garbled.contains("Khá»‘i thi Ä‘ua"),
        "the mojibake looks like the real thing"
    );
    garbled.into_owned().into_bytes()
}

fn vietnamese_nfd() -> Vec<u8> {
    let nfd: String = vi_text().nfd().collect();
    assert!(
        !nfd.contains(VI_BLOC),
        "the NFD form differs from the NFC one"
    );
    nfd.into_bytes()
}

/// Rewrites NFC Vietnamese into the form windows-1258 can hold: letters with circumflex,
/// breve or horn stay precomposed, tone marks become combining characters.
fn windows_1258_form(text: &str) -> String {
    const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        let mut parts = Vec::new();
        unicode_normalization::char::decompose_canonical(c, |p| parts.push(p));
        let (tones, rest): (Vec<char>, Vec<char>) =
            parts.into_iter().partition(|p| TONE_MARKS.contains(p));
        let mut rest = rest.into_iter();
        let base = rest
            .next()
            .expect("a decomposition starts with its base letter");
        let letter = rest.fold(base, |acc, mark| {
            unicode_normalization::char::compose(acc, mark)
                .unwrap_or_else(|| panic!("{acc}+{mark:?} composes in Vietnamese"))
        });
        out.push(letter);
        out.extend(tones);
    }
    out
}

fn vietnamese_windows_1258() -> Vec<u8> {
    encode(&windows_1258_form(&vi_text()), WINDOWS_1258)
}

/// The Vietnamese article in UTF-16 with a byte order mark.
fn vietnamese_utf16(little_endian: bool) -> Vec<u8> {
    let text = vi_text();
    let mut bytes = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        if little_endian {
            bytes.extend_from_slice(&unit.to_le_bytes());
        } else {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
    }
    bytes
}

const NESTING_DEPTH: usize = 100_000;

fn deeply_nested_html() -> Vec<u8> {
    nested_html(NESTING_DEPTH)
}

/// A page whose paragraph sits inside `depth` nested `<div>`s.
fn nested_html(depth: usize) -> Vec<u8> {
    let mut page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{VI_TITLE}</title></head><body>"
    );
    page.push_str(&"<div>".repeat(depth));
    page.push_str("<p>");
    page.push_str(VI_PARAGRAPHS[0]);
    page.push_str("</p>");
    page.push_str(&"</div>".repeat(depth));
    page.push_str("</body></html>");
    page.into_bytes()
}

const JSONL_URL_1: &str = "https://baohagiang.example.vn/tin-tuc/khoi-thi-dua-ky-ket-giao-uoc-2024";
const JSONL_URL_4: &str = "https://ru.example.vn/novosti/blok-sorevnovaniya-khazyang-2024";

/// Four lines: a good text record, a cut-off line, a line with mistyped fields, a good HTML
/// record.
fn jsonl_with_bad_lines() -> Vec<u8> {
    let good_text = json!({
        "url": JSONL_URL_1,
        "title": VI_TITLE,
        "published": "2024-03-14",
        "lang": "vi",
        "text": VI_PARAGRAPHS.join("\n\n"),
    });
    let good_html = json!({
        "url": JSONL_URL_4,
        "html": ru_html(),
    });
    format!("{good_text}\n{{\"text\": \"abc\n{{\"text\": 5, \"url\": []}}\n{good_html}\n")
        .into_bytes()
}

const WARC_URI_1: &str =
    "https://baohagiang.example.vn/tin-tuc/khoi-thi-dua-ky-ket-giao-uoc-2024.html";
const WARC_URI_2: &str = "https://ru.example.vn/novosti/blok-sorevnovaniya-khazyang-2024.html";

/// One WARC record; `n` makes its id and date unique.
fn warc_record(
    n: usize,
    warc_type: &str,
    uri: Option<&str>,
    content_type: &str,
    block: &[u8],
) -> Vec<u8> {
    let mut head = format!(
        "WARC/1.0\r\nWARC-Type: {warc_type}\r\n\
         WARC-Record-ID: <urn:uuid:6f1c2a7e-0000-4000-8000-{n:012}>\r\n\
         WARC-Date: 2024-03-14T08:00:{n:02}Z\r\n"
    );
    if let Some(uri) = uri {
        head.push_str(&format!("WARC-Target-URI: {uri}\r\n"));
    }
    head.push_str(&format!(
        "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    ));
    let mut record = head.into_bytes();
    record.extend_from_slice(block);
    record.extend_from_slice(b"\r\n\r\n");
    record
}

fn http_response(html: &str) -> Vec<u8> {
    let mut block = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Server: nginx\r\n\r\n",
        html.len()
    )
    .into_bytes();
    block.extend_from_slice(html.as_bytes());
    block
}

/// The records of a small crawl: warcinfo, a request, and two responses.
fn warc_records() -> Vec<Vec<u8>> {
    let info = b"software: thidua-tests\r\nformat: WARC File Format 1.0\r\n";
    let request: &[u8] = b"GET /tin-tuc/khoi-thi-dua-ky-ket-giao-uoc-2024.html HTTP/1.1\r\n\
        Host: baohagiang.example.vn\r\nUser-Agent: thidua-tests\r\n\r\n";
    vec![
        warc_record(1, "warcinfo", None, "application/warc-fields", info),
        warc_record(
            2,
            "request",
            Some(WARC_URI_1),
            "application/http; msgtype=request",
            request,
        ),
        warc_record(
            3,
            "response",
            Some(WARC_URI_1),
            "application/http; msgtype=response",
            &http_response(&html_page(
                &format!("<meta charset=\"utf-8\">\n  <meta property=\"og:url\" content=\"{WARC_URI_1}\">"),
                VI_TITLE,
                &VI_PARAGRAPHS,
            )),
        ),
        warc_record(
            4,
            "response",
            Some(WARC_URI_2),
            "application/http; msgtype=response",
            &http_response(&html_page(
                &format!("<meta charset=\"utf-8\">\n  <meta property=\"og:url\" content=\"{WARC_URI_2}\">"),
                RU_TITLE,
                &RU_PARAGRAPHS,
            )),
        ),
    ]
}

fn warc() -> Vec<u8> {
    warc_records().concat()
}

/// The crawl gzipped the usual way, one gzip member per record.
fn warc_gz() -> Vec<u8> {
    let mut out = Vec::new();
    for record in warc_records() {
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(&record).expect("gzip into memory");
        out.extend(gz.finish().expect("gzip into memory"));
    }
    out
}

/// [`warc_gz`] cut off at 60 % of its bytes.
fn truncated_warc_gz() -> Vec<u8> {
    let mut bytes = warc_gz();
    bytes.truncate(bytes.len() * 6 / 10);
    bytes
}

/// A UTF-8 Vietnamese page that does not declare its charset, for files named neither
/// `.html` nor `.txt`.
fn sniffed_page() -> Vec<u8> {
    html_page(
        "<meta name=\"generator\" content=\"tin-tuc CMS 3.2\">",
        VI_TITLE,
        &VI_PARAGRAPHS,
    )
    .into_bytes()
}

/// Text from `<script>`s and `<style>`s that must not reach `text`.
const SCRIPT_TEXT: &str = "Cụm thi đua các trường học tỉnh Bình Thuận họp bàn kế hoạch thi đua \
                           năm học mới tại Phan Thiết và trao Bằng khen cho 12 giáo viên";
const SCRIPT_TEXT_2: &str = "Hội nghị thi đua khối doanh nghiệp tại Phan Thiết";

fn page_with_scripts() -> Vec<u8> {
    let paragraphs: String = VI_PARAGRAPHS
        .iter()
        .map(|p| format!("<p>{}</p>\n", escape_html(p)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{VI_TITLE}</title>\n\
         <script>var tinNoiBat = \"{SCRIPT_TEXT}\"; document.title = tinNoiBat;</script>\n\
         <style>.tin-bai p {{ color: #333; font-family: Arial, sans-serif; }}</style>\n\
         </head>\n<body>\n<article class=\"tin-bai\">\n<h1>{VI_TITLE}</h1>\n{paragraphs}\
         <script type=\"text/javascript\">window.dataLayer = window.dataLayer || []; \
         dataLayer.push({{\"chuyenMuc\": \"{SCRIPT_TEXT_2}\"}});</script>\n\
         </article>\n</body>\n</html>\n"
    )
    .into_bytes()
}

// ---------------------------------------------------------------------------------------
// One file each.
// ---------------------------------------------------------------------------------------

#[test]
fn empty_file_is_an_error_row_that_says_empty() {
    let row = extract_one("empty.txt", b"");
    assert_error_mentions(&row, &["empty"], "empty file");
}

#[test]
fn random_binary_is_an_error_row_that_says_binary() {
    let row = extract_one("random.bin", &random_binary(0x7468_6964_7561));
    assert_error_mentions(&row, &["binary"], "4 KiB of random bytes");
}

#[test]
fn random_binary_named_txt_is_still_binary() {
    let row = extract_one("noise.txt", &random_binary(2024));
    assert_error_mentions(&row, &["binary"], "random bytes in a .txt file");
}

#[test]
fn invalid_utf8_inside_vietnamese_keeps_the_words_around_it() {
    let row = extract_one("invalid_utf8.txt", &invalid_utf8());
    let what = "Vietnamese UTF-8 with 0xFF 0xFE 0xC3 inside";
    assert_status(&row, "ok", what);
    assert_lang(&row, "vi", what);
    assert_text_contains(&row, BEFORE_BAD_BYTES, what);
    assert_text_contains(&row, AFTER_BAD_BYTES, what);
    assert_text_contains(&row, "Ban Tuyên giáo Tỉnh ủy", what);
}

#[test]
fn windows_1251_russian_is_decoded() {
    let row = extract_one("ru_1251.txt", &russian_windows_1251());
    let what = "windows-1251 Russian";
    assert_status(&row, "ok", what);
    assert_lang(&row, "ru", what);
    assert!(
        s(&row, "encoding").contains("1251"),
        "{what}: encoding must record windows-1251, got {:?}",
        s(&row, "encoding")
    );
    assert_text_contains(&row, "соревнования партийных органов", what);
    assert_text_contains(&row, "Хазянг", what);
}

#[test]
fn koi8_u_ukrainian_is_decoded() {
    let row = extract_one("uk_koi8.txt", &ukrainian_koi8_u());
    let what = "KOI8-U Ukrainian";
    assert_status(&row, "ok", what);
    assert_lang(&row, "uk", what);
    assert!(
        contains_ci(s(&row, "encoding"), "koi8"),
        "{what}: encoding must record KOI8-U (or KOI8-R), got {:?}",
        s(&row, "encoding")
    );
    assert_text_contains(&row, "змагань партійних органів", what);
}

#[test]
fn euc_kr_korean_html_is_decoded() {
    let row = extract_one("ko_euckr.html", &korean_euc_kr_html());
    let what = "EUC-KR Korean HTML with a meta charset";
    assert_status(&row, "ok", what);
    assert_lang(&row, "ko", what);
    assert!(
        contains_ci(s(&row, "encoding"), "euc-kr"),
        "{what}: encoding must record EUC-KR, got {:?}",
        s(&row, "encoding")
    );
    assert_text_contains(&row, "경쟁 협약", what);
    assert_text_contains(&row, "선전교육위원회", what);
}

fn assert_clean_vietnamese(row: &Value, what: &str) {
    assert_status(row, "ok", what);
    assert_lang(row, "vi", what);
    assert_text_contains(row, VI_BLOC, what);
    assert_text_contains(row, "giao ước thi đua năm 2024", what);
    for garbage in ["á»", "Ä‘", "Ã"] {
        assert!(
            !s(row, "text").contains(garbage),
            "{what}: text still holds mojibake {garbage:?}: {}",
            brief(row)
        );
    }
}

#[test]
fn meta_charset_windows_1252_over_utf8_bytes_is_not_believed() {
    let page = vietnamese_with_lying_meta(
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">",
    );
    let row = extract_one("lying_1252.html", &page);
    assert_clean_vietnamese(&row, "UTF-8 Vietnamese under a windows-1252 meta charset");
}

#[test]
fn meta_charset_iso_8859_1_over_utf8_bytes_is_not_believed() {
    let page = vietnamese_with_lying_meta("<meta charset=\"iso-8859-1\">");
    let row = extract_one("lying_latin1.html", &page);
    assert_clean_vietnamese(&row, "UTF-8 Vietnamese under an iso-8859-1 meta charset");
}

#[test]
fn windows_1252_mojibake_is_repaired() {
    let row = extract_one("mojibake.txt", &vietnamese_mojibake());
    let what = "Vietnamese mis-decoded as windows-1252 and saved as UTF-8";
    assert_clean_vietnamese(&row, what);
    let encoding = s(&row, "encoding");
    assert!(
        encoding.starts_with("UTF-8") && encoding.contains("1252"),
        "{what}: encoding must say UTF-8 repaired from windows-1252, got {encoding:?}"
    );
}

#[test]
fn nfd_vietnamese_becomes_nfc() {
    let row = extract_one("nfd.txt", &vietnamese_nfd());
    let what = "Vietnamese in NFD";
    assert_status(&row, "ok", what);
    assert_lang(&row, "vi", what);
    assert_text_contains(&row, VI_BLOC, what);
    assert_text_contains(&row, "Ủy ban nhân dân tỉnh tặng Cờ thi đua", what);
    // check_document_row (inside extract_one) has asserted the whole text is NFC.
}

#[test]
fn windows_1258_vietnamese_is_decoded_to_nfc() {
    let row = extract_one("vi_1258.txt", &vietnamese_windows_1258());
    let what = "windows-1258 Vietnamese (combining tone marks)";
    assert_status(&row, "ok", what);
    assert_lang(&row, "vi", what);
    assert_text_contains(&row, VI_BLOC, what);
    assert_text_contains(&row, "Phát biểu kết luận hội nghị", what);
}

#[test]
fn utf16le_with_bom_is_decoded() {
    let row = extract_one("utf16le.txt", &vietnamese_utf16(true));
    let what = "UTF-16LE with BOM";
    assert_status(&row, "ok", what);
    assert_text_contains(&row, VI_BLOC, what);
    assert!(
        contains_ci(s(&row, "encoding"), "utf-16"),
        "{what}: encoding must record UTF-16, got {:?}",
        s(&row, "encoding")
    );
}

#[test]
fn utf16be_with_bom_is_decoded() {
    let row = extract_one("utf16be.txt", &vietnamese_utf16(false));
    let what = "UTF-16BE with BOM";
    assert_status(&row, "ok", what);
    assert_text_contains(&row, VI_BLOC, what);
}

#[test]
fn deeply_nested_html_gives_a_row_and_no_crash() {
    let row =
        extract_one_with_timeout("deep.html", &deeply_nested_html(), Duration::from_secs(240));
    let status = s(&row, "status");
    assert!(
        status == "ok" || status == "error",
        "HTML nested {NESTING_DEPTH} deep: expected ok or error, got {}",
        brief(&row)
    );
}

#[test]
fn fifty_megabyte_document_gives_exactly_one_row() {
    const SIZE: usize = 50 * 1024 * 1024;
    let mut paragraph = VI_PARAGRAPHS.join("\n\n");
    paragraph.push_str("\n\n");
    let mut content = paragraph.repeat(SIZE / paragraph.len() + 1);
    let mut cut = SIZE;
    while !content.is_char_boundary(cut) {
        cut += 1;
    }
    content.truncate(cut);
    let row = extract_one_with_timeout("huge.txt", content.as_bytes(), Duration::from_secs(600));
    match s(&row, "status") {
        "ok" => assert_text_contains(&row, VI_BLOC, "50 MB Vietnamese text"),
        "error" => {
            assert_error_mentions(&row, &["large", "size", "limit"], "50 MB Vietnamese text")
        }
        other => panic!(
            "50 MB text: expected ok or error (too large), got {other:?}: {}",
            brief(&row)
        ),
    }
}

#[test]
fn jsonl_malformed_and_mistyped_lines_are_error_rows() {
    let tmp = tempdir();
    let path = write(&tmp.path().join("in"), "f.jsonl", jsonl_with_bad_lines());
    let run = extract(&[&path], &tmp.path().join("out"), &[]);
    let rows = run.documents();
    let sources: Vec<&str> = rows.iter().map(|r| s(r, "source")).collect();
    let base = source_of(&path);
    let expected: Vec<String> = (1..=4).map(|i| format!("{base}#{i}")).collect();
    assert_eq!(
        sources, expected,
        "one row per JSON line, sources path#N (1-based)"
    );

    assert_status(&rows[0], "ok", "f.jsonl#1 (text record)");
    assert_lang(&rows[0], "vi", "f.jsonl#1");
    assert_eq!(
        opt(&rows[0], "url"),
        Some(JSONL_URL_1),
        "f.jsonl#1: url from the url field"
    );
    assert_eq!(
        opt(&rows[0], "title"),
        Some(VI_TITLE),
        "f.jsonl#1: title from the title field"
    );
    assert!(
        opt(&rows[0], "published").is_some_and(|p| p.starts_with("2024-03-14")),
        "f.jsonl#1: published from the published field: {}",
        brief(&rows[0])
    );
    assert_text_contains(&rows[0], "Trưởng khối, Ban Tổ chức Tỉnh ủy", "f.jsonl#1");

    assert_error_mentions(&rows[1], &["invalid json"], "f.jsonl#2 ({\"text\": \"abc)");
    assert_error_mentions(
        &rows[2],
        &["field"],
        "f.jsonl#3 ({\"text\": 5, \"url\": []})",
    );

    assert_status(&rows[3], "ok", "f.jsonl#4 (html record)");
    assert_lang(&rows[3], "ru", "f.jsonl#4");
    assert_eq!(
        opt(&rows[3], "url"),
        Some(JSONL_URL_4),
        "f.jsonl#4: url from the url field"
    );
    assert_eq!(
        opt(&rows[3], "title"),
        Some(RU_TITLE),
        "f.jsonl#4: title from the HTML"
    );
    assert!(
        !s(&rows[3], "text").contains("<p>"),
        "f.jsonl#4: text is not HTML"
    );
}

#[test]
fn stdin_is_read_as_json_lines() {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    let lines = format!(
        "{}\n{}\n",
        json!({"url": JSONL_URL_1, "text": vi_text()}),
        json!({"url": JSONL_URL_4, "html": ru_html()})
    );
    let output = thidua()
        .arg("extract")
        .arg("-")
        .arg("-o")
        .arg(&out)
        .write_stdin(lines)
        .timeout(DEFAULT_TIMEOUT)
        .output()
        .expect("thidua extract could be started");
    assert!(
        output.status.success(),
        "extract - must exit 0, got {}:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let rows = documents(&out);
    let sources: Vec<&str> = rows.iter().map(|r| s(r, "source")).collect();
    assert_eq!(sources, ["-#1", "-#2"], "standard input lines are -#1, -#2");
    assert_lang(&rows[0], "vi", "-#1");
    assert_lang(&rows[1], "ru", "-#2");
}

#[test]
fn truncated_warc_gz_reports_truncation_and_the_run_goes_on() {
    let tmp = tempdir();
    let input = tmp.path().join("in");
    let path = write(&input, "crawl.warc.gz", truncated_warc_gz());
    // A healthy file after the broken one must still be read.
    let after = write(&input, "zz_after.txt", vi_text());
    let run = extract(&[&path, &after], &tmp.path().join("out"), &[]);
    let rows = run.documents();
    let base = source_of(&path);
    let (warc_rows, other_rows): (Vec<&Value>, Vec<&Value>) = rows
        .iter()
        .partition(|r| s(r, "source").starts_with(&format!("{base}#")));
    assert!(
        (1..=2).contains(&warc_rows.len()),
        "a truncated 2-response WARC gives 1 or 2 rows, got {}: {:?}",
        warc_rows.len(),
        rows.iter().map(brief).collect::<Vec<_>>()
    );
    assert!(
        warc_rows.iter().any(|r| s(r, "status") == "error"
            && ["truncated", "gzip"]
                .iter()
                .any(|k| contains_ci(opt(r, "error").unwrap_or(""), k))),
        "one row of the cut .warc.gz must be an error naming the truncation or gzip: {:?}",
        warc_rows.iter().map(|r| brief(r)).collect::<Vec<_>>()
    );
    assert_eq!(
        other_rows.len(),
        1,
        "the file after the broken one gives its row"
    );
    assert_eq!(s(other_rows[0], "source"), source_of(&after));
    assert_status(other_rows[0], "ok", "the file after the truncated .warc.gz");
}

fn assert_two_response_rows(rows: &[Value], base: &str, what: &str) {
    let sources: Vec<&str> = rows.iter().map(|r| s(r, "source")).collect();
    assert_eq!(
        sources,
        [format!("{base}#3"), format!("{base}#4")],
        "{what}: one row per response record (warcinfo and request are not units), \
         N counting every record"
    );
    assert_eq!(
        opt(&rows[0], "url"),
        Some(WARC_URI_1),
        "{what}: url = WARC-Target-URI"
    );
    assert_eq!(
        opt(&rows[1], "url"),
        Some(WARC_URI_2),
        "{what}: url = WARC-Target-URI"
    );
    assert_status(&rows[0], "ok", what);
    assert_status(&rows[1], "ok", what);
    assert_lang(&rows[0], "vi", what);
    assert_lang(&rows[1], "ru", what);
    assert_text_contains(&rows[0], VI_BLOC, what);
    for row in rows {
        for header in ["HTTP/1.1", "Content-Type", "nginx"] {
            assert!(
                !s(row, "text").contains(header),
                "{what}: HTTP headers must not reach the text ({header:?}): {}",
                brief(row)
            );
        }
    }
}

#[test]
fn warc_yields_one_row_per_response_record() {
    let tmp = tempdir();
    let path = write(&tmp.path().join("in"), "x.warc", warc());
    let run = extract(&[&path], &tmp.path().join("out"), &[]);
    assert_two_response_rows(&run.documents(), &source_of(&path), "x.warc");
}

#[test]
fn gzipped_warc_yields_one_row_per_response_record() {
    let tmp = tempdir();
    let path = write(&tmp.path().join("in"), "x.warc.gz", warc_gz());
    let run = extract(&[&path], &tmp.path().join("out"), &[]);
    assert_two_response_rows(&run.documents(), &source_of(&path), "x.warc.gz");
}

#[test]
fn html_with_unknown_extension_is_sniffed() {
    let row = extract_one("page.dat", &sniffed_page());
    let what = "HTML in page.dat";
    assert_status(&row, "ok", what);
    assert_eq!(
        opt(&row, "title"),
        Some(VI_TITLE),
        "{what}: title from the HTML"
    );
    assert_lang(&row, "vi", what);
    assert!(
        !s(&row, "text").contains("<p>"),
        "{what}: text is not HTML markup"
    );
}

#[test]
fn html_without_extension_is_sniffed() {
    let row = extract_one("bai_viet_khoi_thi_dua", &sniffed_page());
    let what = "HTML in a file without extension";
    assert_status(&row, "ok", what);
    assert_eq!(
        opt(&row, "title"),
        Some(VI_TITLE),
        "{what}: title from the HTML"
    );
    assert!(
        !s(&row, "text").contains("<p>"),
        "{what}: text is not HTML markup"
    );
}

#[test]
fn script_and_style_text_stays_out_of_the_main_text() {
    let row = extract_one("scripts.html", &page_with_scripts());
    let what = "page with article-like text in <script>";
    assert_status(&row, "ok", what);
    assert_text_contains(&row, "tổ chức hội nghị tổng kết công tác thi đua", what);
    assert_text_contains(&row, "Đoàn kết, kỷ cương, sáng tạo, hiệu quả", what);
    for leaked in [
        "Phan Thiết",
        "Bình Thuận",
        "tinNoiBat",
        "dataLayer",
        "font-family",
    ] {
        assert!(
            !s(&row, "text").contains(leaked),
            "{what}: script/style content {leaked:?} leaked into text: {}",
            brief(&row)
        );
    }
}

// ---------------------------------------------------------------------------------------
// Everything at once.
// ---------------------------------------------------------------------------------------

/// How many rows one input file must give.
enum Units {
    Exactly(usize),
    /// A container cut short: at least one row (the error), at most one per record.
    Between(usize, usize),
}

#[test]
fn mixed_directory_gives_one_row_per_unit() {
    let files: Vec<(&str, Vec<u8>, Units)> = vec![
        ("a_empty.txt", Vec::new(), Units::Exactly(1)),
        ("b_random.bin", random_binary(7), Units::Exactly(1)),
        ("c_invalid_utf8.txt", invalid_utf8(), Units::Exactly(1)),
        ("d_ru_1251.txt", russian_windows_1251(), Units::Exactly(1)),
        ("e_uk_koi8.txt", ukrainian_koi8_u(), Units::Exactly(1)),
        ("f_ko_euckr.html", korean_euc_kr_html(), Units::Exactly(1)),
        (
            "g_lying_1252.html",
            vietnamese_with_lying_meta("<meta charset=\"windows-1252\">"),
            Units::Exactly(1),
        ),
        ("h_mojibake.txt", vietnamese_mojibake(), Units::Exactly(1)),
        ("i_nfd.txt", vietnamese_nfd(), Units::Exactly(1)),
        (
            "j_vi_1258.txt",
            vietnamese_windows_1258(),
            Units::Exactly(1),
        ),
        ("k_utf16le.txt", vietnamese_utf16(true), Units::Exactly(1)),
        // 10,000 levels here; the full 100,000 have a test of their own, so that slowness
        // there does not hide what this test checks.
        ("l_deep.html", nested_html(10_000), Units::Exactly(1)),
        ("m_lines.jsonl", jsonl_with_bad_lines(), Units::Exactly(4)),
        ("n_cut.warc.gz", truncated_warc_gz(), Units::Between(1, 2)),
        ("o_crawl.warc", warc(), Units::Exactly(2)),
        ("p_page.dat", sniffed_page(), Units::Exactly(1)),
        ("q_noextension", page_with_scripts(), Units::Exactly(1)),
        ("r_plain.txt", ru_text().into_bytes(), Units::Exactly(1)),
    ];
    let tmp = tempdir();
    let input = tmp.path().join("mixed");
    let mut expected: Vec<(String, Units)> = Vec::new();
    for (name, bytes, units) in files {
        let path = write(&input, name, bytes);
        expected.push((source_of(&path), units));
    }
    // A subdirectory, walked recursively; it sorts after the files above.
    let nested = write(&input.join("s_nested"), "uk.txt", uk_text());
    expected.push((source_of(&nested), Units::Exactly(1)));

    let run = extract(&[&input], &tmp.path().join("out"), &["-j", "3"]);
    let rows = run.documents();

    let mut seen = std::collections::HashSet::new();
    for row in &rows {
        assert!(
            seen.insert(s(row, "source")),
            "sources must be unique, {:?} appears twice",
            s(row, "source")
        );
    }

    let mut accounted = 0;
    for (source, units) in &expected {
        let count = rows
            .iter()
            .filter(|r| {
                let src = s(r, "source");
                src == source || src.starts_with(&format!("{source}#"))
            })
            .count();
        match units {
            Units::Exactly(want) => assert_eq!(
                count, *want,
                "{source}: expected {want} row(s), got {count}"
            ),
            Units::Between(lo, hi) => assert!(
                (*lo..=*hi).contains(&count),
                "{source}: expected {lo}..={hi} rows, got {count}"
            ),
        }
        accounted += count;
    }
    assert_eq!(
        rows.len(),
        accounted,
        "documents.jsonl holds rows for no input unit: {:?}",
        rows.iter()
            .map(|r| s(r, "source"))
            .filter(|src| !expected
                .iter()
                .any(|(e, _)| src == e || src.starts_with(&format!("{e}#"))))
            .collect::<Vec<_>>()
    );

    // Rows follow the sorted walk.
    let order: Vec<usize> = rows
        .iter()
        .map(|r| {
            let src = s(r, "source");
            expected
                .iter()
                .position(|(e, _)| src == e || src.starts_with(&format!("{e}#")))
                .expect("every row was matched to an input above")
        })
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] <= w[1]),
        "rows must be in input order (directories walked in sorted order): {:?}",
        rows.iter().map(|r| s(r, "source")).collect::<Vec<_>>()
    );

    // The other outputs agree on the row count.
    let csv_rows = csv::Reader::from_path(run.out.join("documents.csv"))
        .expect("documents.csv opens")
        .records()
        .count();
    assert_eq!(
        csv_rows,
        rows.len(),
        "documents.csv and documents.jsonl row counts"
    );
    let facts = run.facts();
    check_facts_against_documents(&rows, &facts);
    assert!(
        fs::metadata(run.out.join("dataset.sqlite")).is_ok_and(|m| m.len() > 0),
        "dataset.sqlite is written"
    );
}
