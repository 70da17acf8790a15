//! The one table of content types, by file extension: the preview server sends them, the crawler
//! checks them, and the browser tests' static server and the nginx deploy read the same table
//! (`twinpress mime-types [--format nginx]` prints it).

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

pub const UNKNOWN: &str = "application/octet-stream";

/// The content type of a file, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    TYPES.iter().find(|(e, _)| *e == ext).map_or(UNKNOWN, |(_, t)| t)
}

/// The table as a JSON object from `.ext` to content type. Feeds are `.xml` as any XML:
/// `application/rss+xml` would make a browser show a feed's text (Chromium) or download it,
/// where `application/xml` lets it show the feed with the stylesheet the feed names
/// (`feed.css`); feed readers take either.
pub fn json() -> String {
    let mut map = serde_json::Map::new();
    for (ext, kind) in TYPES {
        map.insert(format!(".{ext}"), (*kind).into());
    }
    format!("{}\n", serde_json::Value::Object(map))
}

/// The table as nginx configuration: a `types` block (media types without parameters, which
/// nginx does not take there) and the `charset_types` that get `; charset=utf-8` added, so nginx
/// sends exactly what the preview server sends.
pub fn nginx() -> String {
    let mut out = String::from("# twinpress mime-types --format nginx\ntypes {\n");
    let mut charset: Vec<&str> = Vec::new();
    let mut by_type: Vec<(&str, Vec<&str>)> = Vec::new();
    for (ext, kind) in TYPES {
        let media = kind.split(';').next().unwrap_or(kind).trim();
        if kind.contains("charset=") && !charset.contains(&media) {
            charset.push(media);
        }
        match by_type.iter_mut().find(|(m, _)| *m == media) {
            Some((_, exts)) => exts.push(ext),
            None => by_type.push((media, vec![ext])),
        }
    }
    for (media, exts) in by_type {
        out.push_str(&format!("    {media} {};\n", exts.join(" ")));
    }
    out.push_str("}\n");
    charset.retain(|m| *m != "text/html"); // nginx always counts text/html
    out.push_str(&format!("charset_types {};\n", charset.join(" ")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_prints_for_tests_and_nginx() {
        let json: serde_json::Value = serde_json::from_str(&json()).unwrap();
        assert_eq!(json[".css"], "text/css; charset=utf-8");
        assert_eq!(json[".xml"], "application/xml; charset=utf-8");
        assert_eq!(json.as_object().unwrap().len(), TYPES.len());
        let nginx = nginx();
        assert!(nginx.contains("    text/html html htm;\n"), "{nginx}");
        assert!(nginx.contains("    image/jpeg jpg jpeg;\n"), "{nginx}");
        assert!(
            !nginx.contains("charset=utf-8;"),
            "nginx takes no parameters in types: {nginx}"
        );
        let charset = nginx.lines().find(|l| l.starts_with("charset_types")).unwrap();
        assert!(
            charset.contains(" text/css ") && !charset.contains("image/svg+xml"),
            "{charset}"
        );
    }

    #[test]
    fn types_by_extension_feeds_as_xml() {
        assert_eq!(content_type(Path::new("a/index.HTML")), "text/html; charset=utf-8");
        assert_eq!(content_type(Path::new("ru/rss.xml")), "application/xml; charset=utf-8");
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
