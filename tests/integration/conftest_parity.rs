//! `paved test` and `verify` where conftest users noticed a difference (issue 15): exceptions
//! named without the rule's prefix, standard input's name, and conftest's remaining flags.

use crate::common::{paved, run, tree};

const EXCEPTIONS: &str = "fixtures/conftest/exceptions/policy";
const DEPLOYMENTS: &str = "fixtures/conftest/exceptions/deployments.yaml";

fn test(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["test", "--no-color", "-p", EXCEPTIONS];
    all.extend(args);
    run(&all)
}

/// Runs `paved test` with `stdin` on standard input.
fn test_stdin(args: &[&str], stdin: &str) -> (i32, String, String) {
    let output = paved()
        .args(["test", "--no-color", "-p", EXCEPTIONS])
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn an_exception_names_the_rule_without_its_deny_prefix() {
    // The exception lives in a file of its own, as in conftest's example.
    let (code, stdout, stderr) = test(&[DEPLOYMENTS]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    let f = DEPLOYMENTS;
    assert_eq!(
        stdout,
        format!(
            "FAIL - {f} - main - Containers must not run as root in Deployment web\n\
             EXCP - {f} - main - data.main.exception[_][_] == \"run_as_root\"\n\
             \n\
             2 tests, 0 passed, 0 warnings, 1 failure, 1 exception\n"
        )
    );
}

#[test]
fn exceptions_in_every_output_format() {
    let f = DEPLOYMENTS;
    let (_, json, _) = test(&[DEPLOYMENTS, "-o", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json[0]["exceptions"],
        serde_json::json!([{"msg": "data.main.exception[_][_] == \"run_as_root\""}])
    );
    assert_eq!(json[0]["successes"], 0);
    let (_, tap, _) = test(&[DEPLOYMENTS, "-o", "tap"]);
    assert_eq!(
        tap,
        format!(
            "1..2\nnot ok 1 - {f} - main - Containers must not run as root in Deployment web\n\
             # exceptions\nok 2 - {f} - main - data.main.exception[_][_] == \"run_as_root\"\n"
        )
    );
    let (_, table, _) = test(&[DEPLOYMENTS, "-o", "table"]);
    assert!(
        table.contains(&format!(
            "| exception | {f} | main      | data.main.exception[_][_] == \"run_as_root\"        |\n"
        )),
        "{table}"
    );
    // conftest's JUnit has no exception cases: one failure, no passes.
    let (_, junit, _) = test(&[DEPLOYMENTS, "-o", "junit"]);
    assert!(
        junit.contains("tests=\"1\" skipped=\"0\" failures=\"1\""),
        "{junit}"
    );
    let (_, github, _) = test(&[DEPLOYMENTS, "-o", "github"]);
    assert!(
        github.contains(&format!(
            "exception file={f}::data.main.exception[_][_] == \"run_as_root\"\n"
        )),
        "{github}"
    );
    assert!(github.ends_with("2 tests, 0 passed, 0 warnings, 1 failure, 1 exception\n"));
}

#[test]
fn standard_input_is_named_dash_or_its_stdin_filename() {
    let yaml = std::fs::read_to_string(crate::common::root().join(DEPLOYMENTS)).unwrap();
    let (code, stdout, _) = test_stdin(&["-"], &yaml);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("FAIL - - - main - Containers must not run as root in Deployment web\n"),
        "{stdout}"
    );
    // The name given picks the parser too: JSON here, which the YAML default would also
    // read, so a TOML name shows it.
    let (code, stdout, stderr) = test_stdin(
        &["--stdin-filename", "k8s/app.toml", "-"],
        "kind = \"Deployment\"\n[metadata]\nname = \"toml\"\n",
    );
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        stdout,
        "FAIL - k8s/app.toml - main - Containers must not run as root in Deployment toml\n\n\
         1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions\n"
    );
}

#[test]
fn ignore_leaves_out_walked_paths_the_regex_matches() {
    let inputs = tree(&[
        (
            "keep/a.yaml",
            b"kind: Deployment\nmetadata:\n  name: kept\n",
        ),
        (
            "vendor/b.yaml",
            b"kind: Deployment\nmetadata:\n  name: vendored\n",
        ),
        (
            "keep/c.generated.yaml",
            b"kind: Deployment\nmetadata:\n  name: generated\n",
        ),
    ]);
    let dir = inputs.path().to_str().unwrap();
    let (_, stdout, _) = test(&[dir, "--ignore", "vendor|\\.generated\\."]);
    assert!(stdout.contains("Deployment kept\n"), "{stdout}");
    assert!(
        !stdout.contains("vendored") && !stdout.contains("generated"),
        "{stdout}"
    );
    assert!(stdout.ends_with("1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions\n"));
    // A file named on the command line is always tested, as in conftest.
    let named = format!("{dir}/vendor/b.yaml");
    let (_, stdout, _) = test(&[&named, "--ignore", "vendor"]);
    assert!(stdout.contains("Deployment vendored\n"), "{stdout}");
    let (code, _, stderr) = test(&[dir, "--ignore", "("]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--ignore: regex parse error"), "{stderr}");
}

#[test]
fn trace_prints_each_query_and_its_outcome_on_standard_error() {
    let (_, stdout, stderr) = test(&[DEPLOYMENTS, "--trace"]);
    assert!(!stdout.contains("TRAC"));
    assert_eq!(
        stderr,
        format!(
            "TRAC   {DEPLOYMENTS}: data.main.deny_run_as_root = excepted\n\
             TRAC   {DEPLOYMENTS}: data.main.deny_run_as_root = 1 result\n"
        )
    );
}

#[test]
fn junit_hide_message_and_github_hide_passed() {
    let f = DEPLOYMENTS;
    let (_, junit, _) = test(&[DEPLOYMENTS, "-o", "junit", "--junit-hide-message"]);
    assert!(
        junit.contains(&format!("<testcase name=\"{f} - main\" classname=\"{f}\">")),
        "{junit}"
    );
    assert!(
        !junit.contains("name=\"fixtures/conftest/exceptions/deployments.yaml - main - Containers")
    );
    let policies = tree(&[(
        "p.rego",
        b"package main\n\nimport rego.v1\n\ndeny contains \"no\" if input.bad\n",
    )]);
    let policy = policies.path().to_str().unwrap();
    let github = |extra: &[&str]| {
        let mut args = vec!["test", "-p", policy, "-o", "github", DEPLOYMENTS];
        args.extend(extra);
        run(&args).1
    };
    assert!(github(&[]).contains(&format!("success file={f} 2\n")));
    let hidden = github(&["--github-hide-passed"]);
    assert!(!hidden.contains("success file="), "{hidden}");
    assert!(hidden.ends_with("2 tests, 2 passed, 0 warnings, 0 failures, 0 exceptions\n"));
}

const LOOSE: &[u8] = b"package main\n\nimport rego.v1\nimport data.lib.unused\n\ndeny contains \"late\" if {\n\tinput.a\n\ttime.now_ns() > 0\n}\n\ntest_deny if {\n\tdeny with input as {\"a\": true}\n}\n";

#[test]
fn strict_and_capabilities_refuse_policies_before_testing() {
    let policies = tree(&[
        ("policy/p.rego", LOOSE),
        ("caps.json", b"{\"builtins\": [{\"name\": \"gt\"}]}"),
    ]);
    let policy = policies.path().join("policy");
    let policy = policy.to_str().unwrap();
    let caps = policies.path().join("caps.json");
    let caps = caps.to_str().unwrap();
    let file = format!("{policy}/p.rego");
    let (code, _, _) = run(&["test", "-p", policy, DEPLOYMENTS]);
    assert_eq!(code, 0, "lenient without --strict");
    for command in ["test", "verify"] {
        let target: &[&str] = if command == "test" {
            &[DEPLOYMENTS]
        } else {
            &[]
        };
        let mut strict = vec![command, "-p", policy, "--strict"];
        strict.extend(target);
        let (code, stdout, stderr) = run(&strict);
        assert_eq!((code, stdout.as_str()), (2, ""), "{command}");
        assert_eq!(
            stderr,
            format!("error: {file}:4: rego_compile_error: import data.lib.unused unused\n"),
            "{command}"
        );
        let mut capped = vec![command, "-p", policy, "--capabilities", caps];
        capped.extend(target);
        let (code, _, stderr) = run(&capped);
        assert_eq!(code, 2, "{command}");
        assert_eq!(
            stderr,
            format!(
                "error: {file}:8: rego_type_error: undefined function time.now_ns (not in the capabilities)\n"
            ),
            "{command}"
        );
    }
}

#[test]
fn verify_quiet_and_trace() {
    let policies = tree(&[(
        "p.rego",
        b"package main\n\nimport rego.v1\n\ntest_passes if {\n\tprint(\"looked\")\n}\n",
    )]);
    let policy = policies.path().to_str().unwrap();
    let (code, stdout, _) = run(&["verify", "-p", policy, "--quiet"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    let (code, stdout, stderr) = run(&["verify", "-p", policy, "--trace"]);
    assert_eq!(code, 0);
    assert!(stdout.ends_with("1 test, 1 passed, 0 warnings, 0 failures, 0 exceptions\n"));
    assert!(
        stderr.contains("TRAC   data.main.test_passes: "),
        "{stderr}"
    );
    assert!(stderr.contains("looked"), "{stderr}");
}

#[test]
fn a_comprehension_may_redeclare_a_name_of_its_rule_as_in_opa() {
    // regorus 0.14.1 refused this ("var `name` used before definition below"), and once
    // accepted, kept each loop iteration's binding and hid the rule's `name` from the next.
    let (code, stdout, stderr) = run(&[
        "test",
        "--no-color",
        "--combine",
        "-p",
        "fixtures/conftest/combine/policy",
        "fixtures/conftest/combine/users.yaml",
        "fixtures/conftest/combine/more-users.yaml",
    ]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        stdout,
        "FAIL - Combined - main - alice is defined 2 times, by team-a and team-b\n\n\
         1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions\n"
    );
}

/// A rule of an imported package is evaluated only when it is used, as OPA does: regorus
/// evaluated every rule of `lib` for `lib.name`, and so ran its `print` and failed on its
/// conflicting values. A package used whole still has all its rules, sub-packages included.
#[test]
fn an_imported_package_evaluates_only_the_rules_used_as_in_opa() {
    let policies = tree(&[
        (
            "main.rego",
            b"package main\n\nimport data.lib\nimport rego.v1\n\n\
              deny contains msg if {\n\tlib.kind == \"Pod\"\n\tmsg := sprintf(\"pod %s\", [lib.name])\n}\n\n\
              warn contains msg if {\n\tinput.kind == \"Service\"\n\tmsg := sprintf(\"%v\", [data.lib.sub])\n}\n",
        ),
        (
            "lib.rego",
            b"package lib\n\nimport rego.v1\n\nkind := input.kind\n\nname := input.metadata.name\n\n\
              noisy if print(\"lib.noisy was evaluated\")\n\n\
              conflict := 1 if input.kind\n\nconflict := 2 if input.kind\n",
        ),
        (
            "sub.rego",
            b"package lib.sub\n\nimport rego.v1\n\nvalue := 1\n\nkind := input.kind\n",
        ),
    ]);
    let inputs = tree(&[(
        "objects.yaml",
        b"kind: Pod\nmetadata: {name: web}\n---\nkind: Service\nmetadata: {name: web}\n",
    )]);
    let file = inputs.path().join("objects.yaml");
    let file = file.to_str().unwrap();
    let (code, stdout, stderr) = run(&[
        "test",
        "--no-color",
        "-p",
        policies.path().to_str().unwrap(),
        file,
    ]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        stdout,
        format!(
            "WARN - {file} - main - {{\"kind\": \"Service\", \"value\": 1}}\n\
             FAIL - {file} - main - pod web\n\n\
             4 tests, 2 passed, 1 warning, 1 failure, 0 exceptions\n"
        )
    );
}

#[test]
fn nginx_edn_and_cyclonedx_in_conftests_shapes() {
    let policies = tree(&[(
        "p.rego",
        b"package main\n\nimport rego.v1\n\n# nginx\ndeny contains \"server_tokens is on\" if {\n\tsome http in input.directives\n\thttp.name == \"http\"\n\tsome server in http.block.directives\n\tsome d in server.block.directives\n\td.name == \"server_tokens\"\n\td.parameters == [\"on\"]\n}\n\n# EDN: every scalar is text\ndeny contains \"one replica\" if input[\":replicas\"] == \"1\"\n\n# CycloneDX JSON\ndeny contains sprintf(\"%s %s is vulnerable\", [c.name, c.version]) if {\n\tinput.bomFormat == \"CycloneDX\"\n\tsome c in input.components\n\tc.name == \"log4j-core\"\n}\n",
    )]);
    let policy = policies.path().to_str().unwrap();
    let more = "fixtures/conftest/more";
    let (code, stdout, stderr) = run(&[
        "test",
        "--no-color",
        "-p",
        policy,
        &format!("{more}/nginx.conf"),
        &format!("{more}/service.edn"),
    ]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        stdout,
        format!(
            "FAIL - {more}/nginx.conf - main - server_tokens is on\n\
             FAIL - {more}/service.edn - main - one replica\n\n\
             6 tests, 4 passed, 0 warnings, 2 failures, 0 exceptions\n"
        )
    );
    let (code, stdout, _) = run(&[
        "test",
        "--no-color",
        "-p",
        policy,
        "--parser",
        "cyclonedx",
        &format!("{more}/sbom.cdx.json"),
    ]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with(&format!(
        "FAIL - {more}/sbom.cdx.json - main - log4j-core 2.14.1 is vulnerable\n"
    )));
}

#[test]
fn jenkinsfile_is_groovy_and_parsers_paved_lacks_are_named() {
    let more = "fixtures/conftest/more";
    let (code, stdout, stderr) = run(&[
        "test",
        "--no-color",
        "-p",
        EXCEPTIONS,
        &format!("{more}/Jenkinsfile"),
        &format!("{more}/app.cue"),
        DEPLOYMENTS,
    ]);
    // The other files are still tested.
    assert_eq!(code, 1);
    assert!(stdout.ends_with("2 tests, 0 passed, 0 warnings, 1 failure, 1 exception\n"));
    assert_eq!(
        stderr,
        format!(
            "Error: {more}/Jenkinsfile: the groovy parser is not available in paved: conftest's input is the concrete syntax tree of one Go Groovy 2.4 parser, which paved cannot reproduce node for node\n\
             Error: {more}/app.cue: the cue parser is not available in paved: CUE has no implementation outside Go that evaluates it as conftest does\n"
        )
    );
    for parser in ["hocon", "vcl", "textproto", "spdx", "hcl1"] {
        let (code, _, stderr) = run(&["test", "-p", EXCEPTIONS, "--parser", parser, DEPLOYMENTS]);
        assert_eq!(code, 1, "{parser}");
        assert!(
            stderr.starts_with(&format!(
                "Error: {DEPLOYMENTS}: the {parser} parser is not available in paved: "
            )),
            "{stderr}"
        );
    }
}

#[test]
fn conftest_toml_takes_the_new_flags_too() {
    let dir = tree(&[
        (
            "policy/p.rego",
            b"package main\n\nimport rego.v1\n\ndeny contains \"no\" if input.bad\n",
        ),
        ("in/keep.yaml", b"bad: true\n"),
        ("in/skip/x.yaml", b"bad: true\n"),
        (
            "conftest.toml",
            b"ignore = \"skip\"\ntrace = true\noutput = \"junit\"\njunit-hide-message = true\n",
        ),
    ]);
    let (code, stdout, stderr) = crate::common::run_in(dir.path(), &["test", "in"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("<testcase name=\"in/keep.yaml - main\" classname=\"in/keep.yaml\">"),
        "{stdout}"
    );
    assert!(!stdout.contains("in/skip"), "{stdout}");
    assert_eq!(stderr, "TRAC   in/keep.yaml: data.main.deny = 1 result\n");
}

#[test]
fn verify_writes_junit_and_hides_the_test_names_on_request() {
    let policies = tree(&[(
        "p_test.rego",
        b"package main\n\nimport rego.v1\n\ntest_passes if true\n\ntest_fails if false\n",
    )]);
    let policy = policies.path().to_str().unwrap();
    let file = format!("{policy}/p_test.rego");
    let (code, junit, _) = run(&["verify", "-p", policy, "-o", "junit"]);
    assert_eq!(code, 1);
    assert!(
        junit.contains("tests=\"2\" skipped=\"0\" failures=\"1\""),
        "{junit}"
    );
    assert!(
        junit.contains(&format!(
            "<testcase name=\"{file} - main - data.main.test_fails\" classname=\"{file}\">\n            <failure message=\"data.main.test_fails\"/>"
        )),
        "{junit}"
    );
    assert!(junit.contains(&format!(
        "<testcase name=\"{file} - main\" classname=\"{file}\"/>"
    )));
    let (_, hidden, _) = run(&[
        "verify",
        "-p",
        policy,
        "-o",
        "junit",
        "--junit-hide-message",
    ]);
    assert!(
        !hidden.contains("data.main.test_fails\" classname"),
        "{hidden}"
    );
    assert_eq!(
        hidden
            .matches(&format!("<testcase name=\"{file} - main\""))
            .count(),
        2,
        "{hidden}"
    );
}

#[test]
fn builtin_errors_are_reported_with_or_without_show_builtin_errors() {
    let policies = tree(&[(
        "p.rego",
        b"package main\n\nimport rego.v1\n\ndeny contains \"x\" if to_number(\"abc\") > 1\n",
    )]);
    let policy = policies.path().to_str().unwrap();
    for extra in [&[][..], &["--show-builtin-errors"][..]] {
        let mut args = vec!["test", "--no-color", "-p", policy, DEPLOYMENTS];
        args.extend(extra);
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 1, "{extra:?}");
        assert!(
            stderr.contains("error: could not parse string as number"),
            "{stderr}"
        );
    }
}
