//! Suppressions, with governance: inline `paved:ignore` comments, waivers from the config
//! (owned, with a reason and an expiry) and a baseline of known findings. Every suppression
//! is recorded so it can be shown; an ignore or waiver that matches nothing, an expired
//! waiver, a missing reason or a forbidden inline ignore is itself a finding.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::config::{Suppressions, Waiver};
use crate::finding::{Finding, Location, Severity};
use crate::parse::{Children, Document, Format, Node};
use crate::source::{SourceFile, Span};

use crate::policy::own::{
    EXPIRED_WAIVER as EXPIRED, FORBIDDEN_SUPPRESSION as FORBIDDEN, INVALID_SUPPRESSION as INVALID,
    MISSING_REASON, UNUSED_SUPPRESSION as UNUSED,
};

/// What a rule id written in an inline ignore names, in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleId {
    /// A rule that ran: an ignore of it that matches nothing is unused.
    Runs,
    /// A rule that exists but was not selected: nothing to match, nothing to report.
    NotSelected,
    /// No rule has this id (a typo): the ignore can never apply.
    Unknown,
}

/// A finding that was not reported, and what suppressed it.
#[derive(Debug, Clone, Serialize)]
pub struct Suppressed {
    pub finding: Finding,
    /// `inline`, `waiver` or `baseline`.
    pub by: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Where the suppression is written (`file:line`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// One `paved:ignore` comment.
#[derive(Debug, Clone, PartialEq)]
struct Ignore {
    rules: Vec<String>,
    reason: Option<String>,
    /// The comment's span, where findings about the ignore point.
    span: Span,
    /// The line it covers: its own when it trails code, else the next line with code.
    target: usize,
}

/// Finds `# paved:ignore a/b,c/d -- reason` comments (`//` where the format uses it). Only
/// real comments count: the marker is one of the format's comment `markers`, it does not
/// stand inside a string or scalar of the parsed document (`strings`), so an ignore quoted
/// in a YAML block scalar or a JSON string is text, not a comment, and it starts the line's
/// comment, so a comment that mentions the syntax (`` # write `# paved:ignore RULE` ``) is
/// not one.
fn ignores(source: &SourceFile<'_>, markers: &[&str], strings: &[Span]) -> Vec<Ignore> {
    let mut found = Vec::new();
    let lines: Vec<&str> = source.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        if !line.contains("paved:ignore") {
            continue;
        }
        let line_start = source.offset(index + 1, 0);
        let in_string = |at: usize| strings.iter().any(|s| s.contains(&(line_start + at)));
        let first_comment = markers
            .iter()
            .flat_map(|m| line.match_indices(*m).map(|(at, _)| at))
            .filter(|&at| !in_string(at))
            .min();
        let comment = line.match_indices("paved:ignore").find_map(|(at, _)| {
            let before = line[..at].trim_end();
            let marker = markers.iter().find(|m| before.ends_with(**m))?;
            let comment_start = before.len() - marker.len();
            (first_comment == Some(comment_start)).then_some((comment_start, at))
        });
        let Some((comment_start, at)) = comment else {
            continue;
        };
        let rest = &line[at + "paved:ignore".len()..];
        let (ids, reason) = match rest.split_once("--") {
            Some((ids, reason)) => (
                ids,
                Some(reason.trim().to_string()).filter(|r| !r.is_empty()),
            ),
            None => (rest, None),
        };
        let rules: Vec<String> = ids
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let trailing = !line[..comment_start].trim().is_empty();
        let target = if trailing {
            index + 1
        } else {
            lines[index + 1..]
                .iter()
                .position(|l| {
                    let t = l.trim();
                    !t.is_empty() && !markers.iter().any(|m| t.starts_with(m))
                })
                .map_or(index + 2, |offset| index + 2 + offset)
        };
        let start = line_start + comment_start;
        found.push(Ignore {
            rules,
            reason,
            span: start..line_start + line.len(),
            target,
        });
    }
    found
}

/// The spans of a document's keys and scalars: a `paved:ignore` inside one is not a comment.
/// HCL expressions other than strings and heredocs are code, and may hold comments.
fn string_spans(map: &Node, text: &str, format: Format, spans: &mut Vec<Span>) {
    spans.extend(map.key.clone());
    match &map.children {
        Children::Object(members) => members
            .iter()
            .for_each(|(_, n)| string_spans(n, text, format, spans)),
        Children::Array(items) => items
            .iter()
            .for_each(|n| string_spans(n, text, format, spans)),
        Children::Leaf => {
            let written = text.get(map.span.clone()).unwrap_or_default();
            if format != Format::Hcl || written.starts_with(['"', '<']) {
                spans.push(map.span.clone());
            }
        }
    }
}

/// The spans a block ignore on `line` covers: every node whose key starts on that line.
fn covered(map: &Node, source: &SourceFile<'_>, line: usize, spans: &mut Vec<Span>) {
    if let Some(key) = &map.key {
        if source.line(key.start) == line {
            spans.push(key.start..map.span.end.max(key.end));
        }
    }
    match &map.children {
        Children::Object(members) => members
            .iter()
            .for_each(|(_, n)| covered(n, source, line, spans)),
        Children::Array(items) => items.iter().for_each(|n| covered(n, source, line, spans)),
        Children::Leaf => {}
    }
}

fn globs(patterns: &[String]) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        if let Ok(glob) = Glob::new(pattern) {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

/// A parsed file, as the inline ignores in it are read.
pub struct InlineFile<'a> {
    pub name: &'a str,
    pub source: &'a SourceFile<'a>,
    pub format: Format,
    pub documents: &'a [Document],
}

/// Applies a file's inline ignores to its findings. `rule_id` tells what each id names, so
/// an ignore of a rule that was not selected is not called unused, and one that names no
/// rule at all (or none) is reported: otherwise it would silently do nothing.
pub fn apply_inline(
    in_file: &InlineFile<'_>,
    findings: &mut Vec<Finding>,
    suppressed: &mut Vec<Suppressed>,
    settings: &Suppressions,
    rule_id: &dyn Fn(&str) -> RuleId,
) {
    let &InlineFile {
        name: file,
        source,
        format,
        documents,
    } = in_file;
    let mut strings = Vec::new();
    for document in documents {
        string_spans(&document.map, source.text, format, &mut strings);
    }
    let ignores = ignores(source, format.comment_markers(), &strings);
    if ignores.is_empty() {
        return;
    }
    let forbidden = globs(&settings.forbid_inline);
    let mut meta_findings = Vec::new();
    for ignore in ignores {
        let location = Location::at(file, source, ignore.span.clone());
        let at = Some(format!("{file}:{}", source.line(ignore.span.start)));
        if ignore.rules.is_empty() {
            meta_findings.push(Finding::own(
                INVALID,
                Severity::Warning,
                "this paved:ignore names no rule; write the ids of the rules it ignores before `--`".into(),
                location,
            ));
            continue;
        }
        if ignore.reason.is_none() && settings.require_reason {
            meta_findings.push(Finding::own(
                MISSING_REASON,
                Severity::Warning,
                "this paved:ignore has no reason; write `-- why` after the rule ids, or it does not apply".into(),
                location,
            ));
            continue;
        }
        let mut spans = Vec::new();
        for document in documents {
            covered(&document.map, source, ignore.target, &mut spans);
        }
        let applies = |f: &Finding| {
            f.location.start.is_some_and(|p| p.line == ignore.target)
                || f.location
                    .span
                    .as_ref()
                    .is_some_and(|s| spans.iter().any(|c| c.contains(&s.start)))
        };
        for rule in &ignore.rules {
            let id = rule_id(rule);
            if id == RuleId::Unknown {
                meta_findings.push(Finding::own(
                    INVALID,
                    Severity::Warning,
                    format!("this paved:ignore names `{rule}`, which is not a rule paved knows; check the spelling"),
                    location.clone(),
                ));
                continue;
            }
            if !settings.allow_inline || forbidden.is_match(rule) {
                let why = if settings.allow_inline {
                    format!(
                        "`{rule}` may not be ignored inline here; ask for a waiver in paved.toml"
                    )
                } else {
                    "inline ignores are turned off here; ask for a waiver in paved.toml".to_string()
                };
                meta_findings.push(Finding::own(
                    FORBIDDEN,
                    Severity::Error,
                    why,
                    location.clone(),
                ));
                continue;
            }
            let before = findings.len();
            let mut kept = Vec::with_capacity(before);
            for finding in findings.drain(..) {
                if finding.rule == *rule && applies(&finding) {
                    suppressed.push(Suppressed {
                        finding,
                        by: "inline",
                        reason: ignore.reason.clone(),
                        owner: None,
                        expires: None,
                        at: at.clone(),
                    });
                } else {
                    kept.push(finding);
                }
            }
            *findings = kept;
            let matched = findings.len() < before;
            if !matched && id == RuleId::Runs {
                meta_findings.push(Finding::own(
                    UNUSED,
                    Severity::Warning,
                    format!("this paved:ignore for `{rule}` matches no finding; remove it"),
                    location.clone(),
                ));
            }
        }
    }
    findings.extend(meta_findings);
}

/// Applies the config's waivers to every finding. An expired waiver suppresses nothing and
/// is reported, and so is one that matched nothing.
/// Applies the waivers. Only a run over whole repositories (`judge_unused`) can tell a waiver
/// matches nothing: a `--changed-since` or pre-commit run sees a few files.
pub fn apply_waivers(
    waivers: &[Waiver],
    config_file: Option<&Path>,
    today: chrono::NaiveDate,
    judge_unused: bool,
    findings: &mut Vec<Finding>,
    suppressed: &mut Vec<Suppressed>,
) {
    let Some(config_file) = config_file else {
        return;
    };
    if waivers.is_empty() {
        return;
    }
    let parent = config_file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let base = parent.canonicalize().unwrap_or_default();
    let shown = config_file.display().to_string();
    let config_text = std::fs::read_to_string(config_file).unwrap_or_default();
    let source = SourceFile::new(&config_text);
    let mut meta_findings = Vec::new();
    for waiver in waivers {
        let location = Location::at(shown.clone(), &source, source.line_span(waiver.line));
        let expired = waiver.expiry().is_none_or(|date| date <= today);
        if expired {
            meta_findings.push(Finding::own(
                EXPIRED,
                Severity::Error,
                format!(
                    "the waiver for `{}` (owner {}) expired on {}; fix the findings or renew it",
                    waiver.rule, waiver.owner, waiver.expires
                ),
                location,
            ));
            continue;
        }
        let rule = Glob::new(&waiver.rule).map(|g| g.compile_matcher()).ok();
        let paths = globs(&waiver.paths);
        let before = findings.len();
        let mut kept = Vec::with_capacity(before);
        for finding in findings.drain(..) {
            let relative = relative_to(&base, &finding.location.file);
            let hit = rule.as_ref().is_some_and(|r| r.is_match(&finding.rule))
                && paths.is_match(&relative);
            if hit {
                suppressed.push(Suppressed {
                    finding,
                    by: "waiver",
                    reason: Some(waiver.reason.clone()),
                    owner: Some(waiver.owner.clone()),
                    expires: Some(waiver.expires.to_string()),
                    at: Some(format!("{shown}:{}", waiver.line)),
                });
            } else {
                kept.push(finding);
            }
        }
        *findings = kept;
        if judge_unused && findings.len() == before {
            meta_findings.push(Finding::own(
                UNUSED,
                Severity::Warning,
                format!(
                    "the waiver for `{}` on {} matches no finding; remove it",
                    waiver.rule,
                    waiver.paths.join(", ")
                ),
                location,
            ));
        }
    }
    findings.extend(meta_findings);
}

fn relative_to(base: &Path, file: &str) -> PathBuf {
    let absolute = std::path::absolute(file).unwrap_or_else(|_| PathBuf::from(file));
    absolute
        .strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| PathBuf::from(file))
}

/// The baseline versions paved reads (and writes the last of). Version 1 hashed the text
/// around a finding, so its fingerprints match nothing now.
const BASELINE_VERSIONS: [u32; 1] = [2];

/// A baseline: the fingerprints of findings accepted for now.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule: String,
    pub file: String,
    pub message: String,
}

impl Baseline {
    pub fn of(findings: &[Finding]) -> Baseline {
        Baseline {
            version: BASELINE_VERSIONS[BASELINE_VERSIONS.len() - 1],
            findings: findings
                .iter()
                .map(|f| BaselineEntry {
                    fingerprint: f.fingerprint.clone(),
                    rule: f.rule.clone(),
                    file: f
                        .location
                        .repository
                        .as_ref()
                        .map_or_else(|| f.location.file.clone(), |r| r.path.clone()),
                    message: f.message.clone(),
                })
                .collect(),
        }
    }

    pub fn read(path: &Path) -> anyhow::Result<Baseline> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{}: cannot read the baseline: {e}", path.display()))?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "{}:{}:{}: not a paved baseline: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if baseline.version == 1 {
            anyhow::bail!(
                "{}: this baseline was written by an older paved, whose fingerprints changed \
                 with the text around a finding; write it again with `paved baseline -o {}`",
                path.display(),
                path.display()
            );
        }
        if !BASELINE_VERSIONS.contains(&baseline.version) {
            anyhow::bail!(
                "{}: baseline version {} is not one paved reads (it reads version {})",
                path.display(),
                baseline.version,
                BASELINE_VERSIONS.map(|v| v.to_string()).join(", ")
            );
        }
        Ok(baseline)
    }
}

/// Drops the findings the baseline holds (as many of each fingerprint as it holds) and
/// returns the baseline entries no finding matched: those are fixed.
pub fn apply_baseline(
    baseline: &Baseline,
    findings: &mut Vec<Finding>,
    suppressed: &mut Vec<Suppressed>,
) -> Vec<BaselineEntry> {
    let mut remaining: HashMap<&str, Vec<&BaselineEntry>> = HashMap::new();
    for entry in &baseline.findings {
        remaining
            .entry(entry.fingerprint.as_str())
            .or_default()
            .push(entry);
    }
    let mut kept = Vec::with_capacity(findings.len());
    for finding in findings.drain(..) {
        match remaining
            .get_mut(finding.fingerprint.as_str())
            .and_then(Vec::pop)
        {
            Some(_) => suppressed.push(Suppressed {
                finding,
                by: "baseline",
                reason: None,
                owner: None,
                expires: None,
                at: None,
            }),
            None => kept.push(finding),
        }
    }
    *findings = kept;
    let mut fixed: Vec<BaselineEntry> = remaining.into_values().flatten().cloned().collect();
    fixed.sort_by(|a, b| (&a.file, &a.rule, &a.message).cmp(&(&b.file, &b.rule, &b.message)));
    fixed
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::parse::{parse, Kind, Options};

    /// The ignores of `text` read as `format`, with the spans of its parsed documents.
    fn ignores_in(text: &str, format: Format) -> Vec<Ignore> {
        let parsed = parse(text, format, Kind::Yaml, Options::default());
        assert_eq!(parsed.errors, []);
        let mut strings = Vec::new();
        for document in &parsed.documents {
            string_spans(&document.map, text, format, &mut strings);
        }
        ignores(&SourceFile::new(text), format.comment_markers(), &strings)
    }

    #[test]
    fn reads_ignore_comments() {
        let text = "a: 1 # paved:ignore x/y,z/w -- legacy\n# paved:ignore q/r\n\n# other\nb: 2\nc: 3 # paved:ignore k/l -- why\nd: \"paved:ignore not a comment\"\n";
        let found = ignores_in(text, Format::Yaml);
        assert_eq!(found.len(), 3);
        assert_eq!(
            (
                found[0].rules.clone(),
                found[0].reason.as_deref(),
                found[0].target
            ),
            (
                vec!["x/y".to_string(), "z/w".to_string()],
                Some("legacy"),
                1
            )
        );
        assert_eq!((found[1].reason.as_deref(), found[1].target), (None, 5));
        assert_eq!((found[2].rules[0].as_str(), found[2].target), ("k/l", 6));
        assert_eq!(
            &text[found[0].span.clone()],
            "# paved:ignore x/y,z/w -- legacy"
        );
    }

    #[test]
    fn ignores_inside_strings_and_block_scalars_are_not_comments() {
        let yaml = "script: |\n  echo hi # paved:ignore a/b -- in a block scalar\nq: \"x # paved:ignore a/b -- quoted\"\n'# paved:ignore a/b -- quoted key': 1\nplain: a#paved:ignore a/b\nreal: 1 # paved:ignore c/d -- real\n";
        let found = ignores_in(yaml, Format::Yaml);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].rules[0].as_str(), found[0].target), ("c/d", 6));

        let json =
            "{\"a\": \"// paved:ignore a/b -- string\",\n \"b\": 1 // paved:ignore c/d -- real\n}";
        let found = ignores_in(json, Format::Json);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].target, 2);

        let hcl = "a = \"# paved:ignore a/b -- string\"\nb = <<EOT\n# paved:ignore a/b -- heredoc\nEOT\nc = merge(\n  var.x, # paved:ignore c/d -- real, inside an expression\n)\n";
        let found = ignores_in(hcl, Format::Hcl);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].target, 6);

        let toml = "a = \"# paved:ignore a/b -- string\"\nb = \"\"\"\n# paved:ignore a/b -- multi-line\n\"\"\"\n# paved:ignore c/d -- real\nc = 1\n";
        let found = ignores_in(toml, Format::Toml);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].target, 6);

        let dockerfile =
            "# paved:ignore c/d -- real\nFROM alpine\nENV A=1 # paved:ignore a/b -- an argument\n";
        let found = ignores_in(dockerfile, Format::Dockerfile);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].target, 2);

        // `//` is not a YAML comment, `#` is not a JSON one.
        assert_eq!(ignores_in("a: 1 // paved:ignore a/b\n", Format::Yaml), []);

        // A comment that shows the syntax, or mentions it after other words, is not one.
        let mentions = "# write `# paved:ignore <rule> -- <reason>` to ignore\nb: 1 # see # paved:ignore a/b -- x\nurl: http://x/#y # paved:ignore c/d -- real\n";
        let found = ignores_in(mentions, Format::Yaml);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].rules[0].as_str(), found[0].target), ("c/d", 3));
    }
}
