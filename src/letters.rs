//! Letter tests answered from ranges for the scripts thidua reads most.
//!
//! `char::is_alphabetic` looks every non-ASCII character up in the Unicode tables (a search
//! of a few hundred ranges): 5 % of a run over Vietnamese text, where most letters are
//! non-ASCII (ư, ơ, đ, and every tone-marked vowel). The blocks below hold letters and
//! nothing else (bar two signs named here), so they are answered at once; every other
//! character goes to the standard library. The test compares both over all of Unicode.
//! These are Unicode facts, not language knowledge: no language is named here.

/// `c.is_alphabetic()`, fast for Latin (with the Latin Extended blocks), basic Cyrillic and
/// Hangul syllables.
#[inline]
pub fn is_letter(c: char) -> bool {
    from_ranges(c).unwrap_or_else(|| c.is_alphabetic())
}

/// Whether `c` is a letter, for the characters the ranges answer; `None` for the others.
#[inline]
fn from_ranges(c: char) -> Option<bool> {
    match c {
        'a'..='z' | 'A'..='Z' => Some(true),
        '\0'..='\u{7F}' => Some(false),
        // Latin-1 Supplement letters and Latin Extended-A and -B (× and ÷ are signs).
        '\u{C0}'..='\u{24F}' => Some(c != '\u{D7}' && c != '\u{F7}'),
        // Cyrillic up to ҁ (U+0482 is a sign), Latin Extended Additional, Hangul syllables.
        '\u{400}'..='\u{481}' | '\u{1E00}'..='\u{1EFF}' | '\u{AC00}'..='\u{D7A3}' => Some(true),
        _ => None,
    }
}

/// `c.is_alphanumeric()`, with [`is_letter`]'s fast ranges.
#[inline]
pub fn is_letter_or_digit(c: char) -> bool {
    is_letter(c) || c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_ranges_agree_with_the_standard_library_on_every_character() {
        let mut fast = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?} U+{:04X}", c as u32);
            assert_eq!(
                is_letter_or_digit(c),
                c.is_alphanumeric(),
                "{c:?} U+{:04X}",
                c as u32
            );
            fast += usize::from(!c.is_ascii() && from_ranges(c) == Some(true));
        }
        assert!(fast > 11_000, "the fast ranges answer only {fast} letters");
    }
}
