package paved.containers.no_add_remote_test

import data.paved.containers.no_add_remote
import rego.v1

add(flags, value) := {"Cmd": "add", "Flags": flags, "Value": value, "Stage": 0}

test_local_and_verified_sources_pass if {
	count(no_add_remote.deny) == 0 with input as [
		{"Cmd": "from", "Value": ["alpine:3.19"], "Flags": [], "Stage": 0},
		add([], ["rootfs.tar.gz", "/"]),
		add(["--checksum=sha256:2445"], ["https://example.com/tool.tar.gz", "/opt/"]),
		add([], ["https://github.com/moby/buildkit.git#2c9ac7d3a3b0b2b0f8e8f6e2a5b3d1c4e5f6a7b8", "/src"]),
		add([], ["git@github.com:moby/buildkit.git#2c9ac7d3a3b0b2b0f8e8f6e2a5b3d1c4e5f6a7b8:docs", "/docs"]),
	]
}

test_url_without_checksum_fails if {
	no_add_remote.deny == {{
		"msg": "ADD downloads \"https://example.com/tool.tar.gz\" without --checksum, so the build takes whatever the server returns",
		"path": [0],
	}} with input as [add(["--chmod=755"], ["https://example.com/tool.tar.gz", "/opt/"])]
}

test_each_remote_source_is_reported if {
	no_add_remote.deny == {
		{"msg": "ADD downloads \"http://a.example/x\" without --checksum, so the build takes whatever the server returns", "path": [0]},
		{"msg": "ADD clones \"https://github.com/moby/buildkit.git#v0.13.0\" at a ref that can move; pin it to a commit SHA", "path": [0]},
	} with input as [add([], ["http://a.example/x", "https://github.com/moby/buildkit.git#v0.13.0", "./local", "/dst/"])]
}

test_git_without_ref_fails_even_with_checksum_flag if {
	no_add_remote.deny == {{
		"msg": "ADD clones \"git@github.com:org/repo.git\" at a ref that can move; pin it to a commit SHA",
		"path": [0],
	}} with input as [add(["--checksum=sha256:2445"], ["git@github.com:org/repo.git", "/src"])]
}
