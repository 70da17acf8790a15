//! `delete`: one language file of an article moved to the trash (`.trash/` beside `content/`),
//! after a page that asks; the last language takes the article's photos with it.

use anyhow::Result;
use serde_json::json;

use super::{encode, facts, find, not_found, render};
use crate::desk::articles::version;
use crate::desk::save;
use crate::desk::text::words;
use crate::desk::{Answer, Asked, Desk, PREFIX};

pub(super) fn page(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, query) = (asked.ui, &asked.query);
    let facts = facts(desk)?;
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
    Ok(Answer::html(200, render(desk, "delete.html", asked, ctx)))
}

pub(super) fn post(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, form) = (asked.ui, &asked.form);
    let facts = facts(desk)?;
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
        return Ok(Answer::html(409, render(desk, "conflict.html", asked, ctx)));
    }
    // The site's clock, as the rest of the desk's days.
    let now = crate::zone::now().map_err(anyhow::Error::msg)?;
    let stamp = facts
        .config
        .timezone
        .local_at(now)
        .strftime("%Y%m%dT%H%M%S")
        .to_string();
    let moved = save::to_trash(&desk.root, &file.rel, &stamp)?;
    let mut gone = vec![file.rel.clone()];
    // The last language gone: its photos go with it.
    if let (1, Some(s)) = (article.files.len(), &file.source) {
        for p in &s.photos {
            let rel = article.folder.join(&p.file);
            if desk.root.join(&rel).is_file() {
                save::to_trash(&desk.root, &rel, &stamp)?;
                gone.push(rel);
            }
        }
    }
    let message = format!("Deleted «{}» ({lang}): moved to the trash", article.title(lang));
    super::commit(desk, asked, gone, message);
    let deleted = encode(&moved.display().to_string());
    Ok(Answer::see_other(format!("{PREFIX}{ui}/?deleted={deleted}")))
}
