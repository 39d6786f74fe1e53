//! What a season's wrap-up tells beyond the totals: its busiest issues, the sites and GitHub
//! owners it featured most, its most-starred projects, and the sections it was the first to use.

use crate::issue::IssueStats;
use std::collections::{BTreeSet, HashMap};
use weekly_model::{Catalogue, Document, SectionKey};

/// An entry with its star count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Starred {
    /// Issue it appeared in.
    pub issue: u32,
    /// Plain title.
    pub title: String,
    /// Its link.
    pub url: String,
    /// Stars noted in the issue.
    pub stars: u32,
}

/// The facts of one season.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SeasonFacts {
    /// Issues with the most counted entries: (number, entries), most first (half of `top`).
    pub busiest: Vec<(u32, u32)>,
    /// Sites linked by more than one entry: (host without `www.`, entries), most first.
    pub domains: Vec<(String, u32)>,
    /// GitHub users and organisations with more than one entry: (owner, entries), most first.
    pub owners: Vec<(String, u32)>,
    /// Entries with the most stars, most first.
    pub starred: Vec<Starred>,
    /// Counted sections this season has entries in and no earlier season had.
    pub new_sections: Vec<SectionKey>,
}

/// Paths of github.com that are not a user or an organisation.
const NOT_OWNERS: &[&str] = &[
    "about",
    "apps",
    "collections",
    "enterprise",
    "features",
    "login",
    "marketplace",
    "orgs",
    "pricing",
    "readme",
    "search",
    "settings",
    "site",
    "sponsors",
    "topics",
    "trending",
];

/// The facts of a season from its issues' figures and documents (`documents`: the edition
/// each issue was counted from), `earlier`: the figures of every earlier issue. Lists are cut
/// to `top` items; ties are broken by name (or issue number) so the result is stable.
pub fn season_facts(
    stats: &[&IssueStats],
    documents: &[(u32, &Document)],
    earlier: &[&IssueStats],
    catalogue: &Catalogue,
    top: usize,
) -> SeasonFacts {
    let mut busiest: Vec<(u32, u32)> = stats
        .iter()
        .map(|s| (s.number, s.counts.iter().map(|(_, n)| n).sum()))
        .collect();
    busiest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    busiest.truncate(top.div_ceil(2));

    let mut domains: HashMap<String, u32> = HashMap::new();
    let mut owners: HashMap<String, u32> = HashMap::new();
    let mut starred = Vec::new();
    for &(number, document) in documents {
        for (section, entry) in document.entries() {
            if !catalogue.is_counted(&section.key) {
                continue;
            }
            let Some(url) = entry.url() else { continue };
            let Some((host, path)) = host_and_path(&url) else {
                continue;
            };
            if host == "github.com"
                && let Some(owner) = path.split('/').find(|s| !s.is_empty())
                && !NOT_OWNERS.contains(&owner.to_ascii_lowercase().as_str())
            {
                *owners.entry(owner.to_owned()).or_default() += 1;
            }
            *domains.entry(host).or_default() += 1;
            if let Some(stars) = entry.stars() {
                starred.push(Starred {
                    issue: number,
                    title: entry.plain_title(),
                    url,
                    stars,
                });
            }
        }
    }
    starred.sort_by(|a, b| {
        b.stars
            .cmp(&a.stars)
            .then(a.issue.cmp(&b.issue))
            .then(a.title.cmp(&b.title))
    });
    starred.truncate(top);

    let used = |list: &[&IssueStats]| -> BTreeSet<String> {
        list.iter()
            .flat_map(|s| s.counts.iter())
            .filter(|(_, n)| *n > 0)
            .map(|(k, _)| k.to_string())
            .collect()
    };
    let before = used(earlier);
    let now = used(stats);
    let new_sections = catalogue
        .sections
        .iter()
        .filter(|d| d.counted && now.contains(d.key.as_str()) && !before.contains(d.key.as_str()))
        .map(|d| d.key.clone())
        .collect();
    SeasonFacts {
        busiest,
        domains: ranked(domains, top),
        owners: ranked(owners, top),
        starred,
        new_sections: if earlier.is_empty() {
            Vec::new()
        } else {
            new_sections
        },
    }
}

/// The `top` most frequent names, those seen once left out.
fn ranked(counts: HashMap<String, u32>, top: usize) -> Vec<(String, u32)> {
    let mut list: Vec<(String, u32)> = counts.into_iter().filter(|(_, n)| *n > 1).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(top);
    list
}

/// The host (lower case, without `www.`, user or port) and the path of an http(s) URL.
fn host_and_path(url: &str) -> Option<(String, &str)> {
    let (scheme, rest) = url.trim().split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    if host.is_empty() {
        return None;
    }
    let path = rest[end..].split(['?', '#']).next().unwrap_or("");
    Some((host, path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use weekly_model::{IsoDate, Lang};
    use weekly_parse::{ParseOptions, parse_document};

    fn doc(text: &str) -> Document {
        parse_document(
            text,
            &ParseOptions {
                file: "t.md",
                lang: &Lang::zh(),
                catalogue: &Catalogue::python_weekly(),
            },
        )
        .document
    }

    fn stats(number: u32, document: &Document) -> IssueStats {
        crate::issue_counts(
            number,
            IsoDate::parse("2024-01-06").unwrap(),
            document,
            &[],
            &Catalogue::python_weekly(),
        )
    }

    #[test]
    fn hosts_and_owners() {
        assert_eq!(
            host_and_path("https://WWW.Example.org:8080/a?b#c"),
            Some(("example.org".into(), "/a"))
        );
        assert_eq!(
            host_and_path("https://u@github.com/astral-sh/uv"),
            Some(("github.com".into(), "/astral-sh/uv"))
        );
        assert_eq!(host_and_path("mailto:a@b.c"), None);
        assert_eq!(host_and_path("https:///x"), None);
    }

    #[test]
    fn facts_of_a_season() {
        let first = doc(
            "## 🦄文章&教程\n\n1、[a](https://www.example.org/1)\n\n2、[b](https://example.org/2)\n\n## 🐿️项目&资源\n\n1、[uv](https://github.com/astral-sh/uv)\n\n快（star 50K）。\n\n2、[ruff](https://github.com/astral-sh/ruff)\n\n（star 30K）\n\n3、[t](https://github.com/topics/python)\n",
        );
        let second = doc(
            "## 🦄文章&教程\n\n1、[c](https://blog.example.net/c)\n\n## 🐢播客&视频\n\n1、[v](https://youtube.com/watch?v=1)\n",
        );
        let earlier_doc = doc("## 🦄文章&教程\n\n1、[old](https://example.org/old)\n");
        let s1 = stats(31, &first);
        let s2 = stats(32, &second);
        let s0 = stats(1, &earlier_doc);
        let facts = season_facts(
            &[&s1, &s2],
            &[(31, &first), (32, &second)],
            &[&s0],
            &Catalogue::python_weekly(),
            3,
        );
        assert_eq!(facts.busiest, vec![(31, 5), (32, 2)]);
        // Sites seen once are left out.
        assert_eq!(
            facts.domains,
            vec![("github.com".into(), 3), ("example.org".into(), 2)]
        );
        assert_eq!(facts.owners, vec![("astral-sh".into(), 2)]);
        let stars: Vec<(&str, u32)> = facts
            .starred
            .iter()
            .map(|s| (s.title.as_str(), s.stars))
            .collect();
        assert_eq!(stars, vec![("uv", 50_000), ("ruff", 30_000)]);
        let new: Vec<&str> = facts.new_sections.iter().map(SectionKey::as_str).collect();
        assert_eq!(new, vec!["projects", "media"]);
    }
}
