//! twinpress: a static site generator for a bilingual (Kazakh / Russian) partnership portal.
//!
//! The pipeline, one module per stage, each importing only the ones before it:
//! [`config`] → [`content`] → [`photos`] → [`markdown`] → [`model`] → [`search`] → [`render`] → [`write`], with [`urls`],
//! [`zone`], [`i18n`], [`slug`], [`simd`] and [`diagnostics`] below them all. [`options`] says what to build
//! and times the stages; [`site`] holds what the stages make before rendering; [`build`] runs the
//! pipeline. Beside it: [`check`] (and its crawler
//! [`check::crawl`]), [`deploy`], [`serve`] with its [`desk`], [`import`], [`init`] and [`editor`].

// Below every stage; simd holds every SIMD kernel and its unsafe code.
pub mod diagnostics;
pub mod i18n;
pub mod mime;
pub mod simd;
pub mod slug;
pub mod urls;
pub mod zone;

// The pipeline, in order: each module uses only those above it (tests/testsuite/layout.rs).
pub mod config;

pub mod content;

pub mod photos;

pub mod markdown;

pub mod model;

pub mod search;

pub mod options;

pub mod render;

pub mod site;

pub mod write;

// Beside it, each after what it uses.
pub mod check;
pub mod cli;
pub mod editor;
pub mod import;
pub mod init;

pub mod deploy;

pub mod desk;

pub mod serve;

use std::time::Duration;

use anyhow::Result;

pub use options::{build_time, BuildOptions, Stage, Stages};
pub use site::Site;

use render::RenderStats;
use write::{Output, WriteStats};

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
    site.bodies_read()?;
    let write = output.commit()?;
    site.photos.finish(true)?;
    site.cards.prune();
    stages.mark("commit");
    let report = BuildReport {
        languages: site.config.languages.iter().map(|l| l.code.clone()).collect(),
        articles: site.model.entries.len(),
        render,
        write,
        elapsed: stages.elapsed(),
        stages: stages.into_marks(),
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
