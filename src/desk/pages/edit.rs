//! The editor: both languages side by side, the shared fields above them, each field with the
//! build's problems beside it, and the preview of the real page.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use serde_json::{json, Value as Json};

use super::editing::Editing;
use super::{cities, encode, facts, not_found, render};
use crate::content::Facts;
use crate::desk::articles::DeskArticle;
use crate::desk::{Answer, Asked, Desk};

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

/// `GET edit?id=…`: the article as its files are; `found`, after an import, says what the
/// importer found and did not find, as the command line does.
pub(super) fn page(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let q = &asked.query;
    show(desk, asked, q.get("id"), q.has("saved"), None, &q.all("found"))
}

/// The editor of the article `id`: as its files are, or as `submitted` (with a notice) when a
/// save was refused.
pub(super) fn show(
    desk: &Desk,
    asked: &Asked,
    id: &str,
    saved: bool,
    submitted: Option<(Editing, &str)>,
    found: &[String],
) -> Result<Answer> {
    let ui = asked.ui;
    let facts = facts(desk)?;
    let Some(article) = desk.scanner.find(&desk.root, &facts.languages(), id) else {
        return Ok(not_found(desk, ui, id));
    };
    let (status, notice, mut editing) = match submitted {
        Some((e, notice)) => (422, notice.to_string(), e),
        None => (200, String::new(), Editing::from_files(&article)),
    };
    // The build's words, in the desk's language.
    for list in editing.problems.values_mut().flat_map(|by_field| by_field.values_mut()) {
        for p in list.iter_mut() {
            *p = crate::desk::catalogue::problem(p, ui);
        }
    }
    let suggestions = tag_suggestions(desk.scanner.tags(&desk.root, &facts.languages()), &facts.languages());
    let columns: Vec<Json> = facts
        .languages()
        .iter()
        .map(|lang| column(&facts, &article, &editing, lang, &suggestions))
        .collect();
    // Asked for (after a save of another language's text), if the article has it.
    let asked_for = asked.query.get("preview");
    let preview_lang = if article.files.contains_key(asked_for) {
        asked_for.to_string()
    } else if article.files.contains_key(ui) {
        ui.to_string()
    } else {
        article.files.keys().next().cloned().unwrap_or_default()
    };
    let mut shared_problems: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for key in ["date", "region", "partners", "photos"] {
        let all = editing.problems.values().filter_map(|p| p.get(key)).flatten().cloned();
        shared_problems.insert(key, all.collect());
    }
    let state = crate::desk::review::of_article(&article);
    let returned = crate::desk::review::returned_with(&article);
    let history = super::history::versions(desk, &article);
    let others = match &asked.account {
        Some(me) => {
            desk.presence.open(&article.id, &me.name);
            desk.presence.others(&article.id, &me.name)
        }
        None => Vec::new(),
    };
    let ctx = json!({
        "others": others,
        "team": asked.account.is_some(),
        "history": history,
        "review": {
            "state": state.key(),
            "comment": returned.as_ref().map(|r| &r.0),
            "by": returned.as_ref().map(|r| &r.1),
            "may_submit": super::may_change(asked, &article) && matches!(state, crate::desk::review::State::Draft | crate::desk::review::State::Returned),
            "may_review": asked.role().reviews() && state != crate::desk::review::State::Published,
        },
        "title": article.title(ui),
        "id": article.id,
        "qid": encode(&article.id),
        "notice": notice,
        "saved": saved && status == 200,
        // The date changed and the file names still say another day: offered a move.
        "move_to": crate::desk::moving::moved_stem(&article.stem, &editing.shared.date),
        "found": found,
        "shared_problems": shared_problems,
        "shared": {
            "date": editing.shared.date,
            "region": editing.shared.region,
            "partners": editing.shared.partners,
            "photos": editing.shared.photos,
        },
        "cities": cities(&facts, ui),
        "columns": columns,
        "preview_url": format!("/{preview_lang}/news/{}/", article.stem),
    });
    Ok(Answer::html(status, render(desk, "edit.html", asked, ctx)))
}

/// Per language, every tag its articles have (as the last listing found them): what the tags
/// field suggests.
fn tag_suggestions<'a>(
    mut by_lang: BTreeMap<String, BTreeSet<String>>,
    languages: &[&'a str],
) -> BTreeMap<&'a str, BTreeSet<String>> {
    languages
        .iter()
        .filter_map(|l| Some((*l, by_lang.remove(*l)?)))
        .collect()
}

/// One language's column: its file, fields with their problems, body and photos' texts.
fn column(
    facts: &Facts,
    article: &DeskArticle,
    editing: &Editing,
    lang: &str,
    suggestions: &BTreeMap<&str, BTreeSet<String>>,
) -> Json {
    let file = article.files.get(lang);
    let w = editing.words.get(lang);
    let lang_name = facts
        .config
        .languages
        .iter()
        .find(|l| l.code == lang)
        .map(|l| l.name.clone());
    let problems = editing.problems.get(lang).cloned().unwrap_or_default();
    let of = |name: &str| problems.get(name).cloned().unwrap_or_default();
    let field = |name: &str, kind: &str, value: Option<String>| json!({"name": name, "kind": kind, "value": value.unwrap_or_default(), "problems": of(name)});
    let others = problems.iter().filter(|(k, _)| !KNOWN_FIELDS.contains(&k.as_str()));
    let file_problems: Vec<String> = of("file")
        .into_iter()
        .chain(others.flat_map(|(_, v)| v.clone()))
        .collect();
    json!({
        "code": lang,
        "name": lang_name.unwrap_or_default(),
        "present": file.is_some(),
        "file": file.map(|f| f.rel.display().to_string()),
        "version": editing.versions.get(lang),
        "url": format!("/{lang}/news/{}/", article.stem),
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
        "file_problems": file_problems,
        "body_problems": of("body"),
        "tag_suggestions": suggestions.get(lang).cloned().unwrap_or_default(),
    })
}
