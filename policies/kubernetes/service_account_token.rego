# METADATA
# title: Pods mount a service account token only when they use the Kubernetes API
# description: >-
#   Every pod gets a token for its service account mounted by default. Most applications never
#   call the Kubernetes API, and for them the token is only something an attacker can steal
#   and use against the cluster. This is advice: paved cannot see whether the application
#   needs the API, or whether its ServiceAccount already turns automounting off.
# related_resources:
#   - ref: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
# custom:
#   id: kubernetes/service-account-token
#   severity: info
#   level: silver
#   input: kubernetes
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

deny contains {"msg": msg, "path": array.concat(data.paved.lib.k8s.pod_spec_path, ["automountServiceAccountToken"])} if {
	data.paved.lib.k8s.pod_spec
	not data.paved.lib.k8s.pod_spec.automountServiceAccountToken == false
	msg := sprintf("%s %q mounts a service account token; set automountServiceAccountToken: false unless it calls the Kubernetes API", [input.kind, data.paved.lib.k8s.name])
}
