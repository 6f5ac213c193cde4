# METADATA
# title: Large models and data sets stay out of git
# description: >-
#   Git keeps every version of every file forever: a few committed checkpoints make every
#   clone and CI run slow, and removing them means rewriting history. Model and data files
#   over the size limit belong in Git LFS, DVC or a model registry (files the model marks
#   as stored in LFS are fine). Reads ml.max_binary_bytes.
# related_resources:
#   - ref: https://docs.github.com/en/repositories/working-with-files/managing-large-files/about-large-files-on-github
# custom:
#   id: ml/no-large-models-in-git
#   severity: warning
#   level: silver
#   input: repository
#   remediation: >-
#     Move the file to a model registry (MLflow, W&B artifacts) or DVC remote and keep only
#     a reference in git, or track it with Git LFS (`git lfs track "*.pt"`); remove it from
#     history with git filter-repo.
#   config: [ml.max_binary_bytes]
#   examples:
#     fail: |
#       kinds: [ml]
#       binaries: [models/classifier.pt (46 MiB)]
#     pass: |
#       kinds: [ml]
#       binaries: [models/classifier.pt.dvc] (the model itself in a DVC remote)
package paved.ml.no_large_models_in_git

import data.paved.lib.config
import rego.v1

max_bytes := config.setting("ml", "max_binary_bytes")

deny contains {"msg": msg, "path": ["binaries", i]} if {
	data.paved.lib.repository.is_ml
	some i, binary in input.binaries
	binary.bytes > max_bytes
	not binary.lfs
	msg := sprintf("%s is %s in git (limit %s): keep it in Git LFS, DVC or a model registry", [binary.path, size(binary.bytes), size(max_bytes)])
}

# One decimal without %f, which OPA's sprintf refuses for whole numbers.
size(bytes) := sprintf("%d.%d MiB", [floor(tenths / 10), tenths % 10]) if {
	bytes >= 1048576
	tenths := round((bytes * 10) / 1048576)
}

size(bytes) := sprintf("%d KiB", [round(bytes / 1024)]) if bytes < 1048576
