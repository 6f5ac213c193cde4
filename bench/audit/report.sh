#!/usr/bin/env bash
# Times `paved audit report` over N repositories (copies of the second run of
# fixtures/audit/org under new names): each format, then recording into a new history and
# recording the same results again. Prints seconds and peak memory.
#   bench/audit/report.sh [N] [PAVED]
set -euo pipefail
n=${1:-10000}
paved=${2:-target/release/paved}
work=$(mktemp -d /tmp/paved-audit-report-XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 - "$n" "$work/results.jsonl" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
lines = [json.loads(l) for l in open("fixtures/audit/org/run2.jsonl")]
with open(out, "w") as f:
    for i in range(n):
        line = dict(lines[i % len(lines)], repository=f"{lines[i % len(lines)]['repository']}-{i}")
        line["findings"] = [dict(x, fingerprint=f"{i}:{x['fingerprint']}") for x in line["findings"]]
        f.write(json.dumps(line) + "\n")
PY
echo "$n repositories, $(du -h "$work/results.jsonl" | cut -f1) of results"
for format in html markdown csv json; do
    /usr/bin/time -f "$format: %e s, %M KB peak" "$paved" audit report "$work/results.jsonl" \
        -f "$format" -o "$work/report.$format"
done
for pass in "history, new" "history, again"; do
    /usr/bin/time -f "$pass: %e s, %M KB peak" "$paved" audit report "$work/results.jsonl" \
        --history "$work/history.db" -o "$work/report.html"
done
