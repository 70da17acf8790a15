//! `POST photo`: an uploaded photo — sniffed, named after the article, written beside it, and
//! listed in every language file's `[[photos]]` with the alt text the upload form gave in that
//! language. An upload without an alt text for each language writes nothing: a photo without
//! one would stop the build (and the publishing with it).

use anyhow::{Context as _, Result};

use super::{facts, find, message, not_found, to_editor};
use crate::desk::save;
use crate::desk::text::words;
use crate::desk::{Answer, Asked, Desk};
use crate::photos::process::{sniff, Kind};

pub(super) fn post(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, form) = (asked.ui, &asked.form);
    let facts = facts(desk)?;
    let id = form.get("id");
    let Some(article) = find(desk, &facts, id) else {
        return Ok(not_found(desk, ui, id));
    };
    if !super::may_change(asked, &article) {
        let says = crate::desk::text::words(asked.ui)["author_cannot_change_published"];
        return Ok(super::message(desk, asked.ui, 403, says.to_string()));
    }
    let Some((_, bytes)) = asked.files.iter().find(|(n, _)| n == "upload") else {
        return Ok(to_editor(ui, id, false));
    };
    let extension = match sniff(bytes) {
        Ok(Kind::Jpeg) => "jpg",
        Ok(Kind::Png) => "png",
        Ok(Kind::Webp) => "webp",
        Err(why) => {
            let said = crate::desk::catalogue::translate(&why, ui).unwrap_or(why);
            return Ok(message(desk, ui, 415, format!("{}: {said}", words(ui)["photos"])));
        }
    };
    // The upload's own alt fields (`LANG.alt.N` are the editor's, of the photos already there).
    let alt = |lang: &str| form.get(&format!("upload.alt.{lang}")).trim().to_string();
    let missing: Vec<&str> = article
        .files
        .keys()
        .filter(|lang| alt(lang).is_empty())
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        let text = format!("{} {}", words(ui)["upload_needs_alt"], missing.join(", "));
        return Ok(message(desk, ui, 422, text));
    }
    let dir = desk.root.join(&article.folder);
    let name = (1..1000)
        .map(|n| format!("{}-{n}.{extension}", article.stem))
        .find(|n| !dir.join(n).exists())
        .context("too many photos")?;
    // Sent with the editor's form (the upload button is in it): its unsaved edits are saved
    // with the photo, checked as a save is; sent alone, the files as they are.
    let edited: Vec<super::save::Rewrite> = if form.has("date") {
        match super::save::checked(desk, asked, &facts, &article)? {
            Ok(rewrites) => rewrites,
            Err(answer) => return Ok(answer),
        }
    } else {
        Vec::new()
    };
    // Every file's new text first: a file that cannot take the photo leaves nothing written.
    let mut texts = Vec::new();
    for (lang, file) in &article.files {
        let alt = alt(lang);
        let base = edited.iter().find(|r| &r.lang == lang).map_or(&file.text, |r| &r.text);
        let text = save::add_photo(base, &name, &alt).map_err(|e| anyhow::anyhow!("{}: {e}", file.rel.display()))?;
        texts.push((desk.root.join(&file.rel), text));
    }
    save::write_new(&dir.join(&name), bytes)?;
    for (path, text) in &texts {
        save::write_atomically(path, text)?;
    }
    let mut paths: Vec<std::path::PathBuf> = article.files.values().map(|f| f.rel.clone()).collect();
    paths.push(article.folder.join(&name));
    let message = format!("Uploaded the photo {name} to «{}»", article.title(ui));
    super::commit(desk, asked, paths, message);
    Ok(to_editor(ui, id, false))
}
