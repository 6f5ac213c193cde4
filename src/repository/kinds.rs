//! What a unit is — `service`, `cli`, `library`, `infrastructure`, `ml`, `monorepo`, `docs` —
//! decided from evidence, each piece naming the file it comes from. Service rules (on-call,
//! SLOs, alerting, tracing...) run on services only, so a Terraform module, a CLI with a
//! dev-container Dockerfile or a library whose only Deployment is a test fixture must not
//! look like one: a service needs a deployable artefact of its own, outside examples, tests
//! and development tooling. `docs/repository-model.md` lists the rules.

use serde_json::{json, Value};

use crate::class::Class;
use crate::parse::{self, Document, Format, Kind};

/// Why a unit is of a kind: `file` (relative to the unit) shows it, `because` says how.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Evidence {
    pub kind: &'static str,
    pub file: String,
    pub because: String,
}

/// The deployable artefacts that make a unit a service, one way of finding it each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Artefact {
    Dockerfile,
    /// A compose service with a `build` of its own.
    Compose,
    /// A long-running workload (Deployment, StatefulSet, DaemonSet, ReplicaSet).
    Workload,
    /// A Helm chart that is not a library chart.
    Chart,
    /// A catalog Component of type `service` or `website`.
    Component,
}

impl Artefact {
    /// An image built from the unit's code. A root without code of its own builds the
    /// units below it, and a documentation site's image serves a preview.
    fn builds(self) -> bool {
        matches!(self, Artefact::Dockerfile | Artefact::Compose)
    }
}

/// The service evidence one document of a file gives (`relative` to the repository), if any.
pub fn service_evidence(
    relative: &str,
    document: &Document,
    class: Class,
) -> Option<(Artefact, String)> {
    if !class.is_deployable() || in_development_tooling(relative) {
        return None;
    }
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let value = &document.value;
    match document.kind {
        Kind::Dockerfile if document.index == 0 && !development_image(name) => {
            Some((Artefact::Dockerfile, "a Dockerfile".into()))
        }
        Kind::Kubernetes if LONG_RUNNING.contains(&value["kind"].as_str()?) => Some((
            Artefact::Workload,
            format!(
                "{} {}",
                value["kind"].as_str()?,
                text(&value["metadata"]["name"])
            ),
        )),
        Kind::Yaml | Kind::HelmChart if name == "Chart.yaml" && value["type"] != "library" => {
            Some((
                Artefact::Chart,
                format!("Helm chart {}", text(&value["name"])),
            ))
        }
        Kind::Yaml if is_compose_file(name) => {
            let services = value["services"].as_object()?;
            let built = services.iter().find(|(_, s)| s.get("build").is_some())?;
            Some((
                Artefact::Compose,
                format!("compose service {} builds its image", built.0),
            ))
        }
        Kind::Backstage
            if value["kind"] == "Component"
                && matches!(value["spec"]["type"].as_str(), Some("service" | "website")) =>
        {
            Some((
                Artefact::Component,
                format!(
                    "catalog Component {} of type {}",
                    text(&value["metadata"]["name"]),
                    text(&value["spec"]["type"])
                ),
            ))
        }
        _ => None,
    }
}

/// A name as written, or `?` when it is not a string.
fn text(value: &Value) -> &str {
    value.as_str().unwrap_or("?")
}

/// Workloads that run until stopped: what is paged about. Jobs and CronJobs are batch work.
const LONG_RUNNING: [&str; 4] = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"];

/// Directories of development tooling rather than of what is deployed: dev containers, CI,
/// Kubernetes' `hack/` convention, `scripts/`, `tools/`, load generators, documentation, benchmarks, test images and test
/// data (`test-docker-images/`, `testdata2/`: any directory whose name starts with `test`).
pub fn in_development_tooling(relative: &str) -> bool {
    let lower = relative.to_ascii_lowercase();
    let mut directories: Vec<&str> = lower.split('/').collect();
    directories.pop();
    directories.iter().any(|d| {
        matches!(
            *d,
            ".devcontainer"
                | ".github"
                | ".gitlab"
                | ".circleci"
                | ".ci"
                | "ci"
                | "hack"
                | "scripts"
                | "tools"
                | "loadgenerator"
                | "load-generator"
                | "loadtest"
                | "load-test"
                | "docs"
                | "doc"
        ) || d.starts_with("test")
            || d.starts_with("bench")
    })
}

/// A Dockerfile named for development, tests, CI or a mobile build (`Dockerfile.test`,
/// `dev.Dockerfile`, `Dockerfile.cypress`, `android.Dockerfile`) builds no image that is
/// deployed.
fn development_image(name: &str) -> bool {
    const PURPOSES: [&str; 14] = [
        "test",
        "tests",
        "dev",
        "devcontainer",
        "ci",
        "e2e",
        "cypress",
        "lint",
        "local",
        "debug",
        "docs",
        // Images that build a mobile app: what they make is shipped to a store, not run.
        "android",
        "ios",
        "mobile",
    ];
    name.to_ascii_lowercase()
        .split(['.', '-', '_'])
        .any(|part| PURPOSES.contains(&part))
}

fn is_compose_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.starts_with("docker-compose") || lower.starts_with("compose"))
        && (lower.ends_with(".yml") || lower.ends_with(".yaml"))
}

/// Files that make a unit a documentation site (Hugo, MkDocs, Jekyll, Docusaurus, mdBook):
/// its Dockerfile or compose file serves a preview, not a service.
pub fn is_docs_site_config(name: &str) -> bool {
    matches!(
        name,
        "hugo.toml"
            | "hugo.yaml"
            | "hugo.json"
            | "mkdocs.yml"
            | "mkdocs.yaml"
            | "_config.yml"
            | "docusaurus.config.js"
            | "docusaurus.config.ts"
            | "book.toml"
    )
}

/// Whether a file (relative to its unit) builds an executable: `main.go` at the top or in
/// `cmd/<name>/`, a Rust `src/main.rs`, a Python `console_scripts` entry in `setup.py` or
/// `setup.cfg`, or a manifest declaring one (`text` is the file's, when it was read).
pub fn executable_evidence(relative: &str, text: Option<&str>) -> Option<String> {
    let parts: Vec<&str> = relative.split('/').collect();
    let because = match parts.as_slice() {
        ["main.go"] | ["cmd", _, "main.go"] => "a Go main package",
        ["src", "main.rs"] => "a Rust binary",
        ["setup.py" | "setup.cfg"] if text?.contains("console_scripts") => "Python console_scripts",
        [name @ ("package.json" | "Cargo.toml" | "pyproject.toml")] => {
            manifest_executable(name, text?)?
        }
        _ => return None,
    };
    Some(because.to_string())
}

/// A manifest's own executables: npm's `bin`, Cargo's `[[bin]]`, Python's project scripts.
fn manifest_executable(name: &str, text: &str) -> Option<&'static str> {
    let format = if name == "package.json" {
        Format::Json
    } else {
        Format::Toml
    };
    let parsed = parse::parse(text, format, Kind::Json, parse::Options::default());
    let value = &parsed.documents.first()?.value;
    let declared = |path: &[&str], because: &'static str| {
        let found = path.iter().fold(value, |v, key| &v[*key]);
        let empty = found.is_null()
            || found.as_object().is_some_and(|o| o.is_empty())
            || found.as_array().is_some_and(|a| a.is_empty());
        (!empty).then_some(because)
    };
    match name {
        "package.json" => declared(&["bin"], "an npm bin field"),
        "Cargo.toml" => declared(&["bin"], "a Cargo [[bin]] target"),
        _ => declared(&["project", "scripts"], "Python project scripts")
            .or_else(|| declared(&["tool", "poetry", "scripts"], "Poetry scripts")),
    }
}

/// What `decide` reads of one unit.
#[derive(Debug, Default)]
pub struct Signals {
    pub service: Vec<(Artefact, Evidence)>,
    pub executable: Vec<Evidence>,
    pub manifests: Vec<String>,
    /// Deployable `.tf` files (a module's examples and tests do not count).
    pub terraform: Vec<String>,
    pub ml: Vec<Evidence>,
    /// A load generator's dependency (Locust, k6): traffic for the services, not one.
    pub load_testing: Vec<Evidence>,
    pub docs_site: Option<String>,
    /// Source files of the unit's own (languages were found).
    pub has_code: bool,
}

/// Where a unit stands: a repository root may have units below it, some of them services.
#[derive(Debug, Clone, Default)]
pub struct Below {
    pub units: bool,
    /// The paths of the service units below.
    pub services: Vec<String>,
}

/// The unit's kinds, in a fixed order, and the evidence for each (service evidence: the
/// first file, by path, of each kind of artefact; the model stays a digest).
///
/// A root with service units below it is a `monorepo`, not a service: what deploys them from
/// the root is theirs. A root with units below and no code of its own is a `monorepo` too,
/// and its images build those units, not itself (kustomize's `kustomize.Dockerfile` builds
/// the CLI in `kustomize/`).
pub fn decide(mut signals: Signals, below: &Below) -> (Vec<&'static str>, Vec<Evidence>) {
    let services_below = !below.services.is_empty();
    let monorepo = services_below || (below.units && !signals.has_code);
    if services_below {
        signals.service.clear();
    }
    if monorepo || signals.docs_site.is_some() {
        signals.service.retain(|(artefact, _)| !artefact.builds());
    }
    // Charts with no code of their own package software built elsewhere (a chart
    // repository such as argo-helm): whoever runs that software is on call, not them.
    let load_generator = signals.load_testing.first().cloned();
    if load_generator.is_some() {
        signals.service.clear();
    }
    let mut charts = Vec::new();
    if !signals.has_code {
        let (packaged, rest) = std::mem::take(&mut signals.service)
            .into_iter()
            .partition(|(artefact, _)| *artefact == Artefact::Chart);
        signals.service = rest;
        charts = packaged;
    }
    signals.service.sort();
    signals.service.dedup_by_key(|(artefact, _)| *artefact);
    let is_service = !signals.service.is_empty();
    let mut kinds = Vec::new();
    let mut evidence: Vec<Evidence> = below
        .services
        .iter()
        .map(|unit| Evidence {
            kind: "monorepo",
            file: unit.clone(),
            because: "a service unit below the root".into(),
        })
        .collect();
    if monorepo {
        kinds.push("monorepo");
    }
    if is_service {
        kinds.push("service");
        evidence.extend(signals.service.into_iter().map(|(_, e)| e));
    }
    let first_file = |kind: &'static str, files: &[String], because: &str| {
        files.first().map(|file| Evidence {
            kind,
            file: file.clone(),
            because: because.into(),
        })
    };
    if !is_service {
        if let Some((_, chart)) = charts.into_iter().next() {
            kinds.push("charts");
            evidence.push(Evidence {
                kind: "charts",
                because: format!("{}, and no code of its own", chart.because),
                ..chart
            });
        }
    }
    if let Some(load) = load_generator {
        kinds.push("loadtest");
        evidence.push(load);
    } else if let Some(config) = &signals.docs_site {
        kinds.push("docs");
        evidence.extend(first_file(
            "docs",
            std::slice::from_ref(config),
            "a static site generator",
        ));
    } else if !is_service && !signals.executable.is_empty() {
        kinds.push("cli");
        evidence.extend(signals.executable.into_iter().take(1));
    } else if !is_service && !signals.manifests.is_empty() {
        kinds.push("library");
        evidence.extend(first_file(
            "library",
            &signals.manifests,
            "a package manifest",
        ));
    }
    if !signals.terraform.is_empty() && signals.manifests.is_empty() {
        kinds.push("infrastructure");
        evidence.extend(first_file(
            "infrastructure",
            &signals.terraform,
            "Terraform",
        ));
    }
    if !signals.ml.is_empty() {
        kinds.push("ml");
        evidence.extend(signals.ml.into_iter().take(1));
    }
    (kinds, evidence)
}

impl Evidence {
    pub fn to_json(&self) -> Value {
        json!({"kind": self.kind, "file": self.file, "because": self.because})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::classify;
    use std::path::Path;

    /// The service evidence of a file's documents, as "artefact: because".
    fn evidence_of(relative: &str, text: &str, class: Class) -> Vec<String> {
        let (format, kind) = classify(Path::new(relative)).unwrap();
        parse::parse(text, format, kind, parse::Options::default())
            .documents
            .iter()
            .filter_map(|d| service_evidence(relative, d, class))
            .map(|(artefact, because)| format!("{artefact:?}: {because}"))
            .collect()
    }

    #[test]
    fn deployable_artefacts_are_service_evidence_and_development_ones_are_not() {
        let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n";
        let dockerfile = "FROM alpine\n";
        for (path, text, class, expected) in [
            ("Dockerfile", dockerfile, Class::Deployable, vec!["Dockerfile: a Dockerfile"]),
            ("build/api.Dockerfile", dockerfile, Class::Deployable, vec!["Dockerfile: a Dockerfile"]),
            (".devcontainer/Dockerfile", dockerfile, Class::Deployable, vec![]),
            ("Dockerfile.test", dockerfile, Class::Deployable, vec![]),
            ("dev.Dockerfile", dockerfile, Class::Deployable, vec![]),
            ("Dockerfile.cypress", dockerfile, Class::Deployable, vec![]),
            ("android.Dockerfile", dockerfile, Class::Deployable, vec![]),
            (".github/workflows/ui-tests/Dockerfile", dockerfile, Class::Deployable, vec![]),
            ("test-docker-images/ubuntu/Dockerfile", dockerfile, Class::Deployable, vec![]),
            ("docs/Dockerfile", dockerfile, Class::Deployable, vec![]),
            ("examples/web/Dockerfile", dockerfile, Class::Example, vec![]),
            ("k8s/api.yaml", deployment, Class::Deployable, vec!["Workload: Deployment api"]),
            ("test/fixtures/api.yaml", deployment, Class::Fixture, vec![]),
            ("hack/bench/api.yaml", deployment, Class::Deployable, vec![]),
            ("k8s/job.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: m}\n", Class::Deployable, vec![]),
            ("charts/api/Chart.yaml", "apiVersion: v2\nname: api\n", Class::Deployable, vec!["Chart: Helm chart api"]),
            ("charts/common/Chart.yaml", "apiVersion: v2\nname: common\ntype: library\n", Class::Deployable, vec![]),
            ("docker-compose.yml", "services:\n  db: {image: postgres}\n  web: {build: .}\n", Class::Deployable, vec!["Compose: compose service web builds its image"]),
            ("compose.yaml", "services:\n  db: {image: postgres}\n", Class::Deployable, vec![]),
            ("catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: shop}\nspec: {type: website}\n", Class::Deployable, vec!["Component: catalog Component shop of type website"]),
            ("catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: sdk}\nspec: {type: library}\n", Class::Deployable, vec![]),
        ] {
            assert_eq!(evidence_of(path, text, class), expected, "{path}");
        }
    }

    #[test]
    fn executables_are_found_by_layout_and_manifest() {
        for (path, text, expected) in [
            ("main.go", None, Some("a Go main package")),
            ("cmd/tool/main.go", None, Some("a Go main package")),
            ("internal/main.go", None, None),
            ("src/main.rs", None, Some("a Rust binary")),
            (
                "Cargo.toml",
                Some("[package]\nname = \"t\"\n\n[[bin]]\nname = \"t\"\n"),
                Some("a Cargo [[bin]] target"),
            ),
            ("Cargo.toml", Some("[package]\nname = \"t\"\n"), None),
            (
                "package.json",
                Some("{\"name\": \"t\", \"bin\": \"cli.js\"}"),
                Some("an npm bin field"),
            ),
            ("package.json", Some("{\"name\": \"t\", \"bin\": {}}"), None),
            (
                "pyproject.toml",
                Some("[project.scripts]\nt = \"t:main\"\n"),
                Some("Python project scripts"),
            ),
            (
                "pyproject.toml",
                Some("[tool.poetry.scripts]\nt = \"t:main\"\n"),
                Some("Poetry scripts"),
            ),
            (
                "setup.cfg",
                Some("[options.entry_points]\nconsole_scripts =\n    t = t:main\n"),
                Some("Python console_scripts"),
            ),
            ("setup.py", Some("setup(name='t')\n"), None),
        ] {
            assert_eq!(
                executable_evidence(path, text).as_deref(),
                expected,
                "{path}"
            );
        }
    }

    fn evidence(kind: &'static str, file: &str) -> Evidence {
        Evidence {
            kind,
            file: file.into(),
            because: "b".into(),
        }
    }

    fn kinds_of(signals: Signals, below: &Below) -> Vec<&'static str> {
        decide(signals, below).0
    }

    #[test]
    fn kinds_follow_the_evidence() {
        let nothing = Below::default();
        let dockerfile = || (Artefact::Dockerfile, evidence("service", "Dockerfile"));
        let workload = || (Artefact::Workload, evidence("service", "k8s/api.yaml"));
        let cli = || vec![evidence("cli", "cmd/t/main.go")];
        let manifests = || vec!["go.mod".to_string()];
        // A CLI with an image of its own is a service; without one, a CLI.
        let service_cli = Signals {
            service: vec![dockerfile()],
            executable: cli(),
            manifests: manifests(),
            has_code: true,
            ..Signals::default()
        };
        assert_eq!(kinds_of(service_cli, &nothing), ["service"]);
        let plain_cli = Signals {
            executable: cli(),
            manifests: manifests(),
            has_code: true,
            ..Signals::default()
        };
        assert_eq!(kinds_of(plain_cli, &nothing), ["cli"]);
        let library = Signals {
            manifests: manifests(),
            has_code: true,
            ..Signals::default()
        };
        assert_eq!(kinds_of(library, &nothing), ["library"]);
        let deployed_library = Signals {
            service: vec![workload()],
            manifests: manifests(),
            has_code: true,
            ..Signals::default()
        };
        assert_eq!(kinds_of(deployed_library, &nothing), ["service"]);
        let module = Signals {
            terraform: vec!["main.tf".into()],
            ..Signals::default()
        };
        assert_eq!(kinds_of(module, &nothing), ["infrastructure"]);
        // A chart with code of its own deploys it; without, it packages software from
        // elsewhere.
        let chart = || (Artefact::Chart, evidence("service", "chart/Chart.yaml"));
        let own_chart = Signals {
            service: vec![chart()],
            manifests: manifests(),
            has_code: true,
            ..Signals::default()
        };
        assert_eq!(kinds_of(own_chart, &nothing), ["service"]);
        let chart_repository = Signals {
            service: vec![chart()],
            ..Signals::default()
        };
        let (kinds, why) = decide(chart_repository, &nothing);
        assert_eq!(kinds, ["charts"]);
        assert_eq!(why[0].kind, "charts");
        assert_eq!(why[0].file, "chart/Chart.yaml");
        // A load generator is deployed, but drives traffic at the services: not one.
        let load_generator = Signals {
            service: vec![dockerfile(), workload()],
            manifests: vec!["pyproject.toml".into()],
            load_testing: vec![evidence("loadtest", "pyproject.toml")],
            has_code: true,
            ..Signals::default()
        };
        assert_eq!(kinds_of(load_generator, &nothing), ["loadtest"]);
        // A documentation site's image serves a preview.
        let site = Signals {
            service: vec![dockerfile()],
            manifests: vec!["package.json".into()],
            docs_site: Some("hugo.toml".into()),
            ..Signals::default()
        };
        assert_eq!(kinds_of(site, &nothing), ["docs"]);
    }

    #[test]
    fn a_root_above_service_units_is_a_monorepo() {
        let root = || Signals {
            service: vec![
                (Artefact::Dockerfile, evidence("service", "Dockerfile")),
                (Artefact::Workload, evidence("service", "k8s/web.yaml")),
            ],
            ..Signals::default()
        };
        let services = Below {
            units: true,
            services: vec!["services/api".into()],
        };
        let (kinds, found) = decide(root(), &services);
        assert_eq!(kinds, ["monorepo"]);
        assert_eq!(
            found,
            [evidence("monorepo", "services/api")].map(|mut e| {
                e.because = "a service unit below the root".into();
                e
            })
        );
        // Units below, none a service, and no code here: the root's image builds one of
        // them, its Deployment is still its own.
        let libraries = Below {
            units: true,
            services: Vec::new(),
        };
        let (kinds, found) = decide(root(), &libraries);
        assert_eq!(kinds, ["monorepo", "service"]);
        assert_eq!(found, [evidence("service", "k8s/web.yaml")]);
        // With code of its own, the root is its own service.
        let with_code = Signals {
            has_code: true,
            ..root()
        };
        assert_eq!(kinds_of(with_code, &libraries), ["service"]);
    }
}
