//! Feeds for Russian-language news aggregators (`[feeds] yandex = true` in `site.toml`):
//! `/L/yandex.xml` per language, RSS 2.0 with Yandex's news extensions — each article's whole
//! text as plain text in `yandex:full-text` and its genre in `yandex:genre` — beside the plain
//! RSS. The lead photo becomes an enclosure when photos land (issue 12).

use anyhow::Result;
use serde::Serialize;

use super::{Class, Kind, Page, View};
use crate::model::LangId;
use crate::render::parts::{rfc822, FeedBudget};
use crate::render::templates::escaped_len;
use crate::render::Renderer;
use crate::urls::Urls;

pub struct YandexFeed;

#[derive(Serialize)]
struct YandexView<'a> {
    title: &'a str,
    description: &'a str,
    link: String,
    language: &'a str,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    title: &'a str,
    link: String,
    pub_date: String,
    description: &'a str,
    categories: Vec<&'a str>,
    /// The body as plain text, paragraphs apart by a blank line.
    full_text: String,
    /// The lead photo (or card), as `<enclosure>`.
    image: Option<crate::render::views::ShareImage>,
}

impl Kind for YandexFeed {
    fn template(&self) -> &'static str {
        "yandex.xml"
    }
    fn class(&self) -> Class {
        Class::Feed
    }
    fn shared(&self) -> bool {
        false
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        if r.config.yandex_feeds {
            for lang in LangId::all(r.config.languages.len()) {
                add(lang, 0, 1);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::yandex_feed(r.code(page.lang))
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _: &str) -> Result<View<'r>> {
        let (lang, code) = (page.lang, r.code(page.lang));
        let g = r.lang(lang);
        // The same limits as the RSS feeds: newest first while they fit.
        let mut budget = FeedBudget::default();
        let mut items = Vec::new();
        for &id in r.model.langs[lang].entries.iter().take(r.config.feed_limit) {
            let e = &r.model.entries[id];
            let card = &r.card(id).value;
            let item = Item {
                title: &e.source().title,
                link: r.urls.permalink(&Urls::article(code, e.stem())),
                pub_date: rfc822(e.date()),
                description: card.summary,
                categories: e.tags.iter().map(|&t| g.tags[t].name).collect(),
                full_text: plain_text(&crate::render::body_html(e.path(), e.body())?),
                image: r.share_image(id),
            };
            if !budget.fits(escaped_len(item.title) + escaped_len(item.description) + escaped_len(&item.full_text)) {
                break;
            }
            items.push(item);
        }
        Ok(Box::new(YandexView {
            title: &g.language.title,
            description: &g.language.description,
            link: r.urls.permalink(&Urls::home(code, 1)),
            language: code,
            items,
        }))
    }
}

/// The text of an HTML body, entities decoded, each top-level block (paragraph, heading, list,
/// table) a paragraph of its own.
fn plain_text(html: &str) -> String {
    let fragment = scraper::Html::parse_fragment(html);
    let mut blocks: Vec<String> = Vec::new();
    for child in fragment.root_element().children() {
        // Cells, items and rows are apart by a space; inline elements run on.
        let mut text = String::new();
        for node in child.descendants() {
            match node.value() {
                scraper::Node::Text(t) => text.push_str(t),
                scraper::Node::Element(e) if matches!(e.name(), "td" | "th" | "tr" | "li" | "br" | "p") => {
                    text.push(' ')
                }
                _ => {}
            }
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            blocks.push(text);
        }
    }
    blocks.join("\n\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_full_text_is_plain_text_with_paragraphs() {
        let html = "<h2 id=\"x\">Итоги</h2>\n<p>Первый &quot;абзац&quot; &amp; <a href=\"/ru/\">ссылка</a>.</p>\n<ul>\n<li>один</li><li>два</li>\n</ul>\n<table><tr><th>Показатель</th><th>Значение</th></tr></table>";
        assert_eq!(
            super::plain_text(html),
            "Итоги\n\nПервый \"абзац\" & ссылка.\n\nодин два\n\nПоказатель Значение"
        );
    }
}
