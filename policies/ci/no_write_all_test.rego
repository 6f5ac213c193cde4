package paved.ci.no_write_all_test

import data.paved.ci.no_write_all
import rego.v1

test_scoped_permissions_pass if {
	count(no_write_all.deny) == 0 with input as {
		"on": "push",
		"permissions": {"contents": "read"},
		"jobs": {
			"release": {"permissions": {"contents": "write"}},
			"lint": {"permissions": "read-all"},
			"test": {},
		},
	}
}

test_write_all_fails if {
	no_write_all.deny == {
		{"msg": "the workflow grants its token write-all permissions", "path": ["permissions"]},
		{"msg": "job \"release\" grants its token write-all permissions", "path": ["jobs", "release", "permissions"]},
	} with input as {
		"on": "push",
		"permissions": "write-all",
		"jobs": {"release": {"permissions": "write-all"}, "test": {"permissions": {}}},
	}
}
