//! A target on another machine, reached with the system's `ssh` and `rsync`: the user's keys
//! (agent or `~/.ssh`), host keys checked as `ssh` checks them (never turned off: an unknown
//! host is refused), `[deploy] ssh` options added. The same layout and the same steps as a
//! folder here: a release uploaded by `rsync --link-dest` against the live one (only changed
//! files cross the network), one `mv -T` of a new symlink over `current`, one deploy at a time
//! (`flock` on the server, held by an `ssh` session for the deploy's length).

use std::io::{BufRead as _, Read as _, Write as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context as _, Result};

/// How rsync's line for each file it sends begins (`--out-format`), apart from its statistics.
const SENT: &str = "twinpress-sent ";

/// `ssh://user@host:port/path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub user: Option<String>,
    pub host: String,
    pub port: Option<u16>,
    /// The target folder on the server (absolute, of plain characters only: it goes into the
    /// server's shell commands).
    pub path: String,
    /// Options for `ssh` from `[deploy] ssh` (`-i`, `-o UserKnownHostsFile=…`).
    pub options: Vec<String>,
}

/// An `ssh` session that holds the target's lock until it is dropped.
pub struct RemoteLock {
    child: Child,
}

impl Drop for RemoteLock {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

impl Remote {
    /// Reads `ssh://[user@]host[:port]/path`.
    pub fn parse(written: &str, options: Vec<String>) -> Result<Remote> {
        let bad = |why: &str| anyhow::anyhow!("target `{written}`: {why} (write it as ssh://user@host:22/srv/portal)");
        let rest = written
            .strip_prefix("ssh://")
            .ok_or_else(|| bad("not an ssh:// address"))?;
        let (authority, path) = rest.split_once('/').ok_or_else(|| bad("it names no folder"))?;
        let path = format!("/{path}");
        let path = path.trim_end_matches('/').to_string();
        if path.is_empty()
            || !path.chars().all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
            || path.contains("..")
        {
            return Err(bad("the folder may hold only Latin letters, digits and / . _ -"));
        }
        let (user, hostport) = match authority.split_once('@') {
            Some((u, h)) => (Some(u.to_string()), h),
            None => (None, authority),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p.parse::<u16>().map_err(|_| bad("the port is not a number"))?)),
            None => (hostport, None),
        };
        let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c));
        if !plain(host) || user.as_deref().is_some_and(|u| !plain(u)) {
            return Err(bad("the user and host may hold only Latin letters, digits and . - _"));
        }
        Ok(Remote {
            user,
            host: host.to_string(),
            port,
            path,
            options,
        })
    }

    pub fn display(&self) -> String {
        format!(
            "ssh://{}{}{}{}",
            self.user.as_ref().map(|u| format!("{u}@")).unwrap_or_default(),
            self.host,
            self.port.map(|p| format!(":{p}")).unwrap_or_default(),
            self.path
        )
    }

    fn destination(&self) -> String {
        match &self.user {
            Some(u) => format!("{u}@{}", self.host),
            None => self.host.clone(),
        }
    }

    /// `ssh` with the target's port and options, in batch mode (no password prompt).
    /// The site's own options come first: ssh takes the first value it is given for an option.
    /// A deploy makes a dozen connections: they share one (`ControlMaster`) for this run.
    fn ssh_args(&self) -> Vec<String> {
        let mut args: Vec<String> = self.options.clone();
        if let Some(p) = self.port {
            args.push("-p".into());
            args.push(p.to_string());
        }
        // This run's own: every run checks the host's key anew.
        let control = format!("ControlPath=/tmp/twinpress-ssh-{}-%C", std::process::id());
        for option in ["BatchMode=yes", "ControlMaster=auto", &control, "ControlPersist=5"] {
            args.push("-o".into());
            args.push(option.to_string());
        }
        args
    }

    /// Runs `script` (with `T` set to the target folder) on the server; its output.
    pub fn run(&self, script: &str, input: Option<&[u8]>) -> Result<String> {
        let mut child = Command::new("ssh")
            .args(self.ssh_args())
            .arg(self.destination())
            .arg(format!("T={} && {script}", self.path))
            .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("Cannot run ssh: install the OpenSSH client")?;
        if let Some(input) = input {
            child.stdin.take().map(|mut s| s.write_all(input)).transpose()?;
        }
        let out = child.wait_with_output()?;
        if !out.status.success() {
            bail!(
                "{} on {}: {}",
                if out.status.code() == Some(255) {
                    "ssh could not connect"
                } else {
                    "a command failed"
                },
                self.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Takes the target's lock on the server, waiting (and saying so) while another holds it.
    pub fn lock(&self, log: &dyn Fn(&str)) -> Result<RemoteLock> {
        let mut child = Command::new("ssh")
            .args(self.ssh_args())
            .arg(self.destination())
            .arg(format!(
                "T={} && mkdir -p \"$T/releases\" \"$T/records\" && chmod 755 \"$T\" \"$T/releases\" \"$T/records\" && \
                 (flock -n 9 || {{ echo waiting; flock 9; }}) 9>>\"$T/deploy.lock\" && echo locked && exec cat >/dev/null",
                self.path
            ))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("Cannot run ssh: install the OpenSSH client")?;
        let mut lines = std::io::BufReader::new(child.stdout.take().context("ssh's output")?).lines();
        loop {
            match lines.next() {
                Some(Ok(line)) if line == "locked" => return Ok(RemoteLock { child }),
                Some(Ok(line)) if line == "waiting" => {
                    log(&format!(
                        "another deploy to {} is at work: waiting for it",
                        self.display()
                    ));
                }
                Some(Ok(_)) => {}
                _ => {
                    let mut err = String::new();
                    if let Some(mut e) = child.stderr.take() {
                        let _ = e.read_to_string(&mut err);
                    }
                    let _ = child.wait();
                    bail!(
                        "ssh could not connect to {} to take its deploy lock: {}",
                        self.display(),
                        err.trim()
                    );
                }
            }
        }
    }

    /// Uploads the build in `staging` as `releases/<incoming>/`, files the live release has
    /// unchanged hard-linked to it on the server; `(files, copied, bytes)`. Each file sent moves
    /// the progress bar (a line of the log every thousand where there is no terminal).
    pub fn upload(
        &self,
        staging: &Path,
        incoming: &str,
        live: Option<&str>,
        log: &dyn Fn(&str),
    ) -> Result<(usize, usize, u64)> {
        let ssh = std::iter::once("ssh".to_string())
            .chain(self.ssh_args())
            .map(|a| shell_word(&a))
            .collect::<Vec<_>>()
            .join(" ");
        let mut cmd = Command::new("rsync");
        cmd.args([
            "-a",
            "--delete",
            "--chmod=D755,F644",
            "--stats",
            &format!("--out-format={SENT}%l %n"),
            "-e",
            &ssh,
        ]);
        if let Some(live) = live {
            cmd.arg(format!("--link-dest=../{live}"));
        }
        let mut child = cmd
            .arg(format!("{}/", staging.display()))
            .arg(format!("{}:{}/releases/{incoming}/", self.destination(), self.path))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("Cannot run rsync: install it here and on the server")?;
        let stderr = child.stderr.take().context("rsync's errors")?;
        let errors = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::BufReader::new(stderr).read_to_string(&mut text);
            text
        });
        let bar = super::target::progress_bar("Uploading");
        let (mut sent, mut sent_bytes) = (0u64, 0u64);
        let mut stats = String::new();
        for line in std::io::BufReader::new(child.stdout.take().context("rsync's output")?).lines() {
            let line = line.context("Cannot read rsync's output")?;
            match line.strip_prefix(SENT) {
                Some(file) => {
                    let (size, name) = file.split_once(' ').unwrap_or(("0", file));
                    if !name.ends_with('/') {
                        sent += 1;
                        sent_bytes += size.parse::<u64>().unwrap_or(0);
                        bar.set_position(sent);
                        bar.set_message(format!("{} KB", sent_bytes / 1024));
                        if bar.is_hidden() && sent.is_multiple_of(1000) {
                            log(&format!("{sent} files uploaded ({} KB)", sent_bytes / 1024));
                        }
                    }
                }
                None => {
                    stats.push_str(&line);
                    stats.push('\n');
                }
            }
        }
        bar.finish_and_clear();
        let status = child.wait().context("Cannot wait for rsync")?;
        let errors = errors.join().unwrap_or_default();
        if !status.success() {
            bail!("rsync to {} failed: {}", self.display(), errors.trim());
        }
        let number = |label: &str| -> u64 {
            stats
                .lines()
                .find_map(|l| l.strip_prefix(label))
                .map(|v| v.trim().split(' ').next().unwrap_or("0").replace(',', ""))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        let files = walkdir::WalkDir::new(staging)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .count();
        Ok((
            files,
            number("Number of regular files transferred:") as usize,
            number("Total transferred file size:"),
        ))
    }

    /// What differs between the build in `staging` and the live release on the server: the
    /// files new or changed, and those gone (rsync's dry run, by size and time).
    pub fn differences(&self, staging: &Path, live: &str) -> Result<(Vec<String>, Vec<String>)> {
        let ssh = std::iter::once("ssh".to_string())
            .chain(self.ssh_args())
            .map(|a| shell_word(&a))
            .collect::<Vec<_>>()
            .join(" ");
        let out = Command::new("rsync")
            .args(["-a", "--delete", "--dry-run", "--out-format=%i %n", "-e", &ssh])
            .arg(format!("{}/", staging.display()))
            .arg(format!("{}:{}/releases/{live}/", self.destination(), self.path))
            .output()
            .context("Cannot run rsync: install it here and on the server")?;
        if !out.status.success() {
            bail!(
                "rsync to {} failed: {}",
                self.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        let (mut changed, mut gone) = (Vec::new(), Vec::new());
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if let Some(name) = line.strip_prefix("*deleting ") {
                gone.push(name.trim().to_string());
            } else if let Some((flags, name)) = line.split_once(' ') {
                if flags.starts_with(">f") || flags.starts_with("<f") {
                    changed.push(name.to_string());
                }
            }
        }
        Ok((changed, gone))
    }
}

/// `word` quoted for a shell, where it needs to be.
fn shell_word(word: &str) -> String {
    if word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_=./:@,".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_names_user_host_port_and_a_plain_folder() {
        let r = Remote::parse("ssh://deploy@news.example.kz:2222/srv/portal/", vec![]).unwrap();
        assert_eq!(
            (r.user.as_deref(), r.host.as_str(), r.port, r.path.as_str()),
            (Some("deploy"), "news.example.kz", Some(2222), "/srv/portal")
        );
        assert_eq!(r.display(), "ssh://deploy@news.example.kz:2222/srv/portal");
        for bad in [
            "ssh://host",
            "ssh://host/srv/$(rm -rf ~)",
            "ssh://host/srv/a b",
            "ssh://host/../etc",
            "ssh://us;er@host/srv",
            "ssh://host:port/srv",
        ] {
            assert!(Remote::parse(bad, vec![]).is_err(), "{bad}");
        }
    }

    #[test]
    fn shell_words_are_quoted_where_they_need_it() {
        assert_eq!(shell_word("-p"), "-p");
        assert_eq!(
            shell_word("UserKnownHostsFile=/tmp/a b"),
            "'UserKnownHostsFile=/tmp/a b'"
        );
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }
}
