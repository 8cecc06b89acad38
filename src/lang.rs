//! Language identification: hard evidence from scripts and letters (rules/common/languages.toml)
//! first, whatlang where the evidence is silent; per paragraph, then per document.

use std::collections::BTreeMap;

use whatlang::{Detector, Lang, Script};

use crate::rules::{Language, RuleSet};

/// The language of a document and how sure we are.
#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    pub code: String,
    pub confidence: f64,
}

/// Fewer letters than this in a paragraph: it does not vote.
const MIN_LETTERS: usize = 12;

/// Identify the language of a paragraph: (code, confidence) or None when it has too few letters.
pub fn paragraph(text: &str, rules: &RuleSet) -> Option<(String, f64)> {
    let evidence = Evidence::new(rules);
    paragraph_counted(text, rules, &Letters::count(text, &evidence))
}

/// The scripts letters are counted in, in the order a tie is broken (the last wins).
const SCRIPTS: [&str; 4] = ["Cyrillic", "Hangul", "Latin", "Other"];

fn script_index(c: char) -> usize {
    match c as u32 {
        0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => 1,
        0x400..=0x4FF => 0,
        0x41..=0x24F | 0x1E00..=0x1EFF => 2,
        _ => 3,
    }
}

/// Every language's evidence letters, as (letter, index in `rules.languages`), sorted: built
/// once per document rather than searching each language's list for every letter.
struct Evidence {
    table: Vec<(char, usize)>,
    languages: usize,
}

impl Evidence {
    fn new(rules: &RuleSet) -> Evidence {
        let mut table: Vec<(char, usize)> = rules
            .languages
            .iter()
            .enumerate()
            .flat_map(|(i, l)| l.letters.iter().map(move |&c| (c, i)))
            .collect();
        table.sort_unstable();
        table.dedup();
        Evidence {
            table,
            languages: rules.languages.len(),
        }
    }
}

/// What one pass over a paragraph's letters gives.
struct Letters {
    /// Alphabetic characters.
    n: usize,
    by_script: [usize; 4],
    /// Per language (as `rules.languages`), letters that are its evidence.
    evidence: Vec<usize>,
}

impl Letters {
    fn count(text: &str, ev: &Evidence) -> Letters {
        let mut out = Letters {
            n: 0,
            by_script: [0; 4],
            evidence: vec![0; ev.languages],
        };
        let first = ev.table.first().map(|(c, _)| *c);
        for c in text.chars().filter(|c| crate::letters::is_letter(*c)) {
            out.n += 1;
            out.by_script[script_index(c)] += 1;
            if first.is_some_and(|f| c >= f) {
                let at = ev.table.partition_point(|(k, _)| *k < c);
                for (_, i) in ev.table[at..].iter().take_while(|(k, _)| *k == c) {
                    out.evidence[*i] += 1;
                }
            }
        }
        out
    }
}

fn paragraph_counted(text: &str, rules: &RuleSet, letters: &Letters) -> Option<(String, f64)> {
    if letters.n < MIN_LETTERS {
        return None;
    }
    let n = letters.n as f64;
    let (script, count) = SCRIPTS
        .iter()
        .zip(letters.by_script)
        .filter(|(_, v)| *v > 0)
        .max_by_key(|(_, v)| *v)
        .map(|(k, v)| (*k, v))
        .unwrap_or(("Other", 0));
    let share = count as f64 / n;
    // Languages of this script that the rules know, with their evidence counts.
    let candidates: Vec<(usize, &Language)> = rules
        .languages
        .iter()
        .enumerate()
        .filter(|(_, l)| l.script == script)
        .collect();
    let evidence: Vec<(usize, &str)> = candidates
        .iter()
        .map(|(i, l)| (letters.evidence[*i], l.code.as_str()))
        .collect();
    if candidates.len() == 1 && candidates[0].1.letters.is_empty() {
        // A script only one of our languages uses (Hangul → ko).
        return Some((candidates[0].1.code.clone(), share.min(1.0)));
    }
    let with_evidence: Vec<&(usize, &str)> = evidence.iter().filter(|(k, _)| *k > 0).collect();
    if with_evidence.len() == 1 {
        let (k, code) = with_evidence[0];
        // Vietnamese letters are frequent; Portuguese ç/õ rarer: demand a density that fits.
        let density = *k as f64 / n;
        if density >= 0.02 || script == "Cyrillic" {
            return Some((code.to_string(), (0.9 + density).min(1.0) * share));
        }
    }
    // Evidence silent or mixed: ask whatlang, first unrestricted (to catch other languages).
    let info = whatlang::detect(text)?;
    let code3 = info.lang().code();
    if let Some(l) = rules.languages.iter().find(|l| l.whatlang == code3) {
        return Some((l.code.clone(), info.confidence() * share));
    }
    let known_script = matches!(
        info.script(),
        Script::Latin | Script::Cyrillic | Script::Hangul
    );
    if info.is_reliable() || !known_script || candidates.is_empty() {
        let code = rules
            .iso639
            .get(code3)
            .cloned()
            .unwrap_or_else(|| code3.to_string());
        return Some((code, info.confidence()));
    }
    // Unreliable and in one of our scripts: choose among our languages only.
    let allow: Vec<Lang> = candidates
        .iter()
        .filter_map(|(_, l)| Lang::from_code(&l.whatlang))
        .collect();
    let det = Detector::with_allowlist(allow);
    let info = det.detect(text)?;
    let code = rules
        .languages
        .iter()
        .find(|l| l.whatlang == info.lang().code())
        .map(|l| l.code.clone())?;
    Some((code, info.confidence() * share * 0.8))
}

/// Identify the language of a document from its paragraphs, weighted by their letters.
pub fn document(paragraphs: &[String], rules: &RuleSet) -> Detected {
    let mut weight: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let mut total = 0.0;
    let evidence = Evidence::new(rules);
    for p in paragraphs {
        let counted = Letters::count(p, &evidence);
        let letters = counted.n as f64;
        if let Some((code, conf)) = paragraph_counted(p, rules, &counted) {
            let e = weight.entry(code).or_default();
            e.0 += letters;
            e.1 += letters * conf;
            total += letters;
        }
    }
    if total == 0.0 {
        // Short texts: try the whole text at once.
        let joined = paragraphs.join(" ");
        if let Some((code, conf)) =
            paragraph_counted(&joined, rules, &Letters::count(&joined, &evidence))
        {
            return Detected {
                code,
                confidence: round3(conf),
            };
        }
        return Detected {
            code: "und".into(),
            confidence: 0.0,
        };
    }
    let (code, (w, wc)) = weight
        .into_iter()
        .max_by(|a, b| {
            a.1 .0
                .partial_cmp(&b.1 .0)
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .unwrap_or_else(|| ("und".into(), (0.0, 0.0)));
    let share = w / total;
    let mean_conf = if w > 0.0 { wc / w } else { 0.0 };
    Detected {
        code,
        confidence: round3((share * mean_conf).clamp(0.0, 1.0)),
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        RuleSet::embedded().expect("rules")
    }

    fn detect(s: &str) -> String {
        document(&[s.to_string()], &rules()).code
    }

    #[test]
    fn five_languages() {
        assert_eq!(
            detect("Khối thi đua các cơ quan tham mưu tổng hợp tổ chức hội nghị sơ kết"),
            "vi"
        );
        assert_eq!(
            detect(
                "Блок соревнований партийных органов провел конференцию для подписания соглашения"
            ),
            "ru"
        );
        assert_eq!(detect("Делегати конференції зосередилися на обговоренні та внесенні ідей до проекту звіту"), "uk");
        assert_eq!(detect("O Bloco de Emulação realizou uma conferência para resumir o trabalho de emulação em 2023"), "pt");
        assert_eq!(
            detect("중앙당기관모범연합은 14개 기관 및 단위로 구성되어 있으며 회의를 개최했습니다"),
            "ko"
        );
    }

    #[test]
    fn other_languages_get_their_code() {
        assert_eq!(detect("The emulation bloc held a conference to review its work in the first half of the year and agreed on new tasks."), "en");
        assert_eq!(detect("Der Wettbewerbsblock hielt eine Konferenz ab, um die Arbeit des ersten Halbjahres zu bewerten."), "de");
    }

    #[test]
    fn confidence_is_in_range() {
        let d = document(
            &["Khối thi đua tổ chức hội nghị tổng kết năm 2023 tại tỉnh Cao Bằng".into()],
            &rules(),
        );
        assert!(
            d.confidence > 0.5 && d.confidence <= 1.0,
            "{}",
            d.confidence
        );
        assert_eq!(document(&["12 34".into()], &rules()).code, "und");
    }

    /// A language's evidence letters are its alone: none occurs in the corpus articles of
    /// another language written in the same script (Portuguese once listed õ, which Vietnamese
    /// writes in rõ and Võ; its paragraphs then counted as mixed).
    #[test]
    fn evidence_letters_do_not_occur_in_the_other_languages_of_their_script() {
        let r = rules();
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut checked = 0;
        for theirs in &r.languages {
            let texts: String = walkdir::WalkDir::new(corpus.join(&theirs.code))
                .into_iter()
                .flatten()
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .collect();
            for ours in r.languages.iter().filter(|l| l.code != theirs.code) {
                if ours.script != theirs.script || texts.is_empty() {
                    continue;
                }
                for c in &ours.letters {
                    assert!(
                        !texts.contains(*c),
                        "{c} is {} evidence but occurs in corpus/{}",
                        ours.code,
                        theirs.code
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 20, "Latin and Cyrillic pairs were checked");
    }

    /// One pass over a paragraph counts its letters, their scripts and each language's
    /// evidence letters as counting each of them on its own would.
    #[test]
    fn one_pass_counts_agree_with_counting_each_on_its_own() {
        let r = rules();
        let ev = Evidence::new(&r);
        let mut docs: Vec<Vec<String>> = vec![
            vec!["Khối thi đua ĐĂNG KÝ Ơ Ư ỹ".into(), "12 34".into()],
            vec![
                "Conferência de emulação com ações".into(),
                "Блок ёлка ЪЫЭ".into(),
            ],
            vec![
                "Блок змагань і їжак є Ґ".into(),
                "회의가 열렸습니다 대표단이".into(),
            ],
            vec!["ab".into(), "cd ef".into(), "ç õ".into()],
            vec!["Ελληνικά κείμενα για δοκιμή γλώσσας".into()],
            vec!["中文文本用于测试语言识别功能是否正常".into()],
            vec!["The bloc held a conference to review its work ọ".into()],
            vec![String::new()],
            vec![],
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for e in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if e.path().extension().is_some_and(|x| x == "txt") {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    docs.push(t.lines().map(str::to_string).collect());
                }
            }
        }
        let mut checked = 0;
        for p in docs.iter().flatten() {
            let got = Letters::count(p, &ev);
            let letters: Vec<char> = p.chars().filter(|c| c.is_alphabetic()).collect();
            assert_eq!(got.n, letters.len(), "{p:?}");
            for (i, script) in SCRIPTS.iter().enumerate() {
                let n = letters.iter().filter(|c| script_index(**c) == i).count();
                assert_eq!(got.by_script[i], n, "{script} in {p:?}");
            }
            for (i, l) in r.languages.iter().enumerate() {
                let n = letters.iter().filter(|c| l.letters.contains(c)).count();
                assert_eq!(got.evidence[i], n, "{} evidence in {p:?}", l.code);
            }
            checked += got.evidence.iter().sum::<usize>();
        }
        assert!(checked > 100, "the inputs hold evidence letters");
    }
}
