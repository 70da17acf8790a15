//! Live reload over Server-Sent Events: every open page keeps an `EventSource` on
//! [`ENDPOINT`]; after each rebuild the hub sends one event to all of them.

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
}

impl Event {
    /// The event as one SSE message.
    pub fn to_sse(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_else(|_| "{\"kind\":\"reload\"}".to_string());
        format!("data: {json}\n\n")
    }
}

/// The open pages, and the last build error (pages opened while it stands show it at once).
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Sender<String>>>,
    error: Mutex<Option<String>>,
}

impl Hub {
    /// A new listener: it receives every event sent after this call, as SSE text.
    pub fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = channel();
        lock(&self.clients).push(tx);
        rx
    }

    /// Sends `event` to every listener; listeners whose page has gone are dropped.
    pub fn send(&self, event: &Event) {
        *lock(&self.error) = match event {
            Event::Error { message } => Some(message.clone()),
            _ => None,
        };
        let text = event.to_sse();
        lock(&self.clients).retain(|tx| tx.send(text.clone()).is_ok());
    }

    pub fn error(&self) -> Option<String> {
        lock(&self.error).clone()
    }

    pub fn listeners(&self) -> usize {
        lock(&self.clients).len()
    }
}

/// A poisoned lock only means another thread panicked mid-send; the data is still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The script the server adds to every HTML page it serves (never to the built files).
pub const SCRIPT: &str = r#"<script>
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
  if (window.__twinpressError) show(window.__twinpressError);
  var source = new EventSource("/__twinpress/livereload");
  source.onmessage = function (e) {
    var m = JSON.parse(e.data);
    if (m.kind === "error") { show(m.message); return; }
    clear();
    if (m.kind === "css") {
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
        var u = new URL(l.href); u.searchParams.set("twinpress", Date.now()); l.href = u.toString();
      });
      return;
    }
    if (m.navigate && m.pages.indexOf(location.pathname) < 0) { location.href = m.navigate; }
    else { location.reload(); }
  };
})();
</script>"#;

/// `html` with the live-reload script (and the standing error, if any) before `</body>`.
pub fn inject(html: &[u8], error: Option<&str>) -> Vec<u8> {
    let mut script = String::new();
    if let Some(message) = error {
        let json = serde_json::to_string(message).unwrap_or_default().replace("</", "<\\/");
        script.push_str(&format!("<script>window.__twinpressError = {json};</script>\n"));
    }
    script.push_str(SCRIPT);
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
        let a = hub.subscribe();
        let b = hub.subscribe();
        drop(b);
        hub.send(&Event::Css);
        assert_eq!(a.recv().unwrap(), "data: {\"kind\":\"css\"}\n\n");
        assert_eq!(hub.listeners(), 1);
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
            e.to_sse(),
            "data: {\"kind\":\"reload\",\"navigate\":\"/ru/news/x/\",\"pages\":[\"/ru/\"]}\n\n"
        );
    }

    #[test]
    fn the_script_goes_before_the_body_ends_and_errors_cannot_close_it() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", Some("</script><b>"))).unwrap();
        assert!(out.starts_with("<html><body><p>x</p><script>window.__twinpressError = \"<\\/script><b>\";</script>"));
        assert!(out.ends_with("</script></body></html>"));
        let out = inject(b"no body", None);
        assert!(out.starts_with(b"no body<script>"));
    }
}
