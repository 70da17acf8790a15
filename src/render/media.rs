//! What pages show of an article's photos: the front matter's photos as `<picture>` views
//! (the first is the lead), and the picture social previews and feeds get.

use super::views::{PictureView, ShareImage};
use super::Renderer;
use crate::content::PhotoRef;
use crate::model::EntryId;
use crate::photos::{srcset, Format, Photo};

impl<'a> Renderer<'a> {
    /// The front matter's photos of entry `id`, in its order, with this language's words.
    pub(super) fn pictures(&self, id: EntryId) -> Vec<PictureView<'a>> {
        let e = &self.model.entries[id];
        let source = e.source();
        self.pictures_of(&source.photos, e.photos(), source.photo_credit.as_deref())
    }

    /// The photos `refs` of a front matter (made as `photos`), with their words; `credit` is
    /// the file's `photo_credit`.
    pub(super) fn pictures_of(
        &self,
        refs: &'a [PhotoRef],
        photos: &[std::sync::Arc<Photo>],
        credit: Option<&'a str>,
    ) -> Vec<PictureView<'a>> {
        refs.iter()
            .zip(photos)
            .map(|(r, p)| self.picture(p, &r.alt, r.caption.as_deref(), r.credit.as_deref().or(credit)))
            .collect()
    }

    fn picture(&self, p: &Photo, alt: &'a str, caption: Option<&'a str>, credit: Option<&'a str>) -> PictureView<'a> {
        let href = |file: &str| self.urls.href(file);
        let jpegs: Vec<_> = p.of(Format::Jpeg).collect();
        let largest = jpegs.last().copied();
        let src = jpegs
            .iter()
            .find(|v| v.width >= 480)
            .or(jpegs.last())
            .map(|v| href(&v.file));
        PictureView {
            src: src.unwrap_or_default(),
            srcset_webp: srcset(p, Format::Webp, &href),
            srcset_jpeg: srcset(p, Format::Jpeg, &href),
            width: largest.map_or(p.width, |v| v.width),
            height: largest.map_or(p.height, |v| v.height),
            alt,
            caption,
            credit,
            full: largest.map(|v| href(&v.file)).unwrap_or_default(),
        }
    }

    /// Whether entry `id` gets a drawn card: it has no photo in its front matter.
    pub(super) fn card_of(&self, id: EntryId) -> bool {
        let e = &self.model.entries[id];
        e.photos().is_empty() || e.source().photos.is_empty()
    }

    /// The picture of entry `id` for social previews: its lead photo, else its drawn card
    /// (where the templates show one).
    pub(super) fn preview_image(&self, id: EntryId) -> Option<ShareImage> {
        if let Some(photo) = self.share_image(id) {
            return Some(photo);
        }
        if !self.draws_cards {
            return None;
        }
        let e = &self.model.entries[id];
        Some(self.card_image(
            &crate::urls::Urls::card(self.code(e.lang), e.stem()),
            e.source().title.clone(),
        ))
    }

    /// The drawn card at site path `path` as a page's share image, described by `alt`.
    pub(super) fn card_image(&self, path: &str, alt: String) -> ShareImage {
        ShareImage {
            url: self.urls.permalink(path),
            width: super::card::WIDTH,
            height: super::card::HEIGHT,
            mime: "image/png",
            length: 0,
            alt,
        }
    }

    /// The lead photo of entry `id`, for feeds: its largest JPEG.
    pub(super) fn share_image(&self, id: EntryId) -> Option<ShareImage> {
        let e = &self.model.entries[id];
        self.share_image_of(&e.source().photos, e.photos())
    }

    /// The first of the photos `refs` (made as `photos`), for social previews and feeds.
    pub(super) fn share_image_of(&self, refs: &[PhotoRef], photos: &[std::sync::Arc<Photo>]) -> Option<ShareImage> {
        let (r, p) = refs.first().zip(photos.first())?;
        let v = p.largest(Format::Jpeg)?;
        Some(ShareImage {
            url: self.urls.permalink(&v.file),
            width: v.width,
            height: v.height,
            mime: v.format.mime(),
            length: v.length,
            alt: r.alt.clone(),
        })
    }
}
