//! The one table of content types, by file extension: the preview server sends them, the crawler
//! checks them, and the browser tests' static server reads the same table
//! (`twinpress mime-types` prints it).

use std::path::Path;

/// `(extension, content type)`; `rss.xml` is told apart by its name.
pub const TYPES: &[(&str, &str)] = &[
    ("html", "text/html; charset=utf-8"),
    ("htm", "text/html; charset=utf-8"),
    ("css", "text/css; charset=utf-8"),
    ("js", "text/javascript; charset=utf-8"),
    ("mjs", "text/javascript; charset=utf-8"),
    ("xml", "application/xml; charset=utf-8"),
    ("json", "application/json"),
    ("txt", "text/plain; charset=utf-8"),
    ("svg", "image/svg+xml"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("avif", "image/avif"),
    ("ico", "image/x-icon"),
    ("woff2", "font/woff2"),
    ("woff", "font/woff"),
    ("ttf", "font/ttf"),
    ("pdf", "application/pdf"),
];

pub const RSS: &str = "application/rss+xml; charset=utf-8";
pub const UNKNOWN: &str = "application/octet-stream";

/// The content type of a file, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext == "xml" && path.file_name().is_some_and(|n| n == "rss.xml") {
        return RSS;
    }
    TYPES.iter().find(|(e, _)| *e == ext).map_or(UNKNOWN, |(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_by_extension_and_feeds_by_name() {
        assert_eq!(content_type(Path::new("a/index.HTML")), "text/html; charset=utf-8");
        assert_eq!(content_type(Path::new("ru/rss.xml")), RSS);
        assert_eq!(content_type(Path::new("sitemap.xml")), "application/xml; charset=utf-8");
        assert_eq!(content_type(Path::new("x.webp")), "image/webp");
        assert_eq!(content_type(Path::new("Makefile")), UNKNOWN);
        for (name, kind) in [
            ("style.css", "text/css; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("map.svg", "image/svg+xml"),
            ("a.PNG", "image/png"),
            ("a.jpg", "image/jpeg"),
            ("font.woff2", "font/woff2"),
        ] {
            assert_eq!(content_type(Path::new(name)), kind, "{name}");
        }
    }
}
