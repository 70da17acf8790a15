//! `new`: the form for a new article, and its post, which writes the file as
//! `twinpress new` does.

use anyhow::Result;
use serde_json::json;

use super::{cities, facts, languages, render, to_editor};
use crate::desk::articles::id_of;
use crate::desk::form::Form;
use crate::desk::text::words;
use crate::desk::{Answer, Asked, Desk};
use crate::editor::{new_article, NewArticle};

pub(super) fn page(desk: &Desk, asked: &Asked) -> Result<Answer> {
    form_page(desk, asked, &Form::default(), None)
}

/// The form, filled as `form` was, with `error` above it (and status 422) when there is one.
fn form_page(desk: &Desk, asked: &Asked, form: &Form, error: Option<String>) -> Result<Answer> {
    let ui = asked.ui;
    let facts = facts(desk)?;
    let date = match form.get("date") {
        "" => facts.config.timezone.today().map_err(anyhow::Error::msg)?.to_string(),
        date => date.to_string(),
    };
    let ctx = json!({
        "title": words(ui)["new"],
        "cities": cities(&facts, ui),
        "languages": languages(&facts),
        "form": {
            "title": form.get("title"),
            "lang": if form.get("lang").is_empty() { ui } else { form.get("lang") },
            "date": date,
            "region": form.get("region"),
            "partners": form.all("partners"),
        },
        "error": error,
    });
    let status = if error.is_some() { 422 } else { 200 };
    Ok(Answer::html(status, render(desk, "new.html", asked, ctx)))
}

pub(super) fn post(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, form) = (asked.ui, &asked.form);
    let date = match form.get("date").trim() {
        "" => None,
        d => match jiff::civil::Date::strptime("%Y-%m-%d", d) {
            Ok(d) => Some(d),
            Err(_) => {
                let error = format!("date `{d}`: write the day as 2025-08-29");
                return form_page(desk, asked, form, Some(error));
            }
        },
    };
    let request = NewArticle {
        title: form.get("title").to_string(),
        region: Some(form.get("region").to_string()).filter(|r| !r.is_empty()),
        partners: form.all("partners"),
        lang: Some(form.get("lang").to_string()).filter(|l| !l.is_empty()),
        date,
        ..Default::default()
    };
    match new_article(&desk.root, &request) {
        Ok(rel) => {
            let message = format!("New article «{}» ({})", request.title.trim(), form.get("lang"));
            super::commit(desk, asked, vec![rel.clone()], message);
            Ok(to_editor(ui, &id_of(&rel).unwrap_or_default(), false))
        }
        Err(e) => form_page(desk, asked, form, Some(crate::diagnostics::error_text(&e))),
    }
}
