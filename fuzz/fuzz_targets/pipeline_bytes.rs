//! Arbitrary bytes as one input file, read as HTML and as plain text, through the whole
//! per-unit pipeline: decode → article main text → clean → language → segment → extract → link.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use thidua::source::{Form, Payload, RawUnit, UnitMeta};
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

fn unit(data: &[u8], payload: Payload, form: Form) -> RawUnit {
    RawUnit::ok("fuzz".into(), data, payload, form, UnitMeta::default())
}

// Compile the rules before the fuzzer starts, so that it is not counted against -timeout.
fuzz_target!(init: { pipeline(); }, |data: &[u8]| {
    let p = pipeline();
    let mut units = vec![
        unit(data, Payload::Bytes(data.to_vec()), Form::Html),
        unit(data, Payload::Bytes(data.to_vec()), Form::Text),
    ];
    // Text that arrived already decoded (a JSON string): no decode stage, form sniffed.
    if let Ok(s) = std::str::from_utf8(data) {
        units.push(unit(data, Payload::Text(s.to_string()), Form::Sniff));
    }
    for u in units {
        let rec = p.process(u);
        if rec.document.status != Status::Ok {
            assert!(rec.facts.is_empty(), "facts from a failed document");
        }
    }
});
