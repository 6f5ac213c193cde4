package paved.ci.pull_request_target_checkout_test

import data.paved.ci.pull_request_target_checkout
import rego.v1

workflow(on, steps) := {"on": on, "jobs": {"test": {"runs-on": "ubuntu-24.04", "steps": steps}}}

head_checkout := {"uses": "actions/checkout@v4", "with": {"ref": "${{ github.event.pull_request.head.sha }}"}}

test_pull_request_may_check_out_the_head if {
	count(pull_request_target_checkout.deny) == 0 with input as workflow("pull_request", [head_checkout, {"run": "make test"}])
}

test_base_checkout_on_pull_request_target_passes if {
	count(pull_request_target_checkout.deny) == 0 with input as workflow({"pull_request_target": {"types": ["labeled"]}}, [
		{"uses": "actions/checkout@v4"},
		{"uses": "actions/labeler@v5"},
		{"run": "git fetch origin main"},
	])
}

test_head_checkout_on_pull_request_target_fails if {
	pull_request_target_checkout.deny == {{
		"msg": "on pull_request_target, this checks out the pull request's code (${{ github.event.pull_request.head.sha }}), which then runs with secrets and a write token",
		"path": ["jobs", "test", "steps", 0, "with", "ref"],
	}} with input as workflow({"pull_request_target": {"types": ["opened"]}}, [head_checkout, {"run": "make test"}])
}

test_fork_repository_checkout_fails if {
	pull_request_target_checkout.deny == {{
		"msg": "on pull_request_target, this checks out the pull request's code (${{ github.event.pull_request.head.repo.full_name }}), which then runs with secrets and a write token",
		"path": ["jobs", "test", "steps", 0, "with", "repository"],
	}} with input as workflow(["push", "pull_request_target"], [{
		"uses": "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
		"with": {"repository": "${{ github.event.pull_request.head.repo.full_name }}"},
	}])
}

test_scripts_checking_out_the_pull_request_fail if {
	pull_request_target_checkout.deny == {
		{
			"msg": "on pull_request_target, this script checks out the pull request's code, which then runs with secrets and a write token",
			"path": ["jobs", "test", "steps", 0, "run"],
		},
		{
			"msg": "on pull_request_target, this script checks out the pull request's code, which then runs with secrets and a write token",
			"path": ["jobs", "test", "steps", 1, "run"],
		},
	} with input as workflow("pull_request_target", [
		{"run": "git fetch origin pull/${{ github.event.number }}/head:pr && git checkout pr"},
		{"run": "gh pr checkout ${{ github.event.pull_request.number }}"},
	])
}

test_workflow_run_head_checkout_fails if {
	pull_request_target_checkout.deny == {{
		"msg": "on workflow_run, this checks out the pull request's code (${{ github.event.workflow_run.head_sha }}), which then runs with secrets and a write token",
		"path": ["jobs", "test", "steps", 0, "with", "ref"],
	}} with input as workflow({"workflow_run": {"workflows": ["ci"], "types": ["completed"]}}, [{
		"uses": "actions/checkout@v4",
		"with": {"ref": "${{ github.event.workflow_run.head_sha }}"},
	}])
}
