//! `paved test`, the conftest front door: each convention of docs/conftest.md.

use serde_json::{json, Value};

use crate::common::{paved, run, run_in, tree};

const POLICY: &str = "fixtures/conftest/policy";
const DEPLOYMENTS: &str = "fixtures/conftest/inputs/deployments.yaml";

fn test(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["test", "--no-color", "-p", POLICY];
    all.extend(args);
    run(&all)
}

#[test]
fn rule_forms_results_exceptions_and_counting() {
    let (code, stdout, stderr) = test(&[DEPLOYMENTS, "-d", "fixtures/conftest/data"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    let f = DEPLOYMENTS;
    assert_eq!(
        stdout,
        format!(
            "WARN - {f} - main - web uses latest\n\
             WARN - {f} - main - {f}: docker.io/legacy:1.0 is not from registry.example.com/\n\
             FAIL - {f} - main - web must not run as root\n\
             FAIL - {f} - main - missing label team\n\
             FAIL - {f} - main - missing label tier\n\
             FAIL - {f} - main - fewer than 2 replicas\n\
             EXCP - {f} - main - data.main.exception[_][_] == \"labels\"\n\
             \n\
             13 tests, 6 passed, 2 warnings, 4 failures, 1 exception\n"
        )
    );
    let (_, quiet_exceptions, _) = test(&[
        DEPLOYMENTS,
        "-d",
        "fixtures/conftest/data",
        "--suppress-exceptions",
    ]);
    assert!(!quiet_exceptions.contains("EXCP"));
    assert!(
        quiet_exceptions.ends_with("13 tests, 6 passed, 2 warnings, 4 failures, 1 exception\n"),
        "still counted"
    );
}

#[test]
fn a_missing_policy_directory_is_named_with_how_to_give_one() {
    let dir = tree(&[("deploy.yaml", b"kind: Deployment\n")]);
    // conftest's default directory, `policy`, is not there.
    let (code, stdout, stderr) = run_in(dir.path(), &["test", "deploy.yaml"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: policy: no such policy file or directory (give the one holding your .rego files with -p)\n"
    );
}

#[test]
fn passes_are_topped_up_to_the_number_of_rule_bodies() {
    let policies = tree(&[(
        "p.rego",
        b"package main\n\nimport rego.v1\n\ndeny contains \"a\" if input.a\n\ndeny contains \"b\" if input.b\n\ndeny contains \"c\" if input.c\n\nwarn contains \"w\" if input.w\n",
    )]);
    let inputs = tree(&[("one.json", b"{\"a\": true}"), ("none.json", b"{}")]);
    let dir = policies.path().to_str().unwrap();
    let one = inputs.path().join("one.json");
    let none = inputs.path().join("none.json");
    let (_, stdout, _) = run(&["test", "--no-color", "-p", dir, one.to_str().unwrap()]);
    assert!(
        stdout.ends_with("4 tests, 3 passed, 0 warnings, 1 failure, 0 exceptions\n"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&["test", "--no-color", "-p", dir, none.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        stdout.ends_with("4 tests, 4 passed, 0 warnings, 0 failures, 0 exceptions\n"),
        "{stdout}"
    );
    // The singular forms.
    let single = tree(&[(
        "p.rego",
        b"package main\n\nimport rego.v1\n\nwarn contains \"w\" if true\n",
    )]);
    let (_, stdout, _) = run(&[
        "test",
        "--no-color",
        "-p",
        single.path().to_str().unwrap(),
        one.to_str().unwrap(),
    ]);
    assert!(
        stdout.ends_with("1 test, 0 passed, 1 warning, 0 failures, 0 exceptions\n"),
        "{stdout}"
    );
}

#[test]
fn a_result_without_msg_is_an_error_and_exits_one() {
    let (code, _, stderr) = test(&[DEPLOYMENTS, "-n", "broken"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("\"msg\" field must be present and a string"),
        "{stderr}"
    );
}

#[test]
fn namespaces_globs_and_all_namespaces() {
    let (_, stdout, _) = test(&[DEPLOYMENTS, "-n", "kubernetes.security"]);
    assert!(
        stdout.starts_with(&format!(
            "FAIL - {DEPLOYMENTS} - kubernetes.security - host network\n"
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("2 tests, 1 passed, 0 warnings, 1 failure, 0 exceptions\n"),
        "{stdout}"
    );
    let (_, glob, _) = test(&[DEPLOYMENTS, "-n", "kube*"]);
    assert_eq!(glob, stdout, "`*` matches across dots");
    let (code, all, stderr) = test(&[DEPLOYMENTS, "--all-namespaces"]);
    assert_eq!(code, 1);
    assert!(
        all.contains("- kubernetes.security - host network")
            && all.contains("- main - web must not run as root")
    );
    assert!(
        stderr.contains("broken/deny"),
        "the broken package is queried too: {stderr}"
    );
}

#[test]
fn top_level_arrays_are_evaluated_element_by_element_and_rego_v0() {
    let (code, stdout, _) = run(&[
        "test",
        "--no-color",
        "-p",
        "fixtures/conftest/policy-v0",
        "--rego-version",
        "v0",
        "fixtures/conftest/inputs/list.json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "FAIL - fixtures/conftest/inputs/list.json - main - NodePort is not allowed\n\n2 tests, 1 passed, 0 warnings, 1 failure, 0 exceptions\n"
    );
}

#[test]
fn combine_evaluates_all_files_at_once() {
    let policies = tree(&[(
        "p.rego",
        b"package main\n\nimport rego.v1\n\ndeny contains msg if {\n  kinds := {d.contents.kind | some d in input}\n  count(input) > 2\n  msg := sprintf(\"%d documents, kinds %v, first %s\", [count(input), sort(kinds), input[0].path])\n}\n",
    )]);
    let (code, stdout, _) = run(&[
        "test",
        "--no-color",
        "--combine",
        "-p",
        policies.path().to_str().unwrap(),
        "fixtures/conftest/inputs/list.json",
        DEPLOYMENTS,
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "FAIL - Combined - main - 3 documents, kinds [\"Deployment\"], first fixtures/conftest/inputs/deployments.yaml\n\n1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions\n"
    );
}

#[test]
fn standard_input_with_a_parser_and_yaml_1_1() {
    let mut child = paved()
        .args(["test", "--no-color", "-p", POLICY, "-", "--parser", "json"])
        .write_stdin("{\"kind\": \"Deployment\", \"metadata\": {\"name\": \"s\", \"labels\": {\"team\": \"a\", \"tier\": \"b\"}}, \"spec\": {\"replicas\": 3, \"template\": {\"spec\": {\"securityContext\": {\"runAsNonRoot\": true}}}}}")
        .output()
        .unwrap();
    assert_eq!(child.status.code(), Some(0));
    let stdout = String::from_utf8(std::mem::take(&mut child.stdout)).unwrap();
    assert!(
        stdout.ends_with("6 tests, 6 passed, 0 warnings, 0 failures, 0 exceptions\n"),
        "{stdout}"
    );
    // YAML is read as YAML 1.1: a workflow's `on` key is `true`.
    let (_, parsed, _) = run(&[
        "parse",
        "--parser",
        "yaml",
        "fixtures/conftest/inputs/workflow.yaml",
    ]);
    let parsed: Vec<Value> = serde_json::from_str(&parsed).unwrap();
    assert_eq!(parsed[0]["input"], json!({"true": "push", "jobs": {}}));
}

#[test]
fn every_parser() {
    let parse = |file: &str| -> Value {
        let (code, stdout, stderr) = run(&["parse", &format!("fixtures/conftest/inputs/{file}")]);
        assert_eq!(code, 0, "{stderr}");
        serde_json::from_str::<Vec<Value>>(&stdout).unwrap()[0]["input"].clone()
    };
    assert_eq!(
        parse("app.ini"),
        json!({"server": {"port": 8080.0, "debug": true}})
    );
    assert_eq!(
        parse(".env"),
        json!({"DATABASE_URL": "postgres://localhost/app", "DEBUG": "true"})
    );
    assert_eq!(
        parse("app.properties"),
        json!({"server.port": "8080", "feature.flag": "on"})
    );
    assert_eq!(
        parse("pom.xml"),
        json!({"project": {"modelVersion": "4.0.0", "dependencies": {"dependency": [{"artifactId": "a"}, {"artifactId": "b"}]}}})
    );
    assert_eq!(
        parse(".dockerignore")[1],
        json!({"Kind": "Path", "Value": ".env", "Original": ".env"})
    );
    assert_eq!(
        parse("Dockerfile")[1],
        json!({"Cmd": "user", "SubCmd": "", "Flags": [], "Value": ["root"], "JSON": false, "Original": "USER root", "Stage": 0})
    );
    assert_eq!(
        parse("main.tf"),
        json!({"resource": {"aws_s3_bucket": {"b": [{"bucket": "b"}]}}})
    );
    assert_eq!(parse("config.toml"), json!({"server": {"port": 8080}}));
    // And `paved test` picks them by name and extension.
    let policies = tree(&[("p.rego", b"package main\n\nimport rego.v1\n\nwarn contains sprintf(\"%s\", [data.conftest.file.name]) if true\n")]);
    let (_, stdout, _) = run(&[
        "test",
        "--no-color",
        "-p",
        policies.path().to_str().unwrap(),
        "fixtures/conftest/inputs",
    ]);
    for file in [
        ".dockerignore",
        ".env",
        "Dockerfile",
        "app.ini",
        "app.properties",
        "config.toml",
        "deployments.yaml",
        "list.json",
        "main.tf",
        "pom.xml",
        "workflow.yaml",
    ] {
        assert!(
            stdout.contains(&format!(
                "WARN - fixtures/conftest/inputs/{file} - main - fixtures/conftest/inputs/{file}\n"
            )),
            "{file}: {stdout}"
        );
    }
}

#[test]
fn output_formats() {
    let args = |o: &'static str| vec![DEPLOYMENTS, "-d", "fixtures/conftest/data", "-o", o];
    let (_, json, _) = test(&args("json"));
    let results: Vec<Value> = serde_json::from_str(&json).unwrap();
    assert!(
        json.contains("\n\t{\n\t\t\"filename\""),
        "tab-indented, as conftest"
    );
    assert_eq!(results[0]["successes"], 6);
    let replicas = results[0]["failures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["msg"] == "fewer than 2 replicas")
        .unwrap();
    assert_eq!(replicas["metadata"], json!({"severity": "high"}));
    assert_eq!(
        replicas["location"],
        json!({"file": DEPLOYMENTS, "line": 6, "column": 3}),
        "beyond conftest: the line"
    );

    let (_, tap, _) = test(&args("tap"));
    assert!(
        tap.starts_with(&format!(
            "1..7\nnot ok 1 - {DEPLOYMENTS} - main - web must not run as root\n"
        )),
        "{tap}"
    );
    assert!(tap.contains("# warnings\nnot ok 5 - "), "{tap}");

    let (_, table, _) = test(&args("table"));
    assert!(
        table.lines().nth(1).unwrap().starts_with("|  RESULT   |"),
        "{table}"
    );
    assert!(table.contains(&format!(
        "| failure   | {DEPLOYMENTS} | main      | fewer than 2 replicas"
    )));

    let (_, junit, _) = test(&args("junit"));
    let document = roxmltree::Document::parse(&junit).unwrap();
    assert_eq!(
        document
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        12
    );
    assert_eq!(
        document
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        6
    );

    let (_, github, _) = test(&args("github"));
    assert!(
        github.starts_with(&format!(
            "::group::Testing '{DEPLOYMENTS}' against 13 policies in namespace 'main'\n"
        )),
        "{github}"
    );
    assert!(
        github.contains(&format!(
            "::error file={DEPLOYMENTS},line=6,col=3::fewer than 2 replicas\n"
        )),
        "{github}"
    );

    let (_, sarif, _) = test(&args("sarif"));
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 6);

    let (_, azure, _) = test(&args("azuredevops"));
    assert!(azure.contains(&format!("##vso[task.logissue type=error;sourcepath={DEPLOYMENTS};linenumber=6;columnnumber=3]fewer than 2 replicas")), "{azure}");
}

#[test]
fn exit_codes_fail_on_warn_no_fail_and_quiet() {
    let warnings_only = tree(&[("w.yaml", b"kind: Service\nspec:\n  template:\n    spec:\n      containers: [{name: x, image: 'x:latest'}]\n")]);
    let w = warnings_only.path().join("w.yaml");
    let w = w.to_str().unwrap();
    assert_eq!(test(&[w]).0, 0);
    assert_eq!(test(&[w, "--fail-on-warn"]).0, 1);
    assert_eq!(test(&[DEPLOYMENTS, "--fail-on-warn"]).0, 2);
    assert_eq!(test(&[DEPLOYMENTS, "--no-fail"]).0, 0);
    assert_eq!(
        test(&[DEPLOYMENTS, "-n", "broken", "--no-fail"]).0,
        1,
        "errors still fail"
    );
    let (code, stdout, _) = test(&[w, "--quiet"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    let (code, stdout, _) = test(&[DEPLOYMENTS, "--quiet"]);
    assert_eq!(code, 1);
    assert!(!stdout.is_empty(), "quiet only when passing");
}

#[test]
fn conftest_toml_and_the_default_policy_directory() {
    let dir = tree(&[
        ("policy/p.rego", b"package main\n\nimport rego.v1\n\ndeny contains \"from ./policy\" if true\n"),
        ("rules/r.rego", b"package team.rules\n\nimport rego.v1\n\nwarn contains \"from conftest.toml\" if true\n"),
        ("in.yaml", b"a: 1\n"),
    ]);
    let (code, stdout, _) = run_in(dir.path(), &["test", "--no-color", "in.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("FAIL - in.yaml - main - from ./policy\n"),
        "{stdout}"
    );
    std::fs::write(
        dir.path().join("conftest.toml"),
        "policy = \"rules\"\nnamespace = [\"team.*\"]\n",
    )
    .unwrap();
    let (code, stdout, _) = run_in(dir.path(), &["test", "--no-color", "in.yaml"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("WARN - in.yaml - team.rules - from conftest.toml\n"),
        "{stdout}"
    );
}

#[test]
fn print_output_and_verify_in_conftest_format() {
    let policies = tree(&[(
        "p.rego",
        b"package main\n\nimport rego.v1\n\ndeny contains \"x\" if {\n  print(\"looking at\", input.kind)\n  false\n}\n\ntest_ok if true\n\ntest_bad if false\n",
    )]);
    let dir = policies.path().to_str().unwrap();
    let (_, stdout, _) = run(&[
        "test",
        "--no-color",
        "-p",
        dir,
        "fixtures/conftest/inputs/list.json",
    ]);
    assert!(stdout.starts_with("PRNT   "), "{stdout}");
    assert!(
        stdout
            .lines()
            .next()
            .unwrap()
            .ends_with("looking at Service"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&["verify", "-p", dir, "--no-color"]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout.lines().last().unwrap(),
        "2 tests, 1 passed, 0 warnings, 1 failure, 0 exceptions"
    );
}

/// Each input file is a job of its own: the output keeps path order on any number of threads.
#[test]
fn the_output_is_the_same_on_one_thread_and_on_many() {
    let output = |jobs: &str| {
        let (code, stdout, stderr) = test(&["fixtures/conftest/inputs", "--no-fail", "-j", jobs]);
        assert_eq!((code, stderr.as_str()), (0, ""));
        stdout
    };
    let one = output("1");
    assert!(one.lines().count() > 5, "{one}");
    for jobs in ["2", "7"] {
        assert_eq!(output(jobs), one, "-j {jobs}");
    }
}

/// Policies that read a few parts of each input get the same results, and each file the
/// same error, as when some policy reads the inputs whole: paved builds only what the
/// policies read, and still reads and checks the rest (a repeated key where no policy
/// looks, anchors in parts not read, a document that is a list).
#[test]
fn inputs_built_only_as_far_as_policies_read_give_the_same_results() {
    const DIR: &str = "fixtures/conftest/projection";
    let output = |policies: &[&str]| {
        let mut args = vec!["test", "--no-color", "-o", "json"];
        for policy in policies {
            args.extend(["-p", policy]);
        }
        args.push("fixtures/conftest/projection/inputs");
        run(&args)
    };
    let (code, read_in_part, stderr) = output(&[&format!("{DIR}/policy")]);
    let whole = output(&[&format!("{DIR}/policy"), &format!("{DIR}/whole")]);
    assert_eq!((code, read_in_part.clone(), stderr.clone()), whole);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("broken.yaml:8:5: duplicate key `type` in a YAML mapping"),
        "{stderr}"
    );
    let results: Value = serde_json::from_str(&read_in_part).unwrap();
    let messages: Vec<&str> = results
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|file| ["warnings", "failures"].map(|k| &file[k]))
        .flat_map(|list| list.as_array().into_iter().flatten())
        .map(|result| result["msg"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "Service api is labelled {\"app\": \"api\"}",
            "api: container api has no memory limit",
            "Service web is labelled {\"app\": \"web\", \"tier\": \"front\"}",
            "web: container sidecar has no memory limit",
        ]
    );
}
