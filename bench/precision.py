#!/usr/bin/env python3
"""Findings of `paved lint` on the development corpus, per rule and input class, and a
sample of each rule's findings with the line they point at, to check by hand (the verdicts
live in docs/precision.md).

usage: bench/precision.py PAVED CORPUS_DIR [--sample N] [--rule RULE] [--verdicts FILE]

With --verdicts (docs/precision.md), every finding that file judges wrong is looked up
(by rule, repository and file:line) and the table says how many still fire: a fix that
regresses shows up as a wrong finding that is back.
"""
import argparse
import collections
import json
import os
import subprocess
import sys


def lint(paved, repo):
    """The findings of one repository, as paved's JSON report gives them."""
    run = subprocess.run(
        [paved, "lint", repo, "--format", "json", "--fail-level", "never"],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        sys.exit(f"paved failed on {repo} (exit {run.returncode}): {run.stderr[-2000:]}")
    return json.loads(run.stdout)


def line_number(location):
    """The line a finding starts at; 0 for one about a whole directory."""
    return location.get("start", {}).get("line", 0)


def line_of(repo_dir, location):
    """The text of the line a finding points at, shortened."""
    path = location["file"]
    if not os.path.isabs(path):
        path = os.path.join(os.getcwd(), path)
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        return lines[line_number(location) - 1].strip()[:100] if line_number(location) else ""
    except (OSError, IndexError, KeyError):
        return ""


def spread(findings, count):
    """Up to `count` findings spread over repositories and files, in a stable order."""
    by_repo = collections.defaultdict(list)
    for repo, finding in findings:
        by_repo[repo].append(finding)
    picked = []
    queues = [sorted(v, key=lambda f: (f["location"]["file"], line_number(f["location"]))) for _, v in sorted(by_repo.items())]
    repos = sorted(by_repo)
    while len(picked) < count and any(queues):
        for repo, queue in zip(repos, queues):
            if queue and len(picked) < count:
                # Take from far apart in the file list: the first, then the middle, ...
                picked.append((repo, queue.pop(len(queue) // 2 if len(picked) % 2 else 0)))
    return picked


def wrong_verdicts(path):
    """`rule | repo | file:line` triples that docs/precision.md lists as wrong findings."""
    wrong = set()
    for line in open(path, encoding="utf-8"):
        if line.startswith("- wrong: "):
            judged = line[len("- wrong: "):].split("\u2014")[0]
            rule, repo, place = [part.strip() for part in judged.split("|")[:3]]
            wrong.add((rule, repo, place))
    return wrong


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("paved")
    parser.add_argument("corpus")
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--rule")
    parser.add_argument("--verdicts")
    args = parser.parse_args()
    paved = os.path.abspath(args.paved)
    verdicts = os.path.abspath(args.verdicts) if args.verdicts else None
    os.chdir(args.corpus)
    by_rule = collections.defaultdict(list)
    classes = collections.defaultdict(collections.Counter)
    repos = collections.defaultdict(collections.Counter)
    skipped = collections.Counter()
    for repo in sorted(os.listdir(".")):
        if not os.path.isdir(repo):
            continue
        report = lint(paved, repo)
        for cls, n in report["summary"].get("skipped", {}).items():
            skipped[cls] += n
        for finding in report["findings"]:
            rule = finding["rule"]
            by_rule[rule].append((repo, finding))
            classes[rule][finding.get("class", "deployable")] += 1
            repos[rule][repo] += 1
    total = sum(len(v) for v in by_rule.values())
    print(f"{total} findings; inputs not checked by class: {dict(sorted(skipped.items()))}")
    print(f"{'rule':40} {'all':>5} {'deploy':>6} {'exampl':>6}  repositories")
    for rule in sorted(by_rule, key=lambda r: (-len(by_rule[r]), r)):
        c = classes[rule]
        spread_over = ", ".join(f"{r} {n}" for r, n in sorted(repos[rule].items()))
        print(f"{rule:40} {len(by_rule[rule]):5} {c['deployable']:6} {c['example']:6}  {spread_over}")
    if verdicts:
        fired = {(rule, repo, f"{f['location']['file'][len(repo) + 1:]}:{line_number(f['location'])}")
                 for rule, items in by_rule.items() for repo, f in items}
        wrong = wrong_verdicts(verdicts)
        back = sorted(wrong & fired)
        print(f"\n{len(wrong)} findings judged wrong in {args.verdicts}; {len(back)} still fire:")
        for rule, repo, place in back:
            print(f"  {rule} | {repo} | {place}")
    if args.sample:
        for rule in sorted(by_rule):
            if args.rule and rule != args.rule:
                continue
            print(f"\n## {rule}")
            for repo, f in spread(by_rule[rule], args.sample):
                loc = f["location"]
                print(f"- {repo} | {loc['file'][len(repo) + 1:]}:{line_number(loc)} | {f['message'][:160]}")
                print(f"    > {line_of(repo, loc)}")


if __name__ == "__main__":
    main()
