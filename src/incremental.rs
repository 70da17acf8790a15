//! Rebuilds after edits, doing only the work an edit needs. A changed article file is read
//! again on its own; the model is rebuilt from the articles kept in memory; every page gets a
//! [`Signature`] and only pages whose signature changed, or that show a changed article, are
//! rendered. A template, `site.toml` or city change renders everything. The output is the same,
//! byte for byte, as a full build of the same input (tested below).

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Article, CitySource, Content};
use crate::diagnostics::Problems;
use crate::markdown::SiteMarkdown;
use crate::model::{Model, Urls};
use crate::render::{self, all_pages, identity, signature, Page, Renderer, Sink};
use crate::write::{InPlace, Output};
use crate::BuildOptions;

/// What changed on disk since the last build, sorted by what it costs to rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// `site.toml`: everything is read again.
    pub config: bool,
    /// Anything under `templates/`: every page is rendered again.
    pub templates: bool,
    /// Anything under `content/cities/`: the model is rebuilt and every page rendered.
    pub cities: bool,
    /// A folder under `content/news/` appeared, vanished or was renamed: every article is read
    /// again.
    pub rescan: bool,
    /// Article files (relative to the root) written, created or deleted.
    pub articles: BTreeSet<PathBuf>,
    /// Files under `static/` (relative to the root) written, created or deleted.
    pub static_files: BTreeSet<PathBuf>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// Only stylesheets changed: a browser can swap them without reloading the page.
    pub fn css_only(&self) -> bool {
        !self.static_files.is_empty()
            && self
                .static_files
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
            && Changes {
                static_files: BTreeSet::new(),
                ..self.clone()
            }
            .is_empty()
    }

    /// One line for the terminal: "content/news/x.ru.md", "templates", "2 files".
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.config {
            parts.push("site.toml".into());
        }
        if self.templates {
            parts.push("templates".into());
        }
        if self.cities {
            parts.push("cities".into());
        }
        if self.rescan {
            parts.push("content/news folders".into());
        }
        for set in [&self.articles, &self.static_files] {
            match set.len() {
                0 => {}
                1 => parts.push(set.iter().next().map(|p| p.display().to_string()).unwrap_or_default()),
                n => parts.push(format!("{n} files")),
            }
        }
        parts.join(", ")
    }
}

/// Page identity → (signature when last rendered, output file).
type Signatures = FxHashMap<u64, (u64, String)>;

/// A full build's result.
struct Built {
    rebuild: Rebuild,
    signatures: Signatures,
    static_files: BTreeSet<String>,
}

/// What one rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Rebuild {
    /// Every page was rendered.
    pub full: bool,
    /// Pages rendered.
    pub rendered: usize,
    /// Files whose bytes changed (pages and static files).
    pub written: usize,
    /// Files removed (pages that no longer exist, deleted static files).
    pub removed: usize,
    /// Links (`/ru/news/x/`) of the pages rendered: a browser on one of them reloads.
    pub pages: Vec<String>,
    /// The link of the article that changed, for the browser to follow there.
    pub navigate: Option<String>,
    /// Only stylesheets changed.
    pub css_only: bool,
    pub took: Duration,
}

/// A site kept in memory between rebuilds, with its output folder.
pub struct LiveSite {
    opts: BuildOptions,
    output: PathBuf,
    config: Config,
    urls: Urls,
    templates: render::Templates,
    cities: Vec<CitySource>,
    city_descriptions: Vec<Vec<String>>,
    /// By path relative to the root.
    articles: BTreeMap<PathBuf, Article>,
    model: Model,
    /// Each page's signature when it was last rendered, and its output file, by its identity.
    signatures: Signatures,
    /// Output files that came from `static/`.
    static_files: BTreeSet<String>,
}

impl LiveSite {
    /// Reads the whole site and builds it into `output` (`opts.output` is not used).
    pub fn load(opts: &BuildOptions, output: &Path) -> Result<LiveSite> {
        let mut site = LiveSite::read(opts, output)?;
        site.build_all()?;
        Ok(site)
    }

    fn read(opts: &BuildOptions, output: &Path) -> Result<LiveSite> {
        let mut config = Config::load(&opts.root)?;
        if let Some(url) = &opts.base_url {
            config = config.with_base_url(url)?;
        }
        let urls = Urls::new(&config.base_url);
        let markdown = SiteMarkdown::new(&urls);
        let content = content::load(&opts.root, &config, opts.drafts, &|source, body| {
            markdown.article(source, body)
        })?;
        let city_descriptions = markdown.city_descriptions(&config, &content.cities);
        let templates = render::templates::load(&opts.root)?;
        let articles = content
            .articles
            .iter()
            .map(|a| (a.source.path.clone(), a.clone()))
            .collect();
        let cities = content.cities.clone();
        let model = Model::new(&config, content, city_descriptions.clone(), opts.drafts)?;
        Ok(LiveSite {
            opts: opts.clone(),
            output: output.to_path_buf(),
            config,
            urls,
            templates,
            cities,
            city_descriptions,
            articles,
            model,
            signatures: FxHashMap::default(),
            static_files: BTreeSet::new(),
        })
    }

    pub fn output(&self) -> &Path {
        &self.output
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Applies `changes`. On an error (bad content, a template error) nothing changes: the
    /// output keeps the last good build and the next good edit rebuilds from there.
    pub fn apply(&mut self, changes: &Changes) -> Result<Rebuild> {
        let start = Instant::now();
        let mut rebuild = if changes.config {
            let mut fresh = LiveSite::read(&self.opts, &self.output)?;
            let rebuild = fresh.build_all()?;
            *self = fresh;
            rebuild
        } else if changes.templates || changes.cities || changes.rescan {
            self.reload_for(changes)?
        } else if !changes.articles.is_empty() {
            self.update_articles(&changes.articles)?
        } else {
            Rebuild::default()
        };
        if !changes.static_files.is_empty() && !rebuild.full {
            let (written, removed) = self.sync_static(&changes.static_files)?;
            rebuild.written += written;
            rebuild.removed += removed;
            rebuild.css_only = changes.css_only();
        }
        rebuild.took = start.elapsed();
        Ok(rebuild)
    }

    /// Templates, cities or the whole news folder changed: read what changed, render all.
    fn reload_for(&mut self, changes: &Changes) -> Result<Rebuild> {
        let templates = if changes.templates {
            Some(render::templates::load(&self.opts.root)?)
        } else {
            None
        };
        let markdown = SiteMarkdown::new(&self.urls);
        let (cities, city_descriptions, articles) = if changes.cities || changes.rescan {
            let content = content::load(&self.opts.root, &self.config, self.opts.drafts, &|source, body| {
                markdown.article(source, body)
            })?;
            let descriptions = markdown.city_descriptions(&self.config, &content.cities);
            let articles = content
                .articles
                .iter()
                .map(|a| (a.source.path.clone(), a.clone()))
                .collect();
            (content.cities, descriptions, articles)
        } else {
            (
                self.cities.clone(),
                self.city_descriptions.clone(),
                self.articles.clone(),
            )
        };
        let model = self.model_of(&cities, &city_descriptions, &articles)?;
        let tera = templates.as_ref().unwrap_or(&self.templates);
        let built = build_all_into(&self.opts, &self.output, &self.config, &self.urls, tera, &model)?;
        if let Some(t) = templates {
            self.templates = t;
        }
        self.cities = cities;
        self.city_descriptions = city_descriptions;
        self.articles = articles;
        self.model = model;
        self.signatures = built.signatures;
        self.static_files = built.static_files;
        Ok(built.rebuild)
    }

    fn build_all(&mut self) -> Result<Rebuild> {
        let built = build_all_into(
            &self.opts,
            &self.output,
            &self.config,
            &self.urls,
            &self.templates,
            &self.model,
        )?;
        self.signatures = built.signatures;
        self.static_files = built.static_files;
        Ok(built.rebuild)
    }

    fn model_of(
        &self,
        cities: &[CitySource],
        city_descriptions: &[Vec<String>],
        articles: &BTreeMap<PathBuf, Article>,
    ) -> Result<Model> {
        let articles: Vec<Article> = articles.values().cloned().collect();
        let duplicates = content::duplicate_problems(&articles);
        if !duplicates.is_empty() {
            return Err(Problems(duplicates).into());
        }
        let content = Content {
            cities: cities.to_vec(),
            articles,
            warnings: Vec::new(),
        };
        Ok(Model::new(
            &self.config,
            content,
            city_descriptions.to_vec(),
            self.opts.drafts,
        )?)
    }

    /// Article files changed: read them, rebuild the model, render the pages that depend on them.
    /// The articles are updated in place; an error puts back what was there.
    fn update_articles(&mut self, paths: &BTreeSet<PathBuf>) -> Result<Rebuild> {
        let mut undo: Vec<(PathBuf, Option<Article>)> = Vec::new();
        let result = self.update_articles_in_place(paths, &mut undo);
        if result.is_err() {
            for (path, old) in undo.into_iter().rev() {
                match old {
                    Some(a) => self.articles.insert(path, a),
                    None => self.articles.remove(&path),
                };
            }
        }
        result
    }

    fn update_articles_in_place(
        &mut self,
        paths: &BTreeSet<PathBuf>,
        undo: &mut Vec<(PathBuf, Option<Article>)>,
    ) -> Result<Rebuild> {
        let markdown = SiteMarkdown::new(&self.urls);
        let mut problems = Problems::default();
        // (stem, language) of every article before and after the change: a handful.
        let mut changed: Vec<(String, String)> = Vec::new();
        for rel in paths {
            let old = self.articles.remove(rel);
            if let Some(old) = &old {
                changed.push((old.source.stem.clone(), old.source.lang.clone()));
            }
            undo.push((rel.clone(), old));
            if !self.opts.root.join(rel).is_file() {
                continue;
            }
            match content::load_article(&self.opts.root, rel, &self.config, &|s, b| markdown.article(s, b)) {
                Ok(Some(a)) => {
                    changed.push((a.source.stem.clone(), a.source.lang.clone()));
                    self.articles.insert(rel.clone(), a);
                }
                Ok(None) => {}
                Err(_) if !self.opts.drafts && content::is_draft(&self.opts.root.join(rel)) => {}
                Err(p) => problems.extend(p),
            }
        }
        if !problems.is_empty() {
            return Err(problems.into_result(()).unwrap_err().into());
        }
        let model = self.model_of(&self.cities, &self.city_descriptions, &self.articles)?;
        let renderer = Renderer::new(&self.config, &model, &self.urls, &self.templates)?;
        let codes: Vec<&str> = self.config.languages.iter().map(|l| l.code.as_str()).collect();
        let dirty: Vec<bool> = model
            .entries
            .iter()
            .map(|e| {
                changed
                    .iter()
                    .any(|(stem, lang)| *stem == e.source.stem && *lang == e.source.lang)
            })
            .collect();

        let pages = all_pages(&self.config, &model);
        // (page, identity, signature, stale)
        let planned: Vec<(Page, u64, u64, bool)> = pages
            .par_iter()
            .map(|page| {
                let id = identity(&self.config, &model, page);
                let sig = signature(&self.config, &model, page);
                let stale =
                    self.signatures.get(&id).map(|s| s.0) != Some(sig.hash) || sig.shows.iter().any(|&e| dirty[e]);
                (*page, id, sig.hash, stale)
            })
            .collect();
        // Render everything first: an error leaves the output and this site as they were.
        let rendered: Vec<(String, Vec<u8>, bool)> = planned
            .par_iter()
            .filter(|p| p.3)
            .map(|(page, _, _, _)| {
                let (file, bytes) = renderer.render(page)?;
                Ok((file, bytes, !page.is_feed() && file_is_html(page)))
            })
            .collect::<Result<_>>()?;
        let out = InPlace::new(&self.output);
        for (file, bytes, _) in &rendered {
            out.put(file, bytes)?;
        }
        // Keep each page's file name from the last build; make it only for new pages.
        let mut old = std::mem::take(&mut self.signatures);
        let signatures: Signatures = planned
            .iter()
            .map(|(page, id, hash, _)| {
                let file = old
                    .remove(id)
                    .map(|(_, f)| f)
                    .unwrap_or_else(|| page_file(&self.config, &model, page));
                (*id, (*hash, file))
            })
            .collect();
        let mut removed = 0;
        for (_, file) in old.values() {
            if !self.static_files.contains(file) {
                out.remove(file)?;
                removed += 1;
            }
        }
        let navigate = model
            .entries
            .iter()
            .enumerate()
            .find(|(id, _)| dirty[*id])
            .map(|(_, e)| {
                self.urls
                    .href(&crate::model::Urls::article(codes[e.lang], &e.source.stem))
            });
        let pages_shown: Vec<String> = rendered
            .iter()
            .filter(|r| r.2)
            .map(|(file, _, _)| self.urls.href(&file_to_site_path(file)))
            .collect();
        let rebuild = Rebuild {
            full: false,
            rendered: rendered.len(),
            written: out.written(),
            removed,
            pages: pages_shown,
            navigate,
            css_only: false,
            took: Duration::ZERO,
        };
        drop(renderer);
        self.signatures = signatures;
        self.model = model;
        Ok(rebuild)
    }

    /// Copies changed static files into the output, removes deleted ones.
    fn sync_static(&mut self, paths: &BTreeSet<PathBuf>) -> Result<(usize, usize)> {
        let out = InPlace::new(&self.output);
        let static_dir = self.opts.root.join("static");
        let mut removed = 0;
        for rel in paths {
            let Ok(inside) = rel.strip_prefix("static") else {
                continue;
            };
            let file = inside.to_string_lossy().replace('\\', "/");
            let src = static_dir.join(inside);
            if src.is_file() {
                let bytes = std::fs::read(&src)?;
                out.put(&file, &bytes)?;
                self.static_files.insert(file);
            } else if self.static_files.remove(&file) {
                out.remove(&file)?;
                removed += 1;
            }
        }
        Ok((out.written(), removed))
    }
}

/// Builds every page into `output` through a staging folder, and the signatures of all pages.
fn build_all_into(
    opts: &BuildOptions,
    output: &Path,
    config: &Config,
    urls: &Urls,
    templates: &render::Templates,
    model: &Model,
) -> Result<Built> {
    let renderer = Renderer::new(config, model, urls, templates)?;
    let mut out = Output::begin(output, &opts.root)?;
    out.copy_static(&opts.root.join("static"))?;
    out.copy_defaults(render::templates::DEFAULT_ASSETS)?;
    let static_files = out.static_file_names();
    let stats = renderer.render_all(&out)?;
    let written = out.commit()?;
    let signatures = all_pages(config, model)
        .par_iter()
        .map(|page| {
            let file = page_file(config, model, page);
            (
                identity(config, model, page),
                (signature(config, model, page).hash, file),
            )
        })
        .collect();
    let rendered = stats.pages.iter().sum::<usize>() + stats.feeds + stats.other;
    Ok(Built {
        rebuild: Rebuild {
            full: true,
            rendered,
            written: written.written,
            ..Rebuild::default()
        },
        signatures,
        static_files,
    })
}

/// The output file of `page` (`ru/news/x/index.html`).
fn page_file(config: &Config, model: &Model, page: &Page) -> String {
    Urls::file(&page.site_path(config, model))
}

fn file_is_html(page: &Page) -> bool {
    !matches!(page, Page::Sitemap | Page::Robots)
}

/// `ru/news/x/index.html` → `ru/news/x/`.
fn file_to_site_path(file: &str) -> String {
    file.strip_suffix("index.html").unwrap_or(file).to_string()
}
