import { build, portalWithPhotos, staticServer, CHROMIUM } from "/work/main/tests/e2e/lib.mjs";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
const dir = mkdtempSync("/tmp/lh-");
const server = await staticServer(join(dir, "public"));
const base = `http://127.0.0.1:${server.address().port}/`;
const site = portalWithPhotos();
build(site.root, join(dir, "public"), base);
for (const p of (process.argv[2]||"kk/").split(",")) {
 for (let i=0;i<+(process.argv[3]||2);i++){
  await new Promise((ok,bad)=>execFile(process.execPath,["node_modules/lighthouse/cli/index.js",base+p,`--chrome-path=${CHROMIUM}`,"--chrome-flags=--headless=new --no-sandbox --disable-gpu","--only-categories=performance","--output=json",`--output-path=${dir}/r.json`,"--quiet"],(e)=>e?bad(e):ok()));
  const r = JSON.parse(readFileSync(`${dir}/r.json`,"utf8"));
  const a = r.audits;
  console.log(p, Math.round(r.categories.performance.score*100), "LCP", Math.round(a["largest-contentful-paint"].numericValue), "FCP", Math.round(a["first-contentful-paint"].numericValue), "SI", Math.round(a["speed-index"].numericValue), "TBT", Math.round(a["total-blocking-time"].numericValue));
  console.log("  main:", JSON.stringify(a["mainthread-work-breakdown"].details.items.map(x=>[x.group, Math.round(x.duration)])));
  console.log("  net:", JSON.stringify(a["network-requests"].details.items.map(x=>[x.url.replace(base,""), x.transferSize, Math.round(x.networkRequestTime), Math.round(x.networkEndTime)])));
 }
}
server.close(); site.remove();
