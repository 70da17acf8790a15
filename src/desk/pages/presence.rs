//! `POST here`: the editor page, still open, says so (every thirty seconds, from its script).

use anyhow::Result;

use crate::desk::{Answer, Asked, Desk};

pub(super) fn here(desk: &Desk, asked: &Asked) -> Result<Answer> {
    if let Some(me) = &asked.account {
        let id = asked.form.get("id");
        // Only an article the desk lists: the map holds no name a request made up.
        let known = super::facts(desk)
            .map(|f| desk.scanner.knows(&desk.root, &f.languages(), id))
            .unwrap_or(false);
        if known {
            desk.presence.open(id, &me.name);
        }
    }
    Ok(Answer {
        status: 204,
        content_type: "text/plain; charset=utf-8",
        body: Vec::new(),
        headers: Vec::new(),
    })
}
