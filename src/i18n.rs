//! Language-specific formatting, backed by CLDR data through ICU4X: dates as each language's press
//! writes them, plural forms of counts, alphabetical order; plus the built-in UI strings that
//! `site.toml` may override.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use anyhow::{anyhow, Result};
use icu_calendar::{Date, Gregorian};
use icu_collator::{options::CollatorOptions, Collator, CollatorBorrowed};
use icu_datetime::{
    fieldsets::{M, YM, YMD},
    FixedCalendarDateTimeFormatter,
};
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRuleType, PluralRules};

/// Formatting for one language, made once per build and shared by every page.
pub struct Formats {
    date: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    month_year: FixedCalendarDateTimeFormatter<Gregorian, YM>,
    month: FixedCalendarDateTimeFormatter<Gregorian, M>,
    plurals: PluralRules,
    collator: CollatorBorrowed<'static>,
}

impl Formats {
    pub fn new(code: &str) -> Result<Formats> {
        let locale: Locale = code.parse().map_err(|e| anyhow!("language code `{code}`: {e}"))?;
        let date = FixedCalendarDateTimeFormatter::try_new(locale.clone().into(), YMD::long())
            .map_err(|e| anyhow!("no CLDR date format for language `{code}`: {e}"))?;
        let month_year = FixedCalendarDateTimeFormatter::try_new(locale.clone().into(), YM::long())
            .map_err(|e| anyhow!("no CLDR month format for language `{code}`: {e}"))?;
        let month = FixedCalendarDateTimeFormatter::try_new(locale.clone().into(), M::long())
            .map_err(|e| anyhow!("no CLDR month names for language `{code}`: {e}"))?;
        let plurals = PluralRules::try_new(locale.clone().into(), PluralRuleType::Cardinal.into())
            .map_err(|e| anyhow!("no CLDR plural rules for language `{code}`: {e}"))?;
        let collator = Collator::try_new(locale.into(), CollatorOptions::default())
            .map_err(|e| anyhow!("no CLDR collation for language `{code}`: {e}"))?;
        Ok(Formats {
            date,
            month_year,
            month,
            plurals,
            collator,
        })
    }

    /// "12 ноября 2024 г." (ru), "2024 ж. 12 қараша" (kk).
    pub fn long_date(&self, date: jiff::civil::Date) -> String {
        match Date::try_new_gregorian(i32::from(date.year()), date.month() as u8, date.day() as u8) {
            Ok(d) => self.date.format(&d).to_string(),
            Err(_) => date.to_string(),
        }
    }

    /// A month of a year as a heading names it, in the standalone (nominative) form CLDR gives,
    /// with a capital where the language's form starts with the month: «Ноябрь 2025 г.» (ru),
    /// «2025 ж. қараша» (kk).
    pub fn month_year(&self, year: i32, month: u32) -> String {
        match Date::try_new_gregorian(year, month as u8, 1) {
            Ok(d) => capitalized(&self.month_year.format(&d).to_string()),
            Err(_) => format!("{year}-{month:02}"),
        }
    }

    /// A month's name on its own, standalone: «Ноябрь» (ru), «Қараша» (kk).
    pub fn month(&self, month: u32) -> String {
        match Date::try_new_gregorian(2000, month as u8, 1) {
            Ok(d) => capitalized(&self.month.format(&d).to_string()),
            Err(_) => format!("{month:02}"),
        }
    }

    /// The count with its noun in the right plural form, from the UI strings `KEY_one`,
    /// `KEY_few`, `KEY_many`, `KEY_other` (falling back to `KEY_other`), `{n}` replaced.
    pub fn count(&self, ui: &BTreeMap<String, String>, key: &str, n: usize) -> String {
        let category = match self.plurals.category_for(n as u64) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        };
        let form = ui
            .get(&format!("{key}_{category}"))
            .or_else(|| ui.get(&format!("{key}_other")))
            .map_or("{n}", String::as_str);
        form.replace("{n}", &n.to_string())
    }

    /// Alphabetical order of the language (Kazakh letters ә, ғ, қ … in their places).
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.collator.compare(a, b).then_with(|| a.cmp(b))
    }
}

/// The language's name in itself, for the language switcher.
pub fn language_name(code: &str) -> &str {
    match code {
        "kk" => "Қазақша",
        "ru" => "Русский",
        "en" => "English",
        other => other,
    }
}

/// Opening and closing quotes of the language's typography.
pub fn quotes(code: &str) -> (char, char) {
    match code {
        "kk" | "ru" => ('«', '»'),
        _ => ('“', '”'),
    }
}

/// Whether the language is written in Cyrillic letters: its texts' words in Latin letters are
/// then English (names, terms) and marked so.
pub fn cyrillic(code: &str) -> bool {
    matches!(
        code,
        "kk" | "ru" | "uk" | "be" | "bg" | "sr" | "mk" | "ky" | "tg" | "mn" | "tt" | "ba" | "sah"
    )
}

/// The label of a footnote's link back to where it is referred to, for screen readers.
pub fn footnote_back(code: &str) -> &'static str {
    match code {
        "kk" => "Мәтінге оралу",
        "ru" => "Вернуться к тексту",
        _ => "Back to the text",
    }
}

/// `text` with its first letter upper case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Built-in UI strings for a language; `[languages.L.ui]` in `site.toml` overrides any of them.
pub fn default_ui(code: &str) -> BTreeMap<String, String> {
    let table: &[(&str, &str)] = match code {
        "kk" => KK,
        "ru" => RU,
        _ => EN,
    };
    table.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

const RU: &[(&str, &str)] = &[
    ("skip_to_content", "Перейти к содержанию"),
    ("home", "Главная"),
    ("latest", "Последние новости"),
    ("news", "Новости"),
    ("cities", "Города и регионы"),
    ("tags", "Темы"),
    ("all_tags", "Все темы"),
    ("partners", "Партнёры"),
    ("region", "Регион"),
    ("agreements", "Соглашения"),
    ("source", "Источник"),
    ("photo", "Фото"),
    ("photos", "Фотографии"),
    ("published", "Опубликовано"),
    ("language", "Язык"),
    ("choose_language", "Выберите язык"),
    ("default_language", "Основной язык сайта"),
    (
        "no_translation",
        "Этой страницы нет на русском языке. Вот последние новости на русском.",
    ),
    ("translation_available", "Этот материал есть на другом языке"),
    ("more_on_partnership", "Ещё об этом партнёрстве"),
    ("partnership_map", "Карта партнёрств"),
    ("page", "Страница"),
    ("pages", "Страницы"),
    ("prev", "← Назад"),
    ("next", "Вперёд →"),
    ("feed", "RSS-лента"),
    ("subscribe", "Подписка"),
    (
        "subscribe_intro",
        "RSS-лента — это адрес, с которого программа для чтения новостей (например, Feedly, Inoreader, NetNewsWire или Thunderbird) сама забирает новые статьи. Скопируйте адрес ленты и добавьте его в свою программу: открывать его в браузере не нужно.",
    ),
    ("subscribe_site", "Все новости"),
    ("subscribe_latest", "Последние статьи в ленте"),
    ("subscribe_cities", "Ленты городов и регионов"),
    ("subscribe_tags", "Ленты по темам"),
    ("feed_address", "Адрес ленты"),
    (
        "feed_what",
        "Это RSS-лента для программ чтения новостей. Чтобы подписаться, скопируйте адрес этой страницы из адресной строки браузера и добавьте его в свою программу.",
    ),
    ("feed_more", "Все ленты сайта и как подписаться:"),
    ("not_found_title", "Страница не найдена"),
    ("not_found_text", "Такой страницы нет. Начните с главной страницы:"),
    ("no_articles", "Пока нет материалов."),
    ("archive", "Архив"),
    ("search", "Поиск"),
    ("search_label", "Поиск по сайту"),
    ("search_button", "Найти"),
    (
        "search_nojs",
        "Поиск работает в браузере с включённым JavaScript. Без него новости можно найти по спискам:",
    ),
    (
        "search_none",
        "Ничего не найдено. Попробуйте другое слово или уберите фильтр.",
    ),
    ("search_none_word", "Ничего не найдено. Попробуйте другое слово."),
    ("translation_missing", "перевода нет"),
    ("search_elsewhere", "Найдено на другом языке:"),
    ("search_found", "Найдено: {n}"),
    ("search_close", "Точных совпадений нет. Похожие слова: {n}"),
    ("search_year", "Год"),
    ("search_all", "Все"),
    ("search_more", "Показать ещё"),
    ("search_hint", "Введите слово, например: Шанхай, делегация, Qinghai."),
    (
        "scheduled",
        "Запланировано: этот материал появится на сайте в указанное время.",
    ),
    ("articles_one", "{n} статья"),
    ("articles_few", "{n} статьи"),
    ("articles_many", "{n} статей"),
    ("articles_other", "{n} статьи"),
    ("kind_city", "город"),
    ("kind_region", "область"),
    ("kind_province", "провинция"),
    ("kind_country", "страна"),
    ("country_AE", "ОАЭ"),
    ("country_AZ", "Азербайджан"),
    ("country_BY", "Беларусь"),
    ("country_CN", "Китай"),
    ("country_DE", "Германия"),
    ("country_FR", "Франция"),
    ("country_GB", "Великобритания"),
    ("country_GE", "Грузия"),
    ("country_IN", "Индия"),
    ("country_JP", "Япония"),
    ("country_KG", "Кыргызстан"),
    ("country_KR", "Республика Корея"),
    ("country_KZ", "Казахстан"),
    ("country_MN", "Монголия"),
    ("country_RU", "Россия"),
    ("country_TJ", "Таджикистан"),
    ("country_TM", "Туркменистан"),
    ("country_TR", "Турция"),
    ("country_US", "США"),
    ("country_UZ", "Узбекистан"),
];

const KK: &[(&str, &str)] = &[
    ("skip_to_content", "Негізгі мазмұнға өту"),
    ("home", "Басты бет"),
    ("latest", "Соңғы жаңалықтар"),
    ("news", "Жаңалықтар"),
    ("cities", "Қалалар мен өңірлер"),
    ("tags", "Тақырыптар"),
    ("all_tags", "Барлық тақырыптар"),
    ("partners", "Серіктестер"),
    ("region", "Өңір"),
    ("agreements", "Келісімдер"),
    ("source", "Дереккөз"),
    ("photo", "Сурет"),
    ("photos", "Суреттер"),
    ("published", "Жарияланды"),
    ("language", "Тіл"),
    ("choose_language", "Тілді таңдаңыз"),
    ("default_language", "Сайттың негізгі тілі"),
    (
        "no_translation",
        "Бұл бет қазақ тілінде жоқ. Төменде — қазақша соңғы жаңалықтар.",
    ),
    ("translation_available", "Бұл материал басқа тілде бар"),
    ("more_on_partnership", "Осы серіктестік туралы тағы"),
    ("partnership_map", "Серіктестіктер картасы"),
    ("page", "Бет"),
    ("pages", "Беттер"),
    ("prev", "← Алдыңғы"),
    ("next", "Келесі →"),
    ("feed", "RSS арнасы"),
    ("subscribe", "Жазылу"),
    (
        "subscribe_intro",
        "RSS арнасы — жаңалық оқитын бағдарлама (мысалы, Feedly, Inoreader, NetNewsWire немесе Thunderbird) жаңа мақалаларды өзі алатын мекенжай. Арнаның мекенжайын көшіріп, бағдарламаңызға қосыңыз: оны браузерде ашудың қажеті жоқ.",
    ),
    ("subscribe_site", "Барлық жаңалықтар"),
    ("subscribe_latest", "Арнадағы соңғы мақалалар"),
    ("subscribe_cities", "Қалалар мен өңірлердің арналары"),
    ("subscribe_tags", "Тақырыптар бойынша арналар"),
    ("feed_address", "Арнаның мекенжайы"),
    (
        "feed_what",
        "Бұл — жаңалық оқитын бағдарламаларға арналған RSS арнасы. Жазылу үшін осы беттің мекенжайын браузердің адрес жолынан көшіріп, бағдарламаңызға қосыңыз.",
    ),
    ("feed_more", "Сайттың барлық арналары және қалай жазылуға болады:"),
    ("not_found_title", "Бет табылмады"),
    ("not_found_text", "Мұндай бет жоқ. Басты беттен бастаңыз:"),
    ("no_articles", "Әзірге материал жоқ."),
    ("archive", "Мұрағат"),
    ("search", "Іздеу"),
    ("search_label", "Сайттан іздеу"),
    ("search_button", "Табу"),
    (
        "search_nojs",
        "Іздеу JavaScript қосулы браузерде жұмыс істейді. Онсыз жаңалықтарды тізімдерден табуға болады:",
    ),
    (
        "search_none",
        "Ештеңе табылмады. Басқа сөзді көріңіз немесе сүзгіні алып тастаңыз.",
    ),
    ("search_none_word", "Ештеңе табылмады. Басқа сөзді көріңіз."),
    ("translation_missing", "аудармасы жоқ"),
    ("search_elsewhere", "Басқа тілде табылды:"),
    ("search_found", "Табылды: {n}"),
    ("search_close", "Дәл сәйкестік жоқ. Ұқсас сөздер: {n}"),
    ("search_year", "Жыл"),
    ("search_all", "Барлығы"),
    ("search_more", "Тағы көрсету"),
    ("search_hint", "Сөз енгізіңіз, мысалы: Шаңхай, делегация, Qinghai."),
    (
        "scheduled",
        "Жоспарланған: бұл материал сайтта көрсетілген уақытта шығады.",
    ),
    ("articles_one", "{n} мақала"),
    ("articles_other", "{n} мақала"),
    ("kind_city", "қала"),
    ("kind_region", "облыс"),
    ("kind_province", "провинция"),
    ("kind_country", "ел"),
    ("country_AE", "БАӘ"),
    ("country_AZ", "Әзірбайжан"),
    ("country_BY", "Беларусь"),
    ("country_CN", "Қытай"),
    ("country_DE", "Германия"),
    ("country_FR", "Франция"),
    ("country_GB", "Ұлыбритания"),
    ("country_GE", "Грузия"),
    ("country_IN", "Үндістан"),
    ("country_JP", "Жапония"),
    ("country_KG", "Қырғызстан"),
    ("country_KR", "Корея Республикасы"),
    ("country_KZ", "Қазақстан"),
    ("country_MN", "Моңғолия"),
    ("country_RU", "Ресей"),
    ("country_TJ", "Тәжікстан"),
    ("country_TM", "Түрікменстан"),
    ("country_TR", "Түркия"),
    ("country_US", "АҚШ"),
    ("country_UZ", "Өзбекстан"),
];

const EN: &[(&str, &str)] = &[
    ("skip_to_content", "Skip to content"),
    ("home", "Home"),
    ("latest", "Latest news"),
    ("news", "News"),
    ("cities", "Cities and regions"),
    ("tags", "Topics"),
    ("all_tags", "All topics"),
    ("partners", "Partners"),
    ("region", "Region"),
    ("agreements", "Agreements"),
    ("source", "Source"),
    ("photo", "Photo"),
    ("photos", "Photos"),
    ("published", "Published"),
    ("language", "Language"),
    ("choose_language", "Choose a language"),
    ("default_language", "The site's main language"),
    (
        "no_translation",
        "This page is not available in English. Here is the latest news in English.",
    ),
    ("translation_available", "This article is available in another language"),
    ("more_on_partnership", "More on this partnership"),
    ("partnership_map", "Partnership map"),
    ("page", "Page"),
    ("pages", "Pages"),
    ("prev", "← Previous"),
    ("next", "Next →"),
    ("feed", "RSS feed"),
    ("subscribe", "Subscribe"),
    (
        "subscribe_intro",
        "An RSS feed is an address from which a news reader (Feedly, Inoreader, NetNewsWire or Thunderbird, for instance) fetches new articles by itself. Copy a feed's address into your reader: there is no need to open it in the browser.",
    ),
    ("subscribe_site", "All news"),
    ("subscribe_latest", "Latest in the feed"),
    ("subscribe_cities", "Feeds of cities and regions"),
    ("subscribe_tags", "Feeds by topic"),
    ("feed_address", "Feed address"),
    (
        "feed_what",
        "This is an RSS feed, for news readers. To subscribe, copy this page's address from the browser's address bar into your reader.",
    ),
    ("feed_more", "Every feed of the site, and how to subscribe:"),
    ("not_found_title", "Page not found"),
    ("not_found_text", "There is no such page. Start from the home page:"),
    ("no_articles", "No articles yet."),
    ("archive", "Archive"),
    ("search", "Search"),
    ("search_label", "Search the site"),
    ("search_button", "Search"),
    (
        "search_nojs",
        "Search runs in a browser with JavaScript on. Without it, find the news through the lists:",
    ),
    ("search_none", "Nothing found. Try another word or remove a filter."),
    ("search_none_word", "Nothing found. Try another word."),
    ("translation_missing", "no translation"),
    ("search_elsewhere", "Found in another language:"),
    ("search_found", "Found: {n}"),
    ("search_close", "No exact match. Similar words: {n}"),
    ("search_year", "Year"),
    ("search_all", "All"),
    ("search_more", "Show more"),
    (
        "search_hint",
        "Type a word, for example: Shanghai, delegation, Qinghai.",
    ),
    (
        "scheduled",
        "Scheduled: this article appears on the site at the time shown.",
    ),
    ("articles_one", "{n} article"),
    ("articles_other", "{n} articles"),
    ("kind_city", "city"),
    ("kind_region", "region"),
    ("kind_province", "province"),
    ("kind_country", "country"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_the_press_writes_them() {
        // CLDR puts a narrow no-break space before «г.», so it never wraps onto its own line.
        let d = jiff::civil::date(2024, 11, 12);
        assert_eq!(Formats::new("ru").unwrap().long_date(d), "12 ноября 2024\u{202f}г.");
        assert_eq!(Formats::new("kk").unwrap().long_date(d), "2024\u{202f}ж. 12 қараша");
    }

    #[test]
    fn months_are_named_as_headings_name_them() {
        let ru = Formats::new("ru").unwrap();
        let kk = Formats::new("kk").unwrap();
        assert_eq!(ru.month_year(2025, 11), "Ноябрь 2025\u{202f}г.");
        assert_eq!(kk.month_year(2025, 11), "2025\u{202f}ж. қараша");
        assert_eq!(ru.month(11), "Ноябрь", "nominative, not «ноября»");
        assert_eq!(kk.month(3), "Наурыз");
    }

    #[test]
    fn counts_take_the_right_plural_form() {
        let ru = Formats::new("ru").unwrap();
        let ui = default_ui("ru");
        let forms: Vec<_> = [1, 3, 5, 11, 21, 22]
            .iter()
            .map(|&n| ru.count(&ui, "articles", n))
            .collect();
        assert_eq!(
            forms,
            [
                "1 статья",
                "3 статьи",
                "5 статей",
                "11 статей",
                "21 статья",
                "22 статьи"
            ]
        );
        let kk = Formats::new("kk").unwrap();
        assert_eq!(kk.count(&default_ui("kk"), "articles", 5), "5 мақала");
        assert_eq!(kk.count(&default_ui("kk"), "missing_key", 5), "5");
    }

    #[test]
    fn kazakh_letters_sort_in_alphabet_order() {
        let kk = Formats::new("kk").unwrap();
        let mut words = vec!["қала", "өнер", "ауыл", "әуе", "бала"];
        words.sort_by(|a, b| kk.compare(a, b));
        assert_eq!(words, ["ауыл", "әуе", "бала", "қала", "өнер"]);
    }

    #[test]
    fn both_languages_have_the_same_ui_keys() {
        let kk: Vec<_> = default_ui("kk")
            .into_keys()
            .filter(|k| !k.starts_with("articles_"))
            .collect();
        let ru: Vec<_> = default_ui("ru")
            .into_keys()
            .filter(|k| !k.starts_with("articles_"))
            .collect();
        assert_eq!(kk, ru);
    }
}
