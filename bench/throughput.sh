#!/usr/bin/env bash
# `paved test` against the real OPA engine driven with conftest's protocol, over the same
# Kubernetes YAML files and policy (bench/README.md, "Throughput against OPA").
#
#   bench/throughput.sh [CORPUS_DIR]     (default: /tmp/corpus, the development corpus)
#
# RUNS (default 5) runs each; the median is reported. REPEAT (default 1) passes the file
# list that many times to both. WITHOUT_KIND=CustomResourceDefinition leaves out the files
# holding only objects of that kind. OPA comes from the PyPI wheel opa-golib-python-bindings
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

python3 bench/throughput/files.py "$corpus" "$paved" ${WITHOUT_KIND:+--without-kind "$WITHOUT_KIND"} >"$work/files"
files=()
for _ in $(seq "$repeat"); do mapfile -t -O "${#files[@]}" files <"$work/files"; done
"$paved" parse --parser yaml "${files[@]}" >"$work/parsed.json"
bytes=$(xargs -d '\n' cat <"$work/files" | wc -c)
echo "inputs: $(wc -l <"$work/files") Kubernetes YAML files x $repeat, $((bytes / 1000)) kB each pass"

# Each run times paved (the whole process: policy compile, reading, parsing, evaluation,
# output) and OPA (the query loop only: policy compiled and documents parsed before the
# clock starts; with two cores, two processes with an engine each and the documents shared
# out) one after the other, on one core and on two, so that a change in the machine's load
# moves both rather than one. paved runs once untimed first, as hyperfine's warm-up does:
# OPA's second-long runs warm the machine up themselves, and paved's tenth of a second,
# timed straight after OPA's or after a pause, measured up to 60% slower on two cores.
for _ in $(seq "$runs"); do
  for cores in 1 2; do
    "$paved" test -j "$cores" -p "$policy" --no-fail "${files[@]}" >"$work/paved.out"
    start=$(date +%s%N)
    "$paved" test -j "$cores" -p "$policy" --no-fail "${files[@]}" >"$work/paved.out"
    echo $(($(date +%s%N) - start)) >>"$work/paved-$cores"
    python3 bench/throughput/opa_driver.py --library "$library" --policy "$policy" \
      --workers "$cores" "$work/parsed.json" >>"$work/opa-$cores"
  done
done

# Where the bridge's run differs from conftest's: it decodes each query's input from JSON
# text (conftest hands OPA its parser's value), and it is given the documents parsed
# (conftest parses its files first). bench/throughput/conftest_costs.go times both, with
# Debian's Go and sigs.k8s.io/yaml, installed once.
gopath=/usr/share/gocode
if ! { command -v go && [ -d $gopath/src/sigs.k8s.io/yaml ]; } >/dev/null && command -v apt-get >/dev/null; then
  apt-get install -y -q golang-go golang-k8s-sigs-yaml-dev >/dev/null 2>&1 || true
fi
opa=$(tail -1 "$work/opa-1")
per_document=$(python3 -c 'import json, sys; r = json.loads(sys.argv[1]); print(r["queries"] // r["documents"])' "$opa")
if command -v go >/dev/null && [ -d $gopath/src/sigs.k8s.io/yaml ]; then
  printf '%s\n' "${files[@]}" >"$work/files-repeated"
  (cd bench/throughput && GO111MODULE=off GOPATH=$gopath go run conftest_costs.go \
    "$work/parsed.json" "$per_document" "$work/files-repeated") >"$work/costs"
else
  echo "go or sigs.k8s.io/yaml not found: OPA's time is not corrected for the bridge's decode" >&2
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
costs_file = f"{work}/costs"
costs = json.load(open(costs_file)) if os.path.exists(costs_file) else None
print(f"{'cores':6}{'engine':28}{'seconds':>9}{'documents/s':>13}{'vs paved':>13}")
for cores in (1, 2):
    paved = statistics.median(int(l) / 1e9 for l in open(f"{work}/paved-{cores}"))
    runs = [json.loads(line) for line in open(f"{work}/opa-{cores}")]
    loop = statistics.median(r["seconds"] for r in runs)
    rows = [
        ("paved test", paved),
        ("OPA, query loop", loop),
        ("OPA, inside its calls only", statistics.median(r["engine_seconds"] for r in runs)),
    ]
    if costs is not None:
        # Each process decodes its share of the documents. conftest parses its files one
        # by one in one goroutine: sharing the parse out between the cores gives it more.
        engine = loop - costs["decode_seconds"] / cores
        rows.append(("OPA less the bridge's decode", engine))
        rows.append(("conftest's parse + that OPA", engine + costs["parse_seconds"] / cores))
    for name, seconds in rows:
        ratio = "" if name == "paved test" else f"{seconds / paved:12.1f}x"
        print(f"{cores:<6}{name:28}{seconds:9.3f}{documents / seconds:13.0f}{ratio}")
sys.exit(0 if same else 1)
PY
