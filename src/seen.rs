//! The documents a run has seen, by doc_id (a content hash), with the source each was first
//! read from: a later copy becomes a `duplicate` row whose `error` names that source.
//!
//! Memory stays small however many documents a run reads: the table in memory holds a 64-bit
//! hash of each doc_id and an offset (some 30 bytes a document), and the doc_ids and sources
//! themselves go to an anonymous temporary file, read back only when a hash comes again (a
//! duplicate, or two doc_ids with one hash, which the stored doc_id tells apart). A table of
//! doc_id and source strings took some 200 bytes a document: 35 MB more at 1 GB of input,
//! and gigabytes over a crawl of millions of pages. Where no temporary file can be made, the
//! records stay in memory.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{self, Read, Seek, SeekFrom, Write};

/// Records appended since the last write to the file, written out past this many bytes.
const BUFFER: usize = 64 << 10;

/// No next record: the end of a chain of records with one hash.
const NONE: u64 = u64::MAX;

/// Where the records are kept: a temporary file with a buffer of the newest, or memory.
#[derive(Debug)]
enum Store {
    Disk {
        file: File,
        /// Bytes of the store already in the file; `buf` holds those after them.
        written: u64,
        buf: Vec<u8>,
    },
    Memory(Vec<u8>),
}

#[derive(Debug)]
pub struct Seen {
    /// Hash of a doc_id → offset of the newest record with that hash.
    heads: HashMap<u64, u64>,
    store: Store,
    /// Bytes stored so far (the offset of the next record).
    len: u64,
}

/// One record: offset of the previous record with the same hash (or [`NONE`]), the doc_id's
/// and the source's lengths, then their bytes.
const HEADER: usize = 8 + 4 + 4;

impl Seen {
    /// A table whose records go to an anonymous temporary file (in memory when none can be
    /// made).
    pub fn new() -> Seen {
        let store = match tempfile::tempfile() {
            Ok(file) => Store::Disk {
                file,
                written: 0,
                buf: Vec::new(),
            },
            Err(_) => Store::Memory(Vec::new()),
        };
        Seen::with_store(store)
    }

    /// A table that keeps its records in memory.
    pub fn in_memory() -> Seen {
        Seen::with_store(Store::Memory(Vec::new()))
    }

    fn with_store(store: Store) -> Seen {
        Seen {
            heads: HashMap::new(),
            store,
            len: 0,
        }
    }

    /// The source `doc_id` was first seen with, or `None` when it is new (it is then recorded
    /// with `source`).
    pub fn first_source(&mut self, doc_id: &str, source: &str) -> io::Result<Option<String>> {
        let mut h = DefaultHasher::new();
        doc_id.hash(&mut h);
        let key = h.finish();
        let head = self.heads.get(&key).copied().unwrap_or(NONE);
        let mut at = head;
        while at != NONE {
            let (next, id, src) = self.read(at)?;
            if id == doc_id {
                return Ok(Some(src));
            }
            at = next;
        }
        let (id_len, src_len) = (len32(doc_id)?, len32(source)?);
        let mut rec = Vec::with_capacity(HEADER + doc_id.len() + source.len());
        rec.extend_from_slice(&head.to_le_bytes());
        rec.extend_from_slice(&id_len.to_le_bytes());
        rec.extend_from_slice(&src_len.to_le_bytes());
        rec.extend_from_slice(doc_id.as_bytes());
        rec.extend_from_slice(source.as_bytes());
        self.heads.insert(key, self.len);
        self.len += rec.len() as u64;
        match &mut self.store {
            Store::Memory(v) => v.extend_from_slice(&rec),
            Store::Disk { file, written, buf } => {
                buf.extend_from_slice(&rec);
                if buf.len() >= BUFFER {
                    file.seek(SeekFrom::Start(*written))?;
                    file.write_all(buf)?;
                    *written += buf.len() as u64;
                    buf.clear();
                }
            }
        }
        Ok(None)
    }

    /// The record at `at`: (previous record with its hash, doc_id, source).
    fn read(&mut self, at: u64) -> io::Result<(u64, String, String)> {
        let mut header = [0u8; HEADER];
        self.read_at(at, &mut header)?;
        let next = u64::from_le_bytes(header[..8].try_into().unwrap_or_default());
        let id_len = u32::from_le_bytes(header[8..12].try_into().unwrap_or_default()) as usize;
        let src_len = u32::from_le_bytes(header[12..].try_into().unwrap_or_default()) as usize;
        let mut body = vec![0u8; id_len + src_len];
        self.read_at(at + HEADER as u64, &mut body)?;
        let src = String::from_utf8_lossy(&body[id_len..]).into_owned();
        body.truncate(id_len);
        let id =
            String::from_utf8(body).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        Ok((next, id, src))
    }

    fn read_at(&mut self, at: u64, out: &mut [u8]) -> io::Result<()> {
        let short = || io::Error::new(io::ErrorKind::UnexpectedEof, "record past the end");
        match &mut self.store {
            Store::Memory(v) => {
                let from = usize::try_from(at).map_err(|_| short())?;
                let bytes = v.get(from..from + out.len()).ok_or_else(short)?;
                out.copy_from_slice(bytes);
            }
            Store::Disk { file, written, buf } => {
                if at >= *written {
                    let from = usize::try_from(at - *written).map_err(|_| short())?;
                    let bytes = buf.get(from..from + out.len()).ok_or_else(short)?;
                    out.copy_from_slice(bytes);
                } else {
                    // Records are written whole, so one lies in the file or in the buffer.
                    file.seek(SeekFrom::Start(at))?;
                    file.read_exact(out)?;
                }
            }
        }
        Ok(())
    }
}

impl Default for Seen {
    fn default() -> Self {
        Seen::new()
    }
}

fn len32(s: &str) -> io::Result<u32> {
    u32::try_from(s.len()).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "name too long"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(mut seen: Seen) {
        // Enough records to go through the file several times over.
        let n = 20_000;
        for i in 0..n {
            let id = format!("{i:016x}");
            let src = format!("/crawl/part-{:03}/page-{i}.html", i % 7);
            assert_eq!(seen.first_source(&id, &src).unwrap(), None, "{id} is new");
        }
        for i in (0..n).step_by(997).chain([n - 1]) {
            let id = format!("{i:016x}");
            let first = format!("/crawl/part-{:03}/page-{i}.html", i % 7);
            assert_eq!(seen.first_source(&id, "/elsewhere").unwrap(), Some(first));
        }
        assert_eq!(seen.first_source("not seen", "/x").unwrap(), None);
        assert_eq!(
            seen.first_source("not seen", "/y").unwrap().as_deref(),
            Some("/x")
        );
    }

    #[test]
    fn a_doc_id_seen_before_gives_the_first_source_on_disk_and_in_memory() {
        let disk = Seen::new();
        assert!(matches!(disk.store, Store::Disk { .. }));
        check(disk);
        check(Seen::in_memory());
    }

    #[test]
    fn doc_ids_with_one_hash_are_told_apart_by_the_stored_doc_id() {
        let mut seen = Seen::in_memory();
        // Force a shared hash: both records chain from one head.
        seen.first_source("a", "/a").unwrap();
        let key = *seen.heads.keys().next().unwrap();
        let mut h = DefaultHasher::new();
        "b".hash(&mut h);
        let b_key = h.finish();
        seen.first_source("b", "/b").unwrap();
        let b_at = seen.heads.remove(&b_key).unwrap();
        // Chain "b" behind "a"'s head by hand, as a collision would.
        let a_at = seen.heads[&key];
        if let Store::Memory(v) = &mut seen.store {
            let at = b_at as usize;
            v[at..at + 8].copy_from_slice(&a_at.to_le_bytes());
        }
        seen.heads.insert(key, b_at);
        // Looking "a" up walks past "b"'s record to its own.
        let mut h = DefaultHasher::new();
        "a".hash(&mut h);
        assert_eq!(h.finish(), key);
        assert_eq!(seen.first_source("a", "/z").unwrap().as_deref(), Some("/a"));
    }
}
