//! Page kinds, one file each: which pages of the kind a site has, where each goes, the template it
//! is rendered with and its view — the only thing the template sees. A page's signature for
//! incremental rebuilds is the hash of that view, so what a page depends on cannot drift from
//! what it shows. Adding a page kind is a new file here and one line in [`KINDS`].

mod archive;
mod article;
mod card;
mod cities;
mod city;
mod feed_style;
mod feeds;
mod home;
mod news_sitemap;
mod page;
mod photo;
mod redirect;
mod root;
mod search;
mod section_card;
mod sitemap;
mod subscribe;
mod tag;
mod tags;
mod yandex;

use anyhow::Result;

pub use redirect::check_aliases;

use super::signature::{self, Signature};
use super::Renderer;
use crate::model::LangId;

/// The template's view of one page: serialized once for its hash, and handed to Tera.
pub type View<'a> = Box<dyn PageView + 'a>;

/// A page's view: serializable for the template (through `erased_serde`), and able to sign
/// itself with its concrete type, so hashing it costs no dynamic dispatch per field.
pub trait PageView: erased_serde::Serialize + Send + Sync {
    fn sign(&self, seed: &[u8]) -> Result<Signature, signature::Error>;
    /// The view as JSON ([`Format::Json`]), serialized by its concrete type too.
    fn json(&self) -> serde_json::Result<Vec<u8>>;
}

impl<T: serde::Serialize + Send + Sync> PageView for T {
    fn sign(&self, seed: &[u8]) -> Result<Signature, signature::Error> {
        signature::of(seed, self)
    }
    fn json(&self) -> serde_json::Result<Vec<u8>> {
        // Room for a file of the search index's articles (about 22 KB) without growing by
        // copying, as `to_vec`'s 128 bytes grow through eight sizes.
        let mut bytes = Vec::with_capacity(32 * 1024);
        serde_json::to_writer(&mut bytes, self)?;
        Ok(bytes)
    }
}

erased_serde::serialize_trait_object!(PageView);

/// What a page counts as in a build's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// An HTML page of one language.
    Page,
    /// An RSS feed.
    Feed,
    /// A page of the site as a whole (language choice, 404, sitemap, robots.txt).
    Other,
    /// A file of a language's search index, for the search page's script.
    Index,
    /// A photo's file or an article's social card.
    Media,
}

/// How a page's view becomes its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Rendered with its template.
    Template,
    /// Written as JSON, with no template (`template` then only names it): a file of a search
    /// index, for the page's script.
    Json,
    /// Bytes the view made itself ([`crate::render::made::Made`]), written as they are: a file
    /// of a search index whose making is most of its cost.
    Made,
    /// A file made before rendering (a photo's, in the cache), put in place as it is: the view
    /// says which, and [`Kind::file`] where it is.
    Copy,
    /// An SVG rendered with its template, drawn as a PNG (a social card).
    Png,
}

/// One kind of page.
pub trait Kind: Sync {
    /// The template its pages are rendered with.
    fn template(&self) -> &'static str;
    /// How its view becomes its file.
    fn format(&self) -> Format {
        Format::Template
    }
    fn class(&self) -> Class {
        match self.format() {
            Format::Template => Class::Page,
            Format::Json | Format::Made => Class::Index,
            Format::Copy | Format::Png => Class::Media,
        }
    }
    /// Whether its template gets the language's shared part (`lang`, `site`, `ui`).
    fn shared(&self) -> bool {
        self.format() == Format::Template
    }
    /// For [`Format::Copy`]: the file to put in place.
    fn file(&self, _r: &Renderer, _page: Page) -> Option<std::path::PathBuf> {
        None
    }
    /// Every page of this kind in the site, as `(lang, item, number)`.
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize));
    /// The page's site path (`ru/news/x/`, `ru/rss.xml`), made by [`crate::urls::Urls`].
    fn path(&self, r: &Renderer, page: Page) -> String;
    /// What the template sees besides the language's shared part (`lang`, `site`, `ui`).
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>>;
    /// When a build renders its pages, for what some pages make and others read.
    fn stage(&self) -> Stage {
        Stage::Main
    }
    /// For a kind of [`Stage::Last`]: makes what its pages share from what the first pages
    /// made, while the main pages render (where the first of its pages to be viewed would make
    /// it while the others waited for it).
    fn prepare(&self, _r: &Renderer) {}
}

/// A build renders the pages of each stage after those of the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    First,
    Main,
    Last,
}

/// A file of the site as a whole, one per site, with no language's shared part (sitemaps,
/// `robots.txt`, the server's redirect map): a page kind by the blanket impl below.
pub trait SiteFile: Sync {
    fn template(&self) -> &'static str;
    /// Its path from the site's root.
    fn path(&self) -> String;
    fn view<'r>(&self, r: &'r Renderer) -> Result<View<'r>>;
}

impl<T: SiteFile> Kind for T {
    fn template(&self) -> &'static str {
        SiteFile::template(self)
    }
    fn class(&self) -> Class {
        Class::Other
    }
    fn shared(&self) -> bool {
        false
    }
    fn pages(&self, _: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        add(LangId(0), 0, 1);
    }
    fn path(&self, _: &Renderer, _: Page) -> String {
        SiteFile::path(self)
    }
    fn view<'r>(&self, r: &'r Renderer, _: Page, _: &str) -> Result<View<'r>> {
        SiteFile::view(self, r)
    }
}

/// Every page kind, in the order the build lists their pages.
pub const KINDS: &[&dyn Kind] = &[
    &search::Doc,
    &root::Root,
    &root::NotFound,
    &sitemap::Robots,
    &sitemap::Sitemap,
    &news_sitemap::NewsSitemap,
    &article::Article,
    &page::SitePage,
    &home::Home,
    &feeds::SiteFeed,
    &cities::Cities,
    &city::City,
    &feeds::CityFeed,
    &tags::Tags,
    &tag::Tag,
    &feeds::TagFeed,
    &subscribe::Subscribe,
    &feed_style::FeedStyle,
    &archive::Archive,
    &archive::Year,
    &archive::MonthPage,
    &redirect::Redirect,
    &redirect::CityRedirect,
    &redirect::PageRedirect,
    &redirect::NginxMap,
    &yandex::YandexFeed,
    &search::Search,
    &search::Meta,
    &search::Shard,
    &search::CityFile,
    &photo::PhotoFile,
    &card::Card,
    &section_card::HomeCard,
    &section_card::CityCard,
    &section_card::TagCard,
];

/// One output file of the site: a kind (an index into [`KINDS`]) and what it is for: the
/// language, the item (article, city or tag) and the page number of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Page {
    pub kind: u8,
    pub lang: LangId,
    pub item: usize,
    pub number: usize,
}

impl Page {
    pub fn kind(&self) -> &'static dyn Kind {
        KINDS[self.kind as usize]
    }

    pub fn class(&self) -> Class {
        self.kind().class()
    }
}

/// Every page of the site, in a stable order.
pub fn all(r: &Renderer) -> Vec<Page> {
    let mut pages = Vec::new();
    for (kind, k) in KINDS.iter().enumerate() {
        k.pages(r, &mut |lang, item, number| {
            pages.push(Page {
                kind: kind as u8,
                lang,
                item,
                number,
            })
        });
    }
    pages
}

/// How many pages a list of `n` items takes at `per` a page (an empty list still has one).
pub fn page_count(n: usize, per: usize) -> usize {
    n.div_ceil(per.max(1)).max(1)
}

/// Each language's pages `1..=page_count(len)` of the list `len(lang, item)`.
fn numbered(add: &mut dyn FnMut(LangId, usize, usize), lang: LangId, item: usize, len: usize, per: usize) {
    for number in 1..=page_count(len, per) {
        add(lang, item, number);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lists_still_have_a_page() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
    }
}
