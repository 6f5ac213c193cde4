//! CI configurations and the commands they run, so a rule can ask "does CI run the tests?"
//! the same way for every provider.

use serde_json::Value;

use crate::parse::{self, Format, Kind};

/// The CI provider a file configures, by its path relative to the repository.
pub fn provider(relative: &str) -> Option<&'static str> {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    if relative.starts_with(".github/workflows/") && yaml {
        Some("github-actions")
    } else if name == ".gitlab-ci.yml" || name == ".gitlab-ci.yaml" {
        Some("gitlab-ci")
    } else if name == "Jenkinsfile" {
        Some("jenkins")
    } else if relative == ".circleci/config.yml" || relative == ".circleci/config.yaml" {
        Some("circleci")
    } else if name == "azure-pipelines.yml" || name == "azure-pipelines.yaml" {
        Some("azure-pipelines")
    } else if name == "cloudbuild.yaml"
        || name == "cloudbuild.yml"
        || (yaml && relative.contains("cloudbuild/"))
    {
        Some("cloud-build")
    } else if yaml && is_prow(relative, name) {
        Some("prow")
    } else {
        None
    }
}

/// Prow's in-repository jobs (`.prow.yaml`, `.prow/*.yaml`) and a job configuration
/// directory at the root (`prow/jobs/...`).
fn is_prow(relative: &str, name: &str) -> bool {
    name.starts_with(".prow.") || relative.starts_with(".prow/") || relative.starts_with("prow/")
}

/// Keys whose string values are shell commands, in every provider's YAML.
const COMMAND_KEYS: [&str; 9] = [
    "run",
    "script",
    "before_script",
    "after_script",
    "command",
    "bash",
    "pwsh",
    "powershell",
    "sh",
];

/// The commands a CI file runs: YAML providers through their command keys, Jenkins through
/// `sh`/`bat` steps.
pub fn commands(provider: &str, text: &str) -> Vec<String> {
    if provider == "jenkins" {
        return jenkins(text);
    }
    let parsed = parse::parse(text, Format::Yaml, Kind::Yaml, parse::Options::default());
    let mut found = Vec::new();
    for document in &parsed.documents {
        collect(&document.value, false, &mut found);
    }
    found
}

fn collect(value: &Value, command: bool, found: &mut Vec<String>) {
    match value {
        Value::String(s) if command => found.extend(
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string),
        ),
        Value::Array(items) => items.iter().for_each(|v| collect(v, command, found)),
        Value::Object(map) => {
            found.extend(argv(map));
            for (key, v) in map {
                collect(v, command || COMMAND_KEYS.contains(&key.as_str()), found);
            }
        }
        _ => {}
    }
}

/// Cloud Build steps and Prow's (Kubernetes) containers give a command as an argument
/// list: `entrypoint` or `command`, else the builder image named by `name` (whose
/// entrypoint is its tool, as in `gcr.io/cloud-builders/go`), then `args`, as one line.
fn argv(map: &serde_json::Map<String, Value>) -> Option<String> {
    let args = map.get("args")?.as_array()?;
    let head = match map.get("entrypoint").or_else(|| map.get("command")) {
        Some(Value::String(program)) => vec![program.as_str()],
        Some(Value::Array(words)) => words.iter().filter_map(Value::as_str).collect(),
        _ => {
            let image = map.get("name")?.as_str()?;
            let base = image.rsplit('/').next().unwrap_or(image);
            vec![base.split([':', '@']).next().unwrap_or(base)]
        }
    };
    let line: Vec<&str> = head
        .into_iter()
        .chain(args.iter().filter_map(Value::as_str))
        .collect();
    Some(line.join(" "))
}

/// `sh 'make test'`, `sh "..."`, `sh """..."""` and `bat` steps of a Jenkinsfile.
fn jenkins(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        for step in ["sh ", "bat ", "sh(", "bat("] {
            if let Some(rest) = line.strip_prefix(step) {
                let command = rest.trim_start_matches('(').trim_end_matches(')').trim();
                let command = command.trim_matches(|c| c == '\'' || c == '"').trim();
                if !command.is_empty() {
                    found.push(command.to_string());
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_by_path() {
        assert_eq!(provider(".github/workflows/ci.yml"), Some("github-actions"));
        assert_eq!(provider(".gitlab-ci.yml"), Some("gitlab-ci"));
        assert_eq!(provider("Jenkinsfile"), Some("jenkins"));
        assert_eq!(provider(".circleci/config.yml"), Some("circleci"));
        assert_eq!(provider("azure-pipelines.yml"), Some("azure-pipelines"));
        assert_eq!(provider("cloudbuild.yaml"), Some("cloud-build"));
        assert_eq!(provider("deploy/cloudbuild.yml"), Some("cloud-build"));
        assert_eq!(
            provider(".github/cloudbuild/ci-pr.yaml"),
            Some("cloud-build")
        );
        assert_eq!(provider(".prow.yaml"), Some("prow"));
        assert_eq!(provider(".prow/unit.yaml"), Some("prow"));
        assert_eq!(provider("prow/jobs/app/app-presubmits.yaml"), Some("prow"));
        assert_eq!(provider("docs/prow/notes.md"), None);
        assert_eq!(provider("ci.yml"), None);
    }

    #[test]
    fn commands_of_each_provider() {
        let github = "jobs:\n  test:\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          pip install -r requirements.txt\n          pytest -q\n";
        assert_eq!(
            commands("github-actions", github),
            ["pip install -r requirements.txt", "pytest -q"]
        );
        let gitlab =
            "stages: [test]\ntest:\n  before_script: [npm ci]\n  script:\n    - npm test\n";
        assert_eq!(commands("gitlab-ci", gitlab), ["npm ci", "npm test"]);
        let circle = "jobs:\n  build:\n    steps:\n      - checkout\n      - run:\n          command: go test ./...\n";
        assert_eq!(commands("circleci", circle), ["go test ./..."]);
        let jenkins = "pipeline {\n  stages {\n    stage('test') {\n      steps {\n        sh 'mvn -B verify'\n      }\n    }\n  }\n}\n";
        assert_eq!(commands("jenkins", jenkins), ["mvn -B verify"]);
    }

    #[test]
    fn argument_lists_are_one_command() {
        let cloud_build = "steps:\n  - name: gcr.io/cloud-builders/go:1.22\n    args: [test, ./...]\n  - name: golang\n    entrypoint: bash\n    args: [-c, make test]\n  - name: gcr.io/cloud-builders/docker\n    args: [build, -t, app, .]\n";
        assert_eq!(
            commands("cloud-build", cloud_build),
            [
                "go test ./...",
                "bash -c make test",
                "docker build -t app ."
            ]
        );
        let prow = "presubmits:\n  - name: unit\n    spec:\n      containers:\n        - image: golang:1.22\n          command: [go]\n          args: [test, ./...]\n";
        assert_eq!(commands("prow", prow), ["go test ./...", "go"]);
    }
}
