//! CSV rows (RFC 4180, UTF-8, header row). Cells that a spreadsheet would run as a formula —
//! text starting with `=`, `+`, `-`, `@`, a tab or a carriage return — get a leading `'`.
//! Numeric columns are written as numbers and never altered.

use std::io::Write;

use anyhow::Result;

use crate::model::{Document, Fact};

pub const DOCUMENT_COLUMNS: [&str; 16] = [
    "doc_id",
    "source",
    "status",
    "error",
    "encoding",
    "url",
    "source_url",
    "title",
    "published",
    "author",
    "lang",
    "lang_confidence",
    "text",
    "event_date",
    "bloc",
    "province",
];

pub const FACT_COLUMNS: [&str; 10] = [
    "doc_id", "fact_id", "kind", "text", "start", "end", "sentence", "value", "attrs", "rule",
];

/// Make a text cell safe to open in a spreadsheet.
pub fn neutralize(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

fn opt(s: &Option<String>) -> String {
    s.as_deref()
        .map(|v| neutralize(v).into_owned())
        .unwrap_or_default()
}

pub fn write_document<W: Write>(w: &mut csv::Writer<W>, d: &Document) -> Result<()> {
    w.write_record([
        neutralize(&d.doc_id).into_owned(),
        neutralize(&d.source).into_owned(),
        d.status.as_str().to_string(),
        opt(&d.error),
        neutralize(&d.encoding).into_owned(),
        opt(&d.url),
        opt(&d.source_url),
        opt(&d.title),
        opt(&d.published),
        opt(&d.author),
        d.lang.clone(),
        format!("{}", d.lang_confidence),
        neutralize(&d.text).into_owned(),
        opt(&d.event_date),
        opt(&d.bloc),
        opt(&d.province),
    ])?;
    Ok(())
}

pub fn write_fact<W: Write>(w: &mut csv::Writer<W>, f: &Fact) -> Result<()> {
    w.write_record([
        f.doc_id.clone(),
        f.fact_id.to_string(),
        f.kind.clone(),
        neutralize(&f.text).into_owned(),
        f.start.to_string(),
        f.end.to_string(),
        f.sentence.to_string(),
        neutralize(&f.value).into_owned(),
        serde_json::to_string(&f.attrs)?,
        f.rule.clone(),
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralized() {
        assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralize("+1"), "'+1");
        assert_eq!(neutralize("@SUM"), "'@SUM");
        assert_eq!(neutralize("-2"), "'-2");
        assert_eq!(neutralize("Khối thi đua"), "Khối thi đua");
    }
}
