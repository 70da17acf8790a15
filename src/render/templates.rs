//! Tera setup: the site's `templates/` folder, with built-in defaults for any template it lacks.
//! The defaults are the portal's own templates, compiled into the binary.

use std::path::Path;

use anyhow::{Context, Result};
use tera::Tera;

pub const TEMPLATES_DIR: &str = "templates";

/// Every template the build renders, with its built-in default.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
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

/// Loads `root/templates/**` (`.html`, `.xml`, `.txt`) over the built-in defaults and compiles
/// them once.
pub fn load(root: &Path) -> Result<Tera> {
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
    let mut tera = Tera::default();
    tera.add_raw_templates(all)
        .map_err(|e| anyhow::Error::new(e).context(format!("A template in {}/ has an error", TEMPLATES_DIR)))?;
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    tera.set_escape_fn(escape);
    Ok(tera)
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
        let tera = load(dir.path()).unwrap();
        assert!(tera.get_template_names().any(|n| n == "article.html"));
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/robots.txt"), "own").unwrap();
        std::fs::write(dir.path().join("templates/.robots.txt.swp"), "{{ broken").unwrap();
        let tera = load(dir.path()).unwrap();
        assert_eq!(tera.render("robots.txt", &tera::Context::new()).unwrap(), "own");
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
        let err = format!("{:#}", load(dir.path()).unwrap_err());
        assert!(err.contains("tag.html"), "{err}");
    }
}
