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

# GitLab: the jobs and templates that extend one of `names`, themselves included. GitLab
# follows `extends` at most 11 levels deep (deeper is a pipeline error), so this takes 11
# steps, each over every `extends` of the file once: asking graph.reachable for every job
# instead walks each job's whole chain, quadratic in a file of long chains.
gitlab_extending(names) := step_11 if {
	step_1 := gitlab_extends_step(names)
	step_2 := gitlab_extends_step(step_1)
	step_3 := gitlab_extends_step(step_2)
	step_4 := gitlab_extends_step(step_3)
	step_5 := gitlab_extends_step(step_4)
	step_6 := gitlab_extends_step(step_5)
	step_7 := gitlab_extends_step(step_6)
	step_8 := gitlab_extends_step(step_7)
	step_9 := gitlab_extends_step(step_8)
	step_10 := gitlab_extends_step(step_9)
	step_11 := gitlab_extends_step(step_10)
}

# `names` and the templates that extend one of them directly.
gitlab_extends_step(names) := names | {name |
	some name, parents in gitlab_extends_graph
	some parent in parents
	parent in names
}

# GitLab: the jobs that extend a template this file does not define (it comes from an
# include), so what they inherit is unknown.
gitlab_extends_unknown := gitlab_extending({t.name |
	some t in gitlab_templates
	some parent in gitlab_extends(t.value)
	not is_object(input[parent])
})

# GitLab: the jobs that set `key` themselves, through `extends`, or through `default`.
gitlab_jobs_setting(key) := gitlab_extending({job.name | some job in gitlab_templates; job.value[key]}) | {job.name |
	input["default"][key]
	some job in gitlab_templates
	gitlab_inherits_default(job.name, key)
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
