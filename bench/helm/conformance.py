"""Conformance of `paved render` against real Helm.

For every chart of a corpus (a directory with Chart.yaml that is not a subchart vendored
in another chart's charts/), renders it with Helm's own library (helm-python-sdk) and with
`paved render --format json`, both with the defaults of `helm template` (release
`release-name`, namespace `default`, the chart's values.yaml), and compares the rendered
documents as parsed YAML data, template by template. Prints one line per chart:

    equal | different (template: first differing path) | helm error / paved error

and a summary. Run it through conformance.sh, which prepares the virtual environment.
"""

import argparse
import json
import pathlib
import re
import subprocess
import sys

import yaml

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
from difference import first_difference  # noqa: E402
from helm_python import Chart


def charts(corpus):
    """Chart directories, outermost only, sorted."""
    found = sorted(p.parent for p in corpus.rglob("Chart.yaml"))
    outer = []
    for chart in found:
        if "templates" in chart.parts:
            continue
        if any(chart.is_relative_to(o / "charts") for o in outer):
            continue
        outer.append(chart)
    return outer


def documents(templates):
    """{template: [document, ...]} without empty documents and NOTES.txt."""
    out = {}
    for name, text in templates.items():
        if name.endswith("NOTES.txt"):
            continue
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
        if docs:
            out[name] = docs
    return out


def helm_render(chart):
    try:
        rendered = Chart.load(str(chart)).render(name="release-name", namespace="default")
        return documents(rendered), None
    except Exception as e:  # every Helm error is a result here
        return None, str(e).splitlines()[0] if str(e) else type(e).__name__


def paved_render(paved, chart):
    """(documents, None) or (None, [error, ...]), each error `file:line: message`."""
    run = subprocess.run(
        [paved, "render", str(chart), "--format", "json"],
        capture_output=True,
        text=True,
    )
    if run.returncode not in (0, 1) or not run.stdout.strip():
        return None, [(run.stderr.strip().splitlines() or ["no output"])[0]]
    result = json.loads(run.stdout)
    errors = result.get("errors", [])
    if errors:
        return None, [f"{e.get('file')}:{e.get('line')}: {e.get('message')}" for e in errors]
    try:
        return documents(result["templates"]), None
    except yaml.YAMLError as e:
        return None, [f"paved output is not YAML: {e}"]


def helm_template_of(error):
    """The chart file Helm's error names (`templates/x.yaml`, `charts/db/templates/...`)."""
    found = re.search(r"[\w.-]+/((?:charts/[\w.-]+/)*templates/[^:\s)]+)", error)
    return found.group(1) if found else None


def compare(helm, paved):
    for name in sorted(set(helm) | set(paved)):
        if name not in paved:
            return f"{name}: only helm renders it"
        if name not in helm:
            return f"{name}: only paved renders it"
        if len(helm[name]) != len(paved[name]):
            return f"{name}: {len(helm[name])} vs {len(paved[name])} documents"
        for index, (a, b) in enumerate(zip(helm[name], paved[name])):
            found = first_difference(a, b)
            if found:
                return f"{name}#{index}: {found}"
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--paved", required=True)
    parser.add_argument("corpus", type=pathlib.Path)
    args = parser.parse_args()
    counts = {
        "equal": 0,
        "different": 0,
        "both error": 0,
        "error elsewhere": 0,
        "helm error": 0,
        "paved error": 0,
    }
    for chart in charts(args.corpus):
        name = chart.relative_to(args.corpus)
        helm, helm_error = helm_render(chart)
        paved, paved_error = paved_render(args.paved, chart)
        if helm_error and paved_error:
            template = helm_template_of(helm_error)
            same = template and any(e.startswith(template + ":") for e in paved_error)
            verdict = "both error" if same else "error elsewhere"
            detail = f"helm: {helm_error} | paved: {paved_error[0]}"
        elif helm_error:
            verdict, detail = "helm error", helm_error
        elif paved_error:
            verdict, detail = "paved error", f"{paved_error[0]} (+{len(paved_error) - 1})"
        else:
            difference = compare(helm, paved)
            verdict = "different" if difference else "equal"
            detail = difference or f"{sum(len(d) for d in helm.values())} documents"
        counts[verdict] += 1
        print(f"{str(name):55} {verdict:15} {detail[:150]}")
    rendered = counts["equal"] + counts["different"] + counts["paved error"]
    print()
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    rejected = counts["both error"] + counts["error elsewhere"] + counts["helm error"]
    if rejected:
        print(f"render-error at Helm's template: {counts['both error']}/{rejected} of the charts Helm rejects")
    if rendered:
        print(f"identical: {counts['equal']}/{rendered} of the charts Helm renders "
              f"({100 * counts['equal'] / rendered:.0f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
