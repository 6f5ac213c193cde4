# Shared by the bench scripts (sourced): a release build, a scratch directory `$work`, and
# `measure`.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure REPORT PAVED_LINT_ARGS...: runs `paved lint ... -f json` (or `-f $FORMAT`) RUNS
# times (default 3), shared 2-core machines being noisy, and prints "MEDIAN_SECONDS
# PEAK_KIB"; the last report is left in REPORT.
measure() {
  local report=$1
  shift
  : >"$work/times"
  for _ in $(seq "${RUNS:-3}"); do
    /usr/bin/time -f '%e %M' -a -o "$work/times" \
      target/release/paved lint "$@" -f "${FORMAT:-json}" --color never --fail-level never >"$report"
  done
  python3 - "$work/times" <<'PY'
import statistics, sys
runs = [line.split() for line in open(sys.argv[1]) if line.strip()]
print(statistics.median(float(s) for s, _ in runs), max(int(k) for _, k in runs))
PY
}
