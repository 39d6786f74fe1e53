//! What a season holds, as `weekly season K` shows it: its span and state, every issue with its
//! access and editions, the issues only a collection holds, the numbers with no issue and the
//! missing full texts per language.

use super::Season;
use crate::workspace::Workspace;
use weekly_model::{IsoDate, Lang};

/// A season at a glance.
#[derive(Debug)]
pub struct Overview {
    pub number: u32,
    /// The first and last issue numbers the season spans.
    pub first: u32,
    pub last: u32,
    /// Its last issue is out.
    pub complete: bool,
    /// How many of its issues are out (files or a collection's part).
    pub out: usize,
    /// The dates of its first and last issue out.
    pub from: Option<IsoDate>,
    pub to: Option<IsoDate>,
    /// The issues with files, in order.
    pub issues: Vec<IssueRow>,
    /// The issues only a collection in `seasons/` holds.
    pub only_collected: Vec<OnlyCollected>,
    /// Numbers up to the latest issue with no issue at all.
    pub not_out: Vec<u32>,
    /// Per language, the issues without a full text.
    pub missing: Vec<(Lang, Vec<Missing>)>,
}

/// One issue with files.
#[derive(Debug)]
pub struct IssueRow {
    pub number: u32,
    pub date: IsoDate,
    pub access: Access,
    /// What it has in each language, in the order of `languages`.
    pub editions: Vec<(Lang, Holding)>,
    /// Its theme in the primary language.
    pub theme: String,
}

/// Who may read an issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Free,
    /// Paid until this issue is out.
    PaidUntil(u32),
}

/// What an issue has in a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    Full,
    Teaser,
    Nothing,
}

/// An issue only a collection holds.
#[derive(Debug)]
pub struct OnlyCollected {
    pub number: u32,
    pub date: IsoDate,
    /// The collection's file.
    pub file: String,
    pub theme: String,
}

/// An issue without a full text in a language.
#[derive(Debug, Clone, Copy)]
pub struct Missing {
    pub number: u32,
    /// A season collection has its text (primary language).
    pub collected: bool,
}

/// What `season` holds.
pub fn overview(workspace: &Workspace, season: &Season) -> Overview {
    let config = &workspace.config;
    let issues: Vec<_> = season.issues().collect();
    let members = season.members();
    let (first, last) = (*season.range.start(), *season.range.end());
    let mut missing = Vec::new();
    for lang in &config.languages {
        let numbers: Vec<Missing> = issues
            .iter()
            .filter(|i| i.full(lang).is_none())
            .map(|i| Missing {
                number: i.number,
                collected: lang == &config.primary_language
                    && members
                        .iter()
                        .any(|m| m.number == i.number && m.part.is_some()),
            })
            .collect();
        if !numbers.is_empty() {
            missing.push((lang.clone(), numbers));
        }
    }
    let rows = issues
        .iter()
        .map(|issue| IssueRow {
            number: issue.number,
            date: issue.date,
            access: if season.is_free(workspace, issue.number) {
                Access::Free
            } else {
                Access::PaidUntil(issue.number + config.free_after)
            },
            editions: config
                .languages
                .iter()
                .map(|lang| {
                    let holding = match (issue.full(lang).is_some(), issue.teaser(lang).is_some()) {
                        (true, _) => Holding::Full,
                        (false, true) => Holding::Teaser,
                        (false, false) => Holding::Nothing,
                    };
                    (lang.clone(), holding)
                })
                .collect(),
            theme: super::theme(issue, &config.primary_language, &config.catalogue.format),
        })
        .collect();
    let only_collected = members
        .iter()
        .filter(|m| m.issue.is_none())
        .map(|member| OnlyCollected {
            number: member.number,
            date: member.date,
            file: member.part.map_or("", |p| p.file.as_str()).to_owned(),
            theme: season.theme(workspace, member, &config.primary_language),
        })
        .collect();
    let not_out = (first..=last)
        .filter(|n| n <= &season.archive.latest() && !members.iter().any(|m| m.number == *n))
        .collect();
    Overview {
        number: season.number,
        first,
        last,
        complete: season.is_complete(),
        out: members.len(),
        from: members.first().map(|m| m.date),
        to: members.last().map(|m| m.date),
        issues: rows,
        only_collected,
        not_out,
        missing,
    }
}
