//! `twinpress serve`: builds the site into a private folder, serves it with live reload, and
//! rebuilds what each edit touches. A bad edit never stops the server: the error goes to the
//! terminal and over the page in the browser, and the next good build clears it.

pub mod clock;
pub mod http;
pub mod livereload;
pub mod rebuild;
pub mod watch;

use std::path::PathBuf;
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::sync::Arc;

use anyhow::{anyhow, Context, Result};

use crate::deploy::job::Publisher;
use crate::diagnostics::error_text;
use crate::BuildOptions;
use livereload::{Event, Hub};
use rebuild::{Changes, LiveSite, Rebuild};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    pub desk: DeskMode,
}

/// Whether `serve` serves the editors' desk at `/_desk/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeskMode {
    /// On when the server listens on a loopback address only.
    #[default]
    Loopback,
    On,
    Off,
}

/// What the terminal loop receives.
enum Message {
    Changes(Changes),
    /// The desk's write: told once the preview has been rebuilt for it.
    Written(Changes, std::sync::mpsc::Sender<()>),
    Stop,
}

/// How long a desk's answer waits for the preview's rebuild of its write: past it (a site in
/// error is built whole again, a minute at 200,000 articles), the preview follows by its live
/// reload, as it does for an edit in another editor.
const DESK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Serves until Ctrl-C.
pub fn run(opts: &ServeOptions) -> Result<()> {
    let (server, base_url) = listen(opts)?;
    let (folder, left) = preview_folder()?;
    // Canonical once, so requests need not resolve the root again ("site" is no link).
    let output = folder
        .path()
        .canonicalize()
        .context("Cannot find the preview folder")?
        .join("site");
    let mut build = BuildOptions {
        base_url: Some(base_url.clone()),
        drafts: opts.drafts,
        // The preview shows scheduled articles, marked; its clock moves when one is due.
        future: true,
        now: Some(crate::build_time()?),
        versioned_assets: false,
        ..BuildOptions::new(&opts.root)
    };
    // With accounts, the desk is where they sign in, on any address, and the preview is theirs.
    let team = crate::desk::accounts::Users::load(&opts.root)?.team();
    let desk_on = match opts.desk {
        DeskMode::On => true,
        DeskMode::Off => false,
        DeskMode::Loopback => team || crate::desk::guard::is_loopback(&opts.bind),
    };
    if team && !desk_on {
        anyhow::bail!(
            "{} has accounts: the preview is for signed-in accounts, who sign in at the desk. Serve without --no-desk (or remove the accounts: twinpress user remove NAME)",
            crate::desk::accounts::USERS_FILE
        );
    }
    // The desk's Publish button and `[deploy] auto` share it: one deploy at a time.
    let publisher = Arc::new(Publisher::new(opts.root.clone()).on_end(|job| println!("{}", job.said())));
    let desk = if desk_on {
        let port = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(opts.port);
        let guard = crate::desk::Guard::new(&opts.bind, port).context("Cannot make the desk's token")?;
        Some(crate::desk::Desk::new(
            opts.root.clone(),
            guard,
            base_url.clone(),
            Arc::clone(&publisher),
        )?)
    } else {
        None
    };
    let desk_url = desk.as_ref().map(crate::desk::Desk::url);
    let state = Arc::new(http::State {
        root: output.clone(),
        hub: Hub::default(),
        desk,
    });
    // Watching starts before the first build: an edit made while it reads the site (a minute
    // at 200,000 articles) is rebuilt after it, not missed until the file changes again.
    let (tx, rx) = channel::<Message>();
    let (changes_tx, changes_rx) = channel::<Changes>();
    let _watcher = watch::watch(&opts.root, changes_tx)?;
    let mut live = match LiveSite::load(&build, &output) {
        Ok(site) => {
            show_drafts(&site, &state.hub, &[]);
            Some(site)
        }
        Err(err) => {
            let message = error_text(&err);
            eprintln!("{message}");
            state.hub.send(&Event::Error { message });
            std::fs::create_dir_all(&output).ok();
            None
        }
    };

    let server = Arc::new(server);
    let workers = http::spawn_workers(Arc::clone(&server), Arc::clone(&state), 8);
    if let Some(desk) = &state.desk {
        desk.scanner.watched();
        // The desk's list read ahead, now that the preview is built and being watched (a
        // change from here on is told to the listing).
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            if let Some(desk) = &state.desk {
                desk.read_ahead();
            }
        });
        let tx = tx.clone();
        let root = opts.root.clone();
        let _ = desk.rebuild.set(Box::new(move |paths: &[PathBuf]| {
            let full: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
            let changes = watch::classify(&root, full.iter().map(|p| (p.as_path(), watch::Seen::File)));
            if changes.is_empty() {
                return;
            }
            let (done, rebuilt) = channel();
            if tx.send(Message::Written(changes, done)).is_ok() {
                let _ = rebuilt.recv_timeout(DESK_WAIT);
            }
        }));
    }
    {
        let tx = tx.clone();
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            for changes in changes_rx {
                // The desk's list looks at the files the watcher names, not at every file.
                if let Some(desk) = &state.desk {
                    let walk = changes.rescan || changes.lost || changes.config;
                    desk.scanner
                        .changed(changes.articles.iter().map(PathBuf::as_path), walk);
                }
                if tx.send(Message::Changes(changes)).is_err() {
                    break;
                }
            }
        });
    }
    {
        let tx = tx.clone();
        ctrlc::set_handler(move || {
            let _ = tx.send(Message::Stop);
        })
        .context("Cannot handle Ctrl-C")?;
    }

    println!("Serving {} at {base_url} (Ctrl-C to stop)", opts.root.display());
    match desk_url {
        Some(url) => println!("The desk for editors: {url}"),
        None if opts.desk == DeskMode::Loopback => {
            println!("No desk: the server is not on a loopback address (--desk serves it anyway)")
        }
        None => println!("No desk (--no-desk)"),
    }
    if !left.is_empty() {
        println!(
            "Removing {} preview folder(s) that serve processes stopped without cleaning up left in {}",
            left.len(),
            std::env::temp_dir().display()
        );
        // Each may hold a whole site: taken away while this one serves.
        std::thread::spawn(move || {
            for dir in left {
                let _ = std::fs::remove_dir_all(dir);
            }
        });
    }
    rebuild_until_stopped(&rx, &mut live, &mut build, &output, &state, &publisher);
    if publisher.last().is_some_and(|job| job.running()) {
        println!("Waiting for the deploy at work to end…");
        publisher.wait();
    }
    println!("Stopped.");
    for _ in &workers {
        server.unblock();
    }
    // The process ends now: the site's memory (gigabytes at 200,000 articles) is left for the
    // system to take back, not freed piece by piece while the editor waits.
    std::mem::forget(live);
    remove_in_parallel(folder.path());
    drop(folder);
    Ok(())
}

/// Removes what `dir` holds on every core, a folder two levels down (`site/ru/news`) at a time:
/// a preview of 200,000 articles is 583,000 files.
fn remove_in_parallel(dir: &std::path::Path) {
    use rayon::prelude::*;
    let below = |d: &std::path::Path| -> Vec<PathBuf> {
        std::fs::read_dir(d)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect()
    };
    let folders: Vec<PathBuf> = below(dir)
        .iter()
        .flat_map(|d| below(d))
        .flat_map(|d| below(&d))
        .collect();
    folders.par_iter().for_each(|f| {
        let _ = std::fs::remove_dir_all(f);
    });
}

/// What a preview folder's name begins with, in the system's temporary folder: then this
/// process's id and `-`.
const PREVIEW_PREFIX: &str = "twinpress-serve-";

/// A new preview folder, named with this process's id, and the preview folders of processes
/// that are gone (killed, or the machine stopped, before they removed theirs), to remove.
fn preview_folder() -> Result<(tempfile::TempDir, Vec<PathBuf>)> {
    let temp = std::env::temp_dir();
    let left = std::fs::read_dir(&temp)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let rest = name.to_str().and_then(|n| n.strip_prefix(PREVIEW_PREFIX));
            // A name with no id (made before names had one) is left alone.
            rest.and_then(|rest| crate::write::left_by(rest, '-')) == Some(false)
        })
        .map(|entry| entry.path())
        .collect();
    let folder = tempfile::Builder::new()
        .prefix(&format!("{PREVIEW_PREFIX}{}-", std::process::id()))
        .tempdir_in(&temp)
        .with_context(|| {
            format!(
                "Cannot create a preview folder in {} (set TMPDIR to a folder with free space)",
                temp.display()
            )
        })?;
    Ok((folder, left))
}

fn merge(into: &mut Changes, more: Changes) {
    into.config |= more.config;
    into.templates |= more.templates;
    into.cities |= more.cities;
    into.pages |= more.pages;
    into.rescan |= more.rescan;
    into.lost |= more.lost;
    into.articles.extend(more.articles);
    into.static_files.extend(more.static_files);
    into.photos.extend(more.photos);
}

/// "content/news/x.ru.md → 40 of 212 pages viewed, 12 rendered, 9 files written, 0 removed in 31 ms"
fn describe(changes: &Changes, r: &Rebuild, pages: usize) -> String {
    let n = |count: usize, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
    let viewed = if r.full {
        "all pages viewed".to_string()
    } else {
        format!("{} of {pages} viewed", n(r.viewed, "page", "pages"))
    };
    format!(
        "{} → {viewed}, {} rendered, {} written, {} removed in {} ms",
        changes.describe(),
        r.rendered,
        n(r.written, "file", "files"),
        r.removed,
        r.took.as_millis()
    )
}

/// The HTTP server on `opts.bind:opts.port`, and the base URL pages are served under.
fn listen(opts: &ServeOptions) -> Result<(tiny_http::Server, String)> {
    let addr = format!("{}:{}", opts.bind, opts.port);
    let listener = std::net::TcpListener::bind(&addr).map_err(|e| {
        anyhow!(
            "Cannot listen on {addr}: {e} (is another server using the port? try --port {})",
            opts.port + 1
        )
    })?;
    // Answers go out at once: tiny_http writes headers and body separately, and with Nagle's
    // algorithm the end of a page would wait for the browser's delayed ACK (~40 ms). Accepted
    // sockets inherit the option from the listener.
    rustix::net::sockopt::set_tcp_nodelay(&listener, true).context("Cannot set TCP_NODELAY")?;
    let server =
        tiny_http::Server::from_listener(listener, None).map_err(|e| anyhow!("Cannot serve on {addr}: {e}"))?;
    let port = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(opts.port);
    let host = if opts.bind == "0.0.0.0" || opts.bind == "::" {
        "127.0.0.1"
    } else {
        opts.bind.as_str()
    };
    let base_url = format!("http://{host}:{port}/");

    Ok((server, base_url))
}

/// Applies `changes` to the site in memory, or loads the site when there is none (its first
/// build failed). A panic — a bug — becomes an error the browsers show, and the next change
/// loads the whole site again, since the one in memory may be half updated.
fn apply(
    live: &mut Option<LiveSite>,
    changes: &Changes,
    build: &BuildOptions,
    output: &std::path::Path,
) -> Result<Rebuild> {
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match live.as_mut() {
        Some(site) => site.apply(changes),
        None => LiveSite::load(build, output).map(|site| {
            *live = Some(site);
            Rebuild {
                full: true,
                ..Rebuild::default()
            }
        }),
    }));
    attempt.unwrap_or_else(|panic| {
        *live = None;
        let what = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("no message");
        Err(anyhow!(
            "twinpress failed inside while rebuilding — a bug; please report it with this message: {what}\n\
             The next save rebuilds the whole site."
        ))
    })
}

/// Prints the problems of drafts left out that were not printed before (`before`), and tells
/// the hub each one's address, where the preview shows them; whether the hub's list changed.
fn show_drafts(site: &LiveSite, hub: &Hub, before: &[crate::diagnostics::Problem]) -> bool {
    let warnings = site.warnings();
    let mut by_page: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for w in &warnings {
        if !before.contains(w) {
            eprintln!("warning: {w}");
        }
        let Some((stem, lang)) = w
            .file
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(crate::content::article::split_file_name)
        else {
            continue;
        };
        let text = by_page.entry(crate::urls::Urls::article(lang, stem)).or_default();
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&format!("error: {w}"));
    }
    hub.set_drafts(by_page)
}

/// Rebuilds after each batch of changes and tells the browsers, and moves the preview's clock
/// when a scheduled article is due, until Ctrl-C.
fn rebuild_until_stopped(
    rx: &std::sync::mpsc::Receiver<Message>,
    live: &mut Option<LiveSite>,
    build: &mut BuildOptions,
    output: &std::path::Path,
    state: &http::State,
    publisher: &Publisher,
) {
    loop {
        let now = crate::build_time().unwrap_or(0);
        if clock::due(live.as_ref(), now) {
            clock_moved(live, build, now, output, state, publisher);
            continue;
        }
        // The desk's writes in this rebuild, told when it is done.
        let mut waiting = Vec::new();
        let mut changes = match rx.recv_timeout(clock::wait(live.as_ref(), now)) {
            Ok(Message::Changes(c)) => c,
            Ok(Message::Written(c, done)) => {
                waiting.push(done);
                c
            }
            Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => continue,
        };
        // Edits that arrived while the last rebuild ran join this one.
        let mut stop = false;
        while let Ok(message) = rx.try_recv() {
            match message {
                Message::Changes(more) => merge(&mut changes, more),
                Message::Written(more, done) => {
                    merge(&mut changes, more);
                    waiting.push(done);
                }
                Message::Stop => stop = true,
            }
        }
        if stop {
            break;
        }
        let before = live.as_ref().map(LiveSite::warnings).unwrap_or_default();
        // Told when this turn ends, whichever way: the preview has what there is to show.
        let _told = Told(waiting);
        match apply(live, &changes, build, output) {
            Ok(rebuild) => {
                let pages = live.as_ref().map_or(0, LiveSite::page_count);
                println!("{}", describe(&changes, &rebuild, pages));
                let drafts_changed = live.as_ref().is_some_and(|site| show_drafts(site, &state.hub, &before));
                // A rebuild that changed no file (a save that wrote the same bytes, or the second
                // event of one save) leaves every page as it is: no reload, no new generation —
                // unless the pages show an error it has cleared.
                // A draft's problems shown or mended change what its address shows.
                let unchanged = !rebuild.full && rebuild.written == 0 && rebuild.removed == 0 && !drafts_changed;
                if unchanged && state.hub.error().is_none() {
                    continue;
                }
                let event = if rebuild.css_only {
                    Event::Css
                } else {
                    Event::Reload {
                        navigate: rebuild.navigate.clone(),
                        pages: rebuild.pages.clone(),
                    }
                };
                state.hub.send(&event);
            }
            Err(err) => {
                let message = error_text(&err);
                eprintln!("{}: the change could not be built:\n{message}", changes.describe());
                state.hub.send(&Event::Error { message });
            }
        }
    }
}

/// The desk's writes a rebuild took in, told as it ends (or is given up).
struct Told(Vec<std::sync::mpsc::Sender<()>>);

impl Drop for Told {
    fn drop(&mut self) {
        for done in &self.0 {
            let _ = done.send(());
        }
    }
}

/// A scheduled article is due at `now`: the preview is built whole at the new time, the
/// browsers reload, and with `[deploy] auto` the site is published.
fn clock_moved(
    live: &mut Option<LiveSite>,
    build: &mut BuildOptions,
    now: i64,
    output: &std::path::Path,
    state: &http::State,
    publisher: &Publisher,
) {
    build.now = Some(now);
    let started = std::time::Instant::now();
    match LiveSite::load(build, output) {
        Ok(site) => {
            *live = Some(site);
            println!(
                "A scheduled article's time came: the preview is built again at the new time in {} ms",
                started.elapsed().as_millis()
            );
            state.hub.send(&Event::Reload {
                navigate: None,
                pages: Vec::new(),
            });
        }
        Err(err) => {
            // The last good preview stays; the next edit loads the site again.
            *live = None;
            let message = error_text(&err);
            eprintln!("A scheduled article's time came, but the site does not build:\n{message}");
            state.hub.send(&Event::Error { message });
            return;
        }
    }
    let auto = crate::config::Config::load(&build.root)
        .ok()
        .and_then(|c| c.deploy)
        .is_some_and(|d| d.auto);
    if auto {
        match publisher.start_or_queue(&crate::deploy::who(), "a scheduled article's time came") {
            Ok(_) => println!("Publishing ([deploy] auto)…"),
            Err(busy) => println!("A deploy (#{}) is at work: this one follows it", busy.0),
        }
    }
}
