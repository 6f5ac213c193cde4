#!/usr/bin/env python3
"""Generates a synthetic organisation for benchmarks: N repositories, each with Kubernetes
manifests (multi-document), Terraform, GitHub workflows, a Dockerfile and source files.

usage: generate.py OUT_DIR FILES              (FILES: at least this many YAML, Terraform and
                                               workflow files; Dockerfiles, CODEOWNERS and
                                               source files come on top)
       generate.py --monorepo OUT_DIR FILES   (one repository of FILES files: Go services,
                                               each a unit with its go.mod and manifests)
"""
import os
import random
import sys

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    app.kubernetes.io/name: {name}
    team: {team}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
    spec:
      containers:
        - name: {name}
          image: registry.example.com/{team}/{name}:{tag}
          ports:
            - containerPort: 8080
          env:
            - name: OTEL_SERVICE_NAME
              value: {name}
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
{limits}{probes}---
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app.kubernetes.io/name: {name}
  ports:
    - port: 80
      targetPort: 8080
"""

TERRAFORM = """resource "aws_s3_bucket" "{name}" {{
  bucket = "{team}-{name}-${{var.env}}"
{tags}}}

resource "aws_sqs_queue" "{name}_events" {{
  name = "{name}-events"
  tags = {{
    owner = "{team}"
  }}
}}
"""

WORKFLOW = """name: ci
on:
  pull_request:
  push:
    branches: [main]
{permissions}jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v4
      - run: make test
"""

DOCKERFILE = """FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /app ./...

FROM gcr.io/distroless/static
COPY --from=build /app /app
{user}ENTRYPOINT ["/app"]
"""


def repository(root, index, rng):
    team = f"team-{index % 40}"
    files = 0
    def write(path, text):
        nonlocal files
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)
        if path.endswith((".yaml", ".yml", ".tf")):
            files += 1
    os.makedirs(os.path.join(root, ".git"), exist_ok=True)
    with open(os.path.join(root, ".git", "HEAD"), "w") as f:
        f.write("ref: refs/heads/main\n")
    if rng.random() < 0.8:
        write("CODEOWNERS", f"* @example/{team}\n")
    for s in range(6):
        name = f"svc{index}-{s}"
        limits = "            limits:\n              cpu: \"1\"\n              memory: 256Mi\n" if rng.random() < 0.7 else ""
        probes = "          readinessProbe:\n            httpGet: {path: /ready, port: 8080}\n          livenessProbe:\n            httpGet: {path: /live, port: 8080}\n" if rng.random() < 0.6 else ""
        tag = "latest" if rng.random() < 0.1 else f"1.{s}.{index % 10}"
        write(f"k8s/{name}.yaml", DEPLOYMENT.format(name=name, team=team, replicas=1 + s % 3, tag=tag, limits=limits, probes=probes))
    for m in range(2):
        tags = f"  tags = {{\n    owner = \"{team}\"\n  }}\n" if rng.random() < 0.7 else ""
        write(f"infra/module{m}/main.tf", TERRAFORM.format(name=f"b{index}m{m}", team=team, tags=tags))
    write(".github/workflows/ci.yml", WORKFLOW.format(permissions="permissions:\n  contents: read\n" if rng.random() < 0.5 else ""))
    write("Dockerfile", DOCKERFILE.format(user="USER 65532\n" if rng.random() < 0.6 else ""))
    write("main.go", "package main\n\nfunc main() {}\n")
    return files


def monorepo(root, target, rng):
    """Services of 50 packages of 10 Go files each (a test file in most packages), docs,
    and a Deployment per service."""
    files = 0
    os.makedirs(os.path.join(root, ".git"), exist_ok=True)
    with open(os.path.join(root, "CODEOWNERS"), "w") as f:
        f.write("* @example/platform\n")
    service = 0
    while files < target:
        base = os.path.join(root, "services", f"svc{service}")
        os.makedirs(os.path.join(base, "k8s"), exist_ok=True)
        with open(os.path.join(base, "go.mod"), "w") as f:
            f.write(f"module example.com/svc{service}\n\ngo 1.22\n")
        with open(os.path.join(base, "k8s", "deployment.yaml"), "w") as f:
            f.write(DEPLOYMENT.format(name=f"svc{service}", team="platform", replicas=2, tag="1.0.0", limits="", probes=""))
        files += 2
        for package in range(50):
            directory = os.path.join(base, "internal", f"pkg{package}")
            os.makedirs(directory, exist_ok=True)
            for n in range(10):
                name = f"file{n}_test.go" if n == 0 and rng.random() < 0.8 else f"file{n}.go"
                with open(os.path.join(directory, name), "w") as f:
                    f.write(f"package pkg{package}\n")
            with open(os.path.join(directory, "README.md"), "w") as f:
                f.write("# package\n")
            files += 11
        service += 1
    return files, service


def main():
    if sys.argv[1] == "--monorepo":
        files, services = monorepo(sys.argv[2], int(sys.argv[3]), random.Random(42))
        print(f"{files} files in one repository of {services} services")
        return
    out, target = sys.argv[1], int(sys.argv[2])
    rng = random.Random(42)
    files = index = 0
    while files < target:
        files += repository(os.path.join(out, f"repo-{index:05d}"), index, rng)
        index += 1
    print(f"{files} YAML, Terraform and workflow files in {index} repositories")


if __name__ == "__main__":
    main()
