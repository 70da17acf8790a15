//! `history`: one version of an article beside its current text, a diff per language file,
//! with a button that restores it; `POST restore` writes that version back as a new commit.
//! The editor lists the versions ([`versions`]). Only commit ids the log gave are taken (never
//! an option or a revision expression), and only the article's own files are read.

use anyhow::Result;
use serde_json::{json, Value as Json};

use super::{encode, facts, find, may_change, message, not_found, render, to_editor};
use crate::desk::articles::DeskArticle;
use crate::desk::history::{diff, is_commit_id, Repo};
use crate::desk::save;
use crate::desk::text::words;
use crate::desk::{Answer, Asked, Desk};

/// Versions the editor lists.
const SHOWN: usize = 20;

/// The article's versions for the editor: `{git, versions}`.
pub(super) fn versions(desk: &Desk, article: &DeskArticle) -> Json {
    let Some(repo) = Repo::open(&desk.root) else {
        return json!({"git": false, "versions": []});
    };
    let paths: Vec<_> = article.files.values().map(|f| f.rel.clone()).collect();
    json!({"git": true, "versions": repo.log(&paths, SHOWN)})
}

pub(super) fn page(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, query) = (asked.ui, &asked.query);
    let facts = facts(desk)?;
    let id = query.get("id");
    let commit = query.get("commit");
    let Some(article) = find(desk, &facts, id) else {
        return Ok(not_found(desk, ui, id));
    };
    let Some(repo) = Repo::open(&desk.root).filter(|_| is_commit_id(commit)) else {
        return Ok(not_found(desk, ui, commit));
    };
    let paths: Vec<_> = article.files.values().map(|f| f.rel.clone()).collect();
    let Some(version) = repo.log(&paths, 500).into_iter().find(|v| v.commit == commit) else {
        return Ok(not_found(desk, ui, commit));
    };
    let files: Vec<Json> = article
        .files
        .iter()
        .map(|(lang, file)| {
            let old = repo.show(commit, &file.rel);
            let lines: Vec<Json> = match &old {
                Some(old) => diff(old, &file.text)
                    .into_iter()
                    .map(|(mark, line)| json!({"mark": mark.to_string(), "line": line}))
                    .collect(),
                None => Vec::new(),
            };
            json!({"lang": lang, "file": file.rel.display().to_string(), "existed": old.is_some(),
                   "same": old.as_deref() == Some(file.text.as_str()), "lines": lines})
        })
        .collect();
    let ctx = json!({
        "title": format!("{} · {}", article.title(ui), words(ui)["history"]),
        "id": article.id, "qid": encode(&article.id),
        "version": version,
        "files": files,
        "may_restore": may_change(asked, &article),
    });
    Ok(Answer::html(200, render(desk, "history.html", asked, ctx)))
}

pub(super) fn restore(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, form) = (asked.ui, &asked.form);
    let facts = facts(desk)?;
    let id = form.get("id");
    let commit = form.get("commit");
    let Some(article) = find(desk, &facts, id) else {
        return Ok(not_found(desk, ui, id));
    };
    if !may_change(asked, &article) {
        return Ok(message(
            desk,
            ui,
            403,
            words(ui)["author_cannot_change_published"].to_string(),
        ));
    }
    let Some(repo) = Repo::open(&desk.root).filter(|_| is_commit_id(commit)) else {
        return Ok(not_found(desk, ui, commit));
    };
    let paths: Vec<_> = article.files.values().map(|f| f.rel.clone()).collect();
    let Some(version) = repo.log(&paths, 500).into_iter().find(|v| v.commit == commit) else {
        return Ok(not_found(desk, ui, commit));
    };
    let mut written = Vec::new();
    for (lang, file) in &article.files {
        let Some(old) = repo.show(commit, &file.rel) else {
            continue;
        };
        // An author restores no version that is public.
        let public = !crate::desk::articles::read_file(&file.rel, &article.stem, lang, old.clone()).draft;
        if public && !asked.role().reviews() {
            return Ok(message(desk, ui, 403, words(ui)["author_cannot_publish"].to_string()));
        }
        if old != file.text {
            save::write_atomically(&desk.root.join(&file.rel), &old)?;
            written.push(file.rel.clone());
        }
    }
    let message = format!(
        "Restored «{}» to the version of {} ({}, {})",
        article.title(ui),
        version.date,
        version.short,
        version.author
    );
    super::commit(desk, asked, written, message);
    Ok(to_editor(ui, id, true))
}
