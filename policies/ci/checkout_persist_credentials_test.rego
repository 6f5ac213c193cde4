package paved.ci.checkout_persist_credentials_test

import data.paved.ci.checkout_persist_credentials
import rego.v1

workflow(steps) := {"on": "push", "jobs": {"build": {"steps": steps}}}

test_explicit_setting_passes if {
	count(checkout_persist_credentials.deny) == 0 with input as workflow([
		{"uses": "actions/checkout@v4", "with": {"persist-credentials": false}},
		{"uses": "actions/checkout@v4", "with": {"persist-credentials": "true", "fetch-depth": 0}},
		{"uses": "actions/setup-go@v5"},
	])
}

test_default_fails if {
	checkout_persist_credentials.deny == {
		{
			"msg": "actions/checkout keeps the token on disk for every later step; set persist-credentials",
			"path": ["jobs", "build", "steps", 0, "with", "persist-credentials"],
		},
		{
			"msg": "actions/checkout keeps the token on disk for every later step; set persist-credentials",
			"path": ["jobs", "build", "steps", 1, "with", "persist-credentials"],
		},
	} with input as workflow([
		{"uses": "actions/checkout@v4"},
		{"uses": "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "with": {"fetch-depth": 0}},
	])
}
