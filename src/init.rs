//! `twinpress init [DIR]`: a small working bilingual site to start from — `site.toml` with both
//! languages and the time zone, two cities and one article in both languages — that builds and
//! serves at once with the built-in templates. It writes only into a new or empty folder.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The files of a new site, relative to its folder; `{date}` is today in Almaty.
const FILES: &[(&str, &str)] = &[
    (
        "site.toml",
        r#"# The site's settings: see twinpress's docs/guide.md, "site.toml".
base_url = "https://example.org/"        # where the site will live; `twinpress build --base-url` overrides it
default_language = "kk"
timezone = "Asia/Almaty"                 # the clock dates without an offset are written on
paginate_by = 10
feed_limit = 20

[languages.kk]
title = "Бауырлас қалалар"
description = "Бауырлас қалалар мен серіктестер туралы жаңалықтар"

[languages.ru]
title = "Города-побратимы"
description = "Новости о городах-побратимах и партнёрах"
"#,
    ),
    (
        "content/cities/almaty.toml",
        r#"kind = "city"
country = "KZ"
coordinates = [43.2389, 76.8897]

[name]
kk = "Алматы"
ru = "Алматы"
"#,
    ),
    (
        "content/cities/shanghai.toml",
        r#"kind = "city"
country = "CN"
coordinates = [31.2304, 121.4737]

[name]
kk = "Шаңхай"
ru = "Шанхай"
"#,
    ),
    (
        "content/news/{year}/{date}-first-article.kk.md",
        r#"+++
title = "Алғашқы жаңалық"
date = {date}
region = "almaty"
partners = ["shanghai"]
tags = ["сайт"]
+++

Бұл — үлгі мақала. Оны өз жаңалығыңызбен алмастырыңыз: тақырыпты, күнді, қалаларды және
мәтінді өзгертіп, файлды сақтаңыз. `twinpress serve` бетті бірден жаңартады.
"#,
    ),
    (
        "content/news/{year}/{date}-first-article.ru.md",
        r#"+++
title = "Первая новость"
date = {date}
region = "almaty"
partners = ["shanghai"]
tags = ["сайт"]
+++

Это образец статьи. Замените его своей новостью: измените заголовок, дату, города и текст и
сохраните файл. `twinpress serve` сразу обновит страницу.
"#,
    ),
];

/// Writes a new site into `dir` (made if missing), dated `today` (`2025-08-29`); returns the
/// files written. A folder that holds anything is refused, and nothing is written.
pub fn init(dir: &Path, today: &str) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} is a file: give init a new or empty folder", dir.display());
        }
        let mut entries = std::fs::read_dir(dir).with_context(|| format!("Cannot read {}", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "{} is not empty: init writes a new site only into a new or empty folder (try `twinpress init my-site`)",
                dir.display()
            );
        }
    }
    let year = &today[..4];
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let rel = rel.replace("{year}", year).replace("{date}", today);
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("Cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text.replace("{date}", today))
            .with_context(|| format!("Cannot write {}", path.display()))?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_with_anything_in_it_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let err = init(dir.path(), "2025-08-29").unwrap_err().to_string();
        assert!(err.contains("is not empty"), "{err}");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["notes.txt"]);
    }

    #[test]
    fn a_new_folder_gets_the_site_dated_today() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("portal");
        let files = init(&site, "2026-11-23").unwrap();
        assert!(files.contains(&PathBuf::from("content/news/2026/2026-11-23-first-article.kk.md")));
        let kk = std::fs::read_to_string(site.join("content/news/2026/2026-11-23-first-article.kk.md")).unwrap();
        assert!(kk.contains("date = 2026-11-23\n"), "{kk}");
    }
}
