//! Writing new article files for editors (`twinpress new`, `twinpress import`): complete front
//! matter, comments where the editor must fill something in, and never an existing file
//! overwritten.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use jiff::civil::Date;

use crate::config::Config;
use crate::content::NEWS_DIR;
use crate::slug::slugify;

/// An article about to be written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleDraft {
    pub lang: String,
    pub title: String,
    /// `None`: not known; written as `date = ""` with a comment saying what to do.
    pub date: Option<Date>,
    /// `None`: not known; written as `region = ""` with a comment.
    pub region: Option<String>,
    pub partners: Vec<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub photo_credit: Option<String>,
    pub draft: bool,
    /// Set to reuse an existing article's stem (a translation).
    pub stem: Option<String>,
    /// Comments put at the top of the front matter (`# …`).
    pub notes: Vec<String>,
    /// `[[photos]]`: file names beside the article, each with its alt text if known.
    pub photos: Vec<(String, Option<String>)>,
    pub body: String,
}

/// Longest slug taken from a title for a file name.
const SLUG_CHARS: usize = 60;

impl ArticleDraft {
    /// The file stem: `2025-08-29-almaty-oblysy-men-tsinkhay`, cut at a word near 60 characters.
    pub fn stem(&self) -> String {
        if let Some(stem) = &self.stem {
            return stem.clone();
        }
        let mut slug = slugify(&self.title);
        if slug.len() > SLUG_CHARS {
            let cut = slug[..SLUG_CHARS].rfind('-').unwrap_or(SLUG_CHARS);
            slug.truncate(cut);
        }
        if slug.is_empty() {
            slug = "article".into();
        }
        match self.date {
            Some(d) => format!("{d}-{slug}"),
            None => format!("undated-{slug}"),
        }
    }

    /// `content/news/<year>/<stem>.<lang>.md` (`undated/` without a date).
    pub fn path(&self) -> PathBuf {
        let folder = self.date.map_or("undated".to_string(), |d| d.year().to_string());
        Path::new(NEWS_DIR)
            .join(folder)
            .join(format!("{}.{}.md", self.stem(), self.lang))
    }

    /// The whole file: front matter and body.
    pub fn to_text(&self) -> String {
        let q = |s: &str| toml::Value::String(s.to_string()).to_string();
        let list = |xs: &[String]| format!("[{}]", xs.iter().map(|x| q(x)).collect::<Vec<_>>().join(", "));
        let mut out = String::from("+++\n");
        for note in &self.notes {
            out.push_str(&format!("# {note}\n"));
        }
        out.push_str(&format!("title = {}\n", q(&self.title)));
        match self.date {
            Some(d) => out.push_str(&format!("date = {d}\n")),
            None => out
                .push_str("# No date was found: write the day it was published, e.g. date = 2025-08-29\ndate = \"\"\n"),
        }
        match &self.region {
            Some(r) => out.push_str(&format!("region = {}\n", q(r))),
            None => out.push_str(
                "# No home region was found: write its key from content/cities/, e.g. region = \"almaty-region\"\n\
                 region = \"\"\n",
            ),
        }
        if self.partners.is_empty() {
            out.push_str(
                "# No partner was found: write their keys from content/cities/, e.g. partners = [\"shanghai\"]\n",
            );
        }
        out.push_str(&format!("partners = {}\n", list(&self.partners)));
        out.push_str(&format!("tags = {}\n", list(&self.tags)));
        for (key, value) in [
            ("summary", &self.summary),
            ("source", &self.source),
            ("source_url", &self.source_url),
            ("photo_credit", &self.photo_credit),
        ] {
            match value {
                Some(v) => out.push_str(&format!("{key} = {}\n", q(v))),
                None => out.push_str(&format!("# {key} = \"\"\n")),
            }
        }
        out.push_str(&format!("draft = {}\n", self.draft));
        for (file, alt) in &self.photos {
            out.push_str(&format!("\n[[photos]]\nfile = {}\n", q(file)));
            match alt {
                Some(a) => out.push_str(&format!("alt = {}\n", q(a))),
                None => out.push_str(&format!(
                    "# Say what the photo shows, in this article's language ({}), for readers who cannot see it:\nalt = \"\"\n# caption = \"\"\n# credit = \"\"\n",
                    self.lang
                )),
            }
        }
        out.push_str("+++\n\n");
        out.push_str(self.body.trim_end());
        out.push('\n');
        out
    }

    /// Writes the file under `root` with the photos `files` copied beside it (their names the
    /// last ones of `photos`, in order); refuses to overwrite anything that exists.
    pub fn write_with_photos(&self, root: &Path, files: &[PhotoFile]) -> Result<PathBuf> {
        let rel = self.write_new(root)?;
        let dir = root.join(rel.parent().unwrap_or(Path::new("")));
        let names = &self.photos[self.photos.len().saturating_sub(files.len())..];
        for (photo, (name, _)) in files.iter().zip(names) {
            let dest = dir.join(name);
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&dest)
                .with_context(|| {
                    format!(
                        "Cannot copy {} to {}: is there a file of that name?",
                        photo.path.display(),
                        dest.display()
                    )
                })?;
            file.write_all(&photo.bytes)
                .with_context(|| format!("Cannot write {}", dest.display()))?;
        }
        Ok(rel)
    }

    /// Names the photos `files` after the article (`<stem>-1.jpg`, …) in `[[photos]]`.
    pub fn name_photos(&mut self, files: &[PhotoFile]) {
        let stem = self.stem();
        self.photos = files
            .iter()
            .enumerate()
            .map(|(n, f)| (format!("{stem}-{}.{}", n + 1, f.extension), None))
            .collect();
    }

    /// Writes the file under `root`; refuses to overwrite one that exists.
    pub fn write_new(&self, root: &Path) -> Result<PathBuf> {
        let rel = self.path();
        let path = root.join(&rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("Cannot create {}", dir.display()))?;
        }
        let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                bail!(
                    "{} already exists: twinpress never overwrites an article; rename or remove it first",
                    rel.display()
                )
            }
            Err(e) => return Err(e).with_context(|| format!("Cannot write {}", path.display())),
        };
        file.write_all(self.to_text().as_bytes())
            .with_context(|| format!("Cannot write {}", path.display()))?;
        Ok(rel)
    }
}

/// A photo an editor brings (`--photo FILE`), read and checked before anything is written.
#[derive(Debug, Clone)]
pub struct PhotoFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// From what the bytes are, not the name: `jpg`, `png`, `webp`.
    pub extension: &'static str,
}

impl PhotoFile {
    /// Reads `path`: a JPEG, PNG or WebP photo of at most `max_bytes`, by its bytes.
    pub fn read(path: &Path, max_bytes: u64) -> Result<PhotoFile> {
        let len = std::fs::metadata(path)
            .with_context(|| format!("Cannot read the photo {}", path.display()))?
            .len();
        if len > max_bytes {
            bail!(
                "The photo {} is {} MB, more than the {} MB a photo may have: export it smaller",
                path.display(),
                len / 1_000_000,
                max_bytes / 1_000_000
            );
        }
        let bytes = std::fs::read(path).with_context(|| format!("Cannot read the photo {}", path.display()))?;
        let extension = match crate::photos::process::sniff(&bytes) {
            Ok(crate::photos::process::Kind::Jpeg) => "jpg",
            Ok(crate::photos::process::Kind::Png) => "png",
            Ok(crate::photos::process::Kind::Webp) => "webp",
            Err(why) => bail!("The photo {} {why}", path.display()),
        };
        Ok(PhotoFile {
            path: path.to_path_buf(),
            bytes,
            extension,
        })
    }

    /// Reads every file of `paths`, for a site with `config`.
    pub fn read_all(paths: &[PathBuf], config: &Config) -> Result<Vec<PhotoFile>> {
        paths
            .iter()
            .map(|p| PhotoFile::read(p, config.photos.max_bytes))
            .collect()
    }
}

/// What `twinpress new` is asked for.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    pub title: String,
    pub region: Option<String>,
    pub partners: Vec<String>,
    pub lang: Option<String>,
    pub tags: Vec<String>,
    /// An existing article file whose translation this starts.
    pub translate_from: Option<PathBuf>,
    pub date: Option<Date>,
    /// Photos to copy beside the article and list in `[[photos]]`.
    pub photos: Vec<PathBuf>,
}

/// Writes a new article into the site at `root`; returns its path relative to the root.
pub fn new_article(root: &Path, req: &NewArticle) -> Result<PathBuf> {
    let crate::content::Facts { config, cities } = crate::content::Facts::load(root)?;
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let original = match &req.translate_from {
        Some(path) => Some(read_article(root, path, &config)?),
        None => None,
    };
    let lang = new_language(&codes, req.lang.as_deref(), original.as_ref())?;
    let region = match (&req.region, &original) {
        (Some(r), _) => r.clone(),
        (None, Some(o)) => o.region.key.clone(),
        (None, None) => bail!("--region KEY is needed: the home side's key from content/cities/"),
    };
    let partners = match (&req.partners[..], &original) {
        ([], Some(o)) => o.partners.iter().map(|p| p.key.clone()).collect(),
        ([], None) => bail!("--partner KEY is needed: the partner side's key from content/cities/"),
        (given, _) => given.to_vec(),
    };
    check_route(&cities, &region, &partners)?;
    let title = req.title.trim().to_string();
    if title.is_empty() {
        bail!("the title is empty: write the headline in quotes, e.g. twinpress new \"Алматы мен Шаңхай …\"");
    }
    let photos = PhotoFile::read_all(&req.photos, &config)?;
    let mut draft = ArticleDraft {
        lang: lang.clone(),
        title,
        date: Some(
            req.date
                .or(original.as_ref().map(|o| o.date.day()))
                .map_or_else(|| config.timezone.today().map_err(anyhow::Error::msg), Ok)?,
        ),
        region: Some(region),
        partners,
        tags: req
            .tags
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        source: original.as_ref().and_then(|o| o.source.clone()),
        source_url: original.as_ref().and_then(|o| o.source_url.clone()),
        photo_credit: original.as_ref().and_then(|o| o.photo_credit.clone()),
        draft: true,
        stem: original.as_ref().map(|o| o.stem.clone()),
        notes: original
            .iter()
            .map(|o| format!("Translation of {}", o.path.display()))
            .collect(),
        // A translation shows the original's photos: their words are to be written in its language.
        photos: original
            .iter()
            .flat_map(|o| o.photos.iter().map(|p| (p.file.clone(), None)))
            .collect(),
        body: placeholder(&lang).to_string(),
        ..ArticleDraft::default()
    };
    if !photos.is_empty() {
        let shared = std::mem::take(&mut draft.photos);
        draft.name_photos(&photos);
        draft.photos.splice(0..0, shared);
    }
    draft.write_with_photos(root, &photos)
}

/// The new article's language: the one given, else (for a translation) the first other
/// language of the site, else the default language.
fn new_language(
    codes: &[&str],
    lang: Option<&str>,
    original: Option<&crate::content::ArticleSource>,
) -> Result<String> {
    let lang = match (lang, original) {
        (Some(l), _) => l.to_string(),
        (None, Some(o)) => match codes.iter().find(|c| **c != o.lang) {
            Some(other) => other.to_string(),
            None => bail!("the site has one language only: there is nothing to translate into"),
        },
        (None, None) => codes.first().map(|c| c.to_string()).unwrap_or_default(),
    };
    if !codes.contains(&lang.as_str()) {
        bail!("--lang {lang}: the site's languages are {}", codes.join(", "));
    }
    if let Some(o) = &original {
        if o.lang == lang {
            bail!(
                "{} is already in `{lang}`: give --lang for the translation's language",
                o.path.display()
            );
        }
    }
    Ok(lang)
}

/// The region and partners must be known city keys (with a suggestion for a near miss), and a
/// partner is not the region.
pub fn check_route(cities: &[crate::content::CitySource], region: &str, partners: &[String]) -> Result<()> {
    let keys: Vec<&str> = cities.iter().map(|c| c.key.as_str()).collect();
    for key in std::iter::once(region).chain(partners.iter().map(String::as_str)) {
        if !keys.contains(&key) {
            let near = crate::diagnostics::near_matches(key, keys.iter().copied(), 3);
            let hint = if near.is_empty() {
                format!("the keys are the file names in content/cities/: {}", keys.join(", "))
            } else {
                format!(
                    "did you mean {}?",
                    near.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                )
            };
            bail!("unknown city key `{key}`: {hint}");
        }
    }
    if partners.iter().any(|p| p == region) {
        bail!("`{region}` is the region and a partner at once: a partner is the other side");
    }
    Ok(())
}

/// The body of a new article until the editor writes it (an HTML comment: invisible on the page).
fn placeholder(lang: &str) -> &'static str {
    match lang {
        "kk" => "<!-- Мақаланың мәтінін осында жазыңыз. Бірінші абзац жаңалықтар тізімінде қысқаша мазмұн болады. -->",
        "ru" => "<!-- Напишите текст статьи здесь. Первый абзац станет кратким содержанием в списках новостей. -->",
        _ => "<!-- Write the article here. Its first paragraph is its summary on lists. -->",
    }
}

/// An existing article file, given relative to the current folder or to the site, read as the
/// build reads it.
fn read_article(root: &Path, path: &Path, config: &Config) -> Result<crate::content::ArticleSource> {
    let full = if path.exists() {
        path.to_path_buf()
    } else {
        root.join(path)
    };
    let rel = full.strip_prefix(root).unwrap_or(&full);
    match crate::content::load_article(root, rel, config, &|_, _| Ok(())) {
        Ok(Some(article)) => Ok((*article.source).clone()),
        Ok(None) => bail!(
            "{} is not an article file: its name is <stem>.<language>.md",
            path.display()
        ),
        Err(problems) => Err(crate::diagnostics::Problems(problems).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ArticleDraft {
        ArticleDraft {
            lang: "kk".into(),
            title: "Алматы облысы мен Цинхай провинциясы жеті меморандумға қол қойды".into(),
            date: Some(jiff::civil::date(2025, 8, 29)),
            region: Some("almaty-region".into()),
            partners: vec!["qinghai".into()],
            tags: vec!["білім".into()],
            source: Some("Zakon.kz \"quoted\"".into()),
            body: "Мәтін.".into(),
            ..ArticleDraft::default()
        }
    }

    #[test]
    fn file_names_come_from_date_and_title() {
        let d = draft();
        assert_eq!(
            d.stem(),
            "2025-08-29-almaty-oblysy-men-tsinkhay-provintsiyasy-zheti-memorandumga"
        );
        let long = ArticleDraft {
            title: format!("{} {}", d.title, d.title),
            ..draft()
        };
        let slug = long.stem().trim_start_matches("2025-08-29-").to_string();
        assert!(slug.len() <= 60 && !slug.ends_with('-'), "{slug}");
        assert!(long.stem().ends_with("memorandumga"), "cut at a word: {}", long.stem());
        let undated = ArticleDraft { date: None, ..draft() };
        assert!(undated.path().starts_with("content/news/undated"));
    }

    #[test]
    fn the_text_parses_back_as_an_article() {
        let text = draft().to_text();
        let (a, body) = crate::content::article::parse(Path::new("x.kk.md"), "x", "kk", &text).unwrap();
        assert_eq!(a.title, draft().title);
        assert_eq!(a.source.as_deref(), Some("Zakon.kz \"quoted\""));
        assert_eq!(a.partners[0].key, "qinghai");
        assert_eq!(body.trim(), "Мәтін.");
    }

    #[test]
    fn unknown_fields_are_left_empty_with_a_comment() {
        let text = ArticleDraft {
            date: None,
            region: None,
            partners: vec![],
            ..draft()
        }
        .to_text();
        assert!(
            text.contains("# No date was found: write the day it was published, e.g. date = 2025-08-29\ndate = \"\"\n")
        );
        assert!(text.contains("region = \"\"\n"));
        assert!(text.contains("# No partner was found"));
    }

    #[test]
    fn never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let rel = draft().write_new(dir.path()).unwrap();
        std::fs::write(dir.path().join(&rel), "mine").unwrap();
        let err = draft().write_new(dir.path()).unwrap_err().to_string();
        assert!(err.contains("already exists"), "{err}");
        assert_eq!(std::fs::read_to_string(dir.path().join(rel)).unwrap(), "mine");
    }
}
