//! Broken input (`tests/sites/invalid/<case>/`, laid over the good site): each build exits 1,
//! prints every line of the case's `expected.txt`, names the file, and leaves the previous output
//! exactly as it was.

use crate::support::{files, fixtures, Site};

fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_broken_site_fails_with_its_message_and_keeps_the_previous_output() {
    let cases = cases();
    assert!(cases.len() >= 20, "{cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let site = Site::copy("good");
        site.build();
        let before = files(&site.path("public"));
        let home = site.read("public/ru/index.html");
        site.overlay(case);
        let run = site.run(&["build"]);
        let stderr = run.stderr();
        let expected = std::fs::read_to_string(fixtures().join("invalid").join(case).join("expected.txt")).unwrap();
        let missing: Vec<&str> = expected
            .lines()
            .filter(|l| !l.trim().is_empty())
            .filter(|l| {
                !stderr
                    .lines()
                    .any(|s| s.trim().starts_with(l.trim()) || s.contains(l.trim()))
            })
            .collect();
        if run.code() != 1 || !missing.is_empty() || stderr.contains("panicked") {
            failures.push(format!(
                "{case}: exit {}, missing {missing:?}\nstderr:\n{stderr}",
                run.code()
            ));
        }
        if files(&site.path("public")) != before || site.read("public/ru/index.html") != home {
            failures.push(format!("{case}: the previous output changed"));
        }
        let check = site.run(&["check"]);
        if check.code() != 1 {
            failures.push(format!("{case}: check exits {} instead of 1", check.code()));
        }
        let leftovers: Vec<_> = std::fs::read_dir(&site.root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("twinpress"))
            .collect();
        if !leftovers.is_empty() {
            failures.push(format!("{case}: left {leftovers:?} behind"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
