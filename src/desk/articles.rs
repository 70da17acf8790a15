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

/// A file as last listed: its size and time, the article it is of (by its place in
/// [`Listing::articles`], which holds what it said then), and the listing that last saw it.
struct Listed {
    len: u64,
    time: Option<SystemTime>,
    article: ArticleKey,
    lang: String,
    seen: u64,
}

/// An article's place in the list: newest first (by stem, which starts with the date), then
/// by id.
type ArticleKey = (std::cmp::Reverse<String>, String);

/// The articles as last listed, kept up to date file by file.
#[derive(Default)]
struct Listing {
    /// By path relative to the root.
    files: HashMap<String, Listed>,
    articles: BTreeMap<ArticleKey, DeskArticle>,
    /// The list as [`Scanner::scan`] gives it, made again only when a file changed.
    list: Option<Arc<Vec<DeskArticle>>>,
    /// Each article's folder and stem by id, for [`Scanner::find`].
    ids: HashMap<String, (PathBuf, String)>,
    /// The tags the articles carry, by language (`None` before a listing).
    tags: Option<BTreeMap<String, std::collections::BTreeSet<String>>>,
    /// Every tag and every year the articles have (the list's filters' choices).
    facets: Facets,
    /// How many listings there have been.
    epoch: u64,
    /// Told of every change by a watcher ([`Scanner::watched`]): a listing after the first
    /// looks only at the files it named since, unless it asked for a walk.
    watched: bool,
    /// The files (relative to the root) changed since the last listing, as the watcher and the
    /// desk's own writes told.
    pending: std::collections::BTreeSet<PathBuf>,
    /// The watcher could not say which files changed (folders renamed, events lost): the next
    /// listing walks the folder.
    walk: bool,
}

impl Listing {
    /// Takes in the file `rel` (relative to the root) of size and time `stamp`, read again if
    /// they changed; whether it did.
    fn take_in(&mut self, root: &Path, rel: &Path, stamp: (u64, Option<SystemTime>)) -> bool {
        if self.is_current(rel, stamp) {
            return false;
        }
        let Some(read) = read_listed(root, rel) else {
            return false;
        };
        self.put(rel, stamp, read);
        true
    }

    /// Whether the file `rel` is listed with size and time `stamp` (then it is seen by this
    /// listing).
    fn is_current(&mut self, rel: &Path, stamp: (u64, Option<SystemTime>)) -> bool {
        let Some(l) = rel.to_str().and_then(|key| self.files.get_mut(key)) else {
            return false;
        };
        let same = (l.len, l.time) == stamp;
        if same {
            l.seen = self.epoch;
        }
        same
    }

    /// Lists the file `rel` of size and time `stamp` as `read`.
    fn put(&mut self, rel: &Path, stamp: (u64, Option<SystemTime>), read: ReadFile) {
        let ReadFile { id, stem, lang, file } = read;
        let article = (std::cmp::Reverse(stem.clone()), id.clone());
        self.articles
            .entry(article.clone())
            .or_insert_with(|| DeskArticle {
                id,
                stem,
                folder: rel.parent().unwrap_or(Path::new("")).to_path_buf(),
                files: BTreeMap::new(),
            })
            .files
            .insert(lang.clone(), file);
        let listed = Listed {
            len: stamp.0,
            time: stamp.1,
            article,
            lang,
            seen: self.epoch,
        };
        self.files.insert(rel.to_str().unwrap_or_default().to_string(), listed);
    }

    /// Forgets the file `l` (gone) from its article, and the article if it was its last.
    fn forget(articles: &mut BTreeMap<ArticleKey, DeskArticle>, l: &Listed) {
        if let Some(a) = articles.get_mut(&l.article) {
            a.files.remove(&l.lang);
            if a.files.is_empty() {
                articles.remove(&l.article);
            }
        }
    }

    /// The ids, tags and list made again from the articles.
    fn remake(&mut self) {
        self.ids = self
            .articles
            .values()
            .map(|a| (a.id.clone(), (a.folder.clone(), a.stem.clone())))
            .collect();
        let mut tags: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
        let mut years = std::collections::BTreeSet::new();
        for (lang, f) in self.articles.values().flat_map(|a| &a.files) {
            if let Some(s) = &f.source {
                let of_lang = tags.entry(lang.clone()).or_default();
                for tag in &s.tags {
                    // Most are there already: no copy made for them.
                    if !of_lang.contains(tag) {
                        of_lang.insert(tag.clone());
                    }
                }
                years.insert(i32::from(s.date.day().year()));
            }
        }
        self.facets = Facets {
            tags: tags.values().flatten().cloned().collect(),
            years: years.iter().map(i32::to_string).collect(),
        };
        self.tags = Some(tags);
        self.list = Some(Arc::new(self.articles.values().cloned().collect()));
    }
}

/// Every tag and every year the listed articles have.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub tags: std::collections::BTreeSet<String>,
    pub years: std::collections::BTreeSet<String>,
}

/// The articles' files as last listed. Each listing looks at the folder and the size and time
/// of every file, reads again only the files that changed, and makes the list again only when
/// one did: at 200,000 articles (380,000 files) the first listing reads them all, a later one
/// costs the folder's listing — or, under `serve`, whose watcher tells it which files changed,
/// only those files.
#[derive(Default)]
pub struct Scanner {
    listing: Mutex<Listing>,
}

/// A file's size and time, as a listing compares them.
type Stamp = (u64, Option<SystemTime>);

/// A file read for the list: its article's id and stem, its language, and what the list
/// shows of it.
struct ReadFile {
    id: String,
    stem: String,
    lang: String,
    file: Arc<LangFile>,
}

/// The file `rel` (relative to the root) read for the list; `None` for a name that is no
/// article's.
fn read_listed(root: &Path, rel: &Path) -> Option<ReadFile> {
    let id = id_of(rel)?;
    let (stem, lang) = rel.file_name().and_then(|n| n.to_str()).and_then(split_file_name)?;
    let (stem, lang) = (stem.to_string(), lang.to_string());
    let text = std::fs::read_to_string(root.join(rel)).unwrap_or_default();
    let mut file = read_file(rel, &stem, &lang, text);
    // A listing keeps only what the list shows.
    file.text = String::new();
    file.body = String::new();
    Some(ReadFile {
        id,
        stem,
        lang,
        file: Arc::new(file),
    })
}

/// Whether `rel` (relative to the root) is a file a listing takes: under `content/news`, in
/// none of the folders and files the build skips, of one of `languages`.
fn is_listed(rel: &Path, languages: &[&str]) -> bool {
    let Ok(inside) = rel.strip_prefix(NEWS_DIR) else {
        return false;
    };
    inside
        .components()
        .all(|c| c.as_os_str().to_str().is_some_and(|n| !crate::content::is_ignored(n)))
        && rel
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(split_file_name)
            .is_some_and(|(_, lang)| languages.contains(&lang))
}

/// A file's size and time (zero and none when it cannot be asked).
fn stamp_of(path: &Path) -> (u64, Option<SystemTime>) {
    let meta = std::fs::metadata(path).ok();
    (
        meta.as_ref().map_or(0, |m| m.len()),
        meta.and_then(|m| m.modified().ok()),
    )
}

impl Scanner {
    /// Says that a watcher will tell of every change ([`Scanner::changed`]): listings after the
    /// first look only at the files it named.
    pub fn watched(&self) {
        self.lock().watched = true;
    }

    /// Tells of files changed (relative to the root: written, made or removed), and, with
    /// `walk`, that which ones is not known (the next listing then walks the folder).
    pub fn changed<'p>(&self, files: impl IntoIterator<Item = &'p Path>, walk: bool) {
        let mut listing = self.lock();
        listing.pending.extend(files.into_iter().map(Path::to_path_buf));
        listing.walk |= walk;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Listing> {
        self.listing.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every article of the site at `root` (`languages`: the codes of articles' languages),
    /// newest first (by stem, which starts with the date).
    pub fn scan(&self, root: &Path, languages: &[&str]) -> Arc<Vec<DeskArticle>> {
        {
            let mut guard = self.lock();
            let listing = &mut *guard;
            if listing.watched && !listing.walk && listing.list.is_some() {
                listing.epoch += 1;
                let mut changed = false;
                for rel in std::mem::take(&mut listing.pending) {
                    let path = root.join(&rel);
                    if is_listed(&rel, languages) && path.is_file() {
                        changed |= listing.take_in(root, &rel, stamp_of(&path));
                    } else if let Some(l) = rel.to_str().and_then(|key| listing.files.remove(key)) {
                        Listing::forget(&mut listing.articles, &l);
                        changed = true;
                    }
                }
                if changed {
                    listing.remake();
                }
                return Arc::clone(listing.list.get_or_insert_with(Default::default));
            }
            // What the walk below finds includes every change told so far.
            listing.pending.clear();
            listing.walk = false;
        }
        self.walk(root, languages)
    }

    /// A listing of every file.
    fn walk(&self, root: &Path, languages: &[&str]) -> Arc<Vec<DeskArticle>> {
        use rayon::prelude::*;
        // The files the build reads, listed as it lists them (links followed, editors'
        // leftovers skipped); what it cannot list, the build names. Their sizes and times
        // asked for on every core.
        let listed: Vec<(PathBuf, (u64, Option<SystemTime>))> =
            list_files(root, NEWS_DIR, true, &mut Problems::default())
                .into_par_iter()
                .filter(|rel| {
                    rel.file_name()
                        .and_then(|n| n.to_str())
                        .and_then(split_file_name)
                        .is_some_and(|(_, lang)| languages.contains(&lang))
                        && rel.to_str().is_some()
                })
                .map(|rel| {
                    let stamp = stamp_of(&root.join(&rel));
                    (rel, stamp)
                })
                .collect();
        let mut guard = self.lock();
        let listing = &mut *guard;
        listing.epoch += 1;
        let epoch = listing.epoch;
        let mut changed = listing.list.is_none();
        // The files new or changed since the last listing, read on every core (the first
        // listing reads them all: 380,000 at 200,000 articles).
        let fresh: Vec<(PathBuf, Stamp)> = listed
            .into_iter()
            .filter(|(rel, stamp)| !listing.is_current(rel, *stamp))
            .collect();
        let read: Vec<(PathBuf, Stamp, Option<ReadFile>)> = fresh
            .into_par_iter()
            .map(|(rel, stamp)| {
                let read = read_listed(root, &rel);
                (rel, stamp, read)
            })
            .collect();
        for (rel, stamp, read) in read {
            if let Some(read) = read {
                listing.put(&rel, stamp, read);
                changed = true;
            }
        }
        let Listing { files, articles, .. } = listing;
        files.retain(|_, l| {
            if l.seen == epoch {
                return true;
            }
            Listing::forget(articles, l);
            changed = true;
            false
        });
        if changed {
            listing.remake();
        }
        Arc::clone(listing.list.get_or_insert_with(Default::default))
    }

    /// Every tag and every year the articles of the last listing have.
    pub fn facets(&self) -> Facets {
        self.lock().facets.clone()
    }

    /// The tags articles carry, by language, as the last listing found them (one is made if
    /// there was none): what the editor suggests.
    pub fn tags(&self, root: &Path, languages: &[&str]) -> BTreeMap<String, std::collections::BTreeSet<String>> {
        if let Some(tags) = &self.lock().tags {
            return tags.clone();
        }
        self.scan(root, languages);
        self.lock().tags.clone().unwrap_or_default()
    }

    /// Whether `id` is an article of the last listing (or, if not, of a new one): what a
    /// request may name without its files being read.
    pub fn knows(&self, root: &Path, languages: &[&str], id: &str) -> bool {
        let listed = self.lock().ids.contains_key(id);
        listed || self.scan(root, languages).iter().any(|a| a.id == id)
    }

    /// The article `id` with each of its files read whole, now. An id the last listing knew
    /// is looked up by the folder and stem it listed (its files in each of `languages` read
    /// afresh: one written since is found, one deleted is not); any other, and one whose files
    /// are all gone, by listing the folder again. A request's id is never made into a path: at
    /// 200,000 articles a listing takes seconds, and editing one article needs none.
    pub fn find(&self, root: &Path, languages: &[&str], id: &str) -> Option<DeskArticle> {
        let known = self.lock().ids.get(id).cloned();
        if let Some((folder, stem)) = known {
            let files: BTreeMap<String, Arc<LangFile>> = languages
                .iter()
                .filter_map(|lang| {
                    let rel = folder.join(format!("{stem}.{lang}.md"));
                    let text = std::fs::read_to_string(root.join(&rel)).ok()?;
                    Some((lang.to_string(), Arc::new(read_file(&rel, &stem, lang, text))))
                })
                .collect();
            if !files.is_empty() {
                return Some(DeskArticle {
                    id: id.to_string(),
                    stem,
                    folder,
                    files,
                });
            }
        }
        self.scan(root, languages)
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.fresh(root))
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
        .iter()
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
    fn an_article_is_found_by_the_last_listing_and_read_afresh_without_listing_again() {
        let dir = site();
        let news = dir.path().join("content/news/2025");
        let scanner = Scanner::default();
        // Nothing listed yet: found by listing.
        let a = scanner.find(dir.path(), &["kk", "ru"], "2025/2025-08-29-a").unwrap();
        assert_eq!(a.files.keys().collect::<Vec<_>>(), ["kk", "ru"]);
        assert!(a.files["ru"].text.contains("Делегация Цинхая"), "read whole");
        assert_eq!(
            scanner.tags(dir.path(), &["kk", "ru"])["ru"].iter().collect::<Vec<_>>(),
            ["делегация"]
        );
        // Files the listing knew, changed, removed and added since: what the disk says now,
        // with no new listing (the new article's file is not in it yet).
        std::fs::write(news.join("2025-09-03-new.ru.md"), "+++\ntitle = \"Новая\"\n+++\n").unwrap();
        std::fs::remove_file(news.join("2025-08-29-a.kk.md")).unwrap();
        let text = std::fs::read_to_string(news.join("2025-08-29-a.ru.md")).unwrap();
        std::fs::write(
            news.join("2025-08-29-a.ru.md"),
            text.replace("Цинхая", "провинции Цинхай"),
        )
        .unwrap();
        std::fs::write(news.join("2025-09-01-b.kk.md"), "+++\ntitle = \"Жаңа\"\n+++\n").unwrap();
        let a = scanner.find(dir.path(), &["kk", "ru"], "2025/2025-08-29-a").unwrap();
        assert_eq!(a.files.keys().collect::<Vec<_>>(), ["ru"]);
        assert!(a.files["ru"].text.contains("провинции Цинхай"));
        let b = scanner.find(dir.path(), &["kk", "ru"], "2025/2025-09-01-b").unwrap();
        assert_eq!(b.files.keys().collect::<Vec<_>>(), ["kk", "ru"]);
        assert!(
            !scanner.listing.lock().unwrap().ids.contains_key("2025/2025-09-03-new"),
            "not listed again for a known article"
        );
        // One the listing did not know: listed again, and found.
        assert!(scanner.knows(dir.path(), &["kk", "ru"], "2025/2025-09-03-new"));
        let new = scanner.find(dir.path(), &["kk", "ru"], "2025/2025-09-03-new").unwrap();
        assert_eq!(new.title("ru"), "Новая");
        // A made-up id is never a path.
        for id in [
            "../../site",
            "2025/../2025/2025-08-29-a",
            "/etc/passwd",
            "2025/notes",
            "",
        ] {
            assert!(scanner.find(dir.path(), &["kk", "ru"], id).is_none(), "{id}");
            assert!(!scanner.knows(dir.path(), &["kk", "ru"], id), "{id}");
        }
        // Gone whole: listed again, and not found.
        std::fs::remove_file(news.join("2025-08-29-a.ru.md")).unwrap();
        assert!(scanner.find(dir.path(), &["kk", "ru"], "2025/2025-08-29-a").is_none());
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
    fn a_watched_listing_looks_only_at_the_files_it_is_told_of() {
        let dir = site();
        let news = dir.path().join("content/news/2025");
        let langs = ["kk", "ru"];
        let scanner = Scanner::default();
        scanner.watched();
        let stems = |all: &[DeskArticle]| -> Vec<String> { all.iter().map(|a| a.stem.clone()).collect() };
        let first = stems(&scanner.scan(dir.path(), &langs));
        assert!(
            first.contains(&"2025-08-29-a".to_string()),
            "the first listing walks: {first:?}"
        );
        // Untold, a new file is not looked for: the listing did not walk.
        std::fs::write(news.join("2025-09-05-untold.ru.md"), "+++\ntitle = \"Тихая\"\n+++\n").unwrap();
        assert_eq!(stems(&scanner.scan(dir.path(), &langs)), first);
        // Told: a new file, a removed one, a rewritten one; an editor's leftover and a language
        // the site has not are told of too, and left out.
        std::fs::write(news.join("2025-09-06-told.ru.md"), "+++\ntitle = \"Новая\"\n+++\n").unwrap();
        std::fs::remove_file(news.join("2025-09-01-b.ru.md")).unwrap();
        let a = news.join("2025-08-29-a.ru.md");
        std::fs::write(
            &a,
            std::fs::read_to_string(&a)
                .unwrap()
                .replace("Делегация Цинхая", "Переписано"),
        )
        .unwrap();
        std::fs::write(news.join(".#2025-09-07-x.ru.md"), "+++\n").unwrap();
        std::fs::write(news.join("2025-09-08-y.en.md"), "+++\ntitle = \"Y\"\n+++\n").unwrap();
        let told: Vec<PathBuf> = [
            "2025-09-06-told.ru.md",
            "2025-09-01-b.ru.md",
            "2025-08-29-a.ru.md",
            ".#2025-09-07-x.ru.md",
            "2025-09-08-y.en.md",
        ]
        .iter()
        .map(|f| PathBuf::from("content/news/2025").join(f))
        .collect();
        scanner.changed(told.iter().map(PathBuf::as_path), false);
        let after = scanner.scan(dir.path(), &langs);
        let names = stems(&after);
        assert!(names.contains(&"2025-09-06-told".to_string()), "{names:?}");
        assert!(!names.contains(&"2025-09-01-b".to_string()), "{names:?}");
        assert!(
            !names
                .iter()
                .any(|n| n.contains("2025-09-07") || n.contains("2025-09-08")),
            "{names:?}"
        );
        assert!(!names.contains(&"2025-09-05-untold".to_string()), "{names:?}");
        assert_eq!(
            after.iter().find(|a| a.stem == "2025-08-29-a").unwrap().title("ru"),
            "Переписано"
        );
        assert!(scanner.knows(dir.path(), &langs, "2025/2025-09-06-told"));
        // Told that which files changed is not known: it walks, and finds the untold one.
        scanner.changed([], true);
        let walked = stems(&scanner.scan(dir.path(), &langs));
        assert!(walked.contains(&"2025-09-05-untold".to_string()), "{walked:?}");
        assert!(walked.contains(&"2025-09-06-told".to_string()) && !walked.contains(&"2025-09-01-b".to_string()));
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
