//! `news-sitemap.xml`: the articles of the last two days before the build's time, in the
//! `news:` namespace Google News reads (publication name and language per article, at most
//! 1,000 entries), named in `robots.txt` beside the sitemap.

use anyhow::Result;
use serde::Serialize;

use super::{SiteFile, View};
use crate::model::EntryId;
use crate::render::Renderer;
use crate::urls::Urls;

/// How far back a news sitemap reaches, and how many entries it may hold (Google's limits).
const WINDOW_SECONDS: i64 = 2 * 24 * 3600;
const MOST: usize = 1000;

pub struct NewsSitemap;

#[derive(Serialize)]
struct NewsView<'a> {
    entries: Vec<NewsEntry<'a>>,
}

#[derive(Serialize)]
struct NewsEntry<'a> {
    loc: String,
    /// The site's title in the article's language.
    publication: &'a str,
    language: &'a str,
    date: String,
    title: &'a str,
}

impl SiteFile for NewsSitemap {
    fn template(&self) -> &'static str {
        "news-sitemap.xml"
    }
    fn path(&self) -> String {
        Urls::news_sitemap()
    }
    fn view<'r>(&self, r: &'r Renderer) -> Result<View<'r>> {
        let now = r.model.schedule.now;
        // Entries are newest first: the window is a run at the start, after any scheduled ones.
        let entries = EntryId::each(&r.model.entries)
            .map(|(id, e)| (id, e, e.date().timestamp()))
            .skip_while(|(_, _, at)| *at > now)
            .take_while(|(_, _, at)| *at >= now.saturating_sub(WINDOW_SECONDS))
            .take(MOST)
            .map(|(id, e, _)| {
                let code = r.code(e.lang);
                NewsEntry {
                    loc: r.urls.permalink(&Urls::article(code, r.model.entries[id].stem())),
                    publication: &r.config.languages[e.lang].title,
                    language: code,
                    date: e.date().rfc3339(),
                    title: &e.source().title,
                }
            })
            .collect();
        Ok(Box::new(NewsView { entries }))
    }
}
