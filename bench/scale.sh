#!/usr/bin/env bash
# How each cost grows with the archive (issue 38): for each size, the corpus of compare.sh
# (../shared/bench/gen_corpus.py, bench/site.toml with search on, bench/templates), built
# RUNS times (3) into tmpfs, each a full build; the medians of wall time, processor time (user +
# system) and peak memory (/usr/bin/time), the output's files and bytes, the time and memory of
# each stage of the last build (`--timings`), and what a first query downloads
# (bench/index_bytes.py).
#
#   bench/scale.sh 1000 10000 50000 200000
set -euo pipefail
runs=${RUNS:-3}
here=$(cd "$(dirname "$0")" && pwd)
cargo build --release --quiet --manifest-path "$here/../Cargo.toml"
bin=$here/../target/release/twinpress
med() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
printf '%-9s %9s %9s %10s %10s %9s %10s\n' articles files wall_s cpu_s peak_MiB out_MiB s/1k_art
for articles in "${@:-1000 10000}"; do
  # shellcheck source=bench/corpus.sh
  source "$here/corpus.sh" >/dev/null
  # Hugo's and Zola's copies of the corpus are not built here: at 200,000 articles they are 5.5 GB of tmpfs that
  # the build's output and memory need (with them, the build was killed for memory on 23 GB).
  rm -rf "$hugo_site" "$work/corpus/zola"
  out=$work/out-scale
  walls=(); cpus=(); peaks=()
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    read -r wall user sys peak < <(cd "$portal" && /usr/bin/time -f '%e %U %S %M' "$bin" build --output "$out" 2>&1 >/dev/null | tail -1)
    walls+=("$wall"); cpus+=("$(echo "$user + $sys" | bc)"); peaks+=("$peak")
  done
  rm -rf "$out"
  (cd "$portal" && "$bin" build --output "$out" --timings 2>&1 | grep -E '^ +[a-z+]+ +[0-9]+ ms' | sed 's/^/  /') > "$work/timings.txt"
  files=$(find "$out" -type f | wc -l)
  bytes=$(du -sb "$out" | cut -f1)
  w=$(med "${walls[@]}"); c=$(med "${cpus[@]}"); p=$(med "${peaks[@]}")
  printf '%-9s %9s %9s %10s %10s %9s %10s\n' "$articles" "$files" "$w" "$c" "$((p / 1024))" "$((bytes / 1048576))" \
    "$(echo "scale=3; $c * 1000 / $articles" | bc)"
  cat "$work/timings.txt"
  python3 "$here/index_bytes.py" "$out" | sed 's/^/    /'
  # At 200,000 articles the output is 6 GB of tmpfs.
  rm -rf "$out" "$work/.out-scale.twinpress-files"
done
