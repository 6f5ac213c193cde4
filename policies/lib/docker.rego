# Helpers for Dockerfiles (conftest's shape: an array of instructions): stages, the final
# stage, and the images a Dockerfile pulls, each with the index of its instruction, which is
# the path a finding points at. The image helpers also serve CI files that name images.
package paved.lib.docker

import data.paved.lib.collections
import rego.v1

# The stage the image is built from: the last one.
final_stage := max({i.Stage | some i in input})

# The index of the FROM that starts the final stage.
final_from := max([i | some i, instruction in input; instruction.Cmd == "from"])

# Instructions of the final stage: {index, value}.
final_instructions contains {"index": i, "value": instruction} if {
	some i, instruction in input
	instruction.Stage == final_stage
	i >= final_from
}

# The index of the FROM that first names each stage (names are case-insensitive): from there
# on the name means the stage, not an image. One sort, not a scan of the stages per image.
first_stage_index := {name: row[1] |
	some name, row in collections.first_of_each([[lower(instruction.Value[2]), i] |
		some i, instruction in input
		instruction.Cmd == "from"
		count(instruction.Value) == 3
		lower(instruction.Value[1]) == "as"
	])
}

# ARGs before the first FROM can be used in FROM lines: [name, default] in order.
global_arg_defaults := [[name, value] |
	first_from := min([i | some i, instruction in input; instruction.Cmd == "from"])
	some i, instruction in input
	i < first_from
	instruction.Cmd == "arg"
	some declaration in instruction.Value
	[name, value] := split_arg(declaration)
]

# The last default of a name wins: {name: value}.
global_args := {name: row[2] |
	some name, row in collections.last_of_each([[arg, k, value] | some k, [arg, value] in global_arg_defaults])
}

split_arg(declaration) := [name, value] if {
	contains(declaration, "=")
	parts := split(declaration, "=")
	name := parts[0]
	value := unquote(concat("=", array.slice(parts, 1, count(parts))))
}

# ARG values keep their quotes in the parsed instruction.
unquote(s) := substring(s, 1, count(s) - 2) if quoted(s)

unquote(s) := s if not quoted(s)

quoted(s) if {
	count(s) >= 2
	startswith(s, "\"")
	endswith(s, "\"")
}

quoted(s) if {
	count(s) >= 2
	startswith(s, "'")
	endswith(s, "'")
}

variable_pattern := `\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*`

# `image` with `$NAME` and `${NAME}` replaced by global ARG defaults; undefined when a
# variable has no default (its value only exists at build time).
resolve(image) := image if not contains(image, "$")

resolve(image) := resolved if {
	contains(image, "$")
	refs := regex.find_n(variable_pattern, image, -1)
	values := {k: value |
		some k, ref in refs
		value := global_args[trim_suffix(trim_prefix(trim_prefix(ref, "$"), "{"), "}")]
	}
	count(values) == count(refs)
	pieces := regex.split(variable_pattern, image)
	resolved := concat("", [piece_and_value |
		some k, piece in pieces
		piece_and_value := concat("", [piece, object.get(values, k, "")])
	])
	not contains(resolved, "$")
}

# Images pulled by FROM: {index, image (as written), resolved}. `scratch` and earlier
# stages are not pulled; an image whose variables have no default cannot be judged.
from_images contains {"index": i, "image": image, "resolved": resolved} if {
	some i, instruction in input
	instruction.Cmd == "from"
	image := instruction.Value[0]
	resolved := resolve(image)
	lower(resolved) != "scratch"
	not is_stage_before(lower(resolved), i)
}

# Images pulled by `COPY --from=<image>` and `RUN --mount=...,from=<image>`.
copied_images contains {"index": i, "image": image, "resolved": resolved} if {
	some i, instruction in input
	some image in from_flags(instruction)
	resolved := resolve(image)
	not is_stage_before(lower(resolved), i)
	not regex.match(`^[0-9]+$`, resolved)
}

from_flags(instruction) := {trim_prefix(flag, "--from=") |
	some flag in instruction.Flags
	startswith(flag, "--from=")
} if instruction.Cmd == "copy"

from_flags(instruction) := {trim_prefix(option, "from=") |
	some flag in instruction.Flags
	startswith(flag, "--mount=")
	some option in split(trim_prefix(flag, "--mount="), ",")
	startswith(option, "from=")
} if instruction.Cmd == "run"

is_stage_before(name, index) if data.paved.lib.docker.first_stage_index[name] < index

# Why an image reference is not pinned to a version; undefined when it is.
unpinned(image) := "has no tag" if {
	not has_digest(image)
	not tag(image)
}

unpinned(image) := "is tagged latest" if {
	not has_digest(image)
	tag(image) == "latest"
}

has_digest(image) if contains(image, "@")

# The tag is what follows the last colon of the last path segment (a registry port is not one).
tag(image) := t if {
	segments := split(image, "/")
	last := segments[count(segments) - 1]
	contains(last, ":")
	parts := split(last, ":")
	t := parts[count(parts) - 1]
}

# The command line of every RUN, and of every `ONBUILD RUN` (it runs in each image built
# from this one): {index, stage, command}. Shell form is one string; exec form is joined
# with spaces.
run_commands contains {"index": i, "stage": instruction.Stage, "command": concat(" ", instruction.Value)} if {
	some i, instruction in input
	runs(instruction)
}

runs(instruction) if instruction.Cmd == "run"

runs(instruction) if {
	instruction.Cmd == "onbuild"
	instruction.SubCmd == "run"
}

# An image reference no registry serves: a bare name that is not one of Docker Hub's
# official images (`frontend`, `my-app`), or `ko://...`. Skaffold, kustomize's `images`,
# Tilt and ko replace such names with a built, tagged image when they deploy, so the name
# is a placeholder, not what runs.
is_placeholder(image) if startswith(image, "ko://")

is_placeholder(image) if {
	not contains(image, "/")
	not contains(image, ":")
	not contains(image, "@")
	not official_images[image]
}

# Docker Hub's official images (library/<name>): bare names that do pull something.
official_images := {
	"adminer", "aerospike", "almalinux", "alpine", "alt", "amazoncorretto", "amazonlinux",
	"arangodb", "archlinux", "backdrop", "bash", "bonita", "buildpack-deps", "busybox",
	"caddy", "cassandra", "centos", "chronograf", "cirros", "clearlinux", "clickhouse",
	"clojure", "composer", "consul", "convertigo", "couchbase", "couchdb", "crate", "dart",
	"debian", "docker", "drupal", "eclipse-mosquitto", "eclipse-temurin", "eggdrop",
	"elasticsearch", "elixir", "emqx", "erlang", "fedora", "flink", "fluentd", "friendica",
	"gazebo", "gcc", "geonetwork", "ghost", "golang", "gradle", "groovy", "haproxy",
	"haskell", "haxe", "hello-world", "hitch", "httpd", "hylang", "ibm-semeru-runtimes",
	"ibmjava", "influxdb", "irssi", "java", "jenkins", "jetty", "joomla", "jruby", "julia",
	"kapacitor", "kibana", "kong", "krakend", "lightstreamer", "liquibase", "logstash",
	"mageia", "mariadb", "matomo", "maven", "mediawiki", "memcached", "mongo",
	"mongo-express", "monica", "mono", "mysql", "nats", "neo4j", "neurodebian", "nextcloud",
	"nginx", "node", "notary", "odoo", "open-liberty", "openjdk", "oraclelinux", "orientdb",
	"percona", "perl", "photon", "php", "php-zendserver", "phpmyadmin", "plone",
	"postfixadmin", "postgres", "pypy", "python", "r-base", "rabbitmq", "rakudo-star",
	"redis", "redmine", "registry", "rethinkdb", "rocket.chat", "rockylinux", "ruby", "rust",
	"sapmachine", "satosa", "sentry", "silverpeas", "solr", "sonarqube", "spark", "spiped",
	"storm", "swift", "swipl", "teamspeak", "telegraf", "tomcat", "tomee", "traefik",
	"ubuntu", "unit", "varnish", "vault", "websphere-liberty", "wordpress", "xwiki", "yourls",
	"znc", "zookeeper",
}
