//! Finding the links of each kind of file the crawler reads: HTML (html5ever, through
//! `scraper`), CSS (`cssparser`), feeds and sitemaps (`roxmltree`), `robots.txt` and the web
//! server's redirect map.

/// A link found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    pub(super) url: String,
    /// `hreflang` of a `<link rel="alternate">`.
    pub(super) hreflang: Option<String>,
}

impl Found {
    pub(super) fn new(url: &str) -> Found {
        Found {
            url: url.to_string(),
            hreflang: None,
        }
    }
}

/// The links of an HTML page (read with html5ever, as a browser would: entities decoded,
/// comments and scripts' text skipped), and the page's `<html lang>`: `href` of `a`, `area`,
/// `link` (with `hreflang` for `rel=alternate`), SVG `image` and `use`; `src` of `img`,
/// `script`, `iframe`, `audio`, `video`, `source`, `track` and `embed`; `srcset` of `img` and
/// `source`; `poster`; `url()` in `<style>` and `style=""`; `action` of a GET `form`.
pub(super) fn html_links(html: &str) -> (Vec<Found>, Option<String>) {
    let doc = scraper::Html::parse_document(html);
    let mut out = Vec::new();
    let mut lang = None;
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let attr = |name: &str| el.attr(name);
        match el.name() {
            "html" => lang = attr("lang").map(str::to_string),
            "a" | "area" | "image" | "use" => {
                out.extend(attr("href").or_else(|| attr("xlink:href")).map(Found::new));
            }
            "link" => {
                if let Some(href) = attr("href") {
                    let alternate = attr("rel").is_some_and(|r| r.split_ascii_whitespace().any(|r| r == "alternate"));
                    out.push(Found {
                        url: href.to_string(),
                        hreflang: alternate.then(|| attr("hreflang").map(str::to_string)).flatten(),
                    });
                }
            }
            // Social previews load the page's picture (its lead photo or drawn card).
            "meta"
                if attr("property")
                    .or_else(|| attr("name"))
                    .is_some_and(|p| matches!(p, "og:image" | "og:image:url" | "twitter:image")) =>
            {
                out.extend(attr("content").map(Found::new));
            }
            // A form that asks with GET leads to its action (the header's search field).
            "form" if attr("method").is_none_or(|m| m.eq_ignore_ascii_case("get")) => {
                out.extend(attr("action").filter(|a| !a.is_empty()).map(Found::new));
            }
            "style" => {
                let css: String = node
                    .children()
                    .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                    .collect();
                out.extend(css_urls(&css).iter().map(|u| Found::new(u)));
            }
            _ => {}
        }
        if matches!(
            el.name(),
            "img" | "script" | "iframe" | "audio" | "video" | "source" | "track" | "embed"
        ) {
            out.extend(attr("src").map(Found::new));
        }
        if matches!(el.name(), "img" | "source") {
            out.extend(attr("srcset").into_iter().flat_map(srcset_urls).map(Found::new));
        }
        out.extend(attr("poster").map(Found::new));
        if let Some(style) = attr("style") {
            out.extend(css_urls(style).iter().map(|u| Found::new(u)));
        }
    }
    (out, lang)
}

/// The URLs of a `srcset` (`a.webp 480w, b.webp 960w`), as the HTML standard splits it: a URL
/// runs to the next whitespace, a trailing comma ends it, descriptors run to the next comma.
pub(super) fn srcset_urls(srcset: &str) -> impl Iterator<Item = &str> {
    let mut rest = srcset;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(|c: char| c.is_ascii_whitespace()).unwrap_or(rest.len());
        let url = rest[..end].trim_end_matches(',');
        let descriptors_end = if rest[..end].ends_with(',') {
            end
        } else {
            rest[end..].find(',').map_or(rest.len(), |i| end + i)
        };
        rest = &rest[descriptors_end..];
        Some(url)
    })
}

/// The URLs a stylesheet loads: `url(…)` (quoted or not) and `@import "…"`, read with a CSS
/// tokenizer, so comments and strings that only look like them are skipped.
pub(super) fn css_urls(css: &str) -> Vec<String> {
    let mut parser = cssparser::Parser::new(css);
    let mut out = Vec::new();
    css_walk(&mut parser, &mut out);
    out
}

pub(super) fn css_walk(parser: &mut cssparser::Parser, out: &mut Vec<String>) {
    use cssparser::Token;
    let mut after_import = false;
    while let Ok(token) = parser.next_including_whitespace_and_comments() {
        let token = token.clone();
        match &token {
            Token::UnquotedUrl(url) => out.push(url.to_string()),
            Token::QuotedString(s) if after_import => out.push(s.to_string()),
            Token::Function(name) if name.eq_ignore_ascii_case("url") => {
                let _ = parser.parse_nested_block(|p| -> Result<(), cssparser::ParseError<()>> {
                    if let Ok(s) = p.expect_string() {
                        out.push(s.to_string());
                    }
                    Ok(())
                });
            }
            Token::Function(_) | Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock => {
                let _ = parser.parse_nested_block(|p| -> Result<(), cssparser::ParseError<()>> {
                    css_walk(p, out);
                    Ok(())
                });
            }
            _ => {}
        }
        match &token {
            Token::AtKeyword(k) => after_import = k.eq_ignore_ascii_case("import"),
            Token::WhiteSpace(_) | Token::Comment(_) => {}
            _ => after_import = false,
        }
    }
}

/// The links of a feed or sitemap, read with an XML parser: the text of `<loc>` and `<link>`,
/// `href` of any element (`atom:link`, `xhtml:link`) and `url` of `enclosure` and
/// `media:content`. Malformed XML is itself a problem.
pub(super) fn xml_links(xml: &str) -> Result<Vec<Found>, String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    // `<?xml-stylesheet href="/ru/feed.css" type="text/css"?>`: its pseudo-attribute `href`.
    for pi in doc.root().children().filter_map(|n| n.pi()) {
        if pi.target == "xml-stylesheet" {
            out.extend(pi.value.and_then(pseudo_href).map(Found::new));
        }
    }
    for el in doc.descendants().filter(roxmltree::Node::is_element) {
        let name = el.tag_name().name();
        if matches!(name, "loc" | "link") {
            out.extend(el.text().map(|t| Found::new(t.trim())));
        }
        out.extend(el.attribute("href").map(Found::new));
        if matches!(name, "enclosure" | "content") {
            out.extend(el.attribute("url").map(Found::new));
        }
    }
    Ok(out)
}

/// The `href` pseudo-attribute of a processing instruction's value (`href="x" type="text/css"`).
fn pseudo_href(value: &str) -> Option<&str> {
    let at = value.find("href")?;
    let rest = value[at + 4..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    rest[1..].split(quote).next()
}

/// The sitemaps `robots.txt` names (`Sitemap: URL` lines; the field name in any case).
pub(super) fn robots_sitemaps(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .filter(|(field, _)| field.trim().eq_ignore_ascii_case("sitemap"))
        .map(|(_, url)| url.trim())
        .filter(|url| !url.is_empty())
        .collect()
}

/// The web server's list of old addresses, which the build writes beside the site.
pub(super) const REDIRECT_MAP: &str = "nginx-redirects.map";

/// Both paths of every `"old" "new";` line of `nginx-redirects.map`: each old address has its
/// redirect page, and each leads to a page.
pub(super) fn redirect_map_paths(text: &str) -> Vec<&str> {
    text.lines()
        .flat_map(|line| line.split('"').skip(1).step_by(2))
        .filter(|p| !p.is_empty())
        .collect()
}
