//! `twinpress deploy`: the site built, checked as `check --output` checks a build (every link,
//! asset, feed and `hreflang`), and published to a target folder as a new release beside the
//! live one — files unchanged since the last release hard-linked, not copied — then made live by
//! one atomic switch of the `current` symlink. Readers see the old site or the new one, never a
//! mix; an interrupted deploy leaves the live site as it was; one deploy at a time.
//!
//! A target folder holds:
//! ```text
//! current -> releases/20261207T063500Z-3f2a1c   the web server's root
//! releases/<name>/                              each release, whole
//! records/<name>.toml                           who published it, when, from which commit
//! deploy.lock                                   held by the deploy at work
//! ```

pub mod job;
mod record;
mod ssh;
mod target;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};

pub use record::Record;
pub use target::{Release, Target};

use crate::config::Config;
use crate::options::BuildOptions;

/// What to deploy, and where.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// The site.
    pub root: PathBuf,
    /// Overrides `[deploy] target` of site.toml.
    pub target: Option<String>,
    /// Overrides `base_url` of site.toml: the address the target is served at.
    pub base_url: Option<String>,
    /// The build's time (seconds since 1970); `None`: `SOURCE_DATE_EPOCH`, else the clock.
    pub now: Option<i64>,
    /// Who publishes (recorded with the release).
    pub by: String,
}

impl DeployOptions {
    pub fn new(root: impl Into<PathBuf>) -> DeployOptions {
        DeployOptions {
            root: root.into(),
            target: None,
            base_url: None,
            now: None,
            by: who(),
        }
    }
}

/// What a deploy did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deployed {
    /// A new release is live.
    Published {
        release: String,
        /// Files whose bytes are new in this release (the others are hard links to the last).
        copied: usize,
        /// Bytes of those files.
        bytes: u64,
        /// Files in the release.
        files: usize,
        /// HTML pages new, changed or gone since the last release.
        pages_changed: usize,
        /// Old releases removed (`[deploy] keep`).
        pruned: usize,
    },
    /// The build is the live release's, byte for byte: nothing was published.
    Unchanged { release: String },
}

impl Deployed {
    /// One line for the terminal.
    pub fn summary(&self, target: &Target) -> String {
        match self {
            Deployed::Published {
                release,
                copied,
                bytes,
                files,
                pages_changed,
                pruned,
            } => {
                format!(
                "Published {release} to {}: {pages_changed} page{} changed; {copied} of {files} files copied ({}){}{}",
                target.display(),
                if *pages_changed == 1 { "" } else { "s" },
                human_bytes(*bytes),
                if copied < files { ", the rest linked to the last release" } else { "" },
                if *pruned > 0 {
                    format!("; {pruned} old release{} removed", if *pruned == 1 { "" } else { "s" })
                } else {
                    String::new()
                }
            )
            }
            Deployed::Unchanged { release } => format!(
                "Nothing to publish: the build is the live release {release} of {}, byte for byte",
                target.display()
            ),
        }
    }
}

/// The target `opts` names (or site.toml's), with the number of old releases to keep.
fn target_of(opts: &DeployOptions) -> Result<(Target, usize, Config)> {
    let config = Config::load(&opts.root)?;
    let settings = config.deploy.clone();
    let (target, keep) = match (&opts.target, &settings) {
        (Some(t), s) => (t.clone(), s.as_ref().map_or(crate::config::KEEP_RELEASES, |s| s.keep)),
        (None, Some(s)) => (s.target.clone(), s.keep),
        (None, None) => bail!(
            "site.toml has no [deploy] target: add\n\n[deploy]\ntarget = \"/srv/portal\"\n\nor give --target FOLDER"
        ),
    };
    let ssh = settings.map(|s| s.ssh).unwrap_or_default();
    Ok((Target::parse(&target, &opts.root, &ssh)?, keep, config))
}

/// Builds the site, checks the build and publishes it as a new release of its target.
pub fn deploy(opts: &DeployOptions, log: &dyn Fn(&str)) -> Result<(Target, Deployed)> {
    let (target, keep, config) = target_of(opts)?;
    let _lock = target.lock(log)?;
    target.clean_up(log)?;
    // The build goes into a folder of the site's own that stays between deploys: a deploy
    // writes only the files that changed, as any build does.
    let staging = opts.root.join(".twinpress").join("deploy-build");
    let build = BuildOptions {
        output: Some(staging.clone()),
        base_url: opts.base_url.clone(),
        now: opts.now,
        ..BuildOptions::new(&opts.root)
    };
    log("building");
    let report = crate::build(&build).context("The site does not build: nothing was published")?;
    log(&report.summary());
    let base_url = match &opts.base_url {
        Some(url) => crate::config::normalize_base_url(url).map_err(anyhow::Error::msg)?,
        None => config.base_url.clone(),
    };
    log("checking every link, asset, feed and hreflang of the build");
    check(&staging, &base_url)?;
    let live = target.live()?;
    if let Some(live) = &live {
        if target.holds(live, &staging)? {
            return Ok((
                target.clone(),
                Deployed::Unchanged {
                    release: live.name.clone(),
                },
            ));
        }
    }
    // Named by the time it is published (not the build's time, which SOURCE_DATE_EPOCH may fix):
    // releases sort by their names.
    let name = target::release_name(jiff::Timestamp::now(), &staging, &target.releases()?)?;
    log(&format!("publishing release {name}"));
    let made = target.make_release(&name, &staging, live.as_ref(), log)?;
    let record = Record {
        release: name.clone(),
        published: record::now_rfc3339(),
        by: opts.by.clone(),
        commit: record::git_commit(&opts.root),
        files: made.files,
        copied: made.copied,
        bytes: made.bytes,
        pages_changed: made.pages_changed,
    };
    target.write_record(&record)?;
    target.switch_to(&name)?;
    target.log_line(&format!("{} published {name} by {}", record.published, record.by))?;
    let pruned = target.prune(keep)?;
    after_switch(&config, &opts.root, &name, log)?;
    Ok((
        target,
        Deployed::Published {
            release: name,
            copied: made.copied,
            bytes: made.bytes,
            files: made.files,
            pages_changed: made.pages_changed,
            pruned,
        },
    ))
}

/// Runs `[deploy] after` (with `sh -c`, in the site's folder) once release `live` is live.
fn after_switch(config: &Config, root: &Path, live: &str, log: &dyn Fn(&str)) -> Result<()> {
    let Some(command) = config.deploy.as_ref().and_then(|d| d.after.as_deref()) else {
        return Ok(());
    };
    log(&format!("running `{command}` ([deploy] after)"));
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(root)
        .env("TWINPRESS_RELEASE", live)
        .output()
        .with_context(|| format!("Cannot run `{command}` ([deploy] after)"))?;
    let said = String::from_utf8_lossy(&out.stderr).trim().to_string();
    if !out.status.success() {
        bail!(
            "release {live} is live, but `{command}` ([deploy] after) failed ({}){}: run it again by hand",
            out.status,
            if said.is_empty() {
                String::new()
            } else {
                format!(": {said}")
            }
        );
    }
    Ok(())
}

/// The build in `dir` crawled as `check --output` crawls one: an error ([`Refused`]) lists what
/// is broken.
fn check(dir: &Path, base_url: &str) -> Result<()> {
    let urls = crate::urls::Urls::new(base_url).map_err(anyhow::Error::msg)?;
    let crawl = crate::check::crawl::crawl(&urls, &crate::check::crawl::fetch_from(dir));
    if crawl.broken.is_empty() {
        return Ok(());
    }
    Err(Refused { broken: crawl.broken }.into())
}

/// A build the crawl found broken links, assets or alternates in: nothing was published.
#[derive(Debug)]
pub struct Refused {
    pub broken: Vec<crate::check::crawl::Broken>,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "The build has {} broken links, assets or alternates: nothing was published",
            self.broken.len()
        )?;
        for b in self.broken.iter().take(50) {
            write!(f, "\n  {}: {}", b.page, b.message)?;
        }
        if self.broken.len() > 50 {
            write!(f, "\n  … and {} more", self.broken.len() - 50)?;
        }
        Ok(())
    }
}

impl std::error::Error for Refused {}

/// Makes release `name` (or the one before the live one) live again.
pub fn rollback(opts: &DeployOptions, name: Option<&str>, log: &dyn Fn(&str)) -> Result<(Target, String)> {
    let (target, _, _) = target_of(opts)?;
    let _lock = target.lock(log)?;
    let releases = target.releases()?;
    let live = target.live()?;
    let to = match name {
        Some(n) => releases
            .iter()
            .find(|r| r.name == n)
            .with_context(|| {
                format!(
                    "{} has no release {n}: `twinpress deploy --list` lists them",
                    target.display()
                )
            })?
            .name
            .clone(),
        None => {
            let Some(live) = &live else {
                bail!("{} has no live release to go back from", target.display());
            };
            releases
                .iter()
                .rev()
                .find(|r| r.name < live.name)
                .with_context(|| {
                    format!(
                        "{} has no release before the live one ({})",
                        target.display(),
                        live.name
                    )
                })?
                .name
                .clone()
        }
    };
    if live.as_ref().is_some_and(|l| l.name == to) {
        bail!("{to} is the live release already");
    }
    target.switch_to(&to)?;
    target.log_line(&format!("{} rolled back to {to} by {}", record::now_rfc3339(), opts.by))?;
    let (_, _, config) = target_of(opts)?;
    after_switch(&config, &opts.root, &to, log)?;
    Ok((target, to))
}

/// A target's releases, as `--list` shows them.
pub struct Listing {
    pub target: Target,
    /// Every release with its record, oldest first.
    pub releases: Vec<(Release, Option<Record>)>,
    /// The live one's name.
    pub live: Option<String>,
}

/// Every release of the target with its record.
pub fn list(opts: &DeployOptions) -> Result<Listing> {
    let (target, _, _) = target_of(opts)?;
    let live = target.live()?.map(|l| l.name);
    let releases = target
        .releases()?
        .into_iter()
        .map(|r| {
            let record = target.record(&r.name);
            (r, record)
        })
        .collect();
    Ok(Listing { target, releases, live })
}

/// Who is publishing: the login name (`$USER`, else this process's user in /etc/passwd).
pub fn who() -> String {
    if let Some(name) = std::env::var("USER").ok().or_else(|| std::env::var("LOGNAME").ok()) {
        return name;
    }
    let uid = rustix::process::getuid().as_raw().to_string();
    std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|passwd| {
            passwd.lines().find_map(|line| {
                let mut fields = line.split(':');
                let name = fields.next()?;
                (fields.nth(1)? == uid).then(|| name.to_string())
            })
        })
        .unwrap_or_else(|| format!("uid {uid}"))
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 10 * 1024 * 1024 => format!("{} MB", n / (1024 * 1024)),
        n if n >= 10 * 1024 => format!("{} KB", n / 1024),
        n => format!("{n} bytes"),
    }
}
