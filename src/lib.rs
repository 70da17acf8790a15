//! twinpress: a static site generator for a bilingual (Kazakh / Russian) partnership portal.
//!
//! The pipeline, one module per stage: [`config`] → [`content`] → [`model`] → [`markdown`] →
//! [`render`] → [`write`]. [`build`] runs it; [`check`] runs it without writing.

pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod i18n;
pub mod markdown;
pub mod model;
pub mod render;
pub mod slug;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;
use rayon::prelude::*;

use config::Config;
use model::{Model, Urls};
use render::{Bodies, RenderStats, Renderer, Sink};
use write::{Output, WriteStats};

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site: `site.toml`, `content/`, `templates/`, `static/`.
    pub root: PathBuf,
    /// Where the site goes; `root/public` when `None`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `site.toml`.
    pub base_url: Option<String>,
    /// Include articles with `draft = true`.
    pub drafts: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Language codes, in the order of `render.pages`.
    pub languages: Vec<String>,
    pub articles: usize,
    pub render: RenderStats,
    pub write: WriteStats,
    pub elapsed: Duration,
}

impl BuildReport {
    /// "ru: 23 pages, kk: 21 pages, 14 feeds, 4 other; 6 written, 55 unchanged; 81 ms"
    pub fn summary(&self) -> String {
        let pages: Vec<String> = self
            .languages
            .iter()
            .zip(&self.render.pages)
            .map(|(l, n)| format!("{l}: {n} pages"))
            .collect();
        format!(
            "{} articles → {}, {} feeds, {} other files; {} written, {} unchanged; {} ms",
            self.articles,
            pages.join(", "),
            self.render.feeds,
            self.render.other,
            self.write.written,
            self.write.unchanged,
            self.elapsed.as_millis()
        )
    }
}

/// A site read, checked and indexed: everything before rendering.
pub struct Loaded {
    pub config: Config,
    pub model: Model,
    pub urls: Urls,
    pub bodies: Bodies,
    pub templates: tera::Tera,
}

/// Reads and checks the whole site: config → content → model → markdown, and the templates.
pub fn load(opts: &BuildOptions) -> Result<Loaded> {
    let mut config = Config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        config = config.with_base_url(url)?;
    }
    let content = content::load(&opts.root, &config)?;
    let model = Model::new(&config, content, opts.drafts)?;
    let urls = Urls::new(&config.base_url);
    let bodies = render_markdown(&config, &model, &urls);
    let templates = render::templates::load(&opts.root)?;
    Ok(Loaded {
        config,
        model,
        urls,
        bodies,
        templates,
    })
}

/// Builds the site into its output folder.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let site = load(opts)?;
    let renderer = Renderer::new(
        &site.config,
        &site.model,
        &site.urls,
        &site.templates,
        &site.bodies,
    )?;
    let mut output = Output::begin(&opts.output_dir(), &opts.root)?;
    output.copy_static(&opts.root.join("static"))?;
    let render = renderer.render_all(&output)?;
    let write = output.commit()?;
    Ok(BuildReport {
        languages: site
            .config
            .languages
            .iter()
            .map(|l| l.code.clone())
            .collect(),
        articles: site.model.entries.len(),
        render,
        write,
        elapsed: start.elapsed(),
    })
}

/// Checks the site as `build` would, rendering every page but writing nothing.
pub fn check(opts: &BuildOptions) -> Result<RenderStats> {
    let site = load(opts)?;
    let renderer = Renderer::new(
        &site.config,
        &site.model,
        &site.urls,
        &site.templates,
        &site.bodies,
    )?;
    renderer.render_all(&Discard)
}

struct Discard;

impl Sink for Discard {
    fn put(&self, _path: &str, _bytes: &[u8]) -> Result<()> {
        Ok(())
    }
}

/// Every article body and city description rendered, in parallel.
fn render_markdown(config: &Config, model: &Model, urls: &Urls) -> Bodies {
    let rewrite = |link: &str| urls.rewrite_link(link);
    let quotes: Vec<(char, char)> = config
        .languages
        .iter()
        .map(|l| i18n::quotes(&l.code))
        .collect();
    let entries = model
        .entries
        .par_iter()
        .map(|e| markdown::render(&e.source.body, quotes[e.lang], &rewrite))
        .collect();
    let city_descriptions = model
        .cities
        .iter()
        .map(|c| {
            config
                .languages
                .iter()
                .enumerate()
                .map(|(l, lang)| {
                    c.source
                        .description
                        .get(&lang.code)
                        .map_or(String::new(), |d| {
                            markdown::render(d, quotes[l], &rewrite).html
                        })
                })
                .collect()
        })
        .collect();
    Bodies {
        entries,
        city_descriptions,
    }
}

/// The site root to use when none is given: the current folder.
pub fn default_root() -> &'static Path {
    Path::new(".")
}
