#!/usr/bin/env python3
"""Builds every kustomization under the corpus with `kubectl kustomize` and with paved's
in-process build (`paved render DIR --format json`, run from the corpus root, which is what
it may read) and compares the objects as parsed data,
order-insensitive by kind/namespace/name. Prints one line per kustomization and a total.

usage: conformance.py PAVED CORPUS_DIR [ONLY_SUBSTRING]"""
import json
import os
import subprocess
import sys

import yaml

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
from difference import first_difference  # noqa: E402


def kustomizations(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        if any(f in filenames for f in ("kustomization.yaml", "kustomization.yml", "Kustomization")):
            yield dirpath


def keyed(objects):
    out = {}
    for o in objects:
        if not isinstance(o, dict):
            continue
        meta = o.get("metadata") or {}
        out[(o.get("kind"), meta.get("namespace") or "", meta.get("name"))] = o
    return out


def compare(binary, root, directory):
    kubectl = subprocess.run(["kubectl", "kustomize", directory], capture_output=True, text=True)
    paved = subprocess.run([binary, "render", directory, "--format", "json"], cwd=root,
                           capture_output=True, text=True)
    if kubectl.returncode != 0:
        if paved.returncode != 0:
            return "both-error", paved.stderr.strip().splitlines()[-1][:160]
        return "kubectl-error-only", kubectl.stderr.strip().splitlines()[-1][:160]
    if paved.returncode != 0:
        return "paved-error-only", paved.stderr.strip().splitlines()[-1][:160]
    expected = keyed(d for d in yaml.safe_load_all(kubectl.stdout) if d is not None)
    actual = keyed(json.loads(paved.stdout)["objects"])
    if set(expected) != set(actual):
        missing = sorted(map(str, set(expected) - set(actual)))[:2]
        extra = sorted(map(str, set(actual) - set(expected)))[:2]
        return "different", f"objects: missing {missing} extra {extra}"
    for key in sorted(expected, key=str):
        d = first_difference(expected[key], actual[key])
        if d:
            return "different", f"{key[0]} {key[2]}: {d}"
    return "equal", ""


def main():
    binary, root = sys.argv[1], os.path.abspath(sys.argv[2])
    only = sys.argv[3] if len(sys.argv) > 3 else ""
    counts = {}
    for directory in kustomizations(root):
        if only not in directory:
            continue
        outcome, detail = compare(binary, root, directory)
        counts[outcome] = counts.get(outcome, 0) + 1
        print(f"{outcome:18} {os.path.relpath(directory, root)} {detail}")
    built = sum(v for k, v in counts.items() if k in ("equal", "different", "paved-error-only"))
    equal = counts.get("equal", 0)
    print(f"total: {sum(counts.values())} kustomizations; {counts}")
    print(f"equal: {equal}/{built} of those kubectl builds ({100 * equal / max(built, 1):.1f}%)")


if __name__ == "__main__":
    main()
