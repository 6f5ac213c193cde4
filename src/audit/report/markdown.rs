//! `--format markdown`: the audit for an issue or a wiki page — headline numbers, level
//! counts, the most failed rules, teams, the worst repositories, changes and the trend
//! when there is history, then every repository folded away.

use std::io::Write;

use super::percent;
use super::results::{level_name, Level, Next};
use super::summary::{ratio, RepositoryRow, Summary};
use crate::report::escape::{markdown_code as code, markdown_text as text};
use crate::report::plural;

/// How many failing rules the "top" table shows; the JSON and HTML have them all.
const TOP_RULES: usize = 15;
/// How many past runs the trend tables show.
const TREND_RUNS: usize = 8;

pub fn render(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "# paved audit: {}\n",
        plural(summary.repositories, "repository")
    )?;
    let started = summary.started.as_deref().unwrap_or("(no results)");
    writeln!(
        out,
        "Started {} · {} audited · {} could not be audited · {} · {}, {}, {} info\n",
        text(started),
        summary.audited,
        summary.failed,
        plural(summary.files, "file"),
        plural(summary.counts.error, "error"),
        plural(summary.counts.warning, "warning"),
        summary.counts.info
    )?;
    levels(summary, out)?;
    rules(summary, out)?;
    teams(summary, out)?;
    worst(summary, out)?;
    changes(summary, out)?;
    trend(summary, out)?;
    repositories(summary, out)?;
    notes(summary, out)
}

fn level_label(level: Option<Level>) -> &'static str {
    match level {
        Some(Level::Gold) => "🥇 gold",
        Some(Level::Silver) => "🥈 silver",
        Some(Level::Bronze) => "🥉 bronze",
        None => "below bronze",
    }
}

fn owner(owner: &Option<String>) -> String {
    owner
        .as_deref()
        .map_or("(no owner)".into(), |o| code(o, true))
}

fn levels(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "## Levels\n\n| Level | Repositories | Share |\n|---|---:|---:|"
    )?;
    for (level, count) in summary.levels.entries().into_iter().rev() {
        let share = percent(ratio(count, summary.audited));
        writeln!(out, "| {} | {count} | {share} |", level_label(level))?;
    }
    writeln!(out)
}

fn rules(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    let failing: Vec<_> = summary
        .rules_by_pass_rate()
        .into_iter()
        .filter(|r| r.passing < r.repositories)
        .collect();
    writeln!(out, "## Top failing rules\n")?;
    if failing.is_empty() {
        return writeln!(out, "Every rule passes in every audited repository.\n");
    }
    writeln!(
        out,
        "| Rule | Level | Pass rate | Failing in | Findings |\n|---|---|---:|---:|---:|"
    )?;
    for rule in failing.iter().take(TOP_RULES) {
        writeln!(
            out,
            "| {} | {} | {} | {} of {} | {} |",
            code(&rule.rule, true),
            level_name(rule.level),
            percent(rule.pass_rate()),
            rule.repositories - rule.passing,
            rule.repositories,
            rule.findings
        )?;
    }
    if failing.len() > TOP_RULES {
        writeln!(
            out,
            "\n…and {} more failing rules.",
            failing.len() - TOP_RULES
        )?;
    }
    writeln!(out)
}

fn teams(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "## Teams\n\n| Team | Repositories | gold | silver | bronze | none | not audited | Rules passing |\n|---|---:|---:|---:|---:|---:|---:|---:|"
    )?;
    for team in &summary.teams {
        let l = &team.levels;
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            owner(&team.owner),
            team.repositories,
            l.gold,
            l.silver,
            l.bronze,
            l.none,
            team.failed,
            if team.checks == 0 {
                "—".into()
            } else {
                percent(ratio(team.passing, team.checks))
            }
        )?;
    }
    writeln!(out)
}

/// The level after a repository's or unit's, and what blocks it.
fn next_cells(level: Option<Level>, next: &Option<Next>) -> (String, String) {
    match next {
        Some(next) => (
            next.level.as_str().to_string(),
            next.blocking
                .iter()
                .map(|r| code(r, true))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        None if level == Some(Level::Gold) => ("—".into(), String::new()),
        None => (String::new(), String::new()),
    }
}

fn repository_table<'a>(
    rows: impl Iterator<Item = &'a RepositoryRow>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "| Repository | Owner | Level | Next | Blocking | Errors | Warnings | Info |\n|---|---|---|---|---|---:|---:|---:|"
    )?;
    for row in rows {
        let units = row.units.iter().map(|u| {
            let name = format!("↳ {}", code(&u.root, true));
            (name, &u.owner, u.level, &u.next, &u.counts)
        });
        let repository = (
            code(&row.repository, true),
            &row.owner,
            row.level,
            &row.next,
            &row.counts,
        );
        for (name, who, level, next, counts) in std::iter::once(repository).chain(units) {
            let (next, blocking) = next_cells(level, next);
            writeln!(
                out,
                "| {name} | {} | {} | {next} | {blocking} | {} | {} | {} |",
                owner(who),
                level_name(level),
                counts.error,
                counts.warning,
                counts.info
            )?;
        }
    }
    Ok(())
}

fn worst(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    if summary.worst.is_empty() {
        return Ok(());
    }
    writeln!(out, "## Worst repositories\n")?;
    repository_table(summary.worst.iter().filter_map(|r| summary.row(r)), out)?;
    writeln!(out)
}

fn changes(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    let Some(history) = &summary.history else {
        return Ok(());
    };
    let Some(previous) = &history.previous else {
        return writeln!(out, "## Changes\n\nThis is the first recorded run.\n");
    };
    writeln!(out, "## Changes since {}\n", text(previous))?;
    let changed: Vec<_> = summary
        .results
        .iter()
        .filter_map(|r| r.changes.as_ref().map(|c| (r, c)))
        .filter(|(_, c)| !(c.new.is_empty() && c.fixed.is_empty() && c.still_failing.is_empty()))
        .collect();
    if changed.is_empty() {
        return writeln!(out, "No findings then or now.\n");
    }
    writeln!(
        out,
        "| Repository | New | Fixed | Still failing |\n|---|---:|---:|---:|"
    )?;
    for (row, c) in changed {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            code(&row.repository, true),
            c.new.len(),
            c.fixed.len(),
            c.still_failing.len()
        )?;
    }
    writeln!(out)
}

fn trend(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    let Some(history) = &summary.history else {
        return Ok(());
    };
    let runs = &history.trend[history.trend.len().saturating_sub(TREND_RUNS)..];
    writeln!(
        out,
        "## Trend\n\n| Run | Audited | gold | silver | bronze | none |\n|---|---:|---:|---:|---:|---:|"
    )?;
    for point in runs {
        let l = &point.levels;
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            text(&point.started),
            point.audited,
            l.gold,
            l.silver,
            l.bronze,
            l.none
        )?;
    }
    write!(out, "\n| Rule pass rate |")?;
    for point in runs {
        write!(
            out,
            " {} |",
            text(point.started.get(..10).unwrap_or(&point.started))
        )?;
    }
    write!(out, "\n|---|")?;
    for _ in runs {
        write!(out, "---:|")?;
    }
    writeln!(out)?;
    for rule in &summary.rules {
        write!(out, "| {} |", code(&rule.rule, true))?;
        for point in runs {
            match point.rules.get(&rule.rule) {
                Some(p) => write!(out, " {} |", percent(ratio(p.passing, p.repositories)))?,
                None => write!(out, " |")?,
            }
        }
        writeln!(out)?;
    }
    writeln!(out)
}

fn repositories(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    let audited = summary.results.iter().filter(|r| r.error.is_none());
    writeln!(
        out,
        "<details><summary>All {} audited repositories</summary>\n",
        summary.audited
    )?;
    repository_table(audited, out)?;
    writeln!(out, "\n</details>\n")?;
    if summary.failed > 0 {
        writeln!(out, "## Could not be audited\n")?;
        for row in &summary.results {
            if let Some(error) = &row.error {
                writeln!(out, "- {}: {}", code(&row.repository, false), text(error))?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

fn notes(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    if summary.notes.is_empty() && summary.problems.is_empty() {
        return Ok(());
    }
    writeln!(out, "## Notes\n")?;
    for note in &summary.notes {
        writeln!(out, "- {}", text(note))?;
    }
    for problem in &summary.problems {
        writeln!(out, "- unreadable line {}", text(&problem.to_string()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::audit::report::summary::tests::fixture;

    #[test]
    fn the_small_organisation() {
        let mut out = Vec::new();
        super::render(&fixture("small.jsonl"), &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }

    #[test]
    fn with_history_changes_and_the_trend() {
        let mut out = Vec::new();
        super::render(
            &crate::audit::history::tests::recorded(&["small.jsonl", "small-next.jsonl"]),
            &mut out,
        )
        .unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }
}
