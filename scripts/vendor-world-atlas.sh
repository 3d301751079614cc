#!/usr/bin/env bash
# Re-vendor Natural Earth country outlines from the world-atlas package on the npm registry.
# For maintainers only: the application never runs npm; it reads the vendored file.
#   scripts/vendor-world-atlas.sh [VERSION]     (default 2.0.2)
set -euo pipefail

version="${1:-2.0.2}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$here/rivm_graph/pictures/world-atlas"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "world-atlas@$version" >/dev/null && tar -xzf world-atlas-*.tgz)
mkdir -p "$dest"
cp "$work/package/countries-110m.json" "$work/package/LICENSE" "$dest/"
sha="$(sha256sum "$dest/countries-110m.json" | cut -d' ' -f1)"
cat >"$dest/SOURCE.txt" <<TXT
Package:  world-atlas $version (npm registry), by Mike Bostock
          https://github.com/topojson/world-atlas
File:     countries-110m.json (TopoJSON; objects "countries" and "land")
          Natural Earth 4.1.0 Admin 0 country boundaries, 1:110m, quantized, unprojected
          (longitude/latitude in degrees); countries carry ISO 3166-1 numeric ids and names.
SHA-256:  $sha
Licence:  the package: ISC (see LICENSE beside this file);
          the Natural Earth data: public domain (https://www.naturalearthdata.com/about/terms-of-use/).
Obtained: npm pack world-atlas@$version; the file and LICENSE copied unchanged from the tarball
          by scripts/vendor-world-atlas.sh. Only this file is vendored.
Used by:  rivm_graph/pictures/atlas.py (read once, in Python; nothing is fetched at run time).
TXT
echo "vendored world-atlas $version into $dest"
