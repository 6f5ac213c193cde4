#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with the repository's fixtures of each target's format, the
# seed corpus for `cargo fuzz run` (and for running a plainly built target over it).
set -euo pipefail
cd "$(dirname "$0")/.."
seed() {
  local target=$1 prefix=$2
  shift 2
  mkdir -p "fuzz/corpus/$target"
  find fixtures -type f \( "$@" \) -print0 | while IFS= read -r -d '' file; do
    # Targets that choose a format or file name by the first byte get it prefixed.
    { printf "$prefix"; cat "$file"; } >"fuzz/corpus/$target/$(echo "$file" | tr / _)"
  done
}
seed yaml '\x00' -name '*.yaml' -o -name '*.yml'
seed yaml_scanner '' -name '*.yaml' -o -name '*.yml'
seed yaml_trees '\x01' -name '*.yaml' -o -name '*.yml'
seed json '' -name '*.json'
seed hcl '' -name '*.tf' -o -name '*.hcl' -o -name '*.tfvars'
seed dockerfile '' -name 'Dockerfile*'
seed toml '' -name '*.toml'
seed ini '' -name '*.ini'
seed dotenv '' -name '.env*'
seed properties '' -name '*.properties'
seed xml '' -name '*.xml'
seed source_map '\x00' -name '*.yaml' -o -name '*.yml'
seed source_map '\x01' -name '*.json'
seed source_map '\x02' -name '*.tf'
seed source_map '\x03' -name 'Dockerfile*'
seed source_map '\x04' -name '*.toml'
seed ignore_comments '' -name '*.yaml' -o -name '*.yml'
seed lint '\x00' -path '*k8s*' -name '*.yaml'
seed lint '\x01' -name '*.tf'
seed lint '\x02' -name 'Dockerfile*'
seed lint '\x03' -path '*workflows*' -name '*.yml'
