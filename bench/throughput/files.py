#!/usr/bin/env python3
"""Lists the Kubernetes YAML files under DIR, one path a line, in path order.

A file counts when it is `.yaml`/`.yml`, loads as YAML, has a document with `apiVersion`
and `kind`, and `paved parse --parser yaml` reads it without error (Helm templates and other
files no parser takes are left out, so both engines get exactly the same documents).
"""

import os
import subprocess
import sys

import yaml


KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def is_kubernetes(path):
    try:
        with open(path, encoding="utf-8") as file:
            documents = list(yaml.safe_load_all(file))
    except (yaml.YAMLError, UnicodeDecodeError):
        return False
    return any(isinstance(d, dict) and "apiVersion" in d and "kind" in d for d in documents)


def parses(paved, path):
    run = subprocess.run(
        [paved, "parse", "--parser", "yaml", path], capture_output=True, check=False
    )
    return run.returncode == 0 and not run.stderr


def main():
    root, paved = sys.argv[1], sys.argv[2]
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d != ".git")
        for name in sorted(names):
            path = os.path.join(directory, name)
            # `paved parse` prints a kustomization's built objects, not the file as
            # `paved test` reads it: the engines would be given different documents.
            if name in KUSTOMIZATIONS:
                continue
            if name.endswith((".yaml", ".yml")) and is_kubernetes(path) and parses(paved, path):
                print(path)


if __name__ == "__main__":
    main()
