//! Sentences: UAX #29 boundaries (unicode-segmentation), corrected with the abbreviation lists
//! in rules/<lang>/segment.toml so that "TP. Hồ Chí Minh" or "20 марта 2024 г. в" stay whole.
//! Offsets are in characters, like fact offsets.

use unicode_segmentation::UnicodeSegmentation;

use crate::model::Sentence;
use crate::rules::RuleSet;

/// Split `text` into sentences. Paragraph breaks always end a sentence.
pub fn sentences(text: &str, lang: &str, rules: &RuleSet) -> Vec<Sentence> {
    let empty = Vec::new();
    let abbrevs = rules.abbreviations.get(lang).unwrap_or(&empty);
    let common = rules.abbreviations.get("common").unwrap_or(&empty);
    let mut out: Vec<Sentence> = Vec::new();
    let mut char_base = 0usize;
    for para in text.split("\n\n") {
        let mut pieces: Vec<(usize, usize)> = Vec::new(); // byte offsets in para
        for (i, s) in para.split_sentence_bound_indices() {
            let end = i + s.len();
            let joins = pieces.last().is_some_and(|&(ps, pe)| {
                let prev = para[ps..pe].trim_end();
                let next = s.trim_start();
                ends_with_abbreviation(prev, abbrevs, common)
                    || ends_with_initial(prev)
                    || next
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit())
                        && !prev.ends_with(['!', '?'])
            });
            match pieces.last_mut() {
                Some(last) if joins => last.1 = end,
                _ => pieces.push((i, end)),
            }
        }
        // Byte offsets to character offsets, counting on from the last one (pieces come in
        // order): counting from the paragraph's start for each was quadratic in its length.
        let (mut at_byte, mut at_char) = (0usize, 0usize);
        let mut chars_to = |b: usize| {
            at_char += para[at_byte..b].chars().count();
            at_byte = b;
            at_char
        };
        for (s, e) in pieces {
            let raw = &para[s..e];
            let lead = raw.len() - raw.trim_start().len();
            let trail = raw.len() - raw.trim_end().len();
            if raw.trim().is_empty() {
                continue;
            }
            let start = char_base + chars_to(s + lead);
            let end = char_base + chars_to(e - trail);
            out.push(Sentence { start, end });
        }
        char_base += para.chars().count() + 2;
    }
    out
}

fn ends_with_abbreviation(prev: &str, lang: &[String], common: &[String]) -> bool {
    lang.iter().chain(common).any(|a| {
        prev.ends_with(a.as_str()) && {
            // The abbreviation must start a word.
            let before = &prev[..prev.len() - a.len()];
            before.is_empty() || before.ends_with(|c: char| !c.is_alphanumeric())
        }
    })
}

/// "Nguyễn V. An": a single capital letter and a full stop.
fn ends_with_initial(prev: &str) -> bool {
    let mut it = prev.chars().rev();
    matches!((it.next(), it.next(), it.next()), (Some('.'), Some(c), Some(b)) if c.is_uppercase() && !b.is_alphanumeric())
}

/// Index of the sentence that holds character offset `pos`.
pub fn sentence_of(sentences: &[Sentence], pos: usize) -> usize {
    match sentences.binary_search_by(|s| {
        if pos < s.start {
            std::cmp::Ordering::Greater
        } else if pos >= s.end {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Equal
        }
    }) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        RuleSet::embedded().expect("rules")
    }

    fn split(text: &str, lang: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        sentences(text, lang, &rules())
            .iter()
            .map(|s| chars[s.start..s.end].iter().collect())
            .collect()
    }

    #[test]
    fn abbreviations_do_not_split() {
        assert_eq!(
            split("Hội nghị tại TP. Hồ Chí Minh. Đại biểu tham dự.", "vi").len(),
            2
        );
        assert_eq!(
            split(
                "Конференция прошла 20 марта 2024 г. в Куангчи. Делегаты обсудили план.",
                "ru"
            )
            .len(),
            2
        );
        assert_eq!(
            split("O Sr. Nguyen presidiu. Os delegados votaram.", "pt").len(),
            2
        );
    }

    #[test]
    fn korean_and_paragraphs() {
        let s = split(
            "회의가 열렸습니다. 대표단이 참석했습니다.\n\n두 번째 문단입니다.",
            "ko",
        );
        assert_eq!(
            s,
            vec![
                "회의가 열렸습니다.",
                "대표단이 참석했습니다.",
                "두 번째 문단입니다."
            ]
        );
    }

    #[test]
    fn every_rule_example_is_one_sentence() {
        let r = rules();
        for (file, lang, ex) in &r.segment_examples {
            assert_eq!(sentences(ex, lang, &r).len(), 1, "{file}: {ex}");
        }
    }

    #[test]
    fn sentence_lookup() {
        let s = vec![
            Sentence { start: 0, end: 5 },
            Sentence { start: 7, end: 12 },
        ];
        assert_eq!(sentence_of(&s, 3), 0);
        assert_eq!(sentence_of(&s, 8), 1);
        assert_eq!(sentence_of(&s, 6), 0);
    }
}
