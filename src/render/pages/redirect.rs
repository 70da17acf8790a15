//! Old addresses that keep working (`aliases` in an article's front matter): a small page at
//! each old path that sends the reader on (meta refresh, canonical, a plain link, `noindex`),
//! and `nginx-redirects.map`, the same pairs for a web server's real 301s (docs/guide.md, "Deploy").

use anyhow::Result;
use serde::Serialize;

use super::{Class, Kind, Page, SiteFile, View};
use crate::model::{CityId, EntryId, LangId};
use crate::render::Renderer;
use crate::urls::Urls;
use std::collections::HashMap;

/// One redirect page: the item is the entry, the number its alias (from 1).
pub struct Redirect;
/// A renamed city's old page in one language: the item is the city, the number its alias (from 1).
pub struct CityRedirect;
/// A page's old address: the item is the page (in `Model::pages`), the number its alias (from 1).
pub struct PageRedirect;
/// `nginx-redirects.map`.
pub struct NginxMap;

#[derive(Serialize)]
struct RedirectView<'a> {
    lang: &'a str,
    title: &'a str,
    /// Where the reader goes: the link within the site, and the full address.
    url: String,
    permalink: String,
}

#[derive(Serialize)]
struct MapView {
    /// (old path, new path), both from the host's root.
    redirects: Vec<(String, String)>,
}

impl Kind for Redirect {
    fn template(&self) -> &'static str {
        "redirect.html"
    }
    fn class(&self) -> Class {
        Class::Other
    }
    fn shared(&self) -> bool {
        false
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for (id, e) in EntryId::each(&r.model.entries) {
            for n in 1..=e.aliases().len() {
                add(e.lang, id.0, n);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        r.model.entries[EntryId(page.item)].aliases()[page.number - 1]
            .path
            .clone()
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _: &str) -> Result<View<'r>> {
        let e = &r.model.entries[EntryId(page.item)];
        let target = Urls::article(r.code(e.lang), e.stem());
        Ok(Box::new(RedirectView {
            lang: r.code(e.lang),
            title: &e.source().title,
            url: r.urls.href(&target),
            permalink: r.urls.permalink(&target),
        }))
    }
}

impl Kind for CityRedirect {
    fn template(&self) -> &'static str {
        "redirect.html"
    }
    fn class(&self) -> Class {
        Class::Other
    }
    fn shared(&self) -> bool {
        false
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for lang in LangId::all(r.config.languages.len()) {
            for (city, c) in CityId::each(&r.model.cities) {
                for n in 1..=c.source.aliases.len() {
                    add(lang, city.0, n);
                }
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        let c = &r.model.cities[CityId(page.item)];
        Urls::city(r.code(page.lang), &c.source.aliases[page.number - 1].key, 1)
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _: &str) -> Result<View<'r>> {
        let city = CityId(page.item);
        let target = Urls::city(r.code(page.lang), &r.model.cities[city].source.key, 1);
        Ok(Box::new(RedirectView {
            lang: r.code(page.lang),
            title: r.lang(page.lang).cities[city].name,
            url: r.urls.href(&target),
            permalink: r.urls.permalink(&target),
        }))
    }
}

impl Kind for PageRedirect {
    fn template(&self) -> &'static str {
        "redirect.html"
    }
    fn class(&self) -> Class {
        Class::Other
    }
    fn shared(&self) -> bool {
        false
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for (i, p) in r.model.pages.iter().enumerate() {
            for n in 1..=p.source.aliases.len() {
                add(p.lang, i, n);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        r.model.pages[page.item].source.aliases[page.number - 1].path.clone()
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _: &str) -> Result<View<'r>> {
        let p = &r.model.pages[page.item];
        let target = Urls::page(r.code(p.lang), &p.source.slug);
        Ok(Box::new(RedirectView {
            lang: r.code(p.lang),
            title: &p.source.title,
            url: r.urls.href(&target),
            permalink: r.urls.permalink(&target),
        }))
    }
}

impl SiteFile for NginxMap {
    fn template(&self) -> &'static str {
        "nginx-redirects.map"
    }
    fn path(&self) -> String {
        "nginx-redirects.map".to_string()
    }
    fn view<'r>(&self, r: &'r Renderer) -> Result<View<'r>> {
        let redirects = r
            .model
            .entries
            .iter()
            .flat_map(|e| {
                let to = r.urls.href(&Urls::article(r.code(e.lang), e.stem()));
                e.aliases().iter().map(move |a| (a.path.clone(), to.clone()))
            })
            .chain(r.model.pages.iter().flat_map(|p| {
                let to = r.urls.href(&Urls::page(r.code(p.lang), &p.source.slug));
                p.source.aliases.iter().map(move |a| (a.path.clone(), to.clone()))
            }))
            .chain(LangId::all(r.config.languages.len()).flat_map(|l| {
                r.model.cities.iter().flat_map(move |c| {
                    let to = r.urls.href(&Urls::city(r.code(l), &c.source.key, 1));
                    c.source
                        .aliases
                        .iter()
                        .map(move |a| (Urls::city(r.code(l), &a.key, 1), to.clone()))
                })
            }))
            .map(|(from, to)| (r.urls.href(&from), to))
            .collect();
        Ok(Box::new(MapView { redirects }))
    }
}

/// Every alias names an address no page and no other alias has.
pub fn check_aliases(r: &Renderer) -> Result<(), crate::diagnostics::Problems> {
    use crate::diagnostics::{Problem, Problems};
    let city_aliases = r.model.cities.iter().flat_map(|c| {
        c.source.aliases.iter().flat_map(move |a| {
            r.config
                .languages
                .iter()
                .map(move |l| (Urls::city(&l.code, &a.key, 1), c.source.path.as_path(), a.line))
        })
    });
    let aliases: Vec<(String, &std::path::Path, usize)> = r
        .model
        .entries
        .iter()
        .flat_map(|e| e.aliases().iter().map(move |a| (a.path.clone(), e.path(), a.line)))
        .chain(r.model.pages.iter().flat_map(|p| {
            p.source
                .aliases
                .iter()
                .map(move |a| (a.path.clone(), p.source.path.as_path(), a.line))
        }))
        .chain(city_aliases)
        .collect();
    if aliases.is_empty() {
        return Ok(());
    }
    let pages: std::collections::HashSet<String> = r
        .pages()
        .into_iter()
        .filter(|p| p.kind().template() != "redirect.html")
        .map(|p| r.file(p))
        .collect();
    let mut claimed: HashMap<String, &std::path::Path> = HashMap::new();
    let mut problems = Problems::default();
    for (path, source, line) in aliases {
        let file = Urls::file(&path);
        let clash = if pages.contains(&file) {
            Some("is the address of a page of the site: remove it from aliases".to_string())
        } else {
            claimed
                .insert(file, source)
                .map(|other| format!("is an alias in {} too: keep it once, in one file", other.display()))
        };
        if let Some(why) = clash {
            problems.push(Problem::at(source, line, format!("alias `/{path}` {why}")));
        }
    }
    problems.into_result(())
}
