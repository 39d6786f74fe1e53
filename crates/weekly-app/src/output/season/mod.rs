//! One season of the workspace: its issues, which of their texts are public, and the files made
//! from them (collection, links-only edition, wrap-up post, word cloud), named in `seasons/`;
//! what it holds as an [`overview`], and its files written by [`write_files`].

mod overview;
mod writing;

pub use overview::{Access, Holding, IssueRow, Missing, OnlyCollected, Overview, overview};
pub use writing::{Told, Written, write_files};

use crate::archive::{Archive, Issue};
use crate::collected::{CollectedPart, collected_parts};
use crate::editions::issue_url;
use crate::workspace::Workspace;
use anyhow::{Result, bail};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::PathBuf;
use weekly_model::{Document, IsoDate, Lang};
use weekly_render::collection::{CollectedIssue, CollectionHead, collection, issue_heading};
use weekly_render::wrapup::{Ranked, TotalLine, Wrapup, editor_words, wrapup};
use weekly_stats::{IssueStats, Totals, season_facts};

/// A season and the whole archive it is part of (earlier seasons are compared with it).
#[derive(Debug)]
pub struct Season {
    /// Season number.
    pub number: u32,
    /// The issues the season spans.
    pub range: RangeInclusive<u32>,
    /// Every issue of the workspace.
    pub archive: Archive,
    /// The season's issues as the primary-language collections in `seasons/` hold them.
    parts: BTreeMap<u32, CollectedPart>,
}

/// One issue of a season: its files, or its part in a collection, or both.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    /// Issue number.
    pub number: u32,
    /// Publication date.
    pub date: IsoDate,
    /// The issue's files, when the workspace has them.
    pub issue: Option<&'a Issue>,
    /// Its part in a season collection, when one holds it.
    pub part: Option<&'a CollectedPart>,
}

/// The files `weekly season K --write` makes, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeasonFile {
    /// Every issue's content sections.
    Collection,
    /// Every link by section.
    Links,
    /// The wrap-up post.
    Wrapup,
    /// The word cloud the wrap-up post shows.
    Cloud,
    /// The public e-book.
    Epub,
}

impl SeasonFile {
    /// Its name in `seasons/`.
    pub fn name(self, season: u32, lang: &Lang) -> String {
        match self {
            SeasonFile::Collection => format!("season-{season}.{lang}.md"),
            SeasonFile::Links => format!("season-{season}-links.{lang}.md"),
            SeasonFile::Wrapup => format!("season-{season}-wrapup.{lang}.md"),
            SeasonFile::Cloud => format!("season-{season}-cloud.{lang}.svg"),
            SeasonFile::Epub => format!("season-{season}.{lang}.epub"),
        }
    }
}

impl Season {
    /// Loads the workspace's issues for season `number`, which must have begun.
    pub fn load(workspace: &Workspace, number: u32) -> Result<Season> {
        Season::of_archive(workspace, number, Archive::load(workspace)?)
    }

    /// Season `number` of the same archive (a run over several seasons loads it once).
    pub fn next(self, workspace: &Workspace, number: u32) -> Result<Season> {
        Season::of_archive(workspace, number, self.archive)
    }

    fn of_archive(workspace: &Workspace, number: u32, archive: Archive) -> Result<Season> {
        if number == 0 {
            bail!("seasons are numbered from 1");
        }
        let range = workspace.config.seasons.range(number);
        let parts: BTreeMap<u32, CollectedPart> = collected_parts(workspace)?
            .into_iter()
            .filter(|(n, _)| range.contains(n))
            .collect();
        if parts.is_empty() && !archive.issues.iter().any(|i| range.contains(&i.number)) {
            let latest = archive.latest();
            bail!(
                "season {number} (issues #{}–#{}) has no issues yet; the latest issue is #{latest}, in season {}",
                range.start(),
                range.end(),
                workspace.config.seasons.of(latest.max(1))
            );
        }
        Ok(Season {
            number,
            range,
            archive,
            parts,
        })
    }

    /// The season's issues with files, in order.
    pub fn issues(&self) -> impl Iterator<Item = &Issue> {
        self.archive
            .issues
            .iter()
            .filter(|i| self.range.contains(&i.number))
    }

    /// Every issue of the season, in order: those with files, and those only a collection in
    /// `seasons/` holds (with a date).
    pub fn members(&self) -> Vec<Member<'_>> {
        let mut out: Vec<Member<'_>> = self
            .issues()
            .map(|issue| Member {
                number: issue.number,
                date: issue.date,
                issue: Some(issue),
                part: self.parts.get(&issue.number),
            })
            .collect();
        for (number, part) in &self.parts {
            if let Some(date) = part.date
                && self.archive.issue(*number).is_none()
            {
                out.push(Member {
                    number: *number,
                    date,
                    issue: None,
                    part: Some(part),
                });
            }
        }
        out.sort_by_key(|m| m.number);
        out
    }

    /// The text of `member` a `lang` reader of the season's files gets: its full text in
    /// `lang` when it is free or `full` is asked for, else its collection part (primary
    /// language only, on the same condition), else its teaser.
    pub fn text<'a>(
        &self,
        workspace: &Workspace,
        member: &Member<'a>,
        lang: &Lang,
        full: bool,
    ) -> Option<Cow<'a, Document>> {
        let open = full || self.is_free(workspace, member.number);
        let issue_full = member.issue.and_then(|i| i.full(lang));
        let part = member
            .part
            .filter(|_| lang == &workspace.config.primary_language);
        match (issue_full, part) {
            (Some(edition), _) if open => Some(Cow::Borrowed(&*edition.document)),
            (None, Some(part)) if open => Some(Cow::Borrowed(&part.document)),
            _ => match member.issue {
                Some(issue) => self.edition(workspace, issue, lang, full),
                // Only a collection holds it, and it is not open: its titles.
                None => part.map(|p| {
                    Cow::Owned(weekly_render::teaser::titles_only(
                        &p.document,
                        &workspace.config.catalogue,
                    ))
                }),
            },
        }
    }

    /// The theme of `member` in `lang`: its files', else its collection part's heading.
    pub fn theme(&self, workspace: &Workspace, member: &Member<'_>, lang: &Lang) -> String {
        let format = &workspace.config.catalogue.format;
        let from_issue = member
            .issue
            .map(|i| theme(i, lang, format))
            .unwrap_or_default();
        if !from_issue.is_empty() || lang != &workspace.config.primary_language {
            return from_issue;
        }
        member.part.map(|p| p.theme.clone()).unwrap_or_default()
    }

    /// True once the season's last issue is out (the season is complete).
    pub fn is_complete(&self) -> bool {
        self.archive.latest() >= *self.range.end()
    }

    /// True when issue `number`'s full text is public (`free_after` newer issues are out).
    pub fn is_free(&self, workspace: &Workspace, number: u32) -> bool {
        number + workspace.config.free_after <= self.archive.latest()
    }

    /// The text of `issue` a `lang` reader of the season's files gets: the full text when it is
    /// free or `full` is asked for, else the teaser — made from the full text, titles only,
    /// when there is no teaser file: a paid text never reaches a public file.
    pub fn edition<'a>(
        &self,
        workspace: &Workspace,
        issue: &'a Issue,
        lang: &Lang,
        full: bool,
    ) -> Option<Cow<'a, Document>> {
        if full || self.is_free(workspace, issue.number) {
            return issue.best(lang).map(|e| Cow::Borrowed(&*e.document));
        }
        match (issue.teaser(lang), issue.full(lang)) {
            (Some(teaser), _) => Some(Cow::Borrowed(&*teaser.document)),
            (None, Some(full_text)) => Some(Cow::Owned(weekly_render::teaser::titles_only(
                &full_text.document,
                &workspace.config.catalogue,
            ))),
            (None, None) => None,
        }
    }

    /// `第 2 季` / `Season 2` with the newsletter's name.
    pub fn label(&self, workspace: &Workspace, lang: &Lang, what: &str) -> String {
        let name = workspace.config.name.get(lang).map_or("", String::as_str);
        let (a, b) = (self.range.start(), self.range.end());
        if lang.as_str() == "ja" {
            format!("{name} シーズン {} {what}（{a}〜{b}）", self.number)
        } else if lang.is_cjk() {
            format!("{name}第 {} 季{what}（{a}~{b}）", self.number)
        } else {
            format!("{name} Season {} {what} (#{a}–#{b})", self.number)
        }
    }

    /// The collection in `lang`.
    pub fn collection(&self, workspace: &Workspace, lang: &Lang, full: bool) -> String {
        let members = self.members();
        let themes: Vec<(u32, String, String)> = members
            .iter()
            .map(|m| (m.number, m.date.to_string(), self.theme(workspace, m, lang)))
            .collect();
        let urls: Vec<String> = members
            .iter()
            .map(|m| issue_url(workspace, lang, m.number))
            .collect();
        let texts: Vec<Option<Cow<'_, Document>>> = members
            .iter()
            .map(|m| self.text(workspace, m, lang, full))
            .collect();
        let mut issues = Vec::new();
        for ((text, (number, date, theme)), url) in texts.iter().zip(&themes).zip(&urls) {
            if let Some(document) = text {
                issues.push(CollectedIssue {
                    number: *number,
                    date,
                    theme,
                    url,
                    document,
                });
            }
        }
        let title = self.label(workspace, lang, in_lang(lang, "合集", "合本", "collection"));
        let intro = [if lang.is_cjk() {
            format!(
                "这是第 {} 季（第 {}~{} 期）的内容合集，共 {} 期，每期一节，节内按栏目排列。",
                self.number,
                self.range.start(),
                self.range.end(),
                issues.len()
            )
        } else {
            format!(
                "Every issue of season {} (#{}–#{}), {} in all: one chapter per issue, its sections in order.",
                self.number,
                self.range.start(),
                self.range.end(),
                issues.len()
            )
        }];
        let date = themes.last().map_or(String::new(), |t| t.1.clone());
        collection(
            &CollectionHead {
                title: &title,
                date: &date,
                author: None,
                intro: &intro,
            },
            &issues,
            &workspace.config.catalogue,
            lang,
        )
    }

    /// The links-only edition in `lang`: titles of what is public (a paid issue's teaser has
    /// the same titles).
    pub fn links(&self, workspace: &Workspace, lang: &Lang) -> String {
        let members = self.members();
        let texts: Vec<Cow<'_, Document>> = members
            .iter()
            .filter_map(|m| self.text(workspace, m, lang, false))
            .collect();
        let documents: Vec<&Document> = texts.iter().map(AsRef::as_ref).collect();
        let title = self.label(
            workspace,
            lang,
            in_lang(lang, "链接合集", "リンク集", "all links"),
        );
        weekly_render::links::links_edition(&title, &documents, &workspace.config.catalogue, lang)
    }

    /// The figures of this season's issues and of the earlier ones (entry counts only), as
    /// `weekly stats` counts them.
    /// Without `words`, word counts are left at zero (counting them is the costly part).
    pub fn stats(
        &self,
        workspace: &Workspace,
        words: bool,
    ) -> Result<(Vec<IssueStats>, Vec<IssueStats>)> {
        let all = self
            .archive
            .figures(workspace, |n| words && self.range.contains(&n))?;
        let (now, rest): (Vec<IssueStats>, Vec<IssueStats>) = all
            .into_iter()
            .partition(|s| self.range.contains(&s.number));
        let earlier = rest
            .into_iter()
            .filter(|s| s.number < *self.range.start())
            .collect();
        Ok((now, earlier))
    }

    /// The wrap-up post in `lang`, keeping the editor's words of `previous` (the post as it
    /// was written before), showing the word cloud at `cloud`. Its sites, owners and projects
    /// come from the public texts (paid issues' teasers have no links) unless `full`.
    pub fn wrapup(
        &self,
        workspace: &Workspace,
        lang: &Lang,
        previous: Option<&str>,
        cloud: Option<String>,
        full: bool,
    ) -> Result<String> {
        let catalogue = &workspace.config.catalogue;
        let (now, earlier) = self.stats(workspace, true)?;
        let now_refs: Vec<&IssueStats> = now.iter().collect();
        let totals = Totals::of(self.number, &now_refs, catalogue);
        let before_season = (self.number > 1).then(|| {
            let range = workspace.config.seasons.range(self.number - 1);
            let members: Vec<&IssueStats> = earlier
                .iter()
                .filter(|s| range.contains(&s.number))
                .collect();
            Totals::of(self.number - 1, &members, catalogue)
        });
        let members = self.members();
        let primary = &workspace.config.primary_language;
        // Titles in the post's language where it has the issue, else in the primary one.
        let texts: Vec<(u32, Cow<'_, Document>)> = members
            .iter()
            .filter_map(|m| {
                self.text(workspace, m, lang, full)
                    .filter(|d| d.kind != weekly_model::DocKind::Teaser)
                    .or_else(|| self.text(workspace, m, primary, full))
                    .map(|d| (m.number, d))
            })
            .collect();
        let documents: Vec<(u32, &Document)> =
            texts.iter().map(|(n, d)| (*n, d.as_ref())).collect();
        let earlier_refs: Vec<&IssueStats> = earlier.iter().collect();
        let facts = season_facts(&now_refs, &documents, &earlier_refs, catalogue, 10);
        let label_of = |key: &str| {
            catalogue
                .sections
                .iter()
                .find(|d| d.key.as_str() == key)
                .map_or_else(
                    || key.to_owned(),
                    |d| format!("{}{}", d.emoji, d.name(lang)),
                )
        };
        let total_lines = totals
            .counts
            .iter()
            .map(|(key, n)| TotalLine {
                label: label_of(key.as_str()),
                now: n,
                before: before_season
                    .as_ref()
                    .filter(|b| b.issues > 0)
                    .map(|b| b.counts.get(key.as_str())),
            })
            .collect();
        let issue_label = |number: u32| {
            let theme = members
                .iter()
                .find(|m| m.number == number)
                .map(|m| self.theme(workspace, m, lang))
                .unwrap_or_default();
            issue_heading(number, &theme, lang)
        };
        let dates: Vec<IsoDate> = members.iter().map(|m| m.date).collect();
        let (first_date, last_date) = (
            dates.first().map(ToString::to_string).unwrap_or_default(),
            dates.last().map(ToString::to_string).unwrap_or_default(),
        );
        let days = match (dates.first(), dates.last()) {
            (Some(a), Some(b)) => b.days_since_epoch() - a.days_since_epoch(),
            _ => 0,
        };
        let title = self.label(workspace, lang, in_lang(lang, "完结", "まとめ", "wrap-up"));
        let post = Wrapup {
            title: &title,
            season: self.number,
            first: totals.first,
            last: totals.last,
            issues: totals.issues,
            first_date: &first_date,
            last_date: &last_date,
            days,
            totals: total_lines,
            han: if lang == &workspace.config.primary_language {
                totals.han
            } else {
                0
            },
            busiest: facts
                .busiest
                .iter()
                .map(|&(number, n)| Ranked {
                    text: issue_label(number),
                    url: issue_url(workspace, lang, number),
                    figure: n,
                })
                .collect(),
            domains: facts
                .domains
                .iter()
                .map(|(host, n)| Ranked {
                    text: host.clone(),
                    url: String::new(),
                    figure: *n,
                })
                .collect(),
            owners: facts
                .owners
                .iter()
                .map(|(owner, n)| Ranked {
                    text: owner.clone(),
                    url: format!("https://github.com/{owner}"),
                    figure: *n,
                })
                .collect(),
            starred: facts
                .starred
                .iter()
                .map(|s| Ranked {
                    text: format!("{} ({})", s.title, issue_label(s.issue)),
                    url: s.url.clone(),
                    figure: s.stars,
                })
                .collect(),
            new_sections: facts
                .new_sections
                .iter()
                .map(|k| label_of(k.as_str()))
                .collect(),
            cloud,
            editor: previous.and_then(editor_words),
        };
        Ok(wrapup(&post, lang))
    }

    /// The season's word cloud in `lang` as SVG, from the counted entries of the texts the
    /// public gets (titles only of paid issues, unless `full`); none without full texts.
    pub fn cloud(&self, workspace: &Workspace, lang: &Lang, full: bool) -> Result<Option<String>> {
        let words = self.cloud_words(workspace, lang, full)?;
        if words.is_empty() {
            return Ok(None);
        }
        let placed = weekly_site::cloud::layout(&words);
        let title = self.label(
            workspace,
            lang,
            in_lang(lang, "词云", "ワードクラウド", "word cloud"),
        );
        Ok(Some(weekly_site::cloud::svg(&title, &placed)))
    }

    /// The most frequent words of the season's cloud (see [`Season::cloud`]).
    pub fn cloud_words(
        &self,
        workspace: &Workspace,
        lang: &Lang,
        full: bool,
    ) -> Result<Vec<(String, u32)>> {
        let catalogue = &workspace.config.catalogue;
        let mut text = String::new();
        for member in self.members() {
            // The full text (or collection part), bodies only when it is open to the reader.
            let Some(document) = self.text(workspace, &member, lang, true) else {
                continue;
            };
            if document.kind == weekly_model::DocKind::Teaser {
                continue;
            }
            let bodies = full || self.is_free(workspace, member.number);
            for (section, entry) in document.entries() {
                if !catalogue.is_counted(&section.key) {
                    continue;
                }
                text.push_str(&entry.plain_title());
                text.push('\n');
                for block in entry.body.iter().filter(|_| bodies) {
                    text.push_str(&weekly_model::inline::plain_text(&block.text));
                    text.push('\n');
                }
            }
        }
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let stop = weekly_site::cloud::stop_words(&crate::site::stop_words(workspace)?);
        Ok(weekly_site::cloud::frequencies(&[text.as_str()], &stop))
    }

    /// Where the season's file of `kind` in `lang` lives.
    pub fn path(&self, workspace: &Workspace, kind: SeasonFile, lang: &Lang) -> PathBuf {
        workspace
            .root
            .join("seasons")
            .join(kind.name(self.number, lang))
    }
}

/// The theme of `issue` in `lang`: `issue.toml`'s, else its title's as `format` reads it (not a
/// bare date, as in `Python Trending Weekly #32 (2023-12-23)`).
pub fn theme(issue: &Issue, lang: &Lang, format: &weekly_model::Format) -> String {
    if let Some(theme) = issue.titles.get(lang) {
        return theme.trim().to_owned();
    }
    let theme = issue
        .best(lang)
        .and_then(|e| e.document.title())
        .map(|t| format.title_parts(t).theme.trim().to_owned())
        .unwrap_or_default();
    let bare = theme.trim_matches(|c| matches!(c, '(' | ')' | '（' | '）' | ' '));
    if IsoDate::parse(bare).is_some() {
        String::new()
    } else {
        theme
    }
}

/// `zh` in Chinese, `ja` in Japanese, `other` in any other language.
fn in_lang<'a>(lang: &Lang, zh: &'a str, ja: &'a str, other: &'a str) -> &'a str {
    match lang.as_str() {
        "ja" => ja,
        _ if lang.is_cjk() => zh,
        _ => other,
    }
}
