#!/usr/bin/env bash
# Install the Debian packages that provide the given programs, when some are missing and this
# machine lets us (root, or password-less sudo, and apt-get). Arguments: PROGRAM=PACKAGE ...
# Never fails: without the means to install, it says what is missing in one line, and the tests
# that need those programs skip (tests/system_programs.py says so again in pytest's summary).
set -uo pipefail
missing=()
for pair in "$@"; do
  program=${pair%%=*}
  command -v "$program" >/dev/null 2>&1 || missing+=("${pair#*=}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system packages missing (${missing[*]}) and no apt-get here: the tests that need them skip"
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  sudo=()
elif sudo -n true >/dev/null 2>&1; then
  sudo=(sudo -n)
else
  echo "system packages missing (${missing[*]}): run as root or with password-less sudo to install them; the tests that need them skip"
  exit 0
fi
echo "installing ${missing[*]} (apt-get)"
export DEBIAN_FRONTEND=noninteractive
if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
  echo "could not install ${missing[*]}: the tests that need them skip"
fi
exit 0
