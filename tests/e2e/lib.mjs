// Shared helpers of the browser tests: a temporary copy of a fixture site, the twinpress binary
// serving it, and Debian's chromium driven by playwright-core.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const HERE = dirname(fileURLToPath(import.meta.url));
export const PROJECT = resolve(HERE, "..", "..");
export const ARTIFACTS = join(HERE, "artifacts");
export const BINARY = process.env.TWINPRESS_BIN ?? join(PROJECT, "target", "debug", "twinpress");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** A temporary copy of `tests/sites/<name>` (or of the portal itself with name "portal"). */
export function copySite(name) {
  const dir = mkdtempSync(join(tmpdir(), "twinpress-e2e-"));
  const root = join(dir, "site");
  if (name === "portal") {
    for (const part of ["site.toml", "content", "templates", "static"]) {
      cpSync(join(PROJECT, part), join(root, part), { recursive: true });
    }
  } else {
    cpSync(join(PROJECT, "tests", "sites", name), root, { recursive: true });
  }
  return { root, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts `twinpress serve` on a free loopback port; resolves with its base URL. */
export async function serve(root, extra = []) {
  const child = spawn(BINARY, ["serve", "--port", "0", "--root", root, ...extra], { stdio: ["ignore", "pipe", "pipe"] });
  let desk;
  const deskUrl = new Promise((ok) => (desk = ok));
  const log = [];
  child.stderr.on("data", (d) => log.push(String(d)));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((ok, fail) => {
    lines.on("line", (line) => {
      log.push(line);
      const m = line.match(/ at (http:\/\/\S+)/);
      if (m) ok(m[1]);
      const d = line.match(/desk for editors: (http:\/\/\S+)/);
      if (d) desk(d[1]);
    });
    child.on("exit", (code) => fail(new Error(`twinpress serve exited ${code}: ${log.join("\n")}`)));
  });
  return {
    url,
    log,
    /** The desk's address with its token, as serve prints it. */
    deskUrl: () => deskUrl,
    stop: () =>
      new Promise((ok) => {
        child.on("exit", ok);
        child.kill("SIGINT");
      }),
  };
}

/** Headless chromium as the machine has it, with no network beyond loopback. */
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/** Builds the portal (or a fixture) into a temporary folder for `baseUrl`. */
export function build(root, output, baseUrl) {
  const r = spawnSync(BINARY, ["build", "--root", root, "--output", output, "--base-url", baseUrl], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`twinpress build failed: ${r.stderr}`);
  return r.stdout;
}

// The content types twinpress's own server sends, from its one table.
const TYPES = JSON.parse(spawnSync(BINARY, ["mime-types"], { encoding: "utf8" }).stdout);

/** Serves `dir` on a free loopback port as a plain static host; resolves with the server. */
export function staticServer(dir) {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.includes("..")) return res.writeHead(404).end();
    let file = join(dir, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      return res.end(readFileSync(join(dir, "404.html")));
    }
    const name = file.split("/").pop();
    const headers = { "content-type": TYPES[name] ?? TYPES[extname(file).toLowerCase()] ?? "application/octet-stream" };
    // As deploy/nginx-site.conf serves them: assets cached for a week.
    if (/\.(?:css|js|svg|png|jpe?g|webp|woff2)$/i.test(file)) headers["cache-control"] = "public, max-age=604800";
    let body = readFileSync(file);
    // Compressed as nginx does it (deploy/nginx-site.conf's gzip_types).
    if (/\.(?:html|css|js|svg|json|xml|txt)$/i.test(file) && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
      body = gzipSync(body, { level: 5 });
      headers["content-encoding"] = "gzip";
      headers["vary"] = "Accept-Encoding";
    }
    res.writeHead(200, headers);
    res.end(body);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

/** The generated photos the browser tests show (the portal has none of its own): written by
 * `cargo run --example fixture-photos` (red above, blue below; EXIF orientation and GPS). */
export const FIXTURE_PHOTOS = join(PROJECT, "target", "debug", "examples", "fixture-photos");

/** A copy of the portal with generated photos: three on the Qinghai article (the lead stored
 * turned, as a phone stores it) and one on the Shanghai roadmap, in both languages. */
export function portalWithPhotos() {
  const site = copySite("portal");
  const news = join(site.root, "content", "news");
  const photos = [
    ["2025", "2025-08-29-qinghai-delegation", [["qinghai-1.jpg:2400x1600:6", "Делегации у здания акимата", "Әкімдік алдындағы делегациялар", "Встреча делегаций"], ["qinghai-2.jpg:1600x1200", "Подписание меморандумов", "Меморандумдарға қол қою", null], ["qinghai-3.png:900x900", "Участники встречи", "Кездесуге қатысушылар", null]]],
    ["2026", "2026-02-19-shanghai-almaty-roadmap", [["shanghai-1.jpg:2000x1333", "Подписание дорожной карты", "Жол картасына қол қою", null]]],
  ];
  for (const [year, stem, list] of photos) {
    const r = spawnSync(FIXTURE_PHOTOS, [join(news, year), ...list.map((p) => p[0])], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`fixture-photos failed (cargo build --examples first): ${r.stderr ?? r.error}`);
    for (const lang of ["ru", "kk"]) {
      const file = join(news, year, `${stem}.${lang}.md`);
      const text = readFileSync(file, "utf8");
      const tables = list
        .map(([spec, ru, kk, caption]) => {
          const name = spec.split(":")[0];
          const cap = caption ? `caption = "${caption}"\ncredit = "сгенерировано для тестов"\n` : "";
          return `[[photos]]\nfile = "${name}"\nalt = "${lang === "ru" ? ru : kk}"\n${cap}`;
        })
        .join("\n");
      const end = text.indexOf("\n+++", 3);
      writeFileSync(file, `${text.slice(0, end)}\n${tables}${text.slice(end)}`);
    }
  }
  return site;
}
