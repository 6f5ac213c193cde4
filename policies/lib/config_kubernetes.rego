# Defaults for the kubernetes rules (and ownership/workload-owner-label); override under
# `data.paved_config.kubernetes`.
package paved.lib.config

import rego.v1

kubernetes_defaults := {
	# Image registries, or registry/path prefixes, images may come from ("ghcr.io/acme",
	# "123456789012.dkr.ecr.eu-west-1.amazonaws.com"). Images without a registry are
	# docker.io ones ("nginx" is docker.io/library/nginx). Empty allows every registry.
	"allowed_registries": [],
	# Labels every workload carries: Kubernetes' recommended labels.
	"recommended_labels": ["app.kubernetes.io/name", "app.kubernetes.io/version"],
	# Label keys any one of which names the team owning a workload.
	"owner_label_keys": ["owner", "team"],
	# Capabilities no container may add (without the CAP_ prefix).
	"forbidden_capabilities": [
		"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_MODULE", "SYS_PTRACE", "SYS_RAWIO", "SYS_BOOT",
		"SYS_TIME", "DAC_READ_SEARCH", "BPF", "PERFMON", "MAC_ADMIN", "MAC_OVERRIDE", "SYSLOG",
	],
	# Host paths (and everything below them) that hostPath volumes may mount, e.g. "/var/log"
	# for a log collector. Empty allows none.
	"allowed_host_paths": [],
	# Environment variable name endings that mark a secret, which belongs in a Secret.
	"secret_env_suffixes": [
		"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "ACCESS_KEY",
		"PRIVATE_KEY", "CREDENTIALS",
	],
}
