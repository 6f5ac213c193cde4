//! A hostile repository and policy against every renderer: file names and messages with
//! line breaks, workflow commands, terminal escapes, bidi overrides, `|` and backticks must
//! come out escaped, never forging a CI command, a line or a table cell.

use crate::common::{run_in, tree};

/// A newline followed by a forged workflow command; a screen-clearing escape; markdown and
/// Azure property syntax.
const FORGED: &str = "x\n::error::forged.yaml";
const CLEARS: &str = "e\u{1b}[2J.yaml";
const BREAKS: &str = "p|b`t`];.yaml";

/// The message smuggles an encoded `::add-mask::`, a line break, a cell break, a code span
/// and an escape sequence.
const LINT_POLICY: &str = r#"package main

import rego.v1

deny contains {"msg": "100%0A::add-mask::secret\nline two | `code` \u001b[2J", "path": ["a"]} if input.a == 1
"#;

const CONFTEST_POLICY: &str = r#"package main

import rego.v1

deny contains "100%0A::add-mask::secret\nline two ]; `code`" if input.a == 1
"#;

/// The hostile files (the one with the escape also hides one and a bidi override in a
/// comment its snippet shows) and a policy directory.
fn hostile(policy: &str) -> (tempfile::TempDir, tempfile::TempDir) {
    let repository = tree(&[
        (FORGED, b"a: 1\n"),
        (
            CLEARS,
            "a: 1 # \u{1b}[2J\u{202e} all checks passed\n".as_bytes(),
        ),
        (BREAKS, b"a: 1\n"),
    ]);
    let policies = tree(&[("p.rego", policy.as_bytes())]);
    (repository, policies)
}

fn lint(format: &str) -> String {
    let (repository, policies) = hostile(LINT_POLICY);
    let (code, stdout, stderr) =
        crate::common::lint_with_bundle(repository.path(), policies.path(), format, ".");
    assert_eq!(code, 1, "{stderr}");
    stdout
}

fn conftest(output: &str) -> String {
    let (repository, policies) = hostile(CONFTEST_POLICY);
    let (code, stdout, stderr) = run_in(
        repository.path(),
        &[
            "test",
            "--no-color",
            "-p",
            policies.path().to_str().unwrap(),
            "-o",
            output,
            CLEARS,
            BREAKS,
            FORGED,
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    stdout
}

#[test]
fn github_annotations_escape_data_and_properties() {
    assert_eq!(
        lint("github"),
        r"::error file=e\u{1b}[2J.yaml,line=1,col=1,endLine=1,endColumn=2,title=main/deny::100%250A::add-mask::secret%0Aline two | `code` \u{1b}[2J
::error file=p|b`t`];.yaml,line=1,col=1,endLine=1,endColumn=2,title=main/deny::100%250A::add-mask::secret%0Aline two | `code` \u{1b}[2J
::error file=x%0A%3A%3Aerror%3A%3Aforged.yaml,line=1,col=1,endLine=1,endColumn=2,title=main/deny::100%250A::add-mask::secret%0Aline two | `code` \u{1b}[2J
"
    );
}

#[test]
fn concise_lines_show_line_breaks_and_escapes() {
    assert_eq!(
        crate::common::concise(&lint("concise")),
        [
            r"e\u{1b}[2J.yaml:1:1: error [main/deny] 100%0A::add-mask::secret\nline two | `code` \u{1b}[2J",
            r"p|b`t`];.yaml:1:1: error [main/deny] 100%0A::add-mask::secret\nline two | `code` \u{1b}[2J",
            r"x\n::error::forged.yaml:1:1: error [main/deny] 100%0A::add-mask::secret\nline two | `code` \u{1b}[2J",
        ]
    );
}

#[test]
fn text_output_escapes_names_messages_and_snippets() {
    let text = lint("text");
    assert!(!text.contains(['\u{1b}', '\u{202e}']), "{text:?}");
    assert!(
        !text.lines().any(|l| l.trim_start().starts_with("::")),
        "{text}"
    );
    for expected in [
        r"  × 100%0A::add-mask::secret\nline two | `code` \u{1b}[2J",
        r"   ╭─[e\u{1b}[2J.yaml:1:1]",
        // Same byte length: the snippet's spans still fall where they should.
        " 1 │ a: 1 # ?[2J\u{FFFD} all checks passed",
        r"   ╭─[x\n::error::forged.yaml:1:1]",
        "   ╭─[p|b`t`];.yaml:1:1]",
    ] {
        assert!(text.lines().any(|l| l == expected), "{expected}\n{text}");
    }
}

#[test]
fn markdown_cells_and_code_spans_hold() {
    let markdown = lint("markdown");
    let rows: Vec<&str> = markdown.lines().filter(|l| l.starts_with("| 🔴")).collect();
    assert_eq!(
        rows,
        [
            r"| 🔴 error | `e\u{1b}[2J.yaml:1:1` | `main/deny` | 100%0A::add-mask::secret\nline two \| \`code\` \u{1b}\[2J |",
            r"| 🔴 error | ``p\|b`t`];.yaml:1:1`` | `main/deny` | 100%0A::add-mask::secret\nline two \| \`code\` \u{1b}\[2J |",
            r"| 🔴 error | `x\n::error::forged.yaml:1:1` | `main/deny` | 100%0A::add-mask::secret\nline two \| \`code\` \u{1b}\[2J |",
        ]
    );
}

#[test]
fn paved_test_github_escapes_groups_and_annotations() {
    assert_eq!(
        conftest("github"),
        r"::group::Testing 'e\u{1b}[2J.yaml' against 1 policies in namespace 'main'
::error file=e\u{1b}[2J.yaml::100%250A::add-mask::secret%0Aline two ]; `code`
::endgroup::
::group::Testing 'p|b`t`];.yaml' against 1 policies in namespace 'main'
::error file=p|b`t`];.yaml::100%250A::add-mask::secret%0Aline two ]; `code`
::endgroup::
::group::Testing 'x%0A::error::forged.yaml' against 1 policies in namespace 'main'
::error file=x%0A%3A%3Aerror%3A%3Aforged.yaml::100%250A::add-mask::secret%0Aline two ]; `code`
::endgroup::
3 tests, 0 passed, 0 warnings, 3 failures, 0 exceptions
"
    );
}

#[test]
fn paved_test_azuredevops_escapes_logging_commands() {
    assert_eq!(
        conftest("azuredevops"),
        r"##vso[task.logissue type=error;sourcepath=e\u{1b}[2J.yaml]100%AZP250A::add-mask::secret%0Aline two ]; `code`
##vso[task.logissue type=error;sourcepath=p|b`t`%5D%3B.yaml]100%AZP250A::add-mask::secret%0Aline two ]; `code`
##vso[task.logissue type=error;sourcepath=x%0A::error::forged.yaml]100%AZP250A::add-mask::secret%0Aline two ]; `code`
3 tests, 0 passed, 0 warnings, 3 failures, 0 exceptions
"
    );
}

#[test]
fn paved_test_stdout_and_table_stay_one_line_per_result() {
    assert_eq!(
        conftest("stdout"),
        r"FAIL - e\u{1b}[2J.yaml - main - 100%0A::add-mask::secret\nline two ]; `code`
FAIL - p|b`t`];.yaml - main - 100%0A::add-mask::secret\nline two ]; `code`
FAIL - x\n::error::forged.yaml - main - 100%0A::add-mask::secret\nline two ]; `code`

3 tests, 0 passed, 0 warnings, 3 failures, 0 exceptions
"
    );
    let table = conftest("table");
    assert!(
        table.contains(r"| failure | x\n::error::forged.yaml | main      | 100%0A::add-mask::secret\nline two ]; `code` |"),
        "{table}"
    );
    assert_eq!(table.lines().count(), 7, "{table}");
}

#[test]
fn a_file_name_never_starts_a_ci_command() {
    let repository = tree(&[
        ("::warning::hi.yaml", b"a: 1\n"),
        ("##vso[task.setvariable variable=x]y.yaml", b"a: 1\n"),
    ]);
    let policies = tree(&[("p.rego", LINT_POLICY.as_bytes())]);
    let (_, stdout, _) =
        crate::common::lint_with_bundle(repository.path(), policies.path(), "concise", ".");
    let files: Vec<&str> = crate::common::concise(&stdout)
        .into_iter()
        .map(|l| l.split_once(".yaml").unwrap().0)
        .collect();
    assert_eq!(
        files,
        [
            r"#\u{23}vso[task.setvariable variable=x]y",
            r"\u{3a}:warning::hi",
        ]
    );
}
