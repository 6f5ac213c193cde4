#!/usr/bin/env bash
# Whether the built-in rules stay near-linear in their input: for each kind, one large
# generated input (bench/scaling.py) at N and 4N, linted with the release binary. A rule
# that iterates a collection once per element of it takes 16 times as long at 4N; a linear
# one 4 times. A kind fails when the ratio reaches MAX_RATIO or the 4N run takes longer than
# its budget in seconds (generous: the machine is shared and noisy). Each run is the median
# of RUNS (default 3). Exits 1 when a budget is exceeded.
#
# usage: [RUNS=N] bench/scaling.sh [KIND...]     (default: every kind below)
source "$(dirname "$0")/common.sh"

MAX_RATIO=6
# kind, N, budget in seconds for 4N.
budgets=(
  "dockerfile 4000 8"
  "yaml-stream 2000 5"
  "terraform 2000 5"
  "workflow 1000 5"
  "gitlab-ci 2000 5"
  "codeowners 2000 5"
  "repository 25000 3"
  "alerts 5000 5"
  "manifest 10000 8"
  "snippets 2000 5"
)

failed=0
printf '%-12s %-7s %-7s %-9s %-9s %-6s %-7s %s\n' kind N 4N seconds seconds ratio budget result
for line in "${budgets[@]}"; do
  read -r kind n budget <<<"$line"
  if [ $# -gt 0 ] && [[ " $* " != *" $kind "* ]]; then continue; fi
  times=()
  for size in "$n" $((4 * n)); do
    input=$(python3 bench/scaling.py "$kind" "$size" "$work/$kind-$size")
    format=json
    [ "$kind" = snippets ] && format=text
    read -r seconds _ < <(FORMAT=$format measure "$work/report.json" "$input")
    times+=("$seconds")
    rm -rf "${work:?}/$kind-$size"
  done
  verdict=$(python3 - "${times[0]}" "${times[1]}" "$MAX_RATIO" "$budget" <<'PY'
import sys
small, large, max_ratio, budget = map(float, sys.argv[1:])
ratio = large / max(small, 0.01)
ok = ratio < max_ratio and large <= budget
print(f"{ratio:.2f}", "PASS" if ok else "FAIL")
PY
)
  read -r ratio result <<<"$verdict"
  [ "$result" = PASS ] || failed=1
  printf '%-12s %-7s %-7s %-9s %-9s %-6s %-7s %s\n' \
    "$kind" "$n" $((4 * n)) "${times[0]}" "${times[1]}" "$ratio" "$budget" "$result"
done
exit "$failed"
