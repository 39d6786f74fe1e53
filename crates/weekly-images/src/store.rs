//! Where images go: a folder of the workspace (`static/img/`, published with the site), an
//! S3-compatible bucket, or nowhere (`DryRun`, which says where). A name is written once: the
//! same picture again is kept as it is, a different one under a taken name is refused.

use rusty_s3::{Bucket as S3Bucket, Credentials, S3Action, UrlStyle};
use sha2::{Digest, Sha256};
use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

/// How long a signed request stays valid.
const SIGNED_FOR: Duration = Duration::from_mins(5);
/// The header holding the picture's SHA-256, to know it again.
const SHA_HEADER: &str = "x-amz-meta-sha256";

/// Where a picture was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The URL readers load it from.
    pub url: String,
    /// `false` when the same picture was there already.
    pub new: bool,
}

/// Why a picture was not stored.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The name holds another picture.
    #[error("{0} already holds a different image: choose another name with --name")]
    Taken(String),
    /// The folder could not be written.
    #[error("{path}: {cause}")]
    Io {
        /// The file or folder.
        path: String,
        /// What failed (said in the message, so not a `source()` too).
        cause: std::io::Error,
    },
    /// The folder is a symbolic link (it could lead out of the workspace).
    #[error("{0} is a symbolic link: images are written only inside the workspace")]
    Symlink(String),
    /// The bucket answered with an error.
    #[error("the bucket answered {status} to {action} {name}: {message}")]
    Refused {
        /// HEAD or PUT.
        action: &'static str,
        /// The object.
        name: String,
        /// The HTTP status.
        status: u16,
        /// The start of its answer.
        message: String,
    },
    /// The bucket could not be reached.
    #[error("cannot reach the bucket at {endpoint}: {message}")]
    Unreachable {
        /// The endpoint.
        endpoint: String,
        /// What failed.
        message: String,
    },
    /// The settings do not make a bucket.
    #[error("{0}")]
    Settings(String),
}

/// A place for pictures.
pub trait ImageStore {
    /// Stores `bytes` as `name` (a file name such as `2026-12-07-photo.jpg`).
    fn put(
        &self,
        name: &str,
        bytes: &[u8],
        content_type: &str,
    ) -> impl Future<Output = Result<Placed, StoreError>> + Send;

    /// Where it stores, for messages.
    fn describe(&self) -> String;
}

fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

/// A folder published with the site (`static/img/` → `BASE_URL/img/`).
#[derive(Debug, Clone)]
pub struct Folder {
    /// The workspace.
    pub root: PathBuf,
    /// The folder, relative to the workspace (only plain names: `static/img`).
    pub dir: PathBuf,
    /// The URL of the folder, without a trailing slash.
    pub url: String,
}

impl ImageStore for Folder {
    async fn put(
        &self,
        name: &str,
        bytes: &[u8],
        _content_type: &str,
    ) -> Result<Placed, StoreError> {
        let io = |path: &std::path::Path| {
            let path = path.display().to_string();
            move |cause| StoreError::Io { path, cause }
        };
        // Every folder from the workspace down to the pictures' own (`static`, `static/img`):
        // none may be a link, which could lead out of the workspace. The workspace's own
        // parents are the editor's business.
        let mut below = self.root.clone();
        for part in self.dir.components() {
            below.push(part);
            if std::fs::symlink_metadata(&below).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(StoreError::Symlink(below.display().to_string()));
            }
        }
        let dir = self.root.join(&self.dir);
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let path = dir.join(name);
        let url = format!("{}/{name}", self.url);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(StoreError::Symlink(path.display().to_string()));
            }
            Ok(_) => {
                let there = std::fs::read(&path).map_err(io(&path))?;
                return if there == bytes {
                    Ok(Placed { url, new: false })
                } else {
                    Err(StoreError::Taken(path.display().to_string()))
                };
            }
            Err(_) => {}
        }
        // Written beside and renamed: a crash leaves no half picture under the name.
        let partial = dir.join(format!(".{name}.partial"));
        std::fs::write(&partial, bytes).map_err(io(&partial))?;
        std::fs::rename(&partial, &path).map_err(io(&path))?;
        Ok(Placed { url, new: true })
    }

    fn describe(&self) -> String {
        self.root.join(&self.dir).display().to_string()
    }
}

/// An S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, moto…).
#[derive(Debug, Clone)]
pub struct Bucket {
    s3: S3Bucket,
    prefix: String,
    credentials: Credentials,
    public_url: String,
    acl: Option<String>,
    client: reqwest::Client,
}

impl Bucket {
    /// `store` is `s3://BUCKET[/PREFIX]`; `endpoint` the service's URL (`None`: AWS in
    /// `region`); `public_url` where readers load the objects (`None`: the bucket's own URL).
    /// A canned ACL (`public-read`) is added with [`Bucket::with_acl`].
    pub fn new(
        store: &str,
        endpoint: Option<&str>,
        region: &str,
        public_url: Option<&str>,
        key: &str,
        secret: &str,
    ) -> Result<Bucket, StoreError> {
        let rest = store.strip_prefix("s3://").ok_or_else(|| {
            StoreError::Settings(format!("`{store}` is not an s3://BUCKET/PREFIX address"))
        })?;
        let (name, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if name.is_empty() {
            return Err(StoreError::Settings(format!("`{store}` names no bucket")));
        }
        let (endpoint, style) = match endpoint {
            Some(e) => (e.to_owned(), UrlStyle::Path),
            None => (
                format!("https://s3.{region}.amazonaws.com"),
                UrlStyle::VirtualHost,
            ),
        };
        let endpoint_url = url::Url::parse(&endpoint)
            .map_err(|e| StoreError::Settings(format!("endpoint `{endpoint}`: {e}")))?;
        let bucket = S3Bucket::new(endpoint_url, style, name.to_owned(), region.to_owned())
            .map_err(|e| StoreError::Settings(format!("bucket `{name}` at `{endpoint}`: {e}")))?;
        let prefix = prefix.trim_matches('/');
        let prefix = if prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}/")
        };
        let public_url = match public_url {
            Some(u) => u.trim_end_matches('/').to_owned(),
            None => format!(
                "{}{}",
                bucket.base_url().as_str().trim_end_matches('/'),
                if prefix.is_empty() {
                    String::new()
                } else {
                    format!("/{}", prefix.trim_end_matches('/'))
                }
            ),
        };
        let client = weekly_http::builder(weekly_http::Timeouts::total(Duration::from_mins(2)))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| StoreError::Settings(format!("HTTP client: {e}")))?;
        Ok(Bucket {
            s3: bucket,
            prefix,
            credentials: Credentials::new(key, secret),
            public_url,
            acl: None,
            client,
        })
    }

    /// Sends `acl` (`x-amz-acl`) with every picture.
    #[must_use]
    pub fn with_acl(mut self, acl: Option<&str>) -> Bucket {
        self.acl = acl.map(str::to_owned);
        self
    }

    /// Where readers load the bucket's pictures.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    fn unreachable(&self, e: &reqwest::Error) -> StoreError {
        StoreError::Unreachable {
            endpoint: self.s3.base_url().as_str().to_owned(),
            // reqwest names the URL, whose query holds the signature: not shown.
            message: e.without_url_text(),
        }
    }
}

/// `reqwest::Error`'s words without the (signed) URL.
trait WithoutUrl {
    fn without_url_text(&self) -> String;
}

impl WithoutUrl for reqwest::Error {
    fn without_url_text(&self) -> String {
        let mut words = String::new();
        let mut source: Option<&dyn std::error::Error> = Some(self);
        while let Some(e) = source {
            let mut text = e.to_string();
            if let Some(at) = text.find(" for url (") {
                text.truncate(at);
            }
            if !words.contains(&text) {
                if !words.is_empty() {
                    words.push_str(": ");
                }
                words.push_str(&text);
            }
            source = e.source();
        }
        words
    }
}

impl ImageStore for Bucket {
    async fn put(
        &self,
        name: &str,
        bytes: &[u8],
        content_type: &str,
    ) -> Result<Placed, StoreError> {
        let key = format!("{}{name}", self.prefix);
        let url = format!("{}/{name}", self.public_url);
        let sha = sha256_hex(bytes);
        let head = self
            .s3
            .head_object(Some(&self.credentials), &key)
            .sign(SIGNED_FOR);
        let answer = self
            .client
            .head(head.as_str())
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        match answer.status().as_u16() {
            200 => {
                let there = answer
                    .headers()
                    .get(SHA_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                return if there == sha {
                    Ok(Placed { url, new: false })
                } else {
                    Err(StoreError::Taken(format!("s3://{}/{key}", self.s3.name())))
                };
            }
            404 => {}
            status => {
                return Err(StoreError::Refused {
                    action: "HEAD",
                    name: key,
                    status,
                    message: String::new(),
                });
            }
        }
        let mut put = self.s3.put_object(Some(&self.credentials), &key);
        let cache = "public, max-age=31536000, immutable";
        put.headers_mut()
            .insert("content-type", content_type.to_owned());
        put.headers_mut().insert("cache-control", cache);
        put.headers_mut().insert(SHA_HEADER, sha.clone());
        if let Some(acl) = &self.acl {
            put.headers_mut().insert("x-amz-acl", acl.clone());
        }
        let signed = put.sign(SIGNED_FOR);
        let mut request = self
            .client
            .put(signed.as_str())
            .header("content-type", content_type)
            .header("cache-control", cache)
            .header(SHA_HEADER, sha);
        if let Some(acl) = &self.acl {
            request = request.header("x-amz-acl", acl);
        }
        let answer = request
            .body(bytes.to_vec())
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        let status = answer.status().as_u16();
        if !(200..300).contains(&status) {
            let text = answer.text().await.unwrap_or_default();
            return Err(StoreError::Refused {
                action: "PUT",
                name: key,
                status,
                message: text.chars().take(300).collect(),
            });
        }
        Ok(Placed { url, new: true })
    }

    fn describe(&self) -> String {
        format!("s3://{}/{}", self.s3.name(), self.prefix)
    }
}

/// Stores nothing and says where a picture would go.
#[derive(Debug, Clone)]
pub struct DryRun {
    /// What the real store would be.
    pub target: String,
    /// The URL it would have.
    pub url: String,
}

impl ImageStore for DryRun {
    async fn put(
        &self,
        name: &str,
        _bytes: &[u8],
        _content_type: &str,
    ) -> Result<Placed, StoreError> {
        Ok(Placed {
            url: format!("{}/{name}", self.url),
            new: false,
        })
    }

    fn describe(&self) -> String {
        format!("{} (dry run: nothing written)", self.target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_folder_keeps_the_same_picture_and_refuses_another_under_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let folder = Folder {
            root: dir.to_path_buf(),
            dir: "static/img".into(),
            url: "https://w.example.org/img".to_owned(),
        };
        let first = folder
            .put("2026-12-07-a.png", b"one", "image/png")
            .await
            .unwrap();
        assert_eq!(
            first,
            Placed {
                url: "https://w.example.org/img/2026-12-07-a.png".into(),
                new: true
            }
        );
        let again = folder
            .put("2026-12-07-a.png", b"one", "image/png")
            .await
            .unwrap();
        assert!(!again.new);
        let other = folder
            .put("2026-12-07-a.png", b"two", "image/png")
            .await
            .unwrap_err();
        assert!(matches!(other, StoreError::Taken(_)), "{other}");
        assert_eq!(
            std::fs::read(dir.join("static/img/2026-12-07-a.png")).unwrap(),
            b"one"
        );
        let names: Vec<_> = std::fs::read_dir(dir.join("static/img")).unwrap().collect();
        assert_eq!(names.len(), 1, "no partial file is left");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_folder_that_is_a_link_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let outside = tempfile::tempdir().unwrap();
        let outside = outside.path();
        std::fs::create_dir_all(dir.join("static")).unwrap();
        std::os::unix::fs::symlink(outside, dir.join("static/img")).unwrap();
        let folder = Folder {
            root: dir.to_path_buf(),
            dir: "static/img".into(),
            url: "https://w.example.org/img".into(),
        };
        let err = folder.put("x.png", b"one", "image/png").await.unwrap_err();
        assert!(matches!(err, StoreError::Symlink(_)), "{err}");
        assert_eq!(std::fs::read_dir(outside).unwrap().count(), 0);
        // `static` itself a link: nothing is made through it either.
        let other = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside, other.path().join("static")).unwrap();
        let folder = Folder {
            root: other.path().to_path_buf(),
            ..folder
        };
        let err = folder.put("x.png", b"one", "image/png").await.unwrap_err();
        assert!(matches!(err, StoreError::Symlink(_)), "{err}");
        assert_eq!(std::fs::read_dir(outside).unwrap().count(), 0);
    }

    #[test]
    fn bucket_addresses_are_checked() {
        let err = Bucket::new("bucket/x", None, "us-east-1", None, "k", "s").unwrap_err();
        assert!(err.to_string().contains("not an s3://"), "{err}");
        let bucket = Bucket::new(
            "s3://pics/weekly/",
            Some("http://127.0.0.1:9"),
            "us-east-1",
            None,
            "k",
            "s",
        )
        .unwrap();
        assert_eq!(bucket.public_url, "http://127.0.0.1:9/pics/weekly");
        assert_eq!(bucket.describe(), "s3://pics/weekly/");
    }
}
