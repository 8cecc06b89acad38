//! Names across languages: transliteration of Vietnamese names into the script of a translation
//! (rules/common/transliteration.toml) and a glossary of the words agency, bloc and award names
//! are made of (rules/common/glossary.toml). The translation check uses both to decide whether
//! a name in a translation is the original's name or something else.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use unicode_normalization::UnicodeNormalization;

use super::file::RuleFile;
use super::{id_line, line_of, RuleError};

/// A transliterated name counts as the same name at or above this similarity (0–1, normalized
/// edit distance over folded keys). The `same`/`different` examples of every table hold it.
pub const SAME_NAME: f64 = 0.75;
/// Two agency names are the same when their concepts agree (Dice over concept ids) above this:
/// more than half, so that one shared place name does not tie two different banks.
pub const SAME_CONCEPTS: f64 = 0.5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Cyrillic,
    Hangul,
    Latin,
}

/// One compiled transliteration table.
#[derive(Debug)]
pub struct Table {
    pub id: String,
    pub script: Script,
    syllables: HashMap<String, String>,
    /// Longest first.
    onsets: Vec<(String, String)>,
    rhymes: HashMap<String, String>,
    letters: HashMap<char, String>,
    /// Longest first.
    fold: Vec<(String, String)>,
}

/// All tables and the glossary.
#[derive(Debug, Default)]
pub struct Names {
    tables: Vec<Table>,
    by_lang: BTreeMap<String, usize>,
    /// Per language: (lowercased term, concept id), longest first.
    terms: BTreeMap<String, Vec<(String, String)>>,
}

/// Lowercase and remove the five tone marks, keeping vowel-quality marks (â ă ê ô ơ ư) and đ.
pub fn strip_tones(s: &str) -> String {
    s.nfd()
        .filter(|c| !matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}'))
        .nfc()
        .flat_map(char::to_lowercase)
        .collect()
}

/// Lowercase, every diacritic removed, đ → d: how Vietnamese is written without its marks.
pub fn unaccent(s: &str) -> String {
    s.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

// Hangul syllables are composed and decomposed by the arithmetic of the Unicode standard
// (§3.12); it is a dozen lines, and the jamo have to be compatibility jamo to be written in a
// rule file, which the crates that do this don't offer.
const L: [char; 19] = [
    'ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ',
    'ㅌ', 'ㅍ', 'ㅎ',
];
const V: [char; 21] = [
    'ㅏ', 'ㅐ', 'ㅑ', 'ㅒ', 'ㅓ', 'ㅔ', 'ㅕ', 'ㅖ', 'ㅗ', 'ㅘ', 'ㅙ', 'ㅚ', 'ㅛ', 'ㅜ', 'ㅝ', 'ㅞ',
    'ㅟ', 'ㅠ', 'ㅡ', 'ㅢ', 'ㅣ',
];
const T: [&str; 28] = [
    "", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ",
    "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ",
];
const HANGUL_BASE: u32 = 0xAC00;

fn hangul_parts(c: char) -> Option<(usize, usize, usize)> {
    let i = (c as u32).checked_sub(HANGUL_BASE)?;
    (i < 11172).then_some((
        (i / 588) as usize,
        ((i % 588) / 28) as usize,
        (i % 28) as usize,
    ))
}

fn hangul_compose(l: usize, v: usize, t: usize) -> Option<char> {
    char::from_u32(HANGUL_BASE + (l * 588 + v * 28 + t) as u32)
}

/// Hangul syllables → compatibility jamo; the silent initial ㅇ is left out.
fn hangul_jamo(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match hangul_parts(c) {
            Some((l, v, t)) => {
                if l != 11 {
                    out.push(L[l]);
                }
                out.push(V[v]);
                out.push_str(T[t]);
            }
            None => out.push(c),
        }
    }
    out
}

impl Table {
    /// The Vietnamese name written in this table's script.
    pub fn transliterate(&self, vi: &str) -> String {
        self.syllables_of(vi).join(" ")
    }

    fn syllables_of(&self, vi: &str) -> Vec<String> {
        vi.split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .map(|w| {
                let out = if self.script == Script::Latin {
                    unaccent(w)
                } else {
                    self.syllable(&strip_tones(w))
                };
                capitalize(&out)
            })
            .collect()
    }

    fn syllable(&self, syl: &str) -> String {
        if let Some(s) = self.syllables.get(syl) {
            return s.clone();
        }
        let (onset, rest) = self
            .onsets
            .iter()
            .find(|(k, _)| syl.starts_with(k.as_str()) && self.rhymes.contains_key(&syl[k.len()..]))
            .map(|(k, v)| (v.as_str(), &syl[k.len()..]))
            .unwrap_or(("", syl));
        match self.rhymes.get(rest) {
            Some(rhyme) if self.script == Script::Hangul => attach_onset(onset, rhyme),
            Some(rhyme) => format!("{onset}{rhyme}"),
            None => syl
                .chars()
                .map(|c| {
                    self.letters
                        .get(&c)
                        .cloned()
                        .unwrap_or_else(|| c.to_string())
                })
                .collect(),
        }
    }

    /// The comparison key of a name written in this script: lowercase, Hangul as jamo, the
    /// fold applied, and nothing but letters.
    pub fn key(&self, s: &str) -> String {
        let lower: String = match self.script {
            Script::Latin => unaccent(s),
            Script::Hangul => hangul_jamo(s),
            Script::Cyrillic => s.nfc().flat_map(char::to_lowercase).collect(),
        };
        let mut out = String::with_capacity(lower.len());
        let mut rest = lower.as_str();
        'outer: while let Some(c) = rest.chars().next() {
            for (k, v) in &self.fold {
                if rest.starts_with(k.as_str()) {
                    out.push_str(v);
                    rest = &rest[k.len()..];
                    continue 'outer;
                }
            }
            if c.is_alphanumeric() {
                out.push(c);
            }
            rest = &rest[c.len_utf8()..];
        }
        out
    }

    /// How alike (0–1) the Vietnamese name `vi` and the translation's `other` are, as written in
    /// this script. Translations sometimes leave out a surname, so a run of two or more
    /// consecutive syllables (or the whole name) may carry the match.
    pub fn similarity(&self, vi: &str, other: &str) -> f64 {
        let syl = self.syllables_of(vi);
        let theirs = self.key(other);
        if syl.is_empty() || theirs.is_empty() {
            return 0.0;
        }
        let keys: Vec<String> = syl.iter().map(|s| self.key(s)).collect();
        let min_len = keys.len().min(2);
        let mut best: f64 = 0.0;
        for i in 0..keys.len() {
            for j in (i + min_len)..=keys.len() {
                let mine = keys[i..j].concat();
                best = best.max(strsim::normalized_levenshtein(&mine, &theirs));
            }
        }
        best
    }
}

/// Put a Hangul onset in front of a rhyme written with the silent ㅇ: a single jamo replaces
/// that ㅇ, anything else (a whole syllable such as 응) is prepended.
fn attach_onset(onset: &str, rhyme: &str) -> String {
    let mut chars = onset.chars();
    let single = match (chars.next(), chars.next()) {
        (Some(c), None) => L.iter().position(|&l| l == c),
        _ => None,
    };
    let Some(li) = single else {
        return format!("{onset}{rhyme}");
    };
    let mut rc = rhyme.chars();
    match rc.next().and_then(|c| hangul_parts(c).map(|p| (c, p))) {
        Some((_, (11, v, t))) => match hangul_compose(li, v, t) {
            Some(first) => std::iter::once(first).chain(rc).collect(),
            None => format!("{onset}{rhyme}"),
        },
        _ => format!("{onset}{rhyme}"),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Names {
    /// The table for translations in `lang`.
    pub fn table(&self, lang: &str) -> Option<&Table> {
        self.by_lang.get(lang).map(|&i| &self.tables[i])
    }

    /// Similarity of a Vietnamese person's name and a name in a translation in `lang`.
    pub fn person_similarity(&self, vi: &str, lang: &str, other: &str) -> Option<f64> {
        if lang == "vi" {
            return Some(strsim::normalized_levenshtein(
                &unaccent(vi),
                &unaccent(other),
            ));
        }
        self.table(lang).map(|t| t.similarity(vi, other))
    }

    /// Concept ids found in a name written in `lang`.
    pub fn concepts(&self, name: &str, lang: &str) -> BTreeSet<&str> {
        let mut out = BTreeSet::new();
        let Some(terms) = self.terms.get(lang) else {
            return out;
        };
        let lower: String = name.nfc().flat_map(char::to_lowercase).collect();
        // Word starts (byte offsets); Korean terms match anywhere.
        let mut starts = vec![0];
        let mut prev_alnum = true;
        for (i, c) in lower.char_indices() {
            let alnum = c.is_alphanumeric();
            if alnum && !prev_alnum {
                starts.push(i);
            }
            prev_alnum = alnum;
        }
        for (term, id) in terms {
            let hit = match lang {
                "ko" => lower.contains(term.as_str()),
                "vi" => starts.iter().any(|&s| {
                    lower[s..].starts_with(term.as_str())
                        && lower[s + term.len()..]
                            .chars()
                            .next()
                            .is_none_or(|c| !c.is_alphanumeric())
                }),
                _ => starts
                    .iter()
                    .any(|&s| lower[s..].starts_with(term.as_str())),
            };
            if hit {
                out.insert(id.as_str());
            }
        }
        out
    }

    /// Dice coefficient of the concepts of a Vietnamese name and a name in `lang`; `None` when
    /// either has no known concept (nothing to judge by).
    pub fn concept_similarity(&self, vi: &str, lang: &str, other: &str) -> Option<f64> {
        let a = self.concepts(vi, "vi");
        let b = self.concepts(other, lang);
        if a.is_empty() || b.is_empty() {
            return None;
        }
        let shared = a.intersection(&b).count() as f64;
        Some(2.0 * shared / (a.len() + b.len()) as f64)
    }

    /// Compile the tables, the glossary, and the gazetteer names as concepts (`gaz:<id>`).
    pub fn compile(
        files: &[(String, String, RuleFile)],
        languages: &BTreeSet<String>,
        errors: &mut Vec<RuleError>,
    ) -> Names {
        let mut names = Names::default();
        for (path, text, f) in files {
            for t in &f.transliteration {
                let err = |message: String| RuleError::at(path, text, &t.id, message);
                let script = match t.script.as_str() {
                    "cyrillic" => Script::Cyrillic,
                    "hangul" => Script::Hangul,
                    "latin" => Script::Latin,
                    other => {
                        errors.push(err(format!(
                            "script must be \"cyrillic\", \"hangul\" or \"latin\", not {other:?}"
                        )));
                        continue;
                    }
                };
                let mut onsets: Vec<(String, String)> = t
                    .onsets
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                onsets.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
                let mut fold: Vec<(String, String)> = t
                    .fold
                    .iter()
                    .map(|(k, v)| {
                        let k = if script == Script::Hangul {
                            hangul_jamo(k)
                        } else {
                            k.to_lowercase()
                        };
                        (k, v.to_lowercase())
                    })
                    .collect();
                fold.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
                let mut letters = HashMap::new();
                for (k, v) in &t.letters {
                    let mut cs = k.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) => {
                            letters.insert(c, v.clone());
                        }
                        _ => errors.push(err(format!("letters key {k:?} must be one letter"))),
                    }
                }
                let table = Table {
                    id: t.id.clone(),
                    script,
                    syllables: t.syllables.clone().into_iter().collect(),
                    onsets,
                    rhymes: t.rhymes.clone().into_iter().collect(),
                    letters,
                    fold,
                };
                for (vi, want) in &t.examples {
                    let got = table.transliterate(vi);
                    if &got != want {
                        errors.push(RuleError {
                            file: path.clone(),
                            line: line_of(text, vi).or_else(|| id_line(text, &t.id)),
                            id: Some(t.id.clone()),
                            message: format!(
                                "{vi:?} is written {got:?}, the example expects {want:?}"
                            ),
                        });
                    }
                }
                for (pairs, want_same) in [(&t.same, true), (&t.different, false)] {
                    for (vi, other) in pairs {
                        let sim = table.similarity(vi, other);
                        if (sim >= SAME_NAME) != want_same {
                            errors.push(RuleError {
                                file: path.clone(),
                                line: line_of(text, other).or_else(|| id_line(text, &t.id)),
                                id: Some(t.id.clone()),
                                message: format!(
                                    "{vi:?} ({:?}) and {other:?} are {:.2} alike, so judged {}; the example says {}",
                                    table.transliterate(vi),
                                    sim,
                                    if sim >= SAME_NAME { "the same name" } else { "different names" },
                                    if want_same { "same" } else { "different" }
                                ),
                            });
                        }
                    }
                }
                let idx = names.tables.len();
                for l in &t.langs {
                    if names.by_lang.insert(l.clone(), idx).is_some() {
                        errors.push(err(format!("a second table for language {l:?}")));
                    }
                }
                names.tables.push(table);
            }
            let mut add_term = |lang: &str, term: &str, id: String| {
                let t: String = term.nfc().flat_map(char::to_lowercase).collect();
                if !t.trim().is_empty() {
                    names
                        .terms
                        .entry(lang.to_string())
                        .or_default()
                        .push((t, id));
                }
            };
            for t in &f.term {
                for (lang, list) in &t.names {
                    if !languages.contains(lang) {
                        errors.push(RuleError {
                            file: path.clone(),
                            line: id_line(text, &t.id),
                            id: Some(t.id.clone()),
                            message: format!("{lang:?} is not a language code of the rules"),
                        });
                    }
                    for term in list {
                        add_term(lang, term, t.id.clone());
                    }
                }
            }
            // Only the names: a gazetteer's `value` is not always the entry's own name (a
            // district's is its province, an award's a key).
            for g in &f.gazetteer {
                let id = format!("gaz:{}", g.id);
                for (lang, list) in &g.names {
                    for term in list {
                        add_term(lang, term, id.clone());
                    }
                }
            }
        }
        for list in names.terms.values_mut() {
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
            list.dedup();
        }
        for (path, text, f) in files {
            for ex in &f.glossary_example {
                let sim = names.concept_similarity(&ex.vi, &ex.lang, &ex.other);
                let same = sim.is_some_and(|s| s > SAME_CONCEPTS);
                if same != ex.same {
                    errors.push(RuleError {
                        file: path.clone(),
                        line: line_of(text, &ex.other),
                        id: Some("glossary_example".into()),
                        message: format!(
                            "{:?} {:?} and {:?} {:?} share {} (concepts {:?} / {:?}); the example says same = {}",
                            ex.vi,
                            "vi",
                            ex.other,
                            ex.lang,
                            sim.map(|s| format!("{s:.2}")).unwrap_or_else(|| "no known concept".into()),
                            names.concepts(&ex.vi, "vi"),
                            names.concepts(&ex.other, &ex.lang),
                            ex.same
                        ),
                    });
                }
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tones_go_vowel_marks_stay() {
        assert_eq!(strip_tones("Nguyễn Lương Đức"), "nguyên lương đưc");
        assert_eq!(unaccent("Nguyễn Lương Đức"), "nguyen luong duc");
    }

    #[test]
    fn hangul_onsets_replace_the_silent_initial() {
        assert_eq!(attach_onset("ㄹ", "으엉"), "르엉");
        assert_eq!(attach_onset("ㅉ", "인"), "찐");
        assert_eq!(attach_onset("응", "우옌"), "응우옌");
        assert_eq!(attach_onset("", "안"), "안");
        assert_eq!(hangul_jamo("르엉"), "ㄹㅡㅓㅇ");
    }
}
