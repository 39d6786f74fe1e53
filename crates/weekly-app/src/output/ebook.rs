//! A season's e-book: the [`Book`] value made from the workspace, the PDF printed from it
//! by headless Chromium, found at run time, and the books of one season or of all written to
//! files ([`write_books`]).

use crate::editions::issue_url;
use crate::environment::{self, Environment};
use crate::season::Season;
use crate::workspace::Workspace;
use anyhow::{Context as _, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use weekly_ebook::{Book, Chapter, ChapterSection, Labels};
use weekly_model::{Block, Catalogue, Document, HeadingStyle, Lang, NumberMarker, Section};
use weekly_render::collection::issue_heading;
use weekly_stats::{Coverage, Totals, Words};

/// The book of `season` in `lang`: the public texts (teasers of paid issues) unless `full`.
pub fn book(workspace: &Workspace, season: &Season, lang: &Lang, full: bool) -> Result<Book> {
    let config = &workspace.config;
    let catalogue = &config.catalogue;
    let mut chapters = Vec::new();
    for member in season.members() {
        let Some(document) = season.text(workspace, &member, lang, full) else {
            continue;
        };
        let number = member.number;
        let title = issue_heading(number, &season.theme(workspace, &member, lang), lang);
        // All of the issue: what comes before its sections, every section (counted or not,
        // essays, lists without a heading) with its categories under it, what comes after.
        let sections = document
            .all_sections()
            .map(|s| ChapterSection {
                id: s.key.to_string(),
                title: s.heading.plain(),
                depth: depth(s, catalogue),
                html: weekly_site::markdown::block(&section_markdown(s)),
            })
            .collect();
        chapters.push(Chapter {
            number,
            title,
            date: member.date.to_string(),
            url: issue_url(workspace, lang, number),
            intro: blocks_html(&document.preamble),
            sections,
            outro: blocks_html(&document.postamble),
        });
    }
    if chapters.is_empty() {
        bail!(
            "season {} has no {lang} edition of any issue: nothing to put in the book",
            season.number
        );
    }
    // The figures of the issues this book holds (a language with editions of only part of
    // the season counts only those).
    let (now, _) = season.stats(workspace, false)?;
    let refs: Vec<_> = now
        .iter()
        .filter(|s| chapters.iter().any(|c| c.number == s.number))
        .collect();
    let totals = Totals::of(season.number, &refs, catalogue);
    let figures = totals
        .counts
        .iter()
        .map(|(key, n)| {
            let label = catalogue
                .get(key)
                .map_or_else(|| key.to_string(), |d| d.name(lang).to_owned());
            (label, n)
        })
        .collect();
    let cjk = lang.is_cjk();
    let first_date = chapters.first().map(|c| c.date.clone()).unwrap_or_default();
    let last_date = chapters.last().map(|c| c.date.clone()).unwrap_or_default();
    // The issues the book holds: the season's, or the part of it this language has.
    let a = chapters.first().map_or(*season.range.start(), |c| c.number);
    let b = chapters.last().map_or(*season.range.end(), |c| c.number);
    Ok(Book {
        title: season.label(
            workspace,
            lang,
            match lang.as_str() {
                "ja" => "合本",
                _ if cjk => "合集",
                _ => "collection",
            },
        ),
        subtitle: if lang.as_str() == "ja" {
            format!("第 {a}〜{b} 号 · {first_date} — {last_date}")
        } else if cjk {
            format!("第 {a}~{b} 期 · {first_date} — {last_date}")
        } else {
            format!("Issues #{a}–#{b} · {first_date} — {last_date}")
        },
        lang: lang.to_string(),
        author: config
            .name
            .get(lang)
            .or_else(|| config.name.get(&config.primary_language))
            .cloned()
            .unwrap_or_default(),
        date: last_date,
        identity: format!(
            "{} season {} {lang} {}",
            config.base_url,
            season.number,
            if full { "full" } else { "public" }
        ),
        figures,
        words: season.cloud_words(workspace, lang, full)?,
        chapters,
        labels: if lang.as_str() == "ja" {
            Labels {
                contents: "目次".into(),
                cover: "表紙".into(),
                title_page: "扉".into(),
                image: "画像".into(),
                published: "発行日".into(),
            }
        } else if cjk {
            Labels {
                contents: "目录".into(),
                cover: "封面".into(),
                title_page: "扉页".into(),
                image: "图片".into(),
                published: "发布时间".into(),
            }
        } else {
            Labels {
                contents: "Contents".into(),
                cover: "Cover".into(),
                title_page: "Title page".into(),
                image: "Image".into(),
                published: "Published".into(),
            }
        },
    })
}

/// How much of each issue's text the EPUB `epub` — the book of `season` in `lang` made with
/// `full` — holds: by issue, in order, the words (Han characters and Latin words, markup and
/// URLs left out: `weekly_stats::coverage`) of the text the book is made from (the issue's
/// file as a reader of the book gets it: full text, collection part or teaser; its header
/// left out) against the words of its chapter. An issue without a chapter keeps nothing.
pub fn words_kept(
    workspace: &Workspace,
    season: &Season,
    lang: &Lang,
    full: bool,
    epub: &[u8],
) -> Result<Vec<(u32, Coverage)>> {
    let chapters = weekly_ebook::chapter_texts(epub).context("cannot read the EPUB")?;
    let mut out = Vec::new();
    for member in season.members() {
        let Some(document) = season.text(workspace, &member, lang, full) else {
            continue;
        };
        let source = Words::of_markdown(&body_markdown(&document));
        let book = chapters
            .iter()
            .find(|(n, _)| *n == member.number)
            .map(|(_, text)| Words::of_text(text))
            .unwrap_or_default();
        out.push((member.number, source.kept_in(&book)));
    }
    Ok(out)
}

/// The Markdown of `document` without its header (title and front matter).
pub fn body_markdown(document: &Document) -> String {
    let body = Document {
        leading: String::new(),
        header: None,
        ..document.clone()
    };
    weekly_render::markdown::render(&body)
}

/// 0 for a section, 1 for a category of the first category level, 2 for one of a deeper
/// level.
fn depth(section: &Section, catalogue: &Catalogue) -> u8 {
    if !section.category {
        return 0;
    }
    let HeadingStyle::Atx(level) = section.heading.style else {
        return 1;
    };
    let mut levels = catalogue.format.levels.categories.clone();
    levels.sort_unstable();
    match levels.iter().position(|l| *l == level) {
        Some(0) | None => 1,
        Some(_) => 2,
    }
}

/// Paragraphs as sanitized HTML (nothing for none).
fn blocks_html(blocks: &[Block]) -> String {
    if blocks.is_empty() {
        return String::new();
    }
    let text: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
    weekly_site::markdown::block(&text.join("\n\n"))
}

/// A section's intro and entries as Markdown (`N、title`, then the body).
fn section_markdown(section: &Section) -> String {
    let mut out = String::new();
    for block in &section.intro {
        out.push_str(&block.text);
        out.push_str("\n\n");
    }
    for entry in &section.entries {
        let number = match entry.marker {
            NumberMarker::Circled => weekly_render::markdown::circled(entry.number),
            NumberMarker::Dunhao | NumberMarker::Dot => format!("{}、", entry.number),
            NumberMarker::Bullet => "* ".to_owned(),
        };
        out.push_str(&number);
        out.push_str(entry.title.trim());
        out.push_str("\n\n");
        for block in &entry.body {
            out.push_str(&block.text);
            out.push_str("\n\n");
        }
    }
    out
}

/// The browser that prints PDFs: `$WEEKLY_CHROMIUM`, else the first of `chromium`,
/// `chromium-browser`, `google-chrome` on the `PATH`.
pub fn find_chromium() -> Result<PathBuf> {
    let env = Environment::process();
    if let Some(path) = env.get(environment::CHROMIUM) {
        let path = PathBuf::from(path);
        if path.is_file() {
            return Ok(path);
        }
        bail!(
            "`WEEKLY_CHROMIUM` names `{}`, which is not a file",
            path.display()
        );
    }
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    for dir in std::env::split_paths(env.raw("PATH").unwrap_or_default()) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    bail!(
        "a PDF is printed by headless Chromium, and none was found (looked for {} on the PATH)\n\
         hint: install it (Debian: `apt-get install chromium fonts-noto-cjk`) or set \
         `WEEKLY_CHROMIUM` to its path; `--format epub` needs nothing else",
        names.join(", ")
    )
}

/// Prints `html` to the PDF file `out` with `chromium`: A5 pages numbered in the bottom margin
/// (from the page's CSS), an outline made from the headings. The HTML is written to a private
/// temporary folder, which is removed afterwards.
pub fn print_pdf(chromium: &Path, html: &str, out: &Path) -> Result<()> {
    let dir = tempfile::tempdir().context("cannot make a temporary folder for printing")?;
    let page = dir.path().join("book.html");
    std::fs::write(&page, html)?;
    let pdf = dir.path().join("book.pdf");
    let profile = dir.path().join("profile");
    let mut command = Command::new(chromium);
    // No secret of ours in its environment, and no network: the kernel refuses it IP
    // sockets (where it can), and its flags send every name lookup and request nowhere.
    crate::child::minimal_env(&mut command, &[], "chromium")?;
    crate::child::without_network(&mut command);
    let output = command
        .args([
            "--headless",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            "--disable-domain-reliability",
            "--disable-client-side-phishing-detection",
            "--no-default-browser-check",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .with_context(|| format!("cannot run `{}`", chromium.display()))?;
    let made = std::fs::metadata(&pdf).map_or(0, |m| m.len());
    if !output.status.success() || made == 0 {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last: Vec<&str> = stderr.lines().rev().take(5).collect();
        bail!(
            "`{}` did not print the PDF ({}): {}",
            chromium.display(),
            output.status,
            last.into_iter().rev().collect::<Vec<_>>().join(" | ")
        );
    }
    let bytes = std::fs::read(&pdf)?;
    crate::files::write_bytes_atomic(out, &bytes)
}

/// EPUB or PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Epub,
    Pdf,
}

impl Format {
    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Epub => "epub",
            Format::Pdf => "pdf",
        }
    }
}

/// Which books to write, and where.
#[derive(Debug, Clone)]
pub struct BooksOptions {
    /// One season (ignored with `all`).
    pub season: Option<u32>,
    /// Every season that has issues: `output` is then a folder.
    pub all: bool,
    /// The language (default: the primary one; with `all`, every language).
    pub lang: Option<String>,
    pub format: Format,
    /// Every full text, paid issues included.
    pub full: bool,
    /// The file (a folder with `all`).
    pub output: PathBuf,
}

/// A book handled.
#[derive(Debug)]
pub enum BookEvent<'a> {
    /// Written to `path`, with `issues` chapters.
    Wrote {
        path: &'a Path,
        season: u32,
        lang: &'a Lang,
        issues: usize,
    },
    /// With `all`: the season has no edition in `lang`.
    Skipped { season: u32, lang: &'a Lang },
    /// Said once, before the first PDF that has emoji when this machine has no emoji font:
    /// they print as empty boxes.
    NoEmojiFont { season: u32, lang: &'a Lang },
}

/// What [`write_books`] did.
#[derive(Debug)]
pub struct Books {
    /// How many books it set out to make.
    pub planned: usize,
    /// How long it took.
    pub took: Duration,
}

/// Writes the book of a season (or of every season, `all`) as the options say; `told` hears
/// of each book as it is written or skipped.
pub fn write_books(
    workspace: &Workspace,
    options: &BooksOptions,
    told: &mut dyn FnMut(BookEvent<'_>),
) -> Result<Books> {
    let chromium = match options.format {
        Format::Pdf => Some(find_chromium()?),
        Format::Epub => None,
    };
    let started = Instant::now();
    let output = &options.output;
    let jobs: Vec<(u32, Lang, PathBuf)> = if options.all {
        if output.exists() && !output.is_dir() {
            bail!(
                "`{}` is a file: with `--all`, `-o` names a folder",
                output.display()
            );
        }
        std::fs::create_dir_all(output)?;
        let latest = workspace.issues.last().map_or(0, |i| i.number);
        if latest == 0 {
            bail!("the workspace has no issues yet");
        }
        let last_season = workspace.config.seasons.of(latest);
        let langs = match &options.lang {
            Some(code) => vec![crate::editions::resolve_lang(workspace, Some(code))?],
            None => workspace.config.languages.clone(),
        };
        let mut jobs = Vec::new();
        for season in 1..=last_season {
            for lang in &langs {
                let name = format!("season-{season}.{lang}.{}", options.format.extension());
                jobs.push((season, lang.clone(), output.join(name)));
            }
        }
        jobs
    } else {
        let lang = crate::editions::resolve_lang(workspace, options.lang.as_deref())?;
        vec![(options.season.unwrap_or_default(), lang, output.clone())]
    };
    let mut loaded: Option<Season> = None;
    let mut warned_emoji = false;
    for (number, lang, out) in &jobs {
        loaded = Some(match loaded.take() {
            Some(season) if season.number == *number => season,
            Some(season) => season.next(workspace, *number)?,
            None => Season::load(workspace, *number)?,
        });
        let Some(season) = loaded.as_ref() else {
            continue;
        };
        let has_text = season
            .members()
            .iter()
            .any(|m| season.text(workspace, m, lang, options.full).is_some());
        if options.all && !has_text {
            told(BookEvent::Skipped {
                season: *number,
                lang,
            });
            continue;
        }
        let book = book(workspace, season, lang, options.full)?;
        match &chromium {
            None => {
                let bytes = weekly_ebook::epub(&book)?;
                crate::files::write_bytes_atomic(out, &bytes)?;
            }
            Some(chromium) => {
                let html = weekly_ebook::print_html(&book);
                if !warned_emoji
                    && weekly_svg::text::has_emoji(&html)
                    && !crate::fonts::machine().emoji
                {
                    warned_emoji = true;
                    told(BookEvent::NoEmojiFont {
                        season: *number,
                        lang,
                    });
                }
                print_pdf(chromium, &html, out)?;
            }
        }
        told(BookEvent::Wrote {
            path: out,
            season: *number,
            lang,
            issues: book.chapters.len(),
        });
    }
    Ok(Books {
        planned: jobs.len(),
        took: started.elapsed(),
    })
}
