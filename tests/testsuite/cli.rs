//! The command line: exit codes, usage errors, messages.

use crate::support::Site;

#[test]
fn usage_errors_exit_2() {
    let site = Site::copy("good");
    let run = site.run(&["build", "--no-such-flag"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("--no-such-flag"));
    let run = site.run(&["frobnicate"]);
    assert_eq!(run.code(), 2);
}

#[test]
fn check_renders_everything_and_writes_nothing() {
    let site = Site::copy("good");
    let run = site.run(&["check"]).success();
    assert!(run.stdout().contains("No errors: "), "{}", run.stdout());
    assert!(!site.path("public").exists());
}

#[test]
fn a_folder_that_is_not_a_site_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_twinpress"))
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("Cannot read {}/site.toml", dir.path().display()))
            && stderr.contains("a twinpress site? (use --root DIR to point at one)")
            && stderr.contains("caused by: No such file or directory"),
        "names the missing file, says what to do and prints the cause: {stderr}"
    );
}

#[test]
fn bad_base_url_flag_is_an_error_naming_the_flag() {
    let site = Site::copy("good");
    let run = site.run(&["build", "--base-url", "example.org"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr()
            .contains("--base-url: base_url `example.org` must be an absolute URL"),
        "{}",
        run.stderr()
    );
}

#[test]
fn output_may_not_replace_the_site() {
    let site = Site::copy("good");
    let run = site.run(&["build", "--output", site.root.to_str().unwrap()]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr().contains("would replace the site itself"),
        "{}",
        run.stderr()
    );
    assert!(site.path("site.toml").exists());
}
