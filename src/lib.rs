//! twinpress: a static site generator for a bilingual (Kazakh / Russian) partnership portal.
//!
//! The pipeline, one module per stage: [`config`] → [`content`] → [`markdown`] → [`model`] →
//! [`render`] → [`write`]. [`build`] runs it; [`check`] runs it without writing.

pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod editor;
pub mod i18n;
pub mod import;
pub mod incremental;
pub mod links;
pub mod markdown;
pub mod model;
pub mod render;
pub mod serve;
pub mod slug;
pub mod write;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Result;

use config::Config;
use model::{Model, Urls};
use render::{RenderStats, Renderer};
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
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
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
    /// Time and memory high-water mark after each stage.
    pub stages: Vec<Stage>,
    /// Problems that did not stop the build.
    pub warnings: Vec<diagnostics::Problem>,
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
    pub templates: render::Templates,
    /// Problems that do not stop the build (drafts left out that are not complete yet).
    pub warnings: Vec<diagnostics::Problem>,
}

/// Reads and checks the whole site: config → content (each body through markdown as it is read)
/// → model, and the templates.
pub fn load(opts: &BuildOptions, stages: &mut Stages) -> Result<Loaded> {
    let mut config = Config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        config = config.with_base_url(url)?;
    }
    let urls = Urls::new(&config.base_url);
    let markdown = markdown::SiteMarkdown::new(&urls);
    let mut content = content::load(&opts.root, &config, opts.drafts, &|source, body| {
        markdown.article(source, body)
    })?;
    let warnings = std::mem::take(&mut content.warnings);
    let city_descriptions = markdown.city_descriptions(&config, &content.cities);
    stages.mark("content+markdown");
    let model = Model::new(&config, content, city_descriptions, opts.drafts)?;
    stages.mark("model");
    let templates = render::templates::load(&opts.root)?;
    stages.mark("templates");
    Ok(Loaded {
        config,
        model,
        urls,
        templates,
        warnings,
    })
}

/// Builds the site into its output folder.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let mut stages = Stages::new();
    let site = load(opts, &mut stages)?;
    let renderer = Renderer::new(&site.config, &site.model, &site.urls, &site.templates)?;
    stages.mark("views");
    let mut output = Output::begin(&opts.output_dir(), &opts.root)?;
    output.copy_static(&opts.root.join("static"))?;
    output.copy_defaults(render::templates::DEFAULT_ASSETS)?;
    stages.mark("static");
    let render = renderer.render_all(&output)?;
    stages.mark("render+write");
    let write = output.commit()?;
    stages.mark("commit");
    Ok(BuildReport {
        languages: site.config.languages.iter().map(|l| l.code.clone()).collect(),
        articles: site.model.entries.len(),
        render,
        write,
        elapsed: stages.start.elapsed(),
        stages: stages.marks,
        warnings: site.warnings,
    })
}

/// One finished stage of a build: `--timings` prints them.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub took: Duration,
    /// The process's peak resident memory so far, in KiB (0 where the system does not say).
    pub peak_kib: u64,
}

/// Times the stages of one build.
pub struct Stages {
    start: Instant,
    last: Instant,
    marks: Vec<Stage>,
}

impl Stages {
    pub fn new() -> Stages {
        let now = Instant::now();
        Stages {
            start: now,
            last: now,
            marks: Vec::new(),
        }
    }

    /// Records that the stage `name` ended now.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        self.marks.push(Stage {
            name,
            took: now - self.last,
            peak_kib: peak_memory_kib(),
        });
        self.last = now;
    }
}

impl Default for Stages {
    fn default() -> Self {
        Stages::new()
    }
}

/// VmHWM from /proc/self/status (Linux); 0 elsewhere.
fn peak_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
