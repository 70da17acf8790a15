//! An article's social card: a 1200×630 PNG for an article without photos, its `og:image`
//! (the lists' cards are `section_card`'s).
//! `templates/card.svg` lays it out from this view; [`crate::render::card`] breaks the title
//! into lines with the site's fonts and draws the SVG.

use anyhow::Result;
use serde::Serialize;

use super::{Format, Kind, Page, View};
use crate::model::{EntryId, LangId};
use crate::render::card::TitleLines;
use crate::render::Renderer;
use crate::urls::Urls;

pub struct Card;

#[derive(Serialize)]
pub(super) struct View_<'a> {
    pub card: CardView<'a>,
}

/// What `templates/card.svg` draws: an article's card (`kind` "article": its date, region and
/// partners), or a list's (`kind` "home", "city", "tag": a line of `subtitle`).
#[derive(Serialize, Default)]
pub(super) struct CardView<'a> {
    pub kind: &'static str,
    pub lang: &'a str,
    pub title: TitleLines,
    /// The first line's baseline, so the title sits in the middle of its space.
    pub title_top: f32,
    pub date: String,
    pub region: &'a str,
    pub partners: Vec<&'a str>,
    pub subtitle: String,
    pub site: &'a str,
    pub width: u32,
    pub height: u32,
}

impl<'a> CardView<'a> {
    /// A card of `kind` in language `lang` with `title` set in lines; the rest to fill in.
    pub fn new(r: &'a Renderer, kind: &'static str, lang: LangId, title: &str) -> Result<CardView<'a>> {
        let title = r.painter.title_lines(title)?;
        // The title's space: between the site's name (y 130) and the route (y 470).
        let block = title.leading * (title.lines.len() as f32 - 1.0) + title.size;
        let title_top = (130.0 + (340.0 - block) / 2.0 + title.size * 0.8).round();
        Ok(CardView {
            kind,
            lang: r.code(lang),
            title,
            title_top,
            site: &r.lang(lang).language.title,
            width: crate::render::card::WIDTH,
            height: crate::render::card::HEIGHT,
            ..CardView::default()
        })
    }
}

impl Kind for Card {
    fn template(&self) -> &'static str {
        "card.svg"
    }
    fn format(&self) -> Format {
        Format::Png
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        if r.draws_cards {
            for (id, e) in EntryId::each(&r.model.entries) {
                if r.card_of(id) {
                    add(e.lang, id.0, 1);
                }
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        let e = &r.model.entries[EntryId(page.item)];
        Urls::card(r.code(e.lang), e.stem())
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _path: &str) -> Result<View<'r>> {
        let id = EntryId(page.item);
        let e = &r.model.entries[id];
        let g = r.lang(e.lang);
        let mut card = CardView::new(r, "article", e.lang, &e.source().title)?;
        card.date = g.long_date(e.date().day());
        card.region = g.cities[e.region].name;
        // Three partners fit a line; more are left to the page.
        card.partners = e.partners.iter().take(3).map(|&p| g.cities[p].name).collect();
        Ok(Box::new(View_ { card }))
    }
}
