//! An article in one language: its body, tags, source, translations and related articles.

use anyhow::Result;
use serde::Serialize;

use super::{Kind, Page, View};
use crate::model::{EntryId, LangId};
use crate::render::parts::{toml_to_json, About};
use crate::render::signature::{Hashed, Signed};
use crate::render::views::{ArticleView, Card, LanguageLink, PageView};
use crate::render::{Renderer, RELATED};
use crate::urls::Urls;

pub struct Article;

#[derive(Serialize)]
struct View_<'a> {
    page: PageView<'a>,
    article: ArticleView<'a>,
    /// Newest articles of the same partnership: only for a template that shows them.
    related: Vec<&'a Signed<Card<'a>>>,
}

impl Kind for Article {
    fn template(&self) -> &'static str {
        "article.html"
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for (id, e) in EntryId::each(&r.model.entries) {
            add(e.lang, id.0, 1);
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        let e = &r.model.entries[EntryId(page.item)];
        Urls::article(r.code(e.lang), e.stem())
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let id = EntryId(page.item);
        let model = r.model;
        let e = &model.entries[id];
        let g = r.lang(e.lang);
        let card = &r.card(id).value;
        let about = About {
            lang: e.lang,
            kind: "article",
            path,
            title: e.source().title.clone(),
            description: card.summary.to_string(),
            feed: Urls::feed(g.code()),
        };
        let mut page_view = r.page_view(about, |l| {
            e.translations[l].map(|t| Urls::article(r.code(l), model.entries[t].stem()))
        });
        page_view.json_ld = r.shows_json_ld.0.then(|| r.news_article(id, path));
        page_view.image = r.preview_image(id);
        let mut pictures = r.pictures(id).into_iter();
        let lead = pictures.next();
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
        let updated = e.updated();
        let article = ArticleView {
            card,
            stem: e.stem(),
            permalink: r.urls.permalink(path),
            updated: updated.map(|d| g.formats.long_date(d.day())),
            updated_iso: updated.map(|d| d.rfc3339()),
            tags: e.tags.iter().map(|&t| g.tags[t].clone()).collect(),
            source: e.source().source.as_deref(),
            source_url: e.source().source_url.as_deref(),
            photo_credit: e.source().photo_credit.as_deref(),
            content: Hashed::body(e.body()),
            extra: toml_to_json(&toml::Value::Table(e.source().extra.clone())),
            translations,
            lead,
            gallery: pictures.collect(),
            scheduled: e.scheduled,
        };
        let related = if r.shows_related {
            model.related(id, RELATED).into_iter().map(|o| r.card(o)).collect()
        } else {
            Vec::new()
        };
        Ok(Box::new(View_ {
            page: page_view,
            article,
            related,
        }))
    }
}
