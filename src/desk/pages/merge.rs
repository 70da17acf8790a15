//! Two editors at once: a save made on a file that changed on disk since the editor opened it
//! is never written over the other change. Instead each part of the article that differs — the
//! date, the region, the partners, the photos, each language's title, tags, summary, source,
//! draft box and text — is shown as it is on disk beside the editor's own, with a choice of
//! either; `POST merge` saves the article as chosen, through the same checks as a save (and, if
//! the files changed yet again meanwhile, shows the choice again).

use std::path::Path;

use anyhow::Result;
use serde_json::{json, Value as Json};

use super::editing::Editing;
use super::{encode, facts, find, not_found, render};
use crate::desk::articles::DeskArticle;
use crate::desk::form::Form;
use crate::desk::text::words;
use crate::desk::{Answer, Asked, Desk};

/// The page that offers each differing part of `article` (as on disk now) beside `mine` (what
/// the editor sent); `rel` names the file found changed.
pub(super) fn page(desk: &Desk, asked: &Asked, article: &DeskArticle, mine: &Editing, rel: &Path) -> Answer {
    let ui = asked.ui;
    let t = words(ui);
    let disk = Editing::from_files(article);
    let parts: Vec<Json> = disk
        .parts()
        .into_iter()
        .filter(|p| mine_has(mine, p) && differ(&disk.part(p), &mine.part(p)))
        .map(|p| {
            let label = match p.split_once('.') {
                Some((lang, field)) => format!("{} ({lang})", t[if field == "draft" { "is_draft" } else { field }]),
                None => t[p.as_str()].to_string(),
            };
            // A long text's difference shown as lines, the disk's against the editor's.
            let diff: Vec<Json> = if p.ends_with(".body") {
                crate::desk::history::diff(
                    &disk.part(&p).replace("\r\n", "\n"),
                    &mine.part(&p).replace("\r\n", "\n"),
                )
                .into_iter()
                .map(|(mark, line)| json!({"mark": mark.to_string(), "line": line}))
                .collect()
            } else {
                Vec::new()
            };
            json!({"key": p, "label": label, "disk": disk.part(&p), "mine": mine.part(&p), "diff": diff})
        })
        .collect();
    let ctx = json!({
        "title": t["conflict"],
        "id": article.id,
        "qid": encode(&article.id),
        "file": rel.display().to_string(),
        "parts": parts,
        "mine": mine.to_form().into_iter().map(|(name, value)| json!({"name": name, "value": value})).collect::<Vec<_>>(),
        "disk_versions": disk.versions,
    });
    Answer::html(409, render(desk, "conflict.html", asked, ctx))
}

/// Whether two values of a part differ as the files would have them (a browser's text box sends
/// its text with CRLF line ends and without the trailing newline).
fn differ(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.replace("\r\n", "\n").trim().to_string();
    norm(a) != norm(b)
}

/// Whether the editor's form had part `part` (a language's column it showed).
fn mine_has(mine: &Editing, part: &str) -> bool {
    match part.split_once('.') {
        Some((lang, _)) => mine.words.contains_key(lang),
        None => true,
    }
}

pub(super) fn post(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, form) = (asked.ui, &asked.form);
    let facts = facts(desk)?;
    let id = form.get("id");
    let Some(article) = find(desk, &facts, id) else {
        return Ok(not_found(desk, ui, id));
    };
    let languages = facts.languages();
    let carried = Form(
        form.0
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("mine.").map(|k| (k.to_string(), v.clone())))
            .collect(),
    );
    let mine = Editing::from_form(&carried, &languages);
    let disk = Editing::from_files(&article);
    // The files as the choice was shown: else they changed again, and the choice is shown anew.
    let unchanged = disk
        .versions
        .iter()
        .all(|(lang, v)| form.get(&format!("disk.{lang}")) == v.as_str());
    if !unchanged {
        let rel = article.files.values().next().map(|f| f.rel.clone()).unwrap_or_default();
        return Ok(page(desk, asked, &article, &mine, &rel));
    }
    let mut chosen = disk.clone();
    for part in disk.parts() {
        if form.get(&format!("pick.{part}")) == "mine" && mine_has(&mine, &part) {
            chosen.take(&mine, &part);
        }
    }
    let mut fields = chosen.to_form();
    fields.push(("id".into(), id.to_string()));
    let merged = Asked {
        ui: asked.ui,
        method: asked.method.clone(),
        path: asked.path.clone(),
        query: Form::default(),
        form: Form(fields),
        files: Vec::new(),
        account: asked.account.clone(),
    };
    super::save::post(desk, &merged)
}
