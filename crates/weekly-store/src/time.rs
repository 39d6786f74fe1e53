//! The one form a time takes in the store, on both engines: RFC 3339 text in UTC to the
//! second (`2026-12-05T08:00:00Z`), which sorts as it reads, so a query compares times as
//! text. Callers that keep a clock in Unix seconds (leases, retries, translation claims) hand
//! it over as such, and it is written and compared in this form (migration 0009 turned the
//! columns that held seconds into it, and the translation memory's `YYYY-MM-DD HH:MM:SS`).

use chrono::{DateTime, SecondsFormat, Utc};

/// The earliest time the store writes: "long ago", for a lease or retry that has none.
pub const EPOCH: &str = "1970-01-01T00:00:00Z";

/// The last second of year 9999, the latest time the form can hold.
const LATEST: i64 = 253_402_300_799;

/// `secs` (Unix seconds) in the store's form; earlier than 1970 or later than 9999 are
/// written as those limits, so that the text still sorts.
pub fn at(secs: i64) -> String {
    DateTime::<Utc>::from_timestamp(secs.clamp(0, LATEST), 0).map_or_else(|| EPOCH.to_owned(), of)
}

/// `time` in the store's form.
pub fn of(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Now, in the store's form.
pub fn now() -> String {
    of(Utc::now())
}

/// The Unix seconds of a time in the store's form (`None` for other text).
pub fn seconds(stamp: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(stamp)
        .ok()
        .map(|t| t.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_and_text_go_both_ways_and_sort_alike() {
        assert_eq!(at(0), EPOCH);
        assert_eq!(at(1_796_630_400), "2026-12-07T08:00:00Z");
        assert_eq!(seconds("2026-12-07T08:00:00Z"), Some(1_796_630_400));
        assert_eq!(at(-5), EPOCH);
        assert_eq!(at(i64::MAX), "9999-12-31T23:59:59Z");
        assert_eq!(seconds("2026-12-07 08:00:00"), None);
        let clocks = [
            0,
            59,
            60,
            3_599,
            86_400,
            1_000_000_000,
            1_796_630_400,
            LATEST,
        ];
        let texts: Vec<String> = clocks.iter().map(|&s| at(s)).collect();
        let mut sorted = texts.clone();
        sorted.sort();
        assert_eq!(texts, sorted, "text order is time order");
    }
}
