//! Reading a `weekly.toml`: the TOML parsed into the raw tables, then each part checked by a
//! function of its own; every error names the file, line and column of the value at fault.

use super::{
    BTreeMap, Catalogue, ChannelConfig, Config, ConfigError, DatabaseConfig, DigestConfig,
    ImagesConfig, Lang, RawConfig, RawSection, SeasonRange, Seasons, SectionDef, SectionKey,
    SiteSettings, SmtpConfig, Spanned, TranslateConfig, parse_offset, position,
};

/// Where errors point: the file's text and name.
struct At<'t> {
    text: &'t str,
    file: &'t str,
}

impl At<'_> {
    /// An error at `span` of the text (an error of the whole file, such as a missing key, is
    /// shown at its start).
    fn error(&self, span: std::ops::Range<usize>, message: String) -> ConfigError {
        let (line, column) = if span.is_empty() && span.start == 0 {
            (1, 1)
        } else {
            position(self.text, span.start)
        };
        ConfigError {
            file: self.file.to_owned(),
            line,
            column,
            message,
        }
    }

    /// The language of `code`, named in errors as a value of `key`.
    fn lang(&self, code: &Spanned<String>, key: &str) -> Result<Lang, ConfigError> {
        Lang::new(code.get_ref()).ok_or_else(|| {
            self.error(
                code.span(),
                format!(
                    "`{key}`: `{}` is not a language code such as `zh` or `en`",
                    code.get_ref()
                ),
            )
        })
    }
}

impl Config {
    /// Parses and validates the text of a `weekly.toml`.
    pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
        let at = At { text, file };
        if text.trim().is_empty() {
            return Err(at.error(
                0..0,
                "the file is empty; it needs at least `name`, `primary_language` and \
                 `languages` (`weekly init DIR` writes a commented one to start from)"
                    .to_owned(),
            ));
        }
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_owned();
            at.error(e.span().unwrap_or(0..0), message)
        })?;
        let (primary, languages) = languages(&at, &raw)?;
        let seasons = seasons(&at, &raw)?;
        let name = names(&at, &raw.name, &primary)?;
        let sections = sections(&at, raw.sections, &primary)?;
        let texts = texts(&at, raw.texts)?;
        let import = raw.import.get_ref().clone();
        import
            .validate(&languages)
            .map_err(|message| at.error(raw.import.span(), message))?;
        let format = {
            let span = raw.format.span();
            raw.format
                .into_inner()
                .resolve()
                .map_err(|message| at.error(span, message))?
        };
        let site = site(&at, &raw.site, &languages)?;
        let channels = channels(&at, &raw.channels, &languages)?;
        Ok(Config {
            name,
            base_url: raw.base_url.get_ref().trim_end_matches('/').to_owned(),
            primary_language: primary,
            languages,
            seasons,
            free_after: raw.free_after,
            star_badge_threshold: raw.star_badge_threshold,
            catalogue: Catalogue { sections, format },
            texts,
            translate: translate(&at, &raw.translate)?,
            collect: raw.collect,
            inbox: raw.inbox,
            telegram: raw.telegram,
            smtp: smtp(&at, &raw.smtp)?,
            server: raw.server,
            site,
            publish: raw.publish,
            database: database(&at, &raw.database)?,
            digest_offset_seconds: digest_offset(&at, &raw.digest)?,
            digest: raw.digest.into_inner(),
            import,
            check: check(&at, &raw.check)?,
            channels,
            images: images(&at, &raw.images)?,
            tracking: raw.tracking,
        })
    }
}

/// The primary language and every language, the primary first; `season_length` checked too.
fn languages(at: &At<'_>, raw: &RawConfig) -> Result<(Lang, Vec<Lang>), ConfigError> {
    let primary = at.lang(&raw.primary_language, "primary_language")?;
    let mut languages = Vec::new();
    for code in raw.languages.get_ref() {
        let l = at.lang(code, "languages")?;
        if languages.contains(&l) {
            return Err(at.error(code.span(), format!("`languages`: `{l}` is listed twice")));
        }
        languages.push(l);
    }
    let Some(index) = languages.iter().position(|l| *l == primary) else {
        return Err(at.error(
            raw.languages.span(),
            format!("`languages` must include the primary language `{primary}`"),
        ));
    };
    languages.swap(0, index);
    Ok((primary, languages))
}

/// The seasons: `season_length` issues each, or as `[[seasons]]` lists them.
fn seasons(at: &At<'_>, raw: &RawConfig) -> Result<Seasons, ConfigError> {
    if *raw.season_length.get_ref() == 0 {
        return Err(at.error(
            raw.season_length.span(),
            "`season_length` must be at least 1".into(),
        ));
    }
    let explicit = raw
        .seasons
        .iter()
        .map(|s| {
            let r = s.get_ref();
            SeasonRange {
                number: r.number,
                first: r.first,
                last: r.last,
            }
        })
        .collect();
    Seasons::new(*raw.season_length.get_ref(), explicit).map_err(|e| {
        at.error(
            raw.seasons[e.index].span(),
            format!("`[[seasons]]`: {}", e.message),
        )
    })
}

/// The newsletter's name in each language; the primary one must have one.
fn names(
    at: &At<'_>,
    raw: &Spanned<BTreeMap<String, String>>,
    primary: &Lang,
) -> Result<BTreeMap<Lang, String>, ConfigError> {
    let mut name = BTreeMap::new();
    for (code, value) in raw.get_ref() {
        let l = Lang::new(code)
            .ok_or_else(|| at.error(raw.span(), format!("`name.{code}`: not a language code")))?;
        name.insert(l, value.clone());
    }
    if !name.contains_key(primary) {
        return Err(at.error(
            raw.span(),
            format!("`name` needs a value for the primary language `{primary}`"),
        ));
    }
    Ok(name)
}

/// The `[[sections]]`: keys unique and not reserved, each with a name, the primary
/// language's name first.
fn sections(
    at: &At<'_>,
    raw: Vec<RawSection>,
    primary: &Lang,
) -> Result<Vec<SectionDef>, ConfigError> {
    let mut sections: Vec<SectionDef> = Vec::new();
    for section in raw {
        let key = SectionKey::new(section.key.get_ref()).ok_or_else(|| {
            at.error(
                section.key.span(),
                format!(
                    "`sections.key`: `{}` must be lower-case letters, digits, `-` or `_`",
                    section.key.get_ref()
                ),
            )
        })?;
        if key.is_other() || sections.iter().any(|s| s.key == key) {
            return Err(at.error(
                section.key.span(),
                format!("`sections.key`: `{key}` is reserved or used twice"),
            ));
        }
        let mut names = Vec::new();
        for (code, value) in section.names.get_ref() {
            let l = Lang::new(code).ok_or_else(|| {
                at.error(
                    section.names.span(),
                    format!("`sections.names.{code}`: not a language code"),
                )
            })?;
            names.push((l, value.clone()));
        }
        if names.is_empty() {
            return Err(at.error(
                section.names.span(),
                format!("section `{key}` needs at least one name"),
            ));
        }
        names.sort_by_key(|(l, _)| l != primary);
        sections.push(SectionDef {
            key,
            emoji: section.emoji,
            names,
            aliases: section.aliases,
            counted: section.counted,
            patterns: section.patterns,
        });
    }
    Ok(sections)
}

/// `[texts.LANG]`: the interface's words a workspace overrides, by language.
fn texts(
    at: &At<'_>,
    raw: BTreeMap<Spanned<String>, BTreeMap<String, String>>,
) -> Result<BTreeMap<Lang, BTreeMap<String, String>>, ConfigError> {
    let mut texts = BTreeMap::new();
    for (code, table) in raw {
        let l = Lang::new(code.get_ref()).ok_or_else(|| {
            at.error(
                code.span(),
                format!("`texts.{}`: not a language code", code.get_ref()),
            )
        })?;
        texts.insert(l, table);
    }
    Ok(texts)
}

fn translate(at: &At<'_>, raw: &Spanned<TranslateConfig>) -> Result<TranslateConfig, ConfigError> {
    let t = raw.get_ref().clone();
    if t.concurrency == 0 || !(0.0..=2.0).contains(&t.temperature) {
        return Err(at.error(
            raw.span(),
            "`translate`: `concurrency` must be at least 1 and `temperature` between 0 and 2"
                .into(),
        ));
    }
    Ok(t)
}

fn smtp(at: &At<'_>, raw: &Spanned<SmtpConfig>) -> Result<SmtpConfig, ConfigError> {
    let smtp = raw.get_ref().clone();
    let in_range =
        (1..=200).contains(&smtp.concurrency) && smtp.rate >= 0.0 && smtp.rate.is_finite();
    if !in_range || smtp.bounce_after < 1 || smtp.retry_seconds < 1 || smtp.lease_seconds < 2 {
        return Err(at.error(
            raw.span(),
            "`smtp`: `concurrency` must be 1 to 200, `rate` 0 or more, `bounce_after` and `retry_seconds` at least 1, `lease_seconds` at least 2".into(),
        ));
    }
    Ok(smtp)
}

fn site(
    at: &At<'_>,
    raw: &Spanned<SiteSettings>,
    languages: &[Lang],
) -> Result<SiteSettings, ConfigError> {
    let site = raw.get_ref().clone();
    let mut urls = vec![("subscribe_url".to_owned(), site.subscribe_url.as_str())];
    for (code, url) in site.paid_url.values() {
        if code != "*" && !languages.iter().any(|l| l.as_str() == code) {
            return Err(at.error(
                raw.span(),
                format!("`site.paid_url`: `{code}` is not one of the `languages`"),
            ));
        }
        let key = match code {
            "*" => "paid_url".to_owned(),
            code => format!("paid_url.{code}"),
        };
        urls.push((key, url));
    }
    for (key, url) in urls {
        let url = url.trim();
        let web = url.starts_with("https://") || url.starts_with("http://");
        if !url.is_empty() && (!web || url.contains(char::is_whitespace)) {
            return Err(at.error(
                raw.span(),
                format!("`site.{key}`: `{url}` is not an http(s) URL"),
            ));
        }
    }
    Ok(site)
}

fn channels(
    at: &At<'_>,
    raw: &Spanned<BTreeMap<String, ChannelConfig>>,
    languages: &[Lang],
) -> Result<BTreeMap<String, ChannelConfig>, ConfigError> {
    let mut out = raw.get_ref().clone();
    for (name, channel) in &mut out {
        let fail =
            |message: String| Err(at.error(raw.span(), format!("`channels.{name}`: {message}")));
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return fail("a channel's name is letters, digits, `-` and `_`".into());
        }
        let Some(kind) = weekly_channels::Kind::parse(&channel.kind) else {
            return fail(format!(
                "`kind = \"{}\"` is not one we post to ({})",
                channel.kind,
                weekly_channels::Kind::WORDS
            ));
        };
        let url = channel.api_url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return fail(format!("`api_url = \"{url}\"` is not an http(s) URL"));
        }
        if matches!(
            kind,
            weekly_channels::Kind::Bluesky
                | weekly_channels::Kind::Wordpress
                | weekly_channels::Kind::Wechat
        ) && channel.user.trim().is_empty()
        {
            return fail(format!("a {} channel needs `user`", kind.as_str()));
        }
        if !channel.language.is_empty() && !languages.iter().any(|l| l.as_str() == channel.language)
        {
            return fail(format!(
                "`language = \"{}\"` is not one of the `languages`",
                channel.language
            ));
        }
        if channel.edition.is_empty() {
            channel.edition = if kind.updatable() {
                "teaser"
            } else {
                "announcement"
            }
            .into();
        }
        if !["announcement", "teaser", "full"].contains(&channel.edition.as_str()) {
            return fail(format!(
                "`edition = \"{}\"`: use announcement, teaser or full",
                channel.edition
            ));
        }
        if channel.when.is_empty() {
            channel.when = "issue".into();
        }
        if !["issue", "disclosure"].contains(&channel.when.as_str()) {
            return fail(format!(
                "`when = \"{}\"`: use issue or disclosure",
                channel.when
            ));
        }
    }
    Ok(out)
}

fn database(at: &At<'_>, raw: &Spanned<DatabaseConfig>) -> Result<DatabaseConfig, ConfigError> {
    let database = raw.get_ref().clone();
    if weekly_store::Engine::of_url(&database.url).is_none() {
        return Err(at.error(
            raw.span(),
            format!(
                "`database.url`: `{}` is not a database URL; use `sqlite:weekly.db` (a file of the workspace) or `postgres://user@host/name`",
                weekly_store::shown_url(&database.url)
            ),
        ));
    }
    Ok(database)
}

fn digest_offset(at: &At<'_>, raw: &Spanned<DigestConfig>) -> Result<i32, ConfigError> {
    parse_offset(&raw.get_ref().utc_offset).ok_or_else(|| {
        at.error(
            raw.span(),
            format!(
                "`digest.utc_offset`: `{}` is not an offset such as `+08:00`",
                raw.get_ref().utc_offset
            ),
        )
    })
}

/// `[check]`: a level for each rule code (an unknown code or level points at itself).
fn check(
    at: &At<'_>,
    raw: &BTreeMap<Spanned<String>, Spanned<String>>,
) -> Result<weekly_check::Levels, ConfigError> {
    let mut levels = weekly_check::Levels::default();
    for (code, level) in raw {
        let span = match weekly_check::Level::parse(level.get_ref()) {
            Some(_) => code.span(),
            None => level.span(),
        };
        levels
            .set(code.get_ref(), level.get_ref())
            .map_err(|e| at.error(span, format!("`check`: {e}")))?;
    }
    Ok(levels)
}

/// `[images]`: a budget a picture can meet, a width a page can use, a store we can write.
fn images(at: &At<'_>, raw: &Spanned<ImagesConfig>) -> Result<ImagesConfig, ConfigError> {
    let images = raw.get_ref().clone();
    let fail = |message: String| Err(at.error(raw.span(), format!("`images`: {message}")));
    if images.max_bytes < 10_000 {
        return fail(format!(
            "`max_bytes = {}` is too small for a readable picture (at least 10000)",
            images.max_bytes
        ));
    }
    if !(240..=8000).contains(&images.max_width) {
        return fail(format!(
            "`max_width = {}` is not between 240 and 8000 pixels",
            images.max_width
        ));
    }
    if images.store.starts_with("s3://") {
        if images
            .store
            .trim_start_matches("s3://")
            .split('/')
            .next()
            .unwrap_or("")
            .is_empty()
        {
            return fail(format!("`store = \"{}\"` names no bucket", images.store));
        }
    } else {
        let path = std::path::Path::new(&images.store);
        let inside = path.starts_with("static")
            && path
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside {
            return fail(format!(
                "`store = \"{}\"` is neither a folder under `static/` (such as `static/img`) \
                 nor an `s3://BUCKET/PREFIX` address",
                images.store
            ));
        }
    }
    for (key, value) in [
        ("endpoint", &images.endpoint),
        ("public_url", &images.public_url),
    ] {
        if let Some(url) = value
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return fail(format!("`{key} = \"{url}\"` is not an http(s) address"));
        }
    }
    if let Some(acl) = &images.acl
        && ![
            "private",
            "public-read",
            "authenticated-read",
            "bucket-owner-read",
        ]
        .contains(&acl.as_str())
    {
        return fail(format!(
            "`acl = \"{acl}\"` is not a canned ACL such as `public-read`"
        ));
    }
    Ok(images)
}
