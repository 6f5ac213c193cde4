#!/usr/bin/env bash
# Seconds and peak memory of `paved lint` on one large repository (bench/generate.py
# --monorepo): the repository-level rules look at every path of every unit, so this is
# where their cost per file shows. The median of RUNS runs (default 3).
#
# usage: [RUNS=N] bench/monorepo.sh [FILES...]     (default: 20000 80000)
source "$(dirname "$0")/common.sh"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(20000 80000)
printf '%-8s %-10s %-9s %-8s %-8s\n' files documents findings seconds peak-MiB
for size in "${sizes[@]}"; do
  dir="$work/mono-$size"
  python3 bench/generate.py --monorepo "$dir" "$size" >/dev/null
  files=$(find "$dir" -type f -not -path '*/.git/*' | wc -l)
  find "$dir" -type f -exec cat {} + >/dev/null
  read -r seconds kib < <(measure "$work/report.json" "$dir")
  read -r documents findings < <(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r["summary"]["documents"], len(r["findings"]))' "$work/report.json")
  awk -v f="$files" -v d="$documents" -v n="$findings" -v s="$seconds" -v k="$kib" \
    'BEGIN { printf "%-8s %-10s %-9s %-8.2f %-8.1f\n", f, d, n, s, k / 1024 }'
done
