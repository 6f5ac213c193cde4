# METADATA
# title: Firewalls open only web ports to the internet
# description: >-
#   A security group or firewall rule that lets the whole internet (`0.0.0.0/0`, `::/0`) reach
#   SSH, RDP, a database or every port is found by scanners within minutes and is a common
#   way in. Only the ports in `terraform.public_ingress_ports` (80 and 443) may be open to
#   the sources in `terraform.public_sources`; put everything else behind a load balancer,
#   a VPN or a bastion. Checked: AWS `aws_security_group` ingress blocks,
#   `aws_security_group_rule` and `aws_vpc_security_group_ingress_rule`; Google
#   `google_compute_firewall`; Azure `azurerm_network_security_rule` and the `security_rule`
#   blocks of `azurerm_network_security_group`. Ports set from variables, and ICMP, are not
#   judged.
# related_resources:
#   - ref: https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-53
# custom:
#   id: terraform/no-public-ingress
#   severity: error
#   level: silver
#   input: terraform
#   config: [terraform.public_sources, terraform.public_ingress_ports]
#   remediation: >-
#     Narrow the source to the networks that need access (a VPN or office range, another
#     security group), or reach the service through a load balancer or SSM Session Manager
#     instead of opening the port.
#   examples:
#     fail: |
#       resource "aws_security_group" "web" {
#         ingress {
#           from_port   = 22
#           to_port     = 22
#           protocol    = "tcp"
#           cidr_blocks = ["0.0.0.0/0"]
#         }
#       }
#     pass: |
#       resource "aws_security_group" "web" {
#         ingress {
#           from_port   = 443
#           to_port     = 443
#           protocol    = "tcp"
#           cidr_blocks = ["0.0.0.0/0"]
#         }
#       }
package paved.terraform.no_public_ingress

import data.paved.lib.config
import data.paved.lib.terraform
import rego.v1

deny contains {"msg": msg, "path": opening.path} if {
	public := config.setting("terraform", "public_sources")
	allowed := config.setting("terraform", "public_ingress_ports")
	is_array(public)
	is_array(allowed)
	some opening in openings
	opening.source in public
	[from, to] := opening.ports
	count({port | some port in allowed; port >= from; port <= to}) < (to - from) + 1
	msg := sprintf("%s lets %s reach %s", [opening.resource, opening.source, describe(from, to)])
}

describe(from, to) := "every port" if {
	from == 0
	to == 65535
}

describe(from, to) := sprintf("port %d", [from]) if from == to

describe(from, to) := sprintf("ports %d-%d", [from, to]) if {
	from < to
	not [from, to] == [0, 65535]
}

# Every way in: {resource, source, ports: [from, to], path}, the path at the source range.

# AWS: inline `ingress` blocks and `aws_security_group_rule` take lists of CIDRs.
openings contains make_opening(r, source, ports, array.concat(rule.path, [field])) if {
	some r in data.paved.lib.terraform.resources
	r.type == "aws_security_group"
	some rule in terraform.bodies(r.value.ingress, array.concat(r.path, ["ingress"]))
	ports := aws_ports(object.get(rule.value, "protocol", "tcp"), rule.value.from_port, rule.value.to_port)
	some field in ["cidr_blocks", "ipv6_cidr_blocks"]
	some source in terraform.as_list(rule.value[field])
}

openings contains make_opening(r, source, ports, array.concat(r.path, [field])) if {
	some r in data.paved.lib.terraform.resources
	r.type == "aws_security_group_rule"
	r.value.type == "ingress"
	ports := aws_ports(object.get(r.value, "protocol", "tcp"), r.value.from_port, r.value.to_port)
	some field in ["cidr_blocks", "ipv6_cidr_blocks"]
	some source in terraform.as_list(r.value[field])
}

openings contains make_opening(r, r.value[field], ports, array.concat(r.path, [field])) if {
	some r in data.paved.lib.terraform.resources
	r.type == "aws_vpc_security_group_ingress_rule"
	ports := aws_ports(object.get(r.value, "ip_protocol", "tcp"), object.get(r.value, "from_port", 0), object.get(r.value, "to_port", 65535))
	some field in ["cidr_ipv4", "cidr_ipv6"]
	r.value[field]
}

# Google: `source_ranges` and `allow { protocol, ports }`, ingress unless `direction` says not.
openings contains make_opening(r, source, ports, array.concat(r.path, ["source_ranges"])) if {
	some r in data.paved.lib.terraform.resources
	r.type == "google_compute_firewall"
	terraform.uppered(object.get(r.value, "direction", "INGRESS")) == "INGRESS"
	some allow in terraform.bodies(r.value.allow, [])
	some ports in gcp_ports(allow.value)
	some source in terraform.as_list(r.value.source_ranges)
}

# Azure: inbound allow rules, standalone or inline in a network security group.
openings contains make_opening(r, source, ports, array.concat(rule.path, [field])) if {
	some r in data.paved.lib.terraform.resources
	some rule in azure_rules(r)
	terraform.lowered(rule.value.direction) == "inbound"
	terraform.lowered(rule.value.access) == "allow"
	not terraform.lowered(object.get(rule.value, "protocol", "*")) in {"icmp", "ah", "esp"}
	some ports in azure_ports(rule.value)
	some [field, source] in azure_sources(rule.value)
}

make_opening(r, source, ports, path) := {
	"resource": sprintf("%s.%s", [r.type, r.name]),
	"source": source,
	"ports": ports,
	"path": path,
}

# AWS protocol `-1` (or "all") opens every port whatever from_port and to_port say.
aws_ports(protocol, _, _) := [0, 65535] if sprintf("%v", [protocol]) in {"-1", "all"}

aws_ports(protocol, from, to) := [from, to] if {
	not sprintf("%v", [protocol]) in {"-1", "all", "icmp", "icmpv6", "1", "58"}
	is_number(from)
	is_number(to)
}

# No `ports` means every port of the protocol.
gcp_ports(allow) := {[0, 65535]} if {
	terraform.lowered(allow.protocol) in {"tcp", "udp", "sctp", "all"}
	not allow.ports
}

gcp_ports(allow) := {range | some spec in terraform.as_list(allow.ports); range := port_range(spec)} if {
	terraform.lowered(allow.protocol) in {"tcp", "udp", "sctp", "all"}
	allow.ports
}

azure_rules(r) := [{"value": r.value, "path": r.path}] if r.type == "azurerm_network_security_rule"

azure_rules(r) := terraform.bodies(r.value.security_rule, array.concat(r.path, ["security_rule"])) if {
	r.type == "azurerm_network_security_group"
}

azure_ports(rule) := {range | range := port_range(rule.destination_port_range)} if rule.destination_port_range

azure_ports(rule) := {range | some spec in terraform.as_list(rule.destination_port_ranges); range := port_range(spec)} if {
	not rule.destination_port_range
}

azure_sources(rule) := {["source_address_prefix", rule.source_address_prefix]} if rule.source_address_prefix

azure_sources(rule) := {["source_address_prefixes", source] | some source in terraform.as_list(rule.source_address_prefixes)} if {
	not rule.source_address_prefix
}

# "22", "8000-8100", "*" (Azure), or a number, as [from, to].
port_range("*") := [0, 65535]

port_range(spec) := [spec, spec] if is_number(spec)

port_range(spec) := [to_number(spec), to_number(spec)] if {
	is_string(spec)
	regex.match(`^[0-9]+$`, spec)
}

port_range(spec) := [to_number(parts[0]), to_number(parts[1])] if {
	is_string(spec)
	regex.match(`^[0-9]+-[0-9]+$`, spec)
	parts := split(spec, "-")
}
