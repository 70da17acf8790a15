//! The code's shape: `src/lib.rs` lists the modules in the pipeline's order, and no module
//! uses one listed after it (no arrow runs back up: config → content → … → write, with the
//! tools beside the pipeline after it). Doc comments may name any module.

use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The modules in the order `lib.rs` declares them.
fn order() -> Vec<String> {
    std::fs::read_to_string(src().join("lib.rs"))
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';').to_string())
        .collect()
}

/// Every `.rs` file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.extend(files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            all.push(path);
        }
    }
    all
}

/// The modules `crate::NAME` names in `text`'s code (not its comments).
fn used(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                names.push(name);
            }
        }
    }
    names
}

#[test]
fn no_module_uses_one_listed_after_it_in_lib_rs() {
    let order = order();
    assert!(order.len() > 20, "{order:?}");
    let rank = |m: &str| order.iter().position(|o| o == m);
    let mut back = Vec::new();
    for file in files(&src()) {
        let rel = file.strip_prefix(src()).unwrap();
        let module = rel.iter().next().unwrap().to_str().unwrap().trim_end_matches(".rs");
        let Some(own) = rank(module) else { continue };
        for name in used(&std::fs::read_to_string(&file).unwrap()) {
            if rank(&name).is_some_and(|r| r > own) {
                back.push(format!("{} uses crate::{name}", rel.display()));
            }
        }
    }
    back.sort();
    back.dedup();
    assert!(back.is_empty(), "arrows back up the pipeline:\n{}", back.join("\n"));
}

#[test]
fn a_use_in_a_comment_is_no_arrow_and_one_in_code_is() {
    assert!(used("/// see [`crate::site`]\n// crate::write").is_empty());
    assert_eq!(
        used("use crate::config::Config; let x = crate::zone::now();"),
        ["config", "zone"]
    );
}
