//! Live reload over Server-Sent Events: every open page keeps an `EventSource` on
//! [`ENDPOINT`]. Each successful rebuild is a new *generation*; every served page says which
//! generation it shows, every event carries the generation (as the SSE `id:` too), and a stream
//! that connects — or reconnects with `Last-Event-ID` — is told the current one at once. A page
//! behind the current generation reloads, so no rebuild is missed, however a page and its
//! stream race a rebuild.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Mutex;

use serde::Serialize;

/// Where pages listen.
pub const ENDPOINT: &str = "/__twinpress/livereload";

/// What a page should do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Event {
    /// Reload; or go to `navigate` (the edited article) unless this page is one of `pages`.
    Reload {
        navigate: Option<String>,
        pages: Vec<String>,
    },
    /// Only stylesheets changed: swap them in place.
    Css,
    /// The last edit could not be built: show `message` over the page.
    Error { message: String },
    /// Sent when a stream connects: the current generation, and the standing error if any. A
    /// page showing an older generation reloads.
    Hello { error: Option<String> },
}

impl Event {
    /// The event as one SSE message of `generation`.
    pub fn to_sse(&self, generation: u64) -> String {
        let mut json = serde_json::to_value(self).unwrap_or_else(|_| serde_json::json!({"kind": "reload"}));
        json["generation"] = generation.into();
        format!("id: {generation}\ndata: {json}\n\n")
    }

    /// Whether the event is a new build (the others leave the pages as they are).
    fn is_build(&self) -> bool {
        matches!(self, Event::Reload { .. } | Event::Css)
    }
}

/// The open pages, the current generation, its event, and the last build error (pages opened
/// while it stands show it at once).
#[derive(Default)]
pub struct Hub {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    clients: Vec<Sender<String>>,
    generation: u64,
    /// The event that made the current generation.
    last: Option<Event>,
    error: Option<String>,
    /// Drafts left out for their problems: their addresses (`ru/news/x/`) and what to show there.
    drafts: std::collections::BTreeMap<String, String>,
}

impl Hub {
    /// A new listener: it gets, first, what tells its page where it stands — the event that
    /// made the current generation when `last_seen` (the SSE `Last-Event-ID`) is older, else a
    /// hello with the current generation — then every event sent after this call, as SSE text.
    pub fn subscribe(&self, last_seen: Option<u64>) -> Receiver<String> {
        let (tx, rx) = channel();
        let mut state = lock(&self.state);
        let first = match (&state.last, last_seen) {
            (Some(last), Some(seen)) if seen < state.generation && state.error.is_none() => last.clone(),
            _ => Event::Hello {
                error: state.error.clone(),
            },
        };
        let _ = tx.send(first.to_sse(state.generation));
        state.clients.push(tx);
        rx
    }

    /// Sends `event` to every listener; listeners whose page has gone are dropped. A build
    /// (reload or stylesheets) starts a new generation.
    pub fn send(&self, event: &Event) {
        let mut state = lock(&self.state);
        state.error = match event {
            Event::Error { message } => Some(message.clone()),
            _ => None,
        };
        if event.is_build() {
            state.generation += 1;
            state.last = Some(event.clone());
        }
        let text = event.to_sse(state.generation);
        state.clients.retain(|tx| tx.send(text.clone()).is_ok());
    }

    /// The generation pages served now show.
    pub fn generation(&self) -> u64 {
        lock(&self.state).generation
    }

    pub fn error(&self) -> Option<String> {
        lock(&self.state).error.clone()
    }

    /// Sets the drafts left out for their problems, by site path; returns whether that changed.
    pub fn set_drafts(&self, drafts: std::collections::BTreeMap<String, String>) -> bool {
        let mut state = lock(&self.state);
        let changed = state.drafts != drafts;
        state.drafts = drafts;
        changed
    }

    /// The problems of the draft left out at the site path `path` (`ru/news/x/`), if it is one.
    pub fn draft_error(&self, path: &str) -> Option<String> {
        lock(&self.state).drafts.get(path).cloned()
    }

    pub fn listeners(&self) -> usize {
        lock(&self.state).clients.len()
    }
}

/// A poisoned lock only means another thread panicked mid-send; the data is still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The script the server adds to every HTML page it serves (never to the built files).
pub const SCRIPT: &str = r#"<script nonce="@NONCE@">
(function () {
  var id = "__twinpress_error";
  function show(message) {
    var o = document.getElementById(id);
    if (!o) {
      o = document.createElement("div");
      o.id = id;
      o.setAttribute("role", "alert");
      o.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(24,24,27,.94);color:#fafafa;" +
        "padding:2rem;overflow:auto;font:15px/1.55 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(o);
    }
    o.textContent = "twinpress could not build your last change:\n\n" + message +
      "\n\nFix the file and save it: this page updates by itself.";
  }
  function clear() { var o = document.getElementById(id); if (o) o.remove(); }
  // A reload keeps the reader's place: the scroll is kept for this path (by the reload below,
  // or by the desk when it saves the page its preview shows) and restored by every load of the
  // path in the next 10 s (a save may load the page before its rebuild and again after it).
  // The place is kept again when the page goes (a reader who scrolls while the new page is on
  // its way is put where they were last, not where they were when the reload began), and until
  // the load has restored it, the place is the one being restored, not where the half-laid-out
  // page happens to be.
  var place = "twinpress-scroll:" + location.pathname;
  var restoring = null;
  var leaving = false;
  function here() { return restoring !== null ? restoring : window.scrollY; }
  function keep() { try { sessionStorage.setItem(place, JSON.stringify({ y: here(), t: Date.now() })); } catch (e) {} }
  window.__twinpressLeaving = function () { leaving = true; keep(); };
  window.addEventListener("pagehide", function () { if (leaving) keep(); });
  function reload() { window.__twinpressLeaving(); location.reload(); }
  try {
    var kept = JSON.parse(sessionStorage.getItem(place) || "null");
    if (kept && Date.now() - kept.t < 10000) {
      restoring = kept.y;
      window.scrollTo(0, kept.y);
      window.addEventListener("load", function () { window.scrollTo(0, kept.y); restoring = null; });
    }
  } catch (e) {}
  if (window.__twinpressError) show(window.__twinpressError);
  var shown = window.__twinpressGeneration || 0;
  var source = new EventSource("/__twinpress/livereload");
  source.onmessage = function (e) {
    var m = JSON.parse(e.data);
    if (m.kind === "error") { show(m.message); return; }
    if (m.kind === "hello") {
      if (m.error) show(m.error); else clear();
      if (m.generation > shown) { reload(); }
      return;
    }
    if (m.generation <= shown) return;
    clear();
    if (m.kind === "css") {
      shown = m.generation;
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
        var u = new URL(l.href); u.searchParams.set("twinpress", Date.now()); l.href = u.toString();
      });
      return;
    }
    if (m.navigate && m.pages.indexOf(location.pathname) < 0) { location.href = m.navigate; }
    else { reload(); }
  };
})();
</script>"#;

/// `html` with the live-reload script, the generation it shows and the standing error, if any,
/// before `</body>`.
pub fn inject(html: &[u8], generation: u64, error: Option<&str>, nonce: &str) -> Vec<u8> {
    let mut script = format!("<script nonce=\"{nonce}\">window.__twinpressGeneration = {generation};</script>\n");
    if let Some(message) = error {
        let json = serde_json::to_string(message).unwrap_or_default().replace("</", "<\\/");
        script.push_str(&format!(
            "<script nonce=\"{nonce}\">window.__twinpressError = {json};</script>\n"
        ));
    }
    script.push_str(&SCRIPT.replace("@NONCE@", nonce));
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listener_gets_each_event_and_gone_ones_are_dropped() {
        let hub = Hub::default();
        let a = hub.subscribe(None);
        let b = hub.subscribe(None);
        drop(b);
        assert_eq!(
            a.recv().unwrap(),
            "id: 0\ndata: {\"error\":null,\"generation\":0,\"kind\":\"hello\"}\n\n"
        );
        hub.send(&Event::Css);
        assert_eq!(
            a.recv().unwrap(),
            "id: 1\ndata: {\"generation\":1,\"kind\":\"css\"}\n\n"
        );
        assert_eq!(hub.listeners(), 1);
    }

    #[test]
    fn a_stream_that_connects_late_learns_the_generation_and_a_reconnect_gets_what_it_missed() {
        let hub = Hub::default();
        let reload = Event::Reload {
            navigate: Some("/ru/news/x/".into()),
            pages: vec![],
        };
        hub.send(&reload);
        hub.send(&reload);
        assert_eq!(hub.generation(), 2);
        let late = hub.subscribe(None);
        let hello = late.recv().unwrap();
        assert!(
            hello.starts_with("id: 2\n") && hello.contains("\"kind\":\"hello\""),
            "{hello}"
        );
        let back = hub.subscribe(Some(1));
        let missed = back.recv().unwrap();
        assert!(
            missed.contains("\"kind\":\"reload\"") && missed.contains("/ru/news/x/"),
            "{missed}"
        );
        let current = hub.subscribe(Some(2));
        assert!(current.recv().unwrap().contains("hello"));
        hub.send(&Event::Error { message: "bad".into() });
        assert_eq!(hub.generation(), 2, "an error is no new build");
        let during_error = hub.subscribe(Some(1));
        assert!(during_error.recv().unwrap().contains("\"error\":\"bad\""));
    }

    #[test]
    fn the_last_error_stands_until_a_good_build() {
        let hub = Hub::default();
        hub.send(&Event::Error {
            message: "x.md:3: bad".into(),
        });
        assert_eq!(hub.error().as_deref(), Some("x.md:3: bad"));
        hub.send(&Event::Reload {
            navigate: None,
            pages: vec![],
        });
        assert_eq!(hub.error(), None);
    }

    #[test]
    fn reload_events_carry_where_to_go() {
        let e = Event::Reload {
            navigate: Some("/ru/news/x/".into()),
            pages: vec!["/ru/".into()],
        };
        assert_eq!(
            e.to_sse(7),
            "id: 7\ndata: {\"generation\":7,\"kind\":\"reload\",\"navigate\":\"/ru/news/x/\",\"pages\":[\"/ru/\"]}\n\n"
        );
    }

    #[test]
    fn the_script_goes_before_the_body_ends_and_errors_cannot_close_it() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>",
            3,
            Some("</script><b>"),
            "n0",
        ))
        .unwrap();
        assert!(out.starts_with(
            "<html><body><p>x</p><script nonce=\"n0\">window.__twinpressGeneration = 3;</script>\n<script nonce=\"n0\">window.__twinpressError = \"<\\/script><b>\";</script>"
        ));
        assert!(out.ends_with("</script></body></html>"));
        let out = inject(b"no body", 0, None, "n0");
        assert!(out.starts_with(b"no body<script nonce=\"n0\">"));
        assert_eq!(
            String::from_utf8(out).unwrap().matches("nonce=\"n0\"").count(),
            2,
            "every script the preview adds carries the nonce"
        );
    }
}
