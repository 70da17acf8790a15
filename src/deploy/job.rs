//! Deploys started by a long-running server — the desk's Publish button and `serve`'s
//! publishing of scheduled articles (`[deploy] auto`): one at a time in the process, each on a
//! thread of its own, what it says kept for the desk to show while it runs and after. Across
//! processes (the command line, another server) the target's lock keeps them apart: a deploy
//! started here while another holds it says it waits, then runs.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::{deploy, DeployOptions, Deployed, Refused};
use crate::diagnostics::Problems;

/// What a deploy started here came to.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Outcome {
    Running,
    /// A new release is live.
    Published {
        release: String,
        pages_changed: usize,
        summary: String,
    },
    /// The build was the live release's: nothing went out.
    Unchanged {
        release: String,
        summary: String,
    },
    /// The build's crawl found what is broken: nothing went out.
    Refused {
        broken: Vec<Broke>,
    },
    /// The site does not build (the problems by file and line), or the deploy failed.
    Failed {
        message: String,
        problems: Vec<Problem>,
    },
}

/// One broken link, asset, feed or alternate, on the page it is on.
#[derive(Debug, Clone, Serialize)]
pub struct Broke {
    /// The page's path under the site (`ru/news/x/index.html`).
    pub page: String,
    pub message: String,
}

/// One problem of the build, at its file (under the site) and line.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

/// A deploy started here: who asked, why, what it has said so far and how it ended.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    /// Counts up from 1 in this process.
    pub id: u64,
    pub by: String,
    /// "the desk", "a scheduled article's time".
    pub why: String,
    /// When it started (RFC 3339, UTC).
    pub started: String,
    /// Seconds it took (so far, while it runs).
    pub seconds: u64,
    pub lines: Vec<String>,
    pub outcome: Outcome,
}

#[derive(Default)]
struct Jobs {
    last: Option<Job>,
    started_at: Option<std::time::Instant>,
    /// Asked for while one ran: who and why; it starts when that one ends.
    queued: Option<(String, String)>,
}

type OnEnd = Arc<dyn Fn(&Job) + Send + Sync>;

/// Starts deploys of one site, one at a time, and keeps the last one's story.
pub struct Publisher {
    root: PathBuf,
    jobs: Arc<Mutex<Jobs>>,
    on_end: Option<OnEnd>,
}

/// A deploy is at work already (its id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy(pub u64);

impl Job {
    pub fn running(&self) -> bool {
        matches!(self.outcome, Outcome::Running)
    }

    /// One line for a terminal: how it ended.
    pub fn said(&self) -> String {
        let how = match &self.outcome {
            Outcome::Running => "is at work".to_string(),
            Outcome::Published { summary, .. } | Outcome::Unchanged { summary, .. } => summary.clone(),
            Outcome::Refused { broken } => format!(
                "refused: the build has {} broken links, assets or alternates; nothing was published",
                broken.len()
            ),
            Outcome::Failed { message, .. } => format!("failed: {message}"),
        };
        format!("Deploy #{} ({}, by {}): {how}", self.id, self.why, self.by)
    }
}

impl Publisher {
    pub fn new(root: PathBuf) -> Publisher {
        Publisher {
            root,
            jobs: Arc::default(),
            on_end: None,
        }
    }

    /// Calls `f` with each deploy as it ends (`serve` prints it).
    pub fn on_end(mut self, f: impl Fn(&Job) + Send + Sync + 'static) -> Publisher {
        self.on_end = Some(Arc::new(f));
        self
    }

    /// The last deploy started here, as it stands.
    pub fn last(&self) -> Option<Job> {
        let jobs = lock(&self.jobs);
        let mut job = jobs.last.clone()?;
        if let Some(at) = jobs.started_at {
            job.seconds = at.elapsed().as_secs();
        }
        Some(job)
    }

    /// Starts a deploy of the site to its `[deploy] target` by `by`, unless one is at work.
    pub fn start(&self, by: &str, why: &str) -> Result<u64, Busy> {
        self.start_else(by, why, false)
    }

    /// Starts a deploy, or, while one is at work, has one start when it ends (what that one
    /// built may be older than what is due now).
    pub fn start_or_queue(&self, by: &str, why: &str) -> Result<u64, Busy> {
        self.start_else(by, why, true)
    }

    fn start_else(&self, by: &str, why: &str, queue: bool) -> Result<u64, Busy> {
        let mut jobs = lock(&self.jobs);
        if let Some(id) = jobs.last.as_ref().filter(|j| j.running()).map(|j| j.id) {
            if queue {
                jobs.queued = Some((by.to_string(), why.to_string()));
            }
            return Err(Busy(id));
        }
        let id = begin(&mut jobs, by, why);
        drop(jobs);
        let (root, shared, on_end) = (self.root.clone(), Arc::clone(&self.jobs), self.on_end.clone());
        std::thread::spawn(move || run(&root, &shared, on_end.as_ref()));
        Ok(id)
    }

    /// Waits until no deploy started here is at work (for shutdown).
    pub fn wait(&self) -> Option<Job> {
        loop {
            match self.last() {
                Some(job) if job.running() => std::thread::sleep(std::time::Duration::from_millis(50)),
                other => return other,
            }
        }
    }
}

/// Makes a new job the last one, running: its id.
fn begin(jobs: &mut Jobs, by: &str, why: &str) -> u64 {
    let id = jobs.last.as_ref().map_or(1, |j| j.id + 1);
    jobs.last = Some(Job {
        id,
        by: by.to_string(),
        why: why.to_string(),
        started: super::record::now_rfc3339(),
        seconds: 0,
        lines: Vec::new(),
        outcome: Outcome::Running,
    });
    jobs.started_at = Some(std::time::Instant::now());
    id
}

/// Runs the last job, then the one queued while it ran, if any.
fn run(root: &std::path::Path, shared: &Arc<Mutex<Jobs>>, on_end: Option<&OnEnd>) {
    loop {
        let by = lock(shared).last.as_ref().map(|j| j.by.clone()).unwrap_or_default();
        let opts = DeployOptions {
            by,
            ..DeployOptions::new(root)
        };
        let say = |line: &str| {
            if let Some(job) = lock(shared).last.as_mut() {
                job.lines.push(line.to_string());
            }
        };
        let outcome = match deploy(&opts, &say) {
            Ok((target, done)) => {
                let summary = done.summary(&target);
                match done {
                    Deployed::Published {
                        release, pages_changed, ..
                    } => Outcome::Published {
                        release,
                        pages_changed,
                        summary,
                    },
                    Deployed::Unchanged { release } => Outcome::Unchanged { release, summary },
                }
            }
            Err(err) => outcome_of(&err, root),
        };
        let mut jobs = lock(shared);
        let took = jobs.started_at.take().map_or(0, |at| at.elapsed().as_secs());
        let ended = jobs.last.as_mut().map(|job| {
            job.seconds = took;
            job.outcome = outcome;
            job.clone()
        });
        let next = jobs.queued.take();
        if let Some((by, why)) = &next {
            begin(&mut jobs, by, why);
        }
        drop(jobs);
        if let (Some(f), Some(job)) = (on_end, &ended) {
            f(job);
        }
        if next.is_none() {
            return;
        }
    }
}

/// A failed deploy's outcome: the crawl's refusal, the build's problems by file, or the
/// message.
fn outcome_of(err: &anyhow::Error, root: &std::path::Path) -> Outcome {
    if let Some(refused) = err.downcast_ref::<Refused>() {
        return Outcome::Refused {
            broken: refused
                .broken
                .iter()
                .map(|b| Broke {
                    page: b.page.clone(),
                    message: b.message.clone(),
                })
                .collect(),
        };
    }
    let problems = err
        .chain()
        .find_map(|e| e.downcast_ref::<Problems>())
        .map(|p| {
            p.0.iter()
                .map(|p| Problem {
                    file: p.file.strip_prefix(root).unwrap_or(&p.file).display().to_string(),
                    line: p.line,
                    message: p.message.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    Outcome::Failed {
        message: crate::diagnostics::error_text(err),
        problems,
    }
}

fn lock(jobs: &Mutex<Jobs>) -> std::sync::MutexGuard<'_, Jobs> {
    jobs.lock().unwrap_or_else(|e| e.into_inner())
}
