#!/usr/bin/env bash
# Search side by side with Pagefind, in one run (issue 14):
#
#   bench/search/run.sh portal        the portal itself
#   bench/search/run.sh 10000         the generated corpus of ../shared/bench, 10,000 articles
#
# Builds the site with twinpress with search on and off (RUNS alternating runs each: the index's
# share of the build), runs Pagefind (from npm, into bench/search/node_modules) over the built
# site's article pages (its indexing time), then compare.mjs queries both in headless chromium:
# hits in the top 3 and 10, bytes of a first query, query latency.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
what=${1:-portal}
runs=${RUNS:-3}
work=${BENCH_DIR:-$([ -d /dev/shm ] && echo /dev/shm || echo /tmp)/twinpress-search}/$what
mkdir -p "$work"
cargo build --release --quiet --manifest-path "$project/Cargo.toml"
bin=$project/target/release/twinpress
if [ "$what" = portal ]; then
  site=$work/site
  rm -rf "$site" && mkdir -p "$site"
  cp -r "$project"/{site.toml,content,templates,static} "$site/"
else
  python3 "${SHARED:-$project/../shared}/bench/gen_corpus.py" "$work/corpus" --articles "$what" >/dev/null
  site=$work/corpus/portal
  cp "$project/bench/site.toml" "$site/site.toml"
  rm -rf "$site/templates" && cp -r "$project/bench/templates" "$site/templates"
fi
off=$work/site-off
rm -rf "$off" && cp -r "$site" "$off"
printf '\n[search]\nenabled = false\n' >> "$off/site.toml"
[ -x "$here/node_modules/.bin/pagefind" ] || (cd "$here" && npm install --no-save --no-audit --no-fund --loglevel=error pagefind@1.6.0 >/dev/null)
[ -d "$project/tests/e2e/node_modules" ] || (cd "$project/tests/e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)

ms() { date +%s%N | cut -c1-13; }
# A build's processor time (user and system, all threads) in ms, beside its wall time: on a
# shared machine the wall time of one build moves with what else runs, its processor time less.
TIMEFORMAT='%3U %3S'
cpu() { { time "$@" >/dev/null 2>&3; } 3>&2 2>&1 | awk 'END { printf "%d", 1000 * ($1 + $2) }'; }
on=(); without=(); pf=(); on_cpu=(); without_cpu=()
for i in $(seq "$runs"); do
  rm -rf "$work/out-off"; t=$(ms); without_cpu+=($(cd "$off" && cpu "$bin" build --output "$work/out-off")); without+=($(( $(ms) - t )))
  rm -rf "$work/out"; t=$(ms); on_cpu+=($(cd "$site" && cpu "$bin" build --output "$work/out" --base-url http://127.0.0.1/)); on+=($(( $(ms) - t )))
  rm -rf "$work/out-off/pagefind"; t=$(ms)
  "$here/node_modules/.bin/pagefind" --site "$work/out-off" --glob "*/news/*/index.html" --output-subdir pagefind >/dev/null
  pf+=($(( $(ms) - t )))
done
med() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
a=$(med "${without[@]}"); b=$(med "${on[@]}"); p=$(med "${pf[@]}")
echo "== $what: build without search ${a} ms, with search ${b} ms: the index adds $((b - a)) ms ($(( 100 * (b - a) / b )) % of the build); Pagefind indexing ${p} ms"
echo "   index time / Pagefind's: $(awk "BEGIN { printf \"%.2f\", ($b - $a) / $p }")"
ac=$(med "${without_cpu[@]}"); bc=$(med "${on_cpu[@]}")
echo "   processor time (user + system, medians): without search ${ac} ms, with search ${bc} ms: the index adds $((bc - ac)) ms ($(( 100 * (bc - ac) / bc )) %)"
# Each alternating pair's share, for the spread between runs on this machine (the medians above
# hide it: on a shared two-core machine the medians of two runs of one build were 11 % and 23 %).
share() { local -n x=$1 y=$2; for i in "${!x[@]}"; do printf ' %d' $(( 100 * (${y[i]} - ${x[i]}) / ${y[i]} )); done; }
echo "   each pair's share (%): wall$(share without on), processor$(share without_cpu on_cpu)"
# Pagefind's index beside twinpress's, in the one site the browser reads.
rm -rf "$work/out/pagefind" && cp -r "$work/out-off/pagefind" "$work/out/pagefind"
(cd "$here" && node compare.mjs "$site" "$work/out")
