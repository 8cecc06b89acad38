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
