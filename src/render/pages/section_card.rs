//! The social cards of the pages readers share besides articles: each language's home, each
//! city's page and each tag's page get a 1200×630 PNG as their `og:image`, drawn from
//! `templates/card.svg` as an article's card is (`card.kind` says which: "home", "city",
//! "tag"), with the list's name as the title and a line under it. Every page of a list shares
//! its first page's card.

use anyhow::Result;

use super::card::{CardView, View_};
use super::{Format, Kind, Page, View};
use crate::model::{CityId, LangId, TagId};
use crate::render::views::ShareImage;
use crate::render::Renderer;
use crate::urls::Urls;

/// A language's home: the site's description, its address under it.
pub struct HomeCard;
/// A city's page: its name; what it is, its country and how many articles.
pub struct CityCard;
/// A tag's page: its name and how many articles.
pub struct TagCard;

/// The card at `path` (a list's first page and `card.png`) as a page's share image.
pub(in crate::render) fn share_image(r: &Renderer, list: &str, alt: String) -> Option<ShareImage> {
    r.draws_cards.then(|| r.card_image(&card_path(list), alt))
}

fn card_path(list: &str) -> String {
    [list, "card.png"].concat()
}

impl Kind for HomeCard {
    fn template(&self) -> &'static str {
        "card.svg"
    }
    fn format(&self) -> Format {
        Format::Png
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        if r.draws_cards {
            for (lang, _) in LangId::each(&r.model.langs) {
                add(lang, 0, 1);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        card_path(&Urls::home(r.code(page.lang), 1))
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _path: &str) -> Result<View<'r>> {
        let g = r.lang(page.lang);
        let mut card = CardView::new(r, "home", page.lang, &g.language.description)?;
        card.subtitle = r.urls.permalink(&Urls::home(g.code(), 1));
        Ok(Box::new(View_ { card }))
    }
}

impl Kind for CityCard {
    fn template(&self) -> &'static str {
        "card.svg"
    }
    fn format(&self) -> Format {
        Format::Png
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        if r.draws_cards {
            for (lang, index) in LangId::each(&r.model.langs) {
                for (city, _) in CityId::each(&index.city_entries) {
                    add(lang, city.0, 1);
                }
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        let key = &r.model.cities[CityId(page.item)].source.key;
        card_path(&Urls::city(r.code(page.lang), key, 1))
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _path: &str) -> Result<View<'r>> {
        let (lang, city) = (page.lang, CityId(page.item));
        let view = &r.city_parts(lang, city).view.value;
        let mut card = CardView::new(r, "city", lang, view.card.link.name)?;
        let place = if view.card.kind == "country" {
            view.card.kind_label.to_string()
        } else {
            format!("{}, {}", view.card.kind_label, view.country_name)
        };
        // A line of its own: begun with a capital ("Город, Китай · 3 статьи").
        let mut letters = place.chars();
        let place: String = letters
            .next()
            .map(|c| c.to_uppercase().chain(letters).collect())
            .unwrap_or_default();
        card.subtitle = format!("{place} · {}", view.card.count_label);
        Ok(Box::new(View_ { card }))
    }
}

impl Kind for TagCard {
    fn template(&self) -> &'static str {
        "card.svg"
    }
    fn format(&self) -> Format {
        Format::Png
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        if r.draws_cards {
            for (lang, index) in LangId::each(&r.model.langs) {
                for (tag, _) in TagId::each(&index.tags) {
                    add(lang, tag.0, 1);
                }
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        let slug = &r.model.langs[page.lang].tags[TagId(page.item)].slug;
        card_path(&Urls::tag(r.code(page.lang), slug, 1))
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _path: &str) -> Result<View<'r>> {
        let (lang, tag) = (page.lang, TagId(page.item));
        let view = r.tag_view(lang, tag);
        let mut card = CardView::new(r, "tag", lang, &format!("#{}", view.name))?;
        card.subtitle = view.count_label;
        Ok(Box::new(View_ { card }))
    }
}
