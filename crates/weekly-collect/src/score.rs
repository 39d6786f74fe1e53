//! The inbox score: a sum of parts the editor can read and tune. Pure.
//!
//! - `recency`: 10 points when new, halved every `half_life_hours` (72 by default);
//! - `weight`: 5 × the highest weight of the sources that gave the link, minus 5 (a weight of
//!   1 adds nothing, 2 adds 5, 0.5 takes 2.5);
//! - `keywords`: the sum of the rules whose word appears in the title or summary (any case);
//! - `sources`: 3 points for every source beyond the first that gave the same link;
//! - `stars`: 2 × log10(stars + 1) for a GitHub repository (1,000 stars: 6 points);
//! - `growth`: 3 × log10(1 + stars gained per day) between the oldest and newest observation;
//! - `submitted by a reader`: 5 points when a reader recommended the link (`POST /submit`, the
//!   bot), since a person already chose it.

/// Tunable rules, from `[inbox]` in `weekly.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// Hours for the recency part to halve.
    pub half_life_hours: f64,
    /// Words (matched case-insensitively) and the points they add (negative to bury).
    pub keywords: Vec<(String, f64)>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            half_life_hours: 72.0,
            keywords: Vec::new(),
        }
    }
}

/// What is known about a candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Signals<'a> {
    /// Hours since it was published (or first seen).
    pub age_hours: f64,
    /// The weight of each source that gave it.
    pub weights: &'a [f64],
    /// Title and summary.
    pub text: &'a str,
    /// GitHub stars, when it is a repository.
    pub stars: Option<i64>,
    /// Stars gained per day, when observed twice or more.
    pub stars_per_day: Option<f64>,
    /// A reader recommended it.
    pub submitted: bool,
    /// Readers' interest in where it comes from: the log2 of how much more (or less) its
    /// source's and host's earlier links were clicked than the average link, when known
    /// (see [`interest`]).
    pub interest: Option<f64>,
}

/// The parts of a score.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    /// Newness.
    pub recency: f64,
    /// Source weight.
    pub weight: f64,
    /// Keyword rules.
    pub keywords: f64,
    /// Several sources.
    pub sources: f64,
    /// Star count.
    pub stars: f64,
    /// Star growth.
    pub growth: f64,
    /// Readers' interest in its source.
    pub interest: f64,
    /// A reader's recommendation.
    pub reader: f64,
}

impl Score {
    /// The sum of the parts.
    pub fn total(&self) -> f64 {
        self.recency
            + self.weight
            + self.keywords
            + self.sources
            + self.stars
            + self.growth
            + self.reader
            + self.interest
    }

    /// The non-zero parts, named, for `weekly inbox --explain`.
    pub fn parts(&self) -> Vec<(&'static str, f64)> {
        [
            ("recency", self.recency),
            ("weight", self.weight),
            ("keywords", self.keywords),
            ("sources", self.sources),
            ("stars", self.stars),
            ("growth", self.growth),
            ("submitted by a reader", self.reader),
            ("readers' interest", self.interest),
        ]
        .into_iter()
        .filter(|(_, v)| v.abs() >= 0.005)
        .collect()
    }
}

/// Scores a candidate.
pub fn score(rules: &Rules, signals: &Signals<'_>) -> Score {
    let half_life = rules.half_life_hours.max(1.0);
    let age = signals.age_hours.max(0.0);
    let text = signals.text.to_lowercase();
    let best = signals.weights.iter().copied().fold(f64::NAN, f64::max);
    let best = if best.is_nan() { 1.0 } else { best };
    Score {
        recency: 10.0 * 0.5_f64.powf(age / half_life),
        weight: 5.0 * best - 5.0,
        keywords: rules
            .keywords
            .iter()
            .filter(|(word, _)| !word.is_empty() && text.contains(&word.to_lowercase()))
            .map(|(_, points)| points)
            .sum(),
        sources: 3.0 * signals.weights.len().saturating_sub(1) as f64,
        stars: signals
            .stars
            .map_or(0.0, |s| 2.0 * ((s.max(0) as f64) + 1.0).log10()),
        growth: signals
            .stars_per_day
            .map_or(0.0, |g| 3.0 * (1.0 + g.max(0.0)).log10()),
        reader: if signals.submitted { 5.0 } else { 0.0 },
        interest: signals
            .interest
            .map_or(0.0, |ratio| (3.0 * ratio).clamp(-4.0, 6.0)),
    }
}

/// How readers took to the links of one source: links featured and human clicks on them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Taken {
    /// Links of the source featured in tracked campaigns.
    pub featured: f64,
    /// Human clicks on them.
    pub clicks: f64,
}

/// Readers' interest in a source, as the log2 of its click rate over the average link's: its
/// rate is pulled towards the average by three links' worth of evidence, so that one lucky
/// link does not make a source. `None` without clicks to compare with.
pub fn interest(source: Taken, all: Taken) -> Option<f64> {
    if all.featured <= 0.0 || all.clicks <= 0.0 || source.featured <= 0.0 {
        return None;
    }
    let average = all.clicks / all.featured;
    let prior = 3.0;
    let rate = (source.clicks + prior * average) / (source.featured + prior);
    Some((rate / average).log2())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_interest_follows_clicks_relative_to_how_often_a_source_was_featured() {
        let all = Taken {
            featured: 100.0,
            clicks: 200.0,
        };
        // Twice the average over ten links: clearly up; once over one link: barely.
        let loved = interest(
            Taken {
                featured: 10.0,
                clicks: 40.0,
            },
            all,
        )
        .unwrap();
        let lucky = interest(
            Taken {
                featured: 1.0,
                clicks: 4.0,
            },
            all,
        )
        .unwrap();
        let ignored = interest(
            Taken {
                featured: 10.0,
                clicks: 0.0,
            },
            all,
        )
        .unwrap();
        assert!(loved > 0.6 && loved < 1.0, "{loved}");
        assert!(lucky > 0.0 && lucky < loved, "{lucky}");
        assert!(ignored < -1.0, "{ignored}");
        assert_eq!(
            interest(
                Taken {
                    featured: 3.0,
                    clicks: 1.0
                },
                Taken::default()
            ),
            None
        );
        let rules = Rules::default();
        let signals = |interest| Signals {
            age_hours: 0.0,
            weights: &[1.0],
            text: "",
            stars: None,
            stars_per_day: None,
            submitted: false,
            interest,
        };
        let part = score(&rules, &signals(Some(loved))).interest;
        assert!((part - 3.0 * loved).abs() < 1e-9);
        assert!(score(&rules, &signals(Some(10.0))).interest <= 6.0);
        assert!(score(&rules, &signals(Some(-10.0))).interest >= -4.0);
        assert!(
            score(&rules, &signals(Some(loved)))
                .parts()
                .iter()
                .any(|(n, _)| *n == "readers' interest")
        );
    }

    #[test]
    fn parts_add_up_as_documented() {
        let rules = Rules {
            half_life_hours: 72.0,
            keywords: vec![("asyncio".into(), 4.0), ("crypto".into(), -6.0)],
        };
        let s = score(
            &rules,
            &Signals {
                age_hours: 72.0,
                weights: &[1.0, 2.0],
                text: "Understanding AsyncIO in depth",
                stars: Some(999),
                stars_per_day: Some(99.0),
                submitted: true,
                interest: None,
            },
        );
        assert!((s.recency - 5.0).abs() < 1e-9);
        assert!((s.weight - 5.0).abs() < 1e-9);
        assert!((s.keywords - 4.0).abs() < 1e-9);
        assert!((s.sources - 3.0).abs() < 1e-9);
        assert!((s.stars - 6.0).abs() < 1e-9);
        assert!((s.growth - 6.0).abs() < 1e-9);
        assert!((s.reader - 5.0).abs() < 1e-9);
        assert!((s.total() - 34.0).abs() < 1e-9);
        assert_eq!(s.parts().len(), 7);
        assert_eq!(s.parts()[6].0, "submitted by a reader");
    }

    #[test]
    fn newer_and_heavier_rank_higher() {
        let rules = Rules::default();
        let at = |age: f64, w: f64| {
            score(
                &rules,
                &Signals {
                    age_hours: age,
                    weights: &[w],
                    text: "",
                    stars: None,
                    stars_per_day: None,
                    submitted: false,
                    interest: None,
                },
            )
            .total()
        };
        assert!(at(1.0, 1.0) > at(48.0, 1.0));
        assert!(at(48.0, 2.0) > at(1.0, 1.0));
        let s = score(
            &rules,
            &Signals {
                age_hours: 0.0,
                weights: &[1.0],
                text: "",
                stars: None,
                stars_per_day: None,
                submitted: false,
                interest: None,
            },
        );
        assert_eq!(s.parts(), vec![("recency", 10.0)]);
    }
}
