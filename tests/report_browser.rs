//! The HTML report in a real browser: headless Chromium (Debian's `chromium`) opens it, runs
//! whatever it would run, and prints the resulting DOM. Markup that arrived in an article must
//! be text on the page, no script may have run, and the page must fetch nothing.
//!
//! `.ci/run` installs Chromium and sets THIDUA_REQUIRE_BROWSER=1, which makes a missing browser
//! a failure; elsewhere the browser part is skipped with a note (the static checks still run).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

const ORIGINAL: &str = "Khối thi đua các cơ quan Nội chính tỉnh sơ kết 6 tháng đầu năm 2024

Sáng 12/7/2024, Khối thi đua các cơ quan Nội chính tỉnh tổ chức hội nghị sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm 2024.

Khối gồm 6 đơn vị: Công an tỉnh, Tòa án nhân dân tỉnh, Viện Kiểm sát nhân dân tỉnh, Sở Tư pháp, Thanh tra tỉnh và Cục Thi hành án dân sự tỉnh.

Nhân dịp này, các đơn vị trong Khối đã ủng hộ 120 triệu đồng cho Quỹ Vì người nghèo của tỉnh.
";

/// The translation carries markup in its text, as scraped text may: it must show as text.
const TRANSLATION: &str = "Блок соревнования органов внутренних дел провинции подвел итоги первого полугодия 2024 года

Утром 12 июля 2024 года Блок соревнования органов внутренних дел провинции провел конференцию <script>document.title='PWNED';document.body.setAttribute('data-pwned','script')</script> по итогам работы за первые 6 месяцев 2024 года.

В состав Блока входят 6 подразделений: Полиция провинции, Народный суд провинции, Народная прокуратура провинции, Департамент юстиции, Инспекция провинции и Департамент исполнения гражданских судебных решений провинции.

По этому случаю подразделения Блока пожертвовали 120 тыс. донгов <img src=x onerror=\"document.body.setAttribute('data-pwned','img')\"> в Фонд для бедных провинции.
";

fn chromium() -> Option<PathBuf> {
    let found = [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("THIDUA_REQUIRE_BROWSER").is_none(),
            "THIDUA_REQUIRE_BROWSER is set but no Chromium is installed"
        );
        eprintln!("note: no Chromium found; skipping the browser part of this test");
    }
    found
}

/// The DOM after Chromium has loaded the page and run what it would run.
fn rendered_dom(browser: &Path, page: &Path, profile: &Path) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What the page itself holds: no element that loads or runs anything.
fn assert_inert(html: &str) {
    let doc = scraper::Html::parse_document(html);
    let any = |sel: &str| {
        let s = scraper::Selector::parse(sel).expect("valid selector");
        doc.select(&s).count()
    };
    assert_eq!(
        any("body script, body img, iframe, object, embed, link, base, form"),
        0
    );
    assert_eq!(any("[src], [srcset], [onerror], [onload], [onclick]"), 0);
    let csp = scraper::Selector::parse("meta[http-equiv=\"Content-Security-Policy\"]")
        .expect("valid selector");
    let policy = doc
        .select(&csp)
        .next()
        .and_then(|m| m.value().attr("content"))
        .unwrap_or_default();
    assert!(policy.contains("default-src 'none'"), "policy: {policy:?}");
    let links = scraper::Selector::parse("a[href]").expect("valid selector");
    for a in doc.select(&links) {
        let href = a.value().attr("href").unwrap_or_default();
        assert!(
            href.starts_with('#') || href.starts_with("https://") || href.starts_with("http://"),
            "unexpected link {href:?}"
        );
    }
    assert!(
        !html.contains("url("),
        "the page must not load anything from CSS"
    );
}

fn check_page(page: &Path, browser: Option<&Path>) {
    let html = std::fs::read_to_string(page).expect("report is written");
    assert_inert(&html);
    // Both texts and the discrepancies are there, as text.
    for needle in [
        "Khối thi đua các cơ quan Nội chính tỉnh",
        "Блок соревнования органов внутренних дел",
        "changed donation: 120000000 → 120000 (scale_changed)",
        "&lt;script&gt;document.title=",
        "&lt;img src=x onerror=",
    ] {
        assert!(html.contains(needle), "{needle:?} is not on the page");
    }
    let Some(browser) = browser else { return };
    let profile = tempdir();
    let dom = rendered_dom(browser, page, profile.path());
    let dom_doc = scraper::Html::parse_document(&dom);
    let body = scraper::Selector::parse("body").expect("valid selector");
    let title = scraper::Selector::parse("title").expect("valid selector");
    for b in dom_doc.select(&body) {
        assert_eq!(
            b.value().attr("data-pwned"),
            None,
            "a script from the article ran"
        );
    }
    let titles: Vec<String> = dom_doc.select(&title).map(|t| t.text().collect()).collect();
    assert_eq!(
        titles,
        ["thidua: translation check"],
        "a script from the article ran"
    );
    // What a reader sees: the page's text.
    let seen: String = dom_doc
        .select(&body)
        .flat_map(|b| b.text())
        .collect::<String>();
    for needle in [
        "<script>document.title='PWNED'",
        "<img src=x onerror=",
        "Блок соревнования органов внутренних дел провинции провел конференцию",
        "Sáng 12/7/2024, Khối thi đua các cơ quan Nội chính tỉnh tổ chức hội nghị",
        "changed donation: 120000000 → 120000 (scale_changed)",
    ] {
        assert!(seen.contains(needle), "{needle:?} is not shown on the page");
    }
    let marks = scraper::Selector::parse("mark.changed").expect("valid selector");
    assert!(
        dom_doc.select(&marks).count() >= 2,
        "the changed amount is marked in both texts"
    );
}

#[test]
fn report_of_a_pair_shows_markup_as_text_and_runs_nothing() {
    let tmp = tempdir();
    let o = write(tmp.path(), "goc.txt", ORIGINAL);
    let t = write(tmp.path(), "ban-dich.txt", TRANSLATION);
    let out = thidua()
        .args(["check-translation", "--format", "html"])
        .arg(&o)
        .arg(&t)
        .output()
        .expect("thidua runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = write(tmp.path(), "report.html", &out.stdout);
    check_page(&page, chromium().as_deref());
}

#[test]
fn report_of_a_dataset_shows_markup_as_text_and_runs_nothing() {
    let tmp = tempdir();
    let input = tmp.path().join("in");
    write(&input, "goc.txt", ORIGINAL);
    write(&input, "ban-dich.txt", TRANSLATION);
    let out = tmp.path().join("out");
    extract(&[input.as_path()], &out, &[]);
    let run = thidua()
        .args(["check-translation", "--dataset"])
        .arg(&out)
        .output()
        .expect("thidua runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let pairs = read_jsonl(&out.join("pairs.jsonl"));
    assert_eq!(pairs.len(), 1, "{pairs:#?}");
    check_page(&out.join("report.html"), chromium().as_deref());
}
