//! WARC files: each `response` record is one unit (`path#N`, N counting every record).
//!
//! Written by hand rather than with the `warc` crate: that crate ends iteration silently when
//! a record header is cut off by the end of the file (a truncated crawl would lose records
//! without a word), and it buffers record bodies line by line with no size bound. Here every
//! record is read with a hard limit, non-response bodies are skipped without being held in
//! memory, and a cut file yields an error row that says so.

use std::io::{self, BufRead, Read};

use super::{too_large, Form, Limits, Payload, RawUnit, UnitMeta};

pub struct WarcReader {
    reader: Box<dyn BufRead + Send>,
    path: String,
    record_no: usize,
    limits: Limits,
    done: bool,
}

/// Longest header block we accept, so a file that is not a WARC cannot make us read forever.
const MAX_HEADER_BYTES: usize = 1 << 20;

struct Header {
    warc_type: String,
    target_uri: Option<String>,
    content_length: u64,
}

impl WarcReader {
    pub fn new(reader: Box<dyn BufRead + Send>, path: String, limits: Limits) -> Self {
        WarcReader {
            reader,
            path,
            record_no: 0,
            limits,
            done: false,
        }
    }

    fn source(&self) -> String {
        format!("{}#{}", self.path, self.record_no)
    }

    /// Read the header block of the next record; Ok(None) at a clean end of file.
    fn read_header(&mut self) -> Result<Option<Header>, String> {
        let mut lines: Vec<String> = Vec::new();
        let mut total = 0usize;
        loop {
            let mut raw = Vec::new();
            let n = self
                .reader
                .read_until(b'\n', &mut raw)
                .map_err(|e| io_message(&e, "record header"))?;
            if n == 0 {
                if lines.is_empty() {
                    return Ok(None);
                }
                return Err("truncated WARC file: the file ends inside a record header".into());
            }
            total += n;
            if total > MAX_HEADER_BYTES {
                return Err("not a WARC file: no end of record header within 1 MiB".into());
            }
            let line = String::from_utf8_lossy(&raw);
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if lines.is_empty() {
                    continue; // blank lines between records
                }
                break;
            }
            lines.push(line.to_string());
        }
        let first = &lines[0];
        if !first.starts_with("WARC/") {
            let shown: String = first.chars().take(40).collect();
            return Err(format!(
                "not a WARC record: expected a 'WARC/1.x' line, found {shown:?}"
            ));
        }
        let mut h = Header {
            warc_type: String::new(),
            target_uri: None,
            content_length: 0,
        };
        let mut have_length = false;
        for l in &lines[1..] {
            let Some((k, v)) = l.split_once(':') else {
                continue;
            };
            let v = v.trim();
            match k.trim().to_ascii_lowercase().as_str() {
                "warc-type" => h.warc_type = v.to_ascii_lowercase(),
                "warc-target-uri" => h.target_uri = Some(v.trim_matches(['<', '>']).to_string()),
                "content-length" => {
                    h.content_length = v
                        .parse()
                        .map_err(|_| format!("bad WARC Content-Length {v:?}"))?;
                    have_length = true;
                }
                _ => {}
            }
        }
        if !have_length {
            return Err("WARC record without Content-Length".into());
        }
        Ok(Some(h))
    }

    fn skip(&mut self, n: u64) -> Result<(), String> {
        let copied = io::copy(&mut (&mut self.reader).take(n), &mut io::sink())
            .map_err(|e| io_message(&e, "record body"))?;
        if copied < n {
            return Err(format!(
                "truncated WARC file: record body has {copied} of {n} bytes"
            ));
        }
        Ok(())
    }

    fn read_body(&mut self, n: u64) -> Result<Vec<u8>, String> {
        let mut body = Vec::with_capacity(n.min(1 << 20) as usize);
        (&mut self.reader)
            .take(n)
            .read_to_end(&mut body)
            .map_err(|e| io_message(&e, "record body"))?;
        if (body.len() as u64) < n {
            return Err(format!(
                "truncated WARC file: record body has {} of {n} bytes",
                body.len()
            ));
        }
        Ok(body)
    }
}

fn io_message(e: &io::Error, part: &str) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => {
            format!("truncated or corrupt gzip stream in {part}: {e}")
        }
        _ => format!("read error in {part}: {e}"),
    }
}

impl Iterator for WarcReader {
    type Item = RawUnit;

    fn next(&mut self) -> Option<RawUnit> {
        while !self.done {
            self.record_no += 1;
            let header = match self.read_header() {
                Ok(Some(h)) => h,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(msg) => {
                    self.done = true;
                    let source = self.source();
                    return Some(RawUnit::failed(
                        source.clone(),
                        source.as_bytes(),
                        format!("{msg}; the rest of the file was not read"),
                    ));
                }
            };
            if header.warc_type != "response" {
                if let Err(msg) = self.skip(header.content_length) {
                    self.done = true;
                    let source = self.source();
                    return Some(RawUnit::failed(source.clone(), source.as_bytes(), msg));
                }
                continue;
            }
            let source = self.source();
            if header.content_length > self.limits.max_doc_bytes {
                let msg = too_large(header.content_length, self.limits);
                if let Err(m) = self.skip(header.content_length) {
                    self.done = true;
                    return Some(RawUnit::failed(source.clone(), source.as_bytes(), m));
                }
                return Some(RawUnit::failed(source.clone(), source.as_bytes(), msg));
            }
            let body = match self.read_body(header.content_length) {
                Ok(b) => b,
                Err(msg) => {
                    self.done = true;
                    return Some(RawUnit::failed(
                        source.clone(),
                        source.as_bytes(),
                        format!("{msg}; the rest of the file was not read"),
                    ));
                }
            };
            return Some(http_response_unit(source, header.target_uri, body));
        }
        None
    }
}

/// Split an HTTP response into headers and body; non-HTML payloads become `skipped` rows later.
fn http_response_unit(source: String, url: Option<String>, record: Vec<u8>) -> RawUnit {
    let split = find_header_end(&record);
    let (head, body) = match split {
        Some((h, b)) => (&record[..h], record[b..].to_vec()),
        None => (&record[..0], record.clone()),
    };
    let head = String::from_utf8_lossy(head);
    let mut content_type = None;
    let mut chunked = false;
    let mut gzip = false;
    for line in head.lines().skip(1) {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim().to_ascii_lowercase();
        match k.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(v),
            "transfer-encoding" => chunked = v.contains("chunked"),
            "content-encoding" => gzip = v.contains("gzip"),
            _ => {}
        }
    }
    let mut body = body;
    if chunked {
        match dechunk(&body) {
            Some(b) => body = b,
            None => {
                return RawUnit::failed(
                    source,
                    &record,
                    "bad chunked transfer encoding in HTTP body",
                )
            }
        }
    }
    if gzip {
        let mut out = Vec::new();
        if let Err(e) = flate2::read::MultiGzDecoder::new(&body[..])
            .take(64 << 20)
            .read_to_end(&mut out)
        {
            return RawUnit::failed(
                source,
                &record,
                format!("truncated or corrupt gzip HTTP body: {e}"),
            );
        }
        body = out;
    }
    let charset = content_type.as_deref().and_then(|ct| {
        ct.split(';')
            .filter_map(|p| p.trim().strip_prefix("charset="))
            .next()
            .map(|c| c.trim_matches(['"', '\'']).to_string())
    });
    if let Some(ct) = &content_type {
        let mime = ct.split(';').next().unwrap_or("").trim();
        let textual = mime.is_empty()
            || mime.starts_with("text/")
            || mime.contains("html")
            || mime.contains("xml");
        if !textual {
            let mut u = RawUnit::failed(
                source,
                &record,
                format!("not an article: HTTP Content-Type {mime}"),
            );
            u.meta.url = url;
            return u;
        }
    }
    let meta = UnitMeta {
        url,
        charset,
        ..UnitMeta::default()
    };
    let form = match content_type.as_deref() {
        Some(ct) if ct.starts_with("text/plain") => Form::Text,
        Some(_) => Form::Html,
        None => Form::Sniff,
    };
    RawUnit::ok(source, &record, Payload::Bytes(body), form, meta)
}

fn find_header_end(b: &[u8]) -> Option<(usize, usize)> {
    if !b.starts_with(b"HTTP/") {
        return None;
    }
    if let Some(i) = b.windows(4).position(|w| w == b"\r\n\r\n") {
        return Some((i, i + 4));
    }
    b.windows(2).position(|w| w == b"\n\n").map(|i| (i, i + 2))
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let nl = b.iter().position(|&c| c == b'\n')?;
        let size_line = std::str::from_utf8(&b[..nl]).ok()?.trim();
        let size_hex = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        b = &b[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        if b.len() < size {
            out.extend_from_slice(b);
            return Some(out);
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size..];
        while matches!(b.first(), Some(b'\r' | b'\n')) {
            b = &b[1..];
        }
    }
}
