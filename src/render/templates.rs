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
    ("macros.html", include_str!("../../templates/macros.html")),
    ("map.html", include_str!("../../templates/map.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("cities.html", include_str!("../../templates/cities.html")),
    ("city.html", include_str!("../../templates/city.html")),
    ("tags.html", include_str!("../../templates/tags.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("language.html", include_str!("../../templates/language.html")),
    ("rss.xml", include_str!("../../templates/rss.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("robots.txt", include_str!("../../templates/robots.txt")),
];

/// Files the built-in templates link to, written where the site's `static/` has none of its own.
pub const DEFAULT_ASSETS: &[(&str, &[u8])] = &[
    ("map/outlines.svg", include_bytes!("../../static/map/outlines.svg")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
];

/// The compiled templates, and what each page template refers to (with the templates it
/// extends, imports and includes), so a page's context holds only what its template can use.
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

    /// The UI keys `template` uses as `ui.KEY`; `None` when it hands `ui` on whole (to a macro,
    /// a loop, `ui[…]`), so it needs every key.
    pub fn ui_keys(&self, template: &str) -> Option<BTreeSet<String>> {
        let text = self.uses.get(template)?;
        let mut keys = BTreeSet::new();
        for (i, _) in text.match_indices("ui") {
            let before = text[..i].chars().next_back();
            if before.is_some_and(is_ident) {
                continue;
            }
            let rest = &text[i + 2..];
            match rest.strip_prefix('.') {
                Some(key) => {
                    let key: String = key.chars().take_while(|c| is_ident(*c)).collect();
                    keys.insert(key);
                }
                None if rest.chars().next().is_some_and(is_ident) => {}
                None => return None,
            }
        }
        Some(keys)
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Each template's text joined with the texts of the templates it extends, imports or
/// includes, recursively.
fn closures(sources: &[(String, String)]) -> HashMap<String, String> {
    let by_name: HashMap<&str, &str> = sources.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let refers = |text: &str| -> Vec<String> {
        let mut out = Vec::new();
        for tag in ["extends", "import", "include"] {
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
            let mut text = String::new();
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
pub fn load(root: &Path) -> Result<Templates> {
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
    let mut all: Vec<(String, String)> = DEFAULTS
        .iter()
        .filter(|(name, _)| !own.iter().any(|(n, _)| n == name))
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    all.extend(own);
    let uses = closures(&all);
    let mut tera = Tera::default();
    tera.add_raw_templates(all)
        .map_err(|e| anyhow::Error::new(e).context(format!("A template in {}/ has an error", TEMPLATES_DIR)))?;
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    tera.set_escape_fn(escape);
    Ok(Templates { tera, uses })
}

/// Escapes text for HTML and XML (text and quoted attributes). Unlike Tera's default it leaves
/// `/` alone, so URLs stay readable.
pub fn escape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The escaped bytes are ASCII, so every cut is on a character boundary.
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_compile_and_site_templates_override_them() {
        let dir = tempfile::tempdir().unwrap();
        let t = load(dir.path()).unwrap();
        assert!(t.tera.get_template_names().any(|n| n == "article.html"));
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/robots.txt"), "own").unwrap();
        std::fs::write(dir.path().join("templates/.robots.txt.swp"), "{{ broken").unwrap();
        let t = load(dir.path()).unwrap();
        assert_eq!(t.tera.render("robots.txt", &tera::Context::new()).unwrap(), "own");
    }

    #[test]
    fn what_templates_use_follows_extends_imports_and_includes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        let w = |name: &str, text: &str| std::fs::write(dir.path().join("templates").join(name), text).unwrap();
        w("base.html", "{{ ui.home }}{% block main %}{% endblock main %}");
        w("parts.html", "{% macro x(a) %}{{ a.title }}{% endmacro x %}");
        w("tag.html", "{% extends \"base.html\" %}{% import \"parts.html\" as p %}{% block main %}{{ ui.next }}{% endblock main %}");
        w(
            "tags.html",
            "{% extends 'base.html' %}{% block main %}{% include \"side.html\" %}{% endblock main %}",
        );
        w(
            "side.html",
            "{% for k, v in ui %}{{ v }}{% endfor %}{{ related_stuff }}",
        );
        let t = load(dir.path()).unwrap();
        let keys: Vec<String> = t.ui_keys("tag.html").unwrap().into_iter().collect();
        assert_eq!(keys, ["home", "next"]);
        assert!(t.ui_keys("tags.html").is_none(), "handing ui on whole needs every key");
        assert!(!t.mentions("tag.html", "related"));
        assert!(!t.mentions("tags.html", "related"), "related_stuff is another name");
        assert!(
            t.mentions("article.html", "related"),
            "the portal's article template shows related articles"
        );
        assert!(
            t.mentions("no-such.html", "related"),
            "unknown templates get everything"
        );
    }

    #[test]
    fn escaping_covers_markup_and_quotes_but_not_slashes() {
        assert_eq!(
            escape("<a href=\"/x\">R&D's</a>"),
            "&lt;a href=&quot;/x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;"
        );
    }

    #[test]
    fn syntax_errors_name_the_template() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/tag.html"), "{% if %}").unwrap();
        let err = format!("{:#}", load(dir.path()).err().unwrap());
        assert!(err.contains("tag.html"), "{err}");
    }
}
