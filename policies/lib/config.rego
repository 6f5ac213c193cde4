# Organisation settings: every threshold and list a rule uses has a default, declared per
# category in `config_<category>.rego` as `defaults.<category> := {...}`, and an organisation
# overrides any of them under `data.paved_config.<category>.<key>` (from paved.toml).
package paved.lib.config

import rego.v1

# The setting `key` of `category`: the organisation's value when set, else the default.
setting(category, key) := data.paved_config[category][key]

setting(category, key) := defaults[category][key] if not data.paved_config[category][key]
