//! Reads `content/`: every city file and every article file, parsed in parallel. Problems of all
//! files are collected; nothing here knows about other files except duplicate checks.

pub mod article;
pub mod city;
pub mod encoding;
pub mod facts;
pub mod frontmatter;
pub mod page;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use article::{Alias, ArticleDate, ArticleSource, KeyRef, PhotoRef};
pub use city::{AgreementSource, CitySource, Kind};
pub use facts::{Facts, KeptFacts};
pub use page::PageSource;

use crate::config::{is_key, Config};
use crate::diagnostics::{line_col, Problem, Problems};

pub const CONTENT_DIR: &str = "content";
pub const NEWS_DIR: &str = "content/news";
pub const CITIES_DIR: &str = "content/cities";
pub const PAGES_DIR: &str = "content/pages";

/// Everything under `content/`, parsed; each article's body as `B`, what the caller made of its
/// Markdown (the HTML, or nothing for tools that read only front matter).
#[derive(Debug)]
pub struct Content<B> {
    /// Sorted by key.
    pub cities: Vec<Arc<CitySource>>,
    /// By path relative to the root.
    pub articles: std::collections::BTreeMap<PathBuf, Article<B>>,
    /// The pages that are not news (`content/pages/`), by path relative to the root.
    pub pages: std::collections::BTreeMap<PathBuf, PageFile<B>>,
    /// Problems of drafts that were left out (errors when drafts are built).
    pub warnings: Vec<Problem>,
}

/// One article file: its front matter and its body as the pipeline keeps it. Shared, so a
/// rebuild can keep what did not change without copying it.
#[derive(Debug)]
pub struct Article<B> {
    pub source: Arc<ArticleSource>,
    pub body: Arc<B>,
}

impl<B> Clone for Article<B> {
    fn clone(&self) -> Self {
        Article {
            source: Arc::clone(&self.source),
            body: Arc::clone(&self.body),
        }
    }
}

/// One page file (`content/pages/<slug>.<lang>.md`): its front matter and its body.
#[derive(Debug)]
pub struct PageFile<B> {
    pub source: Arc<PageSource>,
    pub body: Arc<B>,
}

impl<B> Clone for PageFile<B> {
    fn clone(&self) -> Self {
        PageFile {
            source: Arc::clone(&self.source),
            body: Arc::clone(&self.body),
        }
    }
}

/// What turning a Markdown body into HTML needs to know of its file (an article's or a page's).
#[derive(Debug, Clone, Copy)]
pub struct BodyOf<'a> {
    /// Relative to the site root.
    pub path: &'a Path,
    pub lang: &'a str,
    /// The file's line number of the body's first line.
    pub body_line: usize,
    /// The photos its front matter names.
    pub photos: &'a [PhotoRef],
}

/// Turns an article's Markdown body into what the site keeps of it (with its photos), or says
/// what is wrong with it. Called as each file is read, so the Markdown of the whole site is
/// never in memory at once.
pub type BodyRenderer<'a, B> = dyn Fn(&BodyOf, &str) -> Result<B, Vec<Problem>> + Sync + 'a;

/// Files editors and systems leave beside content that are not content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == "Thumbs.db"
}

/// Reads and parses every city and article under `root/content`, each article's body through
/// `render_body`.
/// A draft whose front matter is not complete yet (an import's empty date, say) is left out
/// with its problems as warnings, whether drafts are shown or not.
pub fn load<B: Send + Sync>(
    root: &Path,
    config: &Config,
    render_body: &BodyRenderer<B>,
) -> Result<Content<B>, Problems> {
    parse(root, config, render_body)?.assemble()
}

/// Every city and article file under `root/content`, parsed (in parallel), before they are
/// checked as a whole ([`Parsed::assemble`]): what a build can start on while that runs.
pub struct Parsed<B> {
    root: PathBuf,
    cities: Vec<Arc<CitySource>>,
    /// Each article file, by path, in order, with its article or its problems.
    files: Vec<(PathBuf, ParsedFile<B>)>,
    /// Each page file, by path, in order, with its page or its problems.
    pages: Vec<(PathBuf, ParsedPage<B>)>,
    problems: Problems,
}

/// An article file's article, or its problems.
type ParsedFile<B> = Result<Article<B>, Vec<Problem>>;

/// A page file's page, or its problems.
type ParsedPage<B> = Result<PageFile<B>, Vec<Problem>>;

/// The first part of [`load`]: the files read and parsed.
pub fn parse<B: Send + Sync>(
    root: &Path,
    config: &Config,
    render_body: &BodyRenderer<B>,
) -> Result<Parsed<B>, Problems> {
    let mut problems = Problems::default();
    let languages: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    if !root.join(CONTENT_DIR).is_dir() {
        problems.push(Problem::in_file(
            Path::new(CONTENT_DIR),
            "there is no content/ folder: create content/cities/ and content/news/",
        ));
        return Err(problems);
    }

    let cities = match load_cities(root, config) {
        Ok(c) => c,
        Err(p) => {
            problems.extend(p.0);
            Vec::new()
        }
    };

    let article_files = list_files(root, NEWS_DIR, true, &mut problems);
    let files: Vec<_> = article_files
        .par_iter()
        // Rayon splits a range only when a thread steals from it: uncapped, the last thread
        // at work was left alone with a few hundred files (~50 ms of a 10,000-article build).
        .with_max_len(8)
        .filter_map(|rel| {
            let name = rel.file_name()?.to_str()?;
            if !name.ends_with(".md") {
                return None;
            }
            Some((
                rel.clone(),
                article_file(root, rel, name, &languages, &config.timezone, render_body),
            ))
        })
        .collect();
    let pages = list_files(root, PAGES_DIR, false, &mut problems)
        .into_iter()
        .filter_map(|rel| {
            let name = rel.file_name()?.to_str()?;
            if !name.ends_with(".md") {
                return None;
            }
            let page = page_file(root, &rel, name, &languages, render_body);
            Some((rel, page))
        })
        .collect();
    Ok(Parsed {
        root: root.to_path_buf(),
        cities: cities.into_iter().map(Arc::new).collect(),
        files,
        pages,
        problems,
    })
}

impl<B> Parsed<B> {
    /// The city registry, sorted by key.
    pub fn cities(&self) -> &[Arc<CitySource>] {
        &self.cities
    }

    /// The articles that parsed, whether or not the content as a whole is sound.
    pub fn articles(&self) -> impl Iterator<Item = &Article<B>> {
        self.files.iter().filter_map(|(_, a)| a.as_ref().ok())
    }

    /// The content, once the files are checked as a whole (no two articles the same).
    pub fn assemble(self) -> Result<Content<B>, Problems> {
        let mut problems = self.problems;
        let mut articles = std::collections::BTreeMap::new();
        let mut warnings = Vec::new();
        for (rel, result) in self.files {
            match result {
                Ok(a) => {
                    articles.insert(rel, a);
                }
                // Shown or not, a draft's problems are its own: left out, the site builds.
                Err(p) if is_draft(&self.root.join(&rel)) => warnings.extend(p.into_iter().map(as_draft_problem)),
                Err(p) => problems.extend(p),
            }
        }
        problems.extend(duplicate_problems(articles.values()));
        let mut pages = std::collections::BTreeMap::new();
        let mut seen: std::collections::HashMap<(String, String), PathBuf> = Default::default();
        for (rel, result) in self.pages {
            match result {
                Ok(p) => {
                    let id = (p.source.slug.clone(), p.source.lang.clone());
                    if let Some(first) = seen.insert(id, rel.clone()) {
                        problems.push(Problem::in_file(
                            &rel,
                            format!(
                                "{} also claims the page `{}` in `{}`: rename one of the two files",
                                first.display(),
                                p.source.slug,
                                p.source.lang
                            ),
                        ));
                    }
                    pages.insert(rel, p);
                }
                Err(p) if is_draft(&self.root.join(&rel)) => warnings.extend(p.into_iter().map(as_draft_problem)),
                Err(p) => problems.extend(p),
            }
        }
        problems.into_result(Content {
            cities: self.cities,
            articles,
            pages,
            warnings,
        })
    }
}

/// A draft's problem as a warning: the draft is left out until it is mended.
pub fn as_draft_problem(mut p: Problem) -> Problem {
    p.message.push_str(" (a draft: left out until it is complete)");
    p
}

/// Whether a file that did not parse still says `draft = true` in its front matter.
pub fn is_draft(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let Ok(split) = frontmatter::split(&text) else {
        return false;
    };
    split
        .front
        .parse::<toml::Table>()
        .is_ok_and(|t| t.get("draft").and_then(toml::Value::as_bool) == Some(true))
}

/// Reads and parses every file of `root/content/cities`, sorted by key.
pub fn load_cities(root: &Path, config: &Config) -> Result<Vec<CitySource>, Problems> {
    let mut problems = Problems::default();
    let languages: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let city_files = list_files(root, CITIES_DIR, false, &mut problems);
    let parsed: Vec<_> = city_files
        .par_iter()
        .filter_map(|rel| {
            let name = rel.file_name()?.to_str()?;
            let key = name.strip_suffix(".toml")?;
            Some(if !is_key(key) {
                Err(vec![Problem::in_file(
                    rel,
                    format!("city key `{key}` must be lower-case ASCII letters, digits and `-`: rename the file"),
                )])
            } else {
                read_text(root, rel).and_then(|text| city::parse(rel, key, &text, &languages))
            })
        })
        .collect();
    let mut cities = Vec::new();
    for result in parsed {
        match result {
            Ok(c) => cities.push(c),
            Err(p) => problems.extend(p),
        }
    }
    cities.sort_by(|a, b| a.key.cmp(&b.key));
    problems.into_result(cities)
}

/// Reads and parses one article file (`rel`, relative to `root`) on its own, as a rebuild does
/// for a changed file. `Ok(None)` when the file is not an article (not `.md`, or ignored).
pub fn load_article<B>(
    root: &Path,
    rel: &Path,
    config: &Config,
    render_body: &BodyRenderer<B>,
) -> Result<Option<Article<B>>, Vec<Problem>> {
    let languages: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let Some(name) = rel.file_name().and_then(|n| n.to_str()) else {
        return Ok(None);
    };
    if !name.ends_with(".md") || is_ignored(name) {
        return Ok(None);
    }
    article_file(root, rel, name, &languages, &config.timezone, render_body).map(Some)
}

/// Checks that no two articles claim the same stem and language.
pub fn duplicate_problems<'a, B: 'a>(articles: impl ExactSizeIterator<Item = &'a Article<B>>) -> Vec<Problem> {
    let mut seen: rustc_hash::FxHashMap<(&str, &str), &Path> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(articles.len(), Default::default());
    let mut problems = Vec::new();
    for a in articles.map(|a| &a.source) {
        if let Some(first) = seen.insert((&a.stem, &a.lang), &a.path) {
            problems.push(Problem::in_file(
                &a.path,
                format!(
                    "{} also claims the article `{}` in `{}`: rename one of the two files",
                    first.display(),
                    a.stem,
                    a.lang
                ),
            ));
        }
    }
    problems
}

fn article_file<B>(
    root: &Path,
    rel: &Path,
    name: &str,
    languages: &[&str],
    zone: &crate::zone::Zone,
    render_body: &BodyRenderer<B>,
) -> Result<Article<B>, Vec<Problem>> {
    let (stem, lang) = file_identity(rel, name, "stem", languages)?;
    let text = read_text(root, rel)?;
    let (mut source, markdown) = article::parse(rel, stem, lang, &text)?;
    // A date without an offset is a time on the site's clock.
    source.date = source.date.in_zone(zone);
    source.updated = source.updated.map(|u| u.in_zone(zone));
    let body = render_body(&source.body_of(), markdown)?;
    Ok(Article {
        source: Arc::new(source),
        body: Arc::new(body),
    })
}

/// A content file's name (`<stem>.<lang>.md`) cut into its `what` (stem or slug) and language,
/// each checked.
fn file_identity<'n>(
    rel: &Path,
    name: &'n str,
    what: &str,
    languages: &[&str],
) -> Result<(&'n str, &'n str), Vec<Problem>> {
    let Some((stem, lang)) = article::split_file_name(name) else {
        return Err(vec![Problem::in_file(
            rel,
            format!(
                "the file name needs a language: name it <{what}>.<language>.md, e.g. {}.{}.md",
                name.trim_end_matches(".md"),
                languages.first().unwrap_or(&"ru")
            ),
        )]);
    };
    if !languages.contains(&lang) {
        return Err(vec![Problem::in_file(
            rel,
            format!(
                "language `{lang}` is not one of the site's languages ({}): rename the file",
                languages.join(", ")
            ),
        )]);
    }
    if !is_key(stem) {
        return Err(vec![Problem::in_file(
            rel,
            format!("the file name `{stem}` must be lower-case ASCII letters, digits and `-`: rename the file"),
        )]);
    }
    Ok((stem, lang))
}

/// One page file: its name checked, its text parsed, its body rendered.
fn page_file<B>(
    root: &Path,
    rel: &Path,
    name: &str,
    languages: &[&str],
    render_body: &BodyRenderer<B>,
) -> Result<PageFile<B>, Vec<Problem>> {
    let (slug, lang) = file_identity(rel, name, "slug", languages)?;
    if let Some(why) = page::reserved(slug) {
        return Err(vec![Problem::in_file(rel, why)]);
    }
    let text = read_text(root, rel)?;
    let (source, markdown) = page::parse(rel, slug, lang, &text)?;
    let body = render_body(&source.body_of(), markdown)?;
    Ok(PageFile {
        source: Arc::new(source),
        body: Arc::new(body),
    })
}

/// Reads a file as UTF-8 text; anything else is a problem naming the file and line.
fn read_text(root: &Path, rel: &Path) -> Result<String, Vec<Problem>> {
    let bytes =
        std::fs::read(root.join(rel)).map_err(|e| vec![Problem::in_file(rel, format!("cannot be read: {e}"))])?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = std::str::from_utf8(valid).unwrap_or_default();
        let (line, _) = line_col(text, text.len());
        let message = match encoding::guess(e.as_bytes()) {
            Some(guess) => format!(
                "the file is not UTF-8 text but looks like {}: save it as UTF-8 in your editor",
                guess.name
            ),
            None => "the file is not UTF-8 text: save it as UTF-8 in your editor".to_string(),
        };
        vec![Problem::at(rel, line, message)]
    })
}

/// Files under `root/dir` (relative to root), sorted; hidden files and editors' leftovers skipped.
pub(crate) fn list_files(root: &Path, dir: &str, recursive: bool, problems: &mut Problems) -> Vec<PathBuf> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let walker = walkdir::WalkDir::new(&base)
        .follow_links(true)
        .max_depth(if recursive { usize::MAX } else { 1 })
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_str().is_none_or(is_ignored));
    let mut files = Vec::new();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                files.push(e.path().strip_prefix(root).unwrap_or(e.path()).to_path_buf());
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().unwrap_or(&base);
                let rel = path.strip_prefix(root).unwrap_or(path);
                let why = if e.loop_ancestor().is_some() {
                    "is a link that loops back to a folder above it: remove the link".to_string()
                } else {
                    format!(
                        "cannot be read: {}",
                        e.io_error().map_or(e.to_string(), |io| io.to_string())
                    )
                };
                problems.push(Problem::in_file(rel, why));
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [".DS_Store", ".x.ru.md.swp", "x.ru.md~", "#x.ru.md#", "4913.tmp", ".#x"] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("x.ru.md"));
    }
}
