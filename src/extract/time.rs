//! Dates and periods: validating normalized values, period bounds, and resolving the year of
//! year-less expressions (SPEC §4.1) as a step of its own, after matching.

/// Days in a month (Gregorian).
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// (year or None for XXXX, month, day) of a `YYYY-MM-DD` / `XXXX-MM-DD` value, if valid.
pub fn parse_date(v: &str) -> Option<(Option<i32>, u32, u32)> {
    let b = v.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = if &v[..4] == "XXXX" {
        None
    } else {
        Some(v[..4].parse::<i32>().ok()?)
    };
    let m: u32 = v[5..7].parse().ok()?;
    let d: u32 = v[8..10].parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(year.unwrap_or(2000), m) {
        return None;
    }
    if let Some(y) = year {
        if !(1000..=2999).contains(&y) {
            return None;
        }
    }
    Some((year, m, d))
}

fn year4(s: &str) -> Option<i32> {
    (s.len() == 4)
        .then(|| s.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1000..=2999).contains(y))
}

/// The first and last day of a period value, or None if the value is not a valid period.
/// Unresolved years (`XXXX`) are valid and have no bounds.
pub fn period_bounds(v: &str) -> Option<Option<(String, String)>> {
    if let Some((a, b)) = v.split_once('/') {
        if a.len() == 4 && b.len() == 4 {
            let (ya, yb) = (year4(a)?, year4(b)?);
            if yb < ya {
                return None;
            }
            return Some(Some((format!("{ya:04}-01-01"), format!("{yb:04}-12-31"))));
        }
        let (da, db) = (parse_date(a)?, parse_date(b)?);
        if da.0.is_none() || db.0.is_none() || (da.0, da.1, da.2) > (db.0, db.1, db.2) {
            return None;
        }
        return Some(Some((a.to_string(), b.to_string())));
    }
    let (y, rest) = (v.get(..4)?, v.get(4..)?);
    let year = if y == "XXXX" { None } else { Some(year4(y)?) };
    let (from, to) = match rest {
        "" => ((1, 1), (12, 31)),
        "-H1" => ((1, 1), (6, 30)),
        "-H2" => ((7, 1), (12, 31)),
        "-Q1" => ((1, 1), (3, 31)),
        "-Q2" => ((4, 1), (6, 30)),
        "-Q3" => ((7, 1), (9, 30)),
        "-Q4" => ((10, 1), (12, 31)),
        r if r.len() == 3 && r.starts_with('-') => {
            let m: u32 = r[1..].parse().ok()?;
            if !(1..=12).contains(&m) {
                return None;
            }
            ((m, 1), (m, days_in_month(year.unwrap_or(2001), m)))
        }
        _ => return None,
    };
    Some(year.map(|y| {
        (
            format!("{y:04}-{:02}-{:02}", from.0, from.1),
            format!("{y:04}-{:02}-{:02}", to.0, to.1),
        )
    }))
}

/// Is `v` a valid value of `kind`? Dates and periods are checked against SPEC §4 forms.
pub fn valid_value(kind: &str, v: &str) -> bool {
    match kind {
        "date" => parse_date(v).is_some(),
        "period" => period_bounds(v).is_some(),
        "member_count" | "headcount" => {
            !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()) && v != "0"
        }
        "donation" => {
            !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.') && v != "0"
        }
        _ => !v.trim().is_empty(),
    }
}

/// A (year, month, day) from the start of an ISO date or timestamp.
pub fn ymd(s: &str) -> Option<(i32, u32, u32)> {
    let (y, m, d) = parse_date(s.get(..10)?)?;
    Some((y?, m, d))
}

/// The year for a year-less day and month: nearest before `anchor`, or nearest after when
/// the text announces something to come.
pub fn year_for(month: u32, day: u32, anchor: (i32, u32, u32), future: bool) -> i32 {
    let (ay, am, ad) = anchor;
    let after_anchor = (month, day) > (am, ad);
    match (future, after_anchor) {
        (false, false) => ay,
        (false, true) => ay - 1,
        (true, true) => ay,
        (true, false) => {
            if (month, day) == (am, ad) {
                ay
            } else {
                ay + 1
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert!(valid_value("date", "2023-07-13"));
        assert!(valid_value("date", "XXXX-03-20"));
        assert!(!valid_value("date", "2023-02-30"));
        assert!(valid_value("period", "2023-H1"));
        assert!(valid_value("period", "2021/2025"));
        assert!(valid_value("period", "2025-12-24/2025-12-26"));
        assert!(!valid_value("period", "2023-M1"));
        assert!(!valid_value("period", "2025/2021"));
        assert_eq!(
            period_bounds("2024-Q1"),
            Some(Some(("2024-01-01".into(), "2024-03-31".into())))
        );
        assert_eq!(
            period_bounds("2024-02"),
            Some(Some(("2024-02-01".into(), "2024-02-29".into())))
        );
    }

    #[test]
    fn year_resolution() {
        assert_eq!(year_for(3, 20, (2024, 3, 21), false), 2024);
        assert_eq!(year_for(12, 26, (2024, 1, 5), false), 2023);
        assert_eq!(year_for(3, 30, (2025, 2, 15), true), 2025);
        assert_eq!(year_for(1, 10, (2025, 2, 15), true), 2026);
    }
}
