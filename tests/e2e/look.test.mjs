// The portal as readers see it, in headless chromium: every page kind in both languages on a
// phone and a desk, screenshots kept; no horizontal scrolling on the phone; every character
// drawn with the self-hosted fonts (no missing-glyph fallback); no request leaves the site;
// axe-core finds nothing serious; and the Nu HTML Checker finds no error in any built page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT, artifact, build, launch, staticServer } from "./lib.mjs";

const require = createRequire(import.meta.url);
let dir, server, base, browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "twinpress-look-"));
  server = await staticServer(join(dir, "public"));
  base = `http://127.0.0.1:${server.address().port}/`;
  build(PROJECT, join(dir, "public"), base);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const PAGES = {
  home: (l) => `${l}/`,
  article: (l) => `${l}/news/2025-08-29-qinghai-delegation/`,
  city: (l) => `${l}/cities/almaty-region/`,
  tags: (l) => `${l}/tags/`,
  archive: (l) => `${l}/archive/`,
  month: (l) => `${l}/archive/2025/08/`,
  search: (l) => `${l}/search/?q=${encodeURIComponent("Алматы")}`,
};
const SIZES = { phone: { width: 390, height: 844 }, desk: { width: 1366, height: 900 } };
const OUR_FONTS = new Set(["Noto Sans", "Noto Serif"]);

for (const lang of ["kk", "ru"]) {
  for (const [kind, path] of Object.entries(PAGES)) {
    test(`${lang} ${kind}: layout, glyphs, requests, accessibility`, async () => {
      for (const [size, viewport] of Object.entries(SIZES)) {
        const page = await browser.newPage({ viewport });
        const outside = [];
        page.on("request", (r) => {
          if (!r.url().startsWith(base) && !r.url().startsWith("data:")) outside.push(r.url());
        });
        await page.goto(base + path(lang), { waitUntil: "networkidle" });
        await page.evaluate(() => document.fonts.ready);
        await page.screenshot({ path: artifact(`${lang}-${kind}-${size}.png`), fullPage: true });

        if (size === "phone") {
          const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
          assert.ok(scroll <= client, `${lang} ${kind}: scrolls sideways on a phone (${scroll} > ${client})`);
        }
        assert.deepEqual(outside, [], "requests outside the site");

        // Every text element is drawn only with the self-hosted fonts.
        const cdp = await page.context().newCDPSession(page);
        await cdp.send("DOM.enable");
        await cdp.send("CSS.enable");
        const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
        const { nodeIds } = await cdp.send("DOM.querySelectorAll", { nodeId: root.nodeId, selector: "h1, h2, h3, p, li, a, time, figcaption" });
        const fallbacks = new Set();
        for (const nodeId of nodeIds) {
          const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
          for (const f of fonts) if (!OUR_FONTS.has(f.familyName)) fallbacks.add(f.familyName);
        }
        assert.deepEqual([...fallbacks], [], `${lang} ${kind}: glyphs drawn with fallback fonts`);

        if (size === "desk") {
          await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
          const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
          const serious = result.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")})`);
          assert.deepEqual(serious, [], `${lang} ${kind}: axe-core`);
        }
        await page.close();
      }
    });
  }
}

test("every built page is valid HTML (Nu HTML Checker)", () => {
  const jar = require.resolve("vnu-jar/build/dist/vnu.jar");
  const r = spawnSync("java", ["-jar", jar, "--errors-only", "--skip-non-html", "--format", "text", join(dir, "public")], {
    encoding: "utf8",
  });
  assert.equal(r.error, undefined, `java is needed: ${r.error}`);
  assert.equal(r.status, 0, `vnu found errors:\n${r.stdout}${r.stderr}`);
});
