//! Page templates: the built-in ones compiled into the binary, each replaceable by a file of the
//! same name in the workspace's `templates/`. Errors name the file and line.

use crate::SiteError;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;
use std::collections::BTreeMap;

/// The built-in templates, by name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("../assets/templates/base.html")),
    ("home.html", include_str!("../assets/templates/home.html")),
    ("issue.html", include_str!("../assets/templates/issue.html")),
    (
        "archive.html",
        include_str!("../assets/templates/archive.html"),
    ),
    (
        "season.html",
        include_str!("../assets/templates/season.html"),
    ),
    (
        "section.html",
        include_str!("../assets/templates/section.html"),
    ),
    ("stats.html", include_str!("../assets/templates/stats.html")),
    (
        "search.html",
        include_str!("../assets/templates/search.html"),
    ),
    ("404.html", include_str!("../assets/templates/404.html")),
    (
        "issue_item.html",
        include_str!("../assets/templates/issue_item.html"),
    ),
];

/// A template of the workspace that replaces a built-in one.
#[derive(Debug, Clone)]
pub struct Override {
    /// The file as shown in messages (`templates/issue.html`).
    pub file: String,
    /// Its text.
    pub source: String,
}

/// The compiled templates.
#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
    files: BTreeMap<String, String>,
    /// A hash of every template's source (part of every page's key).
    fingerprint: crate::Key,
}

impl Templates {
    /// Compiles the built-in templates, each replaced by `overrides[name]` when given. A
    /// syntax error names the file and line.
    pub fn new(overrides: &BTreeMap<String, Override>) -> Result<Templates, SiteError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Chainable);
        // Escape like the rest of the site (minijinja's default also turns `/` into `&#x2f;`).
        env.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), AutoEscape::Html)
                && !value.is_safe()
                && let Some(text) = value.as_str()
            {
                return out
                    .write_str(&crate::markdown::escape(text))
                    .map_err(minijinja::Error::from);
            }
            minijinja::escape_formatter(out, state, value)
        });
        let mut files = BTreeMap::new();
        let mut hasher = crate::memo::KeyHasher::new(0);
        for (name, built_in) in BUILT_IN {
            let (file, source) = match overrides.get(*name) {
                Some(o) => (o.file.clone(), o.source.clone()),
                None => (format!("built-in template {name}"), (*built_in).to_owned()),
            };
            files.insert((*name).to_owned(), file);
            hasher.add_bytes(name.as_bytes());
            hasher.add_bytes(source.as_bytes());
            env.add_template_owned(*name, source)
                .map_err(|e| template_error(&files, &e))?;
        }
        Ok(Templates {
            env,
            files,
            fingerprint: hasher.finish(),
        })
    }

    /// A hash of the sources of every template.
    pub fn fingerprint(&self) -> crate::Key {
        self.fingerprint
    }

    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<String, SiteError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| template_error(&self.files, &e))?;
        template
            .render(minijinja::value::Serde(context))
            .map_err(|e| template_error(&self.files, &e))
    }
}

/// The names a workspace may override.
pub fn names() -> impl Iterator<Item = &'static str> {
    BUILT_IN.iter().map(|(name, _)| *name)
}

fn template_error(files: &BTreeMap<String, String>, error: &minijinja::Error) -> SiteError {
    let name = error.name().unwrap_or("?");
    let file = files.get(name).cloned().unwrap_or_else(|| name.to_owned());
    let mut message = error.kind().to_string();
    if let Some(detail) = error.detail() {
        message = format!("{message}: {detail}");
    }
    SiteError::Template {
        file,
        line: error.line().unwrap_or(0),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(name: &str, source: &str) -> BTreeMap<String, Override> {
        BTreeMap::from([(
            name.to_owned(),
            Override {
                file: format!("templates/{name}"),
                source: source.to_owned(),
            },
        )])
    }

    #[test]
    fn built_ins_compile() {
        Templates::new(&BTreeMap::new()).unwrap();
    }

    #[test]
    fn a_syntax_error_names_the_file_and_line() {
        let err = Templates::new(&with("404.html", "line one\n\n{% if x %}\nno end"))
            .unwrap_err()
            .to_string();
        // The block left open is named where it starts.
        assert!(
            err.starts_with("templates/404.html:3: syntax error"),
            "{err}"
        );
    }

    #[test]
    fn a_render_error_names_the_file_and_line() {
        let templates = Templates::new(&with("404.html", "a\n{{ 1 + [] }}\n")).unwrap();
        let err = templates
            .render("404.html", &serde_json::json!({}))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("templates/404.html:2: "), "{err}");
    }

    #[test]
    fn an_override_replaces_the_built_in_and_escapes_values() {
        let templates = Templates::new(&with("404.html", "<p>{{ x }}</p>")).unwrap();
        let html = templates
            .render("404.html", &serde_json::json!({"x": "<script>"}))
            .unwrap();
        assert_eq!(html, "<p>&lt;script&gt;</p>");
    }
}
