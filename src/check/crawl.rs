//! Crawling a built site as a reader's browser would: from `/index.html`, every internal link,
//! asset, feed and `hreflang` alternate must lead to a page or file, and every `hreflang` pair
//! must point both ways. The site is read through a `fetch` function, so the same crawl runs
//! over the output folder (`twinpress check --output DIR`) or over a web server (the deploy
//! test).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use crate::urls::Urls;

/// What fetching a path gave.
mod find;

use find::{css_urls, html_links, redirect_map_paths, robots_sitemaps, xml_links, Found, REDIRECT_MAP};

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

/// Per page: its `<html lang>`, and its `hreflang` alternates (language → page).
type Alternates = BTreeMap<String, (Option<String>, BTreeMap<String, String>)>;

/// What a crawl found.
#[derive(Debug, Default)]
pub struct Crawl {
    /// Pages and files fetched, by path.
    pub fetched: BTreeSet<String>,
    pub broken: Vec<Broken>,
}

/// Crawls the site whose pages live under `urls`' base URL, reading them with `fetch(path)`
/// where `path` is relative to the base (`ru/news/x/index.html`).
pub fn crawl(urls: &Urls, fetch: &dyn Fn(&str) -> Option<Fetched>) -> Crawl {
    let mut crawl = Crawl::default();
    let mut queue: VecDeque<(String, String)> = VecDeque::new(); // (path, linked from)
    let mut seen: BTreeSet<String> = BTreeSet::new();
    // page → (its lang, alternates lang → page)
    let mut alternates: Alternates = BTreeMap::new();
    // nginx-redirects.map is for the web server, not linked: its old and new addresses are followed.
    for start in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "nginx-redirects.map",
    ] {
        seen.insert(start.to_string());
        queue.push_back((start.to_string(), String::new()));
    }
    while let Some((path, from)) = queue.pop_front() {
        let Some(page) = fetch(&path) else {
            if from.is_empty() && path == REDIRECT_MAP {
                continue; // a site without redirects may lack it
            }
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
        if path == "robots.txt" {
            links = robots_sitemaps(&text).into_iter().map(Found::new).collect();
        } else if path == REDIRECT_MAP {
            links = redirect_map_paths(&text).into_iter().map(Found::new).collect();
        } else if page.content_type.starts_with("text/html") {
            let (found, lang) = html_links(&text);
            let alt: BTreeMap<String, String> = found
                .iter()
                .filter_map(|f| {
                    f.hreflang
                        .as_ref()
                        .and_then(|l| urls.target_file(&path, &f.url).map(|p| (l.clone(), p)))
                })
                .collect();
            alternates.insert(path.clone(), (lang, alt));
            links = found;
        } else if page.content_type.starts_with("text/css") {
            links = css_urls(&text).iter().map(|u| Found::new(u)).collect();
        } else if page.content_type.contains("xml") {
            match xml_links(&text) {
                Ok(found) => links = found,
                Err(e) => crawl.broken.push(Broken {
                    page: path.clone(),
                    message: format!("is not well-formed XML: {e}"),
                }),
            }
        }
        for f in links {
            let Some(target) = urls.target_file(&path, &f.url) else {
                continue;
            };
            if seen.insert(target.clone()) {
                queue.push_back((target, path.clone()));
            }
        }
    }
    crawl.broken.extend(hreflang_problems(&alternates));
    crawl.broken.sort();
    crawl.broken.dedup();
    crawl
}

/// hreflang pairs point both ways, and each alternate says its own language.
/// `alternates`: page → (its `<html lang>`, alternates lang → page).
fn hreflang_problems(alternates: &Alternates) -> Vec<Broken> {
    let mut broken = Vec::new();
    for (page, (_, alts)) in alternates {
        for (lang, other) in alts {
            if other == page {
                continue;
            }
            // A missing target is already reported as a broken link.
            if let Some((other_lang, back)) = alternates.get(other) {
                if lang != "x-default" && other_lang.as_deref() != Some(lang.as_str()) {
                    broken.push(Broken {
                        page: page.clone(),
                        message: format!("hreflang=\"{lang}\" points to /{other}, whose <html lang> is {other_lang:?}"),
                    });
                }
                if !back.values().any(|p| p == page) {
                    broken.push(Broken {
                        page: page.clone(),
                        message: format!("hreflang=\"{lang}\" points to /{other}, which does not point back"),
                    });
                }
            }
        }
    }
    broken
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
    use super::find::srcset_urls;
    use super::*;
    use std::collections::HashMap;

    fn site(pages: &[(&str, &str)]) -> HashMap<String, String> {
        pages.iter().map(|(p, b)| (p.to_string(), b.to_string())).collect()
    }

    fn run(pages: &HashMap<String, String>) -> Crawl {
        crawl(&Urls::new("https://example.org/portal/").unwrap(), &|path: &str| {
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
    fn a_get_forms_action_is_followed_and_a_posts_is_not() {
        let pages = site(&[
            (
                "index.html",
                r#"<html><form role="search" action="/portal/ru/search/"><input name="q"></form><form method="post" action="/portal/send/"></form><form action=""></form>"#,
            ),
            ("404.html", "<html>"),
            ("robots.txt", ""),
            ("ru/search/index.html", "<html>"),
            ("sitemap.xml", "<urlset></urlset>"),
        ]);
        let c = run(&pages);
        assert!(c.fetched.contains("ru/search/index.html"), "{:?}", c.fetched);
        assert!(c.broken.is_empty(), "{:?}", c.broken);
    }

    #[test]
    fn the_sitemaps_robots_txt_names_are_followed() {
        let pages = site(&[
            ("index.html", "<html>"),
            ("404.html", "<html>"),
            ("sitemap.xml", "<urlset></urlset>"),
            (
                "robots.txt",
                "User-agent: *\nAllow: /\n\nSitemap: https://example.org/portal/sitemap.xml\nsitemap: https://example.org/portal/news-sitemap.xml\n",
            ),
        ]);
        let c = run(&pages);
        let messages: Vec<_> = c.broken.iter().map(|b| format!("{}: {}", b.page, b.message)).collect();
        assert_eq!(
            messages,
            ["robots.txt: links to /news-sitemap.xml, which does not exist"]
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

    #[test]
    fn pictures_srcsets_styles_and_feeds_are_followed_but_comments_are_not() {
        let pages = site(&[
            (
                "index.html",
                r#"<html lang="ru"><head><style>/* url(/portal/in-comment.png) */ .a { background: url("/portal/bg.png") } @import "print.css";</style></head>
<body><!-- <a href="/portal/commented-out/">x</a> -->
<picture><source type="image/webp" srcset="img/a-480.webp 480w, img/a-960.webp 960w"><img src="img/a-480.jpg" srcset="img/a-480.jpg 480w,img/a-960.jpg 960w" width="480" height="320" alt=""></picture>
<div style="background-image: url(img/hero.png)"></div><a href="/portal/a?x=1&amp;y=2">a</a><a href="rss.xml">feed</a>
<svg><use href="/portal/sprite.svg#icon"></use></svg></body></html>"#,
            ),
            ("bg.png", ""),
            (
                "print.css",
                "body { background: url(img/paper.png) } /* url(nowhere.png) */",
            ),
            ("img/paper.png", ""),
            ("img/a-480.webp", ""),
            ("img/a-960.webp", ""),
            ("img/a-480.jpg", ""),
            ("img/hero.png", ""),
            ("a", ""),
            ("sprite.svg", ""),
            (
                "rss.xml",
                r#"<?xml-stylesheet href="/portal/feed.css" type="text/css"?><rss xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"><channel><link>https://example.org/portal/</link><atom:link href="https://example.org/portal/rss.xml" rel="self"/><item><link>https://example.org/portal/ru/news/x/</link><enclosure url="https://example.org/portal/img/lead.jpg" type="image/jpeg" length="1"/></item></channel></rss>"#,
            ),
            ("ru/news/x/index.html", "<html lang=\"ru\">"),
            ("404.html", ""),
            ("robots.txt", ""),
            (
                "sitemap.xml",
                "<urlset><url><loc>\n https://example.org/portal/ \n</loc></url></urlset>",
            ),
        ]);
        let c = crawl(&Urls::new("https://example.org/portal/").unwrap(), &|path: &str| {
            pages.get(path).map(|b| Fetched {
                content_type: match path.rsplit('.').next() {
                    Some("xml") => "application/xml",
                    Some("css") => "text/css",
                    _ => "text/html",
                }
                .into(),
                body: b.clone().into_bytes(),
            })
        });
        for f in [
            "bg.png",
            "print.css",
            "img/paper.png",
            "img/a-960.webp",
            "img/hero.png",
            "a",
            "sprite.svg",
            "ru/news/x/index.html",
        ] {
            assert!(c.fetched.contains(f), "{f} not reached: {:?}", c.fetched);
        }
        let messages: Vec<_> = c.broken.iter().map(|b| format!("{}: {}", b.page, b.message)).collect();
        assert_eq!(
            messages,
            [
                "index.html: links to /img/a-960.jpg, which does not exist",
                "rss.xml: links to /feed.css, which does not exist",
                "rss.xml: links to /img/lead.jpg, which does not exist",
            ],
            "comments (HTML and CSS) are not links; a feed's stylesheet is"
        );
    }

    #[test]
    fn srcset_candidates_split_as_browsers_split_them() {
        let urls: Vec<&str> = srcset_urls(" a.jpg 1x,b.jpg 2x , c,d.jpg 480w,e.jpg,").collect();
        // A comma inside a URL belongs to it; one at its end separates candidates.
        assert_eq!(urls, ["a.jpg", "b.jpg", "c,d.jpg", "e.jpg"]);
        let urls: Vec<&str> = srcset_urls("x.webp").collect();
        assert_eq!(urls, ["x.webp"]);
    }

    #[test]
    fn malformed_xml_is_reported() {
        let pages = site(&[
            ("index.html", "<html lang=\"ru\">"),
            ("404.html", ""),
            ("robots.txt", ""),
            ("sitemap.xml", "<urlset><url><loc>x</url>"),
        ]);
        let c = run(&pages);
        assert_eq!(c.broken.len(), 1, "{:?}", c.broken);
        assert!(
            c.broken[0].message.starts_with("is not well-formed XML"),
            "{:?}",
            c.broken
        );
    }
}
