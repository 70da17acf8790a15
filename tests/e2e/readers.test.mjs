// What got in readers' way (issue 40), in headless chromium on the portal built with two articles
// to a page: each page of a list its own title; no photo credit under an article without
// photos; one search box on the search page and none in print; the 404 page's language switch
// leads to each language; the menu marks the section a page is in; search says "remove a
// filter" only when one is set, draws no empty filter rows, keeps the query across the language
// switch, counts each filter row within the other's choice, and tolerates one typo below exact
// matches; English names are marked English; home, city and tag pages share a picture; the
// menu's feed item is a page on subscribing and a feed opened in the browser is styled.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { artifact, build, copySite, launch, staticServer } from "./lib.mjs";

const require = createRequire(import.meta.url);
let site, server, browser, page, origin;

before(async () => {
  site = copySite("portal");
  const toml = join(site.root, "site.toml");
  writeFileSync(toml, readFileSync(toml, "utf8").replace(/^paginate_by = \d+/m, "paginate_by = 2"));
  assert.match(readFileSync(toml, "utf8"), /^paginate_by = 2$/m);
  // An article without its Kazakh translation.
  rmSync(join(site.root, "content", "news", "2026", "2026-02-19-shanghai-almaty-roadmap.kk.md"));
  // Two articles made up for the test (not news): words one typo apart, for the order of results.
  const made = (name, title, body) =>
    writeFileSync(
      join(site.root, "content", "news", "2025", `2025-03-0${name}.ru.md`),
      `+++\ntitle = "Запись для теста: ${title}"\ndate = 2025-03-0${name.slice(0, 1)}\nregion = "almaty"\npartners = ["shanghai"]\n+++\n\n${body}\n`,
    );
  made("1-test-park", "парк", "Встреча прошла у городского парка. " + "Обсуждали планы на лето и на осень. ".repeat(30));
  made("2-test-desk", "парта", "Парта, парта, парта, парта.");
  const out = mkdtempSync(join(tmpdir(), "twinpress-readers-"));
  server = await staticServer(out);
  origin = `http://127.0.0.1:${server.address().port}`;
  build(site.root, out, `${origin}/`);
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
});

after(async () => {
  await browser?.close();
  server?.close();
  site?.remove();
});

async function axe(what) {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const found = result.violations.map((v) => `${v.id}: ${v.help}`);
  assert.deepEqual(found, [], `${what}: axe-core`);
}

test("each page of a list has a title of its own", async () => {
  await page.goto(`${origin}/ru/page/2/`);
  assert.equal(await page.title(), "Страница 2 — Города-побратимы");
  await page.goto(`${origin}/ru/`);
  assert.equal(await page.title(), "Города-побратимы");
  // "образование" tags four Russian articles: a second page.
  await page.goto(`${origin}/ru/tags/obrazovanie/`);
  const first = await page.title();
  const next = await page.locator(".pagination a[rel=next]").first().getAttribute("href");
  await page.goto(new URL(next, page.url()).href);
  assert.equal(await page.title(), first.replace(" — Города-побратимы", " — Страница 2 — Города-побратимы"));
  await page.goto(`${origin}/kk/page/2/`);
  assert.equal(await page.title(), "Бет 2 — Бауырлас қалалар");
});

test("an article without photos credits no photo", async () => {
  await page.goto(`${origin}/ru/news/2025-08-29-qinghai-delegation/`);
  assert.equal(await page.locator("figure").count(), 0, "the portal's articles have no photos");
  assert.doesNotMatch(await page.locator(".article-footer").textContent(), /Фото:/);
});

test("the menu marks the section a page is in", async () => {
  await page.goto(`${origin}/ru/news/2025-08-29-qinghai-delegation/`);
  assert.equal(await page.locator(".main-nav a[aria-current]").textContent(), "Новости");
  await page.goto(`${origin}/ru/cities/almaty/`);
  assert.equal(await page.locator(".main-nav a[aria-current=true]").textContent(), "Города и регионы");
  await page.goto(`${origin}/ru/cities/`);
  assert.equal(await page.locator(".main-nav a[aria-current=page]").textContent(), "Города и регионы");
});

test("the search page has one search box, none in print", async () => {
  await page.goto(`${origin}/ru/search/?q=делегация`);
  await page.locator("#search-results li").first().waitFor();
  assert.equal(await page.locator("form[role=search]").count(), 1);
  await axe("search page");
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator("form[role=search]").isVisible(), false, "no search field on paper");
  await page.emulateMedia({ media: "screen" });
  await page.goto(`${origin}/ru/`);
  assert.equal(await page.locator("form[role=search]").count(), 1, "other pages keep the header's");
});

test("English names in a Russian or Kazakh text are marked as English", async () => {
  for (const lang of ["ru", "kk"]) {
    await page.goto(`${origin}/${lang}/news/2025-08-15-almaty-united-kingdom-partnership/`);
    const english = await page.locator("article .content [lang=en]").allTextContents();
    assert.ok(english.includes("British Council"), `${lang}: ${english}`);
    // What the reader's browser takes as the language of the words, for speech and hyphenation.
    const langOf = await page.evaluate(() => {
      const walker = document.createTreeWalker(document.querySelector("article .content"), NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.data.includes("British Council")) return n.parentElement.closest("[lang]").lang;
      return null;
    });
    assert.equal(langOf, "en", lang);
  }
});

test("the menu's feed item is a page on subscribing; a feed opened in the browser says what it is", async () => {
  await page.goto(`${origin}/ru/`);
  await page.locator(".main-nav a", { hasText: "Подписка" }).click();
  await page.waitForURL(/\/ru\/subscribe\/$/);
  assert.equal(await page.locator("h1").textContent(), "Подписка");
  assert.equal(await page.locator(".main-nav a[aria-current=page]").textContent(), "Подписка");
  assert.equal(await page.inputValue("#feed-address"), `${origin}/ru/rss.xml`);
  await page.screenshot({ path: artifact("readers-subscribe.png"), fullPage: true });
  await axe("subscribe");
  // The feed itself, as a browser shows it: the stylesheet's words above its title and items.
  const r = await page.goto(`${origin}/ru/rss.xml`);
  assert.match(r.headers()["content-type"], /^application\/xml/);
  const shown = await page.evaluate(() => {
    const channel = document.querySelector("channel");
    const title = document.querySelector("channel > title");
    return {
      note: getComputedStyle(channel, "::before").content,
      title: getComputedStyle(title).display,
      link: getComputedStyle(document.querySelector("channel > link")).display,
      items: [...document.querySelectorAll("item > title")].filter((t) => getComputedStyle(t).display === "block").length,
    };
  });
  assert.match(shown.note, /^"Это RSS-лента для программ чтения новостей\./);
  assert.match(shown.note, /\/ru\/subscribe\/"$/);
  assert.deepEqual([shown.title, shown.link], ["block", "none"]);
  assert.ok(shown.items > 0);
  await page.screenshot({ path: artifact("readers-feed.png") });
});

test("home, city and tag pages share a picture of their own", async () => {
  const seen = new Set();
  for (const path of ["/ru/", "/kk/cities/shanghai/", "/ru/tags/obrazovanie/", "/ru/tags/obrazovanie/page/2/"]) {
    await page.goto(`${origin}${path}`);
    const image = await page.locator('meta[property="og:image"]').getAttribute("content");
    const alt = await page.locator('meta[property="og:image:alt"]').getAttribute("content");
    assert.ok(alt.length > 0, path);
    // Built for this server's address: the picture is there, a PNG of the card's size.
    const r = await page.request.get(image);
    assert.equal(r.status(), 200, `${path}: ${image}`);
    assert.equal(r.headers()["content-type"], "image/png");
    const png = await r.body();
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1200, 630], path);
    seen.add(image);
  }
  assert.equal(seen.size, 3, "a list's second page shares its first page's picture");
});

test("the 404 page leads to each language", async () => {
  const r = await page.goto(`${origin}/no/such/page/`);
  assert.equal(r.status(), 404);
  const links = await page.locator(".langs a").evaluateAll((as) => as.map((a) => [a.getAttribute("hreflang"), new URL(a.href).pathname]));
  assert.deepEqual(links.sort(), [["kk", "/kk/"], ["ru", "/ru/"]]);
  await axe("404");
});

test("search: no filter, no 'remove a filter'; no empty rows; the switch keeps the query; the other language's results offered", async () => {
  // "Китай" typed on the Kazakh page: no Kazakh word is spelled so; "Қытай" is close.
  await page.goto(`${origin}/kk/search/?q=Китай`);
  const status = page.locator("#search-status");
  await status.filter({ hasText: /\S/ }).waitFor();
  assert.match(await status.textContent(), /^Дәл сәйкестік жоқ\. Ұқсас сөздер: \d+$/);
  assert.ok((await page.locator("#search-results mark").allTextContents()).every((m) => /^қытай/i.test(m)));
  // A word found nowhere: nothing, and no empty filter rows.
  await page.goto(`${origin}/kk/search/?q=Жжжжж`);
  await status.filter({ hasText: /\S/ }).waitFor();
  assert.equal(await status.textContent(), "Ештеңе табылмады. Басқа сөзді көріңіз.");
  assert.equal(await page.locator("#search-filters p").count(), 0, "no empty filter rows");
  // A Russian word on the Kazakh page.
  await page.goto(`${origin}/kk/search/?q=побратимов`);
  await status.filter({ hasText: /\S/ }).waitFor();
  assert.equal(await status.textContent(), "Ештеңе табылмады. Басқа сөзді көріңіз.");
  assert.match(await page.locator(".langs a[hreflang=ru]").getAttribute("href"), /\/ru\/search\/\?q=%D0%BF%D0%BE%D0%B1%D1%80%D0%B0%D1%82%D0%B8%D0%BC%D0%BE%D0%B2$/);
  // Not in Kazakh, but in Russian: offered, with how many, leading to the same search there.
  const offer = page.locator("#search-elsewhere a[hreflang=ru]");
  await offer.waitFor();
  const [, n] = (await offer.textContent()).match(/^Русский: (\d+)$/);
  assert.ok(Number(n) > 0);
  assert.match(await page.locator("#search-elsewhere").textContent(), /^Басқа тілде табылды:/);
  await offer.click();
  await page.waitForURL(/\/ru\/search\/\?q=/);
  await status.filter({ hasText: /\S/ }).waitFor();
  assert.equal(await status.textContent(), `Найдено: ${n}`);
  assert.ok(await page.locator("#search-elsewhere").isHidden(), "found here: nothing offered elsewhere");
  await axe("search found elsewhere");
  // With a filter that leaves nothing, the hint names the filter.
  await page.goto(`${origin}/ru/search/?q=делегация&year=1999`);
  await status.filter({ hasText: /\S/ }).waitFor();
  assert.match(await status.textContent(), /уберите фильтр/);
});

test("search: one typo tolerated in words of five letters or more, ranked below exact matches", async () => {
  const status = page.locator("#search-status");
  const results = async (q, lang = "ru") => {
    await page.goto(`${origin}/${lang}/search/?q=${encodeURIComponent(q)}`);
    await status.filter({ hasText: /\S/ }).waitFor();
    const titles = await page.locator("#search-results li > a").allTextContents();
    const marks = await page.locator("#search-results mark").allTextContents();
    return { status: await status.textContent(), titles, marks };
  };
  const exact = await results("Шанхай");
  assert.match(exact.status, /^Найдено: \d+$/);
  // A letter missing, one extra, two swapped: the same articles, said to be close spellings.
  for (const typo of ["Шанхй", "Шаннхай", "Шанхйа"]) {
    const close = await results(typo);
    assert.equal(close.status, exact.status.replace("Найдено", "Точных совпадений нет. Похожие слова"), typo);
    assert.deepEqual(close.titles, exact.titles, typo);
    assert.ok(close.marks.some((m) => /^Шанха/i.test(m)), `${typo}: the word found is marked`);
  }
  // Two letters swapped among the first three: looked up there too.
  assert.deepEqual((await results("Шнахай")).titles, exact.titles);
  // One letter inserted in a long word.
  const uni = await results("университет");
  const typoUni = await results("универститет");
  assert.ok(typoUni.titles.length > 0 && uni.titles.every((t) => typoUni.titles.includes(t)), "универститет finds университет");
  // A typo in the stem and an ending the site never has: "делегациями" is read by its head,
  // "делгациями" by the stem one letter from its head.
  const delegations = await results("делегациями");
  const typoDelegations = await results("делгациями");
  assert.match(typoDelegations.status, /^Точных совпадений нет\. Похожие слова: [1-9]/);
  assert.deepEqual(typoDelegations.titles, delegations.titles);
  // Words shorter than five letters are not guessed at.
  assert.equal((await results("Кытй")).status, "Ничего не найдено. Попробуйте другое слово.");
  // An unseen word read by its head: Британия finds the articles saying "британских", "британский".
  const britain = await results("Британия");
  assert.match(britain.status, /^Точных совпадений нет\. Похожие слова: [1-9]/);
  assert.ok(britain.marks.length > 0 && britain.marks.every((m) => /^британск/i.test(m)), britain.marks.join());
  // A word found as it is spelled comes before a word one typo from it, however much more the
  // other article says it: "парка" is once in a long text, "парта" in a title and four times.
  const park = await results("парка");
  assert.match(park.status, /^Найдено: 2$/);
  assert.deepEqual(park.titles, ["Запись для теста: парк", "Запись для теста: парта"]);
  await results("Шанхй");
  await page.screenshot({ path: artifact("readers-search-typo.png") });
  await axe("search with a typo");
});

test("search: each filter row counts within the other's choice, so every link finds something", async () => {
  await page.goto(`${origin}/ru/search/?q=делегация`);
  await page.locator("#search-filters p").first().waitFor();
  const year = await page.locator("#search-filters p").first().locator("a").first().getAttribute("href");
  await page.goto(new URL(year, page.url()).href);
  await page.locator("#search-filters p").nth(1).waitFor();
  const cityLinks = await page.locator("#search-filters p").nth(1).locator("a").evaluateAll((as) =>
    as.filter((a) => /\(\d+\)$/.test(a.textContent)).map((a) => [a.getAttribute("href"), Number(a.textContent.match(/\((\d+)\)$/)[1])]),
  );
  assert.ok(cityLinks.length > 0);
  for (const [href, n] of cityLinks) {
    await page.goto(new URL(href, page.url()).href);
    await page.locator("#search-status").filter({ hasText: /\S/ }).waitFor();
    assert.equal(await page.locator("#search-status").textContent(), `Найдено: ${n}`, href);
  }
  await page.screenshot({ path: artifact("readers-search-facets.png") });
});

test("a language the article is not in looks missing, and its notice opens with the header in view", async () => {
  await page.goto(`${origin}/ru/news/2026-02-19-shanghai-almaty-roadmap/`);
  const pill = page.locator(".langs a[hreflang=kk]");
  assert.equal(await pill.getAttribute("class"), "missing");
  assert.match(await pill.textContent(), /перевода нет/, "said to screen readers");
  const style = await pill.evaluate((a) => getComputedStyle(a).borderTopStyle);
  assert.equal(style, "dashed");
  await pill.click();
  await page.waitForURL(/\/kk\/#no-translation$/);
  assert.ok(await page.locator("#no-translation").isVisible());
  assert.equal(await page.evaluate(() => window.scrollY), 0, "the page opens at its top");
  assert.ok(await page.locator(".langs").isVisible());
  await page.screenshot({ path: artifact("readers-no-translation.png") });
  await axe("no translation");
});

test("a country's page does not call it a country of itself, and a place without articles offers no feed", async () => {
  await page.goto(`${origin}/ru/cities/belarus/`);
  const meta = await page.locator(".city-header .meta").textContent();
  assert.doesNotMatch(meta, /страна, Беларусь/);
  assert.equal(meta.trim(), "страна · 0 статей", "Belarus has no articles yet: no feed to follow");
  assert.equal(await page.locator(".city-header .meta a").count(), 0, meta);
  await page.goto(`${origin}/ru/cities/almaty/`);
  assert.match(await page.locator(".city-header .meta").textContent(), /, Казахстан · /);
  assert.equal(await page.locator(".city-header .meta a").count(), 1, "a place with articles offers its feed");
});

test("on a phone every point of the map is a target at least 24 px across, none over another", async () => {
  await page.goto(`${origin}/ru/`);
  const targets = await page.locator(".map a.point circle.hit").evaluateAll((cs) =>
    cs.map((c) => {
      const r = c.getBoundingClientRect();
      return { w: r.width, h: r.height, x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }),
  );
  assert.ok(targets.length >= 5, `${targets.length} points`);
  for (const t of targets) assert.ok(t.w >= 24 && t.h >= 24, `a target of ${t.w}×${t.h} px`);
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const d = Math.hypot(targets[i].x - targets[j].x, targets[i].y - targets[j].y);
      assert.ok(d >= 24 - 0.5, `targets ${i} and ${j} are ${d.toFixed(1)} px apart`);
    }
  }
  // A tap at a target's edge lands on its point.
  const first = page.locator(".map a.point").first();
  await first.scrollIntoViewIfNeeded();
  const box = await first.locator("circle.hit").boundingBox();
  const href = await first.getAttribute("href");
  await page.mouse.click(box.x + box.width / 2 + box.width * 0.4, box.y + box.height / 2);
  await page.waitForURL((u) => u.pathname === new URL(href, origin).pathname);
  await page.goto(`${origin}/ru/`);
  await page.locator(".map").screenshot({ path: artifact("readers-map-phone.png") });
});
