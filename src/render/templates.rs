//! Tera setup: the site's `templates/` folder, with built-in defaults for any template it lacks.
//! The defaults are the portal's own templates, compiled into the binary.

use std::path::Path;

use std::collections::{BTreeSet, HashMap};

use anyhow::{Context, Result};
use tera::Tera;

pub const TEMPLATES_DIR: &str = "templates";

/// Every template the build renders, with its built-in default.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("components.html", include_str!("../../templates/components.html")),
    ("map.html", include_str!("../../templates/map.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("cities.html", include_str!("../../templates/cities.html")),
    ("city.html", include_str!("../../templates/city.html")),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("archive-list.html", include_str!("../../templates/archive-list.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("language.html", include_str!("../../templates/language.html")),
    ("rss.xml", include_str!("../../templates/rss.xml")),
    ("feed.css", include_str!("../../templates/feed.css")),
    ("subscribe.html", include_str!("../../templates/subscribe.html")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("news-sitemap.xml", include_str!("../../templates/news-sitemap.xml")),
    ("redirect.html", include_str!("../../templates/redirect.html")),
    ("yandex.xml", include_str!("../../templates/yandex.xml")),
    (
        "nginx-redirects.map",
        include_str!("../../templates/nginx-redirects.map"),
    ),
    ("robots.txt", include_str!("../../templates/robots.txt")),
    ("card.svg", include_str!("../../templates/card.svg")),
];

/// A built-in file: `(path, bytes, part of)`.
pub type Asset = (&'static str, &'static [u8], Option<&'static str>);

/// The built-in files a site whose `static/` holds the paths `own` says gets: each it has no
/// file of its own for, and a file that is part of another (the built-in stylesheet's fonts)
/// only with that one.
pub fn defaults_needed<'a>(assets: &'a [Asset], own: &dyn Fn(&str) -> bool) -> Vec<&'a Asset> {
    let mut needed: Vec<&Asset> = Vec::new();
    for asset in assets {
        let (rel, _, part_of) = asset;
        let whole_given = part_of.is_none_or(|whole| needed.iter().any(|(p, _, _)| *p == whole));
        if whole_given && !own(rel) {
            needed.push(asset);
        }
    }
    needed
}

/// Files the built-in templates link to, written where the site's `static/` has none of its own:
/// `(path, bytes, part of)` — a file that is part of another (the built-in stylesheet's fonts)
/// is written only when that one is.
pub const DEFAULT_ASSETS: &[Asset] = &[
    (
        "map/outlines.svg",
        include_bytes!("../../static/map/outlines.svg"),
        None,
    ),
    ("favicon.svg", include_bytes!("../../static/favicon.svg"), None),
    ("style.css", include_bytes!("../../static/style.css"), None),
    ("search.js", include_bytes!("../../static/search.js"), None),
    (
        "fonts/OFL.txt",
        include_bytes!("../../static/fonts/OFL.txt"),
        Some("style.css"),
    ),
    (
        "fonts/noto-sans-latin-400-normal.woff2",
        include_bytes!("../../static/fonts/noto-sans-latin-400-normal.woff2"),
        Some("style.css"),
    ),
    (
        "fonts/noto-sans-cyrillic-400-normal.woff2",
        include_bytes!("../../static/fonts/noto-sans-cyrillic-400-normal.woff2"),
        Some("style.css"),
    ),
    (
        "fonts/noto-sans-cyrillic-ext-400-normal.woff2",
        include_bytes!("../../static/fonts/noto-sans-cyrillic-ext-400-normal.woff2"),
        Some("style.css"),
    ),
    (
        "fonts/noto-sans-latin-700-normal.woff2",
        include_bytes!("../../static/fonts/noto-sans-latin-700-normal.woff2"),
        Some("style.css"),
    ),
    (
        "fonts/noto-sans-cyrillic-700-normal.woff2",
        include_bytes!("../../static/fonts/noto-sans-cyrillic-700-normal.woff2"),
        Some("style.css"),
    ),
    (
        "fonts/noto-sans-cyrillic-ext-700-normal.woff2",
        include_bytes!("../../static/fonts/noto-sans-cyrillic-ext-700-normal.woff2"),
        Some("style.css"),
    ),
    (
        "fonts/noto-serif-latin-700-normal.woff2",
        include_bytes!("../../static/fonts/noto-serif-latin-700-normal.woff2"),
        Some("style.css"),
    ),
    (
        "fonts/noto-serif-cyrillic-700-normal.woff2",
        include_bytes!("../../static/fonts/noto-serif-cyrillic-700-normal.woff2"),
        Some("style.css"),
    ),
    (
        "fonts/noto-serif-cyrillic-ext-700-normal.woff2",
        include_bytes!("../../static/fonts/noto-serif-cyrillic-ext-700-normal.woff2"),
        Some("style.css"),
    ),
];

/// The compiled templates, and what each page template refers to (with the templates it
/// extends and includes; components see only their arguments), so a page's context holds only what its template can use.
pub struct Templates {
    pub tera: Tera,
    uses: HashMap<String, String>,
}

impl Templates {
    /// Whether `template` (or a template it builds on) mentions the variable `name`. Errs on the
    /// side of yes: a mention in a comment or string counts.
    pub fn mentions(&self, template: &str, name: &str) -> bool {
        self.uses.get(template).is_none_or(|text| {
            text.match_indices(name).any(|(i, _)| {
                let before = text[..i].chars().next_back();
                let after = text[i + name.len()..].chars().next();
                !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
            })
        })
    }

    /// Whether `template` (or a template it builds on) has the text `text` (`page.image`).
    pub fn says(&self, template: &str, text: &str) -> bool {
        self.uses.get(template).is_none_or(|t| t.contains(text))
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Each template's text joined with the texts of the templates it extends or includes,
/// recursively, and with every template that defines a component taking implicit parameters
/// (`@name`, read from the caller's context).
fn closures(sources: &[(String, String)]) -> HashMap<String, String> {
    let implicit: String = sources
        .iter()
        .filter(|(_, t)| t.contains("{% component") && t.contains('@'))
        .map(|(_, t)| format!("{t}\n"))
        .collect();
    let by_name: HashMap<&str, &str> = sources.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let refers = |text: &str| -> Vec<String> {
        let mut out = Vec::new();
        for tag in ["extends", "include"] {
            for (i, _) in text.match_indices(tag) {
                let rest = text[i + tag.len()..].trim_start();
                if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
                    if let Some(end) = rest[1..].find(quote) {
                        out.push(rest[1..1 + end].to_string());
                    }
                }
            }
        }
        out
    };
    sources
        .iter()
        .map(|(name, _)| {
            let mut seen: BTreeSet<String> = BTreeSet::new();
            let mut todo = vec![name.clone()];
            let mut text = implicit.clone();
            while let Some(n) = todo.pop() {
                if !seen.insert(n.clone()) {
                    continue;
                }
                if let Some(t) = by_name.get(n.as_str()) {
                    text.push_str(t);
                    text.push('\n');
                    todo.extend(refers(t));
                }
            }
            (name.clone(), text)
        })
        .collect()
}

/// Loads `root/templates/**` (`.html`, `.xml`, `.txt`) over the built-in defaults and compiles
/// them once.
pub fn load(root: &Path, loop_limit: u64, zone: &crate::zone::Zone) -> Result<Templates> {
    let dir = root.join(TEMPLATES_DIR);
    let mut own: Vec<(String, String)> = Vec::new();
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).follow_links(true).sort_by_file_name() {
            let entry = entry.with_context(|| format!("Cannot read the templates folder {}", dir.display()))?;
            let path = entry.path();
            let is_template = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "html" | "xml" | "txt"));
            let hidden = entry.file_name().to_str().is_none_or(crate::content::is_ignored);
            if !entry.file_type().is_file() || !is_template || hidden {
                continue;
            }
            let name = path
                .strip_prefix(&dir)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("Cannot read template {}: save it as UTF-8", path.display()))?;
            own.push((name, text));
        }
    }
    // A site's own components replace the built-in ones of their names, and only those.
    let filled_in = super::components::filled_in(&own);
    let mut all: Vec<(String, String)> = DEFAULTS
        .iter()
        .filter(|(name, _)| !own.iter().any(|(n, _)| n == name))
        .filter(|(name, _)| !(filled_in.is_some() && *name == "components.html"))
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    if let Some(text) = filled_in.filter(|t| !t.is_empty()) {
        all.push((super::components::FILLED_IN.to_string(), text));
    }
    let hint = tera1_hint(&own);
    let own_names: BTreeSet<String> = own.iter().map(|(n, _)| n.clone()).collect();
    all.extend(own);
    let uses = closures(&all);
    let sources: HashMap<String, String> = all.iter().cloned().collect();
    let mut tera = Tera::default();
    super::date_filter::DateFilter::new(zone.clone()).register(&mut tera);
    tera.register_filter(
        "css_string",
        |value: tera::Value, _: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            Ok(css_string(value.as_str().unwrap_or_default()))
        },
    );
    tera.add_raw_templates(all)
        .map_err(|e| compile_error(e, &tera, &sources, &own_names, hint))?;
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    tera.set_escape_fn(escape);
    tera.set_loop_limit(Some(loop_limit));
    Ok(Templates { tera, uses })
}

/// `text` as a CSS string's contents (between double quotes): quotes, backslashes and line
/// ends escaped, as the `css_string` filter gives it (`content: "{{ ui.x | css_string }}"`).
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\A "),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A compile error with what an editor needs beside Tera's report (which names the template,
/// line and column): whether the failing template is a built-in one, and how Tera 1 syntax
/// changed when the site's templates still use it.
fn compile_error(
    e: tera::Error,
    tera: &Tera,
    sources: &HashMap<String, String>,
    own: &BTreeSet<String>,
    hint: Option<String>,
) -> anyhow::Error {
    // Tera's reports point at templates as ` --> NAME:LINE:COLUMN`.
    let text = e.to_string();
    let builtin = text
        .split("--> ")
        .skip(1)
        .filter_map(|rest| rest.split(':').next())
        .find(|name| !own.contains(*name))
        .map(str::to_string);
    let source = |name: &str| sources.get(name).cloned();
    let mut err = anyhow::anyhow!(super::template_errors::explain(&text, tera, &source));
    if let Some(name) = builtin {
        err = err.context(format!(
            "{TEMPLATES_DIR}/{name} is built in (the site has no file of that name): it builds on the \
             site's own templates, so they must give it what it uses (the blocks `title` and `main` \
             in base.html, the components of components.html), or add your own {TEMPLATES_DIR}/{name}"
        ));
    }
    if let Some(hint) = hint {
        err = err.context(hint);
    }
    err.context(format!("A template in {TEMPLATES_DIR}/ has an error"))
}

/// A note when the site's templates use Tera 1's macros, which Tera 2 replaced by components.
fn tera1_hint(own: &[(String, String)]) -> Option<String> {
    let old: Vec<&str> = own
        .iter()
        .filter(|(_, t)| t.contains("{% macro") || t.contains("{% import") || t.contains("{%- macro"))
        .map(|(n, _)| n.as_str())
        .collect();
    (!old.is_empty()).then(|| {
        format!(
            "{} still use{} Tera 1 macros: twinpress renders with Tera 2, where `{{% macro %}}` \
             became `{{% component %}}`, `{{% import %}}` is gone and `m::name(x=y)` is called as \
             `{{{{ <name x={{y}}/> }}}}` (docs/guide.md, \"Moving a site's templates from Tera 1\")",
            old.iter()
                .map(|n| format!("{TEMPLATES_DIR}/{n}"))
                .collect::<Vec<_>>()
                .join(", "),
            if old.len() == 1 { "s" } else { "" }
        )
    })
}

/// Escapes text for HTML and XML (text and quoted attributes). Unlike Tera's default it leaves
/// `/` alone, so URLs stay readable.
/// How long `text` is once [`escape`]d, in bytes.
pub fn escaped_len(text: &str) -> usize {
    text.len()
        + text
            .bytes()
            .map(|b| match b {
                b'&' | b'\'' => 4,
                b'<' | b'>' => 3,
                b'"' => 5,
                _ => 0,
            })
            .sum::<usize>()
}

pub fn escape(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_len_is_the_length_escape_writes() {
        for text in ["", "plain", "<p class=\"x\">A & B's</p>", "«Шаңхай» & <b>"] {
            let mut out = Vec::new();
            escape(text, &mut out).unwrap();
            assert_eq!(escaped_len(text), out.len(), "{text}");
        }
    }

    #[test]
    fn defaults_compile_and_site_templates_override_them() {
        let dir = tempfile::tempdir().unwrap();
        let t = load(dir.path(), crate::config::LOOP_LIMIT, &crate::zone::Zone::utc()).unwrap();
        assert!(t.tera.get_template_names().any(|n| n == "article.html"));
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/robots.txt"), "own").unwrap();
        std::fs::write(dir.path().join("templates/.robots.txt.swp"), "{{ broken").unwrap();
        let t = load(dir.path(), crate::config::LOOP_LIMIT, &crate::zone::Zone::utc()).unwrap();
        assert_eq!(t.tera.render("robots.txt", &tera::Context::new()).unwrap(), "own");
    }

    #[test]
    fn what_templates_use_follows_extends_and_includes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        let w = |name: &str, text: &str| std::fs::write(dir.path().join("templates").join(name), text).unwrap();
        w(
            "base.html",
            "{% block title %}{% endblock title %}{{ ui.home }}{% block main %}{% endblock main %}",
        );
        w(
            "parts.html",
            "{% component x(a) %}{{ a.title }}{{ related }}{% endcomponent x %}",
        );
        w(
            "tag.html",
            "{% extends \"base.html\" %}{% block main %}{{ <x a={tag}/> }}{{ ui.next }}{% endblock main %}",
        );
        w(
            "tags.html",
            "{% extends 'base.html' %}{% block main %}{% include \"side.html\" %}{% endblock main %}",
        );
        w(
            "side.html",
            "{% for k, v in ui %}{{ v }}{% endfor %}{{ related_stuff }}",
        );
        let t = load(dir.path(), crate::config::LOOP_LIMIT, &crate::zone::Zone::utc()).unwrap();
        assert!(
            !t.mentions("tag.html", "related"),
            "a component sees only its arguments, so what its body names is not the page's"
        );
        assert!(!t.mentions("tags.html", "related"), "related_stuff is another name");
        assert!(
            t.mentions("article.html", "related"),
            "the portal's article template shows related articles"
        );
        w(
            "implicit.html",
            "{% component y(@cities) %}{{ cities }}{% endcomponent y %}",
        );
        let t = load(dir.path(), crate::config::LOOP_LIMIT, &crate::zone::Zone::utc()).unwrap();
        assert!(
            t.mentions("tag.html", "cities"),
            "a component with implicit parameters reads its caller's context"
        );
        assert!(
            t.mentions("no-such.html", "related"),
            "unknown templates get everything"
        );
    }

    #[test]
    fn escaping_covers_markup_and_quotes_but_not_slashes() {
        let mut out = Vec::new();
        escape("<a href=\"/x\">R&D's</a> Қ", &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "&lt;a href=&quot;/x&quot;&gt;R&amp;D&#39;s&lt;/a&gt; Қ"
        );
    }

    #[test]
    fn syntax_errors_name_the_template() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/tag.html"), "{% if %}").unwrap();
        let err = format!(
            "{:#}",
            load(dir.path(), crate::config::LOOP_LIMIT, &crate::zone::Zone::utc())
                .err()
                .unwrap()
        );
        assert!(err.contains("tag.html:1:"), "{err}");
        assert!(!err.contains("built in"), "{err}");
    }

    #[test]
    fn a_base_without_the_blocks_the_built_in_pages_use_is_explained() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/base.html"),
            "{% block main %}{% endblock main %}",
        )
        .unwrap();
        let err = format!(
            "{:#}",
            load(dir.path(), crate::config::LOOP_LIMIT, &crate::zone::Zone::utc())
                .err()
                .unwrap()
        );
        assert!(err.contains("Block `title` is not defined"), "{err}");
        assert!(err.contains("templates/404.html is built in"), "{err}");
    }

    #[test]
    fn tera_1_macros_get_a_note_on_components() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/macros.html"),
            "{% macro x(a) %}{{ a }}{% endmacro x %}",
        )
        .unwrap();
        let err = format!(
            "{:#}",
            load(dir.path(), crate::config::LOOP_LIMIT, &crate::zone::Zone::utc())
                .err()
                .unwrap()
        );
        assert!(err.contains("templates/macros.html still uses Tera 1 macros"), "{err}");
        assert!(err.contains("`{{ <name x={y}/> }}`"), "{err}");
        assert!(err.contains("macros.html:1:"), "{err}");
    }

    #[test]
    fn undefined_variables_are_errors_naming_template_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/robots.txt"), "ok\n{{ no_such_thing }}").unwrap();
        let t = load(dir.path(), crate::config::LOOP_LIMIT, &crate::zone::Zone::utc()).unwrap();
        let err = t
            .tera
            .render("robots.txt", &tera::Context::new())
            .unwrap_err()
            .to_string();
        assert!(err.contains("no_such_thing"), "{err}");
        assert!(err.contains("robots.txt:2:"), "{err}");
    }
}

#[cfg(test)]
mod asset_tests {
    use super::*;

    #[test]
    fn the_fonts_come_only_with_the_built_in_stylesheet() {
        let paths = |own: &[&str]| -> Vec<&str> {
            defaults_needed(DEFAULT_ASSETS, &|p| own.contains(&p))
                .into_iter()
                .map(|(p, _, _)| *p)
                .collect()
        };
        let bare = paths(&[]);
        assert!(bare.contains(&"style.css") && bare.contains(&"fonts/noto-sans-cyrillic-400-normal.woff2"));
        let styled = paths(&["style.css", "favicon.svg"]);
        assert_eq!(
            styled,
            ["map/outlines.svg", "search.js"],
            "a site's own stylesheet brings its own fonts"
        );
        assert!(
            !paths(&["fonts/OFL.txt"]).contains(&"fonts/OFL.txt"),
            "a file of the site's own is kept"
        );
    }
}
