//! Input no fixture file can hold (huge, deeply nested, looping links), stray files, an empty
//! site, and faults: a build killed at any moment, an output that cannot be written, a full disk.
//! Each ends in a success or a clear error, never a panic, never a half-written output.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::{files, Site};

fn article(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = 2025-09-01\nregion = \"almaty\"\npartners = [\"shanghai\"]\n+++\n{body}")
}

#[test]
fn a_20_mb_article_builds() {
    let site = Site::copy("good");
    let paragraph = "Алматы мен Шаңхай арасындағы ынтымақтастық туралы ұзын мәтін. ".repeat(20);
    let body = format!("{paragraph}\n\n").repeat(20 * 1024 * 1024 / (paragraph.len() + 2));
    site.write(
        "content/news/2025/2025-09-01-huge.kk.md",
        &article("Үлкен мақала", &body),
    );
    let run = site.run(&["build"]).success();
    assert!(run.stdout().contains("kk: "));
    let page = std::fs::metadata(site.path("public/kk/news/2025-09-01-huge/index.html")).unwrap();
    assert!(page.len() > 20_000_000, "{}", page.len());
}

#[test]
fn deeply_nested_markdown_builds() {
    let site = Site::copy("good");
    let quotes = format!("{} глубоко\n", ">".repeat(20_000));
    let lists: String = (0..2_000)
        .map(|i| format!("{}- уровень {i}\n", "  ".repeat(i)))
        .collect();
    let emphasis = format!("{}текст{}\n", "*_".repeat(5_000), "_*".repeat(5_000));
    site.write(
        "content/news/2025/2025-09-01-deep.ru.md",
        &article("Вложенность", &format!("{quotes}\n{lists}\n{emphasis}")),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(!run.stderr().contains("panicked") && !run.stderr().contains("overflow"));
}

#[test]
fn a_symlink_loop_is_named() {
    let site = Site::copy("good");
    std::os::unix::fs::symlink("..", site.path("content/news/2025/loop")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr()
            .contains("content/news/2025/loop: is a link that loops back to a folder above it: remove the link"),
        "{}",
        run.stderr()
    );
}

#[test]
fn stray_files_in_content_are_ignored() {
    let site = Site::copy("good");
    for stray in [
        "content/news/2025/photo.jpg",
        "content/news/.DS_Store",
        "content/news/2025/Thumbs.db",
        "content/news/2025/#x.ru.md#",
        "content/news/2025/x.ru.md~",
        "content/cities/.almaty.toml.swp",
    ] {
        site.write(stray, "\u{0}\u{1}binary");
    }
    let clean = Site::copy("good");
    clean.build();
    let run = site.run(&["build"]).success();
    assert!(
        !run.stderr().contains("warning"),
        "stray files are not mentioned: {}",
        run.stderr()
    );
    // The output is exactly the clean site's: nothing copied, nothing rendered from them.
    assert_eq!(files(&site.path("public")), files(&clean.path("public")));
    for f in files(&clean.path("public")) {
        assert_eq!(
            site.read_bytes(&format!("public/{f}")),
            clean.read_bytes(&format!("public/{f}")),
            "{f}"
        );
    }
    let check = site.run(&["check"]);
    assert_eq!(check.code(), 0, "{}", check.stderr());
}

#[test]
fn a_site_with_no_articles_builds_its_empty_lists() {
    let site = Site::copy("good");
    std::fs::remove_dir_all(site.path("content/news")).unwrap();
    site.build();
    assert!(site.read("public/ru/index.html").contains("Пока нет материалов."));
    roxmltree::Document::parse(&site.read("public/ru/rss.xml")).unwrap();
}

#[test]
fn an_unwritable_output_is_a_clear_error() {
    let site = Site::copy("good");
    site.write("blocker", "a file where a folder should be");
    let run = site.run(&["build", "--output", site.path("blocker/public").to_str().unwrap()]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr().contains("Cannot create the folder") && run.stderr().contains("blocker"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_full_disk_is_a_clear_error_and_leaves_the_previous_output() {
    let site = Site::copy("good");
    let disk = site.root.parent().unwrap().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&disk)
        .status()
        .unwrap();
    assert!(mounted.success(), "the test mounts a 64 KiB tmpfs (CI runs as root)");
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(disk.clone());
    std::fs::create_dir(disk.join("public")).unwrap();
    std::fs::write(disk.join("public/index.html"), "previous").unwrap();
    // Made by hand, not by a build: replacing it takes --force.
    let run = site.run(&["build", "--force", "--output", disk.join("public").to_str().unwrap()]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("is the disk full?"), "{}", run.stderr());
    assert_eq!(
        std::fs::read_to_string(disk.join("public/index.html")).unwrap(),
        "previous"
    );
    let left: Vec<_> = std::fs::read_dir(&disk)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["public"], "no staging folder is left behind");
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_output() {
    let site = Site::copy("good");
    // Enough articles that a build takes a while.
    for i in 0..1500 {
        site.write(
            &format!("content/news/2024/2024-01-01-bulk-{i:04}.ru.md"),
            &article(
                &format!("Статья {i}"),
                &"Текст статьи о сотрудничестве городов. ".repeat(40),
            ),
        );
    }
    site.build();
    let before = files(&site.path("public"));
    let home = site.read("public/ru/index.html");
    site.write(
        "content/news/2024/2024-01-01-bulk-0000.ru.md",
        &article("Изменённая", "Новый текст."),
    );
    // Kill points by progress, not by time (a faster build must not fail the test): as soon as
    // the staging folder exists, and once it holds 1, 100 and 1000 files.
    let staged = |root: &std::path::Path| -> Option<usize> {
        let dir = std::fs::read_dir(root)
            .ok()?
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_string_lossy().contains("twinpress-staging"))?;
        Some(
            walkdir::WalkDir::new(dir.path())
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .count(),
        )
    };
    let mut killed = 0;
    for at in [0, 1, 100, 1000] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_twinpress"))
            .args(["build", "--root"])
            .arg(&site.root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        while child.try_wait().unwrap().is_none() && staged(&site.root).is_none_or(|n| n < at) {
            std::thread::sleep(Duration::from_micros(200));
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        let after = files(&site.path("public"));
        if status.success() {
            // It finished before the kill: the new output is whole.
            assert!(
                site.read("public/ru/index.html").contains("Изменённая"),
                "kill at {at} files"
            );
            assert_eq!(after.len(), before.len(), "kill at {at} files: the new output is whole");
            continue;
        }
        killed += 1;
        assert_eq!(
            after, before,
            "killed at {at} staged files: the previous output is whole"
        );
        assert_eq!(site.read("public/ru/index.html"), home, "killed at {at} staged files");
    }
    assert!(
        killed >= 1,
        "no build was killed while it was writing: the kill points were never seen"
    );
    // The next build clears what the killed ones left beside the output.
    site.build();
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The cache and the output's manifest are meant to stay.
        .filter(|n| n.contains("twinpress") && n != ".twinpress-cache" && n != ".public.twinpress-files")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(site.read("public/ru/index.html").contains("Изменённая"));
}
