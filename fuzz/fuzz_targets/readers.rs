//! Arbitrary bytes as a JSON Lines file and as a WARC file (gzip-compressed when they start
//! with the gzip magic), through the library's readers and then the pipeline.
#![no_main]

use std::io::{BufRead, Cursor};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use thidua::source::{open_reader, JsonlReader, Limits, RawUnit, WarcReader};
use thidua::{Options, Pipeline, RuleSet};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| {
        Pipeline::new(
            RuleSet::embedded().expect("the embedded rules load"),
            Options::default(),
        )
    })
}

/// The bytes as a container, gunzipped when they start with the gzip magic.
fn reader(data: &[u8]) -> Box<dyn BufRead + Send> {
    open_reader(Cursor::new(data.to_vec()), data.starts_with(&[0x1f, 0x8b]))
}

/// At most this many units per container go on through the pipeline.
const MAX_UNITS: usize = 64;

// Compile the rules before the fuzzer starts, so that it is not counted against -timeout.
fuzz_target!(init: { pipeline(); }, |data: &[u8]| {
    let p = pipeline();
    // The default limit, and a small one so that the too-large paths run too.
    for limits in [Limits::default(), Limits { max_doc_bytes: 512 }] {
        let units: Vec<RawUnit> =
            JsonlReader::new(reader(data), "fuzz.jsonl".into(), limits).collect();
        if limits.max_doc_bytes > 512 {
            for u in units.into_iter().take(MAX_UNITS) {
                p.process(u);
            }
        }
        let units: Vec<RawUnit> =
            WarcReader::new(reader(data), "fuzz.warc".into(), limits).collect();
        if limits.max_doc_bytes > 512 {
            for u in units.into_iter().take(MAX_UNITS) {
                p.process(u);
            }
        }
    }
});
