//! `paved test -o FORMAT`: conftest's output formats, with the same text, order and
//! summary, and line numbers where a result has a location.

use std::io::Write;
use std::sync::Arc;

use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

use super::{CheckResult, Item, Report};
use crate::finding::{Finding, Location, Severity};
use crate::policy::Catalogue;
use crate::report::{escape, plural};
use crate::source::Position;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Stdout,
    Json,
    Tap,
    Table,
    Junit,
    Github,
    Azuredevops,
    Sarif,
}

pub struct Style {
    pub color: bool,
    pub suppress_exceptions: bool,
    /// JUnit test cases named by file and namespace only (`--junit-hide-message`).
    pub junit_hide_message: bool,
    /// GitHub output without the `success` lines (`--github-hide-passed`).
    pub github_hide_passed: bool,
}

pub fn render(
    output: Output,
    report: &Report,
    catalogue: &Arc<Catalogue>,
    style: &Style,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match output {
        Output::Stdout => standard(report, style, out),
        Output::Json => json(report, out),
        Output::Tap => tap(report, out),
        Output::Table => table(report, out),
        Output::Junit => junit(report, style.junit_hide_message, out),
        Output::Github => github(report, style.github_hide_passed, out),
        Output::Azuredevops => azure(report, out),
        Output::Sarif => sarif(report, catalogue, out),
    }
}

/// `N tests, N passed, N warnings, N failures, N exceptions`, with singular forms for 1.
pub fn summary(results: &[CheckResult]) -> String {
    let sum = |f: &dyn Fn(&CheckResult) -> usize| results.iter().map(f).sum::<usize>();
    let (passed, warnings, failures, exceptions) = (
        sum(&|r| r.successes),
        sum(&|r| r.warnings.len()),
        sum(&|r| r.failures.len()),
        sum(&|r| r.exceptions.len()),
    );
    format!(
        "{}, {passed} passed, {}, {}, {}",
        plural(passed + warnings + failures + exceptions, "test"),
        plural(warnings, "warning"),
        plural(failures, "failure"),
        plural(exceptions, "exception")
    )
}

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\u{1b}[{code}m{text}\u{1b}[0m")
    } else {
        text.to_string()
    }
}

fn standard(report: &Report, style: &Style, out: &mut dyn Write) -> std::io::Result<()> {
    for line in &report.prints {
        writeln!(out, "PRNT   {}", escape::line(line))?;
    }
    for result in &report.results {
        let (filename, namespace) = (
            escape::line(&result.filename),
            escape::line(&result.namespace),
        );
        let prefix = format!("- {filename} - {namespace} -");
        let total = result.successes
            + result.warnings.len()
            + result.failures.len()
            + result.exceptions.len();
        if total == 0 {
            writeln!(
                out,
                "{} - {filename} - {namespace} - no policies found",
                paint("?", "37", style.color),
            )?;
            continue;
        }
        for (label, colour, items) in [
            ("WARN", "33", &result.warnings),
            ("FAIL", "31", &result.failures),
        ] {
            for item in items {
                writeln!(
                    out,
                    "{} {prefix} {}",
                    paint(label, colour, style.color),
                    escape::line(&item.msg)
                )?;
            }
        }
        if !style.suppress_exceptions {
            for item in &result.exceptions {
                writeln!(
                    out,
                    "{} {prefix} {}",
                    paint("EXCP", "36", style.color),
                    escape::line(&item.msg)
                )?;
            }
        }
    }
    let results = &report.results;
    let code = if results.iter().any(|r| !r.failures.is_empty()) {
        "31"
    } else if results.iter().any(|r| !r.warnings.is_empty()) {
        "33"
    } else if results.iter().any(|r| !r.exceptions.is_empty()) {
        "36"
    } else {
        "32"
    };
    writeln!(out)?;
    writeln!(out, "{}", paint(&summary(results), code, style.color))
}

fn json(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"\t");
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, formatter);
    serde::Serialize::serialize(&report.results, &mut serializer)?;
    writeln!(out)
}

/// `file - namespace - message`, on one line whatever the three contain.
fn line(result: &CheckResult, item: &Item) -> String {
    escape::line(&format!(
        "{} - {} - {}",
        result.filename, result.namespace, item.msg
    ))
    .into_owned()
}

fn tap(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for result in &report.results {
        let total = result.failures.len() + result.warnings.len() + result.exceptions.len();
        if total == 0 {
            continue;
        }
        writeln!(out, "1..{total}")?;
        let mut n = 0;
        for item in &result.failures {
            n += 1;
            writeln!(out, "not ok {n} - {}", line(result, item))?;
        }
        if !result.warnings.is_empty() {
            writeln!(out, "# warnings")?;
        }
        for item in &result.warnings {
            n += 1;
            writeln!(out, "not ok {n} - {}", line(result, item))?;
        }
        if !result.exceptions.is_empty() {
            writeln!(out, "# exceptions")?;
        }
        for item in &result.exceptions {
            n += 1;
            writeln!(out, "ok {n} - {}", line(result, item))?;
        }
    }
    Ok(())
}

fn table(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut rows: Vec<[String; 4]> = Vec::new();
    for result in &report.results {
        let kinds = [
            ("warning", &result.warnings),
            ("failure", &result.failures),
            ("exception", &result.exceptions),
        ];
        for (kind, items) in kinds {
            for item in items {
                rows.push([
                    kind.into(),
                    escape::line(&result.filename).into_owned(),
                    escape::line(&result.namespace).into_owned(),
                    escape::line(&item.msg).into_owned(),
                ]);
            }
        }
    }
    if rows.is_empty() {
        return Ok(());
    }
    let header = ["RESULT", "FILE", "NAMESPACE", "MESSAGE"];
    let widths: Vec<usize> = (0..4)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let rule: String = widths
        .iter()
        .map(|w| format!("+{}", "-".repeat(w + 2)))
        .collect::<String>()
        + "+";
    writeln!(out, "{rule}")?;
    let centred: Vec<String> = header
        .iter()
        .zip(&widths)
        .map(|(h, w)| {
            let pad = w - h.len();
            format!(" {}{h}{} ", " ".repeat(pad / 2), " ".repeat(pad - pad / 2))
        })
        .collect();
    writeln!(out, "|{}|", centred.join("|"))?;
    writeln!(out, "{rule}")?;
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!(" {cell}{} ", " ".repeat(w - cell.chars().count())))
            .collect();
        writeln!(out, "|{}|", cells.join("|"))?;
    }
    writeln!(out, "{rule}")
}

fn junit(report: &Report, hide_message: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let mut junit = JunitReport::new("conftest");
    let mut suite = TestSuite::new("conftest");
    for result in &report.results {
        let kinds = [
            (&result.failures, NonSuccessKind::Failure),
            (&result.warnings, NonSuccessKind::Failure),
        ];
        for (items, kind) in kinds {
            for item in items {
                let mut status = TestCaseStatus::non_success(kind);
                status.set_message(item.msg.clone());
                let name = if hide_message {
                    format!("{} - {}", result.filename, result.namespace)
                } else {
                    line(result, item)
                };
                let mut case = TestCase::new(name, status);
                case.set_classname(result.filename.clone());
                suite.add_test_case(case);
            }
        }
        for _ in 0..result.successes {
            let mut case = TestCase::new(
                format!("{} - {}", result.filename, result.namespace),
                TestCaseStatus::success(),
            );
            case.set_classname(result.filename.clone());
            suite.add_test_case(case);
        }
    }
    junit.add_test_suite(suite);
    writeln!(out, "{}", junit.to_string().map_err(std::io::Error::other)?)
}

fn position(item: &Item, filename: &str) -> String {
    match &item.location {
        Some(l) if l.file == filename => format!(",line={},col={}", l.line, l.column),
        _ => String::new(),
    }
}

fn github(report: &Report, hide_passed: bool, out: &mut dyn Write) -> std::io::Result<()> {
    use escape::{workflow_data as data, workflow_property as property};
    for result in &report.results {
        let total = result.successes
            + result.failures.len()
            + result.warnings.len()
            + result.exceptions.len();
        writeln!(
            out,
            "::group::Testing '{}' against {total} policies in namespace '{}'",
            data(&result.filename),
            data(&result.namespace)
        )?;
        for (command, items) in [("error", &result.failures), ("warning", &result.warnings)] {
            for item in items {
                let at = position(item, &result.filename);
                writeln!(
                    out,
                    "::{command} file={}{at}::{}",
                    property(&result.filename),
                    data(&item.msg)
                )?;
            }
        }
        for item in &result.exceptions {
            writeln!(
                out,
                "exception file={}::{}",
                data(&result.filename),
                data(&item.msg)
            )?;
        }
        if result.successes > 0 && !hide_passed {
            writeln!(
                out,
                "success file={} {}",
                data(&result.filename),
                result.successes
            )?;
        }
        writeln!(out, "::endgroup::")?;
    }
    writeln!(out, "{}", summary(&report.results))
}

fn azure(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for result in &report.results {
        for (kind, items) in [("error", &result.failures), ("warning", &result.warnings)] {
            for item in items {
                let line = item.location.as_ref().map_or(String::new(), |l| {
                    format!(";linenumber={};columnnumber={}", l.line, l.column)
                });
                writeln!(
                    out,
                    "##vso[task.logissue type={kind};sourcepath={}{line}]{}",
                    escape::azure_property(&result.filename),
                    escape::azure_data(&item.msg)
                )?;
            }
        }
    }
    writeln!(out, "{}", summary(&report.results))
}

/// SARIF through paved's own renderer: each result becomes a finding of its rule.
fn sarif(report: &Report, catalogue: &Arc<Catalogue>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut findings = Vec::new();
    for result in &report.results {
        for (severity, items) in [
            (Severity::Error, &result.failures),
            (Severity::Warning, &result.warnings),
        ] {
            for item in items {
                let start = item.location.as_ref().map(|l| Position {
                    line: l.line,
                    column: l.column,
                });
                let location = Location {
                    file: result.filename.clone(),
                    start,
                    end: start,
                    span: None,
                    repository: None,
                };
                let mut finding = Finding::own(&item.rule, severity, item.msg.clone(), location);
                finding.metadata = item.metadata.clone().unwrap_or_default();
                findings.push(finding);
            }
        }
    }
    let outcome = crate::lint::Outcome {
        findings,
        suppressed: Vec::new(),
        fixed: Vec::new(),
        baselined: false,
        errors: Vec::new(),
        files: report.results.len(),
        documents: 0,
        ignored: 0,
        files_only: false,
        skipped: Default::default(),
        duration: std::time::Duration::ZERO,
        catalogue: Arc::clone(catalogue),
    };
    let style = crate::report::Style {
        color: false,
        show_suppressed: false,
    };
    crate::report::render(crate::report::Format::Sarif, &outcome, style, out)
}
