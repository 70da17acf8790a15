//! The pages that are not news (`content/pages/<slug>.<lang>.md`): their list with a form for a
//! new one (`GET`/`POST site-pages`), and their editor with every language side by side
//! (`GET`/`POST site-page`). A slug from a request is checked before it names a file; the text
//! a save makes is read with the build's own parser first; a file changed on disk since it was
//! opened is never overwritten.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;
use serde_json::{json, Value as Json};

use super::editing::by_field_of;
use super::{encode, facts, render};
use crate::config::is_key;
use crate::content::{page, Facts, PAGES_DIR};
use crate::desk::articles::version;
use crate::desk::save;
use crate::desk::text::words;
use crate::desk::{Answer, Asked, Desk, PREFIX};

/// One language's file of a page, as it is on disk.
struct PageFile {
    rel: PathBuf,
    text: String,
}

/// What the editor's column of one language shows (or a save posted).
#[derive(Default, Clone)]
struct Column {
    title: String,
    summary: String,
    menu: String,
    draft: bool,
    body: String,
}

/// `GET site-pages`: every page, each language's title or that it is missing.
pub(super) fn list(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let facts = facts(desk)?;
    Ok(Answer::html(200, list_page(desk, asked, &facts, "", &[])))
}

fn list_page(desk: &Desk, asked: &Asked, facts: &Facts, slug: &str, problems: &[String]) -> String {
    let ui = asked.ui;
    let languages = facts.languages();
    let rows: Vec<Json> = slugs(desk, &languages)
        .into_iter()
        .map(|(slug, files)| {
            let langs: Vec<Json> = languages
                .iter()
                .map(|l| match files.get(*l) {
                    Some(f) => {
                        let parsed = page::parse(&f.rel, &slug, l, &f.text);
                        json!({
                            "code": l,
                            "present": true,
                            "title": parsed.as_ref().map(|(p, _)| p.title.clone()).unwrap_or_default(),
                            "draft": parsed.as_ref().is_ok_and(|(p, _)| p.draft),
                            "problems": parsed.is_err(),
                        })
                    }
                    None => json!({"code": l, "present": false}),
                })
                .collect();
            json!({"slug": slug, "qslug": encode(&slug), "langs": langs})
        })
        .collect();
    let t = words(ui);
    render(
        desk,
        "site-pages.html",
        asked,
        json!({
            "title": t["site_pages"],
            "rows": rows,
            "languages": crate::desk::pages::languages(facts),
            "slug": slug,
            "problems": problems,
        }),
    )
}

/// `POST site-pages`: a new page in one language, with its title.
pub(super) fn create(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, form) = (asked.ui, &asked.form);
    let facts = facts(desk)?;
    let slug = form.get("slug").trim().to_ascii_lowercase();
    let lang = form.get("lang");
    let title = form.get("title").trim();
    let t = words(ui);
    let mut problems = Vec::new();
    if let Err(why) = check_slug(&slug) {
        problems.push(why);
    }
    if !facts.languages().contains(&lang) {
        problems.push(format!("{}: `{lang}`", t["language"]));
    }
    if title.is_empty() {
        problems.push(t["page_title_needed"].to_string());
    }
    if !problems.is_empty() {
        return Ok(Answer::html(422, list_page(desk, asked, &facts, &slug, &problems)));
    }
    if slugs(desk, &facts.languages()).contains_key(&slug) {
        // It is there already: its editor, where a missing language can be written.
        return Ok(to_page(ui, &slug, false));
    }
    let mut column = Column {
        title: title.to_string(),
        ..Column::default()
    };
    column.body = String::new();
    let text = new_text(&column).map_err(anyhow::Error::msg)?;
    save::write_new(&desk.root.join(file_of(&slug, lang)), text.as_bytes())?;
    Ok(to_page(ui, &slug, false))
}

/// `GET site-page?slug=…`: the page's editor.
pub(super) fn edit(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let slug = asked.query.get("slug");
    show(desk, asked, slug, asked.query.has("saved"), None)
}

/// The editor of page `slug`: as its files are, or as `submitted` (with its problems) when a
/// save was refused.
fn show(desk: &Desk, asked: &Asked, slug: &str, saved: bool, submitted: Option<Submitted>) -> Result<Answer> {
    let ui = asked.ui;
    let facts = facts(desk)?;
    let languages = facts.languages();
    let Some(files) = check_slug(slug)
        .ok()
        .and_then(|()| slugs(desk, &languages).remove(slug))
    else {
        return Ok(super::not_found(desk, ui, slug));
    };
    let t = words(ui);
    let failed = submitted.is_some();
    let columns: Vec<Json> = facts
        .config
        .languages
        .iter()
        .map(|l| {
            let code = l.code.as_str();
            let file = files.get(code);
            let (column, problems, version) = match &submitted {
                Some(s) => (
                    s.columns.get(code).cloned().unwrap_or_default(),
                    s.problems.get(code).cloned().unwrap_or_default(),
                    s.versions.get(code).cloned().unwrap_or_default(),
                ),
                None => match file {
                    Some(f) => {
                        let (column, problems) = read_column(slug, code, f);
                        (column, problems, version(&f.text))
                    }
                    None => (Column::default(), BTreeMap::new(), String::new()),
                },
            };
            json!({
                "code": code,
                "name": l.name,
                "present": file.is_some(),
                "file": file.map(|f| f.rel.display().to_string()),
                "url": format!("/{code}/{slug}/"),
                "version": version,
                "title": column.title,
                "summary": column.summary,
                "menu": column.menu,
                "draft": column.draft,
                "body": column.body,
                "problems": problems,
            })
        })
        .collect();
    let title = columns
        .iter()
        .find(|c| c["code"] == ui && c["present"] == true)
        .or_else(|| columns.iter().find(|c| c["present"] == true))
        .and_then(|c| c["title"].as_str())
        .unwrap_or(slug)
        .to_string();
    let ctx = json!({
        "title": title,
        "slug": slug,
        "saved": saved && !failed,
        "notice": if failed { t["not_saved"] } else { "" },
        "columns": columns,
    });
    Ok(Answer::html(
        if failed { 422 } else { 200 },
        render(desk, "site-page.html", asked, ctx),
    ))
}

/// A save the build would not read, with what each language's column said.
struct Submitted {
    columns: BTreeMap<String, Column>,
    versions: BTreeMap<String, String>,
    problems: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// `POST site-page`: every language's column saved; a missing language's file is made when its
/// column has a title.
pub(super) fn save(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, form) = (asked.ui, &asked.form);
    let facts = facts(desk)?;
    let languages = facts.languages();
    let slug = form.get("slug");
    let Some(files) = check_slug(slug)
        .ok()
        .and_then(|()| slugs(desk, &languages).remove(slug))
    else {
        return Ok(super::not_found(desk, ui, slug));
    };
    let mut submitted = Submitted {
        columns: BTreeMap::new(),
        versions: BTreeMap::new(),
        problems: BTreeMap::new(),
    };
    // (file, its text on disk, its new text); a new file has no text on disk.
    let mut writes: Vec<(PathBuf, Option<String>, String)> = Vec::new();
    for lang in &languages {
        let field = |name: &str| form.get(&format!("{lang}.{name}")).to_string();
        let column = Column {
            title: field("title"),
            summary: field("summary"),
            menu: field("menu"),
            draft: form.has(&format!("{lang}.draft")),
            body: field("body"),
        };
        let text = match files.get(*lang) {
            Some(f) => {
                if field("version") != version(&f.text) {
                    return Ok(conflict(desk, asked, slug, f, edited(&f.text, &column).ok()));
                }
                submitted.versions.insert(lang.to_string(), field("version"));
                edited(&f.text, &column).map(|t| (f.rel.clone(), Some(f.text.clone()), t))
            }
            // A language not written yet, left empty: nothing to make.
            None if column.title.trim().is_empty() && column.body.trim().is_empty() => {
                submitted.columns.insert(lang.to_string(), column);
                continue;
            }
            None => new_text(&column).map(|t| (file_of(slug, lang), None, t)),
        };
        let problems = match &text {
            Ok((rel, _, text)) => match page::parse(rel, slug, lang, text) {
                Ok(_) => BTreeMap::new(),
                Err(problems) => by_field_of(text, &problems),
            },
            Err(e) => BTreeMap::from([("file".to_string(), vec![e.clone()])]),
        };
        if !problems.is_empty() {
            submitted.problems.insert(lang.to_string(), problems);
        }
        submitted.columns.insert(lang.to_string(), column);
        if let Ok(w) = text {
            writes.push(w);
        }
    }
    if !submitted.problems.is_empty() {
        return show(desk, asked, slug, false, Some(submitted));
    }
    for (rel, disk, text) in writes {
        match disk {
            Some(disk) if disk == text => {}
            Some(_) => save::write_atomically(&desk.root.join(&rel), &text)?,
            None => save::write_new(&desk.root.join(&rel), text.as_bytes())?,
        }
    }
    Ok(to_page(ui, slug, true))
}

/// The conflict page: `file` changed on disk since the editor opened it.
fn conflict(desk: &Desk, asked: &Asked, slug: &str, file: &PageFile, ours: Option<String>) -> Answer {
    let ui = asked.ui;
    let ctx = json!({
        "title": words(ui)["conflict"],
        "reopen": format!("{PREFIX}{ui}/site-page?slug={}", encode(slug)),
        "file": file.rel.display().to_string(),
        "disk": file.text,
        "ours": ours,
    });
    Answer::html(409, render(desk, "conflict.html", asked, ctx))
}

/// The editor of page `slug`, after a write.
fn to_page(ui: &str, slug: &str, saved: bool) -> Answer {
    let saved = if saved { "&saved=1" } else { "" };
    Answer::see_other(format!("{PREFIX}{ui}/site-page?slug={}{saved}", encode(slug)))
}

/// Why `slug` cannot name a page, if it cannot.
fn check_slug(slug: &str) -> Result<(), String> {
    if !is_key(slug) {
        return Err(format!(
            "`{slug}`: a page's name is lower-case Latin letters, digits and `-` (e.g. about, contacts)"
        ));
    }
    page::reserved(slug).map_or(Ok(()), Err)
}

/// The file of page `slug` in `lang` (both checked before).
fn file_of(slug: &str, lang: &str) -> PathBuf {
    PathBuf::from(PAGES_DIR).join(format!("{slug}.{lang}.md"))
}

/// Every page under `content/pages/` by slug, with its files by language.
fn slugs(desk: &Desk, languages: &[&str]) -> BTreeMap<String, BTreeMap<String, PageFile>> {
    let mut problems = crate::diagnostics::Problems::default();
    let mut out: BTreeMap<String, BTreeMap<String, PageFile>> = BTreeMap::new();
    for rel in crate::content::list_files(&desk.root, PAGES_DIR, false, &mut problems) {
        let Some(name) = rel.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some((slug, lang)) = crate::content::article::split_file_name(name) else {
            continue;
        };
        if !is_key(slug) || !languages.contains(&lang) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(desk.root.join(&rel)) else {
            continue;
        };
        out.entry(slug.to_string())
            .or_default()
            .insert(lang.to_string(), PageFile { rel, text });
    }
    out
}

/// A language's column as its file says (loosely where the file does not parse), with the
/// build's problems by field.
fn read_column(slug: &str, lang: &str, f: &PageFile) -> (Column, BTreeMap<String, Vec<String>>) {
    let split = crate::content::frontmatter::split(&f.text).ok();
    let table: toml::Table = split.as_ref().and_then(|s| s.front.parse().ok()).unwrap_or_default();
    let text = |key: &str| {
        table
            .get(key)
            .and_then(toml::Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let column = Column {
        title: text("title"),
        summary: text("summary"),
        menu: table
            .get("menu")
            .map(|m| m.to_string().trim_matches('"').to_string())
            .unwrap_or_default(),
        draft: table.get("draft").and_then(toml::Value::as_bool).unwrap_or(false),
        body: split
            .map(|s| s.body.trim_start_matches('\n').to_string())
            .unwrap_or_else(|| f.text.clone()),
    };
    let problems = match page::parse(&f.rel, slug, lang, &f.text) {
        Ok(_) => BTreeMap::new(),
        Err(p) => by_field_of(&f.text, &p),
    };
    (column, problems)
}

/// `text` with the column's fields and body; its other keys (aliases, photos, `[extra]`) and
/// comments as they were.
fn edited(text: &str, column: &Column) -> Result<String, String> {
    save::edit_front(text, Some(&column.body), |doc| {
        save::set_str(doc, "title", column.title.trim(), true);
        save::set_str(doc, "summary", column.summary.trim(), false);
        let menu = column.menu.trim();
        match menu.parse::<i64>() {
            Ok(n) => save::set(doc, "menu", toml_edit::Value::from(n)),
            Err(_) if menu.is_empty() => {
                doc.remove("menu");
            }
            // Left as text: the build's check says what is wrong with it, beside the field.
            Err(_) => save::set(doc, "menu", toml_edit::Value::from(menu)),
        }
        if column.draft || doc.contains_key("draft") {
            save::set(doc, "draft", toml_edit::Value::from(column.draft));
        }
    })
}

/// A new file's text: the column's fields as front matter, then its body.
fn new_text(column: &Column) -> Result<String, String> {
    edited("+++\n+++\n", column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_keeps_the_keys_the_editor_does_not_show() {
        let text = "+++\n# the menu's second\ntitle = \"Old\"\nmenu = 2\naliases = [\"/ru/o.html\"]\n[extra]\nphone = \"1\"\n+++\nOld body.\n";
        let column = Column {
            title: "New".into(),
            summary: String::new(),
            menu: "3".into(),
            draft: false,
            body: "New body.".into(),
        };
        let out = edited(text, &column).unwrap();
        assert!(
            out.contains("# the menu's second\ntitle = \"New\"\nmenu = 3\naliases = [\"/ru/o.html\"]"),
            "{out}"
        );
        assert!(out.contains("[extra]\nphone = \"1\"\n+++\n"), "{out}");
        assert!(out.ends_with("New body.\n"), "{out}");
        assert!(!out.contains("draft"), "draft = false is not added: {out}");
        let new = new_text(&Column {
            title: "О нас".into(),
            menu: "1".into(),
            body: "Текст.".into(),
            ..Column::default()
        })
        .unwrap();
        assert_eq!(new, "+++\ntitle = \"О нас\"\nmenu = 1\n+++\n\nТекст.\n");
        page::parse(std::path::Path::new("content/pages/a.ru.md"), "a", "ru", &new).unwrap();
    }

    #[test]
    fn a_slug_from_a_request_names_no_other_file() {
        for bad in ["../site", "a/b", "About", "news", "", "a.b"] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
        assert!(check_slug("about-us").is_ok());
    }
}
