//! `twinpress deploy` to `ssh://user@127.0.0.1:PORT/…`: a real `sshd` on a loopback port, a
//! throwaway key and (as root) a throwaway user the test makes; the host's key checked from a
//! known_hosts file the test writes. Deployed to, changed, listed, rolled back and pruned; an
//! unknown host key is refused.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::Site;

fn sh(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The sshd the test runs, and the user it lets in.
struct Server {
    child: Child,
    user: String,
    home: PathBuf,
    made_user: bool,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if self.made_user {
            let _ = Command::new("userdel").args(["-r", &self.user]).output();
        }
    }
}

fn start_sshd(dir: &Path, port: u16, public_key: &str) -> Server {
    let sshd = Path::new("/usr/sbin/sshd");
    assert!(
        sshd.exists(),
        "the SSH deploy test needs sshd: apt-get install openssh-server (tests/run installs it)"
    );
    let root = sh(Command::new("id").arg("-u")).trim() == "0";
    // As root, a user of its own; else the test's user (sshd then lets in no one else).
    let (user, home, made_user) = if root {
        let user = format!("tpdeploy{}", std::process::id() % 100_000);
        sh(Command::new("useradd").args(["-m", "-s", "/bin/sh", &user]));
        // No password, and not locked (`!`): sshd without PAM refuses a locked account's keys.
        sh(Command::new("usermod").args(["-p", "*", &user]));
        let home = PathBuf::from(
            sh(Command::new("sh")
                .arg("-c")
                .arg(format!("getent passwd {user} | cut -d: -f6")))
            .trim(),
        );
        (user, home, true)
    } else {
        let user = sh(Command::new("id").arg("-un")).trim().to_string();
        (user, PathBuf::from(std::env::var("HOME").unwrap()), false)
    };
    let keys = dir.join("authorized_keys");
    std::fs::write(&keys, public_key).unwrap();
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o644)).unwrap();
    sh(Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(dir.join("host_key")));
    std::fs::create_dir_all("/run/sshd").ok();
    let config = dir.join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile {}\nAuthorizedKeysFile {}\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n\
             AllowUsers {user}\nSubsystem sftp internal-sftp\n",
            dir.join("host_key").display(),
            dir.join("sshd.pid").display(),
            keys.display()
        ),
    )
    .unwrap();
    let child = Command::new(sshd)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "sshd did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Server {
        child,
        user,
        home,
        made_user,
    }
}

#[test]
fn a_site_is_deployed_over_ssh_released_rolled_back_and_pruned_with_the_host_key_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let key = dir.path().join("id_ed25519");
    sh(Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "twinpress-test", "-f"])
        .arg(&key));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = start_sshd(
        dir.path(),
        port,
        &std::fs::read_to_string(key.with_extension("pub")).unwrap(),
    );
    let host_key = std::fs::read_to_string(dir.path().join("host_key.pub")).unwrap();
    let known = dir.path().join("known_hosts");
    std::fs::write(&known, format!("[127.0.0.1]:{port} {host_key}")).unwrap();
    let remote_dir = server.home.join("portal");
    let site = Site::copy("good");
    let settings = |known: &Path| {
        format!(
            "\n[deploy]\ntarget = \"ssh://{}@127.0.0.1:{port}{}\"\nkeep = 1\nssh = [\"-i\", \"{}\", \"-o\", \"UserKnownHostsFile={}\", \"-o\", \"StrictHostKeyChecking=yes\"]\n",
            server.user,
            remote_dir.display(),
            key.display(),
            known.display()
        )
    };
    let toml = site.read("site.toml");
    site.write("site.toml", &format!("{toml}{}", settings(&known)));
    let first = site.run(&["deploy"]).success();
    assert!(first.stdout().starts_with("Published "), "{}", first.stdout());
    let live = || -> String {
        std::fs::read_link(remote_dir.join("current"))
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    let one = live();
    assert!(remote_dir.join("current/ru/index.html").is_file());
    let owner = std::fs::metadata(remote_dir.join("current/ru/index.html"))
        .unwrap()
        .uid();
    let user_uid: u32 = sh(Command::new("id").args(["-u", &server.user]))
        .trim()
        .parse()
        .unwrap();
    assert_eq!(owner, user_uid, "written on the server as its user");
    assert!(site
        .run(&["deploy"])
        .success()
        .stdout()
        .starts_with("Nothing to publish"));
    // A change: only what changed crosses, the rest hard-linked on the server.
    let rel = "content/news/2025/2025-08-29-qinghai.ru.md";
    site.write(rel, &format!("{}\nПо SSH.\n", site.read(rel)));
    let second = site.run(&["deploy"]).success().stdout();
    assert!(second.contains("1 page changed"), "{second}");
    // rsync's count of the files it sent, read beside the line it prints for each.
    let copied: usize = second
        .split(" files copied")
        .next()
        .and_then(|s| s.rsplit("; ").next())
        .and_then(|s| s.split(" of ").next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no count of files copied: {second}"));
    assert!((1..20).contains(&copied), "only what changed crosses: {second}");
    let two = live();
    let inode = |r: &str, f: &str| {
        std::fs::metadata(remote_dir.join("releases").join(r).join(f))
            .unwrap()
            .ino()
    };
    assert_eq!(inode(&one, "ru/cities/index.html"), inode(&two, "ru/cities/index.html"));
    let list = site.run(&["deploy", "--list"]).success().stdout();
    assert!(list.contains(&format!("* {two}")) && list.contains(&one), "{list}");
    site.run(&["deploy", "--rollback"]).success();
    assert_eq!(live(), one);
    site.run(&["deploy", "--rollback", &two]).success();
    // keep = 1: a third release leaves two.
    site.write(rel, &format!("{}\nЕщё.\n", site.read(rel)));
    site.run(&["deploy"]).success();
    let releases = std::fs::read_dir(remote_dir.join("releases")).unwrap().count();
    assert_eq!(releases, 2, "the live one and one more");
    // A host whose key is not the one known: refused, nothing changed.
    let before = live();
    let other = dir.path().join("other_known_hosts");
    sh(Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(dir.path().join("other")));
    let other_key = std::fs::read_to_string(dir.path().join("other.pub")).unwrap();
    std::fs::write(&other, format!("[127.0.0.1]:{port} {other_key}")).unwrap();
    site.write("site.toml", &format!("{toml}{}", settings(&other)));
    site.write(rel, &format!("{}\nНе дойдёт.\n", site.read(rel)));
    let refused = site.run(&["deploy"]);
    assert_eq!(refused.code(), 1);
    assert!(
        refused.stderr().contains("ssh could not connect"),
        "{}",
        refused.stderr()
    );
    assert!(
        refused.stderr().to_lowercase().contains("host key"),
        "{}",
        refused.stderr()
    );
    assert_eq!(live(), before);
}
