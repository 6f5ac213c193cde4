# Usage: /tmp/helm-engine-venv/bin/python bench/helm/record-engine-cases.py tests/data/helm-engine/*.case
"""Renders each case's template with real Helm (helm-python-sdk) and writes Helm's output
(or error) into the case's `=== expected` / `=== error` section. A case file holds
`=== values` (JSON), `=== template` and, after recording, the expectation."""
import json, os, sys, tempfile
import helm_python as helm

SECTIONS = ("values", "template", "expected", "error")

def read(path):
    parts, name = {}, None
    for line in open(path).read().split("\n"):
        if line.startswith("=== ") and line[4:] in SECTIONS:
            name = line[4:]; parts[name] = []
        elif name:
            parts[name].append(line)
    return {k: "\n".join(v) for k, v in parts.items()}

for path in sys.argv[1:]:
    case = read(path)
    with tempfile.TemporaryDirectory(prefix="helm-engine-") as d:
        chart = os.path.join(d, "mychart")
        os.makedirs(os.path.join(chart, "templates"))
        open(os.path.join(chart, "Chart.yaml"), "w").write('apiVersion: v2\nname: mychart\nversion: 0.1.0\nappVersion: "1.0"\n')
        open(os.path.join(chart, "values.yaml"), "w").write(json.dumps(json.loads(case["values"] or "{}")))
        open(os.path.join(chart, "templates", "t.yaml"), "w").write(case["template"])
        try:
            out = helm.Chart.load(chart).render(name="release-name", namespace="default")
            result = ("expected", out.get("mychart/templates/t.yaml", ""))
        except helm.HelmError as e:
            result = ("error", str(e))
    with open(path, "w") as f:
        f.write(f"=== values\n{case['values']}\n=== template\n{case['template']}\n=== {result[0]}\n{result[1]}")
