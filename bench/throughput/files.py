#!/usr/bin/env python3
"""Lists the Kubernetes YAML files under DIR, one path a line, in path order.

    files.py DIR PAVED [--without-kind KIND]

A file counts when it is `.yaml`/`.yml`, loads as YAML, has a document with `apiVersion`
and `kind`, and `paved parse --parser yaml` reads it without error (Helm templates and other
files no parser takes are left out, so both engines get exactly the same documents). With
`--without-kind`, files whose objects are all of that kind are left out too.
"""

import os
import subprocess
import sys

import yaml


KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def kinds(path):
    """The kinds of the file's Kubernetes objects (documents with `apiVersion` and `kind`)."""
    try:
        with open(path, encoding="utf-8") as file:
            documents = list(yaml.safe_load_all(file))
    except (yaml.YAMLError, UnicodeDecodeError):
        return set()
    return {
        str(d["kind"]) for d in documents if isinstance(d, dict) and "apiVersion" in d and "kind" in d
    }


def parses(paved, path):
    run = subprocess.run(
        [paved, "parse", "--parser", "yaml", path], capture_output=True, check=False
    )
    return run.returncode == 0 and not run.stderr


def main():
    root, paved = sys.argv[1], sys.argv[2]
    without = set(sys.argv[4:5]) if sys.argv[3:4] == ["--without-kind"] else set()
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d != ".git")
        for name in sorted(names):
            path = os.path.join(directory, name)
            # `paved parse` prints a kustomization's built objects, not the file as
            # `paved test` reads it: the engines would be given different documents.
            if name in KUSTOMIZATIONS:
                continue
            if not name.endswith((".yaml", ".yml")):
                continue
            found = kinds(path)
            if found and not found <= without and parses(paved, path):
                print(path)


if __name__ == "__main__":
    main()
