# METADATA
# title: ML projects pin their Python dependencies
# description: >-
#   Training results depend on exact library versions (numerics, defaults, kernels change
#   between releases): with ranges, the same code trains a different model next month.
#   Every runtime PyPI dependency is pinned with `==` (a bare version in Poetry), unless a
#   lock file pins them all. Dev dependencies are not asked. Reads ml.lock_files.
# related_resources:
#   - ref: https://pip.pypa.io/en/stable/topics/repeatable-installs/
# custom:
#   id: ml/dependencies-pinned
#   severity: warning
#   level: silver
#   input: repository
#   remediation: >-
#     Pin exact versions (`torch==2.3.1`), for instance by compiling requirements.in with
#     pip-compile or uv, or commit the lock file of Poetry, uv, PDM or Pipenv.
#   config: [ml.lock_files]
#   examples:
#     fail: |
#       kinds: [ml]
#       requirements.txt: [torch>=2.0, pandas]
#     pass: |
#       kinds: [ml]
#       requirements.txt: [torch==2.3.1, pandas==2.2.2]
package paved.ml.dependencies_pinned

import data.paved.lib.config
import data.paved.lib.repository
import rego.v1

locked if repository.any_file_matches(config.setting("ml", "lock_files"))

# `==1.2.3`, `===1.2.3` or Poetry's bare `1.2.3`; not `==1.*`, ranges or nothing.
exact(version) if regex.match(`^(===?[ ]*)?[0-9][^*,<>=!~^ ]*$`, version)

deny contains {"msg": msg, "path": ["dependencies", i]} if {
	data.paved.lib.repository.is_ml
	not locked
	some i, dep in input.dependencies
	dep.ecosystem == "pypi"
	object.get(dep, "scope", "runtime") != "dev"
	version := version_of(dep)
	not exact(version)
	msg := unpinned(dep.name, version)
}

version_of(dep) := dep.version if is_string(dep.version)

version_of(dep) := "" if not is_string(dep.version)

unpinned(name, "") := sprintf("%s has no version: pin it with ==", [name])

unpinned(name, version) := sprintf("%s %s is not an exact version: pin it with ==", [name, version]) if version != ""
