#!/usr/bin/env python3
"""Generates one large input of a kind, to show how the built-in rules' cost grows with it.

usage: scaling.py KIND N OUT_DIR     prints the path to give `paved lint`

Kinds (N counts what the rules iterate over):
  dockerfile   N stages (N FROM lines), each copying from the one before, with N/10 global
               ARGs, redeclared, before the first FROM
  yaml-stream  one file of N Kubernetes documents (a Deployment and a Service, alternately)
  snippets     the same file, for the text format: a source snippet for each finding
  terraform    one file of N resources, with N/10 variables, outputs and modules
  workflow     one GitHub workflow of N jobs of 5 steps each
  gitlab-ci    one GitLab pipeline of N jobs extending chains of templates
  codeowners   a repository whose CODEOWNERS has N entries in N/20 sections
  repository   a repository of N files in directories of 100
  alerts       a monorepo of N/100 services and one rules file of N alerts, each watching
               20 of them by name (what the repository model shares into each unit)
  manifest     a service whose package.json, minified to one line, declares N dependencies
"""
import json
import os
import sys


def dockerfile(n):
    lines = []
    names = max(1, n // 20)
    for k in range(n // 10):
        lines.append(f"ARG V{k % names}=alpine:3.{k}")
    lines.append("ARG BASE=golang:1.22")
    for i in range(n):
        image = ["${BASE}", f"${{V{i % names}}}", f"registry.example.com/team/base{i}:1.{i % 7}", "python:latest"][i % 4]
        lines.append(f"FROM {image} AS s{i}")
        if i:
            lines.append(f"COPY --from=s{i - 1} /out /in")
        if i % 5 == 0:
            lines.append("COPY --from=busybox /bin/sh /sh")
            lines.append(f"RUN --mount=type=cache,target=/root/.cache --mount=type=bind,from=s{i - 1},target=/x make")
        lines.append("RUN apt-get update && apt-get install -y --no-install-recommends curl")
        lines.append(f"ENV STAGE={i}")
    lines += ["USER 65532", "HEALTHCHECK CMD [\"/app\", \"health\"]", "ENTRYPOINT [\"/app\"]"]
    return "Dockerfile", "\n".join(lines) + "\n"


DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: app{i}
  labels:
    app.kubernetes.io/name: app{i}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: app{i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app{i}
    spec:
      containers:
        - name: app
          image: registry.example.com/app{i}:1.0.{i}
          env:
            - name: PASSWORD
              value: hunter{i}
          resources:
            limits: {{cpu: "1", memory: 256Mi}}
        - name: sidecar
          image: busybox
---
apiVersion: v1
kind: Service
metadata:
  name: app{i}
spec:
  ports:
    - port: 80
"""


def yaml_stream(n):
    return "all.yaml", "---\n".join(DEPLOYMENT.format(i=i) for i in range(n // 2))


TERRAFORM_RESOURCE = """resource "aws_security_group" "sg{i}" {{
  name = "sg{i}"
  ingress {{
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }}
  tags = {{
    owner = "team{i}"
  }}
}}

"""

TERRAFORM_EXTRAS = """variable "v{i}" {{
  default = "x"
}}

output "o{i}" {{
  value = var.v{i}
}}

module "m{i}" {{
  source = "git::https://example.com/m{i}.git?ref=main"
}}

"""


def terraform(n):
    text = 'terraform {\n  required_version = ">= 1.5"\n}\n\n'
    text += 'provider "aws" {\n  region = "eu-west-1"\n}\n\n'
    text += "".join(TERRAFORM_RESOURCE.format(i=i) for i in range(n))
    text += "".join(TERRAFORM_EXTRAS.format(i=i) for i in range(n // 10))
    return "main.tf", text


def workflow(n):
    lines = ["name: ci", "on: [pull_request_target, push]", "jobs:"]
    for i in range(n):
        lines += [
            f"  job{i}:",
            "    runs-on: ubuntu-latest",
            "    container: node:20",
            "    steps:",
            "      - uses: actions/checkout@v4",
            "        with:",
            "          ref: ${{ github.event.pull_request.head.sha }}",
            "      - uses: docker://alpine:3.19",
            f"      - run: echo \"${{{{ github.event.issue.title }}}}\" job{i}",
            "      - uses: actions/github-script@v7",
            "        with:",
            "          script: console.log(1)",
            "      - uses: ./local-action",
        ]
    return ".github/workflows/ci.yml", "\n".join(lines) + "\n"


def gitlab_ci(n):
    lines = ["stages: [test]", "default:", "  image: alpine:3.19", ".base:", "  image: node:20", "  tags: [docker]"]
    templates = max(1, n // 10)
    for t in range(templates):
        parent = ".base" if t == 0 else f".t{t - 1}"
        lines += [f".t{t}:", f"  extends: {parent}", f"  variables: {{T: \"{t}\"}}"]
    for i in range(n):
        lines += [
            f"job{i}:",
            f"  extends: [.t{i % templates}, .remote-template]" if i % 5 == 0 else f"  extends: .t{i % templates}",
            "  image: python:latest",
            "  services: [postgres, {name: 'redis:7'}]",
            "  script: [make test]",
        ]
    return ".gitlab-ci.yml", "\n".join(lines) + "\n"


def codeowners(n):
    lines = []
    for i in range(n):
        if i % 20 == 0:
            lines.append(f"[Section {i}]" + (f" @example/team{i}" if i % 40 == 0 else ""))
        owners = "" if i % 3 == 0 else f" @example/team{i} not-an-owner"
        lines.append(f"/dir{i}/{owners}")
    lines.append("* @example/platform")
    return "CODEOWNERS", "\n".join(lines) + "\n"


def alerts(n, out):
    services = max(20, n // 100)
    for i in range(services):
        for name, text in [("go.mod", f"module s{i}\n"), ("main.go", "package main\n"),
                           ("Dockerfile", "FROM scratch\n")]:
            write(os.path.join(out, "services", f"s{i}", name), text)
    lines = ["groups:", "  - name: all", "    rules:"]
    for j in range(n):
        watched = ",".join(f'service_name="s{(j + k) % services}"' for k in range(20))
        lines.append(f"      - alert: A{j}")
        lines.append(f"        expr: 'rate(requests{{{watched}}}[5m]) > 1'")
    write(os.path.join(out, "monitoring", "all.rules.yml"), "\n".join(lines) + "\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if kind == "repository":
        os.makedirs(os.path.join(out, ".git"), exist_ok=True)
        write(os.path.join(out, "CODEOWNERS"), "* @example/platform\n")
        for i in range(n):
            write(os.path.join(out, "src", f"pkg{i // 100}", f"file{i}.py"), "")
        print(out)
        return
    generators = {
        "dockerfile": dockerfile,
        "yaml-stream": yaml_stream,
        "snippets": yaml_stream,
        "terraform": terraform,
        "workflow": workflow,
        "gitlab-ci": gitlab_ci,
    }
    if kind == "manifest":
        os.makedirs(os.path.join(out, ".git"), exist_ok=True)
        write(os.path.join(out, "Dockerfile"), "FROM node:22\n")
        write(os.path.join(out, "server.js"), "start()\n")
        dependencies = {f"dependency-{i}": f"^1.{i % 10}.0" for i in range(n)}
        package = {"name": "service", "dependencies": dependencies}
        write(os.path.join(out, "package.json"), json.dumps(package, separators=(",", ":")))
        print(out)
        return
    if kind == "alerts":
        os.makedirs(os.path.join(out, ".git"), exist_ok=True)
        alerts(n, out)
        print(out)
        return
    if kind == "codeowners":
        os.makedirs(os.path.join(out, ".git"), exist_ok=True)
        name, text = codeowners(n)
        write(os.path.join(out, name), text)
        print(out)
        return
    name, text = generators[kind](n)
    write(os.path.join(out, name), text)
    print(os.path.join(out, name))


if __name__ == "__main__":
    main()
