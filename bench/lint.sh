#!/usr/bin/env bash
# Files per second and peak memory of `paved lint` on a synthetic organisation of at least
# FILES YAML, Terraform and workflow files (plus Dockerfiles, CODEOWNERS and source files),
# at several sizes so memory growth with the number of files shows: with the built-in
# bundle, and with a bundle that matches every document but finds nothing (memory without
# findings to hold). Files per second counts the files paved checked (its own summary:
# source files and CODEOWNERS, only listed in the repository model, do not count).
# Each run is repeated RUNS times (default 3): the median time and the highest peak memory.
#
# usage: [RUNS=N] bench/lint.sh [FILES...]     (default: 10000 40000)
source "$(dirname "$0")/common.sh"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 40000)
printf '%-8s %-9s %-8s %-7s %-9s %-8s %-10s %-8s\n' \
  bundle yaml/tf/wf checked repos findings seconds files/sec peak-MiB
for size in "${sizes[@]}"; do
  dir="$work/org-$size"
  python3 bench/generate.py "$dir" "$size" >/dev/null
  configs=$(find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.tf' \) | wc -l)
  repos=$(ls "$dir" | wc -l)
  # Warm the page cache so the run measures paved, not the disk.
  find "$dir" -type f -exec cat {} + >/dev/null
  for bundle in builtin quiet; do
    args=()
    [ "$bundle" = quiet ] && args=(--no-builtin -p bench/quiet.rego)
    read -r seconds kib < <(measure "$work/report.json" "$dir" "${args[@]}")
    read -r files findings < <(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r["summary"]["files"], len(r["findings"]))' "$work/report.json")
    awk -v b="$bundle" -v c="$configs" -v f="$files" -v r="$repos" -v n="$findings" -v s="$seconds" -v k="$kib" \
      'BEGIN { printf "%-8s %-9s %-8s %-7s %-9s %-8.2f %-10.0f %-8.1f\n", b, c, f, r, n, s, f / s, k / 1024 }'
  done
done
