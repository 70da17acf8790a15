#!/usr/bin/env bash
# The team desk under load (issue 37): SESSIONS editors saving different articles of the
# generated corpus at once for SECONDS, through the desk's form, against `twinpress serve` over
# the corpus in a git repository:
#
#   bench/team-load.sh 10000            (SESSIONS=20 SECONDS=60 by default)
#
# Reports the saves (rate, latency), whether each account's saves are each a commit by it and
# each session's last save is in its file, and how many rebuilds stayed incremental
# (examples/desk-load.rs does the work).
set -euo pipefail

articles=${1:-10000}
. "$(dirname "$0")/corpus.sh"
bin=${BIN:-$project/target/release/twinpress}
if [ -z "${BIN:-}" ]; then
  echo "== building twinpress and the load client (release)"
  (cd "$project" && cargo build --release --quiet --bin twinpress --example desk-load)
fi
site=$work/team-load
rm -rf "$site"
cp -r "$portal" "$site"
echo "== the corpus in a git repository"
git -C "$site" init --quiet
git -C "$site" add --all
GIT_AUTHOR_NAME=setup GIT_AUTHOR_EMAIL=setup@example.kz GIT_COMMITTER_NAME=setup GIT_COMMITTER_EMAIL=setup@example.kz \
  git -C "$site" commit --quiet -m "The corpus"
"$project/target/release/examples/desk-load" "$bin" "$site" "${SESSIONS:-20}" "${SECONDS_:-60}"
