#!/usr/bin/env bash
# Fuzzes front matter parsing, the importer, transliteration and the SIMD kernels (each level
# against its scalar reference), each for a bounded time.
#
#   fuzz/run.sh [SECONDS]      (default 60 a target)
#
# Needs cargo-fuzz (cargo install cargo-fuzz). It uses nightly-only compiler flags; on a stable
# toolchain RUSTC_BOOTSTRAP=1 allows them. Crashing inputs land in fuzz/artifacts/<target>/;
# copy each into tests/fuzz-regressions/<target>/ so the test suite replays it for ever
# (tests/testsuite/fuzz_regressions.rs).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
export RUSTC_BOOTSTRAP=1
mkdir -p corpus/import corpus/frontmatter corpus/slug corpus/simd_kernels
# Seed the corpora with the real inputs.
cp ../../shared/seeds/*.txt corpus/import/ 2>/dev/null || true
find ../content/news -name '*.md' -exec cp {} corpus/frontmatter/ \;
printf 'Денсаулық сақтау' > corpus/slug/kk
printf 'Сельское хозяйство' > corpus/slug/ru
find ../content/news -name '*.md' -exec cp {} corpus/simd_kernels/ \;
for target in frontmatter import slug simd_kernels; do
  echo "== $target: $seconds s"
  cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=65536 2>&1 | tail -n 3
done
