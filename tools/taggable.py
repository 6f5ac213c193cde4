#!/usr/bin/env python3
"""Regenerates policies/lib/taggable.rego: which attribute of each Terraform resource type
holds its owner tag (AWS and Azure `tags`, Google `labels`, `resource_labels` or
`user_labels`, the `tag {}` blocks of an Auto Scaling group), or none.

Why from the schemas: a hand-kept list of untaggable types is always behind the providers,
and every type it misses is a false owner-tag finding. The CDK for Terraform prebuilt
provider packages on npm carry every resource's arguments in their jsii manifest (`.jsii`),
so the table is read from there.

Run by hand (it downloads about 100 MB with `npm pack`), never in CI: the tests use the
committed table. Bump the versions below to follow the providers.

    python3 tools/taggable.py [--output policies/lib/taggable.rego]
"""

import argparse
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# The prebuilt provider package of each provider, the versions read (the newest of the
# current and of the previous provider major version, so types a module pinned to the older
# provider still uses are known; the newest says which attribute), and the label attributes
# it may have, in order of preference (a resource with two takes the first).
PROVIDERS = {
    "aws": ("@cdktf/provider-aws", ["21.22.1", "19.65.1"], ["tags"]),
    "azurerm": ("@cdktf/provider-azurerm", ["14.23.1", "12.27.0"], ["tags"]),
    "google": (
        "@cdktf/provider-google",
        ["16.12.1", "13.32.1"],
        ["labels", "resource_labels", "user_labels"],
    ),
}

# A repeated `tag { key = ..., value = ... }` block (Auto Scaling groups) carries the tags.
TAG_BLOCK = "tag"

# Docs links name the Terraform resource and attribute:
# {@link https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/s3_bucket#tags S3Bucket#tags}
RESOURCE_LINK = re.compile(r"/providers/[\w-]+/([\w-]+)/([\w.+-]+)/docs/resources/\w+ (\w+)\}")
ATTRIBUTE_LINK = re.compile(r"/docs/resources/\w+#(\w+) ")

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "policies/lib/taggable.rego")
    args = parser.parse_args()
    tables = {}
    headers = []
    with tempfile.TemporaryDirectory() as scratch:
        for provider, (package, versions, attributes) in PROVIDERS.items():
            for version in reversed(versions):
                manifest = download_manifest(package, version, Path(scratch))
                provider_version, table = label_attributes(manifest, attributes)
                headers.append(
                    f"{provider}: {package} {version} (hashicorp/{provider} {provider_version}), "
                    f"{len(table)} of {count_resources(manifest)} resource types take labels"
                )
                tables.update(table)
    args.output.write_text(render(headers, tables))
    print(f"wrote {args.output}: {len(tables)} taggable resource types", file=sys.stderr)


def download_manifest(package, version, scratch):
    """The parsed `.jsii` manifest of one npm package version, fetched with `npm pack`."""
    result = subprocess.run(
        ["npm", "pack", f"{package}@{version}", "--json", "--pack-destination", str(scratch)],
        check=True,
        capture_output=True,
        text=True,
    )
    tarball = scratch / json.loads(result.stdout)[0]["filename"]
    with tarfile.open(tarball) as archive:
        manifest = json.load(archive.extractfile("package/.jsii"))
    tarball.unlink()
    return manifest


def resources(manifest):
    """Each resource class of the manifest as (its docs link match, its config interface)."""
    types = manifest["types"]
    for definition in types.values():
        if definition.get("kind") != "class" or definition.get("base") != "cdktf.TerraformResource":
            continue
        link = RESOURCE_LINK.search(definition.get("docs", {}).get("summary", ""))
        config = next(
            (p["type"]["fqn"] for p in definition["initializer"]["parameters"] if p["name"] == "config"),
            None,
        )
        if link and config:
            yield link, types[config]


def count_resources(manifest):
    return sum(1 for _ in resources(manifest))


def label_attributes(manifest, candidates):
    """(provider version, {resource type: label attribute}) for the types that take labels."""
    types = manifest["types"]
    versions = set()
    table = {}
    for link, config in resources(manifest):
        versions.add(link.group(2))
        arguments = {terraform_name(p): p for p in config.get("properties", [])}
        found = [name for name in candidates if is_string_map(arguments.get(name))]
        if not found and is_tag_block(arguments.get(TAG_BLOCK), types):
            found = [TAG_BLOCK]
        if found:
            table[link.group(3)] = found[0]
    if len(versions) != 1:
        raise SystemExit(f"expected one provider version in the manifest, found {sorted(versions)}")
    return versions.pop(), table


def terraform_name(prop):
    """The argument's Terraform name, from its docs link (jsii names are camelCase)."""
    docs = prop.get("docs", {})
    link = ATTRIBUTE_LINK.search(docs.get("summary", "") + " " + docs.get("remarks", ""))
    return link.group(1) if link else re.sub(r"([A-Z])", r"_\1", prop["name"]).lower()


def is_string_map(prop):
    return prop is not None and prop["type"] == {
        "collection": {"elementtype": {"primitive": "string"}, "kind": "map"}
    }


def is_tag_block(prop, types):
    """A list of blocks each holding one tag's `key` and `value`."""
    if prop is None:
        return False
    for option in prop["type"].get("union", {}).get("types", [prop["type"]]):
        element = option.get("collection", {}).get("elementtype", {}).get("fqn")
        if element and {"key", "value"} <= {p["name"] for p in types[element].get("properties", [])}:
            return True
    return False


def render(headers, table):
    by_attribute = {}
    for resource_type, attribute in sorted(table.items()):
        by_attribute.setdefault(attribute, []).append(resource_type)
    lines = [
        "# GENERATED by tools/taggable.py from the CDK for Terraform prebuilt provider packages:",
        "# do not edit; run the script again to follow the providers.",
        *(f"#   {header}" for header in headers),
        "#",
        "# The resource types that take an owner tag, by the attribute that holds it: `tags` and",
        "# `labels`-like attributes are maps, `tag` is a repeated block of {key, value}. A type of",
        "# these providers that is not listed has no label attribute.",
        "package paved.lib.taggable",
        "",
        "import rego.v1",
        "",
        "# The prefixes of the providers the table covers.",
        f"providers := {json.dumps(sorted(p + '_' for p in PROVIDERS))}",
        "",
        "attributes := {",
    ]
    for attribute, types in sorted(by_attribute.items()):
        lines.append(f'\t"{attribute}": {{')
        lines.extend(wrap([f'"{t}",' for t in types], "\t\t", 100))
        lines.append("\t},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def wrap(words, indent, width):
    """Words joined by spaces into lines of at most `width` columns (a tab counts as four)."""
    lines, line = [], ""
    for word in words:
        if line and len(indent.expandtabs(4)) + len(line) + 1 + len(word) > width:
            lines.append(indent + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(indent + line)
    return lines


if __name__ == "__main__":
    main()
