//! Rule files: loading, validation, compilation and worked examples.
//!
//! Every `*.toml` under the rules directory is one [`RuleFile`]; its sections are optional and
//! each kind of section is owned by one stage (chrome → clean, segment → segment,
//! language → lang, encoding → decode). Unknown keys are errors, so a typo in a rule file is
//! reported rather than silently ignored. The binary embeds the repository's `rules/`.

mod check;
mod chrome;
pub mod engine;
mod file;
mod later;
mod legacy;
pub mod pattern;
pub mod prefilter;
pub mod translit;

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{include_dir, Dir};

pub use chrome::Chrome;
use engine::Checks;
pub use file::RuleFile;
pub use legacy::LegacyTables;

use crate::hash;

static EMBEDDED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// One problem in the rules, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default(), id.as_ref().map(|i| format!(" [{i}]")).unwrap_or_default())]
pub struct RuleError {
    pub file: String,
    pub line: Option<usize>,
    pub id: Option<String>,
    pub message: String,
}

/// All problems found while loading or checking.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} problem(s) in the rules:\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
pub struct RuleErrors(pub Vec<RuleError>);

/// A language the rules know.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub name: String,
    pub script: String,
    pub whatlang: String,
    pub letters: Vec<char>,
}

/// The compiled rules.
#[derive(Debug)]
pub struct RuleSet {
    pub chrome: Chrome,
    pub legacy: LegacyTables,
    pub languages: Vec<Language>,
    /// Abbreviations per language code (and "common").
    pub abbreviations: BTreeMap<String, Vec<String>>,
    /// Sentence-segmentation examples per language: each must stay one sentence.
    pub segment_examples: Vec<(String, String, String)>,
    /// Tone-placement convention per language code (see rules/vi/orthography.toml).
    pub tone_placement: BTreeMap<String, crate::tones::Convention>,
    /// whatlang (ISO 639-3) → ISO 639-1.
    pub iso639: BTreeMap<String, String>,
    /// Extraction rules per language, and their worked examples.
    pub extract: engine::Compiled,
    /// Names across languages: transliteration tables and the glossary.
    pub names: translit::Names,
    /// Sentence-alignment and pairing parameters of the translation check.
    pub alignment: Alignment,
    /// SHA-256 over all rule files, for run.json.
    pub fingerprint: String,
    /// How many files were loaded.
    pub files: usize,
}

/// Parameters of the translation check (rules/common/alignment.toml).
#[derive(Debug, Clone)]
pub struct Alignment {
    /// Translation language → (characters per original character, variance per character).
    pub ratio: BTreeMap<String, (f64, f64)>,
    pub pair_threshold: f64,
    pub pair_window_days: i64,
}

impl Default for Alignment {
    fn default() -> Self {
        Alignment {
            ratio: BTreeMap::new(),
            pair_threshold: 0.5,
            pair_window_days: 120,
        }
    }
}

impl Alignment {
    /// (c, s²) for translations in `lang`; Gale and Church's values when the rules give none.
    pub fn ratio(&self, lang: &str) -> (f64, f64) {
        self.ratio.get(lang).copied().unwrap_or((1.0, 6.8))
    }
}

/// Source text of the rule files: (relative path, contents), sorted by path.
pub type Sources = Vec<(String, String)>;

/// The rule files embedded in the binary.
pub fn embedded_sources() -> Sources {
    let mut out = Vec::new();
    collect_embedded(&EMBEDDED, &mut out);
    out.sort();
    out
}

fn collect_embedded(dir: &Dir<'_>, out: &mut Sources) {
    for f in dir.files() {
        if f.path().extension().is_some_and(|e| e == "toml") {
            out.push((
                f.path().display().to_string(),
                String::from_utf8_lossy(f.contents()).into_owned(),
            ));
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

/// The rule files under `dir`.
pub fn dir_sources(dir: &Path) -> Result<Sources, RuleErrors> {
    if !dir.is_dir() {
        return Err(RuleErrors(vec![RuleError {
            file: dir.display().to_string(),
            line: None,
            id: None,
            message: "not a directory of rule files".into(),
        }]));
    }
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(e)
                if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "toml") =>
            {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(e.path())
                    .display()
                    .to_string();
                match std::fs::read_to_string(e.path()) {
                    Ok(s) => out.push((rel, s)),
                    Err(err) => errs.push(RuleError {
                        file: rel,
                        line: None,
                        id: None,
                        message: format!("cannot read: {err}"),
                    }),
                }
            }
            Ok(_) => {}
            Err(err) => errs.push(RuleError {
                file: dir.display().to_string(),
                line: None,
                id: None,
                message: err.to_string(),
            }),
        }
    }
    if errs.is_empty() {
        out.sort();
        Ok(out)
    } else {
        Err(RuleErrors(errs))
    }
}

/// Line (1-based) where `needle` first occurs in `text`.
pub(crate) fn line_of(text: &str, needle: &str) -> Option<usize> {
    let pos = text.find(needle)?;
    Some(text[..pos].matches('\n').count() + 1)
}

/// Line of the rule with this id in its file.
pub(crate) fn id_line(text: &str, id: &str) -> Option<usize> {
    line_of(text, &format!("\"{id}\"")).or_else(|| line_of(text, &format!("'{id}'")))
}

impl RuleError {
    /// A problem with the entry `id` of the rule file `file` (whose text is `text`), placed
    /// at the line that names it.
    pub(crate) fn at(file: &str, text: &str, id: &str, message: String) -> RuleError {
        RuleError {
            file: file.to_string(),
            line: id_line(text, id),
            id: Some(id.to_string()),
            message,
        }
    }
}

impl RuleSet {
    /// The built-in rules.
    ///
    /// These are checked as a whole by `rules check` and the tests before they ship, so they
    /// load with [`Checks::Trust`]: named patterns are not compiled on their own at every start
    /// only to see that they compile, and each rule's automata are built at its first search.
    pub fn embedded() -> Result<RuleSet, RuleErrors> {
        RuleSet::load(&embedded_sources(), Checks::Trust)
    }

    /// Rules from a directory (`--rules DIR`).
    pub fn from_dir(dir: &Path) -> Result<RuleSet, RuleErrors> {
        RuleSet::from_sources(&dir_sources(dir)?)
    }

    /// Parse, validate and compile; every problem is collected before failing.
    pub fn from_sources(sources: &Sources) -> Result<RuleSet, RuleErrors> {
        RuleSet::load(sources, Checks::Validate)
    }

    fn load(sources: &Sources, checks: Checks) -> Result<RuleSet, RuleErrors> {
        let mut errors = Vec::new();
        let mut files = Vec::new();
        for (path, text) in sources {
            match toml::from_str::<RuleFile>(text) {
                Ok(f) => files.push((path.clone(), text.clone(), f)),
                Err(e) => errors.push(RuleError {
                    file: path.clone(),
                    line: e
                        .span()
                        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1),
                    id: None,
                    message: e.message().to_string(),
                }),
            }
        }
        // Shared with the languages whose rules compile later (see [`engine::compile`]).
        let files = std::sync::Arc::new(files);
        let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
        for (path, text, f) in files.iter() {
            for id in f.ids() {
                if let Some(first) = seen_ids.insert(id.clone(), path.clone()) {
                    errors.push(RuleError {
                        file: path.clone(),
                        line: id_line(text, &id),
                        id: Some(id.clone()),
                        message: format!("duplicate id (also in {first})"),
                    });
                }
            }
        }
        let chrome = Chrome::compile(&files, &mut errors);
        let legacy = LegacyTables::compile(&files, &mut errors);
        let mut languages = Vec::new();
        let mut abbreviations: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut segment_examples = Vec::new();
        let mut iso639 = BTreeMap::new();
        let mut tone_placement = BTreeMap::new();
        for (path, _, f) in files.iter() {
            iso639.extend(f.iso639.iter().map(|(k, v)| (k.clone(), v.clone())));
            for l in &f.language {
                languages.push(Language {
                    code: l.code.clone(),
                    name: l.name.clone(),
                    script: l.script.clone(),
                    whatlang: l.whatlang.clone(),
                    letters: l.letters.chars().collect(),
                });
            }
            if let Some(o) = &f.orthography {
                let lang = lang_of_path(path);
                match crate::tones::Convention::parse(&o.tone_placement) {
                    Some(c) => {
                        for (typed, want) in &o.examples {
                            let got = crate::tones::normalize(typed, c);
                            if &got != want {
                                errors.push(RuleError {
                                    file: path.clone(),
                                    line: line_of(text_of(sources, path), typed),
                                    id: Some("orthography".into()),
                                    message: format!("example {typed:?} normalizes to {got:?}, expected {want:?}"),
                                });
                            }
                        }
                        tone_placement.insert(lang, c);
                    }
                    None => errors.push(RuleError {
                        file: path.clone(),
                        line: None,
                        id: Some("orthography".into()),
                        message: format!(
                            "tone_placement must be \"classic\" or \"modern\", not {:?}",
                            o.tone_placement
                        ),
                    }),
                }
            }
            if let Some(seg) = &f.segment {
                let lang = lang_of_path(path);
                abbreviations
                    .entry(lang.clone())
                    .or_default()
                    .extend(seg.abbreviations.iter().cloned());
                for ex in &seg.examples {
                    segment_examples.push((path.clone(), lang.clone(), ex.clone()));
                }
            }
        }
        let extract = engine::compile(&files, &tone_placement, checks, &mut errors);
        let codes: std::collections::BTreeSet<String> =
            languages.iter().map(|l| l.code.clone()).collect();
        let names = translit::Names::compile(&files, &codes, &mut errors);
        let mut alignment = Alignment::default();
        for (path, text, f) in files.iter() {
            if let Some(a) = &f.alignment {
                for (lang, c) in &a.ratio {
                    let v = a.variance.get(lang).copied().unwrap_or(6.8);
                    if !(*c > 0.0 && v > 0.0) {
                        errors.push(RuleError {
                            file: path.clone(),
                            line: line_of(text, "ratio"),
                            id: Some("alignment".into()),
                            message: format!("ratio and variance for {lang:?} must be positive"),
                        });
                    }
                    alignment.ratio.insert(lang.clone(), (*c, v));
                }
                if !(0.0..=1.0).contains(&a.pair_threshold) {
                    errors.push(RuleError {
                        file: path.clone(),
                        line: line_of(text, "pair_threshold"),
                        id: Some("alignment".into()),
                        message: "pair_threshold must lie between 0 and 1".into(),
                    });
                }
                alignment.pair_threshold = a.pair_threshold;
                alignment.pair_window_days = a.pair_window_days;
            }
        }
        for l in &languages {
            if whatlang::Lang::from_code(&l.whatlang).is_none() {
                errors.push(RuleError {
                    file: "common/languages.toml".into(),
                    line: None,
                    id: Some(l.code.clone()),
                    message: format!("unknown whatlang code {:?}", l.whatlang),
                });
            }
        }
        if !errors.is_empty() {
            return Err(RuleErrors(errors));
        }
        let mut all = String::new();
        for (p, t) in sources {
            all.push_str(p);
            all.push('\0');
            all.push_str(t);
            all.push('\0');
        }
        Ok(RuleSet {
            chrome,
            legacy,
            languages,
            abbreviations,
            segment_examples,
            tone_placement,
            extract,
            iso639,
            names,
            alignment,
            fingerprint: hash::sha256_hex(all.as_bytes()),
            files: sources.len(),
        })
    }

    /// Run every worked example (rules, vetoes, numbers, segmentation); the failures.
    pub fn check_examples(&self) -> Vec<RuleError> {
        check::run(self)
    }

    /// Language codes that have rules.
    pub fn language_codes(&self) -> Vec<&str> {
        self.languages.iter().map(|l| l.code.as_str()).collect()
    }
}

fn text_of<'a>(sources: &'a Sources, path: &str) -> &'a str {
    sources
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, t)| t.as_str())
        .unwrap_or("")
}

/// `vi/dates.toml` → "vi"; `common/x.toml` → "common".
pub fn lang_of_path(path: &str) -> String {
    path.split(['/', '\\'])
        .next()
        .unwrap_or("common")
        .to_string()
}
