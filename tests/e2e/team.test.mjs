// The desk for a team, in headless chromium over a copy of the portal in a git repository, with
// two accounts in two browser contexts: an author signs in, writes, submits; an editor sees it in
// review, returns it with a comment; the author fixes it and submits again; the editor approves
// it and a plain build publishes it. The history shows the commits by the right names, a version
// as a diff, and a restore. Then an author's script (with raw HTML allowed) tries to approve its
// own article while the editor previews it: the preview runs no content script. Screenshots of
// the flow in both languages go to artifacts/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, artifact, build, copySite, launch, serve } from "./lib.mjs";

const AUTHOR = ["erlan", "көктемгі-мақала-7"];
const EDITOR = ["dana", "жол-картасы-2026"];
let site, server, browser, origin, author, editor;

const file = (rel) => join(site.root, rel);
const read = (rel) => readFileSync(file(rel), "utf8");
const git = (...args) => {
  const r = spawnSync("git", ["-C", site.root, ...args], {
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: "setup", GIT_AUTHOR_EMAIL: "setup@example.kz", GIT_COMMITTER_NAME: "setup", GIT_COMMITTER_EMAIL: "setup@example.kz" },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

function addUser([name, password], role, email) {
  const args = ["user", "add", name, "--role", role, "--password-stdin", "--root", site.root];
  if (email) args.push("--email", email);
  const r = spawnSync(BINARY, args, { input: `${password}\n`, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

/** A browser context signed in as `who`, with the desk in `ui`. */
async function signedIn(who, ui) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${origin}/_desk/${ui}/`);
  assert.match(new URL(page.url()).pathname, /\/_desk\/\w+\/login$/, "sent to sign in");
  await page.fill("#name", who[0]);
  await page.fill("#password", who[1]);
  await page.click("form.login button[type=submit]");
  await page.waitForURL(new RegExp(`/_desk/${ui}/$`));
  return { context, page };
}

before(async () => {
  site = copySite("portal");
  git("init", "--quiet");
  git("add", "--all");
  git("commit", "--quiet", "-m", "The portal");
  addUser(AUTHOR, "author");
  addUser(EDITOR, "editor", "dana@example.kz");
  server = await serve(site.root);
  origin = new URL(server.url).origin;
  browser = await launch();
  author = await signedIn(AUTHOR, "ru");
  editor = await signedIn(EDITOR, "kk");
});

after(async () => {
  await browser?.close();
  await server?.stop();
  site?.remove();
});

const ID = "2026/2026-03-05-molodezhnyy-forum-almaty-i-shankhaya";
const REL = `content/news/${ID}.ru.md`;
const editUrl = (ui) => `${origin}/_desk/${ui}/edit?id=${encodeURIComponent(ID)}`;

test("author writes and submits, editor returns with a comment, author fixes, editor approves, a build publishes", async () => {
  const a = author.page;
  await a.goto(`${origin}/_desk/ru/new`);
  await a.fill("#new-title", "Молодёжный форум Алматы и Шанхая");
  await a.selectOption("#new-lang", "ru");
  await a.fill("#new-date", "2026-03-05");
  await a.selectOption("#new-region", "almaty");
  await a.selectOption("#new-partners", ["shanghai"]);
  await a.click("form.narrow button[type=submit]");
  await a.waitForURL(/\/_desk\/ru\/edit\?id=/);
  assert.ok(existsSync(file(REL)), readdirSync(file("content/news/2026")).join(", "));
  await a.fill("#ru-body", "Форум прошёл в марте.");
  await a.click("#edit button[type=submit]");
  await a.waitForURL(/saved=1/);
  // An author has no approve button, and the draft box stays theirs only to keep checked.
  assert.equal(await a.locator("form.approve").count(), 0);
  await a.click(".review-box form button:has-text('Отправить на проверку')");
  await a.waitForURL(/saved=1/);
  assert.match(await a.locator(".review-box .state").textContent(), /На проверке/);

  // The editor finds it in review (Kazakh desk) and returns it with a comment.
  const e = editor.page;
  await e.goto(`${origin}/_desk/kk/?state=in_review`);
  const row = e.locator("table.articles tbody tr", { hasText: "Молодёжный форум" });
  assert.match(await row.locator("td.review").textContent(), /Тексеруде/);
  await e.screenshot({ path: artifact("team-kk-in-review.png") });
  await row.locator("a").first().click();
  await e.waitForURL(/\/_desk\/kk\/edit\?id=/);
  await e.fill("#review-comment", "Форумның нақты күнін және қатысушылар санын жазыңыз.");
  await e.click("form.send-back button[type=submit]");
  await e.waitForURL(/saved=1/);
  assert.match(await e.locator(".review-box .state").textContent(), /Қайтарылды/);

  // The author sees the comment, fixes the text, submits again.
  await a.goto(editUrl("ru"));
  assert.match(await a.locator(".review-box .comment").textContent(), /нақты күнін/);
  assert.match(await a.locator(".review-box .comment footer").textContent(), /dana/);
  await a.screenshot({ path: artifact("team-ru-returned.png") });
  await a.fill("#ru-body", "Форум прошёл 5 марта 2026 года.");
  await a.click("#edit button[type=submit]");
  await a.waitForURL(/saved=1/);
  await a.click(".review-box form button:has-text('Отправить на проверку')");
  await a.waitForURL(/saved=1/);

  // The editor approves: public, in a plain build.
  await e.goto(editUrl("kk"));
  await e.screenshot({ path: artifact("team-kk-review.png") });
  await e.click("form.approve button[type=submit]");
  await e.waitForURL(/saved=1/);
  assert.match(await e.locator(".review-box .state").textContent(), /Жарияланған/);
  assert.doesNotMatch(read(REL), /draft|\[review\]/);
  const out = mkdtempSync(join(tmpdir(), "twinpress-team-"));
  build(site.root, out, "https://example.org/");
  assert.match(readFileSync(join(out, "ru", "news", "2026-03-05-molodezhnyy-forum-almaty-i-shankhaya", "index.html"), "utf8"), /5 марта 2026/);
});

test("the history: commits by the right names, a version as a diff, a restore", async () => {
  const log = git("log", "--format=%an|%s", "--", REL).trim().split("\n");
  assert.deepEqual(
    log.map((l) => l.split("|")[0]),
    ["dana", "erlan", "erlan", "dana", "erlan", "erlan", "erlan"],
    log.join("\n"),
  );
  assert.match(log[0], /Approved «Молодёжный форум Алматы и Шанхая»/);
  assert.match(log[3], /Returned «Молодёжный форум Алматы и Шанхая» to its author: Форумның/);
  const e = editor.page;
  await e.goto(editUrl("ru"));
  const versions = e.locator(".history ol.versions li");
  assert.equal(await versions.count(), 7);
  // The version the author first saved, beside today's text.
  await versions.nth(5).locator("a").click();
  await e.waitForURL(/\/history\?/);
  assert.match(await e.locator("pre.diff").first().textContent(), /- Форум прошёл в марте\./);
  assert.match(await e.locator("pre.diff").first().textContent(), /\+ Форум прошёл 5 марта 2026 года\./);
  await e.screenshot({ path: artifact("team-ru-history.png"), fullPage: true });
  await e.click("section.version button[type=submit]");
  await e.waitForURL(/saved=1/);
  assert.match(read(REL), /Форум прошёл в марте\./);
  assert.match(git("log", "-1", "--format=%an|%s", "--", REL), /^dana\|Restored «/);
});

test("an author's script in a body cannot approve its article while an editor previews it", async () => {
  // A site that allows HTML in bodies, and an author who abuses it.
  writeFileSync(file("site.toml"), `${read("site.toml")}\n[markdown]\nraw_html = true\n`);
  const a = author.page;
  await a.goto(`${origin}/_desk/ru/new`);
  await a.fill("#new-title", "Статья со скриптом");
  await a.selectOption("#new-lang", "ru");
  await a.fill("#new-date", "2026-03-06");
  await a.selectOption("#new-region", "almaty");
  await a.selectOption("#new-partners", ["shanghai"]);
  await a.click("form.narrow button[type=submit]");
  await a.waitForURL(/\/_desk\/ru\/edit\?id=/);
  const ownId = decodeURIComponent(new URL(a.url()).searchParams.get("id"));
  const ownRel = `content/news/${ownId}.ru.md`;
  const attack = `<script>fetch("/_desk/ru/review", {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: "id=${encodeURIComponent(ownId)}&action=approve"}).then(() => document.title = "approved")</script>`;
  // Written through the desk, as an author would (the site allows HTML, so the save takes it).
  await a.fill("#ru-body", `Текст.\n\n${attack}\n`);
  await a.click("#edit button[type=submit]");
  await a.waitForURL(/saved=1/);
  assert.match(read(ownRel), /<script>fetch/);
  // The editor opens it: the editor page with its preview, and the preview page itself.
  const e = editor.page;
  const blocked = [];
  e.on("console", (m) => m.type() === "error" && blocked.push(m.text()));
  await e.goto(`${origin}/_desk/ru/edit?id=${encodeURIComponent(ownId)}`);
  await e.frameLocator("#preview").locator("h1").waitFor();
  await e.goto(`${origin}/ru/news/${ownId.split("/")[1]}/`);
  await e.waitForTimeout(1500);
  assert.notEqual(await e.title(), "approved");
  assert.match(read(ownRel), /draft = true/, "still a draft: the script never ran");
  assert.ok(blocked.some((t) => /Content Security Policy/.test(t)), `the browser says it refused the script: ${blocked.join(" | ")}`);
});
