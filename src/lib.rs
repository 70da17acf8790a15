//! twinpress: a static site generator for a bilingual (Kazakh / Russian) partnership portal.
//!
//! The pipeline, one module per stage, each importing only the ones before it:
//! [`config`] → [`content`] → [`photos`] → [`markdown`] → [`model`] → [`render`] → [`write`], with [`urls`],
//! [`zone`], [`i18n`], [`slug`] and [`diagnostics`] below them all. [`site`] holds what the stages make
//! before rendering; [`build`] runs the pipeline. Beside it: [`check`] (and its crawler
//! [`check::crawl`]), [`serve`] with its [`desk`], [`import`], [`init`] and [`editor`].

// Below every stage.
pub mod diagnostics;
pub mod i18n;
pub mod mime;
pub mod slug;
pub mod urls;
pub mod zone;
// The pipeline, in order.
pub mod config;
pub mod content;
pub mod markdown;
pub mod model;
pub mod photos;
pub mod render;
pub mod search;
pub mod site;
pub mod write;
// Beside it.
pub mod check;
pub mod cli;
pub mod desk;
pub mod editor;
pub mod import;
pub mod init;
pub mod serve;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Result;

pub use site::Site;

use render::RenderStats;
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
    /// Include articles dated after the build's time (marked as scheduled).
    pub future: bool,
    /// The build's time in seconds since 1970; `None`: `SOURCE_DATE_EPOCH`, else the clock.
    pub now: Option<i64>,
    /// What the output folder may hold before the build replaces it (`--force`: anything).
    pub replace: write::Replace,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            future: false,
            now: None,
            replace: write::Replace::OwnOnly,
        }
    }

    /// The build's time and whether later articles are published.
    pub fn schedule(&self) -> Result<model::Schedule> {
        Ok(model::Schedule {
            now: match self.now {
                Some(now) => now,
                None => build_time()?,
            },
            future: self.future,
        })
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
            "{} articles → {}, {} feeds, {} search index files, {} photo and card files, {} other files; {} written, {} unchanged; {} ms",
            self.articles,
            pages.join(", "),
            self.render.feeds,
            self.render.index,
            self.render.media,
            self.render.other,
            self.write.written,
            self.write.unchanged,
            self.elapsed.as_millis()
        )
    }
}

/// The build's time: `SOURCE_DATE_EPOCH` (seconds since 1970) when it is set, so a build can be
/// made again byte for byte, else the clock.
pub fn build_time() -> Result<i64> {
    zone::now().map_err(anyhow::Error::msg)
}

/// Builds the site into its output folder.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    build_then(opts, Teardown::Free)
}

/// [`build`] for a process that exits when it returns (the command line's `build`): the site's
/// memory — every article, view and search analysis — is left for the system to take back
/// at exit, not freed piece by piece on one thread while the other cores wait.
pub fn build_before_exit(opts: &BuildOptions) -> Result<BuildReport> {
    build_then(opts, Teardown::LeaveToExit)
}

/// What a build does with its site's memory when it is done.
#[derive(PartialEq)]
enum Teardown {
    Free,
    LeaveToExit,
}

fn build_then(opts: &BuildOptions, teardown: Teardown) -> Result<BuildReport> {
    let mut stages = Stages::new();
    let mut site = Site::load(opts, &mut stages)?;
    // One render: what search keeps for a later one is not made.
    site.search.before_last_render();
    let renderer = site.renderer()?;
    let pages = renderer.pages();
    stages.mark("views");
    let mut output = Output::begin(&opts.output_dir(), &opts.root, opts.replace)?;
    output.copy_static(&opts.root.join("static"))?;
    output.copy_defaults(render::templates::DEFAULT_ASSETS)?;
    stages.mark("static");
    let render = renderer.render_all(&pages, &output)?;
    stages.mark("render+write");
    let write = output.commit()?;
    site.photos.finish(true)?;
    site.cards.prune();
    stages.mark("commit");
    let report = BuildReport {
        languages: site.config.languages.iter().map(|l| l.code.clone()).collect(),
        articles: site.model.entries.len(),
        render,
        write,
        elapsed: stages.start.elapsed(),
        stages: stages.marks,
        warnings: site.warnings(),
    };
    if teardown == Teardown::LeaveToExit {
        // Nothing of the site holds a resource but memory: its output is committed, its
        // caches written.
        std::mem::forget(pages);
        std::mem::forget(renderer);
        std::mem::forget(site);
    }
    Ok(report)
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
