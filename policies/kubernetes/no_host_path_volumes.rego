# METADATA
# title: Pods do not mount host paths
# description: >-
#   A hostPath volume gives the pod the node's filesystem: the container runtime socket, the
#   kubelet's credentials, other pods' data. It also ties the pod to one node's disk. Paths
#   under an entry of the `kubernetes.allowed_host_paths` setting (empty by default; for
#   example /var/log for a log collector) are allowed.
# related_resources:
#   - ref: https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
# custom:
#   id: kubernetes/no-host-path-volumes
#   severity: error
#   level: silver
#   input: kubernetes
#   config: [kubernetes.allowed_host_paths]
#   remediation: >-
#     Use an emptyDir, a ConfigMap or Secret, or a PersistentVolumeClaim instead; node agents
#     that truly need a host path belong in the allowed list.
#   examples:
#     fail: |
#       volumes:
#         - name: docker
#           hostPath: {path: /var/run/docker.sock}
#     pass: |
#       volumes:
#         - name: scratch
#           emptyDir: {}
package paved.kubernetes.no_host_path_volumes

import data.paved.lib.config
import rego.v1

deny contains {"msg": msg, "path": array.concat(data.paved.lib.k8s.pod_spec_path, ["volumes", i, "hostPath"])} if {
	some i, volume in data.paved.lib.k8s.pod_spec.volumes
	volume.hostPath
	not allowed(volume.hostPath.path)
	msg := sprintf("volume %q mounts the host path %q", [volume.name, object.get(volume.hostPath, "path", "")])
}

allowed(path) if {
	some prefix in config.setting("kubernetes", "allowed_host_paths")
	under(trim_suffix(path, "/"), trim_suffix(prefix, "/"))
}

under(path, prefix) if path == prefix

under(path, prefix) if startswith(path, concat("", [prefix, "/"]))
