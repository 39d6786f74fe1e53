//! `weekly new`: the next issue's folder — `issue.toml` with its number and date, and a
//! `draft.md` with a header in the newsletter's syntax and every section of the catalogue as
//! a heading, ready to be written (bilingual `中文---English` when the workspace has two
//! languages; `weekly split` then makes the editions).

use crate::workspace::Workspace;
use anyhow::{Context, Result, bail};
use chrono::Datelike;
use std::fmt::Write as _;
use std::path::PathBuf;
use weekly_model::{IsoDate, Lang};

/// The issue `weekly new` made.
#[derive(Debug)]
pub struct NewIssue {
    /// Its number.
    pub number: u32,
    /// Its date.
    pub date: IsoDate,
    /// `issues/NNNN`.
    pub dir: PathBuf,
    /// The draft written in it.
    pub draft: PathBuf,
}

/// The number after every issue folder of the workspace (those without `issue.toml` too).
fn next_number(workspace: &Workspace) -> Result<u32> {
    let mut highest = workspace.issues.iter().map(|i| i.number).max().unwrap_or(0);
    for path in crate::workspace::sorted_entries(&workspace.root.join("issues"))? {
        if let Some(n) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse::<u32>().ok())
        {
            highest = highest.max(n);
        }
    }
    Ok(highest + 1)
}

/// A week after `date`.
pub fn week_after(date: IsoDate) -> IsoDate {
    let day = chrono::NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        u32::from(date.month()),
        u32::from(date.day()),
    )
    .map(|d| d + chrono::Duration::days(7));
    day.and_then(|d| {
        IsoDate::new(
            u16::try_from(d.year()).ok()?,
            u8::try_from(d.month()).ok()?,
            u8::try_from(d.day()).ok()?,
        )
    })
    .unwrap_or(date)
}

/// The title line of a new issue: the newsletter's first title pattern with the number in it,
/// else `Name#N：` the way Python Trending Weekly writes it; a placeholder theme to replace.
fn title(workspace: &Workspace, number: u32, other: Option<&Lang>) -> String {
    let config = &workspace.config;
    let primary = &config.primary_language;
    let name = config.name.get(primary).map_or("", String::as_str);
    let theme = if primary.is_cjk() {
        "本期主题"
    } else {
        "Theme"
    };
    let theme = match other {
        Some(_) => format!("{theme}---Theme"),
        None => theme.to_owned(),
    };
    title_for(
        &config.catalogue.format,
        name,
        primary.is_cjk(),
        number,
        &theme,
    )
}

/// A title the newsletter's own title patterns read back as issue `number`: its first pattern
/// with no wildcard, filled in; else `Name N`; else Python Trending Weekly's `Name#N：theme`.
fn title_for(
    format: &weekly_model::Format,
    name: &str,
    cjk: bool,
    number: u32,
    theme: &str,
) -> String {
    let reads_back = |title: &str| format.title_parts(title).number == Some(number);
    let filled = format
        .titles
        .iter()
        .map(weekly_model::TitlePattern::as_str)
        .filter(|p| !p.contains('*'))
        .map(|p| {
            p.replace("{number}", &number.to_string())
                .replace("{theme}", theme)
        });
    let built_in = if cjk {
        format!("{name}#{number}：{theme}")
    } else {
        format!("{name} #{number}: {theme}")
    };
    filled
        .chain([format!("{name} {number}"), built_in.clone()])
        .find(|t| reads_back(t))
        .unwrap_or(built_in)
}

/// The draft's text: a header, a line to replace, and every catalogue section's heading at
/// the newsletter's section level with an example entry under the first.
fn draft_text(workspace: &Workspace, number: u32, date: IsoDate) -> String {
    let config = &workspace.config;
    let primary = &config.primary_language;
    let other = config.languages.iter().find(|l| *l != primary);
    let format = &config.catalogue.format;
    let title = title(workspace, number, other);
    let title_key = format.title_keys.first().map_or("title", String::as_str);
    let date_key = format.date_keys.first().map_or("pubDate", String::as_str);
    let quoted = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let mut out = if format.field_header {
        format!("{title_key}: {title}\n{date_key}: {date}\n\n")
    } else {
        format!(
            "---\n{title_key}: {}\n{date_key}: {date}\n---\n\n",
            quoted(&title)
        )
    };
    out.push_str(if primary.is_cjk() {
        "（开场白：这一期想说的话。）\n\n"
    } else {
        "(A few words to open the issue.)\n\n"
    });
    let level = format.levels.sections.first().copied().unwrap_or(2);
    let hashes = "#".repeat(usize::from(level.clamp(1, 6)));
    let marker = match format.numbering.first() {
        Some(weekly_model::Numbering::Dot) => "1.",
        Some(weekly_model::Numbering::Circled) => "①",
        Some(weekly_model::Numbering::Dunhao) => "1、",
        None => "*",
    };
    for (i, section) in config.catalogue.sections.iter().enumerate() {
        let _ = write!(
            out,
            "{hashes} {}{}\n\n",
            section.emoji,
            section.name(primary)
        );
        if i == 0 {
            let example = match other {
                Some(_) if primary.is_cjk() => {
                    "[中文标题---English Title](https://example.org/)\n\n中文介绍---English description.\n\n"
                }
                _ if primary.is_cjk() => "[标题](https://example.org/)\n\n介绍。\n\n",
                _ => "[Title](https://example.org/)\n\nWhat it is about.\n\n",
            };
            let _ = write!(out, "{marker} {example}");
        }
    }
    out
}

/// Makes the next issue: `issues/NNNN/issue.toml` and `draft.md`, dated `date`, else a week
/// after the latest issue, else `today`. Nothing is written when the folder exists.
pub fn new_issue(workspace: &Workspace, date: Option<IsoDate>, today: IsoDate) -> Result<NewIssue> {
    let number = next_number(workspace)?;
    let latest = workspace.issues.iter().max_by_key(|i| i.number);
    let date = date.unwrap_or_else(|| latest.map_or(today, |i| week_after(i.date)));
    if let Some(latest) = latest
        && date < latest.date
    {
        bail!(
            "issue #{number} would be dated {date}, before issue #{} ({}); give a later `--date`",
            latest.number,
            latest.date
        );
    }
    let dir = workspace.root.join("issues").join(format!("{number:04}"));
    if dir.exists() {
        bail!("`{}` exists already; nothing was changed", dir.display());
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    crate::files::write_atomic(
        &dir.join("issue.toml"),
        &format!("number = {number}\ndate = \"{date}\"\n"),
    )?;
    let draft = dir.join("draft.md");
    crate::files::write_atomic(&draft, &draft_text(workspace, number, date))?;
    Ok(NewIssue {
        number,
        date,
        dir,
        draft,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_title_reads_back_as_its_issue_in_every_shipped_format() {
        for (format, text) in crate::init::FORMATS {
            let config = crate::config::Config::parse(text, format).unwrap();
            let f = &config.catalogue.format;
            let name = config.primary_name();
            let title = title_for(f, name, config.primary_language.is_cjk(), 533, "主题");
            assert_eq!(f.title_parts(&title).number, Some(533), "{format}: {title}");
            assert!(
                !title.starts_with(' ') && title.contains(name.split(' ').next().unwrap_or("")),
                "{format}: {title}"
            );
        }
    }

    #[test]
    fn a_week_later_crosses_months_and_years() {
        let d = |s| IsoDate::parse(s).unwrap();
        assert_eq!(week_after(d("2026-12-28")), d("2027-01-04"));
        assert_eq!(week_after(d("2024-02-26")), d("2024-03-04"));
    }
}
