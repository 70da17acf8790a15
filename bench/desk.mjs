// The desk's save to the preview beside it showing the change, timed in headless chromium:
//
//   TWINPRESS_BIN=target/release/twinpress node bench/desk.mjs [SITE] [RUNS]
//
// SITE (default: a copy of the portal) is served with `twinpress serve`. First the list of
// articles is timed (the first load reads every article file's front matter; later loads look
// at the folder and read only files that changed), then a search in it and its last page;
// then each run changes the last paragraph of the site's first article in the desk and clicks
// Save, and the clock stops when the preview's page shows the new summary (save, redirect,
// incremental rebuild, live reload).
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";

const here = new URL(".", import.meta.url).pathname;
const e2e = resolve(here, "..", "tests", "e2e");
const { launch, serve } = await import(join(e2e, "lib.mjs"));
const require = createRequire(join(e2e, "package.json"));
require.resolve("playwright-core");

const runs = Number(process.argv[3] ?? 20);
let root = process.argv[2];
let temp;
if (!root) {
  temp = mkdtempSync(join(tmpdir(), "twinpress-desk-bench-"));
  for (const p of ["site.toml", "content", "templates", "static"]) cpSync(resolve(here, "..", p), join(temp, p), { recursive: true });
  root = temp;
}
const server = await serve(root);
const desk = await server.deskUrl();
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
// The list: each load from navigation to the page's load event.
async function timed(url) {
  const t = performance.now();
  await page.goto(url, { waitUntil: "load" });
  return Math.round(performance.now() - t);
}
const coldList = await timed(desk);
const rows = await page.locator("table.articles tbody tr").count();
const warmList = [];
for (let i = 0; i < 5; i++) warmList.push(await timed(desk));
const found = await timed(new URL("?q=" + encodeURIComponent("Шанхай"), desk).href);
const lastPage = await timed(new URL("?page=1000000", desk).href);
warmList.sort((a, b) => a - b);
console.log(
  `desk list: first load ${coldList} ms (${rows} rows), then median ${warmList[2]} ms, most ${warmList[4]} ms; ` +
    `a search in it ${found} ms; its last page ${lastPage} ms`,
);
await page.goto(desk);
const first = await page.locator("table.articles tbody tr a").first().getAttribute("href");
const times = [];
for (let i = 0; i < runs; i++) {
  await page.goto(new URL(first, desk).href);
  const lang = (await page.locator("fieldset.column input[name$='.version']").first().getAttribute("name")).split(".")[0];
  await page.frameLocator("#preview").locator("h1").first().waitFor();
  const words = `Замер ${Date.now()}`;
  const body = await page.inputValue(`#${lang}-body`);
  await page.fill(`#${lang}-body`, body.replace(/\n\nЗамер \d+\s*$/, "") + `\n\n${words}`);
  const t = performance.now();
  await page.click("#edit button[type=submit]");
  await page.frameLocator("#preview").locator(`text=${words}`).first().waitFor({ state: "attached", timeout: 20000 });
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const q = (p) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))]);
console.log(`desk save → preview shows it, ${runs} runs: median ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms`);
await browser.close();
await server.stop();
if (temp) rmSync(temp, { recursive: true, force: true });
