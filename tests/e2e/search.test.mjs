// Search as readers use it, in headless chromium, over the portal built twice: at the root, and
// under a subpath with an extra article whose title is hostile markup; and once more with sixty
// generated articles (made up for the test, not news), for a word common enough that its shard
// carries its first results. Both languages: inflected forms, Kazakh typed on a Russian
// keyboard, Latin names, prefixes while typing, filters by year and city, keyboard use, axe, the
// page without JavaScript, and what a first query downloads.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT, artifact, build, copySite, launch, serve, staticServer } from "./lib.mjs";

const require = createRequire(import.meta.url);
let dir, server, root, sub, many, browser;

const HOSTILE = `<img src=x onerror="window.pwned=1">Шанхай <b>жаңалығы</b>`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "twinpress-search-"));
  server = await staticServer(join(dir, "www"));
  const port = server.address().port;
  root = `http://127.0.0.1:${port}/`;
  sub = `http://127.0.0.1:${port}/sub/portal/`;
  build(PROJECT, join(dir, "www"), root);
  // The portal with one more article, built for a subpath.
  const site = join(dir, "site");
  for (const part of ["site.toml", "content", "templates", "static"]) cpSync(join(PROJECT, part), join(site, part), { recursive: true });
  // HTML in a body is an error unless the site allows it: this one does, to show that even then
  // the search shows it as text.
  appendFileSync(join(site, "site.toml"), "\n[markdown]\nraw_html = true\n");
  writeFileSync(
    join(site, "content", "news", "2025", "2025-09-01-hostile.kk.md"),
    `+++\ntitle = '${HOSTILE}'\ndate = 2025-09-01\nregion = "almaty"\npartners = ["shanghai"]\n+++\n\nШаңхай туралы <script>window.pwned=2</script> мәтін.\n`,
  );
  build(site, join(dir, "www", "sub", "portal"), sub);
  // The portal with sixty generated Russian articles (enough for six stems to have their first
  // results ready: at most one per article in all), each saying "делегация" once to three
  // times after a different run of other words, each of which a third of them have, and "аким"
  // at its end (which Snowball stems to "ак": a form that begins otherwise than its stem).
  many = `http://127.0.0.1:${port}/many/`;
  const more = join(dir, "many");
  for (const part of ["site.toml", "content", "templates", "static"]) cpSync(join(PROJECT, part), join(more, part), { recursive: true });
  const words = ["встреча", "форум", "соглашение", "визит", "проект", "инвестиции", "туризм", "культура", "образование", "торговля", "энергетика", "медицина"];
  for (let i = 0; i < 60; i++) {
    const run = [0, 1, 2, 3].map((k) => words[(i + k) % words.length]).join(", ") + ". ";
    const text = run.repeat(4 + (i % 4)) + "Делегация. ".repeat(1 + (i % 3)) + run.repeat(3) + "Аким города.";
    const day = String(1 + (i % 28)).padStart(2, "0");
    const month = String(1 + Math.floor(i / 28)).padStart(2, "0");
    writeFileSync(
      join(more, "content", "news", "2025", `2025-${month}-${day}-generated-${i}.ru.md`),
      `+++\ntitle = "Запись ${i}"\ndate = 2025-${month}-${day}\nregion = "almaty"\npartners = ["shanghai"]\n+++\n\n${text}\n`,
    );
  }
  build(more, join(dir, "www", "many"), many);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens the search page for `q` and gives the results' links, titles and marked words. */
async function search(base, lang, q, extra = "") {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${base}${lang}/search/?q=${encodeURIComponent(q)}${extra}`, { waitUntil: "networkidle" });
  await page.waitForFunction(() => document.getElementById("search-status").textContent !== "");
  const results = await page.$$eval("#search-results li:not(.search-more)", (lis) =>
    lis.map((li) => ({
      href: li.querySelector("a").getAttribute("href"),
      title: li.querySelector("a").textContent,
      marks: [...li.querySelectorAll("mark")].map((m) => m.textContent),
    })),
  );
  const status = await page.textContent("#search-status");
  await page.close();
  assert.deepEqual(errors, [], "script errors");
  return { results, status, hrefs: results.map((r) => r.href) };
}

const QINGHAI = "2025-08-29-qinghai-delegation";
const UK = "2025-08-15-almaty-united-kingdom-partnership";
const YAKUTSK = "2024-03-26-yakutsk-heihe-delegation";
const SICHUAN = "2024-11-12-sichuan-sister-cities-conference";
const SHANGHAI = "2026-02-19-shanghai-almaty-roadmap";

const first = (r, stem) => assert.ok(r.hrefs[0]?.endsWith(`/news/${stem}/`), `first result should be ${stem}: ${JSON.stringify(r.hrefs)}`);
const finds = (r, stem) => assert.ok(r.hrefs.some((h) => h.endsWith(`/news/${stem}/`)), `should find ${stem}: ${JSON.stringify(r.hrefs)}`);

test("kk: inflected forms find their word, and the snippet marks them", async () => {
  const r = await search(root, "kk", "Цинхайдағы делегацияның");
  first(r, QINGHAI);
  assert.ok(r.results[0].marks.length > 0, "marked words");
  finds(await search(root, "kk", "университеттерінде"), UK);
  finds(await search(root, "kk", "Ұлыбританиямен"), UK);
});

test("kk: a Kazakh word typed on a Russian keyboard finds it", async () => {
  const r = await search(root, "kk", "Шанхай");
  finds(r, SHANGHAI);
  assert.ok(r.results.some((x) => x.marks.some((m) => m.includes("Шаңхай"))), `marks Шаңхай: ${JSON.stringify(r.results)}`);
  // дөңгелек үстелінде (at the round table), өңірдің (of the region), Қалдыбеков
  finds(await search(root, "kk", "донгелек устел"), SICHUAN);
  finds(await search(root, "kk", "онирдин"), SICHUAN);
  finds(await search(root, "kk", "Калдыбеков"), SICHUAN);
  finds(await search(root, "kk", "ынтымактастыгы"), SICHUAN);
});

test("a page that is not news is found like an article, without a date", async () => {
  for (const [lang, q] of [["ru", "альянс университетов"], ["kk", "университеттер альянсы"]]) {
    const r = await search(root, lang, q);
    assert.ok(r.hrefs.includes(`/${lang}/about/`), `${lang}: the About page: ${JSON.stringify(r.hrefs)}`);
  }
  const page = await browser.newPage();
  await page.goto(`${root}ru/search/?q=${encodeURIComponent("меморандумов")}`, { waitUntil: "networkidle" });
  await page.waitForFunction(() => document.getElementById("search-status").textContent !== "");
  const about = page.locator('#search-results li:has(a[href="/ru/about/"])');
  assert.equal(await about.count(), 1, "the page is among the results");
  assert.equal(await about.locator("p.meta").count(), 0, "no date line");
  const years = await page.$$eval("#search-filters a, #search-filters span", (els) => els.map((e) => e.textContent));
  assert.ok(!years.some((y) => y.startsWith("0 ")), `no year 0 among the filters: ${JSON.stringify(years)}`);
  await page.close();
});

test("Latin names find Cyrillic text in both languages", async () => {
  first(await search(root, "kk", "Qinghai"), QINGHAI);
  first(await search(root, "ru", "Qinghai"), QINGHAI);
  finds(await search(root, "ru", "Yakutsk"), YAKUTSK);
  finds(await search(root, "kk", "Heihe"), YAKUTSK);
  finds(await search(root, "ru", "Almaty"), UK);
  finds(await search(root, "kk", "United Kingdom"), UK);
});

test("a name typed in Latin letters asks for its stem's shard beside its own", async () => {
  // "Shanghai" is listed (as "shanhai") in the shard of "sha", its stem "шанха" in another; the
  // page asks for both at once, as meta.json's table says: the Latin form's shard is held back
  // until the stem's has been asked for (or three seconds).
  const shardOf = (term, shards) => {
    let h = 0x811c9dc5;
    const head = Array.from(term).slice(0, 3).join("");
    for (let i = 0; i < head.length; i++) h = Math.imul(h ^ head.charCodeAt(i), 0x01000193) >>> 0;
    return h % shards;
  };
  const page = await browser.newPage();
  await page.goto(`${many}ru/search/`, { waitUntil: "networkidle" });
  const meta = await page.evaluate(() => fetch("meta.json").then((r) => r.json()));
  const latin = shardOf("shanhai", meta.shards);
  const stem = shardOf("шанха", meta.shards);
  assert.notEqual(latin, stem);
  assert.deepEqual(meta.latin_shards.sha, [stem]);
  let asked;
  const stemAsked = new Promise((ok) => (asked = ok));
  let before;
  await page.route("**/search/s/*.json", async (route) => {
    const url = route.request().url();
    if (url.endsWith(`/s/${stem}.json`)) asked();
    if (url.endsWith(`/s/${latin}.json`)) {
      before = await Promise.race([stemAsked.then(() => true), new Promise((ok) => setTimeout(() => ok(false), 3000))]);
    }
    await route.continue();
  });
  await page.fill("#search-q", "Shanghai");
  await page.press("#search-q", "Enter");
  await page.waitForFunction(() => document.getElementById("search-status").textContent !== "");
  assert.equal(before, true, "the stem's shard asked for before the Latin form's came");
  const marks = await page.$$eval("#search-results mark", (ms) => ms.map((m) => m.textContent));
  assert.ok(marks.some((m) => /Шанха/.test(m)), JSON.stringify(marks));
  await page.close();
});

test("ru: Snowball stems and ё = е", async () => {
  first(await search(root, "ru", "делегацией Цинхая"), QINGHAI);
  finds(await search(root, "ru", "Великобританией"), UK);
  const none = await search(root, "ru", "жбрдщ");
  assert.equal(none.results.length, 0);
  assert.match(none.status, /Ничего не найдено/);
  // A word that names a property of every script object is no word of the site either.
  const constructor = await search(root, "ru", "constructor");
  assert.equal(constructor.results.length, 0);
  assert.match(constructor.status, /Ничего не найдено/);
});

test("prefixes find words while typing, and Enter gives the same page", async () => {
  const page = await browser.newPage();
  await page.goto(`${root}ru/search/`);
  await page.locator("#search-q").pressSequentially("делега", { delay: 20 });
  await page.waitForFunction(() => document.querySelectorAll("#search-results li").length > 0);
  assert.match(page.url(), /\?q=%D0%B4%D0%B5%D0%BB%D0%B5%D0%B3%D0%B0$/);
  const n = await page.locator("#search-results li").count();
  assert.ok(n >= 2, `results for a prefix: ${n}`);
  // Keyboard only: Tab from the field reaches the filters, then the results.
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement.closest("#search-filters, #search-results") !== null);
  assert.ok(focused, "Tab leads from the field to the filters and results");
  await page.close();
});

test("filters by year and city narrow the results", async () => {
  const all = await search(root, "ru", "делегация");
  assert.ok(all.results.length >= 2, JSON.stringify(all.hrefs));
  const y = await search(root, "ru", "делегация", "&year=2024");
  assert.ok(y.results.length >= 1 && y.results.length < all.results.length, JSON.stringify(y.hrefs));
  finds(y, YAKUTSK);
  const c = await search(root, "ru", "делегация", "&city=qinghai");
  assert.deepEqual(c.hrefs.map((h) => h.split("/news/")[1]), [`${QINGHAI}/`]);
  // The filters are links a reader clicks.
  const page = await browser.newPage();
  await page.goto(`${root}ru/search/?q=делегация`);
  await page.getByRole("link", { name: /^2024 \(/ }).click();
  await page.waitForFunction(() => location.search.includes("year=2024"));
  await page.waitForFunction(() => document.querySelectorAll("#search-results li").length === 1 || document.querySelector("#search-filters [aria-current]")?.textContent.startsWith("2024"));
  assert.ok(page.url().includes("year=2024"));
  await page.close();
});

test("under a subpath, with a hostile title shown as text", async () => {
  const r = await search(sub, "kk", "жаңалығы");
  assert.ok(r.hrefs.length > 0 && r.hrefs.every((h) => h.startsWith("/sub/portal/kk/")), JSON.stringify(r.hrefs));
  assert.ok(r.results[0].title.includes("<img src=x"), `the title as text: ${r.results[0].title}`);
  const page = await browser.newPage();
  await page.goto(`${sub}kk/search/?q=жаңалығы`, { waitUntil: "networkidle" });
  await page.waitForSelector("#search-results li");
  assert.equal(await page.evaluate(() => window.pwned), undefined, "no markup from a title or a body ran");
  assert.equal(await page.locator("#search-results img, #search-results script, #search-results b").count(), 0);
  await page.close();
});

test("a common word's first results come with its shard, shown as its articles' files show them", async () => {
  // The results page for a word, with its shards as built, or with their ready results taken
  // out (each result then from its article's file): the results' markup, and the article files
  // fetched. "делегация" is in the generated articles' texts; "записи" only in their titles,
  // so that its ready snippets say where in the text no match is (none is): from its start;
  // "акимом" is read as "аким", whose stem "ак" begins otherwise: the snippet is cut there.
  const run = async (word, withReady) => {
    const page = await browser.newPage();
    const files = [];
    page.on("request", (r) => r.url().includes("/search/doc/") && files.push(r.url()));
    if (!withReady) {
      await page.route("**/search/s/*.json", async (route) => {
        const response = await route.fetch();
        const shard = await response.json();
        assert.ok(shard.w, "a shard has ready results");
        delete shard.w;
        await route.fulfill({ response, json: shard });
      });
    }
    await page.goto(`${many}ru/search/?q=${encodeURIComponent(word)}`, { waitUntil: "networkidle" });
    await page.waitForFunction(() => document.getElementById("search-status").textContent !== "");
    const items = await page.$$eval("#search-results li:not(.search-more)", (lis) => lis.map((li) => li.innerHTML));
    await page.close();
    return { items, files };
  };
  for (const word of ["делегация", "записи", "акимом"]) {
    const ready = await run(word, true);
    const fetched = await run(word, false);
    assert.equal(ready.items.length, 10, word);
    assert.deepEqual(ready.files, [], `no article file fetched for the first page of ${word}`);
    assert.ok(fetched.files.length > 0, word);
    assert.deepEqual(ready.items, fetched.items, word);
    if (word === "делегация") {
      assert.ok(ready.items.every((html) => /<p>[^]*<mark>Делегаци/i.test(html)), ready.items.join("\n"));
      assert.ok(ready.items.some((html) => html.includes("<p>… ")), "a snippet cut around a match far in");
    } else if (word === "записи") {
      assert.ok(ready.items.every((html) => /^<a [^>]*><mark>Запись<\/mark> \d+<\/a>/.test(html)), ready.items.join("\n"));
      assert.ok(ready.items.every((html) => !/<p>… /.test(html)), "a snippet from the text's start");
    } else {
      assert.ok(ready.items.every((html) => /<p>[^]*<mark>Аким<\/mark>/.test(html)), ready.items.join("\n"));
      assert.ok(ready.items.some((html) => /<p>… [^]*<mark>Аким<\/mark> города\.<\/p>/.test(html)), "cut around the form far in");
    }
  }
});

test("any typed text, with or without a searchable word, draws its answer with no script error", async () => {
  // A seeded generator: the same strings on every run, reported on failure.
  let seed = 20261207;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const pick = (s) => [...s][rand([...s].length)];
  const kinds = [
    () => pick("((((%%%!?.,;:-—«»\"'`~^&*+=|\\/"),
    () => pick("abcdefghijklmnopqrstuvwxyzABCXYZ"),
    () => pick("абвгдеёжзийклмнопрстуфхцчшщъыьэюяЁЙ"),
    () => pick("әғқңөұүһіӘҒҚҢӨҰҮҺІ"),
    () => pick("漢字上海ÄÖüß🎉🇰🇿"),
    () => "<b>" + pick("abc") + "</b>",
    () => " ",
  ];
  const strings = ["((((", "%", "ё", "Ё", "й", "ә", "a", "<script>x</script>", "ё".repeat(3000), "Шанхай".repeat(500)];
  for (let i = 0; i < 30; i++) {
    const n = 1 + rand(i % 5 === 0 ? 40 : 6);
    let t = "";
    for (let j = 0; j < n; j++) t += kinds[rand(kinds.length)]();
    strings.push(t);
  }
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${root}ru/search/`, { waitUntil: "networkidle" });
  for (const q of strings) {
    if (!q.trim()) continue;
    // Typed into the page's field (a 3,000-letter word is longer than an address may be)...
    await page.fill("#search-q", q);
    await page.waitForFunction(() => document.getElementById("search-status").textContent !== "");
    // ... and sent with Enter; the filters and the later pages are drawn after the status.
    await page.press("#search-q", "Enter");
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(30);
    assert.deepEqual(errors, [], `script errors for ${JSON.stringify(q.slice(0, 80))}`);
  }
  await page.close();
});

test("the header's field leads to the search page", async () => {
  const page = await browser.newPage();
  await page.goto(`${root}kk/`);
  await page.fill("#site-search-q", "Алматы");
  await page.press("#site-search-q", "Enter");
  await page.waitForURL(/\/kk\/search\/\?q=/);
  await page.waitForSelector("#search-results li");
  await page.close();
});

test("without JavaScript the page says where to look instead", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${root}ru/search/?q=Шанхай`);
  assert.ok(await page.isVisible("#search-nojs"));
  assert.ok(await page.isHidden("#search"));
  for (const href of ["/ru/cities/", "/ru/tags/", "/ru/archive/"]) {
    assert.equal(await page.locator(`#search-nojs a[href="${href}"]`).count(), 1, href);
  }
  await context.close();
});

test("axe finds nothing serious on a search with results, phone and desk", async () => {
  for (const [size, viewport] of Object.entries({ phone: { width: 390, height: 844 }, desk: { width: 1366, height: 900 } })) {
    for (const lang of ["kk", "ru"]) {
      const page = await browser.newPage({ viewport });
      await page.goto(`${root}${lang}/search/?q=Алматы`, { waitUntil: "networkidle" });
      await page.waitForSelector("#search-results li");
      await page.screenshot({ path: artifact(`search-${lang}-${size}.png`), fullPage: true });
      await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
      const v = await page.evaluate(async () => (await window.axe.run()).violations.filter((x) => ["serious", "critical"].includes(x.impact)).map((x) => x.id));
      assert.deepEqual(v, [], `${lang} ${size}`);
      const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(scroll <= client, `${lang} ${size} scrolls sideways`);
      await page.close();
    }
  }
});

test("under serve, an edit is found after the incremental rebuild", async () => {
  const site = copySite("portal");
  const server = await serve(site.root);
  try {
    const before = await search(server.url, "kk", "Зайсанбек");
    assert.equal(before.results.length, 0);
    appendFileSync(join(site.root, "content", "news", "2025", "2025-08-29-qinghai-delegation.kk.md"), "\nЗайсанбектің сапары туралы.\n");
    // Typed without Kazakh letters, in another form than the text has.
    let found = [];
    for (let i = 0; i < 40 && found.length === 0; i++) {
      await new Promise((ok) => setTimeout(ok, 250));
      found = (await search(server.url, "kk", "Зайсанбекпен")).hrefs;
    }
    assert.deepEqual(found, [`/kk/news/${QINGHAI}/`]);
  } finally {
    await server.stop();
    site.remove();
  }
});
