//! One [`Site`]: read, checked and indexed — everything before rendering. `build`, `check` and
//! `serve` all load it the same way; `serve` keeps it and updates it as files change.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Result;

use crate::config::Config;
use crate::content::{self, Content};
use crate::diagnostics::{Problem, Problems};
use crate::markdown::{Body, SiteMarkdown, Spill};
use crate::model::{EntryId, Model};
use crate::options::{BuildOptions, Stages};
use crate::photos::{Photo, Store};
use crate::render::{self, Page, RenderStats, Renderer, Sink, Templates};
use crate::urls::Urls;

/// A site read, checked and indexed.
pub struct Site {
    pub root: PathBuf,
    pub drafts: bool,
    pub config: Config,
    pub urls: Urls,
    pub templates: Templates,
    /// What `content/` holds: the model is made from it, and remade when it changes.
    pub content: Content<Body>,
    /// Where the bodies' HTML is kept until pages show it (its budget in memory with it).
    bodies: Arc<Spill>,
    /// Each city's description as HTML, per language.
    pub city_descriptions: Vec<Vec<String>>,
    pub model: Model,
    /// The problems of drafts that did not read, by file: each is left out until it is mended,
    /// and the site builds (see [`Site::warnings`]).
    pub draft_problems: BTreeMap<PathBuf, Vec<Problem>>,
    /// The articles' analysis for search, kept between builds.
    pub search: render::search::Kept,
    /// The photos beside articles, made into the site's files (cached on disk).
    pub photos: Store,
    /// Draws the social cards of articles without photos (cached on disk).
    pub cards: render::card::Painter,
    /// The versions of the files every page links by name ([`render::assets`]).
    pub asset_versions: BTreeMap<String, String>,
}

/// An article file by its identity: (stem, language code).
pub type ArticleKey = (String, String);

impl Site {
    /// Reads and checks the whole site: config → content (each body through markdown as it is
    /// read) → model, and the templates.
    pub fn load(opts: &BuildOptions, stages: &mut Stages) -> Result<Site> {
        let mut config = Config::load(&opts.root)?;
        if let Some(url) = &opts.base_url {
            config = config.with_base_url(url)?;
        }
        let urls = Urls::new(&config.base_url).map_err(anyhow::Error::msg)?;
        let photos = Store::new(&opts.root, config.photos.clone());
        let markdown = SiteMarkdown::new(&urls, config.raw_html);
        let bodies = Spill::new(opts.bodies_in_memory);
        let parsed = content::parse(&opts.root, &config, &|source, body| {
            article_body(&markdown, &photos, &bodies, source, body)
        })?;
        stages.mark("content+markdown");
        let schedule = opts.schedule()?;
        let search = render::search::Kept::default();
        // The content is checked as a whole and the model made on one thread; the other
        // threads analyse the articles for search meanwhile.
        let cities = parsed.cities().to_vec();
        let articles: Vec<_> = parsed.articles().cloned().collect();
        let stop = AtomicBool::new(false);
        let (made, ()) = rayon::join(
            || {
                let made = parsed.assemble().map_err(anyhow::Error::from).and_then(|mut content| {
                    let descriptions = markdown.city_descriptions(&config, &content.cities);
                    let warnings = std::mem::take(&mut content.warnings);
                    let model = Model::new(&config, &content, &descriptions, opts.drafts, schedule)?;
                    Ok((content, descriptions, warnings, model))
                });
                stop.store(true, Ordering::Relaxed);
                made
            },
            || render::search::analyse_ahead(&search.cache, &config, &cities, &articles, &stop),
        );
        let (content, city_descriptions, warnings, model) = made?;
        stages.mark("model");
        let templates = render::templates::load(&opts.root, config.loop_limit, &config.timezone)?;
        stages.mark("templates");
        Ok(Site {
            root: opts.root.clone(),
            drafts: opts.drafts,
            config,
            urls,
            templates,
            content,
            bodies,
            city_descriptions,
            model,
            draft_problems: by_file(warnings),
            search,
            photos,
            cards: render::card::Painter::new(&opts.root),
            asset_versions: render::assets::versions(&opts.root, opts.versioned_assets),
        })
    }

    /// Whether every body a render read back was read: checked before its output is committed.
    pub fn bodies_read(&self) -> Result<()> {
        Ok(self.bodies.check()?)
    }

    /// Problems that do not stop the build: drafts left out until they are mended (those that
    /// did not read, and those the model could not place), in file order.
    pub fn warnings(&self) -> Vec<Problem> {
        let mut all: Vec<Problem> = self.draft_problems.values().flatten().cloned().collect();
        all.extend(self.model.broken_drafts.iter().cloned());
        all.sort();
        all
    }

    /// The views of every page, built once for a render.
    pub fn renderer(&self) -> Result<Renderer<'_>> {
        Renderer::new(
            &self.config,
            &self.model,
            &self.urls,
            &self.templates,
            &self.search,
            &self.cards,
            &self.asset_versions,
        )
    }

    /// Every page and the file it is written to (`ru/news/x/index.html`).
    pub fn outputs(&self) -> Result<Vec<(Page, String)>> {
        let r = self.renderer()?;
        Ok(r.pages().into_iter().map(|p| (p, r.file(p))).collect())
    }

    /// Renders every page into `sink`.
    pub fn render(&self, sink: &dyn Sink) -> Result<RenderStats> {
        let r = self.renderer()?;
        let stats = r.render_all(&r.pages(), sink)?;
        self.bodies_read()?;
        Ok(stats)
    }

    /// Reads the templates again.
    pub fn reload_templates(&mut self) -> Result<()> {
        self.templates = render::templates::load(&self.root, self.config.loop_limit, &self.config.timezone)?;
        Ok(())
    }

    /// Reads all of `content/` again (cities changed, news folders appeared or vanished).
    pub fn reload_content(&mut self) -> Result<()> {
        // A new file: the old one's bodies are all replaced.
        let bodies = Spill::new(self.bodies.budget());
        let (mut content, descriptions) = read_content(&self.root, &self.config, &self.urls, &self.photos, &bodies)?;
        let warnings = std::mem::take(&mut content.warnings);
        self.model = Model::new(&self.config, &content, &descriptions, self.drafts, self.model.schedule)?;
        self.content = content;
        self.bodies = bodies;
        self.city_descriptions = descriptions;
        self.draft_problems = by_file(warnings);
        Ok(())
    }

    /// The article files beside the photos `photos` (relative to the root) that name one of them
    /// (by its file name anywhere in the text: `[[photos]]` or the body), whether or not they
    /// built before: a photo that appears can mend an article that named it too soon.
    pub fn articles_naming(&self, photos: &BTreeSet<PathBuf>) -> BTreeSet<PathBuf> {
        let mut found = BTreeSet::new();
        for photo in photos {
            let (Some(dir), Some(name)) = (photo.parent(), photo.file_name().and_then(|n| n.to_str())) else {
                continue;
            };
            for entry in std::fs::read_dir(self.root.join(dir)).into_iter().flatten().flatten() {
                let file = entry.file_name();
                let Some(file) = file.to_str() else { continue };
                if file.ends_with(".md")
                    && !content::is_ignored(file)
                    && std::fs::read_to_string(entry.path()).is_ok_and(|t| t.contains(name))
                {
                    found.insert(dir.join(file));
                }
            }
            // Those that named it before, should the new text no longer say so.
            found.extend(
                self.content
                    .articles
                    .iter()
                    .filter(|(_, a)| a.body.photos.iter().any(|p| p.source == *photo))
                    .map(|(rel, _)| rel.clone()),
            );
        }
        found
    }

    /// Reads the article files `paths` (relative to the root) again — written, created or
    /// deleted — and updates the model. On an error the site stays as it was.
    pub fn update_articles(&mut self, paths: &BTreeSet<PathBuf>) -> Result<Updated> {
        let markdown = SiteMarkdown::new(&self.urls, self.config.raw_html);
        let mut problems = Problems::default();
        let mut changed = BTreeSet::new();
        let mut undo = Vec::new();
        let drafts_before = self.draft_problems.clone();
        for rel in paths {
            self.draft_problems.remove(rel);
            let old = self.content.articles.remove(rel);
            if let Some(old) = &old {
                changed.insert((old.source.stem.clone(), old.source.lang.clone()));
            }
            undo.push((rel.clone(), old));
            if !self.root.join(rel).is_file() {
                continue;
            }
            match content::load_article(&self.root, rel, &self.config, &|s, b| {
                article_body(&markdown, &self.photos, &self.bodies, s, b)
            }) {
                Ok(Some(a)) => {
                    changed.insert((a.source.stem.clone(), a.source.lang.clone()));
                    self.content.articles.insert(rel.clone(), a);
                }
                Ok(None) => {}
                // A draft's problems are its own: it is left out, as a full build leaves it.
                Err(p) if content::is_draft(&self.root.join(rel)) => {
                    self.draft_problems
                        .insert(rel.clone(), p.into_iter().map(content::as_draft_problem).collect());
                }
                Err(p) => problems.extend(p),
            }
        }
        if problems.is_empty() {
            if let Some(entries) = self.update_contents(&undo) {
                return Ok(Updated {
                    changed,
                    entries: Some(entries),
                });
            }
        }
        problems.extend(content::duplicate_problems(self.content.articles.values()));
        let model = match problems.into_result(()) {
            Ok(()) => Model::new(
                &self.config,
                &self.content,
                &self.city_descriptions,
                self.drafts,
                self.model.schedule,
            )
            .map_err(Into::into),
            Err(p) => Err(anyhow::Error::from(p)),
        };
        match model {
            Ok(model) => {
                self.model = model;
                Ok(Updated { changed, entries: None })
            }
            Err(err) => {
                self.draft_problems = drafts_before;
                for (path, old) in undo.into_iter().rev() {
                    match old {
                        Some(a) => self.content.articles.insert(path, a),
                        None => self.content.articles.remove(&path),
                    };
                }
                Err(err)
            }
        }
    }

    /// The edits' new contents put straight into the model when none changes its structure
    /// ([`Model::update_contents`]); `undo` holds each edited file's old version.
    fn update_contents(&mut self, undo: &[(PathBuf, Option<content::Article<Body>>)]) -> Option<Vec<EntryId>> {
        let edits = undo
            .iter()
            .map(|(rel, old)| {
                let new = self.content.articles.get(rel)?;
                Some((
                    Arc::clone(&old.as_ref()?.source),
                    Arc::clone(&new.source),
                    Arc::clone(&new.body),
                ))
            })
            .collect::<Option<Vec<_>>>()?;
        let entries = self.model.update_contents(&edits)?;
        #[cfg(debug_assertions)]
        {
            let schedule = self.model.schedule;
            let full = Model::new(
                &self.config,
                &self.content,
                &self.city_descriptions,
                self.drafts,
                schedule,
            );
            let full = full.map(|m| format!("{m:?}")).unwrap_or_else(|p| format!("{p:?}"));
            assert_eq!(
                full,
                format!("{:?}", self.model),
                "an edit that keeps the model's structure must leave the model Model::new makes"
            );
        }
        Some(entries)
    }
}

/// What [`Site::update_articles`] did.
#[derive(Debug)]
pub struct Updated {
    /// The article files read again, by identity (those removed too).
    pub changed: BTreeSet<ArticleKey>,
    /// When no edit changed the model's structure: the entries whose contents changed (sorted).
    /// Only pages whose views read them can have changed.
    pub entries: Option<Vec<EntryId>>,
}

/// Problems grouped by their file.
fn by_file(problems: Vec<Problem>) -> BTreeMap<PathBuf, Vec<Problem>> {
    let mut out: BTreeMap<PathBuf, Vec<Problem>> = BTreeMap::new();
    for p in problems {
        out.entry(p.file.clone()).or_default().push(p);
    }
    out
}

/// Every city and article, each body and description through Markdown as it is read.
fn read_content(
    root: &Path,
    config: &Config,
    urls: &Urls,
    photos: &Store,
    bodies: &Arc<Spill>,
) -> Result<(Content<Body>, Vec<Vec<String>>)> {
    let markdown = SiteMarkdown::new(urls, config.raw_html);
    let content = content::load(root, config, &|source, body| {
        article_body(&markdown, photos, bodies, source, body)
    })?;
    let descriptions = markdown.city_descriptions(config, &content.cities);
    Ok((content, descriptions))
}

/// An article's body through Markdown, with its photos (the front matter's, made in parallel,
/// then the body's) made into the site's files, its HTML kept aside in `bodies`.
fn article_body(
    markdown: &SiteMarkdown,
    photos: &Store,
    bodies: &Arc<Spill>,
    source: &content::BodyOf,
    body: &str,
) -> Result<Body, Vec<Problem>> {
    use rayon::prelude::*;
    let dir = source.path.parent().unwrap_or(Path::new(""));
    let made: Vec<Result<Arc<Photo>, Problem>> = source
        .photos
        .par_iter()
        .map(|p| {
            photos
                .get(&dir.join(&p.file))
                .map_err(|msg| Problem::at(source.path, p.line, format!("photo `{}` {msg}", p.file)))
        })
        .collect();
    let mut problems = Vec::new();
    let mut listed = Vec::with_capacity(made.len());
    for m in made {
        match m {
            Ok(p) => listed.push(p),
            Err(p) => problems.push(p),
        }
    }
    match markdown.article(source, body, &|name| photos.get(&dir.join(name))) {
        Ok(mut rendered) if problems.is_empty() => {
            let inline = std::mem::take(&mut rendered.photos);
            for p in inline {
                if !listed.iter().any(|q| q.key == p.key) {
                    listed.push(p);
                }
            }
            rendered.photos = listed;
            bodies
                .keep(rendered)
                .map_err(|e| vec![Problem::at(source.path, source.body_line, e.to_string())])
        }
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}
