//! `--format csv`: one row per repository (and per service unit) and per rule, for a
//! spreadsheet's filters and pivot tables. A repository that could not be audited has one
//! row with its error and no rule. Text that a spreadsheet would run as a formula (a
//! repository name, an owner, a message starting with `=`, `+`, `-` or `@`) is prefixed
//! with `'`, as OWASP advises against CSV injection: every one came from a repository.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;

use super::results::{level_name, Level, Line, RuleResult};

const HEADER: [&str; 8] = [
    "repository",
    "unit",
    "owner",
    "level",
    "rule",
    "pass",
    "findings",
    "error",
];

pub fn render(lines: &[Line], out: &mut dyn Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER)?;
    for line in lines {
        if let Some(error) = &line.error {
            let owner = line.owner.as_deref().unwrap_or("");
            writer.write_record([
                &*cell(&line.repository),
                ".",
                &cell(owner),
                "",
                "",
                "",
                "",
                &cell(error),
            ])?;
            continue;
        }
        let mut scopes = vec![(".", &line.owner, line.level, &line.rules)];
        scopes.extend(
            line.units
                .iter()
                .map(|u| (u.root.as_str(), &u.owner, u.level, &u.rules)),
        );
        for (unit, owner, level, rules) in scopes {
            rows(&mut writer, &line.repository, unit, owner, level, rules)?;
        }
    }
    writer.flush()
}

fn rows<W: Write>(
    writer: &mut csv::Writer<W>,
    repository: &str,
    unit: &str,
    owner: &Option<String>,
    level: Option<Level>,
    rules: &BTreeMap<String, RuleResult>,
) -> std::io::Result<()> {
    for (rule, result) in rules {
        writer.write_record([
            &*cell(repository),
            &cell(unit),
            &cell(owner.as_deref().unwrap_or("")),
            level_name(level),
            &cell(rule),
            if result.pass { "true" } else { "false" },
            &result.findings.to_string(),
            "",
        ])?;
    }
    Ok(())
}

/// `text` as a spreadsheet shows it rather than runs it.
fn cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::report::summary::tests::fixture_lines;

    #[test]
    fn one_row_per_repository_unit_and_rule() {
        let mut out = Vec::new();
        super::render(&fixture_lines("small.jsonl"), &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }

    #[test]
    fn formulas_are_shown_not_run() {
        assert_eq!(super::cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::cell("@org/team"), "'@org/team");
        assert_eq!(super::cell("-1+2"), "'-1+2");
        assert_eq!(super::cell("payments"), "payments");
    }
}
