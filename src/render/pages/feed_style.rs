//! Each language's stylesheet for its feeds (`ru/feed.css`): a feed opened in a browser shows
//! what it is and how to subscribe, its title and its latest items, instead of raw XML. The
//! feeds name it in an `<?xml-stylesheet?>` of type `text/css`: every browser styles XML with
//! CSS, where XSLT is leaving them (Chromium 156 already covers an XSLT-styled page with a
//! banner telling readers it is about to stop working), and feed readers ignore it.

use anyhow::Result;
use serde::Serialize;

use super::{Class, Kind, Page, View};
use crate::model::LangId;
use crate::urls::Urls;

pub struct FeedStyle;

#[derive(Serialize)]
struct View_ {
    /// The page on subscribing, absolute: the stylesheet says it as text.
    subscribe_url: String,
}

impl Kind for FeedStyle {
    fn template(&self) -> &'static str {
        "feed.css"
    }
    fn class(&self) -> Class {
        Class::Other
    }
    fn pages(&self, r: &crate::render::Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for lang in LangId::all(r.config.languages.len()) {
            add(lang, 0, 1);
        }
    }
    fn path(&self, r: &crate::render::Renderer, page: Page) -> String {
        Urls::feed_style(r.code(page.lang))
    }
    fn view<'r>(&self, r: &'r crate::render::Renderer, page: Page, _path: &str) -> Result<View<'r>> {
        Ok(Box::new(View_ {
            subscribe_url: r.urls.permalink(&Urls::subscribe(r.code(page.lang))),
        }))
    }
}
