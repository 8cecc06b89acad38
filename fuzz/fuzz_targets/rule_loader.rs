//! Arbitrary bytes as the text of one TOML rule file, loaded and compiled as a shared file
//! (`common/`) and as a language's file (`vi/`, which also applies the Vietnamese tone
//! convention when the file declares one). Must give rules or errors, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thidua::RuleSet;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    for path in ["common/fuzz.toml", "vi/fuzz.toml"] {
        let sources = vec![(path.to_string(), text.clone())];
        match RuleSet::from_sources(&sources) {
            Ok(rules) => {
                // Worked examples run the compiled rules on the file's own example text.
                let _ = rules.check_examples();
            }
            Err(errs) => {
                assert!(!errs.0.is_empty());
                let _ = errs.to_string();
            }
        }
    }
});
