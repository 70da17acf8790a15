//! Each language's list of tags, in the language's alphabetical order.

use anyhow::Result;
use serde::Serialize;

use super::{Kind, Page, View};
use crate::model::{LangId, TagId};
use crate::render::parts::About;
use crate::render::views::{PageView, TagView};
use crate::render::Renderer;
use crate::urls::Urls;

pub struct Tags;

#[derive(Serialize)]
struct TagsView<'a> {
    page: PageView<'a>,
    tags: Vec<TagView<'a>>,
}

impl Kind for Tags {
    fn template(&self) -> &'static str {
        "tags.html"
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for lang in LangId::all(r.config.languages.len()) {
            add(lang, 0, 1);
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::tags(r.code(page.lang))
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let lang = page.lang;
        let g = r.lang(lang);
        let about = About {
            lang,
            kind: "tags",
            path,
            title: g.ui("tags").to_string(),
            description: String::new(),
            feed: Urls::feed(g.code()),
        };
        let mut tags: Vec<TagView> = TagId::all(r.model.langs[lang].tags.len())
            .map(|t| r.tag_view(lang, t))
            .collect();
        tags.sort_by(|a, b| g.formats.compare(a.name, b.name));
        Ok(Box::new(TagsView {
            page: r.page_view(about, |l| Some(Urls::tags(r.code(l)))),
            tags,
        }))
    }
}
