//! `users`: the accounts, for an admin: each with its role and e-mail, a form to add one, and
//! for each a new password or removal (its sessions end with either). The same rules as
//! `twinpress user` (names, OWASP's password rules), the same file; an admin cannot remove
//! their own account (someone must be left to manage the rest).

use anyhow::Result;
use serde_json::json;

use super::{message, render};
use crate::desk::accounts::{Role, Users};
use crate::desk::text::words;
use crate::desk::{Answer, Asked, Desk, PREFIX};

pub(super) fn page(desk: &Desk, asked: &Asked) -> Result<Answer> {
    show(desk, asked, 200, None, asked.query.get("done"))
}

fn show(desk: &Desk, asked: &Asked, status: u16, problem: Option<String>, done: &str) -> Result<Answer> {
    let users = Users::load(&desk.root)?;
    let t = words(asked.ui);
    let accounts: Vec<_> = users
        .accounts
        .iter()
        .map(|a| {
            json!({"name": a.name, "role": t[format!("role_{}", a.role.as_str()).as_str()], "email": a.email,
                   "me": asked.account.as_ref().is_some_and(|me| me.name == a.name)})
        })
        .collect();
    let ctx = json!({
        "title": t["users"],
        "accounts": accounts,
        "problem": problem,
        "done": (!done.is_empty()).then(|| done.to_string()),
    });
    Ok(Answer::html(status, render(desk, "users.html", asked, ctx)))
}

pub(super) fn post(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, form) = (asked.ui, &asked.form);
    let mut users = Users::load(&desk.root)?;
    let name = form.get("name").trim().to_string();
    let result = match form.get("action") {
        "add" => {
            let role = Role::parse(form.get("role"));
            let email = Some(form.get("email").trim()).filter(|e| !e.is_empty());
            if form.get("password") != form.get("again") {
                Err(anyhow::anyhow!("{}", words(ui)["passwords_differ"]))
            } else {
                role.and_then(|role| users.add(&name, email, role, form.get("password")))
            }
        }
        "passwd" => {
            if form.get("password") != form.get("again") {
                Err(anyhow::anyhow!("{}", words(ui)["passwords_differ"]))
            } else {
                users.set_password(&name, form.get("password"))
            }
        }
        "remove" if asked.account.as_ref().is_some_and(|me| me.name == name) => {
            Err(anyhow::anyhow!("{}", words(ui)["cannot_remove_self"]))
        }
        "remove" => users.remove(&name),
        other => {
            return Ok(message(
                desk,
                ui,
                400,
                format!("{}: `{other}`", words(ui)["unknown_action"]),
            ))
        }
    };
    match result.and_then(|()| users.save(&desk.root)) {
        Ok(()) => Ok(Answer::see_other(format!(
            "{PREFIX}{ui}/users?done={}",
            super::encode(&name)
        ))),
        Err(e) => {
            let said = e.to_string();
            let said = crate::desk::catalogue::translate(&said, ui).unwrap_or(said);
            show(desk, asked, 422, Some(said), "")
        }
    }
}
