#!/usr/bin/env bash
# `paved test` against the real OPA engine driven with conftest's protocol, over the same
# Kubernetes YAML files and policy (bench/README.md, "Throughput against OPA").
#
#   bench/throughput.sh [CORPUS_DIR]     (default: /tmp/corpus, the development corpus)
#
# RUNS (default 5) runs each; the median is reported. REPEAT (default 1) passes the file
# list that many times to both. OPA comes from the PyPI wheel opa-golib-python-bindings
# (OPA's Go engine built as a C library), downloaded once into target/opa-bridge.
set -euo pipefail
corpus=${1:-/tmp/corpus}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
paved=${CARGO_TARGET_DIR:-target}/release/paved
runs=${RUNS:-5}
repeat=${REPEAT:-1}
policy=bench/throughput/policy

bridge=${CARGO_TARGET_DIR:-target}/opa-bridge
library=$bridge/opa_bindings/libopabridge.so
if [ ! -e "$library" ]; then
  mkdir -p "$bridge"
  # The wheel is built for Python 3.14 but holds a plain C library, which ctypes loads
  # from any Python.
  pip download -q --no-deps --only-binary=:all: --python-version 3.14 \
    --platform manylinux_2_34_x86_64 -d "$bridge" opa-golib-python-bindings==0.4.4
  python3 -m zipfile -e "$bridge"/opa_golib_python_bindings-0.4.4-*.whl "$bridge"
fi

python3 bench/throughput/files.py "$corpus" "$paved" >"$work/files"
files=()
for _ in $(seq "$repeat"); do mapfile -t -O "${#files[@]}" files <"$work/files"; done
"$paved" parse --parser yaml "${files[@]}" >"$work/parsed.json"
echo "inputs: $(wc -l <"$work/files") Kubernetes YAML files x $repeat, $(du -ch $(cat "$work/files") | tail -1 | cut -f1) each pass"

# paved: the whole process (policy compile, reading, parsing, evaluation, output), on one
# core and on two.
for jobs in 1 2; do
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$paved" test -j "$jobs" -p "$policy" --no-fail "${files[@]}" >"$work/paved.out"
    echo $(($(date +%s%N) - start)) >>"$work/paved-$jobs"
  done
done

# OPA: the query loop only (policy compiled and documents parsed before the clock starts),
# in one process and in two (an engine each, the documents shared out).
for workers in 1 2; do
  for _ in $(seq "$runs"); do
    python3 bench/throughput/opa_driver.py --library "$library" --policy "$policy" \
      --workers "$workers" "$work/parsed.json"
  done >"$work/opa-$workers"
done

# The bridge decodes each query's input from JSON text; conftest hands OPA the value its
# parser made. bench/throughput/decode.go times that decode (Debian's Go, installed once).
if ! command -v go >/dev/null && command -v apt-get >/dev/null; then
  apt-get install -y -q golang-go >/dev/null 2>&1 || true
fi
opa=$(tail -1 "$work/opa-1")
per_document=$(python3 -c 'import json, sys; r = json.loads(sys.argv[1]); print(r["queries"] // r["documents"])' "$opa")
if command -v go >/dev/null; then
  (cd bench/throughput && go run decode.go "$work/parsed.json" "$per_document") >"$work/decode"
else
  echo "go not found: OPA's time is not corrected for the bridge's own JSON decode" >&2
fi

python3 - "$work" <<'PY'
import json, os, re, statistics, sys
work = sys.argv[1]
summary = open(f"{work}/paved.out").read().strip().splitlines()[-1]
counts = dict((k.rstrip("s"), int(n)) for n, k in re.findall(r"(\d+) (\w+)", summary))
opa = [json.loads(line) for line in open(f"{work}/opa-1")][-1]
print(f"paved: {summary}")
print(f"OPA:   {opa['queries']} queries, {opa['warnings']} warnings, "
      f"{opa['failures']} failures, {opa['exceptions']} exceptions")
same = all(counts[k.rstrip("s")] == opa[k] for k in ("warnings", "failures", "exceptions"))
print("same warnings, failures and exceptions:", "yes" if same else "NO")
documents = opa["documents"]
decode_file = f"{work}/decode"
decode = json.load(open(decode_file))["seconds"] if os.path.exists(decode_file) else None
print(f"{'cores':6}{'engine':28}{'seconds':>9}{'documents/s':>13}{'OPA / paved':>13}")
for cores in (1, 2):
    paved = statistics.median(int(l) / 1e9 for l in open(f"{work}/paved-{cores}"))
    runs = [json.loads(line) for line in open(f"{work}/opa-{cores}")]
    loop = statistics.median(r["seconds"] for r in runs)
    rows = [
        ("paved test", paved),
        ("OPA, query loop", loop),
        ("OPA, inside its calls only", statistics.median(r["engine_seconds"] for r in runs)),
    ]
    if decode is not None:
        # Each process decodes its share of the documents.
        rows.append(("OPA less the bridge's decode", loop - decode / cores))
    for name, seconds in rows:
        ratio = "" if name == "paved test" else f"{seconds / paved:12.1f}x"
        print(f"{cores:<6}{name:28}{seconds:9.3f}{documents / seconds:13.0f}{ratio}")
sys.exit(0 if same else 1)
PY
