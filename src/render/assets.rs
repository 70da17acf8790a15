//! The files every page links by a fixed name (the stylesheet, the search script, the icon,
//! the map's outlines), each linked with a hash of its bytes in its address
//! (`/style.css?v=3f2a1c9b`): a host can cache them for ever, and a deploy never shows a page
//! of one release with a script or stylesheet of another.

use std::collections::BTreeMap;
use std::path::Path;

/// The files linked with their version, as their site paths.
pub const VERSIONED: &[&str] = &["style.css", "search.js", "favicon.svg", "map/outlines.svg"];

/// Each versioned file's version: a hash of the bytes the build writes for it (the site's own
/// under `static/`, else the built-in one); empty when the build links them without (`on`
/// false: the preview).
pub fn versions(root: &Path, on: bool) -> BTreeMap<String, String> {
    if !on {
        return VERSIONED.iter().map(|rel| (rel.to_string(), String::new())).collect();
    }
    VERSIONED
        .iter()
        .filter_map(|&rel| {
            let bytes = std::fs::read(root.join("static").join(rel)).ok().or_else(|| {
                super::templates::DEFAULT_ASSETS
                    .iter()
                    .find(|(path, _, _)| *path == rel)
                    .map(|(_, bytes, _)| bytes.to_vec())
            })?;
            Some((
                rel.to_string(),
                format!("{:08x}", xxhash_rust::xxh3::xxh3_64(&bytes) as u32),
            ))
        })
        .collect()
}

/// Whether a change to `rel` (relative to the site root) changes an asset's version.
pub fn is_versioned(rel: &Path) -> bool {
    rel.strip_prefix("static")
        .ok()
        .and_then(|p| p.to_str())
        .is_some_and(|p| VERSIONED.contains(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sites_own_file_is_versioned_by_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let built_in = versions(dir.path(), true);
        assert!(versions(dir.path(), false).values().all(String::is_empty));
        assert_eq!(built_in.len(), VERSIONED.len());
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("static/style.css"), "body {}").unwrap();
        let own = versions(dir.path(), true);
        assert_ne!(own["style.css"], built_in["style.css"]);
        assert_eq!(own["search.js"], built_in["search.js"]);
        assert!(is_versioned(Path::new("static/style.css")));
        assert!(!is_versioned(Path::new("static/images/a.png")));
    }
}
