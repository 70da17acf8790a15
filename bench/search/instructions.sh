#!/usr/bin/env bash
# The index's share of a build in instructions, which a busy or shared machine does not move
# (wall time on one moved by ±20 % between runs of the same build):
#
#   bench/search/instructions.sh          # the generated corpus, 1,000 articles
#   bench/search/instructions.sh 2000
#
# Builds the corpus with search on and off once each under valgrind's cachegrind (needs
# valgrind; about ten seconds a build at 1,000 articles) and prints the instructions of each and
# the share of the search-on build the index adds. A guide for changes to the index's code;
# the time it adds is measured by run.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
n=${1:-1000}
work=${BENCH_DIR:-$([ -d /dev/shm ] && echo /dev/shm || echo /tmp)/twinpress-search}/instructions-$n
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
cargo build --release --quiet --manifest-path "$project/Cargo.toml"
bin=$project/target/release/twinpress
rm -rf "$work" && mkdir -p "$work"
python3 "${SHARED:-$project/../shared}/bench/gen_corpus.py" "$work/corpus" --articles "$n" >/dev/null
on=$work/corpus/portal
cp "$project/bench/site.toml" "$on/site.toml"
rm -rf "$on/templates" && cp -r "$project/bench/templates" "$on/templates"
off=$work/site-off
cp -r "$on" "$off"
printf '\n[search]\nenabled = false\n' >> "$off/site.toml"
count() {
  rm -rf "$work/out"
  (cd "$1" && valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    "$bin" build --output "$work/out" 2>&1 >/dev/null) | sed -n 's/.*I *refs: *//p' | tr -d ,
}
a=$(count "$off"); b=$(count "$on")
echo "== $n articles: instructions without search $a, with search $b: the index adds $((b - a)) ($(awk "BEGIN { printf \"%.1f\", 100 * ($b - $a) / $b }") % of the build)"
