//! `publish`: the Publish button. It starts the same deploy as `twinpress deploy` (build,
//! check every link, a new release made live at once) on the server's [`Publisher`], one at a
//! time across the desk, `serve`'s automatic publishing and the command line (the target's
//! lock); the page follows it while it runs (it reloads itself each second, with or without
//! JavaScript), then says what went out — the release, the pages changed, the live site — or,
//! when the check refuses, what is broken, under the article it is on with a link to its
//! editor. Below, the target's releases: when, by whom, from which commit.
//!
//! [`Publisher`]: crate::deploy::job::Publisher

use std::collections::BTreeMap;

use anyhow::Result;
use serde_json::{json, Value as Json};

use super::{encode, facts, render};
use crate::config::Config;
use crate::deploy::job::{Job, Outcome};
use crate::deploy::{self, DeployOptions};
use crate::desk::articles::{id_of, DeskArticle};
use crate::desk::text::words;
use crate::desk::{Answer, Asked, Desk, PREFIX};

/// Releases the page lists, newest first.
const RELEASES_SHOWN: usize = 10;

pub(super) fn page(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let ui = asked.ui;
    let config = Config::load(&desk.root)?;
    let Some(settings) = &config.deploy else {
        let ctx = json!({"title": words(ui)["publish"], "no_target": true});
        return Ok(Answer::html(200, render(desk, "publish.html", asked, ctx)));
    };
    let job = desk.publisher.last();
    let running = job.as_ref().is_some_and(Job::running);
    let (releases, listing_error) = match deploy::list(&DeployOptions::new(&desk.root)) {
        Ok(listing) => (
            listing
                .releases
                .iter()
                .rev()
                .take(RELEASES_SHOWN)
                .map(|(release, record)| {
                    json!({
                        "name": release.name,
                        "live": listing.live.as_deref() == Some(release.name.as_str()),
                        "record": record,
                    })
                })
                .collect::<Vec<_>>(),
            None,
        ),
        Err(err) => (Vec::new(), Some(crate::diagnostics::error_text(&err))),
    };
    let ctx = json!({
        "title": words(ui)["publish"],
        "target": settings.target,
        "live_url": config.base_url,
        "job": job.as_ref().map(|j| job_view(desk, ui, j)),
        "running": running,
        "busy": asked.query.get("busy") == "1",
        "releases": releases,
        "listing_error": listing_error,
    });
    Ok(Answer::html(200, render(desk, "publish.html", asked, ctx)))
}

pub(super) fn post(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let ui = asked.ui;
    if Config::load(&desk.root)?.deploy.is_none() {
        // The page says whom to ask.
        return Ok(Answer::see_other(format!("{PREFIX}{ui}/publish")));
    }
    // The account, or in token mode the one person who started `serve`.
    let by = asked.by();
    let busy = match desk.publisher.start(&by, "the desk's Publish button") {
        Ok(_) => "",
        Err(_) => "?busy=1",
    };
    Ok(Answer::see_other(format!("{PREFIX}{ui}/publish{busy}")))
}

/// A job as the template shows it: its story, and what is broken grouped by article (titled
/// in `ui` where the article has it).
fn job_view(desk: &Desk, ui: &str, job: &Job) -> Json {
    let mut view = json!(job);
    let groups = match &job.outcome {
        Outcome::Refused { broken } => by_article(
            desk,
            ui,
            broken
                .iter()
                .map(|b| (Place::Page(&b.page), broken_text(ui, &b.page, &b.message))),
        ),
        Outcome::Failed { problems, .. } => by_article(
            desk,
            ui,
            problems.iter().map(|p| {
                let message = crate::desk::catalogue::translate(&p.message, ui).unwrap_or_else(|| p.message.clone());
                let at = match p.line {
                    Some(line) => format!("{}:{line}: {message}", p.file),
                    None => format!("{}: {message}", p.file),
                };
                (Place::File(&p.file), at)
            }),
        ),
        _ => Vec::new(),
    };
    view["groups"] = json!(groups);
    view
}

/// What is broken on `page`, in the desk's words where the crawl's message is the common one (a
/// link to a page that is not there), else in the crawl's own.
fn broken_text(ui: &str, page: &str, message: &str) -> String {
    let address = |p: &str| format!("/{}", p.strip_suffix("index.html").unwrap_or(p));
    let missing = message
        .strip_prefix("links to /")
        .and_then(|m| m.strip_suffix(", which does not exist"));
    match missing {
        Some(to) => words(ui)["publish_link_missing"]
            .replace("{page}", &address(page))
            .replace("{to}", &address(to)),
        None => {
            let said = crate::desk::catalogue::translate(message, ui).unwrap_or_else(|| message.to_string());
            format!("{}: {said}", address(page))
        }
    }
}

/// Where a problem is: a page of the build, or a file of the site.
enum Place<'a> {
    Page(&'a str),
    File(&'a str),
}

/// Problems grouped under the article each is on (its title and editor), the rest last.
fn by_article<'a>(desk: &Desk, ui: &str, problems: impl Iterator<Item = (Place<'a>, String)>) -> Vec<Json> {
    let articles = match facts(desk) {
        Ok(facts) => desk.scanner.scan(&desk.root, &facts.languages()),
        Err(_) => Default::default(),
    };
    // An article's page (`ru/news/<stem>/`) and files, to its place in `articles`.
    let mut pages: BTreeMap<String, usize> = BTreeMap::new();
    let mut files: BTreeMap<String, usize> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        for (lang, file) in &a.files {
            pages.insert(crate::urls::Urls::article(lang, &a.stem), i);
            files.insert(file.rel.display().to_string(), i);
        }
    }
    let mut groups: BTreeMap<Option<usize>, Vec<String>> = BTreeMap::new();
    for (place, text) in problems {
        let article = match place {
            Place::Page(page) => pages.get(page.strip_suffix("index.html").unwrap_or(page)).copied(),
            Place::File(file) => files.get(file).copied().or_else(|| {
                // A file the listing does not hold yet (a new article): by its id.
                let id = id_of(std::path::Path::new(file))?;
                articles.iter().position(|a| a.id == id)
            }),
        };
        groups.entry(article).or_default().push(text);
    }
    // Articles first (in the listing's order, newest first), then the rest.
    let mut out: Vec<Json> = groups
        .iter()
        .filter_map(|(i, lines)| {
            let a: &DeskArticle = articles.get((*i)?)?;
            let title = a
                .files
                .get(ui)
                .into_iter()
                .chain(a.files.values())
                .map(|f| f.title.as_str())
                .find(|t| !t.is_empty())
                .unwrap_or(&a.id);
            Some(json!({"title": title, "edit": format!("edit?id={}", encode(&a.id)), "lines": lines}))
        })
        .collect();
    if let Some(lines) = groups.get(&None) {
        out.push(json!({"title": null, "edit": null, "lines": lines}));
    }
    out
}
