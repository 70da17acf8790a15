// twinpress search. The build wrote this language's index beside the search page (meta.json,
// the shards s/N.json, doc/N.json for every few articles, c/N.json for the articles' cities:
// src/search/index/mod.rs). This script never
// stems: the build stemmed every word form the site has and lists each, folded, with its stem;
// a typed word is folded the same way (the folding tables come in meta.json), looked up, and an
// unseen form is read as the longest known form it begins with. A common stem's shard also has
// its first ten results ready to show (`w`: link, title, date and snippet), so that the first
// page of a common word fetches no article file. Everything shown is built as text nodes, so a
// title cannot bring markup into the page.
(() => {
  "use strict";
  const box = document.getElementById("search");
  if (!box || !window.fetch) return;
  const $ = (id) => document.getElementById(id);
  const input = $("search-q");
  const status = $("search-status");
  const list = $("search-results");
  const filters = $("search-filters");
  const text = box.dataset;
  const PAGE = 10;
  $("search-nojs").hidden = true;
  box.hidden = false;

  // One language's index, at `base`: this page's, and another language's when a query finds
  // nothing here (its results are then offered).
  function openIndex(base) {
    const loaded = new Map(); // path → the promise of its value
    const shards = new Map(); // path → a shard's value, once here
    const load = (path) => {
      if (!loaded.has(path)) {
        const p = fetch(base + path)
          .then((r) => {
            if (!r.ok) throw new Error(path + ": " + r.status);
            return r.json();
          })
          .then((v) => {
            if (path.startsWith("s/")) {
              // Looked up by what a reader types: "constructor" is no word of the site.
              for (const table of ["f", "t", "w"]) if (v[table]) Object.setPrototypeOf(v[table], null);
              shards.set(path, v);
            }
            return v;
          });
        loaded.set(path, p);
      }
      return loaded.get(path);
    };

    let meta, foldMap, foldable, stop, yearOf;
    // Per document, its cities (indexes into `meta.cities`), as their files (`c/N.json`, for
    // `meta.city_docs` documents each) arrive: fetched only for a query's filters.
    const citiesOf = [];
    const cityFiles = new Map();
    // The files of the cities of documents `docs` (numbers in order), once all are here.
    function loadCities(docs) {
      const wanted = new Set();
      for (const d of docs) wanted.add(Math.floor(d / meta.city_docs));
      return Promise.all(
        [...wanted].map((n) => {
          if (!cityFiles.has(n)) {
            const first = n * meta.city_docs;
            cityFiles.set(
              n,
              load(`c/${n}.json`).then((all) =>
                all.split(",").forEach((c, i) => (citiesOf[first + i] = c ? c.split(".").map(Number) : [])),
              ),
            );
          }
          return cityFiles.get(n);
        }),
      );
    }
    // The index's table is wanted by any query: fetched and read as the page opens, before one
    // is typed.
    const ready = load("meta.json").then((m) => {
      m.latin_shards = Object.setPrototypeOf(m.latin_shards || {}, null);
      foldMap = new Map(m.fold);
      foldable = new RegExp("[" + m.fold.map((p) => p[0]).join("") + "]", "g");
      stop = new Set(m.stop);
      yearOf = new Uint16Array(m.docs);
      let d = 0;
      for (const [y, n] of m.years) yearOf.fill(y, d, (d += n));
      meta = m;
    });
    ready.catch(() => {});
    const lower = (w) => w.toLowerCase().replace(/ё/g, "е");
    const fold = (w) => lower(w).replace(foldable, (c) => foldMap.get(c));
    const isLatin = (w) => /[a-z]/i.test(w) && !/[\u0400-\u04ff]/.test(w);
    const latinFold = (w) => {
      let s = w.toLowerCase();
      for (const [from, to] of meta.latin) s = s.split(from).join(to);
      let out = "";
      for (const c of s) if (!out.endsWith(c)) out += c;
      return out;
    };
    const key = (w) => (isLatin(w) ? latinFold(lower(w)) : fold(w));
    const words = (q) => q.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    // Snippets fold the same words again and again: each once.
    const keys = new Map();
    const keyOf = (w) => {
      let k = keys.get(w);
      if (k === undefined) keys.set(w, (k = key(w)));
      return k;
    };
    // FNV-1a over the UTF-16 units of a term's first three letters, as src/search/fold.rs; by
    // one letter more while the index split that head (`meta.split`: its terms' postings were
    // too many for one file) and the term is longer; a heavy key has its own shard
    // (`meta.dir`), any other its hash's (src/search/index/analysis.rs, `Keys`).
    const fnv = (term, letters) => {
      let h = 0x811c9dc5;
      const head = Array.from(term).slice(0, letters).join("");
      for (let i = 0; i < head.length; i++) {
        h ^= head.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
      }
      return h;
    };
    let split, dir;
    const shardOf = (term) => {
      if (!split) {
        split = new Set(meta.split || []);
        dir = new Map(meta.dir || []);
      }
      const letters = Array.from(term).length;
      let n = 3;
      let h = fnv(term, n);
      while (n < letters && split.has(h)) h = fnv(term, ++n);
      const own = dir.get(h);
      return own === undefined ? h % meta.shards : own;
    };
    const shardPath = (term) => "s/" + shardOf(term) + ".json";
    // Article `d`'s link, title, date and text, from the file it shares with its neighbours.
    const doc = (d) => load("doc/" + Math.floor(d / meta.per_file) + ".json").then((file) => file[d % meta.per_file]);
    const shard = (term) => load(shardPath(term));

    // How sure a match is below an exact one: a stem that begins with a found stem (британ →
    // британск), and a form one typo away. Scores are BM25 ×10 (below 1,000), so any exact match
    // outranks either: they come after the exact results, in their own order.
    const DERIVED = 1 / 512;
    const TYPO = 1 / 1024;
    // Whether `a` and `b` are one edit apart: a letter wrong, missing or extra, or two swapped.
    function oneEdit(a, b) {
      if (a === b || Math.abs(a.length - b.length) > 1) return false;
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      if (a.length === b.length)
        return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
      return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
    }
    // The stems of the forms and stems of shard `s` that `match` takes, not yet in `out`.
    function collect(s, match, factor, out) {
      for (const form in s.f) if (match(form)) for (const stem of s.f[form]) if (!out.has(stem)) out.set(stem, factor);
      for (const stem in s.t) if (match(stem) && !out.has(stem)) out.set(stem, factor);
    }

    // The stems a query word stands for, each with how sure the match is.
    async function stemsOf(word, typing) {
      const k = key(word);
      const chars = Array.from(k);
      if ((chars.length < 2 && !/^\d+$/.test(k)) || stop.has(k)) return null;
      // A name typed in Latin letters: the shards of its common stems, asked for beside its own.
      if (isLatin(word)) for (const n of meta.latin_shards[chars.slice(0, 3).join("")] || []) load(`s/${n}.json`).catch(() => {});
      const s = await shard(k);
      const out = new Map();
      // A form spelled as its stem is not among the forms: it is a stem.
      for (const stem of s.f[k] || []) out.set(stem, 1);
      if (s.t[k]) out.set(k, 1);
      if (chars.length >= 3 && (typing || out.size === 0)) {
        let n = 0;
        for (const table of [s.f, s.t]) {
          for (const form in table) {
            if (n >= 64) break;
            if (form !== k && form.startsWith(k)) {
              for (const stem of table === s.f ? s.f[form] : [form]) if (!out.has(stem)) out.set(stem, 0.9);
              n++;
            }
          }
        }
      }
      // An unseen form read as the longest known form it begins with (акимом → аким): by a
      // head of four letters or more first, as a form one typo away could be the better reading
      // of a shorter one.
      const readHead = (least) => {
        for (let end = chars.length - 1; out.size === 0 && end >= least; end--) {
          const head = chars.slice(0, end).join("");
          if (s.f[head]) for (const stem of s.f[head]) out.set(stem, 0.8);
          else if (s.t[head]) out.set(head, 0.8);
        }
      };
      readHead(4);
      // Words of five letters or more: one typo tolerated. A form or stem of this shard one edit
      // away (its first three letters are the shard's, so an edit after them).
      const typos = chars.length >= 5;
      if (typos) collect(s, (form) => oneEdit(k, form), TYPO, out);
      // A typo in a known stem, and a suffix after it (делгациясы: делегац- one letter away).
      if (typos && out.size === 0)
        for (const stem in s.t) {
          const n = stem.length;
          if (n >= 5 && [n - 1, n, n + 1].some((m) => m <= k.length && oneEdit(k.slice(0, m), stem))) out.set(stem, TYPO);
        }
      readHead(3);
      // Or by a head of five letters or more that leaves off at most three, as the stems that
      // begin with it (Британия, британск-), below exact matches.
      for (let end = chars.length - 1; out.size === 0 && end >= 5 && end >= chars.length - 3; end--) {
        const head = chars.slice(0, end).join("");
        collect(s, (form) => form.startsWith(head), 0.8 * DERIVED, out);
      }
      // When the shard has nothing, the word with an extra letter or two letters swapped among
      // its first three, looked up in its own shard (a wrong or missing letter there would be
      // dozens of shards).
      if (typos && out.size === 0) {
        const near = new Set();
        for (let i = 0; i < 3; i++) {
          near.add(k.slice(0, i) + k.slice(i + 1));
          near.add(k.slice(0, i) + k[i + 1] + k[i] + k.slice(i + 2));
        }
        near.delete(k);
        const shardsNear = await Promise.all([...near].map((w) => shard(w).then((t) => [w, t])));
        for (const [w, t] of shardsNear) collect(t, (form) => form.startsWith(w), TYPO, out);
      }
      // A stem of five letters or more also finds the stems that begin with it (университет,
      // университетск-), below it: in its shard, here already.
      for (const [stem, factor] of [...out]) {
        const t = Array.from(stem).length >= 5 && shards.get(shardPath(stem));
        if (t) for (const other in t.t) if (other !== stem && other.startsWith(stem) && !out.has(other)) out.set(other, factor * DERIVED);
      }
      return out;
    }

    // A stem's postings string: numbers five bits a character from the lowest (a digit of the
    // first 32 ends a number), as src/search/index/mod.rs packs them; document gaps and scores
    // in turn. Read straight into `out`, per document the best score of the word's stems.
    const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    const digit = new Int8Array(128);
    for (let i = 0; i < 64; i++) digit[DIGITS.charCodeAt(i)] = i;
    function addPostings(packed, factor, out) {
      let doc = 0;
      let gap = true;
      for (let i = 0, n = 0, shift = 0; i < packed.length; i++) {
        const d = digit[packed.charCodeAt(i)];
        if (d >= 32) {
          n += (d - 32) * 2 ** shift;
          shift += 5;
          continue;
        }
        n += d * 2 ** shift;
        if (gap) doc += n;
        else if (out[doc] < n * factor) out[doc] = n * factor;
        gap = !gap;
        n = shift = 0;
      }
    }

    // Per document (by number), the score of one query word: its best stem's; 0 where it is not.
    async function scores(stems) {
      const out = new Float64Array(meta.docs);
      for (const [stem, factor] of stems) {
        const packed = (await shard(stem)).t[stem];
        if (packed) addPostings(packed, factor, out);
      }
      return out;
    }

    // Every word form whose stem matched (in the shards of the query's words and stems; a
    // stem's shard lists all of its forms, those beginning otherwise too): what the snippet marks.
    function markedForms(stems, keys) {
      const forms = new Set(stems);
      const paths = new Set([...keys, ...stems].map(shardPath));
      for (const path of paths) {
        const s = shards.get(path);
        if (!s) continue;
        for (const form in s.f) if (s.f[form].some((st) => stems.has(st))) forms.add(form);
      }
      return forms;
    }

    async function search(q, typing) {
      const ws = words(q);
      // The words' shards, and then their stems' postings, fetched side by side.
      const found = (await Promise.all(ws.map((w) => stemsOf(w, typing)))).filter(Boolean);
      const per = await Promise.all(found.map(scores));
      const stems = new Set();
      for (const f of found) f.forEach((_, s) => stems.add(s));
      const keys = ws.map(key);
      // No word found as it is spelled, or as a form of it: what is found is close spellings.
      const close = found.length > 0 && found.every((f) => ![...f.values()].some((x) => x >= 0.8));
      if (per.length === 0) return { hit: () => false, order: (a, b) => b - a, stems, keys, close };
      if (per.length === 1) {
        // One word (most queries): its scores are the totals.
        const total = per[0];
        return { hit: (d) => total[d] > 0, order: (a, b) => total[b] - total[a] || b - a, stems, keys, close };
      }
      // Typed arrays by document number: a common word matches most of a large site.
      const total = new Float64Array(meta.docs);
      const matched = new Uint8Array(meta.docs);
      let most = 0;
      for (const m of per) {
        for (let d = 0; d < m.length; d++) {
          if (m[d] > 0) {
            total[d] += m[d];
            if (++matched[d] > most) most = matched[d];
          }
        }
      }
      // Documents with every word, or failing that, with any.
      const least = most === per.length ? most : 1;
      // More words matched, then a higher score, then newer (documents are numbered from the oldest).
      const order = (a, b) => matched[b] - matched[a] || total[b] - total[a] || b - a;
      return { hit: (d) => matched[d] >= least, order, stems, keys, close };
    }

    // Of the documents `keep` takes, how many there are and the first `k` in `order`, in one
    // pass and without sorting them all.
    function top(keep, k, order) {
      const best = [];
      let n = 0;
      for (let d = 0; d < meta.docs; d++) {
        if (!keep(d)) continue;
        n++;
        if (best.length === k && order(d, best[k - 1]) >= 0) continue;
        let i = Math.min(best.length, k - 1);
        for (; i > 0 && order(d, best[i - 1]) < 0; i--) best[i] = best[i - 1];
        best[i] = d;
      }
      return { n, best };
    }
    return {
      ready,
      search,
      top,
      markedForms,
      shards,
      shardPath,
      doc,
      keyOf,
      words,
      get meta() {
        return meta;
      },
      get yearOf() {
        return yearOf;
      },
      citiesOf,
      loadCities,
    };
  }
  const here = openIndex(text.index);
  const { ready, search, top, markedForms, shards, shardPath, doc, keyOf, words } = here;

  function el(name, attrs, ...children) {
    const e = document.createElement(name);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    for (const c of children) e.append(c);
    return e;
  }

  // The text with the words of `forms` marked, cut to a window around the first of them.
  function marked(textValue, forms, window) {
    const re = /[\p{L}\p{N}]+/gu;
    const spans = [];
    // Words are read up to the end of the window around the first match (or all of a title).
    let end = textValue.length;
    for (const m of textValue.matchAll(re)) {
      if (m.index > end) break;
      if (forms.has(keyOf(m[0]))) {
        spans.push([m.index, m.index + m[0].length]);
        if (window && spans.length === 1) end = m.index + window;
      }
    }
    let from = 0;
    let to = textValue.length;
    if (window && textValue.length > window) {
      const first = spans.length ? spans[0][0] : 0;
      from = Math.max(0, first - window / 3);
      from = from === 0 ? 0 : textValue.indexOf(" ", from) + 1;
      to = Math.min(textValue.length, from + window);
      const space = textValue.lastIndexOf(" ", to);
      if (to < textValue.length && space > from) to = space;
    }
    const out = [];
    if (from > 0) out.push("… ");
    let at = from;
    for (const [a, b] of spans) {
      if (a < from || b > to) continue;
      out.push(textValue.slice(at, a), el("mark", null, textValue.slice(a, b)));
      at = b;
    }
    out.push(textValue.slice(at, to));
    if (to < textValue.length) out.push(" …");
    return out;
  }

  function link(label, params, current) {
    if (current) return el("span", { "aria-current": "true", tabindex: "-1" }, label);
    const url = new URL(location.href);
    for (const [k, v] of Object.entries(params)) {
      if (v === null) url.searchParams.delete(k);
      else url.searchParams.set(k, v);
    }
    return el("a", { href: url.pathname + url.search }, label);
  }

  // Links that narrow the results to a year or a city, with how many each keeps.
  // Each row counts within the other row's choice: the cities of the year chosen, the years of
  // the city chosen, so that every link leads to results.
  function showFilters(hits, year, city) {
    if (!hits.length) {
      filters.replaceChildren();
      return;
    }
    const cityIndex = here.meta.cities.findIndex((c) => c[0] === city);
    const years = new Map();
    const cities = new Map();
    for (const d of hits) {
      // Pages that are not news have no year (0).
      const y = String(here.yearOf[d]);
      if (y !== "0" && (!city || here.citiesOf[d].includes(cityIndex))) years.set(y, (years.get(y) || 0) + 1);
      if (!year || y === year) for (const c of here.citiesOf[d]) cities.set(c, (cities.get(c) || 0) + 1);
    }
    const row = (label, param, entries, current) => {
      const p = el("p", null, label + ": ", link(text.all, { [param]: null }, current === null));
      for (const [value, name, n] of entries) p.append(" ", link(`${name} (${n})`, { [param]: value }, current === value));
      return p;
    };
    const ys = [...years].sort((a, b) => b[0] - a[0]).map(([y, n]) => [y, y, n]);
    const cs = [...cities]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .map(([c, n]) => [here.meta.cities[c][0], here.meta.cities[c][1], n]);
    filters.replaceChildren(row(text.year, "year", ys, year), row(text.cities, "city", cs, city));
  }

  // The header's language switch leads to the same search in the other language.
  const switches = [...document.querySelectorAll(".langs a[hreflang]")].map((a) => [a, a.getAttribute("href").split("?")[0]]);
  function keepQuery(q) {
    for (const [a, base] of switches) a.setAttribute("href", q.trim() ? `${base}?q=${encodeURIComponent(q)}` : base);
  }

  // A query that finds nothing here is run in the site's other languages, and what they find is
  // offered ("Русский: 3"), leading to that language's search for the same words.
  const elsewhere = $("search-elsewhere");
  const others = elsewhere
    ? [...elsewhere.querySelectorAll("a")].map((a) => ({ a, base: a.getAttribute("data-index"), name: a.getAttribute("data-name"), index: null }))
    : [];
  async function offerElsewhere(q, mine) {
    let any = false;
    for (const o of others) {
      o.index = o.index || openIndex(o.base);
      let n = 0;
      try {
        await o.index.ready;
        const { hit } = await o.index.search(q, false);
        for (let d = 0; d < o.index.meta.docs; d++) if (hit(d)) n++;
      } catch (e) {
        console.error(e);
      }
      if (mine !== run) return;
      o.a.textContent = `${o.name}: ${n}`;
      o.a.setAttribute("href", `${o.base}?q=${encodeURIComponent(q)}`);
      o.a.hidden = n === 0;
      any = any || n > 0;
    }
    if (elsewhere) elsewhere.hidden = !any;
  }

  let run = 0;
  async function show(typing) {
    const mine = ++run;
    const params = new URLSearchParams(location.search);
    const q = params.get("q") || "";
    const year = params.get("year");
    const city = params.get("city");
    if (input.value !== q && !typing) input.value = q;
    keepQuery(q);
    if (elsewhere) elsewhere.hidden = true;
    if (!q.trim()) {
      status.textContent = "";
      filters.replaceChildren();
      list.replaceChildren();
      return;
    }
    await ready;
    const { hit, order, stems, keys, close } = await search(q, typing);
    if (mine !== run) return;
    const cityIndex = here.meta.cities.findIndex((c) => c[0] === city);
    // A city chosen: the cities of the documents found, first.
    if (city) {
      const found = [];
      for (let d = 0; d < here.meta.docs; d++) if (hit(d)) found.push(d);
      await here.loadCities(found);
      if (mine !== run) return;
    }
    const keep =
      year || city
        ? (d) => hit(d) && (!year || String(here.yearOf[d]) === year) && (!city || here.citiesOf[d].includes(cityIndex))
        : hit;
    // The first page first: its files asked for at once, its results shown as they come.
    const first = top(keep, PAGE, order);
    const forms = markedForms(stems, keys);
    list.replaceChildren();
    filters.replaceChildren();
    await more(first.best, forms, mine, preparedResults(first.best, stems));
    if (mine !== run) return;
    // Announced once the results are there.
    // "Remove a filter" only when one is set.
    // Close spellings alone are said to be so.
    status.textContent = first.n ? (close ? text.close : text.found).replace("{n}", first.n) : year || city ? text.none : text.noneWord;
    if (!first.n && !year && !city) offerElsewhere(q, mine).catch(fail);
    // Then, once they are drawn, the filters and the rest in order for the next pages.
    await new Promise((next) => setTimeout(next));
    if (mine !== run) return;
    const hits = [];
    const shown = [];
    for (let d = 0; d < here.meta.docs; d++) {
      if (!hit(d)) continue;
      hits.push(d);
      if (keep(d)) shown.push(d);
    }
    shown.sort(order);
    offerMore(shown, forms, mine);
    await here.loadCities(hits);
    if (mine !== run) return;
    showFilters(hits, year, city);
  }

  // Of the documents `best`, those a matched stem's shard has ready to show (the first results
  // of a common stem), by number: no article file to fetch for them. Of two stems' snippets,
  // the one around the earlier match (`p`, where in the text a form of the stem is first; none
  // when the text has none, the snippet then from its start), as `marked` would cut it.
  function preparedResults(best, stems) {
    const found = new Map();
    const wanted = new Set(best);
    const at = (r) => (r.p === undefined ? Infinity : r.p);
    for (const stem of stems.keys()) {
      const s = shards.get(shardPath(stem));
      for (const r of (s && s.w && s.w[stem]) || []) {
        if (!wanted.has(r.n)) continue;
        const had = found.get(r.n);
        if (!had || at(r) < at(had)) found.set(r.n, r);
      }
    }
    return found;
  }

  // The next page of `shown` (those not yet in the list), each result as soon as it and those
  // before it are here; from `shown` those ready to show (with a snippet cut already, `c`
  // saying whether text was left out before and after it), the others from their files.
  async function more(shown, forms, mine, prepared) {
    const from = list.querySelectorAll("li:not(.search-more)").length;
    const docs = shown.slice(from, from + PAGE).map((n) => (prepared && prepared.get(n)) || doc(n));
    for (const next of docs) {
      const { u, t, d, x, c } = await next;
      if (mine !== run) return;
      const a = el("a", { href: u }, ...marked(t, forms, 0));
      const snippet = c === undefined ? marked(x, forms, 240) : marked(x, forms, 0);
      if (c & 1) snippet.unshift("… ");
      if (c & 2) snippet.push(" …");
      // A page that is not news has no date.
      const dated = d ? [el("p", { class: "meta" }, d)] : [];
      list.append(el("li", null, a, ...dated, el("p", null, ...snippet)));
    }
  }

  // A button for the next page, while there is one.
  function offerMore(shown, forms, mine) {
    if (shown.length <= list.children.length) return;
    const button = el("button", { type: "button" }, text.more);
    button.addEventListener("click", async () => {
      button.parentElement.remove();
      await more(shown, forms, mine);
      if (mine === run) offerMore(shown, forms, mine);
    });
    list.append(el("li", { class: "search-more" }, button));
  }

  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const url = new URL(location.href);
      url.searchParams.set("q", input.value);
      history.replaceState(null, "", url.pathname + url.search);
      show(true).catch(fail);
    }, 120);
  });
  input.form.addEventListener("submit", (e) => {
    e.preventDefault();
    const url = new URL(location.href);
    url.search = "";
    url.searchParams.set("q", input.value);
    history.pushState(null, "", url.pathname + url.search);
    show(false).catch(fail);
  });
  filters.addEventListener("click", (e) => {
    const a = e.target.closest("a");
    if (!a) return;
    e.preventDefault();
    history.pushState(null, "", a.getAttribute("href"));
    show(false).then(() => filters.querySelector("[aria-current]")?.focus()).catch(fail);
  });
  window.addEventListener("popstate", () => show(false).catch(fail));
  function fail(err) {
    status.textContent = text.none;
    console.error(err);
  }
  show(false).catch(fail);
})();
