//! The desk for a team: `twinpress user` and team mode over HTTP against the real `serve`.
//! Each guard is tested by a request it must stop: no session, a forged one, an expired one, a
//! removed account's, a changed password's, a foreign Origin, a foreign Host, a flood of
//! wrong passwords; and the preview (drafts) is closed without a session.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::serve::Server;
use crate::support::Site;

const EDITOR_PASSWORD: &str = "жол-картасы-2026";
const AUTHOR_PASSWORD: &str = "көктемгі-мақала-7";

/// The `good` site with an editor and an author, and `extra` lines of `[desk]`.
fn team_site(desk: &str) -> Site {
    let site = Site::copy("good");
    if !desk.is_empty() {
        site.write("site.toml", &format!("{}\n[desk]\n{desk}\n", site.read("site.toml")));
    }
    add(
        &site,
        &["dana", "--role", "editor", "--email", "dana@example.kz"],
        EDITOR_PASSWORD,
    )
    .success();
    add(&site, &["erlan", "--role", "author"], AUTHOR_PASSWORD).success();
    site
}

fn add(site: &Site, args: &[&str], password: &str) -> crate::support::Run {
    let mut all = vec!["user", "add"];
    all.extend_from_slice(args);
    all.push("--password-stdin");
    site.run_stdin(&all, &format!("{password}\n"))
}

/// One HTTP exchange: the status, the head and the body.
pub(crate) struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }

    /// The session id a `Set-Cookie` gave.
    pub fn session(&self) -> Option<String> {
        self.head
            .lines()
            .filter_map(|l| l.strip_prefix("Set-Cookie: "))
            .find_map(|c| c.strip_prefix("twinpress_session="))
            .map(|c| c.split(';').next().unwrap().to_string())
            .filter(|c| !c.is_empty())
    }
}

pub(crate) fn send(addr: &str, method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!("{method} {target} HTTP/1.0\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("Host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if method == "POST" {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    Reply {
        status: head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0),
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn form(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// Signs `name` in: the session id.
pub(crate) fn sign_in(addr: &str, name: &str, password: &str) -> String {
    let origin = format!("http://{addr}");
    let r = send(
        addr,
        "POST",
        "/_desk/ru/login",
        &[("Origin", &origin)],
        &form(&[("name", name), ("password", password), ("next", "/_desk/ru/")]),
    );
    assert_eq!(r.status, 303, "{}{}", r.head, r.body);
    r.session().unwrap_or_else(|| panic!("no session cookie: {}", r.head))
}

fn with(session: &str) -> String {
    format!("twinpress_session={session}")
}

#[test]
fn the_user_command_keeps_accounts_private_hashed_and_says_what_is_wrong() {
    let site = team_site("");
    use std::os::unix::fs::PermissionsExt;
    let file = site.path(".twinpress/users.toml");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    let text = site.read(".twinpress/users.toml");
    assert!(!text.contains(EDITOR_PASSWORD) && text.contains("$argon2id$"), "{text}");
    let list = site.run(&["user", "list"]).success().stdout();
    assert!(
        list.contains("dana  editor  <dana@example.kz>") && list.contains("erlan  author"),
        "{list}"
    );
    let weak = add(&site, &["aidos", "--role", "author"], "12345678");
    assert_eq!(weak.code(), 1);
    assert!(weak.stderr().contains("commonest"), "{}", weak.stderr());
    let twice = add(&site, &["dana", "--role", "admin"], "another-long-one");
    assert!(twice.stderr().contains("already"), "{}", twice.stderr());
    let gone = site.run(&["user", "remove", "nobody"]);
    assert!(gone.stderr().contains("no account `nobody`"), "{}", gone.stderr());
    site.run(&["user", "remove", "erlan"]).success();
    assert!(!site.run(&["user", "list"]).success().stdout().contains("erlan"));
}

#[test]
fn without_a_session_neither_the_desk_nor_the_preview_answers() {
    let site = team_site("");
    // A draft: the preview shows drafts, so it must not show them to anyone.
    let (server, said) = Server::start_with(&site, &[]);
    assert!(said.contains("/_desk/ (sign in"), "{said}");
    let addr = server.addr.clone();
    for path in [
        "/_desk/ru/",
        "/_desk/ru/edit?id=2024%2F2024-01-10-draft",
        "/ru/",
        "/ru/news/2024-01-10-draft/",
        "/__twinpress/livereload",
    ] {
        let r = send(&addr, "GET", path, &[], "");
        assert_eq!(r.status, 303, "{path}: {}", r.head);
        assert!(
            r.header("Location").unwrap().starts_with("/_desk/kk/login?next=")
                || r.header("Location").unwrap().starts_with("/_desk/ru/login?next="),
            "{path}: {}",
            r.head
        );
        assert!(!r.body.contains("Черновик"), "{path}");
    }
    // A forged session, and the token mode's token, open nothing.
    let forged = with(&"ab".repeat(32));
    assert_eq!(send(&addr, "GET", "/ru/", &[("Cookie", &forged)], "").status, 303);
    assert_eq!(send(&addr, "GET", "/_desk/?token=0123", &[], "").status, 303);
    // A write without a session is refused, not redirected.
    let origin = format!("http://{addr}");
    let r = send(&addr, "POST", "/_desk/ru/edit", &[("Origin", &origin)], "id=x");
    assert_eq!(r.status, 401, "{}", r.head);
    // `/_desk/login` (the desk's first language) takes the form's name and password too.
    let r = send(
        &addr,
        "POST",
        "/_desk/login",
        &[("Origin", &origin)],
        &form(&[("name", "dana"), ("password", EDITOR_PASSWORD)]),
    );
    assert_eq!(r.status, 303, "{}{}", r.head, r.body);
    assert!(r.session().is_some(), "{}", r.head);
    assert_eq!(send(&addr, "GET", "/_desk/login", &[], "").status, 200);
    // The sign-in page itself answers, in both languages.
    let r = send(&addr, "GET", "/_desk/kk/login", &[], "");
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("name=\"password\"") && r.body.contains("Кіру"),
        "{}",
        r.body
    );

    // Signed in: the desk and the preview answer; the cookie is the server's, HttpOnly, strict.
    let session = sign_in(&addr, "dana", EDITOR_PASSWORD);
    assert_eq!(session.len(), 64);
    let r = send(
        &addr,
        "POST",
        "/_desk/ru/login",
        &[("Origin", &origin)],
        &form(&[("name", "dana"), ("password", EDITOR_PASSWORD)]),
    );
    let cookie = r.header("Set-Cookie").unwrap();
    for part in ["Path=/", "HttpOnly", "SameSite=Strict"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "not over TLS: {cookie}");
    let r = send(&addr, "GET", "/_desk/ru/", &[("Cookie", &with(&session))], "");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<strong>dana</strong>"), "the bar names the account");
    let r = send(
        &addr,
        "GET",
        "/ru/news/2024-01-10-draft/",
        &[("Cookie", &with(&session))],
        "",
    );
    assert_eq!(r.status, 200, "the draft, for a signed-in account");

    // A foreign Origin and a foreign Host are refused even with a live session.
    let r = send(
        &addr,
        "POST",
        "/_desk/ru/publish",
        &[("Cookie", &with(&session)), ("Origin", "http://evil.example")],
        "",
    );
    assert_eq!(r.status, 403, "{}", r.head);
    let r = send(
        &addr,
        "GET",
        "/ru/",
        &[("Cookie", &with(&session)), ("Host", "rebind.example")],
        "",
    );
    assert_eq!(r.status, 403, "{}", r.head);

    // Signing out ends it.
    let r = send(
        &addr,
        "POST",
        "/_desk/ru/logout",
        &[("Cookie", &with(&session)), ("Origin", &origin)],
        "",
    );
    assert_eq!(r.status, 303);
    assert!(r.header("Set-Cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(
        send(&addr, "GET", "/ru/", &[("Cookie", &with(&session))], "").status,
        303
    );
}

#[test]
fn a_session_ends_when_idle_and_when_its_account_is_removed_or_its_password_changes() {
    let site = team_site("session_idle = \"2s\"");
    let server = Server::start(&site);
    let addr = server.addr.clone();
    let ok = |s: &str| send(&addr, "GET", "/_desk/ru/", &[("Cookie", &with(s))], "").status == 200;
    let idle = sign_in(&addr, "dana", EDITOR_PASSWORD);
    assert!(ok(&idle));
    std::thread::sleep(Duration::from_millis(2500));
    assert!(!ok(&idle), "idle for longer than session_idle");

    let removed = sign_in(&addr, "erlan", AUTHOR_PASSWORD);
    assert!(ok(&removed));
    site.run(&["user", "remove", "erlan"]).success();
    assert!(!ok(&removed), "the account was removed");

    let changed = sign_in(&addr, "dana", EDITOR_PASSWORD);
    assert!(ok(&changed));
    site.run_stdin(&["user", "passwd", "dana", "--password-stdin"], "новый-пароль-2027\n")
        .success();
    assert!(!ok(&changed), "the password changed");
    let origin = format!("http://{addr}");
    let old = send(
        &addr,
        "POST",
        "/_desk/ru/login",
        &[("Origin", &origin)],
        &form(&[("name", "dana"), ("password", EDITOR_PASSWORD)]),
    );
    assert_eq!(old.status, 401);
    assert!(ok(&sign_in(&addr, "dana", "новый-пароль-2027")));
}

#[test]
fn a_flood_of_wrong_passwords_is_slowed_then_refused_with_429() {
    let site = team_site("");
    let server = Server::start(&site);
    let addr = server.addr.clone();
    let origin = format!("http://{addr}");
    let attempt = |password: &str| {
        send(
            &addr,
            "POST",
            "/_desk/ru/login",
            &[("Origin", &origin)],
            &form(&[("name", "dana"), ("password", password)]),
        )
    };
    let started = Instant::now();
    for n in 0..10 {
        let r = attempt("не-тот-пароль");
        assert_eq!(r.status, 401, "attempt {n}: {}", r.head);
        assert!(r.body.contains("Неверное имя или пароль"));
    }
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "failures from the fourth on are slowed"
    );
    let refused = attempt(EDITOR_PASSWORD);
    assert_eq!(
        refused.status, 429,
        "refused, even with the right password: {}",
        refused.head
    );
    assert!(refused
        .header("Retry-After")
        .is_some_and(|s| s.parse::<u64>().unwrap() > 0));
    assert!(refused.body.contains("Слишком много"));
}

#[test]
fn behind_a_trusted_proxy_the_desk_answers_its_host_name_and_the_cookie_is_secure() {
    let site = team_site("hosts = [\"desk.example.kz\"]\ntrusted_proxies = [\"127.0.0.1\"]");
    let server = Server::start(&site);
    let addr = server.addr.clone();
    let via_proxy = [
        ("Host", "desk.example.kz"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-For", "203.0.113.7"),
        ("Origin", "https://desk.example.kz"),
    ];
    let r = send(
        &addr,
        "POST",
        "/_desk/ru/login",
        &via_proxy,
        &form(&[("name", "dana"), ("password", EDITOR_PASSWORD)]),
    );
    assert_eq!(r.status, 303, "{}{}", r.head, r.body);
    assert!(r.header("Set-Cookie").unwrap().contains("; Secure"), "{}", r.head);
    // The same name over plain http is another origin.
    let r = send(
        &addr,
        "POST",
        "/_desk/ru/login",
        &[
            ("Host", "desk.example.kz"),
            ("Origin", "http://desk.example.kz"),
            ("X-Forwarded-Proto", "https"),
        ],
        "",
    );
    assert_eq!(r.status, 403);
    // Any other name stays refused (DNS rebinding).
    let r = send(
        &addr,
        "GET",
        "/_desk/ru/login",
        &[("Host", "desk.example.kz.evil.example")],
        "",
    );
    assert_eq!(r.status, 403);
}

/// A signed-in account's requests.
struct As<'a> {
    addr: &'a str,
    cookie: String,
}

impl As<'_> {
    fn get(&self, path: &str) -> Reply {
        send(self.addr, "GET", path, &[("Cookie", &self.cookie)], "")
    }

    fn post(&self, path: &str, fields: &[(String, String)]) -> Reply {
        let origin = format!("http://{}", self.addr);
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        send(
            self.addr,
            "POST",
            path,
            &[("Cookie", &self.cookie), ("Origin", &origin)],
            &body,
        )
    }

    fn post_pairs(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let owned: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self.post(path, &owned)
    }

    fn review(&self, id: &str, action: &str, comment: &str) -> Reply {
        self.post_pairs(
            "/_desk/ru/review",
            &[("id", id), ("action", action), ("comment", comment)],
        )
    }

    /// The editor's form of `id` as shown, with `changes` made.
    fn edit_form(&self, id: &str, changes: &[(&str, Option<&str>)]) -> Vec<(String, String)> {
        let r = self.get(&format!("/_desk/ru/edit?id={}", id.replace('/', "%2F")));
        assert_eq!(r.status, 200, "{}", r.body);
        let mut fields = crate::desk::form_fields(&r.body, "form#edit");
        for (name, value) in changes {
            fields.retain(|(n, _)| n != name);
            if let Some(v) = value {
                fields.push((name.to_string(), v.to_string()));
            }
        }
        fields
    }
}

#[test]
fn an_author_writes_and_submits_an_editor_returns_then_approves_and_only_the_editor_can_publish() {
    let site = team_site("");
    let server = Server::start(&site);
    let addr = server.addr.clone();
    let author = As {
        addr: &addr,
        cookie: with(&sign_in(&addr, "erlan", AUTHOR_PASSWORD)),
    };
    let editor = As {
        addr: &addr,
        cookie: with(&sign_in(&addr, "dana", EDITOR_PASSWORD)),
    };

    // The author writes a new article: a draft.
    let r = author.post(
        "/_desk/ru/new",
        &[
            ("title".into(), "Делегация из Шанхая".into()),
            ("region".into(), "almaty".into()),
            ("partners".into(), "shanghai".into()),
            ("lang".into(), "ru".into()),
            ("date".into(), "2025-09-03".into()),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let id = "2025/2025-09-03-delegatsiya-iz-shankhaya";
    let rel = format!("content/news/{id}.ru.md");
    assert!(site.read(&rel).contains("draft = true"), "{}", site.read(&rel));

    // An author cannot make it public: not by the form's draft box, not by a hand-made approve.
    let publish_by_form = author.edit_form(id, &[("ru.draft", None)]);
    let r = author.post("/_desk/ru/edit", &publish_by_form);
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("Автор не может опубликовать"), "{}", r.body);
    assert_eq!(author.review(id, "approve", "").status, 403);
    assert_eq!(author.review(id, "return", "сам себе").status, 403);
    assert_eq!(author.post("/_desk/ru/publish", &[]).status, 403);
    assert_eq!(
        author
            .post(
                "/_desk/ru/delete",
                &[
                    ("id".into(), id.into()),
                    ("lang".into(), "ru".into()),
                    ("confirm".into(), "yes".into())
                ]
            )
            .status,
        403
    );
    assert!(site.read(&rel).contains("draft = true"));

    // Submitted: in review, in the files.
    assert_eq!(author.review(id, "submit", "").status, 303);
    let text = site.read(&rel);
    assert!(
        text.contains("[review]") && text.contains("state = \"submitted\"") && text.contains("by = \"erlan\""),
        "{text}"
    );
    let list = editor.get("/_desk/ru/?state=in_review");
    assert!(
        list.body.contains("Делегация из Шанхая") && list.body.contains("На проверке"),
        "{}",
        list.body
    );

    // Returned with a comment, which the author sees.
    assert_eq!(editor.review(id, "return", "").status, 422, "a return says why");
    assert_eq!(editor.review(id, "return", "Уточните дату визита").status, 303);
    assert!(site.read(&rel).contains("comment = \"Уточните дату визита\""));
    let page = author.get(&format!("/_desk/ru/edit?id={}", id.replace('/', "%2F")));
    assert!(
        page.body.contains("Уточните дату визита") && page.body.contains("dana"),
        "{}",
        page.body
    );

    // Fixed and submitted again; approved by the editor: public, and in a plain build.
    let fixed = author.edit_form(id, &[("ru.body", Some("Визит состоялся 3 сентября."))]);
    assert_eq!(author.post("/_desk/ru/edit", &fixed).status, 303);
    assert_eq!(author.review(id, "submit", "").status, 303);
    assert_eq!(editor.review(id, "approve", "").status, 303);
    let text = site.read(&rel);
    assert!(!text.contains("draft") && !text.contains("[review]"), "{text}");
    site.build();
    assert!(site
        .read("public/ru/news/2025-09-03-delegatsiya-iz-shankhaya/index.html")
        .contains("3 сентября"));

    // Published, the article is the editors' to change.
    let again = author.edit_form(id, &[("ru.body", Some("Правка автора."))]);
    let r = author.post("/_desk/ru/edit", &again);
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(!site.read(&rel).contains("Правка автора"));
    let by_editor = editor.edit_form(id, &[("ru.body", Some("Правка редактора."))]);
    assert_eq!(editor.post("/_desk/ru/edit", &by_editor).status, 303);
    assert!(site.read(&rel).contains("Правка редактора"));
}

fn git(site: &Site, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(&site.root)
        .args(args)
        .env("GIT_AUTHOR_NAME", "setup")
        .env("GIT_AUTHOR_EMAIL", "setup@example.kz")
        .env("GIT_COMMITTER_NAME", "setup")
        .env("GIT_COMMITTER_EMAIL", "setup@example.kz")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn in_a_git_repository_each_change_is_a_commit_by_its_account_with_history_diff_and_restore() {
    let site = team_site("");
    git(&site, &["init", "--quiet"]);
    git(&site, &["add", "--all"]);
    git(&site, &["commit", "--quiet", "-m", "The site"]);
    let server = Server::start(&site);
    let addr = server.addr.clone();
    let author = As {
        addr: &addr,
        cookie: with(&sign_in(&addr, "erlan", AUTHOR_PASSWORD)),
    };
    let editor = As {
        addr: &addr,
        cookie: with(&sign_in(&addr, "dana", EDITOR_PASSWORD)),
    };
    let id = "2024/2024-01-10-draft";
    let rel = "content/news/2024/2024-01-10-draft.ru.md";
    let before = site.read(rel);

    // The author saves a title with a script in it; the editor returns the article.
    let hostile = "<script>alert(1)</script> Черновик";
    let fields = author.edit_form(id, &[("ru.title", Some(hostile))]);
    assert_eq!(author.post("/_desk/ru/edit", &fields).status, 303);
    assert_eq!(author.review(id, "submit", "").status, 303);
    assert_eq!(editor.review(id, "return", "Уберите <b>теги</b>").status, 303);
    let log = git(&site, &["log", "--format=%an <%ae>|%s", "--", rel]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 4, "{log}");
    assert!(
        lines[0].starts_with(
            "dana <dana@example.kz>|Returned «<script>alert(1)</script> Черновик» to its author: Уберите <b>теги</b>"
        ),
        "{log}"
    );
    assert!(lines[1].starts_with("erlan <erlan@desk.invalid>|Submitted «"), "{log}");
    assert!(
        lines[2].starts_with("erlan <erlan@desk.invalid>|Saved «<script>alert(1)</script> Черновик» (ru)"),
        "{log}"
    );
    assert_eq!(lines[3], "setup <setup@example.kz>|The site");
    // Files the desk did not touch stay out of its commits.
    site.write(
        "content/news/2024/2024-02-01-tourism.kk.md",
        &format!("{}\nҚолмен.\n", site.read("content/news/2024/2024-02-01-tourism.kk.md")),
    );
    let fields = author.edit_form(id, &[("ru.body", Some("Новый текст."))]);
    assert_eq!(author.post("/_desk/ru/edit", &fields).status, 303);
    assert!(
        git(&site, &["status", "--porcelain"]).contains("2024-02-01-tourism.kk.md"),
        "left for its editor to commit"
    );

    // The history, escaped; a version beside the current one; a restore as a new commit.
    let page = editor.get(&format!("/_desk/ru/edit?id={}", id.replace('/', "%2F")));
    assert!(
        page.body.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script>alert(1)"), "never markup");
    let first = git(&site, &["log", "--format=%H", "--", rel])
        .lines()
        .last()
        .unwrap()
        .to_string();
    let diff = editor.get(&format!(
        "/_desk/ru/history?id={}&commit={first}",
        id.replace('/', "%2F")
    ));
    assert_eq!(diff.status, 200, "{}", diff.body);
    assert!(
        diff.body.contains("class=\"ins\">+ title = &quot;&lt;script&gt;"),
        "{}",
        diff.body
    );
    assert!(diff.body.contains("class=\"del\">- title = "), "{}", diff.body);
    assert!(!diff.body.contains("<script>alert(1)"));
    for bogus in ["--output=x", "HEAD~1", "zzzz"] {
        assert_eq!(
            editor
                .get(&format!(
                    "/_desk/ru/history?id={}&commit={bogus}",
                    id.replace('/', "%2F")
                ))
                .status,
            404,
            "{bogus}"
        );
    }
    let r = editor.post(
        "/_desk/ru/restore",
        &[("id".into(), id.into()), ("commit".into(), first.clone())],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(site.read(rel), before, "the first version is back");
    let last = git(&site, &["log", "-1", "--format=%an|%s", "--", rel]);
    assert!(last.starts_with("dana|Restored «"), "{last}");
}

#[test]
fn a_site_outside_git_works_without_history_and_says_so() {
    let site = team_site("");
    let server = Server::start(&site);
    let addr = server.addr.clone();
    let editor = As {
        addr: &addr,
        cookie: with(&sign_in(&addr, "dana", EDITOR_PASSWORD)),
    };
    let id = "2024/2024-01-10-draft";
    let fields = editor.edit_form(id, &[("ru.body", Some("Без git."))]);
    assert_eq!(editor.post("/_desk/ru/edit", &fields).status, 303);
    assert!(site
        .read("content/news/2024/2024-01-10-draft.ru.md")
        .contains("Без git."));
    let page = editor.get(&format!("/_desk/ru/edit?id={}", id.replace('/', "%2F")));
    assert!(page.body.contains("Сайт не в репозитории git"), "{}", page.body);
}

/// `curl` through the TLS proxy (the self-signed certificate taken as it is): status, head, body.
fn curl(port: u16, method: &str, path: &str, headers: &[&str], body: &[(&str, &str)]) -> Reply {
    let mut cmd = std::process::Command::new("curl");
    cmd.args(["-sk", "-i", "--max-time", "30", "-X", method])
        .arg("--resolve")
        .arg(format!("desk.example.kz:{port}:127.0.0.1"));
    for h in headers {
        cmd.args(["-H", h]);
    }
    for (k, v) in body {
        cmd.arg("--data-urlencode").arg(format!("{k}={v}"));
    }
    let out = cmd
        .arg(format!("https://desk.example.kz:{port}{path}"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    Reply {
        status: head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0),
        head: head
            .lines()
            .map(|l| format!("{l}\r\n"))
            .collect::<String>()
            .replace("set-cookie:", "Set-Cookie:"),
        body: body.to_string(),
    }
}

#[test]
fn behind_nginx_with_tls_an_editor_signs_in_and_works_with_a_secure_session() {
    use crate::deploy::{free_port, run_nginx};
    let site = team_site("hosts = [\"desk.example.kz\"]\ntrusted_proxies = [\"127.0.0.1\"]");
    let server = Server::start(&site);
    let dir = tempfile::tempdir().unwrap();
    let ok = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=desk.example.kz",
            "-keyout",
        ])
        .arg(dir.path().join("key.pem"))
        .arg("-out")
        .arg(dir.path().join("cert.pem"))
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let (tls, plain) = (free_port(), free_port());
    let conf = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/nginx-desk.conf"))
        .unwrap()
        .replace("listen 443 ssl http2;", &format!("listen 127.0.0.1:{tls} ssl http2;"))
        .replace("listen 80;", &format!("listen 127.0.0.1:{plain};"))
        .replace("http://127.0.0.1:1111", &format!("http://{}", server.addr))
        .replace(
            "/etc/ssl/twinpress/desk-fullchain.pem",
            &dir.path().join("cert.pem").display().to_string(),
        )
        .replace(
            "/etc/ssl/twinpress/desk-privkey.pem",
            &dir.path().join("key.pem").display().to_string(),
        );
    let _nginx = run_nginx(dir.path(), &conf, tls);

    // Plain HTTP is sent to HTTPS; HTTPS says to stay (HSTS).
    let r = send(
        &format!("127.0.0.1:{plain}"),
        "GET",
        "/_desk/ru/",
        &[("Host", "desk.example.kz")],
        "",
    );
    assert_eq!(r.status, 301);
    assert_eq!(
        r.header("Location").as_deref(),
        Some("https://desk.example.kz/_desk/ru/")
    );
    let r = curl(tls, "GET", "/_desk/ru/", &[], &[]);
    assert_eq!(r.status, 303, "{}", r.head);
    assert!(
        r.header("Strict-Transport-Security")
            .is_some_and(|h| h.contains("max-age=31536000")),
        "{}",
        r.head
    );

    // Signing in through the proxy: the session's cookie is Secure.
    let origin = format!("Origin: https://desk.example.kz:{tls}");
    let r = curl(
        tls,
        "POST",
        "/_desk/ru/login",
        &[&origin],
        &[("name", "dana"), ("password", EDITOR_PASSWORD), ("next", "/_desk/ru/")],
    );
    assert_eq!(r.status, 303, "{}{}", r.head, r.body);
    let cookie = r.header("Set-Cookie").unwrap();
    assert!(cookie.contains("; Secure") && cookie.contains("HttpOnly"), "{cookie}");
    let session = r.session().unwrap();
    let with_session = format!("Cookie: twinpress_session={session}");
    let r = curl(tls, "GET", "/_desk/ru/", &[&with_session], &[]);
    assert_eq!(r.status, 200, "{}", r.head);
    assert!(r.body.contains("<strong>dana</strong>"));
    // The preview through the proxy, for the signed-in account; a write from another origin
    // is refused there as here.
    assert_eq!(
        curl(tls, "GET", "/ru/news/2024-01-10-draft/", &[&with_session], &[]).status,
        200
    );
    let r = curl(
        tls,
        "POST",
        "/_desk/ru/publish",
        &[&with_session, "Origin: https://evil.example"],
        &[],
    );
    assert_eq!(r.status, 403, "{}", r.head);
}

#[test]
fn two_editors_at_once_see_each_other_and_a_stale_save_is_settled_part_by_part() {
    let site = team_site("");
    let server = Server::start(&site);
    let addr = server.addr.clone();
    let author = As {
        addr: &addr,
        cookie: with(&sign_in(&addr, "erlan", AUTHOR_PASSWORD)),
    };
    let editor = As {
        addr: &addr,
        cookie: with(&sign_in(&addr, "dana", EDITOR_PASSWORD)),
    };
    let id = "2024/2024-01-10-draft";
    let rel = "content/news/2024/2024-01-10-draft.ru.md";
    // Both open it: each sees the other, and the list shows who has it open.
    let mine = author.edit_form(id, &[]);
    let page = editor.get(&format!("/_desk/ru/edit?id={}", id.replace('/', "%2F")));
    assert!(
        page.body.contains("Эту статью сейчас открыли также:</strong> erlan"),
        "{}",
        page.body
    );
    let list = author.get("/_desk/ru/");
    assert!(list.body.contains("открыта у: dana, erlan"), "{}", list.body);

    // The editor saves a new title; the author, from the form opened before, a new text.
    let theirs = editor.edit_form(id, &[("ru.title", Some("Заголовок редактора"))]);
    assert_eq!(editor.post("/_desk/ru/edit", &theirs).status, 303);
    let mut stale = mine.clone();
    for (k, v) in stale.iter_mut() {
        if k == "ru.body" {
            *v = "Текст автора.".into();
        }
    }
    let r = author.post("/_desk/ru/edit", &stale);
    assert_eq!(r.status, 409, "never written over: {}", r.body);
    assert!(!site.read(rel).contains("Текст автора"));
    // Each differing part, both sides: the title (theirs changed) and the text (mine).
    let doc = scraper::Html::parse_document(&r.body);
    let parts: Vec<String> = doc
        .select(&scraper::Selector::parse("form.merge input[type=radio][value=mine]").unwrap())
        .map(|e| e.value().attr("name").unwrap().to_string())
        .collect();
    assert_eq!(
        parts,
        vec!["pick.ru.title".to_string(), "pick.ru.body".to_string()],
        "{}",
        r.body
    );
    assert!(r.body.contains("Заголовок редактора") && r.body.contains("Текст автора."));
    // Keep the editor's title, the author's text.
    let mut fields = crate::desk::form_fields(&r.body, "form.merge");
    fields.retain(|(k, _)| !k.starts_with("pick."));
    fields.push(("pick.ru.title".into(), "disk".into()));
    fields.push(("pick.ru.body".into(), "mine".into()));
    let r = author.post("/_desk/ru/merge", &fields);
    assert_eq!(r.status, 303, "{}", r.body);
    let text = site.read(rel);
    assert!(
        text.contains("title = \"Заголовок редактора\"") && text.contains("Текст автора."),
        "{text}"
    );
}

#[test]
fn an_upload_keeps_the_forms_unsaved_edits() {
    let site = team_site("");
    let server = Server::start(&site);
    let addr = server.addr.clone();
    let editor = As {
        addr: &addr,
        cookie: with(&sign_in(&addr, "dana", EDITOR_PASSWORD)),
    };
    let id = "2025/2025-08-29-qinghai";
    let mut fields = editor.edit_form(id, &[("ru.body", Some("Несохранённый текст перед фото."))]);
    fields.push(("upload.alt.ru".into(), "Подписание".into()));
    fields.push(("upload.alt.kk".into(), "Қол қою".into()));
    // The editor's form with the photo, as the upload button sends it (multipart).
    let boundary = "twinpressboundary9";
    let mut body = Vec::new();
    for (k, v) in &fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
    body.extend_from_slice(&twinpress::photos::fixture::png(64, 48, 1));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /_desk/ru/photo HTTP/1.0\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nCookie: {}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        editor.cookie,
        body.len()
    )
    .unwrap();
    stream.write_all(&body).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.0 303"), "{response}");
    let ru = site.read("content/news/2025/2025-08-29-qinghai.ru.md");
    assert!(
        ru.contains("Несохранённый текст перед фото."),
        "the edit was saved with the photo: {ru}"
    );
    assert!(
        ru.contains("file = \"2025-08-29-qinghai-1.png\"") && ru.contains("alt = \"Подписание\""),
        "{ru}"
    );
    assert!(site
        .read("content/news/2025/2025-08-29-qinghai.kk.md")
        .contains("alt = \"Қол қою\""));
}

#[test]
fn an_admin_manages_the_accounts_in_the_desk_and_no_one_else_can() {
    let site = team_site("");
    add(&site, &["aliya", "--role", "admin"], "басшы-құпиясөз-1").success();
    let server = Server::start(&site);
    let addr = server.addr.clone();
    let admin = As {
        addr: &addr,
        cookie: with(&sign_in(&addr, "aliya", "басшы-құпиясөз-1")),
    };
    let editor = As {
        addr: &addr,
        cookie: with(&sign_in(&addr, "dana", EDITOR_PASSWORD)),
    };
    let author = As {
        addr: &addr,
        cookie: with(&sign_in(&addr, "erlan", AUTHOR_PASSWORD)),
    };
    // Only an admin sees and changes them, on the server.
    assert_eq!(editor.get("/_desk/ru/users").status, 403);
    let hand_made = [
        ("action", "add"),
        ("name", "mallory"),
        ("role", "admin"),
        ("password", "a-long-enough-one"),
        ("again", "a-long-enough-one"),
    ];
    assert_eq!(author.post_pairs("/_desk/ru/users", &hand_made).status, 403);
    assert_eq!(editor.post_pairs("/_desk/ru/users", &hand_made).status, 403);
    assert!(!site.read(".twinpress/users.toml").contains("mallory"));
    let page = admin.get("/_desk/ru/users");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("dana") && page.body.contains("erlan") && !page.body.contains("$argon2"),
        "{}",
        page.body
    );
    // Added with the same rules as the command line.
    let weak = [
        ("action", "add"),
        ("name", "aidos"),
        ("role", "author"),
        ("password", "12345678"),
        ("again", "12345678"),
    ];
    let r = admin.post_pairs("/_desk/ru/users", &weak);
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Это один из самых распространённых паролей"),
        "in the desk's language: {}",
        r.body
    );
    let good = [
        ("action", "add"),
        ("name", "aidos"),
        ("role", "author"),
        ("email", "aidos@example.kz"),
        ("password", "жаңа-автор-2026"),
        ("again", "жаңа-автор-2026"),
    ];
    assert_eq!(admin.post_pairs("/_desk/ru/users", &good).status, 303);
    sign_in(&addr, "aidos", "жаңа-автор-2026");
    // A new password ends the account's sessions; removal too; never the admin's own.
    let passwd = [
        ("action", "passwd"),
        ("name", "erlan"),
        ("password", "ещё-один-пароль-9"),
        ("again", "ещё-один-пароль-9"),
    ];
    assert_eq!(admin.post_pairs("/_desk/ru/users", &passwd).status, 303);
    assert_eq!(author.get("/_desk/ru/").status, 303, "signed out by the new password");
    let remove = [("action", "remove"), ("name", "dana")];
    assert_eq!(admin.post_pairs("/_desk/ru/users", &remove).status, 303);
    assert_eq!(editor.get("/_desk/ru/").status, 303, "signed out by the removal");
    let myself = [("action", "remove"), ("name", "aliya")];
    let r = admin.post_pairs("/_desk/ru/users", &myself);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(site.read(".twinpress/users.toml").contains("aliya"));
}

#[test]
fn forwarded_headers_from_an_untrusted_client_are_not_believed() {
    // No [desk] trusted_proxies: a client's own X-Forwarded-Proto makes no Secure cookie and
    // changes no expected Origin.
    let site = team_site("");
    let server = Server::start(&site);
    let addr = server.addr.clone();
    let origin = format!("http://{addr}");
    let body = form(&[("name", "dana"), ("password", EDITOR_PASSWORD)]);
    let headers = [
        ("Origin", origin.as_str()),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-For", "203.0.113.9"),
    ];
    let r = send(&addr, "POST", "/_desk/ru/login", &headers, &body);
    assert_eq!(r.status, 303, "{}{}", r.head, r.body);
    assert!(!r.header("Set-Cookie").unwrap().contains("Secure"), "{}", r.head);
    let claimed = format!("https://{addr}");
    let r = send(
        &addr,
        "POST",
        "/_desk/ru/login",
        &[("Origin", &claimed), ("X-Forwarded-Proto", "https")],
        &body,
    );
    assert_eq!(
        r.status, 403,
        "an https Origin the connection does not bear out: {}",
        r.head
    );
}
