//! Renders pages through Tera. Per-language globals, city links, tag links and article cards are
//! built once; each page kind (one file each under [`pages`]) then makes only its own small view.
//! A page's signature is the hash of everything its template sees, so an incremental rebuild
//! renders exactly the pages whose view changed. Pages render in parallel and go straight to a
//! [`Sink`], so the site is never held in memory whole.

pub mod assets;
pub mod card;
pub mod components;
mod date_filter;
pub mod made;
pub mod map;
mod media;
mod pages;
mod parts;
pub mod reference;
pub mod search;
pub mod signature;
mod structured;
mod template_errors;
pub mod templates;
pub mod views;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use tera::Context;

pub use pages::{Class, Page};

use pages::{page_count, PageView, Stage, View, KINDS};
pub use templates::Templates;

use views::*;

use crate::config::{Config, Language};
use crate::i18n::Formats;
use crate::model::reads::{self, Reads};
use crate::model::{CityId, EntryId, LangId, Model};
use crate::urls::Urls;

/// How many related articles an article page shows ("more on this partnership").
pub const RELATED: usize = 4;

/// Where rendered files go: the output folder, or nowhere (`check`).
pub trait Sink: Sync {
    /// `path` is relative to the output root, `/`-separated.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()>;
    /// Puts the file `from` (a photo or card in the cache) at `path`.
    fn put_file(&self, path: &str, from: &std::path::Path) -> Result<()> {
        let bytes = std::fs::read(from).with_context(|| format!("Cannot read {}", from.display()))?;
        self.put(path, &bytes)
    }
}

/// What a render wrote, by kind.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RenderStats {
    /// HTML pages per language (indexed like `config.languages`).
    pub pages: Vec<usize>,
    pub feeds: usize,
    /// Root pages: language choice, 404, sitemap, robots.txt.
    pub other: usize,
    /// Files of the search indexes.
    pub index: usize,
    /// Photos' files and social cards.
    pub media: usize,
}

impl RenderStats {
    /// Counts `pages` by class.
    pub fn of(languages: usize, pages: &[Page]) -> RenderStats {
        let mut stats = RenderStats {
            pages: vec![0; languages],
            ..RenderStats::default()
        };
        for page in pages {
            match page.class() {
                Class::Page => stats.pages[page.lang] += 1,
                Class::Feed => stats.feeds += 1,
                Class::Other => stats.other += 1,
                Class::Index => stats.index += 1,
                Class::Media => stats.media += 1,
            }
        }
        stats
    }

    pub fn total(&self) -> usize {
        self.pages.iter().sum::<usize>() + self.feeds + self.other + self.index + self.media
    }
}

pub use signature::Signature;

/// A page as serve keeps it between rebuilds: its output file, its signature, and the entries
/// whose contents its view read.
#[derive(Debug, Clone)]
pub struct Signed {
    pub page: Page,
    pub file: String,
    pub signature: Signature,
    pub reads: Reads,
}

/// Everything a page render needs, built once.
pub struct Renderer<'a> {
    config: &'a Config,
    model: &'a Model,
    urls: &'a Urls,
    templates: &'a Templates,
    langs: Vec<LangGlobals<'a>>,
    /// Per entry, made the first time a page shows it (a small rebuild renders few).
    cards: Slots<signature::Signed<Card<'a>>>,
    /// Per language and city, made the first time one of the city's pages is viewed (a city
    /// has as many pages as its list has).
    city_views: Vec<Vec<OnceLock<CityParts<'a>>>>,
    /// The article template shows related articles.
    shows_related: bool,
    /// The article and home templates show structured data.
    shows_json_ld: (bool, bool),
    /// The entries whose contents the parts every page shares were made from (none, today):
    /// an edit to one of them changes every page.
    shared_reads: Reads,
    /// Each language's search index, made the first time one of its files is viewed.
    search: search::Searches<'a>,
    /// Draws social cards.
    painter: &'a card::Painter,
    /// The templates show `page.image`: articles without photos get a drawn card.
    draws_cards: bool,
}

/// What every page of one city in one language shares.
struct CityParts<'a> {
    view: signature::Signed<CityView<'a>>,
    /// The description as plain text, cut: the pages' description.
    summary: String,
}

/// One language's shared part of every page.
struct LangGlobals<'a> {
    language: &'a Language,
    formats: Formats,
    /// The articles' days, each formatted once.
    days: Days,
    /// `lang`, `site` and `ui`, with the hash of all three; each page's context starts as a copy.
    shared: (Context, Signature),
    /// `site` as JSON, for the template reference.
    site: serde_json::Value,
    /// Per city.
    cities: Vec<CityLink<'a>>,
    /// Per tag of this language.
    tags: Vec<TagLink<'a>>,
    /// The partnership map, for the templates that show it.
    map: Option<map::MapView>,
}

impl<'a> Renderer<'a> {
    pub fn new(
        config: &'a Config,
        model: &'a Model,
        urls: &'a Urls,
        templates: &'a Templates,
        search: &'a search::Kept,
        painter: &'a card::Painter,
        versions: &BTreeMap<String, String>,
    ) -> Result<Self> {
        let assets = assets(urls, versions);
        let (langs, shared_reads) = reads::tracked(|| {
            LangId::each(&config.languages)
                .map(|(lang, language)| LangGlobals::new(config, model, urls, templates, (lang, language), &assets))
                .collect::<Result<Vec<_>>>()
        });
        let langs = langs?;
        let cards = Slots::new(model.entries.len());
        let city_views = config
            .languages
            .iter()
            .map(|_| (0..model.cities.len()).map(|_| OnceLock::new()).collect())
            .collect();
        let renderer = Renderer {
            config,
            model,
            urls,
            templates,
            langs,
            cards,
            city_views,
            shows_related: templates.mentions("article.html", "related"),
            shows_json_ld: (
                templates.mentions("article.html", "json_ld"),
                templates.mentions("index.html", "json_ld"),
            ),
            shared_reads,
            search: search::Searches::new(search, config.languages.len()),
            painter,
            draws_cards: templates.says("article.html", "page.image"),
        };
        pages::check_aliases(&renderer)?;
        Ok(renderer)
    }

    /// The entries whose contents every page depends on.
    pub fn shared_reads(&self) -> &Reads {
        &self.shared_reads
    }

    /// Every page of the site, in a stable order.
    pub fn pages(&self) -> Vec<Page> {
        pages::all(self)
    }

    /// The output file of `page` (`ru/news/x/index.html`).
    pub fn file(&self, page: Page) -> String {
        Urls::file(&page.kind().path(self, page))
    }

    /// The card of entry `id`.
    fn card(&self, id: EntryId) -> &signature::Signed<Card<'a>> {
        // Made once, shown on many pages: each page that shows it has read the entry.
        reads::record(id);
        self.cards.get_or_init(id.0, || {
            let e = &self.model.entries[id];
            let g = &self.langs[e.lang];
            let day = e.date().day();
            signature::Signed::new(Card {
                title: &e.source().title,
                url: self.urls.href(&Urls::article(g.code(), e.stem())),
                date: g.long_date(day),
                date_iso: e.date().rfc3339(),
                region: g.cities[e.region].clone(),
                partners: e.partners.iter().map(|&p| g.cities[p].clone()).collect(),
                summary: e.source().summary.as_deref().unwrap_or(&e.body().summary),
                photo: self.pictures(id).into_iter().next(),
            })
        })
    }

    /// The view of city `city` in `lang`, with the plain-text summary of its description.
    fn city_parts(&self, lang: LangId, city: CityId) -> &CityParts<'a> {
        self.city_views[lang][city].get_or_init(|| CityParts {
            view: signature::Signed::new(self.city_view(lang, city)),
            summary: crate::markdown::truncate_words(
                &crate::markdown::plain_text::strip_tags(&self.model.cities[city].description[lang]),
                crate::markdown::SUMMARY_CHARS,
            ),
        })
    }

    /// Renders `pages` into `sink`, in parallel.
    pub fn render_all(&self, pages: &[Page], sink: &dyn Sink) -> Result<RenderStats> {
        self.render_pages(pages, sink, false)?;
        Ok(RenderStats::of(self.config.languages.len(), pages))
    }

    /// Renders `pages` into `sink` and gives each page's output file, signature and the entries
    /// it read, from the one view each page is rendered with (serve's full builds).
    pub fn render_all_signed(&self, pages: &[Page], sink: &dyn Sink) -> Result<(RenderStats, Vec<Signed>)> {
        let signed = self.render_pages(pages, sink, true)?.into_iter().flatten().collect();
        Ok((RenderStats::of(self.config.languages.len(), pages), signed))
    }

    /// The pages of each [`Stage`] after those of the one before; the last stage's kinds are
    /// prepared while the main pages render. Signatures come in the order of `pages`.
    fn render_pages(&self, pages: &[Page], sink: &dyn Sink, sign: bool) -> Result<Vec<Option<Signed>>> {
        let bar = progress_bar(pages.len());
        let stages: Vec<Stage> = pages.iter().map(|p| p.kind().stage()).collect();
        let of = |stage| -> Vec<Page> {
            pages
                .iter()
                .zip(&stages)
                .filter(|(_, s)| **s == stage)
                .map(|(p, _)| *p)
                .collect()
        };
        let first = self.render_some(&of(Stage::First), sink, sign, &bar)?;
        let last = of(Stage::Last);
        let mut kinds: Vec<u8> = last.iter().map(|p| p.kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let ((), main) = rayon::join(
            || kinds.par_iter().for_each(|&k| KINDS[k as usize].prepare(self)),
            || self.render_some(&of(Stage::Main), sink, sign, &bar),
        );
        let last = self.render_some(&last, sink, sign, &bar)?;
        bar.finish_and_clear();
        let mut done = [first.into_iter(), main?.into_iter(), last.into_iter()];
        Ok(stages.iter().map(|&s| done[s as usize].next().flatten()).collect())
    }

    fn render_some(
        &self,
        pages: &[Page],
        sink: &dyn Sink,
        sign: bool,
        bar: &indicatif::ProgressBar,
    ) -> Result<Vec<Option<Signed>>> {
        // A page that fails does not stop the others: every failing page is listed. A loop
        // past its limit does (each would spend as long).
        let stop = std::sync::atomic::AtomicBool::new(false);
        let done: Vec<Result<Option<Signed>>> = pages
            .par_iter()
            // Rayon splits a range only when a thread steals from it: without a cap, the last
            // thread at work may be left alone with hundreds of pages (a tenth of a second at
            // the end of the search index's articles), the other cores idle.
            .with_max_len(8)
            .map(|&page| {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    return Ok(None);
                }
                let rendered = self.render_one(page, sink, sign, bar);
                if rendered.as_ref().is_err_and(template_errors::is_loop_limit) {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                rendered
            })
            .collect();
        template_errors::all_pages(done)
    }

    /// Renders one page into `sink`, and signs it when `sign`.
    fn render_one(
        &self,
        page: Page,
        sink: &dyn Sink,
        sign: bool,
        bar: &indicatif::ProgressBar,
    ) -> Result<Option<Signed>> {
        let (site_path, view, reads) = self.view(page)?;
        let file = Urls::file(&site_path);
        self.put(page, &site_path, &view, &file, sink)?;
        bar.inc(1);
        Ok(if sign {
            let signature = self.sign_view(page, &view)?;
            Some(Signed {
                page,
                file,
                signature,
                reads,
            })
        } else {
            None
        })
    }

    /// Renders the page's view and puts its file into `sink`.
    fn put(&self, page: Page, site_path: &str, view: &View, file: &str, sink: &dyn Sink) -> Result<()> {
        match page.kind().format() {
            pages::Format::Copy | pages::Format::Png => sink.put_file(file, &self.made_file(page, site_path, view)?),
            pages::Format::Template | pages::Format::Json => sink.put(file, &self.render_view(page, site_path, view)?),
            pages::Format::Made => made::with_bytes(&**view, |bytes| sink.put(file, bytes)),
        }
    }

    /// The file of a page that is made apart from the output (a photo's, a drawn card), in the cache.
    fn made_file(&self, page: Page, site_path: &str, view: &View) -> Result<std::path::PathBuf> {
        let kind = page.kind();
        if kind.format() == pages::Format::Png {
            let svg = self.render_view(page, site_path, view)?;
            return self
                .painter
                .png(&svg)
                .with_context(|| format!("Failed to draw /{site_path} from templates/{}", kind.template()));
        }
        kind.file(self, page)
            .with_context(|| format!("/{site_path} has no file to put in place"))
    }

    /// One page: its output file path and bytes (UTF-8: the templates, the views and the
    /// escaping are all text, so the bytes are not validated again).
    pub fn render(&self, page: Page) -> Result<(String, Vec<u8>)> {
        let (site_path, view, _) = self.view(page)?;
        let bytes = match page.kind().format() {
            pages::Format::Copy | pages::Format::Png => {
                let path = self.made_file(page, &site_path, &view)?;
                std::fs::read(&path).with_context(|| format!("Cannot read {}", path.display()))?
            }
            pages::Format::Template | pages::Format::Json | pages::Format::Made => {
                self.render_view(page, &site_path, &view)?
            }
        };
        Ok((Urls::file(&site_path), bytes))
    }

    /// The page's output file, signature and the entries its view read, without rendering it.
    pub fn signature(&self, page: Page) -> Result<Signed> {
        let (site_path, view, reads) = self.view(page)?;
        Ok(Signed {
            page,
            file: Urls::file(&site_path),
            signature: self.sign_view(page, &view)?,
            reads,
        })
    }

    /// The page's site path and view, with the entries the view read.
    fn view(&self, page: Page) -> Result<(String, View<'_>, Reads)> {
        let kind = page.kind();
        let site_path = kind.path(self, page);
        let (view, reads) = reads::tracked(|| kind.view(self, page, &site_path));
        let view = view.with_context(|| format!("Failed to render /{site_path} with templates/{}", kind.template()))?;
        Ok((site_path, view, reads))
    }

    fn render_view(&self, page: Page, site_path: &str, view: &View) -> Result<Vec<u8>> {
        let template = page.kind().template();
        let fail = || format!("Failed to render /{site_path} with templates/{template}");
        match page.kind().format() {
            pages::Format::Json => return <dyn PageView as PageView>::json(&**view).with_context(fail),
            pages::Format::Made => return made::bytes_of(&**view).with_context(fail),
            _ => {}
        }
        let mut ctx = self.shared(page).map(|s| s.0.clone()).unwrap_or_default();
        ctx.extend(Context::from_serialize(view).with_context(fail)?);
        let mut bytes = Vec::with_capacity(16 * 1024);
        let tera = &self.templates.tera;
        tera.render_to(template, &ctx, &mut bytes)
            .map_err(|e| anyhow::anyhow!(template_errors::explain(&e.to_string(), tera, &|_| None)))
            .with_context(fail)?;
        Ok(bytes)
    }

    /// The hash of the template's name, the shared context and the view.
    fn sign_view(&self, page: Page, view: &View) -> Result<Signature> {
        let template = page.kind().template();
        let mut seed = template.as_bytes().to_vec();
        seed.extend_from_slice(&self.shared(page).map_or(0, |s| s.1).to_le_bytes());
        // The concrete view signs itself (not the Box, which would go through erased_serde).
        Ok(<dyn PageView as PageView>::sign(&**view, &seed)?)
    }

    /// The language's shared context for `template`; pages of the site as a whole (the language
    /// choice, 404) use the first language's.
    fn shared(&self, page: Page) -> Option<&(Context, Signature)> {
        if !page.kind().shared() {
            return None;
        }
        Some(&self.langs.get(page.lang.0).unwrap_or(&self.langs[0]).shared)
    }

    /// Everything page `page`'s template receives, as JSON: the language's shared part and the
    /// view (for the template reference).
    pub fn context_json(&self, page: Page) -> Result<serde_json::Value> {
        let (_, view, _) = self.view(page)?;
        let mut json: serde_json::Value = serde_json::from_slice(&<dyn PageView as PageView>::json(&*view)?)?;
        if page.kind().shared() {
            let g = self.langs.get(page.lang.0).unwrap_or(&self.langs[0]);
            if let serde_json::Value::Object(map) = &mut json {
                map.insert("lang".into(), g.language.code.clone().into());
                map.insert("site".into(), g.site.clone());
                map.insert("ui".into(), serde_json::to_value(&g.language.ui)?);
            }
        }
        Ok(json)
    }

    fn lang(&self, lang: LangId) -> &LangGlobals<'a> {
        &self.langs[lang]
    }

    fn code(&self, lang: LangId) -> &'a str {
        &self.config.languages[lang].code
    }
}

impl<'a> LangGlobals<'a> {
    fn new(
        config: &'a Config,
        model: &'a Model,
        urls: &Urls,
        templates: &Templates,
        (lang, language): (LangId, &'a Language),
        assets: &BTreeMap<String, String>,
    ) -> Result<Self> {
        let code = language.code.as_str();
        let formats = Formats::new(code)?;
        let site = site_view(config, model, urls, (lang, language), assets);
        let shared = shared_context(language, &site)?;
        let cities = model
            .cities
            .iter()
            .map(|c| CityLink {
                key: &c.source.key,
                name: c.source.name_in(code),
                url: urls.href(&Urls::city(code, &c.source.key, 1)).into(),
            })
            .collect();
        let tags = model.langs[lang]
            .tags
            .iter()
            .map(|t| TagLink {
                name: &t.name,
                slug: &t.slug,
                url: urls.href(&Urls::tag(code, &t.slug, 1)).into(),
            })
            .collect();
        let map = templates.mentions("index.html", "map").then(|| {
            map::view(
                model,
                assets
                    .get("map/outlines.svg")
                    .cloned()
                    .unwrap_or_else(|| urls.href("map/outlines.svg")),
                |c| model.cities[c].source.name.get(code).cloned().unwrap_or_default(),
                |c| urls.href(&Urls::city(code, &model.cities[c].source.key, 1)),
            )
        });
        let days = Days::new(model, lang);
        Ok(LangGlobals {
            site,
            language,
            formats,
            days,
            shared,
            cities,
            tags,
            map,
        })
    }

    fn code(&self) -> &str {
        &self.language.code
    }

    /// A day as the language's press writes it.
    fn long_date(&self, day: jiff::civil::Date) -> String {
        match self.days.slot(day) {
            Some(slot) => slot.get_or_init(|| self.formats.long_date(day)).clone(),
            None => self.formats.long_date(day),
        }
    }

    fn ui<'s>(&'s self, key: &'s str) -> &'s str {
        self.language.ui.get(key).map_or(key, String::as_str)
    }
}

/// A value per index, each made the first time it is asked for, in chunks allocated when one
/// of theirs is first asked for: a render under `serve` that shows a few of 400,000 articles'
/// cards allocates (and the kernel zeroes) a few chunks, not a slot for every article.
struct Slots<T> {
    chunks: Vec<OnceLock<Box<[OnceLock<T>]>>>,
}

impl<T> Slots<T> {
    const CHUNK: usize = 1024;

    fn new(len: usize) -> Slots<T> {
        Slots {
            chunks: (0..len.div_ceil(Self::CHUNK)).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The value at `i`, made by `make` if it is the first to ask. Panics past the length, as
    /// a `Vec` would.
    fn get_or_init(&self, i: usize, make: impl FnOnce() -> T) -> &T {
        let chunk = self.chunks[i / Self::CHUNK].get_or_init(|| (0..Self::CHUNK).map(|_| OnceLock::new()).collect());
        chunk[i % Self::CHUNK].get_or_init(make)
    }
}

/// The days of a language's articles as its press writes them, each formatted the first time
/// a page asks (many articles share a day), in a slot per day from its oldest article's to its
/// newest's: made without looking at the articles between, so a render under `serve` that
/// shows a few of them formats a few.
#[derive(Default)]
struct Days {
    first: Option<jiff::civil::Date>,
    slots: Vec<OnceLock<String>>,
}

impl Days {
    /// Past this many days (an archive of over a century, or a date mistyped by centuries), each
    /// day is formatted when asked for.
    const MOST: i32 = 50_000;

    fn new(model: &Model, lang: LangId) -> Days {
        let entries = &model.langs[lang].entries;
        let (Some(&newest), Some(&oldest)) = (entries.first(), entries.last()) else {
            return Days::default();
        };
        let first = model.entries[oldest].date().day();
        let last = model.entries[newest].date().day();
        match first.until(last).map(|span| span.get_days()) {
            Ok(days) if (0..Self::MOST).contains(&days) => Days {
                first: Some(first),
                slots: (0..=days).map(|_| OnceLock::new()).collect(),
            },
            _ => Days::default(),
        }
    }

    /// The slot of `day`: none for a day outside the range (an article's day in its own time
    /// zone can fall a day past its neighbours' in the order of instants).
    fn slot(&self, day: jiff::civil::Date) -> Option<&OnceLock<String>> {
        let days = self.first?.until(day).ok()?.get_days();
        self.slots.get(usize::try_from(days).ok()?)
    }
}

/// On a terminal (not in CI logs), a render shows how far it got once it takes over a second.
/// The HTML of the body of the article or page in `file`, read back from where the site keeps it.
pub(crate) fn body_html<'b>(
    file: &std::path::Path,
    body: &'b crate::markdown::Body,
) -> Result<std::borrow::Cow<'b, str>> {
    body.html.read().with_context(|| {
        format!(
            "{}: could not read its text back from the temporary file",
            file.display()
        )
    })
}

fn progress_bar(total: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return indicatif::ProgressBar::hidden();
    }
    // Hidden at first and shown after a second, so small builds print nothing.
    let bar = indicatif::ProgressBar::with_draw_target(Some(total as u64), indicatif::ProgressDrawTarget::hidden());
    bar.set_style(
        indicatif::ProgressStyle::with_template("Rendering pages: {pos}/{len} ({percent}%)")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let shown = bar.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(1));
        if !shown.is_finished() {
            shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    });
    bar
}

/// What templates see as `site` in one language.
fn site_view(
    config: &Config,
    model: &Model,
    urls: &Urls,
    (lang, language): (LangId, &Language),
    assets: &BTreeMap<String, String>,
) -> serde_json::Value {
    let code = language.code.as_str();
    let menu: Vec<serde_json::Value> = model.langs[lang]
        .menu
        .iter()
        .map(|&i| {
            let p = &model.pages[i].source;
            serde_json::json!({
                "title": p.title, "slug": p.slug, "url": urls.href(&Urls::page(code, &p.slug)),
            })
        })
        .collect();
    // Every city by its key: what a card's region and partners (key, name, url) do not carry.
    let cities: serde_json::Map<String, serde_json::Value> = model
        .cities
        .iter()
        .map(|c| {
            let s = &c.source;
            let view = serde_json::json!({
                "key": s.key,
                "name": s.name_in(code),
                "url": urls.href(&Urls::city(code, &s.key, 1)),
                "kind": s.kind.as_str(),
                "kind_label": language.ui.get(&format!("kind_{}", s.kind.as_str())),
                "country": s.country,
                "country_name": parts::country_name(model, language, &s.country),
            });
            (s.key.clone(), view)
        })
        .collect();
    serde_json::json!({
        "title": language.title,
        "description": language.description,
        "base_url": urls.base_url(),
        "root_url": urls.href(""),
        "home_url": urls.href(&Urls::home(code, 1)),
        "cities_url": urls.href(&Urls::cities(code)),
        "tags_url": urls.href(&Urls::tags(code)),
        "archive_url": urls.href(&Urls::archive(code)),
        "search_url": config.search.then(|| urls.href(&Urls::search(code))),
        "feed_url": urls.href(&Urls::feed(code)),
        "subscribe_url": urls.href(&Urls::subscribe(code)),
        "language_name": language.name,
        "default_language": config.languages[0].code,
        "extra": parts::toml_to_json(&toml::Value::Table(config.extra.clone())),
        "menu": menu,
        "cities": cities,
        "assets": assets,
        "languages": config.languages.iter().map(|l| serde_json::json!({
            "code": l.code, "name": l.name, "url": urls.href(&Urls::home(&l.code, 1)),
            "current": l.code == code,
        })).collect::<Vec<_>>(),
    })
}

/// Each versioned file's link with its version (`/style.css?v=3f2a1c9b`; without one where the
/// build has none: the preview).
fn assets(urls: &Urls, versions: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    versions
        .iter()
        .map(|(rel, v)| {
            let href = urls.href(rel);
            (rel.clone(), if v.is_empty() { href } else { format!("{href}?v={v}") })
        })
        .collect()
}

/// The language's shared part of every page's context (`lang`, `site` and every one of the
/// language's `ui` strings: a template may reach any, as `ui[key]` or in a loop), and that part's
/// signature.
fn shared_context(language: &Language, site: &serde_json::Value) -> Result<(Context, Signature)> {
    let code = language.code.as_str();
    let ui = &language.ui;
    let hash = signature::of(b"", &(code, site, ui))?;
    let mut ctx = Context::new();
    ctx.insert("lang", code);
    ctx.insert("site", &site);
    ctx.insert("ui", ui);
    Ok((ctx, hash))
}
