//! The desk's pages: the list, the editor (both languages side by side), new, import, delete.
//! Each reads the site's files afresh and answers with a page rendered on the server.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context as _, Result};
use serde_json::{json, Value as Json};
use tiny_http::Method;

use super::articles::{self, version, DeskArticle, Filter};
use super::form::{list, Form};
use super::guard::Refusal;
use super::save::{self, Shared, Words};
use super::text::{words, UI_LANGUAGES};
use super::{Answer, Asked, Desk, PREFIX};
use crate::config::Config;
use crate::content::CitySource;

/// What every page needs of the site.
struct SiteFacts {
    config: Config,
    cities: Vec<CitySource>,
}

impl SiteFacts {
    fn load(root: &Path) -> Result<SiteFacts> {
        let config = Config::load(root)?;
        let cities = crate::content::load_cities(root, &config)?;
        Ok(SiteFacts { config, cities })
    }

    fn languages(&self) -> Vec<&str> {
        self.config.languages.iter().map(|l| l.code.as_str()).collect()
    }

    /// The cities as `{key, name, home}`, named in `ui`, sorted by that name.
    fn cities(&self, ui: &str) -> Vec<Json> {
        let mut all: Vec<(String, &CitySource)> = self
            .cities
            .iter()
            .map(|c| {
                let name = c
                    .name
                    .get(ui)
                    .or_else(|| c.name.values().next())
                    .cloned()
                    .unwrap_or_else(|| c.key.clone());
                (name, c)
            })
            .collect();
        // In the desk language's alphabetical order (Қ after К, not after Я).
        match crate::i18n::Formats::new(ui) {
            Ok(f) => all.sort_by(|a, b| f.compare(&a.0, &b.0).then_with(|| a.1.key.cmp(&b.1.key))),
            Err(_) => all.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.key.cmp(&b.1.key))),
        }
        all.into_iter()
            .map(|(name, c)| json!({"key": c.key, "name": name, "kind": c.kind.as_str()}))
            .collect()
    }

    fn city_name(&self, key: &str, ui: &str) -> String {
        self.cities
            .iter()
            .find(|c| c.key == key)
            .and_then(|c| c.name.get(ui).or_else(|| c.name.values().next()))
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }
}

/// Form fields the editor shows problems beside; problems of other keys show at the top.
const KNOWN_FIELDS: &[&str] = &[
    "title",
    "tags",
    "summary",
    "source",
    "source_url",
    "photo_credit",
    "body",
    "file",
    "date",
    "region",
    "partners",
    "photos",
];

/// Sends a request to its page.
pub fn route(desk: &Desk, ui: &str, asked: &Asked) -> Result<Answer> {
    let rest = asked.path.split_once('/').map_or("", |(_, r)| r);
    let post = asked.method == Method::Post;
    if asked.path.is_empty() || !UI_LANGUAGES.contains(&asked.path.split('/').next().unwrap_or("")) {
        return Ok(Answer::see_other(format!("{PREFIX}{}/", UI_LANGUAGES[0])));
    }
    match (rest, post) {
        ("", false) => list_page(desk, ui, &asked.query),
        ("edit", false) => edit_page(
            desk,
            ui,
            asked.query.get("id"),
            asked.query.has("saved"),
            None,
            &asked.query.all("found"),
        ),
        ("edit", true) => save_article(desk, ui, &asked.form),
        ("translate", true) => translate(desk, ui, &asked.form),
        ("move", true) => move_article(desk, ui, &asked.form),
        ("photo", true) => add_photo(desk, ui, asked),
        ("new", false) => new_page(desk, ui, &Form::default(), None),
        ("new", true) => create(desk, ui, &asked.form),
        ("import", false) => import_page(desk, ui, &Form::default(), None),
        ("import", true) => import(desk, ui, &asked.form),
        ("delete", false) => delete_page(desk, ui, &asked.query),
        ("delete", true) => delete(desk, ui, &asked.form),
        _ => Ok(not_found(desk, ui, &asked.path)),
    }
}

/// A 404 page: nothing of the desk is called `what`.
fn not_found(desk: &Desk, ui: &str, what: &str) -> Answer {
    Answer::html(
        404,
        page(
            desk,
            "denied.html",
            ui,
            json!({"message": format!("Not found: `{what}`.")}),
        ),
    )
}

/// Renders `template` with the words of `ui` and the desk's links beside `ctx`.
fn page(desk: &Desk, template: &str, ui: &str, mut ctx: Json) -> String {
    let t = words(ui);
    if let Json::Object(map) = &mut ctx {
        map.entry("title").or_insert_with(|| json!("twinpress"));
        map.insert("t".into(), json!(t));
        map.insert("ui".into(), json!(ui));
        map.insert("desk".into(), json!(format!("{PREFIX}{ui}/")));
        map.insert("preview".into(), json!(desk.base_url));
        map.insert(
            "other_ui".into(),
            json!(UI_LANGUAGES.iter().filter(|l| **l != ui).collect::<Vec<_>>()),
        );
    }
    desk.render(template, &ctx)
}

pub fn denied(desk: &Desk, ui: &str, why: Refusal) -> Answer {
    let key = match why {
        Refusal::Token => "denied_token",
        Refusal::Host => "denied_host",
        Refusal::Origin => "denied_origin",
    };
    let t = words(ui);
    Answer::html(
        403,
        page(
            desk,
            "denied.html",
            ui,
            json!({"title": t["denied"], "message": t[key]}),
        ),
    )
}

fn list_page(desk: &Desk, ui: &str, query: &Form) -> Result<Answer> {
    let facts = SiteFacts::load(&desk.root)?;
    let languages = facts.languages();
    let all = desk.scanner.scan(&desk.root, &languages);
    let filter = Filter {
        city: query.get("city").into(),
        tag: query.get("tag").into(),
        year: query.get("year").into(),
        lang: query.get("lang").into(),
        state: query.get("state").into(),
        words: query.get("q").into(),
    };
    let mut tags = BTreeSet::new();
    let mut years = BTreeSet::new();
    for a in &all {
        for f in a.files.values() {
            if let Some(s) = &f.source {
                tags.extend(s.tags.iter().cloned());
                years.insert(s.date.day().format("%Y").to_string());
            }
        }
    }
    let matching: Vec<&DeskArticle> = all.iter().filter(|a| filter.matches(a, &languages)).collect();
    let pages = matching.len().div_ceil(LIST_PAGE).max(1);
    let at = query.get("page").parse::<usize>().unwrap_or(1).clamp(1, pages);
    let rows: Vec<Json> = matching
        .iter()
        .skip((at - 1) * LIST_PAGE)
        .take(LIST_PAGE)
        .map(|a| {
            let source = a.any_source();
            json!({
                "id": a.id,
                "qid": encode(&a.id),
                "title": a.title(ui),
                "date": source.map(|s| s.date.day().to_string()).unwrap_or_default(),
                "route": source.map(|s| format!("{} → {}", facts.city_name(&s.region.key, ui),
                    s.partners.iter().map(|p| facts.city_name(&p.key, ui)).collect::<Vec<_>>().join(", "))).unwrap_or_default(),
                "langs": languages.iter().map(|l| {
                    let f = a.files.get(*l);
                    json!({
                        "code": l,
                        "present": f.is_some(),
                        "title": f.and_then(|f| f.source.as_ref()).map(|s| s.title.clone()).unwrap_or_default(),
                        "draft": f.is_some_and(|f| f.draft),
                        "problems": f.map_or(0, |f| f.problems.len()),
                    })
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let ctx = json!({
        "title": words(ui)["articles"],
        "rows": rows,
        "matching": matching.len(),
        "total": all.len(),
        "page": at,
        "pages": pages,
        "prev": (at > 1).then(|| page_link(query, at - 1)),
        "next": (at < pages).then(|| page_link(query, at + 1)),
        "filter": {"city": filter.city, "tag": filter.tag, "year": filter.year, "lang": filter.lang, "state": filter.state, "q": filter.words},
        "cities": facts.cities(ui),
        "tags": tags,
        "years": years.into_iter().rev().collect::<Vec<_>>(),
        "languages": languages,
        "deleted": query.get("deleted"),
    });
    Ok(Answer::html(200, page(desk, "list.html", ui, ctx)))
}

/// Rows on one page of the list.
const LIST_PAGE: usize = 100;

/// The list's query with another page number.
fn page_link(query: &Form, page: usize) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in query.0.iter().filter(|(k, _)| k != "page" && k != "deleted") {
        q.append_pair(k, v);
    }
    q.append_pair("page", &page.to_string());
    format!("?{}", q.finish())
}

/// Finds the article `id` names, among the files on disk (the id is never made into a path).
fn find(desk: &Desk, facts: &SiteFacts, id: &str) -> Option<DeskArticle> {
    desk.scanner
        .scan(&desk.root, &facts.languages())
        .into_iter()
        .find(|a| a.id == id)
        .map(|a| a.fresh(&desk.root))
}

/// A submitted (or read) state of the editor: what the fields show.
struct Editing {
    shared: Shared,
    words: BTreeMap<String, Words>,
    /// Per language: the version each file had when opened.
    versions: BTreeMap<String, String>,
    /// Per language, per field: the build's words for what is wrong.
    problems: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// What a file that does not parse says, read loosely from its TOML (so that the editor can fix
/// it in the form): its shared fields and its words. Nothing when it is not TOML at all.
fn loose(text: &str, body: &str) -> Option<(Shared, Words)> {
    let split = crate::content::frontmatter::split(text).ok()?;
    let table: toml::Table = split.front.parse().ok()?;
    let text_of = |key: &str| match table.get(key) {
        Some(toml::Value::String(s)) => s.clone(),
        Some(toml::Value::Datetime(d)) => d.to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let list_of = |key: &str| -> Vec<String> {
        table
            .get(key)
            .and_then(toml::Value::as_array)
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    let photos: Vec<&toml::Table> = table
        .get("photos")
        .and_then(toml::Value::as_array)
        .map(|a| a.iter().filter_map(toml::Value::as_table).collect())
        .unwrap_or_default();
    let field = |t: &toml::Table, k: &str| t.get(k).and_then(toml::Value::as_str).unwrap_or("").to_string();
    let shared = Shared {
        date: text_of("date"),
        region: text_of("region"),
        partners: list_of("partners"),
        photos: photos.iter().map(|t| field(t, "file")).collect(),
    };
    let words = Words {
        title: text_of("title"),
        tags: list_of("tags"),
        summary: text_of("summary"),
        source: text_of("source"),
        source_url: text_of("source_url"),
        photo_credit: text_of("photo_credit"),
        draft: table.get("draft").and_then(toml::Value::as_bool).unwrap_or(false),
        photos: photos.iter().map(|t| (field(t, "alt"), field(t, "caption"))).collect(),
        body: body.to_string(),
    };
    Some((shared, words))
}

fn editing_from_files(article: &DeskArticle) -> Editing {
    let first = article.any_source();
    let loosely: BTreeMap<&String, (Shared, Words)> = article
        .files
        .iter()
        .filter(|(_, f)| f.source.is_none())
        .filter_map(|(l, f)| Some((l, loose(&f.text, &f.body)?)))
        .collect();
    let fallback = loosely.values().next().map(|(s, _)| s.clone()).unwrap_or_default();
    let shared = match first {
        Some(s) => Shared {
            date: s.date.day().to_string(),
            region: s.region.key.clone(),
            partners: s.partners.iter().map(|p| p.key.clone()).collect(),
            // Every photo any language lists (one may list a new photo the other does not yet).
            photos: s
                .photos
                .iter()
                .map(|p| p.file.clone())
                .chain(fallback.photos.iter().cloned())
                .fold(Vec::new(), |mut all, f| {
                    if !all.contains(&f) {
                        all.push(f);
                    }
                    all
                }),
        },
        None => fallback,
    };
    let mut words = BTreeMap::new();
    let mut versions = BTreeMap::new();
    let mut problems = BTreeMap::new();
    for (lang, f) in &article.files {
        versions.insert(lang.clone(), f.version());
        let w = match &f.source {
            Some(s) => Words {
                title: s.title.clone(),
                tags: s.tags.clone(),
                summary: s.summary.clone().unwrap_or_default(),
                source: s.source.clone().unwrap_or_default(),
                source_url: s.source_url.clone().unwrap_or_default(),
                photo_credit: s.photo_credit.clone().unwrap_or_default(),
                draft: s.draft,
                photos: shared
                    .photos
                    .iter()
                    .map(|file| {
                        s.photos
                            .iter()
                            .find(|p| &p.file == file)
                            .map(|p| (p.alt.clone(), p.caption.clone().unwrap_or_default()))
                            .unwrap_or_default()
                    })
                    .collect(),
                body: f.body.clone(),
            },
            None => match loosely.get(lang) {
                Some((own, w)) => Words {
                    photos: shared
                        .photos
                        .iter()
                        .map(|file| {
                            own.photos
                                .iter()
                                .position(|p| p == file)
                                .and_then(|i| w.photos.get(i).cloned())
                                .unwrap_or_default()
                        })
                        .collect(),
                    ..w.clone()
                },
                None => Words {
                    body: f.body.clone(),
                    ..Words::default()
                },
            },
        };
        words.insert(lang.clone(), w);
        if f.source.is_none() {
            let stem = &article.stem;
            if let Err(found) = crate::content::article::parse(&f.rel, stem, lang, &f.text) {
                problems.insert(lang.clone(), by_field_of(&f.text, &found));
            }
        }
    }
    Editing {
        shared,
        words,
        versions,
        problems,
    }
}

fn editing_from_form(form: &Form, languages: &[&str]) -> Editing {
    // Photos: in the order their numbers say, less the ones marked for removal.
    let files = form.all("photo");
    let mut order: Vec<(f64, usize)> = files
        .iter()
        .enumerate()
        .filter(|(i, _)| !form.has(&format!("remove.{i}")))
        .map(|(i, _)| {
            (
                form.get(&format!("order.{i}")).trim().parse().unwrap_or(i as f64 + 1.0),
                i,
            )
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let shared = Shared {
        date: form.get("date").into(),
        region: form.get("region").into(),
        partners: form.all("partners"),
        photos: order.iter().map(|(_, i)| files[*i].clone()).collect(),
    };
    let mut words = BTreeMap::new();
    let mut versions = BTreeMap::new();
    for lang in languages {
        let f = |name: &str| form.get(&format!("{lang}.{name}")).to_string();
        if !form.has(&format!("{lang}.version")) {
            continue;
        }
        versions.insert(lang.to_string(), f("version"));
        words.insert(
            lang.to_string(),
            Words {
                title: f("title"),
                tags: list(&f("tags")),
                summary: f("summary"),
                source: f("source"),
                source_url: f("source_url"),
                photo_credit: f("photo_credit"),
                draft: form.has(&format!("{lang}.draft")),
                photos: order
                    .iter()
                    .map(|(_, i)| (f(&format!("alt.{i}")), f(&format!("caption.{i}"))))
                    .collect(),
                body: f("body"),
            },
        );
    }
    Editing {
        shared,
        words,
        versions,
        problems: BTreeMap::new(),
    }
}

/// The editor of the article `id`; `found`, after an import, says what the importer found and
/// did not find, as the command line does.
fn edit_page(
    desk: &Desk,
    ui: &str,
    id: &str,
    saved: bool,
    submitted: Option<(Editing, &str)>,
    found: &[String],
) -> Result<Answer> {
    let facts = SiteFacts::load(&desk.root)?;
    let listing = desk.scanner.scan(&desk.root, &facts.languages());
    let Some(article) = listing.iter().find(|a| a.id == id).map(|a| a.fresh(&desk.root)) else {
        return Ok(not_found(desk, ui, id));
    };
    let (status, notice, editing) = match submitted {
        Some((e, notice)) => (422, notice.to_string(), e),
        None => (200, String::new(), editing_from_files(&article)),
    };
    let languages = facts.languages();
    let mut tag_suggestions: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for a in &listing {
        for (lang, f) in &a.files {
            if let (Some(s), Some(l)) = (&f.source, languages.iter().find(|l| *l == lang)) {
                tag_suggestions.entry(l).or_default().extend(s.tags.iter().cloned());
            }
        }
    }
    let columns: Vec<Json> = languages
        .iter()
        .map(|lang| {
            let file = article.files.get(*lang);
            let w = editing.words.get(*lang);
            let lang_name = facts
                .config
                .languages
                .iter()
                .find(|l| l.code == *lang)
                .map(|l| l.name.clone())
                .unwrap_or_default();
            let problems = editing.problems.get(*lang).cloned().unwrap_or_default();
            let of = |name: &str| problems.get(name).cloned().unwrap_or_default();
            let field = |name: &str, kind: &str, value: Option<String>| {
                json!({"name": name, "kind": kind, "value": value.unwrap_or_default(), "problems": of(name)})
            };
            json!({
                "code": lang,
                "name": lang_name,
                "present": file.is_some(),
                "file": file.map(|f| f.rel.display().to_string()),
                "version": editing.versions.get(*lang),
                "url": format!("{}{lang}/news/{}/", desk.base_url, article.stem),
                "fields": [
                    field("title", "input", w.map(|w| w.title.clone())),
                    field("tags", "tags", w.map(|w| w.tags.join(", "))),
                    field("summary", "area", w.map(|w| w.summary.clone())),
                    field("source", "input", w.map(|w| w.source.clone())),
                    field("source_url", "url", w.map(|w| w.source_url.clone())),
                    field("photo_credit", "input", w.map(|w| w.photo_credit.clone())),
                ],
                "draft": w.is_some_and(|w| w.draft),
                "body": w.map(|w| w.body.clone()),
                "photos": w.map(|w| w.photos.iter().map(|(a, c)| json!({"alt": a, "caption": c})).collect::<Vec<_>>()),
                "file_problems": of("file").into_iter().chain(
                    problems.iter().filter(|(k, _)| !KNOWN_FIELDS.contains(&k.as_str())).flat_map(|(_, v)| v.clone())
                ).collect::<Vec<_>>(),
                "body_problems": of("body"),
                "tag_suggestions": tag_suggestions.get(lang).cloned().unwrap_or_default(),
            })
        })
        .collect();
    let preview_lang = if article.files.contains_key(ui) {
        ui.to_string()
    } else {
        article.files.keys().next().cloned().unwrap_or_default()
    };
    let mut shared_problems: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for key in ["date", "region", "partners", "photos"] {
        let all = editing.problems.values().filter_map(|p| p.get(key)).flatten().cloned();
        shared_problems.insert(key, all.collect());
    }
    let ctx = json!({
        "title": article.title(ui),
        "id": article.id,
        "qid": encode(&article.id),
        "notice": notice,
        "saved": saved && status == 200,
        // The date changed and the file names still say another day: offered a move.
        "move_to": super::moving::moved_stem(&article.stem, &editing.shared.date),
        "found": found,
        "shared_problems": shared_problems,
        "shared": {
            "date": editing.shared.date,
            "region": editing.shared.region,
            "partners": editing.shared.partners,
            "photos": editing.shared.photos,
        },
        "cities": facts.cities(ui),
        "columns": columns,
        "preview_url": format!("{}{preview_lang}/news/{}/", desk.base_url, article.stem),
    });
    Ok(Answer::html(status, page(desk, "edit.html", ui, ctx)))
}

/// Problems of `text` (the file `rel` would become) by form field, in the build's words.
fn check_text(
    photos: &crate::photos::Store,
    facts: &SiteFacts,
    rel: &Path,
    stem: &str,
    lang: &str,
    text: &str,
) -> BTreeMap<String, Vec<String>> {
    let mut by_field: BTreeMap<String, Vec<String>> = BTreeMap::new();
    match crate::content::article::parse(rel, stem, lang, text) {
        Ok((source, _)) => {
            // Each photo as the build reads it (through the same store, so the preview's
            // rebuild finds it made).
            let dir = rel.parent().unwrap_or(Path::new(""));
            for p in &source.photos {
                if let Err(msg) = photos.get(&dir.join(&p.file)) {
                    by_field
                        .entry("photos".into())
                        .or_default()
                        .push(format!("photo `{}` {msg}", p.file));
                }
            }
            let partners: Vec<String> = source.partners.iter().map(|p| p.key.clone()).collect();
            if let Err(e) = crate::editor::check_route(&facts.cities, &source.region.key, &partners) {
                let field = if facts.cities.iter().any(|c| c.key == source.region.key) {
                    "partners"
                } else {
                    "region"
                };
                by_field.entry(field.into()).or_default().push(e.to_string());
            }
        }
        Err(problems) => by_field = by_field_of(text, &problems),
    }
    by_field
}

/// Problems of the file `text` by the form field of their line.
fn by_field_of(text: &str, problems: &[crate::diagnostics::Problem]) -> BTreeMap<String, Vec<String>> {
    let mut by_field: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in problems {
        let field = p
            .line
            .and_then(|l| save::field_of_line(text, l))
            .unwrap_or_else(|| "file".into());
        by_field.entry(field).or_default().push(articles::problem_text(p));
    }
    by_field
}

fn save_article(desk: &Desk, ui: &str, form: &Form) -> Result<Answer> {
    let facts = SiteFacts::load(&desk.root)?;
    let id = form.get("id");
    let Some(article) = find(desk, &facts, id) else {
        return Ok(not_found(desk, ui, id));
    };
    let mut editing = editing_from_form(form, &facts.languages());
    // A file changed on disk since it was opened is never overwritten: both versions shown.
    let mut texts = Vec::new();
    for (lang, said) in &editing.words {
        let Some(file) = article.files.get(lang) else {
            continue;
        };
        // Read afresh by `find`, under the desk's write lock.
        let disk = file.text.clone();
        let ours = save::rewrite(&disk, &editing.shared, said);
        if editing.versions.get(lang) != Some(&version(&disk)) {
            let t = words(ui);
            let ctx = json!({
                "title": t["conflict"],
                "id": article.id,
                "qid": encode(&article.id),
                "file": file.rel.display().to_string(),
                "disk": disk,
                "ours": ours.unwrap_or_else(|e| e),
            });
            return Ok(Answer::html(409, page(desk, "conflict.html", ui, ctx)));
        }
        match ours {
            Ok(text) => texts.push((lang.clone(), file.rel.clone(), disk, text)),
            Err(e) => {
                editing
                    .problems
                    .entry(lang.clone())
                    .or_default()
                    .insert("file".into(), vec![e]);
            }
        }
    }
    let photos = crate::photos::Store::new(&desk.root, facts.config.photos.clone());
    for (lang, rel, _, text) in &texts {
        let problems = check_text(&photos, &facts, rel, &article.stem, lang, text);
        if !problems.is_empty() {
            editing.problems.insert(lang.clone(), problems);
        }
    }
    if !editing.problems.is_empty() {
        let notice = words(ui)["not_saved"];
        return edit_page(desk, ui, id, false, Some((editing, notice)), &[]);
    }
    // Only files whose text changes are written: an unchanged file keeps its time.
    for (_, rel, disk, text) in &texts {
        if disk != text {
            save::write_atomically(&desk.root.join(rel), text)?;
        }
    }
    Ok(Answer::see_other(format!(
        "{PREFIX}{ui}/edit?id={}&saved=1",
        encode(&article.id)
    )))
}

/// Moves the article `id` to the stem its date (as saved) asks for: every language file, the
/// old addresses kept as aliases, the photos beside them ([`super::moving`]).
fn move_article(desk: &Desk, ui: &str, form: &Form) -> Result<Answer> {
    let facts = SiteFacts::load(&desk.root)?;
    let id = form.get("id");
    let Some(article) = find(desk, &facts, id) else {
        return Ok(not_found(desk, ui, id));
    };
    let date = article
        .any_source()
        .map(|s| s.date.day().to_string())
        .unwrap_or_default();
    let Some(stem) = super::moving::moved_stem(&article.stem, &date) else {
        return Ok(Answer::see_other(format!("{PREFIX}{ui}/edit?id={}", encode(id))));
    };
    let steps = match super::moving::plan(&desk.root, &article, &stem) {
        Ok(steps) => steps,
        Err(e) => {
            let message = crate::diagnostics::error_text(&e);
            return Ok(Answer::html(
                409,
                page(desk, "denied.html", ui, json!({ "message": message })),
            ));
        }
    };
    super::moving::run(&desk.root, &steps)?;
    let new_id = steps
        .iter()
        .find(|s| s.text.is_some())
        .and_then(|s| articles::id_of(&s.to))
        .unwrap_or_default();
    Ok(Answer::see_other(format!(
        "{PREFIX}{ui}/edit?id={}&saved=1",
        encode(&new_id)
    )))
}

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn translate(desk: &Desk, ui: &str, form: &Form) -> Result<Answer> {
    let facts = SiteFacts::load(&desk.root)?;
    let id = form.get("id");
    let lang = form.get("lang");
    let Some(article) = find(desk, &facts, id) else {
        return Ok(not_found(desk, ui, id));
    };
    let Some(original) = article.files.values().find(|f| f.source.is_some()) else {
        return Ok(Answer::html(
            422,
            page(
                desk,
                "denied.html",
                ui,
                json!({"message": "Fix the article's errors first."}),
            ),
        ));
    };
    if !facts.languages().contains(&lang) || article.files.contains_key(lang) {
        return Ok(Answer::see_other(format!("{PREFIX}{ui}/edit?id={}", encode(id))));
    }
    let title = form.get("title").trim();
    let title = if title.is_empty() {
        article.title(lang)
    } else {
        title.to_string()
    };
    crate::editor::new_article(
        &desk.root,
        &crate::editor::NewArticle {
            title,
            lang: Some(lang.to_string()),
            translate_from: Some(original.rel.clone()),
            ..Default::default()
        },
    )?;
    Ok(Answer::see_other(format!("{PREFIX}{ui}/edit?id={}", encode(id))))
}

fn new_page(desk: &Desk, ui: &str, form: &Form, error: Option<String>) -> Result<Answer> {
    let facts = SiteFacts::load(&desk.root)?;
    let ctx = json!({
        "title": words(ui)["new"],
        "cities": facts.cities(ui),
        "languages": facts.config.languages.iter().map(|l| json!({"code": l.code, "name": l.name})).collect::<Vec<_>>(),
        "form": {
            "title": form.get("title"),
            "lang": if form.get("lang").is_empty() { ui } else { form.get("lang") },
            "date": if form.get("date").is_empty() { facts.config.timezone.today().map_err(anyhow::Error::msg)?.to_string() } else { form.get("date").to_string() },
            "region": form.get("region"),
            "partners": form.all("partners"),
        },
        "error": error,
    });
    Ok(Answer::html(
        if error.is_some() { 422 } else { 200 },
        page(desk, "new.html", ui, ctx),
    ))
}

fn create(desk: &Desk, ui: &str, form: &Form) -> Result<Answer> {
    let date = match form.get("date").trim() {
        "" => None,
        d => match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => return new_page(desk, ui, form, Some(format!("date `{d}`: write the day as 2025-08-29"))),
        },
    };
    let made = crate::editor::new_article(
        &desk.root,
        &crate::editor::NewArticle {
            title: form.get("title").to_string(),
            region: Some(form.get("region").to_string()).filter(|r| !r.is_empty()),
            partners: form.all("partners"),
            lang: Some(form.get("lang").to_string()).filter(|l| !l.is_empty()),
            date,
            ..Default::default()
        },
    );
    match made {
        Ok(rel) => Ok(Answer::see_other(format!(
            "{PREFIX}{ui}/edit?id={}",
            encode(&articles::id_of(&rel).unwrap_or_default())
        ))),
        Err(e) => new_page(desk, ui, form, Some(crate::diagnostics::error_text(&e))),
    }
}

fn import_page(desk: &Desk, ui: &str, form: &Form, error: Option<String>) -> Result<Answer> {
    let facts = SiteFacts::load(&desk.root)?;
    let ctx = json!({
        "title": words(ui)["import"],
        "languages": facts.config.languages.iter().map(|l| json!({"code": l.code, "name": l.name})).collect::<Vec<_>>(),
        "form": {"text": form.get("text"), "lang": form.get("lang")},
        "error": error,
    });
    Ok(Answer::html(
        if error.is_some() { 422 } else { 200 },
        page(desk, "import.html", ui, ctx),
    ))
}

fn import(desk: &Desk, ui: &str, form: &Form) -> Result<Answer> {
    let facts = SiteFacts::load(&desk.root)?;
    let text = form.get("text");
    if text.trim().is_empty() {
        return import_page(desk, ui, form, Some(words(ui)["paste"].to_string()));
    }
    let lang = Some(form.get("lang")).filter(|l| facts.languages().contains(l));
    let registry = crate::import::Registry {
        home_countries: crate::import::home_countries(&desk.root, &facts.config, &facts.cities),
        cities: &facts.cities,
        languages: facts.languages().iter().map(|l| l.to_string()).collect(),
    };
    let imported = crate::import::import(text, &registry, lang);
    if let Some(rel) = crate::import::already_imported(&desk.root, &imported.draft) {
        let message = format!("{} {}", words(ui)["already_imported"], rel.display());
        return import_page(desk, ui, form, Some(message));
    }
    let rel = crate::import::write_unique(&desk.root, &imported.draft, &[])
        .context("the imported draft could not be written")?;
    // What was found and what was not, as the command line prints it, shown on the editor.
    let found: String = imported
        .report
        .iter()
        .map(|line| format!("&found={}", encode(line)))
        .collect();
    Ok(Answer::see_other(format!(
        "{PREFIX}{ui}/edit?id={}{found}",
        encode(&articles::id_of(&rel).unwrap_or_default())
    )))
}

fn delete_page(desk: &Desk, ui: &str, query: &Form) -> Result<Answer> {
    let facts = SiteFacts::load(&desk.root)?;
    let id = query.get("id");
    let lang = query.get("lang");
    let Some(file) = find(desk, &facts, id).and_then(|a| a.files.get(lang).cloned()) else {
        return Ok(not_found(desk, ui, id));
    };
    let ctx = json!({
        "title": words(ui)["delete"],
        "id": id, "qid": encode(id), "lang": lang,
        "file": file.rel.display().to_string(),
        "version": file.version(),
    });
    Ok(Answer::html(200, page(desk, "delete.html", ui, ctx)))
}

fn delete(desk: &Desk, ui: &str, form: &Form) -> Result<Answer> {
    let facts = SiteFacts::load(&desk.root)?;
    let id = form.get("id");
    let lang = form.get("lang");
    let Some(article) = find(desk, &facts, id) else {
        return Ok(not_found(desk, ui, id));
    };
    let Some(file) = article.files.get(lang) else {
        return Ok(not_found(desk, ui, id));
    };
    if form.get("confirm") != "yes" {
        return Ok(Answer::see_other(format!(
            "{PREFIX}{ui}/delete?id={}&lang={lang}",
            encode(id)
        )));
    }
    let disk = file.text.clone();
    if version(&disk) != form.get("version") {
        let ctx = json!({
            "title": words(ui)["conflict"], "id": id, "qid": encode(id),
            "file": file.rel.display().to_string(), "disk": disk, "ours": "",
        });
        return Ok(Answer::html(409, page(desk, "conflict.html", ui, ctx)));
    }
    let stamp = chrono::Local::now().format("%Y%m%dT%H%M%S").to_string();
    let moved = save::to_trash(&desk.root, &file.rel, &stamp)?;
    // The last language gone: its photos go with it.
    if article.files.len() == 1 {
        if let Some(s) = &file.source {
            for p in &s.photos {
                let rel = article.folder.join(&p.file);
                if desk.root.join(&rel).is_file() {
                    save::to_trash(&desk.root, &rel, &stamp)?;
                }
            }
        }
    }
    Ok(Answer::see_other(format!(
        "{PREFIX}{ui}/?deleted={}",
        encode(&moved.display().to_string())
    )))
}

/// An uploaded photo: sniffed, named after the article, written beside it, and listed in every
/// language file's `[[photos]]` with the alt text the upload form gave in that language. An
/// upload without an alt text for each language writes nothing: a photo without one would stop
/// the build (and the publishing with it).
fn add_photo(desk: &Desk, ui: &str, asked: &Asked) -> Result<Answer> {
    let facts = SiteFacts::load(&desk.root)?;
    let id = asked.form.get("id");
    let Some(article) = find(desk, &facts, id) else {
        return Ok(not_found(desk, ui, id));
    };
    let Some((_, bytes)) = asked.files.iter().find(|(n, _)| n == "photo") else {
        return Ok(Answer::see_other(format!("{PREFIX}{ui}/edit?id={}", encode(id))));
    };
    let extension = match crate::photos::process::sniff(bytes) {
        Ok(crate::photos::process::Kind::Jpeg) => "jpg",
        Ok(crate::photos::process::Kind::Png) => "png",
        Ok(crate::photos::process::Kind::Webp) => "webp",
        Err(why) => {
            return Ok(Answer::html(
                415,
                page(desk, "denied.html", ui, json!({"message": format!("The photo {why}")})),
            ))
        }
    };
    let missing: Vec<&str> = article
        .files
        .keys()
        .filter(|lang| asked.form.get(&format!("alt.{lang}")).trim().is_empty())
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        let message = format!("{} {}", words(ui)["upload_needs_alt"], missing.join(", "));
        return Ok(Answer::html(
            422,
            page(desk, "denied.html", ui, json!({ "message": message })),
        ));
    }
    let dir = desk.root.join(&article.folder);
    let name = (1..1000)
        .map(|n| format!("{}-{n}.{extension}", article.stem))
        .find(|n| !dir.join(n).exists())
        .context("too many photos")?;
    // Every file's new text first: a file that cannot take the photo leaves nothing written.
    let mut texts = Vec::new();
    for (lang, file) in &article.files {
        let alt = asked.form.get(&format!("alt.{lang}"));
        let text =
            save::add_photo(&file.text, &name, alt).map_err(|e| anyhow::anyhow!("{}: {e}", file.rel.display()))?;
        texts.push((desk.root.join(&file.rel), text));
    }
    save::write_new(&dir.join(&name), bytes)?;
    for (path, text) in texts {
        save::write_atomically(&path, &text)?;
    }
    Ok(Answer::see_other(format!("{PREFIX}{ui}/edit?id={}", encode(id))))
}
