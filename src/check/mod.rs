//! `twinpress check`: everything `build` checks, every page rendered and nothing written; and
//! then what an editor should know before publishing: links and images in articles that lead
//! nowhere (errors), articles missing a translation, drafts, city keys no article uses.

pub mod crawl;
pub mod templates;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use anyhow::Result;

use crate::diagnostics::{near_matches, Problem};
use crate::model::{CityId, EntryId, LangId};
use crate::options::{BuildOptions, Stages};
use crate::render::Sink;
use crate::urls::Urls;
use crate::Site;

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub site: BuildOptions,
    /// An article missing in a language is an error, not a warning.
    pub require_translations: bool,
}

/// What `check` found. Errors make it exit 1; warnings do not.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// Per language code: the articles that are missing in it (the files they exist in).
    pub missing_translations: BTreeMap<String, Vec<PathBuf>>,
    pub pages: usize,
    pub feeds: usize,
}

/// Takes every rendered page and keeps none: check renders to find what fails, and writes nothing.
struct Discard;

impl Sink for Discard {
    fn put(&self, _path: &str, _bytes: &[u8]) -> Result<()> {
        Ok(())
    }
}

pub fn check(opts: &CheckOptions) -> Result<CheckReport> {
    let site = Site::load(&opts.site, &mut Stages::new())?;
    let stats = site.render(&Discard)?;
    let mut files: HashSet<String> = site.outputs()?.into_iter().map(|(_, file)| file).collect();
    let own: HashSet<String> = crate::write::static_files(&opts.site.root.join("static"))?
        .into_iter()
        .map(|(rel, _)| rel)
        .collect();
    let defaults =
        crate::render::templates::defaults_needed(crate::render::templates::DEFAULT_ASSETS, &|p| own.contains(p));
    files.extend(defaults.iter().map(|(p, _, _)| p.to_string()));
    files.extend(own);

    let mut report = CheckReport {
        warnings: site.warnings(),
        pages: stats.pages.iter().sum(),
        feeds: stats.feeds,
        ..CheckReport::default()
    };
    link_problems(&site, &files, &mut report);
    translation_problems(&site, opts.require_translations, &mut report);
    draft_and_city_warnings(&site.model, &mut report);
    photo_warnings(&site, &mut report);
    report.errors.sort();
    report.warnings.sort();
    Ok(report)
}

/// Links and images in articles and pages that lead nowhere, at their line.
fn link_problems(site: &Site, files: &HashSet<String>, report: &mut CheckReport) {
    let model = &site.model;
    let codes: Vec<&str> = site.config.languages.iter().map(|l| l.code.as_str()).collect();
    let mut all_files: Vec<&str> = files.iter().map(String::as_str).collect();
    all_files.sort_unstable();
    // Each article's and page's body: (its page, its file, the body's first line, its links).
    let bodies = model
        .entries
        .iter()
        .map(|e| {
            let page = Urls::article(codes[e.lang], e.stem());
            (page, e.path(), e.source().body_line, &e.body().links)
        })
        .chain(model.pages.iter().map(|p| {
            let page = Urls::page(codes[p.lang.0], &p.source.slug);
            (page, p.source.path.as_path(), p.source.body_line, &p.body.links)
        }));
    for (page, path, body_line, links) in bodies {
        for link in links {
            let Some(target) = site.urls.target_file(&page, &link.href) else {
                continue;
            };
            if files.contains(&target) {
                continue;
            }
            let line = body_line + link.line - 1;
            let near = nearest_file(&target, &all_files);
            let hint = match near {
                Some(n) => format!("did you mean /{n}?"),
                None if link.image => "put the image under static/ and link it as /images/name.jpg".to_string(),
                None => "link a page of the site, e.g. /ru/cities/almaty/".to_string(),
            };
            let what = if link.image { "the image" } else { "the link" };
            report.errors.push(Problem::at(
                path,
                line,
                format!("{what} `{}` leads nowhere: {hint}", link.written),
            ));
        }
    }
}

/// The file of the site nearest to `target` among those of its own section (a missing
/// article's page is compared with the other articles' pages, `ru/news/…/`, never with the
/// home page that every path ends like), as a site path: `ru/news/x/`, `images/a.jpg`.
fn nearest_file<'a>(target: &str, files: &[&'a str]) -> Option<&'a str> {
    fn page(f: &str) -> &str {
        f.strip_suffix("index.html").unwrap_or(f)
    }
    let wanted = page(target);
    let section: String = wanted.split_inclusive('/').take(2).collect();
    let candidates: Vec<&str> = files
        .iter()
        .map(|f| page(f))
        .filter(|f| f.starts_with(&section) && f.len() > section.len() && *f != wanted)
        .collect();
    near_matches(wanted, candidates, 1).into_iter().next()
}

/// Articles missing in a language: errors with `--require-translations`, else warnings.
fn translation_problems(site: &Site, required: bool, report: &mut CheckReport) {
    let model = &site.model;
    let codes: Vec<&str> = site.config.languages.iter().map(|l| l.code.as_str()).collect();
    for (id, e) in EntryId::each(&model.entries) {
        if e.translations.iter().flatten().next() != Some(&id) {
            continue; // each article once
        }
        for (lang, t) in LangId::each(&e.translations) {
            if t.is_none() {
                report
                    .missing_translations
                    .entry(codes[lang].to_string())
                    .or_default()
                    .push(e.path().to_path_buf());
            }
        }
    }
    for (lang, list) in &report.missing_translations {
        for path in list {
            // A translation begun (a draft, or one that does not read yet) is not to be begun again.
            let stem = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(crate::content::article::split_file_name)
                .map_or("", |(stem, _)| stem);
            let begun = path.with_file_name(format!("{stem}.{lang}.md"));
            let message = if site.root.join(&begun).is_file() {
                format!(
                    "has no published `{lang}` translation: {} is begun; finish it and set draft = false",
                    begun.display()
                )
            } else {
                format!(
                    "has no `{lang}` translation: start one with twinpress new \"…\" --translate-from {}",
                    path.display()
                )
            };
            let p = Problem::in_file(path, message);
            if required {
                report.errors.push(p);
            } else {
                report.warnings.push(p);
            }
        }
    }
}

/// Photos beside articles that no article names, and photos one language shows and another
/// version of the article does not (so its readers get no alt text for it).
fn photo_warnings(site: &Site, report: &mut CheckReport) {
    let mut used: HashSet<std::path::PathBuf> = HashSet::new();
    // Per article (folder and stem): each language's photo files.
    type Versions<'a> = Vec<(&'a str, Vec<&'a str>)>;
    let mut by_stem: std::collections::BTreeMap<(&std::path::Path, &str), Versions> = Default::default();
    for a in site.content.articles.values() {
        let dir = a.source.path.parent().unwrap_or(std::path::Path::new(""));
        used.extend(a.body.photos.iter().map(|p| p.source.clone()));
        used.extend(a.source.photos.iter().map(|p| dir.join(&p.file)));
        by_stem.entry((dir, a.source.stem.as_str())).or_default().push((
            a.source.lang.as_str(),
            a.source.photos.iter().map(|p| p.file.as_str()).collect(),
        ));
    }
    // Drafts left out for their problems still name their photos.
    let unread: Vec<(std::path::PathBuf, String)> = site
        .draft_problems
        .keys()
        .filter_map(|rel| Some((rel.clone(), std::fs::read_to_string(site.root.join(rel)).ok()?)))
        .collect();
    let news = site.root.join(crate::content::NEWS_DIR);
    for entry in walkdir::WalkDir::new(&news).sort_by_file_name().into_iter().flatten() {
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file()
            || crate::content::is_ignored(&name)
            || !crate::content::article::is_photo_name(&name)
        {
            continue;
        }
        let rel = entry.path().strip_prefix(&site.root).unwrap_or(entry.path());
        let named_by_draft = unread
            .iter()
            .any(|(draft, text)| draft.parent() == rel.parent() && text.contains(name.as_ref()));
        if !used.contains(rel) && !named_by_draft {
            report.warnings.push(Problem::in_file(
                rel,
                "no article uses this photo: name it in an article's [[photos]] (or as ![alt](file) in its text), or remove it",
            ));
        }
    }
    for ((dir, stem), versions) in &by_stem {
        for (lang, photos) in versions {
            for (other, theirs) in versions {
                for file in photos.iter().filter(|f| !theirs.contains(f)) {
                    report.warnings.push(Problem::in_file(
                        &dir.join(format!("{stem}.{other}.md")),
                        format!("shows no photo `{file}`, which the `{lang}` version shows: add it to [[photos]] with alt text in `{other}`"),
                    ));
                }
            }
        }
    }
}

/// Drafts left out, articles waiting for their time, and cities no article names.
fn draft_and_city_warnings(model: &crate::model::Model, report: &mut CheckReport) {
    for path in &model.drafts_left_out {
        report.warnings.push(Problem::in_file(
            path,
            "is a draft: left out of the site until it says draft = false",
        ));
    }
    for e in model.entries.iter().filter(|e| e.scheduled) {
        report.warnings.push(Problem::in_file(
            e.path(),
            format!(
                "is scheduled for {}: the first build at or after that time publishes it",
                e.date().rfc3339()
            ),
        ));
    }
    for (city, c) in CityId::each(&model.cities) {
        if model.langs.iter().all(|l| l.city_entries[city].is_empty()) {
            report.warnings.push(Problem::in_file(
                &c.source.path,
                format!("no article names `{}` as its region or a partner yet", c.source.key),
            ));
        }
    }
}
