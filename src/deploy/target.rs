//! A deploy target: a folder whose `current` symlink is the web server's root, its releases
//! beside it. Every change of what is live is one `rename` of a symlink over `current`.

use std::fs;
use std::io::Read as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};

use super::record::Record;
use super::ssh::{Remote, RemoteLock};

const RELEASES: &str = "releases";
const RECORDS: &str = "records";
const CURRENT: &str = "current";
const LOCK: &str = "deploy.lock";
const LOG: &str = "deploy.log";
/// A release being filled: never live, removed by the next deploy if one was interrupted.
const INCOMING: &str = ".incoming-";
/// An old release being removed: renamed first, so a removal cut short leaves no half release.
const REMOVING: &str = ".removing-";

/// Where a site is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A folder on this machine.
    Local(PathBuf),
    /// A folder on a server, over SSH.
    Ssh(Remote),
}

/// One release of a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub name: String,
    pub path: PathBuf,
}

/// What filling a release did.
pub struct Made {
    pub files: usize,
    pub copied: usize,
    pub bytes: u64,
    pub pages_changed: usize,
}

/// Held while a deploy or rollback works on a target: another waits for it.
pub struct Lock {
    _file: Option<fs::File>,
    _remote: Option<RemoteLock>,
}

impl Target {
    /// A target as site.toml or `--target` writes it: a folder (relative to the site), or an
    /// `ssh://` address.
    pub fn parse(written: &str, root: &Path, ssh: &[String]) -> Result<Target> {
        if written.starts_with("ssh://") {
            return Ok(Target::Ssh(Remote::parse(written, ssh.to_vec())?));
        }
        if written.contains("://") {
            bail!("target `{written}`: a target is a folder (\"/srv/portal\") or ssh://user@host:port/folder");
        }
        let path = Path::new(written);
        Ok(Target::Local(if path.is_absolute() {
            path.to_path_buf()
        } else {
            root.join(path)
        }))
    }

    /// The folder of a target here (a server's is reached by its own arm of each step).
    fn dir(&self) -> &Path {
        match self {
            Target::Local(p) => p,
            Target::Ssh(r) => Path::new(&r.path),
        }
    }

    pub fn display(&self) -> String {
        match self {
            Target::Local(p) => p.display().to_string(),
            Target::Ssh(r) => r.display(),
        }
    }

    /// Takes the target's lock, waiting (and saying so) while another deploy holds it.
    pub fn lock(&self, log: &dyn Fn(&str)) -> Result<Lock> {
        if let Target::Ssh(r) = self {
            return Ok(Lock {
                _file: None,
                _remote: Some(r.lock(log)?),
            });
        }
        let dir = self.dir();
        for sub in [dir.to_path_buf(), dir.join(RELEASES), dir.join(RECORDS)] {
            fs::create_dir_all(&sub).with_context(|| format!("Cannot create the deploy folder {}", sub.display()))?;
            readable_dir(&sub)?;
        }
        let path = dir.join(LOCK);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("Cannot open {}", path.display()))?;
        use rustix::fs::{flock, FlockOperation};
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(rustix::io::Errno::WOULDBLOCK) => {
                log(&format!(
                    "another deploy to {} is at work: waiting for it",
                    self.display()
                ));
                flock(&file, FlockOperation::LockExclusive)
                    .map_err(std::io::Error::from)
                    .with_context(|| format!("Cannot lock {}", path.display()))?;
            }
            Err(e) => {
                return Err(std::io::Error::from(e)).with_context(|| format!("Cannot lock {}", path.display()));
            }
        }
        Ok(Lock {
            _file: Some(file),
            _remote: None,
        })
    }

    /// Removes what an interrupted deploy left: a release never made live, an old one half
    /// removed, a symlink never switched in.
    pub fn clean_up(&self, log: &dyn Fn(&str)) -> Result<()> {
        if let Target::Ssh(r) = self {
            let said = r.run(
                "cd \"$T\" && for f in releases/.incoming-* releases/.removing-* .current-*; do \
                 [ -e \"$f\" ] || [ -L \"$f\" ] || continue; echo \"$f\"; rm -rf \"$f\"; done",
                None,
            )?;
            for f in said.lines() {
                log(&format!("removed {f} (an interrupted deploy's)"));
            }
            return Ok(());
        }
        let releases = self.dir().join(RELEASES);
        for entry in fs::read_dir(&releases).with_context(|| format!("Cannot read {}", releases.display()))? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(INCOMING) || name.starts_with(REMOVING) {
                log(&format!(
                    "removing {} (an interrupted deploy's)",
                    entry.path().display()
                ));
                fs::remove_dir_all(entry.path())
                    .with_context(|| format!("Cannot remove {}", entry.path().display()))?;
            }
        }
        for entry in fs::read_dir(self.dir()).with_context(|| format!("Cannot read {}", self.display()))? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with(&format!(".{CURRENT}-")) {
                fs::remove_file(entry.path()).with_context(|| format!("Cannot remove {}", entry.path().display()))?;
            }
        }
        Ok(())
    }

    /// The live release: where `current` leads.
    pub fn live(&self) -> Result<Option<Release>> {
        if let Target::Ssh(r) = self {
            let to = r.run("readlink \"$T/current\" || true", None)?;
            let name = to.trim().rsplit('/').next().unwrap_or_default().to_string();
            return Ok((!name.is_empty()).then(|| Release {
                path: self.dir().join(RELEASES).join(&name),
                name,
            }));
        }
        let current = self.dir().join(CURRENT);
        let to = match fs::read_link(&current) {
            Ok(to) => to,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(e).with_context(|| {
                    format!(
                        "{} is not a symlink to a release: move it away (twinpress deploy makes it)",
                        current.display()
                    )
                })
            }
        };
        let name = to
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Some(Release {
            path: self.dir().join(RELEASES).join(&name),
            name,
        }))
    }

    /// Every release, oldest first (names begin with their time).
    pub fn releases(&self) -> Result<Vec<Release>> {
        if let Target::Ssh(r) = self {
            let said = r.run(
                "cd \"$T/releases\" 2>/dev/null || exit 0; for d in *; do [ -d \"$d\" ] && echo \"$d\"; done; true",
                None,
            )?;
            let mut out: Vec<Release> = said
                .lines()
                .filter(|n| !n.is_empty() && !n.starts_with('.') && *n != "*")
                .map(|n| Release {
                    name: n.to_string(),
                    path: self.dir().join(RELEASES).join(n),
                })
                .collect();
            out.sort_by(|a, b| a.name.cmp(&b.name));
            return Ok(out);
        }
        let dir = self.dir().join(RELEASES);
        let mut out = Vec::new();
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e).with_context(|| format!("Cannot read {}", dir.display())),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with('.') && entry.file_type()?.is_dir() {
                out.push(Release {
                    path: entry.path(),
                    name,
                });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Fills release `name` from the build in `staging`: each file the live release has with the
    /// same bytes is hard-linked to it, the others copied; every file readable by the web server
    /// (0644, folders 0755) whatever the umask. Then renamed into place, whole.
    pub fn make_release(&self, name: &str, staging: &Path, live: Option<&Release>, log: &dyn Fn(&str)) -> Result<Made> {
        if let Target::Ssh(r) = self {
            let pages_changed = match live {
                Some(l) => {
                    let (changed, gone) = r.differences(staging, &l.name)?;
                    changed.iter().chain(&gone).filter(|f| f.ends_with(".html")).count()
                }
                None => walkdir::WalkDir::new(staging)
                    .into_iter()
                    .flatten()
                    .filter(|e| e.file_type().is_file() && is_page(e.path()))
                    .count(),
            };
            log("uploading the files that changed");
            let (files, copied, bytes) = r.upload(
                staging,
                &format!("{INCOMING}{name}"),
                live.map(|l| l.name.as_str()),
                log,
            )?;
            r.run(&format!("cd \"$T/releases\" && mv {INCOMING}{name} {name}"), None)?;
            return Ok(Made {
                files,
                copied,
                bytes,
                pages_changed,
            });
        }
        let releases = self.dir().join(RELEASES);
        let incoming = releases.join(format!("{INCOMING}{name}"));
        let mut made = Made {
            files: 0,
            copied: 0,
            bytes: 0,
            pages_changed: 0,
        };
        let bar = progress_bar("Publishing");
        for entry in walkdir::WalkDir::new(staging).sort_by_file_name() {
            let entry = entry.with_context(|| format!("Cannot read the build in {}", staging.display()))?;
            let rel = entry.path().strip_prefix(staging).unwrap_or(entry.path());
            let to = incoming.join(rel);
            if entry.file_type().is_dir() {
                fs::create_dir_all(&to).with_context(|| format!("Cannot create {}", to.display()))?;
                readable_dir(&to)?;
                continue;
            }
            made.files += 1;
            let old = live
                .map(|l| l.path.join(rel))
                .filter(|o| same_file(entry.path(), o).unwrap_or(false));
            let copied_at = entry.metadata().ok().and_then(|m| m.modified().ok());
            match old {
                Some(old) => {
                    fs::hard_link(&old, &to)
                        .with_context(|| format!("Cannot link {} to {}", to.display(), old.display()))?;
                }
                None => {
                    made.bytes += fs::copy(entry.path(), &to)
                        .with_context(|| format!("Cannot copy {} to {}", entry.path().display(), to.display()))?;
                    fs::set_permissions(&to, fs::Permissions::from_mode(0o644))
                        .with_context(|| format!("Cannot set the permissions of {}", to.display()))?;
                    // The build's time of the file, as the build keeps it while its bytes do not
                    // change: the next deploy knows it unchanged without reading it.
                    if let Some(at) = copied_at {
                        fs::File::options()
                            .write(true)
                            .open(&to)
                            .and_then(|f| f.set_modified(at))
                            .with_context(|| format!("Cannot set the time of {}", to.display()))?;
                    }
                    made.copied += 1;
                    if is_page(rel) {
                        made.pages_changed += 1;
                    }
                }
            }
            bar.set_position(made.files as u64);
            bar.set_message(format!("{} copied ({} KB)", made.copied, made.bytes / 1024));
            if bar.is_hidden() && made.files.is_multiple_of(5000) {
                log(&format!("{} files, {} copied", made.files, made.copied));
            }
        }
        // Pages the live release has and this one does not.
        if let Some(live) = live {
            for entry in walkdir::WalkDir::new(&live.path).into_iter().flatten() {
                let rel = entry.path().strip_prefix(&live.path).unwrap_or(entry.path());
                if entry.file_type().is_file() && is_page(rel) && !staging.join(rel).exists() {
                    made.pages_changed += 1;
                }
            }
        }
        bar.finish_and_clear();
        sync_dir(&incoming)?;
        let release = releases.join(name);
        fs::rename(&incoming, &release)
            .with_context(|| format!("Cannot rename {} to {}", incoming.display(), release.display()))?;
        sync_dir(&releases)?;
        Ok(made)
    }

    /// Makes release `name` live: a new symlink renamed over `current`, in one step.
    pub fn switch_to(&self, name: &str) -> Result<()> {
        if let Target::Ssh(r) = self {
            r.run(
                &format!(
                    "cd \"$T\" && ln -sfn {RELEASES}/{name} .{CURRENT}-{name} && mv -T .{CURRENT}-{name} {CURRENT}"
                ),
                None,
            )?;
            return Ok(());
        }
        let dir = self.dir();
        let next = dir.join(format!(".{CURRENT}-{name}"));
        let _ = fs::remove_file(&next);
        std::os::unix::fs::symlink(Path::new(RELEASES).join(name), &next)
            .with_context(|| format!("Cannot make the symlink {}", next.display()))?;
        fs::rename(&next, dir.join(CURRENT))
            .with_context(|| format!("Cannot switch {} to {name}", dir.join(CURRENT).display()))?;
        sync_dir(dir)
    }

    pub fn write_record(&self, record: &Record) -> Result<()> {
        let path = self.dir().join(RECORDS).join(format!("{}.toml", record.release));
        let text = toml::to_string(record).context("Cannot write a release's record")?;
        if let Target::Ssh(r) = self {
            r.run(
                &format!("cat > \"$T/{RECORDS}/{}.toml\"", record.release),
                Some(text.as_bytes()),
            )?;
            return Ok(());
        }
        fs::write(&path, text).with_context(|| format!("Cannot write {}", path.display()))
    }

    /// The record of release `name`, if it has a readable one.
    pub fn record(&self, name: &str) -> Option<Record> {
        let text = match self {
            Target::Ssh(r) => r.run(&format!("cat \"$T/{RECORDS}/{name}.toml\""), None).ok()?,
            Target::Local(_) => fs::read_to_string(self.dir().join(RECORDS).join(format!("{name}.toml"))).ok()?,
        };
        toml::from_str(&text).ok()
    }

    /// Appends a line to the target's `deploy.log`.
    pub fn log_line(&self, line: &str) -> Result<()> {
        use std::io::Write as _;
        if let Target::Ssh(r) = self {
            r.run(&format!("cat >> \"$T/{LOG}\""), Some(format!("{line}\n").as_bytes()))?;
            return Ok(());
        }
        let path = self.dir().join(LOG);
        let mut f = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("Cannot open {}", path.display()))?;
        writeln!(f, "{line}").with_context(|| format!("Cannot write {}", path.display()))
    }

    /// Removes the oldest releases (and their records) beyond the live one and `keep` others.
    pub fn prune(&self, keep: usize) -> Result<usize> {
        let live = self.live()?.map(|l| l.name);
        let others: Vec<Release> = self
            .releases()?
            .into_iter()
            .filter(|r| Some(&r.name) != live.as_ref())
            .collect();
        let extra = others.len().saturating_sub(keep);
        for r in &others[..extra] {
            if let Target::Ssh(remote) = self {
                remote.run(
                    &format!(
                        "cd \"$T/{RELEASES}\" && mv {0} {REMOVING}{0} && rm -f ../{RECORDS}/{0}.toml && rm -rf {REMOVING}{0}",
                        r.name
                    ),
                    None,
                )?;
                continue;
            }
            // Out of the list in one step, then removed: never half a release under its name.
            let gone = self.dir().join(RELEASES).join(format!("{REMOVING}{}", r.name));
            fs::rename(&r.path, &gone).with_context(|| format!("Cannot move {} away", r.path.display()))?;
            let _ = fs::remove_file(self.dir().join(RECORDS).join(format!("{}.toml", r.name)));
            fs::remove_dir_all(&gone).with_context(|| format!("Cannot remove {}", gone.display()))?;
        }
        Ok(extra)
    }
}

/// A release's name: when it is published (UTC, to the millisecond) and a short hash of what it
/// holds; later than every name in `after`, so that names sort as releases were made even if the
/// clock went back.
pub fn release_name(now: jiff::Timestamp, staging: &Path, after: &[Release]) -> Result<String> {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for entry in walkdir::WalkDir::new(staging).sort_by_file_name().into_iter().flatten() {
        if entry.file_type().is_file() {
            h.update(
                entry
                    .path()
                    .strip_prefix(staging)
                    .unwrap_or(entry.path())
                    .as_os_str()
                    .as_encoded_bytes(),
            );
            h.update(&entry.metadata().map(|m| m.len()).unwrap_or(0).to_le_bytes());
        }
    }
    h.update(&now.as_nanosecond().to_le_bytes());
    let id = h.digest() & 0xff_ffff;
    let mut time = now;
    loop {
        let name = format!("{}-{id:06x}", time.strftime("%Y%m%dT%H%M%S%.3fZ"));
        if after.iter().all(|r| r.name < name) {
            return Ok(name);
        }
        time = time
            .checked_add(jiff::SignedDuration::from_millis(1))
            .context("the clock is out of range")?;
    }
}

impl Target {
    /// Whether `live` holds the build in `staging`, file for file.
    pub fn holds(&self, live: &Release, staging: &Path) -> Result<bool> {
        match self {
            Target::Local(_) => same_tree(staging, &live.path),
            Target::Ssh(r) => {
                let (changed, gone) = r.differences(staging, &live.name)?;
                Ok(changed.is_empty() && gone.is_empty())
            }
        }
    }
}

/// Whether the folders `a` and `b` hold the same files with the same bytes.
pub fn same_tree(a: &Path, b: &Path) -> Result<bool> {
    let files = |dir: &Path| -> Vec<PathBuf> {
        walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf())
            .collect()
    };
    let (fa, fb) = (files(a), files(b));
    if fa != fb {
        return Ok(false);
    }
    for rel in &fa {
        if !same_file(&a.join(rel), &b.join(rel))? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether two files have the same bytes (a missing second file: no). Files of the same size
/// and modification time are taken as the same without reading them, as rsync takes them: a
/// release's file has the time of the build's file it was copied from, and the build keeps a
/// file's time while its bytes do not change.
fn same_file(a: &Path, b: &Path) -> Result<bool> {
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else {
        return Ok(false);
    };
    if ma.len() != mb.len() || !mb.is_file() {
        return Ok(false);
    }
    if ma.modified().ok().is_some_and(|t| mb.modified().ok() == Some(t)) {
        return Ok(true);
    }
    let (mut fa, mut fb) = (fs::File::open(a)?, fs::File::open(b)?);
    let (mut ba, mut bb) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(true);
        }
        fb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}

/// On a terminal, the files of a release as they are linked or copied; elsewhere hidden (the
/// log says how far it got instead).
pub(super) fn progress_bar(what: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal as _;
    if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!("{what}: {{pos}} files, {{msg}}"))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar
}

fn is_page(rel: &Path) -> bool {
    rel.extension().is_some_and(|e| e == "html")
}

/// A folder the web server can list and enter, whatever the umask.
fn readable_dir(dir: &Path) -> Result<()> {
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755))
        .with_context(|| format!("Cannot set the permissions of {}", dir.display()))
}

/// Writes a folder's entries to disk (a rename into it survives a crash).
fn sync_dir(dir: &Path) -> Result<()> {
    fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("Cannot sync {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_names_sort_as_releases_were_made_even_when_the_clock_goes_back() {
        let dir = tempfile::tempdir().unwrap();
        let t: jiff::Timestamp = "2026-12-07T06:35:00.5Z".parse().unwrap();
        let first = release_name(t, dir.path(), &[]).unwrap();
        assert!(first.starts_with("20261207T063500.500Z-"), "{first}");
        let made = |name: &str| Release {
            name: name.to_string(),
            path: dir.path().join(name),
        };
        // The same millisecond, and a clock set back: still after the last.
        let second = release_name(t, dir.path(), &[made(&first)]).unwrap();
        assert!(second > first, "{second} after {first}");
        let earlier: jiff::Timestamp = "2026-12-07T06:00:00Z".parse().unwrap();
        let third = release_name(earlier, dir.path(), &[made(&first), made(&second)]).unwrap();
        assert!(third > second, "{third} after {second}");
    }
}
