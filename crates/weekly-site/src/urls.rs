//! Where every page lives: site-relative URLs (with the base URL's path in front), absolute URLs
//! for feeds and meta tags, and the output file of a URL.

use weekly_model::Lang;

/// The file of the site's 404 page (in the primary language).
pub const NOT_FOUND: &str = "404.html";

/// The files a server tries, in order, for the page of a missing `path` (site-relative, no
/// leading `/`): the 404 page of the language the path is under (`en/nope` → `en/404.html`),
/// then the site's `404.html`.
pub fn not_found_pages(path: &str) -> impl Iterator<Item = String> {
    let language = path
        .split_once('/')
        .and_then(|(first, _)| Lang::new(first))
        .map(|lang| format!("{lang}/{NOT_FOUND}"));
    language.into_iter().chain([NOT_FOUND.to_owned()])
}

/// The URL scheme of one site.
#[derive(Debug, Clone)]
pub struct Urls {
    /// Path prefix from the base URL (`""` or `/weekly`).
    pub root: String,
    /// Scheme and host (`https://weekly.example.org`).
    pub origin: String,
    /// The primary language (its home page is `/`).
    pub primary: Lang,
}

impl Urls {
    /// The scheme of a site at `base_url` whose `/` is in `primary`.
    pub fn new(base_url: &str, primary: &Lang) -> Urls {
        let base = base_url.trim_end_matches('/');
        let after_scheme = base.find("://").map_or(0, |i| i + 3);
        let (origin, root) = match base[after_scheme..].find('/') {
            Some(i) => base.split_at(after_scheme + i),
            None => (base, ""),
        };
        Urls {
            root: root.to_owned(),
            origin: origin.to_owned(),
            primary: primary.clone(),
        }
    }

    /// The home page of `lang`.
    pub fn home(&self, lang: &Lang) -> String {
        if lang == &self.primary {
            format!("{}/", self.root)
        } else {
            format!("{}/{lang}/", self.root)
        }
    }

    /// The output file of the 404 page in `lang`: the site's `404.html` for the primary
    /// language, `LANG/404.html` for the others.
    pub fn not_found_file(&self, lang: &Lang) -> String {
        if lang == &self.primary {
            NOT_FOUND.to_owned()
        } else {
            format!("{lang}/{NOT_FOUND}")
        }
    }

    /// Issue `number` in `lang`.
    pub fn issue(&self, lang: &Lang, number: u32) -> String {
        format!("{}/{lang}/{number}/", self.root)
    }

    /// The archive of `lang`.
    pub fn archive(&self, lang: &Lang) -> String {
        format!("{}/{lang}/archive/", self.root)
    }

    /// Season `season` in `lang`.
    pub fn season(&self, lang: &Lang, season: u32) -> String {
        format!("{}/{lang}/seasons/{season}/", self.root)
    }

    /// Everything featured in section `key`, in `lang`.
    pub fn section(&self, lang: &Lang, key: &str) -> String {
        format!("{}/{lang}/sections/{key}/", self.root)
    }

    /// Page `number` (1-based) of the section `key`: the section page itself, then `<n>/`.
    pub fn section_page(&self, lang: &Lang, key: &str, number: usize) -> String {
        if number <= 1 {
            self.section(lang, key)
        } else {
            format!("{}{number}/", self.section(lang, key))
        }
    }

    /// The dashboard of `lang`.
    pub fn stats(&self, lang: &Lang) -> String {
        format!("{}/{lang}/stats/", self.root)
    }

    /// The search page of `lang`.
    pub fn search(&self, lang: &Lang) -> String {
        format!("{}/{lang}/search/", self.root)
    }

    /// A feed file of `lang` (`feed.xml`, `atom.xml`, `feed.json`).
    pub fn feed(&self, lang: &Lang, file: &str) -> String {
        format!("{}/{lang}/{file}", self.root)
    }

    /// A site-relative URL made absolute.
    pub fn absolute(&self, url: &str) -> String {
        format!("{}{url}", self.origin)
    }

    /// The output file of a site-relative URL: `/weekly/zh/3/` → `zh/3/index.html`.
    pub fn file(&self, url: &str) -> String {
        let path = url.strip_prefix(&self.root).unwrap_or(url);
        let path = path.trim_start_matches('/');
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_page_under_a_language_gets_that_languages_404_first() {
        let tried = |path: &str| not_found_pages(path).collect::<Vec<_>>();
        assert_eq!(tried("en/nope"), ["en/404.html", "404.html"]);
        assert_eq!(tried("pt-BR/a/b/"), ["pt-br/404.html", "404.html"]);
        assert_eq!(tried("nope"), ["404.html"]);
        assert_eq!(tried("../x/y"), ["404.html"]);
        let urls = Urls::new("https://w.example/weekly", &Lang::zh());
        assert_eq!(urls.not_found_file(&Lang::zh()), "404.html");
        assert_eq!(
            urls.not_found_file(&Lang::new("en").unwrap()),
            "en/404.html"
        );
    }

    #[test]
    fn with_and_without_a_path() {
        let u = Urls::new("https://w.example.org", &Lang::zh());
        assert_eq!(u.home(&Lang::zh()), "/");
        assert_eq!(u.home(&Lang::en()), "/en/");
        assert_eq!(u.issue(&Lang::en(), 5), "/en/5/");
        assert_eq!(u.absolute("/en/5/"), "https://w.example.org/en/5/");
        assert_eq!(u.file("/en/5/"), "en/5/index.html");
        assert_eq!(u.file("/"), "index.html");
        let u = Urls::new("https://h.example/weekly/", &Lang::zh());
        assert_eq!(u.root, "/weekly");
        assert_eq!(u.issue(&Lang::zh(), 1), "/weekly/zh/1/");
        assert_eq!(
            u.absolute(&u.issue(&Lang::zh(), 1)),
            "https://h.example/weekly/zh/1/"
        );
        assert_eq!(u.file("/weekly/zh/feed.xml"), "zh/feed.xml");
    }
}
