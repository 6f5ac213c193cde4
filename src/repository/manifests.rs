//! Dependencies from the manifests people actually have, each with the line it is declared
//! on: what lets a rule say "tracing is configured" without guessing.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::parse::{self, Format, Kind, PathSegment};
use crate::source::SourceFile;

/// Whether a file name is a dependency manifest (and so marks a unit in a monorepo).
pub fn is_manifest(name: &str) -> bool {
    matches!(
        name,
        "package.json"
            | "pyproject.toml"
            | "go.mod"
            | "Cargo.toml"
            | "pom.xml"
            | "build.gradle"
            | "build.gradle.kts"
            | "Gemfile"
            | "composer.json"
            | "mix.exs"
    ) || is_conda_environment(name)
        || (name.starts_with("requirements") && name.ends_with(".txt"))
        || name.ends_with(".csproj")
}

/// The dependencies declared in a manifest: `{ecosystem, name, version, scope, file, line}`.
pub fn dependencies(name: &str, relative: &str, text: &str) -> Vec<Value> {
    let found: Vec<Declared> = match name {
        "package.json" => package_json(text),
        "pyproject.toml" => pyproject(text),
        "go.mod" => go_mod(text),
        "Cargo.toml" => cargo_toml(text),
        "pom.xml" => pom(text),
        "build.gradle" | "build.gradle.kts" => gradle(text),
        "Gemfile" => gemfile(text),
        "composer.json" => composer_json(text),
        _ if is_conda_environment(name) => conda_environment(text),
        "mix.exs" => mix_exs(text),
        _ if name.ends_with(".csproj") => csproj(text),
        _ if is_manifest(name) => requirements(text, requirements_scope(name)),
        _ => Vec::new(),
    };
    found
        .into_iter()
        .map(|d| {
            json!({"ecosystem": d.ecosystem, "name": d.name, "version": d.version,
                   "scope": d.scope, "file": relative, "line": d.line})
        })
        .collect()
}

struct Declared {
    ecosystem: &'static str,
    name: String,
    version: String,
    scope: &'static str,
    line: usize,
}

fn declared(
    ecosystem: &'static str,
    name: &str,
    version: &str,
    scope: &'static str,
    line: usize,
) -> Declared {
    Declared {
        ecosystem,
        name: name.to_string(),
        version: version.trim().to_string(),
        scope,
        line,
    }
}

/// A structured manifest's tables of `name = version` (or `{version = ...}`), with lines.
fn tables(
    text: &str,
    format: Format,
    ecosystem: &'static str,
    tables: &[(&[&str], &'static str)],
) -> Vec<Declared> {
    let parsed = parse::parse(text, format, Kind::Json, parse::Options::default());
    let Some(document) = parsed.documents.first() else {
        return Vec::new();
    };
    let source = SourceFile::new(text);
    let mut found = Vec::new();
    for (path, scope) in tables {
        let mut value = &document.value;
        for key in path.iter() {
            value = &value[*key];
        }
        let Some(entries) = value.as_object() else {
            continue;
        };
        // Each entry's node by its name, found once: a lookup per entry in a table of
        // 100,000 dependencies is quadratic (17 s).
        let segments: Vec<PathSegment> = path
            .iter()
            .map(|k| PathSegment::Key(k.to_string()))
            .collect();
        let table = document.map.resolve(&segments);
        let mut nodes: HashMap<&str, &parse::Node> = HashMap::new();
        if let (parse::Children::Object(members), true) =
            (&table.node.children, table.matched == segments.len())
        {
            for (name, node) in members {
                nodes.entry(name.as_str()).or_insert(node);
            }
        }
        for (name, spec) in entries {
            let version = match spec {
                Value::String(v) => v.clone(),
                Value::Object(o) => o
                    .get("version")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                _ => String::new(),
            };
            let start = nodes.get(name.as_str()).map_or(table.span().start, |node| {
                node.key.as_ref().map_or(node.span.start, |key| key.start)
            });
            let line = source.line(start);
            found.push(declared(ecosystem, name, &version, scope, line));
        }
    }
    found
}

fn package_json(text: &str) -> Vec<Declared> {
    tables(
        text,
        Format::Json,
        "npm",
        &[
            (&["dependencies"], "runtime"),
            (&["devDependencies"], "dev"),
            (&["peerDependencies"], "peer"),
            (&["optionalDependencies"], "optional"),
        ],
    )
}

/// A conda environment (`conda.yaml`, `environment.yml`), as MLflow projects and data
/// science repositories declare their dependencies.
fn is_conda_environment(name: &str) -> bool {
    matches!(
        name,
        "conda.yaml" | "conda.yml" | "environment.yml" | "environment.yaml"
    )
}

/// `dependencies:` of a conda environment: conda packages (`numpy>=1.14`), and the PyPI
/// ones of its `pip:` list.
fn conda_environment(text: &str) -> Vec<Declared> {
    let parsed = parse::parse(text, Format::Yaml, Kind::Yaml, parse::Options::default());
    let Some(document) = parsed.documents.first() else {
        return Vec::new();
    };
    let source = SourceFile::new(text);
    let line_of =
        |segments: &[PathSegment]| source.line(document.map.resolve(segments).span().start);
    let key = |k: &str| PathSegment::Key(k.to_string());
    let mut found = Vec::new();
    let entries = document.value["dependencies"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, entry) in entries.iter().enumerate() {
        let at = [key("dependencies"), PathSegment::Index(i)];
        if let Some(spec) = entry.as_str() {
            let (name, version) = split_pep508(spec);
            found.push(declared("conda", &name, &version, "runtime", line_of(&at)));
        }
        let pip = entry["pip"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (j, spec) in pip.iter().enumerate() {
            let Some(spec) = spec.as_str() else { continue };
            let (name, version) = split_pep508(spec);
            let at = [
                at[0].clone(),
                at[1].clone(),
                key("pip"),
                PathSegment::Index(j),
            ];
            found.push(declared("pypi", &name, &version, "runtime", line_of(&at)));
        }
    }
    found
}

fn composer_json(text: &str) -> Vec<Declared> {
    tables(
        text,
        Format::Json,
        "packagist",
        &[(&["require"], "runtime"), (&["require-dev"], "dev")],
    )
}

fn cargo_toml(text: &str) -> Vec<Declared> {
    tables(
        text,
        Format::Toml,
        "cargo",
        &[
            (&["dependencies"], "runtime"),
            (&["dev-dependencies"], "dev"),
            (&["build-dependencies"], "build"),
            (&["workspace", "dependencies"], "runtime"),
        ],
    )
}

fn pyproject(text: &str) -> Vec<Declared> {
    let mut found = tables(
        text,
        Format::Toml,
        "pypi",
        &[
            (&["tool", "poetry", "dependencies"], "runtime"),
            (&["tool", "poetry", "dev-dependencies"], "dev"),
        ],
    );
    found.retain(|d| d.name != "python");
    for d in &mut found {
        d.name = normalize_python(&d.name);
    }
    // PEP 621 lists and Poetry groups: find each requirement string's line by its text.
    let lines: Vec<&str> = text.lines().collect();
    let parsed = parse::parse(text, Format::Toml, Kind::Toml, parse::Options::default());
    let Some(document) = parsed.documents.first() else {
        return found;
    };
    let mut requirements: Vec<(&str, &'static str)> = Vec::new();
    let value = &document.value;
    for item in value["project"]["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
    {
        requirements.extend(item.as_str().map(|s| (s, "runtime")));
    }
    for group in value["project"]["optional-dependencies"]
        .as_object()
        .into_iter()
        .flat_map(|o| o.values())
    {
        for item in group.as_array().into_iter().flatten() {
            requirements.extend(item.as_str().map(|s| (s, "optional")));
        }
    }
    for requirement in requirements {
        let (name, version) = split_pep508(requirement.0);
        let line = lines
            .iter()
            .position(|l| l.contains(requirement.0))
            .map_or(1, |i| i + 1);
        found.push(declared("pypi", &name, &version, requirement.1, line));
    }
    for (group, spec) in value["tool"]["poetry"]["group"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let scope = if group == "dev" || group == "test" {
            "dev"
        } else {
            "optional"
        };
        for (name, version) in spec["dependencies"].as_object().into_iter().flatten() {
            let version = version
                .as_str()
                .or_else(|| version["version"].as_str())
                .unwrap_or("");
            let line = lines
                .iter()
                .position(|l| l.trim_start().starts_with(name.as_str()))
                .map_or(1, |i| i + 1);
            found.push(declared(
                "pypi",
                &normalize_python(name),
                version,
                scope,
                line,
            ));
        }
    }
    found
}

/// `requirements-dev.txt`, `requirements_test.txt`, `requirements.lint.txt`: what the name
/// says is for development does not ship.
fn requirements_scope(name: &str) -> &'static str {
    let stem = name
        .trim_start_matches("requirements")
        .trim_end_matches(".txt");
    let development = [
        "dev",
        "develop",
        "development",
        "test",
        "tests",
        "testing",
        "lint",
        "docs",
        "ci",
    ];
    if stem
        .split(['-', '_', '.'])
        .any(|word| development.contains(&word))
    {
        "dev"
    } else {
        "runtime"
    }
}

fn requirements(text: &str, scope: &'static str) -> Vec<Declared> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.split(" #").next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('-') {
                return None;
            }
            let (name, version) = split_pep508(line);
            Some(declared("pypi", &name, &version, scope, i + 1))
        })
        .collect()
}

/// `opentelemetry-sdk[grpc]>=1.2 ; python_version > "3.8"` → (`opentelemetry-sdk`, `>=1.2`).
fn split_pep508(requirement: &str) -> (String, String) {
    let requirement = requirement.split(';').next().unwrap_or("").trim();
    let end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(requirement.len());
    let name = normalize_python(&requirement[..end]);
    let rest = requirement[end..].trim();
    let rest = match rest.strip_prefix('[') {
        Some(extras) => extras.split_once(']').map_or("", |(_, r)| r).trim(),
        None => rest,
    };
    (
        name,
        rest.trim_start_matches('(')
            .trim_end_matches(')')
            .trim()
            .to_string(),
    )
}

/// PEP 503: names compare lower-case with runs of `-_.` as one `-`.
fn normalize_python(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

fn go_mod(text: &str) -> Vec<Declared> {
    let mut found = Vec::new();
    let mut in_block = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.split("//").next().unwrap_or("").trim();
        let spec = if in_block {
            if line == ")" {
                in_block = false;
                continue;
            }
            line
        } else if let Some(rest) = line.strip_prefix("require") {
            let rest = rest.trim();
            if rest == "(" {
                in_block = true;
                continue;
            }
            rest
        } else {
            continue;
        };
        let mut parts = spec.split_whitespace();
        if let (Some(name), Some(version)) = (parts.next(), parts.next()) {
            found.push(declared("go", name, version, "runtime", i + 1));
        }
    }
    found
}

fn pom(text: &str) -> Vec<Declared> {
    let mut found = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(start) = rest.find("<dependency>") {
        let Some(end) = rest[start..].find("</dependency>") else {
            break;
        };
        let block = &rest[start..start + end];
        let tag = |name: &str| {
            let open = format!("<{name}>");
            let close = format!("</{name}>");
            block.find(&open).and_then(|s| {
                let value = &block[s + open.len()..];
                value.find(&close).map(|e| value[..e].trim().to_string())
            })
        };
        if let (Some(group), Some(artifact)) = (tag("groupId"), tag("artifactId")) {
            let line = text[..offset + start].matches('\n').count() + 1;
            let scope = if tag("scope").as_deref() == Some("test") {
                "dev"
            } else {
                "runtime"
            };
            let version = tag("version").unwrap_or_default();
            found.push(declared(
                "maven",
                &format!("{group}:{artifact}"),
                &version,
                scope,
                line,
            ));
        }
        offset += start + end;
        rest = &text[offset..];
    }
    found
}

fn gradle(text: &str) -> Vec<Declared> {
    const CONFIGURATIONS: [&str; 8] = [
        "implementation",
        "api",
        "compileOnly",
        "runtimeOnly",
        "testImplementation",
        "testRuntimeOnly",
        "annotationProcessor",
        "kapt",
    ];
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.trim();
            let configuration = CONFIGURATIONS.iter().find(|c| line.starts_with(*c))?;
            let quoted = line.split(['"', '\'']).nth(1)?;
            let mut parts = quoted.split(':');
            let (group, artifact) = (parts.next()?, parts.next()?);
            let version = parts.next().unwrap_or("");
            let scope = if configuration.starts_with("test") {
                "dev"
            } else {
                "runtime"
            };
            Some(declared(
                "gradle",
                &format!("{group}:{artifact}"),
                version,
                scope,
                i + 1,
            ))
        })
        .collect()
}

fn gemfile(text: &str) -> Vec<Declared> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let rest = line.trim().strip_prefix("gem ")?;
            let mut quoted = rest.split(['"', '\'']).skip(1).step_by(2);
            let name = quoted.next()?;
            let version = quoted.next().unwrap_or("");
            Some(declared("rubygems", name, version, "runtime", i + 1))
        })
        .collect()
}

/// `<PackageReference Include="Name" Version="1.2.3" />` items of an MSBuild project.
fn csproj(text: &str) -> Vec<Declared> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let rest = &line[line.find("<PackageReference")?..];
            let attribute = |key: &str| {
                let value = &rest[rest.find(&format!("{key}=\""))? + key.len() + 2..];
                Some(value[..value.find('"')?].to_string())
            };
            let name = attribute("Include")?;
            let version = attribute("Version").unwrap_or_default();
            Some(declared("nuget", &name, &version, "runtime", i + 1))
        })
        .collect()
}

/// `{:name, "~> 1.0"}` tuples of a Mix project's `deps` (`only: :test` ones are dev).
fn mix_exs(text: &str) -> Vec<Declared> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let rest = line.trim().strip_prefix("{:")?;
            let (name, rest) = rest.split_once(',')?;
            let version = rest.split('"').nth(1).unwrap_or("");
            let scope = if rest.contains("only: :test") || rest.contains("only: [:dev, :test]") {
                "dev"
            } else {
                "runtime"
            };
            Some(declared("hex", name.trim(), version, scope, i + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(name: &str, text: &str) -> Vec<(String, String, String, u64)> {
        dependencies(name, name, text)
            .into_iter()
            .map(|d| {
                (
                    d["name"].as_str().unwrap().to_string(),
                    d["version"].as_str().unwrap().to_string(),
                    d["scope"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap(),
                )
            })
            .collect()
    }

    fn dep(name: &str, version: &str, scope: &str, line: u64) -> (String, String, String, u64) {
        (name.into(), version.into(), scope.into(), line)
    }

    #[test]
    fn requirements_txt() {
        let text = "# deps\nflask==3.0.0\nOpenTelemetry_SDK[grpc] >=1.2 ; python_version > '3.8'\n-r base.txt\nrequests\n";
        assert_eq!(
            names("requirements.txt", text),
            [
                dep("flask", "==3.0.0", "runtime", 2),
                dep("opentelemetry-sdk", ">=1.2", "runtime", 3),
                dep("requests", "", "runtime", 5)
            ]
        );
    }

    #[test]
    fn development_requirements_files_are_dev_scope() {
        for (file, scope) in [
            ("requirements-dev.txt", "dev"),
            ("requirements_test.txt", "dev"),
            ("requirements.lint.txt", "dev"),
            ("requirements-prod.txt", "runtime"),
            ("requirements-device.txt", "runtime"),
        ] {
            assert_eq!(
                names(file, "pytest==8.0\n"),
                [dep("pytest", "==8.0", scope, 1)]
            );
        }
    }

    #[test]
    fn pyproject_pep621_and_poetry() {
        let text = "[project]\nname = \"x\"\ndependencies = [\n  \"fastapi>=0.110\",\n]\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\nmlflow = \"2.12.1\"\n\n[tool.poetry.group.dev.dependencies]\npytest = \"^8\"\n";
        assert_eq!(
            names("pyproject.toml", text),
            [
                dep("mlflow", "2.12.1", "runtime", 9),
                dep("fastapi", ">=0.110", "runtime", 4),
                dep("pytest", "^8", "dev", 12)
            ]
        );
    }

    #[test]
    fn package_json_go_mod_cargo() {
        let package = "{\n  \"dependencies\": {\"@opentelemetry/sdk-node\": \"^0.52.0\"},\n  \"devDependencies\": {\n    \"jest\": \"29.7.0\"\n  }\n}";
        assert_eq!(
            names("package.json", package),
            [
                dep("@opentelemetry/sdk-node", "^0.52.0", "runtime", 2),
                dep("jest", "29.7.0", "dev", 4)
            ]
        );
        let go = "module x\n\ngo 1.22\n\nrequire go.opentelemetry.io/otel v1.27.0\n\nrequire (\n\tgithub.com/a/b v0.1.0 // indirect\n)\n";
        assert_eq!(
            names("go.mod", go),
            [
                dep("go.opentelemetry.io/otel", "v1.27.0", "runtime", 5),
                dep("github.com/a/b", "v0.1.0", "runtime", 8)
            ]
        );
        let cargo = "[package]\nname = \"x\"\n\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n\n[dev-dependencies]\ninsta = \"1.40\"\n";
        assert_eq!(
            names("Cargo.toml", cargo),
            [
                dep("serde", "1", "runtime", 5),
                dep("insta", "1.40", "dev", 8)
            ]
        );
    }

    #[test]
    fn pom_gradle_gemfile() {
        let pom = "<project>\n  <dependencies>\n    <dependency>\n      <groupId>io.opentelemetry</groupId>\n      <artifactId>opentelemetry-api</artifactId>\n      <version>1.38.0</version>\n    </dependency>\n    <dependency>\n      <groupId>junit</groupId>\n      <artifactId>junit</artifactId>\n      <scope>test</scope>\n    </dependency>\n  </dependencies>\n</project>\n";
        assert_eq!(
            names("pom.xml", pom),
            [
                dep("io.opentelemetry:opentelemetry-api", "1.38.0", "runtime", 3),
                dep("junit:junit", "", "dev", 8)
            ]
        );
        let gradle = "dependencies {\n    implementation(\"io.micrometer:micrometer-registry-prometheus:1.13.0\")\n    testImplementation 'org.junit.jupiter:junit-jupiter:5.10.2'\n}\n";
        assert_eq!(
            names("build.gradle.kts", gradle),
            [
                dep(
                    "io.micrometer:micrometer-registry-prometheus",
                    "1.13.0",
                    "runtime",
                    2
                ),
                dep("org.junit.jupiter:junit-jupiter", "5.10.2", "dev", 3)
            ]
        );
        let gemfile =
            "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem \"prometheus-client\"\n";
        assert_eq!(
            names("Gemfile", gemfile),
            [
                dep("rails", "~> 7.1", "runtime", 2),
                dep("prometheus-client", "", "runtime", 3)
            ]
        );
    }

    #[test]
    fn conda_environments_declare_conda_and_pip_packages() {
        let conda = "name: tutorial\nchannels:\n  - defaults\ndependencies:\n  - numpy>=1.14.3\n  - pip\n  - pip:\n    - mlflow\n    - scikit-learn==1.5.0\n";
        assert_eq!(
            names("conda.yaml", conda),
            [
                dep("numpy", ">=1.14.3", "runtime", 5),
                dep("pip", "", "runtime", 6),
                dep("mlflow", "", "runtime", 8),
                dep("scikit-learn", "==1.5.0", "runtime", 9)
            ]
        );
    }

    #[test]
    fn composer_csproj_mix() {
        let composer = "{\n  \"require\": {\n    \"php\": \">=8.2\",\n    \"open-telemetry/sdk\": \"^1.0\"\n  },\n  \"require-dev\": {\n    \"phpunit/phpunit\": \"^10\"\n  }\n}\n";
        assert_eq!(
            names("composer.json", composer),
            [
                dep("php", ">=8.2", "runtime", 3),
                dep("open-telemetry/sdk", "^1.0", "runtime", 4),
                dep("phpunit/phpunit", "^10", "dev", 7)
            ]
        );
        let csproj = "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n  <ItemGroup>\n    <PackageReference Include=\"OpenTelemetry.Extensions.Hosting\" Version=\"1.9.0\" />\n    <PackageReference Include=\"Grpc.AspNetCore\" />\n  </ItemGroup>\n</Project>\n";
        assert_eq!(
            names("Accounting.csproj", csproj),
            [
                dep("OpenTelemetry.Extensions.Hosting", "1.9.0", "runtime", 3),
                dep("Grpc.AspNetCore", "", "runtime", 4)
            ]
        );
        let mix = "  defp deps do\n    [\n      {:phoenix, \"~> 1.7.14\"},\n      {:opentelemetry_exporter, \"~> 1.8\"},\n      {:floki, \">= 0.30.0\", only: :test}\n    ]\n  end\n";
        assert_eq!(
            names("mix.exs", mix),
            [
                dep("phoenix", "~> 1.7.14", "runtime", 3),
                dep("opentelemetry_exporter", "~> 1.8", "runtime", 4),
                dep("floki", ">= 0.30.0", "dev", 5)
            ]
        );
    }
}
