# Helpers for Kubernetes workloads: the pod spec of any workload kind and its containers,
# each with the path into `input` that a finding points at.
package paved.lib.k8s

import rego.v1

template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

pod_spec_path := ["spec", "template", "spec"] if input.kind in template_kinds

pod_spec_path := ["spec", "jobTemplate", "spec", "template", "spec"] if input.kind == "CronJob"

pod_spec_path := ["spec"] if input.kind == "Pod"

pod_spec := input.spec.template.spec if input.kind in template_kinds

pod_spec := input.spec.jobTemplate.spec.template.spec if input.kind == "CronJob"

pod_spec := input.spec if input.kind == "Pod"

# Long-running workloads: the ones that need probes and disruption budgets.
is_service_workload if input.kind in {"Deployment", "StatefulSet", "DaemonSet"}

# Every container, init containers included: {value, path}.
containers contains {"value": c, "path": array.concat(pod_spec_path, [field, i])} if {
	some field in ["initContainers", "containers"]
	some i, c in pod_spec[field]
}

# Only the main containers (init containers run to completion and need no probes).
main_containers contains {"value": c, "path": array.concat(pod_spec_path, ["containers", i])} if {
	some i, c in pod_spec.containers
}
