//! The pages of the site as a whole, in every language: the language choice at `/` and the 404.

use anyhow::Result;
use serde::Serialize;

use super::{Class, Kind, Page, View};
use crate::model::LangId;
use crate::render::parts::About;
use crate::render::views::{LanguageView, PageView};
use crate::render::Renderer;
use crate::urls::Urls;

/// `/index.html`: the language choice.
pub struct Root;
/// `/404.html`.
pub struct NotFound;

#[derive(Serialize)]
struct RootView<'a> {
    page: PageView<'a>,
    /// Each language's titles and UI strings.
    languages: Vec<LanguageView<'a>>,
}

impl Kind for Root {
    fn template(&self) -> &'static str {
        "language.html"
    }
    fn class(&self) -> Class {
        Class::Other
    }
    fn pages(&self, _: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        add(LangId(0), 0, 1);
    }
    fn path(&self, _: &Renderer, _: Page) -> String {
        String::new()
    }
    fn view<'r>(&self, r: &'r Renderer, _: Page, path: &str) -> Result<View<'r>> {
        let mut page = r.page_view(about(r, path, "language"), |l| Some(Urls::home(r.code(l), 1)));
        // The language choice is no language's page: each alternate is that language's home.
        for (l, a) in LangId::all(r.config.languages.len()).zip(page.alternates.iter_mut()) {
            let home = Urls::home(r.code(l), 1);
            a.url = r.urls.href(&home);
            a.permalink = Some(r.urls.permalink(&home));
            a.current = false;
        }
        page.x_default = Some(r.urls.permalink(""));
        Ok(Box::new(RootView {
            page,
            languages: languages(r),
        }))
    }
}

impl Kind for NotFound {
    fn template(&self) -> &'static str {
        "404.html"
    }
    fn class(&self) -> Class {
        Class::Other
    }
    fn pages(&self, _: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        add(LangId(0), 0, 1);
    }
    fn path(&self, _: &Renderer, _: Page) -> String {
        "404.html".to_string()
    }
    fn view<'r>(&self, r: &'r Renderer, _: Page, path: &str) -> Result<View<'r>> {
        // A missing address may have been in any language: the switch leads to each one's home
        // (none is "current"), and the head names no alternates (this page has none).
        let mut page = r.page_view(about(r, path, "not_found"), |l| Some(Urls::home(r.code(l), 1)));
        for a in page.alternates.iter_mut() {
            a.url = r.urls.href(&Urls::home(a.lang, 1));
            a.permalink = None;
            a.current = false;
            a.available = true;
        }
        Ok(Box::new(RootView {
            page,
            languages: languages(r),
        }))
    }
}

fn about<'p>(r: &Renderer, path: &'p str, kind: &'static str) -> About<'p> {
    let g = r.lang(LangId(0));
    About {
        lang: LangId(0),
        kind,
        path,
        title: if kind == "not_found" {
            g.ui("not_found_title").to_string()
        } else {
            g.language.title.clone()
        },
        description: g.language.description.clone(),
        feed: Urls::feed(g.code()),
    }
}

fn languages<'r>(r: &Renderer<'r>) -> Vec<LanguageView<'r>> {
    r.config
        .languages
        .iter()
        .enumerate()
        .map(|(i, l)| LanguageView {
            code: &l.code,
            name: &l.name,
            title: &l.title,
            description: &l.description,
            url: r.urls.href(&Urls::home(&l.code, 1)),
            default: i == 0,
            ui: &l.ui,
        })
        .collect()
}
