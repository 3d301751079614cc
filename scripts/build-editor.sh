#!/usr/bin/env bash
# Build the query page's editor: CodeMirror 6 and the SPARQL mode of @codemirror/legacy-modes from
# the npm registry (versions pinned in editor/package-lock.json), with our editor/src/, bundled by
# esbuild into rivm_graph/web/static/editor/query-editor.js, with the licences of what it bundles
# beside it. The bundle is never committed (.gitignore): the page loads it where it was built and
# works as a plain form without it. Never fails: without npm or the registry it says so.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/rivm_graph/web/static/editor"
if ! command -v npm >/dev/null 2>&1; then
  echo "no npm here: the query page keeps its plain editor (the editor's browser tests skip)"
  exit 0
fi
cd "$here/editor" || exit 0
if ! npm ci --no-audit --no-fund --silent; then
  echo "could not install the editor's packages from the npm registry: the query page keeps its plain editor"
  exit 0
fi
mkdir -p "$out"
if ! ./node_modules/.bin/esbuild src/query-editor.js --bundle --format=esm --minify \
    --target=es2020 --legal-comments=external --outfile="$out/query-editor.js" --log-level=warning; then
  echo "could not bundle the editor: the query page keeps its plain editor"
  rm -f "$out/query-editor.js"
  exit 0
fi
{
  echo "Bundled by scripts/build-editor.sh from editor/package-lock.json; the licences of the packages:"
  for dir in node_modules/codemirror node_modules/@codemirror/* node_modules/@lezer/* \
      node_modules/@marijn/* node_modules/style-mod node_modules/w3c-keyname node_modules/crelt; do
    [ -f "$dir/package.json" ] || continue
    name="$(node -p "require('./$dir/package.json').name + ' ' + require('./$dir/package.json').version + ' (' + require('./$dir/package.json').license + ')'")"
    echo; echo "== $name"; cat "$dir"/LICENSE* 2>/dev/null
  done
} >"$out/LICENSES.txt"
echo "built the query editor: $out/query-editor.js ($(wc -c <"$out/query-editor.js") bytes)"
