// What the search benchmarks share: a static host for a built site that sends text gzipped,
// headless Chromium, and a twinpress query timed on its search page.
import { createServer } from "node:http";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";

const require = createRequire(new URL("../../tests/e2e/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".css": "text/css" };

// Serves `built` on a free loopback port, text gzipped (level 6) and each file compressed once
// and kept, as a host with precompressed files or a cache in front of it does. `precompress(skip)`
// compresses every text file now (but in folders named in `skip`), so that no timed request
// waits for it. Gives { base, server, precompress }.
export async function serveBuilt(built) {
  const gzipped = new Map();
  const server = createServer((req, res) => {
    let path = join(built, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, "index.html");
    if (!existsSync(path)) return res.writeHead(404).end();
    const headers = { "content-type": TYPES[extname(path)] || "application/octet-stream" };
    let body;
    if (TYPES[extname(path)] && /gzip/.test(req.headers["accept-encoding"] || "")) {
      if (!gzipped.has(path)) gzipped.set(path, gzipSync(readFileSync(path), { level: 6 }));
      body = gzipped.get(path);
      headers["content-encoding"] = "gzip";
    } else body = readFileSync(path);
    res.writeHead(200, headers).end(body);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  function precompress(skip = [], dir = built) {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (!skip.includes(name)) precompress(skip, path);
      } else if (TYPES[extname(path)]) gzipped.set(path, gzipSync(readFileSync(path), { level: 6 }));
    }
  }
  return { base: `http://127.0.0.1:${server.address().port}/`, server, precompress };
}

/** Headless chromium as the machine has it (CHROMIUM overrides). */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

// `q` searched on `page` (a twinpress search page, open), timed in the page from submitting to
// the status line the script writes once the results are shown: { ms, status }.
export function timedQuery(page, q) {
  return page.evaluate(
    (q) =>
      new Promise((done) => {
        const status = document.getElementById("search-status");
        status.textContent = "";
        const t0 = performance.now();
        new MutationObserver((_, seen) => {
          if (status.textContent !== "") {
            seen.disconnect();
            done({ ms: performance.now() - t0, status: status.textContent });
          }
        }).observe(status, { childList: true, characterData: true, subtree: true });
        const input = document.getElementById("search-q");
        input.value = q;
        input.form.requestSubmit();
      }),
    q,
  );
}
