//! What an editor reads: a terminal summary, and an HTML page with the two texts side by side.
//!
//! The page is built from untrusted text (scraped articles), so every piece of it goes through
//! [`esc`]; it carries a Content-Security-Policy that forbids scripts and every network request,
//! so even a mistake here could not run a script or fetch anything; and it needs nothing but
//! itself (inline CSS, no images, fonts or scripts).

use std::fmt::Write;

use super::{CollectionReport, Discrepancy, PairReport, Side, Unpaired};
use crate::model::Fact;

/// Escape text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn or_dash(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("—")
}

/// One line describing a discrepancy: "changed date: 2024-07-18 → 2024-07-19 (day_changed)".
pub fn describe(d: &Discrepancy) -> String {
    let sub = d
        .subtype
        .as_deref()
        .map(|s| format!(" ({s})"))
        .unwrap_or_default();
    match d.kind_of_change.as_str() {
        "missing" => format!("missing {}: {}", d.kind, or_dash(&d.original_value)),
        "added" => format!("added {}: {}", d.kind, or_dash(&d.translation_value)),
        _ => format!(
            "changed {}: {} → {}{sub}",
            d.kind,
            or_dash(&d.original_value),
            or_dash(&d.translation_value)
        ),
    }
}

fn counts(ds: &[Discrepancy]) -> String {
    let n = |t: &str| ds.iter().filter(|d| d.kind_of_change == t).count();
    format!(
        "{} missing, {} added, {} changed",
        n("missing"),
        n("added"),
        n("changed")
    )
}

fn doc_line(s: &Side) -> String {
    format!(
        "{} ({}, doc {}){}",
        s.doc.source,
        s.doc.lang,
        s.doc.doc_id,
        s.doc
            .title
            .as_deref()
            .map(|t| format!(" “{t}”"))
            .unwrap_or_default()
    )
}

fn clip(s: &str, n: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().take(n).collect();
        format!("{cut}…")
    }
}

/// The terminal report of one pair.
pub fn text(r: &PairReport, o: &Side, t: &Side) -> String {
    let mut out = String::new();
    let a = r.alignment_summary();
    let _ = writeln!(out, "Original:    {}", doc_line(o));
    let _ = writeln!(out, "Translation: {}", doc_line(t));
    let _ = writeln!(
        out,
        "Paired by {} (score {:.3}). Alignment: {} links; {} of {} original sentences have a counterpart in the translation's {}.",
        r.pair.method, r.pair.score, a.links, a.original_translated, a.original_sentences, a.translation_sentences
    );
    if r.discrepancies.is_empty() {
        let _ = writeln!(
            out,
            "No discrepancies: every fact of each side is in the other."
        );
        return out;
    }
    let _ = writeln!(
        out,
        "{} discrepancies ({}):",
        r.discrepancies.len(),
        counts(&r.discrepancies)
    );
    for d in &r.discrepancies {
        let _ = writeln!(out, "  {}", describe(d));
        if let Some(s) = &d.original_sentence {
            let span = d
                .original_text
                .as_deref()
                .map(|x| format!("[{x}] "))
                .unwrap_or_default();
            let _ = writeln!(out, "      {}: {span}{}", o.doc.lang, clip(s, 160));
        }
        if let Some(s) = &d.translation_sentence {
            let span = d
                .translation_text
                .as_deref()
                .map(|x| format!("[{x}] "))
                .unwrap_or_default();
            let _ = writeln!(out, "      {}: {span}{}", t.doc.lang, clip(s, 160));
        } else {
            let _ = writeln!(out, "      {}: (no counterpart)", t.doc.lang);
        }
    }
    out
}

/// The terminal summary of a collection.
pub fn collection_text(c: &CollectionReport) -> String {
    let mut out = String::new();
    let all: Vec<&Discrepancy> = c.pairs.iter().flat_map(|p| &p.discrepancies).collect();
    let by_url = c.pairs.iter().filter(|p| p.pair.method == "url").count();
    let _ = writeln!(
        out,
        "{} pairs ({} by url, {} by content); {} translations without an original; {} discrepancies.",
        c.pairs.len(),
        by_url,
        c.pairs.len() - by_url,
        c.unpaired.len(),
        all.len()
    );
    for p in &c.pairs {
        let (Some(o), Some(t)) = (
            c.side(&p.pair.original_doc_id),
            c.side(&p.pair.translation_doc_id),
        ) else {
            continue;
        };
        let _ = writeln!(
            out,
            "  {} ← {} [{} {:.3}]: {}",
            o.doc.source,
            t.doc.source,
            p.pair.method,
            p.pair.score,
            if p.discrepancies.is_empty() {
                "no discrepancies".to_string()
            } else {
                counts(&p.discrepancies)
            }
        );
    }
    const SHOWN: usize = 20;
    for u in c.unpaired.iter().take(SHOWN) {
        let _ = writeln!(out, "  unpaired {} ({}): {}", u.source, u.lang, u.reason);
    }
    if c.unpaired.len() > SHOWN {
        let _ = writeln!(
            out,
            "  … and {} more unpaired translations (see unpaired.jsonl)",
            c.unpaired.len() - SHOWN
        );
    }
    out
}

impl CollectionReport<'_> {
    pub fn side(&self, doc_id: &str) -> Option<&Side<'_>> {
        self.sides.iter().find(|s| s.doc.doc_id == doc_id)
    }
}

const STYLE: &str = "
body{font:15px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:1400px;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-top:2px solid #ccc;padding-top:1em}
table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ddd;padding:.35em .5em;vertical-align:top;text-align:left}
table.align td.n{width:3em;color:#888;font-size:.85em}
table.align td.o,table.align td.t{width:48%}
tr.flag{background:#fff8e1}
td.empty{background:#f3f3f3;color:#999;font-style:italic}
mark{padding:0 .1em;border-radius:2px}
mark.missing{background:#ffcdd2}mark.added{background:#c8e6c9}mark.changed{background:#ffe082}
span.fact{border-bottom:1px dotted #555}
li.missing::marker{color:#c62828}li.added::marker{color:#2e7d32}li.changed::marker{color:#f9a825}
.meta{color:#555;font-size:.9em}.tag{font-size:.8em;padding:0 .3em;border-radius:3px;background:#eee}
";

fn link_to(url: &Option<String>) -> String {
    match url.as_deref() {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => {
            format!("<a href=\"{0}\" rel=\"noreferrer\">{0}</a>", esc(u))
        }
        Some(u) => esc(u),
        None => "—".into(),
    }
}

/// Sentence `i` of `side` as HTML: escaped, with its facts marked; facts in `flagged`
/// (fact id → change type) highlighted.
fn sentence_html(side: &Side, i: usize, flagged: &[(u32, &str, String)]) -> String {
    let Some(s) = side.sentences.get(i) else {
        return String::new();
    };
    let mut facts: Vec<&&Fact> = side
        .facts
        .iter()
        .filter(|f| f.start >= s.start && f.end <= s.end && f.start < f.end)
        .collect();
    facts.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let chars: Vec<char> = side
        .doc
        .text
        .chars()
        .skip(s.start)
        .take(s.end - s.start)
        .collect();
    let mut out = String::new();
    let mut pos = s.start;
    for f in facts {
        if f.start < pos {
            continue; // overlaps a fact already marked
        }
        out.push_str(&esc(&chars[pos - s.start..f.start - s.start]
            .iter()
            .collect::<String>()));
        let inner = esc(&chars[f.start - s.start..f.end - s.start]
            .iter()
            .collect::<String>());
        match flagged.iter().find(|(id, _, _)| *id == f.fact_id) {
            Some((_, class, title)) => {
                let _ = write!(
                    out,
                    "<mark class=\"{class}\" title=\"{}\">{inner}</mark>",
                    esc(title)
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<span class=\"fact\" title=\"{}: {}\">{inner}</span>",
                    esc(&f.kind),
                    esc(&f.value)
                );
            }
        }
        pos = f.end;
    }
    out.push_str(&esc(&chars[pos - s.start..].iter().collect::<String>()));
    out.trim().to_string()
}

fn pair_html(out: &mut String, n: usize, r: &PairReport, o: &Side, t: &Side) {
    let a = r.alignment_summary();
    let _ = writeln!(
        out,
        "<section id=\"pair-{n}\"><h2>{n}. {} ↔ {}</h2>",
        esc(o.doc.title.as_deref().unwrap_or(&o.doc.source)),
        esc(t.doc.title.as_deref().unwrap_or(&t.doc.source))
    );
    for (label, s) in [("Original", o), ("Translation", t)] {
        let _ = writeln!(
            out,
            "<p class=\"meta\">{label}: {} <span class=\"tag\">{}</span> doc {} · url {} · source_url {} · published {}</p>",
            esc(&s.doc.source),
            esc(&s.doc.lang),
            esc(&s.doc.doc_id),
            link_to(&s.doc.url),
            link_to(&s.doc.source_url),
            esc(s.doc.published.as_deref().unwrap_or("—"))
        );
    }
    let _ = writeln!(
        out,
        "<p class=\"meta\">Paired by {} (score {:.3}); {} of {} original sentences have a counterpart among the translation's {}.</p>",
        esc(&r.pair.method),
        r.pair.score,
        a.original_translated,
        a.original_sentences,
        a.translation_sentences
    );
    if r.discrepancies.is_empty() {
        let _ = writeln!(out, "<p><b>No discrepancies.</b></p>");
    } else {
        let _ = writeln!(
            out,
            "<p><b>{} discrepancies</b> ({}):</p><ol class=\"disc\">",
            r.discrepancies.len(),
            counts(&r.discrepancies)
        );
        for d in &r.discrepancies {
            let spans = [&d.original_text, &d.translation_text]
                .iter()
                .filter_map(|x| x.as_deref())
                .map(|x| format!("«{}»", esc(x)))
                .collect::<Vec<_>>()
                .join(" / ");
            let _ = writeln!(
                out,
                "<li class=\"{}\"><a href=\"#p{n}-l{}\">{}</a> {spans}</li>",
                esc(&d.kind_of_change),
                d.link,
                esc(&describe(d))
            );
        }
        let _ = writeln!(out, "</ol>");
    }
    let mut flag_o: Vec<(u32, &str, String)> = Vec::new();
    let mut flag_t: Vec<(u32, &str, String)> = Vec::new();
    for d in &r.discrepancies {
        if let Some(id) = d.original_fact_id {
            flag_o.push((id, d.kind_of_change.as_str(), describe(d)));
        }
        if let Some(id) = d.translation_fact_id {
            flag_t.push((id, d.kind_of_change.as_str(), describe(d)));
        }
    }
    let _ = writeln!(
        out,
        "<table class=\"align\"><tr><th>#</th><th>Original ({})</th><th>Translation ({})</th></tr>",
        esc(&o.doc.lang),
        esc(&t.doc.lang)
    );
    for (k, l) in r.links.iter().enumerate() {
        let flagged = r.discrepancies.iter().any(|d| d.link == k);
        let cell = |side: &Side,
                    range: std::ops::Range<usize>,
                    flags: &[(u32, &str, String)],
                    class: &str| {
            if range.is_empty() {
                return format!("<td class=\"{class} empty\">(not in this text)</td>");
            }
            let body: Vec<String> = range.map(|i| sentence_html(side, i, flags)).collect();
            format!(
                "<td class=\"{class}\" lang=\"{}\">{}</td>",
                esc(&side.doc.lang),
                body.join(" ")
            )
        };
        let _ = writeln!(
            out,
            "<tr id=\"p{n}-l{k}\"{}><td class=\"n\">{}</td>{}{}</tr>",
            if flagged { " class=\"flag\"" } else { "" },
            esc(&l.shape()),
            cell(o, l.orig.clone(), &flag_o, "o"),
            cell(t, l.trans.clone(), &flag_t, "t")
        );
    }
    let _ = writeln!(out, "</table></section>");
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n\
<meta name=\"referrer\" content=\"no-referrer\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{}</title>\n<style>{STYLE}</style></head>\n<body>\n{body}</body></html>\n",
        esc(title)
    )
}

/// The HTML report of one pair.
pub fn html_pair(r: &PairReport, o: &Side, t: &Side) -> String {
    let mut body = String::new();
    let _ = writeln!(body, "<h1>Translation check</h1>");
    pair_html(&mut body, 1, r, o, t);
    page("thidua: translation check", &body)
}

/// The HTML report of a collection: an index of pairs, each pair side by side, the unpaired.
pub fn html_collection(c: &CollectionReport) -> String {
    let mut body = String::new();
    let all: usize = c.pairs.iter().map(|p| p.discrepancies.len()).sum();
    let _ = writeln!(
        body,
        "<h1>Translation check</h1><p>{} pairs, {} discrepancies, {} translations without an original.</p>",
        c.pairs.len(),
        all,
        c.unpaired.len()
    );
    let _ = writeln!(
        body,
        "<table class=\"index\"><tr><th>#</th><th>Original</th><th>Translation</th><th>Paired by</th><th>Discrepancies</th></tr>"
    );
    let mut shown = Vec::new();
    for p in &c.pairs {
        let (Some(o), Some(t)) = (
            c.side(&p.pair.original_doc_id),
            c.side(&p.pair.translation_doc_id),
        ) else {
            continue;
        };
        shown.push((p, o, t));
        let n = shown.len();
        let _ = writeln!(
            body,
            "<tr><td><a href=\"#pair-{n}\">{n}</a></td><td>{}</td><td>{} <span class=\"tag\">{}</span></td><td>{} {:.3}</td><td>{}</td></tr>",
            esc(&o.doc.source),
            esc(&t.doc.source),
            esc(&t.doc.lang),
            esc(&p.pair.method),
            p.pair.score,
            if p.discrepancies.is_empty() { "none".to_string() } else { counts(&p.discrepancies) }
        );
    }
    let _ = writeln!(body, "</table>");
    if !c.unpaired.is_empty() {
        let _ = writeln!(body, "<h2>Translations without an original</h2><ul>");
        for u in &c.unpaired {
            unpaired_html(&mut body, u);
        }
        let _ = writeln!(body, "</ul>");
    }
    for (n, (p, o, t)) in shown.into_iter().enumerate() {
        pair_html(&mut body, n + 1, p, o, t);
    }
    page("thidua: translation check", &body)
}

fn unpaired_html(out: &mut String, u: &Unpaired) {
    let _ = writeln!(
        out,
        "<li>{} <span class=\"tag\">{}</span>: {}</li>",
        esc(&u.source),
        esc(&u.lang),
        esc(&u.reason)
    );
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            esc("<img src=x onerror=\"alert('x')\">&"),
            "&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;"
        );
    }
}
