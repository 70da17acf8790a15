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

use crate::model::reads::{Readers, Reads};
use crate::model::EntryId;
use crate::options::{BuildOptions, Stages};
use crate::render::{self, Class, Renderer, Signed, Sink};
use crate::site::{ArticleKey, Site};
use crate::urls::Urls;
use crate::write::{InPlace, Output};

/// What changed on disk since the last build, sorted by what it costs to rebuild.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// `site.toml`: everything is read again.
    pub config: bool,
    /// The system lost events (its queue of them overflowed under a flood of edits, as a
    /// `git checkout` of many files makes): what changed is not known, so everything is read
    /// again.
    pub lost: bool,
    /// Anything under `templates/`: every page is rendered again.
    pub templates: bool,
    /// Anything under `content/cities/`: all of `content/` is read again.
    pub cities: bool,
    /// Anything under `content/pages/` (pages and their photos): all of `content/` is read again.
    pub pages: bool,
    /// A folder under `content/news/` appeared, vanished or was renamed: every article is read
    /// again.
    pub rescan: bool,
    /// Article files (relative to the root) written, created or deleted.
    pub articles: BTreeSet<PathBuf>,
    /// Files under `static/` (relative to the root) written, created or deleted.
    pub static_files: BTreeSet<PathBuf>,
    /// Photos beside articles (relative to the root) written, created or deleted: the articles
    /// that name them are read again.
    pub photos: BTreeSet<PathBuf>,
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

    /// A font under `static/fonts/` changed: social cards are drawn with those fonts.
    pub fn fonts(&self) -> bool {
        self.static_files.iter().any(|p| p.starts_with("static/fonts"))
    }

    /// One line for the terminal: "content/news/x.ru.md", "templates", "2 files".
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.config {
            parts.push("site.toml".into());
        }
        if self.lost {
            parts.push("everything (the system lost some edits' events)".into());
        }
        if self.templates {
            parts.push("templates".into());
        }
        if self.cities {
            parts.push("cities".into());
        }
        if self.pages {
            parts.push("pages".into());
        }
        if self.rescan {
            parts.push("content/news folders".into());
        }
        for set in [&self.articles, &self.static_files, &self.photos] {
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
    /// Pages whose views were made and signed again (every page unless the edit kept the
    /// model's structure).
    pub viewed: usize,
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

/// What a rebuild signs again: some pages (by their place in [`LiveSite::pages`]), or all.
enum Plan {
    Some(Vec<(usize, Signed)>),
    All(Vec<Signed>),
}

/// A site kept in memory between rebuilds, with its output folder.
pub struct LiveSite {
    opts: BuildOptions,
    output: PathBuf,
    site: Site,
    /// Every page as last written (its file, signature and the entries its view read), in the
    /// order the renderer lists them.
    pages: Vec<Signed>,
    /// Which pages (by their place in `pages`) read each entry.
    readers: Readers,
    /// The entries whose contents the parts every page shares read.
    shared_reads: Reads,
    /// Output files that came from `static/`.
    static_files: BTreeSet<String>,
}

impl LiveSite {
    /// Problems that do not stop the site: drafts left out until they are mended.
    pub fn warnings(&self) -> Vec<crate::diagnostics::Problem> {
        self.site.warnings()
    }

    /// Reads the whole site and builds it into `output` (`opts.output` is not used).
    pub fn load(opts: &BuildOptions, output: &Path) -> Result<LiveSite> {
        let site = Site::load(opts, &mut Stages::new())?;
        let mut live = LiveSite {
            opts: opts.clone(),
            output: output.to_path_buf(),
            site,
            pages: Vec::new(),
            readers: Readers::default(),
            shared_reads: Reads::default(),
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

    /// When the first scheduled article the preview shows is due (seconds since 1970): the
    /// preview's clock moves then, and `[deploy] auto` publishes.
    pub fn next_scheduled(&self) -> Option<i64> {
        self.site
            .model
            .entries
            .iter()
            .filter(|e| e.scheduled)
            .map(|e| e.date().timestamp())
            .min()
    }

    /// How many pages the site has.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Applies `changes`. On an error (bad content, a template error) the output keeps the last
    /// good build of each page, and the next good edit rebuilds from there.
    pub fn apply(&mut self, changes: &Changes) -> Result<Rebuild> {
        let start = Instant::now();
        // A file every page links with its version changed: every page links the new one.
        let assets_changed =
            self.opts.versioned_assets && changes.static_files.iter().any(|p| render::assets::is_versioned(p));
        if assets_changed {
            self.site.asset_versions = render::assets::versions(&self.opts.root, true);
        }
        let mut rebuild = if changes.config || changes.lost {
            *self = LiveSite::load(&self.opts, &self.output)?;
            Rebuild {
                full: true,
                viewed: self.pages.len(),
                rendered: self.pages.len(),
                ..Rebuild::default()
            }
        } else if changes.templates || changes.fonts() {
            if changes.fonts() {
                self.site.cards = render::card::Painter::new(&self.opts.root);
            }
            self.site.reload_templates()?;
            if changes.cities || changes.rescan || changes.pages {
                self.site.reload_content()?;
            }
            self.build_all()?
        } else if changes.cities || changes.rescan || changes.pages {
            self.site.reload_content()?;
            self.render_changed(&BTreeSet::new(), None)?
        } else if !changes.articles.is_empty() || !changes.photos.is_empty() {
            let mut articles = changes.articles.clone();
            articles.extend(self.site.articles_naming(&changes.photos));
            let updated = self.site.update_articles(&articles)?;
            let entries = if assets_changed {
                None
            } else {
                updated.entries.as_deref()
            };
            let rebuild = self.render_changed(&updated.changed, entries)?;
            self.site.photos.finish(false)?;
            rebuild
        } else if assets_changed {
            self.render_changed(&BTreeSet::new(), None)?
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
        let mut out = Output::begin(&self.output, &self.opts.root, crate::write::Replace::Anything)?;
        out.copy_static(&self.opts.root.join("static"))?;
        out.copy_defaults(render::templates::DEFAULT_ASSETS)?;
        let static_files = out.static_file_names();
        let (stats, signed) = r.render_all_signed(&pages, &out)?;
        self.site.bodies_read()?;
        let written = out.commit()?;
        self.readers = Readers::new(signed.iter().map(|p| &p.reads));
        self.pages = signed;
        self.shared_reads = r.shared_reads().clone();
        self.static_files = static_files;
        Ok(Rebuild {
            full: true,
            viewed: stats.total(),
            rendered: stats.total(),
            written: written.written,
            ..Rebuild::default()
        })
    }

    /// Renders the pages whose signature changed and removes the files of pages that are gone.
    /// `changed` names the articles an edit touched, for the browser to follow; `entries`, when
    /// the edit kept the model's structure, the entries whose contents changed: then only the
    /// pages whose views read one of them are viewed again.
    fn render_changed(&mut self, changed: &BTreeSet<ArticleKey>, entries: Option<&[EntryId]>) -> Result<Rebuild> {
        let r = self.site.renderer()?;
        let shared_reads = r.shared_reads().clone();
        let plan = match entries {
            Some(ids) if !self.shared_reads.any_of(ids) && !r.shared_reads().any_of(ids) => self.resign(&r, ids)?,
            _ => Plan::All(
                r.pages()
                    .par_iter()
                    .map(|&page| r.signature(page))
                    .collect::<Result<_>>()?,
            ),
        };
        #[cfg(debug_assertions)]
        self.check_plan(&r, &plan);
        let stale: Vec<&Signed> = match &plan {
            Plan::Some(list) => list
                .iter()
                .filter(|(i, new)| self.pages[*i].signature != new.signature)
                .map(|(_, new)| new)
                .collect(),
            Plan::All(list) => {
                let old: FxHashMap<&str, u128> = self.pages.iter().map(|p| (p.file.as_str(), p.signature)).collect();
                list.iter()
                    .filter(|p| old.get(p.file.as_str()) != Some(&p.signature))
                    .collect()
            }
        };
        // Render everything first: an error leaves the output as it was.
        let rendered: Vec<(String, Vec<u8>, Class)> = stale
            .par_iter()
            .map(|p| r.render(p.page).map(|(file, bytes)| (file, bytes, p.page.class())))
            .collect::<Result<_>>()?;
        self.site.bodies_read()?;
        let out = InPlace::new(&self.output);
        for (file, bytes, _) in &rendered {
            out.put(file, bytes)?;
        }
        let viewed = match &plan {
            Plan::Some(list) => list.len(),
            Plan::All(list) => list.len(),
        };
        let removed = self.keep(plan, &out)?;
        self.shared_reads = shared_reads;
        Ok(Rebuild {
            full: false,
            viewed,
            rendered: rendered.len(),
            written: out.written(),
            removed,
            pages: self.links(&rendered),
            navigate: self.navigate(changed, entries),
            css_only: false,
            took: Duration::ZERO,
        })
    }

    /// The pages whose views read one of the entries `ids`, viewed and signed again.
    fn resign(&self, r: &Renderer, ids: &[EntryId]) -> Result<Plan> {
        let list = self
            .readers
            .of(ids)
            .into_par_iter()
            .map(|i| r.signature(self.pages[i].page).map(|new| (i, new)))
            .collect::<Result<_>>()?;
        Ok(Plan::Some(list))
    }

    /// Debug builds check every incremental plan against signing every page again: a page whose
    /// view read an entry without it being recorded would show here.
    #[cfg(debug_assertions)]
    fn check_plan(&self, r: &Renderer, plan: &Plan) {
        let Plan::Some(list) = plan else { return };
        let mut expected: Vec<(String, u128)> = self.pages.iter().map(|p| (p.file.clone(), p.signature)).collect();
        for (i, new) in list {
            expected[*i] = (new.file.clone(), new.signature);
        }
        let pages = r.pages();
        assert_eq!(
            pages.len(),
            expected.len(),
            "an edit that keeps the structure keeps the pages"
        );
        for (page, (file, signature)) in pages.into_iter().zip(&expected) {
            let full = r.signature(page).expect("a page signed in the plan signs again");
            assert_eq!(
                (&full.file, full.signature),
                (file, *signature),
                "the page's view read an entry that was not recorded"
            );
        }
    }

    /// Keeps `plan`'s signatures and removes the files of pages that are gone.
    fn keep(&mut self, plan: Plan, out: &InPlace) -> Result<usize> {
        match plan {
            Plan::Some(list) => {
                for (i, new) in list {
                    self.readers.replace(i, &self.pages[i].reads, &new.reads);
                    self.pages[i] = new;
                }
                Ok(0)
            }
            Plan::All(list) => {
                let now: BTreeSet<&str> = list.iter().map(|p| p.file.as_str()).collect();
                let mut removed = 0;
                for old in &self.pages {
                    if !now.contains(old.file.as_str()) && !self.static_files.contains(&old.file) {
                        out.remove(&old.file)?;
                        removed += 1;
                    }
                }
                self.readers = Readers::new(list.iter().map(|p| &p.reads));
                self.pages = list;
                Ok(removed)
            }
        }
    }

    /// The links of the HTML pages among `rendered`: a browser on one of them reloads.
    fn links(&self, rendered: &[(String, Vec<u8>, Class)]) -> Vec<String> {
        rendered
            .iter()
            .filter(|(file, _, class)| *class != Class::Feed && file.ends_with(".html"))
            .map(|(file, _, _)| self.site.urls.href(file.strip_suffix("index.html").unwrap_or(file)))
            .collect()
    }

    /// The link of the first article of `changed` that is still there: one of `entries` (the
    /// entries whose contents changed, when the edit kept the model's structure), or else
    /// looked for among all.
    fn navigate(&self, changed: &BTreeSet<ArticleKey>, entries: Option<&[EntryId]>) -> Option<String> {
        let codes: Vec<&str> = self.site.config.languages.iter().map(|l| l.code.as_str()).collect();
        let model = &self.site.model;
        let is_changed = |e: &&crate::model::Entry| {
            changed
                .iter()
                .any(|(stem, code)| codes[e.lang] == code && e.stem() == stem)
        };
        let found = match entries {
            Some(ids) => ids.iter().map(|&id| &model.entries[id]).find(is_changed),
            None => model.entries.iter().find(is_changed),
        };
        found.map(|e| self.site.urls.href(&Urls::article(codes[e.lang], e.stem())))
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
