//! `--format csv`: one row per repository (and per service unit) and per rule, for a
//! spreadsheet's filters and pivot tables. A repository that could not be audited has one
//! row with its error and no rule.

use std::io::Write;

use super::results::{level_name, Level, Line, RuleResult};
use std::collections::BTreeMap;

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
            writer.write_record([&line.repository, ".", owner, "", "", "", "", error])?;
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
            repository,
            unit,
            owner.as_deref().unwrap_or(""),
            level_name(level),
            rule,
            if result.pass { "true" } else { "false" },
            &result.findings.to_string(),
            "",
        ])?;
    }
    Ok(())
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
}
