#!/usr/bin/env bash
# Files per second and peak memory of `paved lint` on a synthetic organisation, at several
# sizes so memory growth with the number of files shows: with the built-in bundle, and with a
# bundle that matches every document but finds nothing (memory without findings to hold).
#
# Each run is repeated RUNS times (default 3) and the median time is reported, with the
# highest peak memory: shared 2-core machines are noisy.
#
# usage: [RUNS=N] bench/lint.sh [FILES...]     (default: 10000 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 20000)
printf '%-8s %-8s %-7s %-9s %-8s %-10s %-8s\n' bundle files repos findings seconds files/sec peak-MiB
for size in "${sizes[@]}"; do
  dir="$work/org-$size"
  python3 bench/generate.py "$dir" "$size" >/dev/null
  files=$(find "$dir" -type f | wc -l)
  repos=$(ls "$dir" | wc -l)
  # Warm the page cache so the run measures paved, not the disk.
  find "$dir" -type f -exec cat {} + >/dev/null
  for bundle in builtin quiet; do
    args=()
    [ "$bundle" = quiet ] && args=(--no-builtin -p bench/quiet.rego)
    : >"$work/times"
    for _ in $(seq "${RUNS:-3}"); do
      /usr/bin/time -f '%e %M' -a -o "$work/times" \
        target/release/paved lint "$dir" "${args[@]}" -f json --fail-level never >"$work/report.json"
    done
    python3 - "$files" "$repos" "$work/times" "$bundle" "$work/report.json" <<'PY'
import json, statistics, sys
files, repos, bundle = int(sys.argv[1]), int(sys.argv[2]), sys.argv[4]
runs = [line.split() for line in open(sys.argv[3]) if line.strip()]
seconds = statistics.median(float(s) for s, _ in runs)
kib = max(int(k) for _, k in runs)
findings = len(json.load(open(sys.argv[5]))["findings"])
print(f"{bundle:<8} {files:<8} {repos:<7} {findings:<9} {seconds:<8.2f} {files / max(seconds, 1e-3):<10.0f} {kib / 1024:<8.1f}")
PY
  done
done
