# METADATA
# title: Manifests use API versions the cluster still serves
# description: >-
#   Kubernetes removes beta API versions a few releases after their replacement is stable. A
#   manifest that still uses one is rejected by every cluster from the release that removed
#   it: the deploy fails, usually during a cluster upgrade when nobody expects it.
# related_resources:
#   - ref: https://kubernetes.io/docs/reference/using-api/deprecation-guide/
# custom:
#   id: kubernetes/removed-api-versions
#   severity: error
#   level: bronze
#   input: kubernetes
#   remediation: >-
#     Change `apiVersion` to the replacement the message names and adjust the fields that
#     changed (see the deprecation guide); `kubectl convert` can do most of it.
#   examples:
#     fail: |
#       apiVersion: extensions/v1beta1
#       kind: Ingress
#     pass: |
#       apiVersion: networking.k8s.io/v1
#       kind: Ingress
package paved.kubernetes.removed_api_versions

import rego.v1

deny contains {"msg": msg, "path": ["apiVersion"]} if {
	[replacement, release] := removed[input.apiVersion][input.kind]
	msg := sprintf("%s %s was removed in Kubernetes %s; use %s", [input.apiVersion, input.kind, release, replacement])
}

# apiVersion -> kind -> [replacement, the release that removed it], from the deprecation guide.
removed := {
	"extensions/v1beta1": {
		"Deployment": ["apps/v1", "1.16"],
		"DaemonSet": ["apps/v1", "1.16"],
		"ReplicaSet": ["apps/v1", "1.16"],
		"NetworkPolicy": ["networking.k8s.io/v1", "1.16"],
		"PodSecurityPolicy": ["Pod Security Admission", "1.16"],
		"Ingress": ["networking.k8s.io/v1", "1.22"],
	},
	"apps/v1beta1": {
		"Deployment": ["apps/v1", "1.16"],
		"StatefulSet": ["apps/v1", "1.16"],
		"ReplicaSet": ["apps/v1", "1.16"],
		"ControllerRevision": ["apps/v1", "1.16"],
	},
	"apps/v1beta2": {
		"Deployment": ["apps/v1", "1.16"],
		"StatefulSet": ["apps/v1", "1.16"],
		"DaemonSet": ["apps/v1", "1.16"],
		"ReplicaSet": ["apps/v1", "1.16"],
		"ControllerRevision": ["apps/v1", "1.16"],
	},
	"networking.k8s.io/v1beta1": {
		"Ingress": ["networking.k8s.io/v1", "1.22"],
		"IngressClass": ["networking.k8s.io/v1", "1.22"],
	},
	"rbac.authorization.k8s.io/v1beta1": {
		"Role": ["rbac.authorization.k8s.io/v1", "1.22"],
		"RoleBinding": ["rbac.authorization.k8s.io/v1", "1.22"],
		"ClusterRole": ["rbac.authorization.k8s.io/v1", "1.22"],
		"ClusterRoleBinding": ["rbac.authorization.k8s.io/v1", "1.22"],
	},
	"apiextensions.k8s.io/v1beta1": {"CustomResourceDefinition": ["apiextensions.k8s.io/v1", "1.22"]},
	"admissionregistration.k8s.io/v1beta1": {
		"MutatingWebhookConfiguration": ["admissionregistration.k8s.io/v1", "1.22"],
		"ValidatingWebhookConfiguration": ["admissionregistration.k8s.io/v1", "1.22"],
	},
	"apiregistration.k8s.io/v1beta1": {"APIService": ["apiregistration.k8s.io/v1", "1.22"]},
	"certificates.k8s.io/v1beta1": {"CertificateSigningRequest": ["certificates.k8s.io/v1", "1.22"]},
	"coordination.k8s.io/v1beta1": {"Lease": ["coordination.k8s.io/v1", "1.22"]},
	"scheduling.k8s.io/v1beta1": {"PriorityClass": ["scheduling.k8s.io/v1", "1.22"]},
	"storage.k8s.io/v1beta1": {
		"CSIDriver": ["storage.k8s.io/v1", "1.22"],
		"CSINode": ["storage.k8s.io/v1", "1.22"],
		"StorageClass": ["storage.k8s.io/v1", "1.22"],
		"VolumeAttachment": ["storage.k8s.io/v1", "1.22"],
		"CSIStorageCapacity": ["storage.k8s.io/v1", "1.27"],
	},
	"batch/v1beta1": {"CronJob": ["batch/v1", "1.25"]},
	"discovery.k8s.io/v1beta1": {"EndpointSlice": ["discovery.k8s.io/v1", "1.25"]},
	"events.k8s.io/v1beta1": {"Event": ["events.k8s.io/v1", "1.25"]},
	"node.k8s.io/v1beta1": {"RuntimeClass": ["node.k8s.io/v1", "1.25"]},
	"policy/v1beta1": {
		"PodDisruptionBudget": ["policy/v1", "1.25"],
		"PodSecurityPolicy": ["Pod Security Admission", "1.25"],
	},
	"autoscaling/v2beta1": {"HorizontalPodAutoscaler": ["autoscaling/v2", "1.25"]},
	"autoscaling/v2beta2": {"HorizontalPodAutoscaler": ["autoscaling/v2", "1.26"]},
	"flowcontrol.apiserver.k8s.io/v1beta1": {
		"FlowSchema": ["flowcontrol.apiserver.k8s.io/v1", "1.26"],
		"PriorityLevelConfiguration": ["flowcontrol.apiserver.k8s.io/v1", "1.26"],
	},
	"flowcontrol.apiserver.k8s.io/v1beta2": {
		"FlowSchema": ["flowcontrol.apiserver.k8s.io/v1", "1.29"],
		"PriorityLevelConfiguration": ["flowcontrol.apiserver.k8s.io/v1", "1.29"],
	},
	"flowcontrol.apiserver.k8s.io/v1beta3": {
		"FlowSchema": ["flowcontrol.apiserver.k8s.io/v1", "1.32"],
		"PriorityLevelConfiguration": ["flowcontrol.apiserver.k8s.io/v1", "1.32"],
	},
}
