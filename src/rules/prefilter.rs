//! One pass per document that tells which rules could match in which paragraph.
//!
//! Every rule pattern is analysed once, at load time, for *required factors*: a set of literal
//! strings such that any text the pattern matches contains at least one of them ("tháng" for a
//! Vietnamese date, the month names for a Russian one, "khối" for a bloc). All factors of a
//! language go into one Aho-Corasick automaton. At run time the document is case-folded once and
//! scanned once; a rule is then run only in paragraphs where one of its factors occurs. A rule
//! without factors (a bare number pattern, say) runs everywhere, as before.
//!
//! The analysis walks regex-syntax's HIR by hand: regex-syntax's own literal extractor gives
//! prefixes and suffixes only, and most rules begin with a number or a name class, so their
//! useful literal is in the middle (`{day} tháng {month}`).
//!
//! Matching is case-insensitive by folding both sides with [`fold`], which maps every character
//! to one representative of its simple case-folding class (the equivalence the regex crate uses
//! for `(?i)`); the factor test is therefore a necessary condition for the rule's match, and
//! results are the same with and without the prefilter (tests/prefilter.rs checks it on the
//! corpus).

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use super::later::Later;
use super::pattern::{Build, Deferred, Scratch, NFA_LIMIT};

/// Longest literal, in bytes, the analysis builds or keeps (longer ones are cut).
const MAX_LIT: usize = 48;
/// Most strings an exact set may hold before it counts as unknown (cross products grow fast).
const MAX_SET: usize = 64;
/// Longest bounded repetition the relaxed form keeps as written (see [`relax_hir`]).
const REP_KEEP: u32 = 8;
/// Largest character class read as a set of one-character literals.
const MAX_CLASS: usize = 8;

/// Case-folding representatives, built once from regex-syntax's simple case folding (the
/// equivalence the regex crate uses for `(?i)`), so that the prefilter folds exactly as the
/// rules match.
struct FoldTable {
    /// Representative of every character below [`DIRECT`] (Latin, Greek, Cyrillic, Vietnamese).
    direct: Vec<char>,
    /// Characters at or above [`DIRECT`] whose representative is another character, sorted.
    rest: Vec<(char, char)>,
    /// Every representative of a class of two or more characters.
    reps: regex_syntax::hir::ClassUnicode,
}

const DIRECT: u32 = 0x2000;
/// Cased letters all lie in the first two planes.
const CASED_END: u32 = 0x2_0000;

static FOLD: std::sync::OnceLock<FoldTable> = std::sync::OnceLock::new();

fn fold_table() -> &'static FoldTable {
    FOLD.get_or_init(|| {
        use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
        let mut rep: std::collections::BTreeMap<char, char> = Default::default();
        for c in (0..CASED_END).filter_map(char::from_u32) {
            let mapped =
                c.to_lowercase().ne(std::iter::once(c)) || c.to_uppercase().ne(std::iter::once(c));
            if !mapped || rep.contains_key(&c) {
                continue;
            }
            let mut cls = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
            cls.case_fold_simple();
            let members: Vec<char> = cls.iter().flat_map(|r| r.start()..=r.end()).collect();
            // The smallest member stands for the class (for ASCII letters: the capital).
            let least = members.iter().copied().min().unwrap_or(c);
            for m in members {
                rep.insert(m, least);
            }
        }
        let direct = (0..DIRECT)
            .map(|cp| {
                let c = char::from_u32(cp).unwrap_or('\u{FFFD}');
                rep.get(&c).copied().unwrap_or(c)
            })
            .collect();
        let reps = ClassUnicode::new(rep.values().map(|&r| ClassUnicodeRange::new(r, r)));
        let rest = rep
            .into_iter()
            .filter(|&(c, r)| c as u32 >= DIRECT && c != r)
            .collect();
        FoldTable { direct, rest, reps }
    })
}

/// The case-folding representative of one character.
pub fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    let t = fold_table();
    if (c as u32) < DIRECT {
        return t.direct[c as usize];
    }
    match t.rest.binary_search_by_key(&c, |&(from, _)| from) {
        Ok(i) => t.rest[i].1,
        Err(_) => c,
    }
}

/// `s` case-folded into `out` (cleared first). True when every character kept its length in
/// UTF-8, so that byte offsets in `out` are byte offsets in `s` (almost always: the exceptions
/// are letters like 'ſ', 'ẞ' or the Kelvin sign).
pub fn fold_str(s: &str, out: &mut String) -> bool {
    out.clear();
    out.reserve(s.len());
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_uppercase();
        return true;
    }
    let mut aligned = true;
    for c in s.chars() {
        let f = fold(c);
        aligned &= f.len_utf8() == c.len_utf8();
        out.push(f);
    }
    aligned
}

/// A rule's pattern relaxed for the prefilter: word boundaries and capture groups dropped,
/// every literal and class folded with [`fold`]. It matches (case-sensitively) in the folded
/// text wherever the pattern could match in the original, and the lazy DFA can run it over
/// any text: Unicode word boundaries keep that DFA off non-ASCII text, and `(?i)` over large
/// Unicode alternations makes it thrash its cache (ten times slower, measured). A
/// case-sensitive pattern's starts are searched with its relaxed form unfolded, over the
/// text itself ([`Relaxed::on_text`]); its literal sets still come from the folded form.
#[derive(Debug)]
pub struct Relaxed {
    /// How possible starts are found.
    pub search: Starts,
    /// The start search runs over the text itself, not the folded text: for a case-sensitive
    /// pattern, whose relaxed form then keeps its capitals (`\p{Lu}` after a title, say)
    /// instead of trying the pattern after every lower-case word as well.
    pub on_text: bool,
    /// Literal sets every match holds one of each of, most selective first; empty when
    /// nothing is required.
    pub factors: Vec<Vec<String>>,
    /// The exact pattern never matches the empty string (so a search for the next match may
    /// start where the relaxed form finds a start).
    pub nonempty: bool,
    /// Caches of the start regex that no pass is using (see [`Relaxed::take_scratch`]).
    spare: std::sync::Mutex<Vec<Scratch>>,
}

/// Where a relaxed form's matches may start.
#[derive(Debug)]
pub enum Starts {
    /// Where the relaxed form's regex starts a match. The regex is built straight from the
    /// relaxed syntax tree (printing and parsing it again doubled the start-up cost).
    Regex(Deferred),
    /// When every match of the relaxed form begins with one of a few literals none shorter
    /// than [`MIN_START_LIT`] bytes: where one of them occurs (and, once they have proved
    /// poor starts, where the relaxed form also matches).
    Literals(Box<LiteralStarts>),
}

/// Start literals, checked with the relaxed form once they prove poor starts.
///
/// On a text full of a rule's facts nearly every occurrence of its start literals starts one,
/// and the literals spare building the relaxed form's regex. But some are common words
/// ("ngày", "anh", a donation verb), and at each occurrence the rule's own pattern is tried:
/// its anchored search first clears a visited table as large as its states times the rest of
/// the paragraph. On real pages nine tries in ten failed, and clearing those tables was the
/// run's largest single cost. So each rule counts its tries and its matches, and once fewer
/// than one in [`POOR_RATIO`] of [`POOR_AFTER`] or more tries has matched, the relaxed form
/// is built as a forward lazy DFA and run, anchored, at each occurrence first: it gives up at
/// the first byte that cannot continue a match, so a literal with no match after it costs a
/// few steps. Only the forward DFA is built (no reverse one, no capture engines): the
/// relaxed form's full regex took 20 MB more at `-j 2` for the rules that switch. The DFA
/// only drops starts where the relaxed form, and so the pattern, cannot match: the facts are
/// the same whether and whenever a rule switches.
#[derive(Debug)]
pub struct LiteralStarts {
    pub pre: regex_automata::util::prefilter::Prefilter,
    /// The relaxed form as an anchored forward lazy DFA, built at the switch (`None` when it
    /// does not build: the literals alone then find the starts, as before the switch).
    check: Later<Option<regex_automata::hybrid::dfa::DFA>>,
    /// Tries of the pattern at literal starts, and how many matched.
    tried: AtomicU32,
    matched: AtomicU32,
    /// The literals proved poor starts: the DFA checks each (for good, once set).
    switched: AtomicBool,
}

/// Tries at literal starts before their failures can switch a rule to checking them.
pub const POOR_AFTER: u32 = 256;
/// The literals are poor starts when fewer than one try in this many matches. (One in two
/// switched twice as many rules on generated text, fact-dense, for no gain there, and took
/// 15 MB more; on real pages nearly every rule that switches matches less than once in 16.)
pub const POOR_RATIO: u32 = 16;

impl LiteralStarts {
    fn new(
        pre: regex_automata::util::prefilter::Prefilter,
        check: impl FnOnce() -> Option<regex_automata::hybrid::dfa::DFA> + Send + 'static,
    ) -> LiteralStarts {
        LiteralStarts {
            pre,
            check: Later::deferred(move || Some(check())),
            tried: AtomicU32::new(0),
            matched: AtomicU32::new(0),
            switched: AtomicBool::new(false),
        }
    }

    /// The DFA that checks each literal start, once the literals have proved poor starts.
    fn check(&self) -> Option<&regex_automata::hybrid::dfa::DFA> {
        if !self.switched.load(Ordering::Relaxed) {
            return None;
        }
        self.check.get()?.as_ref()
    }

    /// One try of the pattern at a literal start, `matched` or not.
    fn record(&self, matched: bool) {
        if self.switched.load(Ordering::Relaxed) {
            return;
        }
        let tried = self.tried.fetch_add(1, Ordering::Relaxed) + 1;
        let hits = if matched {
            self.matched.fetch_add(1, Ordering::Relaxed) + 1
        } else {
            self.matched.load(Ordering::Relaxed)
        };
        if tried >= POOR_AFTER && hits.saturating_mul(POOR_RATIO) < tried {
            self.switched.store(true, Ordering::Relaxed);
        }
    }

    /// Whether the literal starts are checked now (for tests and reports).
    pub fn switched(&self) -> bool {
        self.switched.load(Ordering::Relaxed)
    }

    /// The next occurrence of a literal at or after `pos` in `hay` where the relaxed form may
    /// match (any occurrence before the switch).
    fn next(&self, scratch: &mut Option<Scratch>, hay: &str, pos: usize) -> Option<usize> {
        use regex_automata::{Anchored, Input, Span};
        let mut at = pos;
        loop {
            let start = self
                .pre
                .find(hay.as_bytes(), Span::from(at..hay.len()))?
                .start;
            let Some(dfa) = self.check() else {
                return Some(start);
            };
            let cache = scratch.get_or_insert_with(|| Scratch::of_dfa(dfa)).dfa(dfa);
            let input = Input::new(hay)
                .span(start..hay.len())
                .anchored(Anchored::Yes)
                .earliest(true);
            // A DFA that gives up (its cache thrashing) leaves the start to the pattern.
            if !matches!(dfa.try_search_fwd(cache, &input), Ok(None)) {
                return Some(start);
            }
            at = start + hay[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
}

/// The relaxed form `hir` as a forward lazy DFA for anchored searches only.
fn check_dfa(hir: &Hir) -> Option<regex_automata::hybrid::dfa::DFA> {
    use regex_automata::nfa::thompson;
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .nfa_size_limit(Some(NFA_LIMIT))
                .which_captures(thompson::WhichCaptures::None),
        )
        .build_from_hir(hir)
        .ok()?;
    regex_automata::hybrid::dfa::Builder::new()
        .configure(regex_automata::hybrid::dfa::Config::new().starts_for_each_pattern(false))
        .build_from_nfa(nfa)
        .ok()
}

/// Shortest literal that may stand for a rule's possible starts (shorter ones, a digit or one
/// Latin letter, occur everywhere: the relaxed form's DFA finds starts faster).
const MIN_START_LIT: usize = 3;

/// A searcher for the literals every match of `hir` begins with, when they are few and long
/// enough to be worth it.
fn start_literals(hir: &Hir) -> Option<regex_automata::util::prefilter::Prefilter> {
    use regex_syntax::hir::literal::Extractor;
    let seq = Extractor::new().extract(hir);
    let lits = seq.literals()?;
    if lits.is_empty() || lits.iter().any(|l| l.as_bytes().len() < MIN_START_LIT) {
        return None;
    }
    // The occurrence reported is the one that starts first (not the one that ends first,
    // which could skip a longer one begun earlier): regex-automata's prefilters promise it.
    let pre = regex_automata::util::prefilter::Prefilter::new(
        regex_automata::MatchKind::LeftmostFirst,
        lits,
    )?;
    pre.is_fast().then_some(pre)
}

impl Relaxed {
    /// `pattern` as the rule's regex is compiled (`case_insensitive` as its builder sets it).
    /// (Rules get theirs from `Pattern::with_relaxed`, which parses once for both.)
    #[cfg(test)]
    pub fn new(pattern: &str, case_insensitive: bool) -> Option<Relaxed> {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(case_insensitive)
            .build()
            .parse(pattern)
            .ok()?;
        Relaxed::from_hir(&hir, case_insensitive)
    }

    /// Where, at or after `pos`, a match of the pattern may start in `text`, given also
    /// `folded`, the text case-folded with the same byte offsets: the next occurrence of a
    /// start literal when the form has them, else the leftmost start of the relaxed form's
    /// next match. `scratch` is the caller's cache for the relaxed regex, made here when the
    /// search first needs it (see [`Scratch`]).
    pub fn next_start(
        &self,
        scratch: &mut Option<Scratch>,
        text: &str,
        folded: &str,
        pos: usize,
    ) -> Option<usize> {
        let hay = self.haystack(text, folded);
        let span = regex_automata::Span::from(pos..hay.len());
        match &self.search {
            Starts::Literals(lits) => lits.next(scratch, hay, pos),
            Starts::Regex(deferred) => {
                // A start regex whose deferred build failed (never, in practice) finds a
                // start everywhere: the exact pattern then decides, as without a prefilter.
                let Some(re) = deferred.get() else {
                    return Some(pos);
                };
                let input = regex_automata::Input::new(hay).span(span);
                let cache = scratch.get_or_insert_with(|| Scratch::of(re)).meta(re);
                re.search_with(cache, &input).map(|m| m.start())
            }
        }
    }

    /// Its start literals proved poor starts and are checked now (see [`LiteralStarts`]).
    pub fn checks_literal_starts(&self) -> bool {
        matches!(&self.search, Starts::Literals(lits) if lits.switched())
    }

    /// The pattern was tried at a start [`Relaxed::next_start`] gave, and `matched` or not:
    /// counted while start literals alone find the starts (see [`LiteralStarts`]).
    pub fn record_try(&self, matched: bool) {
        if let Starts::Literals(lits) = &self.search {
            lits.record(matched);
        }
    }

    /// False when the pattern cannot match anywhere in `text` (`folded`: the text case-folded,
    /// whatever its byte offsets).
    pub fn may_match(&self, scratch: &mut Option<Scratch>, text: &str, folded: &str) -> bool {
        match &self.search {
            Starts::Literals(_) => self.next_start(scratch, text, folded, 0).is_some(),
            Starts::Regex(deferred) => {
                let Some(re) = deferred.get() else {
                    return true;
                };
                let cache = scratch.get_or_insert_with(|| Scratch::of(re)).meta(re);
                let input = regex_automata::Input::new(self.haystack(text, folded)).earliest(true);
                re.search_with(cache, &input).is_some()
            }
        }
    }

    /// A cache for a pass of the start search over a batch (`None`: none is spare, or the
    /// starts come from literals; [`Relaxed::next_start`] makes one when it needs it). Give
    /// it back with [`Relaxed::give_back`] after the pass.
    ///
    /// The start regex's lazy DFA learns its states as it searches, and relearning them for
    /// every batch cost a fifth of a run's time, so its cache outlives the pass; but it is
    /// the rule's, not the thread's: the regex's own pool would keep one per thread (some
    /// 36 MB per thread for the start regexes of all languages), where passes of one rule
    /// seldom overlap, so that one or two caches serve every thread.
    pub fn take_scratch(&self) -> Option<Scratch> {
        self.spare.lock().ok()?.pop()
    }

    /// Return a cache that [`Relaxed::take_scratch`] or a search made.
    pub fn give_back(&self, scratch: Scratch) {
        if let Ok(mut spare) = self.spare.lock() {
            spare.push(scratch);
        }
    }

    /// How many caches of the start regex are spare (for tests).
    #[doc(hidden)]
    pub fn spare_caches(&self) -> usize {
        self.spare.lock().map_or(0, |s| s.len())
    }

    /// What the start search runs over (see [`Relaxed::on_text`]).
    fn haystack<'t>(&self, text: &'t str, folded: &'t str) -> &'t str {
        if self.on_text {
            text
        } else {
            folded
        }
    }

    /// Heap bytes of the start search, and of one thread's fresh search cache for it.
    pub fn memory_usage(&self) -> (usize, usize) {
        match &self.search {
            Starts::Literals(lits) => match lits.check() {
                Some(dfa) => (
                    lits.pre.memory_usage() + dfa.memory_usage() + dfa.get_nfa().memory_usage(),
                    dfa.create_cache().memory_usage(),
                ),
                None => (lits.pre.memory_usage(), 0),
            },
            Starts::Regex(deferred) => deferred.get().map_or((0, 0), |re| {
                (re.memory_usage(), re.create_cache().memory_usage())
            }),
        }
    }

    /// The relaxed form of a pattern's syntax tree, parsed with `case_insensitive`.
    pub fn from_hir(hir: &Hir, case_insensitive: bool) -> Option<Relaxed> {
        Relaxed::from_hir_built(hir, case_insensitive, "", Build::Now)
    }

    /// [`Relaxed::from_hir`], with the start regex built `when` asked; deferred, it is made
    /// again from `src`, the pattern `hir` was parsed from (see [`Deferred`]).
    pub fn from_hir_built(
        hir: &Hir,
        case_insensitive: bool,
        src: &str,
        when: Build,
    ) -> Option<Relaxed> {
        let nonempty = hir.properties().minimum_len().is_some_and(|n| n > 0);
        let relaxed = relax_hir(hir, case_insensitive, true);
        // The literal sets are for the prefilter's scan of the folded text; a case-sensitive
        // pattern looks for its starts in the text itself, with its case.
        let on_text = !case_insensitive;
        let search_form = if on_text {
            relax_hir(hir, case_insensitive, false)
        } else {
            relaxed.clone()
        };
        // The search form made again from the source, for a build deferred to first use (see
        // [`Deferred`]): the start regex, or the DFA that checks literal starts.
        let tree_later = || {
            let src = src.to_string();
            move || {
                let hir = super::pattern::parse(&src, case_insensitive).ok()?;
                Some(relax_hir(&hir, case_insensitive, !on_text))
            }
        };
        let search = match (start_literals(&search_form), when) {
            (Some(pre), Build::Now) => {
                let tree = search_form.clone();
                Starts::Literals(Box::new(LiteralStarts::new(pre, move || check_dfa(&tree))))
            }
            (Some(pre), Build::OnFirstSearch) => {
                let tree = tree_later();
                Starts::Literals(Box::new(LiteralStarts::new(pre, move || {
                    check_dfa(&tree()?)
                })))
            }
            (None, Build::Now) => Starts::Regex(relaxed_regex(&search_form)?),
            (None, Build::OnFirstSearch) => {
                Starts::Regex(Deferred::later(tree_later(), relaxed_config()))
            }
        };
        Some(Relaxed {
            search,
            on_text,
            factors: factor_sets_of(&relaxed),
            nonempty,
            spare: Default::default(),
        })
    }
}

/// A relaxed form's start regex: the meta engine with its DFAs.
fn relaxed_config() -> regex_automata::meta::Config {
    regex_automata::meta::Regex::config().nfa_size_limit(Some(NFA_LIMIT))
}

fn relaxed_regex(relaxed: &Hir) -> Option<Deferred> {
    Deferred::now(relaxed, relaxed_config()).ok()
}

/// Classes larger than this many characters are made coarse in relaxed forms (see [`coarse`]).
const COARSE_OVER: usize = 512;

fn class_size(cls: &regex_syntax::hir::ClassUnicode) -> usize {
    cls.iter()
        .map(|r| r.end() as usize - r.start() as usize + 1)
        .sum()
}

/// The scripts this project's languages are written in, and their punctuation: Latin with
/// Vietnamese letters, Cyrillic, general punctuation, Hangul.
const SCRIPTS: [(char, char); 6] = [
    ('\u{0}', '\u{52F}'),
    ('\u{1100}', '\u{11FF}'),
    ('\u{1E00}', '\u{1EFF}'),
    ('\u{2000}', '\u{206F}'),
    ('\u{3130}', '\u{318F}'),
    ('\u{AC00}', '\u{D7AF}'),
];

/// A large class (`\p{L}`, `\w`, `\p{Lu}`) as a relaxed form takes it: exact within the
/// scripts of [`SCRIPTS`], every character outside them. A superset, so the relaxed form still
/// matches wherever the pattern does; but the hundreds of ranges such a class has across
/// Unicode made hundreds of automaton states for each time a pattern names it, in the forward
/// and the reverse automaton and in every lazy-DFA cache of the start search.
fn coarse(cls: &regex_syntax::hir::ClassUnicode) -> regex_syntax::hir::ClassUnicode {
    use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
    let scripts = ClassUnicode::new(SCRIPTS.iter().map(|&(a, b)| ClassUnicodeRange::new(a, b)));
    let mut inside = cls.clone();
    inside.intersect(&scripts);
    let mut outside = scripts;
    outside.negate();
    inside.union(&outside);
    inside
}

/// `closed`: the pattern was parsed case-insensitively, so its classes already hold every case
/// variant of their members (folding a large class again costs milliseconds each). `folding`:
/// fold every literal and class, for folded text; else keep them, for the text itself.
fn relax_hir(h: &Hir, closed: bool, folding: bool) -> Hir {
    use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange, Look, Repetition};
    match h.kind() {
        HirKind::Class(Class::Unicode(cls)) if class_size(cls) > COARSE_OVER => {
            // Too large to fold one by one (case-folding it costs milliseconds). Parsed
            // case-insensitively (`closed`), or over the text itself, it already holds what it
            // must; else the class and every representative of a case class contain the
            // folded members.
            let cls = if folding && !closed {
                let mut all = cls.clone();
                all.union(&fold_table().reps);
                all
            } else {
                cls.clone()
            };
            Hir::class(Class::Unicode(coarse(&cls)))
        }
        HirKind::Literal(_) | HirKind::Class(_) if !folding => h.clone(),
        HirKind::Empty => Hir::empty(),
        HirKind::Look(look) => match look {
            Look::Start
            | Look::End
            | Look::StartLF
            | Look::EndLF
            | Look::StartCRLF
            | Look::EndCRLF => Hir::look(*look),
            // Word boundaries of every kind: a superset of the matches without them.
            _ => Hir::empty(),
        },
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => {
                let mut f = String::new();
                fold_str(s, &mut f);
                Hir::literal(f.into_bytes())
            }
            Err(_) => h.clone(),
        },
        HirKind::Class(Class::Unicode(cls)) => {
            // At most COARSE_OVER characters (larger ones are taken above): fold each member.
            let mut all = cls.clone();
            all.case_fold_simple();
            Hir::class(Class::Unicode(ClassUnicode::new(
                all.iter()
                    .flat_map(|r| r.start()..=r.end())
                    .map(|c| ClassUnicodeRange::new(fold(c), fold(c))),
            )))
        }
        HirKind::Class(Class::Bytes(cls)) => {
            let mut c = cls.clone();
            c.case_fold_simple();
            Hir::class(Class::Bytes(c))
        }
        HirKind::Capture(c) => relax_hir(&c.sub, closed, folding),
        HirKind::Repetition(rep) => {
            // A long bounded repetition ("[^\n]{0,400}?", "(?:\s+\S+){1,12}") copies its
            // sub-pattern once per count, which makes large automata and thrashes the DFA
            // cache; unbounded, it matches a superset and stays small.
            let long = rep.max.is_some_and(|max| max > REP_KEEP);
            Hir::repetition(Repetition {
                min: if long { rep.min.min(1) } else { rep.min },
                max: if long { None } else { rep.max },
                greedy: rep.greedy,
                sub: Box::new(relax_hir(&rep.sub, closed, folding)),
            })
        }
        HirKind::Concat(children) => Hir::concat(
            children
                .iter()
                .map(|c| relax_hir(c, closed, folding))
                .collect(),
        ),
        HirKind::Alternation(children) => Hir::alternation(
            children
                .iter()
                .map(|c| relax_hir(c, closed, folding))
                .collect(),
        ),
    }
}

/// What the analysis knows of a sub-pattern.
#[derive(Debug, Clone)]
struct Info {
    /// Every string the sub-pattern matches, when there are few.
    exact: Option<Vec<String>>,
    /// Literals one of which every match contains; `None`: nothing required.
    factor: Option<Vec<String>>,
    /// Sets of literals that every match holds one of each of (the pieces of a sequence).
    all: Vec<Vec<String>>,
}

/// Most literal sets one rule requires together.
const MAX_SETS: usize = 4;

/// The literal sets a match must hold one of each of, most selective first (at most
/// [`MAX_SETS`]; empty when nothing is required).
fn factor_sets_of(relaxed: &Hir) -> Vec<Vec<String>> {
    let info = analyse(relaxed);
    most_selective(info.all.into_iter().chain(usable(info.exact)).collect())
}

/// The [`MAX_SETS`] most selective of some required sets (any of them are still required).
fn most_selective(sets: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let mut sets: Vec<Vec<String>> = sets.into_iter().map(normalized).collect();
    sets.sort_by(|a, b| score(b).cmp(&score(a)).then(a.cmp(b)));
    sets.dedup();
    sets.truncate(MAX_SETS);
    sets
}

/// An exact set that can serve as a factor: not empty, and without the empty string.
fn usable(set: Option<Vec<String>>) -> Option<Vec<String>> {
    set.filter(|s| !s.is_empty() && s.iter().all(|x| !x.is_empty()))
}

/// How selective a factor set is: its shortest literal (longer is rarer), then fewer literals.
fn score(set: &[String]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(|s| s.chars().count()).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(set.len()))
}

fn best<I: IntoIterator<Item = Option<Vec<String>>>>(sets: I) -> Option<Vec<String>> {
    sets.into_iter().flatten().max_by_key(|s| score(s))
}

fn normalized(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

fn cross(a: &[String], b: &[String]) -> Option<Vec<String>> {
    let longest = |v: &[String]| v.iter().map(String::len).max().unwrap_or(0);
    // Bounded, or a pattern of many literal pieces would grow its runs quadratically.
    if a.len().saturating_mul(b.len()) > MAX_SET || longest(a) + longest(b) > MAX_LIT {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            out.push(format!("{x}{y}"));
        }
    }
    Some(normalized(out))
}

fn analyse(h: &Hir) -> Info {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => Info {
            exact: Some(vec![String::new()]),
            factor: None,
            all: Vec::new(),
        },
        HirKind::Literal(lit) => {
            let folded = std::str::from_utf8(&lit.0).ok().map(|s| {
                let mut f = String::new();
                fold_str(s, &mut f);
                f
            });
            // A long literal is required through its beginning as well (and the automaton
            // need not hold kilobytes of one rule's text).
            let factor = folded.as_ref().map(|f| {
                let mut end = f.len().min(MAX_LIT);
                while !f.is_char_boundary(end) {
                    end -= 1;
                }
                vec![f[..end].to_string()]
            });
            Info {
                exact: folded.filter(|f| f.len() <= MAX_LIT).map(|f| vec![f]),
                all: usable(factor.clone()).into_iter().collect(),
                factor,
            }
        }
        HirKind::Class(Class::Unicode(cls)) => {
            let count: usize = cls
                .iter()
                .map(|r| r.end() as usize - r.start() as usize + 1)
                .sum();
            let exact = (count <= MAX_CLASS).then(|| {
                normalized(
                    cls.iter()
                        .flat_map(|r| r.start()..=r.end())
                        .map(|c| fold(c).to_string())
                        .collect(),
                )
            });
            Info {
                factor: exact.clone(),
                all: usable(exact.clone()).into_iter().collect(),
                exact,
            }
        }
        HirKind::Class(Class::Bytes(_)) => Info {
            exact: None,
            factor: None,
            all: Vec::new(),
        },
        HirKind::Capture(c) => analyse(&c.sub),
        HirKind::Repetition(rep) => {
            let sub = analyse(&rep.sub);
            let exact = match (rep.min, rep.max) {
                (1, Some(1)) => sub.exact.clone(),
                (0, Some(1)) => sub.exact.clone().map(|mut e| {
                    e.push(String::new());
                    normalized(e)
                }),
                _ => None,
            };
            let (factor, all) = if rep.min >= 1 {
                let mut all = sub.all;
                all.extend(usable(sub.exact.clone()));
                (best([sub.factor, usable(sub.exact)]), all)
            } else {
                (None, Vec::new())
            };
            Info { exact, factor, all }
        }
        HirKind::Concat(children) => {
            let infos: Vec<Info> = children.iter().map(analyse).collect();
            let mut candidates: Vec<Option<Vec<String>>> = Vec::new();
            // Runs of children with exact sets, joined into longer literals.
            let mut run: Option<Vec<String>> = Some(vec![String::new()]);
            let mut whole: Option<Vec<String>> = Some(vec![String::new()]);
            for info in &infos {
                candidates.push(info.factor.clone());
                match &info.exact {
                    Some(e) => {
                        run = match &run {
                            Some(r) => cross(r, e),
                            None => None,
                        };
                        if run.is_none() {
                            // Too many strings: start a new run at this child.
                            run = Some(e.clone());
                        }
                        whole = whole.as_ref().and_then(|w| cross(w, e));
                    }
                    None => {
                        candidates.push(usable(run.take()));
                        run = Some(vec![String::new()]);
                        whole = None;
                    }
                }
                candidates.push(usable(run.clone()));
            }
            // Every child must match: their required sets all hold, and so do the runs.
            // Kept short at every level: long patterns nest deeply.
            let all = most_selective(
                infos
                    .into_iter()
                    .flat_map(|i| i.all)
                    .chain(candidates.iter().flatten().cloned())
                    .collect(),
            );
            Info {
                factor: best(candidates),
                exact: whole,
                all,
            }
        }
        HirKind::Alternation(children) => {
            let infos: Vec<Info> = children.iter().map(analyse).collect();
            let mut exact: Option<Vec<String>> = Some(Vec::new());
            let mut factor: Option<Vec<String>> = Some(Vec::new());
            for info in &infos {
                exact = match (exact, &info.exact) {
                    (Some(mut a), Some(e)) if a.len() + e.len() <= MAX_SET => {
                        a.extend(e.iter().cloned());
                        Some(a)
                    }
                    _ => None,
                };
                let own = best([info.factor.clone(), usable(info.exact.clone())]);
                factor = match (factor, own) {
                    (Some(mut a), Some(f)) => {
                        a.extend(f);
                        Some(a)
                    }
                    _ => None,
                };
            }
            let factor = factor.map(normalized);
            Info {
                exact: exact.map(normalized),
                all: factor.clone().into_iter().collect(),
                factor,
            }
        }
    }
}

/// A rule's factor sets with their bit numbers (eight at most: the bits of a `u8`).
fn set_bits(f: &[Vec<String>]) -> impl Iterator<Item = (usize, &Vec<String>)> {
    f.iter().take(8).enumerate()
}

/// The factors of all rules and vetoes of one language in one automaton.
#[derive(Debug)]
pub struct Prefilter {
    ac: AhoCorasick,
    /// For each literal, the rules that require it, with the bit of the set it belongs to.
    lit_rules: Vec<Vec<(u32, u8)>>,
    /// For each literal, the vetoes that require it, likewise.
    lit_vetoes: Vec<Vec<(u32, u8)>>,
    /// For each rule, the bits of all its sets (0: it runs everywhere).
    full: Vec<u8>,
    /// For each veto, likewise.
    full_veto: Vec<u8>,
}

/// Which rules may match where in one document.
#[derive(Debug)]
pub struct Hits<'p> {
    /// The document, case-folded.
    pub folded: String,
    /// Byte offsets in `folded` are byte offsets in the document (see [`fold_str`]).
    pub aligned: bool,
    /// The sets found, one row of rules per paragraph.
    para_rules: Vec<u8>,
    /// The sets found of each veto, in the whole document.
    vetoes: Vec<u8>,
    pf: &'p Prefilter,
}

impl Hits<'_> {
    /// May rule `ri` match in paragraph `para`?
    pub fn rule(&self, para: usize, ri: usize) -> bool {
        let full = &self.pf.full;
        self.para_rules
            .get(para * full.len() + ri)
            .is_none_or(|&m| Some(&m) == full.get(ri))
    }

    /// May veto `vi` match somewhere in the document?
    pub fn veto(&self, vi: usize) -> bool {
        self.vetoes
            .get(vi)
            .is_none_or(|&m| Some(&m) == self.pf.full_veto.get(vi))
    }
}

impl Prefilter {
    /// `rule_factors[i]` and `veto_factors[i]`: the factor sets of rule / veto `i` (at most
    /// eight; none: it runs everywhere).
    pub fn new(
        rule_factors: &[Vec<Vec<String>>],
        veto_factors: &[Vec<Vec<String>>],
    ) -> Option<Prefilter> {
        type Owners = Vec<Vec<(u32, u8)>>;
        let mut lits: Vec<String> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = Default::default();
        let mut lit_rules: Owners = Vec::new();
        let mut lit_vetoes: Owners = Vec::new();
        let mut add = |lit: &String, lit_rules: &mut Owners, lit_vetoes: &mut Owners| {
            *index.entry(lit.clone()).or_insert_with(|| {
                lits.push(lit.clone());
                lit_rules.push(Vec::new());
                lit_vetoes.push(Vec::new());
                lits.len() - 1
            })
        };
        for (i, f) in rule_factors.iter().enumerate() {
            for (bit, set) in set_bits(f) {
                for lit in set {
                    let li = add(lit, &mut lit_rules, &mut lit_vetoes);
                    lit_rules[li].push((i as u32, 1 << bit));
                }
            }
        }
        for (i, f) in veto_factors.iter().enumerate() {
            for (bit, set) in set_bits(f) {
                for lit in set {
                    let li = add(lit, &mut lit_rules, &mut lit_vetoes);
                    lit_vetoes[li].push((i as u32, 1 << bit));
                }
            }
        }
        let full = |f: &Vec<Vec<String>>| set_bits(f).fold(0u8, |m, (bit, _)| m | 1 << bit);
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&lits)
            .or_else(|_| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&lits)
            })
            .ok()?;
        Some(Prefilter {
            ac,
            lit_rules,
            lit_vetoes,
            full: rule_factors.iter().map(full).collect(),
            full_veto: veto_factors.iter().map(full).collect(),
        })
    }

    /// Fold `text` (whose paragraphs are separated by '\n') and scan it once.
    pub fn scan(&self, text: &str) -> Hits<'_> {
        let mut folded = String::new();
        let aligned = fold_str(text, &mut folded);
        let rules = self.full.len();
        let paras = folded.bytes().filter(|&b| b == b'\n').count() + 1;
        let mut para_rules = vec![0u8; paras * rules];
        let mut vetoes = vec![0u8; self.full_veto.len()];
        // Paragraph starts in the folded text ('\n' folds to itself and nothing folds to it).
        let mut para = 0usize;
        let mut next_nl = folded.find('\n').unwrap_or(folded.len());
        // The last paragraph each literal was credited to, to skip repeats.
        let mut last = vec![usize::MAX; self.lit_rules.len()];
        for m in self.ac.find_overlapping_iter(folded.as_str()) {
            // Matches come in order of their end; find the paragraph of the start.
            while m.start() > next_nl {
                para += 1;
                next_nl = folded[next_nl + 1..]
                    .find('\n')
                    .map(|i| next_nl + 1 + i)
                    .unwrap_or(folded.len());
            }
            let p = if m.start() == next_nl { para + 1 } else { para };
            let li = m.pattern().as_usize();
            if last[li] == p {
                continue;
            }
            if last[li] == usize::MAX {
                for &(v, bit) in &self.lit_vetoes[li] {
                    vetoes[v as usize] |= bit;
                }
            }
            last[li] = p;
            let row = &mut para_rules[p.min(paras - 1) * rules..];
            for &(r, bit) in &self.lit_rules[li] {
                row[r as usize] |= bit;
            }
        }
        Hits {
            folded,
            aligned,
            para_rules,
            vetoes,
            pf: self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The most selective literal set of a pattern (parsed as rules are: case-insensitive).
    fn f(p: &str) -> Option<Vec<String>> {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(p)
            .ok()?;
        factor_sets_of(&relax_hir(&hir, true, true))
            .into_iter()
            .next()
    }

    /// Literals as the analysis gives them: folded and sorted.
    fn lits(words: &[&str]) -> Option<Vec<String>> {
        Some(normalized(
            words
                .iter()
                .map(|w| {
                    let mut o = String::new();
                    fold_str(w, &mut o);
                    o
                })
                .collect(),
        ))
    }

    /// Literal starts that seldom begin a match are checked with the relaxed form once
    /// [`POOR_AFTER`] tries have shown it, and only then: the starts that go are those where
    /// no match can begin.
    #[test]
    fn poor_literal_starts_are_checked_after_enough_failed_tries() {
        let r = Relaxed::new(r"\b(?:anh|chị)\s+\p{Lu}\p{Ll}+", false).expect("relaxed");
        let Starts::Literals(lits) = &r.search else {
            panic!("no start literals");
        };
        let text = "thanh niên, anh em và chị em; anh Nam, chị Hoa";
        let mut folded = String::new();
        fold_str(text, &mut folded);
        let every = |r: &Relaxed| {
            let (mut out, mut pos, mut scratch) = (Vec::new(), 0, None);
            while let Some(s) = r.next_start(&mut scratch, text, &folded, pos) {
                out.push(s);
                pos = s + 1;
            }
            out
        };
        let at = |w: &str| text.find(w).expect("in text");
        // Every occurrence of a literal, inside a word too ("thanh").
        let all = every(&r);
        assert_eq!(all.len(), 5, "{all:?}");
        assert!(all.contains(&at("anh niên")));
        // Matches often enough: no switch (one in 16 is enough).
        for i in 0..POOR_AFTER * 2 {
            r.record_try(i % POOR_RATIO == 0);
        }
        assert!(!lits.switched());
        assert_eq!(every(&r), all);
        // Fails in more than 15 tries in 16 from then on: the starts are checked.
        for _ in 0..POOR_AFTER * POOR_RATIO {
            r.record_try(false);
        }
        assert!(lits.switched());
        assert_eq!(every(&r), vec![at("anh Nam"), at("chị Hoa")]);
        // It reports the DFA it built.
        assert!(r.memory_usage().0 > lits.pre.memory_usage());
    }

    #[test]
    fn start_literals_stand_for_starts_only_when_long_and_few() {
        let find = |pattern: &str, hay: &str| {
            let r = Relaxed::new(pattern, true).expect("relaxed");
            let Starts::Literals(lits) = r.search else {
                panic!("{pattern}: no start literals");
            };
            let pre = &lits.pre;
            let mut folded = String::new();
            fold_str(hay, &mut folded);
            pre.find(
                folded.as_bytes(),
                regex_automata::Span::from(0..folded.len()),
            )
            .map(|m| m.start)
        };
        // Folded needles over folded text; the occurrence that starts first wins, even when
        // another ends first ("khối thi đua" begins before "thi").
        assert_eq!(find(r"\b(?:pan|tovarysh)\s+\w+", "x pan y"), Some(2));
        assert_eq!(
            find(r"(?:khối thi đua|thi)\s+\w+", "ở khối thi đua"),
            Some(4)
        );
        // A digit, a one-letter start or an unbounded class: the relaxed form finds starts.
        for p in [r"\d+\s+tháng", r"(?:a|bcd)x", r"\w+\s+khối"] {
            let r = Relaxed::new(p, true).expect("relaxed");
            assert!(matches!(r.search, Starts::Regex(_)), "{p}");
        }
    }

    #[test]
    fn factors_come_from_the_middle_of_a_pattern() {
        assert_eq!(
            f(r"(?P<day>\d{1,2})\s+Tháng\s+(?P<month>\d{1,2})"),
            lits(&["tháng"])
        );
        // An alternation of words is a factor set of its own.
        assert_eq!(
            f(r"\d+\s+(?:января|февраля|Марта)"),
            lits(&["января", "февраля", "марта"])
        );
        // The longest required piece wins over a shorter one.
        assert_eq!(f(r"ngày\s+\d+\s+khối thi đua"), lits(&["khối thi đua"]));
    }

    #[test]
    fn optional_parts_and_bare_classes_give_no_factor() {
        assert_eq!(f(r"\d+(?:\s+tỷ)?"), None);
        assert_eq!(f(r"\p{Lu}\w+"), None);
        assert_eq!(f(r"(?:khối|\d+)"), None);
        assert_eq!(f(r"(?:abc)*"), None);
        assert_eq!(f(r"("), None);
    }

    #[test]
    fn small_classes_join_the_literal_next_to_them() {
        assert_eq!(f(r"[Qq]uý\s+\d"), lits(&["quý"]));
        assert_eq!(f(r"s[ởơ]\s+\d"), lits(&["sơ", "sở"]));
    }

    #[test]
    fn folding_agrees_with_the_regex_crates_case_classes() {
        // Every character folds to the same representative as every character that `(?i)`
        // treats as the same letter; otherwise the prefilter could skip a real match.
        use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
        for cp in 0u32..0x1F_FFF {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut cls = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
            cls.case_fold_simple();
            for r in cls.iter() {
                for d in r.start()..=r.end() {
                    assert_eq!(fold(c), fold(d), "{c:?} (U+{cp:04X}) and {d:?} fold apart");
                }
            }
        }
    }

    /// The relaxed form's regex, built whether or not its starts come from literals.
    fn relaxed_re(pattern: &str, case_insensitive: bool) -> regex_automata::meta::Regex {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(case_insensitive)
            .build()
            .parse(pattern)
            .expect("pattern parses");
        built(relax_hir(&hir, case_insensitive, true))
    }

    /// A relaxed form's regex, built now.
    fn built(relaxed: Hir) -> regex_automata::meta::Regex {
        relaxed_regex(&relaxed)
            .and_then(|d| d.get().cloned())
            .expect("relaxed regex builds")
    }

    #[test]
    fn relaxed_form_matches_folded_text_without_word_boundaries() {
        let p = r"\bquý\s+(?P<q>\d)\b";
        let (r, re) = (Relaxed::new(p, true).expect("relaxed"), relaxed_re(p, true));
        let mut folded = String::new();
        assert!(fold_str("Trong QUÝ 3 năm nay", &mut folded));
        assert!(re.is_match(folded.as_str()) && r.may_match(&mut None, "", &folded));
        // Without the boundaries it also matches inside a word (a superset, as it must be).
        fold_str("xquý 3", &mut folded);
        assert!(re.is_match(folded.as_str()) && r.may_match(&mut None, "", &folded));
        fold_str("tháng 3", &mut folded);
        assert!(!re.is_match(folded.as_str()) && !r.may_match(&mut None, "", &folded));
        assert!(r.nonempty);
        assert_eq!(r.factors.first().cloned(), lits(&["quý"]));
        // A case-sensitive rule stays a superset too: its folded form matches folded text.
        let cs = relaxed_re(r"Khối\s+\d", false);
        fold_str("Khối 5", &mut folded);
        assert!(cs.is_match(folded.as_str()));
        assert!(!Relaxed::new(r"\d*", true).expect("relaxed").nonempty);
    }

    #[test]
    fn a_case_sensitive_pattern_looks_for_starts_in_the_text_with_its_case() {
        // A title before a capitalized name: over folded text every "anh" would be a start.
        // ("em" is too short for start literals: the relaxed form's regex finds the starts.)
        let p = r"\b(?:anh|em)\s+\p{Lu}\p{Ll}+";
        let r = Relaxed::new(p, false).expect("relaxed");
        assert!(r.on_text && matches!(r.search, Starts::Regex(_)));
        let text = "anh nam nói, anh Nam đến";
        let mut folded = String::new();
        assert!(fold_str(text, &mut folded));
        assert_eq!(r.next_start(&mut None, text, &folded, 0), text.rfind("anh"));
        assert!(!r.may_match(&mut None, "anh nam nói", "ANH NAM NÓI"));
        // The prefilter's literals stay folded: it scans the folded text.
        assert_eq!(r.factors.first().cloned(), lits(&["anh", "em"]));
        // A case-insensitive pattern keeps to the folded text.
        let ci = Relaxed::new(p, true).expect("relaxed");
        assert!(!ci.on_text);
        assert_eq!(ci.next_start(&mut None, text, &folded, 0), Some(0));
    }

    #[test]
    fn a_large_class_turns_coarse_outside_the_scripts_only() {
        let class = |src: &str| match regex_syntax::parse(src).map(|h| h.into_kind()) {
            Ok(HirKind::Class(Class::Unicode(c))) => c,
            other => panic!("{src}: {other:?}"),
        };
        let has = |c: &regex_syntax::hir::ClassUnicode, ch: char| {
            let ranges = c.ranges();
            let i = ranges.partition_point(|r| r.end() < ch);
            ranges.get(i).is_some_and(|r| r.start() <= ch)
        };
        let in_scripts = |ch: char| SCRIPTS.iter().any(|&(a, b)| a <= ch && ch <= b);
        for src in [r"\p{L}", r"\p{Lu}", r"\w", r"[^\s\d]"] {
            let (exact, rough) = (class(src), coarse(&class(src)));
            for ch in (0..=0x10FFFFu32).step_by(3).filter_map(char::from_u32) {
                // A superset: whatever the class holds, the coarse one holds.
                assert!(!has(&exact, ch) || has(&rough, ch), "{src} lost {ch:?}");
                // Exact within the scripts: a lower-case Cyrillic letter is no \p{Lu}.
                if in_scripts(ch) {
                    assert_eq!(has(&exact, ch), has(&rough, ch), "{src} at {ch:?}");
                }
            }
            assert!(rough.ranges().len() < exact.ranges().len(), "{src}");
        }
        // In a relaxed form over the text: capitals stay capitals.
        let hir = regex_syntax::parse(r"пан\s+\p{Lu}\p{Ll}+").unwrap();
        let on_text = built(relax_hir(&hir, false, false));
        assert!(on_text.is_match("пан Хоанг") && !on_text.is_match("пан хоанг"));
    }

    #[test]
    fn long_bounded_repetitions_become_unbounded_in_the_relaxed_form() {
        let r = relaxed_re(r"là[^\n]{0,400}?khối", true);
        let mut folded = String::new();
        fold_str(&format!("là {} khối", "x".repeat(500)), &mut folded);
        assert!(
            r.is_match(folded.as_str()),
            "a superset of the exact matches"
        );
        // Short ones stay: two digits are not three.
        let d = relaxed_re(r"ngày \d{1,2}\b", true);
        fold_str("ngày 123", &mut folded);
        assert_eq!(
            d.find(folded.as_str()).map(|m| m.len()),
            Some("ngày 12".len())
        );
    }

    #[test]
    fn a_sequence_requires_each_of_its_pieces() {
        let r = Relaxed::new(r"\d+\s+tháng\s+\d+\s+năm\s+\d{4}", true).expect("relaxed");
        assert_eq!(r.factors.len(), 2, "{:?}", r.factors);
        let pf = Prefilter::new(&[r.factors], &[]).expect("automaton");
        let h = pf.scan("ngày 5 tháng 3\nngày 5 tháng 3 năm 2024\nnăm nay");
        assert!(!h.rule(0, 0) && h.rule(1, 0) && !h.rule(2, 0));
    }

    #[test]
    fn scan_marks_rules_per_paragraph() {
        let set = |w: &[&str]| lits(w).into_iter().collect::<Vec<_>>();
        let rf = vec![set(&["tháng"]), Vec::new(), set(&["khối"])];
        let vf = vec![set(&["khối"]), set(&["zzz"])];
        let pf = Prefilter::new(&rf, &vf).expect("automaton");
        let h = pf.scan("Ngày 5 THÁNG 3\nKhối thi đua\nkhông có gì");
        assert!(h.rule(0, 0) && !h.rule(1, 0) && !h.rule(2, 0));
        assert!(h.rule(0, 1) && h.rule(1, 1) && h.rule(2, 1));
        assert!(!h.rule(0, 2) && h.rule(1, 2) && !h.rule(2, 2));
        assert!(h.veto(0) && !h.veto(1));
    }
}
