//! Vietnamese tone-mark placement, normalized to one convention (rules/vi/orthography.toml).
//!
//! Written by hand: no crate normalizes Vietnamese tone placement. The syllable structure
//! (onset, vowel nucleus, coda) is fixed by the orthography; only the convention for open
//! two-vowel syllables differs between "classic" (hòa) and "modern" (hoà) typing, and that
//! choice is read from the rules.

use std::cell::RefCell;
use std::collections::HashMap;

use unicode_normalization::char::decompose_canonical;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    Classic,
    Modern,
}

impl Convention {
    /// This convention's place in per-convention tables.
    fn slot(self) -> usize {
        match self {
            Convention::Classic => 0,
            Convention::Modern => 1,
        }
    }

    pub fn parse(s: &str) -> Option<Convention> {
        match s {
            "classic" => Some(Convention::Classic),
            "modern" => Some(Convention::Modern),
            _ => None,
        }
    }
}

const TONES: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0309}', '\u{0303}', '\u{0323}'];
const ONSETS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v",
];
const CODAS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

fn is_vowel(c: char) -> bool {
    "aăâeêioôơuưy".contains(c)
}

fn is_hatted(c: char) -> bool {
    "ăâêôơư".contains(c)
}

/// Normalize every Vietnamese syllable of `text`.
pub fn normalize(text: &str, conv: Convention) -> String {
    let mut out = String::with_capacity(text.len());
    // Words are runs of letters, taken as slices of `text` (no copy unless a syllable changes).
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if crate::letters::is_letter(c) {
            start.get_or_insert(i);
        } else {
            if let Some(s) = start.take() {
                push_word(&mut out, &text[s..i], conv);
            }
            out.push(c);
        }
    }
    if let Some(s) = start {
        push_word(&mut out, &text[s..], conv);
    }
    out
}

/// Words this thread has seen, with what [`syllable`] made of them, per convention. A text
/// repeats its syllables (Vietnamese has a few thousand), and working one out (canonical
/// decomposition, recomposition, onset and coda) costs many times a lookup: on 30 MB of
/// articles, 5 % of a run's samples were `syllable`. Cleared when it holds [`MEMO_MAX`] words.
type Memo = [HashMap<Box<str>, Option<Box<str>>>; 2];

const MEMO_MAX: usize = 1 << 14;

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new([HashMap::new(), HashMap::new()]);
}

fn push_word(out: &mut String, word: &str, conv: Convention) {
    // The cheap refusals of `syllable` first: no lookup for them.
    if word.is_ascii() || word.chars().nth(7).is_some() {
        out.push_str(word);
        return;
    }
    MEMO.with(|m| {
        let memo = &mut m.borrow_mut()[conv.slot()];
        let made = match memo.get(word) {
            Some(made) => made,
            None => {
                if memo.len() >= MEMO_MAX {
                    memo.clear();
                }
                let made = syllable(word, conv).map(String::into_boxed_str);
                memo.entry(word.into()).or_insert(made)
            }
        };
        out.push_str(made.as_deref().unwrap_or(word));
    });
}

/// The syllable with its tone mark moved to the right vowel, or None to leave it as it is.
fn syllable(word: &str, conv: Convention) -> Option<String> {
    if word.is_ascii() || word.chars().count() > 7 {
        return None;
    }
    // Exactly one tone mark in the canonical decomposition, or nothing to move: counted char by
    // char without building the decomposition (most words have none, or are not Vietnamese).
    let mut tone = None;
    let mut tones = 0;
    for c in word.chars() {
        decompose_canonical(c, |d| {
            if TONES.contains(&d) {
                tones += 1;
                tone = Some(d);
            }
        });
    }
    let tone = match (tones, tone) {
        (1, Some(t)) => t,
        _ => return None,
    };
    // The word without its tone mark. Dropping the mark before or after canonical reordering
    // gives the same sequence (marks are sorted stably within runs between starters), and
    // `nfc` reorders it again.
    let mut stripped = String::with_capacity(word.len() + 4);
    for c in word.chars() {
        decompose_canonical(c, |d| {
            if !TONES.contains(&d) {
                stripped.push(d);
            }
        });
    }
    let base: String = stripped.nfc().collect();
    let chars: Vec<char> = base.chars().collect();
    let lower_s = base.to_lowercase();
    let lower: Vec<char> = lower_s.chars().collect();
    if lower.len() != chars.len() {
        return None;
    }
    let mut onset = ONSETS
        .iter()
        .find(|o| lower_s.starts_with(*o))
        .map(|o| o.chars().count())
        .unwrap_or(0);
    // "gi" and "qu" are onsets only when a vowel follows; "gì" has nucleus i.
    if onset == 2
        && (lower_s.starts_with("gi") || lower_s.starts_with("qu"))
        && !lower.get(2).is_some_and(|c| is_vowel(*c))
    {
        onset = 1;
    }
    let nucleus_end = onset + lower[onset..].iter().take_while(|c| is_vowel(**c)).count();
    if nucleus_end == onset || nucleus_end - onset > 3 {
        return None;
    }
    let coda_at = lower_s
        .char_indices()
        .nth(nucleus_end)
        .map_or(lower_s.len(), |(i, _)| i);
    let coda = &lower_s[coda_at..];
    if !CODAS.contains(&coda) {
        return None;
    }
    let nucleus = &lower[onset..nucleus_end];
    let pos = if let Some(i) = nucleus.iter().rposition(|c| is_hatted(*c)) {
        i
    } else if !coda.is_empty() {
        nucleus.len() - 1
    } else {
        match nucleus.len() {
            1 => 0,
            2 => {
                if conv == Convention::Modern
                    && matches!(nucleus, ['o', 'a'] | ['o', 'e'] | ['u', 'y'])
                {
                    1
                } else {
                    0
                }
            }
            _ => 1,
        }
    };
    let target = onset + pos;
    let mut out = String::with_capacity(word.len() + 2);
    for (i, c) in chars.iter().enumerate() {
        if i == target {
            out.extend(c.nfd().chain(std::iter::once(tone)).nfc());
        } else {
            out.push(*c);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_and_modern() {
        assert_eq!(
            normalize("hoà thuỷ khoẻ", Convention::Classic),
            "hòa thủy khỏe"
        );
        assert_eq!(
            normalize("hòa thủy khỏe", Convention::Modern),
            "hoà thuỷ khoẻ"
        );
        assert_eq!(normalize("lãnh đaọ", Convention::Classic), "lãnh đạo");
    }

    #[test]
    fn words_that_are_not_syllables_are_left_alone() {
        for w in [
            "família",
            "São Paulo",
            "Emulação",
            "conferência",
            "Блок",
            "회의",
        ] {
            assert_eq!(normalize(w, Convention::Classic), w);
        }
    }

    /// The implementation before the fast paths, kept to check that they change no answer.
    fn reference(text: &str, conv: Convention) -> String {
        let mut out = String::with_capacity(text.len());
        let mut word = String::new();
        for c in text.chars() {
            if c.is_alphabetic() {
                word.push(c);
            } else {
                if !word.is_empty() {
                    out.push_str(&reference_syllable(&word, conv).unwrap_or_else(|| word.clone()));
                    word.clear();
                }
                out.push(c);
            }
        }
        if !word.is_empty() {
            out.push_str(&reference_syllable(&word, conv).unwrap_or(word));
        }
        out
    }

    fn reference_syllable(word: &str, conv: Convention) -> Option<String> {
        if word.is_ascii() || word.chars().count() > 7 {
            return None;
        }
        let decomposed: Vec<char> = word.nfd().collect();
        let tones: Vec<char> = decomposed
            .iter()
            .copied()
            .filter(|c| TONES.contains(c))
            .collect();
        if tones.len() != 1 {
            return None;
        }
        let tone = tones[0];
        let base: String = decomposed
            .iter()
            .filter(|c| !TONES.contains(c))
            .collect::<String>()
            .nfc()
            .collect();
        let chars: Vec<char> = base.chars().collect();
        let lower: Vec<char> = base.to_lowercase().chars().collect();
        if lower.len() != chars.len() {
            return None;
        }
        let lower_s: String = lower.iter().collect();
        let mut onset = ONSETS
            .iter()
            .find(|o| lower_s.starts_with(*o))
            .map(|o| o.chars().count())
            .unwrap_or(0);
        // "gi" and "qu" are onsets only when a vowel follows; "gì" has nucleus i.
        if onset == 2
            && (lower_s.starts_with("gi") || lower_s.starts_with("qu"))
            && !lower.get(2).is_some_and(|c| is_vowel(*c))
        {
            onset = 1;
        }
        let nucleus_end = onset + lower[onset..].iter().take_while(|c| is_vowel(**c)).count();
        if nucleus_end == onset || nucleus_end - onset > 3 {
            return None;
        }
        let coda: String = lower[nucleus_end..].iter().collect();
        if !CODAS.contains(&coda.as_str()) {
            return None;
        }
        let nucleus = &lower[onset..nucleus_end];
        let pos = if let Some(i) = nucleus.iter().rposition(|c| is_hatted(*c)) {
            i
        } else if !coda.is_empty() {
            nucleus.len() - 1
        } else {
            match nucleus.len() {
                1 => 0,
                2 => {
                    let pair: String = nucleus.iter().collect();
                    if conv == Convention::Modern && matches!(pair.as_str(), "oa" | "oe" | "uy") {
                        1
                    } else {
                        0
                    }
                }
                _ => 1,
            }
        };
        let target = onset + pos;
        let mut out = String::with_capacity(word.len() + 2);
        for (i, c) in chars.iter().enumerate() {
            if i == target {
                let with: String = c
                    .nfd()
                    .chain(std::iter::once(tone))
                    .collect::<String>()
                    .nfc()
                    .collect();
                out.push_str(&with);
            } else {
                out.push(*c);
            }
        }
        Some(out)
    }

    #[test]
    fn fast_paths_agree_with_the_reference() {
        // Every onset, nucleus, coda and tone, precomposed and decomposed, in three cases,
        // with both conventions; then words that are not syllables.
        let nuclei = [
            "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uy", "ua",
            "ưa", "ia", "iê", "uô", "ươ", "oai", "uyê", "ươi", "oă", "uâ", "ai", "ây", "eo",
        ];
        let marks = ["", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"];
        let mut words: Vec<String> = Vec::new();
        for onset in ONSETS.iter().chain([""].iter()) {
            for n in nuclei {
                for coda in CODAS {
                    let nv: Vec<char> = n.chars().collect();
                    for m in marks {
                        for at in 0..nv.len() {
                            let mut w = onset.to_string();
                            for (i, c) in nv.iter().enumerate() {
                                w.push(*c);
                                if i == at {
                                    w.push_str(m);
                                }
                            }
                            w.push_str(coda);
                            words.push(w.nfc().collect());
                            words.push(w.nfd().collect());
                            words.push(w.to_uppercase().nfc().collect());
                            let mut cap = w.chars();
                            if let Some(f) = cap.next() {
                                words.push(
                                    f.to_uppercase()
                                        .chain(cap)
                                        .collect::<String>()
                                        .nfc()
                                        .collect(),
                                );
                            }
                        }
                    }
                }
            }
        }
        for w in [
            "hoà",
            "hòa",
            "thuỷ",
            "thủy",
            "khoẻ",
            "đaọ",
            "lãnh",
            "gì",
            "giữ",
            "quý",
            "qúy",
            "hoà\u{301}",
            "a\u{301}\u{300}",
            "\u{301}",
            "ǹg",
            "Ǹ",
            "ḿ",
            "ế\u{345}",
            "İả",
            "família",
            "São",
            "Emulação",
            "Блок",
            "ѐ",
            "ќа",
            "ά",
            "ΆΣ",
            "회의",
            "꽝찌성에서",
            "\u{212A}há",
            "ﬁá",
            "ǅả",
            "hòa\u{a0}thủy\tkhỏe  x",
            "Ἄ",
            "x\u{344}a",
        ] {
            words.push(w.to_string());
            words.push(w.nfd().collect());
        }
        // More distinct words than the memo holds, so it is cleared on the way; each word is
        // asked again in the text, and under the other convention, where the memo answers.
        assert!(words.len() > 2 * MEMO_MAX);
        let text = words.join(" ");
        for conv in [Convention::Classic, Convention::Modern] {
            for w in &words {
                assert_eq!(normalize(w, conv), reference(w, conv), "{w:?} {conv:?}");
            }
            assert_eq!(normalize(&text, conv), reference(&text, conv));
        }
    }
}
