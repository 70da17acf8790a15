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

/// Runs the binary with `args` as they are (no `--root` added).
fn twinpress(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_twinpress"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn init_writes_a_site_that_builds_and_checks_at_once_and_never_into_a_full_folder() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("press");
    let out = twinpress(&["init".as_ref(), site.as_os_str()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = twinpress(&["build".as_ref(), "--root".as_ref(), site.as_os_str()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = twinpress(&["check".as_ref(), "--root".as_ref(), site.as_os_str()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let public = site.join("public");
    let out = twinpress(&[
        "check".as_ref(),
        "--root".as_ref(),
        site.as_os_str(),
        "--output".as_ref(),
        public.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "every link of the new site leads somewhere: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let kk = std::fs::read_to_string(public.join("kk/index.html")).unwrap();
    assert!(kk.contains("Алғашқы жаңалық"), "the article is on the home page");
    assert!(
        public.join("style.css").is_file() && public.join("fonts/OFL.txt").is_file(),
        "the built-in look"
    );
    let site_toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
    assert!(site_toml.contains("timezone = \"Asia/Almaty\""));

    let again = twinpress(&["init".as_ref(), site.as_os_str()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("is not empty"));
}

#[test]
fn completions_and_the_manual_come_from_the_command_line_definitions() {
    let bash = twinpress(&["completions".as_ref(), "bash".as_ref()]);
    let bash = String::from_utf8(bash.stdout).unwrap();
    assert!(
        bash.contains("complete -F _twinpress") && bash.contains("--base-url"),
        "{bash}"
    );
    let man = String::from_utf8(twinpress(&["man".as_ref()]).stdout).unwrap();
    assert!(man.starts_with(".ie") || man.contains(".TH twinpress"), "{man}");
    assert!(man.contains("serve"), "the commands are listed");
    let dir = tempfile::tempdir().unwrap();
    let out = twinpress(&["man".as_ref(), "--out".as_ref(), dir.path().as_os_str()]);
    assert!(out.status.success());
    assert!(dir.path().join("twinpress-build.1").is_file());
}

#[test]
fn bodies_written_aside_build_the_same_site_and_a_folder_that_cannot_take_them_says_so() {
    let site = Site::copy("good");
    let epoch = [("SOURCE_DATE_EPOCH", "1767225600")];
    let held = site.root.parent().unwrap().join("held");
    let aside = site.root.parent().unwrap().join("aside");
    let run = site.run_with(&["build", "--output", held.to_str().unwrap()], &epoch);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let run = site.run_with(
        &["build", "--bodies-in-memory", "0", "--output", aside.to_str().unwrap()],
        &epoch,
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let (a, b) = (crate::support::files(&held), crate::support::files(&aside));
    assert_eq!(a, b);
    assert!(a.iter().any(|f| f.contains("/news/")), "{a:?}");
    for f in &a {
        assert!(
            std::fs::read(held.join(f)).unwrap() == std::fs::read(aside.join(f)).unwrap(),
            "{f} differs with every body in the temporary file"
        );
    }
    // Nowhere to put them: the build stops before writing, naming the folder and what to do;
    // with the bodies in memory the same folder is never needed.
    let nowhere = site.root.parent().unwrap().join("no-such-folder");
    let out = site.root.parent().unwrap().join("out");
    let tmp = [
        ("SOURCE_DATE_EPOCH", "1767225600"),
        ("TMPDIR", nowhere.to_str().unwrap()),
    ];
    let run = site.run_with(
        &["build", "--bodies-in-memory", "0", "--output", out.to_str().unwrap()],
        &tmp,
    );
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    assert!(err.contains("content/news/"), "names an article's file: {err}");
    assert!(
        err.contains(&format!("could not make a temporary file in {}", nowhere.display()))
            && err.contains("set TMPDIR to a folder with free space"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
    let run = site.run_with(&["build", "--output", out.to_str().unwrap()], &tmp);
    assert_eq!(run.code(), 0, "{}", run.stderr());
}
