#!/usr/bin/env bash
# Records what the real kustomize (`kubectl kustomize`, Kustomize v5.5.0 here) builds from
# each case under tests/data/kustomize/ as the case's expected.yaml; the unit test
# `render::kustomize::build::tests::recorded_cases_build_as_kustomize_does` compares
# paved's build with it. A case with `helmCharts` is built with --enable-helm, `helm` being
# helm-shim.py (Helm's Go library through helm-python-sdk, in $HELM_VENV, default
# $CARGO_TARGET_DIR/helm-venv as bench/helm/conformance.sh makes it).
# usage: bench/kustomize/record.sh [CASE...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${CARGO_TARGET_DIR:-$here/../../target}"
venv="${HELM_VENV:-$target/helm-venv}"
helm="$(mktemp -d /tmp/kustomize-record-XXXXXX)/helm"
trap 'rm -rf "$(dirname "$helm")"' EXIT
printf '#!/bin/sh\nexec "%s/bin/python" "%s/helm-shim.py" "$@"\n' "$venv" "$here" >"$helm"
chmod +x "$helm"
cd "$here/../../tests/data/kustomize"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(*/)
for case in "${cases[@]}"; do
  case=${case%/}
  flags=()
  if grep -q '^helmCharts:' "$case/kustomization.yaml"; then
    flags=(--enable-helm --helm-command "$helm")
  fi
  kubectl kustomize "${flags[@]}" "$case" >"$case/expected.yaml"
  echo "recorded $case"
done
