//! The pages that are not news: each in its languages, paired as translations, and each
//! language's menu.

use std::sync::Arc;

use crate::config::Config;
use crate::content::{Content, PageSource};
use crate::markdown::Body;

use super::LangId;

/// One page in one language.
#[derive(Debug)]
pub struct PageEntry {
    pub source: Arc<PageSource>,
    pub body: Arc<Body>,
    pub lang: LangId,
    /// The same page in each language (indexes into `Model::pages`; `None` where it is
    /// missing; itself at `lang`).
    pub translations: Vec<Option<usize>>,
}

/// Every page of `content` to publish, by slug then language (drafts only when `drafts`), and
/// the files of the drafts left out.
pub fn pages(config: &Config, content: &Content<Body>, drafts: bool) -> (Vec<PageEntry>, Vec<std::path::PathBuf>) {
    let mut left_out = Vec::new();
    let mut pages: Vec<PageEntry> = content
        .pages
        .values()
        .filter_map(|p| {
            if p.source.draft && !drafts {
                left_out.push(p.source.path.clone());
                return None;
            }
            let lang = config.languages.iter().position(|l| l.code == p.source.lang)?;
            Some(PageEntry {
                source: Arc::clone(&p.source),
                body: Arc::clone(&p.body),
                lang: LangId(lang),
                translations: vec![None; config.languages.len()],
            })
        })
        .collect();
    pages.sort_by(|a, b| (&a.source.slug, a.lang.0).cmp(&(&b.source.slug, b.lang.0)));
    let mut start = 0;
    while start < pages.len() {
        let slug = pages[start].source.slug.clone();
        let end = start + pages[start..].iter().take_while(|p| p.source.slug == slug).count();
        let langs: Vec<(LangId, usize)> = (start..end).map(|i| (pages[i].lang, i)).collect();
        for page in &mut pages[start..end] {
            for &(lang, i) in &langs {
                page.translations[lang.0] = Some(i);
            }
        }
        start = end;
    }
    (pages, left_out)
}

/// A language's menu: its pages that ask for a place in it, by that place, then by slug.
pub fn menu(pages: &[PageEntry], lang: LangId) -> Vec<usize> {
    let mut menu: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].lang == lang && pages[i].source.menu.is_some())
        .collect();
    menu.sort_by(|&a, &b| {
        (pages[a].source.menu, &pages[a].source.slug).cmp(&(pages[b].source.menu, &pages[b].source.slug))
    });
    menu
}
