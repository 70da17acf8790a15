//! The output folder. A build writes into a staging folder beside the output and swaps it into
//! place only when everything succeeded, so a failed or killed build leaves the previous output
//! untouched. A file whose bytes are unchanged is hard-linked from the previous output, so its
//! modification time stays and rsync or an object-store sync moves only what changed; files of
//! pages that no longer exist are gone with the old folder.

use std::collections::HashSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};

use crate::render::Sink;

mod claim;
mod swap;

pub use claim::{manifest_path, Replace};

const STAGING_TAG: &str = ".twinpress-staging-";

/// A hidden sibling of the output folder `target` (`public` → `.public.SUFFIX`): where its
/// manifest and, during a swap, the previous output are kept.
fn beside(target: &Path, suffix: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{suffix}"))
}

/// An output folder being written.
pub struct Output {
    target: PathBuf,
    staging: PathBuf,
    /// Files that came from `static/`; a page at the same path is an error.
    static_files: HashSet<String>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    committed: bool,
    /// Whether there is a previous output whose unchanged files are kept: a first build (and
    /// every build into a cleaned folder) asks the file system about none of its files.
    previous: bool,
    /// The folders of the staging folder made so far (relative to it): nothing is removed from
    /// it while a build writes, so a file in one made before (the search index's thousands of
    /// files share four) is written without asking the file system to make it again.
    made: Mutex<HashSet<String>>,
    /// Every file put into the staging folder, for the output's manifest ([`claim`]).
    files: Mutex<Vec<String>>,
}

/// What a build did to the output folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files new or changed.
    pub written: usize,
    /// Files identical to the previous output, left as they were.
    pub unchanged: usize,
}

impl Output {
    /// Starts writing `target`; `site_root` is guarded against being overwritten, and so is a
    /// folder that holds files no build wrote, unless `replace` says anything may go.
    pub fn begin(target: &Path, site_root: &Path, replace: Replace) -> Result<Output> {
        guard_target(target, site_root)?;
        claim::check_target(target, replace)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)
            .with_context(|| format!("Cannot create the folder {} for the output", parent.display()))?;
        let name = target
            .file_name()
            .with_context(|| format!("The output {} needs a folder name", target.display()))?
            .to_string_lossy()
            .into_owned();
        swap::recover(target)?;
        remove_leftovers(parent, &name);
        let staging = parent.join(format!(".{name}{STAGING_TAG}{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).with_context(|| format!("Cannot remove {}", staging.display()))?;
        }
        fs::create_dir(&staging).with_context(|| {
            format!(
                "Cannot write the output next to {}: is the folder writable?",
                target.display()
            )
        })?;
        Ok(Output {
            target: target.to_path_buf(),
            staging,
            static_files: HashSet::new(),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            committed: false,
            previous: target.is_dir(),
            made: Mutex::new(HashSet::new()),
            files: Mutex::new(Vec::new()),
        })
    }

    /// Copies the files of `dir` (the site's `static/`) to the output root.
    pub fn copy_static(&mut self, dir: &Path) -> Result<()> {
        for (rel, path) in static_files(dir)? {
            let bytes = fs::read(&path).with_context(|| format!("Cannot read {}", path.display()))?;
            self.store(&rel, Content::Bytes(&bytes))?;
            self.static_files.insert(rel);
        }
        Ok(())
    }

    /// Writes each of `assets` that `static/` did not provide (see [`crate::render::templates::defaults_needed`]).
    pub fn copy_defaults(&mut self, assets: &[crate::render::templates::Asset]) -> Result<()> {
        for (rel, bytes, _) in crate::render::templates::defaults_needed(assets, &|p| self.static_files.contains(p)) {
            self.store(rel, Content::Bytes(bytes))?;
            self.static_files.insert(rel.to_string());
        }
        Ok(())
    }

    /// The output paths of the files copied from `static/`.
    pub fn static_file_names(&self) -> std::collections::BTreeSet<String> {
        self.static_files.iter().cloned().collect()
    }

    /// Swaps the staged output into place and removes the previous one.
    pub fn commit(mut self) -> Result<WriteStats> {
        let stats = WriteStats {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
        };
        let files = std::mem::take(&mut *self.files.lock().unwrap_or_else(|e| e.into_inner()));
        // Until the swap, either folder may be the one in place: the manifest lists both.
        let previous = claim::recorded(&self.target);
        claim::record(&self.target, &files, Some(&previous))?;
        if self.target.exists() {
            if !self.target.is_dir() {
                bail!(
                    "The output {} is a file, not a folder: remove it or choose another --output",
                    self.target.display()
                );
            }
            swap::swap(&self.staging, &self.target)?;
        } else {
            fs::rename(&self.staging, &self.target)
                .with_context(|| format!("Cannot move the new output into {}", self.target.display()))?;
        }
        self.committed = true;
        claim::record(&self.target, &files, None)?;
        Ok(stats)
    }

    /// Puts `content` at `rel` in the staging folder; the previous output's file is kept (linked)
    /// when it has the same bytes. A file from the cache is hard-linked, not copied, where the
    /// file system allows.
    fn store(&self, rel: &str, content: Content) -> Result<()> {
        let dest = place(&self.staging, rel, Some(&self.made))?;
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(rel.to_string());
        if self.previous {
            let previous = self.target.join(rel);
            if content.same_as(&previous) && fs::hard_link(&previous, &dest).is_ok() {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
        }
        content.write_to(&dest)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// What a file of the output is made of: rendered bytes, or a file in the cache.
#[derive(Clone, Copy)]
enum Content<'a> {
    Bytes(&'a [u8]),
    File(&'a Path),
}

impl Content<'_> {
    /// Whether the file at `path` already holds these bytes.
    fn same_as(self, path: &Path) -> bool {
        match self {
            Content::Bytes(bytes) => same_bytes(path, bytes),
            Content::File(from) => same_file(path, from),
        }
    }

    /// Writes a new file at `path` (which must not exist).
    fn write_to(self, path: &Path) -> Result<()> {
        match self {
            Content::Bytes(bytes) => {
                let mut file = fs::File::create(path).with_context(|| format!("Cannot write {}", path.display()))?;
                file.write_all(bytes)
                    .with_context(|| format!("Cannot write {} (is the disk full?)", path.display()))
            }
            Content::File(from) => link_or_copy(from, path),
        }
    }
}

/// `root/rel`, its folders made (unless `made`, the folders of a staging folder made so far,
/// has them: then it is told of those it makes; the staging folder itself is made by
/// [`Output::begin`]); `rel` may not lead outside `root`.
fn place(root: &Path, rel: &str, made: Option<&Mutex<HashSet<String>>>) -> Result<PathBuf> {
    if rel.split('/').any(|part| part == ".." || part.is_empty()) {
        bail!("Refusing to write outside the output: {rel}");
    }
    let dest = root.join(rel);
    let folder = rel.rsplit_once('/').map(|(folder, _)| folder);
    // Not locked while the folder is made: two threads may both make one, as without `made`.
    if made.is_some_and(|m| folder.is_none_or(|f| lock(m).contains(f))) {
        return Ok(dest);
    }
    if let Some(dir) = dest.parent() {
        fs::create_dir_all(dir).with_context(|| format!("Cannot create {}", dir.display()))?;
    }
    if let (Some(m), Some(f)) = (made, folder) {
        lock(m).insert(f.to_string());
    }
    Ok(dest)
}

/// A lock of the set of folders made; a panic while it was held leaves it whole (every change
/// is one insert).
fn lock(made: &Mutex<HashSet<String>>) -> std::sync::MutexGuard<'_, HashSet<String>> {
    made.lock().unwrap_or_else(|e| e.into_inner())
}

/// The files of `dir` (a site's `static/`) as (output path, file), sorted; hidden files and
/// editors' leftovers skipped. None when the folder does not exist.
pub fn static_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = entry.with_context(|| format!("Cannot read {}", dir.display()))?;
        if !entry.file_type().is_file() || entry.file_name().to_str().is_none_or(crate::content::is_ignored) {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        out.push((rel.to_string_lossy().replace('\\', "/"), entry.path().to_path_buf()));
    }
    Ok(out)
}

impl Sink for Output {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        if self.static_files.contains(path) {
            bail!("static/{path} has the same path as a page the build writes: rename or remove it");
        }
        self.store(path, Content::Bytes(bytes))
    }

    fn put_file(&self, path: &str, from: &Path) -> Result<()> {
        if self.static_files.contains(path) {
            bail!("static/{path} has the same path as a file the build writes: rename or remove it");
        }
        self.store(path, Content::File(from))
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Updates single files of an existing output folder in place (the dev server's small rebuilds):
/// a file is written only when its bytes change, through a temporary file and a rename, so a
/// request never reads half a page.
pub struct InPlace {
    dir: PathBuf,
    written: AtomicUsize,
}

impl InPlace {
    pub fn new(dir: &Path) -> InPlace {
        InPlace {
            dir: dir.to_path_buf(),
            written: AtomicUsize::new(0),
        }
    }

    /// Files written so far.
    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    /// Removes `rel` and any folders it leaves empty.
    pub fn remove(&self, rel: &str) -> Result<()> {
        let path = self.dir.join(rel);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e).with_context(|| format!("Cannot remove {}", path.display())),
        }
        let mut parent = path.parent();
        while let Some(dir) = parent.filter(|d| *d != self.dir) {
            if fs::remove_dir(dir).is_err() {
                break;
            }
            parent = dir.parent();
        }
        Ok(())
    }
}

impl InPlace {
    /// Replaces `rel` with `content` through a temporary file and a rename, unless it holds it.
    fn replace(&self, rel: &str, content: Content) -> Result<()> {
        let dest = place(&self.dir, rel, None)?;
        if content.same_as(&dest) {
            return Ok(());
        }
        let tmp = dest.with_file_name(format!(
            ".{}.twinpress-tmp",
            dest.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
        ));
        let _ = fs::remove_file(&tmp);
        content.write_to(&tmp)?;
        fs::rename(&tmp, &dest).with_context(|| format!("Cannot write {}", dest.display()))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

impl Sink for InPlace {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.replace(rel, Content::Bytes(bytes))
    }

    fn put_file(&self, rel: &str, from: &Path) -> Result<()> {
        self.replace(rel, Content::File(from))
    }
}

/// Whether `a` and `b` are one file, or two with the same bytes.
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(x), Ok(y)) if x.is_file() && y.is_file() => {
            (x.dev(), x.ino()) == (y.dev(), y.ino())
                || (x.len() == y.len()
                    && fs::read(a)
                        .ok()
                        .is_some_and(|old| fs::read(b).is_ok_and(|new| old == new)))
        }
        _ => false,
    }
}

/// Hard-links `from` at `dest` (new), or copies it where links cannot be made (another disk).
fn link_or_copy(from: &Path, dest: &Path) -> Result<()> {
    if fs::hard_link(from, dest).is_ok() {
        return Ok(());
    }
    fs::copy(from, dest).map(|_| ()).with_context(|| {
        format!(
            "Cannot copy {} to {} (is the disk full?)",
            from.display(),
            dest.display()
        )
    })
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => fs::read(path).is_ok_and(|old| old == bytes),
        _ => false,
    }
}

/// Removes staging folders of earlier builds that were killed (their process is gone): this
/// output's, and those of other outputs beside it (at 200,000 articles each holds gigabytes).
fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}{STAGING_TAG}");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let (rest, ours) = match file_name.strip_prefix(&prefix) {
            Some(rest) => (rest, true),
            None => match file_name.strip_prefix('.').and_then(|n| n.rsplit_once(STAGING_TAG)) {
                Some((_, rest)) => (rest, false),
                None => continue,
            },
        };
        let alive = match left_by(rest, '.') {
            Some(alive) => alive,
            // Another output's, whose process the system cannot tell of: left to its own
            // next build.
            None if !ours => true,
            // Where the system does not say (no /proc), a staging folder touched in the last
            // hour may be another build's, still running.
            _ => entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age.as_secs() < 3600)),
        };
        if !alive {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether the process whose id begins `rest` (up to `end`, a folder's name after its prefix)
/// is running: `None` where the name has no id or `/proc` cannot say.
pub(crate) fn left_by(rest: &str, end: char) -> Option<bool> {
    let pid = rest.split(end).next()?.parse::<u32>().ok()?;
    process_alive(pid)
}

/// Whether the process `pid` (not this one) is running: `None` where `/proc` cannot say.
fn process_alive(pid: u32) -> Option<bool> {
    if pid == std::process::id() {
        return Some(false);
    }
    Path::new("/proc/self")
        .exists()
        .then(|| Path::new(&format!("/proc/{pid}")).exists())
}

/// Refuses an output folder that would replace the site itself or a folder holding it.
fn guard_target(target: &Path, site_root: &Path) -> Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists, keep the rest as written.
        p.canonicalize().unwrap_or(p)
    };
    let target_abs = abs(target);
    let root_abs = abs(site_root);
    if root_abs.starts_with(&target_abs) {
        bail!(
            "The output {} would replace the site itself ({}): choose an output folder inside it, like public/",
            target.display(),
            site_root.display()
        );
    }
    for dir in ["content", "templates", "static"] {
        if target_abs.starts_with(root_abs.join(dir)) {
            bail!(
                "The output {} is inside the site's {dir}/ folder: choose another, like public/",
                target.display()
            );
        }
    }
    if target_abs.join(crate::config::FILE_NAME).exists() {
        bail!(
            "The output {} holds a site.toml: it looks like a site, not an output folder",
            target.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn files_that_share_a_folder_have_it_made_once_and_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let o = Output::begin(&out, dir.path(), Replace::OwnOnly).unwrap();
        let files = [
            "s/1.json",
            "s/2.json",
            "s/t/3.json",
            "s/4.json",
            "s/t/5.json",
            "top.xml",
        ];
        for rel in files {
            o.put(rel, rel.as_bytes()).unwrap();
        }
        let made: std::collections::BTreeSet<String> = o.made.lock().unwrap().iter().cloned().collect();
        assert_eq!(made, ["s", "s/t"].map(String::from).into());
        // A known folder does not let a path out of the output.
        let err = o.put("s/../x.json", b"x").unwrap_err();
        assert!(
            err.to_string().contains("Refusing to write outside the output"),
            "{err}"
        );
        o.commit().unwrap();
        for rel in files {
            assert_eq!(fs::read(out.join(rel)).unwrap(), rel.as_bytes(), "{rel}");
        }
        assert!(!dir.path().join("x.json").exists());
    }

    #[test]
    fn in_place_a_file_at_the_top_makes_its_folder_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        InPlace::new(&out).put("top.xml", b"x").unwrap();
        assert_eq!(fs::read(out.join("top.xml")).unwrap(), b"x");
    }

    #[test]
    fn unchanged_files_keep_their_inode_and_stale_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let o = Output::begin(&out, dir.path(), Replace::OwnOnly).unwrap();
        o.put("a/index.html", b"one").unwrap();
        o.put("b.xml", b"two").unwrap();
        assert_eq!(
            o.commit().unwrap(),
            WriteStats {
                written: 2,
                unchanged: 0
            }
        );
        let inode = fs::metadata(out.join("a/index.html")).unwrap().ino();

        let o = Output::begin(&out, dir.path(), Replace::OwnOnly).unwrap();
        o.put("a/index.html", b"one").unwrap();
        o.put("c.xml", b"three").unwrap();
        assert_eq!(
            o.commit().unwrap(),
            WriteStats {
                written: 1,
                unchanged: 1
            }
        );
        assert_eq!(fs::metadata(out.join("a/index.html")).unwrap().ino(), inode);
        assert!(!out.join("b.xml").exists());
        assert_eq!(fs::read(out.join("c.xml")).unwrap(), b"three");
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [".public.twinpress-files", "public"],
            "no staging folder is left behind, only the output and its manifest"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join(".public.twinpress-files"))
                .unwrap()
                .lines()
                .skip(1)
                .collect::<Vec<_>>(),
            ["a/index.html", "c.xml"],
            "the manifest lists what the last build wrote"
        );
    }

    #[test]
    fn an_abandoned_build_leaves_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let o = Output::begin(&out, dir.path(), Replace::OwnOnly).unwrap();
        o.put("index.html", b"good").unwrap();
        o.commit().unwrap();
        let o = Output::begin(&out, dir.path(), Replace::OwnOnly).unwrap();
        o.put("index.html", b"half").unwrap();
        drop(o);
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"good");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "the output and its manifest"
        );
    }

    #[test]
    fn leftovers_of_killed_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".public.twinpress-staging-4000000000");
        fs::create_dir(&stale).unwrap();
        // Another output's beside it, of a process that is gone, and one of a process that
        // runs (1 always does).
        let other = dir.path().join(".o200.twinpress-staging-4000000001");
        let running = dir.path().join(".o200.twinpress-staging-1");
        fs::create_dir(&other).unwrap();
        fs::create_dir(&running).unwrap();
        let o = Output::begin(&dir.path().join("public"), dir.path(), Replace::OwnOnly).unwrap();
        assert!(!stale.exists());
        assert!(
            !other.exists(),
            "another output's, left by a gone process, is removed too"
        );
        assert!(running.exists(), "a running build's is left alone");
        drop(o);
    }

    #[test]
    fn refuses_to_replace_the_site() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("content")).unwrap();
        let err = Output::begin(dir.path(), dir.path(), Replace::OwnOnly)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("would replace the site itself"), "{err}");
        let err = Output::begin(&dir.path().join("content/out"), dir.path(), Replace::OwnOnly)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("inside the site's content/"), "{err}");
    }

    #[test]
    fn static_files_and_pages_may_not_collide() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("static")).unwrap();
        fs::write(dir.path().join("static/robots.txt"), "x").unwrap();
        let mut o = Output::begin(&dir.path().join("public"), dir.path(), Replace::OwnOnly).unwrap();
        o.copy_static(&dir.path().join("static")).unwrap();
        let err = o.put("robots.txt", b"y").unwrap_err().to_string();
        assert!(err.contains("static/robots.txt has the same path"), "{err}");
    }
}
