//! `thidua gen-corpus` (hidden): a benchmark corpus of N megabytes recombined from a corpus
//! directory — every language and form it holds, every document distinct.

use std::fs;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};

#[derive(clap::Args)]
#[command(about = "Generate a benchmark corpus from a corpus directory (for bench/)")]
pub struct Args {
    /// Corpus to recombine (its .txt and .html files)
    #[arg(long, default_value = "corpus")]
    pub from: PathBuf,
    /// Megabytes to write
    #[arg(long, default_value_t = 10)]
    pub mb: u64,
    /// Output directory
    #[arg(short, long)]
    pub out: PathBuf,
}

pub fn run(a: Args) -> Result<i32> {
    let mut sources: Vec<(PathBuf, String)> = Vec::new();
    for e in walkdir::WalkDir::new(&a.from).sort_by_file_name() {
        let e = e?;
        let p = e.path();
        let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
        if e.file_type().is_file() && (ext == "txt" || ext == "html") {
            let text =
                fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
            sources.push((p.to_path_buf(), text));
        }
    }
    if sources.is_empty() {
        bail!("no .txt or .html files in {}", a.from.display());
    }
    let target = a.mb * 1_000_000;
    let mut written = 0u64;
    let mut i = 0usize;
    while written < target {
        let (path, text) = &sources[i % sources.len()];
        let round = i / sources.len();
        let doc = vary(
            text,
            path.extension().and_then(|x| x.to_str()) == Some("html"),
            i,
            round,
        );
        let dir = a.out.join(format!("{:04}", i / 1000));
        fs::create_dir_all(&dir)?;
        let name = format!(
            "{:07}-{}",
            i,
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        );
        fs::write(dir.join(name), &doc)?;
        written += doc.len() as u64;
        i += 1;
    }
    eprintln!(
        "wrote {i} documents, {:.1} MB, into {}",
        written as f64 / 1e6,
        a.out.display()
    );
    Ok(0)
}

/// A distinct variant: paragraphs rotated (the headline stays first) and a numbered note added.
fn vary(text: &str, html: bool, i: usize, round: usize) -> String {
    let note = format!("Mã bài viết {i}-{round}.");
    if html {
        return match text.rfind("</p>") {
            Some(pos) => format!("{}</p>\n<p>{note}</p>{}", &text[..pos], &text[pos + 4..]),
            None => format!("{text}\n<p>{note}</p>"),
        };
    }
    let mut lines: Vec<&str> = text.lines().collect();
    if lines.len() > 3 {
        let body = &mut lines[1..];
        let k = round % body.len();
        body.rotate_left(k);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out.push_str(&note);
    out.push('\n');
    out
}
