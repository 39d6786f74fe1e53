//! The seasons of a build: issues grouped by season, each season's word cloud per language
//! (made on every core, or taken from the cache of earlier builds by a fingerprint of what it
//! is made of), and the value a season page and the dashboard show.

use crate::charts::{Bar, Words, pie, stacked_bars};
use crate::cloud::{self, Cloud};
use crate::input::{IssueInput, SeasonFile, SiteInput};
use crate::labels::with_number;
use crate::markdown::block;
use crate::urls::Urls;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use weekly_model::Lang;

/// The figures of a season.
pub(crate) struct Season<'s> {
    pub(crate) number: u32,
    pub(crate) issues: Vec<&'s IssueInput<'s>>,
    /// The word cloud of each language that has full texts in the season.
    clouds: HashMap<Lang, Vec<cloud::Placed>>,
}

impl Season<'_> {
    /// The cloud shown on the pages of `lang`: its own, else the primary language's (empty
    /// when neither has full texts in the season).
    pub(crate) fn cloud(&self, lang: &Lang, primary: &Lang) -> &[cloud::Placed] {
        self.clouds
            .get(lang)
            .or_else(|| self.clouds.get(primary))
            .map_or(&[], Vec::as_slice)
    }
}

/// Changes whenever the way clouds are made changes, so that cached ones are made again.
const CLOUD_VERSION: &str = "cloud v4";

/// The word clouds of earlier builds by the fingerprint of their season's text.
pub type CloudCache = HashMap<u64, Cloud>;

pub(crate) type Seasons<'s> = (Vec<Season<'s>>, CloudCache);

pub(crate) fn seasons<'s>(input: &'s SiteInput<'s>, cache: &CloudCache) -> Seasons<'s> {
    let mut by_number: BTreeMap<u32, Vec<&IssueInput<'_>>> = BTreeMap::new();
    for issue in &input.issues {
        by_number
            .entry(input.season_of(issue.number))
            .or_default()
            .push(issue);
    }
    let stop = cloud::stop_words(&input.config.stop_words);
    let mut out: Vec<Season<'s>> = by_number
        .into_iter()
        .map(|(number, issues)| Season {
            number,
            issues,
            clouds: HashMap::new(),
        })
        .collect();
    // One cloud per season and language with full texts in it.
    let units: Vec<(usize, &Lang)> = out
        .iter()
        .enumerate()
        .flat_map(|(i, season)| {
            input
                .config
                .languages
                .iter()
                .filter(|lang| season.issues.iter().any(|issue| issue.full(lang).is_some()))
                .map(move |lang| (i, lang))
        })
        .collect();
    // Segmenting and placing words is the costly part: clouds are spread over the cores, and
    // one whose text is unchanged comes from the cache.
    // The key covers what a cloud is made of: the text, the stop words and our method.
    let clouds = weekly_model::par::map(&units, |&(i, lang)| {
        let issues = &out[i].issues;
        // The model's fingerprint (fixed keys): a different Rust may change it, which only
        // makes the cached clouds miss once.
        let key = weekly_model::verbatim::fingerprint(&(
            CLOUD_VERSION,
            &input.config.stop_words,
            season_text(input, issues, lang, false),
        ));
        let cloud = cache.get(&key).cloned().unwrap_or_else(|| {
            let text = season_text(input, issues, lang, true);
            let words = cloud::frequencies(&[text.as_str()], &stop);
            let placed = cloud::layout(&words);
            Cloud { words, placed }
        });
        (key, cloud)
    });
    let mut kept = HashMap::new();
    for ((i, lang), (key, cloud)) in units.into_iter().zip(clouds) {
        out[i].clouds.insert(lang.clone(), cloud.placed.clone());
        kept.insert(key, cloud);
    }
    (out, kept)
}

/// The text of a season's word cloud in `lang`: titles and bodies of the counted entries of
/// its full texts, as plain text (`plain`) or as written (the cheaper cache key: the plain text
/// is a function of it). Of an issue that is not free (`SiteInput::is_free`), only the titles:
/// what its public teaser shows, so no word of a paid body reaches a public page.
fn season_text(
    input: &SiteInput<'_>,
    issues: &[&IssueInput<'_>],
    lang: &Lang,
    plain: bool,
) -> String {
    let catalogue = &input.config.catalogue;
    let mut text = String::new();
    for issue in issues {
        let Some(edition) = issue.full(lang) else {
            continue;
        };
        let bodies = input.is_free(issue.number);
        for (section, entry) in edition.document.entries() {
            if !catalogue.is_counted(&section.key) {
                continue;
            }
            if plain {
                text.push_str(&entry.plain_title());
            } else {
                text.push_str(&entry.title);
            }
            text.push('\n');
            for b in entry.body.iter().filter(|_| bodies) {
                if plain {
                    text.push_str(&weekly_model::inline::plain_text(&b.text));
                } else {
                    text.push_str(&b.text);
                }
                text.push('\n');
            }
        }
    }
    text
}

/// What a chart says of `season` while it is still running ("season 6 is still running: 9
/// of its 30 issues so far"), in the page's language.
pub(crate) fn running_note(
    input: &SiteInput<'_>,
    labels: &BTreeMap<String, String>,
    season: Option<&Season<'_>>,
) -> Option<String> {
    let season = season?;
    let total = input.season_running(season.number)?;
    let done = u32::try_from(season.issues.len()).unwrap_or(u32::MAX);
    Some(crate::labels::with_numbers(
        labels,
        "season_running",
        &[("n", season.number), ("done", done), ("total", total)],
    ))
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn season_value(
    input: &SiteInput<'_>,
    urls: &Urls,
    lang: &Lang,
    labels: &BTreeMap<String, String>,
    season: &Season<'_>,
    names: &[String],
    keys: &[String],
    issues: &[&Value],
) -> Value {
    let label = with_number(labels, "season", season.number);
    let totals: Vec<u32> = keys
        .iter()
        .map(|k| season.issues.iter().map(|i| i.counts.get(k)).sum())
        .collect();
    let bars: Vec<Bar> = season
        .issues
        .iter()
        .map(|i| Bar {
            label: format!("#{}", i.number),
            href: if i.has(lang) {
                urls.issue(lang, i.number)
            } else {
                urls.season(lang, season.number)
            },
            values: keys.iter().map(|k| i.counts.get(k)).collect(),
            unfinished: false,
        })
        .collect();
    let note = running_note(input, labels, Some(season));
    let free: Vec<&weekly_model::Document> = season
        .issues
        .iter()
        .filter(|i| input.is_free(i.number))
        .filter_map(|i| i.full(lang).map(|e| e.document))
        .collect();
    let withheld = season.issues.iter().any(|i| !input.is_free(i.number));
    let links_md =
        weekly_render::links::links_edition(&label, &free, &input.config.catalogue, lang);
    let links_md = links_md.split_once('\n').map_or("", |(_, rest)| rest);
    let files = season_files(input, lang, season.number);
    let page_url = urls.season(lang, season.number);
    let downloads: Vec<Value> = files
        .iter()
        .filter_map(|(kind, f)| {
            let label = match *kind {
                "epub" => "EPUB",
                "pdf" => "PDF",
                _ => return None,
            };
            Some(json!({
                "label": label,
                "href": format!("{page_url}{}", f.name),
                "size": human_size(f.bytes.len()),
            }))
        })
        .collect();
    let wrapup_md = files
        .iter()
        .find(|(kind, _)| *kind == "wrapup")
        .map_or_else(String::new, |(_, f)| {
            weekly_render::wrapup::published(without_front_matter(&String::from_utf8_lossy(
                &f.bytes,
            )))
        });
    json!({
        "number": season.number,
        "label": label,
        "href": urls.season(lang, season.number),
        "first": season.issues.first().map_or(0, |i| i.number),
        "last": season.issues.last().map_or(0, |i| i.number),
        "issues": issues,
        "totals": names.iter().zip(&totals).map(|(n, c)| json!({"name": n, "count": c})).collect::<Vec<_>>(),
        "chart_svg": stacked_bars(
            Words {
                title: &label,
                axis: &labels["entries_axis"],
                note: note.as_deref(),
            },
            names,
            &bars,
        ),
        "pie_svg": pie(&label, names, &totals),
        "cloud_svg": match season.cloud(lang, &input.config.primary) {
            [] => String::new(),
            placed => cloud::svg(&format!("{label} · {}", labels["word_cloud"]), placed),
        },
        "links_md": links_md,
        "links_note": if withheld { labels["links_note"].clone() } else { String::new() },
        "downloads": downloads,
        "wrapup_md": wrapup_md,
    })
}

/// A season value with the HTML of its Markdown texts (the links-only edition, the wrap-up
/// post), which `season.html` shows. [`season_value`] leaves them as Markdown: a page key is
/// made from that, and the HTML only for a page that is rendered.
pub(crate) fn with_html(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(fields) = value.as_object_mut() {
        for (md, html) in [("links_md", "links_html"), ("wrapup_md", "wrapup_html")] {
            let text = fields.remove(md);
            let text = text.as_ref().and_then(Value::as_str).unwrap_or("");
            fields.insert(html.to_owned(), Value::String(block(text)));
        }
    }
    value
}

/// The published files of season `number` in `lang`, with their kind (`epub`, `pdf`,
/// `wrapup`, `cloud`).
pub(crate) fn season_files<'a>(
    input: &'a SiteInput<'_>,
    lang: &Lang,
    number: u32,
) -> Vec<(&'static str, &'a SeasonFile)> {
    input
        .season_files
        .iter()
        .filter(|f| f.season == number && &f.lang == lang)
        .filter_map(|f| SeasonFile::parse_name(&f.name).map(|(_, _, kind)| (kind, f)))
        .collect()
}

/// `1.2 MB`, `340 KB`.
fn human_size(bytes: usize) -> String {
    #[allow(clippy::cast_precision_loss)]
    let kb = bytes as f64 / 1024.0;
    if kb >= 1024.0 {
        format!("{:.1} MB", kb / 1024.0)
    } else {
        format!("{} KB", kb.ceil())
    }
}

/// Markdown without its YAML front matter.
fn without_front_matter(text: &str) -> &str {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return text;
    };
    rest.find("\n---")
        .map_or(text, |end| rest[end + 4..].trim_start_matches(['\r', '\n']))
}
