//! What templates see: small borrowed structs named for what they show. Cards and links are made
//! once per entry and shared by every list page; only an article's own page gets its HTML.

use serde::Serialize;

/// A link to a city in the page's language.
#[derive(Debug, Clone, Serialize)]
pub struct CityLink<'a> {
    pub key: &'a str,
    pub name: &'a str,
    /// Shared: every card names its cities, and a clone is a count, not a copy.
    pub url: std::sync::Arc<str>,
}

/// A link to a tag.
#[derive(Debug, Clone, Serialize)]
pub struct TagLink<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: std::sync::Arc<str>,
}

/// An article on a list page.
#[derive(Debug, Clone, Serialize)]
pub struct Card<'a> {
    pub title: &'a str,
    pub url: String,
    /// As the language's press writes it: "12 ноября 2024 г.".
    pub date: String,
    /// `2024-11-12`, for `<time datetime>`.
    pub date_iso: String,
    pub region: CityLink<'a>,
    pub partners: Vec<CityLink<'a>>,
    pub summary: &'a str,
    /// The lead photo, as a thumbnail.
    pub photo: Option<PictureView<'a>>,
}

/// A photo as templates show it: `<picture>` with WebP and JPEG `srcset`s, sized by its
/// largest file so the page does not shift as it loads.
#[derive(Debug, Clone, Serialize)]
pub struct PictureView<'a> {
    /// A JPEG for browsers without `srcset`: the smallest at least 480 wide.
    pub src: String,
    pub srcset_webp: String,
    pub srcset_jpeg: String,
    pub width: u32,
    pub height: u32,
    /// What it shows, in the page's language.
    pub alt: &'a str,
    pub caption: Option<&'a str>,
    /// The photo's credit, else the article's.
    pub credit: Option<&'a str>,
    /// The largest JPEG, to open the photo whole.
    pub full: String,
}

/// The picture a page offers to social previews and feeds (`og:image`, `<enclosure>`).
#[derive(Debug, Clone, Serialize)]
pub struct ShareImage {
    /// Absolute.
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub mime: &'static str,
    /// The file's size in bytes (an RSS enclosure says it).
    pub length: u64,
    pub alt: String,
}

/// One article on its own page.
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    #[serde(flatten)]
    pub card: &'a Card<'a>,
    pub stem: &'a str,
    pub permalink: String,
    pub updated: Option<String>,
    pub updated_iso: Option<String>,
    pub tags: Vec<TagLink<'a>>,
    pub source: Option<&'a str>,
    pub source_url: Option<&'a str>,
    pub photo_credit: Option<&'a str>,
    /// The rendered Markdown body.
    pub content: super::signature::Hashed<'a>,
    pub extra: serde_json::Value,
    /// The article in the other languages that have it.
    pub translations: Vec<LanguageLink<'a>>,
    /// The first photo of the front matter, shown large at the top.
    pub lead: Option<PictureView<'a>>,
    /// The other photos of the front matter.
    pub gallery: Vec<PictureView<'a>>,
    /// Dated after the build's time, shown anyway (`--future`, `serve`).
    pub scheduled: bool,
}

/// A link to a page in another language.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink<'a> {
    pub lang: &'a str,
    pub name: &'a str,
    pub url: String,
}

/// The page in each language, for the switcher and `hreflang`.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate<'a> {
    pub lang: &'a str,
    pub name: &'a str,
    /// Where the switcher leads: the same page, or the language's home with a notice.
    pub url: String,
    /// Set only where the page exists in that language.
    pub permalink: Option<String>,
    pub available: bool,
    pub current: bool,
}

/// What every page says about itself.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    /// home, article, cities, city, tags, tag, not_found, language
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub url: String,
    pub permalink: String,
    pub alternates: Vec<Alternate<'a>>,
    /// The feed that fits this page (the city's on a city page, the tag's on a tag page).
    pub feed_url: String,
    pub feed_title: String,
    /// The language choice page, on the pages it is the default alternate of (`hreflang="x-default"`).
    pub x_default: Option<String>,
    /// Structured data (JSON-LD), as text safe inside `<script>`: on article and home pages.
    pub json_ld: Option<String>,
    /// The picture for social previews: an article's lead photo, or its drawn card.
    pub image: Option<ShareImage>,
}

/// Numbered pages of a list, with a window around the current one.
#[derive(Debug, Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageNumber>,
}

#[derive(Debug, Serialize)]
pub struct PageNumber {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// A `…` between non-adjacent numbers (number and url are then empty).
    pub gap: bool,
}

impl Paginator {
    /// Pages 1, last, and current ± 2, with gaps between; `url(n)` is page n's link.
    pub fn new(current: usize, total: usize, url: impl Fn(usize) -> String) -> Paginator {
        let mut pages = Vec::new();
        let mut last_shown = 0;
        for n in 1..=total {
            let near = n + 2 >= current && n <= current + 2;
            if n == 1 || n == total || near {
                if last_shown + 1 != n {
                    pages.push(PageNumber {
                        number: 0,
                        url: String::new(),
                        current: false,
                        gap: true,
                    });
                }
                pages.push(PageNumber {
                    number: n,
                    url: url(n),
                    current: n == current,
                    gap: false,
                });
                last_shown = n;
            }
        }
        Paginator {
            current,
            total,
            prev: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            pages,
        }
    }
}

/// A place on the city list.
#[derive(Debug, Serialize)]
pub struct CityCard<'a> {
    #[serde(flatten)]
    pub link: CityLink<'a>,
    pub kind: &'a str,
    pub kind_label: &'a str,
    pub partners: Vec<CityLink<'a>>,
    pub count: usize,
    pub count_label: String,
}

/// A country heading on the city list.
#[derive(Debug, Serialize)]
pub struct CountryGroup<'a> {
    pub code: &'a str,
    pub name: String,
    pub cities: Vec<CityCard<'a>>,
}

/// One city on its own page.
#[derive(Debug, Serialize)]
pub struct CityView<'a> {
    #[serde(flatten)]
    pub card: CityCard<'a>,
    pub country: &'a str,
    pub country_name: String,
    pub coordinates: Option<[f64; 2]>,
    pub description: &'a str,
    pub feed_url: String,
    pub agreements: Vec<AgreementView<'a>>,
    /// The city file's `[extra]`.
    pub extra: serde_json::Value,
}

#[derive(Debug, Serialize)]
pub struct AgreementView<'a> {
    pub date: String,
    pub date_iso: String,
    pub year: i32,
    pub title: &'a str,
    /// The other side of the agreement.
    pub with: CityLink<'a>,
}

/// A tag on the tag list, or at the top of its own page.
#[derive(Debug, Serialize)]
pub struct TagView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub feed_url: String,
    pub count: usize,
    pub count_label: String,
}

/// An RSS channel.
#[derive(Debug, Serialize)]
pub struct FeedView<'a> {
    pub title: String,
    pub description: &'a str,
    /// The HTML page the feed belongs to.
    pub link: String,
    pub self_url: String,
    /// The stylesheet a browser shows the feed with (root-relative), and the page on subscribing.
    pub style_url: String,
    pub subscribe_url: String,
    pub language: &'a str,
    /// The newest item's date (RFC 822); nothing of the build's own time, so output is stable.
    pub last_build_date: Option<String>,
    pub items: Vec<FeedItem<'a>>,
}

#[derive(Debug, Serialize)]
pub struct FeedItem<'a> {
    pub title: &'a str,
    pub link: String,
    pub pub_date: String,
    pub description: super::signature::Hashed<'a>,
    pub categories: Vec<&'a str>,
    pub source: Option<&'a str>,
    /// The lead photo (or card), as `<enclosure>`.
    pub image: Option<ShareImage>,
}

/// One URL in the sitemap.
#[derive(Debug, Serialize)]
pub struct SitemapEntry {
    pub loc: String,
    pub lastmod: Option<String>,
    /// `(hreflang, absolute URL)` of every language version, itself included.
    pub alternates: Vec<(String, String)>,
}

/// A language on the root choice page and the 404 page.
#[derive(Debug, Serialize)]
pub struct LanguageView<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub url: String,
    pub default: bool,
    pub ui: &'a std::collections::BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(p: &Paginator) -> String {
        p.pages
            .iter()
            .map(|n| if n.gap { "…".to_string() } else { n.number.to_string() })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn paginator_windows_long_lists() {
        let p = Paginator::new(7, 20, |n| format!("/p/{n}/"));
        assert_eq!(numbers(&p), "1 … 5 6 7 8 9 … 20");
        assert_eq!(p.prev.as_deref(), Some("/p/6/"));
        assert_eq!(p.next.as_deref(), Some("/p/8/"));
        assert!(p.pages.iter().any(|n| n.current && n.number == 7));
        let p = Paginator::new(1, 3, |n| n.to_string());
        assert_eq!(numbers(&p), "1 2 3");
        assert!(p.prev.is_none());
        let p = Paginator::new(4, 4, |n| n.to_string());
        assert_eq!(numbers(&p), "1 2 3 4");
        assert!(p.next.is_none());
    }
}
