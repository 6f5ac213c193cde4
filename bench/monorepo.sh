#!/usr/bin/env bash
# Seconds and peak memory of `paved lint` on one large repository (bench/generate.py
# --monorepo): the repository-level rules look at every path of every unit, so this is
# where their cost per file shows.
#
# usage: [RUNS=N] bench/monorepo.sh [FILES...]     (default: 20000 80000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(20000 80000)
printf '%-8s %-10s %-9s %-8s %-8s\n' files documents findings seconds peak-MiB
for size in "${sizes[@]}"; do
  dir="$work/mono-$size"
  python3 bench/generate.py --monorepo "$dir" "$size" >/dev/null
  files=$(find "$dir" -type f -not -path '*/.git/*' | wc -l)
  find "$dir" -type f -exec cat {} + >/dev/null
  : >"$work/times"
  for _ in $(seq "${RUNS:-3}"); do
    /usr/bin/time -f '%e %M' -a -o "$work/times" \
      target/release/paved lint "$dir" -f json --fail-level never >"$work/report.json"
  done
  python3 - "$files" "$work/times" "$work/report.json" <<'PY'
import json, statistics, sys
files = int(sys.argv[1])
runs = [line.split() for line in open(sys.argv[2]) if line.strip()]
seconds = statistics.median(float(s) for s, _ in runs)
kib = max(int(k) for _, k in runs)
report = json.load(open(sys.argv[3]))
print(f"{files:<8} {report['summary']['documents']:<10} {len(report['findings']):<9} {seconds:<8.2f} {kib / 1024:<8.1f}")
PY
done
