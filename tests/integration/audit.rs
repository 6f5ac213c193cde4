//! `paved audit` over a small organisation of real git repositories: levels, per-rule
//! results, owners, units, shards, `--resume`, the line schema, required rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::{git, root, run_in};

const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example.com/api:1.2\n";

/// Makes `dir` a git repository of `files`, committed.
fn repository(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    git(dir, &["init", "--quiet", "--initial-branch=main"]);
    git(dir, &["add", "--all"]);
    git(dir, &["commit", "--quiet", "--message", "start"]);
}

/// The organisation: one repository per level, a monorepo, a broken file, an opt-out the
/// organisation overrules, and an upstream (outside the root) to clone by URL.
struct Org {
    _dir: tempfile::TempDir,
    base: PathBuf,
}

impl Org {
    fn new() -> Org {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().to_path_buf();
        let org = base.join("org");
        let owners = ("CODEOWNERS", "* @org/team\n");
        repository(&org.join("bare"), &[("notes.txt", "nothing yet\n")]);
        repository(&org.join("bronze"), &[("README.md", "# bronze\n")]);
        let latest = DEPLOYMENT.replace("api:1.2", "api:latest");
        repository(
            &org.join("teams/silver"),
            &[
                ("README.md", "# silver\n"),
                (".github/CODEOWNERS", "* @org/silver\n"),
                ("k8s/api.yaml", &latest),
            ],
        );
        repository(
            &org.join("gold"),
            &[
                ("README.md", "# gold\n"),
                owners,
                ("catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: gold\nspec:\n  type: service\n  owner: group:gold\n"),
            ],
        );
        repository(
            &org.join("monorepo"),
            &[
                ("README.md", "# mono\n"),
                ("CODEOWNERS", "* @org/platform\n/services/api/ @org/api\n"),
                ("services/api/README.md", "# api\n"),
                ("services/api/package.json", "{\"name\": \"api\"}\n"),
                ("services/api/Dockerfile", "FROM node:22\n"),
                ("services/web/package.json", "{\"name\": \"web\"}\n"),
                ("services/web/Dockerfile", "FROM node:22\n"),
                (
                    "services/web/k8s/web.yaml",
                    &latest.replace("name: api", "name: web"),
                ),
            ],
        );
        repository(
            &org.join("broken"),
            &[
                ("README.md", "# broken\n"),
                owners,
                (
                    "k8s/bad.yaml",
                    "apiVersion: v1\nkind: ConfigMap\ndata: [unclosed\n",
                ),
            ],
        );
        repository(
            &org.join("optout"),
            &[
                ("README.md", "# opt-out\n"),
                ("k8s/api.yaml", DEPLOYMENT),
                (
                    "paved.toml",
                    "[rules]\nignore = [\"org/codeowners\", \"org/replicas\"]\n",
                ),
            ],
        );
        // Not a repository: a directory with an ordinary folder is searched, not audited.
        std::fs::create_dir_all(org.join("archive/empty")).unwrap();
        repository(
            &base.join("upstream"),
            &[
                ("README.md", "# upstream\n"),
                owners,
                ("k8s/api.yaml", DEPLOYMENT),
            ],
        );
        std::fs::write(
            base.join("repos.txt"),
            format!("# cloned\nfile://{}\n", base.join("upstream").display()),
        )
        .unwrap();
        Org { _dir: dir, base }
    }

    fn config(&self) -> String {
        root()
            .join("tests/data/audit/org.toml")
            .display()
            .to_string()
    }

    /// `paved audit` over the root and the list, with the organisation's config.
    fn audit(&self, extra: &[&str]) -> (i32, String, String) {
        let config = self.config();
        let mut args = vec![
            "audit",
            "org",
            "--repos",
            "repos.txt",
            "--clone-dir",
            "clones",
            "--config",
            &config,
        ];
        args.extend_from_slice(extra);
        run_in(&self.base, &args)
    }
}

fn lines(stdout: &str) -> BTreeMap<String, Value> {
    stdout
        .lines()
        .map(|l| {
            let line: Value = serde_json::from_str(l).expect("a JSON line");
            (line["repository"].as_str().unwrap().to_string(), line)
        })
        .collect()
}

/// A line without what changes from run to run.
fn timeless(mut line: Value) -> Value {
    let object = line.as_object_mut().unwrap();
    object.remove("started");
    object.remove("duration_ms");
    line
}

fn passes(line: &Value) -> BTreeMap<String, bool> {
    line["rules"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(id, _)| id.starts_with("org/") || *id == "parse-error")
        .map(|(id, rule)| (id.clone(), rule["pass"].as_bool().unwrap()))
        .collect()
}

#[test]
fn an_organisation_is_scored_repository_by_repository() {
    let org = Org::new();
    let (code, stdout, stderr) = org.audit(&["--quiet"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "");
    let lines = lines(&stdout);
    let url = format!("file://{}", org.base.join("upstream").display());
    let ids: Vec<&str> = lines.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        [
            "bare",
            "broken",
            "bronze",
            url.as_str(),
            "gold",
            "monorepo",
            "optout",
            "teams/silver"
        ]
    );
    let level = |id: &str| lines[id]["level"].clone();
    let next = |id: &str| lines[id]["next"].clone();
    assert_eq!(level("bare"), Value::Null);
    assert_eq!(
        next("bare"),
        json!({"level": "bronze", "blocking": ["org/readme"]})
    );
    assert_eq!(level("bronze"), json!("bronze"));
    assert_eq!(
        next("bronze"),
        json!({"level": "silver", "blocking": ["org/codeowners"]})
    );
    assert_eq!(level("teams/silver"), json!("silver"));
    assert_eq!(
        next("teams/silver"),
        json!({"level": "gold", "blocking": ["org/no-latest"]})
    );
    assert_eq!(level("gold"), json!("gold"));
    assert_eq!(next("gold"), Value::Null);
    assert_eq!(level(&url), json!("gold"));

    // Owners: the CODEOWNERS default owner, in the file GitHub reads.
    let owner = |id: &str| lines[id]["owner"].clone();
    assert_eq!(owner("teams/silver"), json!("@org/silver"));
    assert_eq!(owner("gold"), json!("@org/team"));
    assert_eq!(owner("bare"), Value::Null);

    // Per-rule results, with the unlevelled warning counted but passing.
    let silver = &lines["teams/silver"];
    assert_eq!(
        passes(silver),
        BTreeMap::from([
            ("org/codeowners".to_string(), true),
            ("org/no-latest".to_string(), false),
            ("org/readme".to_string(), true),
            ("org/replicas".to_string(), true),
            ("parse-error".to_string(), true),
        ])
    );
    assert_eq!(
        silver["rules"]["org/replicas"],
        json!({"level": null, "severity": "warning", "findings": 1, "pass": true})
    );
    assert_eq!(
        silver["counts"],
        json!({"error": 1, "warning": 1, "info": 0})
    );
    // Findings in file order: the replica count (line 6) before the image (line 11).
    assert_eq!(
        silver["findings"][1],
        json!({"rule": "org/no-latest", "severity": "error", "file": "k8s/api.yaml",
               "line": 11, "column": 11, "message": "container \"api\" runs :latest",
               "fingerprint": silver["findings"][1]["fingerprint"], "unit": "."})
    );
    assert_eq!(silver["findings"][0]["rule"], "org/replicas");
    assert_eq!(silver["findings"][0]["line"], 6);
    assert_eq!(silver["source"], "path");
    assert_eq!(silver["branch"], "main");
    assert_eq!(silver["files"], 1);
    assert_eq!(silver["units"], json!([]));
    assert_eq!(silver["error"], Value::Null);

    // A broken YAML file is a parse-error finding, and the repository is still scored.
    let broken = &lines["broken"];
    assert_eq!(broken["rules"]["parse-error"]["pass"], false);
    assert_eq!(broken["findings"][0]["rule"], "parse-error");
    assert_eq!(broken["findings"][0]["file"], "k8s/bad.yaml");
    assert_eq!(broken["level"], "gold");

    // The clone: its URL is its name, its checkout is in the clone directory.
    let cloned = &lines[&url];
    assert_eq!(cloned["source"], "url");
    assert!(cloned["path"]
        .as_str()
        .unwrap()
        .starts_with(&org.base.join("clones/upstream-").display().to_string()));
    assert_eq!(cloned["commit"].as_str().unwrap().len(), 40);
}

#[test]
fn a_monorepo_is_scored_service_by_service() {
    let org = Org::new();
    let (code, stdout, stderr) = org.audit(&["--quiet"]);
    assert_eq!(code, 0, "{stderr}");
    let mono = &lines(&stdout)["monorepo"];
    assert_eq!(mono["owner"], "@org/platform");
    let units: Vec<Value> = mono["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| json!([u["root"], u["kind"], u["owner"], u["level"], u["next"]]))
        .collect();
    assert_eq!(
        units,
        [
            json!(["services/api", ["service"], "@org/api", "gold", null]),
            json!(["services/web", ["service"], "@org/platform", null,
                   {"level": "bronze", "blocking": ["org/readme"]}]),
        ]
    );
    // The web service's missing README and its :latest image are its own; the repository
    // as a whole carries them too.
    let web: Vec<(&str, &str)> = mono["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["unit"].as_str().unwrap()))
        .collect();
    assert_eq!(
        web,
        [
            ("org/replicas", "services/web"),
            ("org/no-latest", "services/web"),
            ("org/readme", "services/web")
        ]
    );
    assert_eq!(mono["level"], Value::Null);
    assert_eq!(mono["units"][1]["rules"]["org/readme"]["findings"], 1);
    assert_eq!(mono["units"][0]["rules"]["org/readme"]["findings"], 0);
}

#[test]
fn required_rules_defeat_a_repository_opt_out() {
    let org = Org::new();
    let (_, stdout, _) = org.audit(&["--quiet"]);
    let optout = &lines(&stdout)["optout"];
    // org/codeowners is required: ignored in paved.toml, it still runs and blocks silver.
    assert_eq!(optout["rules"]["org/codeowners"]["pass"], false);
    assert_eq!(optout["level"], "bronze");
    assert_eq!(optout["next"]["blocking"], json!(["org/codeowners"]));
    // org/replicas is not: the repository's ignore holds, and the rule did not run.
    assert_eq!(optout["rules"].get("org/replicas"), None);
    // Without the organisation's config the repository's own ignore holds for both.
    let (_, stdout, _) = run_in(&org.base, &["audit", "org", "--quiet"]);
    let alone = &lines(&stdout)["optout"];
    assert_eq!(alone["rules"].get("org/codeowners"), None);
}

#[test]
fn a_required_rule_cannot_be_ignored_inline() {
    let dir = tempfile::tempdir().unwrap();
    repository(
        &dir.path().join("org/inline"),
        &[
            ("README.md", "# inline\n"),
            ("CODEOWNERS", "* @org/a\n"),
            (
                "k8s/api.yaml",
                &DEPLOYMENT
                    .replace(
                        "replicas: 1",
                        "replicas: 1 # paved:ignore org/replicas -- testing",
                    )
                    .replace(
                        "api:1.2",
                        "api:latest # paved:ignore org/no-latest -- testing",
                    ),
            ),
        ],
    );
    let config = root().join("tests/data/audit/required-no-latest.toml");
    let config = config.to_str().unwrap();
    let (code, stdout, stderr) = run_in(dir.path(), &["audit", "org", "-c", config, "-q"]);
    assert_eq!(code, 0, "{stderr}");
    let line = &lines(&stdout)["inline"];
    let rules: Vec<(&str, &str)> = line["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    // The required rule's finding stays, and the ignore is itself reported; the other
    // rule's ignore holds.
    assert_eq!(
        rules,
        [
            ("org/no-latest", "error"),
            ("paved/forbidden-suppression", "error")
        ]
    );
    assert_eq!(line["rules"]["org/no-latest"]["pass"], false);
    assert_eq!(line["level"], "silver");
}

#[test]
fn two_shards_make_the_whole_run() {
    let org = Org::new();
    let (_, whole, _) = org.audit(&["-q"]);
    let timeless_set = |stdout: &str| -> BTreeSet<String> {
        lines(stdout)
            .into_values()
            .map(|l| timeless(l).to_string())
            .collect()
    };
    let (code, first, stderr) = org.audit(&["-q", "--shard", "0/2"]);
    assert_eq!(code, 0, "{stderr}");
    let (_, second, _) = org.audit(&["-q", "--shard", "1/2"]);
    let (first, second) = (timeless_set(&first), timeless_set(&second));
    assert!(!first.is_empty() && !second.is_empty());
    assert!(first.is_disjoint(&second));
    let union: BTreeSet<String> = first.union(&second).cloned().collect();
    assert_eq!(union, timeless_set(&whole));
    // The report merges the shards' outputs into what the whole run reports.
    org.audit(&["-q", "--shard", "0/2", "--output", "shard-0.jsonl"]);
    org.audit(&["-q", "--shard", "1/2", "--output", "shard-1.jsonl"]);
    org.audit(&["-q", "--output", "whole.jsonl"]);
    let report = |files: &[&str]| {
        let mut args = vec!["audit", "report", "-f", "csv"];
        args.extend_from_slice(files);
        let (code, stdout, stderr) = run_in(&org.base, &args);
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    assert_eq!(
        report(&["shard-0.jsonl", "shard-1.jsonl"]),
        report(&["whole.jsonl"])
    );
    // The Indexed Job form: the index from the environment.
    let output = crate::common::paved()
        .current_dir(&org.base)
        .env("JOB_COMPLETION_INDEX", "1")
        .args([
            "audit",
            "org",
            "-q",
            "--shard-count",
            "2",
            "--config",
            &org.config(),
        ])
        .args(["--repos", "repos.txt", "--clone-dir", "clones"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(timeless_set(&stdout), second);
    let (code, _, stderr) = org.audit(&["--shard", "2/2"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("shard 2 does not exist"), "{stderr}");
}

#[test]
fn resume_skips_what_is_done_and_keeps_it() {
    let org = Org::new();
    let (_, whole, _) = org.audit(&["-q"]);
    // A killed run: two lines done, the third cut short.
    let kept: Vec<&str> = whole.lines().take(2).collect();
    let partial = format!(
        "{}\n{}\n{}",
        kept[0],
        kept[1],
        &whole.lines().nth(2).unwrap()[..20]
    );
    let output = org.base.join("audit.jsonl");
    std::fs::write(&output, &partial).unwrap();
    let (code, stdout, stderr) = org.audit(&["-q", "--output", "audit.jsonl", "--resume"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    let text = std::fs::read_to_string(&output).unwrap();
    assert!(text.starts_with(&format!("{}\n{}\n", kept[0], kept[1])));
    let resumed: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: BTreeSet<&str> = resumed
        .iter()
        .map(|l| l["repository"].as_str().unwrap())
        .collect();
    assert_eq!(resumed.len(), 8);
    assert_eq!(ids.len(), 8);
    // Nothing left to do: the file stays as it is.
    org.audit(&["-q", "--output", "audit.jsonl", "--resume"]);
    assert_eq!(std::fs::read_to_string(&output).unwrap(), text);
}

#[test]
fn every_line_follows_the_published_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/audit-line.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let org = Org::new();
    // The unreachable URL gives an error line, which must follow the schema too.
    std::fs::write(
        org.base.join("repos.txt"),
        format!(
            "file://{}\nfile://{}\n",
            org.base.join("upstream").display(),
            org.base.join("nowhere").display()
        ),
    )
    .unwrap();
    let (code, stdout, _) = org.audit(&["-q"]);
    assert_eq!(
        code, 2,
        "a repository that cannot be cloned is a tool error"
    );
    let lines = lines(&stdout);
    assert_eq!(lines.len(), 9);
    for (id, line) in &lines {
        let errors: Vec<String> = validator.iter_errors(line).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{id}: {errors:?}");
    }
    let nowhere = &lines[&format!("file://{}", org.base.join("nowhere").display())];
    assert!(
        nowhere["error"]
            .as_str()
            .unwrap()
            .starts_with("clone failed: "),
        "{nowhere}"
    );
    assert_eq!(nowhere["level"], Value::Null);
}

#[test]
fn clones_are_fetched_again_on_the_next_run() {
    let org = Org::new();
    let url = format!("file://{}", org.base.join("upstream").display());
    let (_, first, _) = org.audit(&["-q"]);
    let before = lines(&first)[&url]["commit"].clone();
    std::fs::write(org.base.join("upstream/CHANGELOG.md"), "# 1.1\n").unwrap();
    git(&org.base.join("upstream"), &["add", "--all"]);
    git(
        &org.base.join("upstream"),
        &["commit", "--quiet", "-m", "next"],
    );
    let (code, second, stderr) = org.audit(&["-q"]);
    assert_eq!(code, 0, "{stderr}");
    let after = &lines(&second)[&url];
    assert_ne!(after["commit"], before);
    assert_eq!(after["path"], lines(&first)[&url]["path"]);
    assert_eq!(after["error"], Value::Null);
}

#[test]
fn an_unreadable_directory_is_a_line_not_a_silence() {
    let org = Org::new();
    let locked = org.base.join("org/locked");
    repository(&locked.join("inner"), &[("README.md", "# hidden\n")]);
    let mode = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(mode)).unwrap()
    };
    mode(&locked, 0o000);
    let config = org.config();
    let mut args = vec!["audit", "org", "-q", "--config", &config];
    // Permissions do not stop root: as root, the audit runs as `nobody` (setpriv), for whom
    // the directory is unreadable, with the rest of the organisation readable.
    let (code, stdout, stderr) = if std::fs::read_dir(&locked).is_ok() {
        mode(&org.base, 0o755);
        let home = org.base.join("home");
        std::fs::create_dir_all(&home).unwrap();
        // git refuses repositories another user owns unless told they are safe.
        std::fs::write(home.join(".gitconfig"), "[safe]\n\tdirectory = *\n").unwrap();
        // The checkout may be in a home `nobody` cannot enter: the binary and the
        // organisation's settings are copied beside the organisation.
        let paved = org.base.join("paved");
        std::fs::copy(env!("CARGO_BIN_EXE_paved"), &paved).unwrap();
        let settings = org.base.join("settings");
        let data = root().join("tests/data/audit");
        let policies = std::fs::read_dir(data.join("policies")).unwrap();
        let files = policies
            .map(|e| e.unwrap().path())
            .chain([data.join("org.toml")]);
        for file in files {
            let to = settings.join(file.strip_prefix(&data).unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&file, to).unwrap();
        }
        args[4] = "settings/org.toml";
        let output = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(&paved)
            .args(&args)
            .current_dir(&org.base)
            .env("HOME", &home)
            .env("NO_COLOR", "1")
            .output()
            .expect("setpriv (util-linux) runs paved as nobody");
        (
            output.status.code().unwrap(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    } else {
        run_in(&org.base, &args)
    };
    mode(&locked, 0o755);
    let lines = lines(&stdout);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        lines["locked"]["error"],
        "cannot list this directory: Permission denied (os error 13)"
    );
    // Every other repository was audited.
    assert_eq!(lines["bronze"]["level"], "bronze", "{stderr}");
}

#[test]
fn progress_is_plain_lines_off_a_terminal() {
    let org = Org::new();
    let (code, stdout, stderr) = org.audit(&["--fail-level", "error"]);
    // Findings fail the audit only with --fail-level.
    assert_eq!(code, 1);
    assert_eq!(lines(&stdout).len(), 8);
    let last = stderr.lines().last().unwrap();
    assert!(last.starts_with("audited 8/8 repositories, "), "{stderr}");
    let (code, _, stderr) = run_in(&org.base, &["audit"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: nothing to audit: give ROOT directories or --repos FILE\n"
    );
}

#[test]
fn a_root_without_repositories_is_an_error_not_a_clean_audit() {
    let base = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(base.path().join("exported/api")).unwrap();
    std::fs::write(base.path().join("exported/api/deploy.yaml"), DEPLOYMENT).unwrap();
    let (code, stdout, stderr) = run_in(base.path(), &["audit", "exported"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: found no repository to audit: no directory under exported holds a .git (lint a \
         directory that is not a git repository with `paved lint`)\n"
    );
}

#[test]
fn the_history_says_what_a_committed_fix_changed() {
    let org = Org::new();
    let history = org.base.join("history.db");
    let history = history.to_str().unwrap();
    let report = |results: &str| -> Value {
        let (code, stdout, stderr) = run_in(
            &org.base,
            &[
                "audit",
                "report",
                results,
                "--history",
                history,
                "-f",
                "json",
            ],
        );
        assert_eq!(code, 0, "{stderr}");
        serde_json::from_str(&stdout).unwrap()
    };
    let (_, _, stderr) = org.audit(&["-q", "--output", "before.jsonl"]);
    assert!(stderr.is_empty(), "{stderr}");
    report("before.jsonl");
    // The silver team pins its image and commits the fix; the next audit sees it.
    let silver = org.base.join("org/teams/silver");
    std::fs::write(silver.join("k8s/api.yaml"), DEPLOYMENT).unwrap();
    git(
        &silver,
        &["commit", "--quiet", "--all", "--message", "pin the image"],
    );
    org.audit(&["-q", "--output", "after.jsonl"]);
    let summary = report("after.jsonl");
    let silver = summary["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["repository"] == "teams/silver")
        .expect("teams/silver is in the report");
    let fixed: Vec<&Value> = silver["changes"]["fixed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["rule"])
        .collect();
    assert_eq!(fixed, [&json!("org/no-latest")]);
    assert_eq!(silver["changes"]["new"], json!([]));
    let levels: Vec<&Value> = summary["history"]["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| &run["levels"])
        .collect();
    assert_eq!(levels.len(), 2, "{levels:?}");
    assert_ne!(levels[0], levels[1]);
}
