//! A city's page in each language: its description, agreements and articles, paginated.

use anyhow::Result;
use serde::Serialize;

use super::{numbered, Kind, Page, View};
use crate::model::{CityId, LangId};
use crate::render::parts::{paged, About, ListView};
use crate::render::signature::Signed;
use crate::render::views::{CityView, PageView};
use crate::render::Renderer;
use crate::urls::Urls;

pub struct City;

#[derive(Serialize)]
struct View_<'a> {
    page: PageView<'a>,
    city: &'a Signed<CityView<'a>>,
    #[serde(flatten)]
    list: ListView<'a>,
}

impl Kind for City {
    fn template(&self) -> &'static str {
        "city.html"
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for (lang, index) in LangId::each(&r.model.langs) {
            for (city, entries) in CityId::each(&index.city_entries) {
                numbered(add, lang, city.0, entries.len(), r.config.paginate_by);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::city(
            r.code(page.lang),
            &r.model.cities[CityId(page.item)].source.key,
            page.number,
        )
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let (lang, city, number) = (page.lang, CityId(page.item), page.number);
        let code = r.code(lang);
        let c = &r.model.cities[city];
        let key = c.source.key.as_str();
        let parts = r.city_parts(lang, city);
        let view = &parts.view;
        let about = About {
            lang,
            kind: "city",
            path,
            title: view.card.link.name.to_string(),
            description: parts.summary.clone(),
            feed: Urls::city_feed(code, key),
        };
        let mut page_view = r.page_view(about, |l| Some(Urls::city(r.code(l), key, 1)));
        page_view.image =
            super::section_card::share_image(r, &Urls::city(code, key, 1), view.card.link.name.to_string());
        Ok(Box::new(View_ {
            page: paged(page_view, number, r.lang(lang).ui("page")),
            city: view,
            list: r.list(&r.model.langs[lang].city_entries[city], number, |n| {
                Urls::city(code, key, n)
            }),
        }))
    }
}
