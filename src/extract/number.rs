//! Reading numbers the way each language writes them (rules/<lang>/numbers.toml): decimal and
//! group separators, scale words ("triệu", "млн", "milhões", "만"), small numbers in words.
//! Arithmetic is exact: a decimal mantissa and a power of ten, never floating point, so
//! "33,8 triệu" is 33800000 and not 33799999.99.

use regex::Regex;

/// An exact decimal: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub mantissa: i128,
    pub scale: u32,
}

impl Decimal {
    pub const ZERO: Decimal = Decimal {
        mantissa: 0,
        scale: 0,
    };

    /// Parse plain digits with an optional '.' decimal point ("1000000", "33.8").
    pub fn parse_plain(s: &str) -> Option<Decimal> {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
            || int.len() + frac.len() > 30
        {
            return None;
        }
        let digits = format!("{int}{frac}");
        Some(Decimal {
            mantissa: digits.parse().ok()?,
            scale: frac.len() as u32,
        })
    }

    fn align(a: Decimal, b: Decimal) -> Option<(i128, i128, u32)> {
        let s = a.scale.max(b.scale);
        let am = a.mantissa.checked_mul(10i128.checked_pow(s - a.scale)?)?;
        let bm = b.mantissa.checked_mul(10i128.checked_pow(s - b.scale)?)?;
        Some((am, bm, s))
    }

    pub fn checked_add(self, o: Decimal) -> Option<Decimal> {
        let (a, b, s) = Decimal::align(self, o)?;
        Some(
            Decimal {
                mantissa: a.checked_add(b)?,
                scale: s,
            }
            .reduce(),
        )
    }

    pub fn checked_mul(self, o: Decimal) -> Option<Decimal> {
        Some(
            Decimal {
                mantissa: self.mantissa.checked_mul(o.mantissa)?,
                scale: self.scale + o.scale,
            }
            .reduce(),
        )
    }

    fn reduce(mut self) -> Decimal {
        while self.scale > 0 && self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.scale -= 1;
        }
        self
    }

    pub fn is_integer(&self) -> bool {
        self.reduce().scale == 0
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.reduce();
        if d.scale == 0 {
            return write!(f, "{}", d.mantissa);
        }
        let neg = d.mantissa < 0;
        let digits = d.mantissa.unsigned_abs().to_string();
        let s = d.scale as usize;
        let padded = if digits.len() <= s {
            format!("{}{}", "0".repeat(s - digits.len() + 1), digits)
        } else {
            digits
        };
        let (i, fr) = padded.split_at(padded.len() - s);
        write!(f, "{}{}.{}", if neg { "-" } else { "" }, i, fr)
    }
}

/// How one language writes numbers, compiled.
#[derive(Debug, Clone)]
pub struct NumberFormat {
    pub decimal: Vec<String>,
    pub group: Vec<String>,
    /// (surface, value), longest surface first, lower-case.
    pub scales: Vec<(String, Decimal)>,
    pub words: Vec<(String, Decimal)>,
    /// Regex source of one numeral in this language.
    pub numeral: String,
    numeral_re: Regex,
}

fn class(chars: &[String]) -> String {
    let mut s = String::new();
    for c in chars {
        for ch in c.chars() {
            s.push_str(&regex::escape(&ch.to_string()));
        }
    }
    s
}

impl NumberFormat {
    pub fn new(
        decimal: Vec<String>,
        group: Vec<String>,
        mut scales: Vec<(String, Decimal)>,
        mut words: Vec<(String, Decimal)>,
    ) -> Result<NumberFormat, String> {
        let d = class(&decimal);
        let g = class(&group);
        let grouped = if g.is_empty() {
            String::new()
        } else {
            format!(r"\d{{1,3}}(?:[{g}]\d{{3}})+")
        };
        let frac = if d.is_empty() {
            String::new()
        } else {
            format!(r"(?:[{d}]\d+)?")
        };
        let numeral = if grouped.is_empty() {
            format!(r"\d+{frac}")
        } else {
            format!(r"(?:{grouped}{frac}|\d+{frac})")
        };
        let numeral_re = Regex::new(&format!("^{numeral}")).map_err(|e| e.to_string())?;
        scales.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        words.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        Ok(NumberFormat {
            decimal,
            group,
            scales,
            words,
            numeral,
            numeral_re,
        })
    }

    /// A numeral as written → exact value ("1.500.000" → 1500000 in vi, "33,8" → 33.8).
    pub fn numeral_value(&self, s: &str) -> Option<Decimal> {
        let mut plain = String::with_capacity(s.len());
        for ch in s.chars() {
            let c = ch.to_string();
            if ch.is_ascii_digit() {
                plain.push(ch);
            } else if self.decimal.contains(&c) {
                plain.push('.');
            } else if self.group.contains(&c) {
                continue;
            } else {
                return None;
            }
        }
        Decimal::parse_plain(&plain)
    }

    /// An amount: numerals, number words and scale words in sequence, summed
    /// ("3억 2,000만" → 320000000; "33,8 triệu" → 33800000; "chín" → 9).
    pub fn amount(&self, text: &str) -> Option<Decimal> {
        let lower = text.to_lowercase();
        let mut rest = lower.trim();
        let mut total = Decimal::ZERO;
        let mut pending: Option<Decimal> = None;
        let mut any = false;
        while !rest.is_empty() {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            if let Some(m) = self.numeral_re.find(rest) {
                if let Some(p) = pending.take() {
                    total = total.checked_add(p)?;
                }
                pending = Some(self.numeral_value(m.as_str())?);
                rest = &rest[m.end()..];
                any = true;
                continue;
            }
            if let Some((w, v)) = self
                .words
                .iter()
                .find(|(w, _)| rest.starts_with(w.as_str()))
            {
                if let Some(p) = pending.take() {
                    total = total.checked_add(p)?;
                }
                pending = Some(*v);
                rest = &rest[w.len()..];
                any = true;
                continue;
            }
            if let Some((w, v)) = self
                .scales
                .iter()
                .find(|(w, _)| rest.starts_with(w.as_str()))
            {
                let base = pending.take().unwrap_or(Decimal {
                    mantissa: 1,
                    scale: 0,
                });
                total = total.checked_add(base.checked_mul(*v)?)?;
                rest = &rest[w.len()..];
                any = true;
                continue;
            }
            // Anything else (a suffix such as "여", a currency) ends the amount.
            break;
        }
        if let Some(p) = pending {
            total = total.checked_add(p)?;
        }
        any.then_some(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::parse_plain(s).expect("number")
    }

    fn vi() -> NumberFormat {
        NumberFormat::new(
            vec![",".into()],
            vec![".".into(), " ".into()],
            vec![
                ("triệu".into(), dec("1000000")),
                ("tỷ".into(), dec("1000000000")),
                ("nghìn".into(), dec("1000")),
            ],
            vec![("chín".into(), dec("9"))],
        )
        .expect("format")
    }

    fn ko() -> NumberFormat {
        NumberFormat::new(
            vec![".".into()],
            vec![",".into()],
            vec![
                ("만".into(), dec("10000")),
                ("억".into(), dec("100000000")),
                ("천".into(), dec("1000")),
            ],
            vec![],
        )
        .expect("format")
    }

    #[test]
    fn exact_decimals() {
        assert_eq!(
            vi().amount("33,8 triệu").map(|d| d.to_string()).as_deref(),
            Some("33800000")
        );
        assert_eq!(
            vi().amount("1,2 tỷ").map(|d| d.to_string()).as_deref(),
            Some("1200000000")
        );
        assert_eq!(
            vi().amount("1.500.000").map(|d| d.to_string()).as_deref(),
            Some("1500000")
        );
        assert_eq!(
            vi().amount("33,8").map(|d| d.to_string()).as_deref(),
            Some("33.8")
        );
        assert_eq!(
            vi().amount("chín").map(|d| d.to_string()).as_deref(),
            Some("9")
        );
    }

    #[test]
    fn korean_compounds() {
        assert_eq!(
            ko().amount("3억 2,000만").map(|d| d.to_string()).as_deref(),
            Some("320000000")
        );
        assert_eq!(
            ko().amount("5,500").map(|d| d.to_string()).as_deref(),
            Some("5500")
        );
        assert_eq!(
            ko().amount("4,500만").map(|d| d.to_string()).as_deref(),
            Some("45000000")
        );
        assert_eq!(
            ko().amount("1만 2,000").map(|d| d.to_string()).as_deref(),
            Some("12000")
        );
    }

    #[test]
    fn display() {
        assert_eq!(
            Decimal {
                mantissa: 5,
                scale: 3
            }
            .to_string(),
            "0.005"
        );
        assert_eq!(
            Decimal {
                mantissa: 3380,
                scale: 2
            }
            .to_string(),
            "33.8"
        );
    }
}
