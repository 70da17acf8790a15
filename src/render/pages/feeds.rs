//! RSS feeds: each language's, each city's and each tag's.

use anyhow::Result;
use serde::Serialize;

use super::{Class, Kind, Page, View};
use crate::model::{CityId, LangId, TagId};
use crate::render::views::FeedView;
use crate::render::Renderer;
use crate::urls::Urls;

/// `/L/rss.xml`.
pub struct SiteFeed;
/// `/L/cities/KEY/rss.xml`.
pub struct CityFeed;
/// `/L/tags/SLUG/rss.xml`.
pub struct TagFeed;

#[derive(Serialize)]
struct View_<'a> {
    feed: FeedView<'a>,
}

impl Kind for SiteFeed {
    fn template(&self) -> &'static str {
        "rss.xml"
    }
    fn class(&self) -> Class {
        Class::Feed
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for lang in LangId::all(r.config.languages.len()) {
            add(lang, 0, 1);
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::feed(r.code(page.lang))
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let lang = page.lang;
        let g = r.lang(lang);
        let feed = r.feed(
            lang,
            path,
            Urls::home(g.code(), 1),
            g.language.title.clone(),
            &r.model.langs[lang].entries,
        )?;
        Ok(Box::new(View_ { feed }))
    }
}

impl Kind for CityFeed {
    fn template(&self) -> &'static str {
        "rss.xml"
    }
    fn class(&self) -> Class {
        Class::Feed
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for lang in LangId::all(r.config.languages.len()) {
            for city in CityId::all(r.model.cities.len()) {
                add(lang, city.0, 1);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::city_feed(r.code(page.lang), &r.model.cities[CityId(page.item)].source.key)
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let (lang, city) = (page.lang, CityId(page.item));
        let g = r.lang(lang);
        let key = &r.model.cities[city].source.key;
        let title = format!("{} — {}", g.cities[city].name, g.language.title);
        let entries = &r.model.langs[lang].city_entries[city];
        let feed = r.feed(lang, path, Urls::city(g.code(), key, 1), title, entries)?;
        Ok(Box::new(View_ { feed }))
    }
}

impl Kind for TagFeed {
    fn template(&self) -> &'static str {
        "rss.xml"
    }
    fn class(&self) -> Class {
        Class::Feed
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for (lang, index) in LangId::each(&r.model.langs) {
            for tag in 0..index.tags.len() {
                add(lang, tag, 1);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::tag_feed(r.code(page.lang), &r.model.langs[page.lang].tags[TagId(page.item)].slug)
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let lang = page.lang;
        let g = r.lang(lang);
        let t = &r.model.langs[lang].tags[TagId(page.item)];
        let title = format!("{} — {}", t.name, g.language.title);
        let feed = r.feed(lang, path, Urls::tag(g.code(), &t.slug, 1), title, &t.entries)?;
        Ok(Box::new(View_ { feed }))
    }
}
