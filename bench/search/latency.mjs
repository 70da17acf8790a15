// A first query's latency at any size (issue 38): for the ten commonest words of each language
// of a built site, each in a fresh browser context (nothing of the index cached), the time from
// submitting the query on the search page to its results on the screen, in headless chromium.
//
//   node bench/search/latency.mjs BUILT_SITE [RUNS]      (RUNS rounds of all words, default 3)
//
// The words: the ten stems with the most documents in each language's index (as
// bench/index_bytes.py ranks them), each typed as the first word of its ready results'
// snippets that begins with it. The site is served by a static server that sends text gzipped
// (level 6), each file compressed once and kept, as a host with precompressed files does: one
// untimed round first fills it, so no timed query waits for compression.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { launch, serveBuilt, timedQuery } from "./lib.mjs";
const built = process.argv[2];
const runs = Number(process.argv[3] ?? 3);
if (!built || !existsSync(built)) {
  console.error("usage: node bench/search/latency.mjs BUILT_SITE [RUNS]");
  process.exit(2);
}

// Postings as static/search.js reads them: (document, score) pairs, gap-coded digits.
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
function documents(packed) {
  let gap = true, count = 0;
  for (const ch of packed) {
    // A digit of 32 or more continues a number; the others end one (a gap, then a score).
    if (DIGITS.indexOf(ch) >= 32) continue;
    if (!gap) count++;
    gap = !gap;
  }
  return count;
}

// The ten commonest stems of a language, each with a word a reader would type for it.
function commonest(lang) {
  // Stems are folded as the language's table says (meta.json's `fold`, as search.js reads it).
  const meta = JSON.parse(readFileSync(join(built, lang, "search", "meta.json"), "utf8"));
  const table = new Map(meta.fold ?? []);
  const fold = (w) => [...w].map((c) => table.get(c) ?? c).join("");
  const dir = join(built, lang, "search", "s");
  const stems = [];
  for (const name of readdirSync(dir)) {
    const shard = JSON.parse(readFileSync(join(dir, name), "utf8"));
    for (const [stem, packed] of Object.entries(shard.t)) {
      const ready = (shard.w ?? {})[stem] ?? [];
      stems.push({ stem, df: documents(packed), snippets: ready.map((r) => r.x) });
    }
  }
  stems.sort((a, b) => b.df - a.df);
  return stems.slice(0, 10).map(({ stem, df, snippets }) => {
    const words = snippets.join(" ").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    return { lang, stem, df, q: words.find((w) => fold(w).startsWith(stem)) ?? stem };
  });
}
const langs = readdirSync(built).filter((l) => existsSync(join(built, l, "search", "meta.json")));
const queries = langs.flatMap(commonest);

const { base, server } = await serveBuilt(built);
const browser = await launch();

// One first query: a new context (an empty cache), the search page open (its table loaded, as
// a reader's page is before they type), then the query timed from submit to the status line
// the script writes once the results are shown.
async function first({ lang, q }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}${lang}/search/`, { waitUntil: "networkidle" });
  const { ms, status } = await timedQuery(page, q);
  const results = await page.$$eval("#search-results li", (li) => li.length);
  await context.close();
  return { ms, status, results };
}

for (const query of queries) await first(query); // fills the server's gzip cache
const times = Object.fromEntries(langs.map((l) => [l, []]));
for (let run = 0; run < runs; run++) {
  for (const query of queries) {
    const { ms, status, results } = await first(query);
    if (results === 0) throw new Error(`${query.lang} «${query.q}» found nothing: ${status}`);
    times[query.lang].push(ms);
    if (run === 0) console.log(`${query.lang} ${query.q} (${query.stem}-, ${query.df} documents): ${Math.round(ms)} ms, ${results} results shown; ${status}`);
  }
}
const at = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
for (const lang of langs) {
  const xs = times[lang];
  console.log(`${lang}: first query, ten commonest words × ${runs}: median ${Math.round(at(xs, 0.5))} ms, p95 ${Math.round(at(xs, 0.95))} ms, most ${Math.round(Math.max(...xs))} ms`);
}
const all = Object.values(times).flat();
console.log(`all: median ${Math.round(at(all, 0.5))} ms, p95 ${Math.round(at(all, 0.95))} ms`);
await browser.close();
server.close();
