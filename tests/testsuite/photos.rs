//! Photos beside articles, as editors bring them: generated camera JPEGs turned by EXIF with a
//! GPS position and a serial number, a PNG and a WebP; and every kind of bad photo.

use std::fs;

use twinpress::photos::fixture;

use crate::support::{files, Site};

const QINGHAI: &str = "content/news/2025/2025-08-29-qinghai";

/// The `good` site with three photos on the Qinghai article in both languages (the lead turned
/// by EXIF orientation 6), and one more in the Russian body.
fn site_with_photos() -> Site {
    let site = Site::copy("good");
    let dir = site.path("content/news/2025");
    fs::write(dir.join("qinghai-lead.jpg"), fixture::jpeg(2400, 1600, 6, 1)).unwrap();
    fs::write(dir.join("qinghai-2.png"), fixture::png(900, 600, 2)).unwrap();
    fs::write(dir.join("qinghai-3.webp"), fixture::webp(700, 700, 3)).unwrap();
    fs::write(dir.join("inline.jpg"), fixture::jpeg(1000, 500, 1, 4)).unwrap();
    add_photos(
        &site,
        "ru",
        &[
            (
                "qinghai-lead.jpg",
                "Делегации у здания акимата",
                Some("Встреча в Алматы"),
                Some("gov.kz"),
            ),
            ("qinghai-2.png", "Подписание меморандума", None, None),
            ("qinghai-3.webp", "Участники встречи", Some("После встречи"), None),
        ],
    );
    add_photos(
        &site,
        "kk",
        &[
            (
                "qinghai-lead.jpg",
                "Әкімдік ғимаратының алдындағы делегациялар",
                None,
                None,
            ),
            ("qinghai-2.png", "Меморандумға қол қою", None, None),
            ("qinghai-3.webp", "Кездесуге қатысушылар", None, None),
        ],
    );
    let ru = site.read(&format!("{QINGHAI}.ru.md"));
    site.write(
        &format!("{QINGHAI}.ru.md"),
        &format!("{ru}\n![Карта маршрута делегации](inline.jpg)\n"),
    );
    site
}

fn add_photos(site: &Site, lang: &str, photos: &[(&str, &str, Option<&str>, Option<&str>)]) {
    let path = format!("{QINGHAI}.{lang}.md");
    let text = site.read(&path);
    let (front, body) = text.trim_start_matches("+++\n").split_once("+++\n").unwrap();
    let mut tables = String::new();
    for (file, alt, caption, credit) in photos {
        tables.push_str(&format!("\n[[photos]]\nfile = \"{file}\"\nalt = \"{alt}\"\n"));
        if let Some(c) = caption {
            tables.push_str(&format!("caption = \"{c}\"\n"));
        }
        if let Some(c) = credit {
            tables.push_str(&format!("credit = \"{c}\"\n"));
        }
    }
    site.write(&path, &format!("+++\n{front}{tables}+++\n{body}"));
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The `name="value"` attributes of the first `<tag` that contains `marker`.
fn tag_with<'h>(html: &'h str, tag: &str, marker: &str) -> &'h str {
    html.match_indices(&format!("<{tag} "))
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()])
        .find(|t| t.contains(marker))
        .unwrap_or_else(|| panic!("no <{tag}> with {marker}"))
}

fn attr<'t>(tag: &'t str, name: &str) -> &'t str {
    let start = tag
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
        + name.len()
        + 3;
    &tag[start..start + tag[start..].find('"').unwrap()]
}

#[test]
fn photos_are_made_upright_in_every_width_without_their_metadata() {
    let site = site_with_photos();
    let run = site.build();
    assert!(run.stdout().contains("photo and card files"), "{}", run.stdout());
    let photos: Vec<String> = files(&site.path("public/photos"));
    let lead: Vec<&String> = photos.iter().filter(|f| f.starts_with("qinghai-lead-")).collect();
    // 2400 wide: 480, 960 and 1600, each in WebP and JPEG, named by a hash of the bytes.
    let widths: Vec<&str> = lead.iter().map(|f| f.split(['-', '.']).nth(2).unwrap()).collect();
    assert_eq!(widths.len(), 6, "{lead:?}");
    for w in ["480", "960", "1600"] {
        assert_eq!(widths.iter().filter(|&&x| x == w).count(), 2, "{lead:?}");
    }
    // Never upscaled: the 700-wide WebP comes in 480 and 700.
    let third: Vec<&String> = photos.iter().filter(|f| f.starts_with("qinghai-3-")).collect();
    assert!(
        third.iter().any(|f| f.starts_with("qinghai-3-700.")) && third.len() == 4,
        "{third:?}"
    );
    for f in &photos {
        let bytes = site.read_bytes(&format!("public/photos/{f}"));
        for leak in [fixture::SERIAL, fixture::MAKE, fixture::OWNER, "Exif", "GPS"] {
            assert!(!contains(&bytes, leak.as_bytes()), "{f} carries {leak}");
        }
    }
    // Read back: the turned phone photo is upright (red above, blue below) at 1600×1067.
    let jpeg = lead
        .iter()
        .find(|f| f.contains("-1600.") && f.ends_with(".jpg"))
        .unwrap();
    // JPEG is read by the decoder the build reads it with (image's has no JPEG here).
    let bytes = site.read_bytes(&format!("public/photos/{jpeg}"));
    let mut decoder = jpeg_decoder::Decoder::new(&bytes[..]);
    let pixels = decoder.decode().unwrap();
    let info = decoder.info().unwrap();
    let img = image::RgbImage::from_raw(u32::from(info.width), u32::from(info.height), pixels).unwrap();
    assert_eq!(img.dimensions(), (1600, 1067));
    assert!(
        img.get_pixel(800, 20)[0] > 150 && img.get_pixel(800, 20)[2] < 100,
        "red on top"
    );
    assert!(img.get_pixel(800, 1040)[2] > 150, "blue below");
    let webp = lead
        .iter()
        .find(|f| f.contains("-960.") && f.ends_with(".webp"))
        .unwrap();
    let img = image::load_from_memory(&site.read_bytes(&format!("public/photos/{webp}"))).unwrap();
    assert_eq!((img.width(), img.height()), (960, 640));
}

#[test]
fn article_pages_show_the_lead_the_gallery_and_previews_and_lists_show_thumbnails() {
    let site = site_with_photos();
    site.build();
    let html = site.read("public/ru/news/2025-08-29-qinghai/index.html");
    // The lead: a figure with caption and credit, loaded first, sized to keep its place.
    let lead = tag_with(&html, "img", "Делегации у здания акимата");
    assert_eq!((attr(lead, "width"), attr(lead, "height")), ("1600", "1067"));
    assert_eq!(attr(lead, "fetchpriority"), "high");
    assert!(!lead.contains("loading="), "the lead is not lazy: {lead}");
    assert!(attr(lead, "sizes").contains("46rem"));
    let srcset = attr(lead, "srcset");
    assert!(
        srcset.contains("-480.") && srcset.contains(" 480w") && srcset.contains(" 1600w"),
        "{srcset}"
    );
    let webp = tag_with(&html, "source", "qinghai-lead-480");
    assert_eq!(attr(webp, "type"), "image/webp");
    assert!(html.contains("<figcaption>Встреча в Алматы <span class=\"credit\">Фото: gov.kz</span></figcaption>"));
    // The gallery: lazy, each linked to its largest file, the credit falling back to the article's.
    let second = tag_with(&html, "img", "Подписание меморандума");
    assert_eq!(attr(second, "loading"), "lazy");
    assert!(html.contains("<section class=\"gallery\" aria-labelledby=\"gallery-title\">"));
    assert!(
        html.contains("<a href=\"/photos/qinghai-2-900."),
        "the gallery links the largest size"
    );
    assert!(html.contains("<span class=\"credit\">Фото: gov.kz</span>"));
    // The body's own photo goes through the same pipeline.
    let inline = tag_with(&html, "img", "Карта маршрута делегации");
    assert!(attr(inline, "src").starts_with("/photos/inline-480."), "{inline}");
    assert_eq!(attr(inline, "loading"), "lazy");
    // Social previews and structured data: the lead's largest JPEG, absolute, with its size.
    let og = tag_with(&html, "meta", "og:image\"");
    assert!(
        attr(og, "content").starts_with("https://example.org/photos/qinghai-lead-1600."),
        "{og}"
    );
    assert!(html.contains("<meta property=\"og:image:width\" content=\"1600\">"));
    assert!(html.contains("<meta property=\"og:image:height\" content=\"1067\">"));
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    assert!(
        html.contains("\"image\":{\"@type\":\"ImageObject\",\"height\":1067"),
        "JSON-LD image"
    );
    // The Kazakh page has its own words for the same files.
    let kk = site.read("public/kk/news/2025-08-29-qinghai/index.html");
    assert!(tag_with(&kk, "img", "Әкімдік ғимаратының").contains("/photos/qinghai-lead-"));
    // Cards: a thumbnail on home, city, tag and archive lists; the first on a list not lazy.
    for list in [
        "public/ru/index.html",
        "public/ru/cities/almaty/index.html",
        "public/ru/tags/obrazovanie/index.html",
        "public/ru/archive/2025/index.html",
    ] {
        let page = site.read(list);
        let thumb = tag_with(&page, "img", "Делегации у здания акимата");
        assert!(attr(thumb, "srcset").contains(" 960w"), "{list}");
        assert!(
            attr(thumb, "width") == "1600" && attr(thumb, "height") == "1067",
            "{list}"
        );
    }
}

#[test]
fn feeds_carry_the_lead_photo_and_articles_without_photos_get_a_drawn_card() {
    let site = site_with_photos();
    site.build();
    let xml = site.read_bytes("public/ru/rss.xml");
    let feed = feed_rs::parser::parse(&xml[..]).unwrap();
    let item = feed
        .entries
        .iter()
        .find(|e| e.links.iter().any(|l| l.href.contains("2025-08-29-qinghai")))
        .unwrap();
    let media = &item.media[0].content[0];
    let url = media.url.as_ref().unwrap().to_string();
    assert!(
        url.starts_with("https://example.org/photos/qinghai-lead-1600."),
        "{url}"
    );
    assert_eq!(media.content_type.as_ref().unwrap().to_string(), "image/jpeg");
    let file = url.rsplit('/').next().unwrap();
    assert_eq!(
        media.size,
        Some(site.read_bytes(&format!("public/photos/{file}")).len() as u64)
    );
    // An article without photos: a 1200×630 card in its language is its og:image.
    let html = site.read("public/ru/news/2024-11-12-uk/index.html");
    let og = attr(tag_with(&html, "meta", "og:image\""), "content");
    assert_eq!(og, "https://example.org/ru/news/2024-11-12-uk/card.png");
    let card = image::load_from_memory(&site.read_bytes("public/ru/news/2024-11-12-uk/card.png")).unwrap();
    assert_eq!((card.width(), card.height()), (1200, 630));
    assert!(html.contains("<meta property=\"og:image:width\" content=\"1200\">"));
    assert!(
        !site.path("public/ru/news/2025-08-29-qinghai/card.png").exists(),
        "an article with photos has no card"
    );
}

#[test]
fn a_rebuild_takes_photos_from_the_cache_and_stale_entries_are_pruned() {
    let site = site_with_photos();
    site.build();
    let cache = site.path(".twinpress-cache/photos");
    let before: Vec<(String, std::time::SystemTime)> = files(&cache)
        .into_iter()
        .map(|f| {
            let t = fs::metadata(cache.join(&f)).unwrap().modified().unwrap();
            (f, t)
        })
        .collect();
    assert!(before.len() > 20, "{before:?}");
    let run = site.build();
    assert!(
        run.stdout().contains(" 0 written"),
        "nothing new on a rebuild: {}",
        run.stdout()
    );
    for (f, t) in &before {
        assert_eq!(
            fs::metadata(cache.join(f)).unwrap().modified().unwrap(),
            *t,
            "{f} made again"
        );
    }
    // The third photo leaves both languages: its cached files go with the next build.
    for lang in ["ru", "kk"] {
        let path = format!("{QINGHAI}.{lang}.md");
        let text = site.read(&path);
        let cut = text.find("\n[[photos]]\nfile = \"qinghai-3.webp\"").unwrap();
        let end = cut + 1 + text[cut + 1..].find("+++").unwrap();
        let rest = &text[end..];
        site.write(&path, &format!("{}\n{rest}", &text[..cut]));
    }
    site.build();
    assert_eq!(
        files(&cache).len(),
        before.len(),
        "kept a day for a serve or build beside"
    );
    // A day later (its entry's time set back), the next build prunes it.
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(48 * 3600);
    for f in files(&cache).iter().filter(|f| f.ends_with(".json")) {
        fs::File::options()
            .append(true)
            .open(cache.join(f))
            .unwrap()
            .set_modified(then)
            .unwrap();
    }
    site.build();
    let after = files(&cache);
    assert!(after.len() < before.len());
    assert!(!files(&site.path("public/photos"))
        .iter()
        .any(|f| f.starts_with("qinghai-3-")));
    let key_of = |f: &str| f.split(['-', '.']).next().unwrap().to_string();
    let kept: std::collections::BTreeSet<String> = after.iter().map(|f| key_of(f)).collect();
    let gone: Vec<_> = before.iter().filter(|(f, _)| !kept.contains(&key_of(f))).collect();
    assert!(!gone.is_empty() && gone.iter().all(|(f, _)| !cache.join(f).exists()));
}

/// Breaks the Qinghai article's photos one way and expects the build to fail with `expected`
/// (on stderr), leaving the previous output as it was.
fn fails_with(site: &Site, expected: &[&str]) {
    let before = files(&site.path("public"));
    let run = site.run(&["build"]);
    let stderr = run.stderr();
    assert_eq!(run.code(), 1, "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "missing {e:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(files(&site.path("public")), before, "the previous output changed");
}

#[test]
fn bad_photos_are_named_with_their_file_and_line() {
    let site = site_with_photos();
    site.build();
    let ru = format!("{QINGHAI}.ru.md");
    let original = site.read(&ru);
    let line_of = |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let lead_line = line_of(&original, "file = \"qinghai-lead.jpg\"");
    let second_line = line_of(&original, "file = \"qinghai-2.png\"");

    // A missing file.
    site.write(&ru, &original.replace("qinghai-lead.jpg", "qinghai-missing.jpg"));
    fails_with(
        &site,
        &[&format!(
            "{ru}:{lead_line}: photo `qinghai-missing.jpg` is not there: put the photo file beside the article"
        )],
    );
    // A missing alt, on the photo's line.
    site.write(&ru, &original.replace("alt = \"Подписание меморандума\"\n", ""));
    fails_with(
        &site,
        &[&format!("{ru}:{second_line}: photo `qinghai-2.png` has no alt text")],
    );
    // A folder in the name: never trusted.
    site.write(&ru, &original.replace("qinghai-lead.jpg", "../../../site.toml"));
    fails_with(&site, &["must be a file name beside the article, without folders"]);
    // An iPhone's HEIC, even named .jpg: sniffed, and the editor told what to do.
    let dir = site.path("content/news/2025");
    site.write(&ru, &original);
    fs::write(dir.join("qinghai-2.png"), fixture::heic()).unwrap();
    fails_with(
        &site,
        &[
            &format!("{ru}:{second_line}: photo `qinghai-2.png` is a HEIC photo"),
            "export it as JPEG",
        ],
    );
    // A corrupt file.
    let mut broken = fixture::jpeg(800, 600, 1, 9);
    broken.truncate(broken.len() / 2);
    fs::write(dir.join("qinghai-2.png"), &broken).unwrap();
    fails_with(&site, &["photo `qinghai-2.png` is not a readable JPEG"]);
    // A decompression bomb: refused before any pixel is decoded.
    fs::write(dir.join("qinghai-2.png"), fixture::png_bomb(50_000, 50_000)).unwrap();
    fails_with(
        &site,
        &["photo `qinghai-2.png` is 50000×50000 pixels, more than the 60 megapixels"],
    );
    // A body's photo that is not there, named on its line.
    fs::write(dir.join("qinghai-2.png"), fixture::png(900, 600, 2)).unwrap();
    site.write(&ru, &original.replace("](inline.jpg)", "](nowhere.jpg)"));
    let line = original.lines().position(|l| l.contains("](inline.jpg)")).unwrap() + 1;
    fails_with(&site, &[&format!("{ru}:{line}: photo `nowhere.jpg` is not there")]);
    site.write(&ru, &original);
    site.build();
}

#[test]
fn check_warns_of_photos_no_article_uses() {
    let site = site_with_photos();
    fs::write(
        site.path("content/news/2024/forgotten.jpg"),
        fixture::jpeg(300, 200, 1, 5),
    )
    .unwrap();
    let run = site.run(&["check"]);
    let out = format!("{}{}", run.stdout(), run.stderr());
    assert!(
        out.contains("warning: content/news/2024/forgotten.jpg: no article uses this photo"),
        "{out}"
    );
    assert!(!out.contains("qinghai-lead.jpg: no article"), "{out}");
    // A photo the Russian version shows and the Kazakh one does not: its Kazakh readers get no alt.
    add_photos(&site, "ru", &[("forgotten-2.jpg", "Ещё одно фото", None, None)]);
    fs::write(
        site.path("content/news/2025/forgotten-2.jpg"),
        fixture::jpeg(300, 200, 1, 6),
    )
    .unwrap();
    let run = site.run(&["check"]);
    let out = format!("{}{}", run.stdout(), run.stderr());
    assert!(
        out.contains("warning: content/news/2025/2025-08-29-qinghai.kk.md: shows no photo `forgotten-2.jpg`, which the `ru` version shows"),
        "{out}"
    );
}

#[test]
fn new_and_import_copy_the_editors_photos_beside_the_draft() {
    let site = Site::copy("good");
    let bring = site.path("../camera");
    fs::create_dir_all(&bring).unwrap();
    fs::write(bring.join("IMG_2041.JPG"), fixture::jpeg(1200, 800, 6, 11)).unwrap();
    fs::write(bring.join("scan.png"), fixture::png(600, 400, 12)).unwrap();
    fs::write(bring.join("iphone.jpg"), fixture::heic()).unwrap();
    let photo = |name: &str| bring.join(name).to_string_lossy().into_owned();
    let new = |extra: &[&str]| {
        let mut args = vec![
            "new",
            "Алматы мен Шаңхай фотоға түсті",
            "--region",
            "almaty",
            "--partner",
            "shanghai",
            "--lang",
            "kk",
            "--date",
            "2026-03-02",
        ];
        args.extend_from_slice(extra);
        site.run(&args)
    };
    // A HEIC named .jpg is refused by its bytes, and nothing is written.
    let refused = new(&["--photo", &photo("iphone.jpg")]);
    assert_eq!(refused.code(), 1);
    assert!(
        refused.stderr().contains("iphone.jpg is a HEIC photo"),
        "{}",
        refused.stderr()
    );
    assert!(!site.path("content/news/2026").exists(), "nothing written");

    new(&["--photo", &photo("IMG_2041.JPG"), "--photo", &photo("scan.png")]).success();
    let stem = "2026-03-02-almaty-men-shankhay-fotoga-tusti";
    let md = site.read(&format!("content/news/2026/{stem}.kk.md"));
    assert!(md.contains(&format!("[[photos]]\nfile = \"{stem}-1.jpg\"\n")), "{md}");
    assert!(md.contains(&format!("file = \"{stem}-2.png\"")), "{md}");
    assert!(md.contains("alt = \"\""), "the editor fills in the alt: {md}");
    assert_eq!(
        site.read_bytes(&format!("content/news/2026/{stem}-1.jpg")),
        fs::read(bring.join("IMG_2041.JPG")).unwrap()
    );
    // Built with drafts, the empty alt is named at its line until it is written.
    let run = site.run(&["build", "--drafts"]);
    assert!(
        run.stderr().contains(&format!("{stem}.kk.md:")) && run.stderr().contains("has no alt text"),
        "{}",
        run.stderr()
    );
    site.write(
        &format!("content/news/2026/{stem}.kk.md"),
        &md.replacen("alt = \"\"", "alt = \"Делегациялар\"", 1)
            .replacen("alt = \"\"", "alt = \"Құжат\"", 1),
    );
    site.run(&["build", "--drafts"]).success();
    assert!(site
        .read(&format!("public/kk/news/{stem}/index.html"))
        .contains("alt=\"Делегациялар\""));

    // The translation lists the same photos, its words to be written in Russian.
    site.run(&[
        "new",
        "Алматы и Шанхай",
        "--translate-from",
        &format!("content/news/2026/{stem}.kk.md"),
    ])
    .success();
    let ru = site.read(&format!("content/news/2026/{stem}.ru.md"));
    assert!(
        ru.contains(&format!("file = \"{stem}-1.jpg\"")) && ru.contains("(ru)"),
        "{ru}"
    );

    // An import with the photos that came with the release.
    let release = site.path("../release.txt");
    fs::write(
        &release,
        "Алматы облысының әкімі Шанхай делегациясын қабылдады\n\n29 тамыз 2025\n\nКездесу өтті.\n",
    )
    .unwrap();
    let run = site
        .run(&["import", &release.to_string_lossy(), "--photo", &photo("scan.png")])
        .success();
    let written = run
        .stdout()
        .lines()
        .next()
        .unwrap()
        .split(" → ")
        .nth(1)
        .unwrap()
        .to_string();
    let text = site.read(&written);
    let file = text
        .lines()
        .find_map(|l| l.strip_prefix("file = \""))
        .unwrap()
        .trim_end_matches('"');
    assert!(
        site.path(&written).with_file_name(file).exists(),
        "{file} beside {written}"
    );
    let two = site.run(&[
        "import",
        &release.to_string_lossy(),
        &release.to_string_lossy(),
        "--photo",
        &photo("scan.png"),
    ]);
    assert!(
        two.stderr().contains("--photo goes with one release at a time"),
        "{}",
        two.stderr()
    );
}

#[test]
fn home_city_and_tag_pages_share_a_card_of_their_own_on_every_page_of_the_list() {
    let site = Site::copy("good");
    site.build();
    let card_of = |page: &str| {
        let html = site.read(&format!("public/{page}"));
        let og = attr(tag_with(&html, "meta", "og:image\""), "content").to_string();
        let alt = attr(tag_with(&html, "meta", "og:image:alt\""), "content").to_string();
        (og, alt)
    };
    let png = |path: &str| {
        let bytes = site.read_bytes(&format!("public/{path}"));
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (1200, 630), "{path}");
        bytes
    };
    let (home, alt) = card_of("ru/index.html");
    assert_eq!(home, "https://example.org/ru/card.png");
    assert!(!alt.is_empty());
    let (city, alt) = card_of("ru/cities/almaty/index.html");
    assert_eq!(
        (city.as_str(), alt.as_str()),
        ("https://example.org/ru/cities/almaty/card.png", "Алматы")
    );
    // A list's later pages share its first page's card.
    assert!(
        site.path("public/kk/page/2/index.html").exists(),
        "three articles, two a page: a second page"
    );
    assert_eq!(card_of("kk/page/2/index.html").0, "https://example.org/kk/card.png");
    let tags = site.read("public/ru/tags/index.html");
    let tag = tags
        .split("href=\"/ru/tags/")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .find(|slug| !slug.is_empty())
        .unwrap()
        .to_string();
    assert_eq!(
        card_of(&format!("ru/tags/{tag}index.html")).0,
        format!("https://example.org/ru/tags/{tag}card.png")
    );
    // Each is drawn: its own picture, in each language.
    let drawn = [
        png("ru/card.png"),
        png("kk/card.png"),
        png("ru/cities/almaty/card.png"),
        png("ru/cities/shanghai/card.png"),
        png(&format!("ru/tags/{tag}card.png")),
    ];
    for (i, a) in drawn.iter().enumerate() {
        for b in &drawn[i + 1..] {
            assert_ne!(a, b, "two lists share one picture");
        }
    }
}
