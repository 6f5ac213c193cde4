package paved.lib.ci_test

import data.paved.lib.ci
import rego.v1

# `.t0` sets a timeout and `.tN` extends `.tN-1`, up to `.t12`.
chain := object.union({".t0": {"timeout": "1h"}}, {sprintf(".t%d", [n]): {"extends": sprintf(".t%d", [n - 1])} |
	some n in numbers.range(1, 12)
})

test_gitlab_jobs_setting_follows_eleven_extends if {
	ci.gitlab_jobs_setting("timeout") == {sprintf(".t%d", [n]) | some n in numbers.range(0, 11)} with input as chain
}

test_gitlab_jobs_setting_takes_default_unless_not_inherited if {
	ci.gitlab_jobs_setting("timeout") == {"a", "c"} with input as {
		"default": {"timeout": "1h"},
		"a": {"script": ["x"]},
		"b": {"script": ["x"], "inherit": {"default": false}},
		"c": {"script": ["x"], "inherit": {"default": ["timeout"]}},
	}
}

test_gitlab_extends_unknown_reaches_what_extends_an_include if {
	ci.gitlab_extends_unknown == {".local", "job", "other"} with input as {
		".local": {"extends": ".from-an-include"},
		"job": {"extends": [".local"]},
		"other": {"extends": ["job", ".t"]},
		".t": {"script": ["x"]},
		"known": {"extends": ".t"},
	}
}

test_gitlab_extends_cycles_end if {
	ci.gitlab_jobs_setting("timeout") == {"a", "b", "c"} with input as {
		"a": {"extends": "b", "timeout": "1h"},
		"b": {"extends": "a"},
		"c": {"extends": "b"},
		"d": {"extends": "d"},
	}
}
