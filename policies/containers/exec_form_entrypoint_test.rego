package paved.containers.exec_form_entrypoint_test

import data.paved.containers.exec_form_entrypoint
import rego.v1

from(stage) := {"Cmd": "from", "Value": ["alpine:3.19"], "Flags": [], "JSON": false, "Stage": stage}

shell(cmd, command, stage) := {"Cmd": cmd, "Value": [command], "Flags": [], "JSON": false, "Stage": stage}

exec(cmd, args, stage) := {"Cmd": cmd, "Value": args, "Flags": [], "JSON": true, "Stage": stage}

test_exec_form_passes if {
	count(exec_form_entrypoint.deny) == 0 with input as [
		from(0),
		shell("cmd", "make test", 0),
		from(1),
		exec("entrypoint", ["/app"], 1),
		exec("cmd", ["--port", "8080"], 1),
	]
}

test_shell_form_with_exec_passes if {
	count(exec_form_entrypoint.deny) == 0 with input as [from(0), shell("cmd", "exec java $JAVA_OPTS -jar /app.jar", 0)]
}

test_no_command_passes if {
	count(exec_form_entrypoint.deny) == 0 with input as [from(0)]
}

test_shell_form_fails if {
	exec_form_entrypoint.deny == {
		{"msg": "ENTRYPOINT in shell form runs under /bin/sh, which does not pass SIGTERM on to the process", "path": [1]},
		{"msg": "CMD in shell form runs under /bin/sh, which does not pass SIGTERM on to the process", "path": [2]},
	} with input as [from(0), shell("entrypoint", "/app", 0), shell("cmd", "--port 8080", 0)]
}

test_only_the_last_cmd_counts if {
	exec_form_entrypoint.deny == {{
		"msg": "CMD in shell form runs under /bin/sh, which does not pass SIGTERM on to the process",
		"path": [2],
	}} with input as [from(0), exec("cmd", ["/app"], 0), shell("cmd", "/app --debug", 0)]
}

test_overridden_shell_cmd_passes if {
	count(exec_form_entrypoint.deny) == 0 with input as [from(0), shell("cmd", "/app --debug", 0), exec("cmd", ["/app"], 0)]
}
