# Helpers for CI files: GitHub workflow jobs and steps (composite actions' steps too) and
# GitLab jobs, each with the path into `input` that a finding points at.
package paved.lib.ci

import rego.v1

# Rules for both CI kinds tell them apart by shape: a GitHub workflow has `on`, an action
# has `runs`; a GitLab pipeline has neither keyword.
is_github if "on" in object.keys(input)

is_github if input.runs.using

is_gitlab if {
	is_object(input)
	not is_github
}

# GitHub: the events a workflow runs on, whether `on` is a string, a list or a map.
github_events := {input.on} if is_string(input.on)

github_events := {e | some e in input.on} if is_array(input.on)

github_events := {e | some e, _ in input.on} if is_object(input.on)

# GitHub: every job: {name, value, path}.
github_jobs contains {"name": name, "value": job, "path": ["jobs", name]} if {
	is_github
	is_object(input.jobs)
	some name, job in input.jobs
	is_object(job)
}

# GitHub: every step of every job, and of a composite action: {job, value, path}.
github_steps contains {"job": job.name, "value": step, "path": array.concat(job.path, ["steps", i])} if {
	some job in github_jobs
	is_array(job.value.steps)
	some i, step in job.value.steps
	is_object(step)
}

github_steps contains {"job": null, "value": step, "path": ["runs", "steps", i]} if {
	is_github
	is_array(input.runs.steps)
	some i, step in input.runs.steps
	is_object(step)
}

# GitLab: top-level keys that are not jobs.
gitlab_keywords := {
	"default", "include", "stages", "types", "variables", "workflow", "spec",
	"image", "services", "cache", "before_script", "after_script",
}

# GitLab: every job-like map, hidden templates (`.name`) included: {name, value, path}.
gitlab_templates contains {"name": name, "value": job, "path": [name]} if {
	is_gitlab
	some name, job in input
	not name in gitlab_keywords
	is_object(job)
}

# GitLab: the jobs that run (hidden jobs are only templates).
gitlab_jobs contains job if {
	some job in gitlab_templates
	not startswith(job.name, ".")
}

# GitLab: `extends` as a list.
gitlab_extends(job) := [job.extends] if is_string(job.extends)

gitlab_extends(job) := job.extends if is_array(job.extends)

gitlab_extends(job) := [] if not job.extends

gitlab_extends_graph := {t.name: [parent |
	some parent in gitlab_extends(t.value)
	is_object(input[parent])
] | some t in gitlab_templates}

# GitLab: a job extends a template this file does not define (it comes from an include),
# so what it inherits is unknown.
gitlab_extends_unknown(name) if {
	some ancestor in graph.reachable(gitlab_extends_graph, [name])
	some parent in gitlab_extends(input[ancestor])
	not is_object(input[parent])
}

# GitLab: whether a job sets `key` itself, through `extends`, or through `default`.
gitlab_job_sets(name, key) if {
	some ancestor in graph.reachable(gitlab_extends_graph, [name])
	input[ancestor][key]
}

gitlab_job_sets(name, key) if {
	input["default"][key]
	gitlab_inherits_default(name, key)
}

# `inherit: default:` is true, false, or the list of keywords to inherit.
gitlab_inherits_default(name, key) if {
	setting := object.get(input[name], ["inherit", "default"], true)
	inherits(setting, key)
}

inherits(setting, _) if setting == true

inherits(setting, key) if {
	is_array(setting)
	key in setting
}

# GitHub: whether a step runs the action `name` (`owner/repo`) at any ref.
uses_action(step, name) if {
	is_string(step.uses)
	startswith(lower(step.uses), concat("", [name, "@"]))
}
