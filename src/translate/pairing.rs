//! Finding which document is a translation of which, in a collection.
//!
//! First by address: a translation's `source_url` that is an original's `url` (after
//! normalization). Then by content: each document's facts make a fingerprint (dates, periods,
//! numbers, gazetteer entries, province), features are weighted by how rare they are in the
//! collection, and a pair scores the weighted Dice coefficient of its fingerprints. Only pairs
//! whose dates lie within a window are candidates; pairs are taken greedily by score, each
//! translation at most once and each original at most once per translation language (an
//! original often has a Russian and a Ukrainian version).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::Side;

/// One row of `pairs.*` (SPEC §5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    pub original_doc_id: String,
    pub translation_doc_id: String,
    pub method: String,
    pub score: f64,
}

/// One row of `unpaired.*`: a translation with no original in the collection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unpaired {
    pub translation_doc_id: String,
    pub source: String,
    pub lang: String,
    pub source_url: Option<String>,
    /// The best-scoring original, and its score, even though below the threshold.
    pub best_original_doc_id: Option<String>,
    pub best_score: Option<f64>,
    pub reason: String,
}

/// A URL reduced to what identifies the page: no scheme, no "www.", no fragment, no trailing
/// slash, host lowercased, percent-escapes decoded.
pub fn normalize_url(url: &str) -> String {
    let u = url.trim();
    let u = u.split('#').next().unwrap_or(u);
    let u = match u.find("://") {
        Some(i) => &u[i + 3..],
        None => u.strip_prefix("//").unwrap_or(u),
    };
    let (host, rest) = match u.find(['/', '?']) {
        Some(i) => (&u[..i], &u[i..]),
        None => (u, ""),
    };
    let host = host.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let host = host
        .strip_suffix(":80")
        .or_else(|| host.strip_suffix(":443"))
        .unwrap_or(host);
    let rest = percent_decode(rest);
    let rest = rest.trim_end_matches('/');
    format!("{host}{rest}")
}

/// Decode %XX escapes (invalid ones stay as they are).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The features of a document's fingerprint.
pub fn fingerprint(side: &Side) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for f in &side.facts {
        if let Some(id) = f.attrs.get("gazetteer_id").and_then(|v| v.as_str()) {
            out.insert(format!("g:{id}"));
            continue;
        }
        match f.kind.as_str() {
            "date" | "period" => {
                out.insert(format!("t:{}", f.value));
            }
            "member_count" | "headcount" | "donation" => {
                out.insert(format!("n:{}", f.value));
            }
            "award" => {
                out.insert(format!("a:{}", f.value));
            }
            _ => {}
        }
    }
    if let Some(p) = &side.doc.province {
        out.insert(format!("p:{p}"));
    }
    out
}

/// Days since 1970-01-01 of a YYYY-MM-DD date (proleptic Gregorian).
fn day_number(date: &str) -> Option<i64> {
    let mut it = date.get(..10)?.splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The day a document is about: its event date, else its publication date.
fn doc_day(side: &Side) -> Option<i64> {
    side.doc
        .event_date
        .as_deref()
        .and_then(day_number)
        .or_else(|| side.doc.published.as_deref().and_then(day_number))
}

/// Weighted Dice coefficient of two fingerprints.
pub fn score(a: &BTreeSet<String>, b: &BTreeSet<String>, weight: &dyn Fn(&str) -> f64) -> f64 {
    let wa: f64 = a.iter().map(|f| weight(f)).sum();
    let wb: f64 = b.iter().map(|f| weight(f)).sum();
    if wa + wb == 0.0 {
        return 0.0;
    }
    let shared: f64 = a.intersection(b).map(|f| weight(f)).sum();
    2.0 * shared / (wa + wb)
}

/// Every (original, translation, score) a content pairing would consider, scored; the basis of
/// both pairing and the threshold's justification.
pub fn content_scores(
    originals: &[&Side],
    translations: &[&Side],
    window_days: i64,
) -> Vec<(usize, usize, f64)> {
    let prints_o: Vec<BTreeSet<String>> = originals.iter().map(|s| fingerprint(s)).collect();
    let prints_t: Vec<BTreeSet<String>> = translations.iter().map(|s| fingerprint(s)).collect();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for p in prints_o.iter().chain(&prints_t) {
        for f in p {
            *df.entry(f.as_str()).or_default() += 1;
        }
    }
    let n = (prints_o.len() + prints_t.len()) as f64;
    let weight = |f: &str| -> f64 { (1.0 + n / df.get(f).copied().unwrap_or(1) as f64).ln() };
    let mut out = Vec::new();
    for (ti, t) in translations.iter().enumerate() {
        let td = doc_day(t);
        for (oi, o) in originals.iter().enumerate() {
            if let (Some(a), Some(b)) = (doc_day(o), td) {
                if (a - b).abs() > window_days {
                    continue;
                }
            }
            let s = score(&prints_o[oi], &prints_t[ti], &weight);
            if s > 0.0 {
                out.push((oi, ti, s));
            }
        }
    }
    out
}

/// Pair the translations of a collection with its originals.
pub fn pair(
    originals: &[&Side],
    translations: &[&Side],
    threshold: f64,
    window_days: i64,
) -> (Vec<Pair>, Vec<Unpaired>) {
    let by_url: HashMap<String, usize> = originals
        .iter()
        .enumerate()
        .filter_map(|(i, o)| o.doc.url.as_deref().map(|u| (normalize_url(u), i)))
        .collect();
    let mut pairs = Vec::new();
    let mut taken_t: BTreeSet<usize> = BTreeSet::new();
    let mut taken_o: BTreeSet<(usize, String)> = BTreeSet::new();
    for (ti, t) in translations.iter().enumerate() {
        let Some(oi) = t
            .doc
            .source_url
            .as_deref()
            .and_then(|u| by_url.get(&normalize_url(u)))
        else {
            continue;
        };
        if taken_o.insert((*oi, t.doc.lang.clone())) {
            taken_t.insert(ti);
            pairs.push((*oi, ti, "url", 1.0));
        }
    }
    let scores = content_scores(originals, translations, window_days);
    let mut best: BTreeMap<usize, (usize, f64)> = BTreeMap::new();
    for &(oi, ti, s) in &scores {
        let e = best.entry(ti).or_insert((oi, s));
        if s > e.1 {
            *e = (oi, s);
        }
    }
    let mut ranked: Vec<&(usize, usize, f64)> =
        scores.iter().filter(|c| c.2 >= threshold).collect();
    ranked.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then_with(|| originals[a.0].doc.doc_id.cmp(&originals[b.0].doc.doc_id))
            .then_with(|| {
                translations[a.1]
                    .doc
                    .doc_id
                    .cmp(&translations[b.1].doc.doc_id)
            })
    });
    for &&(oi, ti, s) in &ranked {
        if taken_t.contains(&ti) {
            continue;
        }
        if taken_o.insert((oi, translations[ti].doc.lang.clone())) {
            taken_t.insert(ti);
            pairs.push((oi, ti, "content", s));
        }
    }
    let mut out: Vec<Pair> = pairs
        .into_iter()
        .map(|(oi, ti, method, s)| Pair {
            original_doc_id: originals[oi].doc.doc_id.clone(),
            translation_doc_id: translations[ti].doc.doc_id.clone(),
            method: method.to_string(),
            score: (s * 1000.0).round() / 1000.0,
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.original_doc_id, &a.translation_doc_id)
            .cmp(&(&b.original_doc_id, &b.translation_doc_id))
    });
    let mut unpaired = Vec::new();
    for (ti, t) in translations.iter().enumerate() {
        if taken_t.contains(&ti) {
            continue;
        }
        let b = best.get(&ti);
        let reason = match (b, &t.doc.source_url) {
            (Some((_, s)), _) if *s >= threshold => {
                "its best original was taken by another translation in the same language with a higher score".to_string()
            }
            (_, Some(u)) => format!(
                "its source {u} is not in the collection, and no original shares enough facts (threshold {threshold})"
            ),
            (_, None) => format!("no original shares enough facts (threshold {threshold})"),
        };
        unpaired.push(Unpaired {
            translation_doc_id: t.doc.doc_id.clone(),
            source: t.doc.source.clone(),
            lang: t.doc.lang.clone(),
            source_url: t.doc.source_url.clone(),
            best_original_doc_id: b.map(|(oi, _)| originals[*oi].doc.doc_id.clone()),
            best_score: b.map(|(_, s)| (s * 1000.0).round() / 1000.0),
            reason,
        });
    }
    (out, unpaired)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_normalize() {
        let a = normalize_url("https://www.Example.gov.vn/tin-tuc/bai-viet/#top");
        assert_eq!(a, "example.gov.vn/tin-tuc/bai-viet");
        assert_eq!(normalize_url("http://example.gov.vn/tin-tuc/bai-viet"), a);
        assert_eq!(
            normalize_url("https://example.vn/kh%E1%BB%91i-thi-%C4%91ua"),
            normalize_url("https://example.vn/khối-thi-đua/")
        );
        assert_ne!(
            normalize_url("https://a.vn/x?id=1"),
            normalize_url("https://a.vn/x?id=2")
        );
        assert_eq!(normalize_url("https://a.vn:443/x"), "a.vn/x");
        assert_eq!(normalize_url("https://a.vn/%zz"), "a.vn/%zz");
    }

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(
            day_number("2024-03-01")
                .zip(day_number("2024-02-28"))
                .map(|(a, b)| a - b),
            Some(2)
        );
        assert_eq!(day_number("2024-13-01"), None);
    }
}
