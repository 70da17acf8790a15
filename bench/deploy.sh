#!/usr/bin/env bash
# One changed article published two ways, side by side on the same corpus (issue 36):
#
#   bench/deploy.sh 10000          (ROUNDS=3 by default)
#
# A: `twinpress build` into public/, then `rsync -a --delete public/ live/` (the README's old way:
#    the live folder changes file by file while readers read it);
# B: `twinpress deploy` to a release target (build, crawl check, a new release with unchanged
#    files hard-linked to the live one, one atomic switch).
# Both start from the corpus already published once; each round appends a sentence to one
# article and publishes it both ways (the order alternating). Prints, per round, wall time,
# files written on the target and bytes written there, B against A. The target is on the same
# disk as the corpus (tmpfs when /dev/shm exists): what is measured is the work, not a network.
set -euo pipefail

articles=${1:-10000}
rounds=${ROUNDS:-3}
. "$(dirname "$0")/corpus.sh"
bin=${BIN:-$project/target/release/twinpress}
if [ -z "${BIN:-}" ]; then
  echo "== building twinpress (release)"
  (cd "$project" && cargo build --release --quiet)
fi
base_url=https://bench.example/
public=$work/deploy-public
live=$work/deploy-live
target=$work/deploy-target
rm -rf "$public" "$live" "$target" "$portal/.twinpress" "$work/.deploy-public.twinpress-files"

echo "== first publication, both ways"
"$bin" build --root "$portal" --output "$public" --base-url "$base_url" >/dev/null
rsync -a --delete "$public/" "$live/"
"$bin" deploy --root "$portal" --target "$target" --base-url "$base_url" >/dev/null 2>&1

article=$(find "$portal/content/news" -name '*.ru.md' | sort | sed -n 1p)
a() {
  local t0 t1 stats
  t0=$(date +%s.%N)
  "$bin" build --root "$portal" --output "$public" --base-url "$base_url" >/dev/null
  stats=$(rsync -a --delete --stats "$public/" "$live/")
  t1=$(date +%s.%N)
  a_time=$(echo "$t1 - $t0" | bc)
  a_files=$(echo "$stats" | awk -F': ' '/Number of regular files transferred/ { gsub(",", "", $2); print $2 }')
  a_bytes=$(echo "$stats" | awk -F': ' '/Total transferred file size/ { gsub(/[, ]|bytes/, "", $2); print $2 }')
}
b() {
  local t0 t1 said
  t0=$(date +%s.%N)
  said=$("$bin" deploy --root "$portal" --target "$target" --base-url "$base_url" 2>/dev/null)
  t1=$(date +%s.%N)
  b_time=$(echo "$t1 - $t0" | bc)
  b_files=$(echo "$said" | sed -n 's/.*changed; \([0-9]*\) of [0-9]* files copied.*/\1/p')
  b_bytes=$(find "$target/current/" -type f -links 1 -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
}

printf '%5s %8s %8s %6s %8s %8s %7s %10s %10s %6s\n' round "A s" "B s" B/A "A files" "B files" B/A "A bytes" "B bytes" B/A
for round in $(seq 1 "$rounds"); do
  printf '\nЕщё одна подробность, раунд %s.\n' "$round" >>"$article"
  if [ $((round % 2)) = 1 ]; then a; b; else b; a; fi
  printf '%5s %8.2f %8.2f %6.2f %8s %8s %7.3f %10s %10s %6.3f\n' "$round" "$a_time" "$b_time" \
    "$(echo "$b_time / $a_time" | bc -l)" "$a_files" "$b_files" "$(echo "$b_files / $a_files" | bc -l)" \
    "$a_bytes" "$b_bytes" "$(echo "$b_bytes / $a_bytes" | bc -l)"
done
