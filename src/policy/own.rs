//! The rules paved applies itself rather than through Rego (a file that does not parse, a
//! file it will not read, suppressions that are wrong). They are in the catalogue like any
//! other rule, so `paved rules` lists them, `paved explain` explains them, and selection,
//! ignores and severity overrides apply to them.

use crate::finding::Severity;

use super::Rule;

pub const PARSE_ERROR: &str = "parse-error";
pub const RENDER_ERROR: &str = "render-error";
pub const UNSAFE_FILE: &str = "paved/unsafe-file";
pub const UNUSED_SUPPRESSION: &str = "paved/unused-suppression";
pub const MISSING_REASON: &str = "paved/missing-reason";
pub const FORBIDDEN_SUPPRESSION: &str = "paved/forbidden-suppression";
pub const EXPIRED_WAIVER: &str = "paved/expired-waiver";
pub const INVALID_SUPPRESSION: &str = "paved/invalid-suppression";

struct OwnRule {
    id: &'static str,
    severity: Severity,
    title: &'static str,
    why: &'static str,
    fix: &'static str,
}

const OWN_RULES: [OwnRule; 8] = [
    OwnRule {
        id: PARSE_ERROR,
        severity: Severity::Error,
        title: "The file cannot be parsed",
        why: "A file paved cannot parse is a file no rule checked: its problems stay hidden, and the tools that deploy it will fail on it too. It is reported as info when no selected rule would read such a file (a tool's own settings, not a manifest).",
        fix: "Fix the syntax at the reported line, or exclude the file if it is not meant to be read (a template, a fixture).",
    },
    OwnRule {
        id: RENDER_ERROR,
        severity: Severity::Error,
        title: "A Helm chart or kustomization cannot be built",
        why: "A template that fails (`required`, `fail`, a bad pipeline), values the chart's schema rejects, or a broken subchart; a kustomization with an unknown field, a missing file or a patch that matches nothing: `helm install` and `kustomize build` fail the same way, and what would be deployed is not checked. What paved leaves out is info, the rest built without it: a chart dependency not vendored in charts/ (and a template that then fails, since it may fail only for the missing chart), a remote base or patch file (not fetched), a kustomize plugin or generator (not run).",
        fix: "Fix the template, the values or the kustomization at the reported line (`paved render` shows what a chart or overlay builds to), or vendor a chart's dependencies with `helm dependency build`.",
    },
    OwnRule {
        id: UNSAFE_FILE,
        severity: Severity::Warning,
        title: "A file paved will not read",
        why: "A symlink out of the repository, a FIFO or a device can leak what the CI machine holds or hang the run; paved leaves it unread, so it is not checked.",
        fix: "Replace the link with the file itself, or point it inside the repository; remove FIFOs and devices from the tree.",
    },
    OwnRule {
        id: UNUSED_SUPPRESSION,
        severity: Severity::Warning,
        title: "A suppression matches no finding",
        why: "An ignore or waiver that suppresses nothing hides the next real finding at that place without anyone deciding it.",
        fix: "Delete the ignore comment or the waiver.",
    },
    OwnRule {
        id: MISSING_REASON,
        severity: Severity::Warning,
        title: "An inline ignore gives no reason",
        why: "An ignore without a reason cannot be reviewed or revisited; it does not apply.",
        fix: "Write `-- why` after the rule ids.",
    },
    OwnRule {
        id: FORBIDDEN_SUPPRESSION,
        severity: Severity::Error,
        title: "An inline ignore that the configuration forbids",
        why: "The organisation requires waivers, owned and time-boxed, for these rules.",
        fix: "Fix the finding, or add a [[waiver]] with an owner and an expiry to paved.toml.",
    },
    OwnRule {
        id: EXPIRED_WAIVER,
        severity: Severity::Error,
        title: "A waiver has expired",
        why: "A waiver is a promise to fix by a date; past it, the findings are reported again.",
        fix: "Fix the findings and delete the waiver, or renew it with a new date and reason.",
    },
    OwnRule {
        id: INVALID_SUPPRESSION,
        severity: Severity::Warning,
        title: "An inline ignore names no rule, or a rule that does not exist",
        why: "A misspelt rule id suppresses nothing while looking as if it did.",
        fix: "Name the rule ids exactly as `paved rules` lists them.",
    },
];

/// Whether `id` is one of paved's own rules.
pub fn is_own(id: &str) -> bool {
    OWN_RULES.iter().any(|rule| rule.id == id)
}

/// Catalogue entries for paved's own rules. They run on no document kind: paved reports
/// them while reading files and applying suppressions.
pub fn rules() -> Vec<Rule> {
    OWN_RULES
        .iter()
        .map(|own| Rule {
            id: own.id.to_string(),
            title: Some(own.title.to_string()),
            description: Some(own.why.to_string()),
            remediation: Some(own.fix.to_string()),
            related: Vec::new(),
            config: Vec::new(),
            example_fail: None,
            example_pass: None,
            severity: own.severity,
            level: None,
            inputs: Some(Vec::new()),
            package: "paved".to_string(),
            queries: Vec::new(),
            has_exceptions: false,
            file: "paved".to_string(),
            line: 0,
            builtin: true,
        })
        .collect()
}
