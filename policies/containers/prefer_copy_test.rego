package paved.containers.prefer_copy_test

import data.paved.containers.prefer_copy
import rego.v1

add(value) := {"Cmd": "add", "Flags": [], "Value": value, "Stage": 0}

test_copy_archives_and_urls_pass if {
	count(prefer_copy.deny) == 0 with input as [
		{"Cmd": "copy", "Flags": [], "Value": [".", "/app"], "Stage": 0},
		add(["rootfs.tar.gz", "/"]),
		add(["vendor.TGZ", "/opt/"]),
		add(["https://example.com/x", "/x"]),
		add(["${ARTIFACT}", "/x"]),
	]
}

test_local_add_fails if {
	prefer_copy.deny == {{"msg": "ADD of local \".\"; use COPY, which only copies", "path": [0]}} with input as [add([".", "/app"])]
}

test_local_sources_are_listed if {
	prefer_copy.deny == {{
		"msg": "ADD of local \"go.mod\", \"go.sum\"; use COPY, which only copies",
		"path": [0],
	}} with input as [add(["go.mod", "go.sum", "deps.tar", "./"])]
}
