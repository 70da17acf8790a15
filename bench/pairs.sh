#!/usr/bin/env bash
# Alternating pairs of whole builds: is one way of building faster than another by more than
# the machine's noise?
#
#   B_ENV='TWINPRESS_SIMD=words=scalar' bench/pairs.sh 10000      (PAIRS=10 by default)
#   A_BIN=/tmp/old/twinpress B_BIN=target/release/twinpress bench/pairs.sh 10000
#
# Builds the compare.sh corpus with A (the release binary, or A_BIN, with the environment A_ENV)
# and B (B_BIN or the same binary, with B_ENV), one pair after another, the order inside each
# pair alternating (A B, B A, ...) so that neither side always runs on a warmer machine. Every
# build is a full build into an emptied output on tmpfs. Prints each pair's wall and processor
# time (user + system, all threads) and peak memory, B against A, then the median of the pairs'
# ratios and how many pairs B was slower in: a change that saves 2 % shows in most pairs, noise
# in about half.
set -euo pipefail

articles=${1:-10000}
pairs=${PAIRS:-10}
. "$(dirname "$0")/corpus.sh"

if [ -z "${A_BIN:-}" ] || [ -z "${B_BIN:-}" ]; then
  echo "== building twinpress (release)"
  (cd "$project" && cargo build --release --quiet)
fi
a_bin=${A_BIN:-$project/target/release/twinpress}
b_bin=${B_BIN:-$project/target/release/twinpress}
a_env=${A_ENV:-}
b_env=${B_ENV:-}
out=$work/out-pairs
rm -f "$work/pairs.tsv"

# one SIDE: a full build, appending "side wall cpu maxrss_kib" to pairs.tsv
one() {
  local side=$1 bin env
  if [ "$side" = A ]; then bin=$a_bin env=$a_env; else bin=$b_bin env=$b_env; fi
  rm -rf "$out" "$work/.out-pairs.twinpress-files"
  sync
  env $env /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" \
    "$bin" build --root "$portal" --output "$out" >/dev/null
  awk -v s="$side" '{ printf "%s %s %.2f %s\n", s, $1, $2 + $3, $4 }' "$work/time.txt" >>"$work/pairs.tsv"
}

echo "== A: $a_bin ${a_env:-(no environment)}"
echo "== B: $b_bin ${b_env:-(no environment)}"
echo "== warm-up"
one A; one B
rm -f "$work/pairs.tsv"
echo "== $pairs pairs, $articles articles"
for i in $(seq 1 "$pairs"); do
  if [ $((i % 2)) = 1 ]; then one A; one B; else one B; one A; fi
done

python3 - "$work/pairs.tsv" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
a = [list(map(float, r[1:])) for r in rows if r[0] == "A"]
b = [list(map(float, r[1:])) for r in rows if r[0] == "B"]
print(f"{'pair':>4} {'A wall':>7} {'B wall':>7} {'B/A':>6}   {'A cpu':>6} {'B cpu':>6} {'B/A':>6}   {'A MiB':>6} {'B MiB':>6}")
wall, cpu, mem = [], [], []
for i, (x, y) in enumerate(zip(a, b), 1):
    wall.append(y[0] / x[0]); cpu.append(y[1] / x[1]); mem.append(y[2] / x[2])
    print(f"{i:4} {x[0]:7.2f} {y[0]:7.2f} {wall[-1]:6.3f}   {x[1]:6.2f} {y[1]:6.2f} {cpu[-1]:6.3f}   {x[2]/1024:6.0f} {y[2]/1024:6.0f}")
n = len(wall)
print(f"median B/A: wall {statistics.median(wall):.3f} ({sum(r > 1 for r in wall)} of {n} pairs B slower), "
      f"cpu {statistics.median(cpu):.3f} ({sum(r > 1 for r in cpu)} of {n} pairs B slower), "
      f"peak memory {statistics.median(mem):.3f}")
PY
