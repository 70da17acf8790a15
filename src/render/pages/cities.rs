//! Each language's list of cities, grouped by country.

use anyhow::Result;
use serde::Serialize;

use super::{Kind, Page, View};
use crate::model::LangId;
use crate::render::parts::About;
use crate::render::views::{CountryGroup, PageView};
use crate::render::Renderer;
use crate::urls::Urls;

pub struct Cities;

#[derive(Serialize)]
struct CitiesView<'a> {
    page: PageView<'a>,
    countries: Vec<CountryGroup<'a>>,
}

impl Kind for Cities {
    fn template(&self) -> &'static str {
        "cities.html"
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for lang in LangId::all(r.config.languages.len()) {
            add(lang, 0, 1);
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::cities(r.code(page.lang))
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let g = r.lang(page.lang);
        let about = About {
            lang: page.lang,
            kind: "cities",
            path,
            title: g.ui("cities").to_string(),
            description: String::new(),
            feed: Urls::feed(g.code()),
        };
        Ok(Box::new(CitiesView {
            page: r.page_view(about, |l| Some(Urls::cities(r.code(l)))),
            countries: r.country_groups(page.lang),
        }))
    }
}
