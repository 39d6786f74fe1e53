//! Signed links for subscribers (confirm, unsubscribe, preferences): HMAC-SHA-256 over the
//! subscriber id, the purpose, the expiry and the subscriber's own random link key, with the
//! workspace's secret. A token names no address, cannot be changed without the secret, is
//! checked in constant time, dies with its subscriber (a forgotten row's key is gone, and a row
//! made later for the same address has another), and says which of forged, expired or meant
//! for another purpose it is. Tokens mailed before subscribers had keys (migration 0008) were
//! signed without one: they are accepted for the rows of that time only (`legacy_links`).

use anyhow::{Context, Result, bail};
use hmac::{KeyInit, Mac};
use std::path::Path;
use weekly_store::{Store, Subscriber};

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
        Secret::read(root, env)
    }

    /// The secret of `workspace`: `WEEKLY_SECRET` of its environment, else its
    /// `.weekly-secret` (see [`Secret::of_workspace`]).
    pub fn of(workspace: &crate::workspace::Workspace) -> Result<Secret> {
        Secret::read(
            &workspace.root,
            workspace.env.get(crate::environment::SECRET),
        )
    }

    fn read(root: &Path, env: Option<&str>) -> Result<Secret> {
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

    /// The MAC of a link: over `message` and the subscriber's link `key`.
    fn link_mac(&self, message: &str, key: &str) -> HmacSha256 {
        let mut mac = self.mac(message);
        mac.update(b"\n");
        mac.update(key.as_bytes());
        mac
    }

    /// A token for subscriber `id` whose link key is `key` (`Subscriber::link_key`), for
    /// `purpose`, valid until `expires` (unix seconds).
    pub fn token(&self, id: i64, key: &str, purpose: Purpose, expires: i64) -> String {
        let message = format!("{id}.{}.{expires}", purpose.code());
        let tag = self.link_mac(&message, key).finalize().into_bytes();
        format!("{message}.{}", hex(&tag))
    }

    /// Whether `token` is ours, for `purpose`, not expired at `now`, and made for `holder`
    /// (the subscriber its id names, as stored now): signed with their link key, or — for a
    /// row from before link keys only — without one.
    pub fn verify(
        &self,
        token: &str,
        purpose: Purpose,
        now: i64,
        holder: &Subscriber,
    ) -> Result<(), Refused> {
        let parsed = Parsed::of(token).ok_or(Refused::Forged)?;
        if parsed.id != holder.id {
            return Err(Refused::Forged);
        }
        // Constant time: `verify_slice` compares every byte.
        let keyed = self
            .link_mac(parsed.message, &holder.link_key)
            .verify_slice(&parsed.tag)
            .is_ok();
        let legacy =
            holder.legacy_links && self.mac(parsed.message).verify_slice(&parsed.tag).is_ok();
        if !keyed && !legacy {
            return Err(Refused::Forged);
        }
        if parsed.code != purpose.code() {
            return Err(Refused::OtherPurpose);
        }
        if now > parsed.expires {
            return Err(Refused::Expired);
        }
        Ok(())
    }
}

/// What a click (or open) token names: a campaign's link, when the mail was made (for telling
/// a scanner's prefetch from a reader), and the subscriber only with `per_subscriber`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tracked {
    /// The campaign.
    pub campaign: i64,
    /// The link's position (0: the open pixel).
    pub position: u32,
    /// When the message was made (unix seconds).
    pub sent: i64,
    /// The subscriber, with `[tracking] per_subscriber` only.
    pub subscriber: Option<i64>,
}

impl Secret {
    /// The token of a tracked link: `C.P.T[.S].TAG`, `TAG` 128 bits of an HMAC over the rest,
    /// so that no one can make or change one (nor send a redirect where they like: the URL is
    /// the campaign's, looked up by position).
    pub fn click_token(&self, tracked: &Tracked) -> String {
        let Tracked {
            campaign,
            position,
            sent,
            subscriber,
        } = tracked;
        let message = match subscriber {
            Some(s) => format!("{campaign}.{position}.{sent}.{s}"),
            None => format!("{campaign}.{position}.{sent}"),
        };
        let tag = self
            .mac(&format!("click.{message}"))
            .finalize()
            .into_bytes();
        format!("{message}.{}", hex(&tag[..16]))
    }

    /// What `token` names when [`Secret::click_token`] made it; `None` for a forged, altered
    /// or malformed one (checked in constant time).
    pub fn tracked(&self, token: &str) -> Option<Tracked> {
        let (message, tag) = token.rsplit_once('.')?;
        if tag.len() != 32 || !tag.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return None;
        }
        let digits =
            |t: &str| !t.is_empty() && t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit());
        let fields: Vec<&str> = message.split('.').collect();
        if !(3..=4).contains(&fields.len()) || !fields.iter().all(|f| digits(f)) {
            return None;
        }
        let bytes: Vec<u8> = (0..16)
            .map(|i| u8::from_str_radix(&tag[2 * i..2 * i + 2], 16).unwrap_or(0))
            .collect();
        self.mac(&format!("click.{message}"))
            .verify_truncated_left(&bytes)
            .ok()?;
        Some(Tracked {
            campaign: fields[0].parse().ok()?,
            position: fields[1].parse().ok()?,
            sent: fields[2].parse().ok()?,
            subscriber: fields.get(3).and_then(|s| s.parse().ok()),
        })
    }
}

/// A token taken apart, not checked yet.
struct Parsed<'a> {
    /// What the tag signs: `id.code.expires`.
    message: &'a str,
    id: i64,
    code: &'a str,
    expires: i64,
    tag: Vec<u8>,
}

impl Parsed<'_> {
    fn of(token: &str) -> Option<Parsed<'_>> {
        let (message, hex) = token.rsplit_once('.')?;
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let tag = (0..32)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(0))
            .collect();
        let fields: Vec<&str> = message.split('.').collect();
        let [id, code, expires] = fields[..] else {
            return None;
        };
        Some(Parsed {
            message,
            id: id.parse().ok()?,
            code,
            expires: expires.parse().ok()?,
            tag,
        })
    }
}

/// The subscriber id `token` names, not checked: whom to look up before [`Secret::verify`].
pub fn named_id(token: &str) -> Option<i64> {
    Parsed::of(token).map(|p| p.id)
}

/// Why a link was not accepted: refused, or the database could not be asked.
#[derive(Debug)]
pub enum Checked {
    /// The token is not valid for anyone we have.
    Refused(Refused),
    /// The database failed (the token may be fine).
    Store(weekly_store::StoreError),
}

/// The subscriber `token` was made for, for `purpose` at `now` (unix seconds), as stored in
/// `store`: the id it names is looked up and the token checked against that row's link key,
/// so a token of a forgotten subscriber opens nothing, whoever has its id now.
pub async fn check(
    store: &Store,
    secret: &Secret,
    token: &str,
    purpose: Purpose,
    now: i64,
) -> Result<Subscriber, Checked> {
    let id = named_id(token).ok_or(Checked::Refused(Refused::Forged))?;
    let holder = store
        .subscriber_by_id(id)
        .await
        .map_err(Checked::Store)?
        .ok_or(Checked::Refused(Refused::Forged))?;
    secret
        .verify(token, purpose, now, &holder)
        .map_err(Checked::Refused)?;
    Ok(holder)
}

/// What a campaign's `Message-ID` starts with.
const MESSAGE_ID_PREFIX: &str = "weekly";

impl Secret {
    /// The `Message-ID` (without its angle brackets) of the message of campaign `campaign` to
    /// its recipient row `recipient`, in `domain`: `weekly.C.R.TAG@domain`, `TAG` the first
    /// 128 bits of an HMAC over both ids. A bounce report that quotes it is about a message we
    /// sent; no one without the secret can make one for another recipient.
    pub fn message_id(&self, campaign: i64, recipient: i64, domain: &str) -> String {
        let tag = self
            .mac(&format!("message-id.{campaign}.{recipient}"))
            .finalize()
            .into_bytes();
        format!(
            "{MESSAGE_ID_PREFIX}.{campaign}.{recipient}.{}@{domain}",
            hex(&tag[..16])
        )
    }

    /// The campaign and recipient row of `id` (a `Message-ID`, with or without its angle
    /// brackets) when [`Secret::message_id`] made it; `None` for any other.
    pub fn message_id_of(&self, id: &str) -> Option<(i64, i64)> {
        let id = id.trim();
        let id = id
            .strip_prefix('<')
            .and_then(|i| i.strip_suffix('>'))
            .unwrap_or(id);
        let (left, _domain) = id.split_once('@')?;
        let fields: Vec<&str> = left.split('.').collect();
        let [MESSAGE_ID_PREFIX, campaign, recipient, tag] = fields[..] else {
            return None;
        };
        let digits =
            |t: &str| !t.is_empty() && t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(campaign)
            || !digits(recipient)
            || tag.len() != 32
            || !tag.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return None;
        }
        let (campaign, recipient) = (campaign.parse().ok()?, recipient.parse().ok()?);
        let tag: Vec<u8> = (0..16)
            .map(|i| u8::from_str_radix(&tag[2 * i..2 * i + 2], 16).unwrap_or(0))
            .collect();
        // Constant time, over the 16 bytes the id carries.
        self.mac(&format!("message-id.{campaign}.{recipient}"))
            .verify_truncated_left(&tag)
            .ok()?;
        Some((campaign, recipient))
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
    fn click_tokens_name_their_link_and_cannot_be_made_or_altered() {
        let secret = Secret::from_text("0123456789abcdef0123456789abcdef").unwrap();
        let other = Secret::from_text("fedcba9876543210fedcba9876543210").unwrap();
        for subscriber in [None, Some(42)] {
            let tracked = Tracked {
                campaign: 7,
                position: 3,
                sent: 1_765_000_000,
                subscriber,
            };
            let token = secret.click_token(&tracked);
            assert_eq!(secret.tracked(&token), Some(tracked));
            assert_eq!(other.tracked(&token), None, "another secret's token");
            // Another link, campaign or time under the same tag.
            let (message, tag) = token.rsplit_once('.').unwrap();
            for altered in [
                message.replacen("7.3", "7.4", 1),
                message.replacen("7.", "8.", 1),
                message.replace("1765000000", "1765000001"),
            ] {
                assert_eq!(
                    secret.tracked(&format!("{altered}.{tag}")),
                    None,
                    "{altered}"
                );
            }
            let mut flipped = tag.to_owned().into_bytes();
            flipped[0] = if flipped[0] == b'0' { b'1' } else { b'0' };
            let flipped = String::from_utf8(flipped).unwrap();
            assert_eq!(secret.tracked(&format!("{message}.{flipped}")), None);
        }
        for junk in [
            "",
            "7.3",
            "7.3.1.x",
            "a.b.c.0123456789abcdef0123456789abcdef",
            "7.3.1.2.3.0123456789abcdef0123456789abcdef",
        ] {
            assert_eq!(secret.tracked(junk), None, "{junk}");
        }
    }

    /// A stored subscriber `id` with link key `key`.
    fn holder(id: i64, key: &str, legacy_links: bool) -> Subscriber {
        Subscriber {
            id,
            email: format!("{id}@x.org"),
            name: String::new(),
            languages: String::new(),
            tier: weekly_store::Tier::Free,
            paid_until: None,
            status: weekly_store::SubscriberStatus::Confirmed,
            source: String::new(),
            consent_at: "t".into(),
            consent_ip: String::new(),
            consent_via: "form".into(),
            created_at: "t".into(),
            updated_at: "t".into(),
            link_key: key.into(),
            legacy_links,
        }
    }

    #[test]
    fn tokens_are_refused_when_forged_expired_or_for_another_purpose() {
        let secret = Secret::from_text(&"k".repeat(32)).unwrap();
        let bob = holder(42, "b0b", false);
        let token = secret.token(42, "b0b", Purpose::Confirm, 1_000);
        assert_eq!(named_id(&token), Some(42));
        assert_eq!(secret.verify(&token, Purpose::Confirm, 999, &bob), Ok(()));
        assert_eq!(secret.verify(&token, Purpose::Confirm, 1_000, &bob), Ok(()));
        assert_eq!(
            secret.verify(&token, Purpose::Confirm, 1_001, &bob),
            Err(Refused::Expired)
        );
        assert_eq!(
            secret.verify(&token, Purpose::Unsubscribe, 999, &bob),
            Err(Refused::OtherPurpose)
        );
        // Another id, a later expiry, another secret, garbage: forged.
        let changed = token.replacen("42.", "43.", 1);
        assert_eq!(
            secret.verify(&changed, Purpose::Confirm, 999, &holder(43, "b0b", false)),
            Err(Refused::Forged)
        );
        let later = token.replacen(".1000.", ".9999.", 1);
        assert_eq!(
            secret.verify(&later, Purpose::Confirm, 999, &bob),
            Err(Refused::Forged)
        );
        let other = Secret::from_text(&"x".repeat(32)).unwrap();
        assert_eq!(
            other.verify(&token, Purpose::Confirm, 999, &bob),
            Err(Refused::Forged)
        );
        for junk in ["", ".", "a.b.c.d", "42.c.1000.zz", &format!("{token}0")] {
            assert_eq!(
                secret.verify(junk, Purpose::Confirm, 0, &bob),
                Err(Refused::Forged),
                "{junk}"
            );
        }
        assert!(!format!("{secret:?}").contains('k'));
        assert!(Secret::from_text("short").is_err());
    }

    /// Bob's links name his id; Carol, who has that id now (a reused id, a restored backup),
    /// has another key: Bob's links open nothing of hers. A link signed without a key (mailed
    /// before keys existed) works only for a row of that time.
    #[test]
    fn a_token_opens_only_the_subscriber_it_was_made_for() {
        let secret = Secret::from_text(&"k".repeat(32)).unwrap();
        let bob = secret.token(7, "b0b", Purpose::Unsubscribe, 1_000);
        let carol = holder(7, "ca201", false);
        assert_eq!(
            secret.verify(&bob, Purpose::Unsubscribe, 0, &carol),
            Err(Refused::Forged)
        );
        // The form of before: HMAC over the message alone.
        let message = "7.u.1000";
        let old = format!(
            "{message}.{}",
            hex(&secret.mac(message).finalize().into_bytes())
        );
        assert_eq!(
            secret.verify(&old, Purpose::Unsubscribe, 0, &carol),
            Err(Refused::Forged),
            "a row made after the keys came has no old links"
        );
        let legacy = holder(7, "ca201", true);
        assert_eq!(
            secret.verify(&old, Purpose::Unsubscribe, 0, &legacy),
            Ok(())
        );
        assert_eq!(
            secret.verify(&old, Purpose::Unsubscribe, 1_001, &legacy),
            Err(Refused::Expired)
        );
        // A legacy row's new links carry its key.
        let new = secret.token(7, "ca201", Purpose::Unsubscribe, 1_000);
        assert_eq!(
            secret.verify(&new, Purpose::Unsubscribe, 0, &legacy),
            Ok(())
        );
        assert_ne!(new, old);
    }

    /// The Bob and Carol of the issue on a real store: Bob's 400-day unsubscribe link, after
    /// `--forget`, is refused when Carol signs up next.
    #[tokio::test]
    async fn an_old_link_of_a_forgotten_subscriber_opens_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("weekly.db")).await.unwrap();
        let secret = Secret::from_text(&"k".repeat(32)).unwrap();
        let now = "2026-12-01T00:00:00Z";
        let form = |email: &str| weekly_store::NewSubscriber {
            email: email.into(),
            email_key: email.into(),
            name: String::new(),
            languages: "en".into(),
            tier: weekly_store::Tier::Free,
            paid_until: None,
            status: weekly_store::SubscriberStatus::Pending,
            source: "form".into(),
            consent_at: now.into(),
            consent_ip: String::new(),
            consent_via: "form".into(),
        };
        store
            .sign_up(&form("alice@x.org"), now, now, |_| None)
            .await
            .unwrap();
        let (bob, _) = store
            .sign_up(&form("bob@x.org"), now, now, |_| None)
            .await
            .unwrap();
        let link = secret.token(bob.id, &bob.link_key, Purpose::Unsubscribe, i64::MAX);
        let checked = check(&store, &secret, &link, Purpose::Unsubscribe, 0).await;
        assert_eq!(checked.unwrap().email, "bob@x.org");
        assert!(store.forget_subscriber("bob@x.org").await.unwrap());
        let (carol, _) = store
            .sign_up(&form("carol@x.org"), now, now, |_| None)
            .await
            .unwrap();
        let checked = check(&store, &secret, &link, Purpose::Unsubscribe, 0).await;
        assert!(
            matches!(checked, Err(Checked::Refused(Refused::Forged))),
            "{checked:?}"
        );
        // Even if Carol had Bob's id, his link would not verify against her row.
        let carol_with_bobs_id = Subscriber {
            id: bob.id,
            ..carol
        };
        assert_eq!(
            secret.verify(&link, Purpose::Unsubscribe, 0, &carol_with_bobs_id),
            Err(Refused::Forged)
        );
        // A database that does not answer is not a refusal.
        store.close().await;
        let checked = check(
            &store_closed(&dir).await,
            &secret,
            &link,
            Purpose::Unsubscribe,
            0,
        )
        .await;
        assert!(matches!(checked, Err(Checked::Store(_))), "{checked:?}");
    }

    /// A store whose pool is closed: every query fails.
    async fn store_closed(dir: &tempfile::TempDir) -> Store {
        let store = Store::open(&dir.path().join("weekly.db")).await.unwrap();
        store.clone().close().await;
        store
    }

    #[test]
    fn message_ids_name_their_recipient_and_cannot_be_made_without_the_secret() {
        let secret = Secret::from_text(&"k".repeat(32)).unwrap();
        let id = secret.message_id(7, 42, "example.org");
        assert!(
            id.starts_with("weekly.7.42.") && id.ends_with("@example.org"),
            "{id}"
        );
        assert_eq!(secret.message_id_of(&id), Some((7, 42)));
        assert_eq!(secret.message_id_of(&format!("<{id}>")), Some((7, 42)));
        // Another row, another campaign, another key, another shape: not ours.
        let other_row = id.replacen(".42.", ".43.", 1);
        let other = Secret::from_text(&"x".repeat(32)).unwrap();
        for bad in [
            other_row.as_str(),
            &id.replacen("weekly.7.", "weekly.8.", 1),
            &other.message_id(7, 42, "example.org"),
            "weekly.7.42.00000000000000000000000000000000@example.org",
            "CAF123@mail.example.net",
            "",
        ] {
            assert_eq!(secret.message_id_of(bad), None, "{bad}");
        }
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
        let token = a.token(1, "k1", Purpose::Unsubscribe, 10);
        let one = holder(1, "k1", false);
        assert_eq!(b.verify(&token, Purpose::Unsubscribe, 5, &one), Ok(()));
        // WEEKLY_SECRET wins over the file.
        let env = Secret::of_workspace(dir.path(), Some(&"e".repeat(40))).unwrap();
        assert_eq!(
            env.verify(&token, Purpose::Unsubscribe, 5, &one),
            Err(Refused::Forged)
        );
    }
}
