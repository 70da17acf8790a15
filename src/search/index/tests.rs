//! Tests of the search index: shards, digests, updates and the cache.
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use rustc_hash::{FxHashMap, FxHashSet};

use super::super::analyze::Analyzer;
use super::super::fold;
use super::*;

thread_local! {
    /// The words of a test's documents (each test runs on a thread of its own).
    static WORDS: &'static RwLock<Words> = Box::leak(Box::default());
}

fn words_() -> &'static RwLock<Words> {
    WORDS.with(|w| *w)
}

fn doc(a: &Analyzer, title: &str, cities: &[&str], text: &str) -> Arc<DocTerms> {
    let input = DocInput {
        title,
        cities: cities.to_vec(),
        text,
    };
    Arc::new(DocTerms::new(a, &input, &mut Seen::default(), words_()))
}

fn index(docs: &[Arc<DocTerms>], names: &[(&str, &str)]) -> Index<'static> {
    let names: Vec<(String, String)> = names.iter().map(|(f, s)| (f.to_string(), s.to_string())).collect();
    Index::new(docs, &names, words_(), None, FxHashMap::default())
}

fn all_shards(docs: &[Arc<DocTerms>], names: &[(&str, &str)]) -> Vec<Shard> {
    let index = index(docs, names);
    (0..index.shard_count() as usize).map(|s| index.shard(s)).collect()
}

fn find<'s>(shards: &'s [Shard], form: &str) -> Option<&'s Vec<String>> {
    shards[fold::shard(form, shards.len() as u32) as usize].f.get(form)
}

#[test]
fn forms_lead_to_stems_and_stems_to_scored_postings() {
    let kk = Analyzer::new("kk", ["Шаңхай", "Алматы"]);
    let docs = [
        doc(
            &kk,
            "Шаңхай делегациясы",
            &["Алматы", "Шаңхай"],
            "Делегация Алматыда болды.",
        ),
        doc(&kk, "Білім форумы", &["Алматы"], "Форумда Шаңхаймен келісім жасалды."),
        doc(&kk, "Туризм", &["Алматы"], "Туристер көп."),
    ];
    let shards = all_shards(&docs, &[("shanhai", "шанхай")]);
    // A folded form, typed without Kazakh letters, leads to its stem.
    assert_eq!(find(&shards, "шанхаймен").unwrap(), &["шанхай"]);
    // The city's Latin key and a name's Latin form lead there too.
    assert!(find(&shards, "shanhai").is_some());
    let t = &shards[fold::shard("шанхай", shards.len() as u32) as usize].t["шанхай"];
    // Documents 0 and 1 (gaps 0 and 1); the title and city make document 0 score higher.
    assert_eq!((t[0], t[2]), (0, 1));
    assert!(t[1] > t[3], "{t:?}");
    // Stop words are not indexed.
    assert!(shards.iter().all(|s| !s.t.contains_key("жане")));
}

#[test]
fn the_same_documents_give_the_same_shards() {
    let ru = Analyzer::new("ru", []);
    let make = || {
        let docs = [
            doc(&ru, "Делегация из Шанхая", &["Шанхай"], "Визит делегации."),
            doc(&ru, "Форум", &["Алматы"], "Форум в Алматы."),
        ];
        serde_json::to_string(&all_shards(&docs, &[])).unwrap()
    };
    assert_eq!(make(), make());
}

/// What an incremental rebuild relies on: a shard whose digest is unchanged is unchanged,
/// and an edit changes the digests of the shards it changes and few others.
#[test]
fn a_shards_digest_changes_when_and_only_when_its_file_does() {
    let ru = Analyzer::new("ru", ["Шанхай"]);
    let words = [
        "делегация",
        "форум",
        "торговля",
        "университет",
        "выставка",
        "туризм",
        "энергетика",
    ];
    let docs: Vec<Arc<DocTerms>> = (0..60)
        .map(|i| {
            let text = format!("{} {} {i}", words[i % 7], words[(i * 3 + 1) % 7]);
            doc(&ru, &format!("Новость {i}"), &["Шанхай"], &text)
        })
        .collect();
    let before = index(&docs, &[]);
    let mut edited = docs.clone();
    edited[17] = doc(&ru, "Новость 17", &["Шанхай"], "форум сотрудничество медицина 17");
    let after = index(&edited, &[]);
    assert_eq!(before.shard_count(), 8);
    let mut changed = 0;
    for s in 0..8 {
        let same_file =
            serde_json::to_string(&before.shard(s)).unwrap() == serde_json::to_string(&after.shard(s)).unwrap();
        let same_digest = before.digest(s) == after.digest(s);
        assert!(!same_digest || same_file, "shard {s}: same digest, different file");
        changed += usize::from(!same_digest);
    }
    assert!((1..8).contains(&changed), "{changed} of 8 shards changed");
}

/// An index updated edit by edit is the index made anew: the same digests, the same files.
#[test]
fn an_updated_index_is_the_index_made_anew() {
    let ru = Analyzer::new("ru", ["Шанхай"]);
    let words = [
        "делегация",
        "форум",
        "торговля",
        "университет",
        "выставка",
        "туризм",
        "энергетика",
        "медицина",
    ];
    let mut docs: Vec<Arc<DocTerms>> = (0..90)
        .map(|i| {
            doc(
                &ru,
                &format!("Новость {i}"),
                &["Шанхай"],
                &format!("{} {} {i}", words[i % 8], words[(i * 3 + 1) % 8]),
            )
        })
        .collect();
    let names = [("shanhai", "шанха")];
    let count = shard_count(docs.len());
    assert_ne!(fold::shard("аким", count), fold::shard("ак", count), "two shards");
    let first = index(&docs, &names);
    let mut live = first.state();
    // Each render's champions, kept for the next, as the cache keeps them.
    let mut kept: FxHashMap<u128, Arc<[Champion]>> = first.champion_lists().collect();
    drop(first);
    let mut reused = 0;
    let mut rng = 7u64;
    for step in 0..40 {
        rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let (d, w) = ((rng >> 33) as usize % docs.len(), (rng >> 20) as usize % 8);
        // Words come and go: a new one, one other documents have, one no other has, and one
        // whose stem begins otherwise ("аким" → "ак": a form listed in two shards).
        let text = format!(
            "{} {} слово{} {} {}",
            words[w],
            words[(w + step) % 8],
            step % 5,
            if step % 3 == 0 { "редкость" } else { "" },
            if step % 4 == 1 { "аким" } else { "" }
        );
        docs[d] = doc(&ru, &format!("Новость {d} {step}"), &["Шанхай"], &text);
        let names: Vec<(String, String)> = names.iter().map(|(f, s)| (f.to_string(), s.to_string())).collect();
        let before = Arc::as_ptr(&live);
        let earlier = kept.clone();
        let updated = Index::new(&docs, &names, words_(), Some(live), std::mem::take(&mut kept));
        assert!(std::ptr::eq(before, Arc::as_ptr(&updated.state)), "updated in place");
        let fresh = Index::new(&docs, &names, words_(), None, FxHashMap::default());
        assert!(fresh.threshold() < u32::MAX);
        for s in 0..fresh.shard_count() as usize {
            assert_eq!(updated.digest(s), fresh.digest(s), "step {step}, shard {s}");
            assert_eq!(updated.shard(s), fresh.shard(s), "step {step}, shard {s}");
            assert_eq!(updated.champions(s), fresh.champions(s), "step {step}, shard {s}");
        }
        // Shards the step left alone keep their champions, not ranked again.
        reused += (0..fresh.shard_count() as usize)
            .filter(|&s| {
                earlier
                    .get(&updated.champions_key(s))
                    .is_some_and(|c| !c.is_empty() && std::ptr::eq(c.as_ptr(), updated.champions(s).as_ptr()))
            })
            .count();
        kept = updated.champion_lists().collect();
        live = updated.state();
        drop(updated);
    }
    assert!(reused > 40, "{reused}");
}

#[test]
fn the_cache_keeps_what_it_is_told_to() {
    let cache = Cache::default();
    let ru = Analyzer::new("ru", []);
    let input = DocInput {
        title: "Форум",
        cities: vec!["Алматы"],
        text: "Текст",
    };
    let k = key(&[b"ru", input.title.as_bytes(), input.text.as_bytes()]);
    let first = cache.get(0, k, || DocTerms::new(&ru, &input, &mut Seen::default(), &cache.words));
    let again = cache.get(0, k, || panic!("made twice"));
    assert!(Arc::ptr_eq(&first, &again));
    assert_ne!(k, key(&[b"kk", input.title.as_bytes(), input.text.as_bytes()]));
    assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
    cache.get(1, k, || DocTerms::new(&ru, &input, &mut Seen::default(), &cache.words));
    cache.retain(0, &FxHashSet::default());
    assert_eq!(cache.len(), 1, "the other language's are kept");
    cache.retain(1, &FxHashSet::default());
    assert!(cache.is_empty());
}

#[test]
fn shards_grow_with_the_site() {
    assert_eq!(shard_count(0), 1);
    assert_eq!(shard_count(16), 1);
    assert_eq!(shard_count(100), 16);
    assert_eq!(shard_count(10_000), 1024);
}

#[test]
fn a_word_in_the_title_ranks_before_one_said_often() {
    let ru = Analyzer::new("ru", ["Алматы"]);
    let docs = [
        doc(
            &ru,
            "Форум",
            &["Шанхай"],
            "Форум в Алматы. Алматы принимает гостей. Алматы и Шанхай.",
        ),
        doc(&ru, "Алматы и Лондон", &["Лондон"], "Встреча прошла в столице."),
    ];
    let shards = all_shards(&docs, &[]);
    let key = ru.keys("Алматы", &mut Default::default()).unwrap().stem.clone();
    let t = &shards[fold::shard(&key, shards.len() as u32) as usize].t[&key];
    // Documents 0 and 1: the title's (1) scores higher than the thrice-said (0).
    assert_eq!((t[0], t[2]), (0, 1));
    assert!(t[3] > t[1], "{t:?}");
}

#[test]
fn a_shard_written_by_hand_is_the_shard_as_serde_json_writes_it() {
    let ru = Analyzer::new("ru", ["Шанхай", "Цинхай"]);
    let texts = [
        (
            "Делегация Шанхая",
            "Делегация из Шанхая прибыла в Алматы. Сотрудничество 2025 года.",
        ),
        (
            "Цинхай",
            "Провинция Цинхай и делегации; ёлка, елки, сотрудничества \"кавычки\".",
        ),
        ("Третья", "Меморандум о сотрудничестве, меморандумы и делегацией."),
    ];
    let mut docs: Vec<_> = texts
        .iter()
        .map(|(t, x)| doc(&ru, t, &["Алматы", "Шанхай"], x))
        .collect();
    // And twenty-two forums, every other one in Shanghai too.
    for i in 0..22 {
        let cities: &[&str] = if i % 2 == 0 {
            &["Алматы", "Шанхай"]
        } else {
            &["Алматы"]
        };
        docs.push(doc(
            &ru,
            "Форум",
            cities,
            &format!("Форум {}.", "форума ".repeat(i % 3)),
        ));
    }
    let index = index(&docs, &[("shanghai", "шанха")]);
    // Each champion's result as its document's number.
    let numbers: Vec<String> = (0..docs.len()).map(|d| d.to_string()).collect();
    let mut champions = 0;
    for s in 0..index.shard_count() as usize {
        champions += index.champions(s).len();
        let results: Vec<&str> = index
            .champions(s)
            .iter()
            .map(|c| numbers[c.doc as usize].as_str())
            .collect();
        assert_eq!(
            index.shard_json(s, &results),
            serde_json::to_string(&index.shard(s)).unwrap(),
            "shard {s}"
        );
    }
    // Twenty-five documents, one champion each at most: Almaty's (all twenty-five) and the
    // forum's (twenty-two) fit, ten each; Shanghai's (fourteen) would make thirty.
    assert_eq!(index.threshold(), 22);
    assert_eq!(champions, 20);
}

#[test]
fn a_common_stems_first_results_are_its_best_ranked_and_know_where_its_text_has_it() {
    let ru = Analyzer::new("ru", ["Алматы"]);
    // Thirty documents with "делегация" said once to three times, after more or fewer words;
    // the last has it in its title only.
    let texts: Vec<String> = (0..30)
        .map(|i| {
            if i == 29 {
                return "Форум".to_string();
            }
            let rare = if i == 28 { " меморандум" } else { "" };
            format!(
                "Форум {}делегация{}{rare}",
                "визит ".repeat(i % 4),
                " делегации".repeat(i % 3)
            )
        })
        .collect();
    let docs: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, x)| {
            doc(
                &ru,
                if i == 29 {
                    "Делегация"
                } else {
                    "Новость"
                },
                &["Алматы"],
                x,
            )
        })
        .collect();
    let index = index(&docs, &[]);
    // Budget: thirty champions. "форум", "алматы" and "делегац" (thirty documents each) take
    // ten each; "новост" (twenty-nine) would take ten more.
    assert_eq!(index.threshold(), 30);
    let s = fold::shard("делегац", index.shard_count()) as usize;
    let mine: Vec<Champion> = index
        .champions(s)
        .iter()
        .copied()
        .filter(|c| index.stem_text(c.stem) == "делегац")
        .collect();
    assert_eq!(mine.len(), TOP);
    // In the order of the shard's scores, the newer first of equal ones.
    let postings = &index.shard(s).t["делегац"];
    let mut ranked: Vec<(u32, u32)> = Vec::new();
    let mut d = 0;
    for pair in postings.chunks(2) {
        d += pair[0];
        ranked.push((pair[1], d));
    }
    ranked.sort_by(|a, b| b.cmp(a));
    let expected: Vec<u32> = ranked.iter().take(TOP).map(|r| r.1).collect();
    assert_eq!(mine.iter().map(|c| c.doc).collect::<Vec<_>>(), expected);
    // The title's word ranks its document first; its text has none.
    assert_eq!(mine[0].doc, 29);
    assert_eq!(mine[0].first, None);
    for c in &mine[1..] {
        assert_eq!(c.first, texts[c.doc as usize].find("делегация"), "{c:?}");
    }
    // A stem of fewer documents has none.
    let rare = fold::shard("меморандум", index.shard_count()) as usize;
    assert!(index.shard(rare).t.contains_key("меморандум"));
    assert!(index
        .champions(rare)
        .iter()
        .all(|c| index.stem_text(c.stem) != "меморандум"));
}

/// Words of the champions' tests' documents.
const VOCABULARY: [&str; 12] = [
    "делегация",
    "форум",
    "визит",
    "проект",
    "туризм",
    "культура",
    "торговля",
    "энергетика",
    "медицина",
    "образование",
    "соглашение",
    "встреча",
];

#[test]
fn champions_are_the_first_results_of_every_common_stem_on_random_documents() {
    let ru = Analyzer::new("ru", ["Алматы"]);
    let vocabulary = VOCABULARY;
    let mut rng = fastrand::Rng::with_seed(14);
    // Two hundred documents of one to sixty words: scores of many sizes, many of them equal.
    let docs: Vec<_> = (0..200)
        .map(|_| {
            let words: Vec<&str> = (0..rng.usize(1..60))
                .map(|_| vocabulary[rng.usize(..vocabulary.len())])
                .collect();
            doc(
                &ru,
                vocabulary[rng.usize(..vocabulary.len())],
                &["Алматы"],
                &words.join(" "),
            )
        })
        .collect();
    let index = index(&docs, &[]);
    assert!(index.threshold() < u32::MAX);
    let mut champions = 0;
    for s in 0..index.shard_count() as usize {
        let results: Vec<String> = index.champions(s).iter().map(|c| c.doc.to_string()).collect();
        champions += results.len();
        // The oracle ranks every posting of each stem by sorting them all.
        assert_eq!(
            index.shard_json(s, &results),
            serde_json::to_string(&index.shard(s)).unwrap(),
            "shard {s}"
        );
    }
    assert!(champions >= 100, "{champions}");
}

#[test]
fn a_render_ranks_again_only_the_shards_an_edit_changed() {
    let ru = Analyzer::new("ru", ["Алматы"]);
    let vocabulary = &VOCABULARY[..8];
    let text = |i: usize| {
        format!(
            "{} {} {}",
            vocabulary[i % 8],
            vocabulary[(i / 8) % 8],
            vocabulary[(i * 5 + 3) % 8]
        )
    };
    let mut docs: Vec<Arc<DocTerms>> = (0..400).map(|i| doc(&ru, "Новость", &["Алматы"], &text(i))).collect();
    let before = index(&docs, &[]);
    assert_eq!(before.shard_count(), 64);
    let kept: FxHashMap<u128, Arc<[Champion]>> = before.champion_lists().collect();
    // One document says one word more: the shards of its words change, no other.
    docs[7] = doc(&ru, "Новость", &["Алматы"], &format!("{} меморандум", text(7)));
    let after = Index::new(&docs, &[], words_(), None, kept.clone());
    let fresh = index(&docs, &[]);
    let mut ranked = 0;
    for s in 0..64 {
        assert_eq!(after.champions(s), fresh.champions(s), "shard {s}");
        let same = kept
            .get(&after.champions_key(s))
            .is_some_and(|c| std::ptr::eq(c.as_ptr(), after.champions(s).as_ptr()));
        if !same {
            ranked += 1;
            assert_ne!(before.digest(s), after.digest(s), "shard {s} ranked again, unchanged");
        }
    }
    assert!((1..=8).contains(&ranked), "{ranked}");
    assert!((0..64).any(|s| !after.champions(s).is_empty()));
}

#[test]
fn a_form_beginning_otherwise_than_its_stem_is_in_its_stems_shard_too_and_places_it() {
    let ru = Analyzer::new("ru", ["Шанхай"]);
    let text = "Встреча прошла в городе. Аким города выступил.";
    // Enough documents for the shards to be many.
    let mut docs = vec![
        doc(&ru, "Новость", &["Шанхай"], text),
        doc(&ru, "Акимат", &["Шанхай"], "Акимом города сказано."),
    ];
    docs.extend((0..300).map(|i| doc(&ru, &format!("Форум {i}"), &["Шанхай"], "Форум прошёл.")));
    let index = index(&docs, &[("shanhai", "шанха")]);
    let shards: Vec<Shard> = (0..index.shard_count() as usize).map(|s| index.shard(s)).collect();
    let count = shards.len() as u32;
    // "аким" stands for "ак" (Snowball reads "-им" as an ending), whose shard is another.
    let stems = find(&shards, "аким").expect("the form, in its own shard");
    assert_eq!(stems, &["ак"]);
    assert_ne!(fold::shard("аким", count), fold::shard("ак", count));
    // Every form is in its stems' shards: the browser, with a stem's shard, marks all of them.
    let mut otherwise = 0;
    for shard in &shards {
        for (form, stems) in &shard.f {
            for stem in stems {
                let theirs = &shards[fold::shard(stem, count) as usize];
                assert!(theirs.f.get(form).is_some_and(|s| s.contains(stem)), "{form} → {stem}");
                otherwise += usize::from(fold::shard(form, count) != fold::shard(stem, count));
            }
        }
    }
    // аким, the city's Latin name from the documents and from the names.
    assert!(otherwise >= 2, "{otherwise}");
    // Where the text has the stem first: at its form beginning otherwise.
    let w = words_().read().unwrap();
    let ak = w.stems["ак"];
    drop(w);
    assert_eq!(docs[0].first(ak), text.find("Аким"));
}

#[test]
fn latin_forms_of_common_stems_name_their_stems_shards_by_their_first_letters() {
    let ru = Analyzer::new("ru", ["Шанхай"]);
    // 300 documents on Shanghai (a common stem), three naming a rarer person.
    let docs: Vec<Arc<DocTerms>> = (0..300)
        .map(|i| {
            let name = if i % 100 == 0 {
                " Дархан Сатыбалды выступил."
            } else {
                ""
            };
            doc(&ru, &format!("Форум {i}"), &["Шанхай"], &format!("Форум прошёл.{name}"))
        })
        .collect();
    let index = index(&docs, &[("shanghai", "шанха")]);
    let count = index.shard_count();
    assert!(
        index.threshold() <= 300 && index.threshold() > 3,
        "{}",
        index.threshold()
    );
    let table: BTreeMap<String, Vec<u32>> = index.latin_shards().into_iter().collect();
    // Шанхай's Latin forms (the city's key, and the name as written) lead to its stem's shard.
    let of_stem = fold::shard("шанха", count);
    assert_ne!(fold::shard("shanhai", count), of_stem);
    assert_eq!(table.get("sha"), Some(&vec![of_stem]), "{table:?}");
    // A stem with no champions (three documents) is not listed: the table stays small.
    assert!(!table.contains_key("dar"), "{table:?}");
    // Each list sorted, without repeats; every entry a Latin head.
    for (head, shards) in &table {
        assert!(head.chars().count() <= 3 && fold::is_latin(head), "{head}");
        assert!(shards.windows(2).all(|w| w[0] < w[1]), "{shards:?}");
    }
}

#[test]
fn digests_asked_for_only_after_an_update_are_a_new_indexs() {
    let ru = Analyzer::new("ru", []);
    let mut docs: Vec<Arc<DocTerms>> = (0..40)
        .map(|i| doc(&ru, &format!("Форум {i}"), &["Шанхай"], &format!("выставка туризм {i}")))
        .collect();
    let names = [("shanhai", "шанха")];
    let first = index(&docs, &names);
    // No digest asked for: the index has made none, and an update has none to keep up to date.
    assert!(first.state.sums.get().is_none());
    let live = first.state();
    drop(first);
    docs[7] = doc(&ru, "Форум 7", &["Шанхай"], "энергетика аким");
    let names: Vec<(String, String)> = names.iter().map(|(f, s)| (f.to_string(), s.to_string())).collect();
    let before = Arc::as_ptr(&live);
    let updated = Index::new(&docs, &names, words_(), Some(live), FxHashMap::default());
    assert!(std::ptr::eq(before, Arc::as_ptr(&updated.state)), "updated in place");
    let fresh = Index::new(&docs, &names, words_(), None, FxHashMap::default());
    for s in 0..fresh.shard_count() as usize {
        assert_eq!(updated.digest(s), fresh.digest(s), "shard {s}");
    }
}

#[test]
fn a_cache_before_its_last_render_keeps_no_champions_and_makes_no_keys() {
    let mut cache = Cache::default();
    cache.keep_champions(0, std::iter::once((1u128, Arc::from([]))));
    assert_eq!(cache.take_champions(0).len(), 1);
    cache.before_last_render();
    cache.keep_champions(
        0,
        std::iter::once_with(|| -> (u128, Arc<[Champion]>) { panic!("a key made") }),
    );
    assert!(cache.take_champions(0).is_empty());
}

#[test]
fn a_head_with_too_many_postings_goes_by_four_letters_and_an_update_across_the_bound_is_a_new_index() {
    let ru = Analyzer::new("ru", []);
    let texts = ["проект", "программа", "провинция", "прогресс"];
    // 300 documents with two words beginning «про»: 600 postings, under the tests' bound of 1,000.
    let mut docs: Vec<Arc<DocTerms>> = (0..300)
        .map(|i| {
            doc(
                &ru,
                &format!("Запись {i}"),
                &["Алматы"],
                &format!("{} {}", texts[i % 4], texts[(i + 1) % 4]),
            )
        })
        .collect();
    let first = index(&docs, &[]);
    assert!(first.split().is_empty());
    let count = first.shard_count();
    let live = first.state();
    drop(first);
    // Two more words each: 1,200 postings, over the bound.
    for (i, d) in docs.iter_mut().enumerate() {
        *d = doc(
            &ru,
            &format!("Запись {i}"),
            &["Алматы"],
            &format!("{} {} {} {}", texts[0], texts[1], texts[2], texts[3]),
        );
    }
    let updated = Index::new(&docs, &[], words_(), Some(live), FxHashMap::default());
    let fresh = index(&docs, &[]);
    assert_eq!(fresh.split(), [fold::head("про")]);
    assert_eq!(updated.split(), fresh.split());
    for s in 0..count as usize {
        assert_eq!(updated.shard(s), fresh.shard(s), "shard {s}");
        assert_eq!(updated.digest(s), fresh.digest(s), "shard {s}");
    }
    // Each «про» word in the shard of its first four letters (its own, these keys being heavy),
    // as the script looks it up.
    let shard_of = |index: &Index, key: u32| {
        index
            .dir()
            .iter()
            .find(|e| e.0 == key)
            .map_or((key % count) as usize, |e| e.1 as usize)
    };
    for (word, stem) in [
        ("проект", "проект"),
        ("программа", "программ"),
        ("провинция", "провинц"),
    ] {
        let by_four = shard_of(&fresh, fold::head_of(word, 4));
        let shard = fresh.shard(by_four);
        // A form spelled as its stem is found among the stems.
        assert!(
            word == stem || shard.f.get(word).is_some_and(|s| s[0] == stem),
            "{word}"
        );
        assert!(shard.t.contains_key(stem), "{stem}");
        assert_ne!(
            by_four,
            (fold::head(word) % count) as usize,
            "{word}: not where three letters put it"
        );
    }
    // Other heads stay by three.
    let by_three = (fold::head("запись") % count) as usize;
    assert!(fresh.shard(by_three).f.contains_key("запись"));
}

#[test]
fn a_split_head_still_too_large_is_split_again_and_heavy_keys_get_shards_of_their_own() {
    let ru = Analyzer::new("ru", []);
    // 400 documents with four words beginning «пред»: 1,600 postings under «пре» and «пред»,
    // 800 under «предс» (представление, представитель), 400 under «предл» and «предп».
    let docs: Vec<Arc<DocTerms>> = (0..400)
        .map(|i| {
            doc(
                &ru,
                &format!("Запись {i}"),
                &["Алматы"],
                "представление представитель предложение предприятие",
            )
        })
        .collect();
    let index = index(&docs, &[]);
    let mut expected = vec![fold::head("пре"), fold::head_of("пред", 4)];
    expected.sort_unstable();
    assert_eq!(index.split(), expected);
    // Heavy keys (over the tests' 125 postings): the three of five letters, and «запис», «алмат»…
    let dir = index.dir();
    let mut own: Vec<u32> = dir.iter().map(|e| e.1).collect();
    own.sort_unstable();
    own.dedup();
    assert_eq!(own.len(), dir.len(), "each heavy key a shard of its own: {dir:?}");
    for word in ["представление", "предложение", "предприятие"] {
        let key = fold::head_of(word, 5);
        let shard = dir.iter().find(|e| e.0 == key).map(|e| e.1).expect("heavy");
        let shard = index.shard(shard as usize);
        let stem = shard.f.get(word).map_or(word.to_string(), |s| s[0].clone());
        assert!(shard.t.contains_key(&stem), "{word}");
    }
}
