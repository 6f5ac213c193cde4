#!/usr/bin/env bash
# The whole-corpus lint's CPU time (user + system) with two binaries, run alternately so that
# both see the same machine: the minimum and median of RUNS (default 9) runs each, and the
# second's cost relative to the first's. Both read the same files on disk, so the ratio of
# totals is the ratio per file (issue 12: within 20% of the time before charts rendered).
#   bench/helm/against.sh OLD_PAVED NEW_PAVED [CORPUS_DIR] [-- LINT_ARGS...]
# RUST_BACKTRACE is unset for both: CI often sets it, and paved releases before it was
# neutralised spent most of a Terraform run capturing backtraces (docs: bench/README.md).
set -euo pipefail
old=$1 new=$2
shift 2
corpus=/tmp/corpus
if [ $# -gt 0 ] && [ "$1" != -- ]; then corpus=$1; shift; fi
[ "${1:-}" = -- ] && shift
runs=${RUNS:-9}
here="$(cd "$(dirname "$0")" && pwd)"
[ -d "$corpus" ] || "$here/../../../shared/corpus/unpack.sh" "$corpus"
find "$corpus" -type f -exec cat {} + >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for _ in $(seq "$runs"); do
  for which in old new; do
    binary=$old
    [ "$which" = new ] && binary=$new
    env -u RUST_BACKTRACE /usr/bin/time -f '%U %S %M' -o "$work/time" \
      "$binary" lint "$corpus" -f concise --fail-level never "$@" >/dev/null 2>&1
    awk '{print $1 + $2, $3}' "$work/time" >>"$work/$which"
  done
done
python3 - "$work" <<'PY'
import statistics, sys
work = sys.argv[1]
rows = {}
for which in ("old", "new"):
    runs = [line.split() for line in open(f"{work}/{which}")]
    cpu = sorted(float(r[0]) for r in runs)
    peak = max(int(r[1]) for r in runs) / 1024
    rows[which] = (cpu[0], statistics.median(cpu))
    print(f"{which}: CPU min {cpu[0]:.3f} s, median {statistics.median(cpu):.3f} s, peak {peak:.0f} MiB")
for i, name in enumerate(("min", "median")):
    print(f"new / old ({name}): {rows['new'][i] / rows['old'][i]:.2f}")
PY
