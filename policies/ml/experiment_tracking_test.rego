package paved.ml.experiment_tracking_test

import data.paved.ml.experiment_tracking
import rego.v1

dep(name) := {"ecosystem": "pypi", "name": name, "version": "", "scope": "runtime", "file": "requirements.txt", "line": 1}

test_mlflow_passes if {
	count(experiment_tracking.deny) == 0 with input as {"path": ".", "kinds": ["ml"], "dependencies": [dep("torch"), dep("mlflow")]}
	count(experiment_tracking.deny) == 0 with input as {"path": ".", "kinds": ["ml"], "dependencies": [dep("Comet_ML")]}
}

test_no_tracker_fails if {
	experiment_tracking.deny == {{"msg": "no experiment tracking: no MLflow, Weights & Biases, Neptune, Comet or ClearML dependency"}} with input as {"path": ".", "kinds": ["ml"], "dependencies": [dep("torch"), dep("pandas")]}
}

test_other_projects_are_not_asked if {
	count(experiment_tracking.deny) == 0 with input as {"path": ".", "kinds": ["service"], "dependencies": [dep("fastapi")]}
}
