package paved.kubernetes.allowed_registries_test

import data.paved.kubernetes.allowed_registries
import rego.v1

deployment(images) := {
	"kind": "Deployment",
	"spec": {"template": {"spec": {"containers": [{"name": sprintf("c%d", [i]), "image": image} | some i, image in images]}}},
}

acme := {"kubernetes": {"allowed_registries": ["ghcr.io/acme", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "docker.io/library"]}}

test_empty_list_allows_everything if {
	count(allowed_registries.deny) == 0 with input as deployment(["quay.io/someone/tool:1.0", "nginx:1.25"])
}

test_allowed_images_pass if {
	count(allowed_registries.deny) == 0 with input as deployment([
		"ghcr.io/acme/api:1.0",
		"ghcr.io/acme/team/worker@sha256:0f0e",
		"123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2",
		"nginx:1.25",
		"index.docker.io/library/redis:7",
	])
		with data.paved_config as acme
}

test_other_registry_fails if {
	allowed_registries.deny == {{
		"msg": "container \"c0\" uses image \"quay.io/someone/tool:1.0\" from quay.io, which is not an allowed registry (ghcr.io/acme, 123456789012.dkr.ecr.eu-west-1.amazonaws.com, docker.io/library)",
		"path": ["spec", "template", "spec", "containers", 0, "image"],
	}} with input as deployment(["quay.io/someone/tool:1.0"])
		with data.paved_config as acme
}

test_lookalike_path_and_docker_hub_user_fail if {
	allowed_registries.deny == {
		{
			"msg": "container \"c0\" uses image \"ghcr.io/acme-evil/api:1\" from ghcr.io, which is not an allowed registry (ghcr.io/acme)",
			"path": ["spec", "template", "spec", "containers", 0, "image"],
		},
		{
			"msg": "container \"c1\" uses image \"someone/api:1\" from docker.io, which is not an allowed registry (ghcr.io/acme)",
			"path": ["spec", "template", "spec", "containers", 1, "image"],
		},
	} with input as deployment(["ghcr.io/acme-evil/api:1", "someone/api:1"])
		with data.paved_config as {"kubernetes": {"allowed_registries": ["ghcr.io/acme"]}}
}

test_init_container_of_cronjob if {
	allowed_registries.deny == {{
		"msg": "container \"init\" uses image \"busybox:1.36\" from docker.io, which is not an allowed registry (localhost:5000)",
		"path": ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "image"],
	}} with input as {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {
		"initContainers": [{"name": "init", "image": "busybox:1.36"}],
		"containers": [{"name": "job", "image": "localhost:5000/job:1"}],
	}}}}}}
		with data.paved_config as {"kubernetes": {"allowed_registries": ["localhost:5000"]}}
}
