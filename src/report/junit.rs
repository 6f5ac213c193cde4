//! `--format junit`: one test suite per file with findings, one failing test case per
//! finding, as GitLab and Jenkins display test reports.

use std::collections::BTreeMap;
use std::io::Write;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::lint::Outcome;

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let mut report = Report::new("paved");
    report.set_time(outcome.duration);
    let mut by_file: BTreeMap<&str, Vec<TestCase>> = BTreeMap::new();
    for finding in &outcome.findings {
        let location = &finding.location;
        let position = location.position_suffix();
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_message(finding.message.clone());
        status.set_type(finding.severity.as_str());
        status.set_description(format!(
            "{}{position}: {} [{}]",
            location.file, finding.message, finding.rule
        ));
        let mut case = TestCase::new(format!("{}{position}", finding.rule), status);
        case.set_classname(location.file.clone());
        by_file.entry(&location.file).or_default().push(case);
    }
    for error in &outcome.errors {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(error.message.clone());
        let mut case = TestCase::new("paved", status);
        case.set_classname(error.file.clone());
        by_file.entry(&error.file).or_default().push(case);
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
