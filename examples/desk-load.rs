//! The team desk under load: SESSIONS editors signed in at once, each saving its own article
//! again and again through the desk's form for SECONDS, against the real `serve` over a site in
//! a git repository. Then: was every save written, committed by its account and built, and did
//! the rebuilds stay incremental?
//!
//!   bench/team-load.sh 10000            (prepares the corpus, its git repository, the accounts)
//!   cargo run --release --example desk-load -- BIN SITE [SESSIONS] [SECONDS]
//!
//! Prints the saves, their rate and latency, the commits per account against the saves, the
//! saves found in the files, and how many rebuilds viewed some pages rather than all.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: desk-load BIN SITE [SESSIONS] [SECONDS]");
        std::process::exit(2);
    }
    let bin = PathBuf::from(&args[1]);
    let site = PathBuf::from(&args[2]);
    let sessions: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(20);
    let seconds: u64 = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(60);

    let ids = articles(&site, sessions);
    assert_eq!(ids.len(), sessions, "the site has fewer Russian articles than sessions");
    for i in 0..sessions {
        let out = Command::new(&bin)
            .args([
                "user",
                "add",
                &format!("load-{i}"),
                "--role",
                "editor",
                "--password-stdin",
                "--root",
            ])
            .arg(&site)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                c.stdin
                    .take()
                    .unwrap()
                    .write_all(format!("load-password-{i}\n").as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        if !out.status.success() && !String::from_utf8_lossy(&out.stderr).contains("already") {
            panic!("user add: {}", String::from_utf8_lossy(&out.stderr));
        }
    }

    let started = Instant::now();
    let mut serve = Command::new(&bin)
        .args(["serve", "--port", "0", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(serve.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect(&first)
        .to_string();
    println!(
        "serve answered after {:.1} s (first load)",
        started.elapsed().as_secs_f64()
    );
    let said: Arc<Mutex<Vec<String>>> = Arc::default();
    {
        let said = Arc::clone(&said);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                said.lock().unwrap().push(line);
            }
        });
    }

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let workers: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let (addr, id) = (addr.clone(), id.clone());
            std::thread::spawn(move || session(&addr, i, &id, deadline))
        })
        .collect();
    let results: Vec<(usize, Vec<Duration>, u32, String)> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    // Let the last rebuilds land; then each session's last save must be on its page in the
    // preview (built, not only written), read as its editor (signed in) reads it.
    std::thread::sleep(Duration::from_secs(3));
    let mut unbuilt = 0;
    for (i, id) in ids.iter().enumerate() {
        let n = results[i].1.len();
        if n == 0 {
            continue;
        }
        let cookie = &results[i].3;
        let stem = id.rsplit('/').next().unwrap();
        let (status, _, page) = send(&addr, "GET", &format!("/ru/news/{stem}/"), Some(cookie), "");
        if status != 200 || !page.contains(&format!("Правка {i} №{n}.")) {
            unbuilt += 1;
            eprintln!("load-{i}: the preview of {stem} ({status}) lacks save {n}");
        }
    }
    let _ = Command::new("kill").args(["-INT", &serve.id().to_string()]).status();
    let _ = serve.wait();

    let mut latencies: Vec<Duration> = results.iter().flat_map(|r| r.1.clone()).collect();
    latencies.sort();
    let saves: usize = latencies.len();
    let refused: u32 = results.iter().map(|r| r.2).sum();
    let q = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p) as usize)
            .map_or(0, |d| d.as_millis())
    };
    println!(
        "{sessions} sessions, {seconds} s: {saves} saves ({:.1}/s), latency median {} ms, p95 {} ms, max {} ms; {refused} not saved",
        saves as f64 / seconds as f64,
        q(0.5),
        q(0.95),
        q(1.0)
    );

    // Every save in its file and in git, by its account.
    let mut lost = 0;
    let mut commits_short = 0;
    for (i, id) in ids.iter().enumerate() {
        let n = results[i].1.len();
        let rel = format!("content/news/{id}.ru.md");
        let text = std::fs::read_to_string(site.join(&rel)).unwrap();
        if n > 0 && !text.contains(&format!("Правка {i} №{n}.")) {
            lost += 1;
        }
        let log = Command::new("git")
            .arg("-C")
            .arg(&site)
            .args(["log", "--format=%an", "--", &rel])
            .output()
            .unwrap();
        let by_me = String::from_utf8_lossy(&log.stdout)
            .lines()
            .filter(|a| *a == format!("load-{i}"))
            .count();
        if by_me != n {
            commits_short += 1;
            eprintln!("load-{i}: {n} saves, {by_me} commits");
        }
    }
    let said = said.lock().unwrap();
    let rebuilds: Vec<&String> = said
        .iter()
        .filter(|l| l.contains("pages viewed") || l.contains("viewed,"))
        .collect();
    let full = rebuilds.iter().filter(|l| l.contains("all pages viewed")).count();
    println!(
        "last save of each session in its file: {} of {sessions}; on its page in the preview: {} of {sessions}; sessions whose commits match their saves: {} of {sessions}",
        sessions - lost,
        sessions - unbuilt,
        sessions - commits_short
    );
    println!(
        "rebuilds: {} ({} viewed some pages, {full} all)",
        rebuilds.len(),
        rebuilds.len() - full
    );
    if let Some(l) = rebuilds.last() {
        println!("last rebuild: {l}");
    }
    if lost > 0 || commits_short > 0 || unbuilt > 0 {
        std::process::exit(1);
    }
}

/// The first `n` articles with a Russian file, as the desk names them (`2025/stem`).
fn articles(site: &Path, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(site.join("content/news")).sort_by_file_name() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".ru.md") {
            let folder = entry
                .path()
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push(format!("{folder}/{stem}"));
            if out.len() == n {
                break;
            }
        }
    }
    out
}

/// One editor: signs in, then saves its article until `deadline`; each save's latency, the
/// saves the desk did not take, and its session's cookie (to read the preview as it).
fn session(addr: &str, i: usize, id: &str, deadline: Instant) -> (usize, Vec<Duration>, u32, String) {
    let login = form(&[
        ("name", &format!("load-{i}")),
        ("password", &format!("load-password-{i}")),
    ]);
    let (status, head, _) = send(addr, "POST", "/_desk/ru/login", None, &login);
    assert_eq!(status, 303, "{head}");
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("Set-Cookie: twinpress_session="))
        .map(|c| format!("twinpress_session={}", c.split(';').next().unwrap()))
        .expect("a session");
    let mut times = Vec::new();
    let mut refused = 0;
    let target = format!("/_desk/ru/edit?id={}", id.replace('/', "%2F"));
    while Instant::now() < deadline {
        let (status, _, page) = send(addr, "GET", &target, Some(&cookie), "");
        assert_eq!(status, 200, "{page}");
        let mut fields = fields(&page);
        let k = times.len() + 1;
        for (name, value) in fields.iter_mut() {
            if name == "ru.body" {
                *value = format!("{}\n\nПравка {i} №{k}.", value.trim_end());
            }
        }
        let t = Instant::now();
        let body = form(&fields.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect::<Vec<_>>());
        let (status, _, page) = send(addr, "POST", "/_desk/ru/edit", Some(&cookie), &body);
        if status == 303 {
            times.push(t.elapsed());
        } else {
            refused += 1;
            eprintln!(
                "load-{i}: save {k} answered {status}: {}",
                page.chars().take(300).collect::<String>()
            );
        }
    }
    (i, times, refused, cookie)
}

fn form(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// The (name, value) pairs a browser posts for the editor's form as shown.
fn fields(html: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    let form = doc
        .select(&scraper::Selector::parse("form#edit").unwrap())
        .next()
        .expect("the editor's form");
    let mut out = Vec::new();
    for el in form.select(&scraper::Selector::parse("input, textarea, select").unwrap()) {
        let v = el.value();
        let Some(name) = v.attr("name") else { continue };
        match (v.name(), v.attr("type").unwrap_or("")) {
            ("input", "checkbox") if v.attr("checked").is_none() => {}
            ("input", "checkbox") => out.push((name.to_string(), "on".to_string())),
            ("input", "file" | "submit") => {}
            ("input", _) => out.push((name.to_string(), v.attr("value").unwrap_or("").to_string())),
            ("textarea", _) => out.push((name.to_string(), el.text().collect::<String>())),
            _ => {
                for option in el.select(&scraper::Selector::parse("option[selected]").unwrap()) {
                    out.push((name.to_string(), option.value().attr("value").unwrap_or("").to_string()));
                }
            }
        }
    }
    out
}

fn send(addr: &str, method: &str, target: &str, cookie: Option<&str>, body: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let mut head = format!("{method} {target} HTTP/1.0\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n");
    if let Some(c) = cookie {
        head.push_str(&format!("Cookie: {c}\r\n"));
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
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head.to_string(), body.to_string())
}
