//! What every reader of a site needs before its articles: `site.toml` and the cities, read with
//! the same code `build`, `check` and `serve` read them with ([`Config::load`],
//! [`load_cities`]). The desk and the command-line tools (`new`, `import`) take them from here;
//! the desk keeps them between requests ([`KeptFacts`]) and reads them again only when one of
//! their files changed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use anyhow::Result;

use super::{list_files, load_cities, CitySource, CITIES_DIR};
use crate::config::{Config, FILE_NAME as CONFIG_FILE};
use crate::diagnostics::Problems;

/// A site's configuration and its cities, sorted by key.
#[derive(Debug)]
pub struct Facts {
    pub config: Config,
    pub cities: Vec<CitySource>,
}

impl Facts {
    /// Reads `site.toml` and `content/cities` under `root`; their problems, each naming its
    /// file and line, as the build says them.
    pub fn load(root: &Path) -> Result<Facts> {
        let config = Config::load(root)?;
        let cities = load_cities(root, &config)?;
        Ok(Facts { config, cities })
    }

    /// The site's language codes, in `site.toml`'s order.
    pub fn languages(&self) -> Vec<&str> {
        self.config.languages.iter().map(|l| l.code.as_str()).collect()
    }

    /// The city `key` names.
    pub fn city(&self, key: &str) -> Option<&CitySource> {
        self.cities.iter().find(|c| c.key == key)
    }
}

/// The size and time of each file [`Facts`] are read from, and the names in the cities' folder:
/// equal stamps, equal facts.
type Stamps = Vec<(PathBuf, Option<(u64, Option<SystemTime>)>)>;

/// [`Facts`] kept between requests, read again when `site.toml` or a file of `content/cities`
/// changed size or time, or a city file came or went.
#[derive(Default)]
pub struct KeptFacts {
    kept: Mutex<Option<(Stamps, Arc<Facts>)>>,
}

impl KeptFacts {
    /// The facts of the site at `root` as its files are now.
    pub fn get(&self, root: &Path) -> Result<Arc<Facts>> {
        let now = stamps(root);
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((stamps, facts)) = kept.as_ref() {
            if *stamps == now {
                return Ok(Arc::clone(facts));
            }
        }
        let facts = Arc::new(Facts::load(root)?);
        *kept = Some((now, Arc::clone(&facts)));
        Ok(facts)
    }
}

fn stamps(root: &Path) -> Stamps {
    let mut files = vec![PathBuf::from(CONFIG_FILE)];
    files.extend(list_files(root, CITIES_DIR, false, &mut Problems::default()));
    files
        .into_iter()
        .map(|rel| {
            let stamp = std::fs::metadata(root.join(&rel))
                .ok()
                .map(|m| (m.len(), m.modified().ok()));
            (rel, stamp)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "base_url = \"https://example.kz/\"\ndefault_language = \"ru\"\n[languages.ru]\ntitle = \"Т\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join(CITIES_DIR)).unwrap();
        dir
    }

    fn city(dir: &Path, key: &str, name: &str) {
        let text = format!("kind = \"city\"\ncountry = \"KZ\"\n[name]\nru = \"{name}\"\n");
        std::fs::write(dir.join(CITIES_DIR).join(format!("{key}.toml")), text).unwrap();
    }

    #[test]
    fn kept_facts_are_read_again_when_a_city_changes_comes_or_goes() {
        let dir = site();
        city(dir.path(), "almaty", "Алматы");
        let kept = KeptFacts::default();
        let first = kept.get(dir.path()).unwrap();
        assert!(
            Arc::ptr_eq(&first, &kept.get(dir.path()).unwrap()),
            "read again with nothing changed"
        );
        city(dir.path(), "almaty", "Алматы (город)");
        let changed = kept.get(dir.path()).unwrap();
        assert_eq!(changed.city("almaty").unwrap().name["ru"], "Алматы (город)");
        city(dir.path(), "heihe", "Хэйхэ");
        assert_eq!(kept.get(dir.path()).unwrap().cities.len(), 2);
        std::fs::remove_file(dir.path().join(CITIES_DIR).join("heihe.toml")).unwrap();
        assert_eq!(kept.get(dir.path()).unwrap().languages(), ["ru"]);
        assert_eq!(kept.get(dir.path()).unwrap().cities.len(), 1);
    }

    #[test]
    fn a_broken_city_file_is_named_with_its_line() {
        let dir = site();
        std::fs::write(dir.path().join(CITIES_DIR).join("almaty.toml"), "kind = \n").unwrap();
        let error = crate::diagnostics::error_text(&KeptFacts::default().get(dir.path()).unwrap_err());
        assert!(error.contains("content/cities/almaty.toml:1"), "{error}");
    }
}
