//! Chrome removal and Unicode normalization of the article's paragraphs.
//!
//! Line rules come from rules/common/chrome.toml. Source lines become `source_url`, a
//! publication stamp becomes `published`, a byline becomes `author`; all three leave the text.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::rules::Chrome;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaned {
    pub paragraphs: Vec<String>,
    pub source_url: Option<String>,
    pub published: Option<String>,
    pub author: Option<String>,
}

/// NFC, with non-breaking and odd spaces made plain and zero-width characters dropped.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    // Text already in NFC (nearly all of it) is not composed again.
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        for c in s.chars() {
            push_plain(&mut out, &mut space, c);
        }
    } else {
        for c in s.nfc() {
            push_plain(&mut out, &mut space, c);
        }
    }
    out
}

/// One character of [`normalize`]'s output: runs of spaces become one, none at either end.
fn push_plain(out: &mut String, space: &mut bool, c: char) {
    let c = match c {
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}' => return,
        '\u{00A0}' | '\u{202F}' | '\u{2007}' | '\u{2009}' | '\u{3000}' => ' ',
        c => c,
    };
    if c == ' ' {
        *space = true;
        return;
    }
    if *space && !out.is_empty() {
        out.push(' ');
    }
    *space = false;
    out.push(c);
}

/// Longest line (bytes) that whole-line chrome rules are tried on.
const MAX_CHROME_LINE: usize = 400;

/// Clean the paragraphs of one article.
pub fn clean(paragraphs: &[String], chrome: &Chrome) -> Cleaned {
    let mut out = Cleaned::default();
    let mut kept: Vec<String> = Vec::new();
    for p in paragraphs {
        let mut line = normalize(p);
        for c in &chrome.inline {
            if c.re.is_match(&line) {
                line = c.re.replace_all(&line, "").trim().to_string();
            }
        }
        // Whole-line rules describe short lines (counters, labels, stamps, bylines): a long
        // paragraph cannot be one, and skipping them keeps long texts cheap.
        let short = line.len() <= MAX_CHROME_LINE;
        if line.is_empty() || short && chrome.is_chrome_line(&line) {
            continue;
        }
        if !short {
            kept.push(line);
            continue;
        }
        if let Some(url) = chrome.source_line(&line) {
            if out.source_url.is_none() {
                out.source_url = url;
            }
            continue;
        }
        if let Some(d) = chrome.dateline(&line) {
            if out.published.is_none() {
                out.published = Some(d);
            }
            continue;
        }
        if let Some(name) = chrome.byline(&line) {
            if out.author.is_none() {
                out.author = Some(name);
            }
            continue;
        }
        for c in &chrome.credits {
            if let Some(m) = c.re.find(&line) {
                if m.end() == line.len() {
                    line = line[..m.start()].trim_end().to_string();
                }
            }
        }
        if line.is_empty() || !line.chars().any(|c| c.is_alphanumeric()) {
            continue;
        }
        kept.push(line);
    }
    // A byline is often the last short line: a name of two to five capitalised words.
    if out.author.is_none() && kept.len() >= 3 {
        let before_ends_sentence =
            kept[kept.len() - 2].ends_with(['.', '!', '?', '"', '»', '”', ')']);
        if let Some(last) = kept.last() {
            if before_ends_sentence && looks_like_name(last) {
                out.author = kept.pop();
            }
        }
    }
    out.paragraphs = kept;
    out
}

/// A byline as found in page metadata or markup, reduced to the name: the first part before a
/// separator ("Автор: А Нгок Тхюи · 15 февраля 2025 · Комментарий (0)"), without its label.
pub fn author(raw: &str, chrome: &Chrome) -> Option<String> {
    // "Redação / Tuan Anh": an outlet before a slash, the person after it.
    let first = raw.split(['·', '|', '•', '\n']).next().unwrap_or("");
    let first = normalize(first.rsplit('/').next().unwrap_or(first));
    let name = chrome.byline(&first).unwrap_or(first);
    let name = name
        .trim()
        .trim_end_matches([',', ';', '-', '–'])
        .trim()
        .to_string();
    (!name.is_empty() && name.chars().count() <= 80).then_some(name)
}

/// Two to five words, each starting with an upper-case letter (or a Hangul syllable run of
/// 2–4 characters), no digits, no sentence punctuation, short.
pub fn looks_like_name(line: &str) -> bool {
    let l = line.trim();
    if l.chars().count() > 40 || l.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    if l.ends_with(['.', ':', ';', '!', '?', ',', '"', '»', '”', ')']) {
        return false;
    }
    let words: Vec<&str> = l.split_whitespace().collect();
    let hangul = |w: &&str| w.chars().all(|c| ('\u{AC00}'..='\u{D7AF}').contains(&c));
    if (2..=4).contains(&words.len()) && words.iter().all(|w| hangul(w) && w.chars().count() <= 3) {
        // A Vietnamese name in Hangul: "마이 반 찐".
        return true;
    }
    if words.len() == 1 {
        let w = words[0];
        let n = w.chars().count();
        return (2..=4).contains(&n) && w.chars().all(|c| ('\u{AC00}'..='\u{D7AF}').contains(&c));
    }
    if !(2..=5).contains(&words.len()) {
        return false;
    }
    // "Toalha de névoa" (a name translated as words): lower-case words are allowed, but the
    // name starts with a capital and is short.
    words[0].chars().next().is_some_and(|c| c.is_uppercase())
        && (words.len() <= 4 || l.chars().count() <= 30)
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphabetic() || "-.'’".contains(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrome() -> Chrome {
        crate::rules::RuleSet::embedded()
            .expect("built-in rules")
            .chrome
    }

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    #[test]
    fn visitor_counters_login_and_comments_go() {
        let c = clean(
            &lines("Thống kê truy cập\n• Đang truy cập: 5\nĐăng nhập\nKhối thi đua tổ chức hội nghị.\nLượt xem: 969\nBình luận (0)"),
            &chrome(),
        );
        assert_eq!(c.paragraphs, vec!["Khối thi đua tổ chức hội nghị."]);
    }

    #[test]
    fn source_line_becomes_source_url() {
        let c = clean(
            &lines("Блок змагань провів конференцію.\nДжерело: https://example.gov.vn/a-1\nКоментар (0)"),
            &chrome(),
        );
        assert_eq!(c.source_url.as_deref(), Some("https://example.gov.vn/a-1"));
        assert_eq!(c.paragraphs.len(), 1);
    }

    #[test]
    fn ad_markers_and_broken_entities_are_cut() {
        let c = clean(
            &lines("Hội nghị thành công. [광고_2]\nVăn phòng UBND tỉnh, Văn ph&og"),
            &chrome(),
        );
        assert_eq!(c.paragraphs[0], "Hội nghị thành công.");
        assert_eq!(c.paragraphs[1], "Văn phòng UBND tỉnh");
    }

    #[test]
    fn last_short_line_is_the_author() {
        let c = clean(
            &lines("Tiêu đề bài viết\nĐoạn một có nội dung.\nĐoạn hai có nội dung.\nNguyễn Cẩm"),
            &chrome(),
        );
        assert_eq!(c.author.as_deref(), Some("Nguyễn Cẩm"));
        assert!(!c.paragraphs.iter().any(|p| p == "Nguyễn Cẩm"));
        let c = clean(
            &lines(
                "Título\nParágrafo um.\nParágrafo dois.\nToalha de névoa\nFonte\nComentário (0)",
            ),
            &chrome(),
        );
        assert_eq!(c.author.as_deref(), Some("Toalha de névoa"));
    }

    #[test]
    fn author_is_reduced_to_the_name() {
        let c = chrome();
        assert_eq!(
            author("Автор: А Нгок Тхюи · 15 февраля 2025 · Комментарий (0)", &c).as_deref(),
            Some("А Нгок Тхюи")
        );
        assert_eq!(author("  Hà Trang ", &c).as_deref(), Some("Hà Trang"));
        assert_eq!(author(" · ", &c), None);
    }

    #[test]
    fn dateline_fills_published() {
        let c = clean(
            &lines("Tiêu đề\n15:24 - 26/01/2024\nNội dung bài viết ở đây."),
            &chrome(),
        );
        assert_eq!(c.published.as_deref(), Some("2024-01-26T15:24:00"));
        assert_eq!(c.paragraphs, vec!["Tiêu đề", "Nội dung bài viết ở đây."]);
    }

    #[test]
    fn normalize_makes_nfc_and_plain_spaces() {
        let nfd: String = "Khối thi đua".nfd().collect();
        assert_eq!(
            normalize(&format!("{nfd}\u{00A0}tỉnh")),
            "Khối thi đua tỉnh"
        );
    }

    /// `normalize` before its one-pass form, kept to check that it changes no answer.
    fn reference_normalize(s: &str) -> String {
        s.nfc()
            .filter(|c| {
                !matches!(
                    c,
                    '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}'
                )
            })
            .map(|c| match c {
                '\u{00A0}' | '\u{202F}' | '\u{2007}' | '\u{2009}' | '\u{3000}' => ' ',
                c => c,
            })
            .collect::<String>()
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn one_pass_normalize_agrees_with_the_reference() {
        let mut inputs: Vec<String> = [
            "Khối thi đua hoà thuỷ",
            "  a  b\u{a0}\u{a0}c \u{200b} d\u{ad}e\u{feff} ",
            "\u{3000}Блок\u{2009}змагань\u{202f}\u{2007}",
            "tab\tand\nnew line  \r\n",
            "a\u{200d}\u{301}b \u{200c}\u{308}",
            "회의가 열렸습니다",
            "\u{a0}",
            " ",
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for s in inputs.clone() {
            inputs.push(s.nfd().collect());
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for e in walkdir::WalkDir::new(&dir).into_iter().flatten() {
            if let Ok(t) = std::fs::read_to_string(e.path()) {
                inputs.extend(t.lines().map(str::to_string));
                inputs.extend(t.lines().map(|l| l.nfd().collect::<String>()));
            }
        }
        for s in &inputs {
            assert_eq!(normalize(s), reference_normalize(s), "{s:?}");
        }
    }
}
