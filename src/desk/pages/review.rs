//! `POST review`: an article submitted for review (by anyone who may change it), returned to
//! its author with a comment, or approved — made public — (by an editor). Each changes the
//! article's files' `draft` and `[review]` only, on their text as it is on disk now; an
//! approval is checked as the build reads it first, and refused with the problems shown.

use anyhow::Result;

use super::{denied, facts, find, may_change, message, not_found, to_editor};
use crate::desk::guard::Refusal;
use crate::desk::review::{self, State};
use crate::desk::save;
use crate::desk::text::words;
use crate::desk::{Answer, Asked, Desk};

/// What an action does to a file's text.
type Edit<'a> = dyn Fn(&str) -> Result<String, String> + 'a;

pub(super) fn post(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, form) = (asked.ui, &asked.form);
    let facts = facts(desk)?;
    let id = form.get("id");
    let Some(article) = find(desk, &facts, id) else {
        return Ok(not_found(desk, ui, id));
    };
    let by = asked.by();
    let at = jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let state = review::of_article(&article);
    let action = form.get("action");
    let edit: Box<Edit<'_>> = match action {
        "submit" => {
            if !may_change(asked, &article) {
                return Ok(denied(desk, ui, Refusal::Role));
            }
            Box::new(|text| review::submit(text, &by, &at))
        }
        "return" | "approve" if !asked.role().reviews() => return Ok(denied(desk, ui, Refusal::Role)),
        "return" => {
            let comment = form.get("comment").trim().to_string();
            if comment.is_empty() {
                return Ok(message(desk, ui, 422, words(ui)["review_comment_needed"].to_string()));
            }
            Box::new(move |text| review::send_back(text, &by, &at, &comment))
        }
        "approve" => Box::new(review::approve),
        _ => {
            return Ok(message(
                desk,
                ui,
                400,
                format!("{}: `{action}`", words(ui)["unknown_action"]),
            ))
        }
    };
    if state == State::Published && action != "approve" {
        return Ok(to_editor(ui, id, false));
    }
    let photos = crate::photos::Store::new(&desk.root, facts.config.photos.clone());
    let mut writes = Vec::new();
    for (lang, file) in &article.files {
        let text = edit(&file.text).map_err(anyhow::Error::msg)?;
        if action == "approve" {
            let problems = super::save::check_text(&photos, &facts, &file.rel, &article.stem, lang, &text);
            if !problems.is_empty() {
                let all: Vec<String> = problems.into_values().flatten().collect();
                return Ok(message(
                    desk,
                    ui,
                    422,
                    format!("{}: {}", file.rel.display(), all.join("; ")),
                ));
            }
        }
        if text != file.text {
            writes.push((file.rel.clone(), text));
        }
    }
    for (rel, text) in &writes {
        save::write_atomically(&desk.root.join(rel), text)?;
    }
    let title = article.title(ui);
    let message = match action {
        "submit" => format!("Submitted «{title}» for review"),
        "return" => format!("Returned «{title}» to its author: {}", form.get("comment").trim()),
        _ => format!("Approved «{title}»: published"),
    };
    super::commit(desk, asked, writes.into_iter().map(|(rel, _)| rel).collect(), message);
    Ok(to_editor(ui, id, true))
}
