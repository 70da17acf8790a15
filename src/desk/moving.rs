//! Moving an article whose date changed: its file names and address carry the date they were
//! written with (`2026-11-20-…`), so a new date leaves them saying another day. The desk offers
//! to move it: every language file to the new stem (and the new year's folder), the old address
//! kept as an alias of each language (a 301 through the nginx map), its photos beside it. All
//! files are checked before any is written, and a move never overwrites.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use toml_edit::{Array, DocumentMut, Item, Value};

use super::articles::DeskArticle;
use crate::urls::Urls;

/// The stem an article dated `date` (`2025-01-15`) should have, when its stem starts with
/// another date: `2026-11-20-visit` → `2025-01-15-visit`. `None` when it agrees, or when the
/// stem does not start with a date (then it says nothing of the day).
pub fn moved_stem(stem: &str, date: &str) -> Option<String> {
    let date = date.trim().get(..10)?;
    jiff::civil::Date::strptime("%Y-%m-%d", date).ok()?;
    let prefix = stem.get(..10)?;
    jiff::civil::Date::strptime("%Y-%m-%d", prefix).ok()?;
    let rest = stem.get(10..)?;
    (prefix != date).then(|| format!("{date}{rest}"))
}

/// One file to write and the one it replaces.
#[derive(Debug)]
pub struct Step {
    pub from: PathBuf,
    pub to: PathBuf,
    /// The new text (`None`: a photo, moved as it is).
    pub text: Option<String>,
}

/// What moving `article` to `new_stem` writes (paths relative to `root`): each language file
/// under the new name with the old address added to its `aliases`, and, when the year's
/// folder changes, the photos beside it. Refuses when a new name is taken.
pub fn plan(root: &Path, article: &DeskArticle, new_stem: &str) -> Result<Vec<Step>> {
    let folder = new_folder(&article.folder, new_stem);
    let mut steps = Vec::new();
    for (lang, file) in &article.files {
        let to = folder.join(format!("{new_stem}.{lang}.md"));
        if root.join(&to).exists() {
            bail!("{} exists already: the article cannot move there", to.display());
        }
        let text = with_alias(&file.text, &format!("/{}", Urls::article(lang, &article.stem)))
            .with_context(|| format!("{} cannot be moved", file.rel.display()))?;
        steps.push(Step {
            from: file.rel.clone(),
            to,
            text: Some(text),
        });
    }
    if folder != article.folder {
        let photos: std::collections::BTreeSet<String> = article
            .files
            .values()
            .filter_map(|f| f.source.as_ref())
            .flat_map(|s| s.photos.iter().map(|p| p.file.clone()))
            .collect();
        for photo in photos {
            let (from, to) = (article.folder.join(&photo), folder.join(&photo));
            if root.join(&from).is_file() {
                if root.join(&to).exists() {
                    bail!("{} exists already: the article's photo cannot move there", to.display());
                }
                steps.push(Step { from, to, text: None });
            }
        }
    }
    Ok(steps)
}

/// Carries out `steps`: the new files written (never over one), then the old ones removed.
pub fn run(root: &Path, steps: &[Step]) -> Result<()> {
    for step in steps {
        let to = root.join(&step.to);
        match &step.text {
            Some(text) => super::save::write_new(&to, text.as_bytes())?,
            None => {
                if let Some(dir) = to.parent() {
                    std::fs::create_dir_all(dir).with_context(|| format!("Cannot create {}", dir.display()))?;
                }
                std::fs::hard_link(root.join(&step.from), &to)
                    .or_else(|_| std::fs::copy(root.join(&step.from), &to).map(|_| ()))
                    .with_context(|| format!("Cannot move {} to {}", step.from.display(), step.to.display()))?;
            }
        }
    }
    for step in steps {
        std::fs::remove_file(root.join(&step.from))
            .with_context(|| format!("Cannot remove {}", step.from.display()))?;
    }
    Ok(())
}

/// The folder for `new_stem`: a year's folder (`content/news/2026`) follows the new year;
/// any other folder stays.
fn new_folder(folder: &Path, new_stem: &str) -> PathBuf {
    let is_year = folder
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()));
    match (is_year, folder.parent()) {
        (true, Some(parent)) => parent.join(&new_stem[..4]),
        _ => folder.to_path_buf(),
    }
}

/// `text` with `alias` added to its front matter's `aliases` (once).
fn with_alias(text: &str, alias: &str) -> Result<String> {
    let split =
        crate::content::frontmatter::split(text).map_err(|e| anyhow::anyhow!("line {}: {}", e.line, e.message))?;
    let mut doc: DocumentMut = split.front.parse().context("the front matter is not TOML")?;
    let mut list = match doc.get("aliases").and_then(Item::as_array) {
        Some(a) => a.clone(),
        None => Array::new(),
    };
    if !list.iter().any(|v| v.as_str() == Some(alias)) {
        list.push(alias);
    }
    doc.insert("aliases", Item::Value(Value::Array(list)));
    let mut front = doc.to_string();
    if !front.ends_with('\n') {
        front.push('\n');
    }
    let offset = |piece: &str| piece.as_ptr() as usize - text.as_ptr() as usize;
    let start = offset(split.front);
    Ok(format!(
        "{}{front}{}",
        &text[..start],
        &text[start + split.front.len()..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stem_follows_its_date_only_when_it_starts_with_one() {
        assert_eq!(
            moved_stem("2026-11-20-visit", "2025-01-15").as_deref(),
            Some("2025-01-15-visit")
        );
        assert_eq!(moved_stem("2026-11-20-visit", "2026-11-20"), None);
        assert_eq!(
            moved_stem("2026-11-20-visit", "2025-01-15T10:00:00+05:00").as_deref(),
            Some("2025-01-15-visit")
        );
        assert_eq!(moved_stem("visit", "2025-01-15"), None);
        assert_eq!(moved_stem("2026-11-20-visit", "15.01.2025"), None);
    }

    #[test]
    fn the_old_address_is_added_once_keeping_the_rest() {
        let text = "+++\ntitle = \"T\" # headline\naliases = [\"/ru/news/older/\"]\n+++\n\nBody\n";
        let out = with_alias(text, "/ru/news/old/").unwrap();
        assert_eq!(
            out,
            "+++\ntitle = \"T\" # headline\naliases = [\"/ru/news/older/\", \"/ru/news/old/\"]\n+++\n\nBody\n"
        );
        assert_eq!(with_alias(&out, "/ru/news/old/").unwrap(), out);
    }

    #[test]
    fn a_move_onto_an_existing_article_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let text =
            "+++\ntitle = \"T\"\ndate = 2025-01-15\nregion = \"almaty\"\npartners = [\"shanghai\"]\n+++\n\nBody\n";
        let rel = Path::new("content/news/2026/2026-11-20-visit.ru.md");
        super::super::save::write_new(&dir.path().join(rel), text.as_bytes()).unwrap();
        let taken = Path::new("content/news/2025/2025-01-15-visit.ru.md");
        super::super::save::write_new(&dir.path().join(taken), b"another article").unwrap();
        let file = super::super::articles::read_file(rel, "2026-11-20-visit", "ru", text.to_string());
        let article = DeskArticle {
            id: "2026/2026-11-20-visit".into(),
            stem: "2026-11-20-visit".into(),
            folder: PathBuf::from("content/news/2026"),
            files: [("ru".to_string(), std::sync::Arc::new(file))].into(),
        };
        let err = plan(dir.path(), &article, "2025-01-15-visit").unwrap_err().to_string();
        assert!(err.contains("2025-01-15-visit.ru.md exists already"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join(taken)).unwrap(),
            "another article"
        );
        assert!(dir.path().join(rel).is_file());
    }

    #[test]
    fn a_years_folder_follows_the_year() {
        assert_eq!(
            new_folder(Path::new("content/news/2026"), "2025-01-15-x"),
            Path::new("content/news/2025")
        );
        assert_eq!(
            new_folder(Path::new("content/news/asia"), "2025-01-15-x"),
            Path::new("content/news/asia")
        );
    }
}
