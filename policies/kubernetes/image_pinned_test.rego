package paved.kubernetes.image_pinned_test

import data.paved.kubernetes.image_pinned
import rego.v1

pod(image) := {"kind": "Pod", "spec": {"containers": [{"name": "app", "image": image}]}}

test_versioned_tag_passes if {
	count(image_pinned.deny) == 0 with input as pod("registry.example.com:5000/team/app:1.2.3")
}

test_digest_passes if {
	count(image_pinned.deny) == 0 with input as pod("app@sha256:0f0e")
}

test_latest_fails if {
	image_pinned.deny == {{
		"msg": "container \"app\" uses image \"app:latest\", tagged latest",
		"path": ["spec", "containers", 0, "image"],
	}} with input as pod("app:latest")
}

test_missing_tag_behind_registry_port_fails if {
	image_pinned.deny == {{
		"msg": "container \"app\" uses image \"registry:5000/app\", which has no tag",
		"path": ["spec", "containers", 0, "image"],
	}} with input as pod("registry:5000/app")
}

test_official_image_without_tag_fails if {
	image_pinned.deny == {{
		"msg": "container \"app\" uses image \"nginx\", which has no tag",
		"path": ["spec", "containers", 0, "image"],
	}} with input as pod("nginx")
}

test_names_no_registry_serves_are_placeholders_a_deploy_tool_fills if {
	every image in ["frontend", "ledger-db", "ko://github.com/acme/api/cmd/api"] {
		count(image_pinned.deny) == 0 with input as pod(image)
	}
}
