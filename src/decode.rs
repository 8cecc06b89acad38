//! Bytes → text, and the name of the encoding that was used.
//!
//! Order of evidence: a byte-order mark; valid UTF-8 (then a check for UTF-8 that was already
//! decoded once as windows-1252, "mojibake"); UTF-8 with a few damaged bytes; otherwise the
//! candidates named by the HTTP header and the HTML `<meta charset>` together with chardetng's
//! guess, each decoded and scored, because declared charsets lie. Legacy Vietnamese font
//! encodings (TCVN3, VNI) are tried last, from tables in `rules/common/`.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use crate::rules::LegacyTables;

/// Decoded text and the encoding it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    pub encoding: String,
}

/// Decode `bytes`. `hints` are charsets declared by the container or the page itself.
pub fn decode(bytes: &[u8], hints: &[String], legacy: &LegacyTables) -> Result<Decoded, String> {
    if bytes.is_empty() {
        return Err("empty input: the file has no content".to_string());
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let text = text.into_owned();
        let name = if had_errors {
            format!("{} (BOM; some bytes replaced)", enc.name())
        } else {
            enc.name().to_string()
        };
        return finish(text, name);
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return finish(text.into_owned(), format!("{} (no BOM)", enc.name()));
    }
    if looks_binary(bytes) {
        return Err(format!(
            "binary data, not text: {} of the first {} bytes are control bytes",
            control_bytes(head(bytes)),
            head(bytes).len()
        ));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        if let Some(fixed) = repair_mojibake(s) {
            return finish(
                fixed,
                "UTF-8 (repaired from windows-1252 mojibake)".to_string(),
            );
        }
        return finish(s.to_string(), "UTF-8".to_string());
    }
    if let Some((text, bad)) = mostly_utf8(bytes) {
        return finish(
            text,
            format!("UTF-8 ({bad} invalid byte sequences replaced)"),
        );
    }
    // Legacy encodings: try what was declared and what chardetng guesses; keep the best.
    let mut candidates: Vec<&'static Encoding> = Vec::new();
    for h in hints {
        if let Some(e) = Encoding::for_label(h.trim().as_bytes()) {
            if e != UTF_8 && !candidates.contains(&e) {
                candidates.push(e);
            }
        }
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let guess = det.guess(None, false);
    if !candidates.contains(&guess) {
        candidates.push(guess);
    }
    let mut best: Option<(f64, String, String)> = None;
    for enc in candidates {
        let (text, _, _) = enc.decode(bytes);
        let score = plausibility(&text);
        if best.as_ref().is_none_or(|(s, _, _)| score > *s + 1e-9) {
            best = Some((score, text.into_owned(), enc.name().to_string()));
        }
    }
    let (score, text, name) = best.unwrap_or_else(|| {
        let (t, _, _) = WINDOWS_1252.decode(bytes);
        (plausibility(&t), t.into_owned(), "windows-1252".to_string())
    });
    // Legacy Vietnamese font encodings read as windows-1252 first.
    let (view, _, _) = WINDOWS_1252.decode(bytes);
    if let Some((lname, converted)) = legacy.convert(&view) {
        if plausibility(&converted) >= score {
            return finish(converted, lname.to_string());
        }
    }
    finish(text, name)
}

fn finish(text: String, encoding: String) -> Result<Decoded, String> {
    if text.trim().is_empty() {
        return Err("empty input: no text after decoding".to_string());
    }
    Ok(Decoded { text, encoding })
}

fn head(bytes: &[u8]) -> &[u8] {
    &bytes[..bytes.len().min(65536)]
}

fn control_bytes(b: &[u8]) -> usize {
    b.iter()
        .filter(|&&c| c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
        .count()
}

/// NUL bytes, or many control bytes, in the first 64 KiB.
fn looks_binary(bytes: &[u8]) -> bool {
    let h = head(bytes);
    h.contains(&0) || control_bytes(h) * 100 > h.len()
}

/// UTF-16 without a BOM shows up as NULs in every other byte of ASCII-heavy text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let h = &head(bytes)[..head(bytes).len() & !1];
    if h.len() < 16 {
        return None;
    }
    let pairs = h.len() / 2;
    let even_zero = h.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zero = h.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_zero * 10 > pairs * 4 && even_zero * 20 < pairs {
        Some(UTF_16LE)
    } else if even_zero * 10 > pairs * 4 && odd_zero * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// UTF-8 with a few damaged bytes: keep it as UTF-8 when valid multi-byte sequences
/// outnumber the invalid ones many times over.
fn mostly_utf8(bytes: &[u8]) -> Option<(String, usize)> {
    let mut valid_multi = 0usize;
    let mut invalid = 0usize;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multi += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                valid_multi += std::str::from_utf8(good)
                    .map(|s| s.chars().filter(|c| !c.is_ascii()).count())
                    .unwrap_or(0);
                invalid += 1;
                let skip = e.error_len().unwrap_or(after.len());
                rest = &after[skip..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    if valid_multi >= 8 && valid_multi >= invalid * 4 {
        Some((String::from_utf8_lossy(bytes).into_owned(), invalid))
    } else {
        None
    }
}

/// Characters that appear when UTF-8 is decoded as windows-1252: lead bytes Ã Â Ä Å Æ á »…
/// followed by continuation bytes shown as punctuation or symbols.
fn mojibake_pairs(s: &str) -> usize {
    let cs: Vec<char> = s.chars().collect();
    cs.windows(2)
        .filter(|w| {
            let lead = w[0] as u32;
            let cont = w[1];
            (0xC2..=0xEF).contains(&lead) && is_cp1252_continuation(cont)
        })
        .count()
}

fn is_cp1252_continuation(c: char) -> bool {
    // Bytes 0x80..=0xBF decoded as windows-1252.
    let mut buf = [0u8; 4];
    let s = c.encode_utf8(&mut buf);
    let (bytes, _, unmappable) = WINDOWS_1252.encode(s);
    !unmappable && bytes.len() == 1 && (0x80..=0xBF).contains(&bytes[0])
}

/// Undo one round of UTF-8-read-as-windows-1252, when that is what happened.
fn repair_mojibake(s: &str) -> Option<String> {
    let pairs = mojibake_pairs(s);
    if pairs < 3 {
        return None;
    }
    let (bytes, _, unmappable) = WINDOWS_1252.encode(s);
    if unmappable {
        return None;
    }
    let fixed = String::from_utf8(bytes.into_owned()).ok()?;
    // The repair must remove the pattern, not create another.
    if mojibake_pairs(&fixed) * 4 > pairs {
        return None;
    }
    Some(fixed)
}

/// How much a text looks like natural language: the share of letters, spaces and common
/// punctuation, less a penalty for replacement characters and C1 controls, plus a bonus when
/// the letters come from one script (mixed-script gibberish is what a wrong decoding gives).
pub fn plausibility(text: &str) -> f64 {
    let mut total = 0usize;
    let mut good = 0usize;
    let mut bad = 0usize;
    let mut latin = 0usize;
    let mut cyr = 0usize;
    let mut hangul = 0usize;
    let mut other_letters = 0usize;
    let mut odd_symbols = 0usize;
    for c in text.chars().take(200_000) {
        total += 1;
        let u = c as u32;
        if c == '\u{FFFD}' || (0x80..0xA0).contains(&u) {
            bad += 1;
        } else if c.is_alphabetic() {
            good += 1;
            match u {
                0x41..=0x24F | 0x1E00..=0x1EFF => latin += 1,
                0x400..=0x4FF => cyr += 1,
                0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => hangul += 1,
                _ => other_letters += 1,
            }
        } else if c.is_whitespace() || c.is_ascii() || c.is_numeric() || "«»“”‘’–—…•·".contains(c)
        {
            good += 1;
        } else {
            odd_symbols += 1;
        }
    }
    if total == 0 {
        return 0.0;
    }
    let letters = (latin + cyr + hangul + other_letters).max(1);
    let dominant = latin.max(cyr).max(hangul).max(other_letters);
    let coherence = dominant as f64 / letters as f64;
    (good as f64 - 5.0 * bad as f64 - 2.0 * odd_symbols as f64) / total as f64 + 0.5 * coherence
}

/// Charset named in an HTML `<meta charset>` or `http-equiv` tag in the first 4 KiB.
pub fn meta_charset(bytes: &[u8]) -> Option<String> {
    let h = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = h.iter().map(|b| b.to_ascii_lowercase()).collect();
    let pos = find(&lower, b"charset=")?;
    let rest = &lower[pos + 8..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
        .unwrap_or(rest.len());
    let label = std::str::from_utf8(&rest[..end]).ok()?;
    (!label.is_empty()).then(|| label.to_string())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> LegacyTables {
        LegacyTables::default()
    }

    #[test]
    fn utf8_plain() {
        let d = decode("Khối thi đua".as_bytes(), &[], &none()).expect("decodes");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, "Khối thi đua");
    }

    #[test]
    fn mojibake_is_repaired() {
        let original =
            "Khối thi đua các cơ quan tham mưu tổng hợp tỉnh Cao Bằng đã tổ chức hội nghị";
        let (mangled, _, _) = WINDOWS_1252.decode(original.as_bytes());
        let d = decode(mangled.as_bytes(), &[], &none()).expect("decodes");
        assert_eq!(d.text, original);
        assert!(d.encoding.contains("windows-1252"), "{}", d.encoding);
    }

    #[test]
    fn ordinary_accented_text_is_not_repaired() {
        let s = "Conferência em São Paulo: a emulação é importante para todos os órgãos.";
        let d = decode(s.as_bytes(), &[], &none()).expect("decodes");
        assert_eq!(d.text, s);
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn lying_meta_charset_loses_to_valid_utf8() {
        let html = "<meta charset=\"windows-1251\"><p>Khối thi đua tổ chức hội nghị sơ kết</p>";
        let d = decode(html.as_bytes(), &["windows-1251".into()], &none()).expect("decodes");
        assert!(d.text.contains("Khối thi đua"));
    }

    #[test]
    fn windows_1251_russian_is_detected() {
        let s = "Блок соревнований партийных органов провел конференцию для подписания соглашения о соревновании на 2024 год.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(s);
        let d = decode(&bytes, &[], &none()).expect("decodes");
        assert_eq!(d.text, s);
        assert_eq!(d.encoding, "windows-1251");
    }

    #[test]
    fn few_bad_bytes_stay_utf8() {
        let mut b = "Hội nghị sơ kết công tác thi đua khen thưởng 6 tháng đầu năm "
            .as_bytes()
            .to_vec();
        b.extend_from_slice(&[0xFF, 0xFE]);
        b.extend_from_slice("tại Sở Ngoại vụ".as_bytes());
        let d = decode(&b, &[], &none()).expect("decodes");
        assert!(d.encoding.starts_with("UTF-8"));
        assert!(d.text.contains("tại Sở Ngoại vụ"));
    }

    #[test]
    fn empty_and_binary_are_errors() {
        assert!(decode(b"", &[], &none()).unwrap_err().contains("empty"));
        assert!(decode(b"  \n\t ", &[], &none())
            .unwrap_err()
            .contains("empty"));
        let bin: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(decode(&bin, &[], &none()).unwrap_err().contains("binary"));
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "Cụm thi đua số 2".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&b, &[], &none()).expect("decodes");
        assert_eq!(d.text, "Cụm thi đua số 2");
        assert_eq!(d.encoding, "UTF-16LE");
    }

    /// The windows-1252 bytes of a legacy-view string (C1 controls stand for their own byte).
    fn cp1252_bytes(view: &str) -> Vec<u8> {
        view.chars()
            .flat_map(|c| {
                let u = c as u32;
                if (0x80..0xA0).contains(&u) {
                    vec![u as u8]
                } else {
                    let mut b = [0u8; 4];
                    WINDOWS_1252.encode(c.encode_utf8(&mut b)).0.into_owned()
                }
            })
            .collect()
    }

    #[test]
    fn legacy_vietnamese_font_encodings_are_recognised() {
        let rules = crate::rules::RuleSet::embedded().expect("built-in rules");
        let file: toml::Value =
            toml::from_str(include_str!("../rules/common/legacy_vietnamese.toml"))
                .expect("valid TOML");
        let encodings = file["encoding"].as_array().expect("[[encoding]] entries");
        assert!(encodings.len() >= 2);
        for enc in encodings {
            let name = enc["name"].as_str().expect("name");
            let examples = enc["example"].as_array().expect("examples");
            // A paragraph made of the table's own examples, as a page would hold it.
            let text: Vec<&str> = examples.iter().filter_map(|e| e["text"].as_str()).collect();
            let legacy: Vec<&str> = examples
                .iter()
                .filter_map(|e| e["legacy"].as_str())
                .collect();
            let bytes = cp1252_bytes(&legacy.join(". "));
            let d = decode(&bytes, &[], &rules.legacy).expect("decodes");
            assert_eq!(d.encoding, name);
            assert_eq!(d.text, text.join(". "), "{name}");
        }
        // Plain Western text is not taken for a legacy encoding.
        let pt = "Conferência em São Paulo: a emulação é importante, disse o relatório anual.";
        let (b, _, _) = WINDOWS_1252.encode(pt);
        let d = decode(&b, &[], &rules.legacy).expect("decodes");
        assert_eq!(d.text, pt);
    }

    #[test]
    fn windows_1258_vietnamese_becomes_text() {
        let s = "Khối thi đua các cơ quan tham mưu tổng hợp tỉnh Cao Bằng tổ chức hội nghị sơ kết công tác thi đua";
        // windows-1258 has the letters with hats and horns, and writes tones as combining marks.
        use unicode_normalization::UnicodeNormalization;
        let tones = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
        let split: String = s
            .chars()
            .flat_map(|c| {
                let d: Vec<char> = c.to_string().nfd().collect();
                let base: String = d
                    .iter()
                    .filter(|c| !tones.contains(c))
                    .collect::<String>()
                    .nfc()
                    .collect();
                let tone: String = d.iter().filter(|c| tones.contains(c)).collect();
                format!("{base}{tone}").chars().collect::<Vec<_>>()
            })
            .collect();
        let (b, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&split);
        assert!(!unmappable);
        let d = decode(&b, &[], &none()).expect("decodes");
        assert_eq!(d.encoding, "windows-1258");
        let nfc: String = d.text.nfc().collect();
        assert_eq!(nfc, s);
    }

    #[test]
    fn meta_charset_is_found() {
        assert_eq!(
            meta_charset(b"<meta charset=\"EUC-KR\">").as_deref(),
            Some("euc-kr")
        );
        assert_eq!(
            meta_charset(
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1258\">"
            )
            .as_deref(),
            Some("windows-1258")
        );
    }
}
