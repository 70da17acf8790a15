//! The archive: `/L/archive/` lists each year and its months with their counts;
//! `/L/archive/YYYY/` and `/L/archive/YYYY/MM/` list their articles as cards, paginated. Month
//! names are CLDR's standalone forms («Ноябрь 2025 г.», «2025 ж. қараша»).

use anyhow::Result;
use serde::Serialize;

use super::{numbered, Kind, Page, View};
use crate::model::{LangId, Month};
use crate::render::parts::{paged, About, ListView};
use crate::render::views::PageView;
use crate::render::Renderer;
use crate::urls::Urls;

/// `/L/archive/`.
pub struct Archive;
/// `/L/archive/YYYY/`: the page's item is the year.
pub struct Year;
/// `/L/archive/YYYY/MM/`: the page's item is the month's place in `LangIndex::months`.
pub struct MonthPage;

#[derive(Serialize)]
struct ArchiveView<'a> {
    page: PageView<'a>,
    years: Vec<YearLink>,
}

#[derive(Serialize)]
struct YearLink {
    year: i32,
    url: String,
    count_label: String,
    months: Vec<MonthLink>,
}

#[derive(Serialize)]
struct MonthLink {
    name: String,
    url: String,
    count: usize,
    count_label: String,
}

#[derive(Serialize)]
struct ListPage<'a> {
    page: PageView<'a>,
    /// «2025», «Ноябрь 2025 г.».
    heading: String,
    /// The archive's index.
    archive_url: String,
    #[serde(flatten)]
    list: ListView<'a>,
}

impl Kind for Archive {
    fn template(&self) -> &'static str {
        "archive.html"
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for lang in LangId::all(r.config.languages.len()) {
            add(lang, 0, 1);
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::archive(r.code(page.lang))
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let lang = page.lang;
        let (code, g, index) = (r.code(lang), r.lang(lang), &r.model.langs[lang]);
        let count = |n: usize| g.formats.count(&g.language.ui, "articles", n);
        let years = index
            .years()
            .into_iter()
            .map(|(year, range)| YearLink {
                year,
                url: r.urls.href(&Urls::archive_year(code, year, 1)),
                count_label: count(range.len()),
                months: index
                    .months
                    .iter()
                    .filter(|m| m.year == year)
                    .map(|m| MonthLink {
                        name: g.formats.month(m.month),
                        url: r.urls.href(&Urls::archive_month(code, m.year, m.month, 1)),
                        count: m.range.len(),
                        count_label: count(m.range.len()),
                    })
                    .collect(),
            })
            .collect();
        let about = About {
            lang,
            kind: "archive",
            path,
            title: g.language.ui.get("archive").cloned().unwrap_or_default(),
            description: String::new(),
            feed: Urls::feed(code),
        };
        Ok(Box::new(ArchiveView {
            page: r.page_view(about, |l| Some(Urls::archive(r.code(l)))),
            years,
        }))
    }
}

impl Kind for Year {
    fn template(&self) -> &'static str {
        "archive-list.html"
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for (lang, index) in LangId::each(&r.model.langs) {
            for (year, range) in index.years() {
                numbered(add, lang, year as usize, range.len(), r.config.paginate_by);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Urls::archive_year(r.code(page.lang), page.item as i32, page.number)
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let (lang, year) = (page.lang, page.item as i32);
        let index = &r.model.langs[lang];
        let range = index
            .years()
            .into_iter()
            .find(|(y, _)| *y == year)
            .map(|(_, r)| r)
            .unwrap_or_default();
        let has = |l: LangId| r.model.langs[l].months.iter().any(|m| m.year == year);
        let code = r.code(lang);
        list_page(
            r,
            page,
            path,
            year.to_string(),
            &index.entries[range],
            |l| has(l).then(|| Urls::archive_year(r.code(l), year, 1)),
            |n| Urls::archive_year(code, year, n),
        )
    }
}

impl Kind for MonthPage {
    fn template(&self) -> &'static str {
        "archive-list.html"
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for (lang, index) in LangId::each(&r.model.langs) {
            for (i, m) in index.months.iter().enumerate() {
                numbered(add, lang, i, m.range.len(), r.config.paginate_by);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        let m = &r.model.langs[page.lang].months[page.item];
        Urls::archive_month(r.code(page.lang), m.year, m.month, page.number)
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, path: &str) -> Result<View<'r>> {
        let index = &r.model.langs[page.lang];
        let Month { year, month, range } = index.months[page.item].clone();
        let heading = r.lang(page.lang).formats.month_year(year, month);
        let has = |l: LangId| {
            r.model.langs[l]
                .months
                .iter()
                .any(|m| (m.year, m.month) == (year, month))
        };
        let code = r.code(page.lang);
        list_page(
            r,
            page,
            path,
            heading,
            &index.entries[range],
            |l| has(l).then(|| Urls::archive_month(r.code(l), year, month, 1)),
            |n| Urls::archive_month(code, year, month, n),
        )
    }
}

/// A year's or a month's page of cards.
fn list_page<'r>(
    r: &'r Renderer,
    page: Page,
    path: &str,
    heading: String,
    entries: &[crate::model::EntryId],
    path_in: impl Fn(LangId) -> Option<String>,
    url: impl Fn(usize) -> String,
) -> Result<View<'r>> {
    let code = r.code(page.lang);
    let about = About {
        lang: page.lang,
        kind: "archive",
        path,
        title: heading.clone(),
        description: String::new(),
        feed: Urls::feed(code),
    };
    Ok(Box::new(ListPage {
        page: paged(r.page_view(about, path_in), page.number, r.lang(page.lang).ui("page")),
        heading,
        archive_url: r.urls.href(&Urls::archive(code)),
        list: r.list(entries, page.number, url),
    }))
}
