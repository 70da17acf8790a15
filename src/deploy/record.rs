//! What is kept of each release: who published it, when, from which commit, what it cost
//! (`records/<name>.toml` in the target, beside the releases, never served).

use std::path::Path;

use serde::{Deserialize, Serialize};

/// One release's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub release: String,
    /// When it was published, RFC 3339 (UTC).
    pub published: String,
    /// Who published it.
    pub by: String,
    /// The site's git commit (`abc1234`, with `+` when the work tree had changes), when the
    /// site is a git repository.
    #[serde(default)]
    pub commit: Option<String>,
    pub files: usize,
    /// Files whose bytes were new (the rest hard-linked to the release before).
    pub copied: usize,
    pub bytes: u64,
    pub pages_changed: usize,
}

/// Now, RFC 3339 in UTC, to the second.
pub fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_string()
}

/// The site's commit, when `root` is in a git repository (and `git` is installed).
pub fn git_commit(root: &Path) -> Option<String> {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let commit = git(&["rev-parse", "--short", "HEAD"]).filter(|c| !c.is_empty())?;
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    Some(if dirty { format!("{commit}+") } else { commit })
}
