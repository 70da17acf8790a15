//! Each language's page on following the site: what a feed is and how to subscribe, the
//! address of every feed of the language (the site's, each city's and each tag's that has
//! articles) to copy, and the latest articles the site's feed has. The menu leads here: a
//! reader who clicks "RSS" gets a page, not the XML.

use anyhow::Result;
use serde::Serialize;

use super::{Kind, Page, View};
use crate::model::{CityId, LangId, TagId};
use crate::render::parts::About;
use crate::render::signature::Signed;
use crate::render::views::{Card, PageView};
use crate::render::Renderer;
use crate::urls::Urls;

pub struct Subscribe;

/// How many of the latest articles the page shows.
const LATEST: usize = 10;

#[derive(Serialize)]
struct View_<'a> {
    page: PageView<'a>,
    /// The site's feed in this language.
    site_feed: FeedLink,
    city_feeds: Vec<FeedLink>,
    tag_feeds: Vec<FeedLink>,
    articles: Vec<&'a Signed<Card<'a>>>,
}

/// A feed: what it follows, its page, its address (absolute, to copy) and how many articles
/// it is about.
#[derive(Serialize)]
struct FeedLink {
    name: String,
    /// The page the feed belongs to.
    page_url: String,
    address: String,
    count_label: String,
}

impl Kind for Subscribe {
    fn template(&self) -> &'static str {
        "subscribe.html"
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for lang in LangId::all(r.config.languages.len()) {
            add(lang, 0, 1);
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::subscribe(r.code(page.lang))
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let lang = page.lang;
        let g = r.lang(lang);
        let code = g.code();
        let index = &r.model.langs[lang];
        let about = About {
            lang,
            kind: "subscribe",
            path,
            title: g.ui("subscribe").to_string(),
            description: g.ui("subscribe_intro").to_string(),
            feed: Urls::feed(code),
        };
        let feed = FeedLink {
            name: g.ui("subscribe_site").to_string(),
            page_url: r.urls.href(&Urls::home(code, 1)),
            address: r.urls.permalink(&Urls::feed(code)),
            count_label: g.formats.count(&g.language.ui, "articles", index.entries.len()),
        };
        let mut cities: Vec<FeedLink> = CityId::each(&index.city_entries)
            .filter(|(_, entries)| !entries.is_empty())
            .map(|(city, _)| {
                let card = r.city_card(lang, city);
                let key = &r.model.cities[city].source.key;
                FeedLink {
                    name: card.link.name.to_string(),
                    page_url: r.urls.href(&Urls::city(code, key, 1)),
                    address: r.urls.permalink(&Urls::city_feed(code, key)),
                    count_label: card.count_label,
                }
            })
            .collect();
        cities.sort_by(|a, b| g.formats.compare(&a.name, &b.name));
        let mut tags: Vec<FeedLink> = TagId::all(index.tags.len())
            .map(|t| {
                let view = r.tag_view(lang, t);
                FeedLink {
                    name: view.name.to_string(),
                    page_url: view.url,
                    address: r.urls.permalink(&Urls::tag_feed(code, view.slug)),
                    count_label: view.count_label,
                }
            })
            .collect();
        tags.sort_by(|a, b| g.formats.compare(&a.name, &b.name));
        Ok(Box::new(View_ {
            page: r.page_view(about, |l| Some(Urls::subscribe(r.code(l)))),
            site_feed: feed,
            city_feeds: cities,
            tag_feeds: tags,
            articles: index
                .entries
                .iter()
                .take(LATEST.min(r.config.feed_limit))
                .map(|&id| r.card(id))
                .collect(),
        }))
    }
}
