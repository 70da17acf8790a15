//! Whose an output folder is. A build replaces its output folder whole, so it must not replace a
//! folder that holds anything else: a mistyped `--output /var/www` would take every other site on
//! the server with it.
//!
//! A build records the files it wrote in a manifest beside the output (`.NAME.twinpress-files`
//! next to `NAME/`, so the site itself stays exactly what was built and a web server serves no
//! list of it). The next build replaces the folder only when it is missing, empty, or holds
//! nothing but what that manifest lists; otherwise it stops with an error that names the folder
//! and the files that are not twinpress's, unless told `--force`. `serve` writes into a private
//! folder of its own and does not ask.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

pub use crate::options::Replace;

/// How many of the files that are not twinpress's an error names.
const NAMED: usize = 8;

/// The manifest of the output folder `target`: beside it, hidden.
pub fn manifest_path(target: &Path) -> PathBuf {
    super::beside(target, "twinpress-files")
}

/// Stops when `target` holds files that no earlier build wrote there (see the module's doc).
pub fn check_target(target: &Path, replace: Replace) -> Result<()> {
    if replace == Replace::Anything {
        return Ok(());
    }
    let present = match fs::symlink_metadata(target) {
        // Missing, or under a file where a folder should be (the build says so when it makes it).
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(())
        }
        Err(e) => return Err(e).with_context(|| format!("Cannot read the output folder {}", target.display())),
        Ok(m) if !m.is_dir() => bail!(
            "The output {} is a file, not a folder: remove it or choose another --output",
            target.display()
        ),
        Ok(_) => files_in(target)?,
    };
    if present.is_empty() {
        return Ok(());
    }
    let manifest = manifest_path(target);
    let listed = match fs::read_to_string(&manifest) {
        Ok(text) => Some(parse(&text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("Cannot read {}", manifest.display())),
    };
    let foreign: Vec<&String> = present
        .iter()
        .filter(|f| listed.as_ref().is_none_or(|l| !l.contains(f.as_str())))
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    let mut names: Vec<String> = foreign.iter().take(NAMED).map(|f| format!("  {f}")).collect();
    if foreign.len() > NAMED {
        names.push(format!("  … and {} more", foreign.len() - NAMED));
    }
    let names = names.join("\n");
    match listed {
        None => bail!(
            "The output folder {} is not empty and no twinpress build wrote it; a build replaces the whole folder, \
             so it would delete these {} files:\n{names}\n\
             Choose a new or empty folder with --output, or add --force to replace the folder and everything in it \
             (also the first time you build into an output an older twinpress wrote).",
            target.display(),
            foreign.len()
        ),
        Some(_) => bail!(
            "The output folder {} holds {} files that the last build did not write (added by hand?); \
             a build replaces the whole folder and would delete them:\n{names}\n\
             Files that belong on the site go into the site's static/ folder, which every build copies; \
             move them there, or add --force to delete them.",
            target.display(),
            foreign.len()
        ),
    }
}

/// Writes the manifest of `target` listing `files` (paths relative to it), through a temporary
/// file and a rename. `keep`, when given, is added to the list (the files of the output being
/// replaced, while both may still be seen).
pub fn record(target: &Path, files: &[String], keep: Option<&HashSet<String>>) -> Result<()> {
    let manifest = manifest_path(target);
    let mut all: Vec<&str> = files.iter().map(String::as_str).collect();
    if let Some(keep) = keep {
        all.extend(keep.iter().map(String::as_str));
    }
    all.sort_unstable();
    all.dedup();
    let mut text =
        String::from("# The files twinpress wrote into the folder beside this one; the next build replaces them.\n");
    for f in all {
        text.push_str(f);
        text.push('\n');
    }
    let tmp = manifest.with_extension("twinpress-files-new");
    fs::write(&tmp, text).with_context(|| format!("Cannot write {}", tmp.display()))?;
    fs::rename(&tmp, &manifest).with_context(|| format!("Cannot write {}", manifest.display()))
}

/// The files listed in the manifest of `target` (none when it has none).
pub fn recorded(target: &Path) -> HashSet<String> {
    fs::read_to_string(manifest_path(target))
        .map(|t| parse(&t))
        .unwrap_or_default()
}

fn parse(text: &str) -> HashSet<String> {
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Every file (and link, and empty folder, as `name/`) under `dir`, relative to it.
fn files_in(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.with_context(|| format!("Cannot read the output folder {}", dir.display()))?;
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_dir() {
            let empty = fs::read_dir(entry.path())
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if empty {
                out.push(format!("{rel}/"));
            }
        } else {
            out.push(rel);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_empty_folder_is_free() {
        let dir = tempfile::tempdir().unwrap();
        check_target(&dir.path().join("public"), Replace::OwnOnly).unwrap();
        fs::create_dir(dir.path().join("public")).unwrap();
        check_target(&dir.path().join("public"), Replace::OwnOnly).unwrap();
    }

    #[test]
    fn a_folder_no_build_wrote_is_refused_with_its_files_named() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("userfolder");
        fs::create_dir_all(out.join("sub")).unwrap();
        fs::write(out.join("important.txt"), "x").unwrap();
        fs::write(out.join("sub/notes.md"), "x").unwrap();
        let err = check_target(&out, Replace::OwnOnly).unwrap_err().to_string();
        assert!(
            err.contains("userfolder is not empty and no twinpress build wrote it"),
            "{err}"
        );
        assert!(err.contains("  important.txt\n  sub/notes.md\n"), "{err}");
        assert!(err.contains("--force"), "{err}");
        check_target(&out, Replace::Anything).unwrap();
    }

    #[test]
    fn a_file_added_to_a_built_folder_is_named_with_static_as_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join("ru")).unwrap();
        fs::write(out.join("ru/index.html"), "x").unwrap();
        record(&out, &["ru/index.html".to_string()], None).unwrap();
        check_target(&out, Replace::OwnOnly).unwrap();
        fs::write(out.join("google123.html"), "x").unwrap();
        let err = check_target(&out, Replace::OwnOnly).unwrap_err().to_string();
        assert!(err.contains("holds 1 files that the last build did not write"), "{err}");
        assert!(err.contains("  google123.html\n"), "{err}");
        assert!(err.contains("static/"), "{err}");
    }

    #[test]
    fn many_files_are_counted_not_listed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("www");
        fs::create_dir_all(out.join("empty")).unwrap();
        for i in 0..20 {
            fs::write(out.join(format!("f{i:02}")), "x").unwrap();
        }
        let err = check_target(&out, Replace::OwnOnly).unwrap_err().to_string();
        assert!(err.contains("these 21 files"), "{err}");
        assert!(err.contains("  empty/\n"), "{err}");
        assert!(err.contains("… and 13 more"), "{err}");
    }
}
