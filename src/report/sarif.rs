//! `--format sarif`: SARIF 2.1.0 for code scanning. Every rule of the catalogue is described
//! (title, description, remediation as help, documentation link, default level); results
//! carry their physical location, a fingerprint that survives line shifts and, when a
//! baseline is used, whether they are new (reported) or absent (fixed). Run errors (a file
//! that cannot be read, a rule that failed) are the invocation's notifications, and make it
//! unsuccessful, so code scanning does not take a partial run for a clean one.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use serde_json::{json, Value};
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use crate::finding::{self, Finding, Severity};
use crate::lint::{Outcome, RunError};
use crate::policy::Rule;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let rules: Vec<ReportingDescriptor> = outcome
        .catalogue
        .rules
        .iter()
        .map(|rule| {
            let mut descriptor = ReportingDescriptor::builder().id(rule.id.clone()).build();
            descriptor.name = rule.title.clone();
            descriptor.short_description = rule.title.as_ref().map(text);
            descriptor.full_description = rule.description.as_ref().map(text);
            descriptor.help = rule.remediation.as_ref().map(text);
            descriptor.help_uri = rule.related.first().cloned();
            descriptor.default_configuration = Some(ReportingConfiguration {
                level: Some(json!(level(rule.severity))),
                ..Default::default()
            });
            descriptor.properties = Some(rule_properties(rule));
            descriptor
        })
        .collect();
    let index: HashMap<String, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    let state = |s: &str| outcome.baselined.then(|| json!(s));
    let mut results: Vec<SarifResult> = outcome
        .findings
        .iter()
        .map(|finding| result(finding, index.get(&finding.rule).copied(), state("new")))
        .collect();
    for fixed in &outcome.fixed {
        let mut absent = SarifResult::builder()
            .message(message(&fixed.message))
            .build();
        absent.rule_id = Some(fixed.rule.clone());
        absent.rule_index = index.get(&fixed.rule).map(|&i| i as i64);
        // A baseline records paths within the repository.
        let mut place = finding::Location::file_only(fixed.file.clone());
        place.repository = Some(finding::RepositoryPath {
            path: fixed.file.clone(),
            in_git: true,
        });
        absent.locations = Some(vec![location(&place, None)]);
        absent.partial_fingerprints = Some(fingerprints(&fixed.fingerprint));
        absent.baseline_state = state("absent");
        results.push(absent);
    }
    let mut driver = ToolComponent::builder().name("paved").build();
    driver.semantic_version = Some(env!("CARGO_PKG_VERSION").to_string());
    driver.rules = Some(rules);
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .build();
    run.results = Some(results);
    run.invocations = Some(vec![invocation(&outcome.errors)]);
    run.column_kind = Some(json!("unicodeCodePoints"));
    let mut sarif = Sarif::builder()
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    sarif.schema = Some(SCHEMA.to_string());
    super::write_json(out, &sarif)
}

fn text(s: impl AsRef<str>) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s.as_ref()).build()
}

fn message(s: &str) -> Message {
    Message {
        text: Some(s.to_string()),
        ..Default::default()
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub code scanning sorts and filters alerts by `security-severity` (a score it reads
/// as critical above 9.0, high from 7.0, medium from 4.0, low below), and filters by tags:
/// the rule's category (the first part of its id).
fn rule_properties(rule: &Rule) -> PropertyBag {
    let score = match rule.severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    };
    let category = rule
        .id
        .split_once('/')
        .map_or("paved", |(category, _)| category);
    PropertyBag {
        tags: Some(vec![category.to_string()]),
        additional_properties: BTreeMap::from([("security-severity".to_string(), json!(score))]),
    }
}

fn fingerprints(fingerprint: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("paved/v1".to_string(), fingerprint.to_string())])
}

fn location(place: &finding::Location, region: Option<Region>) -> Location {
    let (uri, base) = super::place::uri(place);
    Location {
        physical_location: Some(PhysicalLocation {
            artifact_location: Some(ArtifactLocation {
                uri: Some(uri),
                uri_base_id: base.map(str::to_string),
                ..Default::default()
            }),
            region,
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The run itself: successful unless something could not be checked, one error
/// notification per run error, at its file when it has one.
fn invocation(errors: &[RunError]) -> Invocation {
    let mut invocation = Invocation::builder()
        .execution_successful(errors.is_empty())
        .build();
    let notifications: Vec<Notification> = errors
        .iter()
        .map(|error| {
            let mut notification = Notification::builder()
                .message(message(&error.message))
                .build();
            notification.level = Some(json!("error"));
            notification.locations = (!error.file.is_empty())
                .then(|| vec![location(&super::place::of_error(error), None)]);
            notification
        })
        .collect();
    invocation.tool_execution_notifications = (!notifications.is_empty()).then_some(notifications);
    invocation
}

fn result(
    finding: &Finding,
    rule_index: Option<usize>,
    baseline_state: Option<Value>,
) -> SarifResult {
    let region = match (finding.location.start, finding.location.end) {
        (Some(start), Some(end)) => Some(Region {
            start_line: Some(start.line as i64),
            start_column: Some(start.column as i64),
            end_line: Some(end.line as i64),
            end_column: Some(end.column as i64),
            ..Default::default()
        }),
        _ => None,
    };
    let mut properties = BTreeMap::new();
    if let Some(path) = &finding.path {
        properties.insert("path".to_string(), json!(path));
    }
    if let Some(document) = finding.document {
        properties.insert("document".to_string(), json!(document));
    }
    let mut result = SarifResult::builder()
        .message(message(&finding.shown_message()))
        .build();
    result.rule_id = Some(finding.rule.clone());
    result.rule_index = rule_index.map(|i| i as i64);
    result.level = Some(match finding.severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    });
    result.locations = Some(vec![location(&finding.location, region)]);
    result.partial_fingerprints =
        (!finding.fingerprint.is_empty()).then(|| fingerprints(&finding.fingerprint));
    result.baseline_state = baseline_state;
    result.properties = (!properties.is_empty()).then(|| PropertyBag {
        additional_properties: properties,
        ..Default::default()
    });
    result
}
