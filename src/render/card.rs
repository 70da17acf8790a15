//! Social cards: a 1200×630 PNG for each article without photos, drawn at build time from the
//! SVG that `templates/card.svg` makes of the card's view, with the site's own fonts (the
//! `.woff2`, `.woff`, `.ttf` and `.otf` files of `static/fonts/`, or the built-in stylesheet's
//! where there are none, so every Kazakh letter is drawn by the font the pages use). Titles are broken into lines here, measured with those fonts.
//! Drawn cards are kept in `.twinpress-cache/cards/` by the hash of their SVG and the fonts.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{anyhow, Context as _, Result};
use resvg::usvg::fontdb;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider as _};

use crate::photos::cache::write_whole;

/// The card's size in pixels.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// The title's box: from x = 80 for 1040 pixels, at most this many lines.
const TITLE_WIDTH: f32 = 1040.0;
const TITLE_LINES: usize = 4;
/// Title sizes tried, largest first, until the title fits.
const TITLE_SIZES: &[f32] = &[64.0, 56.0, 50.0, 44.0];
/// The title's font: the family the pages' headings use.
pub const TITLE_FAMILY: &str = "Noto Serif";
const CARDS: &str = "cards";

/// The fonts cards are drawn with.
struct Fonts {
    db: Arc<fontdb::Database>,
    /// Hash of every font file: a new font draws new cards.
    digest: u64,
}

/// Draws cards and keeps them; one per site.
pub struct Painter {
    fonts_dir: PathBuf,
    cache_dir: PathBuf,
    fonts: OnceLock<Result<Fonts, String>>,
    used: Mutex<HashSet<String>>,
}

/// A title set in lines.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct TitleLines {
    pub lines: Vec<String>,
    /// Font size and distance between baselines, in pixels.
    pub size: f32,
    pub leading: f32,
}

impl Painter {
    pub fn new(root: &Path) -> Painter {
        Painter {
            fonts_dir: root.join("static/fonts"),
            cache_dir: root.join(crate::photos::CACHE_DIR).join(CARDS),
            fonts: OnceLock::new(),
            used: Mutex::default(),
        }
    }

    fn fonts(&self) -> Result<&Fonts> {
        self.fonts
            .get_or_init(|| load_fonts(&self.fonts_dir))
            .as_ref()
            .map_err(|e| anyhow!("{e}"))
    }

    /// Breaks `title` into lines of the card's title box, at the largest size it fits in; a
    /// title too long for the smallest size ends its last line with `…`.
    pub fn title_lines(&self, title: &str) -> Result<TitleLines> {
        let fonts = self.fonts()?;
        // Emoji are left out: the card's fonts have none, and each would be drawn as a box.
        let title: String = title.chars().filter(|&c| !crate::slug::is_emoji(c)).collect();
        let words: Vec<&str> = title.split_whitespace().collect();
        let mut last = None;
        for &size in TITLE_SIZES {
            let measure = |s: &str| text_width(&fonts.db, TITLE_FAMILY, s, size);
            let pieces: Vec<String> = words
                .iter()
                .flat_map(|w| split_wide(w, TITLE_WIDTH, &measure))
                .collect();
            let words: Vec<&str> = pieces.iter().map(String::as_str).collect();
            let lines = wrap(&words, TITLE_WIDTH, &measure);
            let fits = lines.len() <= TITLE_LINES;
            last = Some((lines, size));
            if fits {
                break;
            }
        }
        let (mut lines, size) = last.unwrap_or_default();
        if lines.len() > TITLE_LINES {
            lines.truncate(TITLE_LINES);
            let measure = |s: &str| text_width(&fonts.db, TITLE_FAMILY, s, size);
            let cut = &mut lines[TITLE_LINES - 1];
            while !cut.is_empty() && measure(&format!("{cut} …")) > TITLE_WIDTH {
                let end = cut.rfind(' ').unwrap_or(0);
                cut.truncate(end);
            }
            cut.push_str(" …");
        }
        Ok(TitleLines {
            lines,
            size,
            leading: (size * 1.2).round(),
        })
    }

    /// The card drawn from `svg`, as a PNG file in the cache (drawn now unless it is there).
    pub fn png(&self, svg: &[u8]) -> Result<PathBuf> {
        let fonts = self.fonts()?;
        let mut key = svg.to_vec();
        key.extend_from_slice(&fonts.digest.to_le_bytes());
        key.extend_from_slice(b"twinpress-card-1");
        let key = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&key));
        self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(key.clone());
        let path = self.cache_dir.join(format!("{key}.png"));
        if path.is_file() {
            crate::photos::cache::touch(&path);
            return Ok(path);
        }
        let png = draw(svg, &fonts.db)?;
        std::fs::create_dir_all(&self.cache_dir)
            .with_context(|| format!("cannot create {}", self.cache_dir.display()))?;
        write_whole(&path, &png)?;
        Ok(path)
    }

    /// Removes the cached cards this build did not draw or use and no build used for a day
    /// (after a full build).
    pub fn prune(&self) {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        for entry in std::fs::read_dir(&self.cache_dir).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let key = name.to_str().and_then(|n| n.strip_suffix(".png"));
            if !key.is_some_and(|k| used.contains(k)) && crate::photos::cache::unused_long(&entry.path()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Draws the SVG `svg` as a PNG.
fn draw(svg: &[u8], db: &Arc<fontdb::Database>) -> Result<Vec<u8>> {
    // A letter a face lacks comes from another face of its own family (the site's fonts come
    // in subsets: Latin, Cyrillic, Cyrillic for Kazakh), not from any font that has it.
    let select_fallback: resvg::usvg::FallbackSelectionFn = Box::new(|c, exclude, db| {
        let db: &fontdb::Database = db;
        let base = db.face(*exclude.first()?)?;
        let family = base.families.first()?.0.clone();
        let pick = |strict: bool| {
            db.faces()
                .filter(|f| !exclude.contains(&f.id) && f.families.iter().any(|(n, _)| *n == family))
                .filter(|f| !strict || (f.weight == base.weight && f.style == base.style))
                .find(|f| has_char(db, f.id, c))
                .map(|f| f.id)
        };
        pick(true).or_else(|| pick(false))
    });
    let options = resvg::usvg::Options {
        fontdb: Arc::clone(db),
        font_family: "Noto Sans".into(),
        font_resolver: resvg::usvg::FontResolver {
            select_font: resvg::usvg::FontResolver::default_font_selector(),
            select_fallback,
        },
        ..Default::default()
    };
    let tree =
        resvg::usvg::Tree::from_data(svg, &options).context("templates/card.svg made an SVG that does not parse")?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).context("a card's canvas")?;
    let size = tree.size();
    let scale = resvg::tiny_skia::Transform::from_scale(WIDTH as f32 / size.width(), HEIGHT as f32 / size.height());
    resvg::render(&tree, scale, &mut pixmap.as_mut());
    pixmap.encode_png().context("a card's PNG")
}

/// Whether `name` is a font file cards can use.
fn is_font(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".woff2", ".woff", ".ttf", ".otf"].iter().any(|e| lower.ends_with(e))
}

/// The fonts of `dir` (the site's `static/fonts/`), WOFF2 and WOFF unpacked; where the site has
/// none, the fonts of the built-in stylesheet, which its pages then use.
fn load_fonts(dir: &Path) -> Result<Fonts, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(is_font))
        .collect();
    files.sort();
    let mut sources: Vec<(String, std::borrow::Cow<[u8]>)> = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        sources.push((file.display().to_string(), bytes.into()));
    }
    if sources.is_empty() {
        sources = super::templates::DEFAULT_ASSETS
            .iter()
            .filter(|(path, _, _)| path.starts_with("fonts/") && is_font(path))
            .map(|(path, bytes, _)| (format!("twinpress's built-in {path}"), (*bytes).into()))
            .collect();
    }
    let mut db = fontdb::Database::new();
    let mut digest = Vec::new();
    for (name, bytes) in sources {
        digest.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&bytes).to_le_bytes());
        let font = match name.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
            Some("woff2") => {
                wuff::decompress_woff2(&bytes).map_err(|e| format!("{name} is not a readable WOFF2 font: {e:?}"))?
            }
            Some("woff") => {
                wuff::decompress_woff1(&bytes).map_err(|e| format!("{name} is not a readable WOFF font: {e:?}"))?
            }
            _ => bytes.into_owned(),
        };
        db.load_font_data(font);
    }
    if !db.faces().any(|f| f.families.iter().any(|(n, _)| n == TITLE_FAMILY)) {
        return Err(format!(
            "social cards set titles in {TITLE_FAMILY}, which is not among the fonts of {}: add its .woff2 files there",
            dir.display()
        ));
    }
    Ok(Fonts {
        db: Arc::new(db),
        digest: xxhash_rust::xxh3::xxh3_64(&digest),
    })
}

/// The faces of `family` (bold where there is one), in the order they are tried for a letter.
fn faces<'d>(db: &'d fontdb::Database, family: &str) -> Vec<&'d fontdb::FaceInfo> {
    let mut faces: Vec<&fontdb::FaceInfo> = db
        .faces()
        .filter(|f| f.families.iter().any(|(n, _)| n == family))
        .collect();
    faces.sort_by_key(|f| std::cmp::Reverse(f.weight.0));
    faces
}

/// Whether the face `id` has a glyph for `c`.
fn has_char(db: &fontdb::Database, id: fontdb::ID, c: char) -> bool {
    db.with_face_data(id, |data, index| {
        FontRef::from_index(data, index).is_ok_and(|font| font.charmap().map(c).is_some())
    })
    .unwrap_or(false)
}

/// Whether every letter of `text` has a glyph in a face of `family` (no fallback font).
pub fn covers(db: &fontdb::Database, family: &str, text: &str) -> bool {
    let faces = faces(db, family);
    text.chars()
        .filter(|c| !c.is_whitespace())
        .all(|c| faces.iter().any(|f| has_char(db, f.id, c)))
}

/// The width of `text` set in the bold face of `family` at `size` pixels, each letter from the
/// first face that has it.
fn text_width(db: &fontdb::Database, family: &str, text: &str, size: f32) -> f32 {
    let faces = faces(db, family);
    let mut width = 0.0;
    for c in text.chars() {
        let advance = faces.iter().find_map(|f| {
            db.with_face_data(f.id, |data, index| {
                let font = FontRef::from_index(data, index).ok()?;
                let glyph = font.charmap().map(c)?;
                let advance = font
                    .glyph_metrics(Size::unscaled(), LocationRef::default())
                    .advance_width(glyph)?;
                let em = font.metrics(Size::unscaled(), LocationRef::default()).units_per_em;
                Some(advance / f32::from(em))
            })
            .flatten()
        });
        width += advance.unwrap_or(0.55) * size;
    }
    width
}

/// `word` as it is when it fits in `max`, else cut into pieces that do, each but the last
/// ending with a hyphen (a long hashtag or compound on the card's edge).
fn split_wide(word: &str, max: f32, measure: &dyn Fn(&str) -> f32) -> Vec<String> {
    if measure(word) <= max {
        return vec![word.to_string()];
    }
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for c in word.chars() {
        let mut longer = piece.clone();
        longer.push(c);
        longer.push('-');
        if !piece.is_empty() && measure(&longer) > max {
            piece.push('-');
            pieces.push(std::mem::take(&mut piece));
        }
        piece.push(c);
    }
    pieces.push(piece);
    pieces
}

/// Greedy lines of `words` no wider than `max` (a word wider than a line has a line of its own).
fn wrap(words: &[&str], max: f32, measure: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for w in words {
        let candidate = if line.is_empty() {
            w.to_string()
        } else {
            format!("{line} {w}")
        };
        if !line.is_empty() && measure(&candidate) > max {
            lines.push(std::mem::replace(&mut line, w.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Makes `path` look last used two days ago.
    pub fn age(path: &Path) {
        let then = std::time::SystemTime::now() - std::time::Duration::from_secs(48 * 3600);
        std::fs::File::options()
            .append(true)
            .open(path)
            .unwrap()
            .set_modified(then)
            .unwrap();
    }

    fn portal() -> Painter {
        Painter::new(Path::new(env!("CARGO_MANIFEST_DIR")))
    }

    #[test]
    fn the_site_fonts_draw_every_kazakh_and_russian_letter() {
        let p = portal();
        let fonts = p.fonts().unwrap();
        let kazakh = "ӘәҒғҚқҢңӨөҰұҮүҺһІі";
        let russian = "АаБбВвГгДдЕеЁёЖжЗзИиЙйКкЛлМмНнОоПпРрСсТтУуФфХхЦцЧчШшЩщЪъЫыЬьЭэЮюЯя";
        for family in [TITLE_FAMILY, "Noto Sans"] {
            assert!(covers(&fonts.db, family, kazakh), "{family}: Kazakh");
            assert!(covers(&fonts.db, family, russian), "{family}: Russian");
        }
        // A letter the site's fonts lack is seen as lacking (the check can fail).
        assert!(!covers(&fonts.db, TITLE_FAMILY, "漢"));
    }

    #[test]
    fn emoji_are_left_out_and_a_word_wider_than_the_card_is_broken() {
        let p = portal();
        let t = p.title_lines("🎉 Праздник в Алматы 🇰🇿").unwrap();
        assert_eq!(t.lines, ["Праздник в Алматы"]);
        let fonts = p.fonts().unwrap();
        let t = p
            .title_lines("#ДеньГородаАлматыИШанхаяСорокЛетДружбыИСотрудничестваМеждуНашимиГородами")
            .unwrap();
        assert!(t.lines.len() > 1, "{:?}", t.lines);
        for line in &t.lines {
            assert!(
                text_width(&fonts.db, TITLE_FAMILY, line, t.size) <= TITLE_WIDTH,
                "{line} runs off the card"
            );
        }
        assert!(t.lines[0].ends_with('-'), "{:?}", t.lines);
    }

    #[test]
    fn titles_break_into_lines_that_fit_and_long_ones_are_cut() {
        let p = portal();
        let short = p.title_lines("Алматы мен Шанхай").unwrap();
        assert_eq!((short.lines.len(), short.size), (1, 64.0));
        let long = "Алматы облысының әкімі Қытай Халық Республикасының Цинхай провинциясынан келген ресми делегацияны қабылдап, \
                    сауда-экономикалық, мәдени-гуманитарлық және білім беру салаларындағы ынтымақтастықты кеңейту мәселелерін талқылады";
        let t = p.title_lines(long).unwrap();
        assert_eq!(t.lines.len(), TITLE_LINES);
        assert_eq!(t.size, *TITLE_SIZES.last().unwrap());
        assert!(t.lines.last().unwrap().ends_with(" …"));
        let fonts = p.fonts().unwrap();
        for line in &t.lines {
            assert!(
                text_width(&fonts.db, TITLE_FAMILY, line, t.size) <= TITLE_WIDTH,
                "{line}"
            );
        }
    }

    #[test]
    fn a_card_is_drawn_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("static/fonts");
        std::os::unix::fs::symlink(fonts, dir.path().join("static/fonts")).unwrap();
        let p = Painter::new(dir.path());
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#0b5c8a"/><text x="80" y="300" font-family="Noto Serif" font-weight="700" font-size="64" fill="#fff">Қонаев</text></svg>"##.as_bytes();
        let path = p.png(svg).unwrap();
        let png = std::fs::read(&path).unwrap();
        let img = image::load_from_memory(&png).unwrap().into_rgb8();
        assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
        // The title is drawn: some pixels near its baseline are white.
        assert!((80..400).any(|x| img.get_pixel(x, 280) == &image::Rgb([255, 255, 255])));
        let again = Painter::new(dir.path()).png(svg).unwrap();
        assert_eq!(again, path);
        let p2 = Painter::new(dir.path());
        p2.prune();
        assert!(path.exists(), "a card used today is kept for a build beside");
        age(&path);
        p2.prune();
        assert!(!path.exists(), "a card no build used for a day is pruned");
    }
}
