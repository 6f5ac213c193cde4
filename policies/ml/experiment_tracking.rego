# METADATA
# title: ML projects track their experiments
# description: >-
#   A model nobody can trace back to its code, data, parameters and metrics cannot be
#   reproduced, compared or audited. An ML project uses an experiment tracker (MLflow,
#   Weights & Biases, Neptune, Comet, ClearML, ...). Reads ml.tracking_dependencies.
# related_resources:
#   - ref: https://mlflow.org/docs/latest/tracking.html
# custom:
#   id: ml/experiment-tracking
#   severity: warning
#   level: silver
#   input: repository
#   remediation: >-
#     Log runs to the organisation's tracking server: add mlflow (or wandb, neptune,
#     comet-ml, clearml) and log parameters, metrics and the model from the training code.
#   config: [ml.tracking_dependencies]
#   examples:
#     fail: |
#       kinds: [ml]
#       dependencies: [pypi torch, pypi pandas]
#     pass: |
#       kinds: [ml]
#       dependencies: [pypi torch, pypi pandas, pypi mlflow]
package paved.ml.experiment_tracking

import data.paved.lib.config
import data.paved.lib.repository
import rego.v1

# Any scope counts: trackers are often in a training extra or dev group.
tracked if count(repository.matching_dependencies(config.setting("ml", "tracking_dependencies"))) > 0

deny contains {"msg": "no experiment tracking: no MLflow, Weights & Biases, Neptune, Comet or ClearML dependency"} if {
	data.paved.lib.repository.is_ml
	not tracked
}
