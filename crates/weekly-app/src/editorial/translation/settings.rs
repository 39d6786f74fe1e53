//! What the translation step reads besides the issues: the model's settings (`[translate]` and
//! the `WEEKLY_LLM_*` variables), the glossary and the instructions template.

use crate::environment;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::time::Duration;
use weekly_llm::ClientConfig;
use weekly_translate::Glossary;
use weekly_translate::prompt::DEFAULT_SYSTEM;

pub use crate::workspace::GLOSSARY;
/// The file that replaces the built-in instructions.
pub const SYSTEM_TEMPLATE: &str = "templates/translate/system.md";

/// The terms of `glossary.toml` (none when there is no such file).
pub fn load_glossary(workspace: &Workspace) -> Result<Glossary> {
    workspace.glossary()
}

/// The instructions: `templates/translate/system.md`, else the built-in ones.
pub fn load_template(workspace: &Workspace) -> Result<String> {
    let path = workspace.root.join(SYSTEM_TEMPLATE);
    if path.exists() {
        workspace
            .read_text(&path)
            .with_context(|| format!("cannot read {SYSTEM_TEMPLATE}"))
    } else {
        Ok(DEFAULT_SYSTEM.to_owned())
    }
}

/// The model client's settings: `[translate]` of weekly.toml, `WEEKLY_LLM_BASE_URL` and
/// `WEEKLY_LLM_MODEL` over it, the key from `WEEKLY_LLM_API_KEY` only.
pub fn client_config(workspace: &Workspace) -> ClientConfig {
    let t = &workspace.config.translate;
    let env = workspace.env;
    let base_url = env.or(environment::LLM_BASE_URL, &t.base_url);
    let model = env.or(environment::LLM_MODEL, &t.model);
    let mut config = ClientConfig::new(&base_url, &model);
    config.api_key = env.get(environment::LLM_API_KEY).map(str::to_owned);
    config.temperature = t.temperature;
    config.timeout = Duration::from_secs(t.timeout_seconds.max(1));
    config.max_retries = t.max_retries;
    config.requests_per_minute = (t.requests_per_minute > 0).then_some(t.requests_per_minute);
    config
}

/// True for a server on this machine (Ollama, llama.cpp…), which may need no key.
pub fn is_local(base_url: &str) -> bool {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let host = rest.split(['/', '?']).next().unwrap_or("");
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    matches!(name, "localhost" | "127.0.0.1" | "::1") || name.starts_with("127.")
}

#[cfg(test)]
mod tests {
    use super::is_local;

    #[test]
    fn servers_on_this_machine_are_local() {
        assert!(is_local("http://localhost:11434/v1"));
        assert!(is_local("http://127.0.0.2:8080"));
        assert!(is_local("http://[::1]:8080/v1"));
        assert!(!is_local("https://api.example.com/v1"));
        assert!(!is_local("https://localhost.example.com/v1"));
    }
}
