//! A tag's page: its articles, paginated, linked to the same tag in the other languages.

use anyhow::Result;
use serde::Serialize;

use super::{numbered, Kind, Page, View};
use crate::model::{LangId, TagId};
use crate::render::parts::{paged, About, ListView};
use crate::render::views::{PageView, TagView};
use crate::render::Renderer;
use crate::urls::Urls;

pub struct Tag;

#[derive(Serialize)]
struct View_<'a> {
    page: PageView<'a>,
    tag: TagView<'a>,
    #[serde(flatten)]
    list: ListView<'a>,
}

impl Kind for Tag {
    fn template(&self) -> &'static str {
        "tag.html"
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for (lang, index) in LangId::each(&r.model.langs) {
            for (tag, t) in TagId::each(&index.tags) {
                numbered(add, lang, tag.0, t.entries.len(), r.config.paginate_by);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::tag(
            r.code(page.lang),
            &r.model.langs[page.lang].tags[TagId(page.item)].slug,
            page.number,
        )
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let (lang, tag, number) = (page.lang, TagId(page.item), page.number);
        let model = r.model;
        let code = r.code(lang);
        let t = &model.langs[lang].tags[tag];
        let about = About {
            lang,
            kind: "tag",
            path,
            title: t.name.clone(),
            description: String::new(),
            feed: Urls::tag_feed(code, &t.slug),
        };
        let mut page_view = r.page_view(about, |l| {
            t.counterparts[l].map(|o| Urls::tag(r.code(l), &model.langs[l].tags[o].slug, 1))
        });
        page_view.image = super::section_card::share_image(r, &Urls::tag(code, &t.slug, 1), t.name.clone());
        Ok(Box::new(View_ {
            page: paged(page_view, number, r.lang(lang).ui("page")),
            tag: r.tag_view(lang, tag),
            list: r.list(&t.entries, number, |n| Urls::tag(code, &t.slug, n)),
        }))
    }
}
