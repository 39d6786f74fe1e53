//! The process environment, read once and only here: the `WEEKLY_*` settings with one rule
//! (a value is trimmed, and a blank one is not set), the variables child processes may
//! inherit, and the secrets every printed line is cleaned of.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::sync::OnceLock;

/// `--workspace` when it is not given.
pub const WORKSPACE: &str = "WEEKLY_WORKSPACE";
/// Replaces `[database] url`.
pub const DATABASE_URL: &str = "WEEKLY_DATABASE_URL";
/// The key that signs readers' links (else `.weekly-secret`).
pub const SECRET: &str = "WEEKLY_SECRET";
/// Replaces `[smtp]`: `smtp://user:password@host:port`.
pub const SMTP_URL: &str = "WEEKLY_SMTP_URL";
/// The SMTP password (of `[smtp] user` or of the URL's user).
pub const SMTP_PASSWORD: &str = "WEEKLY_SMTP_PASSWORD";
/// The GitHub API's base URL (tests point it at their stand-in).
pub const GITHUB_API_URL: &str = "WEEKLY_GITHUB_API_URL";
/// A GitHub token, for a higher rate limit.
pub const GITHUB_TOKEN: &str = "WEEKLY_GITHUB_TOKEN";
/// Replace `[translate] base_url` and `model`; the model server's key.
pub const LLM_BASE_URL: &str = "WEEKLY_LLM_BASE_URL";
pub const LLM_MODEL: &str = "WEEKLY_LLM_MODEL";
pub const LLM_API_KEY: &str = "WEEKLY_LLM_API_KEY";
/// Replace `[telegram] api_url`, `bot_token` and `chat_id`.
pub const TELEGRAM_API_URL: &str = "WEEKLY_TELEGRAM_API_URL";
pub const TELEGRAM_BOT_TOKEN: &str = "WEEKLY_TELEGRAM_BOT_TOKEN";
pub const TELEGRAM_CHAT_ID: &str = "WEEKLY_TELEGRAM_CHAT_ID";
/// The Chromium that prints PDFs and cards (else the first of `PATH`).
pub const CHROMIUM: &str = "WEEKLY_CHROMIUM";

/// Parts of a variable's name that make its value a secret.
const SECRET_NAMES: [&str; 4] = ["TOKEN", "KEY", "PASSWORD", "SECRET"];

/// A snapshot of the environment.
#[derive(Clone, Default)]
pub struct Environment {
    /// `WEEKLY_*` variables with a value that is not blank, trimmed.
    settings: BTreeMap<String, String>,
    /// Every variable as the process got it (for child processes).
    raw: BTreeMap<OsString, OsString>,
}

impl Environment {
    /// The environment of this process, read on the first call.
    pub fn process() -> &'static Environment {
        static SNAPSHOT: OnceLock<Environment> = OnceLock::new();
        SNAPSHOT.get_or_init(|| Environment::from_pairs(std::env::vars_os()))
    }

    /// An environment of the given variables (tests, or a front end with its own settings).
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Environment
    where
        K: Into<OsString>,
        V: Into<OsString>,
    {
        let raw: BTreeMap<OsString, OsString> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let settings = raw
            .iter()
            .filter_map(|(name, value)| {
                let name = name.to_str()?;
                let value = value.to_str()?.trim();
                (name.starts_with("WEEKLY_") && !value.is_empty())
                    .then(|| (name.to_owned(), value.to_owned()))
            })
            .collect();
        Environment { settings, raw }
    }

    /// The value of `name` (a `WEEKLY_*` variable), trimmed; `None` when unset or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.settings.get(name).map(String::as_str)
    }

    /// The value of `name`, else `configured` (trimmed).
    pub fn or(&self, name: &str, configured: &str) -> String {
        self.get(name).unwrap_or(configured).trim().to_owned()
    }

    /// Any variable as the process got it (`PATH`, `HOME`…), for a child process.
    pub fn raw(&self, name: &str) -> Option<&OsStr> {
        self.raw.get(OsStr::new(name)).map(OsString::as_os_str)
    }

    /// The values no output may show: `WEEKLY_*` variables named like a token, key, password
    /// or secret, and the password of a URL in any `WEEKLY_*` variable.
    pub fn secrets(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for (name, value) in &self.settings {
            if SECRET_NAMES.iter().any(|s| name.contains(s)) {
                out.push(value.as_str());
            } else if let Some((_, rest)) = value.split_once("://")
                && let Some((userinfo, _)) = rest.split_once('@')
                && let Some((_, password)) = userinfo.split_once(':')
                && !password.is_empty()
            {
                out.push(password);
            }
        }
        out
    }
}

/// Names only: a value may be a secret, and a workspace is printed with `{:?}` in messages.
impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment")
            .field("settings", &self.settings.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_unset_and_values_are_trimmed() {
        let env = Environment::from_pairs([
            ("WEEKLY_SECRET", "  s3cret \n"),
            ("WEEKLY_SMTP_URL", "   "),
            ("WEEKLY_LLM_MODEL", ""),
            ("PATH", "/usr/bin"),
        ]);
        assert_eq!(env.get(SECRET), Some("s3cret"));
        assert_eq!(env.get(SMTP_URL), None);
        assert_eq!(env.or(LLM_MODEL, " gpt "), "gpt");
        assert_eq!(env.get("PATH"), None, "only WEEKLY_ variables are settings");
        assert_eq!(env.raw("PATH"), Some(OsStr::new("/usr/bin")));
    }

    #[test]
    fn its_debug_form_shows_no_value() {
        let env = Environment::from_pairs([("WEEKLY_SECRET", "s3cret"), ("PATH", "/opt/bin")]);
        let shown = format!("{env:?}");
        assert!(shown.contains("WEEKLY_SECRET"), "{shown}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("/opt/bin"),
            "{shown}"
        );
    }

    #[test]
    fn secrets_are_named_or_in_urls() {
        let env = Environment::from_pairs([
            ("WEEKLY_TELEGRAM_BOT_TOKEN", "123:abc"),
            ("WEEKLY_SMTP_URL", "smtp://ed:pa%2Bss@mail.test:587"),
            ("WEEKLY_DATABASE_URL", "postgres://weekly@db.test/weekly"),
            ("WEEKLY_LLM_MODEL", "m"),
        ]);
        let mut secrets = env.secrets();
        secrets.sort_unstable();
        assert_eq!(secrets, ["123:abc", "pa%2Bss"]);
    }
}
