//! Parts of views that several page kinds share: what a page says about itself, a page of a
//! list of cards, a feed, city and tag views. (A page's plain text is [`crate::markdown::plain_text`].)

use std::collections::BTreeMap;

use super::signature::{Hashed, Signed};
use super::templates::escaped_len;
use super::views::*;
use super::{page_count, Renderer};
use crate::model::{CityId, EntryId, LangId, TagId};
use crate::urls::Urls;

/// A page of a list: its cards and the numbered pages around it.
#[derive(Debug, serde::Serialize)]
pub struct ListView<'a> {
    pub articles: Vec<&'a Signed<Card<'a>>>,
    pub paginator: Paginator,
}

/// What a page says about itself, before its alternates in the other languages.
pub struct About<'p> {
    pub lang: LangId,
    pub kind: &'static str,
    pub path: &'p str,
    pub title: String,
    /// Empty: the language's description.
    pub description: String,
    pub feed: String,
}

impl<'a> Renderer<'a> {
    /// The page's view of itself, with the same page in each language: `path_in(l)` is its site
    /// path in language `l`, `None` where it is missing.
    pub(super) fn page_view(&self, about: About, path_in: impl Fn(LangId) -> Option<String>) -> PageView<'a> {
        let g = self.lang(about.lang);
        let alternates = LangId::each(&self.config.languages)
            .map(|(l, language)| {
                let found = if l == about.lang {
                    Some(about.path.to_string())
                } else {
                    path_in(l)
                };
                Alternate {
                    lang: language.code.as_str(),
                    name: language.name.as_str(),
                    url: self
                        .urls
                        .href(found.as_deref().unwrap_or(&Urls::untranslated(&language.code))),
                    permalink: found.as_deref().map(|p| self.urls.permalink(p)),
                    available: found.is_some(),
                    current: l == about.lang,
                }
            })
            .collect();
        let feed_title = if about.feed == Urls::feed(g.code()) {
            g.language.title.clone()
        } else {
            about.title.clone()
        };
        PageView {
            kind: about.kind,
            description: if about.description.is_empty() {
                g.language.description.clone()
            } else {
                about.description
            },
            title: about.title,
            url: self.urls.href(about.path),
            permalink: self.urls.permalink(about.path),
            alternates,
            feed_url: self.urls.href(&about.feed),
            feed_title,
            x_default: None,
            json_ld: None,
            image: None,
        }
    }

    /// Page `page` of `entries` as cards, with its paginator; `url(n)` is page n's site path.
    pub(super) fn list(&self, entries: &[EntryId], page: usize, url: impl Fn(usize) -> String) -> ListView<'_> {
        let per = self.config.paginate_by;
        let total = page_count(entries.len(), per);
        ListView {
            articles: entries
                .iter()
                .skip((page - 1) * per)
                .take(per)
                .map(|&id| self.card(id))
                .collect(),
            paginator: Paginator::new(page, total, |n| self.urls.href(&url(n))),
        }
    }

    /// An RSS channel of the newest `feed_limit` of `entries`, belonging to the page `page_path`,
    /// within Google News' limits ([`FeedBudget`]).
    pub(super) fn feed(
        &self,
        lang: LangId,
        feed_path: &str,
        page_path: String,
        title: String,
        entries: &[EntryId],
    ) -> anyhow::Result<FeedView<'a>> {
        let g = self.lang(lang);
        let model = self.model;
        let mut budget = FeedBudget::default();
        let mut items = Vec::new();
        for &id in entries.iter().take(self.config.feed_limit) {
            let e = &model.entries[id];
            let body = e.body();
            let html_len = escaped_len(&super::body_html(e.path(), body)?);
            let (description, description_len) = if html_len <= FeedBudget::ITEM {
                (Hashed::body(body), html_len)
            } else {
                // Too long for an aggregator: the summary, and the link to the whole.
                let summary = e.source().summary.as_deref().unwrap_or(&body.summary);
                let hash = xxhash_rust::xxh3::xxh3_128(summary.as_bytes());
                (Hashed::text(summary, hash), escaped_len(summary))
            };
            let item = FeedItem {
                title: &e.source().title,
                link: self.urls.permalink(&Urls::article(g.code(), e.stem())),
                pub_date: rfc822(e.date()),
                description,
                categories: e.tags.iter().map(|&t| g.tags[t].name).collect(),
                source: e.source().source.as_deref(),
                image: self.share_image(id),
            };
            let size = escaped_len(item.title)
                + description_len
                + item.categories.iter().map(|c| escaped_len(c)).sum::<usize>();
            if !budget.fits(size) {
                break;
            }
            items.push(item);
        }
        Ok(FeedView {
            title,
            description: &g.language.description,
            link: self.urls.permalink(&page_path),
            self_url: self.urls.permalink(feed_path),
            style_url: self.urls.href(&Urls::feed_style(g.code())),
            subscribe_url: self.urls.permalink(&Urls::subscribe(g.code())),
            language: self.code(lang),
            last_build_date: entries.first().map(|&id| rfc822(model.entries[id].date())),
            items,
        })
    }

    pub(super) fn city_card(&self, lang: LangId, city: CityId) -> CityCard<'a> {
        let g = self.lang(lang);
        let c = &self.model.cities[city];
        let count = self.model.langs[lang].city_entries[city].len();
        let mut partners: Vec<CityLink> = c.partners.iter().map(|&p| g.cities[p].clone()).collect();
        partners.sort_by(|a, b| g.formats.compare(a.name, b.name));
        CityCard {
            link: g.cities[city].clone(),
            kind: c.source.kind.as_str(),
            kind_label: g
                .language
                .ui
                .get(&format!("kind_{}", c.source.kind.as_str()))
                .map_or("", String::as_str),
            partners,
            count,
            count_label: g.formats.count(&g.language.ui, "articles", count),
        }
    }

    pub(super) fn city_view(&self, lang: LangId, city: CityId) -> CityView<'a> {
        let g = self.lang(lang);
        let c = &self.model.cities[city];
        let agreements = c
            .agreements
            .iter()
            .map(|&i| {
                let a = &self.model.agreements[i];
                let other = if a.owner == city { a.with } else { a.owner };
                let day = a.date.day();
                let year = i32::from(day.year());
                let (date, date_iso) = if a.year_only {
                    (year.to_string(), year.to_string())
                } else {
                    (g.formats.long_date(day), day.to_string())
                };
                AgreementView {
                    date,
                    date_iso,
                    year,
                    title: a.title.get(g.code()).map_or("", String::as_str),
                    with: g.cities[other].clone(),
                }
            })
            .collect();
        CityView {
            card: self.city_card(lang, city),
            country: &c.source.country,
            country_name: self.country_name(lang, &c.source.country),
            coordinates: c.source.coordinates,
            description: &c.description[lang],
            feed_url: self.urls.href(&Urls::city_feed(g.code(), &c.source.key)),
            agreements,
            extra: toml_to_json(&toml::Value::Table(c.source.extra.clone())),
        }
    }

    /// A country's name: the site's own country entry if it has one, else the UI strings.
    pub(super) fn country_name(&self, lang: LangId, code: &str) -> String {
        country_name(self.model, self.lang(lang).language, code)
    }

    pub(super) fn country_groups(&self, lang: LangId) -> Vec<CountryGroup<'a>> {
        let g = self.lang(lang);
        let mut by_country: BTreeMap<&str, Vec<CityId>> = BTreeMap::new();
        for (i, c) in CityId::each(&self.model.cities) {
            by_country.entry(&c.source.country).or_default().push(i);
        }
        let mut groups: Vec<CountryGroup> = by_country
            .into_iter()
            .map(|(code, ids)| {
                let mut cities: Vec<CityCard> = ids.into_iter().map(|i| self.city_card(lang, i)).collect();
                cities.sort_by(|a, b| g.formats.compare(a.link.name, b.link.name));
                CountryGroup {
                    code,
                    name: self.country_name(lang, code),
                    cities,
                }
            })
            .collect();
        groups.sort_by(|a, b| g.formats.compare(&a.name, &b.name));
        groups
    }

    pub(super) fn tag_view(&self, lang: LangId, tag: TagId) -> TagView<'a> {
        let g = self.lang(lang);
        let t = &self.model.langs[lang].tags[tag];
        TagView {
            name: g.tags[tag].name,
            slug: g.tags[tag].slug,
            url: g.tags[tag].url.to_string(),
            feed_url: self.urls.href(&Urls::tag_feed(g.code(), &t.slug)),
            count: t.entries.len(),
            count_label: g.formats.count(&g.language.ui, "articles", t.entries.len()),
        }
    }
}

/// Page 2 and on of a list: the switcher still leads to the other language's list, but no
/// `hreflang` pairs them (page N in one language is not page N in the other).
/// A list's page `page` of its view: after the first, its title says which (`Темы — Страница 2`,
/// the home's `Страница 2`: each tab and bookmark its own) and its alternates name no permalink.
pub fn paged<'a>(mut view: PageView<'a>, page: usize, word: &str) -> PageView<'a> {
    if page > 1 {
        for a in view.alternates.iter_mut().filter(|a| !a.current) {
            a.permalink = None;
        }
        view.title = if view.kind == "home" {
            format!("{word} {page}")
        } else {
            format!("{} — {word} {page}", view.title)
        };
    }
    view
}

/// RFC 822 date for RSS: "Fri, 29 Aug 2025 00:00:00 +0000".
/// Google News reads feeds of at most 2 MB with articles of at most 1 MB each (its Publisher
/// Center's technical feed specification). A feed takes items newest first while they fit, with
/// room for the channel and each item's own markup; a body over the article limit goes as its
/// summary.
#[derive(Debug, Default)]
pub struct FeedBudget {
    used: usize,
}

impl FeedBudget {
    /// Bytes an item's escaped text may take.
    pub const ITEM: usize = 1_000_000 - 8 * 1024;
    /// Bytes a whole feed may take, less room for the channel's own elements.
    const FEED: usize = 2_000_000 - 16 * 1024;
    /// Each item's elements, links and dates, generously.
    const ITEM_MARKUP: usize = 1024;

    /// Whether an item of `size` escaped bytes still fits; counts it if it does. The first item
    /// always fits (a feed is never empty for being long).
    pub fn fits(&mut self, size: usize) -> bool {
        let after = self.used + size + Self::ITEM_MARKUP;
        if self.used > 0 && after > Self::FEED {
            return false;
        }
        self.used = after;
        true
    }
}

pub fn rfc822(date: crate::content::ArticleDate) -> String {
    // As RFC 2822 writes it: English names, the day without a leading zero, the offset
    // without a colon; field by field, as `ArticleDate::rfc3339`.
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (sign, hours, minutes) = date.offset_parts();
    let l = date.local;
    format!(
        "{}, {} {} {:04} {:02}:{:02}:{:02} {sign}{hours:02}{minutes:02}",
        DAYS[l.weekday().to_monday_zero_offset() as usize],
        l.day(),
        MONTHS[(l.month() - 1) as usize],
        l.year(),
        l.hour(),
        l.minute(),
        l.second(),
    )
}

pub fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => J::from(*f),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => J::Object(t.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect()),
    }
}

/// A country's name in `language`: its city file's name (a country in the registry), else the
/// language's `country_XX` string, else its ISO code.
pub(super) fn country_name(model: &crate::model::Model, language: &crate::config::Language, code: &str) -> String {
    model
        .cities
        .iter()
        .find(|c| c.source.kind == crate::content::Kind::Country && c.source.country == code)
        .map(|c| c.source.name_in(&language.code).to_string())
        .or_else(|| language.ui.get(&format!("country_{code}")).cloned())
        .unwrap_or_else(|| code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_takes_items_while_they_fit_and_never_none() {
        let mut budget = FeedBudget::default();
        assert!(budget.fits(5_000_000), "the first item always fits");
        assert!(!budget.fits(10), "nothing more after a feed's worth");
        let mut budget = FeedBudget::default();
        let taken = (0..10).take_while(|_| budget.fits(600_000)).count();
        assert_eq!(taken, 3, "three 600 kB items fit in 2 MB, a fourth does not");
    }

    #[test]
    fn feed_dates_are_rfc822_with_the_given_offset() {
        let d = crate::content::ArticleDate {
            local: jiff::civil::date(2025, 8, 29).at(10, 30, 0, 0),
            offset_minutes: Some(300),
        };
        assert_eq!(rfc822(d), "Fri, 29 Aug 2025 10:30:00 +0500");
        let d = crate::content::ArticleDate {
            offset_minutes: None,
            ..d
        };
        assert_eq!(rfc822(d), "Fri, 29 Aug 2025 10:30:00 +0000");
        // The day without a leading zero (as chrono and RFC 2822's examples write it), an
        // offset west of UTC.
        let d = crate::content::ArticleDate {
            local: jiff::civil::date(2025, 9, 1).at(7, 5, 9, 0),
            offset_minutes: Some(-210),
        };
        assert_eq!(rfc822(d), "Mon, 1 Sep 2025 07:05:09 -0330");
        assert_eq!(d.rfc3339(), "2025-09-01T07:05:09-03:30");
    }
}
