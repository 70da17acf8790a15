//! One page that is not news in one language: `content/pages/<slug>.<lang>.md` ("About the
//! partnership", "Contacts"), written to `/L/<slug>/` through `page.html`.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::article::{each_string, photo_refs, unprintable_in, unprintable_lines, unprintable_photos, PhotoMatter};
use super::{frontmatter, Alias, BodyOf, PhotoRef};
use crate::diagnostics::{line_col, toml_problem, Problem};

/// The first segments of a language's own addresses: a page may not take one.
pub const RESERVED: &[&str] = &["news", "cities", "tags", "archive", "search", "page", "rss.xml"];

/// What a page's front matter may say (see CONTENT.md). Unknown keys are errors.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Spanned<String>,
    #[serde(default)]
    summary: Option<Spanned<String>>,
    #[serde(default)]
    menu: Option<Spanned<toml::Value>>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    photo_credit: Option<Spanned<String>>,
    #[serde(default)]
    photos: Vec<Spanned<PhotoMatter>>,
    #[serde(default)]
    extra: toml::Table,
}

/// One parsed page file.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSource {
    /// Relative to the site root.
    pub path: std::path::PathBuf,
    pub slug: String,
    pub lang: String,
    pub title: String,
    pub summary: Option<String>,
    /// Its place in the language's menu (lower first), when it is in the menu.
    pub menu: Option<i64>,
    pub draft: bool,
    pub aliases: Vec<Alias>,
    pub photo_credit: Option<String>,
    /// `[[photos]]`, the lead first.
    pub photos: Vec<PhotoRef>,
    pub extra: toml::Table,
    /// The file's line number of the body's first line.
    pub body_line: usize,
}

impl PageSource {
    /// What turning its body into HTML needs to know of the file.
    pub fn body_of(&self) -> BodyOf<'_> {
        BodyOf {
            path: &self.path,
            lang: &self.lang,
            body_line: self.body_line,
            photos: &self.photos,
        }
    }
}

/// Parses the text of the page file `path` whose name gave `slug` and `lang`: its front matter,
/// and the Markdown body as a slice of `text`.
pub fn parse<'t>(path: &Path, slug: &str, lang: &str, text: &'t str) -> Result<(PageSource, &'t str), Vec<Problem>> {
    let split = frontmatter::split(text).map_err(|e| vec![Problem::at(path, e.line, e.message)])?;
    let fm: FrontMatter =
        toml::from_str(split.front).map_err(|e| vec![toml_problem(path, split.front, split.front_line, &e)])?;
    let line = |span: std::ops::Range<usize>| line_col(split.front, span.start).0 + split.front_line - 1;
    let mut problems = Vec::new();
    let title = fm.title.get_ref().trim().to_string();
    if title.is_empty() {
        problems.push(Problem::at(
            path,
            line(fm.title.span()),
            "the title is empty: write the page's heading in title = \"…\"",
        ));
    }
    let mut texts = vec![("the title", &fm.title)];
    texts.extend(fm.summary.iter().map(|s| ("summary", s)));
    texts.extend(fm.photo_credit.iter().map(|s| ("photo_credit", s)));
    for (what, text) in texts {
        if let Some(msg) = unprintable_in(what, text.get_ref()) {
            problems.push(Problem::at(path, line(text.span()), msg));
        }
    }
    for (key, value) in &fm.extra {
        each_string(key, value, &mut |text| {
            if let Some(msg) = unprintable_in("a value in [extra]", text) {
                problems.push(Problem::in_file(path, msg));
            }
        });
    }
    unprintable_photos(&fm.photos, &line, path, &mut problems);
    unprintable_lines(split.body, split.body_line, path, &mut problems);
    let aliases = fm
        .aliases
        .iter()
        .filter_map(|a| match crate::urls::Urls::alias(a.get_ref()) {
            Ok(path) => Some(Alias {
                path,
                line: line(a.span()),
            }),
            Err(msg) => {
                problems.push(Problem::at(path, line(a.span()), msg));
                None
            }
        })
        .collect();
    let menu = fm.menu.as_ref().and_then(|m| match m.get_ref() {
        toml::Value::Integer(n) => Some(*n),
        other => {
            problems.push(Problem::at(
                path,
                line(m.span()),
                format!(
                    "menu is {}: write the page's place in the menu as a whole number (menu = 1 comes first), or remove it to leave the page out of the menu",
                    match other {
                        toml::Value::String(s) => format!("`{s}`"),
                        v => format!("a {}", v.type_str()),
                    }
                ),
            ));
            None
        }
    });
    let photos = photo_refs(&fm.photos, lang, &line, path, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let text = |t: Option<Spanned<String>>| t.map(|s| s.into_inner().trim().to_string()).filter(|s| !s.is_empty());
    Ok((
        PageSource {
            path: path.to_path_buf(),
            slug: slug.to_string(),
            lang: lang.to_string(),
            title,
            summary: text(fm.summary),
            menu,
            draft: fm.draft,
            aliases,
            photo_credit: text(fm.photo_credit),
            photos,
            extra: fm.extra,
            body_line: split.body_line,
        },
        split.body,
    ))
}

/// Why `slug` cannot name a page, if it cannot: it would take one of the language's own
/// addresses.
pub fn reserved(slug: &str) -> Option<String> {
    RESERVED.contains(&slug).then(|| {
        format!(
            "the page `{slug}` would take the address of the site's own /…/{slug}/ pages: rename the file (e.g. about-{slug})"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(front: &str) -> Result<PageSource, Vec<Problem>> {
        let text = format!("+++\n{front}+++\nBody\n");
        parse(Path::new("content/pages/about.ru.md"), "about", "ru", &text).map(|(p, body)| {
            assert_eq!(body, "Body\n");
            p
        })
    }

    #[test]
    fn parses_a_page() {
        let p =
            page("title = \" О партнёрстве \"\nmenu = 2\nsummary = \"S\"\naliases = [\"/ru/about.html\"]\n").unwrap();
        assert_eq!(p.title, "О партнёрстве");
        assert_eq!(p.menu, Some(2));
        assert_eq!(p.summary.as_deref(), Some("S"));
        assert_eq!(p.aliases[0].path, "ru/about.html");
        assert_eq!(p.aliases[0].line, 5);
        assert_eq!(p.body_line, 7);
    }

    #[test]
    fn unknown_fields_and_an_empty_title_name_their_line() {
        let e = page("title = \"T\"\ndate = 2025-01-01\n").unwrap_err();
        assert_eq!(e[0].line, Some(3));
        assert!(e[0].message.contains("unknown field `date`"), "{}", e[0].message);
        let e = page("title = \"\"\n").unwrap_err();
        assert_eq!(e[0].line, Some(2));
        assert!(e[0].message.starts_with("the title is empty"), "{}", e[0].message);
        let e = page("summary = \"S\"\n").unwrap_err();
        assert!(e[0].message.starts_with("missing field `title`"), "{}", e[0].message);
        let e = page("title = \"T\"\nmenu = \"first\"\n").unwrap_err();
        assert_eq!(e[0].line, Some(3), "{e:?}");
        assert!(
            e[0].message.starts_with("menu is `first`: write the page's place"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn photos_need_alt_text_as_in_articles() {
        let e = page("title = \"T\"\n[[photos]]\nfile = \"a.jpg\"\n").unwrap_err();
        assert!(e[0].message.contains("has no alt text"), "{}", e[0].message);
    }

    #[test]
    fn the_sites_own_addresses_are_reserved() {
        assert!(reserved("news").is_some());
        assert!(reserved("about").is_none());
    }
}
