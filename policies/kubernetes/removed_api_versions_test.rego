package paved.kubernetes.removed_api_versions_test

import data.paved.kubernetes.removed_api_versions
import rego.v1

test_current_versions_pass if {
	count(removed_api_versions.deny) == 0 with input as {"apiVersion": "apps/v1", "kind": "Deployment"}
	count(removed_api_versions.deny) == 0 with input as {"apiVersion": "batch/v1", "kind": "CronJob"}
}

test_removed_cronjob_fails if {
	removed_api_versions.deny == {{
		"msg": "batch/v1beta1 CronJob was removed in Kubernetes 1.25; use batch/v1",
		"path": ["apiVersion"],
	}} with input as {"apiVersion": "batch/v1beta1", "kind": "CronJob"}
}

test_removed_ingress_fails if {
	removed_api_versions.deny == {{
		"msg": "extensions/v1beta1 Ingress was removed in Kubernetes 1.22; use networking.k8s.io/v1",
		"path": ["apiVersion"],
	}} with input as {"apiVersion": "extensions/v1beta1", "kind": "Ingress"}
}

test_custom_resources_are_skipped if {
	count(removed_api_versions.deny) == 0 with input as {"apiVersion": "example.com/v1beta1", "kind": "Widget"}
}
