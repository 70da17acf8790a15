//! The list of articles: filtered by city, tag, year, language, state and words of the title,
//! a hundred to a page.

use anyhow::Result;
use serde_json::{json, Value as Json};

use super::{cities, city_name, encode, facts, render};
use crate::content::Facts;
use crate::desk::articles::{DeskArticle, Filter};
use crate::desk::form::Form;
use crate::desk::review;
use crate::desk::text::words;
use crate::desk::{Answer, Asked, Desk};

/// Rows on one page of the list.
const LIST_PAGE: usize = 100;

pub(super) fn page(desk: &Desk, asked: &Asked) -> Result<Answer> {
    let (ui, query) = (asked.ui, &asked.query);
    let facts = facts(desk)?;
    let languages = facts.languages();
    let all = desk.scanner.scan(&desk.root, &languages);
    let filter = Filter {
        city: query.get("city").into(),
        tag: query.get("tag").into(),
        year: query.get("year").into(),
        lang: query.get("lang").into(),
        state: query.get("state").into(),
        words: query.get("q").into(),
    };
    let crate::desk::articles::Facets { tags, years } = desk.scanner.facets();
    // The review's states are the desk's own (the filter knows the files' states).
    let by_review = matches!(filter.state.as_str(), "in_review" | "returned");
    let matching: Vec<&DeskArticle> = all
        .iter()
        .filter(|a| filter.matches(a, &languages))
        .filter(|a| !by_review || review::of_article(a).key() == filter.state)
        .collect();
    let pages = matching.len().div_ceil(LIST_PAGE).max(1);
    let at = query.get("page").parse::<usize>().unwrap_or(1).clamp(1, pages);
    let open = desk.presence.all();
    let rows: Vec<Json> = matching
        .iter()
        .skip((at - 1) * LIST_PAGE)
        .take(LIST_PAGE)
        .map(|a| {
            let mut r = row(&facts, a, ui);
            r["open_by"] = json!(open.get(&a.id).cloned().unwrap_or_default());
            r
        })
        .collect();
    let ctx = json!({
        "title": words(ui)["articles"],
        "rows": rows,
        "matching": matching.len(),
        "total": all.len(),
        "page": at,
        "pages": pages,
        "prev": (at > 1).then(|| page_link(query, at - 1)),
        "next": (at < pages).then(|| page_link(query, at + 1)),
        "filter": {"city": filter.city, "tag": filter.tag, "year": filter.year, "lang": filter.lang, "state": filter.state, "q": filter.words},
        "cities": cities(&facts, ui),
        "tags": tags,
        "years": years.into_iter().rev().collect::<Vec<_>>(),
        "languages": languages,
        "deleted": query.get("deleted"),
    });
    Ok(Answer::html(200, render(desk, "list.html", asked, ctx)))
}

/// One article's row: its title in `ui`, date, route, and each language's state.
fn row(facts: &Facts, a: &DeskArticle, ui: &str) -> Json {
    let source = a.any_source();
    let route = source.map(|s| {
        let partners: Vec<String> = s.partners.iter().map(|p| city_name(facts, &p.key, ui)).collect();
        format!("{} → {}", city_name(facts, &s.region.key, ui), partners.join(", "))
    });
    let langs: Vec<Json> = facts
        .languages()
        .iter()
        .map(|l| {
            let f = a.files.get(*l);
            json!({
                "code": l,
                "present": f.is_some(),
                "title": f.and_then(|f| f.source.as_ref()).map(|s| s.title.clone()).unwrap_or_default(),
                "draft": f.is_some_and(|f| f.draft),
                "problems": f.map_or(0, |f| f.problems.len()),
            })
        })
        .collect();
    json!({
        "id": a.id,
        "qid": encode(&a.id),
        "title": a.title(ui),
        "date": source.map(|s| s.date.day().to_string()).unwrap_or_default(),
        "route": route.unwrap_or_default(),
        "langs": langs,
        "state": review::of_article(a).key(),
    })
}

/// The list's query with another page number.
fn page_link(query: &Form, page: usize) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in query.0.iter().filter(|(k, _)| k != "page" && k != "deleted") {
        q.append_pair(k, v);
    }
    q.append_pair("page", &page.to_string());
    format!("?{}", q.finish())
}
