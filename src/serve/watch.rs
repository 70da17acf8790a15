//! Watching the site for edits: notify events, debounced, pass through the pure [`classify`],
//! which says what kind of rebuild they need. Editors' save patterns (write a temporary file
//! and rename it, several quick saves, swap files) end in one rebuild of the real file.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use anyhow::{Context, Result};
use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use super::rebuild::Changes;
use crate::content::is_ignored;

/// How long events gather before a rebuild: one save is often several events.
pub const DEBOUNCE: Duration = Duration::from_millis(25);

/// What the watched paths mean for the site under `root`.
pub fn classify<'a>(root: &Path, paths: impl IntoIterator<Item = &'a Path>) -> Changes {
    let mut changes = Changes::default();
    for path in paths {
        let Ok(rel) = path.strip_prefix(root) else { continue };
        let parts: Vec<&str> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => s.to_str(),
                _ => None,
            })
            .collect();
        // Hidden folders and files, swap files, backups: never the site.
        if parts.is_empty() || parts.iter().any(|p| is_ignored(p)) {
            continue;
        }
        match parts.as_slice() {
            ["site.toml"] => changes.config = true,
            ["templates", ..] => changes.templates = true,
            ["static", _, ..] => {
                changes.static_files.insert(rel.to_path_buf());
            }
            ["content", "cities", ..] => changes.cities = true,
            ["content", "news", .., last] if last.ends_with(".md") => {
                changes.articles.insert(rel.to_path_buf());
            }
            ["content", "news", .., last] if crate::content::article::is_photo_name(last) => {
                changes.photos.insert(rel.to_path_buf());
            }
            // A folder appeared, vanished or was renamed (a file under news/ has an extension;
            // vim's all-digit probe files, 4913 and on, are not folders).
            ["content", "news", .., last] if !last.contains('.') && !last.bytes().all(|b| b.is_ascii_digit()) => {
                changes.rescan = true
            }
            ["content"] | ["content", "news"] => changes.rescan = true,
            _ => {}
        }
    }
    changes
}

/// Whether an event changes a file's content or existence.
pub fn is_edit(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// Watches `root`'s site.toml, content/, templates/ and static/, sending each debounced batch
/// of edits that matters.
pub fn watch(root: &Path, tx: Sender<Changes>) -> Result<Debouncer<RecommendedWatcher, RecommendedCache>> {
    let root_for_events = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            // Reads (our own rebuild reads every changed file) and metadata changes are not edits.
            let paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| is_edit(&e.kind))
                .flat_map(|e| e.paths.iter().cloned())
                .collect();
            let changes = classify(&root_for_events, paths.iter().map(PathBuf::as_path));
            if !changes.is_empty() {
                let _ = tx.send(changes);
            }
        }
    })
    .context("Cannot watch the site for changes")?;
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .with_context(|| format!("Cannot watch {}", root.display()))?;
    for dir in ["content", "templates", "static"] {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .with_context(|| format!("Cannot watch {}", path.display()))?;
        }
    }
    Ok(debouncer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::event::{AccessKind, CreateKind, MetadataKind, RenameMode};

    fn classify_all(paths: &[&str]) -> Changes {
        let root = Path::new("/site");
        let full: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
        classify(root, full.iter().map(PathBuf::as_path))
    }

    #[test]
    fn each_kind_of_file_gets_its_rebuild() {
        assert!(classify_all(&["site.toml"]).config);
        assert!(classify_all(&["templates/partials/card.html"]).templates);
        assert!(classify_all(&["content/cities/almaty.toml"]).cities);
        let c = classify_all(&["content/news/2025/x.ru.md", "static/style.css"]);
        assert_eq!(
            c.articles.iter().collect::<Vec<_>>(),
            [Path::new("content/news/2025/x.ru.md")]
        );
        assert!(c.static_files.contains(Path::new("static/style.css")));
        assert!(!c.config && !c.templates && !c.cities && !c.rescan);
        // A photo beside articles: the articles that name it are read again.
        let c = classify_all(&["content/news/2025/lead.JPG", "content/news/2025/b.webp"]);
        assert_eq!(c.photos.len(), 2);
        assert!(c.articles.is_empty());
    }

    #[test]
    fn editor_temporaries_and_other_files_are_ignored() {
        let c = classify_all(&[
            "content/news/2025/.x.ru.md.swp",
            "content/news/2025/x.ru.md~",
            "content/news/2025/4913",
            "content/news/2025/.#x.ru.md",
            "content/news/2025/notes.txt",
            "public/ru/index.html",
            ".twinpress-cache/photos/0123-480.webp",
            "target/debug/x",
            ".git/index",
            "README.md",
        ]);
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn a_save_through_a_temporary_file_is_one_article_change() {
        // Editors write x.ru.md.tmp or .x.ru.md.swp, then rename it over x.ru.md.
        let c = classify_all(&[
            "content/news/2025/x.ru.md.tmp",
            "content/news/2025/x.ru.md",
            "content/news/2025/x.ru.md",
        ]);
        assert_eq!(c.articles.len(), 1);
        assert!(!c.rescan);
    }

    #[test]
    fn folder_renames_rescan_the_news() {
        assert!(classify_all(&["content/news/2024", "content/news/archive-2024"]).rescan);
        assert!(classify_all(&["content/news"]).rescan);
    }

    #[test]
    fn reads_and_metadata_are_not_edits() {
        assert!(!is_edit(&EventKind::Access(AccessKind::Any)));
        assert!(!is_edit(&EventKind::Modify(ModifyKind::Metadata(MetadataKind::Any))));
        assert!(is_edit(&EventKind::Modify(ModifyKind::Name(RenameMode::To))));
        assert!(is_edit(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn paths_outside_the_site_are_ignored() {
        assert!(classify(Path::new("/site"), [Path::new("/tmp/twinpress-serve/ru/index.html")]).is_empty());
    }
}
