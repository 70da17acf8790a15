//! Rebuilds after edits, doing only the work an edit needs. A changed article file is read
//! again on its own and the [`Site`]'s model remade; every page's signature is the hash of its
//! view (all its template sees), and only pages whose signature changed are rendered. A template
//! or `site.toml` change renders everything. The output is the same, byte for byte, as a full
//! build of the same input (tests/testsuite/incremental.rs, and its randomized twin).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::render::{self, Class, Page, Signature, Sink};
use crate::site::{ArticleKey, Site};
use crate::urls::Urls;
use crate::write::{InPlace, Output};
use crate::{BuildOptions, Stages};

/// What changed on disk since the last build, sorted by what it costs to rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// `site.toml`: everything is read again.
    pub config: bool,
    /// Anything under `templates/`: every page is rendered again.
    pub templates: bool,
    /// Anything under `content/cities/`: all of `content/` is read again.
    pub cities: bool,
    /// A folder under `content/news/` appeared, vanished or was renamed: every article is read
    /// again.
    pub rescan: bool,
    /// Article files (relative to the root) written, created or deleted.
    pub articles: BTreeSet<PathBuf>,
    /// Files under `static/` (relative to the root) written, created or deleted.
    pub static_files: BTreeSet<PathBuf>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// Only stylesheets changed: a browser can swap them without reloading the page.
    pub fn css_only(&self) -> bool {
        !self.static_files.is_empty()
            && self
                .static_files
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
            && Changes {
                static_files: BTreeSet::new(),
                ..self.clone()
            }
            .is_empty()
    }

    /// One line for the terminal: "content/news/x.ru.md", "templates", "2 files".
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.config {
            parts.push("site.toml".into());
        }
        if self.templates {
            parts.push("templates".into());
        }
        if self.cities {
            parts.push("cities".into());
        }
        if self.rescan {
            parts.push("content/news folders".into());
        }
        for set in [&self.articles, &self.static_files] {
            match set.len() {
                0 => {}
                1 => parts.push(set.iter().next().map(|p| p.display().to_string()).unwrap_or_default()),
                n => parts.push(format!("{n} files")),
            }
        }
        parts.join(", ")
    }
}

/// What one rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Rebuild {
    /// Every page was rendered.
    pub full: bool,
    /// Pages rendered.
    pub rendered: usize,
    /// Files whose bytes changed (pages and static files).
    pub written: usize,
    /// Files removed (pages that no longer exist, deleted static files).
    pub removed: usize,
    /// Links (`/ru/news/x/`) of the HTML pages rendered: a browser on one of them reloads.
    pub pages: Vec<String>,
    /// The link of the article that changed, for the browser to follow there.
    pub navigate: Option<String>,
    /// Only stylesheets changed.
    pub css_only: bool,
    pub took: Duration,
}

/// A site kept in memory between rebuilds, with its output folder.
pub struct LiveSite {
    opts: BuildOptions,
    output: PathBuf,
    site: Site,
    /// Each page's signature when it was last written, by its output file.
    signatures: FxHashMap<String, Signature>,
    /// Output files that came from `static/`.
    static_files: BTreeSet<String>,
}

impl LiveSite {
    /// Reads the whole site and builds it into `output` (`opts.output` is not used).
    pub fn load(opts: &BuildOptions, output: &Path) -> Result<LiveSite> {
        let site = Site::load(opts, &mut Stages::new())?;
        let mut live = LiveSite {
            opts: opts.clone(),
            output: output.to_path_buf(),
            site,
            signatures: FxHashMap::default(),
            static_files: BTreeSet::new(),
        };
        live.build_all()?;
        Ok(live)
    }

    pub fn output(&self) -> &Path {
        &self.output
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Applies `changes`. On an error (bad content, a template error) the output keeps the last
    /// good build of each page, and the next good edit rebuilds from there.
    pub fn apply(&mut self, changes: &Changes) -> Result<Rebuild> {
        let start = Instant::now();
        let mut rebuild = if changes.config {
            *self = LiveSite::load(&self.opts, &self.output)?;
            Rebuild {
                full: true,
                rendered: self.signatures.len(),
                ..Rebuild::default()
            }
        } else if changes.templates {
            self.site.reload_templates()?;
            if changes.cities || changes.rescan {
                self.site.reload_content()?;
            }
            self.build_all()?
        } else if changes.cities || changes.rescan {
            self.site.reload_content()?;
            self.render_changed(&BTreeSet::new())?
        } else if !changes.articles.is_empty() {
            let changed = self.site.update_articles(&changes.articles)?;
            self.render_changed(&changed)?
        } else {
            Rebuild::default()
        };
        if !changes.static_files.is_empty() && !rebuild.full {
            let (written, removed) = self.sync_static(&changes.static_files)?;
            rebuild.written += written;
            rebuild.removed += removed;
            rebuild.css_only = changes.css_only();
        }
        rebuild.took = start.elapsed();
        Ok(rebuild)
    }

    /// Builds every page into the output through a staging folder, and keeps their signatures.
    fn build_all(&mut self) -> Result<Rebuild> {
        let r = self.site.renderer()?;
        let pages = r.pages();
        let mut out = Output::begin(&self.output, &self.opts.root)?;
        out.copy_static(&self.opts.root.join("static"))?;
        out.copy_defaults(render::templates::DEFAULT_ASSETS)?;
        let static_files = out.static_file_names();
        let (stats, signatures) = r.render_all_signed(&pages, &out)?;
        let written = out.commit()?;
        self.signatures = signatures.into_iter().collect();
        self.static_files = static_files;
        Ok(Rebuild {
            full: true,
            rendered: stats.total(),
            written: written.written,
            ..Rebuild::default()
        })
    }

    /// Renders the pages whose signature changed and removes the files of pages that are gone.
    /// `changed` names the articles an edit touched, for the browser to follow.
    fn render_changed(&mut self, changed: &BTreeSet<ArticleKey>) -> Result<Rebuild> {
        let r = self.site.renderer()?;
        let planned: Vec<(Page, String, Signature)> = r
            .pages()
            .par_iter()
            .map(|&page| r.signature(page).map(|(file, sig)| (page, file, sig)))
            .collect::<Result<_>>()?;
        // Render everything first: an error leaves the output as it was.
        let rendered: Vec<(String, Vec<u8>, Class)> = planned
            .par_iter()
            .filter(|(_, file, sig)| self.signatures.get(file) != Some(sig))
            .map(|&(page, _, _)| r.render(page).map(|(file, bytes)| (file, bytes, page.class())))
            .collect::<Result<_>>()?;
        let out = InPlace::new(&self.output);
        for (file, bytes, _) in &rendered {
            out.put(file, bytes)?;
        }
        let mut old = std::mem::take(&mut self.signatures);
        self.signatures = planned
            .into_iter()
            .map(|(_, file, sig)| {
                old.remove(&file);
                (file, sig)
            })
            .collect();
        let mut removed = 0;
        for file in old.keys() {
            if !self.static_files.contains(file) {
                out.remove(file)?;
                removed += 1;
            }
        }
        let model = &self.site.model;
        let codes: Vec<&str> = self.site.config.languages.iter().map(|l| l.code.as_str()).collect();
        let navigate = model
            .entries
            .iter()
            .find(|e| changed.contains(&(e.source.stem.clone(), e.source.lang.clone())))
            .map(|e| self.site.urls.href(&Urls::article(codes[e.lang], &e.source.stem)));
        let pages = rendered
            .iter()
            .filter(|(file, _, class)| *class != Class::Feed && file.ends_with(".html"))
            .map(|(file, _, _)| self.site.urls.href(file.strip_suffix("index.html").unwrap_or(file)))
            .collect();
        Ok(Rebuild {
            full: false,
            rendered: rendered.len(),
            written: out.written(),
            removed,
            pages,
            navigate,
            css_only: false,
            took: Duration::ZERO,
        })
    }

    /// Copies changed static files into the output, removes deleted ones.
    fn sync_static(&mut self, paths: &BTreeSet<PathBuf>) -> Result<(usize, usize)> {
        let out = InPlace::new(&self.output);
        let static_dir = self.opts.root.join("static");
        let mut removed = 0;
        for rel in paths {
            let Ok(inside) = rel.strip_prefix("static") else {
                continue;
            };
            let file = inside.to_string_lossy().replace('\\', "/");
            let src = static_dir.join(inside);
            if src.is_file() {
                let bytes = std::fs::read(&src)?;
                out.put(&file, &bytes)?;
                self.static_files.insert(file);
            } else if self.static_files.remove(&file) {
                out.remove(&file)?;
                removed += 1;
            }
        }
        Ok((out.written(), removed))
    }
}
