//! Arbitrary bytes as one input file, read as HTML and as plain text, through the whole
//! per-unit pipeline: decode → article main text → clean → language → segment → extract → link.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use thidua::source::RawUnit;
use thidua::{Options, Pipeline, RuleSet, Status};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| {
        let rules = RuleSet::embedded().expect("the embedded rules load");
        Pipeline::new(
            rules,
            Options {
                reference_date: Some("2024-06-15".into()),
            },
        )
    })
}

// Compile the rules before the fuzzer starts, so that it is not counted against -timeout.
fuzz_target!(init: { pipeline(); }, |data: &[u8]| {
    let p = pipeline();
    // As an HTML file, as a text file, and as already-decoded text (a JSON string).
    let units = RawUnit::every_form("fuzz", data);
    for u in units {
        let rec = p.process(u);
        if rec.document.status != Status::Ok {
            assert!(rec.facts.is_empty(), "facts from a failed document");
        }
    }
});
