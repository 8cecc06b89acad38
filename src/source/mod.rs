//! Inputs → a lazy stream of [`RawUnit`]s, one per input unit (a file, a JSON line, a WARC
//! response record). Nothing here decodes text: a unit carries bytes (or a string already
//! decoded by JSON) and the hints that came with it.

mod jsonl;
mod warc;

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::hash;

pub use jsonl::JsonlReader;
pub use warc::WarcReader;

/// How the content of a unit should be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Html,
    Text,
    /// Unknown: look at the bytes.
    Sniff,
}

/// The content of a unit.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// Raw bytes in an encoding still to be found.
    Bytes(Vec<u8>),
    /// Text that arrived already decoded (a JSON string).
    Text(String),
}

/// Metadata that came with a unit from its container (JSON fields, WARC and HTTP headers).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitMeta {
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub lang: Option<String>,
    /// A charset named by an HTTP header: a hint, not a truth.
    pub charset: Option<String>,
}

/// One input unit, before any processing.
#[derive(Debug, Clone, PartialEq)]
pub struct RawUnit {
    /// The input path as given, or `path#N` for the N-th record of a container.
    pub source: String,
    /// Hash of the raw bytes of the unit.
    pub doc_id: String,
    /// The content, or why it could not be read.
    pub payload: Result<Payload, String>,
    pub form: Form,
    pub meta: UnitMeta,
}

impl RawUnit {
    pub fn ok(source: String, raw: &[u8], payload: Payload, form: Form, meta: UnitMeta) -> Self {
        RawUnit {
            source,
            doc_id: hash::doc_id(raw),
            payload: Ok(payload),
            form,
            meta,
        }
    }

    /// Every way the bytes of one file can reach the pipeline: as an HTML file, as a text
    /// file, and (when they are UTF-8) as text that arrived already decoded in a JSON line,
    /// its form sniffed. The fuzz target `pipeline_bytes` and its regression test feed these.
    #[doc(hidden)]
    pub fn every_form(source: &str, data: &[u8]) -> Vec<RawUnit> {
        let unit =
            |payload, form| RawUnit::ok(source.into(), data, payload, form, UnitMeta::default());
        let mut units = vec![
            unit(Payload::Bytes(data.to_vec()), Form::Html),
            unit(Payload::Bytes(data.to_vec()), Form::Text),
        ];
        if let Ok(s) = std::str::from_utf8(data) {
            units.push(unit(Payload::Text(s.to_string()), Form::Sniff));
        }
        units
    }

    /// A unit that could not be read; `raw` is whatever bytes identify it.
    pub fn failed(source: String, raw: &[u8], message: impl Into<String>) -> Self {
        RawUnit {
            source,
            doc_id: hash::doc_id(raw),
            payload: Err(message.into()),
            form: Form::Sniff,
            meta: UnitMeta::default(),
        }
    }
}

/// Limits that keep one hostile input from taking the machine.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest single document (file, JSON line, WARC record body), in bytes.
    pub max_doc_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_doc_bytes: 16 * 1024 * 1024,
        }
    }
}

/// What kind of container a path is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Single(Form),
    Jsonl,
    Warc,
}

fn container_of(path: &Path) -> (Container, bool) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (stem, gz) = match name.strip_suffix(".gz") {
        Some(s) => (s.to_string(), true),
        None => (name, false),
    };
    let ext = stem.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let c = match ext {
        "txt" | "text" => Container::Single(Form::Text),
        "html" | "htm" | "xhtml" | "shtml" => Container::Single(Form::Html),
        "jsonl" | "ndjson" => Container::Jsonl,
        "warc" | "arc" => Container::Warc,
        _ => Container::Single(Form::Sniff),
    };
    (c, gz)
}

/// Files met while walking a directory that are clearly not articles: notes and
/// annotation files kept beside a corpus. Given explicitly, they are read like any other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotInput {
    pub path: String,
    pub reason: String,
}

/// The lazy stream of units over all inputs, in the order given, directories sorted.
pub struct Sources {
    pending: VecDeque<PendingPath>,
    /// The directory being walked: its files come before what is pending. Walked lazily (a
    /// directory's entries at a time), where listing a whole tree first held some 100 bytes
    /// per file for the whole run: 17 MB for a tree of 176,000 files.
    walk: Option<(PathBuf, walkdir::IntoIter)>,
    current: Option<Box<dyn Iterator<Item = RawUnit> + Send>>,
    limits: Limits,
    /// Files passed over in directory walks, with the reason (reported in run.json).
    pub not_inputs: Vec<NotInput>,
}

enum PendingPath {
    Stdin,
    /// An entry a directory walk could not read: (path, reason).
    WalkError(String, String),
    File {
        path: PathBuf,
        from_walk: bool,
    },
    Dir(PathBuf),
}

impl Sources {
    pub fn new<S: AsRef<str>>(inputs: &[S], limits: Limits) -> Self {
        let pending = inputs
            .iter()
            .map(|s| {
                let s = s.as_ref();
                if s == "-" {
                    PendingPath::Stdin
                } else {
                    let p = PathBuf::from(s);
                    if p.is_dir() {
                        PendingPath::Dir(p)
                    } else {
                        PendingPath::File {
                            path: p,
                            from_walk: false,
                        }
                    }
                }
            })
            .collect();
        Sources {
            pending,
            walk: None,
            current: None,
            limits,
            not_inputs: Vec::new(),
        }
    }

    /// The next file (or unreadable entry) of the directory being walked; `None` when no walk
    /// is under way or it is over.
    fn next_walked(&mut self) -> Option<PendingPath> {
        let (root, walk) = self.walk.as_mut()?;
        for entry in walk.by_ref() {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    return Some(PendingPath::File {
                        path: e.into_path(),
                        from_walk: true,
                    })
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| root.display().to_string());
                    return Some(PendingPath::WalkError(path, e.to_string()));
                }
            }
        }
        self.walk = None;
        None
    }

    /// Open one path; `None` when it was passed over as not an input.
    fn open(
        &mut self,
        path: PathBuf,
        from_walk: bool,
    ) -> Option<Box<dyn Iterator<Item = RawUnit> + Send>> {
        let display = path.display().to_string();
        if from_walk {
            if let Some(reason) = not_an_article(&path) {
                self.not_inputs.push(NotInput {
                    path: display,
                    reason,
                });
                return None;
            }
        }
        let (container, gz) = container_of(&path);
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) => {
                return Some(one(RawUnit::failed(
                    display.clone(),
                    display.as_bytes(),
                    format!("cannot open file: {e}"),
                )))
            }
        };
        let limits = self.limits;
        match container {
            Container::Jsonl => {
                let reader = open_reader(file, gz);
                Some(Box::new(JsonlReader::new(reader, display, limits)))
            }
            Container::Warc => {
                let reader = open_reader(file, gz);
                Some(Box::new(WarcReader::new(reader, display, limits)))
            }
            Container::Single(form) => Some(one(read_single(file, gz, display, form, limits))),
        }
    }
}

fn one(u: RawUnit) -> Box<dyn Iterator<Item = RawUnit> + Send> {
    Box::new(std::iter::once(u))
}

/// A container's bytes as the JSON Lines and WARC readers take them, gunzipped when `gz`
/// (a file, or any byte source: the fuzz targets and their regression tests use it too).
pub fn open_reader<R: Read + Send + 'static>(input: R, gz: bool) -> Box<dyn BufRead + Send> {
    if gz {
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(BufReader::new(input)),
        ))
    } else {
        Box::new(BufReader::with_capacity(1 << 16, input))
    }
}

/// Read a whole single-document file, refusing more than the limit.
fn read_single(file: File, gz: bool, source: String, form: Form, limits: Limits) -> RawUnit {
    // The file's size, when known, sizes the buffer: `read_to_end` through `take` has no size
    // hint and otherwise reads a small file in a dozen calls of 32, 64, 128… bytes.
    let mut size_hint = 0;
    if !gz {
        if let Ok(md) = file.metadata() {
            if md.len() > limits.max_doc_bytes {
                return RawUnit::failed(
                    source.clone(),
                    source.as_bytes(),
                    too_large(md.len(), limits),
                );
            }
            size_hint = usize::try_from(md.len()).unwrap_or(0).saturating_add(1);
        }
    }
    let mut bytes = Vec::with_capacity(size_hint);
    let reader: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    match reader
        .take(limits.max_doc_bytes + 1)
        .read_to_end(&mut bytes)
    {
        Ok(_) if bytes.len() as u64 > limits.max_doc_bytes => RawUnit::failed(
            source.clone(),
            source.as_bytes(),
            too_large(bytes.len() as u64, limits),
        ),
        Ok(_) => RawUnit {
            source,
            doc_id: hash::doc_id(&bytes),
            payload: Ok(Payload::Bytes(bytes)),
            form,
            meta: UnitMeta::default(),
        },
        Err(e) if gz => RawUnit::failed(
            source,
            &bytes,
            format!("truncated or corrupt gzip stream: {e}"),
        ),
        Err(e) => RawUnit::failed(source, &bytes, format!("cannot read file: {e}")),
    }
}

pub(crate) fn too_large(len: u64, limits: Limits) -> String {
    format!(
        "document too large: {len} bytes, over the limit of {} bytes (raise it with --max-doc-mb)",
        limits.max_doc_bytes
    )
}

/// Notes and annotation files that sit beside articles in a corpus directory.
fn not_an_article(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    if name.starts_with('.') {
        return Some("hidden file".to_string());
    }
    if name.ends_with(".md") || name == "readme" || name.starts_with("readme.") {
        return Some("documentation file".to_string());
    }
    if name.ends_with(".jsonl") {
        // A JSON Lines file whose first record has no article field is an annotation or
        // index file (gold.jsonl, translations.jsonl), not a collection of articles.
        let file = File::open(path).ok()?;
        let mut first = String::new();
        BufReader::new(file.take(1 << 20))
            .read_line(&mut first)
            .ok()?;
        let v: serde_json::Value = serde_json::from_str(first.trim()).ok()?;
        let obj = v.as_object()?;
        if !["text", "html", "url"].iter().any(|k| obj.contains_key(*k)) {
            return Some(
                "JSON Lines without article fields (text, html, url): annotations".to_string(),
            );
        }
    }
    None
}

impl Iterator for Sources {
    type Item = RawUnit;

    fn next(&mut self) -> Option<RawUnit> {
        loop {
            if let Some(cur) = self.current.as_mut() {
                if let Some(u) = cur.next() {
                    return Some(u);
                }
                self.current = None;
            }
            if let Some(p) = self.next_walked() {
                self.pending.push_front(p);
            }
            match self.pending.pop_front()? {
                PendingPath::Stdin => {
                    let reader: Box<dyn BufRead + Send> = Box::new(BufReader::new(io::stdin()));
                    self.current = Some(Box::new(JsonlReader::new(
                        reader,
                        "-".to_string(),
                        self.limits,
                    )));
                }
                PendingPath::WalkError(path, err) => {
                    self.current = Some(one(RawUnit::failed(
                        path.clone(),
                        path.as_bytes(),
                        format!("cannot read directory entry: {err}"),
                    )));
                }
                PendingPath::Dir(d) => {
                    let walk = walkdir::WalkDir::new(&d)
                        .follow_links(true)
                        .sort_by_file_name();
                    self.walk = Some((d, walk.into_iter()));
                }
                PendingPath::File { path, from_walk } => {
                    if !from_walk && !path.exists() {
                        let display = path.display().to_string();
                        self.current = Some(one(RawUnit::failed(
                            display.clone(),
                            display.as_bytes(),
                            "no such file or directory",
                        )));
                        continue;
                    }
                    self.current = self.open(path, from_walk);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(path: &Path, words: &str) {
        let text = format!("Hội nghị tổng kết công tác thi đua. {words}\n");
        std::fs::write(path, text).expect("write article");
    }

    #[test]
    fn a_directory_is_walked_in_order_as_the_run_goes_not_listed_first() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("crawl");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::create_dir_all(root.join("b")).unwrap();
        article(&root.join("a/2.txt"), "hai");
        article(&root.join("a/1.txt"), "một");
        let single = tmp.path().join("single.txt");
        article(&single, "ba");
        let inputs = [root.display().to_string(), single.display().to_string()];
        let mut sources = Sources::new(&inputs, Limits::default());
        let name = |u: RawUnit| u.source.rsplit('/').take(2).collect::<Vec<_>>().join("<");
        assert_eq!(sources.next().map(name).as_deref(), Some("1.txt<a"));
        // A file that appears in a directory the walk has not reached yet is read: the tree
        // was not listed up front.
        article(&root.join("b/3.txt"), "bốn");
        let rest: Vec<String> = sources.map(name).collect();
        assert_eq!(
            rest,
            ["2.txt<a", "3.txt<b", "single.txt<tmp"]
                .map(|s| { s.replace("tmp", &tmp.path().file_name().unwrap().to_string_lossy()) })
        );
    }
}
