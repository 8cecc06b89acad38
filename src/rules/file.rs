//! The shape of one rule file, as serde reads it. Unknown keys are refused.

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    #[serde(default)]
    pub line: Vec<ChromeRule>,
    #[serde(default)]
    pub inline: Vec<ChromeRule>,
    #[serde(default)]
    pub source_line: Vec<ChromeRule>,
    #[serde(default)]
    pub credit: Vec<ChromeRule>,
    #[serde(default)]
    pub dateline: Vec<ChromeRule>,
    #[serde(default)]
    pub byline: Vec<ChromeRule>,
    #[serde(default)]
    pub html: Option<HtmlChrome>,
    #[serde(default)]
    pub language: Vec<LanguageDef>,
    #[serde(default)]
    pub segment: Option<SegmentDef>,
    #[serde(default)]
    pub encoding: Vec<EncodingDef>,
    #[serde(default)]
    pub detection: Option<Detection>,
    #[serde(default)]
    pub orthography: Option<OrthographyDef>,
    #[serde(default)]
    pub iso639: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub lexicon: std::collections::BTreeMap<String, std::collections::BTreeMap<String, LexValue>>,
    #[serde(default)]
    pub patterns: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub numbers: Option<NumbersDef>,
    #[serde(default)]
    pub number_example: Vec<NumberExampleDef>,
    #[serde(default)]
    pub rule: Vec<RuleDef>,
    #[serde(default)]
    pub veto: Vec<VetoDef>,
    #[serde(default)]
    pub gazetteer: Vec<GazetteerDef>,
    #[serde(default)]
    pub transliteration: Vec<TransliterationDef>,
    #[serde(default)]
    pub term: Vec<TermDef>,
    #[serde(default)]
    pub glossary_example: Vec<GlossaryExampleDef>,
    #[serde(default)]
    pub alignment: Option<AlignmentDef>,
}

impl RuleFile {
    /// Ids of every rule in the file.
    pub fn ids(&self) -> Vec<String> {
        self.line
            .iter()
            .chain(&self.inline)
            .chain(&self.source_line)
            .chain(&self.credit)
            .chain(&self.dateline)
            .chain(&self.byline)
            .map(|r| r.id.clone())
            .chain(self.rule.iter().map(|r| r.id.clone()))
            .chain(self.veto.iter().map(|r| r.id.clone()))
            .collect()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChromeRule {
    pub id: String,
    pub pattern: String,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub counter_examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HtmlChrome {
    #[serde(default)]
    pub chrome_words: Vec<String>,
    #[serde(default)]
    pub lead_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageDef {
    pub code: String,
    pub name: String,
    pub script: String,
    pub whatlang: String,
    #[serde(default)]
    pub letters: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentDef {
    #[serde(default)]
    pub abbreviations: Vec<String>,
    #[serde(default)]
    pub examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncodingDef {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub map: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub example: Vec<EncodingExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncodingExample {
    pub text: String,
    pub legacy: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detection {
    #[serde(default)]
    pub tcvn3: Vec<String>,
    #[serde(default)]
    pub vni: Vec<String>,
    #[serde(default)]
    pub markers: std::collections::BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrthographyDef {
    pub tone_placement: String,
    #[serde(default)]
    pub examples: Vec<(String, String)>,
}

/// Lexicon values may be written as strings or numbers.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum LexValue {
    Str(String),
    Int(i64),
}

impl LexValue {
    pub fn as_string(&self) -> String {
        match self {
            LexValue::Str(s) => s.clone(),
            LexValue::Int(i) => i.to_string(),
        }
    }
}

/// A number-format section: how a language writes numbers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumbersDef {
    /// Decimal separators ("," in vi/ru/uk/pt, "." in ko).
    pub decimal: Vec<String>,
    /// Group (thousands) separators.
    pub group: Vec<String>,
    /// Scale words may follow a number with no space ("5,500만").
    #[serde(default)]
    pub scale_joined: bool,
}

/// One extraction rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub id: String,
    pub kind: String,
    pub pattern: String,
    /// The normalized value, a template over captures: "{year}-{month}-{day}".
    #[serde(default)]
    pub value: Option<String>,
    /// Several facts from one match (days listed together).
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub attrs: std::collections::BTreeMap<String, String>,
    /// Templates for captures that may be absent: `month = "{month2}"`.
    #[serde(default)]
    pub defaults: std::collections::BTreeMap<String, String>,
    /// Map a capture through a lexicon of another name: `m = "month"`.
    #[serde(default)]
    pub map: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub priority: i32,
    #[serde(default)]
    pub case_sensitive: bool,
    #[serde(default)]
    pub examples: Vec<ExampleDef>,
    #[serde(default)]
    pub counter_examples: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// Split a captured enumeration into one fact per item.
    #[serde(default)]
    pub split: Option<SplitDef>,
    /// Cut capture `name` before the first word of this lexicon (where a name ends).
    #[serde(default)]
    pub stop: Option<String>,
    /// A `name` shorter than this many words once cut by `stop` is no fact ("Sở cũng là đơn vị
    /// …" cut before "cũng" leaves the bare head word "Sở", a back-reference, not a name).
    #[serde(default)]
    pub min_words: Option<usize>,
    /// The capture whose text is the fact's span (default: the whole match), so that context
    /// words ("ủng hộ … 45 triệu đồng") can be required without being part of the fact.
    #[serde(default)]
    pub span: Option<String>,
}

/// How to split an enumeration ("A (Trưởng khối), B, C và D") into items.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitDef {
    /// The capture holding the enumeration.
    pub capture: String,
    /// Regex between items ("\\s*[,;]\\s*"). With a named group `cut`, only that group is
    /// removed and the rest of the match stays with the next item, which lets a separator
    /// require what follows it (a comma only before a capitalised unit name).
    pub separators: String,
    /// Regex that splits only the last item in two ("\\s+và\\s+"): "A, B và C".
    #[serde(default)]
    pub last_separator: Option<String>,
    /// Regex each item must match (anchored); its captures join the rule's.
    pub item: String,
}

/// A gazetteer entry: a canonical value and its names in each language. It fills the lexicon
/// `lexicon` of every language (Vietnamese names go to every language too, as translations
/// often keep them).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GazetteerDef {
    pub lexicon: String,
    pub id: String,
    pub value: String,
    #[serde(default)]
    pub names: std::collections::BTreeMap<String, Vec<String>>,
    /// Web hosts that belong to this entry (a province's portals).
    #[serde(default)]
    pub hosts: Vec<String>,
}

/// A worked example: text in, the fact expected out.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleDef {
    pub text: String,
    /// Expected value (one fact) — or `values` for several.
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub values: Vec<String>,
    /// Expected attributes (a subset is checked).
    #[serde(default)]
    pub attrs: std::collections::BTreeMap<String, toml::Value>,
    /// Publication date of the imagined article, for year resolution.
    #[serde(default)]
    pub published: Option<String>,
}

/// A veto: matches of these patterns delete overlapping facts of the given kinds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VetoDef {
    pub id: String,
    pub pattern: String,
    pub kinds: Vec<String>,
    #[serde(default)]
    pub case_sensitive: bool,
    /// Texts in which the veto must fire.
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A worked example of number reading.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberExampleDef {
    pub text: String,
    pub value: String,
}

/// How Vietnamese names are written in another script (rules/common/transliteration.toml).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransliterationDef {
    pub id: String,
    /// Languages of translations this table serves.
    pub langs: Vec<String>,
    /// "cyrillic", "hangul" or "latin".
    pub script: String,
    #[serde(default)]
    pub syllables: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub onsets: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub rhymes: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub letters: std::collections::BTreeMap<String, String>,
    /// Spelling variants collapsed on both sides before comparing.
    #[serde(default)]
    pub fold: std::collections::BTreeMap<String, String>,
    /// (Vietnamese, exact output of the table).
    #[serde(default)]
    pub examples: Vec<(String, String)>,
    /// (Vietnamese, a spelling met in translations) that must count as the same name.
    #[serde(default)]
    pub same: Vec<(String, String)>,
    /// (Vietnamese, something else) that must not.
    #[serde(default)]
    pub different: Vec<(String, String)>,
}

/// A concept of agency, bloc and award names in each language (rules/common/glossary.toml).
/// (Language keys are checked against the known languages when compiling: `flatten` and
/// `deny_unknown_fields` do not go together in serde.)
#[derive(Debug, Deserialize)]
pub struct TermDef {
    pub id: String,
    #[serde(flatten)]
    pub names: std::collections::BTreeMap<String, Vec<String>>,
}

/// Two names, Vietnamese and another language, and whether the glossary must call them the same.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryExampleDef {
    pub lang: String,
    pub vi: String,
    pub other: String,
    pub same: bool,
}

/// Sentence-alignment and pairing parameters (rules/common/alignment.toml).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlignmentDef {
    /// Per translation language: expected characters of translation per character of original.
    pub ratio: std::collections::BTreeMap<String, f64>,
    /// Per translation language: variance of that ratio per character (Gale–Church's s²).
    pub variance: std::collections::BTreeMap<String, f64>,
    /// Content-pairing threshold on the fingerprint score (0–1).
    pub pair_threshold: f64,
    /// Content pairing only between documents whose dates are at most this many days apart.
    pub pair_window_days: i64,
}
