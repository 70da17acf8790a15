//! `import`: a pasted press release made into a draft, as `twinpress import` does, and opened
//! in the editor with what the importer found and did not find.

use anyhow::{Context as _, Result};
use serde_json::json;

use super::{encode, facts, languages, render};
use crate::desk::articles::id_of;
use crate::desk::form::Form;
use crate::desk::text::words;
use crate::desk::{Answer, Asked, Desk, PREFIX};

pub(super) fn page(desk: &Desk, asked: &Asked) -> Result<Answer> {
    form_page(desk, asked, &Form::default(), None)
}

/// The form, filled as `form` was, with `error` above it (and status 422) when there is one.
fn form_page(desk: &Desk, asked: &Asked, form: &Form, error: Option<String>) -> Result<Answer> {
    let ui = asked.ui;
    let facts = facts(desk)?;
    let ctx = json!({
        "title": words(ui)["import"],
        "languages": languages(&facts),
        "form": {"text": form.get("text"), "lang": form.get("lang")},
        "error": error,
    });
    let status = if error.is_some() { 422 } else { 200 };
    Ok(Answer::html(status, render(desk, "import.html", asked, ctx)))
}

pub(super) fn post(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, form) = (asked.ui, &asked.form);
    let facts = facts(desk)?;
    let text = form.get("text");
    if text.trim().is_empty() {
        return form_page(desk, asked, form, Some(words(ui)["paste"].to_string()));
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
        return form_page(desk, asked, form, Some(message));
    }
    let rel = crate::import::write_unique(&desk.root, &imported.draft, &[])
        .context("the imported draft could not be written")?;
    let message = format!("Imported «{}» from a press release", imported.draft.title.trim());
    super::commit(desk, asked, vec![rel.clone()], message);
    // What was found and what was not, as the command line prints it, shown on the editor.
    let found: String = imported
        .report
        .iter()
        .map(|line| format!("&found={}", encode(line)))
        .collect();
    let id = id_of(&rel).unwrap_or_default();
    Ok(Answer::see_other(format!(
        "{PREFIX}{ui}/edit?id={}{found}",
        encode(&id)
    )))
}
