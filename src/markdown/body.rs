//! What the site keeps of a rendered body: its HTML and plain text in memory while they fit
//! the build's budget for them, and past it in a [`Spill`] file, written as they are made and
//! read back when a page, a feed or the search index shows them.
//!
//! An archive's bodies are most of what a build would hold (about 6 KB of HTML and 2.5 KB of
//! plain text an article file, against half a kilobyte of card): all kept in memory they made
//! peak memory grow with the archive (`docs/scale.md`). Written aside they cost a write and a
//! read of the page cache, and memory holds 24 bytes a body; a site whose bodies fit the budget
//! (`BuildOptions::bodies_in_memory`, 256 MiB: some 30,000 articles) pays nothing. The spill is
//! an unnamed temporary file (`O_TMPFILE` in `$TMPDIR`): nothing is left behind however the
//! process ends.

use std::borrow::Cow;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use super::{Link, Rendered};
use crate::photos::Photo;

/// A body as the site keeps it: [`Rendered`] with its HTML held or spilled.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub html: Html,
    /// XXH3-128 of the HTML, made once: what page signatures count the body as.
    pub html_hash: u128,
    /// The HTML's plain text ([`super::plain_text::strip_tags`]) and whether it has a control
    /// character (which JSON escapes), when the HTML is spilled: made from it before it went,
    /// and spilled beside it. Read through [`Body::text_into`].
    text: Option<(Html, bool)>,
    /// Plain text of the first paragraph, cut at a word near `SUMMARY_CHARS`.
    pub summary: String,
    /// Links and images that point into the site, for `check` to follow.
    pub links: Vec<Link>,
    /// The article's photos: the front matter's (in its order), then those the body shows.
    pub photos: Vec<Arc<Photo>>,
}

impl Body {
    /// `rendered`, its HTML held in memory.
    pub fn held(rendered: Rendered) -> Body {
        Body {
            html: Html(Repr::Held(rendered.html)),
            html_hash: rendered.html_hash,
            text: None,
            summary: rendered.summary,
            links: rendered.links,
            photos: rendered.photos,
        }
    }

    /// The plain text of the HTML appended to `out` (a spilled body's read back, a held one's
    /// made from its HTML); whether it has a control character. Where it cannot be read back,
    /// the spill notes it ([`Html::read_or_note`]) and nothing is appended.
    pub fn text_into(&self, out: &mut String) -> bool {
        match &self.text {
            Some((text, control)) => {
                out.push_str(&text.read_or_note());
                *control
            }
            None => super::plain_text::strip_tags_into(&self.html.read_or_note(), out),
        }
    }
}

/// A body's HTML (or a spilled body's plain text): in memory, or in the spill file.
#[derive(Debug, Clone)]
pub struct Html(Repr);

#[derive(Debug, Clone)]
enum Repr {
    Held(String),
    Spilled { spill: Arc<Spill>, at: u64, len: usize },
}

impl Default for Html {
    fn default() -> Self {
        Html(Repr::Held(String::new()))
    }
}

impl Html {
    /// The text: held, or read back from the spill file.
    pub fn read(&self) -> io::Result<Cow<'_, str>> {
        match &self.0 {
            Repr::Held(s) => Ok(Cow::Borrowed(s)),
            Repr::Spilled { spill, at, len } => {
                let mut buf = vec![0; *len];
                spill.file()?.read_exact_at(&mut buf, *at)?;
                // Checked with SIMD and copied: std's check of Cyrillic text measured ~7 % of a
                // build's processor time when every body was read back so.
                simdutf8::basic::from_utf8(&buf)
                    .map(|text| Cow::Owned(text.to_owned()))
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
            }
        }
    }

    /// [`Html::read`] where no error can be given back: a failure is noted in the spill, which
    /// [`Spill::check`] then fails with, and the text is empty.
    pub fn read_or_note(&self) -> Cow<'_, str> {
        self.read().unwrap_or_else(|e| {
            if let Repr::Spilled { spill, .. } = &self.0 {
                let mut failed = spill.failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                failed.get_or_insert_with(|| e.to_string());
            }
            Cow::Borrowed("")
        })
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Held(s) => s.len(),
            Repr::Spilled { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The file the bodies of one site go to, appended to from any thread; made when the first
/// body goes there (a site whose bodies fit the budget never makes it).
pub struct Spill {
    file: std::sync::OnceLock<std::fs::File>,
    /// Where the next body goes: each takes its place before writing there.
    end: AtomicU64,
    /// Bytes of bodies held in memory, and how many may be.
    held: AtomicUsize,
    budget: usize,
    /// The first failure to read a body back where it could not be given back.
    failed: std::sync::Mutex<Option<String>>,
}

impl std::fmt::Debug for Spill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Spill")
    }
}

impl Spill {
    /// A spill for the bodies past the first `budget` bytes: an unnamed file in the temporary
    /// folder (`$TMPDIR`, else `/tmp`) once one goes there.
    pub fn new(budget: usize) -> Arc<Spill> {
        Arc::new(Spill {
            file: std::sync::OnceLock::new(),
            end: AtomicU64::new(0),
            held: AtomicUsize::new(0),
            budget,
            failed: std::sync::Mutex::new(None),
        })
    }

    /// The file, made on first use.
    fn file(&self) -> io::Result<&std::fs::File> {
        if let Some(file) = self.file.get() {
            return Ok(file);
        }
        let made = tempfile::tempfile().map_err(|e| {
            let said = format!(
                "could not make a temporary file in {} to keep article bodies aside",
                tmpdir()
            );
            with_advice(e, said, ", or --bodies-in-memory higher")
        })?;
        // Two threads may make one each: the first set is kept, the other closed unused.
        let _ = self.file.set(made);
        self.file
            .get()
            .ok_or_else(|| io::Error::other("the temporary file for article bodies was not kept"))
    }

    /// `rendered` kept: in memory while the budget lasts, else its HTML and its plain text
    /// written to the file (the rest as it is).
    pub fn keep(self: &Arc<Self>, rendered: Rendered) -> io::Result<Body> {
        let size = rendered.html.len();
        if self.held.fetch_add(size, Ordering::Relaxed) + size <= self.budget {
            return Ok(Body::held(rendered));
        }
        self.held.fetch_sub(size, Ordering::Relaxed);
        // Its plain text too, while the HTML is here to make it from.
        let mut text = String::with_capacity(size);
        let control = super::plain_text::strip_tags_into(&rendered.html, &mut text);
        let html = self.put(&rendered.html)?;
        let text = self.put(&text)?;
        let mut body = Body::held(Rendered {
            html: String::new(),
            ..rendered
        });
        body.html = html;
        body.text = Some((text, control));
        Ok(body)
    }

    /// `text` written to the file.
    fn put(self: &Arc<Self>, text: &str) -> io::Result<Html> {
        let len = text.len();
        let at = self.end.fetch_add(len as u64, Ordering::Relaxed);
        self.file()?.write_all_at(text.as_bytes(), at).map_err(|e| {
            let said = format!("could not write an article body to the temporary file in {}", tmpdir());
            with_advice(e, said, "")
        })?;
        Ok(Html(Repr::Spilled {
            spill: Arc::clone(self),
            at,
            len,
        }))
    }

    /// Whether every body read back through [`Html::read_or_note`] was read: what a render made
    /// from them is whole, and can be committed.
    pub fn check(&self) -> io::Result<()> {
        let failed = self.failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match &*failed {
            None => Ok(()),
            Some(e) => Err(io::Error::other(format!(
                "could not read an article's text back from the temporary file in {}: {e}",
                tmpdir()
            ))),
        }
    }

    /// How many bytes of bodies may be held in memory.
    pub fn budget(&self) -> usize {
        self.budget
    }

    /// Bytes written so far: what the bodies spilled (and replaced, under `serve`) take on disk.
    #[cfg(test)]
    fn bytes(&self) -> u64 {
        self.end.load(Ordering::Relaxed)
    }
}

/// The folder the spill file is made in.
fn tmpdir() -> String {
    std::env::temp_dir().display().to_string()
}

/// `e` after `said`, with what to do about it: "`said`: `e` (set TMPDIR to a folder with free
/// space`more`)".
fn with_advice(e: io::Error, said: String, more: &str) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("{said}: {e} (set TMPDIR to a folder with free space{more})"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(html: &str) -> Rendered {
        Rendered {
            html: html.to_string(),
            html_hash: xxhash_rust::xxh3::xxh3_128(html.as_bytes()),
            summary: "S".into(),
            ..Rendered::default()
        }
    }

    #[test]
    fn bodies_read_back_as_written_from_any_thread() {
        let spill = Spill::new(0);
        let texts: Vec<String> = (0..64).map(|i| format!("<p>Текст {i}</p>\n").repeat(i)).collect();
        let bodies: Vec<Body> = std::thread::scope(|s| {
            let handles: Vec<_> = texts
                .iter()
                .map(|t| {
                    let spill = &spill;
                    s.spawn(move || spill.keep(rendered(t)).unwrap())
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (t, b) in texts.iter().zip(&bodies) {
            assert_eq!(b.html.read().unwrap(), t.as_str());
            assert_eq!(b.html.len(), t.len());
            assert_eq!(b.html_hash, xxhash_rust::xxh3::xxh3_128(t.as_bytes()));
            assert_eq!(b.summary, "S");
        }
        let plain = |t: &str| t.replace("<p>", "").replace("</p>\n", " ").trim_end().len() as u64;
        assert_eq!(
            spill.bytes(),
            texts.iter().map(|t| t.len() as u64 + plain(t)).sum::<u64>()
        );
        let mut text = String::new();
        bodies[2].text_into(&mut text);
        assert_eq!(text, "Текст 2 Текст 2");
    }

    #[test]
    fn a_body_that_does_not_read_back_fails_the_check_before_anything_is_committed() {
        let spill = Spill::new(0);
        let body = spill.keep(rendered("<p>Текст</p>")).unwrap();
        assert!(spill.check().is_ok());
        // As if the file had lost its end: the read fails where it cannot be given back.
        let lost = Html(Repr::Spilled {
            spill: Arc::clone(&spill),
            at: spill.bytes(),
            len: 8,
        });
        assert!(lost.read().is_err());
        assert_eq!(lost.read_or_note(), "");
        let err = spill.check().unwrap_err().to_string();
        assert!(
            err.starts_with("could not read an article's text back from the temporary file in "),
            "{err}"
        );
        assert!(err.contains("failed to fill whole buffer"), "{err}");
        // What did read still reads.
        assert_eq!(body.html.read().unwrap(), "<p>Текст</p>");
        // Its plain text beside it, in the same file.
        let mut text = String::new();
        assert!(!body.text_into(&mut text));
        assert_eq!(text, "Текст");
        assert_eq!(spill.bytes(), ("<p>Текст</p>".len() + "Текст".len()) as u64);
    }

    #[test]
    fn bodies_are_held_while_the_budget_lasts_then_spilled() {
        let spill = Spill::new(20);
        // 18 bytes of HTML and, once spilled, 10 of plain text: one fits, the next does not.
        let first = spill.keep(rendered("<p>Текст</p>\n")).unwrap();
        let second = spill.keep(rendered("<p>Текст</p>\n")).unwrap();
        assert!(
            matches!(first.html.0, Repr::Held(_)) && first.text.is_none(),
            "{first:?}"
        );
        assert!(matches!(second.html.0, Repr::Spilled { .. }), "{second:?}");
        assert!(
            matches!(second.text, Some((Html(Repr::Spilled { .. }), false))),
            "{second:?}"
        );
        assert_eq!(spill.bytes(), 28);
        for b in [&first, &second] {
            assert_eq!(b.html.read().unwrap(), "<p>Текст</p>\n");
            let mut text = String::from("≫ ");
            b.text_into(&mut text);
            assert_eq!(text, "≫ Текст");
        }
    }

    #[test]
    fn a_held_body_reads_without_a_file() {
        let b = Body::held(rendered("<p>x</p>"));
        assert!(matches!(b.html.read().unwrap(), Cow::Borrowed("<p>x</p>")));
    }
}
