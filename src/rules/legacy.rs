//! Legacy Vietnamese font encodings (TCVN3, VNI), from rules/common/legacy_vietnamese.toml.
//!
//! No crate decodes these: they are font hacks, not registered charsets. A table maps the
//! windows-1252 view of the bytes to Unicode, longest sequence first.

use aho_corasick::{AhoCorasick, MatchKind};

use super::file::RuleFile;
use super::RuleError;

#[derive(Debug)]
pub struct LegacyEncoding {
    pub name: String,
    ac: AhoCorasick,
    values: Vec<String>,
    /// Sequences typical of this encoding in Vietnamese text.
    markers: Vec<String>,
}

#[derive(Debug, Default)]
pub struct LegacyTables {
    pub encodings: Vec<LegacyEncoding>,
}

impl LegacyEncoding {
    fn apply(&self, view: &str) -> (String, usize) {
        let mut out = String::with_capacity(view.len());
        let mut last = 0;
        let mut n = 0;
        for m in self.ac.find_iter(view) {
            out.push_str(&view[last..m.start()]);
            out.push_str(&self.values[m.pattern().as_usize()]);
            last = m.end();
            n += 1;
        }
        out.push_str(&view[last..]);
        (out, n)
    }
}

impl LegacyTables {
    pub fn compile(
        files: &[(String, String, RuleFile)],
        errors: &mut Vec<RuleError>,
    ) -> LegacyTables {
        let mut t = LegacyTables::default();
        for (path, _text, f) in files {
            let det = f.detection.as_ref();
            for e in &f.encoding {
                let err = |message: String| RuleError {
                    file: path.clone(),
                    line: None,
                    id: Some(e.name.clone()),
                    message,
                };
                let keys: Vec<&String> = e.map.keys().collect();
                if let Some(k) = keys.iter().find(|k| k.is_ascii()) {
                    errors.push(err(format!(
                        "key {k:?} is plain ASCII and would change ordinary text"
                    )));
                    continue;
                }
                let ac = match AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&keys)
                {
                    Ok(ac) => ac,
                    Err(x) => {
                        errors.push(err(format!("cannot build table: {x}")));
                        continue;
                    }
                };
                let lname = e.name.to_lowercase();
                let mut markers: Vec<String> = Vec::new();
                if let Some(d) = det {
                    if lname.starts_with("tcvn") {
                        markers.extend(d.tcvn3.iter().cloned());
                    }
                    if lname.starts_with("vni") {
                        markers.extend(d.vni.iter().cloned());
                    }
                    for (k, v) in &d.markers {
                        if lname.starts_with(&k.to_lowercase()) {
                            markers.extend(v.iter().cloned());
                        }
                    }
                }
                let enc = LegacyEncoding {
                    name: e.name.clone(),
                    ac,
                    values: e.map.values().cloned().collect(),
                    markers,
                };
                for ex in &e.example {
                    let (got, _) = enc.apply(&ex.legacy);
                    if got != ex.text {
                        errors.push(err(format!(
                            "example {:?} decodes to {got:?}, expected {:?}",
                            ex.legacy, ex.text
                        )));
                    }
                }
                t.encodings.push(enc);
            }
        }
        t
    }

    /// If `view` (bytes read as windows-1252) looks like a legacy Vietnamese encoding,
    /// the encoding's name and the converted text. The caller decides whether to trust it.
    pub fn convert(&self, view: &str) -> Option<(&str, String)> {
        let mut best: Option<(usize, &str, String)> = None;
        for e in &self.encodings {
            let marker_hits: usize = e
                .markers
                .iter()
                .map(|m| view.matches(m.as_str()).count())
                .sum();
            if !e.markers.is_empty() && marker_hits < 2 {
                continue;
            }
            let (out, n) = e.apply(view);
            if n >= 3 && best.as_ref().is_none_or(|(bn, _, _)| n > *bn) {
                best = Some((n, e.name.as_str(), out));
            }
        }
        best.map(|(_, name, out)| (name, out))
    }
}
