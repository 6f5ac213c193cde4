package paved.ci.no_script_injection_test

import data.paved.ci.no_script_injection
import rego.v1

workflow(steps) := {"on": "issues", "jobs": {"triage": {"runs-on": "ubuntu-24.04", "steps": steps}}}

message(expression) := sprintf(
	"the script expands %s, which anyone opening an issue or pull request controls; pass it through env",
	[expression],
)

test_env_and_trusted_contexts_pass if {
	count(no_script_injection.deny) == 0 with input as workflow([
		{"run": "echo \"$TITLE\"", "env": {"TITLE": "${{ github.event.issue.title }}"}},
		{"run": "echo ${{ github.sha }} ${{ github.event.pull_request.number }} ${{ github.ref_name }}"},
		{"uses": "actions/github-script@v7", "with": {"script": "console.log(context.payload.issue.title)"}},
		{"uses": "some/action@v1", "with": {"title": "${{ github.event.issue.title }}"}},
	])
}

test_untrusted_in_run_fails if {
	no_script_injection.deny == {
		{"msg": message("${{ github.event.issue.title }}"), "path": ["jobs", "triage", "steps", 0, "run"]},
		{"msg": message("${{github.event.comment.body}}"), "path": ["jobs", "triage", "steps", 0, "run"]},
		{"msg": message("${{ github.head_ref }}"), "path": ["jobs", "triage", "steps", 1, "run"]},
	} with input as workflow([
		{"run": "echo \"${{ github.event.issue.title }}\"\necho '${{github.event.comment.body}}'"},
		{"run": "git push origin HEAD:${{ github.head_ref }}"},
	])
}

test_untrusted_in_github_script_fails if {
	no_script_injection.deny == {{
		"msg": message("${{ github.event.pull_request.body }}"),
		"path": ["jobs", "triage", "steps", 0, "with", "script"],
	}} with input as workflow([{
		"uses": "actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea",
		"with": {"script": "const body = `${{ github.event.pull_request.body }}`"},
	}])
}

test_nested_payload_fields_fail if {
	no_script_injection.deny == {
		{"msg": message("${{ github.event.commits[0].message }}"), "path": ["runs", "steps", 0, "run"]},
		{"msg": message("${{ github.event.pull_request.head.ref }}"), "path": ["runs", "steps", 0, "run"]},
		{"msg": message("${{ github.event.workflow_run.head_branch }}"), "path": ["runs", "steps", 0, "run"]},
		{"msg": message("${{ GitHub.Event.Review.Body }}"), "path": ["runs", "steps", 0, "run"]},
	} with input as {"runs": {"using": "composite", "steps": [{"shell": "bash", "run": concat(" ", [
		"${{ github.event.commits[0].message }}",
		"${{ github.event.pull_request.head.ref }}",
		"${{ github.event.workflow_run.head_branch }}",
		"${{ GitHub.Event.Review.Body }}",
	])}]}}
}
