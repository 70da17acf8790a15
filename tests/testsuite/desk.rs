//! The editors' desk over HTTP, as a browser's form posts reach it: what a save writes to the
//! article files, and what it refuses to write.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use crate::serve::Server;
use crate::support::Site;

/// A desk signed in with the token `serve` printed.
pub(crate) struct Desk {
    pub server: Server,
    token: String,
}

impl Desk {
    pub fn start(site: &Site) -> Desk {
        let (server, said) = Server::start_with(site, &[]);
        let url = said
            .trim()
            .strip_prefix("The desk for editors: ")
            .expect(&said)
            .to_string();
        let token = url.rsplit('=').next().unwrap().to_string();
        Desk { server, token }
    }

    /// A request with the desk's cookie and a body of `content_type`: the status and the
    /// whole response.
    fn send(&self, method: &str, target: &str, content_type: &str, body: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.server.addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let addr = &self.server.addr;
        write!(
            stream,
            "{method} {target} HTTP/1.0\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nCookie: twinpress_desk={}\r\n\
             Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            self.token,
            body.len()
        )
        .unwrap();
        stream.write_all(body).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8_lossy(&response).into_owned();
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, response)
    }

    /// A `multipart/form-data` post of `fields` and one file field `upload`.
    pub fn upload(&self, target: &str, fields: &[(&str, &str)], photo: &[u8]) -> (u16, String) {
        let boundary = "twinpressboundary7";
        let mut body = Vec::new();
        for (name, value) in fields {
            write!(
                body,
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .unwrap();
        }
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .unwrap();
        body.extend_from_slice(photo);
        write!(body, "\r\n--{boundary}--\r\n").unwrap();
        self.send(
            "POST",
            target,
            &format!("multipart/form-data; boundary={boundary}"),
            &body,
        )
    }

    pub fn get(&self, target: &str) -> (u16, String) {
        self.send("GET", target, "text/plain", b"")
    }

    pub fn post(&self, target: &str, fields: &[(String, String)]) -> (u16, String) {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.send("POST", target, "application/x-www-form-urlencoded", body.as_bytes())
    }

    /// The fields the editor's form of `id` would post as it is shown.
    pub fn edit_form(&self, id: &str) -> Vec<(String, String)> {
        let (status, page) = self.get(&format!("/_desk/ru/edit?id={}", id.replace('/', "%2F")));
        assert_eq!(status, 200, "{page}");
        form_fields(&page, "form#edit, form[action$=\"/edit\"]")
    }
}

/// The (name, value) pairs a browser posts for the first form matching `selector`.
pub(crate) fn form_fields(html: &str, selector: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    let form = doc
        .select(&scraper::Selector::parse(selector).unwrap())
        .next()
        .unwrap_or_else(|| panic!("no form {selector} in {html}"));
    let mut out = Vec::new();
    for el in form.select(&scraper::Selector::parse("input, textarea, select").unwrap()) {
        let v = el.value();
        let Some(name) = v.attr("name") else { continue };
        match (v.name(), v.attr("type").unwrap_or("")) {
            ("input", "checkbox") if v.attr("checked").is_none() => {}
            ("input", "checkbox") => out.push((name.to_string(), "on".to_string())),
            ("input", "file" | "submit") => {}
            ("input", _) => out.push((name.to_string(), v.attr("value").unwrap_or("").to_string())),
            ("textarea", _) => out.push((name.to_string(), el.text().collect::<String>())),
            _ => {
                for option in el.select(&scraper::Selector::parse("option[selected]").unwrap()) {
                    let value = option.value().attr("value").unwrap_or("").to_string();
                    out.push((name.to_string(), value));
                }
            }
        }
    }
    out
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    let field = fields
        .iter_mut()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no field {name}"));
    field.1 = value.to_string();
}

fn mode(site: &Site, rel: &str) -> u32 {
    std::fs::metadata(site.path(rel)).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_save_writes_only_the_changed_file_and_key_and_keeps_the_files_mode() {
    let site = Site::copy("good");
    let kk = "content/news/2025/2025-08-29-qinghai.kk.md";
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    for (rel, m) in [(kk, 0o644), (ru, 0o664)] {
        std::fs::set_permissions(site.path(rel), std::fs::Permissions::from_mode(m)).unwrap();
    }
    let (kk_before, ru_before) = (site.read(kk), site.read(ru));
    let desk = Desk::start(&site);
    let mut fields = desk.edit_form("2025/2025-08-29-qinghai");
    set(&mut fields, "kk.summary", "Жаңа қысқаша мазмұн.");
    let (status, page) = desk.post("/_desk/ru/edit", &fields);
    assert_eq!(status, 303, "{page}");
    assert_eq!(site.read(ru), ru_before, "the Russian file is not written");
    let kk_after = site.read(kk);
    let added: Vec<&str> = kk_after
        .lines()
        .filter(|l| !kk_before.lines().any(|b| b == *l))
        .collect();
    let gone: Vec<&str> = kk_before
        .lines()
        .filter(|l| !kk_after.lines().any(|a| a == *l))
        .collect();
    assert_eq!(added, ["summary = \"Жаңа қысқаша мазмұн.\""], "{kk_after}");
    assert!(gone.is_empty(), "{kk_after}");
    assert_eq!(mode(&site, kk), 0o644, "the saved file keeps its mode");
    assert_eq!(mode(&site, ru), 0o664);

    // Saving the form again as it is writes nothing at all.
    let fields = desk.edit_form("2025/2025-08-29-qinghai");
    let modified = std::fs::metadata(site.path(kk)).unwrap().modified().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(desk.post("/_desk/ru/edit", &fields).0, 303);
    assert_eq!(std::fs::metadata(site.path(kk)).unwrap().modified().unwrap(), modified);
    assert_eq!(site.read(ru), ru_before);
}

#[test]
fn after_a_save_the_preview_shows_the_language_whose_text_changed() {
    let site = Site::copy("good");
    let desk = Desk::start(&site);
    let id = "2025/2025-08-29-qinghai";
    let iframe = |page: &str| -> String {
        let doc = scraper::Html::parse_document(page);
        let sel = scraper::Selector::parse("iframe#preview").unwrap();
        let src = doc
            .select(&sel)
            .next()
            .map(|e| e.value().attr("src").unwrap_or("").to_string());
        src.unwrap_or_else(|| panic!("no preview in {page}"))
    };
    // The Kazakh desk edits the Russian text only: the preview follows it to the Russian page.
    let mut fields = desk.edit_form(id);
    set(&mut fields, "ru.summary", "Новое краткое содержание.");
    let (status, answer) = desk.post("/_desk/kk/edit", &fields);
    assert_eq!(status, 303, "{answer}");
    let location = answer
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .unwrap_or_else(|| panic!("{answer}"))
        .trim()
        .to_string();
    assert!(location.contains("preview=ru"), "{location}");
    assert_eq!(iframe(&desk.get(&location).1), "/ru/news/2025-08-29-qinghai/");
    // A save of the desk's own language keeps its page; a language the article lacks is not asked for.
    let mut fields = desk.edit_form(id);
    set(&mut fields, "kk.summary", "Жаңа мазмұн.");
    let (_, answer) = desk.post("/_desk/kk/edit", &fields);
    assert!(!answer.contains("preview="), "{answer}");
    assert_eq!(
        iframe(&desk.get(&format!("/_desk/kk/edit?id={}", id.replace('/', "%2F"))).1),
        "/kk/news/2025-08-29-qinghai/"
    );
    assert_eq!(
        iframe(
            &desk
                .get(&format!(
                    "/_desk/kk/edit?id={}&preview=../../etc",
                    id.replace('/', "%2F")
                ))
                .1
        ),
        "/kk/news/2025-08-29-qinghai/",
        "only a language the article has is shown"
    );
}

#[test]
fn a_saves_answer_comes_once_the_preview_shows_the_saved_text() {
    let site = Site::copy("good");
    let desk = Desk::start(&site);
    let id = "2025/2025-08-29-qinghai";
    // Asked at once after each answer, the preview has the save: the editor's page does not
    // show the old text and then reload.
    for n in 0..5 {
        let title = format!("Заголовок после сохранения {n}");
        let mut fields = desk.edit_form(id);
        set(&mut fields, "ru.title", &title);
        let (status, answer) = desk.post("/_desk/ru/edit", &fields);
        assert_eq!(status, 303, "{answer}");
        let (status, page) = desk.get("/ru/news/2025-08-29-qinghai/");
        assert_eq!(status, 200);
        assert!(page.contains(&title), "save {n}: the preview does not show it yet");
    }
}

/// A small real PNG.
fn png() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(64, 48, image::Rgb([40, 90, 160]))
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

#[test]
fn a_save_or_upload_the_build_would_refuse_writes_nothing_and_says_why_by_the_field() {
    let site = Site::copy("good");
    let kk = "content/news/2025/2025-08-29-qinghai.kk.md";
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    let (kk_before, ru_before) = (site.read(kk), site.read(ru));
    let desk = Desk::start(&site);

    // Tags that make no address: refused beside the tags, in the desk's language.
    let mut fields = desk.edit_form("2025/2025-08-29-qinghai");
    set(&mut fields, "ru.tags", "!!!, ★");
    let (status, page) = desk.post("/_desk/ru/edit", &fields);
    assert_eq!(status, 422, "{page}");
    assert!(
        page.contains("В теге `!!!` нет букв и цифр, из которых получился бы адрес"),
        "{page}"
    );
    let tags_error = page.split("id=\"ru-tags-error\"").nth(1).unwrap_or("");
    assert!(
        tags_error.contains("!!!"),
        "the error stands beside the tags field: {page}"
    );
    // Word's line break pasted into a title.
    let mut fields = desk.edit_form("2025/2025-08-29-qinghai");
    set(&mut fields, "kk.title", "Алматы\u{b}Сычуань");
    let (status, page) = desk.post("/_desk/ru/edit", &fields);
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("U+000B"), "{page}");
    assert_eq!((site.read(kk), site.read(ru)), (kk_before.clone(), ru_before.clone()));

    // A photo for a published article without its alt texts is not taken.
    let id = [("id", "2025/2025-08-29-qinghai")];
    let (status, page) = desk.upload("/_desk/ru/photo", &id, &png());
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("напишите, что на фото, на языке: kk, ru"), "{page}");
    let (status, page) = desk.upload("/_desk/ru/photo", &[id[0], ("upload.alt.ru", "Подписание")], &png());
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("на языке: kk"), "{page}");
    assert_eq!((site.read(kk), site.read(ru)), (kk_before, ru_before));
    assert!(!site.path("content/news/2025/2025-08-29-qinghai-1.png").exists());
    // With them, the photo is written and listed in each language with its words, and the
    // site still builds.
    let (status, page) = desk.upload(
        "/_desk/ru/photo",
        &[id[0], ("upload.alt.ru", "Подписание"), ("upload.alt.kk", "Қол қою")],
        &png(),
    );
    assert_eq!(status, 303, "{page}");
    assert!(site
        .read(ru)
        .contains("file = \"2025-08-29-qinghai-1.png\"\nalt = \"Подписание\""));
    assert!(site.read(kk).contains("alt = \"Қол қою\""));
    drop(desk);
    site.build();
}

#[test]
fn the_list_shows_a_broken_drafts_title_and_draft_state() {
    let site = Site::copy("good");
    // As an import leaves it: no date yet.
    site.write(
        "content/news/undated/undated-imported.ru.md",
        "+++\ntitle = \"Импортированный релиз\"\ndate = \"\"\nregion = \"almaty\"\npartners = [\"shanghai\"]\ndraft = true\n+++\n\nТекст.\n",
    );
    let desk = Desk::start(&site);
    let (status, page) = desk.get("/_desk/ru/?q=%D0%98%D0%BC%D0%BF%D0%BE%D1%80%D1%82");
    assert_eq!(status, 200, "{page}");
    let row = page
        .split("<tr>")
        .find(|r| r.contains("undated-imported"))
        .unwrap_or_else(|| panic!("no row for the draft: {page}"));
    assert!(
        row.contains("Импортированный релиз"),
        "its title, not its file name: {row}"
    );
    assert!(row.contains("class=\"draft\""), "a draft: {row}");
    assert!(!row.contains('✓'), "not shown as published: {row}");
    assert!(row.contains("class=\"bad\""), "with its problem: {row}");
}

#[test]
fn a_new_date_offers_to_move_the_article_keeping_its_old_address() {
    let site = Site::copy("good");
    let desk = Desk::start(&site);
    let id = "2025/2025-08-29-qinghai";
    let mut fields = desk.edit_form(id);
    assert!(!desk
        .get("/_desk/ru/edit?id=2025%2F2025-08-29-qinghai")
        .1
        .contains("action=\"/_desk/ru/move\""));
    set(&mut fields, "date", "2024-05-01");
    assert_eq!(desk.post("/_desk/ru/edit", &fields).0, 303);
    // The file names still say 2025-08-29: the editor offers the move, and says to where.
    let (_, page) = desk.get("/_desk/ru/edit?id=2025%2F2025-08-29-qinghai");
    assert!(page.contains("action=\"/_desk/ru/move\""), "{page}");
    assert!(page.contains("<code>2024-05-01-qinghai</code>"), "{page}");
    let (status, moved) = desk.post("/_desk/ru/move", &[("id".to_string(), id.to_string())]);
    assert_eq!(status, 303, "{moved}");
    assert!(moved.contains("edit?id=2024%2F2024-05-01-qinghai"), "{moved}");
    for lang in ["kk", "ru"] {
        assert!(!site
            .path(&format!("content/news/2025/2025-08-29-qinghai.{lang}.md"))
            .exists());
        let text = site.read(&format!("content/news/2024/2024-05-01-qinghai.{lang}.md"));
        assert!(
            text.contains(&format!("aliases = [\"/{lang}/news/2025-08-29-qinghai/\"]")),
            "{text}"
        );
        assert!(text.contains("date = 2024-05-01"), "{text}");
    }
    drop(desk);
    // The old address leads to the new one.
    site.build();
    let old = site.read("public/ru/news/2025-08-29-qinghai/index.html");
    assert!(old.contains("/ru/news/2024-05-01-qinghai/"), "{old}");
    assert!(site.path("public/ru/news/2024-05-01-qinghai/index.html").is_file());
}

#[test]
fn a_save_naming_a_photo_the_build_cannot_read_is_refused_by_the_photos() {
    let site = Site::copy("good");
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    let before = site.read(ru);
    // A file with a photo's name that is no photo.
    site.write("content/news/2025/2025-08-29-qinghai-9.jpg", "not a photo");
    let desk = Desk::start(&site);
    let mut fields = desk.edit_form("2025/2025-08-29-qinghai");
    fields.push(("photo".into(), "2025-08-29-qinghai-9.jpg".into()));
    fields.push(("ru.alt.0".into(), "Подписание".into()));
    fields.push(("kk.alt.0".into(), "Қол қою".into()));
    let (status, page) = desk.post("/_desk/ru/edit", &fields);
    assert_eq!(status, 422, "{page}");
    assert!(
        page.contains("Фото `2025-08-29-qinghai-9.jpg`: Это не изображение JPEG"),
        "{page}"
    );
    assert_eq!(site.read(ru), before);
}

/// A field of `fields` set to `value` (added if the form had none).
fn set_field(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    match fields.iter_mut().find(|(n, _)| n == name) {
        Some((_, v)) => *v = value.to_string(),
        None => fields.push((name.to_string(), value.to_string())),
    }
}

#[test]
fn the_desk_makes_and_edits_pages_that_are_not_news_as_the_build_reads_them() {
    let site = Site::copy("good");
    let desk = Desk::start(&site);
    let (status, list) = desk.get("/_desk/ru/site-pages");
    assert_eq!(status, 200, "{list}");
    // A new page: a slug that names no other file, in one of the site's languages.
    for bad in ["../site", "news", "About Us"] {
        let fields = [("slug", bad), ("lang", "ru"), ("title", "О нас")];
        let (status, page) = desk.post(
            "/_desk/ru/site-pages",
            &fields.map(|(k, v)| (k.to_string(), v.to_string())),
        );
        assert_eq!(status, 422, "{bad}: {page}");
    }
    let fields = [("slug", "about"), ("lang", "ru"), ("title", "О нас")];
    let (status, answer) = desk.post(
        "/_desk/ru/site-pages",
        &fields.map(|(k, v)| (k.to_string(), v.to_string())),
    );
    assert_eq!(status, 303, "{answer}");
    assert_eq!(site.read("content/pages/about.ru.md"), "+++\ntitle = \"О нас\"\n+++\n");
    // The editor: the Russian column as the file says, the Kazakh one empty.
    let (status, page) = desk.get("/_desk/ru/site-page?slug=about");
    assert_eq!(status, 200, "{page}");
    let mut form = crate::desk::form_fields(&page, "form#edit");
    set_field(&mut form, "ru.menu", "1");
    set_field(&mut form, "ru.body", "Мы пишем о [городах](/ru/cities/).");
    set_field(&mut form, "kk.title", "Біз туралы");
    set_field(&mut form, "kk.body", "Біз туралы мәтін.");
    let (status, answer) = desk.post("/_desk/ru/site-page", &form);
    assert_eq!(status, 303, "{answer}");
    assert_eq!(
        site.read("content/pages/about.ru.md"),
        "+++\ntitle = \"О нас\"\nmenu = 1\n+++\n\nМы пишем о [городах](/ru/cities/).\n"
    );
    assert!(site
        .read("content/pages/about.kk.md")
        .starts_with("+++\ntitle = \"Біз туралы\"\n+++\n"));
    // What the build would refuse is not written: shown beside its field instead.
    let (_, page) = desk.get("/_desk/ru/site-page?slug=about");
    let form = crate::desk::form_fields(&page, "form#edit");
    let before = site.read("content/pages/about.ru.md");
    for (field, value) in [("ru.menu", "first"), ("ru.title", "")] {
        let mut form = form.clone();
        set_field(&mut form, field, value);
        let (status, page) = desk.post("/_desk/ru/site-page", &form);
        assert_eq!(status, 422, "{page}");
        let id = format!("id=\"{}-error\"", field.replace('.', "-"));
        assert!(page.contains(&id), "{field}'s problem by its field: {page}");
        assert_eq!(site.read("content/pages/about.ru.md"), before);
    }
    // A file changed on disk since the editor opened it is not overwritten.
    let (_, page) = desk.get("/_desk/ru/site-page?slug=about");
    let mut form = crate::desk::form_fields(&page, "form#edit");
    site.write(
        "content/pages/about.ru.md",
        "+++\ntitle = \"Изменено рядом\"\n+++\nТекст.\n",
    );
    set_field(&mut form, "ru.title", "Моё");
    let (status, page) = desk.post("/_desk/ru/site-page", &form);
    assert_eq!(status, 409, "{page}");
    assert!(site.read("content/pages/about.ru.md").contains("Изменено рядом"));
    // A slug that is no page's, or names a path, is not found.
    for slug in ["missing", "..%2Fsite", "news"] {
        assert_eq!(desk.get(&format!("/_desk/ru/site-page?slug={slug}")).0, 404, "{slug}");
    }
}
