//! `weekly image add`: a picture from a URL (fetched with the collector's guard and limits) or
//! a file, made to fit `[images]` (width, byte budget), named `YYYY-MM-DD-slug.ext` and stored
//! in `static/…` or an S3-compatible bucket; what comes back is the Markdown to paste.

use crate::archive::Archive;
use crate::workspace::Workspace;
use anyhow::{Context, Result, anyhow, bail};
use weekly_images::{Bucket, DryRun, Fitted, Folder, ImageStore, Placed, name};

/// The environment variables holding the bucket's credentials.
pub const S3_KEY_ENV: &str = "WEEKLY_S3_ACCESS_KEY_ID";
/// The secret one.
pub const S3_SECRET_ENV: &str = "WEEKLY_S3_SECRET_ACCESS_KEY";
/// The largest file read from disk (a picture larger than this is not a picture for readers).
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// What to add.
#[derive(Debug, Clone)]
pub struct AddOptions {
    /// A URL or a file.
    pub source: String,
    /// The issue whose date names the picture (default: `today`).
    pub issue: Option<u32>,
    /// The slug (default: from the source's name).
    pub name: Option<String>,
    /// The alternative text (default: the slug's words).
    pub alt: Option<String>,
    /// Today, `YYYY-MM-DD`.
    pub today: String,
    /// Say where it would go, store nothing.
    pub dry_run: bool,
}

/// What was added.
#[derive(Debug, Clone)]
pub struct Added {
    /// `![alt](url)`.
    pub markdown: String,
    /// Where it was stored, and whether it was there already.
    pub placed: Placed,
    /// The store, for messages.
    pub store: String,
    /// The picture made.
    pub fitted: Fitted,
    /// The bytes it came in.
    pub original_bytes: usize,
    /// The alternative text came from `--alt`.
    pub described: bool,
}

/// Adds one picture.
pub async fn add(workspace: &Workspace, options: &AddOptions) -> Result<Added> {
    let settings = &workspace.config.images;
    let date = match options.issue {
        Some(number) => {
            let archive = Archive::load(workspace)?;
            let issue = archive
                .issue(number)
                .ok_or_else(|| anyhow!("there is no issue #{number}"))?;
            issue.date.to_string()
        }
        None => options.today.clone(),
    };
    // The bucket's settings and credentials are checked before anything is fetched.
    let bucket = if !options.dry_run && settings.store.starts_with("s3://") {
        Some(bucket(workspace)?)
    } else {
        None
    };
    let input = read(workspace, &options.source).await?;
    let original_bytes = input.len();
    let (max_width, max_bytes) = (settings.max_width, settings.max_bytes);
    // Decoding and encoding take a core for a second or two: off the async threads.
    let fitted =
        tokio::task::spawn_blocking(move || weekly_images::fit(&input, max_width, max_bytes))
            .await
            .context("the image worker stopped")?
            .with_context(|| format!("{}: cannot make it fit `[images]`", options.source))?;
    let slug = match &options.name {
        Some(n) => name::slug(n),
        None => name::slug_of_source(&options.source),
    };
    let file = name::file_name(&date, &slug, fitted.format.extension());
    let content_type = fitted.format.content_type();
    let (placed, store) = if options.dry_run {
        let (target, url) = describe(workspace)?;
        let dry = DryRun { target, url };
        (
            dry.put(&file, &fitted.bytes, content_type).await?,
            dry.describe(),
        )
    } else if let Some(bucket) = &bucket {
        (
            bucket.put(&file, &fitted.bytes, content_type).await?,
            bucket.describe(),
        )
    } else {
        let folder = folder(workspace);
        (
            folder.put(&file, &fitted.bytes, content_type).await?,
            folder.describe(),
        )
    };
    let alt = options
        .alt
        .clone()
        .unwrap_or_else(|| slug.replace('-', " "));
    let alt = alt.replace(['[', ']', '\n'], " ");
    Ok(Added {
        markdown: format!("![{}]({})", alt.trim(), placed.url),
        placed,
        store,
        fitted,
        original_bytes,
        described: options.alt.is_some(),
    })
}

/// The picture's bytes, from the web through the guard or from a file.
async fn read(workspace: &Workspace, source: &str) -> Result<Vec<u8>> {
    if source.starts_with("http://") || source.starts_with("https://") {
        let (fetcher, _) = crate::fetching::guarded_fetcher(workspace)?;
        let fetched = fetcher
            .get(source, &weekly_collect::fetch::Validators::default())
            .await
            .with_context(|| format!("cannot fetch {source}"))?;
        let weekly_collect::fetch::Fetched::Body(body) = fetched else {
            bail!("{source} answered no picture");
        };
        return Ok(body
            .contents()
            .with_context(|| format!("cannot read what {source} answered"))?
            .into_owned());
    }
    let meta = std::fs::metadata(source).with_context(|| format!("cannot read {source}"))?;
    if !meta.is_file() {
        bail!("{source} is not a file");
    }
    if meta.len() > MAX_FILE_BYTES {
        bail!(
            "{source} takes {} bytes: more than the {MAX_FILE_BYTES} a picture may",
            meta.len()
        );
    }
    std::fs::read(source).with_context(|| format!("cannot read {source}"))
}

/// The workspace folder of `[images] store` and its URL on the site.
fn folder(workspace: &Workspace) -> Folder {
    let store = workspace.config.images.store.trim_end_matches('/');
    let under_site = store
        .strip_prefix("static")
        .unwrap_or(store)
        .trim_start_matches('/');
    let url = if under_site.is_empty() {
        workspace.config.base_url.clone()
    } else {
        format!("{}/{under_site}", workspace.config.base_url)
    };
    Folder {
        root: workspace.root.clone(),
        dir: store.into(),
        url,
    }
}

/// The bucket of `[images] store`, with the credentials from the environment.
fn bucket(workspace: &Workspace) -> Result<Bucket> {
    let settings = &workspace.config.images;
    let (Some(key), Some(secret)) = (
        workspace.env.get(S3_KEY_ENV),
        workspace.env.get(S3_SECRET_ENV),
    ) else {
        bail!(
            "`[images] store = \"{}\"` needs the bucket's credentials in {S3_KEY_ENV} and {S3_SECRET_ENV}",
            settings.store
        );
    };
    Ok(Bucket::new(
        &settings.store,
        settings.endpoint.as_deref(),
        &settings.region,
        settings.public_url.as_deref(),
        key,
        secret,
    )?
    .with_acl(settings.acl.as_deref()))
}

/// Where a dry run says a picture would go, and its URL's folder.
fn describe(workspace: &Workspace) -> Result<(String, String)> {
    if workspace.config.images.store.starts_with("s3://") {
        let bucket = Bucket::new(
            &workspace.config.images.store,
            workspace.config.images.endpoint.as_deref(),
            &workspace.config.images.region,
            workspace.config.images.public_url.as_deref(),
            "",
            "",
        )?;
        let url = bucket.public_url().to_owned();
        return Ok((bucket.describe(), url));
    }
    let folder = folder(workspace);
    Ok((folder.describe(), folder.url))
}
