//! Team mode's door: `login` (the form, fields `name` and `password`) and `logout`, and what a
//! request without a live session gets — a page is sent to sign in (and back after), anything
//! else refused. A sign-in starts a new session (never one the browser brought: no fixation);
//! failures are slowed and then refused ([`Sessions::attempt`]).
//!
//! [`Sessions::attempt`]: crate::desk::sessions::Sessions::attempt

use serde_json::json;
use tiny_http::{Method, Request};

use super::{denied, render_in};
use crate::desk::accounts::Users;
use crate::desk::guard::Refusal;
use crate::desk::sessions::{self, Attempt};
use crate::desk::text::words;
use crate::desk::{Answer, Desk, Head, PREFIX};

/// Whether `path` (below `/_desk/`) is the sign-in or sign-out page: `kk/login`, or `login`
/// alone (the desk's first language).
pub(crate) fn is_login(path: &str) -> bool {
    matches!(page_of(path), "login" | "logout")
}

/// The page a path below `/_desk/` names, with or without the desk's language before it.
fn page_of(path: &str) -> &str {
    match path.split_once('/') {
        Some((lang, rest)) if crate::desk::text::UI_LANGUAGES.contains(&lang) => rest,
        Some(_) => "",
        None => path,
    }
}

/// The answer to a team-mode request without a live session, or to `login` and `logout`.
pub(crate) fn answer(desk: &Desk, request: &mut Request, head: Head, users: &Users) -> Answer {
    let ui = head.ui;
    let page = page_of(&head.path).to_string();
    let (addr, secure) = desk.client(&head);
    let post = head.method == Method::Post;
    match (page.as_str(), post) {
        ("logout", true) => {
            if let Some(id) = sessions::id_in(head.cookie.as_deref()) {
                desk.sessions.end(id);
            }
            let mut a = Answer::see_other(format!("{PREFIX}{ui}/login"));
            a.headers.push(("Set-Cookie", sessions::cleared(secure)));
            a
        }
        ("login", false) => form(desk, ui, head.query.get("next"), 200, None),
        ("login", true) => {
            let previous = sessions::id_in(head.cookie.as_deref()).map(str::to_string);
            let asked = match desk.read_body(request, head) {
                Ok(asked) => asked,
                Err(answer) => return answer,
            };
            let name = asked.form.get("name").trim().to_string();
            let next = asked.form.get("next").to_string();
            let slow = match desk.sessions.attempt(&name, addr) {
                Attempt::Refused(wait) => {
                    let mut a = form(desk, ui, &next, 429, Some("sign_in_refused"));
                    a.headers.push(("Retry-After", wait.as_secs().max(1).to_string()));
                    return a;
                }
                Attempt::Try { slow } => slow,
            };
            let Some(account) = users.verify(&name, asked.form.get("password")) else {
                desk.sessions.failed(&name, addr);
                std::thread::sleep(slow);
                return form(desk, ui, &next, 401, Some("sign_in_wrong"));
            };
            desk.sessions.succeeded(&name, addr);
            if let Some(old) = previous {
                desk.sessions.end(&old);
            }
            match desk.sessions.start(account) {
                Ok(id) => {
                    let mut a = Answer::see_other(safe_next(&next, ui));
                    a.headers.push(("Set-Cookie", sessions::cookie(&id, secure)));
                    a
                }
                Err(e) => Answer::html(500, format!("Cannot start a session: {e}")),
            }
        }
        _ if !post => Answer::see_other(format!(
            "{PREFIX}{ui}/login?next={}",
            super::encode(&format!("{PREFIX}{}", head.path))
        )),
        _ => denied(desk, ui, Refusal::Session),
    }
}

/// The sign-in form, with `message` (a word's key) when there is one.
fn form(desk: &Desk, ui: &str, next: &str, status: u16, message: Option<&str>) -> Answer {
    let t = words(ui);
    let ctx = json!({
        "title": t["sign_in"],
        "next": next,
        "message": message.map(|m| t[m]),
        // The language switch stays on this page.
        "ui_page": "login",
    });
    Answer::html(status, render_in(desk, "login.html", ui, ctx))
}

/// Where to go after signing in: an address of this server only (a path, never `//host`).
fn safe_next(next: &str, ui: &str) -> String {
    let ok = next.starts_with('/') && !next.starts_with("//") && !next.contains(['\\', '\r', '\n']);
    if ok {
        next.to_string()
    } else {
        format!("{PREFIX}{ui}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_signing_in_the_browser_goes_only_to_this_server() {
        assert_eq!(safe_next("/ru/news/x/?a=1", "ru"), "/ru/news/x/?a=1");
        for evil in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example",
            "",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(evil, "kk"), "/_desk/kk/", "{evil}");
        }
        assert!(is_login("kk/login") && is_login("ru/logout") && is_login("login") && !is_login("ru/edit"));
        assert!(!is_login("x/login") && !is_login("kk/login/x"));
    }
}
