// Shared helpers of the browser tests: a temporary copy of a fixture site, the twinpress binary
// serving it, and Debian's chromium driven by playwright-core.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
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
export async function serve(root) {
  const child = spawn(BINARY, ["serve", "--port", "0", "--root", root], { stdio: ["ignore", "pipe", "pipe"] });
  const log = [];
  child.stderr.on("data", (d) => log.push(String(d)));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((ok, fail) => {
    lines.on("line", (line) => {
      log.push(line);
      const m = line.match(/ at (http:\/\/\S+)/);
      if (m) ok(m[1]);
    });
    child.on("exit", (code) => fail(new Error(`twinpress serve exited ${code}: ${log.join("\n")}`)));
  });
  return {
    url,
    log,
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
    res.writeHead(200, { "content-type": TYPES[name] ?? TYPES[extname(file).toLowerCase()] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}
