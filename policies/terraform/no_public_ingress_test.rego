package paved.terraform.no_public_ingress_test

import data.paved.terraform.no_public_ingress
import rego.v1

sg(ingress) := {"resource": {"aws_security_group": {"web": [{"name": "web", "ingress": ingress}]}}}

rule(from, to, protocol, cidrs) := {"from_port": from, "to_port": to, "protocol": protocol, "cidr_blocks": cidrs}

test_web_ports_and_private_ranges_pass if {
	count(no_public_ingress.deny) == 0 with input as sg([
		rule(443, 443, "tcp", ["0.0.0.0/0"]),
		rule(80, 80, "tcp", ["0.0.0.0/0"]),
		rule(22, 22, "tcp", ["10.0.0.0/8"]),
		rule(0, 0, "-1", ["10.0.0.0/8"]),
	])
}

test_ssh_from_anywhere if {
	no_public_ingress.deny == {{
		"msg": "aws_security_group.web lets 0.0.0.0/0 reach port 22",
		"path": ["resource", "aws_security_group", "web", 0, "ingress", 1, "cidr_blocks"],
	}} with input as sg([rule(443, 443, "tcp", ["0.0.0.0/0"]), rule(22, 22, "tcp", ["0.0.0.0/0"])])
}

test_ipv6_range_spanning_web_ports if {
	no_public_ingress.deny == {{
		"msg": "aws_security_group.web lets ::/0 reach ports 80-443",
		"path": ["resource", "aws_security_group", "web", 0, "ingress", 0, "ipv6_cidr_blocks"],
	}} with input as sg([{"from_port": 80, "to_port": 443, "protocol": "tcp", "ipv6_cidr_blocks": ["::/0"]}])
}

# Protocol -1 opens every port, whatever from_port and to_port say.
test_all_protocols_rule if {
	no_public_ingress.deny == {{
		"msg": "aws_security_group_rule.all lets 0.0.0.0/0 reach every port",
		"path": ["resource", "aws_security_group_rule", "all", 0, "cidr_blocks"],
	}} with input as {"resource": {"aws_security_group_rule": {
		"all": [object.union(rule(443, 443, -1, ["0.0.0.0/0"]), {"type": "ingress"})],
		"egress": [object.union(rule(0, 0, "-1", ["0.0.0.0/0"]), {"type": "egress"})],
	}}}
}

test_vpc_ingress_rule if {
	no_public_ingress.deny == {{
		"msg": "aws_vpc_security_group_ingress_rule.db lets 0.0.0.0/0 reach port 5432",
		"path": ["resource", "aws_vpc_security_group_ingress_rule", "db", 0, "cidr_ipv4"],
	}} with input as {"resource": {"aws_vpc_security_group_ingress_rule": {"db": [{
		"cidr_ipv4": "0.0.0.0/0",
		"from_port": 5432,
		"to_port": 5432,
		"ip_protocol": "tcp",
	}]}}}
}

test_icmp_and_variable_ports_are_not_judged if {
	count(no_public_ingress.deny) == 0 with input as sg([
		rule(-1, -1, "icmp", ["0.0.0.0/0"]),
		rule("${var.port}", "${var.port}", "tcp", ["0.0.0.0/0"]),
	])
}

test_gcp_firewall if {
	no_public_ingress.deny == {
		{
			"msg": "google_compute_firewall.ssh lets 0.0.0.0/0 reach port 22",
			"path": ["resource", "google_compute_firewall", "ssh", 0, "source_ranges"],
		},
		{
			"msg": "google_compute_firewall.ssh lets 0.0.0.0/0 reach every port",
			"path": ["resource", "google_compute_firewall", "ssh", 0, "source_ranges"],
		},
	} with input as {"resource": {"google_compute_firewall": {"ssh": [{
		"source_ranges": ["0.0.0.0/0"],
		"allow": [
			{"protocol": "tcp", "ports": ["22", "443"]},
			{"protocol": "udp"},
			{"protocol": "icmp"},
		],
	}]}}}
}

test_gcp_egress_is_not_judged if {
	count(no_public_ingress.deny) == 0 with input as {"resource": {"google_compute_firewall": {"out": [{
		"direction": "EGRESS",
		"source_ranges": ["0.0.0.0/0"],
		"allow": [{"protocol": "all"}],
	}]}}}
}

test_azure_rules if {
	no_public_ingress.deny == {
		{
			"msg": "azurerm_network_security_group.nsg lets * reach port 3389",
			"path": ["resource", "azurerm_network_security_group", "nsg", 0, "security_rule", 1, "source_address_prefix"],
		},
		{
			"msg": "azurerm_network_security_rule.admin lets Internet reach ports 8000-8100",
			"path": ["resource", "azurerm_network_security_rule", "admin", 0, "source_address_prefixes"],
		},
	} with input as {"resource": {
		"azurerm_network_security_group": {"nsg": [{"security_rule": [
			{"direction": "Inbound", "access": "Allow", "protocol": "Tcp", "destination_port_range": "443", "source_address_prefix": "*"},
			{"direction": "Inbound", "access": "Allow", "protocol": "Tcp", "destination_port_range": "3389", "source_address_prefix": "*"},
			{"direction": "Inbound", "access": "Deny", "protocol": "*", "destination_port_range": "*", "source_address_prefix": "*"},
		]}]},
		"azurerm_network_security_rule": {"admin": [{
			"direction": "Inbound",
			"access": "Allow",
			"protocol": "Tcp",
			"destination_port_ranges": ["443", "8000-8100"],
			"source_address_prefixes": ["10.0.0.0/8", "Internet"],
		}]},
	}}
}

test_organisation_ports if {
	count(no_public_ingress.deny) == 0 with input as sg([rule(8443, 8443, "tcp", ["0.0.0.0/0"])])
		with data.paved_config as {"terraform": {"public_ingress_ports": [443, 8443]}}
}

# Terraform's JSON syntax (`.tf.json`): the resource body is an object.
test_json_syntax if {
	no_public_ingress.deny == {{
		"msg": "aws_security_group.web lets 0.0.0.0/0 reach port 3306",
		"path": ["resource", "aws_security_group", "web", "ingress", 0, "cidr_blocks"],
	}} with input as {"resource": {"aws_security_group": {"web": {"ingress": [rule(3306, 3306, "tcp", ["0.0.0.0/0"])]}}}}
}

# `cidr_blocks = var.cidrs` and `ingress = var.rules` cannot be judged, and are no error.
test_expressions_are_not_judged if {
	count(no_public_ingress.deny) == 0 with input as {"resource": {
		"aws_security_group": {
			"a": [{"ingress": [rule(22, 22, "tcp", "${var.cidrs}")]}],
			"b": [{"ingress": "${var.rules}"}],
		},
		"google_compute_firewall": {"f": [{"source_ranges": "${var.ranges}", "allow": [{"protocol": "tcp", "ports": "${var.ports}"}]}]},
		"azurerm_network_security_group": {"n": [{"security_rule": "${var.rules}"}]},
	}}
}

# `protocol` is required; without it the ports are still judged.
test_missing_protocol if {
	no_public_ingress.deny == {{
		"msg": "aws_security_group.web lets 0.0.0.0/0 reach port 22",
		"path": ["resource", "aws_security_group", "web", 0, "ingress", 0, "cidr_blocks"],
	}} with input as sg([{"from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}])
}
