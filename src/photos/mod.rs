//! Photos: the files beside an article's Markdown, made into the site's resized WebP and JPEG
//! files (see [`process`]), kept in a cache folder keyed by the source's bytes and the settings
//! (see [`cache`]), so a rebuild redoes only what changed. A stage of its own between content
//! and Markdown: the front matter's `[[photos]]` and a body's `![alt](file.jpg)` both come here.
//!
//! Output files are named `photos/<name>-<width>.<key>.<ext>`, the key a hash of the source's
//! bytes and the settings, so a host can cache them for ever and a replaced photo gets new names.

pub mod cache;
pub mod fixture;
pub mod process;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};

pub use cache::CACHE_DIR;

pub use crate::config::PhotoSettings as Settings;

/// What the output depends on besides the source's bytes: a new encoder or setting means
/// new files (and new names).
fn fingerprint(settings: &Settings) -> u64 {
    let text = format!(
        "twinpress-photos-1 widths={:?} jpeg={} webp={}",
        settings.widths, settings.jpeg_quality, settings.webp_quality
    );
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// An output file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Webp,
    Jpeg,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Webp => "image/webp",
            Format::Jpeg => "image/jpeg",
        }
    }
}

/// A photo made into the site's files.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Photo {
    /// The source, relative to the site's root.
    pub source: PathBuf,
    /// Hash of the source's bytes and the settings, in hex: part of every output file's name.
    pub key: String,
    /// The upright size of the source.
    pub width: u32,
    pub height: u32,
    /// Every file, smallest first, each width as WebP then JPEG.
    pub variants: Vec<Variant>,
}

/// One file of a photo.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// The output path: `photos/<name>-<width>.<key>.<ext>`.
    pub file: String,
    /// Its bytes in the cache (absolute).
    #[serde(skip)]
    pub cached: PathBuf,
    /// Its size in bytes (an RSS enclosure says it), read where the cache is read.
    #[serde(skip)]
    pub length: u64,
}

impl Photo {
    /// The variants of one format, smallest first.
    pub fn of(&self, format: Format) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(move |v| v.format == format)
    }

    /// The largest JPEG: what feeds and social previews point at.
    pub fn largest(&self, format: Format) -> Option<&Variant> {
        self.of(format).last()
    }
}

/// A source made once: its photo, or what is wrong with it.
type Made = OnceLock<Result<Arc<Photo>, String>>;

/// The photos of a build: each source made once (two languages name the same file), taken
/// from the cache when its bytes and the settings are unchanged.
pub struct Store {
    root: PathBuf,
    settings: Settings,
    cache: cache::Cache,
    /// Sources made or found in this build, by path and what its metadata says.
    done: Mutex<HashMap<cache::Stamp, Arc<Made>>>,
}

impl Store {
    pub fn new(root: &Path, settings: Settings) -> Store {
        let fingerprint = fingerprint(&settings);
        Store {
            root: root.to_path_buf(),
            cache: cache::Cache::open(&root.join(CACHE_DIR), fingerprint),
            settings,
            done: Mutex::default(),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The photo at `rel` (relative to the root), made or taken from the cache; the message
    /// says what is wrong with the file (the caller names the file that names it).
    pub fn get(&self, rel: &Path) -> Result<Arc<Photo>, String> {
        let stamp = cache::Stamp::of(&self.root, rel)?;
        if stamp.len > self.settings.max_bytes {
            return Err(format!(
                "is {} MB, more than the {} MB a photo may have: export it smaller",
                stamp.len / 1_000_000,
                self.settings.max_bytes / 1_000_000
            ));
        }
        let cell = {
            let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(done.entry(stamp.clone()).or_default())
        };
        cell.get_or_init(|| self.make(rel, &stamp).map(Arc::new)).clone()
    }

    fn make(&self, rel: &Path, stamp: &cache::Stamp) -> Result<Photo, String> {
        let name = output_name(rel);
        let mut bytes = None;
        let content = match self.cache.content_hash(stamp) {
            Some(h) => h,
            None => {
                let read = std::fs::read(self.root.join(rel)).map_err(|e| format!("cannot be read: {e}"))?;
                let h = xxhash_rust::xxh3::xxh3_128(&read);
                self.cache.remember(stamp, h);
                bytes = Some(read);
                h
            }
        };
        let key = self.cache.key(content);
        if let Some(photo) = self.cache.load(rel, &key, &name) {
            return Ok(photo);
        }
        let bytes = match bytes {
            Some(b) => b,
            None => std::fs::read(self.root.join(rel)).map_err(|e| format!("cannot be read: {e}"))?,
        };
        let decoded = process::decode(&bytes, &self.settings)?;
        drop(bytes);
        let (width, height) = (decoded.width, decoded.height);
        let encoded = process::encode(decoded, &self.settings)?;
        self.cache
            .store(rel, &key, &name, width, height, &encoded)
            .map_err(|e| format!("cannot be kept in the cache {}: {e:#}", CACHE_DIR))
    }

    /// Writes down what this build learned (the sources' hashes) and removes cache entries no
    /// photo of this build used. Only a full build of every article may prune.
    pub fn finish(&self, prune: bool) -> anyhow::Result<()> {
        self.cache.finish(prune)
    }
}

/// The name part of a photo's output files: its file stem as a Latin slug.
fn output_name(rel: &Path) -> String {
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("photo");
    let slug = crate::slug::slugify(stem);
    if slug.is_empty() {
        "photo".into()
    } else {
        slug
    }
}

/// How wide a photo shows in an article's column (`.article`, 46rem less its padding): the
/// `sizes` of every photo in an article.
pub const ARTICLE_SIZES: &str = "(min-width: 48rem) 46rem, calc(100vw - 2rem)";

/// `srcset` of one format: `href(file) width`w, smallest first.
pub fn srcset(photo: &Photo, format: Format, href: &dyn Fn(&str) -> String) -> String {
    photo
        .of(format)
        .map(|v| format!("{} {}w", href(&v.file), v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A `<picture>` of the photo: WebP for browsers that take it, JPEG for the rest, sized by the
/// largest file (no layout shift), loaded lazily. Text is escaped here.
pub fn picture_html(photo: &Photo, alt: &str, href: &dyn Fn(&str) -> String) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let Some(img) = photo.largest(Format::Jpeg) else {
        return String::new();
    };
    // For browsers without srcset: the smallest JPEG at least 480 wide.
    let src = photo.of(Format::Jpeg).find(|v| v.width >= 480).unwrap_or(img);
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{ARTICLE_SIZES}\">\
         <img src=\"{}\" srcset=\"{}\" sizes=\"{ARTICLE_SIZES}\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\"></picture>",
        esc(&srcset(photo, Format::Webp, href)),
        esc(&href(&src.file)),
        esc(&srcset(photo, Format::Jpeg, href)),
        img.width,
        img.height,
        esc(alt)
    )
}
