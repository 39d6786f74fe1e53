//! Totals over issues: per season and over the whole archive, and the flat figures a landing
//! page reads (`stats.json`).

use crate::issue::IssueStats;
use weekly_model::{Catalogue, Counts, Seasons};

/// Sums over a range of issues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Season number (1-based), or 0 for the whole archive.
    pub season: u32,
    /// First and last issue number in the range.
    pub first: u32,
    /// Last issue number.
    pub last: u32,
    /// Issues counted.
    pub issues: u32,
    /// Entries per counted section.
    pub counts: Counts,
    /// Han characters of the full texts.
    pub han: u64,
}

impl Totals {
    /// The totals of `issues` (any order), labelled with `season`.
    pub fn of(season: u32, issues: &[&IssueStats], catalogue: &Catalogue) -> Totals {
        let mut counts = Counts::zero(catalogue);
        for stats in issues {
            counts.add(&stats.counts);
        }
        Totals {
            season,
            first: issues.iter().map(|s| s.number).min().unwrap_or(0),
            last: issues.iter().map(|s| s.number).max().unwrap_or(0),
            issues: issues.len() as u32,
            counts,
            han: issues.iter().map(|s| u64::from(s.words.han)).sum(),
        }
    }
}

/// Totals per season, for the seasons that have issues.
pub fn seasons(issues: &[IssueStats], seasons: &Seasons, catalogue: &Catalogue) -> Vec<Totals> {
    let mut out = Vec::new();
    let last_season = issues
        .iter()
        .map(|s| seasons.of(s.number))
        .max()
        .unwrap_or(0);
    for season in 1..=last_season {
        let members: Vec<&IssueStats> = issues
            .iter()
            .filter(|s| seasons.of(s.number) == season)
            .collect();
        if !members.is_empty() {
            out.push(Totals::of(season, &members, catalogue));
        }
    }
    out
}

/// The flat figures of a landing page: `total_<name>` per counted section and `total_issues`.
/// The five sections of the default catalogue keep the names the Python Trending Weekly landing
/// page reads (`total_articles`, `total_projects`, `total_audio_video`, `total_hot_topics`,
/// `total_books`).
pub fn landing_figures(totals: &Totals) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = totals
        .counts
        .iter()
        .map(|(key, n)| {
            let name = match key.as_str() {
                "media" => "audio_video",
                "discussions" => "hot_topics",
                other => other,
            };
            (format!("total_{name}"), u64::from(n))
        })
        .collect();
    out.push(("total_issues".into(), u64::from(totals.issues)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::Source;
    use crate::words::WordCounts;
    use weekly_model::IsoDate;

    fn issue(number: u32, articles: u32) -> IssueStats {
        let catalogue = Catalogue::python_weekly();
        let mut counts = Counts::zero(&catalogue);
        counts.set("articles", articles);
        IssueStats {
            number,
            date: IsoDate::new(2024, 1, 1).unwrap(),
            source: Source::Full,
            counts,
            entries: articles,
            words: WordCounts {
                han: 10,
                jieba: 8,
                latin: 1,
            },
        }
    }

    #[test]
    fn seasons_and_landing_figures() {
        let catalogue = Catalogue::python_weekly();
        let issues: Vec<IssueStats> = (1..=5).map(|n| issue(n, n)).collect();
        let seasons = seasons(&issues, &Seasons::regular(2), &catalogue);
        let summary: Vec<(u32, u32, u32, u32)> = seasons
            .iter()
            .map(|t| (t.season, t.first, t.last, t.counts.get("articles")))
            .collect();
        assert_eq!(summary, [(1, 1, 2, 3), (2, 3, 4, 7), (3, 5, 5, 5)]);
        let all: Vec<&IssueStats> = issues.iter().collect();
        let total = Totals::of(0, &all, &catalogue);
        assert_eq!(total.han, 50);
        let figures = landing_figures(&total);
        let names: Vec<&str> = figures.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "total_articles",
                "total_projects",
                "total_audio_video",
                "total_hot_topics",
                "total_books",
                "total_issues"
            ]
        );
        assert_eq!((figures[0].1, figures[5].1), (15, 5));
    }
}
