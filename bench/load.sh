#!/usr/bin/env bash
# Load test of `twinpress serve` on loopback, bounded in time:
#
#   bench/load.sh [CONNECTIONS] [SECONDS] [STREAMS]     (defaults: 200 connections, 15 s, 300 streams)
#
# Serves the portal on a free loopback port, opens STREAMS live-reload (SSE) connections that
# stay open, then runs wrk with CONNECTIONS connections against the portal's pages while a
# template change forces a full rebuild in the middle of the run. Prints wrk's figures; fails
# on any socket error or non-2xx/3xx response, or if a stream never learned of the rebuild (its
# reload event, or a hello naming the new generation when it connected late).
# Needs wrk (apt-get install wrk).
set -euo pipefail
connections=${1:-200}
seconds=${2:-15}
streams=${3:-300}
here=$(cd "$(dirname "$0")" && pwd)
project=$(dirname "$here")
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r "$project/site.toml" "$project/content" "$project/templates" "$project/static" "$work/"
(cd "$project" && cargo build --release --quiet)
"$project/target/release/twinpress" serve --root "$work" --port 0 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q "Serving" "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.* at \(http[^ ]*\).*/\1/p' "$work/serve.log")
echo "== serving at $url"

# Open streams that wait for one reload event each, while wrk runs.
python3 - "$url" "$streams" "$seconds" >"$work/streams.txt" <<'PY' &
import json, selectors, socket, sys, time
url, n, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
host, port = url.removeprefix("http://").rstrip("/").split(":")
sel = selectors.DefaultSelector()
for _ in range(n):
    s = socket.create_connection((host, int(port)))
    s.sendall(f"GET /__twinpress/livereload HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, b"")
def rebuilt(seen):
    # Any message of generation 1 or later: the template change's build.
    return any(line.startswith(b"data: ") and json.loads(line[6:]).get("generation", 0) >= 1
               for line in seen.split(b"\n"))
got, deadline = 0, time.monotonic() + seconds + 20
while got < n and time.monotonic() < deadline:
    for key, _ in sel.select(timeout=1):
        data = key.fileobj.recv(65536)
        seen = key.data + data
        if rebuilt(seen) or not data:
            got += rebuilt(seen)
            sel.unregister(key.fileobj)
        else:
            sel.modify(key.fileobj, selectors.EVENT_READ, seen)
print(got)
PY
streams_pid=$!
sleep 1
(sleep "$((seconds / 2))"; sed -i "s/<\/footer>/<!-- load test --><\/footer>/" "$work/templates/base.html") &

cat >"$work/pages.lua" <<'LUA'
local paths = {"/ru/", "/kk/", "/ru/cities/", "/kk/tags/", "/ru/rss.xml", "/style.css",
               "/kk/news/2025-08-29-qinghai-delegation/", "/ru/cities/almaty-region/", "/sitemap.xml"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
echo "== wrk: $connections connections, $seconds s, with $streams live-reload streams open"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/pages.lua" "$url" | tee "$work/wrk.txt"
wait "$streams_pid"
reloaded=$(cat "$work/streams.txt")
echo "== live-reload streams that received the rebuild's event: $reloaded of $streams"
grep -E "rendered" "$work/serve.log" | tail -n 2
if grep -qE "Socket errors|Non-2xx" "$work/wrk.txt"; then
  echo "!! errors under load" >&2
  exit 1
fi
[ "$reloaded" = "$streams" ] || { echo "!! some streams missed the reload" >&2; exit 1; }
echo "== no errors"
