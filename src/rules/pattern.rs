//! A rule's or veto's compiled pattern: regex-automata's meta engine, built as the regex crate
//! builds a `Regex` but without DFAs, with the one search that crate does not offer: one
//! *anchored* at a given position. The prefilter knows where a match may start; an anchored
//! search there runs the capture engine over the match only, where
//! `regex::Regex::captures_at` searched the rest of the paragraph forwards, then backwards,
//! then again for the captures.

use regex_automata::meta;
use regex_automata::util::captures::Captures as RaCaptures;
use regex_automata::util::look::{LookMatcher, LookSet};
use regex_automata::{Anchored, Input};

use super::later::Later;
use super::prefilter::Relaxed;

/// The NFA size limit of rule patterns and their relaxed forms (lexicons make big
/// alternations).
pub const NFA_LIMIT: usize = 64 << 20;

/// A pattern searched only where a match may start. It has no DFAs: a DFA finds where a
/// match ends, which an anchored search does not need, and the meta engine's lazy DFA needs
/// a reverse NFA besides (to go back to a match's start). Without them the compiled rules
/// take 29 MB instead of 84, peak RSS falls by some 60 MB, and runs are no slower: an
/// anchored capture search (one-pass DFA, bounded backtracker or PikeVM) over the match is
/// what was run after the DFAs anyway. Only unanchored searches (`captures_all_in`,
/// `find_all_in`: the prefilter's fallback when folding moved offsets) lose the DFA.
#[derive(Debug)]
pub struct Pattern {
    re: Deferred,
    /// The groups' names in order (group 0, the whole match, has none): known from the syntax
    /// tree, so that checking a rule's captures does not build its automaton.
    names: Vec<Option<Box<str>>>,
    /// The look-around assertions every match passes where it starts (`\b` before a lexicon,
    /// most often), checked before an anchored search: see [`leading_looks`].
    lead: LookSet,
}

/// The assertions that every match of `hir` passes at its start (the syntax tree's prefix
/// look set, in regex-automata's terms; the two crates number assertions alike). An
/// anchored search first sets up a visited table as large as the NFA's states times the rest
/// of the paragraph, and the relaxed form, which has no word boundaries, finds starts inside
/// words ("anh" in "Thanh Hóa"): on real pages nine in ten tries failed, most at the leading
/// `\b`, and clearing those tables was the run's largest single cost. Checking the
/// assertions costs a look at two characters. Empty when the Unicode word data they would
/// need is missing (never with this build: the regex crate's Unicode features are on).
fn leading_looks(hir: &regex_syntax::hir::Hir) -> LookSet {
    let set = LookSet {
        bits: hir.properties().look_set_prefix().bits,
    };
    if set.available().is_ok() {
        set
    } else {
        LookSet::empty()
    }
}

/// When a pattern's automaton is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Build {
    /// Now: a pattern that does not build is an error to report (rules being written).
    Now,
    /// At its first search (the built-in rules, which `rules check` built before they
    /// shipped). Building the automata was most of the start-up, and a run over one
    /// language's pages searches with none of the other languages' rules, nor with rules
    /// whose literals never occur.
    OnFirstSearch,
}

/// A meta regex built now or at its first use. Deferred, it keeps the pattern's source and
/// parses it again when built: syntax trees kept until then, and freed by whichever thread
/// built them, left some 25 MB of freed memory that the workers' allocator arenas could not
/// reuse (peak RSS 176 -> 200 MB at `-j 2`). Threads that ask while it is being built wait.
#[derive(Debug)]
pub struct Deferred(Later<meta::Regex>);

impl Deferred {
    /// Built now; `Err` when it does not build.
    pub(crate) fn now(
        hir: &regex_syntax::hir::Hir,
        config: meta::Config,
    ) -> Result<Deferred, String> {
        let re = meta::Builder::new()
            .configure(config)
            .build_from_hir(hir)
            .map_err(|e| e.to_string())?;
        Ok(Deferred(Later::now(re)))
    }

    /// Built at the first [`Deferred::get`], from the syntax tree `tree` makes then.
    pub(crate) fn later(
        tree: impl FnOnce() -> Option<regex_syntax::hir::Hir> + Send + 'static,
        config: meta::Config,
    ) -> Deferred {
        Deferred(Later::deferred(move || {
            meta::Builder::new()
                .configure(config)
                .build_from_hir(&tree()?)
                .ok()
        }))
    }

    /// The regex, built on the first call when it was deferred; `None` when that build
    /// failed (a deferred pattern's build never fails in practice: `rules check` built it).
    pub(crate) fn get(&self) -> Option<&meta::Regex> {
        self.0.get()
    }
}

/// The syntax tree of `src` as rule patterns are parsed: the parser's defaults are the meta
/// builder's syntax defaults (Unicode, UTF-8, nesting limit); only case-insensitivity is set,
/// as the regex crate sets it.
pub(crate) fn parse(src: &str, case_insensitive: bool) -> Result<regex_syntax::hir::Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(src)
        .map_err(|e| e.to_string())
}

/// A regex that matches nothing: what a pattern whose deferred build failed searches with.
fn never() -> &'static meta::Regex {
    static NEVER: std::sync::OnceLock<meta::Regex> = std::sync::OnceLock::new();
    NEVER.get_or_init(|| {
        meta::Regex::new(r"[a&&b]").unwrap_or_else(|_| unreachable!("a fixed pattern"))
    })
}

/// The names of a syntax tree's groups by index, with group 0 (unnamed) first.
fn group_names(hir: &regex_syntax::hir::Hir) -> Vec<Option<Box<str>>> {
    fn walk(h: &regex_syntax::hir::Hir, out: &mut Vec<(u32, Option<Box<str>>)>) {
        use regex_syntax::hir::HirKind;
        match h.kind() {
            HirKind::Capture(c) => {
                out.push((c.index, c.name.clone()));
                walk(&c.sub, out);
            }
            HirKind::Repetition(r) => walk(&r.sub, out),
            HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().for_each(|x| walk(x, out)),
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
        }
    }
    let mut found = Vec::new();
    walk(hir, &mut found);
    found.sort_by_key(|(i, _)| *i);
    std::iter::once(None)
        .chain(found.into_iter().map(|(_, n)| n))
        .collect()
}

/// One thread's search cache for one pattern (capture slot tables, visited sets, lazy DFA
/// states), made for one pass over a batch of documents and dropped after it. The meta
/// regex's own pool would keep one such cache per pattern per thread for the whole run:
/// caches grow with the haystacks they served, and the run's 250 patterns kept some 150 MB
/// of them per thread. A pass makes its cache once and serves a whole batch with it.
///
/// A relaxed form's start search keeps its scratch longer (see
/// `prefilter::Relaxed::take_scratch`), for its meta regex or, when start literals find the
/// starts, for the lazy DFA that checks them.
#[derive(Debug, Clone)]
pub struct Scratch {
    meta: Option<meta::Cache>,
    dfa: Option<regex_automata::hybrid::dfa::Cache>,
}

impl Scratch {
    /// A cache for a relaxed form's start search (crate-internal: the form owns the regex).
    pub(crate) fn of(re: &meta::Regex) -> Scratch {
        Scratch {
            meta: Some(re.create_cache()),
            dfa: None,
        }
    }

    /// A cache for the lazy DFA that checks a relaxed form's literal starts.
    pub(crate) fn of_dfa(dfa: &regex_automata::hybrid::dfa::DFA) -> Scratch {
        Scratch {
            meta: None,
            dfa: Some(dfa.create_cache()),
        }
    }

    /// The cache for `re` (made here when this scratch has none: each scratch serves one
    /// pattern or form, so it is made once).
    pub(crate) fn meta(&mut self, re: &meta::Regex) -> &mut meta::Cache {
        self.meta.get_or_insert_with(|| re.create_cache())
    }

    /// The cache for `dfa` (made here when this scratch has none).
    pub(crate) fn dfa(
        &mut self,
        dfa: &regex_automata::hybrid::dfa::DFA,
    ) -> &mut regex_automata::hybrid::dfa::Cache {
        self.dfa.get_or_insert_with(|| dfa.create_cache())
    }
}

/// One group of a match: its text and byte span in the haystack.
#[derive(Debug, Clone, Copy)]
pub struct Group<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Group<'t> {
    pub fn start(&self) -> usize {
        self.start
    }
    pub fn end(&self) -> usize {
        self.end
    }
    pub fn as_str(&self) -> &'t str {
        &self.text[self.start..self.end]
    }
}

/// The groups of one match.
#[derive(Debug, Clone)]
pub struct Caps<'t> {
    text: &'t str,
    caps: RaCaptures,
}

impl<'t> Caps<'t> {
    fn group(&self, span: Option<regex_automata::Span>) -> Option<Group<'t>> {
        span.map(|s| Group {
            text: self.text,
            start: s.start,
            end: s.end,
        })
    }
    /// Group `i` (0: the whole match).
    pub fn get(&self, i: usize) -> Option<Group<'t>> {
        self.group(self.caps.get_group(i))
    }
    pub fn name(&self, name: &str) -> Option<Group<'t>> {
        self.group(self.caps.get_group_by_name(name))
    }
}

impl Pattern {
    /// Compile `src` as `regex::RegexBuilder` would with `case_insensitive(!case_sensitive)`
    /// and the NFA limit [`NFA_LIMIT`], but without DFAs, and the pattern's relaxed form (none
    /// when it has none), from one parse. A bad pattern's error reads as the regex crate's.
    pub fn with_relaxed(
        src: &str,
        case_sensitive: bool,
    ) -> Result<(Pattern, Option<Relaxed>), String> {
        Pattern::with_relaxed_built(src, case_sensitive, Build::Now)
    }

    /// [`Pattern::with_relaxed`], with the automata built `when` asked (the relaxed form's
    /// start regex too). A syntax error is reported now either way.
    pub fn with_relaxed_built(
        src: &str,
        case_sensitive: bool,
        when: Build,
    ) -> Result<(Pattern, Option<Relaxed>), String> {
        let hir = parse(src, !case_sensitive).map_err(|e| regex_error(src, case_sensitive, e))?;
        let config = meta::Config::new()
            .match_kind(regex_automata::MatchKind::LeftmostFirst)
            .utf8_empty(true)
            .nfa_size_limit(Some(NFA_LIMIT))
            .hybrid(false)
            .dfa(false);
        let relaxed = Relaxed::from_hir_built(&hir, !case_sensitive, src, when);
        let names = group_names(&hir);
        let lead = leading_looks(&hir);
        let re = match when {
            Build::Now => {
                Deferred::now(&hir, config).map_err(|e| regex_error(src, case_sensitive, e))?
            }
            Build::OnFirstSearch => {
                let src = src.to_string();
                Deferred::later(move || parse(&src, !case_sensitive).ok(), config)
            }
        };
        Ok((Pattern { re, names, lead }, relaxed))
    }

    /// The automaton (built here on the first search when deferred).
    fn re(&self) -> &meta::Regex {
        self.re.get().unwrap_or_else(|| never())
    }

    /// False when no match can start at `start`: an assertion every match passes there fails
    /// (see [`leading_looks`]).
    fn may_start_at(&self, text: &str, start: usize) -> bool {
        self.lead.is_empty()
            || (start <= text.len()
                && LookMatcher::new().matches_set(self.lead, text.as_bytes(), start))
    }

    /// Names of the capture groups, in order (`None` for unnamed ones).
    pub fn capture_names(&self) -> impl Iterator<Item = Option<&str>> {
        self.names.iter().map(|n| n.as_deref())
    }

    /// A search cache for this pattern, to be used by one thread for one pass (see
    /// [`Scratch`]).
    pub fn scratch(&self) -> Scratch {
        Scratch::of(self.re())
    }

    /// The match that starts exactly at `start`, with its groups. (It makes a cache for the
    /// one search: for tests and one-off searches; passes use the `_in` form.)
    pub fn captures_anchored<'t>(&self, text: &'t str, start: usize) -> Option<Caps<'t>> {
        self.captures_anchored_in(&mut self.scratch(), text, start)
    }

    /// [`Pattern::captures_anchored`] with the caller's cache.
    pub fn captures_anchored_in<'t>(
        &self,
        scratch: &mut Scratch,
        text: &'t str,
        start: usize,
    ) -> Option<Caps<'t>> {
        if !self.may_start_at(text, start) {
            return None;
        }
        let input = Input::new(text).range(start..).anchored(Anchored::Yes);
        let re = self.re();
        let mut caps = re.create_captures();
        re.search_captures_with(scratch.meta(re), &input, &mut caps);
        caps.is_match().then_some(Caps { text, caps })
    }

    /// The span of the match that starts exactly at `start` (a cache for the one search).
    pub fn find_anchored(&self, text: &str, start: usize) -> Option<(usize, usize)> {
        self.find_anchored_in(&mut self.scratch(), text, start)
    }

    /// [`Pattern::find_anchored`] with the caller's cache.
    pub fn find_anchored_in(
        &self,
        scratch: &mut Scratch,
        text: &str,
        start: usize,
    ) -> Option<(usize, usize)> {
        if !self.may_start_at(text, start) {
            return None;
        }
        let input = Input::new(text).range(start..).anchored(Anchored::Yes);
        let re = self.re();
        (re.search_with(scratch.meta(re), &input)).map(|m| (m.start(), m.end()))
    }

    /// Every non-overlapping match with its groups, left to right, as
    /// [`Pattern::captures_iter`] gives them, with the caller's cache.
    pub fn captures_all_in<'t>(&self, scratch: &mut Scratch, text: &'t str) -> Vec<Caps<'t>> {
        let mut it = regex_automata::util::iter::Searcher::new(Input::new(text));
        let mut out = Vec::new();
        let re = self.re();
        loop {
            let mut caps = re.create_captures();
            let found = it.advance(|input| {
                re.search_captures_with(scratch.meta(re), input, &mut caps);
                Ok(caps.get_match())
            });
            if found.is_none() {
                return out;
            }
            out.push(Caps { text, caps });
        }
    }

    /// Every non-overlapping match's span, left to right, with the caller's cache.
    pub fn find_all_in(&self, scratch: &mut Scratch, text: &str) -> Vec<(usize, usize)> {
        let mut it = regex_automata::util::iter::Searcher::new(Input::new(text));
        let re = self.re();
        std::iter::from_fn(|| it.advance(|input| Ok(re.search_with(scratch.meta(re), input))))
            .map(|m| (m.start(), m.end()))
            .collect()
    }

    /// Every non-overlapping match, left to right, as `regex::Regex::captures_iter` gives them.
    pub fn captures_iter<'p, 't: 'p>(
        &'p self,
        text: &'t str,
    ) -> impl Iterator<Item = Caps<'t>> + 'p {
        self.re()
            .captures_iter(text)
            .map(move |caps| Caps { text, caps })
    }

    /// Every non-overlapping match's span, left to right.
    pub fn find_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize)> + 't {
        self.re().find_iter(text).map(|m| (m.start(), m.end()))
    }

    /// Heap bytes of the compiled pattern (not its per-thread caches).
    pub fn memory_usage(&self) -> usize {
        self.re().memory_usage()
    }

    /// Heap bytes of one thread's fresh search cache.
    pub fn cache_memory_usage(&self) -> usize {
        self.re().create_cache().memory_usage()
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.re().is_match(text)
    }
}

/// Only on the error path: the regex crate words errors for people ("unclosed group").
fn regex_error(src: &str, case_sensitive: bool, ours: String) -> String {
    match regex::RegexBuilder::new(src)
        .case_insensitive(!case_sensitive)
        .size_limit(NFA_LIMIT)
        .build()
    {
        Err(e) => e.to_string(),
        Ok(_) => ours,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Pattern {
        fn new(src: &str, case_sensitive: bool) -> Result<Pattern, String> {
            Pattern::with_relaxed(src, case_sensitive).map(|(p, _)| p)
        }
    }

    #[test]
    fn anchored_search_matches_only_at_the_start_given() {
        let p = Pattern::new(r"\bпан(?:а|у)?\s+(?P<name>\p{Lu}\p{Ll}+)", true).unwrap();
        let t = "компанія; пану Хоангу, пан Ву";
        let at = t.find("пану").unwrap();
        let c = p.captures_anchored(t, at).unwrap();
        assert_eq!(c.name("name").unwrap().as_str(), "Хоангу");
        assert_eq!(c.get(0).unwrap().start(), at);
        // "пан" inside "компанія" is no match: the word boundary looks behind the start.
        let inside = t.find("панія").unwrap();
        assert!(p.captures_anchored(t, inside).is_none());
        // One character later than a match is no match either (anchored, not leftmost).
        assert!(p.find_anchored(t, at + 2).is_none());
    }

    /// The assertions every match passes where it starts are checked before the search, and
    /// only those: an optional part before a `\b` leaves none.
    #[test]
    fn leading_assertions_are_those_of_every_match() {
        let p = Pattern::new(r"\b(?:anh|chị)\s+(?P<name>\p{Lu}\p{Ll}+)", true).unwrap();
        assert!(!p.lead.is_empty());
        let t = "Thanh Hóa: anh Nam";
        let inside = t.find("anh Hóa").unwrap();
        assert!(!p.may_start_at(t, inside));
        assert!(p.captures_anchored(t, inside).is_none());
        let at = t.find("anh Nam").unwrap();
        assert!(p.may_start_at(t, at));
        assert_eq!(
            p.captures_anchored(t, at)
                .unwrap()
                .name("name")
                .unwrap()
                .as_str(),
            "Nam"
        );
        for src in [r"(?:ông\s+)?\bNam", r"Nam\b", r"\bA|B"] {
            assert!(Pattern::new(src, true).unwrap().lead.is_empty(), "{src}");
        }
        // A lone `\b` before both branches of an alternation is every match's.
        assert!(!Pattern::new(r"\b(?:A|B)|\bC", true)
            .unwrap()
            .lead
            .is_empty());
    }

    #[test]
    fn same_matches_as_the_regex_crate() {
        let src = r"(?P<day>\d{1,2})\s+(?P<month>tháng\s+\d{1,2})|(?P<year>năm\s+\d{4})";
        let ours = Pattern::new(src, false).unwrap();
        let theirs = regex::RegexBuilder::new(src)
            .case_insensitive(true)
            .build()
            .unwrap();
        let t = "Ngày 5 Tháng 7 NĂM 2024, rồi 12 tháng 11 năm 2025";
        // A match as (start, text of each named group).
        let row = |start: usize, get: &dyn Fn(&str) -> Option<String>| {
            let names: Vec<_> = ["day", "month", "year"].iter().map(|n| get(n)).collect();
            (start, names)
        };
        let a: Vec<_> = ours
            .captures_iter(t)
            .map(|c| {
                row(c.get(0).unwrap().start(), &|n| {
                    c.name(n).map(|g| g.as_str().into())
                })
            })
            .collect();
        let b: Vec<_> = theirs
            .captures_iter(t)
            .map(|c| {
                row(c.get(0).unwrap().start(), &|n| {
                    c.name(n).map(|g| g.as_str().into())
                })
            })
            .collect();
        assert_eq!(a, b);
        assert_eq!(a.len(), 4);
        let names: Vec<_> = ours.capture_names().collect();
        assert_eq!(names, vec![None, Some("day"), Some("month"), Some("year")]);
    }

    /// Every position where `r` starts a match in `text`, left to right.
    fn every_start(r: &Relaxed, text: &str, folded: &str) -> Vec<usize> {
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some(s) = r.next_start(&mut None, text, folded, pos) {
            out.push(s);
            pos = s + 1;
        }
        out
    }

    /// A pattern built at its first search: nothing is built before it (its group names come
    /// from the syntax tree), and it then finds what the pattern built now finds.
    #[test]
    fn a_deferred_pattern_builds_at_its_first_search_and_matches_as_if_built_now() {
        let src = r"\bquý\s+(?P<q>[1-4])\s+năm\s+(?P<year>\d{4})";
        let text = "Trong QUÝ 3 năm 2024 và quý 4 năm 2025";
        let (now, now_rel) = Pattern::with_relaxed_built(src, false, Build::Now).unwrap();
        let (later, later_rel) =
            Pattern::with_relaxed_built(src, false, Build::OnFirstSearch).unwrap();
        let (now_rel, later_rel) = (now_rel.unwrap(), later_rel.unwrap());
        assert_eq!(now.re.0.made(), Some(true));
        assert!(later.re.0.made().is_none());
        assert_eq!(
            later.capture_names().collect::<Vec<_>>(),
            now.capture_names().collect::<Vec<_>>()
        );
        assert!(later.re.0.made().is_none(), "names need no automaton");
        let mut folded = String::new();
        assert!(super::super::prefilter::fold_str(text, &mut folded));
        let starts = |r: &Relaxed| every_start(r, text, &folded);
        assert_eq!(starts(&later_rel), starts(&now_rel));
        assert_eq!(starts(&now_rel).len(), 2);
        let spans = |p: &Pattern| {
            starts(&now_rel)
                .into_iter()
                .filter_map(|s| p.captures_anchored(text, s))
                .map(|c| (c.get(0).unwrap().start(), c.name("year").unwrap().as_str()))
                .collect::<Vec<_>>()
        };
        assert_eq!(spans(&later), spans(&now));
        assert_eq!(spans(&now).len(), 2);
        assert_eq!(later.re.0.made(), Some(true));
        // A start regex (no start literals: "em" is too short) is deferred too, and also
        // made again from the source on the text's case (the pattern is case-sensitive).
        let src = r"\b(?:anh|em)\s+\p{Lu}\p{Ll}+";
        let text = "anh nam nói, anh Nam đến, em Hoa";
        let mut folded = String::new();
        assert!(super::super::prefilter::fold_str(text, &mut folded));
        let starts_of = |when| {
            let (_, r) = Pattern::with_relaxed_built(src, true, when).unwrap();
            let r = r.unwrap();
            let super::super::prefilter::Starts::Regex(d) = &r.search else {
                panic!("{src}: starts from literals");
            };
            assert_eq!(d.0.made().is_some(), when == Build::Now);
            every_start(&r, text, &folded)
        };
        assert_eq!(starts_of(Build::OnFirstSearch), starts_of(Build::Now));
        assert_eq!(starts_of(Build::Now).len(), 2, "the capitalized names only");
        // A pattern that does not build is an error now, and only now.
        let huge = format!("(?:{}){{1000}}", r"\w{100}");
        assert!(Pattern::with_relaxed_built(&huge, false, Build::Now).is_err());
        let (unbuildable, _) =
            Pattern::with_relaxed_built(&huge, false, Build::OnFirstSearch).unwrap();
        // Deferred, its build fails at the first search, which then finds nothing.
        assert!(unbuildable.captures_anchored(&"x".repeat(200), 0).is_none());
    }

    /// Group names from the syntax tree are the names the built regex gives its groups.
    #[test]
    fn group_names_from_the_syntax_tree_are_the_regex_s() {
        for src in [
            r"abc",
            r"(a)(?P<b>b)(c)",
            r"(?P<x>a(?P<y>b)|(?P<z>c))+(d)?",
            r"(?:(?P<day>\d+)\s+)?(?P<month>\w+)(?:\s+(?P<year>\d{4}))?",
            r"((((a))))(?P<e>e)",
        ] {
            let hir = regex_syntax::parse(src).unwrap();
            let re = meta::Regex::new(src).unwrap();
            let theirs: Vec<Option<&str>> = re
                .group_info()
                .pattern_names(regex_automata::PatternID::ZERO)
                .collect();
            let ours = group_names(&hir);
            assert_eq!(
                ours.iter().map(|n| n.as_deref()).collect::<Vec<_>>(),
                theirs,
                "{src}"
            );
        }
    }

    #[test]
    fn a_bad_pattern_reads_as_the_regex_crate_says() {
        let e = Pattern::new("(?P<x>a", true).unwrap_err();
        assert!(e.contains("unclosed group"), "{e}");
    }
}
