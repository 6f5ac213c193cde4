#!/usr/bin/env bash
# Precision on real repositories: `paved lint` (release build, built-in bundle) over the
# development corpus in ../shared/corpus, findings per rule and input class, the findings
# docs/precision.md judges wrong that still fire, and with SAMPLE=N a sample of N findings
# per rule (with the line each points at) to check by hand.
#
# usage: [SAMPLE=10] [RULE=id] bench/precision.sh [CORPUS_DIR]   (default: target/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(../shared/corpus/unpack.sh "${1:-target/corpus}")
cargo build --release -q
args=(--verdicts docs/precision.md)
[ -n "${SAMPLE:-}" ] && args+=(--sample "$SAMPLE")
[ -n "${RULE:-}" ] && args+=(--rule "$RULE")
python3 bench/precision.py target/release/paved "$corpus" "${args[@]}"
