#!/usr/bin/env bash
# Opens an audit report in headless Chromium (Debian's `chromium` package), writes a
# screenshot, and fails when the page logs a console error or an uncaught exception.
#   bench/audit/screenshot.sh REPORT.html OUT.png [WIDTH] [HEIGHT]
# The page must need no network: Chromium runs with background networking off, so a
# page that fetched anything would show it missing in the screenshot.
set -euo pipefail
report=$(realpath "$1")
out=$(realpath -m "$2")
width=${3:-1400}
height=${4:-3600}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "screenshot.sh: chromium is not installed (apt-get install -y chromium)" >&2
    exit 2
fi
profile=$(mktemp -d /tmp/paved-screenshot-XXXXXX)
log="$profile/chromium.log"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile/data" --hide-scrollbars --window-size="$width,$height" \
    --enable-logging=stderr --v=0 --screenshot="$out" "file://$report" 2>"$log" >/dev/null
if [ ! -s "$out" ]; then
    echo "screenshot.sh: no screenshot written" >&2
    cat "$log" >&2
    exit 1
fi
# Chromium logs page console output as CONSOLE lines; errors and exceptions fail the check.
if grep -E 'CONSOLE|Uncaught' "$log" | grep -Eiq 'error|uncaught'; then
    echo "screenshot.sh: the page logged errors:" >&2
    grep -E 'CONSOLE|Uncaught' "$log" >&2
    exit 1
fi
echo "wrote $out"
