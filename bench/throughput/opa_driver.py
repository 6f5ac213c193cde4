#!/usr/bin/env python3
"""Drives the real OPA engine with conftest's protocol, to compare `paved test` against it.

conftest compiles the policy once, then for every document and every deny/warn/violation
rule of the namespace runs two queries: `data.<ns>.exception[_][_] == "<name>"` and
`data.<ns>.<rule>`. This driver does the same through libopabridge.so (OPA's Go engine as a
C library, from the PyPI wheel opa-golib-python-bindings), in-process. It differs from
conftest twice: each query is prepared once (the bridge caches prepared queries; conftest
builds a new `rego.New(...)` per query, which parses and compiles it again), and the bridge
receives each query's input as JSON text and decodes it before OPA's own round trip through
JSON (conftest hands over its parser's value). Inputs arrive already parsed (from `paved
parse` JSON) and serialised before timing starts, so parsing is not counted here.
bench/throughput/conftest_costs.go times the decode, which bench/throughput.sh takes off,
and conftest's own YAML parse, which it adds in its last row.

Prints one JSON object: documents, queries, failures, warnings, exceptions, seconds (wall
time of the query loop, the slowest worker's) and engine_seconds (time inside the OPA calls
alone, which leaves out this driver's own Python overhead).
"""

import argparse
import ctypes
import json
import multiprocessing
import pathlib
import re
import time

RULE = re.compile(r"^(deny|violation|warn)(_[a-zA-Z0-9]+)*\b", re.MULTILINE)
PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)


def load_library(path):
    lib = ctypes.CDLL(path)
    lib.OpaNew.restype = ctypes.c_uint64
    lib.OpaNew.argtypes = []
    lib.OpaFreeString.restype = None
    lib.OpaFreeString.argtypes = [ctypes.c_void_p]
    lib.OpaAddPolicy.restype = ctypes.c_void_p
    lib.OpaAddPolicy.argtypes = [ctypes.c_uint64, ctypes.c_char_p, ctypes.c_char_p]
    lib.OpaEvalQuery.restype = ctypes.c_void_p
    lib.OpaEvalQuery.argtypes = [
        ctypes.c_uint64,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_int,
    ]
    return lib


def call(lib, fn, *args):
    """Calls the bridge and returns its envelope's result, raising its error."""
    pointer = fn(*args)
    try:
        envelope = json.loads(ctypes.string_at(pointer))
    finally:
        lib.OpaFreeString(pointer)
    if envelope.get("error"):
        raise RuntimeError(envelope["error"])
    return envelope.get("result")


def policy_rules(policy_dir, namespace):
    """The distinct deny/warn/violation rule names of the namespace, as conftest queries."""
    rules = []
    for path in sorted(pathlib.Path(policy_dir).glob("*.rego")):
        text = path.read_text()
        package = PACKAGE.search(text)
        if package and package.group(1) == namespace:
            for match in RULE.finditer(text):
                if match.group(0) not in rules:
                    rules.append(match.group(0))
    return rules


def result_values(result):
    """The elements of a rule's value (a set or array; anything else is a pass)."""
    if not result:
        return []
    value = result[0]["expressions"][0]["value"]
    return value if isinstance(value, list) else []


def worker(args):
    library, policy_dir, namespace, inputs = args
    lib = load_library(library)
    handle = lib.OpaNew()
    for path in sorted(pathlib.Path(policy_dir).glob("*.rego")):
        call(lib, lib.OpaAddPolicy, handle, str(path).encode(), path.read_bytes())
    queries = []
    for rule in policy_rules(policy_dir, namespace):
        name = re.sub(r"^(violation|deny|warn)_?", "", rule)
        queries.append(
            (
                rule.startswith("warn"),
                f'data.{namespace}.exception[_][_] == "{name}"'.encode(),
                f"data.{namespace}.{rule}".encode(),
            )
        )
    counts = {"failures": 0, "warnings": 0, "exceptions": 0, "queries": 0}
    engine = 0.0
    start = time.perf_counter()
    for document in inputs:
        for is_warning, exception_query, rule_query in queries:
            before = time.perf_counter()
            excepted = call(lib, lib.OpaEvalQuery, handle, exception_query, document, 0, 0)
            found = call(lib, lib.OpaEvalQuery, handle, rule_query, document, 0, 0)
            engine += time.perf_counter() - before
            counts["queries"] += 2
            if excepted:
                counts["exceptions"] += 1
            else:
                counts["warnings" if is_warning else "failures"] += len(result_values(found))
    counts["seconds"] = time.perf_counter() - start
    counts["engine_seconds"] = engine
    return counts


def documents(parsed):
    """Each evaluated input of `paved parse` output: top-level arrays element by element."""
    for entry in parsed:
        value = entry["input"]
        for item in value if isinstance(value, list) else [value]:
            yield json.dumps(item).encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", required=True, help="libopabridge.so")
    parser.add_argument("--policy", required=True, help="directory of .rego files")
    parser.add_argument("--namespace", default="main")
    parser.add_argument("--workers", type=int, default=1, help="processes, one engine each")
    parser.add_argument("--repeat", type=int, default=1, help="times through the inputs")
    parser.add_argument("parsed", help="`paved parse --parser yaml FILES` output")
    args = parser.parse_args()
    inputs = list(documents(json.load(open(args.parsed)))) * args.repeat
    shares = [
        (args.library, args.policy, args.namespace, inputs[i :: args.workers])
        for i in range(args.workers)
    ]
    with multiprocessing.Pool(args.workers) as pool:
        parts = pool.map(worker, shares)
    total = {"documents": len(inputs)}
    for key in ("queries", "failures", "warnings", "exceptions"):
        total[key] = sum(p[key] for p in parts)
    for key in ("seconds", "engine_seconds"):
        total[key] = max(p[key] for p in parts)
    print(json.dumps(total))


if __name__ == "__main__":
    main()
