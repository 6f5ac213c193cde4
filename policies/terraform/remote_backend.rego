# METADATA
# title: Terraform state is kept in a locking remote backend
# description: >-
#   State holds every resource's ids and often secrets. Local state (the `local` backend) is
#   invisible to the rest of the team and is lost with the laptop or CI runner; a backend
#   without locking lets two applies write the state at once and corrupt it. A declared
#   `backend` must be one of `terraform.locking_backends`, or `s3` with `use_lockfile = true`
#   or a `dynamodb_table`, or `http` with a `lock_address`; a `cloud` block is fine. An `s3` or
#   `http` backend configured at `terraform init` (`-backend-config`, no bucket or address
#   in the file) is not judged. One file is checked at a time, so a root module that declares
#   no backend at all, and so keeps local state, is not reported.
# related_resources:
#   - ref: https://developer.hashicorp.com/terraform/language/state/locking
# custom:
#   id: terraform/remote-backend
#   severity: error
#   level: silver
#   input: terraform
#   config: [terraform.locking_backends]
#   remediation: >-
#     Store state in a remote backend that locks it, e.g. `backend "s3"` with
#     `use_lockfile = true` (Terraform 1.10+) or a `dynamodb_table`, `gcs`, `azurerm`, or
#     HCP Terraform's `cloud` block.
#   examples:
#     fail: |
#       terraform {
#         backend "s3" {
#           bucket = "acme-terraform-state"
#           key    = "checkout/terraform.tfstate"
#         }
#       }
#     pass: |
#       terraform {
#         backend "s3" {
#           bucket       = "acme-terraform-state"
#           key          = "checkout/terraform.tfstate"
#           use_lockfile = true
#         }
#       }
package paved.terraform.remote_backend

import data.paved.lib.config
import data.paved.lib.terraform
import rego.v1

deny contains {"msg": msg, "path": array.concat(block.path, ["backend", "local"])} if {
	some block in data.paved.lib.terraform.settings_blocks
	block.value.backend["local"]
	msg := "state is kept in a local file (backend \"local\"): move it to a remote backend with locking"
}

deny contains {"msg": msg, "path": array.concat(block.path, ["backend", kind])} if {
	some block in data.paved.lib.terraform.settings_blocks
	some kind, _ in terraform.as_object(block.value.backend)
	not kind in {"local", "s3", "http"}
	locking := config.setting("terraform", "locking_backends")
	is_array(locking)
	not kind in locking
	msg := sprintf("backend %q is not one of the remote backends with locking (%s)", [kind, concat(", ", locking)])
}

deny contains {"msg": msg, "path": array.concat(s3.path, [s3_lock_key(s3.value)])} if {
	some s3 in backends("s3")
	s3.value.bucket
	not s3.value.dynamodb_table
	not s3.value.use_lockfile == true
	msg := "the s3 backend does not lock the state: set use_lockfile = true (Terraform 1.10+) or dynamodb_table"
}

deny contains {"msg": msg, "path": array.concat(http.path, ["lock_address"])} if {
	some http in backends("http")
	http.value.address
	not http.value.lock_address
	msg := "the http backend does not lock the state: set lock_address"
}

# The `backend "kind" {}` blocks of the file: {value, path}.
backends(kind) := [body |
	some block in data.paved.lib.terraform.settings_blocks
	some body in terraform.bodies(block.value.backend[kind], array.concat(block.path, ["backend", kind]))
]

# Point at `use_lockfile = false` when it is there, else at the block that lacks it.
s3_lock_key(s3) := "use_lockfile" if "use_lockfile" in object.keys(s3)

s3_lock_key(s3) := "dynamodb_table" if not "use_lockfile" in object.keys(s3)
