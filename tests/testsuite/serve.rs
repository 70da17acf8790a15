//! `twinpress serve` as editors run it: the real binary on a free port over a copy of a fixture
//! site; an edit arrives as an SSE event and the page shows it; traversal is refused.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::Site;

pub(crate) struct Server {
    child: Child,
    pub(crate) addr: String,
}

impl Server {
    pub(crate) fn start(site: &Site) -> Server {
        Server::start_with(site, &[]).0
    }

    /// The server with `extra` arguments, and what it printed after its address.
    pub(crate) fn start_with(site: &Site, extra: &[&str]) -> (Server, String) {
        Server::start_in(site, extra, None)
    }

    /// [`Server::start_with`], its temporary files (the preview folder) in `temp` when given.
    pub(crate) fn start_in(site: &Site, extra: &[&str], temp: Option<&std::path::Path>) -> (Server, String) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_twinpress"));
        if let Some(temp) = temp {
            command.env("TMPDIR", temp);
        }
        let mut child = command
            .args(["serve", "--port", "0", "--root"])
            .arg(&site.root)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut line).unwrap();
        let mut next = String::new();
        out.read_line(&mut next).unwrap();
        let url = line
            .split(" at ")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .expect(&line)
            .to_string();
        let addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();
        assert!(addr.starts_with("127.0.0.1:"), "binds to loopback by default: {addr}");
        // Keep reading what it prints, so the pipe never fills.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        (Server { child, addr }, next)
    }

    /// A raw GET (no URL normalisation, unlike most clients): status line and body.
    pub(crate) fn get(&self, target: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    /// Opens the live-reload stream and waits until it is established.
    fn events(&self) -> BufReader<TcpStream> {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "GET /__twinpress/livereload HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.addr
        )
        .unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while !line.starts_with("retry:") {
            line.clear();
            assert!(
                reader.read_line(&mut line).unwrap() > 0,
                "the server closed the event stream"
            );
        }
        reader
    }

    fn stop(mut self) -> std::process::ExitStatus {
        unsafe_sigint(self.child.id());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    /// Stopped as a service manager stops it (`SIGTERM`), so that it removes its preview
    /// folder; killed if it has not stopped within five seconds.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn unsafe_sigint(pid: u32) {
    Command::new("kill").args(["-INT", &pid.to_string()]).status().unwrap();
}

/// The next `data:` line of the stream.
fn next_event(reader: &mut BufReader<TcpStream>) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).expect("an event within 10 s");
        assert!(n > 0, "the server closed the event stream");
        if let Some(data) = line.strip_prefix("data: ") {
            return data.trim().to_string();
        }
    }
}

#[test]
fn an_edit_reaches_the_browser_and_a_bad_edit_shows_its_error() {
    let site = Site::copy("good");
    let server = Server::start(&site);
    let (status, head, body) = server.get("/ru/news/2025-08-29-qinghai/");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("Content-Type: text/html; charset=utf-8"), "{head}");
    assert!(
        body.contains("new EventSource(\"/__twinpress/livereload\")"),
        "the script is injected"
    );
    assert!(
        !std::fs::read_dir(site.root.clone())
            .unwrap()
            .any(|e| e.unwrap().file_name() == "public"),
        "serve does not write public/"
    );

    assert!(
        body.contains("window.__twinpressGeneration = 0;"),
        "the page says what it shows"
    );
    let mut events = server.events();
    assert_eq!(
        next_event(&mut events),
        r#"{"error":null,"generation":0,"kind":"hello"}"#,
        "a stream is told the current generation when it connects"
    );
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    site.write(ru, &site.read(ru).replace("Первый абзац", "Обновлённый абзац"));
    let event = next_event(&mut events);
    assert!(
        event.starts_with(r#"{"generation":1,"kind":"reload","navigate":"/ru/news/2025-08-29-qinghai/""#),
        "{event}"
    );
    let (_, _, body) = server.get("/ru/news/2025-08-29-qinghai/");
    assert!(body.contains("Обновлённый абзац"));

    site.write(ru, &site.read(ru).replace("date = 2025-08-29", "date = 2025-02-30"));
    let event = next_event(&mut events);
    assert!(
        event.contains(r#""kind":"error""#) && event.contains("2025-08-29-qinghai.ru.md:3"),
        "{event}"
    );
    let (_, _, body) = server.get("/ru/");
    assert!(
        body.contains("window.__twinpressError = "),
        "pages opened now show the error"
    );

    site.write(ru, &site.read(ru).replace("date = 2025-02-30", "date = 2025-08-29"));
    assert!(next_event(&mut events).contains(r#""kind":"reload""#));
    let (_, _, body) = server.get("/ru/");
    assert!(
        !body.contains("window.__twinpressError = "),
        "a good build clears the error"
    );

    site.write("static/style.css", "body { color: #123 }");
    assert_eq!(next_event(&mut events), r#"{"generation":3,"kind":"css"}"#);
    let status = server.stop();
    assert!(status.success(), "Ctrl-C ends cleanly: {status:?}");
}

/// The generation a served page says it shows.
fn page_generation(body: &str) -> u64 {
    body.split("window.__twinpressGeneration = ")
        .nth(1)
        .and_then(|s| s.split(';').next())
        .and_then(|n| n.parse().ok())
        .expect("the page carries its generation")
}

/// The generation an SSE message carries.
fn event_generation(event: &str) -> u64 {
    serde_json::from_str::<serde_json::Value>(event).unwrap()["generation"]
        .as_u64()
        .unwrap()
}

#[test]
fn a_stream_that_connects_during_or_after_a_rebuild_learns_its_page_is_behind() {
    let site = Site::copy("good");
    let server = Server::start(&site);
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    let original = site.read(ru);
    let (_, _, first) = server.get("/ru/");
    let shown = page_generation(&first);
    // Streams connect again and again while edits rebuild the site: each one's first message
    // names a generation no older than that of the page fetched just before it.
    for round in 0..5 {
        site.write(ru, &original.replace("Первый абзац", &format!("Абзац {round}")));
        let deadline = Instant::now() + Duration::from_millis(400);
        while Instant::now() < deadline {
            let (_, _, body) = server.get("/ru/");
            let page = page_generation(&body);
            let mut events = server.events();
            let hello = next_event(&mut events);
            assert!(hello.contains(r#""kind":"hello""#), "{hello}");
            assert!(
                event_generation(&hello) >= page,
                "{hello} is older than a page served before it ({page})"
            );
        }
    }
    let mut events = server.events();
    let hello = next_event(&mut events);
    assert!(
        event_generation(&hello) > shown,
        "a page opened before the edits is behind, and the stream says so: {hello}"
    );
    server.stop();
}

#[test]
fn files_redirects_not_found_and_traversal() {
    let site = Site::copy("good");
    std::fs::write(site.root.parent().unwrap().join("secret.txt"), "secret").unwrap();
    let server = Server::start(&site);
    let (status, head, _) = server.get("/ru/news/2025-08-29-qinghai");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /ru/news/2025-08-29-qinghai/"), "{head}");
    let (status, head, _) = server.get("/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"));
    let (status, head, _) = server.get("/ru/rss.xml");
    assert_eq!(status, 200);
    assert!(
        head.contains("application/xml; charset=utf-8"),
        "a feed a browser shows with its stylesheet: {head}"
    );
    let (status, _, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Страница не найдена"), "the site's 404 page");
    for attack in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/ru/..%2f..%2fsecret.txt",
        "/%2e%2e%2f%2e%2e%2fsecret.txt",
    ] {
        let (status, _, body) = server.get(attack);
        assert_eq!(status, 404, "{attack}");
        assert!(!body.contains("secret"), "{attack}");
    }
    let (status, _, _) = server.get(&format!("/{}", "a".repeat(5000)));
    assert_eq!(status, 414);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        stream,
        "GET /ru/ HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(20_000)
    )
    .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status: u16 = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    assert!(
        status == 431 || status == 400,
        "absurd headers are refused: {}",
        response.lines().next().unwrap_or("")
    );
}

#[test]
fn many_requests_at_once_with_open_streams() {
    let site = Site::copy("good");
    let server = Server::start(&site);
    let streams: Vec<_> = (0..20).map(|_| server.events()).collect();
    let addr = server.addr.as_str();
    let results: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..40)
            .map(|i| s.spawn(move || server_get_status(addr, if i % 2 == 0 { "/ru/" } else { "/kk/" })))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(results.iter().all(|&s| s == 200), "{results:?}");
    drop(streams);
}

fn server_get_status(addr: &str, target: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Keep-alive connections that arrive together, as a browser's or a load tester's do, are each
/// answered while all of them stay open. (tiny_http 0.12's pool could leave a connection queued
/// behind busy ones until another closed; `vendor/tiny_http` carries the fix.)
#[test]
fn keep_alive_connections_that_arrive_together_are_all_answered() {
    let site = Site::copy("good");
    let server = Server::start(&site);
    let mut open: Vec<TcpStream> = (0..60).map(|_| TcpStream::connect(&server.addr).unwrap()).collect();
    for stream in &mut open {
        write!(stream, "GET /ru/ HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(4);
    let mut unanswered = 0;
    for stream in &mut open {
        let left = deadline.saturating_duration_since(Instant::now());
        stream
            .set_read_timeout(Some(left.max(Duration::from_millis(10))))
            .unwrap();
        let mut first = [0u8; 12];
        if stream.read_exact(&mut first).is_err() || !first.starts_with(b"HTTP/1.1 200") {
            unanswered += 1;
        }
    }
    assert_eq!(
        unanswered, 0,
        "of 60 keep-alive connections, these got no answer in 4 s"
    );
    drop(open);
}

/// The preview shows an article dated later than now, with the note that it is scheduled; a
/// build leaves it out.
#[test]
fn the_preview_shows_a_scheduled_article_marked() {
    let site = Site::copy("good");
    let later = "content/news/2099/2099-01-01-later.ru.md";
    site.write(
        later,
        "+++\ntitle = \"Позже\"\ndate = 2099-01-01\nregion = \"almaty\"\npartners = [\"shanghai\"]\n+++\n\nЕщё не время.\n",
    );
    let server = Server::start(&site);
    let (status, _, body) = server.get("/ru/news/2099-01-01-later/");
    assert_eq!(status, 200);
    assert!(body.contains("<p class=\"scheduled\" role=\"note\">"), "{body}");
    drop(server);
    site.build();
    assert!(!site.path("public/ru/news/2099-01-01-later").exists());
}

/// A save that changes no output (the same bytes written again) reloads no page and starts no
/// generation: the next event is the next real change's.
#[test]
fn a_save_that_changes_nothing_reloads_nothing() {
    let site = Site::copy("good");
    let server = Server::start(&site);
    let mut events = server.events();
    assert!(next_event(&mut events).contains("\"kind\":\"hello\""));
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    site.write(ru, &site.read(ru));
    std::thread::sleep(Duration::from_millis(600));
    site.write(ru, &site.read(ru).replace("Первый абзац", "Другой абзац"));
    let event = next_event(&mut events);
    assert!(
        event.starts_with("{\"generation\":1,\"kind\":\"reload\"")
            && event.contains("\"pages\":[\"/ru/news/2025-08-29-qinghai/\""),
        "the first event is the real change's, generation 1, with the page it rendered: {event}"
    );
}

#[test]
fn the_desk_is_on_for_loopback_and_off_elsewhere_unless_asked_for() {
    let site = Site::copy("good");
    let (server, said) = Server::start_with(&site, &[]);
    let url = said.trim().strip_prefix("The desk for editors: ").expect(&said);
    let target = url.split_once(&server.addr).unwrap().1;
    assert!(target.starts_with("/_desk/?token=") && target.len() > 40, "{target}");
    let (status, head, _) = server.get(target);
    assert_eq!(status, 303, "{head}");
    assert!(head.contains("HttpOnly; SameSite=Strict"), "{head}");
    assert_eq!(server.get("/_desk/kk/").0, 403, "not without the token");
    assert_eq!(server.get("/_desk/?token=0123").0, 403, "not with a wrong one");

    // Writes: a path from the browser leads nowhere, a large body is refused unread, another
    // Origin writes nothing.
    let token = target.rsplit('=').next().unwrap();
    let post = |origin: &str, length: usize, body: &str| {
        let mut stream = TcpStream::connect(&server.addr).unwrap();
        // A guard against a hang, not a limit on speed: under a loaded test run, a save that
        // waits for another's rebuild took over 5 s (a debug build), and the test read no status.
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(
            stream,
            "POST /_desk/kk/edit HTTP/1.1\r\nHost: {}\r\nOrigin: {origin}\r\nCookie: twinpress_desk={token}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n{body}",
            server.addr
        )
        .unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .unwrap_or(0)
    };
    // A long list comes a hundred rows at a time.
    let original = site.read("content/news/2025/2025-08-29-qinghai.ru.md");
    for n in 0..120 {
        site.write(
            &format!("content/news/2024/2024-01-01-copy-{n:03}.ru.md"),
            &original.replacen("title = \"", &format!("title = \"Копия {n:03} "), 1),
        );
    }
    let list = |query: &str| {
        let mut stream = TcpStream::connect(&server.addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            stream,
            // HTTP/1.0: the page whole, not in chunks.
            "GET /_desk/ru/{query} HTTP/1.0\r\nHost: {}\r\nCookie: twinpress_desk={token}\r\n\r\n",
            server.addr
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        String::from_utf8(response).unwrap()
    };
    // The list, read ahead when serve started, takes in the new files as the watcher tells of
    // them (some 25 ms after they are written).
    let mut first = String::new();
    for _ in 0..100 {
        first = list("?q=%D0%9A%D0%BE%D0%BF%D0%B8%D1%8F");
        if first.matches("<tr>").count() == 101 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(first.matches("<tr>").count(), 101, "a header row and 100 articles");
    assert!(first.contains("1 / 2") && first.contains("rel=\"next\""), "{first}");
    let second = list("?q=%D0%9A%D0%BE%D0%BF%D0%B8%D1%8F&page=2");
    assert_eq!(second.matches("<tr>").count(), 21);
    assert!(second.contains("rel=\"prev\""));

    let ours = format!("http://{}", server.addr);

    // Two saves of the same file at once, both opened at the same version: one is written, the
    // other is refused as a conflict — never both, the second undoing the first.
    let page = list("edit?id=2025%2F2025-08-29-qinghai");
    let version = page
        .split("name=\"ru.version\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the editor carries the file's version")
        .to_string();
    let saves: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|n| {
                let body = format!(
                    "id=2025%2F2025-08-29-qinghai&date=2025-08-29&region=almaty&partners=sichuan&partners=shanghai\
                     &ru.version={version}&ru.title=Save+{n}&ru.body=Body+{n}"
                );
                let post = &post;
                let ours = &ours;
                scope.spawn(move || post(ours, body.len(), &body))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut sorted = saves.clone();
    sorted.sort();
    assert_eq!(sorted, [303, 409], "{saves:?}");
    let saved = site.read("content/news/2025/2025-08-29-qinghai.ru.md");
    let winner = saves.iter().position(|&s| s == 303).unwrap();
    assert!(saved.contains(&format!("title = \"Save {winner}\"")), "{saved}");
    let before = site.read("content/news/2025/2025-08-29-qinghai.ru.md");
    for id in ["../../site", "..%2F..%2Fsite", "%2Fetc%2Fpasswd", "2025/../../../x"] {
        let body = format!("id={id}&ru.version=x&ru.title=Pwned");
        assert_eq!(post(&ours, body.len(), &body), 404, "{id}");
    }
    assert_eq!(post(&ours, 3 * 1024 * 1024, ""), 413, "a body over the cap");
    let body = "id=2025%2F2025-08-29-qinghai&ru.title=Pwned";
    assert_eq!(post("http://evil.example", body.len(), body), 403);
    assert_eq!(site.read("content/news/2025/2025-08-29-qinghai.ru.md"), before);
    drop(server);

    // Listening on every address: no desk unless --desk.
    let (server, said) = Server::start_with(&site, &["--bind", "0.0.0.0"]);
    assert!(
        said.starts_with("No desk: the server is not on a loopback address"),
        "{said}"
    );
    assert_eq!(server.get("/_desk/kk/").0, 404);
    drop(server);
    let (server, said) = Server::start_with(&site, &["--bind", "0.0.0.0", "--desk"]);
    assert!(said.starts_with("The desk for editors: http://127.0.0.1:"), "{said}");
    drop(server);
    let (server, said) = Server::start_with(&site, &["--no-desk"]);
    assert_eq!(said.trim(), "No desk (--no-desk)");
    assert_eq!(server.get("/_desk/kk/").0, 404);
}

/// Waits (up to 10 s) until `path` answers `status`.
fn wait_for(server: &Server, path: &str, status: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = server.get(path).0;
        if got == status {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: {path} still answers {got}, not {status}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_year_folder_removed_moved_renamed_or_checked_out_is_followed() {
    let site = Site::copy("good");
    // An article in an all-digit folder under the year, as after a careless import.
    let page = "/ru/news/2025-08-29-qinghai/";
    let server = Server::start(&site);
    assert_eq!(server.get(page).0, 200);
    let year = site.path("content/news/2025");
    let away = site.path("../2025-away");
    // Moved out of the site, and back.
    std::fs::rename(&year, &away).unwrap();
    wait_for(&server, page, 404, "moved away");
    std::fs::rename(&away, &year).unwrap();
    wait_for(&server, page, 200, "moved back");
    // Renamed within news/ (a year is all digits, as vim's probe files are).
    std::fs::rename(&year, site.path("content/news/2026")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.get(page).0, 200, "renamed: still there");
    std::fs::rename(site.path("content/news/2026"), &year).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.get(page).0, 200);
    // Removed.
    std::fs::remove_dir_all(&year).unwrap();
    wait_for(&server, page, 404, "removed");
    // A checkout-like burst: the folder and its files come back at once, with another.
    let copy = crate::support::fixtures().join("good/content/news/2025");
    crate::support::copy_dir(&copy, &site.path("content/news/2025"));
    crate::support::copy_dir(&copy, &site.path("content/news/1999"));
    for entry in std::fs::read_dir(site.path("content/news/1999")).unwrap() {
        let p = entry.unwrap().path();
        let name = p
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace("2025-08-29-qinghai", "1999-01-01-old");
        std::fs::rename(&p, p.with_file_name(name)).unwrap();
    }
    wait_for(&server, page, 200, "checked out again");
    wait_for(&server, "/ru/news/1999-01-01-old/", 200, "a new folder's article");
}

#[test]
fn a_drafts_problems_stay_on_that_draft_while_the_site_keeps_rebuilding() {
    let site = Site::copy("good");
    let server = Server::start(&site);
    let mut events = server.events();
    assert!(next_event(&mut events).contains("hello"));
    // A fresh `new --photo` draft whose alt text is not written yet, and a draft naming a city
    // that does not exist.
    let draft = "content/news/2025/2025-09-01-draft-photo.ru.md";
    site.write(
        draft,
        "+++\ntitle = \"Черновик с фото\"\ndate = 2025-09-01\nregion = \"almaty\"\npartners = [\"shanghai\"]\n\
         draft = true\n\n[[photos]]\nfile = \"2025-09-01-draft-photo-1.jpg\"\nalt = \"\"\n+++\n\nТекст.\n",
    );
    let event = next_event(&mut events);
    assert!(event.contains(r#""kind":"reload""#), "not an error: {event}");
    site.write(
        "content/news/2025/2025-09-02-draft-city.ru.md",
        "+++\ntitle = \"Черновик о Харбине\"\ndate = 2025-09-02\nregion = \"almaty\"\npartners = [\"harbinn\"]\ndraft = true\n+++\n\nТекст.\n",
    );
    assert!(next_event(&mut events).contains(r#""kind":"reload""#));
    let (_, _, home) = server.get("/ru/");
    assert!(!home.contains("window.__twinpressError = "), "the site shows no error");
    // Each draft's address shows its own problems.
    let (status, _, page) = server.get("/ru/news/2025-09-01-draft-photo/");
    assert_eq!(status, 404);
    assert!(page.contains("window.__twinpressError = "), "{page}");
    assert!(
        page.contains("2025-09-01-draft-photo.ru.md:10") && page.contains("has no alt text"),
        "{page}"
    );
    let (_, _, page) = server.get("/ru/news/2025-09-02-draft-city/");
    assert!(page.contains("unknown city key `harbinn`"), "{page}");

    // The rest of the site still rebuilds.
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    site.write(ru, &site.read(ru).replace("Первый абзац", "Новый абзац"));
    assert!(next_event(&mut events).contains(r#""kind":"reload""#));
    assert!(server.get("/ru/news/2025-08-29-qinghai/").2.contains("Новый абзац"));

    // Mended, the draft is shown.
    site.write(
        draft,
        "+++\ntitle = \"Черновик с фото\"\ndate = 2025-09-01\nregion = \"almaty\"\npartners = [\"shanghai\"]\ndraft = true\n+++\n\nТекст.\n",
    );
    assert!(next_event(&mut events).contains(r#""kind":"reload""#));
    let (status, _, page) = server.get("/ru/news/2025-09-01-draft-photo/");
    assert_eq!(status, 200);
    assert!(!page.contains("window.__twinpressError = "));
    drop(server);

    // `build` leaves the broken draft out; with --drafts it says why, and the site builds.
    site.build();
    assert!(!site.path("public/ru/news/2025-09-02-draft-city").exists());
    let run = site.run(&["build", "--drafts"]).success();
    assert!(
        run.stderr()
            .contains("warning: content/news/2025/2025-09-02-draft-city.ru.md:5: unknown city key `harbinn`"),
        "{}",
        run.stderr()
    );
    assert!(!site.path("public/ru/news/2025-09-02-draft-city").exists());
    assert!(site.path("public/ru/news/2025-09-01-draft-photo/index.html").exists());
}

#[test]
fn a_runaway_loop_under_serve_shows_its_error_and_the_next_save_is_picked_up() {
    let site = Site::copy("good");
    let server = Server::start(&site);
    let mut events = server.events();
    assert!(next_event(&mut events).contains(r#""kind":"hello""#));
    let started = Instant::now();
    site.write("templates/article.html", crate::templates::RUNAWAY);
    let event = next_event(&mut events);
    assert!(
        event.contains(r#""kind":"error""#) && event.contains("loops went round more than"),
        "{event}"
    );
    assert!(event.contains("templates/article.html"), "{event}");
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
    let (_, _, body) = server.get("/ru/");
    assert!(body.contains("window.__twinpressError = "), "pages opened now show it");
    // The template put right: the next save rebuilds, and the error goes.
    std::fs::remove_file(site.path("templates/article.html")).unwrap();
    let event = next_event(&mut events);
    assert!(event.contains(r#""kind":"reload""#), "{event}");
    let (status, _, body) = server.get("/ru/news/2025-08-29-qinghai/");
    assert_eq!(status, 200);
    assert!(
        !body.contains("window.__twinpressError = "),
        "a good build clears the error"
    );
}

#[test]
fn preview_folders_of_stopped_servers_are_removed_and_a_stopped_server_leaves_none() {
    let site = Site::copy("good");
    let temp = tempfile::tempdir().unwrap();
    let folder = |name: &str| temp.path().join(name);
    // One of a process that is gone (no process has so large an id), one of a process that
    // runs (1 always does), one named before names had an id, and another program's.
    for name in [
        "twinpress-serve-4000000000-Ab12Cd",
        "twinpress-serve-1-Ef34Gh",
        "twinpress-serve-Ij56Kl",
        "other-4000000000-x",
    ] {
        std::fs::create_dir_all(folder(name).join("site/ru")).unwrap();
        std::fs::write(folder(name).join("site/ru/index.html"), "old").unwrap();
    }
    let (server, _) = Server::start_in(&site, &[], Some(temp.path()));
    let deadline = Instant::now() + Duration::from_secs(10);
    while folder("twinpress-serve-4000000000-Ab12Cd").exists() {
        assert!(
            Instant::now() < deadline,
            "the gone process's preview folder is removed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let names = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(temp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let own = format!("twinpress-serve-{}-", server.child.id());
    let during = names();
    assert_eq!(
        during.iter().filter(|n| n.starts_with(&own)).count(),
        1,
        "its own folder is named with its id: {during:?}"
    );
    for kept in [
        "twinpress-serve-1-Ef34Gh",
        "twinpress-serve-Ij56Kl",
        "other-4000000000-x",
    ] {
        assert!(during.iter().any(|n| n == kept), "{kept} is left alone: {during:?}");
    }
    // Stopped as a service manager stops it (SIGTERM), it removes its own folder.
    drop(server);
    assert_eq!(
        names(),
        [
            "other-4000000000-x",
            "twinpress-serve-1-Ef34Gh",
            "twinpress-serve-Ij56Kl"
        ],
        "nothing of its own is left"
    );
}
