//! The desk's history in git: when the site is in a git repository, every change the desk makes
//! — a save, a submission, an approval, a return, an upload, a delete, a new article — is a
//! commit of exactly the files it changed, authored by the account that made it (its name and
//! e-mail; the committer is the desk), with a message that says what happened to which
//! article. The editor lists an article's versions, shows any of them beside the current text
//! as a diff, and restores one as a new commit. Through the `git` command, as the site's people
//! use it; a site that is not a repository keeps working without history.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _, Result};
use serde::Serialize;

/// Who a commit is by: a name and an e-mail.
pub type Author = (String, String);

/// The repository the site is in.
pub struct Repo {
    /// The site's root.
    root: PathBuf,
}

/// One version of an article's files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    pub commit: String,
    pub short: String,
    pub author: String,
    /// ISO 8601 with the offset.
    pub date: String,
    pub message: String,
}

/// Field and record separators of the log's format: never in a name or a message's first line.
const FS: char = '\u{1f}';

impl Repo {
    /// The repository the site at `root` is in, if it is in one (and git is installed).
    pub fn open(root: &Path) -> Option<Repo> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["rev-parse", "--is-inside-work-tree"])
            .output()
            .ok()?;
        (out.status.success() && out.stdout.starts_with(b"true")).then(|| Repo {
            root: root.to_path_buf(),
        })
    }

    fn git(&self) -> Command {
        let mut cmd = Command::new("git");
        cmd.arg("-C").arg(&self.root);
        // The repository's hooks and the user's pager or editor have no place in the desk's
        // commits; the committer is the desk itself.
        cmd.env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_COMMITTER_NAME", "twinpress desk")
            .env("GIT_COMMITTER_EMAIL", "desk@twinpress.invalid");
        cmd
    }

    /// Commits the files `paths` (relative to the site; written, created or deleted) as they
    /// are now, by `author`, with `message`. Nothing else of the work tree goes in. A change that
    /// leaves the files as the last commit has them commits nothing.
    pub fn commit(&self, paths: &[PathBuf], author: &Author, message: &str) -> Result<()> {
        if paths.is_empty() {
            return Ok(());
        }
        let add = self
            .git()
            .args(["add", "--all", "--"])
            .args(paths)
            .output()
            .context("Cannot run git")?;
        if !add.status.success() {
            bail!("git add failed: {}", String::from_utf8_lossy(&add.stderr).trim());
        }
        let staged = self
            .git()
            .args(["diff", "--cached", "--quiet", "--"])
            .args(paths)
            .status()
            .context("Cannot run git")?;
        if staged.success() {
            return Ok(());
        }
        let out = self
            .git()
            .env("GIT_AUTHOR_NAME", &author.0)
            .env("GIT_AUTHOR_EMAIL", &author.1)
            .args(["commit", "--quiet", "--no-verify", "-m", message, "--"])
            .args(paths)
            .output()
            .context("Cannot run git")?;
        if !out.status.success() {
            bail!("git commit failed: {}", String::from_utf8_lossy(&out.stderr).trim());
        }
        Ok(())
    }

    /// The versions of `paths` (relative to the site), newest first, at most `limit`.
    pub fn log(&self, paths: &[PathBuf], limit: usize) -> Vec<Version> {
        let out = self
            .git()
            .args([
                "log",
                &format!("--max-count={limit}"),
                &format!("--format=%H{FS}%h{FS}%an{FS}%aI{FS}%s"),
                "--",
            ])
            .args(paths)
            .output();
        let Ok(out) = out else { return Vec::new() };
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|line| {
                let mut f = line.split(FS);
                Some(Version {
                    commit: f.next()?.to_string(),
                    short: f.next()?.to_string(),
                    author: f.next()?.to_string(),
                    date: f.next()?.to_string(),
                    message: f.next()?.to_string(),
                })
            })
            .collect()
    }

    /// The text of `path` (relative to the site) at `commit`; `None` when it had none.
    pub fn show(&self, commit: &str, path: &Path) -> Option<String> {
        if !is_commit_id(commit) {
            return None;
        }
        let out = self
            .git()
            .arg("show")
            .arg(format!("{commit}:./{}", path.display()))
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// Whether `id` is a commit id as the log gives them (never an option or a revision
/// expression a request could smuggle in).
pub fn is_commit_id(id: &str) -> bool {
    (4..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A line-by-line diff of `old` against `new`: each line with its mark (`-`, `+` or ` `), the
/// unchanged ones far from a change left out (`…`).
pub fn diff(old: &str, new: &str) -> Vec<(char, String)> {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for (i, group) in diff.grouped_ops(3).iter().enumerate() {
        if i > 0 {
            out.push(('…', String::new()));
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let mark = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                out.push((mark, change.value().trim_end_matches('\n').to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> (tempfile::TempDir, Repo) {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("git")
            .arg("-C")
            .arg(dir.path())
            .args(["init", "--quiet"])
            .status()
            .unwrap();
        assert!(ok.success());
        let repo = Repo::open(dir.path()).expect("a repository");
        (dir, repo)
    }

    #[test]
    fn a_commit_holds_the_named_files_only_by_their_author() {
        let (dir, repo) = repo();
        std::fs::write(dir.path().join("a.md"), "one\n").unwrap();
        std::fs::write(dir.path().join("other.md"), "not mine\n").unwrap();
        let dana = ("dana".to_string(), "dana@example.kz".to_string());
        repo.commit(&[PathBuf::from("a.md")], &dana, "Saved «A» (ru)").unwrap();
        std::fs::write(dir.path().join("a.md"), "two\n").unwrap();
        repo.commit(&[PathBuf::from("a.md")], &dana, "Saved «A» again").unwrap();
        // The same bytes again: no empty commit.
        repo.commit(&[PathBuf::from("a.md")], &dana, "Nothing").unwrap();
        let log = repo.log(&[PathBuf::from("a.md")], 10);
        assert_eq!(log.len(), 2, "{log:?}");
        assert_eq!(
            (log[0].author.as_str(), log[0].message.as_str()),
            ("dana", "Saved «A» again")
        );
        assert_eq!(repo.show(&log[1].commit, Path::new("a.md")).as_deref(), Some("one\n"));
        assert!(
            repo.log(&[PathBuf::from("other.md")], 10).is_empty(),
            "other files stay out"
        );
        // A deletion is a commit too.
        std::fs::remove_file(dir.path().join("a.md")).unwrap();
        repo.commit(&[PathBuf::from("a.md")], &dana, "Deleted «A»").unwrap();
        assert_eq!(repo.log(&[PathBuf::from("a.md")], 10).len(), 3);
        assert!(
            repo.show("--output=/tmp/x", Path::new("a.md")).is_none(),
            "no options through an id"
        );
    }

    #[test]
    fn a_folder_outside_git_has_no_repository() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Repo::open(dir.path()).is_none());
    }

    #[test]
    fn a_diff_marks_what_changed_and_skips_far_lines() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        let new = "a\nB\nc\nd\ne\nf\ng\nh\ni\nJ\n";
        let d = diff(old, new);
        assert!(d.contains(&('-', "b".into())) && d.contains(&('+', "B".into())));
        assert!(d.contains(&('…', String::new())), "{d:?}");
        assert!(!d.iter().any(|(_, l)| l == "f"), "far lines left out: {d:?}");
    }
}
