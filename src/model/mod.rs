//! The site model: article versions paired as translations, cities and their partnerships,
//! agreements, and per-language indexes (newest first) by city and by tag. Every reference
//! between files is checked here.

mod archive;
mod ids;
pub mod pages;
pub mod reads;
mod tags;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub use archive::Month;
pub use pages::PageEntry;
pub use tags::Tag;

use crate::config::Config;
use crate::content::{ArticleDate, ArticleSource, CitySource, Content, KeyRef};
use crate::diagnostics::{near_matches, Problem, Problems};
use crate::markdown::Body;
use crate::photos::Photo;

pub use ids::{CityId, EntryId, LangId, TagId};

/// One article in one language.
#[derive(Debug)]
pub struct Entry {
    /// Its own place in `Model::entries`, for [`reads`] to record.
    id: EntryId,
    /// The front matter and file: read through [`Entry::source`].
    source: Arc<ArticleSource>,
    /// The body as HTML, with its summary: read through [`Entry::body`].
    body: Arc<Body>,
    pub lang: LangId,
    pub region: CityId,
    pub partners: Vec<CityId>,
    /// Indexes into this language's `tags`, in the order the front matter gives.
    pub tags: Vec<TagId>,
    /// The same article in each language (`None` where it is missing; itself at `lang`).
    pub translations: Vec<Option<EntryId>>,
    /// Dated after the build's time and shown anyway (`--future`, `serve`): pages mark it.
    pub scheduled: bool,
}

impl Entry {
    /// The front matter and file; a view that reads it depends on this entry's contents.
    pub fn source(&self) -> &ArticleSource {
        reads::record(self.id);
        &self.source
    }

    /// The body; a view that reads it depends on this entry's contents.
    pub fn body(&self) -> &Body {
        reads::record(self.id);
        &self.body
    }

    /// The date: part of the model's structure (see [`same_structure`]), not recorded.
    pub fn date(&self) -> ArticleDate {
        self.source.date
    }

    /// The date it was last updated, if it says: part of the model's structure, not recorded
    /// (the sitemap reads it of every entry, and a title edit need not view the sitemap again).
    pub fn updated(&self) -> Option<ArticleDate> {
        self.source.updated
    }

    /// Its old addresses: part of the model's structure (each is a page), not recorded.
    pub fn aliases(&self) -> &[crate::content::Alias] {
        &self.source.aliases
    }

    /// The stem: part of the model's structure, not recorded.
    pub fn stem(&self) -> &str {
        &self.source.stem
    }

    /// The file: part of the model's structure, not recorded.
    pub fn path(&self) -> &std::path::Path {
        &self.source.path
    }

    /// Its photos' files (the front matter's first, in order, then the body's): part of the
    /// model's structure (each file is a page of the site), not recorded. What the front matter
    /// says of them (alt, caption) is content, read through [`Entry::source`].
    pub fn photos(&self) -> &[Arc<Photo>] {
        &self.body.photos
    }

    /// Which version of its contents (file and body) it has, by identity, without recording a
    /// read: for a memo of something made from those contents, kept between renders by a view
    /// that records them (`serve`'s search index: [`crate::render::search`]).
    pub fn version(&self) -> Version {
        Version(Arc::clone(&self.source), Arc::clone(&self.body))
    }

    /// Whether its contents are still those of `version` (not recorded, as [`Entry::version`]).
    pub fn has_version(&self, version: &Version) -> bool {
        Arc::ptr_eq(&self.source, &version.0) && Arc::ptr_eq(&self.body, &version.1)
    }
}

/// An entry's contents as one version ([`Entry::version`]): held, so that no later version is
/// made at the same address and taken for it.
#[derive(Debug, Clone)]
pub struct Version(Arc<ArticleSource>, Arc<Body>);

/// Whether two versions of an article's body made the same photo files.
fn same_photos(a: &Body, b: &Body) -> bool {
    a.photos.len() == b.photos.len() && a.photos.iter().zip(&b.photos).all(|(x, y)| x == y)
}

/// Whether two versions of an article file give the model the same structure: the same entry
/// at the same place in every list, the same cities, tags and translations. Everything
/// [`Model::new`] reads of a file is compared here, and everything [`Entry`] hands out without
/// recording a read ([`Entry::date`], [`Entry::updated`], [`Entry::stem`], [`Entry::path`]) is
/// part of it. Debug builds check [`Model::update_contents`] against `Model::new`, and serve's
/// plan against signing every page, on every use.
pub fn same_structure(a: &ArticleSource, b: &ArticleSource) -> bool {
    a.path == b.path
        && a.stem == b.stem
        && a.lang == b.lang
        && a.date == b.date
        && a.updated == b.updated
        && a.draft == b.draft
        && a.region == b.region
        && a.partners == b.partners
        && a.tags == b.tags
        && a.aliases == b.aliases
}

/// A city with what the site derives for it.
#[derive(Debug)]
pub struct City {
    pub source: Arc<CitySource>,
    /// The description as HTML, per language (empty where there is none).
    pub description: Vec<String>,
    /// Every city it has a partnership with (from articles and agreements), by key.
    pub partners: Vec<CityId>,
    /// Indexes into `Model::agreements` that involve this city, oldest first.
    pub agreements: Vec<usize>,
}

/// An agreement between two places (written in `owner`'s file), shown on both.
#[derive(Debug)]
pub struct Agreement {
    pub owner: CityId,
    pub with: CityId,
    pub date: ArticleDate,
    /// Only the year is known.
    pub year_only: bool,
    /// Title per language code.
    pub title: BTreeMap<String, String>,
}

/// One language's view of the site.
#[derive(Debug, Default)]
pub struct LangIndex {
    /// Entries in this language, newest first.
    pub entries: Vec<EntryId>,
    /// Tags of this language, by slug.
    pub tags: Vec<Tag>,
    /// Per city: entries in this language where it is the region or a partner, newest first.
    pub city_entries: Vec<Vec<EntryId>>,
    /// Per partnership (region, partner): its entries in this language, newest first.
    pub partnership_entries: rustc_hash::FxHashMap<(CityId, CityId), Vec<EntryId>>,
    /// The months that have entries, newest first, each with its run of `entries`.
    pub months: Vec<Month>,
    /// The pages in this language's menu (indexes into `Model::pages`), in menu order.
    pub menu: Vec<usize>,
}

/// The whole site, checked and indexed.
#[derive(Debug)]
pub struct Model {
    pub cities: Vec<City>,
    /// All entries of all languages, newest first.
    pub entries: Vec<Entry>,
    pub agreements: Vec<Agreement>,
    /// Indexed like `config.languages`.
    pub langs: Vec<LangIndex>,
    /// Files of the drafts that were left out.
    pub drafts_left_out: Vec<std::path::PathBuf>,
    /// Drafts shown (`--drafts`, `serve`) but left out for their problems (an unknown city),
    /// with them: a draft never stops the site from building.
    pub broken_drafts: Vec<Problem>,
    /// Files of the articles dated after the build's time that were left out.
    pub scheduled_left_out: Vec<std::path::PathBuf>,
    /// When the build happens.
    pub schedule: Schedule,
    /// Every photo the published entries and pages show, once, ordered by its first file.
    pub photos: Vec<Arc<Photo>>,
    /// The pages that are not news, by slug then language.
    pub pages: Vec<PageEntry>,
}

/// When a build happens, and whether articles dated later are published anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Seconds since 1970 (UTC): the clock's, or `SOURCE_DATE_EPOCH`.
    pub now: i64,
    /// Articles dated after `now` are in the site, marked (`--future`, `serve`).
    pub future: bool,
}

impl Schedule {
    /// Everything published, whatever its date (tests, and tools that read the model).
    pub const ALL: Schedule = Schedule {
        now: i64::MAX,
        future: true,
    };
}

impl Model {
    /// Checks every reference in `content` and indexes it; drafts are left out unless `drafts`,
    /// and articles dated after `schedule.now` unless `schedule.future`.
    /// `city_descriptions` are the cities' rendered descriptions, in `content.cities` order.
    pub fn new(
        config: &Config,
        content: &Content<Body>,
        city_descriptions: &[Vec<String>],
        drafts: bool,
        schedule: Schedule,
    ) -> Result<Model, Problems> {
        let mut problems = Problems::default();
        let cities = &content.cities;
        let resolver = Resolver::new(cities);
        let agreements = agreements(cities, &resolver, &mut problems);
        let (mut entries, left_out) = entries(config, content, &resolver, (drafts, schedule), &mut problems);
        link_translations(&mut entries, config.languages.len());
        let (partners, city_agreements) = partnerships(cities.len(), &entries, &agreements);
        let mut langs = lang_indexes(config.languages.len(), cities.len(), &entries);
        tags::index(&mut entries, &mut langs, &mut problems);

        let cities = cities
            .iter()
            .cloned()
            .zip(partners)
            .zip(city_agreements)
            .zip(city_descriptions)
            .map(|(((source, partners), agreements), description)| City {
                source,
                description: description.clone(),
                partners: partners.into_iter().collect(),
                agreements,
            })
            .collect();
        let (pages, pages_left_out) = pages::pages(config, content, drafts);
        for (lang, index) in langs.iter_mut().enumerate() {
            index.menu = pages::menu(&pages, LangId(lang));
        }
        let photos = all_photos(&entries, &pages);
        let mut drafts_left_out = left_out.drafts;
        drafts_left_out.extend(pages_left_out);
        problems.into_result(Model {
            photos,
            pages,
            cities,
            entries,
            agreements,
            langs,
            drafts_left_out,
            broken_drafts: left_out.broken,
            scheduled_left_out: left_out.scheduled,
            schedule,
        })
    }

    /// Other entries of the same language with the same region and a shared partner, newest first.
    pub fn related(&self, id: EntryId, max: usize) -> Vec<EntryId> {
        let e = &self.entries[id];
        let index = &self.langs[e.lang];
        // The newest `max` others of the union of the entry's partnerships are among the first
        // `max + 1` of each partnership's list (ids are newest first).
        let mut found: Vec<EntryId> = e
            .partners
            .iter()
            .filter_map(|&p| index.partnership_entries.get(&(e.region, p)))
            .flat_map(|list| list.iter().copied().take(max + 1))
            .filter(|&o| o != id)
            .collect();
        found.sort_unstable();
        found.dedup();
        found.truncate(max);
        found
    }

    /// Puts the new versions of article files into their entries, when every one keeps the
    /// model's structure ([`same_structure`]) and had an entry: then the model is what
    /// [`Model::new`] would make, and the entries given back (sorted) are all that changed.
    /// `None` leaves the model as it was: build it anew.
    pub fn update_contents(
        &mut self,
        edits: &[(Arc<ArticleSource>, Arc<ArticleSource>, Arc<Body>)],
    ) -> Option<Vec<EntryId>> {
        let mut found = Vec::with_capacity(edits.len());
        for (old, new, body) in edits {
            if !same_structure(old, new) {
                return None;
            }
            let i = self.entries.iter().position(|e| Arc::ptr_eq(&e.source, old))?;
            if !same_photos(&self.entries[i].body, body) {
                return None;
            }
            found.push(i);
        }
        for (&i, (_, new, body)) in found.iter().zip(edits) {
            self.entries[i].source = Arc::clone(new);
            self.entries[i].body = Arc::clone(body);
        }
        let mut ids: Vec<EntryId> = found.into_iter().map(EntryId).collect();
        ids.sort_unstable();
        ids.dedup();
        Some(ids)
    }
}

/// Every photo of `entries` and `pages`, once (two languages show the same file), by its first file.
fn all_photos(entries: &[Entry], pages: &[PageEntry]) -> Vec<Arc<Photo>> {
    let mut photos: Vec<Arc<Photo>> = entries
        .iter()
        .map(|e| &e.body)
        .chain(pages.iter().map(|p| &p.body))
        .flat_map(|b| b.photos.iter().cloned())
        .collect();
    photos.sort_by(|a, b| {
        a.variants
            .first()
            .map(|v| &v.file)
            .cmp(&b.variants.first().map(|v| &v.file))
    });
    photos.dedup_by(|a, b| a.variants.first().map(|v| &v.file) == b.variants.first().map(|v| &v.file));
    photos
}

/// City keys to ids, with a problem for each unknown key.
struct Resolver<'c> {
    ids: rustc_hash::FxHashMap<&'c str, CityId>,
    keys: Vec<&'c str>,
}

impl<'c> Resolver<'c> {
    fn new(cities: &'c [Arc<CitySource>]) -> Resolver<'c> {
        Resolver {
            ids: CityId::each(cities).map(|(i, c)| (c.key.as_str(), i)).collect(),
            keys: cities.iter().map(|c| c.key.as_str()).collect(),
        }
    }

    fn resolve(&self, r: &KeyRef, file: &std::path::Path, problems: &mut Problems) -> Option<CityId> {
        let found = self.ids.get(r.key.as_str()).copied();
        if found.is_none() {
            problems.push(unknown_city(file, r, &self.keys));
        }
        found
    }
}

/// Every agreement of every city file whose other city is known.
fn agreements(cities: &[Arc<CitySource>], resolver: &Resolver, problems: &mut Problems) -> Vec<Agreement> {
    let mut agreements = Vec::new();
    for (owner, city) in CityId::each(cities) {
        for a in &city.agreements {
            if let Some(with) = resolver.resolve(&a.with, &city.path, problems) {
                agreements.push(Agreement {
                    owner,
                    with,
                    date: a.date,
                    year_only: a.year_only,
                    title: a.title.clone(),
                });
            }
        }
    }
    agreements
}

/// The entries whose cities are all known, newest first (the same day by stem, then by
/// language order, so output is stable), and the drafts and scheduled articles left out.
fn entries(
    config: &Config,
    content: &Content<Body>,
    resolver: &Resolver,
    (drafts, schedule): (bool, Schedule),
    problems: &mut Problems,
) -> (Vec<Entry>, LeftOut) {
    let mut entries: Vec<Entry> = Vec::with_capacity(content.articles.len());
    let mut left_out = LeftOut::default();
    for article in content.articles.values() {
        let (source, body) = (Arc::clone(&article.source), Arc::clone(&article.body));
        if source.draft && !drafts {
            left_out.drafts.push(source.path.clone());
            continue;
        }
        let scheduled = source.date.timestamp() > schedule.now;
        if scheduled && !schedule.future {
            left_out.scheduled.push(source.path.clone());
            continue;
        }
        // A draft's problems are its own: it is left out with them, and the site builds.
        let mut own = Problems::default();
        let region = resolver.resolve(&source.region, &source.path, &mut own);
        let partners: Vec<_> = source
            .partners
            .iter()
            .map(|p| resolver.resolve(p, &source.path, &mut own))
            .collect();
        if source.draft {
            left_out
                .broken
                .extend(own.0.into_iter().map(crate::content::as_draft_problem));
        } else {
            problems.extend(own.0);
        }
        let (Some(region), Some(partners)) = (region, partners.into_iter().collect::<Option<Vec<_>>>()) else {
            continue;
        };
        let Some(lang) = config.language(&source.lang).map(LangId) else {
            continue;
        };
        entries.push(Entry {
            id: EntryId(0),
            source,
            body,
            lang,
            region,
            partners,
            tags: Vec::new(),
            translations: Vec::new(),
            scheduled,
        });
    }
    entries.sort_by(|a, b| {
        b.date()
            .cmp(&a.date())
            .then_with(|| a.source.stem.cmp(&b.source.stem))
            .then(a.lang.cmp(&b.lang))
    });
    for (i, e) in entries.iter_mut().enumerate() {
        e.id = EntryId(i);
    }
    (entries, left_out)
}

/// The files [`entries`] left out.
#[derive(Default)]
struct LeftOut {
    drafts: Vec<std::path::PathBuf>,
    /// The problems of drafts that would have been shown.
    broken: Vec<Problem>,
    scheduled: Vec<std::path::PathBuf>,
}

/// Each entry's versions in every language (the files sharing its stem).
fn link_translations(entries: &mut [Entry], n_langs: usize) {
    let mut by_stem: rustc_hash::FxHashMap<&str, Vec<Option<EntryId>>> =
        rustc_hash::FxHashMap::with_capacity_and_hasher(entries.len(), Default::default());
    for (id, e) in EntryId::each(entries) {
        by_stem.entry(&e.source.stem).or_insert_with(|| vec![None; n_langs])[e.lang] = Some(id);
    }
    let translations: Vec<Vec<Option<EntryId>>> = entries
        .iter()
        .map(|e| by_stem[e.source.stem.as_str()].clone())
        .collect();
    drop(by_stem);
    for (e, t) in entries.iter_mut().zip(translations) {
        e.translations = t;
    }
}

/// Each city's partners (from articles and agreements, both ways) and its agreements, oldest
/// first.
fn partnerships(
    n_cities: usize,
    entries: &[Entry],
    agreements: &[Agreement],
) -> (Vec<BTreeSet<CityId>>, Vec<Vec<usize>>) {
    let mut partners: Vec<BTreeSet<CityId>> = vec![BTreeSet::new(); n_cities];
    let mut link = |a: CityId, b: CityId| {
        if a != b {
            partners[a].insert(b);
            partners[b].insert(a);
        }
    };
    for e in entries {
        for &p in &e.partners {
            link(e.region, p);
        }
    }
    for a in agreements {
        link(a.owner, a.with);
    }
    let mut city_agreements: Vec<Vec<usize>> = vec![Vec::new(); n_cities];
    for (i, a) in agreements.iter().enumerate() {
        city_agreements[a.owner].push(i);
        if a.with != a.owner {
            city_agreements[a.with].push(i);
        }
    }
    for list in &mut city_agreements {
        list.sort_by_key(|&i| (agreements[i].date, i));
    }
    (partners, city_agreements)
}

/// Per language: its entries, and its entries per city and per partnership (newest first).
fn lang_indexes(n_langs: usize, n_cities: usize, entries: &[Entry]) -> Vec<LangIndex> {
    let mut langs: Vec<LangIndex> = (0..n_langs)
        .map(|_| LangIndex {
            city_entries: vec![Vec::new(); n_cities],
            ..LangIndex::default()
        })
        .collect();
    for (id, e) in EntryId::each(entries) {
        let index = &mut langs[e.lang];
        index.entries.push(id);
        index.city_entries[e.region].push(id);
        for &p in &e.partners {
            if p != e.region {
                index.city_entries[p].push(id);
            }
            let list = index.partnership_entries.entry((e.region, p)).or_default();
            if list.last() != Some(&id) {
                list.push(id);
            }
        }
    }
    for index in &mut langs {
        index.months = archive::months(&index.entries, entries);
    }
    langs
}

fn unknown_city(file: &std::path::Path, r: &KeyRef, keys: &[&str]) -> Problem {
    let near = near_matches(&r.key, keys.iter().copied(), 3);
    let hint = if near.is_empty() {
        format!("add content/cities/{}.toml or use a known key", r.key)
    } else {
        format!(
            "did you mean {}?",
            near.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        )
    };
    Problem::at(file, r.line, format!("unknown city key `{}`: {hint}", r.key))
}
