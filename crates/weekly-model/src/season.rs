//! Which issues form which season: a fixed length, with explicit ranges for irregular seasons.

use std::ops::RangeInclusive;

/// An explicit season: `number` holds issues `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SeasonRange {
    /// Season number, from 1.
    pub number: u32,
    /// First issue of the season.
    pub first: u32,
    /// Last issue of the season.
    pub last: u32,
}

/// How issues are grouped into seasons.
///
/// Season 1 starts at issue 1 and every season starts right after the one before it. A season
/// listed in `explicit` has the range given there; any other has `length` issues.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Seasons {
    length: u32,
    /// Explicit seasons in order, each starting right after the one before it.
    explicit: Vec<SeasonRange>,
}

/// Why explicit seasons do not fit together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeasonsError {
    /// Index of the offending explicit season in the list given.
    pub index: usize,
    /// What is wrong.
    pub message: String,
}

impl Seasons {
    /// Seasons of `length` issues (at least 1) and no exceptions.
    pub fn regular(length: u32) -> Seasons {
        Seasons {
            length: length.max(1),
            explicit: Vec::new(),
        }
    }

    /// Seasons of `length` issues, except those in `explicit`, which must be given in order and
    /// each start where the seasons before it end.
    pub fn new(length: u32, explicit: Vec<SeasonRange>) -> Result<Seasons, SeasonsError> {
        let mut seasons = Seasons::regular(length);
        for (index, range) in explicit.into_iter().enumerate() {
            let fail = |message: String| Err(SeasonsError { index, message });
            if range.number == 0 {
                return fail("seasons are numbered from 1".into());
            }
            if let Some(previous) = seasons.explicit.last()
                && range.number <= previous.number
            {
                return fail(format!(
                    "season {} is listed after season {}: list seasons in order, once each",
                    range.number, previous.number
                ));
            }
            if range.last < range.first {
                return fail(format!(
                    "season {} ends (issue {}) before it starts (issue {})",
                    range.number, range.last, range.first
                ));
            }
            let expected = *seasons.range(range.number).start();
            if range.first != expected {
                return fail(format!(
                    "season {} must start at issue {expected}, right after season {}",
                    range.number,
                    range.number - 1
                ));
            }
            seasons.explicit.push(range);
        }
        Ok(seasons)
    }

    /// Issues per regular season.
    pub fn length(&self) -> u32 {
        self.length
    }

    /// The explicit seasons.
    pub fn explicit(&self) -> &[SeasonRange] {
        &self.explicit
    }

    /// The issues of season `season` (from 1; season 0 is taken as 1).
    pub fn range(&self, season: u32) -> RangeInclusive<u32> {
        let season = season.max(1);
        if let Some(r) = self.explicit.iter().find(|r| r.number == season) {
            return r.first..=r.last;
        }
        // The nearest explicit season before this one fixes where the regular run starts.
        let (base_number, base_last) = self
            .explicit
            .iter()
            .rev()
            .find(|r| r.number < season)
            .map_or((0, 0), |r| (r.number, r.last));
        let first = base_last + (season - base_number - 1) * self.length + 1;
        first..=first + self.length - 1
    }

    /// The season issue `number` belongs to (issue 0 is taken as 1).
    pub fn of(&self, number: u32) -> u32 {
        let number = number.max(1);
        let (base_number, base_last) = match self.explicit.iter().find(|r| number <= r.last) {
            Some(r) if number >= r.first => return r.number,
            // Before explicit season `r`: count regular seasons from the explicit one before it.
            Some(r) => self
                .explicit
                .iter()
                .rev()
                .find(|e| e.number < r.number)
                .map_or((0, 0), |e| (e.number, e.last)),
            None => self.explicit.last().map_or((0, 0), |e| (e.number, e.last)),
        };
        base_number + (number - base_last - 1) / self.length + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(number: u32, first: u32, last: u32) -> SeasonRange {
        SeasonRange {
            number,
            first,
            last,
        }
    }

    #[test]
    fn regular_seasons() {
        let s = Seasons::regular(30);
        assert_eq!(s.of(1), 1);
        assert_eq!(s.of(30), 1);
        assert_eq!(s.of(31), 2);
        assert_eq!(s.range(3), 61..=90);
        assert_eq!(s.of(0), 1);
    }

    #[test]
    fn an_irregular_season_shifts_the_ones_after_it() {
        let s = Seasons::new(30, vec![range(2, 31, 64)]).unwrap();
        assert_eq!(s.range(1), 1..=30);
        assert_eq!(s.range(2), 31..=64);
        assert_eq!(s.range(3), 65..=94);
        assert_eq!(s.of(64), 2);
        assert_eq!(s.of(65), 3);
        assert_eq!(s.of(95), 4);
        // Every issue's season agrees with every season's range.
        for n in 1..400 {
            assert!(s.range(s.of(n)).contains(&n), "issue {n}");
        }
    }

    #[test]
    fn several_explicit_seasons_agree_with_their_ranges() {
        let s = Seasons::new(10, vec![range(1, 1, 4), range(3, 15, 15), range(4, 16, 40)]).unwrap();
        assert_eq!(s.range(2), 5..=14);
        for n in 1..200 {
            let season = s.of(n);
            assert!(s.range(season).contains(&n), "issue {n} in season {season}");
        }
        assert_eq!(s.of(41), 5);
    }

    #[test]
    fn explicit_seasons_that_do_not_fit_are_refused() {
        let gap = Seasons::new(30, vec![range(2, 40, 70)]).unwrap_err();
        assert!(gap.message.contains("start at issue 31"), "{}", gap.message);
        let order = Seasons::new(30, vec![range(3, 61, 90), range(2, 31, 60)]).unwrap_err();
        assert_eq!(order.index, 1);
        assert!(Seasons::new(30, vec![range(1, 1, 0)]).is_err());
        assert!(Seasons::new(30, vec![range(0, 1, 5)]).is_err());
    }
}
