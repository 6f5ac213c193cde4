# Helpers for Kubernetes workloads: the pod spec of any workload kind and its containers,
# each with the path into `input` that a finding points at.
package paved.lib.k8s

import rego.v1

template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

# Every kind that runs pods, i.e. has a pod spec.
workload_kinds := template_kinds | {"CronJob", "Pod"}

pod_spec_path := ["spec", "template", "spec"] if input.kind in template_kinds

pod_spec_path := ["spec", "jobTemplate", "spec", "template", "spec"] if input.kind == "CronJob"

pod_spec_path := ["spec"] if input.kind == "Pod"

pod_spec := input.spec.template.spec if input.kind in template_kinds

pod_spec := input.spec.jobTemplate.spec.template.spec if input.kind == "CronJob"

pod_spec := input.spec if input.kind == "Pod"

# Objects that run pods: the ones that carry owner and recommended labels.
is_workload if input.kind in workload_kinds

# Long-running workloads: the ones that need probes and disruption budgets.
is_service_workload if input.kind in {"Deployment", "StatefulSet", "DaemonSet"}

# Windows pods have no seccomp, capabilities, privilege escalation or read-only root
# filesystem: the Pod Security Standards exempt them from those controls.
is_windows if pod_spec.os.name == "windows"

# The object's name for messages (`generateName` objects have none until created).
default name := "(unnamed)"

name := input.metadata.name

# Every container, init containers included: {value, path}.
containers contains {"value": c, "path": array.concat(pod_spec_path, [field, i])} if {
	some field in ["initContainers", "containers"]
	some i, c in pod_spec[field]
}

# Only the main containers (init containers run to completion and need no probes).
main_containers contains {"value": c, "path": array.concat(pod_spec_path, ["containers", i])} if {
	some i, c in pod_spec.containers
}

# The pod-level securityContext and its path.
pod_security_context := pod_spec.securityContext

pod_security_context_path := array.concat(pod_spec_path, ["securityContext"])

# The effective securityContext setting `key` of container `c` (an element of `containers`)
# as {value, path}: the container's own setting wins over the pod's. Undefined when neither
# sets it.
security_setting(c, key) := {
	"value": c.value.securityContext[key],
	"path": array.concat(c.path, ["securityContext", key]),
} if {
	is_set(c.value.securityContext, key)
}

security_setting(c, key) := {
	"value": pod_security_context[key],
	"path": array.concat(pod_security_context_path, [key]),
} if {
	not is_set(c.value.securityContext, key)
	is_set(pod_security_context, key)
}

# Where a finding about setting `key` of container `c` points: where it is set, else where
# the container should set it. (Two bodies rather than `else`: regorus' VM, which `paved
# lint` runs, drops the `else` value here.)
security_setting_path(c, key) := security_setting(c, key).path

security_setting_path(c, key) := array.concat(c.path, ["securityContext", key]) if {
	not security_setting(c, key)
}

# `key` is present in `obj` with a non-null value (false counts as set).
is_set(obj, key) if obj[key] != null

# Built-in kinds that live in no namespace (`kubectl api-resources --namespaced=false`).
cluster_scoped_kinds := {
	"Namespace", "Node", "PersistentVolume", "StorageClass", "VolumeAttachment", "CSIDriver",
	"CSINode", "RuntimeClass", "PriorityClass", "IngressClass", "ClusterRole",
	"ClusterRoleBinding", "CustomResourceDefinition", "APIService",
	"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
	"ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "CertificateSigningRequest",
	"FlowSchema", "PriorityLevelConfiguration", "PodSecurityPolicy", "ComponentStatus",
	"ClusterIssuer", "VolumeSnapshotClass",
}
