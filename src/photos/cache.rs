//! The photo cache, `.twinpress-cache/photos/` under the site's root (git-ignored): each photo's
//! files under a key made of the source's bytes and the settings, with a small JSON of sizes.
//! A source's hash is remembered by its path, size and modification time (as git's index does),
//! so a rebuild reads no photo whose file did not change. Entries no photo of a full build used
//! are pruned at its end.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};

use super::process::Encoded;
use super::{Photo, Variant};

/// The cache folder, under the site's root.
pub const CACHE_DIR: &str = ".twinpress-cache";
const PHOTOS: &str = "photos";
const INDEX: &str = "sources.tsv";

/// An entry no build used is pruned once it has gone this long unused, so a `build` beside a
/// running `serve` (or a build without drafts after one with them) does not take files the
/// other still needs.
pub const PRUNE_AFTER: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Marks `path` as used now (its modification time), at most once an hour.
pub fn touch(path: &Path) {
    let now = std::time::SystemTime::now();
    let old = fs::metadata(path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| now.duration_since(t).is_ok_and(|d| d.as_secs() > 3600));
    if old {
        if let Ok(f) = fs::File::options().append(true).open(path) {
            let _ = f.set_modified(now);
        }
    }
}

/// Whether `path` was last used longer ago than [`PRUNE_AFTER`].
pub fn unused_long(path: &Path) -> bool {
    fs::metadata(path).and_then(|m| m.modified()).is_ok_and(|t| {
        std::time::SystemTime::now()
            .duration_since(t)
            .is_ok_and(|d| d > PRUNE_AFTER)
    })
}

/// A source file as its metadata shows it: a changed file has another stamp.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub rel: PathBuf,
    pub len: u64,
    pub modified_ns: i128,
}

impl Stamp {
    pub fn of(root: &Path, rel: &Path) -> Result<Stamp, String> {
        let meta = fs::metadata(root.join(rel)).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                "is not there: put the photo file beside the article's .md files, or correct the name".to_string()
            }
            _ => format!("cannot be read: {e}"),
        })?;
        if !meta.is_file() {
            return Err("is not a file".into());
        }
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        Ok(Stamp {
            rel: rel.to_path_buf(),
            len: meta.len(),
            modified_ns,
        })
    }
}

/// What the cache keeps of one photo besides its files.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    width: u32,
    height: u32,
    variants: Vec<Variant>,
}

pub struct Cache {
    dir: PathBuf,
    fingerprint: u64,
    /// Each source's content hash by its stamp: read at the start, written at the end.
    hashes: Mutex<HashMap<Stamp, u128>>,
    /// Stamps and keys this build used.
    used: Mutex<(HashSet<Stamp>, HashSet<String>)>,
}

impl Cache {
    pub fn open(root_cache: &Path, fingerprint: u64) -> Cache {
        let dir = root_cache.join(PHOTOS);
        let hashes = fs::read_to_string(dir.join(INDEX))
            .map(|text| text.lines().filter_map(parse_index_line).collect())
            .unwrap_or_default();
        Cache {
            dir,
            fingerprint,
            hashes: Mutex::new(hashes),
            used: Mutex::default(),
        }
    }

    /// The remembered hash of the source's bytes, if its file is unchanged.
    pub fn content_hash(&self, stamp: &Stamp) -> Option<u128> {
        let h = self
            .hashes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(stamp)
            .copied();
        if h.is_some() {
            self.used
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .0
                .insert(stamp.clone());
        }
        h
    }

    pub fn remember(&self, stamp: &Stamp, hash: u128) {
        self.hashes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(stamp.clone(), hash);
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .insert(stamp.clone());
    }

    /// The key of a source with hash `content`: in every output file's name.
    pub fn key(&self, content: u128) -> String {
        let mut bytes = content.to_le_bytes().to_vec();
        bytes.extend_from_slice(&self.fingerprint.to_le_bytes());
        format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes))
    }

    fn used_key(&self, key: &str) {
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .1
            .insert(key.to_string());
    }

    /// The photo, if the cache has all of its files.
    pub fn load(&self, rel: &Path, key: &str, name: &str) -> Option<Photo> {
        let json = self.dir.join(format!("{key}.json"));
        let text = fs::read_to_string(&json).ok()?;
        let entry: Entry = serde_json::from_str(&text).ok()?;
        let mut variants = entry.variants;
        for v in &mut variants {
            v.cached = self.file(key, v);
            v.file = output_file(name, key, v);
            let meta = fs::metadata(&v.cached).ok().filter(fs::Metadata::is_file)?;
            v.length = meta.len();
        }
        self.used_key(key);
        touch(&json);
        Some(Photo {
            source: rel.to_path_buf(),
            key: key.to_string(),
            width: entry.width,
            height: entry.height,
            variants,
        })
    }

    /// Keeps the encoded files of a photo; each file is written whole (to a temporary name,
    /// then renamed), the JSON last, so a killed build leaves no entry that looks complete.
    pub fn store(
        &self,
        rel: &Path,
        key: &str,
        name: &str,
        width: u32,
        height: u32,
        files: &[Encoded],
    ) -> Result<Photo> {
        fs::create_dir_all(&self.dir).with_context(|| format!("cannot create {}", self.dir.display()))?;
        let mut variants = Vec::with_capacity(files.len());
        for f in files {
            let mut v = Variant {
                width: f.width,
                height: f.height,
                format: f.format,
                file: String::new(),
                cached: PathBuf::new(),
                length: f.bytes.len() as u64,
            };
            v.cached = self.file(key, &v);
            write_whole(&v.cached, &f.bytes)?;
            v.file = output_file(name, key, &v);
            variants.push(v);
        }
        let entry = Entry {
            width,
            height,
            variants: variants.clone(),
        };
        write_whole(
            &self.dir.join(format!("{key}.json")),
            serde_json::to_string(&entry)?.as_bytes(),
        )?;
        self.used_key(key);
        Ok(Photo {
            source: rel.to_path_buf(),
            key: key.to_string(),
            width,
            height,
            variants,
        })
    }

    fn file(&self, key: &str, v: &Variant) -> PathBuf {
        self.dir.join(format!("{key}-{}.{}", v.width, v.format.extension()))
    }

    /// Writes the remembered hashes (of the sources this build saw, when it saw them all) and,
    /// if `prune`, removes the files of every key this build did not use and no build used for
    /// [`PRUNE_AFTER`].
    pub fn finish(&self, prune: bool) -> Result<()> {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let hashes = self.hashes.lock().unwrap_or_else(|e| e.into_inner());
        if hashes.is_empty() && !self.dir.exists() {
            return Ok(());
        }
        let mut lines: Vec<String> = hashes
            .iter()
            .filter(|(s, _)| !prune || used.0.contains(*s))
            .map(|(s, h)| format!("{}\t{}\t{}\t{h:032x}", s.rel.display(), s.len, s.modified_ns))
            .collect();
        lines.sort();
        let text = lines.join("\n");
        let index = self.dir.join(INDEX);
        if fs::read_to_string(&index).ok().as_deref() != Some(text.as_str()) {
            fs::create_dir_all(&self.dir).with_context(|| format!("cannot create {}", self.dir.display()))?;
            write_whole(&index, text.as_bytes())?;
        }
        if prune {
            // Decided per key before anything goes (the JSON tells how long a key was unused).
            let mut stale: HashMap<String, bool> = HashMap::new();
            let mut files = Vec::new();
            for entry in fs::read_dir(&self.dir).into_iter().flatten().flatten() {
                let name = entry.file_name();
                let Some(name) = name.to_str() else { continue };
                if name == INDEX {
                    continue;
                }
                let key = name.split(['-', '.']).next().unwrap_or_default().to_string();
                let json = self.dir.join(format!("{key}.json"));
                // A file without its JSON (a killed build's, or one being written now) goes by
                // its own age.
                let gone = if json.exists() {
                    *stale
                        .entry(key.clone())
                        .or_insert_with(|| !used.1.contains(&key) && unused_long(&json))
                } else {
                    !used.1.contains(&key) && unused_long(&entry.path())
                };
                if gone {
                    files.push(entry.path());
                }
            }
            for f in files {
                let _ = fs::remove_file(f);
            }
        }
        Ok(())
    }
}

/// `photos/<name>-<width>.<key>.<ext>`.
fn output_file(name: &str, key: &str, v: &Variant) -> String {
    format!("photos/{name}-{}.{key}.{}", v.width, v.format.extension())
}

fn parse_index_line(line: &str) -> Option<(Stamp, u128)> {
    let mut parts = line.split('\t');
    let rel = PathBuf::from(parts.next()?);
    let len = parts.next()?.parse().ok()?;
    let modified_ns = parts.next()?.parse().ok()?;
    let hash = u128::from_str_radix(parts.next()?, 16).ok()?;
    Some((Stamp { rel, len, modified_ns }, hash))
}

/// Writes `bytes` to a temporary file beside `path` and renames it into place.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let write = || -> std::io::Result<()> {
        // Readable by the web server, as every output file is.
        use std::os::unix::fs::PermissionsExt as _;
        let mut f = tempfile::Builder::new()
            .permissions(fs::Permissions::from_mode(0o644))
            .tempfile_in(dir)?;
        f.write_all(bytes)?;
        f.persist(path).map_err(|e| e.error)?;
        Ok(())
    };
    write().with_context(|| format!("cannot write {}", path.display()))
}
