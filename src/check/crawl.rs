//! Crawling a built site as a reader's browser would: from `/index.html`, every internal link,
//! asset, feed and `hreflang` alternate must lead to a page or file, and every `hreflang` pair
//! must point both ways. The site is read through a `fetch` function, so the same crawl runs
//! over the output folder (`twinpress check --output DIR`) or over a web server (the deploy
//! test).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

/// What fetching a path gave.
pub struct Fetched {
    /// `text/html`, `application/rss+xml`, …
    pub content_type: String,
    pub body: Vec<u8>,
}

/// One broken thing, on one page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Broken {
    /// The page (path under the site) the problem is on.
    pub page: String,
    pub message: String,
}

/// What a crawl found.
#[derive(Debug, Default)]
pub struct Crawl {
    /// Pages and files fetched, by path.
    pub fetched: BTreeSet<String>,
    pub broken: Vec<Broken>,
}

/// A link found in a page: the attribute it came from and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    url: String,
    /// `hreflang` of a `<link rel="alternate">`.
    hreflang: Option<String>,
    /// `lang` of the page (`<html lang>`).
    tag: &'static str,
}

fn tag_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?is)<(a|link|script|img|image|use|source|iframe|html)\b([^>]*)>").expect("regex"))
}

fn attr_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"(?is)([a-z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("regex"))
}

fn css_url_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"url\(\s*['"]?([^'")]+)['"]?\s*\)"#).expect("regex"))
}

fn loc_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"(?s)<loc>([^<]*)</loc>|<link>([^<]*)</link>|href="([^"]*)""#).expect("regex"))
}

/// The links of an HTML page, and the page's `<html lang>`.
fn html_links(html: &str) -> (Vec<Found>, Option<String>) {
    let mut out = Vec::new();
    let mut lang = None;
    for tag in tag_re().captures_iter(html) {
        let name = tag[1].to_ascii_lowercase();
        let attrs: BTreeMap<String, String> = attr_re()
            .captures_iter(&tag[2])
            .map(|a| {
                let value = a.get(2).or_else(|| a.get(3)).map_or("", |m| m.as_str());
                (a[1].to_ascii_lowercase(), unescape(value))
            })
            .collect();
        if name == "html" {
            lang = attrs.get("lang").cloned();
            continue;
        }
        let kind: &'static str = match name.as_str() {
            "a" => "link",
            "link" => "link element",
            "script" => "script",
            "img" | "image" => "image",
            "source" => "media source",
            _ => "frame",
        };
        for key in ["href", "src"] {
            if let Some(url) = attrs.get(key) {
                let hreflang = (name == "link" && attrs.get("rel").is_some_and(|r| r == "alternate"))
                    .then(|| attrs.get("hreflang").cloned())
                    .flatten();
                out.push(Found {
                    url: url.clone(),
                    hreflang,
                    tag: kind,
                });
            }
        }
    }
    (out, lang)
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Crawls the site whose pages live under `base_url` (absolute, ending in `/`), reading them
/// with `fetch(path)` where `path` is relative to the base (`ru/news/x/index.html`).
pub fn crawl(base_url: &str, fetch: &dyn Fn(&str) -> Option<Fetched>) -> Crawl {
    let base_path = base_url
        .split_once("://")
        .and_then(|(_, r)| r.find('/').map(|i| &r[i..]))
        .unwrap_or("/");
    let mut crawl = Crawl::default();
    let mut queue: VecDeque<(String, String)> = VecDeque::new(); // (path, linked from)
    let mut seen: BTreeSet<String> = BTreeSet::new();
    // page → (its lang, alternates lang → page)
    let mut alternates: BTreeMap<String, (Option<String>, BTreeMap<String, String>)> = BTreeMap::new();
    for start in ["index.html", "404.html", "sitemap.xml", "robots.txt"] {
        seen.insert(start.to_string());
        queue.push_back((start.to_string(), String::new()));
    }
    while let Some((path, from)) = queue.pop_front() {
        let Some(page) = fetch(&path) else {
            let message = if from.is_empty() {
                format!("/{path} is missing")
            } else {
                format!("links to /{path}, which does not exist")
            };
            crawl.broken.push(Broken {
                page: if from.is_empty() { path.clone() } else { from },
                message,
            });
            continue;
        };
        crawl.fetched.insert(path.clone());
        let text = String::from_utf8_lossy(&page.body);
        let mut links: Vec<Found> = Vec::new();
        if page.content_type.starts_with("text/html") {
            let (found, lang) = html_links(&text);
            let alt: BTreeMap<String, String> = found
                .iter()
                .filter_map(|f| {
                    f.hreflang
                        .as_ref()
                        .and_then(|l| resolve(base_url, base_path, &path, &f.url).map(|p| (l.clone(), p)))
                })
                .collect();
            alternates.insert(path.clone(), (lang, alt));
            links = found;
        } else if page.content_type.starts_with("text/css") {
            links = css_url_re()
                .captures_iter(&text)
                .map(|c| Found {
                    url: c[1].to_string(),
                    hreflang: None,
                    tag: "stylesheet url()",
                })
                .collect();
        } else if page.content_type.contains("xml") {
            links = loc_re()
                .captures_iter(&text)
                .filter_map(|c| c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3)))
                .map(|m| Found {
                    url: unescape(m.as_str()),
                    hreflang: None,
                    tag: "feed or sitemap link",
                })
                .collect();
        }
        for f in links {
            let Some(target) = resolve(base_url, base_path, &path, &f.url) else {
                continue;
            };
            if seen.insert(target.clone()) {
                queue.push_back((target, path.clone()));
            }
            let _ = f.tag;
        }
    }
    // hreflang pairs point both ways, and each alternate says its own language.
    for (page, (_, alts)) in &alternates {
        for (lang, other) in alts {
            if other == page {
                continue;
            }
            // A missing target is already reported as a broken link.
            if let Some((other_lang, back)) = alternates.get(other) {
                if lang != "x-default" && other_lang.as_deref() != Some(lang.as_str()) {
                    crawl.broken.push(Broken {
                        page: page.clone(),
                        message: format!("hreflang=\"{lang}\" points to /{other}, whose <html lang> is {other_lang:?}"),
                    });
                }
                if !back.values().any(|p| p == page) {
                    crawl.broken.push(Broken {
                        page: page.clone(),
                        message: format!("hreflang=\"{lang}\" points to /{other}, which does not point back"),
                    });
                }
            }
        }
    }
    crawl.broken.sort();
    crawl.broken.dedup();
    crawl
}

/// The file under the site a link on the page `page` (a file: `ru/news/x/index.html`) leads to
/// (a folder gets its `index.html`); `None` for links that leave the site or stay on the page.
pub fn resolve(base_url: &str, base_path: &str, page: &str, url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty()
        || url.starts_with('#')
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
        || url.starts_with("data:")
    {
        return None;
    }
    let url = url.split(['#', '?']).next().unwrap_or("");
    if url.is_empty() {
        return None; // `?page=2`: this very page
    }
    let path = if let Some(rest) = url.strip_prefix(base_url) {
        rest.to_string()
    } else if url.contains("://") || url.starts_with("//") {
        return None;
    } else if let Some(abs) = url.strip_prefix('/') {
        format!("/{abs}").strip_prefix(base_path)?.to_string()
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
        for part in url.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p),
            }
        }
        let joined = parts.join("/");
        if url.ends_with('/') && !joined.is_empty() {
            format!("{joined}/")
        } else {
            joined
        }
    };
    let path = percent_encoding::percent_decode_str(&path)
        .decode_utf8_lossy()
        .into_owned();
    Some(if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    })
}

/// Reads a built site from its output folder.
pub fn fetch_from(dir: &Path) -> impl Fn(&str) -> Option<Fetched> + '_ {
    move |path: &str| {
        if path.split('/').any(|p| p == "..") {
            return None;
        }
        let file = dir.join(path);
        let body = std::fs::read(&file).ok()?;
        let content_type = crate::mime::content_type(&file).to_string();
        Some(Fetched { content_type, body })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn site(pages: &[(&str, &str)]) -> HashMap<String, String> {
        pages.iter().map(|(p, b)| (p.to_string(), b.to_string())).collect()
    }

    fn run(pages: &HashMap<String, String>) -> Crawl {
        crawl("https://example.org/portal/", &|path: &str| {
            pages.get(path).map(|b| Fetched {
                content_type: if path.ends_with(".xml") {
                    "application/xml".into()
                } else {
                    "text/html".into()
                },
                body: b.clone().into_bytes(),
            })
        })
    }

    #[test]
    fn follows_links_and_names_the_broken_ones() {
        let pages = site(&[
            ("index.html", r##"<html lang="ru"><a href="/portal/ru/">ru</a><link rel="stylesheet" href="style.css"><a href="https://gov.kz/">x</a><a href="#top">t</a>"##),
            ("ru/index.html", r#"<html lang="ru"><a href="../kk/">kk</a><a href="news/x/">x</a><img src="/portal/img/a.png"></html>"#),
            ("kk/index.html", "<html lang=\"kk\">"),
            ("style.css", "body{}"),
            ("404.html", "<html>"),
            ("robots.txt", ""),
            ("sitemap.xml", "<urlset><url><loc>https://example.org/portal/ru/</loc></url><url><loc>https://example.org/portal/gone/</loc></url></urlset>"),
        ]);
        let c = run(&pages);
        assert!(c.fetched.contains("kk/index.html") && c.fetched.contains("style.css"));
        let messages: Vec<_> = c.broken.iter().map(|b| format!("{}: {}", b.page, b.message)).collect();
        assert_eq!(
            messages,
            [
                "ru/index.html: links to /img/a.png, which does not exist",
                "ru/index.html: links to /ru/news/x/index.html, which does not exist",
                "sitemap.xml: links to /gone/index.html, which does not exist",
            ]
        );
    }

    #[test]
    fn hreflang_pairs_must_point_both_ways() {
        let alt = |lang: &str, href: &str| format!(r#"<link rel="alternate" hreflang="{lang}" href="{href}">"#);
        let pages = site(&[
            (
                "index.html",
                r#"<a href="ru/a/"></a><a href="kk/a/"></a><a href="ru/b/"></a><a href="kk/b/"></a>"#,
            ),
            (
                "ru/a/index.html",
                &format!("<html lang=\"ru\">{}", alt("kk", "/portal/kk/a/")),
            ),
            (
                "kk/a/index.html",
                &format!("<html lang=\"kk\">{}", alt("ru", "/portal/ru/a/")),
            ),
            (
                "ru/b/index.html",
                &format!("<html lang=\"ru\">{}", alt("kk", "/portal/kk/b/")),
            ),
            ("kk/b/index.html", "<html lang=\"kk\">"),
            ("404.html", ""),
            ("robots.txt", ""),
            ("sitemap.xml", "<urlset></urlset>"),
        ]);
        let c = run(&pages);
        let messages: Vec<_> = c.broken.iter().map(|b| format!("{}: {}", b.page, b.message)).collect();
        assert_eq!(
            messages,
            ["ru/b/index.html: hreflang=\"kk\" points to /kk/b/index.html, which does not point back"]
        );
    }
}
