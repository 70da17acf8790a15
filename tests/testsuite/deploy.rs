//! Deploying: the portal built for a subpath and served by real nginx with the guide's
//! configuration (deploy/nginx-site.conf); every page and file fetched through it, with its
//! status and content type, every link followed; and the link crawl of `check --output`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use twinpress::check::crawl::{crawl, Fetched};

use crate::support::{files, Site};

struct Response {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

fn get(port: u16, path: &str, extra: &str) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n{extra}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let headers = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = headers
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// nginx in a process group of its own, so that stopping it stops its workers too.
pub(crate) struct Nginx(Child);

impl Nginx {
    /// Stops the master as an administrator would (SIGQUIT: finish the requests, then exit with
    /// every worker), and waits; if it has not gone within 5 s, SIGKILL to the whole group.
    /// A SIGKILL to the master alone left a worker listening on its port long after the tests.
    fn stop(&mut self) {
        let group = self.0.id() as i32;
        signal(group, libc::SIGQUIT);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.0.try_wait(), Ok(Some(_))) && !group_alive(group) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        signal(-group, libc::SIGKILL);
        let _ = self.0.wait();
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        self.stop();
    }
}

fn signal(pid: i32, sig: i32) {
    // SAFETY: kill(2) only sends a signal; `pid` is nginx's master (or its group, negated).
    unsafe {
        libc::kill(pid, sig);
    }
}

/// Whether any process of the group `group` is still there (kill with signal 0 asks).
fn group_alive(group: i32) -> bool {
    // SAFETY: signal 0 checks that the group exists, sending nothing.
    unsafe { libc::kill(-group, 0) == 0 }
}

fn nginx_binary() -> PathBuf {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect("nginx is needed for the deploy test: apt-get install nginx-light (tests/run installs it)")
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_nginx(dir: &Path, www: &Path, port: u16) -> Nginx {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = std::fs::read_to_string(project.join("deploy/nginx-site.conf"))
        .unwrap()
        .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
        .replace("root /srv/www;", &format!("root {};", www.display()))
        .replace(
            "/srv/www/portal/nginx-redirects.map",
            &www.join("portal/nginx-redirects.map").display().to_string(),
        )
        .replace(
            "/srv/www/portal/robots.txt",
            &www.join("portal/robots.txt").display().to_string(),
        )
        .replace(
            "/etc/nginx/twinpress-types.conf",
            &dir.join("types.conf").display().to_string(),
        );
    let types = Command::new(env!("CARGO_BIN_EXE_twinpress"))
        .args(["mime-types", "--format", "nginx"])
        .output()
        .unwrap();
    assert!(types.status.success());
    std::fs::write(dir.join("types.conf"), types.stdout).unwrap();
    run_nginx(dir, &site, port)
}

/// nginx with the server blocks `site`, its files in `dir`, once it answers on `port`.
pub(crate) fn run_nginx(dir: &Path, site: &str, port: u16) -> Nginx {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::write(dir.join("site.conf"), site).unwrap();
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    let main = std::fs::read_to_string(project.join("deploy/nginx-test.conf"))
        .unwrap()
        .replace("@USER@", if is_root { "user root;" } else { "" })
        .replace("@PREFIX@", &dir.display().to_string());
    std::fs::write(dir.join("nginx.conf"), main).unwrap();
    let child = Command::new(nginx_binary())
        .process_group(0)
        .args(["-e", "stderr", "-p"])
        .arg(dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let nginx = Nginx(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "nginx did not start: {}",
            std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    nginx
}

#[test]
fn the_portal_works_under_a_subpath_behind_nginx() {
    let dir = tempfile::tempdir().unwrap();
    let www = dir.path().join("www");
    let out = www.join("portal");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/portal/");
    // The portal, with an old address for one article (as after a rename).
    let project = dir.path().join("site");
    std::fs::create_dir_all(&project).unwrap();
    for part in ["site.toml", "content", "templates", "static"] {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(part);
        if from.is_dir() {
            crate::support::copy_dir(&from, &project.join(part));
        } else {
            std::fs::copy(&from, project.join(part)).unwrap();
        }
    }
    let article = project.join("content/news/2025/2025-08-29-qinghai-delegation.ru.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(
        &article,
        text.replacen(
            "\n+++\n",
            "\naliases = [\"/ru/news/old-qinghai/\"]\n[[photos]]\nfile = \"generated-test-photo.jpg\"\nalt = \"Сгенерированное тестовое фото\"\n+++\n",
            1,
        ),
    )
    .unwrap();
    // A generated photo (the portal has no real ones), served as an immutable file.
    std::fs::write(
        article.with_file_name("generated-test-photo.jpg"),
        twinpress::photos::fixture::jpeg(1200, 800, 1, 1),
    )
    .unwrap();
    let build = Command::new(env!("CARGO_BIN_EXE_twinpress"))
        .args(["build", "--root"])
        .arg(&project)
        .arg("--output")
        .arg(&out)
        .args(["--base-url", &base])
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    let mut nginx = start_nginx(dir.path(), &www, port);

    // Every page and file, fetched through nginx, with the right status and content type.
    let mut wrong = Vec::new();
    let all = files(&out);
    // The redirect map is nginx's own, not served (asserted below).
    for f in all.iter().filter(|f| f.as_str() != "nginx-redirects.map") {
        let r = get(port, &format!("/portal/{f}"), "");
        let kind = r.header("Content-Type").unwrap_or_default();
        // nginx sends what the preview server sends: both read twinpress's one table.
        let expected = twinpress::mime::content_type(Path::new(f));
        if r.status != 200 || kind != expected {
            wrong.push(format!("{f}: {} {kind}", r.status));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    // Every link followed through nginx, from the language choice page.
    let fetch = |path: &str| {
        // nginx does not serve its map: the crawl reads it from the build to follow old addresses.
        if path == "nginx-redirects.map" {
            return std::fs::read(out.join(path)).ok().map(|body| Fetched {
                content_type: "text/plain".into(),
                body,
            });
        }
        let r = get(port, &format!("/portal/{path}"), "");
        (r.status == 200).then(|| Fetched {
            content_type: r.header("Content-Type").unwrap_or_default(),
            body: r.body,
        })
    };
    let c = crawl(&twinpress::urls::Urls::new(&base).unwrap(), &fetch);
    assert!(c.broken.is_empty(), "{:#?}", c.broken);
    // Everything but the fonts' licence, which travels with them unlinked, and the search
    // index, which the search page's script fetches (tests/e2e/search.test.mjs), checked above
    // for status and type.
    let unreached: Vec<_> = all
        .iter()
        .filter(|f| !c.fetched.contains(*f) && !f.ends_with("OFL.txt"))
        .filter(|f| !(f.contains("/search/") && f.ends_with(".json")))
        .collect();
    assert!(unreached.is_empty(), "files no link leads to: {unreached:?}");

    // The root, folders without a slash, unknown paths, caching.
    let r = get(port, "/portal/", "Accept-Language: ru-RU,ru;q=0.9,en;q=0.5\r\n");
    assert_eq!(r.status, 302);
    assert_eq!(r.header("Vary").as_deref(), Some("Accept-Language"), "{}", r.headers);
    let choice = get(port, "/portal/", "Accept-Language: en\r\n");
    assert!(choice.headers.contains("Vary: Accept-Language"), "{}", choice.headers);
    assert_eq!(
        get(port, "/portal/nginx-redirects.map", "").status,
        404,
        "the map is not served"
    );
    // The stylesheet as pages link it, with its version: cached for ever; without, for a week.
    let home = String::from_utf8_lossy(&get(port, "/portal/ru/", "").body).into_owned();
    let css = home
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    assert!(css.starts_with("/portal/style.css?v="), "{css}");
    let versioned = get(port, &css, "");
    assert_eq!(versioned.status, 200);
    assert_eq!(
        versioned.header("Cache-Control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    let plain = get(port, "/portal/style.css", "");
    assert_eq!(plain.header("Cache-Control").as_deref(), Some("public, max-age=604800"));
    // Crawlers read robots.txt at the host's root: the site's, naming its sitemaps.
    let robots = get(port, "/robots.txt", "");
    assert_eq!(robots.status, 200);
    let robots = String::from_utf8_lossy(&robots.body).into_owned();
    assert!(robots.contains(&format!("Sitemap: {base}sitemap.xml")), "{robots}");
    assert!(r.header("Location").unwrap().ends_with("/portal/ru/"), "{}", r.headers);
    let r = get(port, "/portal/", "Accept-Language: kk-KZ,kk;q=0.9\r\n");
    assert!(r.header("Location").unwrap().ends_with("/portal/kk/"), "{}", r.headers);
    let r = get(port, "/portal/", "Accept-Language: en-GB\r\n");
    assert_eq!(r.status, 200, "other languages get the choice page");
    assert!(String::from_utf8_lossy(&r.body).contains("hreflang=\"ru\""));
    let r = get(port, "/portal/ru/news/2025-08-29-qinghai-delegation", "");
    assert_eq!(r.status, 301);
    assert!(r
        .header("Location")
        .unwrap()
        .ends_with("/portal/ru/news/2025-08-29-qinghai-delegation/"));
    // An old address: a real 301 from the map, and the redirect page for hosts without one.
    let r = get(port, "/portal/ru/news/old-qinghai/", "");
    assert_eq!(r.status, 301, "{}", r.headers);
    assert!(
        r.header("Location")
            .unwrap()
            .ends_with("/portal/ru/news/2025-08-29-qinghai-delegation/"),
        "{}",
        r.headers
    );
    let page = std::fs::read_to_string(out.join("ru/news/old-qinghai/index.html")).unwrap();
    assert!(
        page.contains("content=\"0; url=/portal/ru/news/2025-08-29-qinghai-delegation/\""),
        "{page}"
    );
    let r = get(port, "/portal/no/such/page/", "");
    assert_eq!(r.status, 404);
    assert!(
        String::from_utf8_lossy(&r.body).contains("Бет табылмады"),
        "the site's own 404 page"
    );
    assert!(get(port, "/portal/style.css", "")
        .header("Cache-Control")
        .unwrap()
        .contains("max-age"));
    assert_eq!(
        get(port, "/portal/ru/", "").header("Cache-Control").as_deref(),
        Some("no-cache")
    );
    // Text goes out compressed to a browser that asks for it, and plain to one that does not.
    for path in ["/portal/style.css", "/portal/map/outlines.svg", "/portal/ru/"] {
        let gz = get(port, path, "Accept-Encoding: gzip\r\n");
        let plain = get(port, path, "");
        assert_eq!(gz.header("Content-Encoding").as_deref(), Some("gzip"), "{path}");
        assert_eq!(plain.header("Content-Encoding"), None, "{path}");
        assert!(
            gz.body.len() * 2 < plain.body.len(),
            "{path}: {} of {}",
            gz.body.len(),
            plain.body.len()
        );
    }
    // Photos' files are named by their bytes: cached for ever.
    let photo = all
        .iter()
        .find(|f| f.starts_with("photos/") && f.ends_with(".webp"))
        .unwrap();
    let r = get(port, &format!("/portal/{photo}"), "");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("Cache-Control").as_deref(),
        Some("public, max-age=31536000, immutable"),
        "{}",
        r.headers
    );
    // A drawn card is named by its article: revalidated like the page.
    let card = get(
        port,
        "/portal/ru/news/2024-11-12-sichuan-sister-cities-conference/card.png",
        "",
    );
    assert_eq!(
        (card.status, card.header("Content-Type").as_deref()),
        (200, Some("image/png"))
    );
    assert_eq!(card.header("Cache-Control").as_deref(), Some("no-cache"));

    // Stopped, nginx leaves nothing behind: no worker answers on its port.
    let group = nginx.0.id() as i32;
    nginx.stop();
    assert!(!group_alive(group), "an nginx process outlived its master");
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "something still listens on {port}"
    );
}

#[test]
fn check_output_crawls_a_built_site_and_names_what_is_broken() {
    let site = Site::copy("good");
    site.run(&["build", "--base-url", "https://example.org/portal/"])
        .success();
    let run = site
        .run(&[
            "check",
            "--output",
            site.path("public").to_str().unwrap(),
            "--base-url",
            "https://example.org/portal/",
        ])
        .success();
    assert!(run.stdout().contains("All links lead somewhere"), "{}", run.stdout());
    std::fs::remove_file(site.path("public/kk/tags/bilim/index.html")).unwrap();
    std::fs::remove_file(site.path("public/style.css")).unwrap();
    let run = site.run(&[
        "check",
        "--output",
        site.path("public").to_str().unwrap(),
        "--base-url",
        "https://example.org/portal/",
    ]);
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    assert!(
        err.contains("links to /kk/tags/bilim/index.html, which does not exist"),
        "{err}"
    );
    assert!(err.contains("links to /style.css, which does not exist"), "{err}");
    // A build for another base URL does not pass for this one.
    let run = site.run(&[
        "check",
        "--output",
        site.path("public").to_str().unwrap(),
        "--base-url",
        "https://example.org/",
    ]);
    assert_eq!(run.code(), 1);
}

/// The release a page belongs to, by the site's title each variant gives every page in both
/// languages (`Выпуск A` or `Выпуск B`: the page's `<title>`, and the 404 page's links).
fn release_of(body: &[u8]) -> Option<char> {
    let text = String::from_utf8_lossy(body);
    ['A', 'B'].into_iter().find(|r| text.contains(&format!("Выпуск {r}")))
}

/// The links of an HTML page that lead into the site under `/portal/`.
fn site_links(body: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(body);
    text.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with("/portal/"))
        .map(str::to_string)
        .collect()
}

#[test]
fn fifty_deploys_under_a_reader_never_show_half_of_one_or_a_mix_of_two() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/portal/");
    let target = dir.path().join("target");
    let www = dir.path().join("www");
    std::fs::create_dir_all(&www).unwrap();
    // The web server's folder for the site is the target's `current`.
    std::os::unix::fs::symlink(target.join("current"), www.join("portal")).unwrap();
    // Two sites: B is A with the UK article gone (A's links to it are B's 404s) and another
    // title on every page.
    let variant = |name: char| {
        let site = Site::copy("good");
        let toml = site
            .read("site.toml")
            .replace("title = \"Города-побратимы\"", &format!("title = \"Выпуск {name}\""))
            .replace("title = \"Бауырлас қалалар\"", &format!("title = \"Выпуск {name}\""));
        site.write(
            "site.toml",
            &format!("{toml}\n[deploy]\ntarget = \"{}\"\n", target.display()),
        );
        if name == 'B' {
            std::fs::remove_file(site.path("content/news/2024/2024-11-12-uk.ru.md")).unwrap();
        }
        site
    };
    let (a, b) = (variant('A'), variant('B'));
    let deploy = |site: &Site| site.run(&["deploy", "--base-url", &base]).success();
    deploy(&a);
    let nginx_dir = dir.path().join("nginx");
    std::fs::create_dir_all(&nginx_dir).unwrap();
    let mut nginx = start_nginx(&nginx_dir, &www, port);

    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let (mut fetches, mut problems, mut seen) = (0usize, Vec::new(), std::collections::BTreeSet::new());
            // Links of one release answered by the other, gone live in between: allowed, counted.
            let mut switched = 0usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let home = get(port, "/portal/ru/", "");
                fetches += 1;
                let Some(release) = release_of(&home.body) else {
                    problems.push(format!("the home page ({}) is of no release", home.status));
                    continue;
                };
                seen.insert(release);
                for link in site_links(&home.body) {
                    let r = get(port, &link, "");
                    fetches += 1;
                    let html = r.header("content-type").is_some_and(|t| t.starts_with("text/html"));
                    match r.status {
                        200 | 301 | 302 | 304 => {
                            // A page linked from A's home is A's, unless B went live in between.
                            if html && release_of(&r.body).is_none() {
                                problems.push(format!("{link}: a page of no release"));
                            }
                        }
                        404 if release_of(&r.body).is_some_and(|other| other != release) => switched += 1,
                        s => problems.push(format!("{link}: {s} on a page of release {release}")),
                    }
                }
            }
            (fetches, problems, seen, switched)
        })
    };
    for n in 0..50 {
        deploy(if n % 2 == 0 { &b } else { &a });
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (fetches, problems, seen, switched) = reader.join().unwrap();
    nginx.stop();
    eprintln!("{fetches} fetches; {switched} links of one release met the other gone live in between");
    assert!(
        problems.is_empty(),
        "{} problems in {fetches} fetches, the first: {:?}",
        problems.len(),
        &problems[..problems.len().min(10)]
    );
    assert!(fetches > 200, "only {fetches} fetches");
    assert_eq!(seen.len(), 2, "the reader saw both releases: {seen:?}");
}
