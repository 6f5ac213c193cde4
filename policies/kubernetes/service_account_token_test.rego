package paved.kubernetes.service_account_token_test

import data.paved.kubernetes.service_account_token
import rego.v1

deployment(spec) := {
	"kind": "Deployment",
	"metadata": {"name": "api"},
	"spec": {"template": {"spec": object.union({"containers": [{"name": "api"}]}, spec)}},
}

test_opted_out_passes if {
	count(service_account_token.deny) == 0 with input as deployment({"automountServiceAccountToken": false})
}

test_default_fails if {
	service_account_token.deny == {{
		"msg": "Deployment \"api\" mounts a service account token; set automountServiceAccountToken: false unless it calls the Kubernetes API",
		"path": ["spec", "template", "spec", "automountServiceAccountToken"],
	}} with input as deployment({})
}

test_explicit_true_fails if {
	count(service_account_token.deny) == 1 with input as deployment({"automountServiceAccountToken": true})
}

test_cronjob if {
	service_account_token.deny == {{
		"msg": "CronJob \"cleanup\" mounts a service account token; set automountServiceAccountToken: false unless it calls the Kubernetes API",
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "automountServiceAccountToken"],
	}} with input as {"kind": "CronJob", "metadata": {"name": "cleanup"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}}}
}

test_non_workloads_are_skipped if {
	count(service_account_token.deny) == 0 with input as {"kind": "ServiceAccount", "metadata": {"name": "api"}}
}
