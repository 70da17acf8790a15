//! What the desk knows of the articles: every file under `content/news`, grouped by article
//! (folder and stem) with its languages side by side, each with its front matter or the problems
//! that keep it from parsing. The folder is listed for each page and a file read again whenever
//! its size or time changed, so the desk never shows a file as it was: the files are the truth,
//! and an editor's text editor may change them at any time. The article being edited is read
//! whole, afresh.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::content::article::{parse, split_file_name};
use crate::content::{list_files, ArticleSource, NEWS_DIR};
use crate::diagnostics::Problems;

/// One article: its language files.
#[derive(Debug, Clone)]
pub struct DeskArticle {
    /// `2025/2025-08-29-qinghai-delegation`: the folder under `content/news` and the stem. The
    /// desk's links carry it; a request's id is looked up here, never joined to a path.
    pub id: String,
    pub stem: String,
    /// The folder, relative to the site root.
    pub folder: PathBuf,
    pub files: BTreeMap<String, Arc<LangFile>>,
}

/// One language file of an article.
#[derive(Debug, Clone)]
pub struct LangFile {
    /// Relative to the site root.
    pub rel: PathBuf,
    /// The whole file (empty in a listing: see [`DeskArticle::fresh`]).
    pub text: String,
    /// The front matter, when it parses.
    pub source: Option<ArticleSource>,
    /// The body as written (empty in a listing).
    pub body: String,
    /// What is wrong, as the build says it ("line 3: …").
    pub problems: Vec<String>,
    /// The title, and whether it is a draft, as far as the front matter says them even when
    /// the file has problems (an empty date, say): the list shows a title, not a file name,
    /// and a draft as a draft.
    pub title: String,
    pub draft: bool,
}

impl LangFile {
    /// A fingerprint of the bytes the editor opened, to notice a change on disk at saving.
    pub fn version(&self) -> String {
        version(&self.text)
    }
}

/// The id of the article whose file is `rel` (relative to the site root): its folder under
/// `content/news` and its stem.
pub fn id_of(rel: &Path) -> Option<String> {
    let (stem, _) = split_file_name(rel.file_name()?.to_str()?)?;
    let folder = rel.parent().unwrap_or(Path::new(""));
    Some(match folder.strip_prefix(NEWS_DIR).unwrap_or(folder).to_str()? {
        "" => stem.to_string(),
        dir => format!("{dir}/{stem}"),
    })
}

/// A short hash of a file's text.
pub fn version(text: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

impl DeskArticle {
    /// The title in `lang`, else in any language, else the stem.
    pub fn title(&self, lang: &str) -> String {
        let of = |f: &Arc<LangFile>| Some(f.title.trim().to_string()).filter(|t| !t.is_empty());
        self.files
            .get(lang)
            .and_then(of)
            .or_else(|| self.files.values().find_map(of))
            .unwrap_or_else(|| self.stem.clone())
    }

    /// The first parsed language file.
    pub fn any_source(&self) -> Option<&ArticleSource> {
        self.files.values().find_map(|f| f.source.as_ref())
    }

    pub fn has_problems(&self) -> bool {
        self.files.values().any(|f| !f.problems.is_empty())
    }

    pub fn is_draft(&self) -> bool {
        self.files.values().any(|f| f.draft)
    }
}

/// A file as last listed: its size and time, and what it said then.
type Listed = (u64, Option<SystemTime>, Arc<LangFile>);

/// The articles' files as last listed, by path.
#[derive(Default)]
pub struct Scanner {
    files: Mutex<HashMap<PathBuf, Listed>>,
}

impl Scanner {
    /// Every article of the site at `root` (`languages`: the codes of articles' languages),
    /// newest first (by stem, which starts with the date).
    pub fn scan(&self, root: &Path, languages: &[&str]) -> Vec<DeskArticle> {
        let mut cache = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let mut seen = std::collections::HashSet::new();
        let mut by_id: BTreeMap<String, DeskArticle> = BTreeMap::new();
        // The files the build reads, listed as it lists them (links followed, editors'
        // leftovers skipped); what it cannot list, the build names.
        for rel in list_files(root, NEWS_DIR, true, &mut Problems::default()) {
            let rel = rel.as_path();
            let Some(name) = rel.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some((stem, lang)) = split_file_name(name) else {
                continue;
            };
            if !languages.contains(&lang) {
                continue;
            }
            let folder = rel.parent().unwrap_or(Path::new("")).to_path_buf();
            let Some(id) = id_of(rel) else {
                continue;
            };
            let meta = std::fs::metadata(root.join(rel)).ok();
            let stamp = (
                meta.as_ref().map_or(0, |m| m.len()),
                meta.and_then(|m| m.modified().ok()),
            );
            let file = match cache.get(rel) {
                Some((len, time, file)) if (*len, *time) == stamp => Arc::clone(file),
                _ => {
                    let text = std::fs::read_to_string(root.join(rel)).unwrap_or_default();
                    let mut file = read_file(rel, stem, lang, text);
                    // A listing keeps only what the list shows.
                    file.text = String::new();
                    file.body = String::new();
                    let file = Arc::new(file);
                    cache.insert(rel.to_path_buf(), (stamp.0, stamp.1, Arc::clone(&file)));
                    file
                }
            };
            seen.insert(rel.to_path_buf());
            by_id
                .entry(id.clone())
                .or_insert_with(|| DeskArticle {
                    id,
                    stem: stem.to_string(),
                    folder,
                    files: BTreeMap::new(),
                })
                .files
                .insert(lang.to_string(), file);
        }
        cache.retain(|rel, _| seen.contains(rel));
        let mut all: Vec<DeskArticle> = by_id.into_values().collect();
        all.sort_by(|a, b| b.stem.cmp(&a.stem).then_with(|| a.id.cmp(&b.id)));
        all
    }
}

impl DeskArticle {
    /// The article with each of its files read whole, now.
    pub fn fresh(&self, root: &Path) -> DeskArticle {
        let files = self
            .files
            .iter()
            .map(|(lang, f)| {
                let text = std::fs::read_to_string(root.join(&f.rel)).unwrap_or_default();
                (lang.clone(), Arc::new(read_file(&f.rel, &self.stem, lang, text)))
            })
            .collect();
        DeskArticle { files, ..self.clone() }
    }
}

/// Every article of the site at `root`, read whole (for tests and small tools).
pub fn scan(root: &Path, languages: &[&str]) -> Vec<DeskArticle> {
    Scanner::default()
        .scan(root, languages)
        .into_iter()
        .map(|a| a.fresh(root))
        .collect()
}

/// Parses one file's text as the build does.
pub fn read_file(rel: &Path, stem: &str, lang: &str, text: String) -> LangFile {
    let (source, body, problems) = match parse(rel, stem, lang, &text) {
        Ok((source, body)) => (Some(source), body.to_string(), Vec::new()),
        Err(problems) => {
            let body = crate::content::frontmatter::split(&text)
                .map(|s| s.body.to_string())
                .unwrap_or_default();
            (None, body, problems.iter().map(problem_text).collect())
        }
    };
    let (title, draft) = match &source {
        Some(s) => (s.title.clone(), s.draft),
        None => {
            let front: Option<toml::Table> = crate::content::frontmatter::split(&text)
                .ok()
                .and_then(|s| s.front.parse().ok());
            let get = |key: &str| front.as_ref().and_then(|t| t.get(key).cloned());
            (
                get("title")
                    .and_then(|t| t.as_str().map(str::to_string))
                    .unwrap_or_default(),
                get("draft").and_then(|d| d.as_bool()).unwrap_or(false),
            )
        }
    };
    LangFile {
        rel: rel.to_path_buf(),
        text,
        source,
        body: body.trim_start_matches('\n').to_string(),
        problems,
        title,
        draft,
    }
}

/// "line 4: …" — a problem as the desk shows it beside its file (which the page names).
pub fn problem_text(p: &crate::diagnostics::Problem) -> String {
    match p.line {
        Some(line) => format!("line {line}: {}", p.message),
        None => p.message.clone(),
    }
}

/// What the list shows: each filter empty when not asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub city: String,
    pub tag: String,
    pub year: String,
    /// Articles that have this language.
    pub lang: String,
    /// `draft`, `published`, `untranslated` or `problems`.
    pub state: String,
    /// Words that must all be in a title (any language).
    pub words: String,
}

impl Filter {
    pub fn matches(&self, a: &DeskArticle, languages: &[&str]) -> bool {
        let sources: Vec<&ArticleSource> = a.files.values().filter_map(|f| f.source.as_ref()).collect();
        if !self.city.is_empty()
            && !sources
                .iter()
                .any(|s| s.region.key == self.city || s.partners.iter().any(|p| p.key == self.city))
        {
            return false;
        }
        if !self.tag.is_empty() && !sources.iter().any(|s| s.tags.iter().any(|t| t == &self.tag)) {
            return false;
        }
        if !self.year.is_empty() && !a.stem.starts_with(&self.year) && !a.id.starts_with(&self.year) {
            return false;
        }
        if !self.lang.is_empty() && !a.files.contains_key(&self.lang) {
            return false;
        }
        let ok = match self.state.as_str() {
            "draft" => a.is_draft(),
            "published" => !a.is_draft() && !a.has_problems(),
            "untranslated" => languages.iter().any(|l| !a.files.contains_key(*l)),
            "problems" => a.has_problems(),
            _ => true,
        };
        if !ok {
            return false;
        }
        let words: Vec<String> = self.words.split_whitespace().map(str::to_lowercase).collect();
        if !words.is_empty() {
            let titles: Vec<String> = languages.iter().map(|l| a.title(l).to_lowercase()).collect();
            if !words.iter().all(|w| titles.iter().any(|t| t.contains(w.as_str()))) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let news = dir.path().join("content/news/2025");
        std::fs::create_dir_all(&news).unwrap();
        let article = |title: &str, region: &str, draft: bool| {
            format!(
                "+++\ntitle = \"{title}\"\ndate = 2025-08-29\nregion = \"{region}\"\npartners = [\"qinghai\"]\ntags = [\"делегация\"]\ndraft = {draft}\n+++\n\nText.\n"
            )
        };
        std::fs::write(
            news.join("2025-08-29-a.ru.md"),
            article("Делегация Цинхая", "almaty-region", false),
        )
        .unwrap();
        std::fs::write(
            news.join("2025-08-29-a.kk.md"),
            article("Цинхай делегациясы", "almaty-region", false),
        )
        .unwrap();
        std::fs::write(news.join("2025-09-01-b.ru.md"), article("Черновик", "almaty", true)).unwrap();
        std::fs::write(news.join("2025-09-02-c.kk.md"), "+++\ntitle = 1\n+++\n").unwrap();
        std::fs::write(news.join("notes.txt"), "not an article").unwrap();
        dir
    }

    #[test]
    fn ids_come_from_paths_under_news() {
        assert_eq!(
            id_of(Path::new("content/news/2025/2025-08-29-x.kk.md")).as_deref(),
            Some("2025/2025-08-29-x")
        );
        assert_eq!(id_of(Path::new("content/news/x.ru.md")).as_deref(), Some("x"));
        assert_eq!(id_of(Path::new("content/news/notes.txt")), None);
    }

    #[test]
    fn articles_are_grouped_with_their_languages_newest_first() {
        let dir = site();
        let all = scan(dir.path(), &["kk", "ru"]);
        let ids: Vec<&str> = all.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["2025/2025-09-02-c", "2025/2025-09-01-b", "2025/2025-08-29-a"]);
        assert_eq!(all[2].files.keys().collect::<Vec<_>>(), ["kk", "ru"]);
        assert_eq!(all[2].title("kk"), "Цинхай делегациясы");
        assert!(
            all[0].has_problems(),
            "a file that does not parse is listed with its problem"
        );
        assert!(
            all[0].files["kk"].problems[0].starts_with("line 2:"),
            "{:?}",
            all[0].files["kk"].problems
        );
    }

    #[test]
    fn a_listing_rereads_only_files_that_changed_and_forgets_removed_ones() {
        let dir = site();
        let scanner = Scanner::default();
        let first = scanner.scan(dir.path(), &["kk", "ru"]);
        let again = scanner.scan(dir.path(), &["kk", "ru"]);
        let file = |all: &[DeskArticle], stem: &str, lang: &str| {
            Arc::clone(&all.iter().find(|a| a.stem == stem).unwrap().files[lang])
        };
        assert!(
            Arc::ptr_eq(&file(&first, "2025-08-29-a", "ru"), &file(&again, "2025-08-29-a", "ru")),
            "unchanged: not read again"
        );
        assert!(first[0].files["kk"].text.is_empty(), "a listing keeps no text");
        let path = dir.path().join("content/news/2025/2025-08-29-a.ru.md");
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("Делегация Цинхая", "Делегация провинции Цинхай");
        std::fs::write(&path, text).unwrap();
        std::fs::remove_file(dir.path().join("content/news/2025/2025-09-01-b.ru.md")).unwrap();
        let after = scanner.scan(dir.path(), &["kk", "ru"]);
        assert_eq!(
            after.iter().find(|a| a.stem == "2025-08-29-a").unwrap().title("ru"),
            "Делегация провинции Цинхай"
        );
        assert!(!after.iter().any(|a| a.stem == "2025-09-01-b"));
        let fresh = after
            .iter()
            .find(|a| a.stem == "2025-08-29-a")
            .unwrap()
            .fresh(dir.path());
        assert!(fresh.files["ru"].text.contains("провинции") && fresh.files["ru"].body.trim() == "Text.");
    }

    #[test]
    fn filters_narrow_the_list() {
        let dir = site();
        let all = scan(dir.path(), &["kk", "ru"]);
        let ids = |f: Filter| -> Vec<String> {
            all.iter()
                .filter(|a| f.matches(a, &["kk", "ru"]))
                .map(|a| a.stem.clone())
                .collect()
        };
        let f = |set: &dyn Fn(&mut Filter)| {
            let mut f = Filter::default();
            set(&mut f);
            f
        };
        assert_eq!(ids(f(&|f| f.state = "draft".into())), ["2025-09-01-b"]);
        assert_eq!(ids(f(&|f| f.state = "problems".into())), ["2025-09-02-c"]);
        assert_eq!(
            ids(f(&|f| f.state = "untranslated".into())),
            ["2025-09-02-c", "2025-09-01-b"]
        );
        assert_eq!(ids(f(&|f| f.city = "almaty".into())), ["2025-09-01-b"]);
        assert_eq!(ids(f(&|f| f.lang = "kk".into())), ["2025-09-02-c", "2025-08-29-a"]);
        assert_eq!(ids(f(&|f| f.words = "цинхай делегац".into())), ["2025-08-29-a"]);
        assert_eq!(
            ids(f(&|f| f.tag = "делегация".into())),
            ["2025-09-01-b", "2025-08-29-a"]
        );
        assert_eq!(ids(f(&|f| f.year = "2024".into())), Vec::<String>::new());
    }
}
