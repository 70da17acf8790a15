//! Incremental rebuilds cannot drift from a full build: long random sequences of edits — titles,
//! dates, regions, partners, tags, translations added and removed, drafts, cities, deletions,
//! renames, pages that are not news (added, reworded, in and out of the menu, drafts,
//! deleted), and the stylesheet every page links with its version — go through `serve`'s rebuild path, and after every step every output byte is
//! compared with a full build of the same files.
//!
//! CI runs a fixed seed; `tests/equivalence-long` runs many seeds and longer sequences
//! (`TWINPRESS_EQUIVALENCE_SEED`, `TWINPRESS_EQUIVALENCE_STEPS`), over a larger corpus when
//! asked (`TWINPRESS_EQUIVALENCE_ARTICLES`, published articles per language to start from).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use twinpress::serve::rebuild::{Changes, LiveSite};
use twinpress::BuildOptions;

use crate::support::{assert_same_as_full_build, copy_dir, Site, LIVE_BASE};

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        base_url: Some(LIVE_BASE.to_string()),
        ..BuildOptions::new(root)
    }
}

/// The build's time in the randomized test: 2025-06-15 12:00 UTC, inside the articles' dates, so
/// some are scheduled for later and the news sitemap's two days hold some.
const NOW: i64 = 1_749_988_800;
/// Days [`World::date`] picks now and then: in the news sitemap's window, and just after it.
const NEAR_NOW: [&str; 4] = ["2025-06-13", "2025-06-14", "2025-06-15", "2025-06-16"];

/// The randomized test's options: its fixed time, scheduled articles shown (as serve shows
/// them) or left out (as a build does), and article bodies held in memory, written to the
/// temporary file (the default seed) or some of each, by the seed.
fn options_at_now(root: &Path, seed: u64) -> BuildOptions {
    BuildOptions {
        now: Some(NOW),
        future: seed.is_multiple_of(2),
        bodies_in_memory: [twinpress::options::BODIES_IN_MEMORY, 0, 16 << 10][(seed % 3) as usize],
        ..options(root)
    }
}

/// One language's file of an article.
#[derive(Debug, Clone)]
struct Version {
    title: String,
    date: String,
    region: String,
    partners: Vec<String>,
    tags: Vec<String>,
    draft: bool,
    /// A draft whose date is emptied (as an import leaves one): it does not read, and is left
    /// out with a warning by the full build and the rebuild alike.
    broken: bool,
    body: String,
    /// Front matter shown on pages but not part of the model's structure (besides `updated`).
    summary: Option<String>,
    updated: Option<String>,
    source: Option<String>,
    /// Old addresses (each a redirect page and a line of nginx-redirects.map).
    aliases: Vec<String>,
    /// `[[photos]]`: file (beside the article) and alt text.
    photos: Vec<(String, String)>,
}

/// The site's articles as the test knows them: stem → language → version.
type Articles = BTreeMap<String, BTreeMap<&'static str, Version>>;

const LANGS: [&str; 2] = ["kk", "ru"];
const TAGS_KK: [&str; 4] = ["білім", "мәдениет", "сауда", "туризм"];
const TAGS_RU: [&str; 5] = ["образование", "Образование", "культура", "торговля", "туризм"];
/// Words of bodies, each in some articles: a title's word, in all of one language's, is common
/// enough that its shard of the search index carries its first results (from every article's
/// title, date, link and text), and a body's word now and then. "аким" stands for "ак", whose
/// shard is another once there are two (a form listed in both), as a title's Latin form
/// ("novost" for "Новость") leads to its stem's shard (`meta.json`'s `latin_shards`).
const WORDS: [&str; 7] = ["делегация", "форум", "визит", "проект", "туризм", "культура", "аким"];
/// Cities an edit may add to the registry (each once at a time).
const NEW_CITIES: [(&str, &str, &str); 3] = [
    ("harbin", "Харбин", "Харбин"),
    ("heihe", "Хэйхэ", "Хэйхэ"),
    ("yakutsk", "Якутск", "Якутск"),
];

/// A page that is not news, in one language: title, menu place, alias, draft, body.
#[derive(Debug, Clone)]
struct PageVersion {
    title: String,
    menu: Option<i64>,
    alias: bool,
    draft: bool,
    body: String,
}

struct World {
    rng: fastrand::Rng,
    /// The pages' edits draw from their own stream, so the articles' stay as they were.
    page_rng: fastrand::Rng,
    /// slug → language → version.
    pages: BTreeMap<String, BTreeMap<&'static str, PageVersion>>,
    root: PathBuf,
    articles: Articles,
    cities: BTreeSet<String>,
    next_stem: usize,
    /// A year's folder under another name (renamed by an edit): year → name.
    folders: BTreeMap<String, String>,
    /// A year's folder moved out of the site, with its articles, until an edit moves it back.
    away: Option<(String, PathBuf, Articles)>,
}

impl World {
    fn path(&self, stem: &str, lang: &str) -> PathBuf {
        PathBuf::from(format!("content/news/{}/{stem}.{lang}.md", self.folder(&stem[..4])))
    }

    /// The folder of a year's articles under content/news.
    fn folder(&self, year: &str) -> String {
        self.folders.get(year).cloned().unwrap_or_else(|| year.to_string())
    }

    /// What the watcher makes of an event on the folder `rel` (the site's own classify).
    fn folder_changes(&self, rel: &str) -> Changes {
        let path = self.root.join(rel);
        twinpress::serve::watch::classify(&self.root, [(path.as_path(), twinpress::serve::watch::Seen::Folder)])
    }

    /// A folder operation as editors and git make them: a year's folder removed, moved out of
    /// the site and (at a later step) back, renamed, or checked out again (every file at once).
    fn folder_edit(&mut self) -> Option<(String, Changes)> {
        if let Some((year, away, articles)) = self.away.take() {
            let rel = format!("content/news/{}", self.folder(&year));
            std::fs::rename(&away, self.root.join(&rel)).unwrap();
            self.articles.extend(articles);
            return Some((format!("folder {rel} moved back"), self.folder_changes(&rel)));
        }
        let years: BTreeSet<String> = self.articles.keys().map(|s| s[..4].to_string()).collect();
        let year = self.pick(&years.into_iter().collect::<Vec<_>>()).clone();
        let rel = format!("content/news/{}", self.folder(&year));
        // Enough published articles stay in each language for the search index's two shards
        // (see `run`).
        let may_lose = LANGS.iter().all(|lang| {
            self.articles
                .iter()
                .filter(|(s, l)| !s.starts_with(&year) && l.get(lang).is_some_and(|v| !v.draft))
                .count()
                >= 24
        });
        match self.rng.u8(..4) {
            0 if may_lose => {
                std::fs::remove_dir_all(self.root.join(&rel)).unwrap();
                self.articles.retain(|s, _| !s.starts_with(&year));
                Some((format!("folder {rel} removed"), self.folder_changes(&rel)))
            }
            1 if may_lose => {
                let away = self.root.parent().unwrap().join(format!("away-{year}"));
                std::fs::rename(self.root.join(&rel), &away).unwrap();
                let (gone, kept) = std::mem::take(&mut self.articles)
                    .into_iter()
                    .partition(|(s, _)| s.starts_with(&year));
                self.articles = kept;
                self.away = Some((year, away, gone));
                Some((format!("folder {rel} moved out"), self.folder_changes(&rel)))
            }
            2 => {
                let name = if self.folder(&year) == year {
                    format!("{year}-renamed")
                } else {
                    year.clone()
                };
                let to = format!("content/news/{name}");
                std::fs::rename(self.root.join(&rel), self.root.join(&to)).unwrap();
                self.folders.insert(year, name);
                let mut changes = self.folder_changes(&rel);
                changes.rescan |= self.folder_changes(&to).rescan;
                Some((format!("folder {rel} renamed to {to}"), changes))
            }
            _ => {
                // A checkout: every file of the folder gone and written again at once.
                let dir = self.root.join(&rel);
                let files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
                    .unwrap()
                    .map(|e| {
                        let p = e.unwrap().path();
                        let bytes = std::fs::read(&p).unwrap();
                        (p, bytes)
                    })
                    .collect();
                std::fs::remove_dir_all(&dir).unwrap();
                std::fs::create_dir(&dir).unwrap();
                for (p, bytes) in files {
                    std::fs::write(p, bytes).unwrap();
                }
                Some((format!("folder {rel} checked out again"), self.folder_changes(&rel)))
            }
        }
    }

    fn write_article(&self, stem: &str, lang: &str, v: &Version) -> PathBuf {
        let rel = self.path(stem, lang);
        let list = |xs: &[String]| xs.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", ");
        let mut extra = String::new();
        for (key, value) in [("summary", &v.summary), ("source", &v.source)] {
            if let Some(value) = value {
                extra.push_str(&format!("{key} = {value:?}\n"));
            }
        }
        if let Some(updated) = &v.updated {
            extra.push_str(&format!("updated = {updated}\n"));
        }
        if !v.aliases.is_empty() {
            extra.push_str(&format!("aliases = [{}]\n", list(&v.aliases)));
        }
        for (file, alt) in &v.photos {
            extra.push_str(&format!("[[photos]]\nfile = {file:?}\nalt = {alt:?}\n"));
        }
        let text = format!(
            "+++\ntitle = {:?}\ndate = {}\nregion = {:?}\npartners = [{}]\ntags = [{}]\ndraft = {}\n{extra}+++\n\n{}\n",
            v.title,
            if v.broken { "\"\"" } else { v.date.as_str() },
            v.region,
            list(&v.partners),
            list(&v.tags),
            v.draft,
            v.body
        );
        let path = self.root.join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        rel
    }

    fn city_list(&self) -> Vec<String> {
        self.cities.iter().cloned().collect()
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.rng.usize(..xs.len())]
    }

    fn version(&mut self, lang: &str) -> Version {
        let cities = self.city_list();
        let region = self.pick(&cities).clone();
        let partners: Vec<String> = (0..self.rng.usize(1..3))
            .map(|_| self.pick(&cities).clone())
            .filter(|p| *p != region)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let partners = if partners.is_empty() {
            vec![cities.iter().find(|c| **c != region).unwrap().clone()]
        } else {
            partners
        };
        let tags = self.tags(lang);
        let words: Vec<&str> = (0..3).map(|_| *self.pick(&WORDS)).collect();
        Version {
            title: format!(
                "{} {}",
                if lang == "kk" {
                    "Жаңалық"
                } else {
                    "Новость"
                },
                self.rng.u32(..1000)
            ),
            date: self.date(),
            region,
            partners,
            tags,
            draft: self.rng.u8(..10) == 0,
            broken: false,
            body: format!(
                "{} {} [{}](/ru/cities/) {}.",
                words[0],
                words[1],
                words[2],
                self.rng.u32(..1000)
            ),
            summary: None,
            updated: None,
            source: None,
            aliases: Vec::new(),
            photos: Vec::new(),
        }
    }

    fn tags(&mut self, lang: &str) -> Vec<String> {
        let pool: &[&str] = if lang == "kk" { &TAGS_KK } else { &TAGS_RU };
        let mut tags: Vec<String> = Vec::new();
        for _ in 0..self.rng.usize(0..3) {
            let t = self.pick(pool).to_string();
            if !tags.iter().any(|x| x.to_lowercase() == t.to_lowercase()) {
                tags.push(t);
            }
        }
        tags
    }

    fn date(&mut self) -> String {
        if self.rng.u8(..3) == 0 {
            return self.pick(&NEAR_NOW).to_string();
        }
        format!(
            "{}-{:02}-{:02}",
            self.rng.u32(2023..2027),
            self.rng.u32(1..13),
            self.rng.u32(1..29)
        )
    }

    /// Makes one random edit on disk and says what changed.
    fn edit(&mut self) -> (String, Changes) {
        let mut changes = Changes::default();
        let stems: Vec<String> = self.articles.keys().cloned().collect();
        let what = self.rng.u8(..18);
        if what == 17 {
            if let Some(edit) = self.folder_edit() {
                return edit;
            }
        }
        let label = match what {
            0 | 1 if !stems.is_empty() => {
                let stem = self.pick(&stems).clone();
                let lang = *self.pick(&self.articles[&stem].keys().copied().collect::<Vec<_>>());
                // What an editor changes most: words that keep the model's structure (the
                // incremental path views only the pages that read them), and `updated`.
                let field = if what == 0 {
                    self.rng.u8(..4)
                } else {
                    4 + self.rng.u8(..3)
                };
                let n = self.rng.u32(..1000);
                let word = *self.pick(&WORDS);
                let day = self.date();
                let v = self.articles.get_mut(&stem).unwrap().get_mut(lang).unwrap();
                let toggle = |o: &mut Option<String>, value: String| *o = if o.is_some() { None } else { Some(value) };
                match field {
                    0 => v.title.push_str(" ещё"),
                    1 => toggle(&mut v.summary, format!("Кратко {n}.")),
                    2 => toggle(&mut v.source, format!("Источник {n}")),
                    // An old address of its own (unique: the stem, the language and a number).
                    3 if v.aliases.is_empty() => v.aliases.push(format!("/{lang}/news/old-{stem}-{n}/")),
                    3 => v.aliases.clear(),
                    4 => v.body.push_str(&format!("\n\nЕщё {word}.")),
                    5 => v.body = format!("{word} {n}, [к городам](/ru/cities/)."),
                    _ => toggle(&mut v.updated, day),
                }
                let v = v.clone();
                changes.articles.insert(self.write_article(&stem, lang, &v));
                let fields = ["title", "summary", "source", "aliases", "body", "body", "updated"];
                format!("{} of {stem}.{lang}", fields[field as usize])
            }
            2 if !stems.is_empty() => {
                let stem = self.pick(&stems).clone();
                let date = self.date();
                // A date is shared by the article's languages.
                for (lang, v) in self.articles.get_mut(&stem).unwrap().clone() {
                    let v = Version {
                        date: date.clone(),
                        ..v
                    };
                    changes.articles.insert(self.write_article(&stem, lang, &v));
                    self.articles.get_mut(&stem).unwrap().insert(lang, v);
                }
                format!("date of {stem}")
            }
            3..=5 if !stems.is_empty() => {
                let stem = self.pick(&stems).clone();
                let lang = *self.pick(&self.articles[&stem].keys().copied().collect::<Vec<_>>());
                let fresh = self.version(lang);
                let mut v = self.articles[&stem][lang].clone();
                match what {
                    3 => v.region = fresh.region,
                    4 => v.partners = fresh.partners.clone(),
                    _ => v.tags = fresh.tags,
                }
                v.partners.retain(|p| *p != v.region);
                if v.partners.is_empty() {
                    v.partners = fresh.partners.into_iter().filter(|p| *p != v.region).take(1).collect();
                }
                if v.partners.is_empty() {
                    return self.edit();
                }
                changes.articles.insert(self.write_article(&stem, lang, &v));
                self.articles.get_mut(&stem).unwrap().insert(lang, v);
                format!("{} of {stem}.{lang}", ["region", "partners", "tags"][what as usize - 3])
            }
            6 if !stems.is_empty() => {
                // A translation added, or one language removed.
                let stem = self.pick(&stems).clone();
                let have: Vec<&'static str> = self.articles[&stem].keys().copied().collect();
                if have.len() == 1 {
                    let lang = if have[0] == "kk" { "ru" } else { "kk" };
                    let date = self.articles[&stem][have[0]].date.clone();
                    let v = Version {
                        date,
                        ..self.version(lang)
                    };
                    changes.articles.insert(self.write_article(&stem, lang, &v));
                    self.articles.get_mut(&stem).unwrap().insert(lang, v);
                    format!("translation {stem}.{lang} added")
                } else {
                    let lang = *self.pick(&have);
                    self.articles.get_mut(&stem).unwrap().remove(lang);
                    let rel = self.path(&stem, lang);
                    std::fs::remove_file(self.root.join(&rel)).unwrap();
                    changes.articles.insert(rel);
                    format!("translation {stem}.{lang} removed")
                }
            }
            7 if !stems.is_empty() => {
                let stem = self.pick(&stems).clone();
                let lang = *self.pick(&self.articles[&stem].keys().copied().collect::<Vec<_>>());
                let v = self.articles.get_mut(&stem).unwrap().get_mut(lang).unwrap();
                // A draft now and then loses its date (and gets it back); published, it has one.
                let what = if v.broken {
                    v.broken = false;
                    "mended".to_string()
                } else if self.rng.bool() {
                    // A draft, or an article taken back to draft, as an editor breaks it.
                    v.draft = true;
                    v.broken = true;
                    "broken".to_string()
                } else {
                    v.draft = !v.draft;
                    format!("= {}", v.draft)
                };
                let v = v.clone();
                changes.articles.insert(self.write_article(&stem, lang, &v));
                format!("draft of {stem}.{lang} {what}")
            }
            8 if stems.len() > 1 => {
                let stem = self.pick(&stems).clone();
                for lang in self.articles.remove(&stem).unwrap().keys() {
                    let rel = self.path(&stem, lang);
                    std::fs::remove_file(self.root.join(&rel)).unwrap();
                    changes.articles.insert(rel);
                }
                format!("{stem} deleted")
            }
            9 if !stems.is_empty() => {
                let stem = self.pick(&stems).clone();
                let new = self.new_stem();
                let versions = self.articles.remove(&stem).unwrap();
                // Its photos move with it when it moves to another year's folder.
                let photos: BTreeSet<&String> = versions.values().flat_map(|v| v.photos.iter().map(|p| &p.0)).collect();
                for file in photos {
                    let from = self.path(&stem, "ru").with_file_name(file);
                    let to = self.path(&new, "ru").with_file_name(file);
                    if from != to && self.root.join(&from).exists() {
                        std::fs::create_dir_all(self.root.join(to.parent().unwrap())).unwrap();
                        std::fs::rename(self.root.join(&from), self.root.join(&to)).unwrap();
                        changes.photos.insert(from);
                        changes.photos.insert(to);
                    }
                }
                for (lang, v) in &versions {
                    let rel = self.path(&stem, lang);
                    std::fs::remove_file(self.root.join(&rel)).unwrap();
                    changes.articles.insert(rel);
                    changes.articles.insert(self.write_article(&new, lang, v));
                }
                self.articles.insert(new.clone(), versions);
                format!("{stem} renamed to {new}")
            }
            10 => {
                // A city joins the registry (harbin, heihe, yakutsk), or one no article uses leaves.
                let (key, kk, ru) = *self.pick(&NEW_CITIES);
                let rel = PathBuf::from(format!("content/cities/{key}.toml"));
                let used = self
                    .articles
                    .values()
                    .flat_map(|l| l.values())
                    .any(|v| v.region == key || v.partners.iter().any(|p| p == key));
                changes.cities = true;
                if !self.cities.contains(key) {
                    std::fs::write(
                        self.root.join(&rel),
                        format!("kind = \"city\"\ncountry = \"CN\"\ncoordinates = [45.8, 126.5]\n\n[name]\nkk = \"{kk}\"\nru = \"{ru}\"\n"),
                    )
                    .unwrap();
                    self.cities.insert(key.to_string());
                    format!("city {key} added")
                } else if !used {
                    std::fs::remove_file(self.root.join(&rel)).unwrap();
                    self.cities.remove(key);
                    format!("city {key} removed")
                } else if self.rng.bool() {
                    // Renamed in ru, and its `[extra]` (city.extra for templates) added or
                    // dropped with it (one step: the random sequence stays what it was).
                    let text = std::fs::read_to_string(self.root.join(&rel)).unwrap();
                    let extra = "\n[extra]\nakim = \"Аким\"\n";
                    let (text, what) = match text.strip_suffix(extra) {
                        Some(rest) => (rest.to_string(), "dropped"),
                        None => (format!("{text}{extra}"), "added"),
                    };
                    std::fs::write(
                        self.root.join(&rel),
                        text.replace(&format!("ru = \"{ru}"), &format!("ru = \"{ru}-")),
                    )
                    .unwrap();
                    format!("city {key} renamed in ru, [extra] {what}")
                } else {
                    // The city's old key (as after a rename): its pages redirect, or no more.
                    let text = std::fs::read_to_string(self.root.join(&rel)).unwrap();
                    let alias = format!("aliases = [\"old-{key}\"]\n");
                    let (text, what) = match text.strip_prefix(&alias) {
                        Some(rest) => (rest.to_string(), "dropped"),
                        None => (format!("{alias}{text}"), "added"),
                    };
                    std::fs::write(self.root.join(&rel), text).unwrap();
                    format!("old key of city {key} {what}")
                }
            }
            14 if !stems.is_empty() => {
                // A photo added beside an article, shown by one or both of its languages.
                let stem = self.pick(&stems).clone();
                self.next_stem += 1;
                let file = format!("{stem}-p{}.jpg", self.next_stem);
                let rel = self.path(&stem, "ru").with_file_name(&file);
                let bytes = twinpress::photos::fixture::jpeg(
                    64 + self.rng.u32(..64),
                    48,
                    1 + self.rng.u16(..8),
                    self.rng.u32(..),
                );
                std::fs::write(self.root.join(&rel), bytes).unwrap();
                changes.photos.insert(rel);
                let langs: Vec<&'static str> = self.articles[&stem].keys().copied().collect();
                for lang in langs {
                    if self.rng.u8(..3) == 0 {
                        continue;
                    }
                    let v = self.articles.get_mut(&stem).unwrap().get_mut(lang).unwrap();
                    v.photos.push((file.clone(), format!("Фото {lang} {}", v.photos.len())));
                    let v = v.clone();
                    changes.articles.insert(self.write_article(&stem, lang, &v));
                }
                format!("photo {file} added")
            }
            15 | 16 if !stems.is_empty() => {
                let stem = self.pick(&stems).clone();
                let lang = *self.pick(&self.articles[&stem].keys().copied().collect::<Vec<_>>());
                let Some((file, _)) = self.articles[&stem][lang].photos.first().cloned() else {
                    return self.edit();
                };
                let rel = self.path(&stem, lang).with_file_name(&file);
                if what == 15 {
                    // The same file with other bytes (a better shot): new names, the pages follow.
                    let bytes = twinpress::photos::fixture::jpeg(80, 60, 1 + self.rng.u16(..8), self.rng.u32(..));
                    std::fs::write(self.root.join(&rel), bytes).unwrap();
                    changes.photos.insert(rel);
                    format!("photo {file} replaced")
                } else {
                    let v = self.articles.get_mut(&stem).unwrap().get_mut(lang).unwrap();
                    if self.rng.bool() {
                        v.photos[0].1.push_str(" ещё");
                    } else {
                        v.photos.remove(0);
                    }
                    let v = v.clone();
                    changes.articles.insert(self.write_article(&stem, lang, &v));
                    format!("photo {file} of {stem}.{lang} edited or taken out")
                }
            }
            _ => self.add(&mut changes),
        };
        (label, changes)
    }

    /// A new article, in one language or both.
    fn add(&mut self, changes: &mut Changes) -> String {
        let stem = self.new_stem();
        let langs: Vec<&'static str> = match self.rng.u8(..3) {
            0 => vec!["kk"],
            1 => vec!["ru"],
            _ => LANGS.to_vec(),
        };
        let date = self.date();
        let mut versions = BTreeMap::new();
        for lang in langs {
            let v = Version {
                date: date.clone(),
                ..self.version(lang)
            };
            changes.articles.insert(self.write_article(&stem, lang, &v));
            versions.insert(lang, v);
        }
        self.articles.insert(stem.clone(), versions);
        format!("{stem} added")
    }

    fn new_stem(&mut self) -> String {
        self.next_stem += 1;
        // Not into a year whose folder is away: it comes back whole.
        let away = self.away.as_ref().map(|(year, ..)| year.clone());
        let year = loop {
            let year = self.rng.u32(2023..2027).to_string();
            if Some(&year) != away.as_ref() {
                break year;
            }
        };
        format!("{year}-a{}", self.next_stem)
    }
}

/// Runs `steps` random edits from `seed` over a copy of the `good` fixture.
fn run(seed: u64, steps: usize) {
    let site = Site::copy("good");
    let root = site.root.clone();
    std::fs::remove_dir_all(root.join("content/news")).unwrap();
    // Every page kind there is: the aggregator feeds too.
    site.write(
        "site.toml",
        &format!("{}\n[feeds]\nyandex = true\n", site.read("site.toml")),
    );
    let mut world = World {
        rng: fastrand::Rng::with_seed(seed),
        page_rng: fastrand::Rng::with_seed(seed ^ 0x9a6e),
        pages: BTreeMap::new(),
        root: root.clone(),
        articles: Articles::new(),
        cities: ["almaty", "almaty-region", "shanghai", "sichuan", "united-kingdom"]
            .into_iter()
            .map(String::from)
            .collect(),
        next_stem: 0,
        folders: BTreeMap::new(),
        away: None,
    };
    // Enough articles in each language for the search index to spread its words over several
    // shards, which edits then take it under and back over: with twenty, two shards, and for
    // some seeds no city's Latin form ever fell in another shard than its stem (the coverage
    // check below failed for seeds 3 and 5); with forty, four, and every seed tried reaches it.
    // Or as many as `TWINPRESS_EQUIVALENCE_ARTICLES` asks for (the larger corpus
    // `tests/equivalence-long` can run once).
    let start = std::env::var("TWINPRESS_EQUIVALENCE_ARTICLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    while LANGS.iter().any(|lang| world.published(lang) < start.min(20)) {
        world.edit_new();
    }
    // Past them, new articles only (random edits delete about as many as they add).
    while LANGS.iter().any(|lang| world.published(lang) < start) {
        world.add(&mut Changes::default());
    }
    let out = root.parent().unwrap().join("live");
    let opts = options_at_now(&root, seed);
    let mut live = LiveSite::load(&opts, &out).unwrap();
    assert_same_as_full_build(&opts, live.output(), "start");
    let mut log = Vec::new();
    // Steps after which a shard of the search index carried ready results, and after which
    // meta.json named the shard of a common stem of a Latin form.
    let mut with_ready_results = 0;
    let mut with_latin_shards = 0;
    for step in 0..steps {
        let (mut label, mut changes) = world.edit();
        // Every fifth step a page changes too, in the same batch.
        if step % 5 == 2 {
            let (page_label, page_changes) = world.page_edit();
            label = format!("{label} + {page_label}");
            changes.pages |= page_changes.pages;
            changes.static_files.extend(page_changes.static_files);
        }
        log.push(label);
        let what = format!("seed {seed}, step {step}: {}", log.join("; "));
        live.apply(&changes)
            .unwrap_or_else(|e| panic!("{what}: the rebuild failed: {e:#}"));
        assert_same_as_full_build(&opts, live.output(), &what);
        with_ready_results += usize::from(has_ready_results(live.output()));
        with_latin_shards += usize::from(has_latin_shards(live.output()));
    }
    let folder_edits = log.iter().filter(|l| l.starts_with("folder ")).count();
    assert!(
        steps < 60 || folder_edits > 0,
        "no folder was removed, moved or renamed"
    );
    let broken_drafts = log.iter().filter(|l| l.ends_with(" broken")).count();
    eprintln!("seed {seed}: {steps} steps, {folder_edits} of them on folders, {broken_drafts} drafts broken");
    assert!(
        steps < 20 || with_ready_results > steps / 4,
        "ready results in {with_ready_results} of {steps} steps"
    );
    assert!(
        steps < 20 || with_latin_shards > steps / 4,
        "Latin forms' shards in {with_latin_shards} of {steps} steps"
    );
}

/// Whether a language's `meta.json` in `out` names the shards of a Latin form's common stems.
fn has_latin_shards(out: &Path) -> bool {
    LANGS.iter().any(|lang| {
        std::fs::read_to_string(out.join(lang).join("search/meta.json"))
            .is_ok_and(|json| json.contains("\"latin_shards\":{\""))
    })
}

/// Whether a shard of the search index in `out` carries a stem's first results.
fn has_ready_results(out: &Path) -> bool {
    LANGS.iter().any(|lang| {
        std::fs::read_dir(out.join(lang).join("search/s")).is_ok_and(|dir| {
            dir.flatten()
                .any(|f| std::fs::read_to_string(f.path()).is_ok_and(|json| !json.ends_with(",\"w\":{}}")))
        })
    })
}

impl World {
    /// One edit of the pages that are not news: a page added (in one language or both),
    /// reworded, moved in or out of the menu, given or cleared an old address, made a draft or
    /// published, or deleted.
    fn page_edit(&mut self) -> (String, Changes) {
        // Now and then the stylesheet instead: every page links it with its version.
        if self.page_rng.u8(..4) == 0 {
            let rel = "static/style.css";
            let path = self.root.join(rel);
            let css = std::fs::read_to_string(&path).unwrap_or_default();
            let css = match css.find("/* edit") {
                Some(at) => css[..at].to_string(),
                None => format!("{css}/* edit {} */\n", self.page_rng.u32(..1000)),
            };
            std::fs::write(&path, css).unwrap();
            let changes = Changes {
                static_files: [PathBuf::from(rel)].into_iter().collect(),
                ..Changes::default()
            };
            return ("the stylesheet edited".to_string(), changes);
        }
        let slugs: Vec<String> = self.pages.keys().cloned().collect();
        let what = self.page_rng.u8(..7);
        let label = if slugs.is_empty() || what == 0 {
            let slug = format!("page-{}", self.page_rng.u32(..1000));
            let langs: &[&'static str] = match self.page_rng.u8(..3) {
                0 => &["kk"],
                1 => &["ru"],
                _ => &LANGS,
            };
            let menu = self.page_rng.bool().then(|| self.page_rng.i64(1..4));
            for &lang in langs {
                let v = PageVersion {
                    title: format!("Бет {slug} {lang}"),
                    menu,
                    alias: false,
                    draft: false,
                    body: format!("Мәтін {slug}, [қалалар](/{lang}/cities/)."),
                };
                self.pages.entry(slug.clone()).or_default().insert(lang, v);
            }
            format!("page {slug} added in {langs:?}")
        } else {
            let slug = slugs[self.page_rng.usize(..slugs.len())].clone();
            let langs: Vec<&'static str> = self.pages[&slug].keys().copied().collect();
            let lang = langs[self.page_rng.usize(..langs.len())];
            let n = self.page_rng.u32(..1000);
            let v = self.pages.get_mut(&slug).unwrap().get_mut(lang).unwrap();
            match what {
                1 => v.title.push_str(" ещё"),
                2 => v.body.push_str(&format!("\n\nЕщё {n}.")),
                3 => v.menu = if v.menu.is_some() { None } else { Some(i64::from(n % 3)) },
                4 => v.alias = !v.alias,
                5 => v.draft = !v.draft,
                _ => {
                    self.pages.get_mut(&slug).unwrap().remove(lang);
                    std::fs::remove_file(self.root.join(format!("content/pages/{slug}.{lang}.md"))).unwrap();
                    if self.pages[&slug].is_empty() {
                        self.pages.remove(&slug);
                    }
                }
            }
            format!("page {slug}.{lang} edit {what}")
        };
        std::fs::create_dir_all(self.root.join("content/pages")).unwrap();
        for (slug, langs) in &self.pages {
            for (lang, v) in langs {
                let mut front = format!("title = {:?}\ndraft = {}\n", v.title, v.draft);
                if let Some(m) = v.menu {
                    front.push_str(&format!("menu = {m}\n"));
                }
                if v.alias {
                    front.push_str(&format!("aliases = [\"/{lang}/old-{slug}.html\"]\n"));
                }
                let text = format!("+++\n{front}+++\n{}\n", v.body);
                let path = self.root.join(format!("content/pages/{slug}.{lang}.md"));
                if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                    std::fs::write(&path, text).unwrap();
                }
            }
        }
        let changes = Changes {
            pages: true,
            ..Changes::default()
        };
        (label, changes)
    }

    /// How many of the language's articles are not drafts.
    fn published(&self, lang: &str) -> usize {
        self.articles
            .values()
            .filter(|l| l.get(lang).is_some_and(|v| !v.draft))
            .count()
    }

    fn edit_new(&mut self) {
        loop {
            let before = self.articles.len();
            let (_, _) = self.edit();
            if self.articles.len() > before {
                return;
            }
        }
    }
}

#[test]
fn random_edits_end_byte_identical_to_a_full_build() {
    let seed = std::env::var("TWINPRESS_EQUIVALENCE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261122);
    let steps = std::env::var("TWINPRESS_EQUIVALENCE_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    run(seed, steps);
}

/// The case from issue 11: a partner added to an article that is not on the first home page
/// still changes the partnership map there.
#[test]
fn a_new_partner_on_a_later_page_redraws_the_map_on_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("portal");
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["content", "templates", "static"] {
        copy_dir(&project.join(part), &root.join(part));
    }
    let config = std::fs::read_to_string(project.join("site.toml")).unwrap();
    assert!(config.contains("paginate_by = 10"));
    std::fs::write(
        root.join("site.toml"),
        config.replace("paginate_by = 10", "paginate_by = 2"),
    )
    .unwrap();
    let out = dir.path().join("live");
    let mut live = LiveSite::load(&options(&root), &out).unwrap();
    let home = || std::fs::read_to_string(out.join("kk/index.html")).unwrap();
    assert!(!home().contains("Харбин"), "no article names Harbin yet");
    let mut changes = Changes::default();
    for lang in LANGS {
        let rel = format!("content/news/2024/2024-03-26-yakutsk-heihe-delegation.{lang}.md");
        let text = std::fs::read_to_string(root.join(&rel)).unwrap();
        let edited = text.replacen("partners = [\"heihe\"", "partners = [\"heihe\", \"harbin\"", 1);
        assert_ne!(text, edited, "{rel} names heihe as its partner");
        std::fs::write(root.join(&rel), edited).unwrap();
        changes.articles.insert(PathBuf::from(rel));
    }
    live.apply(&changes).unwrap();
    assert!(home().contains("Харбин"), "the map on /kk/ shows Harbin");
    assert_same_as_full_build(&options(&root), live.output(), "harbin");
}
