//! The only place URLs are made and read. Pages are named by *site paths* relative to the base
//! URL (`ru/news/x/`); `href` turns one into a link that works under any base path, `permalink`
//! into an absolute URL, `file` into the output file it is written to; `target_file` reads a link
//! back (the one answer to "does this link stay on the site, and where does it lead"), for the
//! Markdown renderer, `check` and the crawler alike. The base URL is parsed once, with `url`.

use url::Url;

/// Builds every URL of the site from its base URL. (URLs are joined with `concat`, not
/// `format!`: a rebuild under `serve` makes a few hundred thousand of them.)
#[derive(Debug, Clone)]
pub struct Urls {
    base: Url,
    /// `/portal/`
    base_path: String,
}

impl Urls {
    /// The site's URLs under `base_url`, an absolute http(s) URL; a missing final `/` is added.
    pub fn new(base_url: &str) -> Result<Urls, String> {
        let url = base_url.trim();
        let shape = || format!("base_url `{url}` must be like https://example.org/ or https://example.org/portal/");
        let mut base = Url::parse(url).map_err(|e| match e {
            url::ParseError::RelativeUrlWithoutBase => {
                format!("base_url `{url}` must be an absolute URL starting with https:// or http://")
            }
            _ => shape(),
        })?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(format!(
                "base_url `{url}` must be an absolute URL starting with https:// or http://"
            ));
        }
        if base.host_str().is_none_or(str::is_empty)
            || base.query().is_some()
            || base.fragment().is_some()
            || base.cannot_be_a_base()
            || !base.username().is_empty()
            || url.contains(' ')
            || url.split_once("://").is_none_or(|(_, rest)| rest.starts_with('/'))
        {
            return Err(shape());
        }
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let base_path = base.path().to_string();
        Ok(Urls { base, base_path })
    }

    /// The base URL as the site writes it: `https://example.org/portal/`.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// A link from any page of the site: `/portal/ru/news/x/`.
    pub fn href(&self, site_path: &str) -> String {
        [self.base_path.as_str(), site_path].concat()
    }

    /// The absolute URL: `https://example.org/portal/ru/news/x/`.
    pub fn permalink(&self, site_path: &str) -> String {
        [self.base.as_str(), site_path].concat()
    }

    /// The output file: `ru/news/x/index.html`.
    pub fn file(site_path: &str) -> String {
        if site_path.is_empty() || site_path.ends_with('/') {
            [site_path, "index.html"].concat()
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

    /// Whether a link written in the site's content stays on the site (a page, file or asset
    /// under the base URL), as opposed to leaving it (`https://gov.kz/`, `mailto:`) or staying on
    /// its page (`#top`).
    pub fn is_internal(&self, link: &str) -> bool {
        self.target_file("", link).is_some()
    }

    /// The output file a link on the page at `page` (a site path or output file:
    /// `ru/news/x/` or `ru/news/x/index.html`) leads to: a folder gets its `index.html`, the
    /// query and fragment are dropped, `%`-escapes decoded. `None` for a link that leaves the site
    /// or stays on the page (`#x`, `?page=2`).
    pub fn target_file(&self, page: &str, link: &str) -> Option<String> {
        let link = link.trim();
        if link.is_empty() || link.starts_with('#') || link.starts_with('?') {
            return None;
        }
        let mut target = self.base.join(page).ok()?.join(link).ok()?;
        if target.origin() != self.base.origin() {
            return None;
        }
        target.set_fragment(None);
        target.set_query(None);
        let path = target.path().strip_prefix(self.base_path.as_str())?;
        let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        Some(Urls::file(&path))
    }

    pub fn home(lang: &str, page: usize) -> String {
        paged([lang, "/"].concat(), page)
    }

    pub fn article(lang: &str, stem: &str) -> String {
        [lang, "/news/", stem, "/"].concat()
    }

    /// An article's social card: `ru/news/x/card.png`.
    pub fn card(lang: &str, stem: &str) -> String {
        format!("{}card.png", Urls::article(lang, stem))
    }

    pub fn cities(lang: &str) -> String {
        [lang, "/cities/"].concat()
    }

    pub fn city(lang: &str, key: &str, page: usize) -> String {
        paged([lang, "/cities/", key, "/"].concat(), page)
    }

    pub fn city_feed(lang: &str, key: &str) -> String {
        [lang, "/cities/", key, "/rss.xml"].concat()
    }

    pub fn tags(lang: &str) -> String {
        [lang, "/tags/"].concat()
    }

    pub fn tag(lang: &str, slug: &str, page: usize) -> String {
        paged([lang, "/tags/", slug, "/"].concat(), page)
    }

    pub fn tag_feed(lang: &str, slug: &str) -> String {
        [lang, "/tags/", slug, "/rss.xml"].concat()
    }

    pub fn feed(lang: &str) -> String {
        [lang, "/rss.xml"].concat()
    }

    /// The page on following the language's feeds: `ru/subscribe/`.
    pub fn subscribe(lang: &str) -> String {
        [lang, "/subscribe/"].concat()
    }

    /// The stylesheet a browser shows the language's feeds with: `ru/feed.css`.
    pub fn feed_style(lang: &str) -> String {
        [lang, "/feed.css"].concat()
    }

    /// The site path an alias names (`/ru/news/old-stem/` → `ru/news/old-stem/`): an address
    /// on this site from its root, a folder ending in `/` or a page ending in `.html`.
    pub fn alias(written: &str) -> Result<String, String> {
        let fail = |why: &str| Err(format!("alias `{written}` {why}"));
        let Some(path) = written.strip_prefix('/') else {
            return fail(
                "must be an address on this site from its root, starting with `/`: e.g. \"/ru/news/old-stem/\"",
            );
        };
        if path.is_empty() {
            return fail("is the site's root, which is always a page");
        }
        if path.contains(['?', '#', '\\', '"', ' ', '%']) || path.chars().any(char::is_control) {
            return fail("may not hold `?`, `#`, `%`, `\\`, quotes, spaces or control characters (write letters as letters, not %-escapes)");
        }
        if path.split('/').any(|s| s == ".." || s == ".") || path.contains("//") {
            return fail("may not hold `..`, `.` or `//` segments");
        }
        if !(path.ends_with('/') || path.ends_with(".html")) {
            return fail("must end in `/` (a folder) or `.html` (a page)");
        }
        Ok(path.to_string())
    }

    /// A page that is not news: `ru/about/`.
    pub fn page(lang: &str, slug: &str) -> String {
        [lang, "/", slug, "/"].concat()
    }

    /// The language's search page.
    pub fn search(lang: &str) -> String {
        [lang, "/search/"].concat()
    }

    /// A file of the language's search index (`meta.json`, `s/3.json`, `doc/3.json`).
    pub fn search_file(lang: &str, file: &str) -> String {
        [lang, "/search/", file].concat()
    }

    pub fn archive(lang: &str) -> String {
        [lang, "/archive/"].concat()
    }

    /// A year of the archive.
    pub fn archive_year(lang: &str, year: i32, page: usize) -> String {
        paged(format!("{lang}/archive/{year}/"), page)
    }

    /// A month (1–12) of the archive.
    pub fn archive_month(lang: &str, year: i32, month: u32, page: usize) -> String {
        paged(format!("{lang}/archive/{year}/{month:02}/"), page)
    }

    /// The language's feed for Russian-language news aggregators (full text).
    pub fn yandex_feed(lang: &str) -> String {
        [lang, "/yandex.xml"].concat()
    }

    /// The last two days' articles for news aggregators.
    pub fn news_sitemap() -> String {
        "news-sitemap.xml".to_string()
    }

    /// Where a link to a page missing in `lang` leads: the language's home, with a notice.
    pub fn untranslated(lang: &str) -> String {
        [lang, "/#no-translation"].concat()
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
    #[test]
    fn aliases_are_site_addresses_from_the_root() {
        assert_eq!(Urls::alias("/ru/news/old-stem/").as_deref(), Ok("ru/news/old-stem/"));
        assert_eq!(Urls::alias("/ru/старое.html").as_deref(), Ok("ru/старое.html"));
        for bad in [
            "ru/news/x/",
            "/",
            "/ru/news/x",
            "/ru/../x/",
            "/ru//x/",
            "/ru/x/?a=1",
            "/ru/%D0%B0/",
            "/ru/a b/",
        ] {
            assert!(Urls::alias(bad).is_err(), "{bad}");
        }
    }

    use super::*;

    #[test]
    fn links_work_under_a_subpath() {
        let u = Urls::new("https://example.org/portal/").unwrap();
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
        let local = Urls::new("http://127.0.0.1:1111/").unwrap();
        assert_eq!(local.href("ru/"), "/ru/");
        assert_eq!(local.rewrite_link("/ru/"), None);
    }

    #[test]
    fn the_base_url_is_checked_and_given_its_final_slash() {
        let u = |s: &str| Urls::new(s).map(|u| u.base_url().to_string());
        assert_eq!(u("https://example.org/portal").unwrap(), "https://example.org/portal/");
        assert_eq!(u("http://127.0.0.1:1111").unwrap(), "http://127.0.0.1:1111/");
        assert_eq!(u(" https://Example.org/ ").unwrap(), "https://example.org/");
        for bad in [
            "/portal/",
            "example.org",
            "ftp://example.org/",
            "https:///x",
            "https://example.org/?a=1",
            "https://example.org/#x",
        ] {
            assert!(u(bad).is_err(), "{bad} was taken");
        }
        assert!(u("example.org").unwrap_err().contains("must be an absolute URL"));
    }

    #[test]
    fn links_read_back_to_output_files_in_one_place() {
        let u = Urls::new("https://example.org/portal/").unwrap();
        let page = "ru/news/x/";
        let t = |link: &str| u.target_file(page, link);
        let cases: &[(&str, Option<&str>)] = &[
            ("/portal/ru/cities/almaty/#top", Some("ru/cities/almaty/index.html")),
            ("/portal/style.css?v=2", Some("style.css")),
            ("photo.jpg", Some("ru/news/x/photo.jpg")),
            ("../y/", Some("ru/news/y/index.html")),
            ("./", Some("ru/news/x/index.html")),
            ("https://example.org/portal/kk/", Some("kk/index.html")),
            (
                "/portal/ru/tags/%D1%88%D0%B0%D0%BD%D1%85%D0%B0%D0%B9/",
                Some("ru/tags/шанхай/index.html"),
            ),
            ("/portal/ru/tags/шанхай/", Some("ru/tags/шанхай/index.html")),
            ("/elsewhere/", None),
            ("/other-site/", None),
            ("http://example.org/portal/ru/", None),
            ("https://gov.kz/", None),
            ("//cdn.example/x.js", None),
            ("mailto:press@example.org", None),
            ("tel:+77272000000", None),
            ("data:image/png;base64,AAAA", None),
            ("#top", None),
            ("?page=2", None),
            ("", None),
        ];
        for (link, want) in cases {
            assert_eq!(t(link).as_deref(), *want, "{link}");
        }
        assert_eq!(
            u.target_file("ru/news/x/index.html", "../y/").as_deref(),
            Some("ru/news/y/index.html")
        );
        assert!(u.is_internal("/portal/ru/") && u.is_internal("img/a.png"));
        assert!(!u.is_internal("https://gov.kz/") && !u.is_internal("#x"));
    }
}
