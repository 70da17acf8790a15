//! The importer over every seed in `../shared/seeds` (the raw releases the portal was made from),
//! with the portal's own city registry: each field found, each kind of noise gone.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::*;
use crate::config::Config;

fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed releases; a test that needs them says which folder is missing, not an OS error.
fn seeds() -> PathBuf {
    let dir = project().join("../shared/seeds");
    assert!(
        dir.is_dir(),
        "the seed releases are not here: these tests read {} (the shared material beside the project: ../shared/seeds); run them in a checkout with ../shared beside it",
        dir.display()
    );
    dir
}

fn cities() -> Vec<CitySource> {
    let config = Config::load(&project()).unwrap();
    crate::content::load_cities(&project(), &config).unwrap()
}

fn run(name: &str) -> Imported {
    let cities = cities();
    let registry = Registry {
        cities: &cities,
        home_countries: BTreeSet::from(["KZ".to_string(), "RU".to_string()]),
        languages: vec!["kk".into(), "ru".into()],
    };
    let text = std::fs::read_to_string(seeds().join(name)).unwrap();
    import(&text, &registry, None)
}

fn date(y: i32, m: u32, d: u32) -> Option<Date> {
    super::dates::ymd(y, m, d)
}

/// Noise that must not survive in any imported body.
fn assert_clean(i: &Imported, also_absent: &[&str]) {
    let body = &i.draft.body;
    for noise in [
        "Другие новости",
        "Последние новости",
        "Фото:",
        "Сурет:",
        "Источник:",
        "Яндекс",
        "Alison CMS",
        "Licon",
        "Комментарии",
        "Ваш email",
        "сообщает Zakon.kz",
        "передает DKNews",
        "деп хабарлайды",
    ] {
        assert!(!body.contains(noise), "{noise:?} left in:\n{body}");
    }
    for s in also_absent {
        assert!(!body.contains(s), "{s:?} left in:\n{body}");
    }
    assert!(
        !body
            .lines()
            .any(|l| l.trim().chars().all(|c| c.is_ascii_digit()) && !l.trim().is_empty()),
        "a counter left:\n{body}"
    );
    let title_lines = body.lines().filter(|l| l.trim() == i.draft.title).count();
    assert_eq!(title_lines, 0, "the headline is repeated in the body:\n{body}");
    // What the importer writes is an article the site can parse once the editor fills it in.
    let text = i.draft.to_text();
    assert!(text.contains("draft = true"));
}

#[test]
fn every_seed_is_read() {
    let names: Vec<_> = std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 5, "the tests below cover each seed");
}

#[test]
fn sichuan_conference_with_a_dateline_and_other_news() {
    let i = run("000_d5f88496a320fe52.txt");
    let d = &i.draft;
    assert_eq!(d.lang, "ru");
    assert!(
        d.title
            .starts_with("12 ноября 2024 года в городе Чэнду официально открылась «Международная конференция"),
        "{}",
        d.title
    );
    assert!(d.title.ends_with("провинции Сычуань»"), "{}", d.title);
    assert_eq!(d.date, date(2025, 11, 9), "the dateline");
    assert_eq!(d.region.as_deref(), Some("almaty-region"));
    assert!(d.partners.contains(&"sichuan".to_string()), "{:?}", d.partners);
    assert_eq!(d.source.as_deref(), Some("Пресс-служба акима Алматинской области"));
    assert!(
        d.body.starts_with("Казахстанская делегация была представлена"),
        "{}",
        d.body
    );
    assert!(d.body.contains("6 мая 2021 года"));
    assert!(
        d.tags.contains(&"университеты".to_string()) || d.tags.contains(&"образование".to_string()),
        "{:?}",
        d.tags
    );
    assert_clean(&i, &["Свежие идеи для агросектора", "06.11.2025", "Воскресенье"]);
}

#[test]
fn almaty_and_the_uk_with_counter_photo_and_source() {
    let i = run("001_0efd82b95032cf1e.txt");
    let d = &i.draft;
    assert_eq!(d.lang, "ru");
    assert_eq!(
        d.title,
        "Алматы и Великобритания договорились о продвижении новых форматов партнерства"
    );
    assert_eq!(d.date, None, "the text has no full date: left for the editor");
    assert!(i.report.iter().any(|r| r.starts_with("date: not found")));
    assert!(d.to_text().contains("# No date was found"));
    assert_eq!(d.region.as_deref(), Some("almaty"));
    assert_eq!(d.partners, ["united-kingdom"]);
    assert_eq!(d.photo_credit.as_deref(), Some("Gov"));
    assert_eq!(d.source.as_deref(), Some("dknews.kz"));
    assert!(
        d.body.starts_with("Аким Алматы Дархан Сатыбалды встретился"),
        "{}",
        d.body
    );
    assert!(
        d.body.contains("Салли Джейн Аксуорси."),
        "the attribution is cut, the sentence kept:\n{}",
        d.body
    );
    assert_clean(
        &i,
        &["1815", "В Наньчане", "международное сотрудничество Дархан Сатыбалды"],
    );
}

#[test]
fn qinghai_visit_with_a_date_prefix_and_agency_attribution() {
    let i = run("002_0ab92d5844312c80.txt");
    let d = &i.draft;
    assert_eq!(d.lang, "ru");
    assert_eq!(d.date, date(2025, 8, 29));
    assert_eq!(
        d.title,
        "В Алматинской области состоялся официальный визит делегации из провинции Цинхай Китайской Народной Республики"
    );
    assert_eq!(d.region.as_deref(), Some("almaty-region"));
    assert_eq!(d.partners, ["qinghai"]);
    assert_eq!(d.source.as_deref(), Some("Zakon.kz"));
    assert!(d.body.starts_with("В рамках визита прошла встреча"), "{}", d.body);
    assert!(d.body.contains("У Сяоцзюнем."));
    assert!(
        d.tags.contains(&"делегация".to_string()) && d.tags.contains(&"энергетика".to_string()),
        "{:?}",
        d.tags
    );
    assert_clean(&i, &["date 2025"]);
}

#[test]
fn yakutsk_and_heihe_with_teaser_list_and_comment_form() {
    let i = run("003_4dfc594b1d258bb4.txt");
    let d = &i.draft;
    assert_eq!(d.lang, "ru");
    assert_eq!(d.title, "Евгений Григорьев встретился с делегацией города Хэйхэ КНР");
    assert_eq!(d.date, None, "«26 марта» has no year");
    assert_eq!(d.region.as_deref(), Some("yakutsk"));
    assert_eq!(
        d.partners,
        ["heihe"],
        "Harbin, named twice as a fair's town, is not a partner"
    );
    assert_eq!(d.photo_credit.as_deref(), Some("пресс-службы"));
    assert_eq!(
        d.source.as_deref(),
        Some("Пресс-служба Окружной администрации г. Якутска")
    );
    assert!(
        d.body.contains("\n- возобновить обмен школьников"),
        "dash lines become a list:\n{}",
        d.body
    );
    assert!(
        !d.body.contains("Китайско\n"),
        "the cut-off teaser is gone:\n{}",
        d.body
    );
    assert_eq!(d.body.matches("На днях в Якутск").count(), 1);
    assert_clean(&i, &["Спартакиады", "Избербаш", "Добавить комментарий"]);
}

#[test]
fn shanghai_in_kazakh_with_prefix_photo_and_kazakh_attribution() {
    let i = run("004_2b8d6f310e8ad15b.txt");
    let d = &i.draft;
    assert_eq!(d.lang, "kk");
    assert_eq!(d.date, date(2026, 2, 19));
    assert_eq!(
        d.title,
        "Шаңхайда Қазақстан мен Қытайдың негізгі қалалары арасындағы ынтымақтастықты нығайту мәселелері талқыланды"
    );
    assert_eq!(d.region.as_deref(), Some("almaty"));
    assert_eq!(d.partners, ["shanghai"]);
    assert_eq!(d.photo_credit.as_deref(), Some("gov.kz"));
    assert_eq!(
        d.source.as_deref(),
        Some("Қазақстан Республикасы Сыртқы істер министрлігінің баспасөз қызметі")
    );
    assert!(
        d.body.starts_with("Қазақстанның Шаңхай қаласындағы Бас консулдығында"),
        "{}",
        d.body
    );
    assert!(
        d.tags.contains(&"жол картасы".to_string()) || d.tags.contains(&"инвестиция".to_string()),
        "{:?}",
        d.tags
    );
    assert_clean(&i, &[]);
}

#[test]
fn short_texts_fall_back_to_common_words_then_the_site_language() {
    let langs = vec!["kk".to_string(), "ru".to_string()];
    assert_eq!(
        detect_language("Делегация прибыла в город и провела встречу", &langs).0,
        "ru"
    );
    assert_eq!(detect_language("Делегация осы жылы келді", &langs).0, "kk");
    assert_eq!(detect_language("Astana 2025", &langs).0, "kk");
}

#[test]
fn a_text_with_no_places_leaves_region_and_partners_empty() {
    let cities = cities();
    let registry = Registry {
        cities: &cities,
        home_countries: BTreeSet::from(["KZ".into()]),
        languages: vec!["ru".into()],
    };
    let i = import("Заголовок новости\n\nТекст без городов.", &registry, Some("ru"));
    assert_eq!((i.draft.region.as_deref(), i.draft.partners.len()), (None, 0));
    let text = i.draft.to_text();
    assert!(text.contains("region = \"\"") && text.contains("# No partner was found"));
    assert!(Path::new(&i.draft.path()).starts_with("content/news/undated"));
}
