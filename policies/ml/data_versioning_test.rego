package paved.ml.data_versioning_test

import data.paved.ml.data_versioning
import rego.v1

ml(files, dependencies) := {"path": ".", "kinds": ["ml"], "files": files, "dependencies": dependencies}

test_dvc_files_pass if {
	count(data_versioning.deny) == 0 with input as ml(["train.py", "dvc.yaml"], [])
	count(data_versioning.deny) == 0 with input as ml(["train.py", "data/raw.dvc"], [])
}

test_lakefs_dependency_passes if {
	count(data_versioning.deny) == 0 with input as ml(["train.py"], [{"ecosystem": "pypi", "name": "lakefs", "version": "", "scope": "runtime"}])
}

test_unversioned_data_fails if {
	data_versioning.deny == {{"msg": "no data versioning: no DVC files (dvc.yaml, *.dvc) or data versioning dependency"}} with input as ml(["train.py", "data/train.csv", "notes.dvcx"], [])
}

test_other_projects_are_not_asked if {
	count(data_versioning.deny) == 0 with input as {"path": ".", "kinds": ["service"], "files": ["app.py"], "dependencies": []}
}
