//! `twinpress import`: raw press-release text, as copied from the akimat's old CMS or a news
//! agency page, into a draft article. The noise goes (repeated headlines, view counters, photo
//! and source lines, «other news» lists, comment forms, CMS footers); the facts become front
//! matter (language, title, date, region, partners, tags, source, photo credit). What cannot be
//! found is left empty with a comment, never guessed.

pub mod dates;
pub mod places;
mod text;

use std::collections::BTreeSet;

use crate::content::CitySource;
use crate::editor::ArticleDraft;
use dates::DateSource;
use text::*;

/// What the importer was told about the site.
pub struct Registry<'a> {
    pub cities: &'a [CitySource],
    /// Countries of the home side (where the site's regions are); the rest are partners.
    pub home_countries: BTreeSet<String>,
    /// The site's languages; the first is the default.
    pub languages: Vec<String>,
}

/// A release turned into a draft, with what was found and what was not.
#[derive(Debug, Clone)]
pub struct Imported {
    pub draft: ArticleDraft,
    /// One line per field: "date 2025-08-29 (from the dateline)", "region: not found".
    pub report: Vec<String>,
}

/// One imported file.
#[derive(Debug)]
pub struct ImportedFile {
    pub input: std::path::PathBuf,
    pub imported: Imported,
    /// Where it was written (relative to the site), unless this was a dry run.
    pub written: Option<std::path::PathBuf>,
}

/// Imports `files` into the site at `root` as draft articles (or only reports, for a dry run).
pub fn import_files(
    root: &std::path::Path,
    files: &[std::path::PathBuf],
    lang: Option<&str>,
    photos: &[std::path::PathBuf],
    dry_run: bool,
) -> anyhow::Result<Vec<ImportedFile>> {
    use anyhow::Context as _;
    let crate::content::Facts { config, cities } = crate::content::Facts::load(root)?;
    if !photos.is_empty() && files.len() != 1 {
        anyhow::bail!("--photo goes with one release at a time: import the files one by one with their photos");
    }
    // Read and checked before anything is written.
    let photos = crate::editor::PhotoFile::read_all(photos, &config)?;
    if let Some(l) = lang {
        if config.language(l).is_none() {
            anyhow::bail!(
                "--lang {l}: the site's languages are {}",
                config
                    .languages
                    .iter()
                    .map(|l| l.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let registry = Registry {
        home_countries: home_countries(root, &config, &cities),
        cities: &cities,
        languages: config.languages.iter().map(|l| l.code.clone()).collect(),
    };
    // Every file read and made into its draft first: nothing is written when one cannot be.
    let mut drafts = Vec::new();
    let mut again = Vec::new();
    for file in files {
        let bytes = std::fs::read(file).with_context(|| format!("Cannot read {}", file.display()))?;
        // A release saved from Word as plain text is often Windows-1251 or UTF-16: read as
        // such, and said, since the draft is written in UTF-8.
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => match crate::content::encoding::guess(e.as_bytes()) {
                Some(guess) => {
                    eprintln!("{} is not UTF-8: read as {} text", file.display(), guess.name);
                    guess.text
                }
                None => anyhow::bail!(
                    "{} is not UTF-8 text, nor Windows-1251 or UTF-16: save it as UTF-8 and import it again",
                    file.display()
                ),
            },
        };
        if text
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .is_empty()
        {
            anyhow::bail!(
                "{} is empty: there is no release to import (copy the release's text into it first)",
                file.display()
            );
        }
        let mut imported = import(&text, &registry, lang);
        imported.draft.name_photos(&photos);
        if let Some(rel) = already_imported(root, &imported.draft) {
            again.push(format!("{} (as {})", file.display(), rel.display()));
        }
        drafts.push((file, imported));
    }
    if !again.is_empty() {
        anyhow::bail!(
            "already imported: {}; nothing was written. To import a release again, remove or rename its draft first",
            again.join(", ")
        );
    }
    let mut out = Vec::new();
    for (file, imported) in drafts {
        let placed = unique(root, &imported.draft, &photos)?;
        let written = if dry_run {
            None
        } else {
            Some(placed.write_with_photos(root, &photos)?)
        };
        out.push(ImportedFile {
            input: file.clone(),
            imported: Imported {
                draft: placed,
                report: imported.report,
            },
            written,
        });
    }
    Ok(out)
}

/// The file under `root` that already holds this release: the draft's own path, or one of
/// its `-2`, `-3` … names, with the same title and date.
pub fn already_imported(root: &std::path::Path, draft: &ArticleDraft) -> Option<std::path::PathBuf> {
    names(draft, &[]).find_map(|d| {
        let rel = d.path();
        // Only its title and date are read: a draft may still lack its region or partners.
        let text = std::fs::read_to_string(root.join(&rel)).ok()?;
        let front: toml::Table = crate::content::frontmatter::split(&text).ok()?.front.parse().ok()?;
        let title = front.get("title").and_then(toml::Value::as_str).map(str::trim);
        let date = match front.get("date") {
            Some(toml::Value::Datetime(d)) => Some(d.to_string()),
            _ => None,
        };
        (title == Some(draft.title.trim()) && date == draft.date.map(|d| d.to_string())).then_some(rel)
    })
}

/// The draft under the first free name: its stem, or with `-2`, `-3` … added (an import never
/// overwrites), its photos named after it.
pub fn unique(
    root: &std::path::Path,
    draft: &ArticleDraft,
    photos: &[crate::editor::PhotoFile],
) -> anyhow::Result<ArticleDraft> {
    for d in names(draft, photos) {
        let taken = root.join(d.path()).exists()
            || d.photos
                .iter()
                .any(|(f, _)| root.join(d.path()).with_file_name(f).exists());
        if !taken {
            return Ok(d);
        }
    }
    anyhow::bail!(
        "{} and 98 more names like it exist: remove old imports first",
        draft.path().display()
    )
}

/// The names an import may give `draft`: its own stem, then `-2`, `-3` … up to `-99`, its
/// photos named after each.
fn names<'a>(
    draft: &'a ArticleDraft,
    photos: &'a [crate::editor::PhotoFile],
) -> impl Iterator<Item = ArticleDraft> + 'a {
    let base = draft.stem();
    (1..100).map(move |n| {
        let mut d = draft.clone();
        if n > 1 {
            d.stem = Some(format!("{base}-{n}"));
            d.name_photos(photos);
        }
        d
    })
}

/// Writes the draft under the first free name ([`unique`]).
pub fn write_unique(
    root: &std::path::Path,
    draft: &ArticleDraft,
    photos: &[crate::editor::PhotoFile],
) -> anyhow::Result<std::path::PathBuf> {
    unique(root, draft, photos)?.write_with_photos(root, photos)
}

/// The countries of the home side: where the regions of the site's articles are; Kazakhstan
/// for a site with none yet.
pub fn home_countries(
    root: &std::path::Path,
    config: &crate::config::Config,
    cities: &[CitySource],
) -> BTreeSet<String> {
    let mut home = BTreeSet::new();
    if let Ok(content) = crate::content::load(root, config, &|_, _| Ok(())) {
        for a in content.articles.values() {
            if let Some(c) = cities.iter().find(|c| c.key == a.source.region.key) {
                home.insert(c.country.clone());
            }
        }
    }
    if home.is_empty() {
        home.insert("KZ".to_string());
    }
    home
}

/// Lines from which on a page is no longer the article.
const END_MARKERS: &[&str] = &[
    "другие новости",
    "последние новости",
    "читайте также",
    "новости по теме",
    "похожие новости",
    "басқа жаңалықтар",
    "соңғы жаңалықтар",
    "тағы оқыңыз",
    "комментарии",
    "добавить комментарий",
    "пікірлер",
];

/// Lines that are the page around the article, never its text.
const NOISE: &[&str] = &[
    "яндекс.метрика",
    "google analytics",
    "liveinternet",
    "создано на платформе",
    "дизайн и разработка",
    "все права защищены",
    "авторские права защищены",
    "барлық құқықтар қорғалған",
    "ваш email не публикуется",
    "обязательные поля отмечены",
    "подписывайтесь на",
    "поделиться",
    "на этом сайте вы найдете",
];

/// Imports one release. `lang` forces the language; else it is detected from the text.
pub fn import(text: &str, registry: &Registry, lang: Option<&str>) -> Imported {
    let text = text
        .trim_start_matches('\u{feff}')
        .replace(['\r'], "")
        .replace('\u{a0}', " ");
    let mut page = Page::read(&text);
    let (title, body) = page.title_and_body();
    let all_text = format!("{title}\n{body}");
    let mut report = Vec::new();
    let lang = match lang {
        Some(l) => {
            report.push(format!("language {l} (given)"));
            l.to_string()
        }
        None => {
            let (l, how) = detect_language(&all_text, &registry.languages);
            report.push(format!("language {l} ({how})"));
            l
        }
    };
    let date = page
        .date
        .or_else(|| dates::first_in_text(&all_text).map(|d| (d, DateSource::Text)));
    // The source counts too: a press service writes about its own side.
    let (region, partners) = route(
        &format!("{all_text}\n{}", page.source.as_deref().unwrap_or("")),
        registry,
    );
    let tags = suggest_tags(&all_text, &lang);
    let draft = ArticleDraft {
        lang,
        title,
        date: date.map(|(d, _)| d),
        region,
        partners,
        tags,
        source: page.source,
        photo_credit: page.photo_credit,
        draft: true,
        body,
        ..ArticleDraft::default()
    };
    report.extend(found(&draft, date.map(|(_, how)| how)));
    Imported { draft, report }
}

/// A release's lines, cut at the first «other news» marker, with the page furniture taken out
/// and what it said (date, photo credit, source) kept.
struct Page {
    date: Option<(jiff::civil::Date, DateSource)>,
    photo_credit: Option<String>,
    source: Option<String>,
    /// Empty strings where paragraphs break.
    lines: Vec<String>,
}

impl Page {
    fn read(text: &str) -> Page {
        let (date, rest) = match dates::prefix(text) {
            Some((d, rest)) => (Some((d, DateSource::Prefix)), rest),
            None => (None, text),
        };
        let mut page = Page {
            date,
            photo_credit: None,
            source: None,
            lines: Vec::new(),
        };
        for raw in rest.lines() {
            let line = raw.split_whitespace().collect::<Vec<_>>().join(" ");
            let lower = line.to_lowercase();
            let bare = lower.trim_matches(|c: char| !c.is_alphanumeric());
            if !page.lines.is_empty()
                && END_MARKERS
                    .iter()
                    .any(|m| bare == *m || bare.starts_with(&format!("{m} (")))
            {
                break;
            }
            page.take(line, &lower);
        }
        page
    }

    /// One line: kept, or taken for what it says, or dropped as noise.
    fn take(&mut self, line: String, lower: &str) {
        if line.is_empty() {
            self.lines.push(line);
        } else if let Some(d) = dates::dateline(&line) {
            self.date.get_or_insert((d, DateSource::Dateline));
        } else if is_counter(&line) || NOISE.iter().any(|n| lower.contains(n)) || line.contains('©') {
        } else if let Some((credit, src)) = credit_line(&line) {
            if let Some(c) = credit {
                self.photo_credit.get_or_insert(c);
            }
            if let Some(s) = src {
                self.source = Some(s);
            }
        } else if is_signature(&line) {
            self.source.get_or_insert(line.trim_end_matches('.').to_string());
        } else {
            self.lines.push(line);
        }
    }

    /// The headline (the first line, or the first sentence of a long first paragraph) and the
    /// Markdown body: the headline's repeats, teasers and trailing keyword lines gone, and
    /// attributions («…, сообщает Zakon.kz.») taken as the source.
    fn title_and_body(&mut self) -> (String, String) {
        let lines = std::mem::take(&mut self.lines);
        let title = lines
            .iter()
            .find(|l| !l.is_empty())
            .map(|l| headline_of(l))
            .unwrap_or_default();
        let title_key = key(&title);
        let title = typographic_quotes(&title);
        let mut paragraphs: Vec<String> = Vec::new();
        for line in lines.into_iter().filter(|l| !l.is_empty()) {
            let k = key(&line);
            if k == title_key {
                continue; // the headline again
            }
            let line = if !title_key.is_empty() && k.starts_with(&title_key) {
                strip_prefix_words(&line, &title)
            } else {
                line
            };
            if !line.is_empty() {
                paragraphs.push(line);
            }
        }
        let mut kept = without_teasers(&paragraphs);
        // After the last sentence: keyword lines, links to other news.
        while kept.last().is_some_and(|p| !ends_sentence(p)) {
            kept.pop();
        }
        let mut body_paragraphs = Vec::new();
        for p in kept {
            let (clean, found) = take_attribution(p);
            if let Some(s) = found {
                self.source.get_or_insert(s);
            }
            body_paragraphs.push(markdown_paragraph(&clean));
        }
        (title, join_paragraphs(&body_paragraphs))
    }
}

/// The paragraphs without teaser lines (the start of the following text, cut off).
fn without_teasers(paragraphs: &[String]) -> Vec<&str> {
    let mut kept = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        let next: String = paragraphs[i + 1..]
            .iter()
            .take(2)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        let (k, nk) = (key(p), key(&next));
        if !ends_sentence(p) && k.len() > 40 && nk.starts_with(&k) && nk.len() > k.len() {
            continue;
        }
        kept.push(p.as_str());
    }
    kept
}

/// The region (the first place mentioned in a home country) and the partners (the places
/// abroad mentioned most, the first always) of a release's text.
fn route(text: &str, registry: &Registry) -> (Option<String>, Vec<String>) {
    let mentions = places::find(text, registry.cities);
    let country = |m: &places::Mention| &registry.cities[m.city].country;
    let region = mentions.iter().find(|m| registry.home_countries.contains(country(m)));
    let home_country = region.map(country);
    let others: Vec<&places::Mention> = mentions
        .iter()
        .filter(|m| Some(country(m)) != home_country)
        .filter(|m| region.is_some() || !registry.home_countries.contains(country(m)))
        .collect();
    let top = others.first().map_or(0, |m| m.count);
    let partners = others
        .iter()
        .enumerate()
        .filter(|(i, m)| *i == 0 || (m.count >= 2 && m.count * 3 >= top))
        .map(|(_, m)| registry.cities[m.city].key.clone())
        .collect();
    (region.map(|m| registry.cities[m.city].key.clone()), partners)
}

/// The report lines for what was found, and what the editor must fill in.
fn found(d: &ArticleDraft, date_from: Option<DateSource>) -> Vec<String> {
    let mut report = Vec::new();
    match (d.date, date_from) {
        (Some(date), Some(how)) => report.push(format!(
            "date {date} ({})",
            match how {
                DateSource::Prefix => "from the date prefix",
                DateSource::Dateline => "from the dateline",
                DateSource::Text => "the first date in the text",
            }
        )),
        _ => report.push("date: not found — fill in `date`".into()),
    }
    report.push(match &d.region {
        Some(r) => format!("region {r}"),
        None => "region: not found — fill in `region`".into(),
    });
    report.push(if d.partners.is_empty() {
        "partners: not found — fill in `partners`".into()
    } else {
        format!("partners {}", d.partners.join(", "))
    });
    let tags = if d.tags.is_empty() {
        "(none suggested)".into()
    } else {
        d.tags.join(", ")
    };
    report.push(format!("tags {tags}"));
    report.push(format!("source {}", d.source.as_deref().unwrap_or("(none)")));
    report.push(format!("photo {}", d.photo_credit.as_deref().unwrap_or("(none)")));
    if d.title.is_empty() {
        report.push("title: not found — fill in `title`".into());
    }
    report
}

#[cfg(test)]
mod tests;
