//! `POST edit`: the editor's form saved. Every language's new text is made and checked as the
//! build would read it first; a file changed on disk since it was opened is never overwritten
//! (both versions are shown); only files whose text changes are written, atomically.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::editing::{by_field_of, Editing};
use super::{edit, facts, find, may_change, message, not_found, to_editor_showing};
use crate::content::Facts;
use crate::desk::articles::{version, DeskArticle};
use crate::desk::save;
use crate::desk::text::words;
use crate::desk::{Answer, Asked, Desk};

/// A language file to write: its language, path, text on disk and new text.
pub(super) struct Rewrite {
    pub(super) lang: String,
    pub(super) rel: PathBuf,
    pub(super) disk: String,
    pub(super) text: String,
}

pub(super) fn post(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, form) = (asked.ui, &asked.form);
    let facts = facts(desk)?;
    let id = form.get("id");
    let Some(article) = find(desk, &facts, id) else {
        return Ok(not_found(desk, ui, id));
    };
    let rewrites = match checked(desk, asked, &facts, &article)? {
        Ok(rewrites) => rewrites,
        Err(answer) => return Ok(answer),
    };
    // Only files whose text changes are written: an unchanged file keeps its time.
    let changed: Vec<&Rewrite> = rewrites.iter().filter(|r| r.disk != r.text).collect();
    for r in &changed {
        save::write_atomically(&desk.root.join(&r.rel), &r.text)?;
    }
    if !changed.is_empty() {
        let langs: Vec<&str> = changed.iter().map(|r| r.lang.as_str()).collect();
        // Named by its title as saved.
        let title = changed
            .iter()
            .find(|r| r.lang == ui)
            .or(changed.first())
            .map(|r| crate::desk::articles::read_file(&r.rel, &article.stem, &r.lang, r.text.clone()).title)
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| article.title(ui));
        let message = format!("Saved «{}» ({})", title.trim(), langs.join(", "));
        super::commit(desk, asked, changed.iter().map(|r| r.rel.clone()).collect(), message);
    }
    // The preview shows the page of a language the save changed, the desk's own if it did.
    let shown = (!changed.is_empty() && !changed.iter().any(|r| r.lang == ui)).then(|| changed[0].lang.as_str());
    Ok(to_editor_showing(ui, &article.id, true, shown))
}

/// The editor's form of `article` made into each language file's new text and checked as a save
/// checks it: `Err` with the page to answer when it may not be written (a published article an
/// author may not change, a draft box an author unchecked, a file changed on disk, a problem
/// the build would find).
pub(super) fn checked(
    desk: &Desk,
    asked: &Asked,
    facts: &Facts,
    article: &DeskArticle,
) -> Result<Result<Vec<Rewrite>, Answer>> {
    let ui = asked.ui;
    if !may_change(asked, article) {
        let says = words(ui)["author_cannot_change_published"].to_string();
        return Ok(Err(message(desk, ui, 403, says)));
    }
    let mut editing = Editing::from_form(&asked.form, &facts.languages());
    let rewrites = match rewrites(desk, asked, article, &mut editing) {
        Ok(rewrites) => rewrites,
        Err(conflict) => return Ok(Err(conflict)),
    };
    // An author's save never makes a file public: that is an editor's approval.
    let publishes = rewrites
        .iter()
        .any(|r| !crate::desk::articles::read_file(&r.rel, &article.stem, &r.lang, r.text.clone()).draft);
    if publishes && !asked.role().reviews() {
        return Ok(Err(message(
            desk,
            ui,
            403,
            words(ui)["author_cannot_publish"].to_string(),
        )));
    }
    let photos = crate::photos::Store::new(&desk.root, facts.config.photos.clone());
    for r in &rewrites {
        let problems = check_text(&photos, facts, &r.rel, &article.stem, &r.lang, &r.text);
        if !problems.is_empty() {
            editing.problems.insert(r.lang.clone(), problems);
        }
    }
    if !editing.problems.is_empty() {
        let notice = words(ui)["not_saved"];
        return Ok(Err(edit::show(
            desk,
            asked,
            &article.id,
            false,
            Some((editing, notice)),
            &[],
        )?));
    }
    Ok(Ok(rewrites))
}

/// Each language file's new text; a file that cannot take it gets a problem in `editing`. A
/// file changed on disk since the editor opened it ends the save with the merge page.
fn rewrites(desk: &Desk, asked: &Asked, article: &DeskArticle, editing: &mut Editing) -> Result<Vec<Rewrite>, Answer> {
    let mut rewrites = Vec::new();
    for (lang, said) in &editing.words {
        let Some(file) = article.files.get(lang) else {
            continue;
        };
        // Read afresh by `find`, under the desk's write lock.
        let disk = file.text.clone();
        if editing.versions.get(lang) != Some(&version(&disk)) {
            return Err(super::merge::page(desk, asked, article, editing, &file.rel));
        }
        match save::rewrite(&disk, &editing.shared, said) {
            Ok(text) => rewrites.push(Rewrite {
                lang: lang.clone(),
                rel: file.rel.clone(),
                disk,
                text,
            }),
            Err(e) => {
                let problems = editing.problems.entry(lang.clone()).or_default();
                problems.insert("file".into(), vec![e]);
            }
        }
    }
    Ok(rewrites)
}

/// Problems of `text` (the file `rel` would become) by form field, in the build's words.
pub(super) fn check_text(
    photos: &crate::photos::Store,
    facts: &Facts,
    rel: &Path,
    stem: &str,
    lang: &str,
    text: &str,
) -> BTreeMap<String, Vec<String>> {
    let (source, body) = match crate::content::article::parse(rel, stem, lang, text) {
        Ok(parsed) => parsed,
        Err(problems) => return by_field_of(text, &problems),
    };
    let mut by_field: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // What the build's Markdown refuses: HTML (unless the site allows it), scripted links.
    for (line, message) in crate::markdown::unsafe_html(body, facts.config.raw_html) {
        let at = source.body_line + line - 1;
        by_field
            .entry("body".into())
            .or_default()
            .push(format!("line {at}: {message}"));
    }
    // Each photo as the build reads it (through the same store, so the preview's rebuild finds
    // it made).
    let dir = rel.parent().unwrap_or(Path::new(""));
    for p in &source.photos {
        if let Err(msg) = photos.get(&dir.join(&p.file)) {
            let problem = format!("photo `{}` {msg}", p.file);
            by_field.entry("photos".into()).or_default().push(problem);
        }
    }
    let partners: Vec<String> = source.partners.iter().map(|p| p.key.clone()).collect();
    if let Err(e) = crate::editor::check_route(&facts.cities, &source.region.key, &partners) {
        let field = if facts.city(&source.region.key).is_some() {
            "partners"
        } else {
            "region"
        };
        by_field.entry(field.into()).or_default().push(e.to_string());
    }
    by_field
}
