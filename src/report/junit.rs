//! `--format junit`: one test suite per file with findings, one test case per finding, as
//! GitLab and Jenkins display test reports. Errors and warnings are failures; an info
//! finding is advice, not a broken build: a passing test case that says it in system-out.
//! Files are named within their repository, as the merge request knows them.

use std::collections::BTreeMap;
use std::io::Write;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::place;
use crate::finding::Severity;
use crate::lint::Outcome;

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let mut report = Report::new("paved");
    report.set_time(outcome.duration);
    let mut by_file: BTreeMap<String, Vec<TestCase>> = BTreeMap::new();
    for finding in &outcome.findings {
        let location = &finding.location;
        let file = place::relative(location).into_owned();
        let position = location.position_suffix();
        let message = finding.shown_message();
        let description = format!("{file}{position}: {message} [{}]", finding.rule);
        let name = format!("{}{position}", finding.rule);
        let mut case = if finding.severity == Severity::Info {
            let mut case = TestCase::new(name, TestCaseStatus::success());
            case.set_system_out(format!("info: {description}"));
            case
        } else {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(message.into_owned());
            status.set_type(finding.severity.as_str());
            status.set_description(description);
            TestCase::new(name, status)
        };
        // Viewers group cases by their class: the file.
        case.set_classname(file.clone());
        by_file.entry(file).or_default().push(case);
    }
    for error in &outcome.errors {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(error.message.clone());
        let file = place::relative(&place::of_error(error)).into_owned();
        let mut case = TestCase::new("paved", status);
        case.set_classname(file.clone());
        by_file.entry(file).or_default().push(case);
    }
    if by_file.is_empty() {
        let mut suite = TestSuite::new("paved");
        suite.add_test_case(TestCase::new("no findings", TestCaseStatus::success()));
        report.add_test_suite(suite);
    }
    for (file, cases) in by_file {
        let mut suite = TestSuite::new(file);
        suite.add_test_cases(cases);
        report.add_test_suite(suite);
    }
    let xml = report.to_string().map_err(std::io::Error::other)?;
    writeln!(out, "{xml}")
}
