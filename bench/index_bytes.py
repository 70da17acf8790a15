#!/usr/bin/env python3
"""What a first query downloads from a built site's search index, per language (issue 38).

    bench/index_bytes.py OUTPUT_DIR

For each language's index (OUTPUT_DIR/LANG/search/): the table every query loads (meta.json),
the largest piece, and for each of the ten commonest stems (most documents) what a first query
for it fetches before its first page shows: the table, its piece, and the article files of its
first ten results unless its piece has them ready. Sizes as served: gzip level 6, as nginx's
gzip and the benchmark's static server send them (headers left out).
"""
import gzip
import json
import os
import sys

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
DIGIT = {c: i for i, c in enumerate(DIGITS)}


def gz(path):
    with open(path, "rb") as f:
        return len(gzip.compress(f.read(), 6))


def postings(packed):
    """(document, score) pairs of a packed postings string, as static/search.js reads them."""
    out, doc, gap, n, shift = [], 0, True, 0, 0
    for ch in packed:
        d = DIGIT[ch]
        if d >= 32:
            n += (d - 32) << shift
            shift += 5
            continue
        n += d << shift
        if gap:
            doc += n
        else:
            out.append((doc, n))
        gap = not gap
        n = shift = 0
    return out


def main(out_dir):
    for lang in sorted(os.listdir(out_dir)):
        base = os.path.join(out_dir, lang, "search")
        if not os.path.isfile(os.path.join(base, "meta.json")):
            continue
        meta = json.load(open(os.path.join(base, "meta.json")))
        meta_gz = gz(os.path.join(base, "meta.json"))
        shards = meta["shards"]
        sizes = {}
        dfs = []
        for n in range(shards):
            path = os.path.join(base, "s", f"{n}.json")
            if not os.path.isfile(path):
                continue
            sizes[n] = gz(path)
            s = json.load(open(path))
            for stem, packed in s["t"].items():
                dfs.append((len(postings(packed)), stem, n, stem in s.get("w", {}), packed))
        dfs.sort(reverse=True)
        firsts = []
        for df, stem, n, ready, packed in dfs[:10]:
            doc_files = 0
            if not ready:
                top = sorted(postings(packed), key=lambda p: (-p[1], -p[0]))[:10]
                files = sorted({d // meta["per_file"] for d, _ in top})
                doc_files = sum(gz(os.path.join(base, "doc", f"{f}.json")) for f in files)
            firsts.append((meta_gz + sizes[n] + doc_files, stem, df))
        kb = lambda b: f"{b / 1024:.1f} KB"
        total = sum(sizes.values())
        print(
            f"{lang}: {meta['docs']} documents, {len(sizes)} pieces ({kb(total)} gzipped in all); "
            f"table {kb(meta_gz)}, largest piece {kb(max(sizes.values()))}; "
            f"first query, ten commonest stems: median {kb(sorted(f[0] for f in firsts)[len(firsts) // 2])}, "
            f"most {kb(max(f[0] for f in firsts))} ({max(firsts)[1]}, in {max(firsts)[2]} documents)"
        )


if __name__ == "__main__":
    main(sys.argv[1])
