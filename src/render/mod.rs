//! Renders every page of the site through Tera. Per-language globals, city links, tag links and
//! article cards are built once; each page then adds only its own small view. Pages render in
//! parallel and go straight to a [`Sink`], so the site is never held in memory whole.

pub mod map;
mod pages;
pub mod templates;
pub mod views;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use tera::Context;

pub use pages::{all_pages, identity, signature, Page, Signature};
pub use templates::Templates;

/// The templates pages are rendered with.
const PAGE_TEMPLATES: &[&str] = &[
    "index.html",
    "article.html",
    "cities.html",
    "city.html",
    "tags.html",
    "tag.html",
    "rss.xml",
    "404.html",
    "language.html",
];

use views::*;

use crate::config::{Config, Language};
use crate::i18n::Formats;
use crate::model::{EntryId, LangId, Model, Urls};

/// Where rendered files go: the output folder, or nowhere (`check`).
pub trait Sink: Sync {
    /// `path` is relative to the output root, `/`-separated.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()>;
}

/// What a render wrote, by kind.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RenderStats {
    /// HTML pages per language (indexed like `config.languages`).
    pub pages: Vec<usize>,
    pub feeds: usize,
    /// Root pages: language choice, 404, sitemap, robots.txt.
    pub other: usize,
}

/// Everything a page render needs, built once.
pub struct Renderer<'a> {
    config: &'a Config,
    model: &'a Model,
    urls: &'a Urls,
    templates: &'a Templates,
    langs: Vec<LangGlobals<'a>>,
    /// Per entry.
    /// Per entry, made the first time a page shows it (a small rebuild shows few).
    cards: Vec<OnceLock<Card<'a>>>,
}

/// One language's shared part of every page.
struct LangGlobals<'a> {
    language: &'a Language,
    formats: Formats,
    /// Per page template: `lang`, `site`, and the `ui` strings the template uses; cloned into
    /// each page's context.
    bases: HashMap<&'static str, Context>,
    /// Per city.
    cities: Vec<CityLink<'a>>,
    /// Per tag of this language.
    tags: Vec<TagLink<'a>>,
    /// The partnership map, for the templates that show it.
    map: Option<map::MapView>,
}

impl<'a> Renderer<'a> {
    pub fn new(config: &'a Config, model: &'a Model, urls: &'a Urls, templates: &'a Templates) -> Result<Self> {
        let mut langs = Vec::with_capacity(config.languages.len());
        for (lang, language) in config.languages.iter().enumerate() {
            let code = language.code.as_str();
            let formats = Formats::new(code)?;
            let mut base = Context::new();
            base.insert("lang", code);
            base.insert(
                "site",
                &serde_json::json!({
                    "title": language.title,
                    "description": language.description,
                    "base_url": urls.base_url(),
                    "root_url": urls.href(""),
                    "home_url": urls.href(&Urls::home(code, 1)),
                    "cities_url": urls.href(&Urls::cities(code)),
                    "tags_url": urls.href(&Urls::tags(code)),
                    "feed_url": urls.href(&Urls::feed(code)),
                    "language_name": language.name,
                    "default_language": config.languages[0].code,
                    "languages": config.languages.iter().map(|l| serde_json::json!({
                        "code": l.code, "name": l.name, "url": urls.href(&Urls::home(&l.code, 1)),
                        "current": l.code == code,
                    })).collect::<Vec<_>>(),
                }),
            );
            let cities = model
                .cities
                .iter()
                .map(|c| CityLink {
                    key: &c.source.key,
                    name: c.source.name.get(code).map_or(c.source.key.as_str(), String::as_str),
                    url: urls.href(&Urls::city(code, &c.source.key, 1)),
                })
                .collect();
            let tags = model.langs[lang]
                .tags
                .iter()
                .map(|t| TagLink {
                    name: &t.name,
                    slug: &t.slug,
                    url: urls.href(&Urls::tag(code, &t.slug, 1)),
                })
                .collect();
            let bases = PAGE_TEMPLATES
                .iter()
                .map(|&template| {
                    let mut ctx = base.clone();
                    match templates.ui_keys(template) {
                        None => ctx.insert("ui", &language.ui),
                        Some(keys) if !keys.is_empty() => {
                            let ui: BTreeMap<&String, &String> =
                                language.ui.iter().filter(|(k, _)| keys.contains(*k)).collect();
                            ctx.insert("ui", &ui);
                        }
                        Some(_) => {}
                    }
                    (template, ctx)
                })
                .collect();
            let map = templates.mentions("index.html", "map").then(|| {
                map::view(
                    model,
                    urls.href("map/outlines.svg"),
                    |c| model.cities[c].source.name.get(code).cloned().unwrap_or_default(),
                    |c| urls.href(&Urls::city(code, &model.cities[c].source.key, 1)),
                )
            });
            langs.push(LangGlobals {
                language,
                formats,
                map,
                bases,
                cities,
                tags,
            });
        }
        let cards = (0..model.entries.len()).map(|_| OnceLock::new()).collect();
        Ok(Renderer {
            config,
            model,
            urls,
            templates,
            langs,
            cards,
        })
    }

    /// A new context for a page of language `lang` rendered with `template`.
    fn base(&self, lang: LangId, template: &'static str) -> Context {
        self.langs[lang].bases.get(template).cloned().unwrap_or_default()
    }

    /// The card of entry `id`.
    fn card(&self, id: EntryId) -> &Card<'a> {
        self.cards[id].get_or_init(|| {
            let e = &self.model.entries[id];
            let g = &self.langs[e.lang];
            let day = e.date().day();
            Card {
                title: &e.source.title,
                url: self.urls.href(&Urls::article(&g.language.code, &e.source.stem)),
                date: g.formats.long_date(day),
                date_iso: day.to_string(),
                region: g.cities[e.region].clone(),
                partners: e.partners.iter().map(|&p| g.cities[p].clone()).collect(),
                summary: e.source.summary.as_deref().unwrap_or(&e.body.summary),
            }
        })
    }

    /// Renders every page into `sink`, in parallel.
    pub fn render_all(&self, sink: &dyn Sink) -> Result<RenderStats> {
        let pages = all_pages(self.config, self.model);
        let done = std::sync::atomic::AtomicUsize::new(0);
        let finished = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            let shower = scope.spawn(|| progress(&done, &finished, pages.len()));
            let result = pages.par_iter().try_for_each(|page| {
                let (path, bytes) = self.render(page)?;
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                sink.put(&path, &bytes)
            });
            finished.store(true, std::sync::atomic::Ordering::Relaxed);
            shower.thread().unpark();
            result
        })?;
        let mut stats = RenderStats {
            pages: vec![0; self.config.languages.len()],
            ..RenderStats::default()
        };
        for page in &pages {
            match (page.is_feed(), page.lang(self.model)) {
                (true, _) => stats.feeds += 1,
                (false, Some(lang)) => stats.pages[lang] += 1,
                (false, None) => stats.other += 1,
            }
        }
        Ok(stats)
    }

    /// One page: its output file path and bytes (UTF-8: the templates, the views and the
    /// escaping are all text, so the bytes are not validated again).
    pub fn render(&self, page: &Page) -> Result<(String, Vec<u8>)> {
        let site_path = page.site_path(self.config, self.model);
        let (template, ctx) = self.context(page, &site_path);
        let mut bytes = Vec::with_capacity(16 * 1024);
        self.templates
            .tera
            .render_to(template, &ctx, &mut bytes)
            .with_context(|| format!("Failed to render /{site_path} with templates/{template}"))?;
        Ok((Urls::file(&site_path), bytes))
    }

    fn context(&self, page: &Page, path: &str) -> (&'static str, Context) {
        let model = self.model;
        match *page {
            Page::Home { lang, page } => {
                let g = &self.langs[lang];
                let code = g.code();
                let mut ctx = self.base(lang, "index.html");
                let title = if page > 1 {
                    format!("{} — {} {page}", g.language.title, g.ui("page"))
                } else {
                    g.language.title.clone()
                };
                let mut view = self.page_view(
                    lang,
                    "home",
                    path,
                    title,
                    g.language.description.clone(),
                    &Urls::feed(code),
                    |l| Some(Urls::home(&self.config.languages[l].code, 1)),
                );
                if page == 1 {
                    view.x_default = Some(self.urls.permalink(""));
                }
                ctx.insert("page", &paged(view, page));
                if let Some(map) = self.langs[lang].map.as_ref().filter(|_| page == 1) {
                    ctx.insert("map", map);
                }
                self.insert_list(&mut ctx, &model.langs[lang].entries, page, |n| Urls::home(code, n));
                ("index.html", ctx)
            }
            Page::Article(id) => {
                let e = &model.entries[id];
                let g = &self.langs[e.lang];
                let code = g.code();
                let card = self.card(id);
                let mut ctx = self.base(e.lang, "article.html");
                let page_view = self.page_view(
                    e.lang,
                    "article",
                    path,
                    e.source.title.clone(),
                    card.summary.to_string(),
                    &Urls::feed(code),
                    |l| {
                        e.translations[l]
                            .map(|t| Urls::article(&self.config.languages[l].code, &model.entries[t].source.stem))
                    },
                );
                let translations = page_view
                    .alternates
                    .iter()
                    .filter(|a| a.available && !a.current)
                    .map(|a| LanguageLink {
                        lang: a.lang,
                        name: a.name,
                        url: a.url.clone(),
                    })
                    .collect();
                let updated = e.source.updated.map(|u| u.day());
                ctx.insert("page", &page_view);
                ctx.insert(
                    "article",
                    &ArticleView {
                        card,
                        stem: &e.source.stem,
                        permalink: self.urls.permalink(path),
                        updated: updated.map(|d| g.formats.long_date(d)),
                        updated_iso: updated.map(|d| d.to_string()),
                        tags: e.tags.iter().map(|&t| g.tags[t].clone()).collect(),
                        source: e.source.source.as_deref(),
                        source_url: e.source.source_url.as_deref(),
                        photo_credit: e.source.photo_credit.as_deref(),
                        content: &e.body.html,
                        extra: toml_to_json(&toml::Value::Table(e.source.extra.clone())),
                        translations,
                    },
                );
                // Related cards only for a template that shows them.
                let related: Vec<&Card> = if self.templates.mentions("article.html", "related") {
                    model
                        .related(id, pages::RELATED)
                        .into_iter()
                        .map(|r| self.card(r))
                        .collect()
                } else {
                    Vec::new()
                };
                ctx.insert("related", &related);
                ("article.html", ctx)
            }
            Page::Cities(lang) => {
                let g = &self.langs[lang];
                let code = g.code();
                let mut ctx = self.base(lang, "cities.html");
                ctx.insert(
                    "page",
                    &self.page_view(
                        lang,
                        "cities",
                        path,
                        g.ui("cities").to_string(),
                        String::new(),
                        &Urls::feed(code),
                        |l| Some(Urls::cities(&self.config.languages[l].code)),
                    ),
                );
                ctx.insert("countries", &self.country_groups(lang));
                ("cities.html", ctx)
            }
            Page::City { lang, city, page } => {
                let g = &self.langs[lang];
                let code = g.code();
                let c = &model.cities[city];
                let key = c.source.key.as_str();
                let view = self.city_view(lang, city);
                let mut ctx = self.base(lang, "city.html");
                let description = c.description[lang].clone();
                ctx.insert(
                    "page",
                    &paged(
                        self.page_view(
                            lang,
                            "city",
                            path,
                            view.card.link.name.to_string(),
                            crate::markdown::truncate_words(&strip_tags(&description), crate::markdown::SUMMARY_CHARS),
                            &Urls::city_feed(code, key),
                            |l| Some(Urls::city(&self.config.languages[l].code, key, 1)),
                        ),
                        page,
                    ),
                );
                ctx.insert("city", &view);
                self.insert_list(&mut ctx, &model.langs[lang].city_entries[city], page, |n| {
                    Urls::city(code, key, n)
                });
                ("city.html", ctx)
            }
            Page::Tags(lang) => {
                let g = &self.langs[lang];
                let code = g.code();
                let mut ctx = self.base(lang, "tags.html");
                ctx.insert(
                    "page",
                    &self.page_view(
                        lang,
                        "tags",
                        path,
                        g.ui("tags").to_string(),
                        String::new(),
                        &Urls::feed(code),
                        |l| Some(Urls::tags(&self.config.languages[l].code)),
                    ),
                );
                let mut tags: Vec<TagView> = (0..model.langs[lang].tags.len())
                    .map(|t| self.tag_view(lang, t))
                    .collect();
                tags.sort_by(|a, b| g.formats.compare(a.name, b.name));
                ctx.insert("tags", &tags);
                ("tags.html", ctx)
            }
            Page::Tag { lang, tag, page } => {
                let g = &self.langs[lang];
                let code = g.code();
                let t = &model.langs[lang].tags[tag];
                let mut ctx = self.base(lang, "tag.html");
                ctx.insert(
                    "page",
                    &paged(
                        self.page_view(
                            lang,
                            "tag",
                            path,
                            t.name.clone(),
                            String::new(),
                            &Urls::tag_feed(code, &t.slug),
                            |l| {
                                t.counterparts[l]
                                    .map(|o| Urls::tag(&self.config.languages[l].code, &model.langs[l].tags[o].slug, 1))
                            },
                        ),
                        page,
                    ),
                );
                ctx.insert("tag", &self.tag_view(lang, tag));
                self.insert_list(&mut ctx, &t.entries, page, |n| Urls::tag(code, &t.slug, n));
                ("tag.html", ctx)
            }
            Page::Feed(lang) => {
                let g = &self.langs[lang];
                let title = g.language.title.clone();
                self.feed(lang, path, Urls::home(g.code(), 1), title, &model.langs[lang].entries)
            }
            Page::CityFeed { lang, city } => {
                let g = &self.langs[lang];
                let key = &model.cities[city].source.key;
                let title = format!("{} — {}", g.cities[city].name, g.language.title);
                self.feed(
                    lang,
                    path,
                    Urls::city(g.code(), key, 1),
                    title,
                    &model.langs[lang].city_entries[city],
                )
            }
            Page::TagFeed { lang, tag } => {
                let g = &self.langs[lang];
                let t = &model.langs[lang].tags[tag];
                let title = format!("{} — {}", t.name, g.language.title);
                self.feed(lang, path, Urls::tag(g.code(), &t.slug, 1), title, &t.entries)
            }
            Page::Sitemap => {
                let mut ctx = Context::new();
                ctx.insert("entries", &pages::sitemap(self.config, model, self.urls));
                ("sitemap.xml", ctx)
            }
            Page::Robots => {
                let mut ctx = Context::new();
                ctx.insert("sitemap_url", &self.urls.permalink("sitemap.xml"));
                ctx.insert("base_url", self.urls.base_url());
                ("robots.txt", ctx)
            }
            Page::NotFound => self.root_page(path, "not_found", "404.html"),
            Page::Root => self.root_page(path, "language", "language.html"),
        }
    }

    /// The root pages speak every language: `languages` has each one's titles and UI strings.
    fn root_page(&self, path: &str, kind: &'static str, template: &'static str) -> (&'static str, Context) {
        let g = &self.langs[0];
        let mut ctx = self.base(0, template);
        let title = if kind == "not_found" {
            g.ui("not_found_title").to_string()
        } else {
            g.language.title.clone()
        };
        let mut view = self.page_view(
            0,
            kind,
            path,
            title,
            g.language.description.clone(),
            &Urls::feed(g.code()),
            |l| Some(Urls::home(&self.config.languages[l].code, 1)),
        );
        if kind == "not_found" {
            view.alternates.clear();
        } else {
            // The language choice is no language's page: each alternate is that language's home.
            for (l, a) in view.alternates.iter_mut().enumerate() {
                let home = Urls::home(&self.config.languages[l].code, 1);
                a.url = self.urls.href(&home);
                a.permalink = Some(self.urls.permalink(&home));
                a.current = false;
            }
            view.x_default = Some(self.urls.permalink(""));
        }
        ctx.insert("page", &view);
        let languages: Vec<LanguageView> = self
            .config
            .languages
            .iter()
            .enumerate()
            .map(|(i, l)| LanguageView {
                code: &l.code,
                name: &l.name,
                title: &l.title,
                description: &l.description,
                url: self.urls.href(&Urls::home(&l.code, 1)),
                default: i == 0,
                ui: &l.ui,
            })
            .collect();
        ctx.insert("languages", &languages);
        (template, ctx)
    }

    #[allow(clippy::too_many_arguments)]
    fn page_view(
        &self,
        lang: LangId,
        kind: &'static str,
        site_path: &str,
        title: String,
        description: String,
        feed: &str,
        path_in: impl Fn(LangId) -> Option<String>,
    ) -> PageView<'a> {
        let g = &self.langs[lang];
        let alternates = self
            .config
            .languages
            .iter()
            .enumerate()
            .map(|(l, language)| {
                let found = if l == lang {
                    Some(site_path.to_string())
                } else {
                    path_in(l)
                };
                Alternate {
                    lang: language.code.as_str(),
                    name: language.name.as_str(),
                    url: self
                        .urls
                        .href(found.as_deref().unwrap_or(&Urls::untranslated(&language.code))),
                    permalink: found.as_deref().map(|p| self.urls.permalink(p)),
                    available: found.is_some(),
                    current: l == lang,
                }
            })
            .collect();
        let feed_title = if feed == Urls::feed(g.code()) {
            g.language.title.clone()
        } else {
            title.clone()
        };
        PageView {
            kind,
            description: if description.is_empty() {
                g.language.description.clone()
            } else {
                description
            },
            title,
            url: self.urls.href(site_path),
            permalink: self.urls.permalink(site_path),
            alternates,
            feed_url: self.urls.href(feed),
            feed_title,
            x_default: None,
        }
    }

    /// `articles` (cards of page `page` of `entries`) and `paginator`.
    fn insert_list(&self, ctx: &mut Context, entries: &[EntryId], page: usize, url: impl Fn(usize) -> String) {
        let per = self.config.paginate_by;
        let total = pages::page_count(entries.len(), per);
        let cards: Vec<&Card> = entries
            .iter()
            .skip((page - 1) * per)
            .take(per)
            .map(|&id| self.card(id))
            .collect();
        ctx.insert("articles", &cards);
        ctx.insert("paginator", &Paginator::new(page, total, |n| self.urls.href(&url(n))));
    }

    fn feed(
        &self,
        lang: LangId,
        feed_path: &str,
        page_path: String,
        title: String,
        entries: &[EntryId],
    ) -> (&'static str, Context) {
        let g = &self.langs[lang];
        let items: Vec<FeedItem> = entries
            .iter()
            .take(self.config.feed_limit)
            .map(|&id| {
                let e = &self.model.entries[id];
                FeedItem {
                    title: &e.source.title,
                    link: self.urls.permalink(&Urls::article(g.code(), &e.source.stem)),
                    pub_date: rfc822(e.date()),
                    description: &e.body.html,
                    categories: e.tags.iter().map(|&t| g.tags[t].name).collect(),
                    source: e.source.source.as_deref(),
                }
            })
            .collect();
        let feed = FeedView {
            title,
            description: &g.language.description,
            link: self.urls.permalink(&page_path),
            self_url: self.urls.permalink(feed_path),
            language: g.code(),
            last_build_date: entries.first().map(|&id| rfc822(self.model.entries[id].date())),
            items,
        };
        let mut ctx = self.base(lang, "rss.xml");
        ctx.insert("feed", &feed);
        ("rss.xml", ctx)
    }

    fn city_card(&self, lang: LangId, city: usize) -> CityCard<'a> {
        let g = &self.langs[lang];
        let c = &self.model.cities[city];
        let count = self.model.langs[lang].city_entries[city].len();
        let mut partners: Vec<CityLink> = c.partners.iter().map(|&p| g.cities[p].clone()).collect();
        partners.sort_by(|a, b| g.formats.compare(a.name, b.name));
        CityCard {
            link: g.cities[city].clone(),
            kind: c.source.kind.as_str(),
            kind_label: g
                .language
                .ui
                .get(&format!("kind_{}", c.source.kind.as_str()))
                .map_or("", String::as_str),
            partners,
            count,
            count_label: g.formats.count(&g.language.ui, "articles", count),
        }
    }

    fn city_view(&self, lang: LangId, city: usize) -> CityView<'a> {
        let g = &self.langs[lang];
        let c = &self.model.cities[city];
        let agreements = c
            .agreements
            .iter()
            .map(|&i| {
                let a = &self.model.agreements[i];
                let other = if a.owner == city { a.with } else { a.owner };
                let year = chrono::Datelike::year(&a.date.day());
                AgreementView {
                    date: if a.year_only {
                        year.to_string()
                    } else {
                        g.formats.long_date(a.date.day())
                    },
                    date_iso: if a.year_only {
                        year.to_string()
                    } else {
                        a.date.day().to_string()
                    },
                    year,
                    title: a.title.get(g.code()).map_or("", String::as_str),
                    with: g.cities[other].clone(),
                }
            })
            .collect();
        CityView {
            card: self.city_card(lang, city),
            country: &c.source.country,
            country_name: self.country_name(lang, &c.source.country),
            coordinates: c.source.coordinates,
            description: &c.description[lang],
            feed_url: self.urls.href(&Urls::city_feed(g.code(), &c.source.key)),
            agreements,
        }
    }

    /// A country's name: the site's own country entry if it has one, else the UI strings.
    fn country_name(&self, lang: LangId, code: &str) -> String {
        let g = &self.langs[lang];
        self.model
            .cities
            .iter()
            .position(|c| c.source.kind == crate::content::Kind::Country && c.source.country == code)
            .map(|i| g.cities[i].name.to_string())
            .or_else(|| g.language.ui.get(&format!("country_{code}")).cloned())
            .unwrap_or_else(|| code.to_string())
    }

    fn country_groups(&self, lang: LangId) -> Vec<CountryGroup<'a>> {
        let g = &self.langs[lang];
        let mut by_country: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, c) in self.model.cities.iter().enumerate() {
            by_country.entry(&c.source.country).or_default().push(i);
        }
        let mut groups: Vec<CountryGroup> = by_country
            .into_iter()
            .map(|(code, ids)| {
                let mut cities: Vec<CityCard> = ids.into_iter().map(|i| self.city_card(lang, i)).collect();
                cities.sort_by(|a, b| g.formats.compare(a.link.name, b.link.name));
                CountryGroup {
                    code,
                    name: self.country_name(lang, code),
                    cities,
                }
            })
            .collect();
        groups.sort_by(|a, b| g.formats.compare(&a.name, &b.name));
        groups
    }

    fn tag_view(&self, lang: LangId, tag: usize) -> TagView<'a> {
        let g = &self.langs[lang];
        let t = &self.model.langs[lang].tags[tag];
        TagView {
            name: g.tags[tag].name,
            slug: g.tags[tag].slug,
            url: g.tags[tag].url.clone(),
            feed_url: self.urls.href(&Urls::tag_feed(g.code(), &t.slug)),
            count: t.entries.len(),
            count_label: g.formats.count(&g.language.ui, "articles", t.entries.len()),
        }
    }
}

impl LangGlobals<'_> {
    fn code(&self) -> &str {
        &self.language.code
    }

    fn ui<'s>(&'s self, key: &'s str) -> &'s str {
        self.language.ui.get(key).map_or(key, String::as_str)
    }
}

/// On a terminal (not in CI logs), a render that takes over a second shows how far it got.
fn progress(done: &std::sync::atomic::AtomicUsize, finished: &std::sync::atomic::AtomicBool, total: usize) {
    use std::io::{IsTerminal, Write};
    use std::sync::atomic::Ordering;
    let show = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let start = std::time::Instant::now();
    let mut shown = false;
    while !finished.load(Ordering::Relaxed) {
        std::thread::park_timeout(std::time::Duration::from_millis(100));
        if show && start.elapsed().as_millis() >= 1000 {
            let n = done.load(Ordering::Relaxed);
            eprint!("\rRendering pages: {n}/{total} ({}%)", n * 100 / total.max(1));
            let _ = std::io::stderr().flush();
            shown = true;
        }
    }
    if shown {
        eprint!("\r{}\r", " ".repeat(40));
    }
}

/// Page 2 and on of a list: the switcher still leads to the other language's list, but no
/// `hreflang` pairs them (page N in one language is not page N in the other).
fn paged(mut view: PageView<'_>, page: usize) -> PageView<'_> {
    if page > 1 {
        for a in view.alternates.iter_mut().filter(|a| !a.current) {
            a.permalink = None;
        }
    }
    view
}

/// RFC 822 date for RSS: "Fri, 29 Aug 2025 00:00:00 +0000".
fn rfc822(date: crate::content::ArticleDate) -> String {
    let offset = chrono::FixedOffset::east_opt(date.offset_minutes.unwrap_or(0) * 60)
        .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("zero offset"));
    match date.local.and_local_timezone(offset).single() {
        Some(dt) => dt.to_rfc2822(),
        None => date.local.and_utc().to_rfc2822(),
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
}

fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => J::from(*f),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => J::Object(t.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_dates_are_rfc822_with_the_given_offset() {
        let d = crate::content::ArticleDate {
            local: chrono::NaiveDate::from_ymd_opt(2025, 8, 29)
                .unwrap()
                .and_hms_opt(10, 30, 0)
                .unwrap(),
            offset_minutes: Some(300),
        };
        assert_eq!(rfc822(d), "Fri, 29 Aug 2025 10:30:00 +0500");
        let d = crate::content::ArticleDate {
            offset_minutes: None,
            ..d
        };
        assert_eq!(rfc822(d), "Fri, 29 Aug 2025 10:30:00 +0000");
    }

    #[test]
    fn tags_are_stripped_for_descriptions() {
        assert_eq!(
            strip_tags("<p>Город <em>яблок</em> &amp; гор</p>\n"),
            "Город яблок & гор"
        );
    }
}
