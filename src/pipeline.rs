//! One input unit → one record: decode → article → clean → lang → segment (→ extract →
//! link). Pure: the same unit and rules always give the same record.
//!
//! [`Pipeline::process`] does it all for one unit. The driver runs the same steps in three
//! stages over a chunk of units ([`Pipeline::prepare`], [`Pipeline::extract`] on batches of
//! one language, [`Pipeline::finish`]), because extraction is faster rule by rule over many
//! documents than document by document.

use crate::article::{self, Article};
use crate::clean;
use crate::decode;
use crate::extract::{self, Context};
use crate::lang;
use crate::model::{Document, Fact, Record, Sentence, Status};
use crate::rules::RuleSet;
use crate::segment;
use crate::source::{Form, Payload, RawUnit};

/// Messages of units that are not articles at all (images, PDFs in a WARC): `skipped`.
pub const NOT_AN_ARTICLE: &str = "not an article";

/// Options that change what the pipeline produces.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--reference-date`: resolves year-less dates when the document gives no year.
    pub reference_date: Option<String>,
}

pub struct Pipeline {
    pub rules: RuleSet,
    pub options: Options,
}

/// In unit tests only: extraction panics on a batch holding a document with this word (to
/// test that a bug in extraction fails only the document that triggers it).
#[cfg(test)]
pub const PANIC_FOR_TEST: &str = "THIDUATESTPANIC";

/// What [`Pipeline::prepare`] made of a unit.
#[derive(Debug)]
pub enum Stage {
    /// Nothing left to do: an error, a skipped unit, or a language without extraction rules.
    Done(Record),
    /// A document ready for extraction.
    Extract(Pending),
}

/// A document with its text, language and sentences, waiting for its facts.
#[derive(Debug)]
pub struct Pending {
    pub document: Document,
    pub sentences: Vec<Sentence>,
}

impl Pipeline {
    pub fn new(rules: RuleSet, options: Options) -> Self {
        Pipeline { rules, options }
    }

    /// Process one unit. Never panics on input data; every failure is a row.
    pub fn process(&self, unit: RawUnit) -> Record {
        match self.prepare(unit) {
            Stage::Done(r) => r,
            Stage::Extract(p) => {
                let facts = self.extract(&[&p]).pop().unwrap_or_default();
                self.finish(p, facts)
            }
        }
    }

    /// Facts of a batch of documents of one language (the language of the first; a document
    /// of another language gets none), each as [`Pipeline::process`] would find them.
    pub fn extract(&self, batch: &[&Pending]) -> Vec<Vec<Fact>> {
        #[cfg(test)]
        if batch
            .iter()
            .any(|p| p.document.text.contains(PANIC_FOR_TEST))
        {
            panic!("a test asked extraction to panic");
        }
        let Some(lr) = batch
            .first()
            .and_then(|p| self.rules.extract.lang(&p.document.lang))
        else {
            return batch.iter().map(|_| Vec::new()).collect();
        };
        let ctxs: Vec<Context> = batch
            .iter()
            .map(|p| Context {
                published: p.document.published.clone(),
                reference_date: self.options.reference_date.clone(),
            })
            .collect();
        let docs: Vec<extract::DocRef> = batch
            .iter()
            .zip(&ctxs)
            .map(|(p, ctx)| extract::DocRef {
                doc_id: &p.document.doc_id,
                text: &p.document.text,
                sentences: &p.sentences,
                ctx,
            })
            .collect();
        let mut out = extract::extract_batch(&docs, lr);
        for (p, facts) in batch.iter().zip(out.iter_mut()) {
            if p.document.lang != lr.code {
                facts.clear();
            }
        }
        out
    }

    /// A document with its facts → its record (facts linked to the gazetteers).
    pub fn finish(&self, p: Pending, mut facts: Vec<Fact>) -> Record {
        let mut doc = p.document;
        if let Some(lr) = self.rules.extract.lang(&doc.lang) {
            crate::link::link(&mut doc, &mut facts, lr, &self.rules.extract);
        }
        Record {
            document: doc,
            facts,
        }
    }

    /// Everything before extraction: decode, main text, clean, language, sentences.
    pub fn prepare(&self, unit: RawUnit) -> Stage {
        let mut doc = Document::new(unit.doc_id.clone(), unit.source.clone());
        doc.url = unit.meta.url.clone();
        let payload = match unit.payload {
            Ok(p) => p,
            Err(msg) => {
                let status = if msg.starts_with(NOT_AN_ARTICLE) {
                    Status::Skipped
                } else {
                    Status::Error
                };
                doc.fail(status, msg);
                return Stage::Done(Record {
                    document: doc,
                    facts: Vec::new(),
                });
            }
        };
        let text = match payload {
            Payload::Text(t) => {
                doc.encoding = "UTF-8".into();
                t
            }
            Payload::Bytes(b) => {
                let mut hints: Vec<String> = unit.meta.charset.iter().cloned().collect();
                if unit.form != Form::Text {
                    hints.extend(decode::meta_charset(&b));
                }
                match decode::decode(&b, &hints, &self.rules.legacy) {
                    Ok(d) => {
                        doc.encoding = d.encoding;
                        d.text
                    }
                    Err(msg) => {
                        doc.fail(Status::Error, msg);
                        return Stage::Done(Record {
                            document: doc,
                            facts: Vec::new(),
                        });
                    }
                }
            }
        };
        let is_html = match unit.form {
            Form::Html => true,
            Form::Text => false,
            Form::Sniff => article::sniff_html(&text),
        };
        let art: Article = if is_html {
            article::from_html(&text, &self.rules.chrome)
        } else {
            article::from_text(&text)
        };
        let cleaned = clean::clean(&art.paragraphs, &self.rules.chrome);
        doc.url = art.url.clone().or(doc.url);
        doc.title = art
            .title
            .map(|t| clean::normalize(&t))
            .or(unit.meta.title.clone())
            .or_else(|| {
                (!is_html)
                    .then(|| text_title(&cleaned.paragraphs))
                    .flatten()
            });
        doc.published = art
            .published
            .or_else(|| {
                unit.meta
                    .published
                    .as_deref()
                    .and_then(article::normalize_timestamp)
            })
            .or(cleaned.published.clone());
        doc.author = art
            .author
            .and_then(|a| clean::author(&a, &self.rules.chrome))
            .or(cleaned.author.clone());
        doc.source_url = cleaned.source_url.clone().or(art.source_url.clone());
        let detected = lang::document(&cleaned.paragraphs, &self.rules);
        doc.lang = detected.code;
        doc.lang_confidence = detected.confidence;
        if doc.lang == "und" {
            if let Some(hint) = &unit.meta.lang {
                doc.lang = hint.to_lowercase();
                doc.lang_confidence = 0.5;
            }
        }
        doc.text = cleaned.paragraphs.join("\n\n");
        if let Some(conv) = self.rules.tone_placement.get(&doc.lang) {
            doc.text = crate::tones::normalize(&doc.text, *conv);
        }
        if doc.text.is_empty() {
            let what = if is_html {
                "no main text found in the HTML page"
            } else {
                "no text left after removing page chrome"
            };
            doc.fail(Status::Error, what);
            return Stage::Done(Record {
                document: doc,
                facts: Vec::new(),
            });
        }
        if !self.rules.languages.iter().any(|l| l.code == doc.lang) {
            let msg = if doc.lang == "und" {
                "language could not be identified (too little text)".to_string()
            } else {
                format!(
                    "language {:?} has no rules (rules exist for {})",
                    doc.lang,
                    self.rules.language_codes().join(", ")
                )
            };
            doc.fail(Status::Skipped, msg);
            return Stage::Done(Record {
                document: doc,
                facts: Vec::new(),
            });
        }
        if !self.rules.extract.has_lang(&doc.lang) {
            return Stage::Done(Record {
                document: doc,
                facts: Vec::new(),
            });
        }
        let sentences = segment::sentences(&doc.text, &doc.lang, &self.rules);
        Stage::Extract(Pending {
            document: doc,
            sentences,
        })
    }
}

/// A plain-text article's headline: its first line, when short and not a sentence.
fn text_title(paragraphs: &[String]) -> Option<String> {
    let first = paragraphs.first()?;
    let n = first.chars().count();
    (paragraphs.len() >= 2 && (8..=200).contains(&n) && !first.ends_with(['.', '!', '?', ':']))
        .then(|| first.clone())
}
