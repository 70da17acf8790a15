//! Watching the site for edits: notify events, debounced, pass through the pure [`classify`],
//! which says what kind of rebuild they need. Editors' save patterns (write a temporary file
//! and rename it, several quick saves, swap files) end in one rebuild of the real file.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use super::rebuild::Changes;
use crate::content::is_ignored;

/// How long events gather before a rebuild: one save is often several events.
pub const DEBOUNCE: Duration = Duration::from_millis(25);

/// What an event says of its path: a file, a folder, or nothing either way (a rename).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    File,
    Folder,
}

impl Seen {
    /// What `kind` says of `path`; where it says nothing, the path is looked at: a folder now,
    /// or gone (a folder moved away is as gone as a file), counts as a folder, since a rescan
    /// of the news is right for either.
    pub fn of(kind: &EventKind, path: &Path) -> Seen {
        use notify_debouncer_full::notify::event::{CreateKind, RemoveKind};
        match kind {
            EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder) => Seen::Folder,
            EventKind::Create(CreateKind::File) | EventKind::Remove(RemoveKind::File) => Seen::File,
            EventKind::Modify(ModifyKind::Data(_)) => Seen::File,
            _ => match std::fs::symlink_metadata(path) {
                Ok(m) if !m.is_dir() => Seen::File,
                _ => Seen::Folder,
            },
        }
    }
}

/// What the watched paths mean for the site under `root`. Whether a path under `content/news`
/// is a folder is told by its event ([`Seen`]), never guessed from its name: a year's folder is
/// all digits, as vim's probe files (`4913`) are.
pub fn classify<'a>(root: &Path, paths: impl IntoIterator<Item = (&'a Path, Seen)>) -> Changes {
    let mut changes = Changes::default();
    for (path, seen) in paths {
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
            // Pages are few: any change to one, its photos or its folder reads content/ again.
            ["content", "pages", ..] => changes.pages = true,
            ["content", "news", .., last] if last.ends_with(".md") => {
                changes.articles.insert(rel.to_path_buf());
            }
            ["content", "news", .., last] if crate::content::article::is_photo_name(last) => {
                changes.photos.insert(rel.to_path_buf());
            }
            // A folder appeared, vanished or was renamed.
            ["content", "news", ..] if seen == Seen::Folder => changes.rescan = true,
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

/// The folders watched below the root, each with all it holds.
const WATCHED: [&str; 3] = ["content", "templates", "static"];

/// The watcher, kept alive by whoever holds it (and by its own event handler, which adds a
/// watched folder that appears).
pub type Watching = Arc<Mutex<Option<Debouncer<RecommendedWatcher, RecommendedCache>>>>;

/// Watches `root`'s site.toml, content/, templates/ and static/, sending each debounced batch
/// of edits that matters. A watched folder the site did not have when `serve` started (a first
/// `templates/`), or one removed and made again, is watched from the batch that shows it
/// appear; what it holds by then is counted as changed, since its files' own events may have
/// come before the watch.
pub fn watch(root: &Path, tx: Sender<Changes>) -> Result<Watching> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let slot: Watching = Arc::new(Mutex::new(None));
    let handler_slot = Arc::clone(&slot);
    let root_for_events = root.clone();
    let debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        if let Err(errors) = &result {
            // Said on the terminal; one that may have cost an edit's event reads everything.
            let mut lost = false;
            for e in errors {
                if let Some(said) = watch_problem(e) {
                    eprintln!("warning: {said}");
                    lost = true;
                }
            }
            if lost {
                let _ = tx.send(Changes {
                    lost: true,
                    ..Changes::default()
                });
            }
        }
        if let Ok(events) = result {
            // Reads (our own rebuild reads every changed file) and metadata changes are not edits.
            let mut paths: Vec<(PathBuf, Seen)> = events
                .iter()
                .filter(|e| is_edit(&e.kind))
                .flat_map(|e| e.paths.iter().map(|p| (p.clone(), Seen::of(&e.kind, p))))
                .collect();
            let appeared = appeared(&root_for_events, &paths);
            if !appeared.is_empty() {
                if let Some(debouncer) = handler_slot.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
                    for dir in &appeared {
                        let _ = debouncer.watch(dir, RecursiveMode::Recursive);
                    }
                }
                for dir in &appeared {
                    paths.extend(
                        walkdir::WalkDir::new(dir)
                            .into_iter()
                            .filter_map(Result::ok)
                            .filter(|e| e.file_type().is_file())
                            .map(|e| (e.into_path(), Seen::File)),
                    );
                }
            }
            let mut changes = classify(&root_for_events, paths.iter().map(|(p, seen)| (p.as_path(), *seen)));
            changes.lost = lost(&events);
            if !changes.is_empty() {
                let _ = tx.send(changes);
            }
        }
    })
    .context("Cannot watch the site for changes")?;
    let mut guard = slot.lock().unwrap_or_else(|e| e.into_inner());
    let debouncer = guard.insert(debouncer);
    let cannot = |path: &Path, e: notify_debouncer_full::notify::Error| {
        let said = watch_problem(&e).unwrap_or_else(|| e.to_string());
        anyhow::anyhow!("Cannot watch {} for edits: {said}", path.display())
    };
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| cannot(&root, e))?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| cannot(&path, e))?;
        }
    }
    drop(guard);
    Ok(slot)
}

/// What a watcher's error means for the editor, in words, with what to do; `None` for one that
/// costs no edit (a folder removed while it was being watched).
fn watch_problem(e: &notify_debouncer_full::notify::Error) -> Option<String> {
    use notify_debouncer_full::notify::ErrorKind;
    let paths: Vec<String> = e.paths.iter().map(|p| p.display().to_string()).collect();
    let at = if paths.is_empty() {
        String::new()
    } else {
        format!(" ({})", paths.join(", "))
    };
    match &e.kind {
        ErrorKind::PathNotFound | ErrorKind::WatchNotFound => None,
        ErrorKind::MaxFilesWatch => Some(format!(
            "the system's limit of watched folders is reached{at}: edits there are not seen. Raise it \
             (sudo sysctl fs.inotify.max_user_watches=524288, and in /etc/sysctl.d/ to keep it) and \
             start serve again"
        )),
        _ => Some(format!(
            "watching the site for edits failed{at}: {e}; everything is read again"
        )),
    }
}

/// Whether the system says it lost events among `events` (inotify's queue overflowed): then
/// no list of paths is the whole of what changed.
fn lost(events: &[notify_debouncer_full::DebouncedEvent]) -> bool {
    events.iter().any(|e| e.need_rescan())
}

/// The watched folders (`content/`, `templates/`, `static/`) that `paths` show appearing under
/// `root`: made, or moved into place, and folders now.
fn appeared(root: &Path, paths: &[(PathBuf, Seen)]) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = paths
        .iter()
        .filter(|(p, _)| p.parent() == Some(root))
        .filter(|(p, _)| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| WATCHED.contains(&n))
        })
        .filter(|(p, _)| p.is_dir())
        .map(|(p, _)| p.clone())
        .collect();
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::event::{AccessKind, CreateKind, MetadataKind, RenameMode};

    /// Paths as events of files would name them; a path ending in `/` as a folder's.
    fn classify_all(paths: &[&str]) -> Changes {
        let root = Path::new("/site");
        let full: Vec<(PathBuf, Seen)> = paths
            .iter()
            .map(|p| match p.strip_suffix('/') {
                Some(folder) => (root.join(folder), Seen::Folder),
                None => (root.join(p), Seen::File),
            })
            .collect();
        classify(root, full.iter().map(|(p, seen)| (p.as_path(), *seen)))
    }

    #[test]
    fn each_kind_of_file_gets_its_rebuild() {
        assert!(classify_all(&["site.toml"]).config);
        assert!(classify_all(&["templates/partials/card.html"]).templates);
        assert!(classify_all(&["content/cities/almaty.toml"]).cities);
        assert!(classify_all(&["content/pages/about.kk.md"]).pages);
        assert!(classify_all(&["content/pages/about-1.jpg"]).pages);
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
    fn watch_errors_say_what_to_do_and_a_removed_folder_says_nothing() {
        use notify_debouncer_full::notify::{Error, ErrorKind};
        let limit = Error::new(ErrorKind::MaxFilesWatch).add_path(PathBuf::from("/site/content/news/2026"));
        let said = watch_problem(&limit).unwrap();
        assert!(said.contains("/site/content/news/2026"), "{said}");
        assert!(said.contains("fs.inotify.max_user_watches"), "{said}");
        assert_eq!(watch_problem(&Error::path_not_found()), None);
        assert_eq!(watch_problem(&Error::new(ErrorKind::WatchNotFound)), None);
        let io = Error::io(std::io::Error::other("read failed"));
        assert!(watch_problem(&io).unwrap().contains("read failed"));
    }

    #[test]
    fn lost_events_are_told_apart_from_edits() {
        use notify_debouncer_full::notify::event::Flag;
        use notify_debouncer_full::notify::Event;
        use notify_debouncer_full::DebouncedEvent;
        let edit = DebouncedEvent::new(
            Event::new(EventKind::Create(CreateKind::File)).add_path(PathBuf::from("/site/content/news/2025/a.ru.md")),
            std::time::Instant::now(),
        );
        // What inotify sends when its queue overflowed, as the debouncer passes it on.
        let overflow = DebouncedEvent::new(
            Event::new(EventKind::Other).set_flag(Flag::Rescan),
            std::time::Instant::now(),
        );
        assert!(!lost(std::slice::from_ref(&edit)));
        assert!(lost(&[edit, overflow]));
    }

    #[test]
    fn folder_renames_rescan_the_news() {
        assert!(classify_all(&["content/news/2024/", "content/news/archive-2024/"]).rescan);
        assert!(classify_all(&["content/news/"]).rescan);
        // A year's folder is all digits, like vim's probe file: the event tells them apart.
        assert!(classify_all(&["content/news/2025/"]).rescan);
        assert!(!classify_all(&["content/news/2025/4913"]).rescan);
    }

    #[test]
    fn a_rename_is_looked_at_a_vanished_path_rescans() {
        let dir = tempfile::tempdir().unwrap();
        let rename = EventKind::Modify(ModifyKind::Name(RenameMode::Any));
        std::fs::create_dir(dir.path().join("2025")).unwrap();
        std::fs::write(dir.path().join("4913"), "").unwrap();
        assert_eq!(Seen::of(&rename, &dir.path().join("2025")), Seen::Folder);
        assert_eq!(Seen::of(&rename, &dir.path().join("4913")), Seen::File);
        assert_eq!(Seen::of(&rename, &dir.path().join("gone")), Seen::Folder);
        assert_eq!(
            Seen::of(&EventKind::Create(CreateKind::File), &dir.path().join("gone")),
            Seen::File
        );
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
        assert!(classify(
            Path::new("/site"),
            [(Path::new("/tmp/twinpress-serve/ru/index.html"), Seen::File)]
        )
        .is_empty());
    }

    #[test]
    fn a_watched_folder_that_appears_is_found_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::create_dir_all(root.join("public")).unwrap();
        std::fs::write(root.join("static"), "a file, not a folder").unwrap();
        let paths: Vec<(PathBuf, Seen)> = ["templates", "public", "static", "templates/x.html"]
            .iter()
            .map(|p| (root.join(p), Seen::Folder))
            .collect();
        assert_eq!(appeared(root, &paths), [root.join("templates")]);
    }
}
