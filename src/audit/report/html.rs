//! `--format html`: one self-contained page a platform team would rather look at than
//! read — headline numbers, inline SVG charts (levels, pass rate per rule, trend), teams,
//! the worst repositories and a sortable table of every repository. Nothing is fetched:
//! the CSS, the charts and the small sorting script are all inline, so the page works from
//! a CI artifact or an air-gapped share. Every string from the results came from a
//! repository or a policy and is escaped.

use std::fmt::Write as _;
use std::io::Write;

use super::percent;
use super::results::{level_name, Level};
use super::summary::{ratio, HistorySummary, LevelCounts, RepositoryRow, Summary, TeamSummary};
use crate::report::plural;

/// How many rules the rule trend chart draws: the least-passed ones, or it is a tangle.
const TREND_RULES: usize = 8;
/// How many new and fixed findings the changes section lists (new ones first).
const LISTED_CHANGES: usize = 50;
/// Rule ids longer than this are shortened in chart labels (the full id is the tooltip).
const LABEL_CHARS: usize = 46;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("sort.js");

/// Colours of the lines of the rule trend chart, in order.
const PALETTE: [&str; TREND_RULES] = [
    "#d6336c", "#1c7ed6", "#f08c00", "#2f9e44", "#7048e8", "#0c8599", "#e8590c", "#5c940d",
];

pub fn render(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    let mut page = String::with_capacity(64 * 1024);
    // Writing to a String cannot fail.
    let _ = write_page(summary, &mut page);
    out.write_all(page.as_bytes())
}

fn write_page(summary: &Summary, page: &mut String) -> std::fmt::Result {
    write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>paved audit: {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        plural(summary.repositories, "repository")
    )?;
    header(summary, page)?;
    page.push_str("<main>\n");
    cards(summary, page)?;
    page.push_str("<div class=\"grid\">\n");
    section(page, "Levels", "levels", |page| {
        level_chart(&summary.levels, page)
    })?;
    section(page, "Teams", "teams", |page| teams(summary, page))?;
    page.push_str("</div>\n");
    if let Some(history) = &summary.history {
        section(page, "Trend", "trend", |page| trend(summary, history, page))?;
    }
    section(page, "Pass rate per rule", "rules", |page| {
        rule_chart(summary, page)
    })?;
    if !summary.worst.is_empty() {
        section(page, "Worst repositories", "worst", |page| {
            let rows: Vec<&RepositoryRow> = summary
                .worst
                .iter()
                .filter_map(|r| summary.row(r))
                .collect();
            repository_table(summary, &rows, page)
        })?;
    }
    if let Some(history) = &summary.history {
        section(page, "Changes since the previous run", "changes", |page| {
            changes(summary, history, page)
        })?;
    }
    section(page, "Repositories", "repositories", |page| {
        let rows: Vec<&RepositoryRow> = summary
            .results
            .iter()
            .filter(|r| r.error.is_none())
            .collect();
        repository_table(summary, &rows, page)
    })?;
    if summary.failed > 0 {
        section(page, "Could not be audited", "failed", |page| {
            failed(summary, page)
        })?;
    }
    if !summary.notes.is_empty() || !summary.problems.is_empty() {
        section(page, "Notes", "notes", |page| notes(summary, page))?;
    }
    write!(
        page,
        "</main>\n<footer>paved {} · audit report</footer>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    )
}

fn section(
    page: &mut String,
    title: &str,
    id: &str,
    body: impl FnOnce(&mut String) -> std::fmt::Result,
) -> std::fmt::Result {
    write!(page, "<section id=\"{id}\">\n<h2>{title}</h2>\n")?;
    body(page)?;
    page.push_str("</section>\n");
    Ok(())
}

/// Text from the results, safe in HTML content and in quoted attributes. Control
/// characters are shown as escapes rather than passed to the page.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c if c.is_control() => escaped.extend(c.escape_default()),
            c => escaped.push(c),
        }
    }
    escaped
}

/// `text` cut to `LABEL_CHARS` characters with an ellipsis, for a chart label.
fn shortened(text: &str) -> String {
    if text.chars().count() <= LABEL_CHARS {
        return text.to_string();
    }
    let kept: String = text.chars().take(LABEL_CHARS - 1).collect();
    format!("{kept}…")
}

fn level_badge(level: Option<Level>) -> String {
    format!(
        "<span class=\"badge {}\">{}</span>",
        level_name(level),
        level_name(level)
    )
}

fn owner_text(owner: &Option<String>) -> String {
    match owner {
        Some(owner) => escape(owner),
        None => "<span class=\"muted\">no owner</span>".into(),
    }
}

fn header(summary: &Summary, page: &mut String) -> std::fmt::Result {
    let started = summary.started.as_deref().unwrap_or("no results");
    write!(
        page,
        "<header>\n<h1>Platform standards audit</h1>\n<p>{} · started {}{}</p>\n</header>\n",
        plural(summary.repositories, "repository"),
        escape(started),
        summary
            .history
            .as_ref()
            .and_then(|h| h.previous.as_deref())
            .map(|p| format!(" · compared with the run of {}", escape(p)))
            .unwrap_or_default()
    )
}

fn cards(summary: &Summary, page: &mut String) -> std::fmt::Result {
    let levels = &summary.levels;
    let audited = summary.audited;
    let share = |n: u64| percent(ratio(n, audited));
    let cards = [
        (
            "",
            summary.audited.to_string(),
            "repositories audited".to_string(),
        ),
        (
            "gold",
            levels.gold.to_string(),
            format!("gold · {}", share(levels.gold)),
        ),
        (
            "silver",
            levels.silver.to_string(),
            format!("silver · {}", share(levels.silver)),
        ),
        (
            "bronze",
            levels.bronze.to_string(),
            format!("bronze · {}", share(levels.bronze)),
        ),
        (
            "none",
            levels.none.to_string(),
            format!("below bronze · {}", share(levels.none)),
        ),
        ("", summary.counts.error.to_string(), "errors".into()),
        ("", summary.counts.warning.to_string(), "warnings".into()),
        (
            "failed",
            summary.failed.to_string(),
            "could not be audited".into(),
        ),
    ];
    page.push_str("<div class=\"cards\">\n");
    for (class, number, label) in cards {
        writeln!(
            page,
            "<div class=\"card {class}\"><div class=\"number\">{number}</div><div class=\"label\">{label}</div></div>"
        )?;
    }
    page.push_str("</div>\n");
    Ok(())
}

/// One horizontal bar per level, highest first.
fn level_chart(levels: &LevelCounts, page: &mut String) -> std::fmt::Result {
    let (width, row, label, bar) = (440, 40, 110.0, 230.0);
    let max = levels
        .entries()
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(1);
    let height = row * 4 + 10;
    writeln!(
        page,
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Repositories per level\">"
    )?;
    for (i, (level, count)) in levels.entries().into_iter().rev().enumerate() {
        let y = 5 + i as i32 * row;
        let length = bar * count as f64 / max as f64;
        let name = match level {
            None => "below bronze",
            Some(level) => level.as_str(),
        };
        writeln!(
            page,
            "<text x=\"{:.0}\" y=\"{}\" class=\"label\" text-anchor=\"end\">{name}</text>\
             <rect x=\"{label}\" y=\"{}\" width=\"{length:.1}\" height=\"26\" rx=\"4\" class=\"fill-{}\"><title>{name}: {count}</title></rect>\
             <text x=\"{:.1}\" y=\"{}\" class=\"value\">{count} · {}</text>",
            label - 12.0,
            y + 18,
            y + 2,
            level_name(level),
            label + length + 8.0,
            y + 18,
            percent(ratio(count, levels.total()))
        )?;
    }
    page.push_str("</svg>\n");
    Ok(())
}

/// One bar per rule, least passed first, coloured by how far it is from passing everywhere.
fn rule_chart(summary: &Summary, page: &mut String) -> std::fmt::Result {
    let rules = summary.rules_by_pass_rate();
    if rules.is_empty() {
        page.push_str("<p class=\"muted\">No rule ran.</p>\n");
        return Ok(());
    }
    let (width, row, label, bar) = (900, 26, 360.0, 360.0);
    let height = row * rules.len() as i32 + 28;
    writeln!(
        page,
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Pass rate per rule\">"
    )?;
    for tick in [0, 25, 50, 75, 100] {
        let x = label + bar * f64::from(tick) / 100.0;
        writeln!(
            page,
            "<line x1=\"{x:.1}\" y1=\"0\" x2=\"{x:.1}\" y2=\"{}\" class=\"grid\"/><text x=\"{x:.1}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{tick}%</text>",
            height - 22,
            height - 6
        )?;
    }
    for (i, rule) in rules.iter().enumerate() {
        let y = i as i32 * row;
        let rate = rule.pass_rate();
        let tone = match rate {
            r if r >= 0.9 => "good",
            r if r >= 0.6 => "fair",
            _ => "poor",
        };
        writeln!(
            page,
            "<g><title>{id}: passes in {passing} of {total} repositories, {findings} findings</title>\
             <text x=\"{:.0}\" y=\"{}\" class=\"label mono\" text-anchor=\"end\">{short}</text>\
             <rect x=\"{label}\" y=\"{}\" width=\"{bar}\" height=\"16\" rx=\"3\" class=\"track\"/>\
             <rect x=\"{label}\" y=\"{}\" width=\"{:.1}\" height=\"16\" rx=\"3\" class=\"fill-{tone}\"/>\
             <text x=\"{:.0}\" y=\"{}\" class=\"value\">{} <tspan class=\"level-{}\">{}</tspan></text></g>",
            label - 10.0,
            y + 17,
            y + 4,
            y + 4,
            bar * rate,
            label + bar + 10.0,
            y + 17,
            percent(rate),
            level_name(rule.level),
            rule.level.map_or("", Level::as_str),
            id = escape(&rule.rule),
            short = escape(&shortened(&rule.rule)),
            passing = rule.passing,
            total = rule.repositories,
            findings = rule.findings,
        )?;
    }
    page.push_str("</svg>\n");
    Ok(())
}

/// A team's repositories as one stacked bar: gold, silver, bronze, below, not audited.
fn team_bar(team: &TeamSummary, page: &mut String) -> std::fmt::Result {
    let width = 160.0;
    let total = team.repositories.max(1) as f64;
    write!(
        page,
        "<svg class=\"stack\" viewBox=\"0 0 {width} 16\" width=\"{width}\" height=\"16\" role=\"img\" aria-label=\"Levels of the team's repositories\">"
    )?;
    let mut x = 0.0;
    let mut segments: Vec<(&str, u64)> = team
        .levels
        .entries()
        .into_iter()
        .rev()
        .map(|(level, n)| (level_name(level), n))
        .collect();
    segments.push(("failed", team.failed));
    for (class, count) in segments {
        if count == 0 {
            continue;
        }
        let length = width * count as f64 / total;
        write!(
            page,
            "<rect x=\"{x:.1}\" y=\"0\" width=\"{length:.1}\" height=\"16\" class=\"fill-{class}\"><title>{class}: {count}</title></rect>"
        )?;
        x += length;
    }
    page.push_str("</svg>");
    Ok(())
}

fn teams(summary: &Summary, page: &mut String) -> std::fmt::Result {
    page.push_str(
        "<table class=\"sortable\">\n<thead><tr><th>Team</th><th class=\"num\">Repositories</th>\
         <th data-nosort>Levels</th><th class=\"num\">Rules passing</th><th class=\"num\">Errors</th>\
         <th class=\"num\">Warnings</th></tr></thead>\n<tbody>\n",
    );
    for team in &summary.teams {
        let passing = ratio(team.passing, team.checks);
        let (sort, shown) = if team.checks == 0 {
            ("-1".to_string(), "—".to_string())
        } else {
            (format!("{passing:.4}"), percent(passing))
        };
        write!(
            page,
            "<tr><td>{}</td><td class=\"num\">{}</td><td>",
            owner_text(&team.owner),
            team.repositories
        )?;
        team_bar(team, page)?;
        writeln!(
            page,
            "</td><td class=\"num\" data-v=\"{sort}\">{shown}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            team.counts.error,
            team.counts.warning
        )?;
    }
    page.push_str("</tbody>\n</table>\n<p class=\"legend\">");
    for class in ["gold", "silver", "bronze", "none", "failed"] {
        write!(page, "<span><i class=\"fill-{class}\"></i>{class}</span>")?;
    }
    page.push_str("</p>\n");
    Ok(())
}

/// A line chart of `series` (name, CSS class or colour, one value per run) from 0 to `max`.
fn line_chart(
    labels: &[String],
    series: &[(String, String, Vec<f64>)],
    max: f64,
    as_percent: bool,
    title: &str,
    page: &mut String,
) -> std::fmt::Result {
    let (width, height, left, right, top, bottom) = (900.0, 260.0, 48.0, 48.0, 12.0, 30.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let max = if max > 0.0 { max } else { 1.0 };
    let x = |i: usize| {
        if labels.len() < 2 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (labels.len() - 1) as f64
        }
    };
    let y = |v: f64| top + plot_h * (1.0 - v / max);
    writeln!(
        page,
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{title}\">"
    )?;
    for step in 0..=4 {
        let value = max * f64::from(step) / 4.0;
        let shown = if as_percent {
            percent(value)
        } else {
            format!("{value:.0}")
        };
        writeln!(
            page,
            "<line x1=\"{left}\" y1=\"{0:.1}\" x2=\"{1}\" y2=\"{0:.1}\" class=\"grid\"/><text x=\"{2}\" y=\"{3:.1}\" class=\"tick\" text-anchor=\"end\">{shown}</text>",
            y(value),
            width - right,
            left - 6.0,
            y(value) + 4.0
        )?;
    }
    for (i, label) in labels.iter().enumerate() {
        writeln!(
            page,
            "<text x=\"{:.1}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{}</text>",
            x(i),
            height - 8.0,
            escape(label)
        )?;
    }
    for (name, colour, values) in series {
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        let (class, style) = if colour.starts_with('#') {
            (
                String::new(),
                format!(" style=\"stroke:{colour};fill:{colour}\""),
            )
        } else {
            (format!(" class=\"line-{colour}\""), String::new())
        };
        write!(
            page,
            "<g{class}{style}><polyline points=\"{}\" class=\"series\"/>",
            points.join(" ")
        )?;
        for (i, v) in values.iter().enumerate() {
            let shown = if as_percent {
                percent(*v)
            } else {
                format!("{v:.0}")
            };
            write!(
                page,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"><title>{}: {shown} on {}</title></circle>",
                x(i),
                y(*v),
                escape(name),
                escape(&labels[i])
            )?;
        }
        page.push_str("</g>\n");
    }
    page.push_str("</svg>\n");
    Ok(())
}

fn legend(series: &[(String, String, Vec<f64>)], page: &mut String) -> std::fmt::Result {
    page.push_str("<p class=\"legend\">");
    for (name, colour, _) in series {
        if colour.starts_with('#') {
            write!(
                page,
                "<span><i style=\"background:{colour}\"></i><code>{}</code></span>",
                escape(name)
            )?;
        } else {
            write!(
                page,
                "<span><i class=\"fill-{colour}\"></i>{}</span>",
                escape(name)
            )?;
        }
    }
    page.push_str("</p>\n");
    Ok(())
}

fn trend(summary: &Summary, history: &HistorySummary, page: &mut String) -> std::fmt::Result {
    if history.trend.len() < 2 {
        page.push_str(
            "<p class=\"muted\">The trend starts with this run: the next run recorded in the history draws it.</p>\n",
        );
        return Ok(());
    }
    let labels: Vec<String> = history
        .trend
        .iter()
        .map(|p| p.started.get(..10).unwrap_or(&p.started).to_string())
        .collect();
    let levels: Vec<(String, String, Vec<f64>)> = LevelCounts::default()
        .entries()
        .into_iter()
        .rev()
        .map(|(level, _)| {
            let values = history
                .trend
                .iter()
                .map(|p| {
                    p.levels
                        .entries()
                        .into_iter()
                        .find(|(l, _)| *l == level)
                        .map_or(0.0, |(_, n)| n as f64)
                })
                .collect();
            (
                level_name(level).to_string(),
                level_name(level).to_string(),
                values,
            )
        })
        .collect();
    // Up to a multiple of 4, so the four grid steps are whole numbers.
    let most = levels
        .iter()
        .flat_map(|(_, _, v)| v)
        .fold(0.0, |a: f64, b| a.max(*b));
    let most = (most / 4.0).ceil().max(1.0) * 4.0;
    page.push_str("<h3>Repositories per level</h3>\n");
    line_chart(
        &labels,
        &levels,
        most,
        false,
        "Repositories per level over runs",
        page,
    )?;
    legend(&levels, page)?;
    let rules: Vec<(String, String, Vec<f64>)> = summary
        .rules_by_pass_rate()
        .into_iter()
        .take(TREND_RULES)
        .zip(PALETTE)
        .map(|(rule, colour)| {
            let values = history
                .trend
                .iter()
                .map(|p| {
                    p.rules
                        .get(&rule.rule)
                        .map_or(0.0, |r| ratio(r.passing, r.repositories))
                })
                .collect();
            (rule.rule.clone(), colour.to_string(), values)
        })
        .collect();
    if !rules.is_empty() {
        writeln!(
            page,
            "<h3>Pass rate of the {} least-passed rules</h3>",
            rules.len()
        )?;
        line_chart(&labels, &rules, 1.0, true, "Rule pass rate over runs", page)?;
        legend(&rules, page)?;
    }
    Ok(())
}

/// The level after a row's, and the rules blocking it, as table cells.
fn next_cells(row: &RepositoryRow) -> String {
    match &row.next {
        Some(next) => {
            let blocking: Vec<String> = next
                .blocking
                .iter()
                .map(|r| format!("<code>{}</code>", escape(r)))
                .collect();
            format!(
                "<td>{}</td><td class=\"blocking\">{}</td>",
                level_badge(Some(next.level)),
                blocking.join(" ")
            )
        }
        None => "<td><span class=\"muted\">top level</span></td><td></td>".into(),
    }
}

fn repository_table(
    summary: &Summary,
    rows: &[&RepositoryRow],
    page: &mut String,
) -> std::fmt::Result {
    let history = summary.history.is_some();
    page.push_str(
        "<table class=\"sortable\">\n<thead><tr><th>Repository</th><th>Owner</th><th>Level</th>\
         <th>Next</th><th>Blocking</th><th class=\"num\">Errors</th><th class=\"num\">Warnings</th>\
         <th class=\"num\">Info</th><th class=\"num\">Files</th>",
    );
    if history {
        page.push_str("<th class=\"num\">New</th><th class=\"num\">Fixed</th>");
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        let rank = row.level.map_or(0, |l| l as u8 + 1);
        write!(
            page,
            "<tr><td><span class=\"repo\">{}</span>",
            escape(&row.repository)
        )?;
        for unit in &row.units {
            write!(
                page,
                "<div class=\"unit\">↳ <code>{}</code> {} {}</div>",
                escape(&unit.root),
                level_badge(unit.level),
                // A unit's own team, when it is not the repository's.
                match &unit.owner {
                    Some(owner) if unit.owner != row.owner => escape(owner),
                    _ => String::new(),
                }
            )?;
        }
        write!(
            page,
            "</td><td>{}</td><td data-v=\"{rank}\">{}</td>{}<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
            owner_text(&row.owner),
            level_badge(row.level),
            next_cells(row),
            row.counts.error,
            row.counts.warning,
            row.counts.info,
            row.files
        )?;
        if history {
            match &row.changes {
                Some(c) => {
                    // Zeros stay quiet; only a change is coloured.
                    let tone = |n: usize, class: &'static str| if n > 0 { class } else { "muted" };
                    write!(
                        page,
                        "<td class=\"num {}\">{}</td><td class=\"num {}\">{}</td>",
                        tone(c.new.len(), "new"),
                        c.new.len(),
                        tone(c.fixed.len(), "fixed"),
                        c.fixed.len()
                    )?
                }
                None => page.push_str("<td class=\"num muted\" data-v=\"-1\">—</td><td class=\"num muted\" data-v=\"-1\">—</td>"),
            }
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n");
    Ok(())
}

fn changes(summary: &Summary, history: &HistorySummary, page: &mut String) -> std::fmt::Result {
    if history.previous.is_none() {
        page.push_str("<p class=\"muted\">This is the first recorded run.</p>\n");
        return Ok(());
    }
    let (mut new, mut fixed, mut still) = (0, 0, 0);
    let mut listed = Vec::new();
    for row in &summary.results {
        if let Some(c) = &row.changes {
            new += c.new.len();
            fixed += c.fixed.len();
            still += c.still_failing.len();
            listed.extend(c.new.iter().map(|f| ("new", &row.repository, f)));
            listed.extend(c.fixed.iter().map(|f| ("fixed", &row.repository, f)));
        }
    }
    writeln!(
        page,
        "<div class=\"cards\"><div class=\"card new\"><div class=\"number\">{new}</div><div class=\"label\">new findings</div></div>\
         <div class=\"card fixed\"><div class=\"number\">{fixed}</div><div class=\"label\">fixed</div></div>\
         <div class=\"card\"><div class=\"number\">{still}</div><div class=\"label\">still failing</div></div></div>"
    )?;
    if listed.is_empty() {
        return Ok(());
    }
    listed.sort_by(|a, b| a.0.cmp(b.0).reverse().then(a.1.cmp(b.1)).then(a.2.cmp(b.2)));
    write!(
        page,
        "<details><summary>The findings, new first ({})</summary>\n\
         <table class=\"sortable\">\n<thead><tr><th></th><th>Repository</th><th>Rule</th><th>Where</th><th>Message</th></tr></thead>\n<tbody>\n",
        listed.len()
    )?;
    for (kind, repository, finding) in listed.iter().take(LISTED_CHANGES) {
        writeln!(
            page,
            "<tr><td><span class=\"badge {kind}\">{kind}</span></td><td>{}</td><td><code>{}</code></td><td><code>{}{}</code></td><td>{}</td></tr>",
            escape(repository),
            escape(&finding.rule),
            escape(&finding.file),
            finding.line.map(|l| format!(":{l}")).unwrap_or_default(),
            escape(&finding.message)
        )?;
    }
    page.push_str("</tbody>\n</table>\n</details>\n");
    if listed.len() > LISTED_CHANGES {
        writeln!(
            page,
            "<p class=\"muted\">…and {} more (the JSON report has them all).</p>",
            listed.len() - LISTED_CHANGES
        )?;
    }
    Ok(())
}

fn failed(summary: &Summary, page: &mut String) -> std::fmt::Result {
    page.push_str(
        "<table class=\"sortable\">\n<thead><tr><th>Repository</th><th>Owner</th><th>Error</th></tr></thead>\n<tbody>\n",
    );
    for row in summary.results.iter().filter(|r| r.error.is_some()) {
        writeln!(
            page,
            "<tr><td class=\"repo\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&row.repository),
            owner_text(&row.owner),
            escape(row.error.as_deref().unwrap_or(""))
        )?;
    }
    page.push_str("</tbody>\n</table>\n");
    Ok(())
}

fn notes(summary: &Summary, page: &mut String) -> std::fmt::Result {
    page.push_str("<ul>\n");
    for note in &summary.notes {
        writeln!(page, "<li>{}</li>", escape(note))?;
    }
    for problem in &summary.problems {
        writeln!(
            page,
            "<li>unreadable line {}</li>",
            escape(&problem.to_string())
        )?;
    }
    page.push_str("</ul>\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::report::summary::tests::fixture;

    fn page(summary: &Summary) -> String {
        let mut out = Vec::new();
        render(summary, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escaping_covers_html_and_attributes() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\"\u{1b}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;\\u{1b}"
        );
    }

    #[test]
    fn the_page_is_self_contained_and_escapes_what_repositories_wrote() {
        let mut summary = fixture("small.jsonl");
        // A repository name and owner are repository-controlled too.
        summary.results[0].repository = "<img src=x onerror=alert(1)>".into();
        summary.teams[0].owner = Some("\"><script>alert(2)</script>".into());
        let html = page(&summary);
        // Inside tags: no reference to anything outside the page.
        for tag in html.split('<').skip(1) {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            for reference in ["src=", "href=", "http:", "https:", "url("] {
                assert!(!tag.contains(reference), "<{tag}>");
            }
        }
        let style = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
        assert!(!style.contains("url(") && !style.contains("@import"));
        assert_eq!(
            html.matches("<script").count(),
            1,
            "only the sorting script"
        );
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
        assert!(!html.contains("<img"));
    }

    #[test]
    fn every_chart_is_one_svg() {
        let summary = fixture("small.jsonl");
        let html = page(&summary);
        // Levels, rules, and one stacked bar per team (3); no trend without history.
        assert_eq!(html.matches("<svg").count(), 2 + summary.teams.len());
        assert_eq!(html.matches("</svg>").count(), 2 + summary.teams.len());
        assert_eq!(html.matches("aria-label=\"Pass rate per rule\"").count(), 1);
        // One bar per rule, least passed first.
        let first = html
            .find("containers/healthcheck: passes in 1 of 3")
            .unwrap();
        let last = html.find("repository/readme: passes in 3 of 3").unwrap();
        assert!(first < last);
        for id in [
            "levels",
            "teams",
            "rules",
            "worst",
            "repositories",
            "failed",
        ] {
            assert_eq!(
                html.matches(&format!("<section id=\"{id}\">")).count(),
                1,
                "{id}"
            );
        }
        assert!(!html.contains("id=\"trend\""));
    }

    #[test]
    fn one_recorded_run_has_no_trend_to_draw_yet() {
        let first = crate::audit::history::tests::recorded(&["small.jsonl"]);
        let html = page(&first);
        assert_eq!(html.matches("<section id=\"trend\">").count(), 1);
        assert!(html.contains("The trend starts with this run"));
        assert_eq!(html.matches("<polyline").count(), 0);
        assert!(html.contains("This is the first recorded run."));
    }

    #[test]
    fn with_history_the_trend_is_two_line_charts() {
        let second = crate::audit::history::tests::recorded(&["small.jsonl", "small-next.jsonl"]);
        let html = page(&second);
        assert_eq!(html.matches("<section id=\"trend\">").count(), 1);
        assert_eq!(
            html.matches("<polyline").count(),
            4 + 4,
            "4 levels, 4 rules"
        );
        assert_eq!(html.matches("<svg").count(), 4 + second.teams.len());
        assert!(
            html.contains("<div class=\"number\">1</div><div class=\"label\">new findings</div>")
        );
        assert!(html.contains("<div class=\"number\">3</div><div class=\"label\">fixed</div>"));
        // The new finding's message came from a repository: shown, never run.
        assert!(html.contains("&lt;script&gt;alert(&#39;new&#39;)&lt;/script&gt;"));
        assert_eq!(html.matches("<script").count(), 1);
    }
}
