#!/usr/bin/env python3
"""Writes a realistic organisation's audit results (schema 1) under fixtures/audit/org/:
24 repositories of three teams (and a few without an owner), a monorepo with service
units, one repository that could not be cloned, two shards of a first run that overlap on
one repository, and a second run a week later in which teams fixed some findings and
introduced others. Deterministic: the same files every time."""

import hashlib
import json
import random
from pathlib import Path

RULES = [  # (id, level, severity)
    ("repository/codeowners", "bronze", "error"),
    ("repository/readme", "bronze", "warning"),
    ("containers/base-image-pinned", "bronze", "error"),
    ("kubernetes/image-pinned", "bronze", "error"),
    ("ci/workflow-permissions", "silver", "warning"),
    ("ci/job-timeouts", "silver", "warning"),
    ("containers/non-root-user", "silver", "error"),
    ("kubernetes/probes", "silver", "warning"),
    ("kubernetes/read-only-root-filesystem", "silver", "warning"),
    ("observability/metrics", "silver", "warning"),
    ("observability/tracing", "silver", "info"),
    ("ci/actions-pinned", "gold", "warning"),
    ("containers/healthcheck", "gold", "info"),
    ("observability/slos", "gold", "info"),
]
LEVELS = ["bronze", "silver", "gold"]
TEAMS = {
    "@acme/payments": ["payments-api", "checkout", "invoicing", "refunds", "ledger", "fraud-scoring", "billing-portal"],
    "@acme/platform": ["platform-monorepo", "ingress-gateway", "terraform-modules", "ci-templates", "observability-stack", "secrets-operator", "base-images"],
    "@acme/data": ["etl-pipelines", "warehouse-models", "feature-store", "reporting-ui", "ml-serving", "event-stream"],
    None: ["legacy-crm", "hackweek-2024", "old-website"],
}
UNREACHABLE = "https://git.acme.example/archive/mainframe-bridge.git"
# How likely each level's rules fail, per team: data is newest to the standards.
FAILING = {"@acme/payments": 0.12, "@acme/platform": 0.08, "@acme/data": 0.22, None: 0.45}


def level_and_next(results):
    level = None
    for name in LEVELS:
        if all(r["pass"] for r in results.values() if r["level"] == name):
            level = name
        else:
            blocking = sorted(i for i, r in results.items() if r["level"] == name and not r["pass"])
            return level, {"level": name, "blocking": blocking}
    return level, None


def scorecard(rules, findings, scope):
    results = {}
    counts = {"error": 0, "warning": 0, "info": 0}
    for rule, level, severity in RULES:
        n = sum(1 for f in findings if f["rule"] == rule and (scope == "." or f["unit"] == scope))
        results[rule] = {"level": level, "severity": severity, "findings": n, "pass": n == 0}
        counts[severity] += n
    level, nxt = level_and_next(results)
    return results, counts, level, nxt


def findings_for(repo, owner, week):
    """Week 1 draws each rule's failures; week 2 starts from them, fixes some rules whole
    and lets a few new failures in, so the history has new, fixed and still failing."""
    first = random.Random(f"{repo}/1")
    change = random.Random(f"{repo}/2")
    found = []
    for index, (rule, level, _) in enumerate(RULES):
        chance = FAILING[owner] * {"bronze": 0.35, "silver": 1.0, "gold": 2.0}[level]
        failing = first.random() < chance
        count = first.randint(1, 4)
        if week == 2:
            if failing and change.random() < 0.35:
                failing = False  # fixed
            elif not failing and level != "bronze" and change.random() < 0.04:
                failing, count = True, 1  # a regression
        if failing:
            found.extend(finding(repo, index, k) for k in range(count))
    return found


def finding(repo, index, k):
    rule, _, severity = RULES[index]
    file = ["CODEOWNERS", "README.md", "Dockerfile", "k8s/deployment.yaml", ".github/workflows/ci.yml"][index % 5]
    return {
        "rule": rule, "severity": severity, "file": file, "line": 3 + 7 * k, "column": 5,
        "message": f"{rule.split('/')[1].replace('-', ' ')} not satisfied ({k + 1})",
        "fingerprint": f"{repo}:{rule}:{k}", "unit": ".",
    }


def line(repo, owner, week, started):
    rng = random.Random(f"{repo}/{week}")
    base = {"schema": 1, "repository": repo, "source": "path", "path": f"/srv/checkouts/{repo}",
            "commit": hashlib.sha1(repo.encode()).hexdigest(), "branch": "main", "started": started,
            "duration_ms": rng.randint(80, 2400), "files": rng.randint(12, 400), "owner": owner}
    found = findings_for(repo, owner, week)
    units = []
    if repo == "platform-monorepo":
        for i, root in enumerate(["services/api", "services/worker", "services/scheduler"]):
            for f in found[i::3]:
                f["unit"] = root
            unit_rules, unit_counts, unit_level, unit_next = scorecard(RULES, found, root)
            units.append({"root": root, "kind": ["service"], "owner": owner, "level": unit_level,
                          "next": unit_next, "rules": unit_rules, "counts": unit_counts})
    rules, counts, level, nxt = scorecard(RULES, found, ".")
    found.sort(key=lambda f: (f["file"], f["line"], f["rule"]))
    return {**base, "level": level, "next": nxt, "rules": rules, "counts": counts,
            "units": units, "findings": found, "error": None}


def unreachable(started):
    return {"schema": 1, "repository": UNREACHABLE, "source": "url", "path": None, "commit": None,
            "branch": None, "started": started, "duration_ms": 30000, "files": 0, "owner": None,
            "level": None, "next": None, "rules": {}, "counts": {"error": 0, "warning": 0, "info": 0},
            "units": [], "findings": [], "error": "clone failed: could not resolve host git.acme.example"}


def run(day, week):
    lines = []
    for i, (owner, repos) in enumerate(sorted(TEAMS.items(), key=lambda t: str(t[0]))):
        for j, repo in enumerate(repos):
            lines.append(line(repo, owner, week, f"2026-{day}T02:{i:02d}:{j:02d}Z"))
    lines.append(unreachable(f"2026-{day}T02:59:00Z"))
    return lines


def write(path, lines):
    with open(path, "w") as out:
        for l in lines:
            out.write(json.dumps(l, sort_keys=True) + "\n")


def main():
    root = Path(__file__).resolve().parents[2] / "fixtures" / "audit" / "org"
    root.mkdir(parents=True, exist_ok=True)
    first = run("11-20", 1)
    # Shard 2 audited one repository again later (a retried job): the merge keeps that audit.
    rerun = dict(first[1], started="2026-11-20T03:30:00Z")
    write(root / "run1-shard1.jsonl", first[::2])
    write(root / "run1-shard2.jsonl", first[1::2] + [rerun])
    write(root / "run2.jsonl", run("11-27", 2))


if __name__ == "__main__":
    main()
