#!/usr/bin/env bash
# Refresh facts/ from the fact base compiled outside the repository (default: ../shared/facts),
# then show what changed. Maintainers only: the test suite reads the copy in facts/, never this path.
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=${1:-../shared/facts}
[ -f "$source_dir/rivm-facts.md" ] && [ -d "$source_dir/sources" ] || {
  echo "no fact base at $source_dir (expected rivm-facts.md and sources/)" >&2
  exit 2
}
cp "$source_dir/rivm-facts.md" facts/rivm-facts.md
rm -rf facts/sources
cp -r "$source_dir/sources" facts/sources
git status --short -- facts
