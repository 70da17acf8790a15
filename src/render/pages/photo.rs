//! A photo's files: each width in WebP and JPEG, made by [`crate::photos`] into the cache and
//! put in place from there. The view is the file's name, which carries the hash of the source's
//! bytes and the settings: a page is written again only when its photo changed.

use anyhow::Result;
use serde::Serialize;

use super::{Format, Kind, Page, View};
use crate::model::LangId;
use crate::photos::Variant;
use crate::render::Renderer;

pub struct PhotoFile;

#[derive(Serialize)]
struct View_<'a> {
    file: &'a str,
}

impl PhotoFile {
    fn variant<'r>(r: &'r Renderer, page: Page) -> &'r Variant {
        &r.model.photos[page.item].variants[page.number]
    }
}

impl Kind for PhotoFile {
    fn template(&self) -> &'static str {
        "photo"
    }
    fn format(&self) -> Format {
        Format::Copy
    }
    fn pages(&self, r: &Renderer, add: &mut dyn FnMut(LangId, usize, usize)) {
        for (i, p) in r.model.photos.iter().enumerate() {
            for n in 0..p.variants.len() {
                add(LangId(0), i, n);
            }
        }
    }
    fn path(&self, r: &Renderer, page: Page) -> String {
        Self::variant(r, page).file.clone()
    }
    fn view<'r>(&self, r: &'r Renderer, page: Page, _path: &str) -> Result<View<'r>> {
        Ok(Box::new(View_ {
            file: &Self::variant(r, page).file,
        }))
    }
    fn file(&self, r: &Renderer, page: Page) -> Option<std::path::PathBuf> {
        Some(Self::variant(r, page).cached.clone())
    }
}
