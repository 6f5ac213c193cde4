//! paved.toml: found from the linted path, its settings applied, its mistakes located.

use crate::common::{concise, run_in, tree};

const UNTAGGED: &[u8] = b"resource \"aws_sqs_queue\" \"q\" {\n  name = \"q\"\n  tags = {\n    cost-center = \"42\"\n  }\n}\n";

#[test]
fn settings_selection_severity_and_fail_level_come_from_the_config() {
    let repo = tree(&[("infra/main.tf", UNTAGGED)]);
    let dir = repo.path();
    let lint = || {
        run_in(
            dir,
            &["lint", "-f", "concise", "--select", "terraform/owner-tags"],
        )
    };
    let (code, stdout, _) = lint();
    assert_eq!(code, 1);
    assert_eq!(concise(&stdout), ["infra/main.tf:3:3: error [terraform/owner-tags] aws_sqs_queue.q has no owner tag (one of owner, team)"]);

    std::fs::write(
        dir.join("paved.toml"),
        "[rules.severity]\n\"terraform/owner-tags\" = \"warning\"\n",
    )
    .unwrap();
    let (code, stdout, _) = lint();
    assert_eq!(code, 0, "a warning is below the default fail level");
    assert_eq!(concise(&stdout), ["infra/main.tf:3:3: warning [terraform/owner-tags] aws_sqs_queue.q has no owner tag (one of owner, team)"]);

    std::fs::write(
        dir.join("paved.toml"),
        "fail-level = \"warning\"\n[rules.severity]\n\"terraform/owner-tags\" = \"warning\"\n",
    )
    .unwrap();
    assert_eq!(lint().0, 1);

    std::fs::write(
        dir.join("paved.toml"),
        "[policy.config.terraform]\nowner_tag_keys = [\"cost-center\"]\n",
    )
    .unwrap();
    let (code, stdout, _) = lint();
    assert_eq!(
        (code, concise(&stdout)),
        (0, vec![]),
        "the organisation's tag key is accepted"
    );

    std::fs::write(
        dir.join("paved.toml"),
        "[rules]\nignore = [\"terraform/*\"]\n",
    )
    .unwrap();
    let (code, stdout, _) = run_in(dir, &["lint", "-f", "concise"]);
    assert!(!stdout.contains("terraform/"), "{stdout}");
    assert_eq!(code, 1, "other rules still run: {stdout}");
    // A file named on the command line finds the config above it too.
    let (_, stdout, _) = run_in(&dir.join("infra"), &["lint", "-f", "concise", "main.tf"]);
    assert!(!stdout.contains("terraform/"), "{stdout}");
}

#[test]
fn mistakes_in_the_config_are_errors_with_a_location() {
    let repo = tree(&[
        (
            "paved.toml",
            b"exclude = [\"vendor\"]\n\n[rules]\nselct = [\"kubernetes/*\"]\n",
        ),
        ("a.yaml", b"a: 1\n"),
    ]);
    let (code, stdout, stderr) = run_in(repo.path(), &["lint"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains("paved.toml:4:1: unknown field `selct`"),
        "{stderr}"
    );
    std::fs::write(repo.path().join("paved.toml"), "[[waiver]]\nrule = \"x\"\npaths = [\"a\"]\nreason = \"r\"\nowner = \"o\"\nexpires = \"soon\"\n").unwrap();
    let (code, _, stderr) = run_in(repo.path(), &["lint"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("paved.toml:6:11:"), "{stderr}");
}

#[test]
fn init_writes_a_starter_that_config_prints_resolved() {
    let repo = tree(&[("a.yaml", b"a: 1\n")]);
    let dir = repo.path();
    let (code, stdout, _) = run_in(dir, &["init"]);
    assert_eq!((code, stdout.trim()), (0, "wrote ./paved.toml"));
    let (code, _, stderr) = run_in(dir, &["init"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("exists; use --force"), "{stderr}");
    let (code, stdout, _) = run_in(dir, &["config"]);
    assert_eq!(code, 0);
    let found = dir.canonicalize().unwrap().join("paved.toml");
    assert_eq!(
        stdout,
        format!("# from {}\nexclude = [\"vendor\", \"node_modules\", \"**/testdata\"]\nfail-level = \"error\"\n", found.display())
    );
    let (code, _, _) = run_in(dir, &["lint", "--no-config", "-f", "concise"]);
    assert_eq!(code, 1, "the starter is also accepted by lint");
    // Its comments show the inline-ignore syntax without being ignores themselves.
    let (code, stdout, stderr) = run_in(dir, &["lint", "-f", "concise"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stdout.contains("paved.toml:"), "{stdout}");
}

#[test]
fn config_names_the_file_it_found_from_a_subdirectory() {
    let repo = tree(&[
        ("paved.toml", b"exclude = [\"vendor\"]\n"),
        ("k8s/a.yaml", b"a: 1\n"),
    ]);
    let found = repo.path().canonicalize().unwrap().join("paved.toml");
    let expected = format!("# from {}\nexclude = [\"vendor\"]\n", found.display());
    for (dir, path) in [("k8s", "."), (".", "k8s"), ("k8s", "a.yaml")] {
        let (code, stdout, stderr) = run_in(&repo.path().join(dir), &["config", path]);
        assert_eq!(
            (code, stdout.as_str()),
            (0, expected.as_str()),
            "{dir} {path}: {stderr}"
        );
    }
}

#[test]
fn config_of_a_missing_path_is_an_error() {
    let repo = tree(&[("paved.toml", b"exclude = [\"vendor\"]\n")]);
    let (code, stdout, stderr) = run_in(repo.path(), &["config", "nonexistent"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: nonexistent: cannot show its configuration: No such file or directory (os error 2)\n"
    );
}
