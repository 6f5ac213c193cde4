#!/usr/bin/env bash
# Conformance of paved's in-process kustomize build against `kubectl kustomize` over the
# development corpus: bench/kustomize/conformance.sh [CORPUS_DIR] [ONLY_SUBSTRING]
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${1:-/tmp/corpus}
[ -d "$corpus" ] || ../shared/corpus/unpack.sh "$corpus"
cargo build -q
target=$(realpath "${CARGO_TARGET_DIR:-target}")
python3 bench/kustomize/conformance.py "$target/debug/paved" "$corpus" "${2:-}"
