//! Calendar dates in ISO form (`YYYY-MM-DD`), validated, without a clock.

use std::fmt;

/// A proleptic Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate {
    year: u16,
    month: u8,
    day: u8,
}

impl IsoDate {
    /// Builds a date, returning `None` for an impossible one (month 13, 30 February…).
    pub fn new(year: u16, month: u8, day: u8) -> Option<IsoDate> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(IsoDate { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (surrounding whitespace and quotes allowed).
    pub fn parse(text: &str) -> Option<IsoDate> {
        let text = text.trim().trim_matches(|c| c == '\'' || c == '"');
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = text[0..4].parse().ok()?;
        let month = text[5..7].parse().ok()?;
        let day = text[8..10].parse().ok()?;
        IsoDate::new(year, month, day)
    }

    /// A date as editors write it in headers: `2024-01-03`, unpadded `2020-12-2`, with a time
    /// after a space or `T` (`2020-12-2 18:46`, `2024-01-03T10:00:00Z`), which is left out.
    pub fn parse_loose(text: &str) -> Option<IsoDate> {
        let text = text.trim().trim_matches(|c| c == '\'' || c == '"');
        let date = text.split([' ', 'T', 't']).next()?;
        let mut parts = date.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let digits = |p: &str, max: usize| {
            !p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit())
        };
        if y.len() != 4 || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
            return None;
        }
        IsoDate::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Finds the first `YYYY-MM-DD` inside a longer string such as a file name.
    pub fn find_in(text: &str) -> Option<IsoDate> {
        let bytes = text.as_bytes();
        (0..bytes.len().saturating_sub(9))
            .filter(|&i| text.is_char_boundary(i) && text.is_char_boundary(i + 10))
            .find_map(|i| IsoDate::parse(&text[i..i + 10]))
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Day of the week, 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (3).
        ((self.days_since_epoch() + 3).rem_euclid(7)) as u8
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_and_rejects_invalid() {
        assert_eq!(
            IsoDate::parse("2023-05-13").unwrap().to_string(),
            "2023-05-13"
        );
        assert!(IsoDate::parse("2023-02-29").is_none());
        assert!(IsoDate::parse("2024-02-29").is_some());
        assert!(IsoDate::parse("2023-13-01").is_none());
        assert!(IsoDate::parse("2023-5-13").is_none());
    }

    #[test]
    fn finds_date_in_file_name() {
        let d = IsoDate::find_in("docs/2025-04-20-iweekly.md").unwrap();
        assert_eq!(d.to_string(), "2025-04-20");
        assert!(IsoDate::find_in("周刊-2023").is_none());
    }

    #[test]
    fn weekday_is_right() {
        // 2023-05-13 was a Saturday, 2023-05-31 a Wednesday.
        assert_eq!(IsoDate::parse("2023-05-13").unwrap().weekday(), 5);
        assert_eq!(IsoDate::parse("2023-05-31").unwrap().weekday(), 2);
        assert_eq!(IsoDate::parse("1970-01-01").unwrap().days_since_epoch(), 0);
    }
}
