# Sourced by compare.sh and pairs.sh: generates the benchmark corpus of $articles articles with
# ../shared/bench/gen_corpus.py into $work/corpus (tmpfs when /dev/shm exists), with the
# twinpress side's site.toml and templates from bench/ and Hugo's from ../shared/bench/hugo.
# Sets: here, project, shared, work, portal, hugo_site.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project=$(dirname "$here")
shared=${SHARED:-$project/../shared}/bench
base=${BENCH_DIR:-$([ -d /dev/shm ] && echo /dev/shm || echo /tmp)/twinpress-bench}
work=$base/$articles
mkdir -p "$work"

if [ ! -f "$shared/gen_corpus.py" ]; then
  echo "!! the corpus generator $shared/gen_corpus.py is missing: the benchmarks need ../shared/bench (or SHARED=/path/to/shared)" >&2
  exit 1
fi
echo "== corpus: $articles articles in $work"
python3 "$shared/gen_corpus.py" "$work/corpus" --articles "$articles" >/dev/null
portal=$work/corpus/portal
cp "$here/site.toml" "$portal/site.toml"
rm -rf "$portal/templates" && cp -r "$here/templates" "$portal/templates"
hugo_site=$work/corpus/hugo
cp "$shared/hugo/hugo.toml" "$hugo_site/hugo.toml"
rm -rf "$hugo_site/layouts" && cp -r "$shared/hugo/layouts" "$hugo_site/layouts"
