package paved.kubernetes.service_account_token_test

import data.paved.kubernetes.service_account_token
import rego.v1

message := "Deployment \"api\" mounts a service account token; set automountServiceAccountToken: false unless it calls the Kubernetes API"

deployment(fields) := object.union(
	{"file": "k8s/api.yaml", "kind": "Deployment", "name": "api", "namespace": null, "containers": [{"name": "api"}], "serviceAccountName": null, "automountServiceAccountToken": null},
	fields,
)

service_account(fields) := object.union({"kind": "ServiceAccount", "name": "api", "namespace": null, "automountServiceAccountToken": null, "subjects": null}, fields)

binding(kind, subjects) := {"kind": kind, "name": "api", "namespace": "shop", "automountServiceAccountToken": null, "subjects": subjects}

repository(workloads, objects) := {"workloads": workloads, "objects": objects}

test_default_fails if {
	service_account_token.deny == {{"msg": message, "path": ["workloads", 0, "automountServiceAccountToken"]}} with input as repository([deployment({})], [])
}

test_explicit_choice_either_way_passes if {
	count(service_account_token.deny) == 0 with input as repository(
		[
			deployment({"automountServiceAccountToken": false}),
			deployment({"name": "operator", "automountServiceAccountToken": true}),
		],
		[],
	)
}

test_service_account_that_opts_out_passes if {
	count(service_account_token.deny) == 0 with input as repository(
		[deployment({"serviceAccountName": "api"})],
		[service_account({"automountServiceAccountToken": false})],
	)
}

test_service_account_bound_by_rbac_passes if {
	count(service_account_token.deny) == 0 with input as repository(
		[
			deployment({"serviceAccountName": "api", "namespace": "shop"}),
			deployment({"name": "controller", "serviceAccountName": "controller"}),
		],
		[
			binding("RoleBinding", [{"kind": "ServiceAccount", "name": "api", "namespace": "shop"}]),
			binding("ClusterRoleBinding", [{"kind": "ServiceAccount", "name": "controller"}]),
		],
	)
}

test_other_subjects_and_namespaces_do_not_count if {
	service_account_token.deny == {
		{"msg": message, "path": ["workloads", 0, "automountServiceAccountToken"]},
		{"msg": message, "path": ["workloads", 1, "automountServiceAccountToken"]},
	} with input as repository(
		[
			deployment({"serviceAccountName": "api", "namespace": "billing"}),
			deployment({"serviceAccountName": "api", "namespace": "shop"}),
		],
		[
			binding("RoleBinding", [{"kind": "ServiceAccount", "name": "api", "namespace": "shop-dev"}]),
			binding("RoleBinding", [{"kind": "User", "name": "api"}]),
			service_account({"name": "api", "namespace": "billing", "automountServiceAccountToken": true}),
		],
	)
}

test_fixtures_are_not_judged_and_do_not_bind if {
	service_account_token.deny == {{"msg": message, "path": ["workloads", 1, "automountServiceAccountToken"]}} with input as repository(
		[
			deployment({"class": "fixture"}),
			deployment({"serviceAccountName": "api"}),
			deployment({"class": "example", "automountServiceAccountToken": false}),
		],
		[object.union(binding("RoleBinding", [{"kind": "ServiceAccount", "name": "api"}]), {"class": "fixture"})],
	)
}

test_cronjob if {
	service_account_token.deny == {{
		"msg": "CronJob \"cleanup\" mounts a service account token; set automountServiceAccountToken: false unless it calls the Kubernetes API",
		"path": ["workloads", 0, "automountServiceAccountToken"],
	}} with input as repository([deployment({"kind": "CronJob", "name": "cleanup"})], [])
}

test_patches_without_a_pod_spec_are_skipped if {
	count(service_account_token.deny) == 0 with input as repository([deployment({"containers": []})], [])
}
