//! The only place URLs are made. Pages are named by *site paths* relative to the base URL
//! (`ru/news/x/`); `href` turns one into a link that works under any base path, `permalink` into
//! an absolute URL, `file` into the output file it is written to.

/// Builds every URL of the site from its base URL.
#[derive(Debug, Clone)]
pub struct Urls {
    /// `https://example.org/portal/`
    base_url: String,
    /// `/portal/`
    base_path: String,
}

impl Urls {
    /// `base_url` must be absolute and end in `/` (see `config::normalize_base_url`).
    pub fn new(base_url: &str) -> Urls {
        let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
        let base_path = match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".to_string(),
        };
        Urls {
            base_url: base_url.to_string(),
            base_path,
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A link from any page of the site: `/portal/ru/news/x/`.
    pub fn href(&self, site_path: &str) -> String {
        format!("{}{}", self.base_path, site_path)
    }

    /// The absolute URL: `https://example.org/portal/ru/news/x/`.
    pub fn permalink(&self, site_path: &str) -> String {
        format!("{}{}", self.base_url, site_path)
    }

    /// The output file: `ru/news/x/index.html`.
    pub fn file(site_path: &str) -> String {
        if site_path.is_empty() || site_path.ends_with('/') {
            format!("{site_path}index.html")
        } else {
            site_path.to_string()
        }
    }

    /// A root-relative link written in Markdown or a template (`/ru/cities/`) made to work under
    /// the base path; anything else (`https://…`, `#x`, `x/`) is left as it is.
    pub fn rewrite_link(&self, link: &str) -> Option<String> {
        let rest = link.strip_prefix('/')?;
        if rest.starts_with('/') || self.base_path == "/" || link.starts_with(&self.base_path) {
            return None;
        }
        Some(self.href(rest))
    }

    pub fn home(lang: &str, page: usize) -> String {
        paged(format!("{lang}/"), page)
    }

    pub fn article(lang: &str, stem: &str) -> String {
        format!("{lang}/news/{stem}/")
    }

    pub fn cities(lang: &str) -> String {
        format!("{lang}/cities/")
    }

    pub fn city(lang: &str, key: &str, page: usize) -> String {
        paged(format!("{lang}/cities/{key}/"), page)
    }

    pub fn city_feed(lang: &str, key: &str) -> String {
        format!("{lang}/cities/{key}/rss.xml")
    }

    pub fn tags(lang: &str) -> String {
        format!("{lang}/tags/")
    }

    pub fn tag(lang: &str, slug: &str, page: usize) -> String {
        paged(format!("{lang}/tags/{slug}/"), page)
    }

    pub fn tag_feed(lang: &str, slug: &str) -> String {
        format!("{lang}/tags/{slug}/rss.xml")
    }

    pub fn feed(lang: &str) -> String {
        format!("{lang}/rss.xml")
    }

    /// Where a link to a page missing in `lang` leads: the language's home, with a notice.
    pub fn untranslated(lang: &str) -> String {
        format!("{lang}/#no-translation")
    }
}

/// Page 1 is the list's own URL; page N is `…/page/N/`.
fn paged(first: String, page: usize) -> String {
    if page <= 1 {
        first
    } else {
        format!("{first}page/{page}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_work_under_a_subpath() {
        let u = Urls::new("https://example.org/portal/");
        let p = Urls::article("ru", "x");
        assert_eq!(u.href(&p), "/portal/ru/news/x/");
        assert_eq!(u.permalink(&p), "https://example.org/portal/ru/news/x/");
        assert_eq!(Urls::file(&p), "ru/news/x/index.html");
        assert_eq!(Urls::file("ru/rss.xml"), "ru/rss.xml");
        assert_eq!(Urls::file(""), "index.html");
        assert_eq!(u.rewrite_link("/ru/cities/"), Some("/portal/ru/cities/".into()));
        assert_eq!(u.rewrite_link("/portal/ru/"), None);
        assert_eq!(u.rewrite_link("//cdn.example/x"), None);
        assert_eq!(u.rewrite_link("https://x.kz/"), None);
    }

    #[test]
    fn lists_paginate_from_page_two() {
        assert_eq!(Urls::home("kk", 1), "kk/");
        assert_eq!(Urls::home("kk", 3), "kk/page/3/");
        assert_eq!(Urls::tag("ru", "nauka", 2), "ru/tags/nauka/page/2/");
        assert_eq!(Urls::new("http://127.0.0.1:1111/").href("ru/"), "/ru/");
        assert_eq!(Urls::new("http://127.0.0.1:1111/").rewrite_link("/ru/"), None);
    }
}
