#!/usr/bin/env bash
# Issue 38's side-by-side table in one run: Hugo and twinpress at 50,000 articles (compare.sh:
# a warm-up, then RUNS alternating builds each), then twinpress at 200,000 articles (scale.sh:
# RUNS builds, its stages and what a first query downloads), one after the other on the same
# machine. Hugo is not run at 200,000: at 50,000 it takes over five minutes a build and its
# cost grows faster than the archive.
#
#   RUNS=1 bench/archive.sh        (about 25 minutes; some 15 GB of tmpfs at the 200,000 step)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
base=${BENCH_DIR:-$([ -d /dev/shm ] && echo /dev/shm || echo /tmp)/twinpress-bench}
echo "== $(date -u +%FT%TZ) $(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GB"
RUNS=${RUNS:-1} "$here/compare.sh" 50000
# The 50,000 step's corpus and outputs make room for the 200,000 step's.
rm -rf "$base/50000"
RUNS=${RUNS:-1} "$here/scale.sh" 200000
echo "== $(date -u +%FT%TZ) done"
