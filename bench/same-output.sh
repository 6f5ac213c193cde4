#!/usr/bin/env bash
# Two paved binaries on every repository of a corpus: is `paved lint -f json` byte for byte
# the same (but for the run's `duration_ms`), and how long does each take? For changes meant to be faster, not different.
#
#   bench/same-output.sh OLD_PAVED NEW_PAVED [CORPUS_DIR]   (default /tmp/corpus)
#
# RUNS (default 3): each binary lints each repository that many times, old and new
# interleaved; the per-repository medians are summed. Exits 1 when any report differs.
set -euo pipefail
old=$(realpath "$1")
new=$(realpath "$2")
corpus=${3:-/tmp/corpus}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Warm the page cache so the runs measure paved, not the disk.
find "$corpus" -type f -exec cat {} + >/dev/null

different=0
for repo in "$corpus"/*/; do
  name=$(basename "$repo")
  for _ in $(seq "$runs"); do
    for which in old new; do
      binary=$old
      [ "$which" = new ] && binary=$new
      # Run from the repository, so reports name files the same way for both.
      (cd "$repo" && /usr/bin/time -f "$name %e %M" -a -o "$work/times-$which" \
        "$binary" lint . -f json --fail-level never >"$work/$name.$which.json" 2>/dev/null) || true
    done
  done
  # The run's own duration is the one line that may differ.
  for which in old new; do
    sed -i '/^ *"duration_ms": [0-9]*,\?$/d' "$work/$name.$which.json"
  done
  if cmp -s "$work/$name.old.json" "$work/$name.new.json"; then
    echo "$name: same ($(wc -c <"$work/$name.new.json") bytes)"
  else
    echo "$name: DIFFERENT"
    diff <(python3 -m json.tool "$work/$name.old.json") \
      <(python3 -m json.tool "$work/$name.new.json") | head -20 || true
    different=1
  fi
done

python3 - "$work" <<'PY'
import collections, statistics, sys
work = sys.argv[1]
def medians(which):
    runs = collections.defaultdict(list)
    peak = 0
    for line in open(f"{work}/times-{which}"):
        name, seconds, kib = line.split()
        runs[name].append(float(seconds))
        peak = max(peak, int(kib))
    return sum(statistics.median(r) for r in runs.values()), peak
for which in ("old", "new"):
    seconds, peak = medians(which)
    print(f"{which}: {seconds:.2f} s over the corpus (sum of per-repository medians), peak {peak / 1024:.1f} MiB")
PY
exit "$different"
