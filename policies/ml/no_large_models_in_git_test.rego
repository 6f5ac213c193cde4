package paved.ml.no_large_models_in_git_test

import data.paved.ml.no_large_models_in_git
import rego.v1

test_small_files_pass if {
	count(no_large_models_in_git.deny) == 0 with input as {"path": ".", "kinds": ["ml"], "binaries": [{"path": "models/tiny.onnx", "bytes": 524288}]}
}

test_large_model_fails if {
	no_large_models_in_git.deny == {{
		"msg": "models/classifier.pt is 46.0 MiB in git (limit 10.0 MiB): keep it in Git LFS, DVC or a model registry",
		"path": ["binaries", 1],
	}} with input as {"path": ".", "kinds": ["ml"], "binaries": [
		{"path": "data/sample.parquet", "bytes": 10485760},
		{"path": "models/classifier.pt", "bytes": 48211968},
	]}
}

test_lfs_files_pass if {
	count(no_large_models_in_git.deny) == 0 with input as {"path": ".", "kinds": ["ml"], "binaries": [{"path": "models/classifier.pt", "bytes": 48211968, "lfs": true}]}
}

test_organisation_limit if {
	no_large_models_in_git.deny == {{
		"msg": "data/sample.parquet is 512 KiB in git (limit 100 KiB): keep it in Git LFS, DVC or a model registry",
		"path": ["binaries", 0],
	}} with input as {"path": ".", "kinds": ["ml"], "binaries": [{"path": "data/sample.parquet", "bytes": 524288}]}
		with data.paved_config as {"ml": {"max_binary_bytes": 102400}}
}

test_other_projects_are_not_asked if {
	count(no_large_models_in_git.deny) == 0 with input as {"path": ".", "kinds": ["service"], "binaries": [{"path": "assets/big.bin", "bytes": 48211968}]}
}
