# Organisation settings: every threshold and list a rule uses has a default, declared per
# category in `config_<category>.rego` as `<category>_defaults := {...}`, and an
# organisation overrides any of them under `data.paved_config.<category>.<key>` (from
# paved.toml's [policy.config]). One complete `defaults` object, not a partial object per
# file: regorus' VM compiles only the former.
package paved.lib.config

import rego.v1

defaults := {
	"ci": ci_defaults,
	"containers": containers_defaults,
	"kubernetes": kubernetes_defaults,
	"ml": ml_defaults,
	"observability": observability_defaults,
	"ownership": ownership_defaults,
	"terraform": terraform_defaults,
	"testing": testing_defaults,
}

# The setting `key` of `category`: the organisation's value when set (even to false or an
# empty list), else the default.
setting(category, key) := data.paved_config[category][key] if overridden(category, key)

setting(category, key) := defaults[category][key] if not overridden(category, key)

overridden(category, key) if {
	_ = data.paved_config[category][key]
}
