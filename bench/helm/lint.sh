#!/usr/bin/env bash
# What rendering Helm charts costs a lint: times `paved lint` of the whole corpus (every
# chart rendered with each scenario and checked), and `paved render` of each chart alone.
#   bench/helm/lint.sh [CORPUS_DIR] [PAVED]   (default /tmp/corpus and target/debug/paved)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
corpus="${1:-/tmp/corpus}"
paved="${2:-${CARGO_TARGET_DIR:-$repo/target}/debug/paved}"
[ -d "$corpus" ] || "$repo/../shared/corpus/unpack.sh" "$corpus"
# Warm the page cache so the runs measure paved, not the disk.
find "$corpus" -type f -exec cat {} + >/dev/null
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
start=$(date +%s.%N)
"$paved" lint "$corpus" -f "json=$report" -f concise --fail-level never >/dev/null
lint=$(echo "$(date +%s.%N) - $start" | bc)
read -r files documents findings chart_findings < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
charted = [f for f in r["findings"] if "(chart " in f["message"]]
print(r["summary"]["files"], r["summary"].get("documents", 0), len(r["findings"]), len(charted))' "$report")
charts=0
start=$(date +%s.%N)
while read -r chart; do
  charts=$((charts + 1))
  "$paved" render "$(dirname "$chart")" >/dev/null 2>&1 || true
done < <(python3 -c '
import pathlib, sys
found = sorted(p for p in pathlib.Path(sys.argv[1]).rglob("Chart.yaml"))
outer = []
for p in found:
    d = p.parent
    if "templates" in d.parts or any(d.is_relative_to(o / "charts") for o in outer):
        continue
    outer.append(d)
    print(p)' "$corpus")
render=$(echo "$(date +%s.%N) - $start" | bc)
printf 'lint of the corpus: %.2f s, %s files, %s documents, %s findings (%s on rendered charts), %.2f ms per file\n' \
  "$lint" "$files" "$documents" "$findings" "$chart_findings" "$(echo "$lint * 1000 / $files" | bc -l)"
printf 'paved render of %s charts, one process each: %.2f s\n' "$charts" "$render"
