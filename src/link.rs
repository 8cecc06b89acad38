//! After extraction: canonical names from the gazetteer, short bloc aliases resolved to the
//! full name in the same document, and the document-level fields researchers filter on
//! (`event_date`, `bloc`, `province`).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::extract::time;
use crate::letters::is_letter_or_digit;
use crate::model::{Document, Fact};
use crate::rules::engine::{Compiled, LangRules};

/// Largest distance, in days, between publication and the reported event.
const EVENT_WINDOW_DAYS: i64 = 60;

fn days(y: i32, m: u32, d: u32) -> i64 {
    // Days since 0000-03-01, enough to compare dates.
    let (y, m) = if m <= 2 {
        (y as i64 - 1, m as i64 + 12)
    } else {
        (y as i64, m as i64)
    };
    365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d as i64
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next()?.to_lowercase();
    Some(host.trim_start_matches("www.").to_string())
}

/// Link one document's facts and fill its summary fields.
pub fn link(doc: &mut Document, facts: &mut [Fact], lr: &LangRules, compiled: &Compiled) {
    // Blocs: canonical names and aliases.
    let full: Option<String> = facts
        .iter()
        .filter(|f| {
            f.kind == "bloc" && f.attrs.get("alias").and_then(Value::as_str) != Some("true")
        })
        .map(|f| f.value.clone())
        .max_by_key(|v| v.chars().count());
    for f in facts.iter_mut() {
        if f.kind != "bloc" {
            continue;
        }
        f.attrs
            .insert("surface".into(), Value::String(f.text.clone()));
        // "(gọi tắt là Khối)", a shorter mention the full name starts with ("Khối thi đua"), or
        // one that leaves words of it out ("Bloco de Emulação dos hospitais gerais" for "Bloco
        // de Emulação nº 2 dos hospitais gerais").
        if let Some(full) = &full {
            let alias = f.attrs.get("alias").and_then(Value::as_str) == Some("true");
            let prefix = full.to_lowercase().starts_with(&f.value.to_lowercase());
            if alias || prefix || words_within(&f.value, full) {
                f.value = full.clone();
            }
        }
        f.attrs.remove("alias");
        let canonical = lr.lookup("bloc", &f.value).map(str::to_string);
        if let Some(c) = canonical {
            f.value = c;
        }
        let id = compiled
            .gazetteer_ids
            .get(&("bloc".to_string(), f.value.clone()))
            .cloned();
        f.attrs.insert(
            "gazetteer_id".into(),
            id.map(Value::String).unwrap_or(Value::Null),
        );
    }
    // The main bloc: the most frequent, the first on a tie.
    let mut counts: Vec<(String, usize)> = Vec::new();
    for f in facts.iter().filter(|f| f.kind == "bloc") {
        match counts.iter_mut().find(|(v, _)| *v == f.value) {
            Some(e) => e.1 += 1,
            None => counts.push((f.value.clone(), 1)),
        }
    }
    doc.bloc = counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|(v, _)| v.clone());
    // The event: the first full date near the publication date.
    let published = doc.published.as_deref().and_then(time::ymd);
    doc.event_date = facts
        .iter()
        .filter(|f| f.kind == "date" && !f.value.starts_with("XXXX"))
        .find(|f| match (published, time::ymd(&f.value)) {
            (Some((py, pm, pd)), Some((y, m, d))) => {
                (days(py, pm, pd) - days(y, m, d)).abs() <= EVENT_WINDOW_DAYS
            }
            (None, Some(_)) => true,
            _ => false,
        })
        .map(|f| f.value.clone());
    // The province: the URL's host weighs most, then mentions in the text.
    let mut votes: BTreeMap<String, (usize, usize)> = BTreeMap::new(); // value → (score, first position)
    for (i, url) in [&doc.url, &doc.source_url]
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(h) = host_of(url) {
            for (host, lex, value) in &compiled.hosts {
                if lex == "province" && on_host(&h, host) {
                    let e = votes.entry(value.clone()).or_insert((0, i));
                    e.0 += 6;
                }
            }
        }
    }
    if let Some((ac, values)) = &lr.province_ac {
        let lower = lr.norm_key_of_placed(&doc.text);
        for m in ac.find_iter(&lower) {
            let before = lower[..m.start()].chars().next_back();
            let after = lower[m.end()..].chars().next();
            if word_char(before) || word_char(after) {
                continue; // inside a longer word
            }
            let (value, weight) = &values[m.pattern().as_usize()];
            let e = votes.entry(value.clone()).or_insert((0, 10 + m.start()));
            e.0 += weight;
        }
    }
    doc.province = votes
        .into_iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
        .map(|(v, _)| v);
}

/// `h` is `host` or one of its subdomains (without building ".host" for every pair).
fn on_host(h: &str, host: &str) -> bool {
    h.strip_suffix(host)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

/// Whether the words of `short` appear in `long` in the same order, starting with its first
/// word (case and punctuation aside).
fn words_within(short: &str, long: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !is_letter_or_digit(c))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (short, long) = (words(short), words(long));
    if short.is_empty() || short.len() >= long.len() || short.first() != long.first() {
        return false;
    }
    let mut rest = long.iter();
    short.iter().all(|w| rest.any(|l| l == w))
}

/// A letter or digit that would make a name part of a longer word. Hangul is not counted:
/// Korean particles attach to names ("꽝찌성에서").
fn word_char(c: Option<char>) -> bool {
    c.is_some_and(|c| is_letter_or_digit(c) && !('\u{AC00}'..='\u{D7AF}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::{on_host, words_within};

    #[test]
    fn subdomains_are_on_the_host() {
        for (h, host) in [
            ("caobang.gov.vn", "caobang.gov.vn"),
            ("sotc.caobang.gov.vn", "caobang.gov.vn"),
            ("xcaobang.gov.vn", "caobang.gov.vn"),
            ("gov.vn", "caobang.gov.vn"),
            (".caobang.gov.vn", "caobang.gov.vn"),
            ("", ""),
            ("a.", ""),
        ] {
            let plain = h == host || h.ends_with(&format!(".{host}"));
            assert_eq!(on_host(h, host), plain, "{h} {host}");
        }
    }

    #[test]
    fn a_mention_that_leaves_words_out_is_the_full_name() {
        let full = "Bloco de Emulação nº 2 dos hospitais gerais";
        assert!(words_within("Bloco de Emulação dos hospitais gerais", full));
        assert!(words_within(
            "Блок соревнований предприятий",
            "Блок соревнований провинциальных предприятий"
        ));
        // Another number, another order, another head word, or the name itself: no.
        assert!(!words_within("Bloco de Emulação nº 3", full));
        assert!(!words_within("Bloco de Emulação gerais hospitais", full));
        assert!(!words_within("Emulação dos hospitais", full));
        assert!(!words_within(full, full));
    }
}
