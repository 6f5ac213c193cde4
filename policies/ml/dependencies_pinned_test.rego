package paved.ml.dependencies_pinned_test

import data.paved.ml.dependencies_pinned
import rego.v1

dep(name, version, scope) := {"ecosystem": "pypi", "name": name, "version": version, "scope": scope, "file": "requirements.txt", "line": 1}

ml(files, dependencies) := {"path": ".", "kinds": ["ml"], "files": files, "dependencies": dependencies}

test_pinned_dependencies_pass if {
	count(dependencies_pinned.deny) == 0 with input as ml(["requirements.txt"], [dep("torch", "==2.3.1", "runtime"), dep("mlflow", "2.12.1", "runtime"), dep("pytest", ">=8", "dev")])
}

test_lock_file_pins_everything if {
	count(dependencies_pinned.deny) == 0 with input as ml(["pyproject.toml", "uv.lock"], [dep("torch", ">=2", "runtime")])
}

test_ranges_and_missing_versions_fail if {
	dependencies_pinned.deny == {
		{"msg": "torch >=2.0 is not an exact version: pin it with ==", "path": ["dependencies", 1]},
		{"msg": "pandas has no version: pin it with ==", "path": ["dependencies", 2]},
		{"msg": "numpy ==1.26.* is not an exact version: pin it with ==", "path": ["dependencies", 3]},
	} with input as ml(["requirements.txt"], [
		dep("scikit-learn", "==1.5.0", "runtime"),
		dep("torch", ">=2.0", "runtime"),
		dep("pandas", "", "runtime"),
		dep("numpy", "==1.26.*", "optional"),
		{"ecosystem": "npm", "name": "left-pad", "version": "^1", "scope": "runtime"},
	])
}

test_other_projects_are_not_asked if {
	count(dependencies_pinned.deny) == 0 with input as {"path": ".", "kinds": ["service"], "files": [], "dependencies": [dep("fastapi", ">=0.110", "runtime")]}
}

test_null_version_is_unpinned if {
	dependencies_pinned.deny == {{"msg": "torch has no version: pin it with ==", "path": ["dependencies", 0]}} with input as ml(["requirements.txt"], [{"ecosystem": "pypi", "name": "torch", "version": null}])
}
