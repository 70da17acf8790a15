//! The newsroom's accounts: `.twinpress/users.toml` under the site root (git-ignored, mode
//! 0600), each a name, an e-mail for the history's commits, a role and an Argon2id hash of the
//! password (the PHC string; the password itself is never written or logged). `twinpress user`
//! manages them; with one account in the file, the desk and the preview answer only to a
//! signed-in account ([`super::sessions`]).
//!
//! Passwords follow OWASP's guidance: at least 8 characters and at most 256 (long passphrases
//! welcome, no rules of composition), not the account's name, not one of the commonest; hashed
//! with Argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane); a password change ends the
//! account's sessions (its `generation` moves on).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use serde::{Deserialize, Serialize};

/// Where the accounts live, under the site root.
pub const USERS_FILE: &str = ".twinpress/users.toml";

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 8;
/// The longest (a hash of a longer one would cost no more, but nobody types it).
pub const MAX_PASSWORD: usize = 256;

/// What an account may do. Each role may do all that the one before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Writes and edits articles, submits them for review; cannot make one public.
    Author,
    /// Also reviews: approves (publishes) or returns with a comment; edits anything; publishes.
    Editor,
    /// Also manages the accounts.
    Admin,
}

impl Role {
    /// `author`, `editor` or `admin`.
    pub fn parse(text: &str) -> Result<Role> {
        match text {
            "author" => Ok(Role::Author),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            other => bail!("`{other}` is not a role: author, editor or admin"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Author => "author",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// Approves, returns, makes public, publishes the site.
    pub fn reviews(self) -> bool {
        self >= Role::Editor
    }
}

/// One account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub name: String,
    /// For the commits the desk makes in the account's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub role: Role,
    /// Argon2id, as a PHC string.
    pub password: String,
    /// Moves on with each password change: sessions of an older generation are over.
    #[serde(default)]
    pub generation: u64,
}

impl Account {
    /// `Name <e-mail>` for a commit's author (an address made from the name where none was
    /// given).
    pub fn signature(&self) -> (String, String) {
        let email = self
            .email
            .clone()
            .unwrap_or_else(|| format!("{}@desk.invalid", self.name));
        (self.name.clone(), email)
    }
}

/// Every account of a site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Users {
    #[serde(default, rename = "user")]
    pub accounts: Vec<Account>,
}

impl Users {
    /// The path of `root`'s accounts file.
    pub fn path(root: &Path) -> PathBuf {
        root.join(USERS_FILE)
    }

    /// The accounts of the site at `root` (none when the file is missing).
    pub fn load(root: &Path) -> Result<Users> {
        let path = Users::path(root);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Users::default()),
            Err(e) => return Err(e).with_context(|| format!("Cannot read {}", path.display())),
        };
        toml::from_str(&text).map_err(|e| {
            let p = crate::diagnostics::toml_problem(Path::new(USERS_FILE), &text, 1, &e);
            anyhow::anyhow!("{p} (`twinpress user` writes this file; fix it or remove the account's lines)")
        })
    }

    /// Whether the site has accounts: the desk and preview are then for signed-in accounts only.
    pub fn team(&self) -> bool {
        !self.accounts.is_empty()
    }

    pub fn find(&self, name: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.name == name)
    }

    /// Writes the accounts, whole and atomically, readable by their owner only.
    pub fn save(&self, root: &Path) -> Result<()> {
        use std::os::unix::fs::PermissionsExt as _;
        let path = Users::path(root);
        let dir = path.parent().context("the accounts file has a folder")?;
        std::fs::create_dir_all(dir).with_context(|| format!("Cannot create {}", dir.display()))?;
        // Never in git, whatever the site's own .gitignore says.
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            std::fs::write(
                &ignore,
                "# twinpress's own files: accounts, the deploy's build. Never committed.\n*\n",
            )
            .with_context(|| format!("Cannot write {}", ignore.display()))?;
        }
        let text = format!(
            "# The desk's accounts: written by `twinpress user`, kept out of git. Passwords are Argon2id hashes.\n\n{}",
            toml::to_string(self).context("the accounts as TOML")?
        );
        let mut file = tempfile::Builder::new()
            .prefix(".users-")
            .permissions(std::fs::Permissions::from_mode(0o600))
            .tempfile_in(dir)
            .with_context(|| format!("Cannot write in {}", dir.display()))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.as_file().sync_all())
            .with_context(|| format!("Cannot write {}", path.display()))?;
        file.persist(&path)
            .map_err(|e| e.error)
            .with_context(|| format!("Cannot write {}", path.display()))?;
        Ok(())
    }

    /// Adds an account.
    pub fn add(&mut self, name: &str, email: Option<&str>, role: Role, password: &str) -> Result<()> {
        check_name(name)?;
        if self.find(name).is_some() {
            bail!("There is an account `{name}` already: `twinpress user passwd {name}` sets its password");
        }
        if let Some(email) = email {
            check_email(email)?;
        }
        check_password(name, password)?;
        self.accounts.push(Account {
            name: name.to_string(),
            email: email.map(str::to_string),
            role,
            password: hash(password)?,
            generation: 0,
        });
        Ok(())
    }

    /// Removes an account: its sessions end with it.
    pub fn remove(&mut self, name: &str) -> Result<()> {
        let before = self.accounts.len();
        self.accounts.retain(|a| a.name != name);
        if self.accounts.len() == before {
            bail!("There is no account `{name}`: `twinpress user list` lists them");
        }
        Ok(())
    }

    /// Sets an account's password: its sessions end.
    pub fn set_password(&mut self, name: &str, password: &str) -> Result<()> {
        check_password(name, password)?;
        let hashed = hash(password)?;
        let account = self
            .accounts
            .iter_mut()
            .find(|a| a.name == name)
            .with_context(|| format!("There is no account `{name}`: `twinpress user list` lists them"))?;
        account.password = hashed;
        account.generation += 1;
        Ok(())
    }

    /// The account `name` when `password` is its password. An unknown name costs the same
    /// time as a wrong password (no telling which names exist).
    pub fn verify(&self, name: &str, password: &str) -> Option<&Account> {
        let account = self.find(name);
        let stored = account.map_or(DUMMY_HASH, |a| a.password.as_str());
        let ok = password.len() <= MAX_PASSWORD * 4
            && PasswordHash::new(stored).is_ok_and(|h| {
                argon2::Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            });
        if ok {
            account
        } else {
            None
        }
    }
}

/// A hash no password matches, verified for an unknown name (Argon2id at the same parameters).
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$dHdpbnByZXNzZHVtbXk$Jc1Lp+O8VvUO3cVgk8QfZ8Vh4p5vqvH0P2vH1i8CkQ4";

/// Argon2id with OWASP's parameters (the crate's defaults: m=19456 KiB, t=2, p=1).
fn hash(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("Cannot make a salt: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("Cannot make a salt: {e}"))?;
    Ok(argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("Cannot hash the password: {e}"))?
        .to_string())
}

/// A name is 1–32 of a–z, 0–9, `.`, `_`, `-`, beginning with a letter: it goes into cookies'
/// sessions, commits and URLs unescaped.
pub fn check_name(name: &str) -> Result<()> {
    let ok = (1..=32).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !ok {
        bail!("`{name}` cannot be an account's name: use 1 to 32 small Latin letters, digits, `.`, `_` or `-`, beginning with a letter (aigerim, a.nurlanovna)");
    }
    Ok(())
}

fn check_email(email: &str) -> Result<()> {
    let ok = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'))
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>'));
    if !ok {
        bail!("`{email}` is not an e-mail address (name@example.kz)");
    }
    Ok(())
}

/// OWASP: length, not the name, not a common password. No rules of composition.
pub fn check_password(name: &str, password: &str) -> Result<()> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD {
        bail!("The password is too short: use at least {MIN_PASSWORD} characters (a phrase of several words is best)");
    }
    if chars > MAX_PASSWORD {
        bail!("The password is too long: use at most {MAX_PASSWORD} characters");
    }
    let lower = password.to_lowercase();
    if lower == name || lower.contains(name) && name.len() >= 4 {
        bail!("The password contains the account's name: choose another");
    }
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        bail!("The password is one of the commonest, the first an attacker tries: choose another");
    }
    Ok(())
}

/// Some of the commonest passwords of at least eight characters (from the lists published of
/// leaked passwords), refused whatever their case.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "password123",
    "12345678",
    "123456789",
    "1234567890",
    "qwertyui",
    "qwerty123",
    "qwertyuiop",
    "11111111",
    "00000000",
    "iloveyou",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "welcome1",
    "welcome123",
    "admin123",
    "administrator",
    "letmein1",
    "abc12345",
    "abcd1234",
    "1q2w3e4r",
    "1qaz2wsx",
    "zaq12wsx",
    "passw0rd",
    "p@ssw0rd",
    "trustno1",
    "superman",
    "starwars",
    "computer",
    "michelle",
    "jennifer",
    "87654321",
    "12341234",
    "11223344",
    "123123123",
    "987654321",
    "qazwsxedc",
    "asdfghjk",
    "zxcvbnm1",
    "йцукенгш",
    "пароль123",
    "qwerty12",
    "changeme",
    "internet",
    "whatever",
    "dragon12",
    "monkey12",
    "master12",
    "twinpress",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_is_kept_as_an_argon2id_hash_and_only_it_opens_the_account() {
        let mut users = Users::default();
        users
            .add("aigerim", Some("aigerim@example.kz"), Role::Editor, "жолкарта-2026")
            .unwrap();
        let stored = &users.accounts[0].password;
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert!(!stored.contains("жолкарта"));
        assert!(users.verify("aigerim", "жолкарта-2026").is_some());
        assert!(users.verify("aigerim", "жолкарта-2025").is_none());
        assert!(users.verify("nobody", "жолкарта-2026").is_none());
        // Another salt each time.
        let mut again = Users::default();
        again.add("aigerim", None, Role::Editor, "жолкарта-2026").unwrap();
        assert_ne!(again.accounts[0].password, *stored);
    }

    #[test]
    fn a_new_password_ends_the_old_generation() {
        let mut users = Users::default();
        users.add("erlan", None, Role::Author, "көктем-келді-7").unwrap();
        users.set_password("erlan", "жаз-да-келеді-8").unwrap();
        assert_eq!(users.find("erlan").unwrap().generation, 1);
        assert!(users.verify("erlan", "көктем-келді-7").is_none());
        assert!(users.verify("erlan", "жаз-да-келеді-8").is_some());
    }

    #[test]
    fn weak_passwords_and_bad_names_are_refused_with_what_to_do() {
        let mut users = Users::default();
        for (name, password, says) in [
            ("erlan", "short", "too short"),
            ("erlan", "Password123", "commonest"),
            ("erlan", "erlan-erlan", "account's name"),
            ("Erlan", "a-long-enough-one", "cannot be an account's name"),
            ("../x", "a-long-enough-one", "cannot be an account's name"),
        ] {
            let err = users.add(name, None, Role::Author, password).unwrap_err().to_string();
            assert!(err.contains(says), "{name}/{password}: {err}");
        }
        users.add("erlan", None, Role::Author, "a-long-enough-one").unwrap();
        let twice = users.add("erlan", None, Role::Author, "a-long-enough-one").unwrap_err();
        assert!(twice.to_string().contains("already"));
        assert!(users
            .add("dana", Some("not an address"), Role::Author, "a-long-enough-one")
            .is_err());
    }

    #[test]
    fn the_file_is_private_and_reads_back() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let mut users = Users::default();
        users.add("dana", None, Role::Admin, "a-long-enough-one").unwrap();
        users.save(dir.path()).unwrap();
        let mode = std::fs::metadata(Users::path(dir.path())).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let ignored = std::fs::read_to_string(dir.path().join(".twinpress/.gitignore")).unwrap();
        assert!(ignored.lines().any(|l| l == "*"), "kept out of git: {ignored}");
        assert_eq!(Users::load(dir.path()).unwrap(), users);
        std::fs::write(
            Users::path(dir.path()),
            "[[user]]\nname = \"x\"\nrole = \"boss\"\npassword = \"\"\n",
        )
        .unwrap();
        let err = Users::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains(".twinpress/users.toml:3"), "{err}");
    }

    #[test]
    fn the_dummy_hash_is_a_valid_argon2id_hash_nothing_matches() {
        let h = PasswordHash::new(DUMMY_HASH).unwrap();
        assert_eq!(h.algorithm.as_str(), "argon2id");
        assert!(argon2::Argon2::default().verify_password(b"", &h).is_err());
    }
}
