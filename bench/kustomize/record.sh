#!/usr/bin/env bash
# Records what the real kustomize (`kubectl kustomize`, Kustomize v5.5.0 here) builds from
# each case under tests/data/kustomize/ as the case's expected.yaml; the unit test
# `render::kustomize::build::tests::recorded_cases_build_as_kustomize_does` compares
# paved's build with it. usage: bench/kustomize/record.sh [CASE...]
set -euo pipefail
cd "$(dirname "$0")/../../tests/data/kustomize"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(*/)
for case in "${cases[@]}"; do
  case=${case%/}
  kubectl kustomize "$case" >"$case/expected.yaml"
  echo "recorded $case"
done
