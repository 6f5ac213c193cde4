#!/usr/bin/env bash
# Renders every chart of the development corpus with real Helm (helm-python-sdk, Helm's Go
# library) and with `paved render --format json`, and compares the documents as data.
#   bench/helm/conformance.sh [CORPUS_DIR]     (default /tmp/corpus, unpacked if missing)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$repo/target}"
corpus="${1:-/tmp/corpus}"
if [ ! -d "$corpus" ]; then
    "$repo/../shared/corpus/unpack.sh" "$corpus"
fi
venv="$target/helm-venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q helm-python-sdk pyyaml
cargo build --quiet --manifest-path "$repo/Cargo.toml" --bin paved
exec "$venv/bin/python" "$here/conformance.py" --paved "$target/debug/paved" "$corpus"
