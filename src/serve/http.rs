//! The preview's HTTP side (tiny_http): files from the output folder with their content types,
//! `index.html` for folders, a redirect to the trailing slash, `404.html` for unknown paths,
//! the live-reload script added to HTML, and the SSE endpoint. Anything that resolves outside
//! the output folder — `..` in any encoding, absolute paths, symlinks leading out — is a 404.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response, Server};

use super::livereload::{self, Hub};

/// Longest URL the preview accepts (browsers send far shorter ones).
pub const MAX_URL: usize = 4096;
/// Largest total size of request headers accepted.
pub const MAX_HEADERS: usize = 16 * 1024;

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// A folder asked for without its trailing slash: go to this URL.
    Redirect(String),
    NotFound,
}

/// Resolves the URL `target` (path and query) against the output folder `root`, which must be
/// canonical (the server makes it so once, not per request).
pub fn resolve(root: &Path, target: &str) -> Resolved {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    if !path.starts_with('/') {
        return Resolved::NotFound;
    }
    let Ok(decoded) = percent_decode_str(path).decode_utf8() else {
        return Resolved::NotFound;
    };
    if decoded.contains(['\0', '\\']) {
        return Resolved::NotFound;
    }
    let mut candidate = root.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == ".." || segment == "." || segment.contains(':') {
            return Resolved::NotFound;
        }
        candidate.push(segment);
    }
    let Ok(real) = candidate.canonicalize() else {
        return Resolved::NotFound;
    };
    if !real.starts_with(root) {
        return Resolved::NotFound;
    }
    if real.is_dir() {
        if !decoded.ends_with('/') {
            let mut to = format!("{path}/");
            if let Some(q) = query {
                to.push('?');
                to.push_str(q);
            }
            return Resolved::Redirect(to);
        }
        let index = real.join("index.html");
        return if index.is_file() {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if real.is_file() {
        Resolved::File(real)
    } else {
        Resolved::NotFound
    }
}

/// What request handlers share.
pub struct State {
    /// The output folder being served, canonical.
    pub root: PathBuf,
    pub hub: Hub,
    /// The editors' desk at `/_desk/`, when it is on.
    pub desk: Option<crate::desk::Desk>,
}

/// Runs `workers` threads answering requests until the server is unblocked.
pub fn spawn_workers(server: Arc<Server>, state: Arc<State>, workers: usize) -> Vec<std::thread::JoinHandle<()>> {
    (0..workers)
        .map(|_| {
            let server = Arc::clone(&server);
            let state = Arc::clone(&state);
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    handle(request, &state);
                }
            })
        })
        .collect()
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(body.as_bytes().to_vec())
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

/// Answers one request.
pub fn handle(request: Request, state: &Arc<State>) {
    let url = request.url().to_string();
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|h| h.field.as_str().as_str().len() + h.value.len() + 4)
        .sum();
    if let Some(desk) = &state.desk {
        let path = url.split('?').next().unwrap_or("");
        if (path == "/_desk" || path.starts_with(crate::desk::PREFIX))
            && url.len() <= MAX_URL
            && header_bytes <= MAX_HEADERS
        {
            if path == "/_desk" {
                let _ = request
                    .respond(text(301, "Moved").with_header(header("Location", &url.replacen("/_desk", "/_desk/", 1))));
            } else {
                desk.handle(request);
            }
            return;
        }
        // Team mode: the preview shows drafts, for signed-in accounts only.
        if let Some(refusal) = desk.preview_gate(&request) {
            desk.respond(request, refusal);
            return;
        }
    }
    let response = if url.len() > MAX_URL {
        text(414, "URL too long")
    } else if header_bytes > MAX_HEADERS {
        text(431, "Request headers too large")
    } else if !matches!(request.method(), Method::Get | Method::Head) {
        text(405, "Only GET and HEAD").with_header(header("Allow", "GET, HEAD"))
    } else if url.split('?').next() == Some(livereload::ENDPOINT) {
        let state = Arc::clone(state);
        std::thread::spawn(move || stream_events(request, &state));
        return;
    } else {
        file_response(state, &url)
    };
    let _ = request.respond(response.with_header(header("Cache-Control", "no-store")));
}

fn file_response(state: &State, url: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    // The generation is read before the file: a page may be newer than it says (and reload once
    // more), never older.
    let generation = state.hub.generation();
    match resolve(&state.root, url) {
        Resolved::File(path) => match std::fs::read(&path) {
            Ok(bytes) => page(generation, &path, bytes, 200, state.hub.error().as_deref()),
            Err(_) => not_found(state, generation, None),
        },
        Resolved::Redirect(to) => text(301, "Moved").with_header(header("Location", &to)),
        // A draft left out for its problems: its address shows what they are.
        Resolved::NotFound => not_found(state, generation, state.hub.draft_error(&draft_path(url))),
    }
}

/// The site path a request asks for (`/ru/news/x/?a` → `ru/news/x/`), as drafts are known by.
fn draft_path(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let path = path.trim_start_matches('/');
    if path.ends_with('/') || path.is_empty() {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

fn page(
    generation: u64,
    path: &Path,
    bytes: Vec<u8>,
    status: u16,
    error: Option<&str>,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let kind = crate::mime::content_type(path);
    if !kind.starts_with("text/html") {
        return Response::from_data(bytes)
            .with_status_code(status)
            .with_header(header("Content-Type", kind));
    }
    // The preview shares its origin with the desk: no script of the content runs in it (an
    // author's `<script>` would act with an editor's session), only the site's own files and
    // the live reload, which carries this response's nonce.
    let nonce = nonce();
    Response::from_data(livereload::inject(&bytes, generation, error, &nonce))
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Content-Security-Policy", &preview_policy(&nonce)))
        .with_header(header("X-Frame-Options", "SAMEORIGIN"))
}

/// The preview's Content-Security-Policy: scripts from the site's own files and the live
/// reload's (by `nonce`) only — no inline script or handler of the content, no plugin — and
/// framed by the desk alone.
pub fn preview_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"
    )
}

/// A fresh nonce for one response.
fn nonce() -> String {
    let mut bytes = [0u8; 16];
    // Without the system's randomness the time will do: a nonce only has to be unguessable by
    // a page written before it was made.
    if getrandom::fill(&mut bytes).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        bytes = t.to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The site's 404 page, showing the build's error, or `draft`'s problems when the address is a
/// draft left out for them.
fn not_found(state: &State, generation: u64, draft: Option<String>) -> Response<std::io::Cursor<Vec<u8>>> {
    let path = state.root.join("404.html");
    let error = draft.or_else(|| state.hub.error());
    match std::fs::read(&path) {
        Ok(bytes) => page(generation, &path, bytes, 404, error.as_deref()),
        Err(_) => text(404, "Not found"),
    }
}

/// Holds one SSE connection open on its own thread, writing each event as it comes and a
/// comment every 15 s so a closed tab is noticed.
fn stream_events(request: Request, state: &State) {
    let last_seen = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Last-Event-ID"))
        .and_then(|h| h.value.as_str().trim().parse().ok());
    let events = state.hub.subscribe(last_seen);
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Connection: keep-alive\r\nAccess-Control-Allow-Origin: *\r\n\r\nretry: 500\n\n";
    if writer.write_all(head.as_bytes()).and_then(|_| writer.flush()).is_err() {
        return;
    }
    loop {
        let chunk = match events.recv_timeout(Duration::from_secs(15)) {
            Ok(text) => text,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if writer.write_all(chunk.as_bytes()).and_then(|_| writer.flush()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("ru/news/x")).unwrap();
        std::fs::write(out.join("ru/news/x/index.html"), "x").unwrap();
        std::fs::write(out.join("style.css"), "css").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("link.txt")).unwrap();
        dir
    }

    #[test]
    fn files_folders_and_redirects() {
        let dir = site();
        let out = dir.path().join("out").canonicalize().unwrap();
        let real = out.clone();
        assert_eq!(resolve(&out, "/style.css?v=1"), Resolved::File(real.join("style.css")));
        assert_eq!(
            resolve(&out, "/ru/news/x/"),
            Resolved::File(real.join("ru/news/x/index.html"))
        );
        assert_eq!(resolve(&out, "/ru/news/x"), Resolved::Redirect("/ru/news/x/".into()));
        assert_eq!(
            resolve(&out, "/ru/news/x?a=1"),
            Resolved::Redirect("/ru/news/x/?a=1".into())
        );
        assert_eq!(
            resolve(&out, "/ru/news/%78/"),
            Resolved::File(real.join("ru/news/x/index.html"))
        );
        assert_eq!(resolve(&out, "/missing/"), Resolved::NotFound);
        assert_eq!(resolve(&out, "/ru/"), Resolved::NotFound, "a folder without index.html");
    }

    #[test]
    fn traversal_in_every_encoding_is_refused() {
        let dir = site();
        let out = dir.path().join("out").canonicalize().unwrap();
        for attack in [
            "/../secret.txt",
            "/ru/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/ru/%2e%2e%2f%2e%2e%2fsecret.txt",
            "/..%2fsecret.txt",
            "/..%5csecret.txt",
            "/%252e%252e/secret.txt",
            "//etc/passwd",
            "/link.txt",
            "/x%00.html",
            "secret.txt",
            "/C:/Windows/win.ini",
        ] {
            assert_eq!(resolve(&out, attack), Resolved::NotFound, "{attack}");
        }
    }
}
