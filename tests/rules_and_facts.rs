//! Rule files and the facts they produce: `thidua rules check` on good and broken rule
//! directories, the span invariant over real-looking articles, and scores against gold.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seeds() -> Option<PathBuf> {
    let p = repo().join("../shared/seeds");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("note: ../shared/seeds not found; seed checks skipped");
        None
    }
}

/// A copy of the repository's rules/ in a temporary directory.
fn copy_rules(dir: &Path) -> PathBuf {
    let dest = dir.join("rules");
    for entry in walk(&repo().join("rules")) {
        let rel = entry
            .strip_prefix(repo().join("rules"))
            .expect("under rules/");
        let to = dest.join(rel);
        fs::create_dir_all(to.parent().expect("has a parent")).expect("mkdir");
        fs::copy(&entry, &to).expect("copy rule file");
    }
    dest
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).expect("readable dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn rules_check(dir: &Path) -> (bool, String, String) {
    let out = thidua()
        .args(["rules", "check"])
        .arg(dir)
        .output()
        .expect("thidua rules check runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn built_in_rules_pass_their_own_examples() {
    let out = thidua().args(["rules", "check"]).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "rules check failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("all pass"), "{stdout}");
    // The same rules from a directory give the same verdict.
    let tmp = tempdir();
    let (ok, stdout, stderr) = rules_check(&copy_rules(tmp.path()));
    assert!(ok, "{stderr}");
    assert!(stdout.contains("all pass"));
}

/// Break one rule file in a copy of the rules and expect `rules check` to name file and rule.
fn broken(file: &str, from: &str, to: &str, expect_in_stderr: &[&str]) {
    let tmp = tempdir();
    let rules = copy_rules(tmp.path());
    let path = rules.join(file);
    let text = fs::read_to_string(&path).expect("rule file");
    assert!(
        text.contains(from),
        "test setup: {file} no longer contains {from:?}"
    );
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
    let (ok, _, stderr) = rules_check(&rules);
    assert!(
        !ok,
        "a broken rules directory must be refused ({file}: {from:?} → {to:?})"
    );
    for needle in expect_in_stderr {
        assert!(
            stderr.contains(needle),
            "stderr should mention {needle:?}:\n{stderr}"
        );
    }
    // extract refuses to run with them too, with a one-line reason and a non-zero exit.
    let out = thidua()
        .arg("extract")
        .arg(repo().join("corpus"))
        .arg("-o")
        .arg(tmp.path().join("out"))
        .arg("--rules")
        .arg(&rules)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(!tmp.path().join("out/documents.jsonl").exists());
}

#[test]
fn unclosed_group_is_refused_with_file_and_rule() {
    broken(
        "vi/dates.toml",
        "pattern = '{lead}\\b(?P<day>{day}){sep}",
        "pattern = '{lead}\\b((?P<day>{day}){sep}",
        &["vi/dates.toml", "vi.date.dmy_numeric", "bad pattern"],
    );
}

/// A named pattern is compiled on its own for rules being written (`rules check`, `--rules`),
/// so one that no rule uses yet is still reported under its own name. (The built-in rules skip
/// that compile at start-up: they passed `rules check` before they shipped.)
#[test]
fn broken_named_pattern_no_rule_uses_is_refused_with_its_name() {
    broken(
        "vi/dates.toml",
        "[patterns]\n",
        "[patterns]\nnot_used_yet = '(?:0?[1-9]'\n",
        &["vi/dates.toml", "patterns.not_used_yet"],
    );
}

#[test]
fn unknown_lexicon_is_refused_with_file_and_rule() {
    broken(
        "vi/periods.toml",
        "(?P<quarter>{lex:quarter})",
        "(?P<quarter>{lex:quarters_typo})",
        &["vi/periods.toml", "vi.period.quarter", "unknown lexicon"],
    );
}

#[test]
fn missing_id_is_refused_with_file_and_line() {
    broken(
        "vi/periods.toml",
        "id = \"vi.period.month\"\n",
        "",
        &["vi/periods.toml", "id"],
    );
}

#[test]
fn failing_example_is_reported_with_rule() {
    let tmp = tempdir();
    let rules = copy_rules(tmp.path());
    let path = rules.join("vi/periods.toml");
    let text = fs::read_to_string(&path).expect("rule file");
    fs::write(
        &path,
        text.replacen("value = \"2023-H1\"", "value = \"2023-H2\"", 1),
    )
    .expect("write");
    let (ok, _, stderr) = rules_check(&rules);
    assert!(!ok);
    assert!(
        stderr.contains("vi.period.half") && stderr.contains("2023-H2"),
        "{stderr}"
    );
}

/// Extract the corpus (and the seeds when present) once.
fn corpus_and_seeds(tmp: &Path) -> Vec<Extract> {
    let mut runs = vec![extract(
        &[&repo().join("corpus")],
        &tmp.join("corpus"),
        &["-q"],
    )];
    if let Some(s) = seeds() {
        runs.push(extract(&[&s], &tmp.join("seeds"), &["-q"]));
    }
    runs
}

#[test]
fn every_fact_span_is_exactly_its_text() {
    let tmp = tempdir();
    for run in corpus_and_seeds(tmp.path()) {
        let docs = run.documents();
        let facts = run.facts();
        assert!(!facts.is_empty(), "no facts at all in {:?}", run.out);
        check_facts_against_documents(&docs, &facts);
        // Every language with articles yields facts.
        for lang in ["vi", "ru", "uk", "pt", "ko"] {
            let ids: Vec<&str> = docs
                .iter()
                .filter(|d| s(d, "lang") == lang)
                .map(|d| s(d, "doc_id"))
                .collect();
            if !ids.is_empty() {
                assert!(
                    facts.iter().any(|f| ids.contains(&s(f, "doc_id"))),
                    "no facts for {lang} documents in {:?}",
                    run.out
                );
            }
        }
    }
}

fn score(gold: &Path, out: &Path) -> thidua::eval::Report {
    let g = thidua::eval::read_gold(gold).expect("gold file");
    thidua::eval::evaluate(&g, out).expect("evaluates")
}

#[test]
fn seeds_dates_and_periods_are_exact() {
    let Some(seeds) = seeds() else { return };
    let tmp = tempdir();
    let run = extract(&[&seeds], &tmp.path().join("out"), &["-q"]);
    let report = score(&seeds.join("gold.jsonl"), &run.out);
    for kind in ["date", "period"] {
        let c = report.counts(kind, "all");
        assert!(
            c.fp == 0 && c.fn_ == 0,
            "{kind} on the seeds: {c:?}\n{}",
            report.render(true)
        );
    }
}

#[test]
fn corpus_dates_and_periods_score_at_least_097_in_every_language() {
    let tmp = tempdir();
    let run = extract(&[&repo().join("corpus")], &tmp.path().join("out"), &["-q"]);
    let report = score(&repo().join("corpus/gold.jsonl"), &run.out);
    let mut failures = Vec::new();
    for kind in ["date", "period"] {
        for lang in ["vi", "ru", "uk", "pt", "ko"] {
            let c = report.counts(kind, lang);
            if c.tp + c.fn_ == 0 {
                failures.push(format!("{kind}/{lang}: no gold values"));
            } else if c.f1() < 0.97 {
                failures.push(format!("{kind}/{lang}: F1 {:.3} ({c:?})", c.f1()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n{}",
        failures.join("\n"),
        report.render(true)
    );
}

#[test]
fn all_kinds_score_at_least_095_on_seeds_and_in_every_corpus_language() {
    let tmp = tempdir();
    let mut failures = Vec::new();
    let run = extract(
        &[&repo().join("corpus")],
        &tmp.path().join("corpus"),
        &["-q"],
    );
    let report = score(&repo().join("corpus/gold.jsonl"), &run.out);
    for lang in ["vi", "ru", "uk", "pt", "ko"] {
        let c = report.counts("all", lang);
        if c.f1() < 0.95 {
            failures.push(format!("corpus {lang}: micro F1 {:.3} ({c:?})", c.f1()));
        }
    }
    if let Some(seeds) = seeds() {
        let run = extract(&[&seeds], &tmp.path().join("seeds"), &["-q"]);
        let report = score(&seeds.join("gold.jsonl"), &run.out);
        let c = report.counts("all", "all");
        if c.f1() < 0.95 {
            failures.push(format!(
                "seeds: micro F1 {:.3} ({c:?})\n{}",
                c.f1(),
                report.render(true)
            ));
        }
        // Every document field the seed gold gives (002's province is known only from the
        // names of a district and a commune: the district gazetteer).
        for (field, (ok, n)) in &report.fields {
            if ok < n {
                failures.push(format!("seeds: doc.{field} right in {ok}/{n}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A linguist adds a bloc rendering and an award name — data only — and both are extracted.
#[test]
fn new_bloc_rendering_and_award_name_need_only_rule_files() {
    let tmp = tempdir();
    let rules = copy_rules(tmp.path());
    let article = "Hôm nay, Liên minh thi đua các trường nghề tỉnh tổ chức hội nghị tổng kết năm 2024. \
                   Hội nghị đề nghị UBND tỉnh tặng Huy hiệu Bông sen vàng cho Trường Cao đẳng Nghề.";
    let input = write(
        tmp.path(),
        "new.txt",
        format!("Tin thi đua\n{article}\nNguyễn An\n"),
    );
    let before = extract(
        &[&input],
        &tmp.path().join("before"),
        &["-q", "--rules", rules.to_str().expect("utf-8 path")],
    );
    let has = |run: &Extract, kind: &str, value: &str| {
        run.facts()
            .iter()
            .any(|f| s(f, "kind") == kind && s(f, "value") == value)
    };
    assert!(!has(
        &before,
        "bloc",
        "Liên minh thi đua các trường nghề tỉnh"
    ));
    // 1. a new bloc rendering, as a rule with its example;
    fs::write(
        rules.join("vi/new_bloc.toml"),
        r#"[[rule]]
id = "vi.bloc.lien_minh"
kind = "bloc"
pattern = '(?P<name>\bLiên minh thi đua[^.;:()\n]*)'
value = "{name}"
stop = "bloc_stop"
case_sensitive = true
examples = [{ text = "Liên minh thi đua các hợp tác xã tổ chức hội nghị", value = "Liên minh thi đua các hợp tác xã" }]
"#,
    )
    .expect("write rule");
    // 2. a new award name, as a gazetteer entry.
    fs::write(
        rules.join("common/new_award.toml"),
        r#"[[gazetteer]]
lexicon = "award"
id = "golden_lotus_badge"
value = "other"
names = { vi = ["Huy hiệu Bông sen vàng"] }
"#,
    )
    .expect("write gazetteer");
    let (ok, _, stderr) = rules_check(&rules);
    assert!(ok, "{stderr}");
    let after = extract(
        &[&input],
        &tmp.path().join("after"),
        &["-q", "--rules", rules.to_str().expect("utf-8 path")],
    );
    assert!(
        has(&after, "bloc", "Liên minh thi đua các trường nghề tỉnh"),
        "{:?}",
        after.facts()
    );
    let award = after
        .facts()
        .into_iter()
        .find(|f| s(f, "kind") == "award" && s(f, "text") == "Huy hiệu Bông sen vàng")
        .expect("the new award name is extracted");
    assert_eq!(s(&award, "value"), "other");
    assert_eq!(award["attrs"]["status"], "proposed");
}

/// A bloc the gazetteer knows gets its Vietnamese name and id, whatever language named it.
#[test]
fn known_blocs_get_their_canonical_vietnamese_name() {
    let tmp = tempdir();
    let run = extract(
        &[&repo().join("corpus/pt")],
        &tmp.path().join("out"),
        &["-q"],
    );
    let facts = run.facts();
    let bloc = facts
        .iter()
        .find(|f| {
            s(f, "kind") == "bloc" && f["attrs"]["gazetteer_id"] == "central_highlands_provinces"
        })
        .expect("the Central Highlands bloc of pt/05 is recognised");
    assert_eq!(s(bloc, "value"), "Khối thi đua các tỉnh Tây Nguyên");
    assert!(s(bloc, "text").starts_with("Bloco de Emulação"));
    assert_eq!(bloc["attrs"]["surface"].as_str(), Some(s(bloc, "text")));
    // Blocs the gazetteer does not know keep the name as written, with no id.
    assert!(facts
        .iter()
        .any(|f| s(f, "kind") == "bloc" && f["attrs"]["gazetteer_id"].is_null()));
}

/// The built-in rules compile each language at its first document: a run over one language
/// never compiles the others, and a language compiled then is the one `rules check` compiles
/// at once (same rules, same facts on every corpus article).
mod lazy_languages {
    use std::path::Path;

    use thidua::rules::embedded_sources;
    use thidua::source::{Form, Payload, RawUnit, UnitMeta};
    use thidua::{Options, Pipeline, RuleSet};

    /// Every plain-text article of corpus/ with its language (its folder).
    fn corpus_texts() -> Vec<(String, String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut out = Vec::new();
        for lang in ["vi", "ru", "uk", "pt", "ko"] {
            let mut files: Vec<_> = std::fs::read_dir(root.join(lang))
                .expect("a corpus folder per language")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect();
            files.sort();
            for p in files {
                let text = std::fs::read_to_string(&p).expect("corpus text");
                out.push((lang.to_string(), p.display().to_string(), text));
            }
        }
        out
    }

    fn unit(name: &str, text: &str) -> RawUnit {
        RawUnit::ok(
            name.into(),
            text.as_bytes(),
            Payload::Text(text.to_string()),
            Form::Text,
            UnitMeta::default(),
        )
    }

    #[test]
    fn a_run_over_one_language_compiles_that_language_only() {
        let texts = corpus_texts();
        let pipeline = Pipeline::new(
            RuleSet::embedded().expect("built-in rules"),
            Options::default(),
        );
        assert!(
            pipeline.rules.extract.compiled_langs().is_empty(),
            "languages compiled before any document: {:?}",
            pipeline.rules.extract.compiled_langs()
        );
        let mut facts = 0;
        for (_, name, text) in texts.iter().filter(|(l, _, _)| l == "vi") {
            let r = pipeline.process(unit(name, text));
            assert_eq!(r.document.lang, "vi", "{name}");
            facts += r.facts.len();
        }
        assert!(facts > 0, "no facts from the Vietnamese articles");
        assert_eq!(pipeline.rules.extract.compiled_langs(), ["vi"]);
        // A Russian article then compiles Russian, and nothing else.
        let (_, name, text) =
            (texts.iter().find(|(l, _, _)| l == "ru")).expect("a Russian article");
        assert!(!pipeline.process(unit(name, text)).facts.is_empty());
        assert_eq!(pipeline.rules.extract.compiled_langs(), ["ru", "vi"]);
    }

    #[test]
    fn a_language_compiled_at_its_first_document_is_the_one_compiled_at_once() {
        let later = RuleSet::embedded().expect("built-in rules");
        let now = RuleSet::from_sources(&embedded_sources()).expect("built-in rules, checked");
        let codes: Vec<&str> = now.extract.all_langs().map(|(c, _)| c).collect();
        assert_eq!(codes, ["ko", "pt", "ru", "uk", "vi"]);
        assert_eq!(
            now.extract.compiled_langs(),
            codes,
            "rules check compiles every language"
        );
        for (code, a) in now.extract.all_langs() {
            let b = later.extract.lang(code).expect("compiled later");
            let ids = |l: &thidua::rules::engine::LangRules| {
                let rules = l.rules.iter().map(|r| r.id.clone());
                rules
                    .chain(l.vetoes.iter().map(|v| v.id.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(ids(a), ids(b), "{code}: rules and vetoes");
            assert!(!ids(a).is_empty(), "{code}: no rules");
            let lexicons = |l: &thidua::rules::engine::LangRules| {
                (l.lexicons.iter())
                    .map(|(k, v)| (k.clone(), v.len()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(lexicons(a), lexicons(b), "{code}: lexicons");
        }
        let (now, later) = (
            Pipeline::new(now, Options::default()),
            Pipeline::new(later, Options::default()),
        );
        let json = |r: &thidua::Record| serde_json::to_string(&r.facts).expect("facts serialize");
        for (_, name, text) in corpus_texts() {
            let (a, b) = (
                now.process(unit(&name, &text)),
                later.process(unit(&name, &text)),
            );
            assert_eq!(json(&a), json(&b), "{name}");
        }
    }
}
