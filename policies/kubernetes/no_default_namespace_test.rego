package paved.kubernetes.no_default_namespace_test

import data.paved.kubernetes.no_default_namespace
import rego.v1

object(kind, metadata) := {"apiVersion": "v1", "kind": kind, "metadata": metadata}

test_team_namespace_passes if {
	count(no_default_namespace.deny) == 0 with input as object("Deployment", {"name": "api", "namespace": "payments"})
}

test_missing_namespace_passes if {
	count(no_default_namespace.deny) == 0 with input as object("ConfigMap", {"name": "config"})
}

test_explicit_default_fails if {
	no_default_namespace.deny == {{
		"msg": "Service \"api\" is in the default namespace",
		"path": ["metadata", "namespace"],
	}} with input as object("Service", {"name": "api", "namespace": "default"})
}

test_cronjob_in_default_fails if {
	count(no_default_namespace.deny) == 1 with input as object("CronJob", {"name": "cleanup", "namespace": "default"})
}

test_cluster_scoped_kinds_are_skipped if {
	count(no_default_namespace.deny) == 0 with input as object("ClusterRole", {"name": "reader", "namespace": "default"})
}
