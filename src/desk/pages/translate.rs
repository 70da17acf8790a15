//! `POST translate`: a translation begun — a new language file of the article, made by
//! `twinpress new --translate` from a file that parses.

use anyhow::Result;

use super::{facts, find, message, not_found, to_editor};
use crate::desk::{Answer, Asked, Desk};
use crate::editor::{new_article, NewArticle};

pub(super) fn post(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, form) = (asked.ui, &asked.form);
    let facts = facts(desk)?;
    let id = form.get("id");
    let lang = form.get("lang");
    let Some(article) = find(desk, &facts, id) else {
        return Ok(not_found(desk, ui, id));
    };
    if !super::may_change(asked, &article) {
        let says = crate::desk::text::words(asked.ui)["author_cannot_change_published"];
        return Ok(super::message(desk, asked.ui, 403, says.to_string()));
    }
    let Some(original) = article.files.values().find(|f| f.source.is_some()) else {
        return Ok(message(
            desk,
            ui,
            422,
            crate::desk::text::words(ui)["fix_first"].to_string(),
        ));
    };
    if !facts.languages().contains(&lang) || article.files.contains_key(lang) {
        return Ok(to_editor(ui, id, false));
    }
    let title = match form.get("title").trim() {
        "" => article.title(lang),
        title => title.to_string(),
    };
    let request = NewArticle {
        title,
        lang: Some(lang.to_string()),
        translate_from: Some(original.rel.clone()),
        ..Default::default()
    };
    let rel = new_article(&desk.root, &request)?;
    let message = format!("Began the {lang} translation of «{}»", article.title(ui));
    super::commit(desk, asked, vec![rel], message);
    Ok(to_editor(ui, id, false))
}
