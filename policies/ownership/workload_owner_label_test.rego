package paved.ownership.workload_owner_label_test

import data.paved.ownership.workload_owner_label
import rego.v1

deployment(labels) := {
	"kind": "Deployment",
	"metadata": {"name": "api", "labels": labels},
	"spec": {"template": {"spec": {"containers": [{"name": "api"}]}}},
}

test_team_label_passes if {
	count(workload_owner_label.deny) == 0 with input as deployment({"app": "api", "team": "payments"})
}

test_missing_owner_fails if {
	workload_owner_label.deny == {{
		"msg": "Deployment \"api\" has no owner label (one of owner, team)",
		"path": ["metadata", "labels"],
	}} with input as deployment({"app": "api"})
}

test_empty_owner_fails if {
	count(workload_owner_label.deny) == 1 with input as deployment({"owner": ""})
}

test_cronjob_without_labels_fails if {
	workload_owner_label.deny == {{
		"msg": "CronJob \"cleanup\" has no owner label (one of owner, team)",
		"path": ["metadata", "labels"],
	}} with input as {"kind": "CronJob", "metadata": {"name": "cleanup"}, "spec": {}}
}

test_non_workloads_are_skipped if {
	count(workload_owner_label.deny) == 0 with input as {"kind": "ConfigMap", "metadata": {"name": "config"}}
}

test_organisation_owner_keys if {
	count(workload_owner_label.deny) == 0 with input as deployment({"acme.com/squad": "checkout"})
		with data.paved_config as {"kubernetes": {"owner_label_keys": ["acme.com/squad"]}}
}
