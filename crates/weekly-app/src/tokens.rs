//! Signed links for subscribers (confirm, unsubscribe, preferences): HMAC-SHA-256 over the
//! subscriber id, the purpose and the expiry, with the workspace's secret. A token names no
//! address, cannot be changed without the secret, is checked in constant time, and says which
//! of forged, expired or meant for another purpose it is.

use anyhow::{Context, Result, bail};
use hmac::{KeyInit, Mac};
use std::path::Path;

type HmacSha256 = hmac::Hmac<sha2_hmac::Sha256>;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The double opt-in confirmation.
    Confirm,
    /// One-click unsubscribe.
    Unsubscribe,
    /// The preferences page.
    Preferences,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::Confirm => "c",
            Purpose::Unsubscribe => "u",
            Purpose::Preferences => "p",
        }
    }
}

/// How long the preferences and unsubscribe links of a mail work (they come in every mail,
/// and an old mail's unsubscribe link must still work).
pub const MAIL_LINK_SECONDS: i64 = 400 * 24 * 3600;

/// Why a token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not one of ours, or changed.
    Forged,
    /// Ours, but past its expiry.
    Expired,
    /// Ours, for another purpose.
    OtherPurpose,
}

/// The secret that signs tokens (at least 32 bytes).
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<hidden>)")
    }
}

/// The file of a workspace that keeps its generated secret (mode 0600).
pub const SECRET_FILE: &str = ".weekly-secret";

impl Secret {
    /// `text` (from `WEEKLY_SECRET`) as a secret; it must be at least 32 characters.
    pub fn from_text(text: &str) -> Result<Secret> {
        let text = text.trim();
        if text.len() < 32 {
            bail!("WEEKLY_SECRET must be at least 32 characters long");
        }
        Ok(Secret(text.as_bytes().to_vec()))
    }

    /// The workspace's secret: `env` (the value of `WEEKLY_SECRET`) when set, else the one in
    /// `root/.weekly-secret`, made on first use from the system's random source and written
    /// with mode 0600. It is never printed.
    pub fn of_workspace(root: &Path, env: Option<&str>) -> Result<Secret> {
        if let Some(text) = env.filter(|t| !t.trim().is_empty()) {
            return Secret::from_text(text);
        }
        let path = root.join(SECRET_FILE);
        if let Ok(text) = std::fs::read_to_string(&path) {
            return Secret::from_text(&text)
                .with_context(|| format!("`{}` is not a usable secret", path.display()));
        }
        let mut bytes = [0u8; 32];
        std::fs::File::open("/dev/urandom")
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
            .context("cannot read the system's random source")?;
        let text = hex(&bytes);
        write_private(&path, &text)?;
        Secret::from_text(&text)
    }

    fn mac(&self, message: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(message.as_bytes());
        mac
    }

    /// A token for subscriber `id`, for `purpose`, valid until `expires` (unix seconds).
    pub fn token(&self, id: i64, purpose: Purpose, expires: i64) -> String {
        let message = format!("{id}.{}.{expires}", purpose.code());
        let tag = self.mac(&message).finalize().into_bytes();
        format!("{message}.{}", hex(&tag))
    }

    /// The subscriber id of `token` when it is ours, for `purpose`, and not expired at `now`.
    pub fn verify(&self, token: &str, purpose: Purpose, now: i64) -> Result<i64, Refused> {
        let mut parts = token.rsplitn(2, '.');
        let (Some(hex), Some(message)) = (parts.next(), parts.next()) else {
            return Err(Refused::Forged);
        };
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Refused::Forged);
        }
        let tag: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(0))
            .collect();
        // Constant time: `verify_slice` compares every byte.
        if self.mac(message).verify_slice(&tag).is_err() {
            return Err(Refused::Forged);
        }
        let fields: Vec<&str> = message.split('.').collect();
        let [id, code, expires] = fields[..] else {
            return Err(Refused::Forged);
        };
        let (Ok(id), Ok(expires)) = (id.parse::<i64>(), expires.parse::<i64>()) else {
            return Err(Refused::Forged);
        };
        if code != purpose.code() {
            return Err(Refused::OtherPurpose);
        }
        if now > expires {
            return Err(Refused::Expired);
        }
        Ok(id)
    }
}

/// `bytes` in lower-case hexadecimal.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Writes `text` to a new file that only its owner may read.
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_refused_when_forged_expired_or_for_another_purpose() {
        let secret = Secret::from_text(&"k".repeat(32)).unwrap();
        let token = secret.token(42, Purpose::Confirm, 1_000);
        assert_eq!(secret.verify(&token, Purpose::Confirm, 999), Ok(42));
        assert_eq!(secret.verify(&token, Purpose::Confirm, 1_000), Ok(42));
        assert_eq!(
            secret.verify(&token, Purpose::Confirm, 1_001),
            Err(Refused::Expired)
        );
        assert_eq!(
            secret.verify(&token, Purpose::Unsubscribe, 999),
            Err(Refused::OtherPurpose)
        );
        // Another id, a later expiry, another key, garbage: forged.
        let changed = token.replacen("42.", "43.", 1);
        assert_eq!(
            secret.verify(&changed, Purpose::Confirm, 999),
            Err(Refused::Forged)
        );
        let later = token.replacen(".1000.", ".9999.", 1);
        assert_eq!(
            secret.verify(&later, Purpose::Confirm, 999),
            Err(Refused::Forged)
        );
        let other = Secret::from_text(&"x".repeat(32)).unwrap();
        assert_eq!(
            other.verify(&token, Purpose::Confirm, 999),
            Err(Refused::Forged)
        );
        for junk in ["", ".", "a.b.c.d", "42.c.1000.zz", &format!("{token}0")] {
            assert_eq!(
                secret.verify(junk, Purpose::Confirm, 0),
                Err(Refused::Forged),
                "{junk}"
            );
        }
        assert!(!format!("{secret:?}").contains('k'));
        assert!(Secret::from_text("short").is_err());
    }

    #[test]
    fn a_workspace_secret_is_made_once_with_mode_0600() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let a = Secret::of_workspace(dir.path(), None).unwrap();
        let mode = std::fs::metadata(dir.path().join(SECRET_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let b = Secret::of_workspace(dir.path(), None).unwrap();
        let token = a.token(1, Purpose::Unsubscribe, 10);
        assert_eq!(b.verify(&token, Purpose::Unsubscribe, 5), Ok(1));
        // WEEKLY_SECRET wins over the file.
        let env = Secret::of_workspace(dir.path(), Some(&"e".repeat(40))).unwrap();
        assert_eq!(
            env.verify(&token, Purpose::Unsubscribe, 5),
            Err(Refused::Forged)
        );
    }
}
