//! A page that is not news (`content/pages/<slug>.<lang>.md`): "About the partnership",
//! "Contacts", at `/L/<slug>/`, through `page.html`.

use anyhow::Result;
use serde::Serialize;

use super::{Kind, Page, View};
use crate::model::LangId;
use crate::render::parts::{toml_to_json, About};
use crate::render::signature::Hashed;
use crate::render::views::{LanguageLink, PageView, PictureView};
use crate::render::Renderer;
use crate::urls::Urls;

pub struct SitePage;

/// What `page.html` sees as `page`: what every page says about itself, and the page's text.
#[derive(Serialize)]
struct PageWithText<'a> {
    #[serde(flatten)]
    page: PageView<'a>,
    /// The file's slug: the page is at `/L/<slug>/`.
    slug: &'a str,
    /// The front matter's summary, if it gives one.
    summary: Option<&'a str>,
    /// The rendered Markdown body.
    content: Hashed<'a>,
    /// Its place in the menu, when it has one.
    menu: Option<i64>,
    photo_credit: Option<&'a str>,
    /// The first photo of the front matter, shown large at the top.
    lead: Option<PictureView<'a>>,
    /// The other photos of the front matter.
    gallery: Vec<PictureView<'a>>,
    /// The page in the other languages that have it.
    translations: Vec<LanguageLink<'a>>,
    extra: serde_json::Value,
}

#[derive(Serialize)]
struct View_<'a> {
    page: PageWithText<'a>,
}

impl Kind for SitePage {
    fn template(&self) -> &'static str {
        "page.html"
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for (i, p) in r.model.pages.iter().enumerate() {
            add(p.lang, i, 1);
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        let p = &r.model.pages[page.item];
        Urls::page(r.code(p.lang), &p.source.slug)
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let model = r.model;
        let p = &model.pages[page.item];
        let source = &*p.source;
        let about = About {
            lang: p.lang,
            kind: "page",
            path,
            title: source.title.clone(),
            description: source.summary.clone().unwrap_or_else(|| p.body.summary.clone()),
            feed: Urls::feed(r.code(p.lang)),
        };
        let mut page_view = r.page_view(about, |l| {
            p.translations[l.0].map(|t| Urls::page(r.code(l), &model.pages[t].source.slug))
        });
        page_view.image = r.share_image_of(&source.photos, &p.body.photos);
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
        let mut pictures = r
            .pictures_of(&source.photos, &p.body.photos, source.photo_credit.as_deref())
            .into_iter();
        Ok(Box::new(View_ {
            page: PageWithText {
                page: page_view,
                slug: &source.slug,
                summary: source.summary.as_deref(),
                content: Hashed::body(&p.body),
                menu: source.menu,
                photo_credit: source.photo_credit.as_deref(),
                lead: pictures.next(),
                gallery: pictures.collect(),
                translations,
                extra: toml_to_json(&toml::Value::Table(source.extra.clone())),
            },
        }))
    }
}
