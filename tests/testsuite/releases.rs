//! `twinpress deploy` to a folder: each deploy a new release beside the live one (unchanged
//! files hard-linked to the last release), made live by one switch of `current`; a build the
//! crawl finds broken, or the same as the live one, publishes nothing; `--list`, `--rollback`,
//! `keep`; an interrupted deploy's leftovers are cleaned up; one deploy at a time; files the web
//! server can read whatever the umask.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Run, Site};

/// The `good` site publishing to a folder beside it, keeping two old releases.
fn site_with_target() -> (Site, PathBuf) {
    let site = Site::copy("good");
    let target = site.root.parent().unwrap().join("target");
    site.write(
        "site.toml",
        &format!(
            "{}\n[deploy]\ntarget = \"{}\"\nkeep = 2\n",
            site.read("site.toml"),
            target.display()
        ),
    );
    (site, target)
}

fn deploy(site: &Site, args: &[&str]) -> Run {
    let mut all = vec!["deploy"];
    all.extend_from_slice(args);
    site.run_with(&all, &[("USER", "editor1")])
}

fn live(target: &Path) -> String {
    std::fs::read_link(target.join("current"))
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn releases(target: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(target.join("releases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Appends a sentence to the Russian Qinghai article.
fn edit(site: &Site, words: &str) {
    let rel = "content/news/2025/2025-08-29-qinghai.ru.md";
    site.write(rel, &format!("{}\n{words}\n", site.read(rel)));
}

#[test]
fn each_deploy_is_a_release_made_live_at_once_and_the_last_can_come_back() {
    let (site, target) = site_with_target();
    let first = deploy(&site, &[]).success();
    assert!(first.stdout().starts_with("Published "), "{}", first.stdout());
    let one = live(&target);
    assert!(target.join("current/ru/index.html").is_file());
    // The same site again: nothing new.
    let again = deploy(&site, &[]).success();
    assert!(again.stdout().starts_with("Nothing to publish"), "{}", again.stdout());
    assert_eq!(releases(&target), std::slice::from_ref(&one));
    // One article changed: a new release, its unchanged files hard links to the last one's.
    edit(&site, "Новые подробности визита.");
    let second = deploy(&site, &[]).success();
    assert!(second.stdout().contains("1 page changed"), "{}", second.stdout());
    let two = live(&target);
    assert_ne!(one, two);
    let inode = |release: &str, rel: &str| {
        std::fs::metadata(target.join("releases").join(release).join(rel))
            .unwrap()
            .ino()
    };
    assert_eq!(
        inode(&one, "ru/cities/index.html"),
        inode(&two, "ru/cities/index.html"),
        "unchanged: linked"
    );
    assert_ne!(
        inode(&one, "ru/news/2025-08-29-qinghai/index.html"),
        inode(&two, "ru/news/2025-08-29-qinghai/index.html"),
        "changed: copied"
    );
    assert!(site
        .read("../target/current/ru/news/2025-08-29-qinghai/index.html")
        .contains("Новые подробности"));
    // The record: who, when, what changed.
    let list = deploy(&site, &["--list"]).success().stdout();
    assert!(list.contains(&format!("* {two}")), "the live one is marked: {list}");
    assert!(list.contains("by editor1"), "{list}");
    assert!(list.contains("1 pages changed") || list.contains("1 page"), "{list}");
    // Back to the first, in one step; and forward again by name.
    deploy(&site, &["--rollback"]).success();
    assert_eq!(live(&target), one);
    assert!(!site
        .read("../target/current/ru/news/2025-08-29-qinghai/index.html")
        .contains("Новые подробности"));
    deploy(&site, &["--rollback", &two]).success();
    assert_eq!(live(&target), two);
    let log = std::fs::read_to_string(target.join("deploy.log")).unwrap();
    assert!(log.contains(&format!("rolled back to {one} by editor1")), "{log}");
    let unknown = deploy(&site, &["--rollback", "19990101T000000Z-000000"]);
    assert_eq!(unknown.code(), 1);
    assert!(
        unknown.stderr().contains("has no release 19990101T000000Z-000000"),
        "{}",
        unknown.stderr()
    );
}

#[test]
fn old_releases_beyond_keep_are_pruned_and_the_live_one_never() {
    let (site, target) = site_with_target();
    for n in 0..5 {
        edit(&site, &format!("Правка {n}."));
        deploy(&site, &[]).success();
    }
    let names = releases(&target);
    assert_eq!(names.len(), 3, "the live one and two more: {names:?}");
    assert_eq!(names.last().unwrap(), &live(&target));
    let records: Vec<_> = std::fs::read_dir(target.join("records")).unwrap().collect();
    assert_eq!(records.len(), 3, "records go with their releases");
    // Rolled back to the oldest kept, a new deploy keeps it (it is live until the switch).
    deploy(&site, &["--rollback", &names[0]]).success();
    edit(&site, "Ещё одна правка.");
    deploy(&site, &[]).success();
    assert_eq!(releases(&target).len(), 3);
}

#[test]
fn a_broken_build_or_a_busy_target_publishes_nothing() {
    let (site, target) = site_with_target();
    deploy(&site, &[]).success();
    let before = live(&target);
    // A link the crawl finds broken: refused, the live release stays.
    std::fs::create_dir_all(site.path("templates")).unwrap();
    site.write(
        "templates/404.html",
        "<!DOCTYPE html><html lang=\"ru\"><head><title>404</title></head><body><a href=\"/nowhere/\">x</a></body></html>",
    );
    let broken = deploy(&site, &[]);
    assert_eq!(broken.code(), 1, "{}", broken.stderr());
    assert!(broken.stderr().contains("nothing was published"), "{}", broken.stderr());
    assert!(broken.stderr().contains("/nowhere/"), "{}", broken.stderr());
    assert_eq!(live(&target), before);
    std::fs::remove_file(site.path("templates/404.html")).unwrap();
    // A deploy interrupted while filling its release left it behind: the next removes it.
    let leftover = target.join("releases/.incoming-20260101T000000Z-abcdef");
    std::fs::create_dir_all(leftover.join("ru")).unwrap();
    edit(&site, "После прерванной публикации.");
    let next = deploy(&site, &[]).success();
    assert!(next.stderr().contains("an interrupted deploy's"), "{}", next.stderr());
    assert!(!leftover.exists());
    // While another holds the lock, a deploy waits for it.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(target.join("deploy.lock"))
        .unwrap();
    lock.lock().unwrap();
    edit(&site, "Пока другой публикует.");
    let mut child = Command::new(env!("CARGO_BIN_EXE_twinpress"))
        .args(["deploy", "--root"])
        .arg(&site.root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "it waits for the lock");
    let waiting = live(&target);
    drop(lock);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is at work: waiting for it"));
    assert_ne!(live(&target), waiting, "then it publishes");
}

#[test]
fn a_release_is_readable_by_the_web_server_whatever_the_umask() {
    let (site, target) = site_with_target();
    let run = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 077 && USER=editor1 '{}' deploy --root '{}'",
            env!("CARGO_BIN_EXE_twinpress"),
            site.root.display()
        ))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let release = target.join("releases").join(live(&target));
    for entry in walkdir::WalkDir::new(&release) {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        let want = if entry.file_type().is_dir() { 0o755 } else { 0o644 };
        assert_eq!(mode, want, "{}", entry.path().display());
    }
}

#[test]
fn a_site_without_a_target_is_told_how_to_name_one() {
    let site = Site::copy("good");
    let run = site.run(&["deploy"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr().contains("site.toml has no [deploy] target"),
        "{}",
        run.stderr()
    );
    site.write(
        "site.toml",
        &format!("{}\n[deploy]\ntarget = \"/srv/x\"\nkeep = 0\n", site.read("site.toml")),
    );
    let run = site.run(&["deploy"]);
    assert!(
        run.stderr().contains("[deploy] keep must be at least 1"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("site.toml:"),
        "names the file and line: {}",
        run.stderr()
    );
}

#[test]
fn a_deploy_killed_at_any_point_leaves_the_last_good_release_live() {
    let (site, target) = site_with_target();
    deploy(&site, &[]).success();
    let mut rng = fastrand::Rng::with_seed(36);
    let mut cut_short = 0;
    for round in 0..10 {
        edit(&site, &format!("Правка {round}."));
        let before = live(&target);
        let mut child = Command::new(env!("CARGO_BIN_EXE_twinpress"))
            .args(["deploy", "--root"])
            .arg(&site.root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Somewhere in the build, the crawl, the copy, the switch or the pruning (a deploy of
        // this site takes 90–170 ms here).
        std::thread::sleep(std::time::Duration::from_millis(rng.u64(0..120)));
        cut_short += usize::from(child.try_wait().unwrap().is_none());
        let _ = child.kill();
        let _ = child.wait();
        // What is live is whole: the release before, or the new one if its switch was done.
        let now = live(&target);
        let release = target.join("releases").join(&now);
        assert!(release.join("ru/index.html").is_file(), "round {round}: {now} is whole");
        let urls = twinpress::urls::Urls::new("https://example.org/").unwrap();
        let crawl = twinpress::check::crawl::crawl(&urls, &twinpress::check::crawl::fetch_from(&release));
        assert!(crawl.broken.is_empty(), "round {round}: {:?}", crawl.broken);
        assert!(now >= before, "round {round}");
    }
    assert!(
        cut_short >= 3,
        "only {cut_short} of 10 deploys were killed before they ended"
    );
    // The next deploy cleans up and publishes.
    edit(&site, "После всех прерываний.");
    deploy(&site, &[]).success();
    let leftovers: Vec<_> = std::fs::read_dir(target.join("releases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(releases(&target).len() <= 3, "{:?}", releases(&target));
    assert!(site
        .read("../target/current/ru/news/2025-08-29-qinghai/index.html")
        .contains("После всех прерываний"));
}

#[test]
fn the_command_after_each_switch_runs_with_the_live_release_and_its_failure_is_told() {
    let (site, target) = site_with_target();
    let marker = site.root.parent().unwrap().join("reloaded");
    site.write(
        "site.toml",
        &format!(
            "{}after = \"echo $TWINPRESS_RELEASE >> '{}'\"\n",
            site.read("site.toml"),
            marker.display()
        ),
    );
    deploy(&site, &[]).success();
    let first = live(&target);
    edit(&site, "Для перезагрузки.");
    deploy(&site, &[]).success();
    deploy(&site, &["--rollback"]).success();
    let said = std::fs::read_to_string(&marker).unwrap();
    let second = releases(&target).last().unwrap().clone();
    assert_eq!(
        said,
        format!("{first}\n{second}\n{first}\n"),
        "after each deploy and the rollback"
    );
    // A failing command: the release is live, and the error says so.
    site.write("site.toml", &site.read("site.toml").replace("echo", "false && echo"));
    edit(&site, "Ещё раз.");
    let run = deploy(&site, &[]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("is live, but `false && echo"), "{}", run.stderr());
    assert_ne!(live(&target), first);
}
