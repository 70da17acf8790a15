//! The desk's pages, one file each: the list, the editor (both languages side by side) and
//! what its forms post (save, move, translate, photo), new, import, delete, and the pages that
//! are not news (their list and editor), and publish. `ROUTES` says
//! which answers what. Every page takes the site's facts from [`crate::content::KeptFacts`] and
//! the articles from the desk's [`Scanner`](super::articles::Scanner), which read them with the
//! build's own code, and answers with a page rendered on the server.

mod delete;
mod edit;
mod editing;
mod history;
mod import;
mod list;
pub(super) mod login;
mod merge;
mod move_to;
mod new;
mod photo;
mod presence;
mod publish;
mod review;
mod save;
mod site_pages;
mod translate;
mod users;

use anyhow::Result;
use serde_json::{json, Value as Json};
use tiny_http::Method;

use super::accounts::Role;
use super::articles::DeskArticle;
use super::guard::Refusal;
use super::text::{words, UI_LANGUAGES};
use super::{Answer, Asked, Desk, PREFIX};
use crate::content::Facts;

/// A page: what it answers a request with.
type Page = fn(&Desk, &Asked) -> Result<Answer>;

/// Which page answers a path below the desk's language (`/_desk/kk/edit` → `edit`), by method,
/// and the least role that may ask it. Pages that change an article check more themselves (an
/// author changes only what is not published: [`may_change`]).
const ROUTES: &[(&str, Verb, Page, Role)] = &[
    ("", Verb::Get, list::page, Role::Author),
    ("edit", Verb::Get, edit::page, Role::Author),
    ("here", Verb::Post, presence::here, Role::Author),
    ("edit", Verb::Post, save::post, Role::Author),
    ("merge", Verb::Post, merge::post, Role::Author),
    ("translate", Verb::Post, translate::post, Role::Author),
    ("move", Verb::Post, move_to::post, Role::Author),
    ("photo", Verb::Post, photo::post, Role::Author),
    ("new", Verb::Get, new::page, Role::Author),
    ("new", Verb::Post, new::post, Role::Author),
    ("import", Verb::Get, import::page, Role::Author),
    ("import", Verb::Post, import::post, Role::Author),
    ("review", Verb::Post, review::post, Role::Author),
    ("history", Verb::Get, history::page, Role::Author),
    ("restore", Verb::Post, history::restore, Role::Author),
    ("delete", Verb::Get, delete::page, Role::Editor),
    ("delete", Verb::Post, delete::post, Role::Editor),
    ("site-pages", Verb::Get, site_pages::list, Role::Author),
    ("site-pages", Verb::Post, site_pages::create, Role::Editor),
    ("site-page", Verb::Get, site_pages::edit, Role::Author),
    ("site-page", Verb::Post, site_pages::save, Role::Editor),
    ("publish", Verb::Get, publish::page, Role::Author),
    ("publish", Verb::Post, publish::post, Role::Editor),
    ("users", Verb::Get, users::page, Role::Admin),
    ("users", Verb::Post, users::post, Role::Admin),
];

/// Whether the one asking may change `article`: an editor anything, an author only what is
/// not published (a published article changes through an editor).
fn may_change(asked: &Asked, article: &DeskArticle) -> bool {
    asked.role().reviews() || article.files.values().all(|f| f.draft)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verb {
    Get,
    Post,
}

/// Sends a request to its page; a path without the desk's language goes to the first's list.
pub fn route(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (lang, rest) = asked.path.split_once('/').unwrap_or((asked.path.as_str(), ""));
    if !UI_LANGUAGES.contains(&lang) {
        return Ok(Answer::see_other(format!("{PREFIX}{}/", UI_LANGUAGES[0])));
    }
    let verb = if asked.method == Method::Post {
        Verb::Post
    } else {
        Verb::Get
    };
    match ROUTES.iter().find(|(path, v, _, _)| *path == rest && *v == verb) {
        Some((_, _, _, least)) if asked.role() < *least => Ok(denied(desk, asked.ui, Refusal::Role)),
        Some((_, _, page, _)) => page(desk, asked),
        None => Ok(not_found(desk, asked.ui, &asked.path)),
    }
}

/// A 404 page: nothing of the desk is called `what`.
fn not_found(desk: &Desk, ui: &str, what: &str) -> Answer {
    message(desk, ui, 404, format!("{}: `{what}`", words(ui)["not_found"]))
}

/// A page that says `message` with `status`.
fn message(desk: &Desk, ui: &str, status: u16, message: String) -> Answer {
    Answer::html(
        status,
        render_in(desk, "denied.html", ui, json!({ "message": message })),
    )
}

/// Renders `template` for `asked` (the desk's language, the account signed in) with the desk's
/// links beside `ctx`.
fn render(desk: &Desk, template: &str, asked: &Asked, mut ctx: Json) -> String {
    if let Json::Object(map) = &mut ctx {
        // What the one asking may do shows only what they can use (the server refuses the rest).
        map.insert("reviewer".into(), json!(asked.role().reviews()));
        // The accounts' page is an admin's, in team mode (token mode has no accounts to manage).
        map.insert(
            "admin".into(),
            json!(asked.account.as_ref().is_some_and(|a| a.role == Role::Admin)),
        );
    }
    if let (Json::Object(map), Some(account)) = (&mut ctx, &asked.account) {
        let t = words(asked.ui);
        map.insert(
            "account".into(),
            json!({"name": account.name, "role": t[format!("role_{}", account.role.as_str()).as_str()]}),
        );
    }
    render_in(desk, template, asked.ui, ctx)
}

/// Renders `template` with the words of `ui` and the desk's links beside `ctx`.
fn render_in(desk: &Desk, template: &str, ui: &str, mut ctx: Json) -> String {
    let t = words(ui);
    if let Json::Object(map) = &mut ctx {
        map.entry("title").or_insert_with(|| json!("twinpress"));
        map.insert("t".into(), json!(t));
        map.insert("ui".into(), json!(ui));
        map.insert("desk".into(), json!(format!("{PREFIX}{ui}/")));
        // Root-relative: the preview is reached as the browser reached the desk (behind a proxy too).
        map.insert("preview".into(), json!("/"));
        map.insert(
            "other_ui".into(),
            json!(UI_LANGUAGES.iter().filter(|l| **l != ui).collect::<Vec<_>>()),
        );
    }
    desk.render(template, &ctx)
}

/// The page a refused request gets.
pub fn denied(desk: &Desk, ui: &str, why: Refusal) -> Answer {
    let key = match why {
        Refusal::Token => "denied_token",
        Refusal::Host => "denied_host",
        Refusal::Origin => "denied_origin",
        Refusal::Session => "denied_session",
        Refusal::Role => "denied_role",
    };
    let t = words(ui);
    let status = if why == Refusal::Session { 401 } else { 403 };
    Answer::html(
        status,
        render_in(
            desk,
            "denied.html",
            ui,
            json!({"title": t["denied"], "message": t[key]}),
        ),
    )
}

/// Records what the desk changed: the article list is told of `paths` (relative to the site)
/// at once, and, when the site is a git repository, they are committed as they are now by the
/// one asking, `message` saying what happened. Every write of the desk's comes here. The files
/// are written already: a commit that fails is told on the terminal, not undone.
fn commit(desk: &Desk, asked: &Asked, paths: Vec<std::path::PathBuf>, message: String) {
    // The list shows them at once, before the watcher tells of them, and the preview is
    // rebuilt for them before the answer goes.
    desk.scanner
        .changed(paths.iter().map(std::path::PathBuf::as_path), false);
    if let Some(rebuild) = desk.rebuild.get() {
        rebuild(&paths);
    }
    let Some(repo) = super::history::Repo::open(&desk.root) else {
        return;
    };
    let author = match &asked.account {
        Some(a) => a.signature(),
        None => {
            let me = crate::deploy::who();
            (me.clone(), format!("{me}@desk.invalid"))
        }
    };
    if let Err(e) = repo.commit(&paths, &author, &message) {
        eprintln!("warning: the desk's change is saved but not committed: {e:#}");
    }
}

/// `s` as a part of a query.
fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The editor of article `id`, after a write.
fn to_editor(ui: &str, id: &str, saved: bool) -> Answer {
    to_editor_showing(ui, id, saved, None)
}

/// [`to_editor`], its preview showing the page in `lang` (the language whose text a save
/// changed, when the desk's own did not: the preview follows the edit).
fn to_editor_showing(ui: &str, id: &str, saved: bool, lang: Option<&str>) -> Answer {
    let saved = if saved { "&saved=1" } else { "" };
    let preview = lang.map(|l| format!("&preview={}", encode(l))).unwrap_or_default();
    Answer::see_other(format!("{PREFIX}{ui}/edit?id={}{saved}{preview}", encode(id)))
}

/// The article `id` names, among the files on disk (the id is never made into a path), read
/// whole now.
fn find(desk: &Desk, facts: &Facts, id: &str) -> Option<DeskArticle> {
    desk.scanner.find(&desk.root, &facts.languages(), id)
}

/// The site's facts as its files are now.
fn facts(desk: &Desk) -> Result<std::sync::Arc<Facts>> {
    desk.facts.get(&desk.root)
}

/// The cities as `{key, name, kind}`, named in `ui`, in that language's alphabetical order
/// (Қ after К, not after Я).
fn cities(facts: &Facts, ui: &str) -> Vec<Json> {
    let mut all: Vec<(String, &crate::content::CitySource)> =
        facts.cities.iter().map(|c| (city_name(facts, &c.key, ui), c)).collect();
    match crate::i18n::Formats::new(ui) {
        Ok(f) => all.sort_by(|a, b| f.compare(&a.0, &b.0).then_with(|| a.1.key.cmp(&b.1.key))),
        Err(_) => all.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.key.cmp(&b.1.key))),
    }
    all.into_iter()
        .map(|(name, c)| json!({"key": c.key, "name": name, "kind": c.kind.as_str()}))
        .collect()
}

/// The name of city `key` in `ui` (else in any language, else the key).
fn city_name(facts: &Facts, key: &str, ui: &str) -> String {
    facts
        .city(key)
        .and_then(|c| c.name.get(ui).or_else(|| c.name.values().next()))
        .cloned()
        .unwrap_or_else(|| key.to_string())
}

/// The site's languages as `{code, name}`, for the forms' choices.
fn languages(facts: &Facts) -> Vec<Json> {
    facts
        .config
        .languages
        .iter()
        .map(|l| json!({"code": l.code, "name": l.name}))
        .collect()
}
