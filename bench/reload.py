#!/usr/bin/env python3
"""Save-to-reload latency of `twinpress serve`: the time from writing one article to the
live-reload event arriving at a browser's EventSource, on a generated corpus.

usage: bench/reload.py [ARTICLES] [EDITS]     (defaults: 10000 articles, 30 edits)

SITE=DIR serves that site instead of a generated corpus (e.g. bench/photos.sh's
portal-photos, whose first articles have photos); EDIT=alt edits the first photo's alt text of
the article instead of its title (what a caption edit costs under serve).

Generates the corpus with ../shared/bench/gen_corpus.py (with the bench templates), starts the
release binary's `serve` on a free loopback port, opens the SSE stream, then edits one article's
title EDITS times, one at a time, and prints the median, p90 and max latency. Hugo's comparable
figure (`hugo server`, one title change at 10,000 articles) is 1.8-1.9 s in ../shared/bench.
"""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)
SHARED = os.environ.get("SHARED", os.path.join(PROJECT, "..", "shared"))


class Lines:
    """Lines of the event stream, read straight from the socket so that waiting for one can time out."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def next(self, timeout):
        """The next line, or None when none arrives within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                raise EOFError("the event stream closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line + b"\n"


def main():
    articles = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    base = "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp"
    portal = os.environ.get("SITE")
    if not portal:
        work = os.path.join(base, "twinpress-reload", str(articles))
        subprocess.run([sys.executable, os.path.join(SHARED, "bench", "gen_corpus.py"), os.path.join(work, "corpus"),
                        "--articles", str(articles)], check=True, stdout=subprocess.DEVNULL)
        portal = os.path.join(work, "corpus", "portal")
        shutil.copy(os.path.join(HERE, "site.toml"), os.path.join(portal, "site.toml"))
        shutil.copytree(os.path.join(HERE, "templates"), os.path.join(portal, "templates"), dirs_exist_ok=True)
    field = 'alt = "' if os.environ.get("EDIT") == "alt" else 'title = "'

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=PROJECT, check=True)
    binary = os.path.join(PROJECT, "target", "release", "twinpress")

    server = subprocess.Popen([binary, "serve", "--port", "0", "--root", portal], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        started = time.monotonic()
        line = server.stdout.readline()
        print(f"== {articles} articles; first build and start: {time.monotonic() - started:.2f} s")
        addr = line.split(" at ")[1].split()[0].removeprefix("http://").rstrip("/")
        host, port = addr.split(":")
        sse = socket.create_connection((host, int(port)))
        sse.sendall(f"GET /__twinpress/livereload HTTP/1.1\r\nHost: {addr}\r\n\r\n".encode())
        lines = Lines(sse)
        while not lines.next(10).startswith(b"retry:"):
            pass

        news = os.path.join(portal, "content", "news")
        target = next(os.path.join(d, f) for d, _, fs in sorted(os.walk(news)) for f in sorted(fs) if f.endswith(".ru.md"))
        original = open(target, encoding="utf-8").read()
        latencies = []
        doubles = 0
        for i in range(edits):
            if field not in original:
                sys.exit(f"{target} has no {field.split()[0]} to edit")
            text = original.replace(field, f"{field}Правка {i}: ", 1)
            time.sleep(0.3)  # one edit at a time, as an editor saves
            # An event still on its way from the last save (a save the file system reports as
            # two writes can make two rebuilds) must not count as this save's.
            while (extra := lines.next(0.2)) is not None:
                if extra.startswith(b"data: "):
                    doubles += 1
            t0 = time.monotonic()
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
            while True:
                event = lines.next(10)
                # Skip the stream's hello (the generation it connected at).
                if event.startswith(b"data: ") and b'"kind":"hello"' not in event:
                    break
            latencies.append((time.monotonic() - t0) * 1000)
            if os.environ.get("VERBOSE"):
                print(f"{latencies[-1]:.0f} ms {event[:60]!r}")
            if b'"reload"' not in event:
                print("unexpected event:", event.decode().strip())
        with open(target, "w", encoding="utf-8") as f:
            f.write(original)
        latencies.sort()
        p90 = latencies[int(len(latencies) * 0.9) - 1]
        print(f"== {field.split()[0]} edits of {os.path.relpath(target, portal)}")
        print(f"== save → reload event over {edits} edits: median {statistics.median(latencies):.0f} ms, "
              f"p90 {p90:.0f} ms, max {latencies[-1]:.0f} ms (includes the {25} ms debounce)"
              + (f"; {doubles} saves gave a second event" if doubles else ""))
    finally:
        server.terminate()
        # It removes its preview folder (the whole site: minutes at 200,000 articles) first.
        server.wait(timeout=600)


if __name__ == "__main__":
    main()
