#!/usr/bin/env python3
"""A `helm` command for `kubectl kustomize --enable-helm --helm-command` where no helm binary
is installed: `helm template` rendered by Helm's own Go library (helm-python-sdk), so the
objects kustomize builds from `helmCharts` are Helm's. It answers the two commands kustomize
runs on a local chart (`version --short`, `template`) and refuses any flag the library
cannot honour (--kube-version, --api-versions, --name-template), so no recording is made
with a flag silently dropped. Run it with the helm-venv's python (bench/kustomize/record.sh).
"""

import sys

import yaml
from helm_python import Chart


def is_hook(text, kinds):
    """Whether the rendered manifest is a Helm hook of one of `kinds` (any hook if None)."""
    for doc in yaml.safe_load_all(text):
        hooks = ((doc or {}).get("metadata") or {}).get("annotations", {}).get("helm.sh/hook")
        if hooks is None:
            continue
        named = {h.strip() for h in hooks.split(",")}
        if kinds is None or named & kinds:
            return True
    return False


def template(args):
    positional, values, namespace = [], {}, "default"
    include_crds = skip_tests = no_hooks = False
    it = iter(args)
    for arg in it:
        if arg == "--namespace":
            namespace = next(it)
        elif arg in ("-f", "--values"):
            with open(next(it)) as f:
                loaded = yaml.safe_load(f) or {}
            values.update(loaded)
        elif arg == "--include-crds":
            include_crds = True
        elif arg == "--skip-tests":
            skip_tests = True
        elif arg == "--no-hooks":
            no_hooks = True
        elif arg.startswith("-"):
            sys.exit(f"helm-shim: {arg} is not supported")
        else:
            positional.append(arg)
    if len(positional) != 2:
        sys.exit(f"helm-shim: template needs RELEASE CHART, got {positional}")
    release, path = positional
    chart = Chart.load(path)
    out = []
    if include_crds:
        for crd in chart.crds:
            out.append(f"---\n# Source: {crd['filename']}\n{crd['data']}")
    rendered = chart.render(values, name=release, namespace=namespace)
    for name in sorted(rendered):
        text = rendered[name]
        base = name.rsplit("/", 1)[-1]
        if base.startswith("_") or base == "NOTES.txt" or not text.strip():
            continue
        if no_hooks and is_hook(text, None):
            continue
        if skip_tests and is_hook(text, {"test", "test-success"}):
            continue
        out.append(f"---\n# Source: {name}\n{text}")
    sys.stdout.write("\n".join(out) + "\n")


def main():
    args = sys.argv[1:]
    if args[:1] == ["version"]:
        print("v3.16.0+helm-python-sdk")
    elif args[:1] == ["template"]:
        template(args[1:])
    else:
        sys.exit(f"helm-shim: unsupported command {args}")


if __name__ == "__main__":
    main()
