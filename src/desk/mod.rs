//! The desk: editors write, translate and publish in the browser, on top of `serve`. Pages are
//! rendered on the server from Tera templates compiled into the binary, forms work without
//! JavaScript, and every write goes through the same files an editor would edit by hand — under
//! `content/` only, atomically, keeping comments, never over a change made elsewhere. The
//! preview beside the form is the real page, rebuilt by `serve` like any other edit.

pub mod accounts;
pub mod articles;
pub mod catalogue;
pub mod form;
pub mod guard;
pub mod history;
pub mod moving;
pub mod pages;
pub mod presence;
pub mod review;
pub mod save;
pub mod sessions;
pub mod text;

use std::io::Read as _;
use std::net::IpAddr;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use tiny_http::{Header, Method, Request, Response};

use accounts::{Account, Role, Users};
pub use guard::Guard;
use guard::Refusal;
use sessions::Sessions;
use text::{words, UI_LANGUAGES};

/// Where the desk lives on the preview server.
pub const PREFIX: &str = "/_desk/";
/// Largest form the desk reads (an article's text is far smaller).
pub const MAX_FORM: usize = 2 * 1024 * 1024;

/// The desk of one site.
pub struct Desk {
    pub root: PathBuf,
    pub guard: Guard,
    /// The preview's base URL (`http://127.0.0.1:1111/`).
    pub base_url: String,
    /// The articles as last listed.
    pub scanner: articles::Scanner,
    /// `site.toml` and the cities as last read.
    pub facts: crate::content::KeptFacts,
    /// Held by every request that writes, from its check of the files on disk to its last
    /// write: two saves of one file at once cannot both pass the check and the second undo the
    /// first.
    writing: std::sync::Mutex<()>,
    /// Runs the Publish button's deploys (shared with `serve`'s automatic publishing).
    pub publisher: std::sync::Arc<crate::deploy::job::Publisher>,
    /// Team mode's sessions (`.twinpress/users.toml` has accounts).
    pub sessions: Sessions,
    /// Who has which article open (team mode).
    pub presence: presence::Presence,
    /// `[desk] trusted_proxies`, read when the desk started.
    trusted_proxies: Vec<IpAddr>,
    /// Under `serve`: rebuilds the preview for the files a write changed (relative to the
    /// root) and returns once it has, or once it has taken too long. A save's answer waits for
    /// it, so that the preview the editor comes back to shows the saved text at once instead
    /// of the old one and then a reload.
    pub rebuild: std::sync::OnceLock<Rebuild>,
    tera: tera::Tera,
}

/// See [`Desk::rebuild`].
pub type Rebuild = Box<dyn Fn(&[PathBuf]) + Send + Sync>;

/// A request as the desk reads it: nothing of it is trusted.
pub struct Asked {
    /// The desk's language, from the path's first part.
    pub ui: &'static str,
    pub method: Method,
    /// The path below `/_desk/`, without the query.
    pub path: String,
    pub query: form::Form,
    pub form: form::Form,
    pub files: Vec<(String, Vec<u8>)>,
    /// The signed-in account (team mode); `None` in token mode, where the token's holder may
    /// do everything.
    pub account: Option<Account>,
}

impl Asked {
    /// What the one asking may do: the account's role, or an admin's in token mode.
    pub fn role(&self) -> Role {
        self.account.as_ref().map_or(Role::Admin, |a| a.role)
    }

    /// Who is asking, for records and commits.
    pub fn by(&self) -> String {
        match &self.account {
            Some(a) => a.name.clone(),
            None => format!("{} (desk)", crate::deploy::who()),
        }
    }

    /// Whether the request may change files (everything but GET and HEAD).
    pub fn writes(&self) -> bool {
        !matches!(self.method, Method::Get | Method::Head)
    }
}

/// What the desk answers.
pub struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub headers: Vec<(&'static str, String)>,
}

impl Answer {
    pub fn html(status: u16, body: String) -> Answer {
        Answer {
            status,
            content_type: "text/html; charset=utf-8",
            body: body.into_bytes(),
            headers: Vec::new(),
        }
    }

    /// A redirect after a write (the browser then asks with GET).
    pub fn see_other(to: String) -> Answer {
        Answer {
            status: 303,
            content_type: "text/plain; charset=utf-8",
            body: b"See other".to_vec(),
            headers: vec![("Location", to)],
        }
    }
}

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("list.html", include_str!("templates/list.html")),
    ("edit.html", include_str!("templates/edit.html")),
    ("new.html", include_str!("templates/new.html")),
    ("import.html", include_str!("templates/import.html")),
    ("delete.html", include_str!("templates/delete.html")),
    ("conflict.html", include_str!("templates/conflict.html")),
    ("site-pages.html", include_str!("templates/site-pages.html")),
    ("site-page.html", include_str!("templates/site-page.html")),
    ("denied.html", include_str!("templates/denied.html")),
    ("publish.html", include_str!("templates/publish.html")),
    ("login.html", include_str!("templates/login.html")),
    ("history.html", include_str!("templates/history.html")),
    ("users.html", include_str!("templates/users.html")),
];
const CSS: &str = include_str!("templates/desk.css");
const JS: &str = include_str!("templates/desk.js");

impl Desk {
    pub fn new(
        root: PathBuf,
        guard: Guard,
        base_url: String,
        publisher: std::sync::Arc<crate::deploy::job::Publisher>,
    ) -> Result<Desk> {
        let settings = crate::config::Config::load(&root).map(|c| c.desk).unwrap_or_default();
        let guard = guard.with_names(&settings.hosts);
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(TEMPLATES.iter().map(|(n, t)| (n.to_string(), t.to_string())))
            .context("the desk's own templates do not compile (a bug)")?;
        tera.autoescape_on(vec![".html"]);
        Ok(Desk {
            root,
            guard,
            base_url,
            scanner: articles::Scanner::default(),
            facts: crate::content::KeptFacts::default(),
            writing: std::sync::Mutex::new(()),
            publisher,
            sessions: Sessions::new(settings.session_idle),
            presence: presence::Presence::default(),
            trusted_proxies: settings.trusted_proxies,
            rebuild: std::sync::OnceLock::new(),
            tera,
        })
    }

    /// Reads the article list ahead, so that the first list page an editor opens is ready: at
    /// 200,000 articles the first listing reads 380,000 files (9 s on two cores). `serve`
    /// calls it, on a thread of its own, once the preview is built. A site whose facts do not
    /// read is left for the list page to say so.
    pub fn read_ahead(&self) {
        if let Ok(facts) = self.facts.get(&self.root) {
            self.scanner.scan(&self.root, &facts.languages());
        }
    }

    /// The address `serve` prints: it carries the token (in team mode, accounts sign in there
    /// instead, and it says so).
    pub fn url(&self) -> String {
        if Users::load(&self.root).is_ok_and(|u| u.team()) {
            return format!(
                "{}_desk/ (sign in with an account of {})",
                self.base_url,
                accounts::USERS_FILE
            );
        }
        format!("{}_desk/?token={}", self.base_url, self.guard.token())
    }

    pub fn render(&self, name: &str, ctx: &serde_json::Value) -> String {
        let context = tera::Context::from_serialize(ctx).unwrap_or_default();
        self.tera.render(name, &context).unwrap_or_else(|e| {
            format!(
                "<!doctype html><title>desk</title><pre>{}</pre>",
                escape(&e.to_string())
            )
        })
    }

    /// Answers one request under `/_desk/`.
    pub fn handle(&self, mut request: Request) {
        let answer = self.answer(&mut request);
        self.respond(request, answer);
    }

    /// Sends `answer` with the desk's headers.
    pub fn respond(&self, request: Request, answer: Answer) {
        let mut response = Response::from_data(answer.body)
            .with_status_code(answer.status)
            .with_header(header("Content-Type", answer.content_type))
            .with_header(header("Cache-Control", "no-store"))
            .with_header(header("X-Frame-Options", "SAMEORIGIN"))
            .with_header(header("Referrer-Policy", "same-origin"))
            .with_header(header(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'self'; form-action 'self'",
            ));
        for (k, v) in answer.headers {
            response = response.with_header(header(k, &v));
        }
        let _ = request.respond(response);
    }

    /// The answer to one request: the desk's own files, then the guard, then the body read
    /// within its cap, then the page ([`pages::route`]), one write at a time.
    fn answer(&self, request: &mut Request) -> Answer {
        let head = Head::of(request);
        // The stylesheet and script carry nothing private.
        match head.path.as_str() {
            "desk.css" => return asset("text/css; charset=utf-8", CSS),
            "desk.js" => return asset("text/javascript; charset=utf-8", JS),
            _ => {}
        }
        let users = match Users::load(&self.root) {
            Ok(users) => users,
            Err(err) => return Answer::html(500, escape(&crate::diagnostics::error_text(&err))),
        };
        let account = if users.team() {
            match self.signed_in(&head, &users) {
                Ok(Some(account)) => Some(account),
                Ok(None) => return pages::login::answer(self, request, head, &users),
                Err(answer) => return answer,
            }
        } else {
            if let Some(answer) = self.guarded(&head) {
                return answer;
            }
            None
        };
        let mut asked = match self.read_body(request, head) {
            Ok(asked) => asked,
            Err(answer) => return answer,
        };
        asked.account = account;
        let ui = asked.ui;
        let _writing = asked
            .writes()
            .then(|| self.writing.lock().unwrap_or_else(|e| e.into_inner()));
        match pages::route(self, &asked) {
            Ok(answer) => answer,
            Err(err) => Answer::html(
                500,
                self.render(
                    "denied.html",
                    &serde_json::json!({
                        "t": text::words(ui), "ui": ui, "title": "twinpress",
                        "message": crate::diagnostics::error_text(&err),
                    }),
                ),
            ),
        }
    }

    /// The guard's refusal, or the token's exchange for the cookie; `None` lets the request on.
    fn guarded(&self, head: &Head) -> Option<Answer> {
        let writes = head.writes();
        let token = (head.path.is_empty() && !writes).then(|| head.query.get("token").to_string());
        if let Err(refusal) = self.guard.check(
            head.host.as_deref(),
            head.cookie.as_deref(),
            token.as_deref().filter(|t| !t.is_empty()),
            head.origin.as_deref(),
            writes,
        ) {
            return Some(pages::denied(self, head.ui, refusal));
        }
        if token.is_some_and(|t| self.guard.is_token(&t)) {
            // The token leaves the address bar for the cookie.
            let mut a = Answer::see_other(format!("{PREFIX}{}/", UI_LANGUAGES[0]));
            a.headers.push(("Set-Cookie", self.guard.cookie()));
            return Some(a);
        }
        None
    }

    /// Team mode: the request's host and (for a write) origin checked, then its session's
    /// account; `Ok(None)` for the sign-in page and sign-out (and for a request without a live
    /// session, which they answer).
    fn signed_in(&self, head: &Head, users: &Users) -> Result<Option<Account>, Answer> {
        if !self.guard.host_ok(head.host.as_deref()) {
            return Err(pages::denied(self, head.ui, Refusal::Host));
        }
        let (_, secure) = self.client(head);
        if head.writes()
            && !self
                .guard
                .origin_ok(head.origin.as_deref(), head.host.as_deref(), secure)
        {
            return Err(pages::denied(self, head.ui, Refusal::Origin));
        }
        if pages::login::is_login(&head.path) {
            return Ok(None);
        }
        Ok(sessions::id_in(head.cookie.as_deref()).and_then(|id| self.sessions.account(id, users)))
    }

    /// Team mode's gate for the preview (every path outside the desk): `None` lets a signed-in
    /// account's request on; otherwise the answer (a foreign host refused; without a session,
    /// a page is sent to sign in and anything else refused). Token mode: the preview is open.
    pub fn preview_gate(&self, request: &Request) -> Option<Answer> {
        let head = Head::of(request);
        let users = match Users::load(&self.root) {
            Ok(users) if !users.team() => return None,
            Ok(users) => users,
            Err(err) => return Some(Answer::html(500, escape(&crate::diagnostics::error_text(&err)))),
        };
        if !self.guard.host_ok(head.host.as_deref()) {
            return Some(pages::denied(self, head.ui, Refusal::Host));
        }
        let live = sessions::id_in(head.cookie.as_deref()).and_then(|id| self.sessions.account(id, &users));
        if live.is_some() {
            return None;
        }
        if matches!(head.method, Method::Get | Method::Head) {
            let next = encode_query(request.url());
            return Some(Answer::see_other(format!(
                "{PREFIX}{}/login?next={next}",
                UI_LANGUAGES[0]
            )));
        }
        Some(pages::denied(self, head.ui, Refusal::Session))
    }

    /// The address a request came from, and whether it came over TLS: a trusted proxy's
    /// `X-Forwarded-For` (its last address, the one the proxy saw) and `X-Forwarded-Proto`,
    /// else the connection's.
    fn client(&self, head: &Head) -> (IpAddr, bool) {
        let remote = head.remote.unwrap_or(IpAddr::from([0, 0, 0, 0]));
        if !self.trusted_proxies.contains(&remote) {
            return (remote, false);
        }
        let forwarded = head
            .forwarded_for
            .as_deref()
            .and_then(|f| f.rsplit(',').next())
            .and_then(|a| a.trim().parse().ok())
            .unwrap_or(remote);
        let secure = head
            .forwarded_proto
            .as_deref()
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
        (forwarded, secure)
    }

    /// The request's body read within its cap (a form's, or an upload's by the site's photo
    /// size) and parsed: what the page is asked.
    pub(crate) fn read_body(&self, request: &mut Request, head: Head) -> Result<Asked, Answer> {
        let writes = head.writes();
        let multipart = head
            .content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("multipart/"));
        let cap = if multipart {
            self.photo_cap().saturating_add(64 * 1024)
        } else {
            MAX_FORM
        };
        let ui = head.ui;
        let too_large = || {
            Answer::html(
                413,
                words(ui)["too_large"].replace("{mb}", &(cap / 1_000_000).to_string()),
            )
        };
        if writes && request.body_length().unwrap_or(0) > cap {
            return Err(too_large());
        }
        let mut body = Vec::new();
        if writes && request.as_reader().take(cap as u64 + 1).read_to_end(&mut body).is_err() {
            return Err(Answer::html(400, words(ui)["unreadable"].to_string()));
        }
        if body.len() > cap {
            return Err(too_large());
        }
        let (form, files) = match head.content_type.as_deref() {
            Some(c) if c.starts_with("multipart/form-data") => match form::multipart(c, &body) {
                Some(m) => (m.fields, m.files),
                None => return Err(Answer::html(400, words(ui)["unreadable"].to_string())),
            },
            _ => (form::Form::urlencoded(&body), Vec::new()),
        };
        Ok(Asked {
            ui: head.ui,
            method: head.method,
            path: head.path,
            query: head.query,
            form,
            files,
            account: None,
        })
    }

    fn photo_cap(&self) -> usize {
        self.facts
            .get(&self.root)
            .map(|f| f.config.photos.max_bytes)
            .unwrap_or(30_000_000) as usize
    }
}

/// What a request says before its body: the headers the guard reads, the path under the
/// desk, the query and the desk's language.
pub(crate) struct Head {
    remote: Option<IpAddr>,
    forwarded_for: Option<String>,
    forwarded_proto: Option<String>,
    host: Option<String>,
    cookie: Option<String>,
    origin: Option<String>,
    content_type: Option<String>,
    method: Method,
    path: String,
    query: form::Form,
    ui: &'static str,
}

impl Head {
    fn of(request: &Request) -> Head {
        let get = |name: &'static str| {
            request
                .headers()
                .iter()
                .find(|h| h.field.equiv(name))
                .map(|h| h.value.as_str().to_string())
        };
        let url = request.url().to_string();
        let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
        let path = path.strip_prefix(PREFIX).unwrap_or("").to_string();
        let ui = UI_LANGUAGES
            .iter()
            .copied()
            .find(|l| path.split('/').next() == Some(*l))
            .unwrap_or(UI_LANGUAGES[0]);
        Head {
            remote: request.remote_addr().map(|a| a.ip()),
            forwarded_for: get("X-Forwarded-For"),
            forwarded_proto: get("X-Forwarded-Proto"),
            host: get("Host"),
            cookie: get("Cookie"),
            origin: get("Origin"),
            content_type: get("Content-Type"),
            method: request.method().clone(),
            query: form::Form::urlencoded(query.as_bytes()),
            path,
            ui,
        }
    }

    fn writes(&self) -> bool {
        !matches!(self.method, Method::Get | Method::Head)
    }
}

/// `s` as a part of a query.
fn encode_query(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn asset(content_type: &'static str, text: &str) -> Answer {
    Answer {
        status: 200,
        content_type,
        body: text.as_bytes().to_vec(),
        headers: Vec::new(),
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
