#!/usr/bin/env bash
# bench/audit.sh [COUNTS...]: `paved audit` over generated organisations of COUNTS
# repositories (default 150 300), each a copy of a development-corpus repository
# (/tmp/corpus, unpacked by /work/shared/corpus/unpack.sh when missing) with its own git
# history. Copies are hard links (the audit writes nothing into them) and the organisation
# is deleted on exit. Prints repositories/s, files/s and peak memory for each count, and
# `paved lint` over the same files for the per-file comparison.
source "$(dirname "$0")/common.sh"
corpus=${CORPUS:-/tmp/corpus}
[ -d "$corpus" ] || ../shared/corpus/unpack.sh "$corpus"
counts=("${@:-150 300}")
counts=(${counts[@]})

# One committed template per corpus repository; every repository of the organisation is a
# hard-linked copy of one, .git included.
templates=()
for source in "$corpus"/*/; do
  name=$(basename "$source")
  cp -al "$source" "$work/template-$name"
  git -C "$work/template-$name" init -q -b main
  git -C "$work/template-$name" add -A
  git -C "$work/template-$name" -c user.name=bench -c user.email=bench@example.com \
    -c commit.gpgsign=false commit -qm corpus
  templates+=("$work/template-$name")
done

printf '%-6s %-6s %8s %9s %10s %10s %11s\n' tool repos seconds 'repos/s' files 'files/s' 'peak MiB'
for count in "${counts[@]}"; do
  org="$work/org-$count"
  mkdir -p "$org"
  for i in $(seq 0 $((count - 1))); do
    template=${templates[$((i % ${#templates[@]}))]}
    cp -al "$template" "$org/$(basename "$template" | sed 's/^template-//')-$i"
  done
  cat "$org"/*/README.md >/dev/null 2>&1 || true   # warm the page cache a little
  /usr/bin/time -f '%e %M' -o "$work/time" \
    target/release/paved audit "$org" --quiet --output "$work/audit.jsonl"
  read -r seconds kib <"$work/time"
  files=$(python3 -c 'import json,sys; print(sum(json.loads(l)["files"] for l in open(sys.argv[1])))' "$work/audit.jsonl")
  lines=$(wc -l <"$work/audit.jsonl")
  python3 - "$count" "$lines" "$seconds" "$files" "$kib" audit <<'PY'
import sys
count, lines, seconds, files, kib, tool = sys.argv[1:]
assert int(lines) == int(count), f"{lines} lines for {count} repositories"
s = float(seconds)
print(f"{tool:<6} {count:<6} {s:8.2f} {int(count)/s:9.1f} {files:>10} {int(files)/s:10.0f} {int(kib)/1024:11.0f}")
PY
  /usr/bin/time -f '%e %M' -o "$work/time" \
    target/release/paved lint "$org" -f json --fail-level never >"$work/lint.json"
  read -r seconds kib <"$work/time"
  files=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["files"])' "$work/lint.json")
  python3 - "$count" "$count" "$seconds" "$files" "$kib" lint <<'PY'
import sys
count, lines, seconds, files, kib, tool = sys.argv[1:]
s = float(seconds)
print(f"{tool:<6} {count:<6} {s:8.2f} {int(count)/s:9.1f} {files:>10} {int(files)/s:10.0f} {int(kib)/1024:11.0f}")
PY
  rm -rf "$org" "$work/lint.json" "$work/audit.jsonl"
done
