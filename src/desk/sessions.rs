//! Signed-in sessions of team mode, and the brake on guessing passwords.
//!
//! A session is a random 256-bit id in an `HttpOnly; SameSite=Strict` cookie for the whole
//! server (the preview is for signed-in accounts too), `Secure` when the request came through
//! TLS. It is kept in this process only: it ends after `[desk] session_idle` unused, after
//! twelve hours whatever, at sign-out, when the account is removed and when its password
//! changes (the account's `generation` moves on), and with the server.
//!
//! Failed sign-ins are counted per account and per address. From the fourth in a row the answer
//! is slowed (a quarter second, doubling, at most two); after ten, the account or the address
//! is refused with 429 for fifteen minutes without a password being tried. An account's refusal
//! does not reach an address it has signed in from before, so an attacker elsewhere cannot lock
//! its owner out; an address's refusal ends with its fifteen minutes.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::accounts::{Account, Users};

/// The cookie that carries a session's id.
pub const SESSION_COOKIE: &str = "twinpress_session";
/// The longest a session lasts, used or not.
pub const ABSOLUTE: Duration = Duration::from_secs(12 * 3600);
/// Failed sign-ins in a row before the account or address is refused.
pub const REFUSE_AFTER: u32 = 10;
/// How long a refusal lasts after the last failure.
pub const REFUSED_FOR: Duration = Duration::from_secs(15 * 60);
/// Failures in a row answered at once; the ones after are slowed.
const SLOW_AFTER: u32 = 3;

struct Session {
    name: String,
    generation: u64,
    created: Instant,
    seen: Instant,
}

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

#[derive(Default)]
struct Brake {
    accounts: HashMap<String, Failures>,
    addresses: HashMap<IpAddr, Failures>,
    /// Addresses each account has signed in from.
    known: HashMap<String, HashSet<IpAddr>>,
}

/// The sessions of one server.
pub struct Sessions {
    idle: Duration,
    sessions: Mutex<HashMap<String, Session>>,
    brake: Mutex<Brake>,
}

/// Whether a sign-in may be tried now.
#[derive(Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Try the password; a failure is answered after `slow`.
    Try { slow: Duration },
    /// Too many failures: answer 429, try again after this long.
    Refused(Duration),
}

impl Sessions {
    pub fn new(idle: Duration) -> Sessions {
        Sessions {
            idle,
            sessions: Mutex::default(),
            brake: Mutex::default(),
        }
    }

    /// A new session for `account`: its id.
    pub fn start(&self, account: &Account) -> std::io::Result<String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let now = Instant::now();
        let mut sessions = lock(&self.sessions);
        // Sessions that are over go when a new one comes.
        sessions.retain(|_, s| now.duration_since(s.seen) < self.idle && now.duration_since(s.created) < ABSOLUTE);
        sessions.insert(
            id.clone(),
            Session {
                name: account.name.clone(),
                generation: account.generation,
                created: now,
                seen: now,
            },
        );
        Ok(id)
    }

    /// The account whose live session `id` is, as `users` has it now; the session is used.
    pub fn account(&self, id: &str, users: &Users) -> Option<Account> {
        let now = Instant::now();
        let mut sessions = lock(&self.sessions);
        let session = sessions.get_mut(id)?;
        let account = users
            .find(&session.name)
            .filter(|a| a.generation == session.generation)
            .cloned();
        let live = now.duration_since(session.seen) < self.idle && now.duration_since(session.created) < ABSOLUTE;
        match account {
            Some(account) if live => {
                session.seen = now;
                Some(account)
            }
            _ => {
                sessions.remove(id);
                None
            }
        }
    }

    /// Ends session `id` (sign-out).
    pub fn end(&self, id: &str) {
        lock(&self.sessions).remove(id);
    }

    /// Whether `name` may try a password from `addr` now.
    pub fn attempt(&self, name: &str, addr: IpAddr) -> Attempt {
        let now = Instant::now();
        let mut brake = lock(&self.brake);
        brake.accounts.retain(|_, f| now.duration_since(f.last) < REFUSED_FOR);
        brake.addresses.retain(|_, f| now.duration_since(f.last) < REFUSED_FOR);
        let known = brake.known.get(name).is_some_and(|k| k.contains(&addr));
        let account = if known { None } else { brake.accounts.get(name).copied() };
        let address = brake.addresses.get(&addr).copied();
        let worst = [account, address].into_iter().flatten().max_by_key(|f| f.count);
        match worst {
            Some(f) if f.count >= REFUSE_AFTER => {
                Attempt::Refused(REFUSED_FOR.saturating_sub(now.duration_since(f.last)))
            }
            Some(f) if f.count >= SLOW_AFTER => Attempt::Try {
                slow: Duration::from_millis(250u64 << (f.count - SLOW_AFTER).min(3)),
            },
            _ => Attempt::Try { slow: Duration::ZERO },
        }
    }

    /// A wrong password for `name` from `addr`.
    pub fn failed(&self, name: &str, addr: IpAddr) {
        let now = Instant::now();
        let mut brake = lock(&self.brake);
        let fresh = Failures { count: 0, last: now };
        let account = brake.accounts.entry(name.to_string()).or_insert(fresh);
        account.count += 1;
        account.last = now;
        let address = brake.addresses.entry(addr).or_insert(fresh);
        address.count += 1;
        address.last = now;
    }

    /// `name` signed in from `addr`: its failures are forgotten, the address known.
    pub fn succeeded(&self, name: &str, addr: IpAddr) {
        let mut brake = lock(&self.brake);
        brake.accounts.remove(name);
        brake.addresses.remove(&addr);
        brake.known.entry(name.to_string()).or_default().insert(addr);
    }
}

/// The `Set-Cookie` value of session `id` (`Secure` when the browser came over TLS).
pub fn cookie(id: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        ABSOLUTE.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session's cookie.
pub fn cleared(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The session id a `Cookie` header carries.
pub fn id_in(cookie: Option<&str>) -> Option<&str> {
    cookie?
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::accounts::Role;

    fn users() -> Users {
        Users {
            accounts: vec![Account {
                name: "dana".into(),
                email: None,
                role: Role::Editor,
                password: String::new(),
                generation: 0,
            }],
        }
    }

    #[test]
    fn a_session_ends_when_idle_when_its_account_goes_or_its_password_changes() {
        let s = Sessions::new(Duration::from_millis(200));
        let mut u = users();
        let id = s.start(&u.accounts[0]).unwrap();
        assert_eq!(id.len(), 64);
        assert_eq!(s.account(&id, &u).unwrap().name, "dana");
        assert!(s.account("0".repeat(64).as_str(), &u).is_none(), "a forged id");
        std::thread::sleep(Duration::from_millis(250));
        assert!(s.account(&id, &u).is_none(), "idle too long");
        let id = s.start(&u.accounts[0]).unwrap();
        u.accounts[0].generation += 1;
        assert!(s.account(&id, &u).is_none(), "the password changed");
        let id = s.start(&u.accounts[0]).unwrap();
        assert!(s.account(&id, &Users::default()).is_none(), "the account was removed");
        let id = s.start(&u.accounts[0]).unwrap();
        s.end(&id);
        assert!(s.account(&id, &u).is_none(), "signed out");
    }

    #[test]
    fn failures_slow_then_refuse_but_not_where_the_owner_signed_in_before() {
        let s = Sessions::new(Duration::from_secs(60));
        let home: IpAddr = "10.0.0.5".parse().unwrap();
        let attacker: IpAddr = "10.0.0.66".parse().unwrap();
        s.succeeded("dana", home);
        for n in 0..REFUSE_AFTER {
            match s.attempt("dana", attacker) {
                Attempt::Try { slow } => assert_eq!(slow.is_zero(), n < SLOW_AFTER, "{n}"),
                other => panic!("{n}: {other:?}"),
            }
            s.failed("dana", attacker);
        }
        assert!(matches!(s.attempt("dana", attacker), Attempt::Refused(_)));
        // Another address of the attacker's: the account is refused there too.
        let other: IpAddr = "10.0.0.67".parse().unwrap();
        assert!(matches!(s.attempt("dana", other), Attempt::Refused(_)));
        // The owner, from where they signed in before, is not locked out.
        assert!(matches!(s.attempt("dana", home), Attempt::Try { .. }));
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_over_tls() {
        let c = cookie(&"a".repeat(64), true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.ends_with("; Secure"));
        assert!(!cookie("x", false).contains("Secure"));
        let header = format!("x=1; {SESSION_COOKIE}={}", "b".repeat(64));
        assert_eq!(id_in(Some(&header)), Some("b".repeat(64).as_str()));
        assert_eq!(id_in(Some("twinpress_session=../../x")), None);
    }
}
