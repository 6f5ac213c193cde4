# METADATA
# title: ML projects version their data
# description: >-
#   A model is a function of its code and its data: with only the code in git, last
#   month's model cannot be rebuilt or explained. An ML project versions its data sets
#   with DVC (dvc.yaml, .dvc files), lakeFS or a similar tool. Reads
#   ml.data_versioning_files and ml.data_versioning_dependencies.
# related_resources:
#   - ref: https://dvc.org/doc/start/data-management/data-versioning
# custom:
#   id: ml/data-versioning
#   severity: info
#   level: gold
#   input: repository
#   remediation: >-
#     Track data sets with `dvc add data/` (commit the .dvc files and push the data to a
#     DVC remote), or reference immutable lakeFS commits from the training code.
#   config: [ml.data_versioning_files, ml.data_versioning_dependencies]
#   examples:
#     fail: |
#       kinds: [ml]
#       files: [train.py, data/README.md]
#     pass: |
#       kinds: [ml]
#       files: [train.py, dvc.yaml, data/raw.dvc]
package paved.ml.data_versioning

import data.paved.lib.config
import data.paved.lib.repository
import rego.v1

versioned if repository.any_file_matches(config.setting("ml", "data_versioning_files"))

versioned if count(repository.matching_dependencies(config.setting("ml", "data_versioning_dependencies"))) > 0

deny contains {"msg": "no data versioning: no DVC files (dvc.yaml, *.dvc) or data versioning dependency"} if {
	data.paved.lib.repository.is_ml
	not versioned
}
