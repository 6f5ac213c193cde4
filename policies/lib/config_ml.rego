# Defaults for the ml rules; override under `data.paved_config.ml`.
package paved.lib.config

import rego.v1

ml_defaults := {
	# Dependencies (name globs per ecosystem) that track experiments.
	"tracking_dependencies": {
		"pypi": [
			"mlflow", "mlflow-skinny", "wandb", "neptune", "neptune-client", "comet-ml",
			"clearml", "aim", "dvclive", "sacred", "polyaxon",
		],
		"conda": ["mlflow", "mlflow-skinny", "wandb", "neptune-client", "comet_ml", "clearml", "dvclive"],
	},
	# Files (globs, case-insensitive) that version data...
	"data_versioning_files": ["**/dvc.yaml", "**/dvc.lock", "**/*.dvc", ".dvc/config", "**/.lakefs*"],
	# ...or dependencies (name globs per ecosystem) that do.
	"data_versioning_dependencies": {
		"pypi": [
			"dvc", "dvc-*", "lakefs", "lakefs-client", "lakefs-sdk", "quilt3",
			"pachyderm-sdk", "python-pachyderm",
		],
		"conda": ["dvc", "dvc-*"],
	},
	# Lock files (globs, case-insensitive) that pin every Python dependency.
	"lock_files": [
		"**/poetry.lock", "**/uv.lock", "**/Pipfile.lock", "**/pdm.lock", "**/pixi.lock",
		"**/conda-lock.yml", "**/requirements*.lock", "**/*.conda-lock.yml",
	],
	# Model and data files larger than this (bytes) do not belong in git.
	"max_binary_bytes": 10485760,
}
