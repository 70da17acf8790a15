//! Each language's home: the newest articles, paginated, and the partnership map on page 1.

use anyhow::Result;
use serde::Serialize;

use super::{numbered, Kind, Page, View};
use crate::model::LangId;
use crate::render::map::MapView;
use crate::render::parts::{paged, About, ListView};
use crate::render::views::PageView;
use crate::render::Renderer;
use crate::urls::Urls;

pub struct Home;

#[derive(Serialize)]
struct HomeView<'a> {
    page: PageView<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    map: Option<&'a MapView>,
    #[serde(flatten)]
    list: ListView<'a>,
}

impl Kind for Home {
    fn template(&self) -> &'static str {
        "index.html"
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for (lang, index) in LangId::each(&r.model.langs) {
            numbered(add, lang, 0, index.entries.len(), r.config.paginate_by);
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::home(r.code(page.lang), page.number)
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let (lang, number) = (page.lang, page.number);
        let g = r.lang(lang);
        let code = g.code();
        let about = About {
            lang,
            kind: "home",
            path,
            title: g.language.title.clone(),
            description: g.language.description.clone(),
            feed: Urls::feed(code),
        };
        let mut view = r.page_view(about, |l| Some(Urls::home(r.code(l), 1)));
        view.image = super::section_card::share_image(r, &Urls::home(code, 1), g.language.description.clone());
        if number == 1 {
            view.x_default = Some(r.urls.permalink(""));
            view.json_ld = r.shows_json_ld.1.then(|| r.website(lang));
        }
        Ok(Box::new(HomeView {
            page: paged(view, number, g.ui("page")),
            map: g.map.as_ref().filter(|_| number == 1),
            list: r.list(&r.model.langs[lang].entries, number, |n| Urls::home(code, n)),
        }))
    }
}
