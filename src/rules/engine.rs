//! Compiling extraction rules: lexicons, named sub-patterns, rules, vetoes and the number format
//! of each language. A pattern may name a sub-pattern `{name}`, a lexicon `{lex:name}` (the
//! alternation of its words, longest first), or the built-ins `{number}` (a numeral as the
//! language writes it) and `{amount}` (numerals, number words and scale words).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use regex::{Regex, RegexBuilder};
use unicode_normalization::UnicodeNormalization;

use super::file::{ExampleDef, RuleFile};
use super::later::Later;
use super::pattern::{Build, Pattern, NFA_LIMIT};
use super::prefilter::{Prefilter, Relaxed};
use super::{id_line, lang_of_path, RuleError};
use crate::extract::number::{Decimal, NumberFormat};
use crate::tones::{self, Convention};

/// The kinds of fact a rule may produce (SPEC §4).
pub const KINDS: [&str; 9] = [
    "date",
    "period",
    "bloc",
    "member_unit",
    "member_count",
    "headcount",
    "donation",
    "award",
    "person",
];

/// A value template: literal text and capture names.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Lit(String),
    Var(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Template(pub Vec<Piece>);

impl Template {
    pub fn parse(s: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut rest = s;
        while let Some(i) = rest.find('{') {
            if i > 0 {
                pieces.push(Piece::Lit(rest[..i].to_string()));
            }
            let j = rest[i..]
                .find('}')
                .ok_or_else(|| format!("unclosed '{{' in template {s:?}"))?
                + i;
            let name = &rest[i + 1..j];
            if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return Err(format!("bad placeholder {{{name}}} in template {s:?}"));
            }
            pieces.push(Piece::Var(name.to_string()));
            rest = &rest[j + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Lit(rest.to_string()));
        }
        Ok(Template(pieces))
    }

    pub fn vars(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|p| match p {
            Piece::Var(v) => Some(v.as_str()),
            Piece::Lit(_) => None,
        })
    }
}

/// A compiled extraction rule.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub kind: String,
    pub re: Pattern,
    pub values: Vec<Template>,
    pub attrs: Vec<(String, Template)>,
    pub defaults: BTreeMap<String, Template>,
    pub map: BTreeMap<String, String>,
    pub priority: i32,
    pub file: String,
    pub line: Option<usize>,
    pub split: Option<Split>,
    /// The capture that is the fact's span.
    pub span: Option<String>,
    /// The pattern without word boundaries, over case-folded text: it matches wherever the
    /// rule could, and unlike the rule it runs on the regex crate's fast DFAs over non-ASCII
    /// text (Unicode `\b` keeps them off), so it tells cheaply where the rule need not look.
    pub relaxed: Option<Relaxed>,
    /// Where a `name` capture ends: before the first word of this alternation.
    pub stop: Option<Regex>,
    /// Fewest words a `name` may keep after the stop cut.
    pub min_words: usize,
}

/// A compiled enumeration splitter.
#[derive(Debug)]
pub struct Split {
    pub capture: String,
    pub separators: Regex,
    pub last_separator: Option<Regex>,
    pub item: Regex,
}

#[derive(Debug)]
pub struct Veto {
    pub id: String,
    pub re: Pattern,
    pub kinds: Vec<String>,
    /// As [`Rule::relaxed`].
    pub relaxed: Option<Relaxed>,
}

/// Everything one language needs for extraction.
#[derive(Debug)]
pub struct LangRules {
    pub code: String,
    pub lexicons: BTreeMap<String, HashMap<String, String>>,
    pub rules: Vec<Rule>,
    pub vetoes: Vec<Veto>,
    pub numbers: Option<NumberFormat>,
    /// Mentions of provinces (lexicon `province`, filled by the gazetteer): an Aho-Corasick
    /// automaton over the lower-cased names, with the canonical value of each pattern. (A regex
    /// alternation with Unicode word boundaries runs on the slow PikeVM over non-ASCII text.)
    pub province_ac: Option<(aho_corasick::AhoCorasick, Vec<(String, usize)>)>,
    /// The built-in {amount} pattern, compiled (for number examples).
    pub amount_re: Option<Regex>,
    /// Words that announce something to come ("sẽ", "будет"): lexicon `future`.
    pub future: Option<Regex>,
    pub convention: Option<Convention>,
    /// Which rules and vetoes could match where: one pass per document (see [`super::prefilter`]).
    pub prefilter: Option<Prefilter>,
}

impl LangRules {
    /// Look a surface form up in a lexicon (case- and space-insensitive).
    pub fn lookup(&self, lexicon: &str, surface: &str) -> Option<&str> {
        let lexicon = self.lexicons.get(lexicon)?;
        lexicon.get(&self.norm_key(surface)).map(String::as_str)
    }

    pub fn norm_key(&self, s: &str) -> String {
        norm_key(s, self.convention)
    }

    /// [`LangRules::norm_key`] of a document's text, whose tone marks the pipeline has placed
    /// already in this language's convention: they are not placed again. (Placing is
    /// idempotent and blind to case, so lower-casing and collapsing white space leave them
    /// placed; placing them again over whole texts was half the time of linking.)
    pub fn norm_key_of_placed(&self, s: &str) -> String {
        norm_key(s, None)
    }
}

/// NFC, lower case, runs of white space as one space and none at the ends, tone marks placed.
fn norm_key(s: &str, conv: Option<Convention>) -> String {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    /// `s.to_lowercase()` with white space collapsed, in one pass. Lower-casing maps white space
    /// to itself and nothing else to white space, so the order of the two does not matter; only
    /// capital sigma depends on its neighbours, and text with one takes `str::to_lowercase`.
    fn lower_collapsed(s: &str) -> String {
        if s.contains('Σ') {
            return s
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
        }
        let mut out = String::with_capacity(s.len());
        let mut space = false;
        for c in s.chars() {
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
        out
    }
    // Text already in NFC (document text, most captures) is not composed again.
    let s = if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        lower_collapsed(s)
    } else {
        lower_collapsed(&s.nfc().collect::<String>())
    };
    match conv {
        Some(c) => tones::normalize(&s, c),
        None => s,
    }
}

/// Examples kept for `rules check`, with where they came from.
#[derive(Debug)]
pub struct RuleExamples {
    pub lang: String,
    pub file: String,
    pub rule_index: usize,
    pub examples: Vec<ExampleOwned>,
    pub counter_examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ExampleOwned {
    pub text: String,
    pub values: Vec<String>,
    pub attrs: BTreeMap<String, toml::Value>,
    pub published: Option<String>,
}

impl From<&ExampleDef> for ExampleOwned {
    fn from(e: &ExampleDef) -> Self {
        let mut values: Vec<String> = e.value.iter().cloned().collect();
        values.extend(e.values.iter().cloned());
        ExampleOwned {
            text: e.text.clone(),
            values,
            attrs: e.attrs.clone(),
            published: e.published.clone(),
        }
    }
}

#[derive(Debug, Default)]
pub struct Compiled {
    /// Each language's rules, compiled when first asked for (see [`Compiled::lang`]).
    langs: BTreeMap<String, Later<LangRules>>,
    pub rule_examples: Vec<RuleExamples>,
    /// (lang, file, veto id, example)
    pub veto_examples: Vec<(String, String, String, String)>,
    /// (lang, file, text, value)
    pub number_examples: Vec<(String, String, String, String)>,
    /// (lexicon, canonical value) → gazetteer id.
    pub gazetteer_ids: HashMap<(String, String), String>,
    /// (web host, lexicon, canonical value), e.g. ("caobang.gov.vn", "province", "Cao Bằng").
    pub hosts: Vec<(String, String, String)>,
}

impl Compiled {
    /// The rules of language `code`, compiled on the first call for the built-in rules
    /// ([`Checks::Trust`]); `None` for a language without rules (or, never in practice, one
    /// whose built-in rules failed to compile: `rules check` and the tests compile them all).
    pub fn lang(&self, code: &str) -> Option<&LangRules> {
        self.langs.get(code)?.get()
    }

    /// Whether language `code` has rules, without compiling them.
    pub fn has_lang(&self, code: &str) -> bool {
        self.langs.contains_key(code)
    }

    /// Every language with its rules, in code order, compiling those not compiled yet.
    pub fn all_langs(&self) -> impl Iterator<Item = (&str, &LangRules)> {
        (self.langs.iter()).filter_map(|(code, l)| Some((code.as_str(), l.get()?)))
    }

    /// The languages whose rules have been compiled so far.
    pub fn compiled_langs(&self) -> Vec<&str> {
        (self.langs.iter())
            .filter(|(_, l)| l.made() == Some(true))
            .map(|(code, _)| code.as_str())
            .collect()
    }
}

/// A lexicon's words as one regex: longest first, each word in word boundaries where its end
/// is a letter or digit (see [`needs_boundary`]), its spaces `\s+`.
///
/// Written as a trie: words that begin alike share their beginning ("январ(?:я|е|ём)"), so
/// the compiled automaton has a state per distinct prefix instead of one per letter of every
/// word. Lexicons of hundreds of words made rules of thousands of states, and every search
/// engine pays per state: capture slot tables, visited sets, epsilon closures of the lazy DFA.
/// The trie matches what the flat list `(?:\bw1\b|\bw2\b|…)` with its words longest first
/// matches, and prefers the same: two words can match at one place only when one's text is
/// a beginning of the other's, and a trie node tries its longer continuations before it ends
/// a word there. Where two words differ only by the case of a letter at one place (which a
/// case-insensitive pattern treats as one letter), the flat list is kept.
fn lex_alternation(words: &[String]) -> String {
    let ws = longest_first(words);
    if ws.is_empty() {
        // An empty lexicon matches nothing.
        return "(?:[^\\s\\S])".into();
    }
    let mut trie = LexTrie::default();
    for w in &ws {
        trie.insert(w);
    }
    if trie.has_case_twins() {
        return flat_alternation(&ws);
    }
    let mut out = String::from("(?:");
    trie.write(&mut out, true, false);
    out.push(')');
    out
}

/// A lexicon's words without repeats, longest first (ties in byte order).
fn longest_first(words: &[String]) -> Vec<&String> {
    let mut ws: Vec<&String> = words.iter().collect();
    ws.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    ws.dedup();
    ws
}

/// Words, sorted longest first, as a flat alternation (see [`lex_alternation`]).
fn flat_alternation(ws: &[&String]) -> String {
    let items: Vec<String> = ws.iter().map(|w| lex_word(w)).collect();
    format!("(?:{})", items.join("|"))
}

/// One word as the flat list writes it.
fn lex_word(w: &str) -> String {
    let mut s = String::new();
    if w.chars().next().is_some_and(needs_boundary) {
        s.push_str(r"\b");
    }
    let parts: Vec<String> = w.split_whitespace().map(regex::escape).collect();
    s.push_str(&parts.join(r"\s+"));
    if w.chars().last().is_some_and(needs_boundary) {
        s.push_str(r"\b");
    }
    s
}

/// A piece of a lexicon word: a character, or the run of white space between two parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum LexToken {
    Char(char),
    Space,
}

/// Lexicon words by shared beginnings (see [`lex_alternation`]). Children keep the order in
/// which words first reached them, and words are inserted longest first.
#[derive(Debug, Default)]
struct LexTrie {
    children: Vec<(LexToken, LexTrie)>,
    /// A word ends here.
    end: bool,
}

impl LexTrie {
    fn insert(&mut self, word: &str) {
        let mut node = self;
        for (i, part) in word.split_whitespace().enumerate() {
            let tokens = (i > 0).then_some(LexToken::Space).into_iter();
            for t in tokens.chain(part.chars().map(LexToken::Char)) {
                let at = match node.children.iter().position(|(k, _)| *k == t) {
                    Some(at) => at,
                    None => {
                        node.children.push((t, LexTrie::default()));
                        node.children.len() - 1
                    }
                };
                node = &mut node.children[at].1;
            }
        }
        node.end = true;
    }

    /// Two children of one node whose letters differ only by case.
    fn has_case_twins(&self) -> bool {
        let folded = |t: &LexToken| match t {
            LexToken::Char(c) => LexToken::Char(super::prefilter::fold(*c)),
            LexToken::Space => LexToken::Space,
        };
        let mut keys: Vec<LexToken> = self.children.iter().map(|(k, _)| folded(k)).collect();
        keys.sort();
        keys.dedup();
        keys.len() < self.children.len() || self.children.iter().any(|(_, c)| c.has_case_twins())
    }

    /// The alternation of what may follow this node, longer continuations first: each
    /// child's token and its own continuations, then (when a word ends here) nothing, or the
    /// word boundary its last letter wants (`boundary`). `root`: a child's letter is a word's
    /// first, which may want a boundary before it.
    fn write(&self, out: &mut String, root: bool, boundary: bool) {
        let mut alts: Vec<String> = self
            .children
            .iter()
            .map(|(t, child)| {
                let mut s = String::new();
                match *t {
                    LexToken::Char(c) => {
                        if root && needs_boundary(c) {
                            s.push_str(r"\b");
                        }
                        let mut buf = [0u8; 4];
                        s.push_str(&regex::escape(c.encode_utf8(&mut buf)));
                        child.write(&mut s, false, needs_boundary(c));
                    }
                    LexToken::Space => {
                        s.push_str(r"\s+");
                        child.write(&mut s, false, false);
                    }
                }
                s
            })
            .collect();
        if self.end {
            alts.push(if boundary { r"\b" } else { "" }.to_string());
        }
        if alts.len() == 1 || root {
            out.push_str(&alts.join("|"));
        } else {
            out.push_str("(?:");
            out.push_str(&alts.join("|"));
            out.push(')');
        }
    }
}

/// Word boundaries around lexicon words, except in Hangul, where particles attach to words.
fn needs_boundary(c: char) -> bool {
    c.is_alphanumeric()
        && !('\u{AC00}'..='\u{D7AF}').contains(&c)
        && !('\u{1100}'..='\u{11FF}').contains(&c)
}

/// Longest regex source one pattern may expand to, and all the patterns of one language
/// together. The real rules stay far below (the largest expansion is under 10 KB, a language's
/// total under 300 KB); without a bound, sub-patterns that each name the next several times
/// expand exponentially and exhaust memory, and a pattern named by many rules makes the
/// loader compile megabytes of regex for each.
const MAX_EXPANDED: usize = 256 << 10;
const MAX_EXPANDED_TOTAL: usize = 2 << 20;

struct Expander<'a> {
    patterns: &'a BTreeMap<String, String>,
    lexicons: &'a BTreeMap<String, Vec<String>>,
    builtins: &'a BTreeMap<String, String>,
    /// Bytes of regex source expanded so far, against [`MAX_EXPANDED_TOTAL`].
    total: std::cell::Cell<usize>,
}

impl Expander<'_> {
    /// `src` with its placeholders replaced, within the size bounds.
    fn expand_top(&self, src: &str) -> Result<String, String> {
        let out = self.expand(src, 0)?;
        let total = self.total.get() + out.len();
        self.total.set(total);
        if total > MAX_EXPANDED_TOTAL {
            return Err(format!(
                "the patterns of this language expand to more than {} MiB of regex in all",
                MAX_EXPANDED_TOTAL >> 20
            ));
        }
        Ok(out)
    }

    fn expand(&self, src: &str, depth: usize) -> Result<String, String> {
        if depth > 20 {
            return Err("sub-patterns refer to each other in a cycle".into());
        }
        let mut out = String::with_capacity(src.len());
        let mut rest = src;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let starts_name = after
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
            // `\{` is a literal brace and `\p{L}` a Unicode class, not placeholders.
            let before = &rest[..i];
            let escaped =
                before.ends_with('\\') || before.ends_with("\\p") || before.ends_with("\\P");
            match after.find('}') {
                Some(j) if starts_name && !escaped => {
                    let name = &after[..j];
                    if let Some(lex) = name.strip_prefix("lex:") {
                        let words = self
                            .lexicons
                            .get(lex)
                            .ok_or_else(|| format!("unknown lexicon {{lex:{lex}}}"))?;
                        out.push_str(&lex_alternation(words));
                    } else if let Some(b) = self.builtins.get(name) {
                        out.push_str(&format!("(?:{b})"));
                    } else if let Some(p) = self.patterns.get(name) {
                        out.push_str(&format!("(?:{})", self.expand(p, depth + 1)?));
                    } else {
                        return Err(format!("unknown sub-pattern {{{name}}}"));
                    }
                    if out.len() > MAX_EXPANDED {
                        return Err(format!(
                            "pattern expands to more than {} KiB of regex \
                             (sub-patterns that each repeat the next grow exponentially)",
                            MAX_EXPANDED >> 10
                        ));
                    }
                    rest = &after[j + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// Lazy-DFA cache per regex and thread for a rule's other regexes (split separators and
/// items, stop words), which run only on what a rule matched. The regex crate's default is
/// 2 MiB.
const DFA_CACHE: usize = 256 << 10;

fn build_regex(src: &str, case_sensitive: bool) -> Result<Regex, String> {
    RegexBuilder::new(src)
        .case_insensitive(!case_sensitive)
        .size_limit(NFA_LIMIT)
        .dfa_size_limit(DFA_CACHE)
        .build()
        .map_err(|e| e.to_string())
}

/// The literal sets the prefilter needs of a relaxed form (none: the rule runs everywhere).
fn factors_of(relaxed: &Option<Relaxed>) -> Vec<Vec<String>> {
    relaxed
        .as_ref()
        .map(|x| x.factors.clone())
        .unwrap_or_default()
}

/// How much of a rule set is compiled up front only to find errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checks {
    /// Rules a person is writing (`--rules`, `rules check`): every named pattern
    /// (`[patterns]`) is compiled on its own, to report one that does not compile under its
    /// own name even where no rule uses it, and every rule's automata are built now.
    Validate,
    /// The built-in rules, which `rules check` and the tests passed before they shipped:
    /// named patterns are compiled only inside the rules that use them, and a rule's automata
    /// are built at its first search ([`Build::OnFirstSearch`]).
    Trust,
}

impl Checks {
    fn build(self) -> Build {
        match self {
            Checks::Validate => Build::Now,
            Checks::Trust => Build::OnFirstSearch,
        }
    }
}

/// A rule file as loaded: (path under rules/, text, parsed).
type LoadedFile = (String, String, RuleFile);

/// Compile the extraction parts of all rule files.
pub fn compile(
    files: &Arc<Vec<LoadedFile>>,
    conventions: &BTreeMap<String, Convention>,
    checks: Checks,
    errors: &mut Vec<RuleError>,
) -> Compiled {
    let mut out = Compiled::default();
    for (_, _, f) in files.iter() {
        for g in &f.gazetteer {
            out.gazetteer_ids
                .insert((g.lexicon.clone(), g.value.clone()), g.id.clone());
            for h in &g.hosts {
                out.hosts
                    .push((h.to_lowercase(), g.lexicon.clone(), g.value.clone()));
            }
        }
    }
    let langs: Vec<String> = files
        .iter()
        .map(|f| lang_of_path(&f.0))
        .filter(|l| l != "common")
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    match checks {
        // Languages compile independently: in parallel, on the calling thread pool, now, so
        // that every error and example is known.
        Checks::Validate => {
            let compiled: Vec<LangOut> = langs
                .par_iter()
                .map(|lang| compile_one_lang(files, lang, conventions, checks))
                .collect();
            for (lang, c) in langs.into_iter().zip(compiled) {
                out.rule_examples.extend(c.out.rule_examples);
                out.veto_examples.extend(c.out.veto_examples);
                out.number_examples.extend(c.out.number_examples);
                errors.extend(c.errors);
                out.langs.insert(lang, Later::now(c.lr));
            }
        }
        // Each language compiles at its first document: a run over Vietnamese pages never
        // compiles the other languages' rules, and a run over all of them compiles each on
        // the worker that meets it first instead of before the first page is read.
        Checks::Trust => {
            for lang in langs {
                let (files, conventions) = (files.clone(), conventions.clone());
                let code = lang.clone();
                out.langs.insert(
                    lang,
                    Later::deferred(move || {
                        Some(compile_one_lang(&files, &code, &conventions, checks).lr)
                    }),
                );
            }
        }
    }
    out
}

/// Compile the rules of `lang` from the rule files (its own and the `common` ones).
fn compile_one_lang(
    files: &[LoadedFile],
    lang: &str,
    conventions: &BTreeMap<String, Convention>,
    checks: Checks,
) -> LangOut {
    let of = |l: &str| -> Vec<&LoadedFile> {
        files.iter().filter(|f| lang_of_path(&f.0) == l).collect()
    };
    compile_lang(lang, &of(lang), &of("common"), conventions, checks)
}

/// What compiling one language gives.
struct LangOut {
    lr: LangRules,
    /// Its examples (only the example fields are filled).
    out: Compiled,
    errors: Vec<RuleError>,
}

/// Compile the rules of one language (with the `common` files, which all languages share).
fn compile_lang(
    lang: &str,
    lang_files: &[&LoadedFile],
    common: &[&LoadedFile],
    conventions: &BTreeMap<String, Convention>,
    checks: Checks,
) -> LangOut {
    let mut out = Compiled::default();
    let mut errs: Vec<RuleError> = Vec::new();
    let errors = &mut errs;
    let conv = conventions.get(lang).copied();
    let all: Vec<&LoadedFile> = common.iter().chain(lang_files.iter()).copied().collect();
    let mut lex_words: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut lexicons: BTreeMap<String, HashMap<String, String>> = BTreeMap::new();
    let mut lex_origin: BTreeMap<String, String> = BTreeMap::new();
    let mut patterns: BTreeMap<String, String> = BTreeMap::new();
    let mut numbers_def = None;
    for (path, text, f) in &all {
        for (name, entries) in &f.lexicon {
            if let Some(first) = lex_origin.get(name) {
                if first != path && !first.starts_with("common") {
                    errors.push(RuleError {
                        file: path.clone(),
                        line: super::line_of(text, &format!("[lexicon.{name}]")),
                        id: Some(format!("lexicon.{name}")),
                        message: format!("lexicon defined twice (also in {first})"),
                    });
                }
            }
            lex_origin.insert(name.clone(), path.clone());
            let words = lex_words.entry(name.clone()).or_default();
            let map = lexicons.entry(name.clone()).or_default();
            for (k, v) in entries {
                let key = norm_key(k, conv);
                words.push(key.clone());
                map.insert(key, v.as_string());
            }
        }
        for (name, p) in &f.patterns {
            patterns.insert(name.clone(), p.clone());
        }
        if let Some(n) = &f.numbers {
            numbers_def = Some((path.clone(), n));
        }
        for g in &f.gazetteer {
            let words = lex_words.entry(g.lexicon.clone()).or_default();
            let map = lexicons.entry(g.lexicon.clone()).or_default();
            lex_origin
                .entry(g.lexicon.clone())
                .or_insert_with(|| path.clone());
            let mut names: Vec<&String> = g
                .names
                .get(lang)
                .map(|v| v.iter().collect())
                .unwrap_or_default();
            if lang != "vi" {
                names.extend(g.names.get("vi").into_iter().flatten());
            }
            names.push(&g.value);
            for n in names {
                let key = norm_key(n, conv);
                words.push(key.clone());
                map.entry(key).or_insert_with(|| g.value.clone());
            }
        }
    }
    // Vietnamese pattern literals follow the same tone convention as the text.
    if let Some(c) = conv {
        for p in patterns.values_mut() {
            *p = tones::normalize(p, c);
        }
    }
    let decimal_lex = |name: &str, errors: &mut Vec<RuleError>| -> Vec<(String, Decimal)> {
        let mut v = Vec::new();
        if let Some(m) = lexicons.get(name) {
            for (k, val) in m {
                match Decimal::parse_plain(val) {
                    Some(d) => v.push((k.clone(), d)),
                    None => errors.push(RuleError {
                        file: lex_origin.get(name).cloned().unwrap_or_default(),
                        line: None,
                        id: Some(format!("lexicon.{name}")),
                        message: format!("value {val:?} of {k:?} is not a plain number"),
                    }),
                }
            }
        }
        v
    };
    let scales = decimal_lex("scale", errors);
    let words = decimal_lex("number_word", errors);
    let numbers = match numbers_def {
        Some((path, n)) => {
            match NumberFormat::new(n.decimal.clone(), n.group.clone(), scales, words) {
                Ok(nf) => Some(nf),
                Err(e) => {
                    errors.push(RuleError {
                        file: path,
                        line: None,
                        id: Some("numbers".into()),
                        message: e,
                    });
                    None
                }
            }
        }
        None => None,
    };
    let mut builtins = BTreeMap::new();
    if let Some(nf) = &numbers {
        let word_alt = lex_words.get("number_word").map(|w| lex_alternation(w));
        let scale_alt = lex_words.get("scale").map(|w| lex_alternation(w));
        let num = match &word_alt {
            Some(w) => format!("(?:{}|{w})", nf.numeral),
            None => nf.numeral.clone(),
        };
        let amount = match &scale_alt {
            // "3억 2,000만", "1만 2,000": scale groups, then perhaps a last plain numeral.
            Some(s) => format!(
                r"{num}(?:\s?{s}(?:\s?{n}\s?{s})*(?:\s?{n})?)?",
                n = nf.numeral
            ),
            None => num.clone(),
        };
        builtins.insert("number".to_string(), nf.numeral.clone());
        builtins.insert("amount".to_string(), amount);
    }
    let expander = Expander {
        patterns: &patterns,
        lexicons: &lex_words,
        builtins: &builtins,
        total: std::cell::Cell::new(0),
    };
    for (name, p) in patterns.iter().filter(|_| checks == Checks::Validate) {
        if let Err(e) = expander
            .expand_top(p)
            .and_then(|s| build_regex(&s, true).map(|_| ()))
        {
            let (file, line) = all
                .iter()
                .find(|(_, _, f)| f.patterns.contains_key(name))
                .map(|(p, t, _)| (p.clone(), super::line_of(t, &format!("{name} ="))))
                .unwrap_or_default();
            errors.push(RuleError {
                file,
                line,
                id: Some(format!("patterns.{name}")),
                message: e,
            });
        }
    }
    let future = lex_words
        .get("future")
        .and_then(|w| build_regex(&lex_alternation(w), false).ok());
    let amount_re = builtins
        .get("amount")
        .and_then(|a| build_regex(a, false).ok());
    // Province evidence: names of provinces, and of districts and towns (lexicon `district`,
    // whose values are provinces); a district counts less than the province's own name.
    let province_ac = {
        // One weight per name: a province's own name (also listed as the value of its
        // districts) keeps the province weight.
        let mut best: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for (lex, weight) in [("province", 2usize), ("district", 1)] {
            for (k, v) in lexicons.get(lex).into_iter().flatten() {
                let e = best.entry(k.clone()).or_insert((v.clone(), weight));
                if weight > e.1 {
                    *e = (v.clone(), weight);
                }
            }
        }
        let pairs: Vec<(String, String, usize)> =
            best.into_iter().map(|(k, (v, w))| (k, v, w)).collect();
        let keys: Vec<&String> = pairs.iter().map(|(k, _, _)| k).collect();
        (!pairs.is_empty())
            .then(|| {
                aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                    .build(&keys)
                    .ok()
            })
            .flatten()
            .map(|ac| (ac, pairs.iter().map(|(_, v, w)| (v.clone(), *w)).collect()))
    };
    let mut lr = LangRules {
        province_ac,
        amount_re,
        code: lang.to_string(),
        lexicons,
        rules: Vec::new(),
        vetoes: Vec::new(),
        numbers,
        future,
        convention: conv,
        prefilter: None,
    };
    let mut rule_factors = Vec::new();
    let mut veto_factors = Vec::new();
    for (path, text, f) in lang_files {
        for r in &f.rule {
            let err = |message: String| RuleError::at(path, text, &r.id, message);
            if !KINDS.contains(&r.kind.as_str()) {
                errors.push(err(format!(
                    "unknown kind {:?} (known: {})",
                    r.kind,
                    KINDS.join(", ")
                )));
                continue;
            }
            let mut src = r.pattern.clone();
            if let Some(c) = conv {
                src = tones::normalize(&src, c);
            }
            let (re, relaxed) = match expander
                .expand_top(&src)
                .and_then(|s| Pattern::with_relaxed_built(&s, r.case_sensitive, checks.build()))
            {
                Ok(compiled) => compiled,
                Err(e) => {
                    errors.push(err(format!("bad pattern: {e}")));
                    continue;
                }
            };
            let mut caps: BTreeSet<String> =
                re.capture_names().flatten().map(str::to_string).collect();
            // A split's item pattern, whole-item anchored: compiled once, here, since its
            // captures may feed the templates.
            let item = r.split.as_ref().map(|sd| {
                expander
                    .expand_top(&sd.item)
                    .and_then(|i| build_regex(&format!("^(?:{i})$"), false))
            });
            if let Some(Ok(item)) = &item {
                caps.extend(item.capture_names().flatten().map(str::to_string));
            }
            let mut value_srcs: Vec<&String> = r.value.iter().collect();
            value_srcs.extend(r.values.iter());
            if value_srcs.is_empty() {
                errors.push(err("rule has neither `value` nor `values`".into()));
                continue;
            }
            let mut ok = true;
            let mut parse =
                |s: &str, what: &str, errors: &mut Vec<RuleError>| -> Option<Template> {
                    match Template::parse(s) {
                        Ok(t) => {
                            for v in t.vars() {
                                if !caps.contains(v)
                                    && !r.defaults.contains_key(v)
                                    && !v.starts_with("year")
                                {
                                    errors.push(err(format!(
                                    "{what} names {{{v}}}, which is not a capture of the pattern"
                                )));
                                    ok = false;
                                }
                            }
                            Some(t)
                        }
                        Err(e) => {
                            errors.push(err(e));
                            ok = false;
                            None
                        }
                    }
                };
            let values: Vec<Template> = value_srcs
                .iter()
                .filter_map(|s| parse(s, "value", errors))
                .collect();
            let attrs: Vec<(String, Template)> = r
                .attrs
                .iter()
                .filter_map(|(k, s)| parse(s, "attrs", errors).map(|t| (k.clone(), t)))
                .collect();
            let defaults: BTreeMap<String, Template> = r
                .defaults
                .iter()
                .filter_map(|(k, s)| parse(s, "defaults", errors).map(|t| (k.clone(), t)))
                .collect();
            for lex in r.map.values() {
                if !lr.lexicons.contains_key(lex) {
                    errors.push(err(format!("map names unknown lexicon {lex:?}")));
                    ok = false;
                }
            }
            if r.examples.is_empty() {
                errors.push(err("rule has no examples: add at least one".into()));
            }
            let mut split = None;
            if let Some(sd) = &r.split {
                if !caps.contains(sd.capture.as_str()) {
                    errors.push(err(format!(
                        "split names capture {:?}, which the pattern lacks",
                        sd.capture
                    )));
                    ok = false;
                }
                let compile = |src: &str| {
                    expander
                        .expand_top(src)
                        .and_then(|x| build_regex(&x, false))
                };
                let parts = (
                    compile(&sd.separators),
                    sd.last_separator.as_deref().map(compile).transpose(),
                    item.unwrap_or_else(|| Err("no item pattern".into())),
                );
                match parts {
                    (Ok(separators), Ok(last_separator), Ok(item)) => {
                        split = Some(Split {
                            capture: sd.capture.clone(),
                            separators,
                            last_separator,
                            item,
                        })
                    }
                    (a, b, c) => {
                        let e = [a.err(), b.err(), c.err()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join("; ");
                        errors.push(err(format!("bad split: {e}")));
                        ok = false;
                    }
                }
            }
            if let Some(sp) = &r.span {
                if !caps.contains(sp.as_str()) {
                    errors.push(err(format!(
                        "span names capture {sp:?}, which the pattern lacks"
                    )));
                    ok = false;
                }
            }
            let stop = match &r.stop {
                Some(lex) => match lex_words.get(lex) {
                    Some(words) => build_regex(&lex_alternation(words), false).ok(),
                    None => {
                        errors.push(err(format!("stop names unknown lexicon {lex:?}")));
                        ok = false;
                        None
                    }
                },
                None => None,
            };
            if !ok {
                continue;
            }
            let idx = lr.rules.len();
            rule_factors.push(factors_of(&relaxed));
            lr.rules.push(Rule {
                id: r.id.clone(),
                kind: r.kind.clone(),
                re,
                values,
                attrs,
                defaults,
                map: r.map.clone(),
                priority: r.priority,
                file: path.clone(),
                line: id_line(text, &r.id),
                split,
                stop,
                min_words: r.min_words.unwrap_or(1),
                span: r.span.clone(),
                relaxed,
            });
            out.rule_examples.push(RuleExamples {
                lang: lang.to_string(),
                file: path.clone(),
                rule_index: idx,
                examples: r.examples.iter().map(ExampleOwned::from).collect(),
                counter_examples: r.counter_examples.clone(),
            });
        }
        for v in &f.veto {
            let err = |message: String| RuleError::at(path, text, &v.id, message);
            if let Some(k) = v.kinds.iter().find(|k| !KINDS.contains(&k.as_str())) {
                errors.push(err(format!("unknown kind {k:?}")));
                continue;
            }
            let mut src = v.pattern.clone();
            if let Some(c) = conv {
                src = tones::normalize(&src, c);
            }
            match expander
                .expand_top(&src)
                .and_then(|s| Pattern::with_relaxed_built(&s, v.case_sensitive, checks.build()))
            {
                Ok((re, relaxed)) => {
                    veto_factors.push(factors_of(&relaxed));
                    if v.examples.is_empty() {
                        errors.push(err("veto has no examples: add at least one".into()));
                    }
                    for ex in &v.examples {
                        out.veto_examples.push((
                            lang.to_string(),
                            path.clone(),
                            v.id.clone(),
                            ex.clone(),
                        ));
                    }
                    lr.vetoes.push(Veto {
                        id: v.id.clone(),
                        re,
                        kinds: v.kinds.clone(),
                        relaxed,
                    });
                }
                Err(e) => errors.push(err(format!("bad pattern: {e}"))),
            }
        }
        for ne in &f.number_example {
            out.number_examples.push((
                lang.to_string(),
                path.clone(),
                ne.text.clone(),
                ne.value.clone(),
            ));
        }
    }
    lr.prefilter = Prefilter::new(&rule_factors, &veto_factors);
    LangOut {
        lr,
        out,
        errors: errs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every lexicon and gazetteer name list of the shipped rules, as the loader keys them.
    fn shipped_word_lists() -> Vec<(String, Vec<String>)> {
        let mut lists: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (path, text) in crate::rules::embedded_sources() {
            let f: RuleFile = toml::from_str(&text).expect("shipped rule file parses");
            for (name, entries) in &f.lexicon {
                let words = lists.entry(format!("{path} {name}")).or_default();
                words.extend(entries.keys().map(|k| norm_key(k, None)));
            }
            for g in &f.gazetteer {
                let words = lists.entry(format!("gazetteer {}", g.lexicon)).or_default();
                words.extend(g.names.values().flatten().map(|k| norm_key(k, None)));
            }
        }
        lists.into_iter().collect()
    }

    /// A text that puts each word where a lexicon meets it: alone, capitalised, inside a
    /// longer word, cut short, with its spaces doubled, and run into the next word.
    fn probe_text(words: &[String]) -> String {
        let mut t = String::new();
        for (i, w) in words.iter().enumerate() {
            let cap: String = (w.chars().take(1).flat_map(char::to_uppercase))
                .chain(w.chars().skip(1))
                .collect();
            let cut: String = w
                .chars()
                .take(w.chars().count().saturating_sub(1))
                .collect();
            let next = &words[(i + 1) % words.len()];
            t.push_str(&format!(
                "{w}, {cap} x{w}y {cut}. {} «{w}» {w}{next} {w} {next}\n",
                w.replace(' ', "  ")
            ));
        }
        t
    }

    #[test]
    fn a_lexicon_trie_matches_what_the_flat_list_matches() {
        let lists = shipped_word_lists();
        assert!(lists.len() > 50, "{} word lists", lists.len());
        let mut tries = 0;
        // Alphabetical runs of a list: words that share beginnings meet in one run, and
        // small automata keep the test fast (a Unicode word boundary keeps the regex
        // crate's DFA off non-ASCII text).
        let mut runs: Vec<(String, Vec<String>)> = Vec::new();
        for (name, words) in &lists {
            let mut sorted = words.clone();
            sorted.sort();
            sorted.dedup();
            for run in sorted.chunks(24) {
                runs.push((name.clone(), run.to_vec()));
            }
        }
        for (name, words) in &runs {
            let trie = lex_alternation(words);
            let flat = flat_alternation(&longest_first(words));
            tries += usize::from(trie != flat);
            let text = probe_text(words);
            for case_sensitive in [false, true] {
                let spans = |src: &str| -> Vec<(usize, usize)> {
                    let re = build_regex(src, case_sensitive).expect("lexicon compiles");
                    re.find_iter(&text).map(|m| (m.start(), m.end())).collect()
                };
                assert_eq!(
                    spans(&trie),
                    spans(&flat),
                    "{name} (case-sensitive: {case_sensitive})"
                );
            }
        }
        // The shipped lexicons do make tries (most runs share beginnings).
        assert!(tries * 2 > runs.len(), "{tries} of {} runs", runs.len());
    }

    #[test]
    fn a_trie_prefers_the_longer_word_and_keeps_boundaries() {
        let words: Vec<String> = [
            "сегодня",
            "сегодня утром",
            "сегодня днем",
            "г.",
            "гг.",
            "ноябрь",
            "ноября",
        ]
        .map(String::from)
        .to_vec();
        let src = lex_alternation(&words);
        assert!(src.contains("ноябр(?:"), "{src}");
        let re = build_regex(&src, false).unwrap();
        let found: Vec<&str> = re
            .find_iter("Сегодня  утром, сегодняшний день, 5 ноября 2024 гг. и г.")
            .map(|m| m.as_str())
            .collect();
        assert_eq!(found, ["Сегодня  утром", "ноября", "гг.", "г."]);
    }

    #[test]
    fn words_that_differ_only_by_case_keep_the_flat_list() {
        let words: Vec<String> = ["Март", "март", "марта"].map(String::from).to_vec();
        assert_eq!(
            lex_alternation(&words),
            flat_alternation(&longest_first(&words))
        );
    }
}
