//! The output folder: deterministic, unchanged files untouched, stale files removed.

use std::os::unix::fs::MetadataExt;

use crate::support::{files, Site};

#[test]
fn two_builds_are_byte_identical() {
    let a = Site::copy("good");
    let b = Site::copy("good");
    a.build();
    b.build();
    let list = files(&a.path("public"));
    assert_eq!(list, files(&b.path("public")));
    for f in &list {
        assert_eq!(
            a.read_bytes(&format!("public/{f}")),
            b.read_bytes(&format!("public/{f}")),
            "{f} differs"
        );
    }
}

#[test]
fn unchanged_files_keep_their_modification_time_and_stale_files_go() {
    let site = Site::copy("good");
    site.build();
    let untouched = site.path("public/ru/news/2024-11-12-uk/index.html");
    let before = std::fs::metadata(&untouched).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::remove_file(site.path("content/news/2024/2024-03-26-kk-only.kk.md")).unwrap();
    let run = site.build();
    assert!(run.stdout().contains("unchanged"), "{}", run.stdout());
    let after = std::fs::metadata(&untouched).unwrap();
    assert_eq!(before.mtime_nsec(), after.mtime_nsec());
    assert_eq!(before.ino(), after.ino());
    assert!(
        !site.path("public/kk/news/2024-03-26-kk-only").exists(),
        "the deleted article's page is gone"
    );
    assert!(
        !site.path("public/kk/tags/madeniet").exists(),
        "a tag no article has any more is gone"
    );
}

#[test]
fn a_failed_build_keeps_the_previous_output() {
    let site = Site::copy("good");
    site.build();
    let before = site.read("public/ru/index.html");
    site.write("content/news/2025/x.ru.md", "+++\ntitle = 1\n+++\n");
    assert_eq!(site.run(&["build"]).code(), 1);
    assert_eq!(site.read("public/ru/index.html"), before);
}
