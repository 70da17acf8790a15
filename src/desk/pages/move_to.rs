//! `POST move`: the article moved to the stem its date (as saved) asks for — every language
//! file, the old addresses kept as aliases, the photos beside them ([`crate::desk::moving`]).

use anyhow::Result;

use super::{facts, find, message, not_found, to_editor};
use crate::desk::articles::id_of;
use crate::desk::moving;
use crate::desk::{Answer, Asked, Desk};

pub(super) fn post(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let ui = asked.ui;
    let facts = facts(desk)?;
    let id = asked.form.get("id");
    let Some(article) = find(desk, &facts, id) else {
        return Ok(not_found(desk, ui, id));
    };
    if !super::may_change(asked, &article) {
        let says = crate::desk::text::words(asked.ui)["author_cannot_change_published"];
        return Ok(super::message(desk, asked.ui, 403, says.to_string()));
    }
    let date = article
        .any_source()
        .map(|s| s.date.day().to_string())
        .unwrap_or_default();
    let Some(stem) = moving::moved_stem(&article.stem, &date) else {
        return Ok(to_editor(ui, id, false));
    };
    let steps = match moving::plan(&desk.root, &article, &stem) {
        Ok(steps) => steps,
        Err(e) => return Ok(message(desk, ui, 409, crate::diagnostics::error_text(&e))),
    };
    moving::run(&desk.root, &steps)?;
    let paths = steps.iter().flat_map(|s| [s.from.clone(), s.to.clone()]).collect();
    super::commit(desk, asked, paths, format!("Moved «{}» to {stem}", article.title(ui)));
    let new_id = steps
        .iter()
        .find(|s| s.text.is_some())
        .and_then(|s| id_of(&s.to))
        .unwrap_or_default();
    Ok(to_editor(ui, &new_id, true))
}
