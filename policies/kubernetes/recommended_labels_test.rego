package paved.kubernetes.recommended_labels_test

import data.paved.kubernetes.recommended_labels
import rego.v1

deployment(labels) := {
	"kind": "Deployment",
	"metadata": {"name": "api", "labels": labels},
	"spec": {"template": {"spec": {"containers": [{"name": "api"}]}}},
}

test_recommended_labels_pass if {
	count(recommended_labels.deny) == 0 with input as deployment({
		"app.kubernetes.io/name": "api",
		"app.kubernetes.io/version": "1.4.2",
	})
}

test_missing_version_fails if {
	recommended_labels.deny == {{
		"msg": "Deployment \"api\" has no app.kubernetes.io/version label",
		"path": ["metadata", "labels", "app.kubernetes.io/version"],
	}} with input as deployment({"app.kubernetes.io/name": "api"})
}

test_cronjob_without_labels if {
	recommended_labels.deny == {
		{"msg": "CronJob \"cleanup\" has no app.kubernetes.io/name label", "path": ["metadata", "labels", "app.kubernetes.io/name"]},
		{"msg": "CronJob \"cleanup\" has no app.kubernetes.io/version label", "path": ["metadata", "labels", "app.kubernetes.io/version"]},
	} with input as {"kind": "CronJob", "metadata": {"name": "cleanup"}, "spec": {}}
}

test_unnamed_pod if {
	count(recommended_labels.deny) == 2 with input as {"kind": "Pod", "metadata": {"generateName": "debug-"}, "spec": {}}
}

test_non_workloads_are_skipped if {
	count(recommended_labels.deny) == 0 with input as {"kind": "Service", "metadata": {"name": "api"}}
}

test_organisation_labels if {
	recommended_labels.deny == {{
		"msg": "Deployment \"api\" has no app.kubernetes.io/part-of label",
		"path": ["metadata", "labels", "app.kubernetes.io/part-of"],
	}} with input as deployment({"app.kubernetes.io/name": "api"})
		with data.paved_config as {"kubernetes": {"recommended_labels": ["app.kubernetes.io/name", "app.kubernetes.io/part-of"]}}
}
