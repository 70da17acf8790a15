#!/usr/bin/env bash
# Photos, side by side with Hugo: the corpus of compare.sh with PHOTOS camera-sized JPEGs
# (generated, 4000×3000, EXIF with GPS, half of them turned by orientation 6), the first PHOTOS
# articles each showing one in both languages, made into 480, 960 and 1600 wide WebP and JPEG
# by both tools (Hugo: .Resize in its page template, after images.AutoOrient).
#
#   bench/photos.sh [ARTICLES] [PHOTOS]     (defaults: 2000 2000; RUNS=N warm runs, COLD=N cold)
#
# Reports, as ratios:
#   cold    a build with no cache (twinpress' .twinpress-cache, Hugo's resources/ and cache dir
#           removed) against Hugo's cold build of the same corpus;
#   warm    a full build into an empty output with the photo cache kept, against the same corpus
#           without photos (twinpress both);
#   memory  peak resident memory of the cold build with photos against the build without.
set -euo pipefail

articles=${1:-2000}
photos=${2:-2000}
runs=${RUNS:-3}
cold_runs=${COLD:-1}
here=$(cd "$(dirname "$0")" && pwd)
project=$(dirname "$here")
shared=${SHARED:-$project/../shared}/bench
base=${BENCH_DIR:-$([ -d /dev/shm ] && echo /dev/shm || echo /tmp)/twinpress-bench}
work=$base/photos-$articles-$photos
mkdir -p "$work"

echo "== building twinpress and the photo generator (release)"
(cd "$project" && cargo build --release --quiet && cargo build --release --quiet --example bench-photos)
twinpress=$project/target/release/twinpress

echo "== $photos camera photos in $base/photos-src"
"$project/target/release/examples/bench-photos" "$base/photos-src" "$photos"

echo "== corpus: $articles articles in $work"
rm -rf "$work/corpus"
python3 "$shared/gen_corpus.py" "$work/corpus" --articles "$articles" >/dev/null
plain=$work/corpus/portal
cp "$here/site.toml" "$plain/site.toml"
cp -r "$here/templates" "$plain/templates"
hugo_site=$work/corpus/hugo
cp "$shared/hugo/hugo.toml" "$hugo_site/hugo.toml"
cp -r "$shared/hugo/layouts" "$hugo_site/layouts"
cp "$here/hugo-photos/page.html" "$hugo_site/layouts/page.html"
with=$work/corpus/portal-photos
cp -r "$plain" "$with"
# The photos: hard links (one copy in memory), beside the twinpress articles and in Hugo's assets.
python3 - "$with" "$hugo_site" "$base/photos-src" "$photos" <<'PY'
import os, sys
portal, hugo, src, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
news = os.path.join(portal, "content", "news")
stems = sorted({(d, f.rsplit(".", 2)[0]) for d in os.listdir(news) for f in os.listdir(os.path.join(news, d)) if f.endswith(".ru.md")})
os.makedirs(os.path.join(hugo, "assets", "photos"), exist_ok=True)
def add(path, table):
    text = open(path, encoding="utf-8").read()
    head, body = text[4:].split("+++\n", 1)
    open(path, "w", encoding="utf-8").write("+++\n" + head + table + "+++\n" + body)
for n, (year, stem) in enumerate(stems[:count]):
    photo = os.path.join(src, f"photo-{n:05d}.jpg")
    name = f"{stem}.jpg"
    os.link(photo, os.path.join(news, year, name))
    os.link(photo, os.path.join(hugo, "assets", "photos", name))
    for lang, alt in (("ru", "Фото статьи"), ("kk", "Мақаланың суреті")):
        for root, table in ((news, f'[[photos]]\nfile = "{name}"\nalt = "{alt}"\n'),
                            (os.path.join(hugo, "content", "news"), f'photo = "{name}"\nphoto_alt = "{alt}"\n')):
            md = os.path.join(root, year, f"{stem}.{lang}.md")
            if os.path.exists(md):
                add(md, table)
print(f"{min(count, len(stems))} articles with a photo")
PY

. "$here/hugo.sh"

out=$work/out
# name: what to remove first, then the command.
run() {
  local name=$1
  rm -rf "$out"
  case $name in
    tp-cold) rm -rf "$with/.twinpress-cache"; cmd=("$twinpress" build --root "$with" --output "$out") ;;
    tp-warm) cmd=("$twinpress" build --root "$with" --output "$out") ;;
    tp-plain) cmd=("$twinpress" build --root "$plain" --output "$out") ;;
    hugo-cold) rm -rf "$hugo_site/resources" "$work/hugo-cache" "$hugo_site/.hugo_build.lock"
      cmd=(env HUGO_CACHEDIR="$work/hugo-cache" "$hugo" --quiet -s "$hugo_site" -d "$out") ;;
  esac
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "${cmd[@]}" >/dev/null
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$work/time.txt" >>"$work/$name.tsv"
  if [ "$name" = tp-cold ] || [ "$name" = hugo-cold ]; then
    echo "   $name: $(cat "$work/time.txt" | cut -d' ' -f1) s, $(find "$out" -path '*photos*' -type f \( -name '*.webp' -o -name '*.jpg' \) | wc -l) photo files, $(du -sk "$out" | cut -f1) KB output"
  fi
}

rm -f "$work"/*.tsv
echo "== $cold_runs cold runs each (twinpress, Hugo), alternating"
for i in $(seq 1 "$cold_runs"); do run tp-cold; run hugo-cold; done
echo "== warm-up, then $runs alternating warm runs (twinpress with photos, cached; without photos)"
run tp-warm; run tp-plain
rm -f "$work/tp-warm.tsv" "$work/tp-plain.tsv"
for i in $(seq 1 "$runs"); do run tp-warm; run tp-plain; done
echo "== peak memory without photos: a cold build of the plain corpus"
for i in $(seq 1 "$runs"); do run tp-plain; done

python3 - "$work" "$articles" "$photos" <<'PY'
import os, statistics, sys
work, articles, photos = sys.argv[1:4]
def med(name):
    rows = [list(map(float, l.split())) for l in open(os.path.join(work, name + ".tsv")) if l.strip()]
    return [statistics.median(c) for c in zip(*rows)], len(rows)
(cw, cc, cm), cn = med("tp-cold")
(hw, hc, hm), _ = med("hugo-cold")
(ww, wc, wm), wn = med("tp-warm")
(pw, pc, pm), pn = med("tp-plain")
print(f"== {articles} articles, {photos} photos (medians: cold of {cn}, warm of {wn}, plain of {pn})")
print(f"{'':22} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}")
for name, (w, c, m) in [("twinpress cold", (cw, cc, cm)), ("hugo cold", (hw, hc, hm)),
                        ("twinpress warm cache", (ww, wc, wm)), ("twinpress no photos", (pw, pc, pm))]:
    print(f"{name:22} {w:8.2f} {c:8.2f} {m/1024:9.0f}")
print(f"cold ratio   {cw/hw:.3f}  (twinpress / Hugo, wall; goal <= 0.5)")
print(f"warm ratio   {ww/pw:.3f}  (warm cache / no photos, wall; goal <= 1.15)")
print(f"memory ratio {cm/pm:.3f}  (cold with photos / no photos, peak; goal <= 1.3)")
PY
