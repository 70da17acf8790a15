// `twinpress serve` in a real browser: an edit appears without touching the browser, a broken
// front matter shows the overlay, the fix clears it, a stylesheet swaps in place, and an edit
// elsewhere takes the tab to the edited article.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { artifact, copySite, launch, serve } from "./lib.mjs";

let site, server, browser;

before(async () => {
  site = copySite("good");
  server = await serve(site.root);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  site?.remove();
});

const ARTICLE = "content/news/2025/2025-08-29-qinghai.ru.md";
const edit = (rel, change) => {
  const path = join(site.root, rel);
  writeFileSync(path, change(readFileSync(path, "utf8")));
};

test("an edit shows in the open page, a broken file shows the overlay, the fix clears it", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}ru/news/2025-08-29-qinghai/`);
  assert.match(await page.locator("main .content").textContent(), /Первый абзац/);
  // Wait until the live-reload stream is open before editing.
  await page.waitForTimeout(300);

  edit(ARTICLE, (t) => t.replace("Первый абзац", "Живая правка редактора"));
  await page.waitForFunction(() => document.querySelector("main")?.textContent.includes("Живая правка редактора"), null, {
    timeout: 10000,
  });

  edit(ARTICLE, (t) => t.replace("date = 2025-08-29", "date = 2025-02-30"));
  const overlay = page.locator("#__twinpress_error");
  await overlay.waitFor({ state: "visible", timeout: 10000 });
  const message = await overlay.textContent();
  assert.match(message, /content\/news\/2025\/2025-08-29-qinghai\.ru\.md:3: invalid date, expected day between 01 and 28/);
  assert.match(message, /write it as date = 2025-08-29/);
  await page.screenshot({ path: artifact("serve-error-overlay.png") });

  edit(ARTICLE, (t) => t.replace("date = 2025-02-30", "date = 2025-08-29"));
  await overlay.waitFor({ state: "detached", timeout: 10000 });
  assert.match(await page.locator("main").textContent(), /Живая правка редактора/);
  await page.close();
});

test("a stylesheet change swaps in place without a reload", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}ru/`);
  await page.evaluate(() => (window.__stillHere = true));
  await page.waitForTimeout(300);
  edit("static/style.css", (t) => t + "\nbody { background: rgb(1, 2, 3); }\n");
  await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)", null, {
    timeout: 10000,
  });
  assert.equal(await page.evaluate(() => window.__stillHere), true, "the page was not reloaded");
  await page.close();
});

test("an edit takes the tab to the edited article unless the page shows it", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}kk/cities/`);
  await page.waitForTimeout(300);
  edit(ARTICLE, (t) => t.replace("Живая правка редактора", "Правка с переходом"));
  await page.waitForURL(`${server.url}ru/news/2025-08-29-qinghai/`, { timeout: 10000 });
  assert.match(await page.locator("main").textContent(), /Правка с переходом/);
  await page.close();
});

test("a reload after an edit keeps the reader's place on the page", async () => {
  edit(ARTICLE, (t) => t + "\n" + "Абзац для прокрутки страницы.\n\n".repeat(80));
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  await page.goto(`${server.url}ru/news/2025-08-29-qinghai/`);
  await page.waitForFunction(() => document.body.textContent.includes("Абзац для прокрутки"), null, { timeout: 10000 });
  await page.waitForTimeout(300);
  await page.evaluate(() => window.scrollTo(0, 1500));
  edit(ARTICLE, (t) => t.replace("Правка с переходом", "Правка на месте"));
  await page.waitForFunction(() => document.querySelector("main")?.textContent.includes("Правка на месте"), null, { timeout: 10000 });
  await page.waitForTimeout(300);
  const y = await page.evaluate(() => window.scrollY);
  assert.ok(Math.abs(y - 1500) < 40, `the page came back at ${y}, not 1500`);
  await page.close();
});
