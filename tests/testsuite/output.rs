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

#[test]
fn a_build_refuses_a_folder_it_did_not_write_and_keeps_its_files() {
    let site = Site::copy("good");
    let user = site.path("../userfolder");
    std::fs::create_dir_all(user.join("sub")).unwrap();
    std::fs::write(user.join("important.txt"), "keep me").unwrap();
    std::fs::write(user.join("sub/notes.md"), "and me").unwrap();
    let out = user.to_str().unwrap();
    let run = site.run(&["build", "--output", out]);
    assert_eq!(run.code(), 1, "{}", run.stdout());
    let err = run.stderr();
    assert!(
        err.contains("userfolder is not empty and no twinpress build wrote it"),
        "{err}"
    );
    assert!(err.contains("  important.txt\n  sub/notes.md\n"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(user.join("important.txt")).unwrap(), "keep me");
    assert!(
        !site.path("../.userfolder.twinpress-files").exists(),
        "a refused build writes nothing"
    );
    // --force replaces it, and from then on the folder is twinpress's own.
    site.run(&["build", "--output", out, "--force"]).success();
    assert!(!user.join("important.txt").exists());
    assert!(user.join("ru/index.html").is_file());
    site.run(&["build", "--output", out]).success();
}

#[test]
fn a_file_put_into_a_built_output_by_hand_is_named_and_kept() {
    let site = Site::copy("good");
    site.build();
    site.write("public/google-verify.html", "token");
    let run = site.run(&["build"]);
    assert_eq!(run.code(), 1, "{}", run.stdout());
    let err = run.stderr();
    assert!(err.contains("holds 1 files that the last build did not write"), "{err}");
    assert!(err.contains("  google-verify.html\n"), "{err}");
    assert!(err.contains("static/ folder"), "{err}");
    assert_eq!(site.read("public/google-verify.html"), "token");
    // Its place is static/: from there every build copies it.
    std::fs::rename(
        site.path("public/google-verify.html"),
        site.path("static/google-verify.html"),
    )
    .unwrap();
    site.build();
    assert_eq!(site.read("public/google-verify.html"), "token");
    // An empty folder is anyone's.
    let empty = site.path("../empty");
    std::fs::create_dir(&empty).unwrap();
    site.run(&["build", "--output", empty.to_str().unwrap()]).success();
}
