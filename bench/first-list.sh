#!/usr/bin/env bash
# The desk's first list page after `serve` starts: serve SITE with the binary BIN (preview
# folder on tmpfs), wait for the desk's address, wait WAIT seconds (3), and time one request of
# the list with the desk's cookie. Prints the seconds the list took.
#
#   bench/first-list.sh target/release/twinpress /dev/shm/twinpress-bench/10000/corpus/portal 3
set -euo pipefail
bin=$1 site=$2 wait=${3:-3}
log=$(mktemp)
TMPDIR=${TMPDIR:-/dev/shm} "$bin" serve --port 0 --root "$site" >"$log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 3000); do grep -q "desk for editors" "$log" && break; sleep 0.2; done
url=$(grep -o 'http://[^ ]*token=[0-9a-f]*' "$log" | head -1)
sleep "$wait"
curl -s -o /dev/null -w "%{time_total}\n" -H "Cookie: twinpress_desk=${url##*token=}" "${url%%/_desk*}/_desk/ru/"
