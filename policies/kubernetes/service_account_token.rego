# METADATA
# title: Pods mount a service account token only when they use the Kubernetes API
# description: >-
#   Every pod gets a token for its service account mounted by default. Most applications never
#   call the Kubernetes API, and for them the token is only something an attacker can steal
#   and use against the cluster. Judged over the repository, because the answer is spread over
#   several objects: a pod spec that sets `automountServiceAccountToken` either way has made
#   the choice; a ServiceAccount of the repository that sets it to false turns it off for its
#   pods; and a service account that a RoleBinding or ClusterRoleBinding of the repository
#   binds is there to call the API, so its pods need the token. Fixtures and generated files
#   are not judged. This is advice: paved cannot see bindings kept elsewhere.
# related_resources:
#   - ref: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
# custom:
#   id: kubernetes/service-account-token
#   severity: info
#   level: silver
#   input: repository
#   remediation: >-
#     Set `automountServiceAccountToken: false` in the pod spec (or on its ServiceAccount)
#     unless the application calls the Kubernetes API.
#   examples:
#     fail: |
#       spec:
#         containers: [{name: api, image: api:1.0}]
#     pass: |
#       spec:
#         automountServiceAccountToken: false
#         containers: [{name: api, image: api:1.0}]
package paved.kubernetes.service_account_token

import rego.v1

deny contains {"msg": msg, "path": ["workloads", i, "automountServiceAccountToken"]} if {
	some i, workload in input.workloads
	judged(workload)
	count(workload.containers) > 0 # a patch without a pod spec changes something else
	not is_boolean(workload.automountServiceAccountToken)
	account := service_account(workload)
	not opted_out(account, workload)
	not bound(account, workload)
	msg := sprintf("%s %q mounts a service account token; set automountServiceAccountToken: false unless it calls the Kubernetes API", [workload.kind, workload.name])
}

# Fixtures and generated files are not deployed; examples are, by whoever copies them.
judged(item) if not item.class in {"fixture", "generated"}

service_account(workload) := workload.serviceAccountName if is_string(workload.serviceAccountName)

service_account(workload) := "default" if not is_string(workload.serviceAccountName)

opted_out(account, workload) if {
	some object in input.objects
	judged(object)
	object.kind == "ServiceAccount"
	object.name == account
	same_namespace(object.namespace, workload.namespace)
	object.automountServiceAccountToken == false
}

bound(account, workload) if {
	some object in input.objects
	judged(object)
	object.kind in {"RoleBinding", "ClusterRoleBinding"}
	some subject in object.subjects
	subject.kind == "ServiceAccount"
	subject.name == account
	same_namespace(object.get(subject, "namespace", null), workload.namespace)
}

# A namespace left out is set at deploy time (kubectl -n, Kustomize, Helm): it may be any.
same_namespace(a, b) if a == b

same_namespace(a, _) if not is_string(a)

same_namespace(_, b) if not is_string(b)
