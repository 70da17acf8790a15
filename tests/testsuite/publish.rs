//! Publishing from a running `serve`: the desk's Publish button (the same deploy as the command
//! line, its progress and result on the page, what is broken under its article, who published,
//! one at a time), and `[deploy] auto`, which publishes when a scheduled article's time comes
//! while the preview's clock moves with it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::desk::Desk;
use crate::serve::Server;
use crate::support::Site;

/// The `good` site with `[deploy]` lines added, publishing to a folder beside it.
fn site_publishing(extra: &str) -> (Site, PathBuf) {
    let site = Site::copy("good");
    let target = site.root.parent().unwrap().join("target");
    site.write(
        "site.toml",
        &format!(
            "{}\n[deploy]\ntarget = \"{}\"\n{extra}",
            site.read("site.toml"),
            target.display()
        ),
    );
    (site, target)
}

fn live(target: &Path) -> Option<String> {
    std::fs::read_link(target.join("current"))
        .ok()
        .map(|l| l.file_name().unwrap().to_string_lossy().into_owned())
}

/// The publish page once its deploy has ended: its `data-state` and the page.
fn wait_for_the_end(desk: &Desk) -> (String, String) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (status, page) = desk.get("/_desk/ru/publish");
        assert_eq!(status, 200, "{page}");
        let state = page
            .split("data-state=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_else(|| panic!("no deploy on the page: {page}"))
            .to_string();
        if state != "running" {
            assert!(
                !page.contains("http-equiv=\"refresh\""),
                "an ended deploy's page stays still"
            );
            return (state, page);
        }
        assert!(
            page.contains("http-equiv=\"refresh\""),
            "a running deploy's page follows it"
        );
        assert!(Instant::now() < deadline, "the deploy did not end: {page}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_publish_button_publishes_shows_what_went_out_and_what_is_broken_by_article() {
    let (site, target) = site_publishing("");
    let desk = Desk::start(&site);
    let (status, page) = desk.get("/_desk/ru/publish");
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains(&target.display().to_string()),
        "the page names the target: {page}"
    );
    assert!(page.contains("Ещё ничего не опубликовано"), "{page}");
    assert!(page.contains("href=\"/_desk/ru/publish\""), "the desk's bar links it");

    // Published: the release, the pages changed, the live site, who.
    let (status, answer) = desk.post("/_desk/ru/publish", &[]);
    assert_eq!(status, 303, "{answer}");
    // A second press while it runs starts nothing.
    let (_, again) = desk.post("/_desk/ru/publish", &[]);
    assert!(again.contains("publish?busy=1"), "{again}");
    let (state, page) = wait_for_the_end(&desk);
    assert_eq!(state, "published", "{page}");
    let release = live(&target).expect("a release is live");
    assert!(page.contains(&format!("<code>{release}</code>")), "{page}");
    assert!(page.contains("сейчас на сайте"), "{page}");
    assert!(
        page.contains("href=\"https://example.org/\""),
        "a link to the live site: {page}"
    );
    let record = std::fs::read_to_string(target.join("records").join(format!("{release}.toml"))).unwrap();
    assert!(
        record.contains("(desk)\""),
        "the record says it came from the desk: {record}"
    );
    assert_eq!(
        std::fs::read_dir(target.join("releases")).unwrap().count(),
        1,
        "the second press made no release"
    );

    // The same site again: nothing to publish, and it says so.
    desk.post("/_desk/ru/publish", &[]);
    let (state, page) = wait_for_the_end(&desk);
    assert_eq!(state, "unchanged", "{page}");
    assert!(page.contains("Публиковать нечего"), "{page}");
    assert_eq!(live(&target).as_deref(), Some(release.as_str()));

    // A link to nowhere in an article: refused, the live release stays, and the page names the
    // article, links its editor and says which link.
    let rel = "content/news/2025/2025-08-29-qinghai.ru.md";
    site.write(
        rel,
        &site.read(rel).replace("/ru/cities/almaty/", "/ru/cities/nowhere/"),
    );
    desk.post("/_desk/ru/publish", &[]);
    let (state, page) = wait_for_the_end(&desk);
    assert_eq!(state, "refused", "{page}");
    assert!(page.contains("Не опубликовано: на сайте битые ссылки"), "{page}");
    let group = page
        .split("<div class=\"problems\">")
        .find(|g| g.contains("/ru/cities/nowhere/"))
        .unwrap_or_else(|| panic!("the broken link is not shown: {page}"));
    assert!(
        group.contains("href=\"/_desk/ru/edit?id=2025%2F2025-08-29-qinghai\""),
        "it is under its article, linked to the editor: {group}"
    );
    assert!(
        group.contains("Алматы и Сычуань подписали"),
        "by the article's title: {group}"
    );
    assert_eq!(
        live(&target).as_deref(),
        Some(release.as_str()),
        "the live release stays"
    );

    // A site that does not build: the problem at its file and line, under its article.
    site.write(
        rel,
        &site.read(rel).replace("region = \"almaty\"", "region = \"atlantis\""),
    );
    desk.post("/_desk/ru/publish", &[]);
    let (state, page) = wait_for_the_end(&desk);
    assert_eq!(state, "failed", "{page}");
    assert!(
        page.contains("2025-08-29-qinghai.ru.md:4:"),
        "the file and line: {page}"
    );
    assert!(page.contains("atlantis"), "{page}");
    assert!(
        page.contains("href=\"/_desk/ru/edit?id=2025%2F2025-08-29-qinghai\""),
        "{page}"
    );
    assert_eq!(live(&target).as_deref(), Some(release.as_str()));
}

#[test]
fn without_a_target_the_publish_page_says_whom_to_ask_and_a_post_starts_nothing() {
    let site = Site::copy("good");
    let desk = Desk::start(&site);
    let (status, page) = desk.get("/_desk/kk/publish");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("[deploy]"), "{page}");
    assert!(!page.contains("<button"), "no button without a target: {page}");
    let (status, _) = desk.post("/_desk/kk/publish", &[]);
    assert_eq!(status, 303);
    let (_, page) = desk.get("/_desk/kk/publish");
    assert!(!page.contains("data-state"), "no deploy was started: {page}");
    assert!(!site.root.join(".twinpress/deploy-build").exists());
}

#[test]
fn a_scheduled_article_goes_out_on_time_from_a_running_serve_and_its_preview_is_no_longer_marked() {
    let (site, target) = site_publishing("auto = true\n");
    // Due a few seconds after the server starts (the real clock: serve's moves with it).
    let due = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(6);
    site.write(
        "content/news/2025/2025-09-01-soon.ru.md",
        &format!(
            "+++\ntitle = \"Скоро на сайте\"\ndate = {}\nregion = \"almaty\"\npartners = [\"shanghai\"]\n+++\n\nТекст.\n",
            due.strftime("%Y-%m-%dT%H:%M:%SZ")
        ),
    );
    let server = Server::start(&site);
    let (status, _, page) = server.get("/ru/news/2025-09-01-soon/");
    assert_eq!(status, 200);
    assert!(page.contains("class=\"scheduled\""), "the preview marks it: {page}");
    assert_eq!(live(&target), None, "nothing is published before its time");

    let deadline = Instant::now() + Duration::from_secs(90);
    let release = loop {
        if let Some(release) = live(&target) {
            break release;
        }
        assert!(
            Instant::now() < deadline,
            "nothing was published after the article's time"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    let published = target.join("releases").join(&release);
    let article = std::fs::read_to_string(published.join("ru/news/2025-09-01-soon/index.html"))
        .expect("the scheduled article is in the release");
    assert!(!article.contains("class=\"scheduled\""));
    assert!(std::fs::read_to_string(published.join("ru/index.html"))
        .unwrap()
        .contains("Скоро на сайте"));
    // The preview's clock moved too: the note is gone without a restart.
    let (_, _, page) = server.get("/ru/news/2025-09-01-soon/");
    assert!(!page.contains("class=\"scheduled\""), "{page}");
    assert!(jiff::Timestamp::now() >= due);
}

#[test]
fn a_deploy_from_the_desk_waits_for_one_from_the_command_line_and_says_so() {
    let (site, target) = site_publishing("");
    std::fs::create_dir_all(&target).unwrap();
    // Another deploy holds the target's lock, as `twinpress deploy` does while it works.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(target.join("deploy.lock"))
        .unwrap();
    lock.lock().unwrap();
    let desk = Desk::start(&site);
    desk.post("/_desk/ru/publish", &[]);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, page) = desk.get("/_desk/ru/publish");
        assert!(page.contains("data-state=\"running\""), "it waits: {page}");
        if page.contains("is at work: waiting for it") {
            break;
        }
        assert!(Instant::now() < deadline, "the page does not say it waits: {page}");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        live(&target),
        None,
        "nothing is published while the other holds the lock"
    );
    drop(lock);
    let (state, page) = wait_for_the_end(&desk);
    assert_eq!(state, "published", "{page}");
    assert!(live(&target).is_some());
}
