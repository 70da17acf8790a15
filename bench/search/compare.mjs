// Search side by side: twinpress's index and Pagefind's over the same built site, in headless
// chromium. For every query of queries.json: the links each engine ranks first (top 3, top 10)
// against the articles that are relevant (their title or body matches the query's pattern);
// bytes a first query downloads (as served gzipped); query latency.
//
//   node compare.mjs SITE_ROOT BUILT_SITE     (run by bench/search/run.sh)
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { launch, serveBuilt, timedQuery } from "./lib.mjs";
const [root, built] = process.argv.slice(2);
const { queries } = JSON.parse(readFileSync(new URL("./queries.json", import.meta.url)));

// Relevance: every article's title and body, lowercased, by language and stem.
const articles = { kk: new Map(), ru: new Map() };
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    const m = name.match(/^(.+)\.(kk|ru)\.md$/);
    if (!m) continue;
    const text = readFileSync(path, "utf8");
    const title = (text.match(/^title\s*=\s*["'](.*)["']\s*$/m) || [])[1] || "";
    const body = text.split(/^\+\+\+\s*$/m).slice(2).join("");
    if (/^draft\s*=\s*true/m.test(text)) continue;
    articles[m[2]].set(m[1], (title + "\n" + body).toLowerCase());
  }
})(join(root, "content", "news"));

// A static host that sends text gzipped (level 6), each file compressed once and kept, as a
// host with precompressed files or a cache in front of it does; compressed before the run, so
// that the timed queries wait for no compression (Pagefind's own files come compressed already).
const { base, server, precompress } = await serveBuilt(built);
precompress(["pagefind", "news"]);
const browser = await launch();

const stemOf = (href) => (href.match(/\/news\/([^/]+)\/?/) || [])[1];

// Each engine queried from one page per language, as a reader searches one thing after
// another: the time from the query to its results on the page (twinpress: shown, with their
// snippets; Pagefind: the top ten's data loaded).
async function twinpress(page, lang, q) {
  // As Pagefind is initialised before it is timed: the page open, its index table loaded.
  if (!page.url().includes(`/${lang}/search/`)) await page.goto(`${base}${lang}/search/`, { waitUntil: "networkidle" });
  // Timed in the page: from submitting to the status line the script writes once the results
  // are shown.
  const { ms } = await timedQuery(page, q);
  const hrefs = await page.$$eval("#search-results li a", (as) => as.map((a) => a.getAttribute("href")));
  return { ms: Math.round(ms), stems: hrefs.map(stemOf) };
}

async function pagefind(page, lang, q) {
  if (!page.url().endsWith(`/${lang}/`)) {
    await page.goto(`${base}${lang}/`, { waitUntil: "load" });
    await page.evaluate(async () => {
      window.pf = await import("/pagefind/pagefind.js");
      await window.pf.init();
    });
  }
  const [ms, urls] = await page.evaluate(async (q) => {
    const t0 = performance.now();
    const r = await window.pf.search(q);
    const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    return [performance.now() - t0, data.map((d) => d.url)];
  }, q);
  return { ms: Math.round(ms), stems: urls.map(stemOf) };
}

// Bytes a first query downloads, in a fresh browser: index files and script, as sent
// (compressed bodies and headers; the page's and its workers' requests alike).
async function firstQueryBytes(engine, lang, q) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const done = [];
  context.on("requestfinished", (r) => done.push(r.sizes().then((s) => [r.url(), s.responseBodySize + s.responseHeadersSize])));
  const { ms } = await (engine === "twinpress" ? twinpress : pagefind)(page, lang, q);
  await page.waitForTimeout(300);
  let index = 0;
  let script = 0;
  let filters = 0;
  for (const [url, n] of await Promise.all(done)) {
    if (process.env.DEBUG) console.log(engine, url, n);
    // Pagefind's WebAssembly is its engine: counted with the scripts.
    if (/search\.js(\?v=\w+)?$|pagefind[^/]*\.js$|\.pagefind$/.test(url)) script += n;
    else if (/\/search\/(meta|s\/|doc\/)|\/pagefind\//.test(url)) index += n;
    // The articles' cities, fetched once the first page is shown, for the filters.
    else if (/\/search\/c\//.test(url)) filters += n;
  }
  await context.close();
  return { index, script, filters, ms };
}

const score = { twinpress: { top3: 0, top10: 0, n: 0, ms: [] }, pagefind: { top3: 0, top10: 0, n: 0, ms: [] } };
const perKind = {};
const pages = { twinpress: await browser.newPage(), pagefind: await browser.newPage() };
for (const { lang, q, kind, relevant } of queries) {
  const re = new RegExp(relevant);
  const rel = new Set([...articles[lang]].filter(([, text]) => re.test(text)).map(([stem]) => stem));
  if (rel.size === 0) continue;
  for (const [engine, run] of [["twinpress", twinpress], ["pagefind", pagefind]]) {
    const { ms, stems } = await run(pages[engine], lang, q);
    const at = (k) => stems.slice(0, k).filter((s) => rel.has(s)).length / Math.min(k, rel.size);
    const s = score[engine];
    s.top3 += at(3);
    s.top10 += at(10);
    s.n += 1;
    s.ms.push(ms);
    if (process.env.DEBUG) console.log(engine, lang, kind, q, ms);
    const key = `${lang} ${kind} ${engine}`;
    perKind[key] = perKind[key] || { sum: 0, n: 0 };
    perKind[key].sum += at(10);
    perKind[key].n += 1;
  }
}
// The network's part, for scale: the same page fetching one small index file and then nine in
// parallel (what a query with scattered results asks for), with no engine work, 40 times.
const floor = await pages.twinpress.evaluate(async () => {
  const ms = [];
  const meta = await (await fetch("meta.json")).json();
  const files = Math.ceil(meta.docs / meta.per_file);
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    await (await fetch(`s/0.json?floor=${i}`)).json();
    await Promise.all([...Array(9)].map((_, j) => fetch(`doc/${j % files}.json?floor=${i}-${j}`).then((r) => r.json())));
    ms.push(performance.now() - t0);
  }
  return ms;
});
const p95 = (xs) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bytes = {};
for (const engine of ["twinpress", "pagefind"]) bytes[engine] = await firstQueryBytes(engine, "ru", "делегацией");
const bytesKk = {};
for (const engine of ["twinpress", "pagefind"]) bytesKk[engine] = await firstQueryBytes(engine, "kk", "Шаңхаймен");
// Two words: articles that have both rank first, and few of them are among a common stem's
// first results ready in its shard: most of the first page comes from the article files.
const bytesTwo = {};
for (const engine of ["twinpress", "pagefind"]) bytesTwo[engine] = await firstQueryBytes(engine, "ru", "делегацией соглашениями");
// Every scored query's index bytes, each a first query in a fresh browser (the index's table
// included): what a change to the query's reading costs in downloads, across kinds of query.
const perQuery = { twinpress: [], pagefind: [] };
const bytesByKind = {};
for (const { lang, q, kind, relevant } of queries) {
  const re = new RegExp(relevant);
  if (![...articles[lang].values()].some((text) => re.test(text))) continue;
  for (const engine of ["twinpress", "pagefind"]) {
    const { index } = await firstQueryBytes(engine, lang, q);
    perQuery[engine].push(index);
    const k = `${lang} ${kind} ${engine}`;
    bytesByKind[k] = bytesByKind[k] || { sum: 0, n: 0 };
    bytesByKind[k].sum += index;
    bytesByKind[k].n += 1;
  }
}
console.log(`queries scored (with at least one relevant article): ${score.twinpress.n}`);
for (const engine of ["twinpress", "pagefind"]) {
  const s = score[engine];
  console.log(
    `${engine.padEnd(9)}  top 3: ${((100 * s.top3) / s.n).toFixed(1)} %  top 10: ${((100 * s.top10) / s.n).toFixed(1)} %  ` +
      `query median ${median(s.ms)} ms, p95 ${p95(s.ms)} ms\n           first query in a new browser (page open and engine started, nothing of the index cached but its table): ` +
      `ru ${bytes[engine].ms} ms, index ${(bytes[engine].index / 1024).toFixed(1)} KB, script ${(bytes[engine].script / 1024).toFixed(1)} KB; ` +
      `kk ${bytesKk[engine].ms} ms, index ${(bytesKk[engine].index / 1024).toFixed(1)} KB, script ${(bytesKk[engine].script / 1024).toFixed(1)} KB; ` +
      `ru, two words ${bytesTwo[engine].ms} ms, index ${(bytesTwo[engine].index / 1024).toFixed(1)} KB` +
      (bytes[engine].filters ? `; then for the filters, ru ${(bytes[engine].filters / 1024).toFixed(1)} KB` : ""),
  );
}
for (const engine of ["twinpress", "pagefind"]) {
  const xs = perQuery[engine];
  const kb = (n) => (n / 1024).toFixed(1);
  console.log(
    `${engine.padEnd(9)}  index bytes per first query, every scored query: mean ${kb(xs.reduce((a, b) => a + b, 0) / xs.length)} KB, ` +
      `median ${kb(median([...xs]))} KB, p95 ${kb(p95([...xs]))} KB, most ${kb(Math.max(...xs))} KB`,
  );
}
console.log(
  `network alone (one index file, then nine in parallel, no engine work): median ${Math.round(median(floor))} ms, p95 ${Math.round(p95(floor))} ms`,
);
console.log("top 10 by kind of query:");
for (const [key, { sum, n }] of Object.entries(perKind).sort()) console.log(`  ${key.padEnd(26)} ${((100 * sum) / n).toFixed(1)} % (${n})`);
await browser.close();
server.close();
console.log("index bytes per first query by kind of query (mean):");
for (const [key, { sum, n }] of Object.entries(bytesByKind).sort()) console.log(`  ${key.padEnd(26)} ${(sum / n / 1024).toFixed(1)} KB (${n})`);
