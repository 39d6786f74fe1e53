//! `weekly.toml`: reading, validating, and turning it into model values. Errors name the file,
//! line, column and key.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;
use weekly_model::{Catalogue, Lang, SeasonRange, Seasons, SectionDef, SectionKey};

mod format;
mod import;
mod parse;

use format::{RawFormat, default_format};
use import::default_import;
pub use import::*;

/// The configuration file name at the root of a workspace.
pub const FILE_NAME: &str = "weekly.toml";

/// The default configuration, with comments, written by `weekly init`.
pub const DEFAULT: &str = include_str!("../../../assets/weekly.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    name: Spanned<BTreeMap<String, String>>,
    base_url: Spanned<String>,
    primary_language: Spanned<String>,
    languages: Spanned<Vec<Spanned<String>>>,
    #[serde(default = "default_season_length")]
    season_length: Spanned<u32>,
    /// `[[seasons]]`: seasons that do not have `season_length` issues.
    #[serde(default)]
    seasons: Vec<Spanned<RawSeason>>,
    #[serde(default = "default_free_after")]
    free_after: u32,
    #[serde(default = "default_star_badge")]
    star_badge_threshold: u32,
    #[serde(default)]
    sections: Vec<RawSection>,
    #[serde(default)]
    texts: BTreeMap<Spanned<String>, BTreeMap<String, String>>,
    #[serde(default = "default_translate")]
    translate: Spanned<TranslateConfig>,
    #[serde(default)]
    collect: CollectConfig,
    #[serde(default)]
    inbox: InboxConfig,
    #[serde(default)]
    telegram: TelegramConfig,
    #[serde(default = "default_smtp")]
    smtp: Spanned<SmtpConfig>,
    #[serde(default)]
    server: ServerConfig,
    #[serde(default = "default_site")]
    site: Spanned<SiteSettings>,
    #[serde(default)]
    publish: PublishConfig,
    #[serde(default = "default_database")]
    database: Spanned<DatabaseConfig>,
    #[serde(default = "default_digest")]
    digest: Spanned<DigestConfig>,
    /// `[format]`: how issues are written (default: Python Trending Weekly's way).
    #[serde(default = "default_format")]
    format: Spanned<RawFormat>,
    /// `[import]`: how `weekly import SRC` finds the issues of an archive (default: the layout
    /// of Python Trending Weekly's repository).
    #[serde(default = "default_import")]
    import: Spanned<ImportConfig>,
    /// `[channels.NAME]`: the services `weekly publish` posts the issue to.
    #[serde(default = "default_channels")]
    channels: Spanned<BTreeMap<String, ChannelConfig>>,
    /// `[check]`: rule code → `off`, `warning` or `error`.
    #[serde(default)]
    check: BTreeMap<Spanned<String>, Spanned<String>>,
    /// `[images]`: how `weekly image add` makes and stores pictures.
    #[serde(default = "default_images")]
    images: Spanned<ImagesConfig>,
    /// `[tracking]`: readers' signals, all off by default.
    #[serde(default)]
    tracking: TrackingConfig,
}

/// `[tracking]`: what `weekly server` counts of readers, all off by default. Nothing goes to a
/// third party and no IP address is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TrackingConfig {
    /// Each link of a campaign goes through `weekly server` (`/c/…`), which counts the click
    /// per link (never per person) and redirects to the address stored with the campaign.
    pub clicks: bool,
    /// A one-pixel image counts opens ("at least": many mail clients load no image, others
    /// load every image on delivery).
    pub opens: bool,
    /// Also record which subscriber clicked (a choice to tell readers about);
    /// `weekly subscribers remove --forget` deletes it with them.
    pub per_subscriber: bool,
    /// `weekly server` counts views of issue pages and home pages (no script, no cookie).
    pub page_views: bool,
    /// A click this many seconds or fewer after its message was made is a mail scanner's
    /// prefetch, counted apart.
    pub prefetch_seconds: u32,
}

impl Default for TrackingConfig {
    fn default() -> Self {
        TrackingConfig {
            clicks: false,
            opens: false,
            per_subscriber: false,
            page_views: false,
            prefetch_seconds: 10,
        }
    }
}

fn default_images() -> Spanned<ImagesConfig> {
    Spanned::new(0..0, ImagesConfig::default())
}

/// `[images]`: pictures made for readers by `weekly image add` (and held to by `weekly check`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImagesConfig {
    /// The most bytes one picture may take (100 KB: quick on a phone, under mail clients'
    /// clipping).
    pub max_bytes: usize,
    /// The widest a picture is kept, in pixels (twice the site's column, for sharp screens).
    pub max_width: u32,
    /// Where pictures go: a folder under `static/` (published with the site at
    /// `BASE_URL/…`), or `s3://BUCKET/PREFIX` (credentials from `WEEKLY_S3_ACCESS_KEY_ID` and
    /// `WEEKLY_S3_SECRET_ACCESS_KEY`).
    pub store: String,
    /// An S3-compatible service's URL (MinIO, R2…); AWS when unset.
    pub endpoint: Option<String>,
    /// The bucket's region.
    pub region: String,
    /// Where readers load the bucket's pictures (a CDN, the bucket's website), without a
    /// trailing slash; the bucket's own URL when unset.
    pub public_url: Option<String>,
    /// A canned ACL sent with each picture (`public-read` where the service reads object
    /// ACLs: MinIO, moto, older AWS buckets); unset when the bucket's policy makes it public.
    pub acl: Option<String>,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            max_bytes: 100_000,
            max_width: 1200,
            store: "static/img".to_owned(),
            endpoint: None,
            region: "us-east-1".to_owned(),
            public_url: None,
            acl: None,
        }
    }
}

/// `[collect]`: how `weekly collect` reads `sources.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CollectConfig {
    /// Requests in flight overall.
    pub concurrency: usize,
    /// Requests in flight to one host.
    pub per_host: usize,
    /// Seconds allowed for one feed, body included.
    pub timeout_seconds: u64,
    /// Largest feed body in bytes, after decompression.
    pub max_bytes: usize,
    /// Redirects followed.
    pub max_redirects: usize,
    /// Items read of one feed (its first ones, the newest in nearly every feed).
    pub max_items: usize,
    /// GitHub REST API (`WEEKLY_GITHUB_API_URL` overrides it).
    pub github_api_url: String,
    /// Repositories looked up per run (60 an hour without a token).
    pub github_lookups: usize,
}

impl Default for CollectConfig {
    fn default() -> Self {
        CollectConfig {
            concurrency: 64,
            per_host: 8,
            timeout_seconds: 20,
            max_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            max_items: weekly_collect::feed::MAX_ITEMS,
            github_api_url: "https://api.github.com".into(),
            github_lookups: 50,
        }
    }
}

/// `[inbox]`: how candidates are ranked.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InboxConfig {
    /// Hours for the recency part of the score to halve.
    pub half_life_hours: f64,
    /// Words and the points they add (negative to bury).
    pub keywords: BTreeMap<String, f64>,
    /// Ranks higher the sources whose earlier links readers clicked more than the average
    /// link (with `[tracking] clicks`); `false` leaves readers out of the score.
    pub readers_interest: bool,
}

impl Default for InboxConfig {
    fn default() -> Self {
        InboxConfig {
            half_life_hours: 72.0,
            keywords: BTreeMap::new(),
            readers_interest: true,
        }
    }
}

/// `[telegram]`: the channel. `WEEKLY_TELEGRAM_API_URL`, `WEEKLY_TELEGRAM_BOT_TOKEN` and
/// `WEEKLY_TELEGRAM_CHAT_ID` override these keys.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TelegramConfig {
    /// Bot API base URL (default the public one).
    pub api_url: String,
    /// `@channel` or a numeric chat id.
    pub chat_id: String,
    /// The bot token (better kept in the environment).
    pub bot_token: String,
    /// A photo sent with each announcement: a file of the workspace or an http(s) URL.
    pub photo: String,
}

/// `[smtp]`: the server that sends mail to subscribers. `WEEKLY_SMTP_URL` (lettre's URL
/// form, `smtp://user@host:587?tls=required`) replaces it; the password comes from
/// `WEEKLY_SMTP_PASSWORD` only.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpConfig {
    /// Host name (empty: mail is not configured).
    pub host: String,
    /// Port.
    pub port: u16,
    /// `starttls` (the default), `tls` (implicit, usually port 465) or `none` (only for a
    /// server on this machine).
    pub tls: String,
    /// User name (empty: no login).
    pub user: String,
    /// The sender, such as `"Python 潮流周刊 <weekly@example.org>"`.
    pub from: String,
    /// `List-Id` of the issues' mails (empty: `newsletter.` and the domain of `from`).
    pub list_id: String,
    /// An address offered in `List-Unsubscribe` beside the link (empty: none).
    pub unsubscribe_mailto: String,
    /// Connections to the server a campaign uses at once.
    pub concurrency: usize,
    /// Messages per second at most (0: as fast as the server takes them).
    pub rate: f64,
    /// Permanent refusals (5xx) after which a subscriber is marked bounced.
    pub bounce_after: i64,
    /// Seconds before a message refused for now (4xx) is tried again; doubled each time.
    pub retry_seconds: i64,
    /// Seconds a sending process holds the recipients it claimed; another takes them over
    /// when it stops renewing them (it died).
    pub lease_seconds: i64,
    /// A PEM private key (RSA or Ed25519) to sign the issues' mails with DKIM (empty: no
    /// signature), a file of the workspace.
    pub dkim_key: String,
    /// The DKIM selector (the DNS record `SELECTOR._domainkey.DOMAIN` holds the public key).
    pub dkim_selector: String,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            host: String::new(),
            port: 587,
            tls: "starttls".into(),
            user: String::new(),
            from: String::new(),
            list_id: String::new(),
            unsubscribe_mailto: String::new(),
            concurrency: 4,
            rate: 0.0,
            bounce_after: 3,
            retry_seconds: 60,
            lease_seconds: 60,
            dkim_key: String::new(),
            dkim_selector: String::new(),
        }
    }
}

/// `[publish]`: what `weekly publish` does besides building and sending.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PublishConfig {
    /// A shell command that puts the built sites online (`rsync -a site/ host:/srv/www/`, a
    /// `git push`…), run in the workspace with `WEEKLY_ISSUE`, `WEEKLY_SITE` and
    /// `WEEKLY_SITE_FULL` set; empty: nothing is deployed.
    pub deploy: String,
    /// Environment variables the deploy command gets besides `PATH`, `HOME`, the locale and
    /// `SSH_AUTH_SOCK` (`["AWS_PROFILE", "GIT_SSH_COMMAND"]`); never a `WEEKLY_` one, which
    /// hold weekly's secrets.
    pub pass_env: Vec<String>,
    /// READMEs to regenerate, by language: `{ zh = "README.md", en = "README.en.md" }`.
    pub readme: BTreeMap<String, String>,
}

/// `[site]`: what `weekly build` needs beyond the rest of the file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteSettings {
    /// The paid offer: where a reader pays to read every issue in full (a Patreon, Xiaobot
    /// or Substack page): one `http(s)` URL, or one per language (`{ zh = "…", en = "…" }`).
    /// The pages' "subscribe to read every issue in full" call and the texts'
    /// `{{ subscribe }}` lead there. Empty: no page promises the full text, and the call to
    /// subscribe is the free e-mail form of `[server] public_url`, when there is one.
    pub paid_url: PerLanguage,
    /// The older name of `paid_url` (one URL for every language), read when `paid_url` is
    /// not set.
    pub subscribe_url: String,
    /// An Open Graph card per issue page (`og.png`, drawn with the machine's fonts; a font
    /// for Han characters is needed, e.g. Debian's `fonts-noto-cjk`).
    pub og_images: bool,
}

/// A value for every language, or one per language.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum PerLanguage {
    /// The same for every language.
    One(String),
    /// By language code; a language missing has none.
    Each(BTreeMap<String, String>),
}

impl Default for PerLanguage {
    fn default() -> Self {
        PerLanguage::One(String::new())
    }
}

impl PerLanguage {
    /// The value for `lang`, when there is a non-empty one.
    pub fn get(&self, lang: &Lang) -> Option<&str> {
        let value = match self {
            PerLanguage::One(v) => v.as_str(),
            PerLanguage::Each(map) => map.get(lang.as_str()).map_or("", String::as_str),
        };
        Some(value.trim()).filter(|v| !v.is_empty())
    }

    /// Every value set, with its language code (`*` for one for every language).
    pub fn values(&self) -> Vec<(&str, &str)> {
        match self {
            PerLanguage::One(v) => vec![("*", v.as_str())],
            PerLanguage::Each(map) => map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
        }
    }

    /// True when no language has a value.
    pub fn is_empty(&self) -> bool {
        self.values().iter().all(|(_, v)| v.trim().is_empty())
    }
}

impl Default for SiteSettings {
    fn default() -> Self {
        SiteSettings {
            paid_url: PerLanguage::default(),
            subscribe_url: String::new(),
            og_images: true,
        }
    }
}

impl SiteSettings {
    /// The paid offer's URL in `lang`: `paid_url`'s, else the older `subscribe_url`.
    pub fn paid_url(&self, lang: &Lang) -> Option<String> {
        if self.paid_url.is_empty() {
            Some(self.subscribe_url.trim().to_owned()).filter(|u| !u.is_empty())
        } else {
            self.paid_url.get(lang).map(str::to_owned)
        }
    }
}

/// `[server]`: `weekly server`, the public subscription endpoints.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Where readers reach `weekly server` (`https://weekly.example.org/api`): the links of
    /// its mails start with it, and the site's pages get a subscribe form posting to it.
    /// Empty: no form on the site, and mail links start with `base_url`.
    pub public_url: String,
}

impl Config {
    /// The newsletter's name in its primary language (empty when not set).
    pub fn primary_name(&self) -> &str {
        self.name
            .get(&self.primary_language)
            .map_or("", String::as_str)
    }

    /// Where the links of mails point (`/confirm`, `/preferences`, `/unsubscribe`):
    /// `[server] public_url`, or `base_url` when it is empty; no trailing slash.
    pub fn links_base(&self) -> String {
        match self.server.public_url.trim() {
            "" => self.base_url.trim_end_matches('/').to_owned(),
            url => url.trim_end_matches('/').to_owned(),
        }
    }
}

impl ServerConfig {
    /// The address the subscribe form posts to, when the server is configured.
    pub fn subscribe_url(&self) -> Option<String> {
        let url = self.public_url.trim().trim_end_matches('/');
        (!url.is_empty()).then(|| format!("{url}/subscribe"))
    }
}

/// `[database]`: where the workspace's data lives (translation memory, candidates, deliveries,
/// subscribers, outbox). `WEEKLY_DATABASE_URL` replaces it, and is where a password belongs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite:PATH` (relative to the workspace) or `postgres://USER@HOST:PORT/NAME`.
    pub url: String,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: "sqlite:weekly.db".into(),
        }
    }
}

/// `[digest]`: the weekly digest of other newsletters.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DigestConfig {
    /// Days looked back.
    pub days: u32,
    /// UTC offset of the dates shown, such as `+08:00`.
    pub utc_offset: String,
}

impl Default for DigestConfig {
    fn default() -> Self {
        DigestConfig {
            days: 7,
            utc_offset: "+00:00".into(),
        }
    }
}

/// `[translate]`: the model that writes other-language editions. The API key is never read
/// from this file, only from `WEEKLY_LLM_API_KEY`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TranslateConfig {
    /// OpenAI-compatible base URL, up to `/v1`.
    pub base_url: String,
    /// Model name.
    pub model: String,
    /// Sampling temperature.
    pub temperature: f32,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests per minute (0: no limit).
    pub requests_per_minute: u32,
    /// Seconds allowed for one request.
    pub timeout_seconds: u64,
    /// Retries of a request after 429, 5xx or a network error.
    pub max_retries: usize,
    /// Extra attempts when an answer breaks a structure rule.
    pub repair_attempts: u32,
}

impl Default for TranslateConfig {
    fn default() -> Self {
        TranslateConfig {
            base_url: "https://api.openai.com/v1".into(),
            model: "gpt-4o-mini".into(),
            temperature: 0.2,
            concurrency: 8,
            requests_per_minute: 0,
            timeout_seconds: 120,
            max_retries: 5,
            repair_attempts: 2,
        }
    }
}

fn default_season_length() -> Spanned<u32> {
    Spanned::new(0..0, 30)
}
fn default_translate() -> Spanned<TranslateConfig> {
    Spanned::new(0..0, TranslateConfig::default())
}
fn default_digest() -> Spanned<DigestConfig> {
    Spanned::new(0..0, DigestConfig::default())
}
fn default_site() -> Spanned<SiteSettings> {
    Spanned::new(0..0, SiteSettings::default())
}

fn default_smtp() -> Spanned<SmtpConfig> {
    Spanned::new(0..0, SmtpConfig::default())
}
fn default_database() -> Spanned<DatabaseConfig> {
    Spanned::new(0..0, DatabaseConfig::default())
}
fn default_free_after() -> u32 {
    50
}
fn default_star_badge() -> u32 {
    1000
}

/// `[[seasons]]`: a season of its own length.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeason {
    number: u32,
    first: u32,
    last: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    key: Spanned<String>,
    #[serde(default)]
    emoji: String,
    #[serde(default)]
    counted: bool,
    names: Spanned<BTreeMap<String, String>>,
    #[serde(default)]
    aliases: Vec<String>,
    /// Heading patterns with `*` that also mean this section (`本周话题：*`).
    #[serde(default)]
    patterns: Vec<String>,
}

/// A resolved, validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Newsletter name per language.
    pub name: BTreeMap<Lang, String>,
    /// Base URL of the public site, without a trailing slash.
    pub base_url: String,
    /// The language the editor writes.
    pub primary_language: Lang,
    /// All edition languages, primary first.
    pub languages: Vec<Lang>,
    /// Which issues form which season (`season_length`, `[[seasons]]`).
    pub seasons: Seasons,
    /// Issues after which a paid issue becomes free.
    pub free_after: u32,
    /// Star count that earns a badge.
    pub star_badge_threshold: u32,
    /// The section catalogue.
    pub catalogue: Catalogue,
    /// Fixed texts per language.
    pub texts: BTreeMap<Lang, BTreeMap<String, String>>,
    /// The translation model.
    pub translate: TranslateConfig,
    /// Fetching sources.
    pub collect: CollectConfig,
    /// Ranking candidates.
    pub inbox: InboxConfig,
    /// The Telegram channel.
    pub telegram: TelegramConfig,
    /// Sending mail.
    pub smtp: SmtpConfig,
    /// The subscription server.
    pub server: ServerConfig,
    /// `[site]`.
    pub site: SiteSettings,
    /// `weekly publish`.
    pub publish: PublishConfig,
    /// The database.
    pub database: DatabaseConfig,
    /// The weekly digest.
    pub digest: DigestConfig,
    /// Seconds east of UTC for digest dates.
    pub digest_offset_seconds: i32,
    /// `[import]`: how `weekly import` reads an archive of this newsletter.
    pub import: ImportConfig,
    /// `[check]`: the rules this newsletter turns off, down or up.
    pub check: weekly_check::Levels,
    /// `[channels.NAME]`, by name.
    pub channels: BTreeMap<String, ChannelConfig>,
    /// `[images]`.
    pub images: ImagesConfig,
    /// `[tracking]`.
    pub tracking: TrackingConfig,
}

fn default_channels() -> Spanned<BTreeMap<String, ChannelConfig>> {
    Spanned::new(0..0, BTreeMap::new())
}

/// `[channels.NAME]`: a service `weekly publish` posts to (its secret comes from the
/// environment: `WEEKLY_CHANNEL_<NAME>_SECRET`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelConfig {
    /// `mastodon`, `bluesky`, `devto`, `wordpress` or `ghost`.
    pub kind: String,
    /// The service's base URL (`https://mastodon.social`, `https://bsky.social`,
    /// `https://dev.to`, `https://blog.example.org`).
    pub api_url: String,
    /// The account where one is needed: the Bluesky handle, the WordPress user.
    #[serde(default)]
    pub user: String,
    /// The edition's language (default: the primary one).
    #[serde(default)]
    pub language: String,
    /// `announcement` (a line and the link: Mastodon and Bluesky), `teaser` (the titles) or
    /// `full` (the whole issue, for drafts on dev.to, WordPress and Ghost). Default:
    /// `announcement` for the short ones, `teaser` for the others.
    #[serde(default)]
    pub edition: String,
    /// `issue` (with the issue, the default) or `disclosure` (with the issue that becomes
    /// free as this one comes out: its full text).
    #[serde(default)]
    pub when: String,
}

/// A configuration problem with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ConfigError {}

pub(crate) use weekly_model::diagnostic::text_position as position;

/// `+08:00` → 28,800 seconds.
fn parse_offset(text: &str) -> Option<i32> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 14 && m < 60 && rest.len() == 5).then_some(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_valid() {
        let c = Config::parse(DEFAULT, "weekly.toml").unwrap();
        assert_eq!(c.primary_language.as_str(), "zh");
        assert_eq!(c.seasons.length(), 30);
        assert_eq!(c.free_after, 50);
        assert_eq!(c.star_badge_threshold, 1000);
        assert_eq!(c.catalogue.classify("🐧 往年回顾").as_str(), "past");
        assert!(c.texts[&Lang::en()].contains_key("full_text"));
        assert_eq!(c.collect.per_host, 8);
        assert_eq!(c.digest_offset_seconds, 8 * 3600);
    }

    #[test]
    fn bad_offset_is_named() {
        let text = DEFAULT.replace("utc_offset = \"+08:00\"", "utc_offset = \"8h\"");
        let e = Config::parse(&text, "weekly.toml").unwrap_err();
        assert!(e.message.contains("8h"), "{e}");
        assert!(e.line > 0);
    }

    #[test]
    fn default_catalogue_is_the_models_python_weekly_catalogue() {
        // The pure crates' tests use `Catalogue::python_weekly()`; `weekly init` and `import`
        // write this file. They must not drift apart.
        let c = Config::parse(DEFAULT, "weekly.toml").unwrap();
        assert_eq!(c.catalogue, Catalogue::python_weekly());
    }

    #[test]
    fn unknown_key_is_positioned() {
        let text = DEFAULT.replace("free_after = 50", "free_afterr = 50");
        let e = Config::parse(&text, "weekly.toml").unwrap_err();
        let line = DEFAULT
            .lines()
            .position(|l| l.starts_with("free_after"))
            .unwrap()
            + 1;
        assert_eq!(e.line, line);
        assert!(e.message.contains("free_afterr"), "{e}");
    }

    #[test]
    fn images_and_tracking_are_read_and_checked() {
        let c = Config::parse(DEFAULT, "weekly.toml").unwrap();
        assert_eq!((c.images.max_bytes, c.images.max_width), (100_000, 1200));
        assert!(!c.tracking.clicks && !c.tracking.per_subscriber);
        assert_eq!(c.tracking.prefetch_seconds, 10);
        let line =
            |text: &str, key: &str| text.lines().position(|l| l.starts_with(key)).unwrap() + 1;
        for (from, to, said) in [
            (
                "store = \"static/img\"",
                "store = \"../img\"",
                "neither a folder under `static/`",
            ),
            (
                "store = \"static/img\"",
                "store = \"s3:///x\"",
                "names no bucket",
            ),
            ("max_bytes = 100000", "max_bytes = 500", "too small"),
        ] {
            let text = DEFAULT.replace(from, to);
            let e = Config::parse(&text, "weekly.toml").unwrap_err();
            assert!(e.message.contains(said), "{e}");
            // The error points into the `[images]` table.
            assert!(e.line >= line(&text, "[images]"), "{e}");
        }
    }

    #[test]
    fn primary_language_must_be_listed() {
        let text = DEFAULT.replace("languages = [\"zh\", \"en\"]", "languages = [\"en\"]");
        let e = Config::parse(&text, "weekly.toml").unwrap_err();
        assert!(e.message.contains("primary language"), "{e}");
        assert!(e.line > 0);
    }

    #[test]
    fn explicit_seasons_are_read_and_checked() {
        let listed = format!("{DEFAULT}\n[[seasons]]\nnumber = 2\nfirst = 31\nlast = 64\n");
        let c = Config::parse(&listed, "weekly.toml").unwrap();
        assert_eq!(c.seasons.range(2), 31..=64);
        assert_eq!(c.seasons.of(65), 3);

        let gap = format!("{DEFAULT}\n[[seasons]]\nnumber = 2\nfirst = 40\nlast = 70\n");
        let e = Config::parse(&gap, "weekly.toml").unwrap_err();
        assert!(e.message.contains("must start at issue 31"), "{e}");
        let line = gap.lines().position(|l| l == "number = 2").unwrap() + 1;
        assert!(e.line >= line - 1 && e.line <= line + 2, "{e}");
    }

    #[test]
    fn bad_section_key_is_named() {
        let text = DEFAULT.replace("key = \"media\"", "key = \"Media Stuff\"");
        let e = Config::parse(&text, "weekly.toml").unwrap_err();
        assert!(e.message.contains("Media Stuff"), "{e}");
        let line = text
            .lines()
            .position(|l| l.contains("Media Stuff"))
            .unwrap()
            + 1;
        assert_eq!(e.line, line);
    }
}
