//! Every command the README and `docs/` show is run here as written, so that they cannot rot:
//! each ` ```sh ` block with `bash -e` (and each ` ```cron ` line's command), in a scratch copy
//! of the portal with a `twinpress` on the `PATH` that is this build's binary.
//!
//! - `twinpress serve` is started, asked for its home page and its desk, and stopped: the
//!   block goes on as a reader's would once they have looked.
//! - `cargo run --release -- ARGS` is this build's `twinpress ARGS` (the same source).
//! - `tests/run` is the test command itself: it must be what `.ci/run` runs, not run here.
//! - A block that installs or configures the system, or writes outside the site (`apt-get`,
//!   `/etc/`, `/srv/`, `/var/`) runs only as root (as CI is); elsewhere it is named and passed
//!   over. The nginx it starts is stopped after.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::support::copy_dir;

/// A fenced block of shell commands: where it is, its kind and its text.
struct Block {
    file: String,
    line: usize,
    cron: bool,
    text: String,
}

fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The README and every page under `docs/`.
fn documents() -> Vec<PathBuf> {
    let mut all = vec![project().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(project().join("docs"))
        .expect("docs/ is there")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    all.extend(docs);
    all
}

/// The ` ```sh ` and ` ```cron ` blocks of `path`.
fn blocks(path: &Path) -> Vec<Block> {
    let text = std::fs::read_to_string(path).unwrap();
    let file = path.strip_prefix(project()).unwrap().display().to_string();
    let mut found = Vec::new();
    let mut open: Option<Block> = None;
    for (n, line) in text.lines().enumerate() {
        match (&mut open, line.trim_end()) {
            (None, "```sh") | (None, "```cron") => {
                open = Some(Block {
                    file: file.clone(),
                    line: n + 1,
                    cron: line.trim_end() == "```cron",
                    text: String::new(),
                })
            }
            (Some(_), "```") => found.extend(open.take()),
            (Some(block), _) => {
                block.text.push_str(line);
                block.text.push('\n');
            }
            _ => {}
        }
    }
    assert!(open.is_none(), "{file}: a code block is never closed");
    found
}

/// The commands of a block: a cron line without its five time fields.
fn script(block: &Block) -> String {
    if !block.cron {
        return block.text.clone();
    }
    block
        .text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.split_whitespace().skip(5).collect::<Vec<_>>().join(" ") + "\n")
        .collect()
}

fn is_root() -> bool {
    rustix::process::getuid().is_root()
}

/// What the blocks run against: the portal's files, its folder again as `$HOME/portal` (for
/// the cron line), and the shims.
fn scratch() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    for part in ["content", "templates", "static", "deploy"] {
        copy_dir(&project().join(part), &site.join(part));
    }
    std::fs::copy(project().join("site.toml"), site.join("site.toml")).unwrap();
    copy_dir(&site, &dir.path().join("home/portal"));
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let real = env!("CARGO_BIN_EXE_twinpress");
    shim(
        &bin.join("twinpress"),
        &format!(
            r#"#!/usr/bin/env bash
# This build's twinpress; `serve` is started, looked at and stopped.
set -euo pipefail
if [ "${{1:-}}" != serve ]; then exec {real} "$@"; fi
log=$(mktemp)
{real} "$@" --port 0 >"$log" 2>&1 &
pid=$!
url=
for _ in $(seq 1 600); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$log" | head -1 || true)
  if [ -n "$url" ] && curl -fs "$url" >/dev/null 2>&1; then break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
status=0
curl -fs "$url" >/dev/null || {{ echo "serve did not answer at ${{url:-no address}}" >&2; status=1; }}
desk=$(grep -o 'http://[^ ]*_desk/?token=[0-9a-f]*' "$log" | head -1 || true)
if [ -n "$desk" ]; then
  # Read whole before it is searched: `grep -q` stopping early would fail curl on a closed pipe.
  page=$(curl -fs -b '' -L "$desk") || page=
  grep -q '_desk' <<<"$page" || {{ echo "the desk did not answer at $desk" >&2; status=1; }}
fi
kill -INT "$pid"; wait "$pid" || true
cat "$log"
exit $status
"#
        ),
    );
    shim(
        &bin.join("cargo"),
        r#"#!/usr/bin/env bash
# `cargo run --release -- ARGS` is this build's twinpress ARGS.
if [ "$1 $2 $3" = "run --release --" ]; then shift 3; exec twinpress "$@"; fi
echo "the docs' cargo runs only \`cargo run --release -- ARGS\`, not: cargo $*" >&2
exit 1
"#,
    );
    (dir, site)
}

fn shim(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Whether a block changes the machine: a package, the web server's configuration, a folder
/// outside the site (`/srv/www`, `/var/www`).
fn is_system(block: &Block) -> bool {
    ["apt-get", "/etc/", "/srv/", "/var/"]
        .iter()
        .any(|p| block.text.contains(p))
}

#[test]
fn every_command_in_the_readme_and_the_guides_runs_as_written() {
    let all: Vec<Block> = documents().iter().flat_map(|p| blocks(p)).collect();
    assert!(all.len() >= 5, "the docs' blocks were not found: {}", all.len());
    let (dir, site) = scratch();
    let path = format!(
        "{}:{}",
        dir.path().join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let ci = std::fs::read_to_string(project().join(".ci/run")).unwrap();
    let mut ran = 0;
    // What the blocks set up on the machine goes when the test ends, passed or failed.
    let _cleanup = Cleanup {
        nginx: is_root() && all.iter().any(|b| b.text.contains("nginx")),
        systemd: is_root() && all.iter().any(|b| b.text.contains("systemctl enable")),
    };
    for block in &all {
        let at = format!("{}:{}", block.file, block.line);
        if block.text.trim() == "tests/run" {
            assert!(
                ci.lines().any(|l| l.trim() == "tests/run"),
                "{at}: `.ci/run` does not run `tests/run`"
            );
            continue;
        }
        if is_system(block) && !is_root() {
            eprintln!("{at}: passed over (it configures the system; CI runs it as root)");
            continue;
        }
        let out = Command::new("bash")
            .args(["-euo", "pipefail", "-c", &script(block)])
            .current_dir(&site)
            .env("PATH", &path)
            .env("HOME", dir.path().join("home"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{at}: the block failed ({}):\n{}\n--- stdout\n{}\n--- stderr\n{}",
            out.status,
            block.text,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 4, "only {ran} blocks ran");
}

/// Undoes what the guide's system blocks set up (nginx's sites and its process, the systemd
/// units, the binary it installed), when the test ends however it ends.
struct Cleanup {
    nginx: bool,
    systemd: bool,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if self.nginx {
            let _ = Command::new("nginx").args(["-s", "quit"]).status();
            for file in [
                "sites-enabled/twinpress.conf",
                "sites-enabled/twinpress-http.conf",
                "twinpress-tls.conf",
            ] {
                let _ = std::fs::remove_file(Path::new("/etc/nginx").join(file));
            }
        }
        if self.systemd {
            let _ = Command::new("systemctl")
                .args(["disable", "twinpress-deploy.timer"])
                .status();
            for unit in ["twinpress-deploy.service", "twinpress-deploy.timer"] {
                let _ = std::fs::remove_file(Path::new("/etc/systemd/system").join(unit));
            }
            // The shim the guide installed, not a twinpress of the machine's own.
            let installed = Path::new("/usr/local/bin/twinpress");
            if std::fs::read_to_string(installed).is_ok_and(|t| t.contains("This build's twinpress")) {
                let _ = std::fs::remove_file(installed);
            }
        }
    }
}

#[test]
fn a_failing_command_in_a_block_fails_the_block() {
    // The runner's own guard: `bash -e` stops at the first failing line, so a block whose
    // command no longer works cannot pass for one whose last line does.
    let block = Block {
        file: "x.md".into(),
        line: 1,
        cron: false,
        text: "false\ntrue\n".into(),
    };
    let status = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &script(&block)])
        .status()
        .unwrap();
    assert!(!status.success());
    let cron = Block {
        cron: true,
        text: "# every five minutes\n*/5 * * * *  cd \"$HOME/portal\" && true\n".into(),
        ..block
    };
    assert_eq!(script(&cron), "cd \"$HOME/portal\" && true\n");
}
