# A rule that runs on every file document and never fires: the benchmark's baseline for
# memory that is not spent on findings.
package main

import rego.v1

deny contains msg if {
	input.kind == "never-a-kind"
	msg := "unreachable"
}
