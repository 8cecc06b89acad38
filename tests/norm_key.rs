//! `LangRules::norm_key` skips composition for text already in NFC and lower-cases and collapses
//! white space in one pass: it must give what the plain definition gives (NFC, `to_lowercase`,
//! `split_whitespace` joined by one space, then tone placement) on every input.

use thidua::tones;
use thidua::RuleSet;
use unicode_normalization::UnicodeNormalization;

fn reference(s: &str, conv: Option<tones::Convention>) -> String {
    let s: String = s.nfc().collect::<String>().to_lowercase();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match conv {
        Some(c) => tones::normalize(&s, c),
        None => s,
    }
}

#[test]
fn norm_key_is_the_plain_definition() {
    let rules = RuleSet::embedded().expect("built-in rules");
    let mut inputs: Vec<String> = [
        "Khối thi đua các cơ quan tham mưu tổng hợp",
        "KHỐI THI ĐUA Hoà Thuỷ khoẻ lãnh đaọ",
        "Блок соревнований  ПАРТИЙНЫХ\tорганов",
        "Блок змагань ЇЖАК Ґанок",
        "Bloco de Emulação nº 2 DOS HOSPITAIS",
        "중앙당기관모범연합은 14개 기관",
        "  lead\u{a0}and\u{2009}trail\u{3000} \n\n",
        "a\u{85}b\u{2028}c\u{1680}d\u{202f}e\u{feff}f\u{200b}g",
        "ΟΔΟΣ ΣΟΦΟΣ Σ ΑΣ. σΣ",
        "İstanbul ǅemal ﬁ \u{212a}elvin \u{2126}",
        "ǈ ǋ ǲ ẞ ꭰ Ꭰ \u{1e9e}",
        "",
        " ",
        "\t\n",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // The same in NFD (decomposed tones), in capitals, and with tones placed the old way.
    for s in inputs.clone() {
        inputs.push(s.nfd().collect());
        inputs.push(s.to_uppercase());
        inputs.push(s.replace("hòa", "hoà").replace("ủy", "uỷ"));
    }
    // Every corpus article.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for e in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if let Ok(t) = std::fs::read_to_string(e.path()) {
            inputs.push(t.nfd().collect());
            inputs.push(t);
        }
    }
    assert!(rules.extract.all_langs().next().is_some());
    for lr in rules.extract.all_langs().map(|(_, lr)| lr) {
        for s in &inputs {
            assert_eq!(
                lr.norm_key(s),
                reference(s, lr.convention),
                "{}: {s:?}",
                lr.code
            );
        }
    }
}

/// A document's text has its tone marks placed by the pipeline; linking keys it without placing
/// them again (`norm_key_of_placed`). Placing must then be idempotent and blind to case: the
/// key of any placed text (in NFC, as cleaning leaves every text), in any case, is the full
/// key.
#[test]
fn the_key_of_a_placed_text_needs_no_second_placing() {
    let rules = RuleSet::embedded().expect("built-in rules");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut texts: Vec<String> = vec![
        "Hoà Bình, Thanh Hoá, Khánh Hoà; KHOẺ, THUỶ LỢI, hoạ sĩ, QUÝ, thuý".into(),
        "Thuỷ ĐIỆN HOÀ BÌNH và tàu ngầm Kilo; GIÀ, GÌ, QUÀ, QÙA".into(),
    ];
    for e in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if let Ok(t) = std::fs::read_to_string(e.path()) {
            texts.push(t);
        }
    }
    let mut placed_words = 0;
    for (code, lr) in rules.extract.all_langs() {
        let Some(conv) = lr.convention else { continue };
        for t in &texts {
            for variant in [t.clone(), t.to_uppercase(), t.to_lowercase()] {
                let variant: String = variant.nfc().collect();
                let placed = tones::normalize(&variant, conv);
                placed_words += usize::from(placed != variant);
                assert_eq!(
                    lr.norm_key_of_placed(&placed),
                    lr.norm_key(&placed),
                    "{code}: {variant:?}"
                );
            }
        }
    }
    assert!(
        placed_words > 0,
        "no text had tones to place: the test tests nothing"
    );
}

/// What the one-pass version relies on: lower-casing maps white space to itself and no other
/// character to white space.
#[test]
fn lower_case_keeps_white_space_apart() {
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let lower: Vec<char> = c.to_lowercase().collect();
        if c.is_whitespace() {
            assert_eq!(lower, vec![c]);
        } else {
            assert!(!lower.iter().any(|l| l.is_whitespace()), "{c:?}");
        }
    }
}
