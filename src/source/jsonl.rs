//! JSON Lines: one article per line, `{"url"?, "html"?, "text"?, "title"?, "published"?, "lang"?}`.
//! Each non-blank line is one unit, `path#N` with N the 1-based line number.

use std::io::BufRead;

use serde_json::Value;

use super::{too_large, Form, Limits, Payload, RawUnit, UnitMeta};

pub struct JsonlReader {
    reader: Box<dyn BufRead + Send>,
    path: String,
    line_no: usize,
    limits: Limits,
    done: bool,
}

/// One line as read: its bytes, or the fact that it was longer than the limit.
enum Line {
    Bytes(Vec<u8>),
    TooLong(u64),
}

impl JsonlReader {
    pub fn new(reader: Box<dyn BufRead + Send>, path: String, limits: Limits) -> Self {
        JsonlReader {
            reader,
            path,
            line_no: 0,
            limits,
            done: false,
        }
    }

    /// Read up to the next newline without ever holding more than the limit in memory.
    fn read_line(&mut self) -> std::io::Result<Option<Line>> {
        let mut buf = Vec::new();
        let mut total: u64 = 0;
        let mut any = false;
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (take, found) = match memchr(chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            total += take as u64;
            if total <= self.limits.max_doc_bytes + 1 {
                buf.extend_from_slice(&chunk[..take]);
            }
            self.reader.consume(take);
            if found {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        if total > self.limits.max_doc_bytes + 1 {
            return Ok(Some(Line::TooLong(total)));
        }
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        Ok(Some(Line::Bytes(buf)))
    }
}

fn memchr(hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == b'\n')
}

impl Iterator for JsonlReader {
    type Item = RawUnit;

    fn next(&mut self) -> Option<RawUnit> {
        loop {
            if self.done {
                return None;
            }
            let line = match self.read_line() {
                Ok(Some(l)) => l,
                Ok(None) => return None,
                Err(e) => {
                    self.done = true;
                    self.line_no += 1;
                    let source = format!("{}#{}", self.path, self.line_no);
                    let what = if e.kind() == std::io::ErrorKind::InvalidData
                        || e.kind() == std::io::ErrorKind::UnexpectedEof
                    {
                        format!("truncated or corrupt input (gzip?): {e}; the rest of the file was not read")
                    } else {
                        format!("read error: {e}; the rest of the file was not read")
                    };
                    return Some(RawUnit::failed(source.clone(), source.as_bytes(), what));
                }
            };
            self.line_no += 1;
            let source = format!("{}#{}", self.path, self.line_no);
            match line {
                Line::TooLong(n) => {
                    return Some(RawUnit::failed(
                        source.clone(),
                        source.as_bytes(),
                        too_large(n, self.limits),
                    ))
                }
                Line::Bytes(b) => {
                    if b.iter().all(|c| c.is_ascii_whitespace()) {
                        continue; // a blank line is not a unit
                    }
                    return Some(parse_line(source, &b));
                }
            }
        }
    }
}

const STRING_FIELDS: [&str; 6] = ["url", "html", "text", "title", "published", "lang"];

/// Parse one JSON line into a unit; every problem is named in the unit's error.
pub fn parse_line(source: String, bytes: &[u8]) -> RawUnit {
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return RawUnit::failed(source, bytes, format!("invalid JSON: {e}")),
    };
    let Some(obj) = value.as_object() else {
        return RawUnit::failed(
            source,
            bytes,
            format!(
                "invalid JSON article: expected an object, found {}",
                type_name(&value)
            ),
        );
    };
    let mut bad = Vec::new();
    for key in STRING_FIELDS {
        if let Some(v) = obj.get(key) {
            if !(v.is_string() || v.is_null()) {
                bad.push(format!("`{key}` must be a string, found {}", type_name(v)));
            }
        }
    }
    if !bad.is_empty() {
        return RawUnit::failed(
            source,
            bytes,
            format!("wrong field type: {}", bad.join("; ")),
        );
    }
    let get = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .map(str::to_string)
            .filter(|s| !s.trim().is_empty())
    };
    let meta = UnitMeta {
        url: get("url"),
        title: get("title"),
        published: get("published"),
        lang: get("lang"),
        charset: None,
    };
    let (payload, form) = match (get("html"), get("text")) {
        (Some(h), _) => (h, Form::Html),
        (None, Some(t)) => (t, Form::Text),
        (None, None) => {
            return RawUnit::failed(
                source,
                bytes,
                "missing field: the record has neither `text` nor `html`",
            )
        }
    };
    RawUnit::ok(source, bytes, Payload::Text(payload), form, meta)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
