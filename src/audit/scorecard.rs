//! A scorecard: which rules pass, the maturity level reached, and what blocks the next.
//! Levels are cumulative: silver needs every bronze and every silver rule to pass. A rule
//! with no level does not count toward levels, and a level no rule has is not claimed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::{Counts, Finding, Severity};
use crate::policy::metadata::Level;
use crate::policy::Rule;

const LEVELS: [Level; 3] = [Level::Bronze, Level::Silver, Level::Gold];

/// One rule's result for a repository or unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleOutcome {
    pub level: Option<Level>,
    pub severity: Severity,
    pub findings: usize,
    pub pass: bool,
}

/// The next level and the failing rules in its way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Next {
    pub level: String,
    pub blocking: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    pub level: Option<Level>,
    pub next: Option<Next>,
    /// Every rule that ran, by id.
    pub rules: BTreeMap<String, RuleOutcome>,
    pub counts: Counts,
}

/// Scores `findings` against the rules that ran. A rule fails with a finding at or above
/// `threshold` (the fail level of `paved lint`'s exit code; `None`: nothing fails). Each
/// rule's severity is its effective one (`severity` gives the overrides).
pub fn score<'a>(
    ran: &[&Rule],
    severity: &BTreeMap<String, Severity>,
    findings: impl IntoIterator<Item = &'a Finding>,
    threshold: Option<Severity>,
) -> Scorecard {
    let mut rules: BTreeMap<String, RuleOutcome> = ran
        .iter()
        .map(|rule| {
            let outcome = RuleOutcome {
                level: rule.level,
                severity: severity.get(&rule.id).copied().unwrap_or(rule.severity),
                findings: 0,
                pass: true,
            };
            (rule.id.clone(), outcome)
        })
        .collect();
    let mut counts = Counts::default();
    for finding in findings {
        counts.add(finding.severity);
        if let Some(outcome) = rules.get_mut(&finding.rule) {
            outcome.findings += 1;
            if threshold.is_some_and(|t| finding.severity >= t) {
                outcome.pass = false;
            }
        }
    }
    let (level, next) = level_of(&rules);
    Scorecard {
        level,
        next,
        rules,
        counts,
    }
}

/// The highest level whose rules (and every lower level's) all pass, and the next one.
fn level_of(rules: &BTreeMap<String, RuleOutcome>) -> (Option<Level>, Option<Next>) {
    let mut reached = None;
    for level in LEVELS {
        let up_to: Vec<(&String, &RuleOutcome)> = rules
            .iter()
            .filter(|(_, r)| r.level.is_some_and(|l| l <= level))
            .collect();
        if !up_to.iter().any(|(_, r)| r.level == Some(level)) {
            // No rule of this level: nothing to claim it by.
            continue;
        }
        let blocking: Vec<String> = up_to
            .iter()
            .filter(|(_, r)| !r.pass)
            .map(|(id, _)| (*id).clone())
            .collect();
        if !blocking.is_empty() {
            let next = Next {
                level: level.as_str().to_string(),
                blocking,
            };
            return (reached, Some(next));
        }
        reached = Some(level);
    }
    (reached, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Location;

    fn rule(id: &str, level: Option<Level>, severity: Severity) -> Rule {
        Rule {
            id: id.into(),
            title: None,
            description: None,
            remediation: None,
            related: Vec::new(),
            config: Vec::new(),
            example_fail: None,
            example_pass: None,
            severity,
            level,
            inputs: None,
            package: "p".into(),
            queries: Vec::new(),
            has_exceptions: false,
            file: "p.rego".into(),
            line: 1,
            builtin: false,
        }
    }

    fn finding(rule: &str, severity: Severity) -> Finding {
        Finding::own(rule, severity, "m".into(), Location::file_only("f"))
    }

    fn rules() -> Vec<Rule> {
        vec![
            rule("b1", Some(Level::Bronze), Severity::Error),
            rule("s1", Some(Level::Silver), Severity::Warning),
            rule("g1", Some(Level::Gold), Severity::Error),
            rule("none", None, Severity::Error),
        ]
    }

    fn scored(findings: &[Finding], threshold: Option<Severity>) -> Scorecard {
        let rules = rules();
        let ran: Vec<&Rule> = rules.iter().collect();
        score(&ran, &BTreeMap::new(), findings, threshold)
    }

    #[test]
    fn levels_are_cumulative_and_say_what_blocks_the_next() {
        let card = scored(&[finding("g1", Severity::Error)], Some(Severity::Error));
        assert_eq!(card.level, Some(Level::Silver));
        assert_eq!(
            card.next,
            Some(Next {
                level: "gold".into(),
                blocking: vec!["g1".into()]
            })
        );
        // A failing bronze rule keeps even a repository passing silver and gold at none.
        let card = scored(
            &[
                finding("b1", Severity::Error),
                finding("none", Severity::Error),
            ],
            Some(Severity::Error),
        );
        assert_eq!(card.level, None);
        assert_eq!(card.next.unwrap().blocking, ["b1"]);
        assert!(!card.rules["none"].pass);
        let clean = scored(&[], Some(Severity::Error));
        assert_eq!((clean.level, clean.next), (Some(Level::Gold), None));
    }

    #[test]
    fn a_rule_fails_at_the_fail_level_only() {
        let warning = [finding("s1", Severity::Warning)];
        let card = scored(&warning, Some(Severity::Error));
        assert!(card.rules["s1"].pass);
        assert_eq!(card.rules["s1"].findings, 1);
        assert_eq!(card.level, Some(Level::Gold));
        let card = scored(&warning, Some(Severity::Warning));
        assert!(!card.rules["s1"].pass);
        assert_eq!(card.level, Some(Level::Bronze));
        assert_eq!((card.counts.warning, card.counts.error), (1, 0));
        assert!(scored(&warning, None).rules["s1"].pass);
    }

    #[test]
    fn no_level_is_claimed_without_rules_of_it() {
        let rules = [rule("b1", Some(Level::Bronze), Severity::Error)];
        let ran: Vec<&Rule> = rules.iter().collect();
        // Bronze rules alone reach bronze, not the levels no rule stands for.
        let card = score(&ran, &BTreeMap::new(), &[], Some(Severity::Error));
        assert_eq!((card.level, card.next), (Some(Level::Bronze), None));
        let unlevelled = [rule("x", None, Severity::Error)];
        let ran: Vec<&Rule> = unlevelled.iter().collect();
        let card = score(&ran, &BTreeMap::new(), &[], Some(Severity::Error));
        assert_eq!((card.level, card.next), (None, None));
    }
}
