//! What a build is asked to do ([`BuildOptions`]) and how long each of its stages took
//! ([`Stages`]): the pipeline's input and its timings, in a module of their own so that the
//! stages (and [`crate::site`]) take them from below, not from the crate's root.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::model;

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
    pub replace: Replace,
    /// Link the stylesheet, the search script and the other named assets with their version
    /// (`style.css?v=…`). The preview does not: a stylesheet edit there swaps in at once, with
    /// no page to render again.
    pub versioned_assets: bool,
    /// Bytes of article bodies (HTML and plain text) held in memory; those past them wait in a
    /// temporary file until their pages are rendered ([`crate::markdown::Spill`]).
    pub bodies_in_memory: usize,
}

/// [`BuildOptions::bodies_in_memory`] unless a caller says: 256 MiB, the bodies of some 30,000
/// articles, so that a site of that size never writes one aside and an archive's build holds
/// no more of them.
pub const BODIES_IN_MEMORY: usize = 256 << 20;

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            future: false,
            now: None,
            replace: Replace::OwnOnly,
            versioned_assets: true,
            bodies_in_memory: BODIES_IN_MEMORY,
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

/// The build's time: `SOURCE_DATE_EPOCH` (seconds since 1970) when it is set, so a build can be
/// made again byte for byte, else the clock.
pub fn build_time() -> Result<i64> {
    crate::zone::now().map_err(anyhow::Error::msg)
}

/// One finished stage of a build: `--timings` prints them.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub took: Duration,
    /// The process's peak resident memory so far, in KiB (0 where the system does not say).
    pub peak_kib: u64,
}

/// How a build may treat what is in its output folder before it ([`crate::write`] replaces
/// the folder whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Replace {
    /// Only a missing or empty folder, or one that holds only files twinpress wrote.
    #[default]
    OwnOnly,
    /// Whatever is there (`--force`, and `serve`'s private folder).
    Anything,
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

    /// The time since the first stage began.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// The stages recorded, in order.
    pub fn into_marks(self) -> Vec<Stage> {
        self.marks
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
