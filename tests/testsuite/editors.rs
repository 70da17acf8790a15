//! The editors' commands: `new`, `import` (over the shared seeds) and `check`.

use crate::support::{files, Site};

/// The seed releases; a test that needs them says which folder is missing, not an OS error.
fn seeds() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    assert!(
        dir.is_dir(),
        "the seed releases are not here: these tests read {} (the shared material beside the project: ../shared/seeds); run them in a checkout with ../shared beside it",
        dir.display()
    );
    dir
}

#[test]
fn new_writes_a_complete_draft_and_never_overwrites() {
    let site = Site::copy("good");
    let args = [
        "new",
        "Алматы мен Шаңхай жол картасын бекітті",
        "--region",
        "almaty",
        "--partner",
        "shanghai",
    ];
    let run = site
        .run(
            &[
                &args[..],
                &["--tags", "жол картасы,сауда", "--lang", "kk", "--date", "2026-03-01"],
            ]
            .concat(),
        )
        .success();
    let rel = "content/news/2026/2026-03-01-almaty-men-shankhay-zhol-kartasyn-bekitti.kk.md";
    assert!(run.stdout().contains(rel), "{}", run.stdout());
    let text = site.read(rel);
    for line in [
        "title = \"Алматы мен Шаңхай жол картасын бекітті\"",
        "date = 2026-03-01",
        "region = \"almaty\"",
        "partners = [\"shanghai\"]",
        "tags = [\"жол картасы\", \"сауда\"]",
        "draft = true",
    ] {
        assert!(text.contains(line), "{line} missing in\n{text}");
    }
    let again = site.run(&[&args[..], &["--lang", "kk", "--date", "2026-03-01"]].concat());
    assert_eq!(again.code(), 1);
    assert!(
        again.stderr().contains("already exists: twinpress never overwrites"),
        "{}",
        again.stderr()
    );
    site.run(&["build", "--drafts"]).success();
}

#[test]
fn new_starts_a_translation_with_the_same_stem() {
    let site = Site::copy("good");
    let from = site.path("content/news/2024/2024-11-12-uk.ru.md");
    site.run(&[
        "new",
        "Алматы мен Ұлыбритания",
        "--translate-from",
        from.to_str().unwrap(),
    ])
    .success();
    let text = site.read("content/news/2024/2024-11-12-uk.kk.md");
    assert!(
        text.contains("date = 2024-11-12")
            && text.contains("region = \"almaty\"")
            && text.contains("partners = [\"united-kingdom\"]"),
        "{text}"
    );
    assert!(text.contains("# Translation of content/news/2024/2024-11-12-uk.ru.md"));
}

#[test]
fn new_refuses_unknown_keys_and_bad_arguments() {
    let site = Site::copy("good");
    let before = files(&site.path("content/news"));
    let run = site.run(&["new", "Заголовок", "--region", "almaty-regoin", "--partner", "shanghai"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr()
            .contains("unknown city key `almaty-regoin`: did you mean `almaty-region`"),
        "{}",
        run.stderr()
    );
    let run = site.run(&["new", "Заголовок", "--region", "almaty"]);
    assert_eq!(run.code(), 2, "a partner is required: {}", run.stderr());
    let run = site.run(&[
        "new",
        "Заголовок",
        "--region",
        "almaty",
        "--partner",
        "shanghai",
        "--date",
        "29.08.2025",
    ]);
    assert_eq!(run.code(), 2);
    let run = site.run(&[
        "new",
        "Заголовок",
        "--region",
        "almaty",
        "--partner",
        "shanghai",
        "--lang",
        "en",
    ]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr().contains("--lang en: the site's languages are ru, kk"),
        "{}",
        run.stderr()
    );
    assert_eq!(files(&site.path("content/news")), before, "nothing was written");
}

#[test]
fn import_turns_every_seed_into_a_draft_that_check_reports() {
    let site = Site::copy("good");
    let seed_files: Vec<String> = std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["import"];
    args.extend(seed_files.iter().map(String::as_str));
    let run = site.run(&args).success();
    let out = run.stdout();
    assert_eq!(out.matches(" → content/news/").count(), 5, "{out}");
    assert!(out.contains("date 2025-08-29 (from the date prefix)"), "{out}");
    assert!(out.contains("language kk (Kazakh letters)"), "{out}");
    assert!(out.contains("date: not found — fill in `date`"), "{out}");
    let imported: Vec<String> = files(&site.path("content/news"))
        .into_iter()
        .filter(|f| {
            f.contains("undated") || f.contains("2026-02-19") || f.contains("2025-11-09") || f.contains("v-almatinskoy")
        })
        .collect();
    assert_eq!(imported.len(), 5, "{imported:?}");
    // The site still builds: incomplete drafts are left out with a warning.
    let build = site.run(&["build"]).success();
    assert!(
        build.stderr().contains("the date is empty") && build.stderr().contains("a draft: left out"),
        "{}",
        build.stderr()
    );
    let check = site.run(&["check"]).success();
    assert!(
        check.stderr().contains("is a draft: left out of the site"),
        "{}",
        check.stderr()
    );
    // Building drafts too: the incomplete ones are still left out, each named, and the site
    // builds (a draft never stops the publishing).
    let drafts = site.run(&["build", "--drafts"]).success();
    assert!(
        drafts.stderr().contains("the date is empty") && drafts.stderr().contains("a draft: left out"),
        "{}",
        drafts.stderr()
    );
}

#[test]
fn import_dry_run_writes_nothing_and_bad_files_are_named() {
    let site = Site::copy("good");
    let before = files(&site.path("content/news"));
    let seed = seeds().join("002_0ab92d5844312c80.txt");
    let run = site.run(&["import", "--dry-run", seed.to_str().unwrap()]).success();
    assert!(
        run.stdout().contains("title = \"В Алматинской области состоялся"),
        "{}",
        run.stdout()
    );
    assert_eq!(files(&site.path("content/news")), before);
    // Word's "Plain text" on a Russian Windows (Windows-1251) and Notepad's "Unicode" (UTF-16):
    // read as such, said, and imported as the UTF-8 release is.
    let text = std::fs::read_to_string(&seed).unwrap();
    let (cp1251, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&text);
    assert!(!unmappable);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    for (name, bytes) in [("Windows-1251", cp1251.to_vec()), ("UTF-16", utf16)] {
        let other = site.root.parent().unwrap().join(format!("{name}.txt"));
        std::fs::write(&other, bytes).unwrap();
        let read = site.run(&["import", "--dry-run", other.to_str().unwrap()]).success();
        assert!(
            read.stderr().contains(&format!("is not UTF-8: read as {name} text")),
            "{}",
            read.stderr()
        );
        assert_eq!(
            read.stdout(),
            run.stdout().replace(seed.to_str().unwrap(), other.to_str().unwrap())
        );
    }
    assert_eq!(files(&site.path("content/news")), before);
    let bad = site.root.parent().unwrap().join("unknown.txt");
    std::fs::write(&bad, b"\x80\x81\x8d\x8f\x90\x9a").unwrap();
    let run = site.run(&["import", bad.to_str().unwrap()]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr()
            .contains("is not UTF-8 text, nor Windows-1251 or UTF-16: save it as UTF-8"),
        "{}",
        run.stderr()
    );
    assert_eq!(site.run(&["import"]).code(), 2, "files are required");
}

#[test]
fn check_reports_links_images_translations_and_unused_cities() {
    let site = Site::copy("good");
    let ok = site.run(&["check"]).success();
    let err = ok.stderr();
    assert!(
        err.contains("content/news/2024/2024-11-12-uk.ru.md: has no `kk` translation"),
        "{err}"
    );
    assert!(err.contains("note: 1 article is not in `kk`"), "{err}");
    assert!(err.contains("is a draft: left out"), "{err}");
    assert!(!site.path("public").exists(), "check writes nothing");

    let strict = site.run(&["check", "--require-translations"]);
    assert_eq!(strict.code(), 1, "{}", strict.stderr());

    site.write(
        "content/cities/nowhere.toml",
        "kind = \"city\"\ncountry = \"KZ\"\n[name]\nkk = \"Жоқ\"\nru = \"Нигде\"\n",
    );
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    site.write(
        ru,
        &format!(
            "{}\n[плохая ссылка](/ru/cities/almatyy/)\n\n![фото](/images/missing.jpg)\n",
            site.read(ru)
        ),
    );
    let bad = site.run(&["check"]);
    assert_eq!(bad.code(), 1);
    let err = bad.stderr();
    assert!(err.contains("2025-08-29-qinghai.ru.md:24: the link `/ru/cities/almatyy/` leads nowhere: did you mean /ru/cities/almaty/?"), "{err}");
    assert!(
        err.contains(":26: the image `/images/missing.jpg` leads nowhere"),
        "{err}"
    );
    assert!(
        err.contains("content/cities/nowhere.toml: no article names `nowhere`"),
        "{err}"
    );
}

#[test]
fn new_dates_by_the_sites_day_not_utcs() {
    let site = Site::copy("good");
    // 04:00 on 7 December in Almaty is still 6 December in UTC.
    let early = "1796598000"; // 2026-12-06T23:00:00Z
    let run = site
        .run_with(
            &[
                "new",
                "Утренняя новость",
                "--region",
                "almaty",
                "--partner",
                "shanghai",
                "--lang",
                "ru",
            ],
            &[("SOURCE_DATE_EPOCH", early)],
        )
        .success();
    assert!(
        run.stdout()
            .contains("content/news/2026/2026-12-07-utrennyaya-novost.ru.md"),
        "{}",
        run.stdout()
    );
    // init takes the same day.
    let dir = tempfile::tempdir().unwrap();
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_twinpress"))
        .arg("init")
        .arg(dir.path())
        .env("SOURCE_DATE_EPOCH", early)
        .output()
        .unwrap();
    assert!(made.status.success());
    let listed = String::from_utf8_lossy(&made.stdout).into_owned();
    assert!(listed.contains("2026-12-07"), "{listed}");
}

#[test]
fn import_drops_counters_refuses_a_release_twice_and_an_empty_file_and_dry_runs_true() {
    let site = Site::copy("good");
    let release = site.path("../release.txt");
    std::fs::write(
        &release,
        "29.08.2025\nАлматы и Шанхай договорились о сотрудничестве\nПросмотров: 152\n\n\
         Делегация Шанхая посетила Алматы. Стороны обсудили туризм.\n\nИсточник: Zakon.kz\n",
    )
    .unwrap();
    let r = release.to_str().unwrap();
    let dry = site.run(&["import", r, "--dry-run"]).success().stdout();
    let first = site.run(&["import", r]).success().stdout();
    let path = |out: &str| out.lines().next().unwrap().rsplit(' ').next().unwrap().to_string();
    assert_eq!(
        path(&dry),
        path(&first),
        "the dry run names the path the import uses:\n{dry}\n{first}"
    );
    let text = site.read(&path(&first));
    assert!(!text.contains("Просмотров"), "the counter is gone:\n{text}");
    assert!(text.contains("Делегация Шанхая посетила Алматы."), "{text}");

    // Again: refused, named, nothing written.
    let before = files(&site.path("content/news"));
    let again = site.run(&["import", r]);
    assert_eq!(again.code(), 1);
    assert!(again.stderr().contains("already imported: "), "{}", again.stderr());
    assert!(again.stderr().contains(&path(&first)), "{}", again.stderr());
    assert_eq!(files(&site.path("content/news")), before);

    // Another release whose title makes the same name: the dry run says the name it would get.
    let other = site.path("../other.txt");
    std::fs::write(
        &other,
        "29.08.2025\nАлматы и Шанхай договорились о сотрудничестве!\n\nДругой текст о культуре.\n",
    )
    .unwrap();
    let o = other.to_str().unwrap();
    let dry = site.run(&["import", o, "--dry-run"]).success().stdout();
    assert!(path(&dry).contains("-2.ru.md"), "{dry}");
    assert_eq!(path(&dry), path(&site.run(&["import", o]).success().stdout()));

    // An empty file is no release.
    let empty = site.path("../empty.txt");
    std::fs::write(&empty, "\u{feff}\n  \n").unwrap();
    let run = site.run(&["import", empty.to_str().unwrap()]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("empty.txt is empty"), "{}", run.stderr());
    assert!(
        !files(&site.path("content/news"))
            .iter()
            .any(|f| f.contains("undated-article")),
        "nothing is written for it"
    );
}

#[test]
fn check_says_what_an_editor_can_act_on() {
    let site = Site::copy("good");
    // A Kazakh translation begun as a draft that does not read yet (no date), naming a photo.
    site.write(
        "content/news/2024/2024-11-12-uk.kk.md",
        "+++\ntitle = \"Ұлыбритания\"\ndate = \"\"\nregion = \"almaty\"\npartners = [\"united-kingdom\"]\ndraft = true\n\n\
         [[photos]]\nfile = \"2024-11-12-uk-1.png\"\nalt = \"\"\n+++\n\nМәтін.\n",
    );
    std::fs::write(site.path("content/news/2024/2024-11-12-uk-1.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    // A link to an article that does not exist, one letter off.
    let ru = "content/news/2025/2025-08-29-qinghai.ru.md";
    site.write(ru, &format!("{}\n[статья](/ru/news/2024-11-12-ukk/)\n", site.read(ru)));
    let run = site.run(&["check"]);
    let err = run.stderr();
    assert!(
        err.contains(
            "2024-11-12-uk.ru.md: has no published `kk` translation: content/news/2024/2024-11-12-uk.kk.md is begun"
        ),
        "{err}"
    );
    assert!(
        !err.contains("--translate-from content/news/2024/2024-11-12-uk.ru.md"),
        "{err}"
    );
    assert!(err.contains("did you mean /ru/news/2024-11-12-uk/?"), "{err}");
    assert!(!err.contains("did you mean /?"), "{err}");
    assert!(
        !err.contains("2024-11-12-uk-1.png: no article uses this photo"),
        "{err}"
    );
    assert!(!err.contains("nothing was written"), "{err}");
}
