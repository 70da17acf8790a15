//! The editor's state: what its fields show, read from the files (or, where a file does not
//! parse, loosely from its TOML, so that the form can mend it) or from a submitted form.

use std::collections::BTreeMap;

use crate::content::ArticleSource;
use crate::desk::articles::problem_text;
use crate::desk::articles::{DeskArticle, LangFile};
use crate::desk::form::{list, Form};
use crate::desk::save::{self, Shared, Words};

/// A submitted (or read) state of the editor: what the fields show.
#[derive(Clone)]
pub(super) struct Editing {
    pub(super) shared: Shared,
    pub(super) words: BTreeMap<String, Words>,
    /// Per language: the version each file had when opened.
    pub(super) versions: BTreeMap<String, String>,
    /// Per language, per field: the build's words for what is wrong.
    pub(super) problems: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

impl Editing {
    /// The article's files as they are: the shared fields from the first file that parses (with
    /// every photo any language lists: one may list a new photo the other does not yet have),
    /// each language's words, and the problems of those that do not parse, by field.
    pub(super) fn from_files(article: &DeskArticle) -> Editing {
        let loosely: BTreeMap<&String, (Shared, Words)> = article
            .files
            .iter()
            .filter(|(_, f)| f.source.is_none())
            .filter_map(|(l, f)| Some((l, loose(&f.text, &f.body)?)))
            .collect();
        let fallback = loosely.values().next().map(|(s, _)| s.clone()).unwrap_or_default();
        let shared = match article.any_source() {
            Some(s) => shared_of(s, &fallback),
            None => fallback,
        };
        let mut editing = Editing {
            words: BTreeMap::new(),
            versions: BTreeMap::new(),
            problems: BTreeMap::new(),
            shared,
        };
        for (lang, f) in &article.files {
            editing.versions.insert(lang.clone(), f.version());
            let words = match (&f.source, loosely.get(lang)) {
                (Some(s), _) => words_of(s, &editing.shared, &f.body),
                (None, Some((own, w))) => Words {
                    photos: in_order(&editing.shared.photos, &own.photos, &w.photos),
                    ..w.clone()
                },
                (None, None) => Words {
                    body: f.body.clone(),
                    ..Words::default()
                },
            };
            editing.words.insert(lang.clone(), words);
            if let Some(problems) = problems_of(f, &article.stem, lang) {
                editing.problems.insert(lang.clone(), problems);
            }
        }
        editing
    }

    /// What the editor's form posted: photos in the order their numbers say, less the ones
    /// marked for removal; a language's fields only where the form had its column.
    pub(super) fn from_form(form: &Form, languages: &[&str]) -> Editing {
        let files = form.all("photo");
        let mut order: Vec<(f64, usize)> = files
            .iter()
            .enumerate()
            .filter(|(i, _)| !form.has(&format!("remove.{i}")))
            .map(|(i, _)| {
                (
                    form.get(&format!("order.{i}")).trim().parse().unwrap_or(i as f64 + 1.0),
                    i,
                )
            })
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let shared = Shared {
            date: form.get("date").into(),
            region: form.get("region").into(),
            partners: form.all("partners"),
            photos: order.iter().map(|(_, i)| files[*i].clone()).collect(),
        };
        let mut words = BTreeMap::new();
        let mut versions = BTreeMap::new();
        for lang in languages {
            let f = |name: &str| form.get(&format!("{lang}.{name}")).to_string();
            if !form.has(&format!("{lang}.version")) {
                continue;
            }
            versions.insert(lang.to_string(), f("version"));
            words.insert(
                lang.to_string(),
                Words {
                    title: f("title"),
                    tags: list(&f("tags")),
                    summary: f("summary"),
                    source: f("source"),
                    source_url: f("source_url"),
                    photo_credit: f("photo_credit"),
                    draft: form.has(&format!("{lang}.draft")),
                    photos: order
                        .iter()
                        .map(|(_, i)| (f(&format!("alt.{i}")), f(&format!("caption.{i}"))))
                        .collect(),
                    body: f("body"),
                },
            );
        }
        Editing {
            shared,
            words,
            versions,
            problems: BTreeMap::new(),
        }
    }
}

/// The parts of an article a conflict is settled by, one choice each: the shared fields, the
/// photos (files, order and every language's texts together), and each language's fields.
pub(super) const SHARED_PARTS: &[&str] = &["date", "region", "partners", "photos"];
pub(super) const WORD_PARTS: &[&str] = &[
    "title",
    "tags",
    "summary",
    "source",
    "source_url",
    "photo_credit",
    "draft",
    "body",
];

impl Editing {
    /// What part `part` (`date`, `photos`, `ru.title`…) shows, as text to compare and show.
    pub(super) fn part(&self, part: &str) -> String {
        match part {
            "date" => self.shared.date.clone(),
            "region" => self.shared.region.clone(),
            "partners" => self.shared.partners.join(", "),
            "photos" => {
                let mut out = self.shared.photos.join(", ");
                for (lang, w) in &self.words {
                    for (i, (alt, caption)) in w.photos.iter().enumerate() {
                        out.push_str(&format!("\n{lang} {}: {alt} / {caption}", i + 1));
                    }
                }
                out
            }
            _ => {
                let Some((lang, field)) = part.split_once('.') else {
                    return String::new();
                };
                let Some(w) = self.words.get(lang) else {
                    return String::new();
                };
                match field {
                    "title" => w.title.clone(),
                    "tags" => w.tags.join(", "),
                    "summary" => w.summary.clone(),
                    "source" => w.source.clone(),
                    "source_url" => w.source_url.clone(),
                    "photo_credit" => w.photo_credit.clone(),
                    "draft" => w.draft.to_string(),
                    "body" => w.body.clone(),
                    _ => String::new(),
                }
            }
        }
    }

    /// Every part of this article: the shared ones, then each language's.
    pub(super) fn parts(&self) -> Vec<String> {
        let mut parts: Vec<String> = SHARED_PARTS.iter().map(|p| p.to_string()).collect();
        for lang in self.words.keys() {
            parts.extend(WORD_PARTS.iter().map(|f| format!("{lang}.{f}")));
        }
        parts
    }

    /// Takes part `part` from `other`.
    pub(super) fn take(&mut self, other: &Editing, part: &str) {
        match part {
            "date" => self.shared.date = other.shared.date.clone(),
            "region" => self.shared.region = other.shared.region.clone(),
            "partners" => self.shared.partners = other.shared.partners.clone(),
            "photos" => {
                self.shared.photos = other.shared.photos.clone();
                for (lang, w) in self.words.iter_mut() {
                    w.photos = other
                        .words
                        .get(lang)
                        .map(|o| o.photos.clone())
                        .unwrap_or_else(|| vec![Default::default(); other.shared.photos.len()]);
                }
            }
            _ => {
                let Some((lang, field)) = part.split_once('.') else {
                    return;
                };
                let (Some(w), Some(o)) = (self.words.get_mut(lang), other.words.get(lang)) else {
                    return;
                };
                match field {
                    "title" => w.title = o.title.clone(),
                    "tags" => w.tags = o.tags.clone(),
                    "summary" => w.summary = o.summary.clone(),
                    "source" => w.source = o.source.clone(),
                    "source_url" => w.source_url = o.source_url.clone(),
                    "photo_credit" => w.photo_credit = o.photo_credit.clone(),
                    "draft" => w.draft = o.draft,
                    "body" => w.body = o.body.clone(),
                    _ => {}
                }
            }
        }
    }

    /// The fields the editor's form would post for this state (its versions included).
    pub(super) fn to_form(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = vec![
            ("date".into(), self.shared.date.clone()),
            ("region".into(), self.shared.region.clone()),
        ];
        out.extend(self.shared.partners.iter().map(|p| ("partners".to_string(), p.clone())));
        for (i, file) in self.shared.photos.iter().enumerate() {
            out.push(("photo".into(), file.clone()));
            out.push((format!("order.{i}"), (i + 1).to_string()));
        }
        for (lang, w) in &self.words {
            let mut put = |k: &str, v: String| out.push((format!("{lang}.{k}"), v));
            put("version", self.versions.get(lang).cloned().unwrap_or_default());
            put("title", w.title.clone());
            put("tags", w.tags.join(", "));
            put("summary", w.summary.clone());
            put("source", w.source.clone());
            put("source_url", w.source_url.clone());
            put("photo_credit", w.photo_credit.clone());
            if w.draft {
                put("draft", "on".into());
            }
            for (i, (alt, caption)) in w.photos.iter().enumerate() {
                put(&format!("alt.{i}"), alt.clone());
                put(&format!("caption.{i}"), caption.clone());
            }
            put("body", w.body.clone());
        }
        out
    }
}

/// The fields every language shares, from a file that parses; its photos joined with those of
/// a file that does not.
fn shared_of(s: &ArticleSource, fallback: &Shared) -> Shared {
    let mut photos: Vec<String> = Vec::new();
    for f in s.photos.iter().map(|p| &p.file).chain(&fallback.photos) {
        if !photos.contains(f) {
            photos.push(f.clone());
        }
    }
    Shared {
        date: s.date.day().to_string(),
        region: s.region.key.clone(),
        partners: s.partners.iter().map(|p| p.key.clone()).collect(),
        photos,
    }
}

/// A parsed file's words, its photos' alt texts and captions in the order of `shared`'s.
fn words_of(s: &ArticleSource, shared: &Shared, body: &str) -> Words {
    let photos = shared
        .photos
        .iter()
        .map(|file| {
            s.photos
                .iter()
                .find(|p| &p.file == file)
                .map(|p| (p.alt.clone(), p.caption.clone().unwrap_or_default()))
                .unwrap_or_default()
        })
        .collect();
    Words {
        title: s.title.clone(),
        tags: s.tags.clone(),
        summary: s.summary.clone().unwrap_or_default(),
        source: s.source.clone().unwrap_or_default(),
        source_url: s.source_url.clone().unwrap_or_default(),
        photo_credit: s.photo_credit.clone().unwrap_or_default(),
        draft: s.draft,
        photos,
        body: body.to_string(),
    }
}

/// The (alt, caption) of each of `all` photos, from a file that lists `own` with `texts`.
fn in_order(all: &[String], own: &[String], texts: &[(String, String)]) -> Vec<(String, String)> {
    all.iter()
        .map(|file| {
            own.iter()
                .position(|p| p == file)
                .and_then(|i| texts.get(i).cloned())
                .unwrap_or_default()
        })
        .collect()
}

/// A file's problems by field, as the build says them; none for a file that parses.
fn problems_of(f: &LangFile, stem: &str, lang: &str) -> Option<BTreeMap<String, Vec<String>>> {
    if f.source.is_some() {
        return None;
    }
    let found = crate::content::article::parse(&f.rel, stem, lang, &f.text).err()?;
    Some(by_field_of(&f.text, &found))
}

/// What a file that does not parse says, read loosely from its TOML (so that the editor can fix
/// it in the form): its shared fields and its words. Nothing when it is not TOML at all.
fn loose(text: &str, body: &str) -> Option<(Shared, Words)> {
    let split = crate::content::frontmatter::split(text).ok()?;
    let table: toml::Table = split.front.parse().ok()?;
    let text_of = |key: &str| match table.get(key) {
        Some(toml::Value::String(s)) => s.clone(),
        Some(toml::Value::Datetime(d)) => d.to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let list_of = |key: &str| -> Vec<String> {
        table
            .get(key)
            .and_then(toml::Value::as_array)
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    let photos: Vec<&toml::Table> = table
        .get("photos")
        .and_then(toml::Value::as_array)
        .map(|a| a.iter().filter_map(toml::Value::as_table).collect())
        .unwrap_or_default();
    let field = |t: &toml::Table, k: &str| t.get(k).and_then(toml::Value::as_str).unwrap_or("").to_string();
    let shared = Shared {
        date: text_of("date"),
        region: text_of("region"),
        partners: list_of("partners"),
        photos: photos.iter().map(|t| field(t, "file")).collect(),
    };
    let words = Words {
        title: text_of("title"),
        tags: list_of("tags"),
        summary: text_of("summary"),
        source: text_of("source"),
        source_url: text_of("source_url"),
        photo_credit: text_of("photo_credit"),
        draft: table.get("draft").and_then(toml::Value::as_bool).unwrap_or(false),
        photos: photos.iter().map(|t| (field(t, "alt"), field(t, "caption"))).collect(),
        body: body.to_string(),
    };
    Some((shared, words))
}

/// Problems of the file `text` by the form field of their line.
pub(super) fn by_field_of(text: &str, problems: &[crate::diagnostics::Problem]) -> BTreeMap<String, Vec<String>> {
    let mut by_field: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in problems {
        let field = p
            .line
            .and_then(|l| save::field_of_line(text, l))
            .unwrap_or_else(|| "file".into());
        by_field.entry(field).or_default().push(problem_text(p));
    }
    by_field
}
