package paved.terraform.remote_backend_test

import data.paved.terraform.remote_backend
import rego.v1

backend(kind, body) := {"terraform": [{"required_version": "~> 1.6", "backend": {kind: [body]}}]}

test_s3_with_lockfile_passes if {
	count(remote_backend.deny) == 0 with input as backend("s3", {"bucket": "state", "key": "app", "use_lockfile": true})
}

test_s3_with_dynamodb_passes if {
	count(remote_backend.deny) == 0 with input as backend("s3", {"bucket": "state", "key": "app", "dynamodb_table": "locks"})
}

test_s3_without_locking if {
	remote_backend.deny == {{
		"msg": "the s3 backend does not lock the state: set use_lockfile = true (Terraform 1.10+) or dynamodb_table",
		"path": ["terraform", 0, "backend", "s3", 0, "dynamodb_table"],
	}} with input as backend("s3", {"bucket": "state", "key": "app"})
}

test_s3_with_lockfile_off_points_at_it if {
	remote_backend.deny == {{
		"msg": "the s3 backend does not lock the state: set use_lockfile = true (Terraform 1.10+) or dynamodb_table",
		"path": ["terraform", 0, "backend", "s3", 0, "use_lockfile"],
	}} with input as backend("s3", {"bucket": "state", "key": "app", "use_lockfile": false})
}

# `backend "s3" {}` filled in by `terraform init -backend-config=...` is not judged.
test_partial_s3_configuration_is_skipped if {
	count(remote_backend.deny) == 0 with input as backend("s3", {"key": "app"})
}

test_local_backend if {
	remote_backend.deny == {{
		"msg": "state is kept in a local file (backend \"local\"): move it to a remote backend with locking",
		"path": ["terraform", 0, "backend", "local"],
	}} with input as backend("local", {"path": "terraform.tfstate"})
}

test_locking_backends_pass if {
	every kind in ["gcs", "azurerm", "remote"] {
		count(remote_backend.deny) == 0 with input as backend(kind, {})
	}
}

test_cloud_block_passes if {
	count(remote_backend.deny) == 0 with input as {"terraform": [{"cloud": [{"organization": "acme"}]}]}
}

test_unknown_backend if {
	remote_backend.deny == {{
		"msg": "backend \"etcdv3\" is not one of the remote backends with locking (azurerm, consul, cos, gcs, kubernetes, oss, pg, remote)",
		"path": ["terraform", 0, "backend", "etcdv3"],
	}} with input as backend("etcdv3", {"endpoints": ["http://etcd:2379"]})
}

test_http_without_lock_address if {
	remote_backend.deny == {{
		"msg": "the http backend does not lock the state: set lock_address",
		"path": ["terraform", 0, "backend", "http", 0, "lock_address"],
	}} with input as backend("http", {"address": "https://state.example.com/app"})
}

test_http_with_lock_address_passes if {
	count(remote_backend.deny) == 0 with input as backend("http", {
		"address": "https://gitlab.example.com/api/v4/projects/1/terraform/state/app",
		"lock_address": "https://gitlab.example.com/api/v4/projects/1/terraform/state/app/lock",
	})
}

# Files without a backend (modules, versions.tf) are not judged.
test_no_backend_is_not_judged if {
	count(remote_backend.deny) == 0 with input as {"terraform": [{"required_version": "~> 1.6"}]}
}

test_organisation_backends if {
	count(remote_backend.deny) == 0 with input as backend("etcdv3", {})
		with data.paved_config as {"terraform": {"locking_backends": ["etcdv3"]}}
}

test_json_syntax if {
	remote_backend.deny == {{
		"msg": "the s3 backend does not lock the state: set use_lockfile = true (Terraform 1.10+) or dynamodb_table",
		"path": ["terraform", "backend", "s3", "dynamodb_table"],
	}} with input as {"terraform": {"backend": {"s3": {"bucket": "state", "key": "app"}}}}
}
