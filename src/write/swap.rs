//! Putting a finished output folder in place of the previous one, so a reader (or a web server)
//! sees the whole old site or the whole new one.
//!
//! On Linux the two folders exchange names in one atomic `renameat2(RENAME_EXCHANGE)`. Elsewhere
//! (macOS, Windows, file systems without the exchange) it takes two renames: the previous output
//! steps aside to `.NAME.twinpress-previous`, the new one takes its name, the previous one is
//! removed. A build killed between the two renames leaves the site's folder missing for a moment;
//! the next build (or `serve`) puts it back before doing anything else ([`recover`]).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Where the previous output waits during a rename-based swap.
pub fn previous_name(target: &Path) -> PathBuf {
    super::beside(target, "twinpress-previous")
}

/// Puts `staging` in place of the existing folder `target`; `staging` is gone afterwards.
pub fn swap(staging: &Path, target: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    if exchange(staging, target) {
        // The staging name now holds the previous output.
        fs::remove_dir_all(staging).ok();
        return Ok(());
    }
    rename_swap(staging, target)
}

/// Exchanges the two names atomically, where the file system can.
#[cfg(target_os = "linux")]
fn exchange(staging: &Path, target: &Path) -> bool {
    rustix::fs::renameat_with(
        rustix::fs::CWD,
        staging,
        rustix::fs::CWD,
        target,
        rustix::fs::RenameFlags::EXCHANGE,
    )
    .is_ok()
}

/// The portable swap: two renames, recoverable when interrupted between them.
pub fn rename_swap(staging: &Path, target: &Path) -> Result<()> {
    let previous = previous_name(target);
    if previous.exists() {
        fs::remove_dir_all(&previous).with_context(|| format!("Cannot remove {}", previous.display()))?;
    }
    fs::rename(target, &previous).with_context(|| {
        format!(
            "Cannot move the previous output {} aside: is a file in it open in another program?",
            target.display()
        )
    })?;
    if let Err(e) = fs::rename(staging, target) {
        // Put the previous output back: the site keeps what it had.
        fs::rename(&previous, target).ok();
        return Err(e).with_context(|| format!("Cannot move the new output into {}", target.display()));
    }
    fs::remove_dir_all(&previous).ok();
    Ok(())
}

/// Finishes or undoes a rename-based swap that was interrupted: with `target` missing, the
/// previous output goes back in its place; with both there, the new output is in place and the
/// previous one is removed.
pub fn recover(target: &Path) -> Result<()> {
    let previous = previous_name(target);
    if !previous.exists() {
        return Ok(());
    }
    if target.exists() {
        fs::remove_dir_all(&previous).with_context(|| format!("Cannot remove {}", previous.display()))
    } else {
        fs::rename(&previous, target).with_context(|| {
            format!(
                "An earlier build was interrupted while swapping the output; cannot move {} back to {}",
                previous.display(),
                target.display()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(path: &Path, text: &str) {
        fs::create_dir_all(path).unwrap();
        fs::write(path.join("index.html"), text).unwrap();
    }

    fn read(path: &Path) -> String {
        fs::read_to_string(path.join("index.html")).unwrap()
    }

    #[test]
    fn both_swaps_put_the_new_output_in_place_and_leave_nothing_behind() {
        for portable in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let (target, staging) = (dir.path().join("public"), dir.path().join(".public.staging"));
            folder(&target, "old");
            folder(&staging, "new");
            if portable {
                rename_swap(&staging, &target).unwrap();
            } else {
                swap(&staging, &target).unwrap();
            }
            assert_eq!(read(&target), "new");
            let left: Vec<_> = fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert_eq!(left, ["public"], "portable: {portable}");
        }
    }

    #[test]
    fn a_swap_killed_between_its_renames_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        // Killed after the first rename: the previous output waits aside, the site has none.
        folder(&previous_name(&target), "old");
        recover(&target).unwrap();
        assert_eq!(read(&target), "old");
        assert!(!previous_name(&target).exists());
    }

    #[test]
    fn a_swap_killed_after_its_second_rename_is_finished() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        folder(&target, "new");
        folder(&previous_name(&target), "old");
        recover(&target).unwrap();
        assert_eq!(read(&target), "new");
        assert!(!previous_name(&target).exists());
        recover(&target).unwrap(); // nothing to do
    }

    #[test]
    fn a_failed_second_rename_puts_the_previous_output_back() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        folder(&target, "old");
        let err = rename_swap(&dir.path().join("no-such-staging"), &target).unwrap_err();
        assert!(
            format!("{err:#}").contains("Cannot move the new output into"),
            "{err:#}"
        );
        assert_eq!(read(&target), "old");
    }
}
