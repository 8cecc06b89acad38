//! SPEC §1: "Output is byte-identical whatever N is", and rows come in input order.

mod common;

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use common::*;

const BLOCS_VI: [&str; 4] = [
    "Khối thi đua các cơ quan Đảng",
    "Khối thi đua các sở, ban, ngành",
    "Cụm thi đua các huyện miền núi",
    "Khối thi đua các doanh nghiệp",
];
const UNITS_VI: [&str; 10] = [
    "Văn phòng Tỉnh ủy",
    "Ban Tổ chức Tỉnh ủy",
    "Ban Tuyên giáo Tỉnh ủy",
    "Ban Dân vận Tỉnh ủy",
    "Ban Nội chính Tỉnh ủy",
    "Ủy ban Kiểm tra Tỉnh ủy",
    "Báo tỉnh",
    "Trường Chính trị tỉnh",
    "Sở Ngoại vụ",
    "Sở Tư pháp",
];
const PROVINCES_VI: [&str; 8] = [
    "Hà Giang",
    "Cao Bằng",
    "Quảng Trị",
    "Thái Nguyên",
    "Nghệ An",
    "Đồng Tháp",
    "Lào Cai",
    "Bình Định",
];
const PROVINCES_RU: [&str; 8] = [
    "Хазянг",
    "Каобанг",
    "Куангчи",
    "Тхайнгуен",
    "Нгеан",
    "Донгтхап",
    "Лаокай",
    "Биньдинь",
];
const PROVINCES_KO: [&str; 8] = [
    "하장",
    "까오방",
    "꽝찌",
    "타이응우옌",
    "응에안",
    "동탑",
    "라오까이",
    "빈딘",
];
const MONTHS_RU_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// Article `i` of the generated corpus: its language, title and paragraphs. Every article
/// differs from every other (the staff count grows with `i`).
fn article(i: usize) -> (&'static str, String, Vec<String>) {
    let day = 1 + (i * 7) % 28;
    let month = 1 + (i * 5) % 12;
    let year = 2019 + i % 7;
    let members = 6 + i % 9;
    let staff = 300 + i * 7;
    let money = 10 + (i * 13) % 90;
    let fraction = i % 10;
    let books = 100 + (i * 11) % 400;
    let awards = 1 + i % 5;
    let province = i % PROVINCES_VI.len();
    match i % 5 {
        3 => {
            let prov = PROVINCES_RU[province];
            let month_name = MONTHS_RU_GENITIVE[month - 1];
            (
                "ru",
                format!("Блок соревнования партийных органов провинции {prov} провёл конференцию"),
                vec![
                    format!(
                        "{day} {month_name} {year} года блок соревнования партийных органов \
                         провинции {prov} провёл конференцию по подведению итогов соревнования \
                         за {} год и подписанию соглашения о соревновании на {year} год.",
                        year - 1
                    ),
                    format!(
                        "Число подразделений в составе блока — {members}, в них работают более \
                         {staff} сотрудников и государственных служащих."
                    ),
                    format!(
                        "Подразделения блока передали в фонд помощи бедным {money},{fraction} млн \
                         донгов и {books} книг для школ горных районов."
                    ),
                ],
            )
        }
        4 => {
            let prov = PROVINCES_KO[province];
            (
                "ko",
                format!("{prov}성 당기관 경쟁블록, {year}년 경쟁 협약 체결"),
                vec![
                    format!(
                        "{prov}성 당기관 경쟁블록은 {year}년 {month}월 {day}일 오후 회의를 열고 \
                         {}년 경쟁 및 포상 사업을 총결산했다.",
                        year - 1
                    ),
                    format!(
                        "경쟁블록은 {members}개 회원 기관으로 구성되어 있으며 {staff}여 명의 \
                         간부와 근로자가 근무하고 있다."
                    ),
                    format!(
                        "회원 기관들은 빈곤층 지원 기금에 {money}{fraction}00만 동을 기부하고 산간 \
                         지역 학교에 책 {books}권을 기증했다."
                    ),
                ],
            )
        }
        _ => {
            let bloc = BLOCS_VI[i % BLOCS_VI.len()];
            let prov = PROVINCES_VI[province];
            let head = UNITS_VI[i % UNITS_VI.len()];
            let deputy = UNITS_VI[(i + 3) % UNITS_VI.len()];
            (
                "vi",
                format!("{bloc} tỉnh {prov} tổ chức hội nghị thi đua năm {year}"),
                vec![
                    format!(
                        "Chiều ngày {day}/{month}/{year}, tại hội trường {head}, {bloc} tỉnh \
                         {prov} tổ chức hội nghị tổng kết công tác thi đua, khen thưởng năm {} \
                         và ký kết giao ước thi đua năm {year}.",
                        year - 1
                    ),
                    format!(
                        "Khối gồm {members} đơn vị thành viên với hơn {staff} cán bộ, công chức, \
                         người lao động; {head} là Trưởng khối, {deputy} là Phó Trưởng khối."
                    ),
                    format!(
                        "Trong năm, các đơn vị đã ủng hộ Quỹ Vì người nghèo số tiền \
                         {money},{fraction} triệu đồng và tặng {books} cuốn sách cho thư viện các \
                         trường vùng cao."
                    ),
                    format!(
                        "Hội nghị thống nhất đề nghị tặng Cờ thi đua cho {deputy} và Bằng khen cho \
                         {awards} tập thể có thành tích xuất sắc."
                    ),
                ],
            )
        }
    }
}

const ARTICLES: usize = 200;

/// Writes the corpus (odd articles as HTML, even ones as text) and returns, in sorted file
/// name order, each file's expected source and language.
fn write_corpus(dir: &Path) -> Vec<(String, &'static str)> {
    let mut expected = Vec::with_capacity(ARTICLES);
    for i in 0..ARTICLES {
        let (lang, title, paragraphs) = article(i);
        let paragraphs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        let (name, content) = if i % 2 == 1 {
            (
                format!("art_{i:03}.html"),
                html_page(
                    &format!(
                        "<meta charset=\"utf-8\">\n  <meta name=\"language\" content=\"{lang}\">"
                    ),
                    &title,
                    &paragraphs,
                ),
            )
        } else {
            (
                format!("art_{i:03}.txt"),
                plain_article(&title, &paragraphs),
            )
        };
        let path = write(dir, &name, content);
        expected.push((source_of(&path), lang));
    }
    expected.sort();
    expected
}

/// Asserts two output files are byte-identical, naming the first line that differs.
fn assert_same_file(a: &Path, b: &Path, name: &str) {
    let left = fs::read(a).unwrap_or_else(|e| panic!("{}: {e}", a.display()));
    let right = fs::read(b).unwrap_or_else(|e| panic!("{}: {e}", b.display()));
    if left == right {
        return;
    }
    let left = String::from_utf8_lossy(&left);
    let right = String::from_utf8_lossy(&right);
    let mismatch = left
        .lines()
        .zip(right.lines())
        .enumerate()
        .find(|(_, (l, r))| l != r);
    match mismatch {
        Some((line, (l, r))) => panic!(
            "{name} differs between -j 1 and -j 2 at line {}:\n-j 1: {l}\n-j 2: {r}",
            line + 1
        ),
        None => panic!(
            "{name} differs between -j 1 and -j 2: {} vs {} lines",
            left.lines().count(),
            right.lines().count()
        ),
    }
}

#[test]
fn output_is_byte_identical_for_any_thread_count_and_in_input_order() {
    let tmp = tempdir();
    let input = tmp.path().join("corpus");
    let expected = write_corpus(&input);

    let one = extract(&[&input], &tmp.path().join("out_j1"), &["-j", "1"]);
    let two = extract(&[&input], &tmp.path().join("out_j2"), &["-j", "2"]);

    for name in [
        "documents.jsonl",
        "facts.jsonl",
        "documents.csv",
        "facts.csv",
    ] {
        assert_same_file(&one.out.join(name), &two.out.join(name), name);
    }

    let docs = one.documents();
    let sources: Vec<&str> = docs.iter().map(|d| s(d, "source")).collect();
    let expected_sources: Vec<&str> = expected.iter().map(|(src, _)| src.as_str()).collect();
    assert_eq!(
        sources, expected_sources,
        "one row per article, in input (sorted path) order"
    );

    let mut ids = HashSet::new();
    for (doc, (source, lang)) in docs.iter().zip(&expected) {
        assert_status(doc, "ok", source);
        assert_lang(doc, lang, source);
        assert!(
            ids.insert(s(doc, "doc_id")),
            "{source}: doc_id {} repeats, but every article has different bytes",
            s(doc, "doc_id")
        );
    }

    let facts = one.facts();
    assert!(
        !facts.is_empty(),
        "200 articles full of dates, counts and amounts gave no facts at all"
    );
    check_facts_against_documents(&docs, &facts);
}

#[test]
fn repeated_runs_give_identical_output() {
    let tmp = tempdir();
    let input = tmp.path().join("corpus");
    for i in 0..20 {
        let (_, title, paragraphs) = article(i);
        let paragraphs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        write(
            &input,
            &format!("a{i:02}.txt"),
            plain_article(&title, &paragraphs),
        );
    }
    let first = extract(&[&input], &tmp.path().join("first"), &["-j", "4"]);
    let second = extract(&[&input], &tmp.path().join("second"), &["-j", "4"]);
    for name in [
        "documents.jsonl",
        "facts.jsonl",
        "documents.csv",
        "facts.csv",
    ] {
        let a = fs::read(first.out.join(name)).expect("first run's output is readable");
        let b = fs::read(second.out.join(name)).expect("second run's output is readable");
        assert!(a == b, "{name} differs between two identical runs");
    }
}
