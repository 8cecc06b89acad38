//! Compiled page-chrome rules (rules/common/chrome.toml).

use regex::Regex;

use super::file::{ChromeRule, RuleFile};
use super::RuleError;

#[derive(Debug, Clone)]
pub struct Compiled {
    pub id: String,
    pub re: Regex,
}

#[derive(Debug, Default)]
pub struct Chrome {
    pub lines: Vec<Compiled>,
    pub inline: Vec<Compiled>,
    pub source_lines: Vec<Compiled>,
    pub credits: Vec<Compiled>,
    pub datelines: Vec<Compiled>,
    pub bylines: Vec<Compiled>,
    /// Lower-case words that mark chrome in HTML class/id attributes.
    pub html_words: Vec<String>,
    /// Lower-case words that mark the article's lead in HTML class/id attributes.
    pub lead_words: Vec<String>,
}

fn compile_one(
    path: &str,
    text: &str,
    r: &ChromeRule,
    errors: &mut Vec<RuleError>,
    whole_line: bool,
) -> Option<Compiled> {
    let err = |message: String| RuleError::at(path, text, &r.id, message);
    let re = match Regex::new(&r.pattern) {
        Ok(re) => re,
        Err(e) => {
            errors.push(err(format!("bad pattern: {e}")));
            return None;
        }
    };
    if r.examples.is_empty() {
        errors.push(err("rule has no examples".into()));
    }
    let hit = |s: &str| {
        let s = s.trim();
        if whole_line {
            re.find(s)
                .is_some_and(|m| m.start() == 0 && m.end() == s.len())
        } else {
            re.is_match(s)
        }
    };
    for ex in &r.examples {
        if !hit(ex) {
            errors.push(err(format!("example does not match: {ex:?}")));
        }
    }
    for ex in &r.counter_examples {
        if hit(ex) {
            errors.push(err(format!("counter-example matches: {ex:?}")));
        }
    }
    Some(Compiled {
        id: r.id.clone(),
        re,
    })
}

impl Chrome {
    pub fn compile(files: &[(String, String, RuleFile)], errors: &mut Vec<RuleError>) -> Chrome {
        let mut c = Chrome::default();
        for (path, text, f) in files {
            let mut add = |dst: &mut Vec<Compiled>, src: &[ChromeRule], whole: bool| {
                dst.extend(
                    src.iter()
                        .filter_map(|r| compile_one(path, text, r, errors, whole)),
                );
            };
            add(&mut c.lines, &f.line, true);
            add(&mut c.inline, &f.inline, false);
            add(&mut c.source_lines, &f.source_line, true);
            add(&mut c.credits, &f.credit, false);
            add(&mut c.datelines, &f.dateline, true);
            add(&mut c.bylines, &f.byline, true);
            if let Some(h) = &f.html {
                c.html_words
                    .extend(h.chrome_words.iter().map(|w| w.to_lowercase()));
                c.lead_words
                    .extend(h.lead_words.iter().map(|w| w.to_lowercase()));
            }
        }
        c
    }

    /// Captures of the rules in `list` that match the whole (trimmed) line, in rule order.
    fn whole_line<'a>(
        list: &'a [Compiled],
        line: &'a str,
    ) -> impl Iterator<Item = regex::Captures<'a>> + 'a {
        let l = line.trim();
        list.iter().filter_map(move |c| {
            let caps = c.re.captures(l)?;
            let m = caps.get(0)?;
            (m.start() == 0 && m.end() == l.len()).then_some(caps)
        })
    }

    /// Does the whole (trimmed) line match a chrome rule?
    pub fn is_chrome_line(&self, line: &str) -> bool {
        let l = line.trim();
        self.lines.iter().any(|c| {
            c.re.find(l)
                .is_some_and(|m| m.start() == 0 && m.end() == l.len())
        })
    }

    /// If the whole line is a publication stamp, its date as `YYYY-MM-DD` (or with time).
    pub fn dateline(&self, line: &str) -> Option<String> {
        for caps in Self::whole_line(&self.datelines, line) {
            let num = |k: &str| caps.name(k).and_then(|v| v.as_str().parse::<u32>().ok());
            let (y, mo, d) = (num("year")?, num("month")?, num("day")?);
            if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || !(1900..=2100).contains(&y) {
                continue;
            }
            return Some(
                match (
                    num("hour").or(num("hour2")),
                    num("minute").or(num("minute2")),
                ) {
                    (Some(h), Some(mi)) if h < 24 && mi < 60 => {
                        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00")
                    }
                    _ => format!("{y:04}-{mo:02}-{d:02}"),
                },
            );
        }
        None
    }

    /// If the whole line is a labelled byline, the name it gives.
    pub fn byline(&self, line: &str) -> Option<String> {
        Self::whole_line(&self.bylines, line)
            .find_map(|caps| caps.name("name").map(|n| n.as_str().trim().to_string()))
    }

    /// If the line credits a source, the URL it gives (possibly none).
    pub fn source_line(&self, line: &str) -> Option<Option<String>> {
        Self::whole_line(&self.source_lines, line)
            .next()
            .map(|caps| caps.name("url").map(|u| u.as_str().to_string()))
    }
}
