//! Fixture sites in a temporary folder, and the `twinpress` binary run over them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites")
}

/// A copy of a fixture site that a test may change.
pub struct Site {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl Site {
    /// A copy of `tests/sites/<name>`.
    pub fn copy(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(&fixtures().join(name), &root);
        Site { _dir: dir, root }
    }

    /// Lays the files of `tests/sites/invalid/<case>` over this site (an `expected.txt` there is
    /// not copied; a `remove.txt` names files to delete).
    pub fn overlay(&self, case: &str) {
        let overlay = fixtures().join("invalid").join(case);
        copy_dir(&overlay, &self.root);
        fs::remove_file(self.root.join("expected.txt")).ok();
        if let Ok(list) = fs::read_to_string(overlay.join("remove.txt")) {
            for line in list.lines().filter(|l| !l.trim().is_empty()) {
                let p = self.root.join(line.trim());
                if p.is_dir() {
                    fs::remove_dir_all(p).unwrap();
                } else {
                    fs::remove_file(p).unwrap();
                }
            }
            fs::remove_file(self.root.join("remove.txt")).ok();
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// A file as bytes: pages, photos and cards alike.
    pub fn read_bytes(&self, rel: &str) -> Vec<u8> {
        fs::read(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Runs `twinpress ARGS --root ROOT`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// Runs the binary with environment variables set (`SOURCE_DATE_EPOCH`, …).
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_twinpress"));
        cmd.args(args).arg("--root").arg(&self.root);
        cmd.envs(env.iter().copied());
        Run(cmd.output().unwrap())
    }

    /// Runs `twinpress ARGS --root ROOT` with `input` on its standard input.
    pub fn run_stdin(&self, args: &[&str], input: &str) -> Run {
        use std::io::Write as _;
        let mut child = Command::new(env!("CARGO_BIN_EXE_twinpress"))
            .args(args)
            .arg("--root")
            .arg(&self.root)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        Run(child.wait_with_output().unwrap())
    }

    pub fn build(&self) -> Run {
        self.run(&["build"]).success()
    }
}

/// A finished run of the binary.
pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    pub fn success(self) -> Run {
        assert_eq!(self.code(), 0, "stdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr());
        self
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// Every file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                walk(base, &entry.path(), out);
            } else {
                out.push(entry.path().strip_prefix(base).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The `<main>` element of a page: what tests compare, so layout changes elsewhere don't matter.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    let end = html.find("</main>").expect("</main>") + "</main>".len();
    &html[start..end]
}

/// The base URL the rebuild tests build with (as `serve` would).
pub const LIVE_BASE: &str = "http://127.0.0.1:1111/";

/// Asserts that `output` (kept by `serve`'s rebuilds) is what a full build of `root` writes.
pub fn assert_same_as_full_build(opts: &twinpress::BuildOptions, output: &Path, step: &str) {
    let full = opts.root.parent().unwrap().join("full");
    twinpress::build(&twinpress::BuildOptions {
        output: Some(full.clone()),
        ..opts.clone()
    })
    .unwrap_or_else(|e| panic!("{step}: the full build failed: {e:#}"));
    let (a, b) = (files(output), files(&full));
    assert_eq!(a, b, "{step}: different files");
    for f in &a {
        let (x, y) = (fs::read(output.join(f)).unwrap(), fs::read(full.join(f)).unwrap());
        assert!(
            x == y,
            "{step}: {f} differs:\n{}\n----\n{}",
            String::from_utf8_lossy(&x),
            String::from_utf8_lossy(&y)
        );
    }
}
