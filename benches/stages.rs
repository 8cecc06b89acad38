//! Per-stage throughput on the corpus articles: `cargo bench` (criterion) prints MB/s of each
//! stage, so a change can be judged stage by stage. The whole-run figures (documents/s, -j 1 vs
//! -j 2, peak RSS) come from bench/throughput.sh.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use thidua::source::{Form, Payload, RawUnit, UnitMeta};
use thidua::{article, clean, decode, extract, lang, segment, Pipeline, RuleSet};

/// (file name, bytes) of every corpus article.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let Ok(e) = e else { continue };
        let name = e.path().display().to_string();
        if name.ends_with(".html") || name.ends_with(".txt") {
            if let Ok(b) = std::fs::read(e.path()) {
                out.push((name, b));
            }
        }
    }
    out
}

fn stages(c: &mut Criterion) {
    let rules = RuleSet::embedded().expect("built-in rules compile");
    let files = corpus();
    let total: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    let html: Vec<String> = files
        .iter()
        .filter(|(n, _)| n.ends_with(".html"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    let html_bytes: u64 = html.iter().map(|h| h.len() as u64).sum();
    let texts: Vec<String> = files
        .iter()
        .filter(|(n, _)| n.ends_with(".txt"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    let text_bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();

    let mut g = c.benchmark_group("stages");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(total));
    g.bench_function("decode", |b| {
        b.iter(|| {
            for (_, bytes) in &files {
                let _ = decode::decode(bytes, &[], &rules.legacy);
            }
        })
    });
    g.throughput(Throughput::Bytes(html_bytes));
    g.bench_function("html_main_text", |b| {
        b.iter(|| {
            for h in &html {
                let _ = article::from_html(h, &rules.chrome);
            }
        })
    });
    let paragraphs: Vec<Vec<String>> = html
        .iter()
        .map(|h| article::from_html(h, &rules.chrome).paragraphs)
        .chain(texts.iter().map(|t| article::from_text(t).paragraphs))
        .collect();
    let para_bytes: u64 = paragraphs.iter().flatten().map(|p| p.len() as u64).sum();
    g.throughput(Throughput::Bytes(para_bytes));
    g.bench_function("clean", |b| {
        b.iter(|| {
            for p in &paragraphs {
                let _ = clean::clean(p, &rules.chrome);
            }
        })
    });
    let cleaned: Vec<Vec<String>> = paragraphs
        .iter()
        .map(|p| clean::clean(p, &rules.chrome).paragraphs)
        .collect();
    g.bench_function("language", |b| {
        b.iter(|| {
            for p in &cleaned {
                let _ = lang::document(p, &rules);
            }
        })
    });
    let docs: Vec<(String, String)> = cleaned
        .iter()
        .map(|p| (lang::document(p, &rules).code, p.join("\n\n")))
        .collect();
    g.bench_function("segment", |b| {
        b.iter(|| {
            for (l, t) in &docs {
                let _ = segment::sentences(t, l, &rules);
            }
        })
    });
    let ctx = extract::Context::default();
    for code in ["vi", "ru", "uk", "pt", "ko"] {
        let Some(lr) = rules.extract.lang(code) else {
            continue;
        };
        let mine: Vec<(&String, Vec<thidua::model::Sentence>)> = docs
            .iter()
            .filter(|(l, _)| l == code)
            .map(|(l, t)| (t, segment::sentences(t, l, &rules)))
            .collect();
        let bytes: u64 = mine.iter().map(|(t, _)| t.len() as u64).sum();
        g.throughput(Throughput::Bytes(bytes));
        g.bench_function(format!("extract_{code}"), |b| {
            b.iter(|| {
                for (t, s) in &mine {
                    let _ = extract::extract("bench", t, s, lr, &ctx);
                }
            })
        });
    }
    g.throughput(Throughput::Bytes(text_bytes));
    let pipeline = Pipeline::new(rules, Default::default());
    let units = |form: Form, ext: &str| -> Vec<RawUnit> {
        files
            .iter()
            .filter(|(n, _)| n.ends_with(ext))
            .map(|(n, b)| {
                RawUnit::ok(
                    n.clone(),
                    b,
                    Payload::Bytes(b.clone()),
                    form,
                    UnitMeta::default(),
                )
            })
            .collect()
    };
    let text_units = units(Form::Text, ".txt");
    g.bench_function("pipeline_text", |b| {
        b.iter(|| {
            for u in &text_units {
                let _ = pipeline.process(u.clone());
            }
        })
    });
    g.throughput(Throughput::Bytes(html_bytes));
    let html_units = units(Form::Html, ".html");
    g.bench_function("pipeline_html", |b| {
        b.iter(|| {
            for u in &html_units {
                let _ = pipeline.process(u.clone());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
