//! A Helm chart in `paved lint`: its `Chart.yaml` renders the chart with each scenario,
//! every rendered manifest is checked as a manifest file would be, and each finding is
//! placed on the template line that produced the node (through the rendered line's
//! origin). A finding every scenario produces at one place is reported once.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use super::*;
use crate::parse::Format;
use crate::policy::own::RENDER_ERROR;
use crate::render::helm::chart::{Chart, Problem};
use crate::render::helm::render::{Manifest, Output};
use crate::render::helm::run::{load_dir, Settings};
use crate::source::{Position, Span};

/// The namespace a chart is linted in when `paved.toml` names none. `helm template` says
/// `default`, but the chart is installed wherever `helm install -n` says: rendering into
/// `default` would report every `{{ .Release.Namespace }}` as "in the default namespace".
pub(crate) const UNKNOWN_NAMESPACE: &str = "release-namespace";

/// The chart's settings: `helm template`'s defaults (but for the namespace, which is not
/// known before install), then each `[[helm]]` entry whose `chart` glob matches the chart's
/// directory.
pub(crate) fn settings_for(helm: &[config::HelmChart], dir: &Path) -> Settings {
    let mut settings = Settings {
        ci: true,
        ..Settings::default()
    };
    settings.release.namespace = UNKNOWN_NAMESPACE.into();
    configure(&mut settings, helm, dir);
    settings
}

/// Applies each `[[helm]]` entry whose `chart` glob matches the chart's directory, in order.
pub(crate) fn configure(settings: &mut Settings, helm: &[config::HelmChart], dir: &Path) {
    let shown = discover::display(dir);
    for entry in helm {
        let pattern = entry.chart.trim_start_matches("./").trim_end_matches('/');
        let matches = globset::Glob::new(pattern)
            .map(|g| g.compile_matcher().is_match(&shown))
            .unwrap_or(false);
        if !matches {
            continue;
        }
        settings
            .overrides
            .files
            .extend(entry.values.iter().cloned());
        settings.overrides.set.extend(entry.set.iter().cloned());
        let release = &mut settings.release;
        release.name = entry.release.clone().unwrap_or(release.name.clone());
        release.namespace = entry.namespace.clone().unwrap_or(release.namespace.clone());
        release.kube_version = entry
            .kube_version
            .clone()
            .unwrap_or(release.kube_version.clone());
    }
}

/// What a place in the chart is called in findings: the chart directory as shown, and the
/// path of its files in their repository.
struct Place<'a> {
    shown: String,
    relative: String,
    root: Option<&'a Root>,
    candidate: &'a Candidate,
    /// The one chart file findings are reported on, when a template was named alone.
    only: Option<String>,
}

impl Place<'_> {
    /// Whether a scenario's findings in the chart file `inside` are reported: all of them,
    /// or when one template was named, its own. (What keeps the chart from loading as
    /// written, such as a broken `values.yaml`, is always reported.)
    fn keeps(&self, inside: &str) -> bool {
        self.only.as_ref().is_none_or(|only| only == inside)
    }

    fn file(&self, inside: &str) -> String {
        join(&self.shown, inside)
    }

    fn repository_path(&self, inside: &str) -> RepositoryPath {
        match self.root {
            Some(root) => root.repository_path(&join(&self.relative, inside)),
            None => discover::named_repository_path(self.candidate),
        }
    }
}

fn join(dir: &str, file: &str) -> String {
    if dir.is_empty() || dir == "." {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

fn parent(path: &str) -> String {
    Path::new(path)
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

/// A finding before its scenario is known to matter: the scenario (or overlay) it came from.
pub(super) struct Pending {
    pub(super) scenario: usize,
    pub(super) finding: Finding,
    pub(super) basis: finding::Basis,
}

/// A file named alone on the command line that belongs to a chart (the outermost
/// directory above it with a `Chart.yaml`): the chart's directory, the file's path in it,
/// and whether it is read when the chart renders (a template) or is one of its values.
pub(crate) struct ChartPart {
    pub dir: PathBuf,
    pub inside: String,
    pub rendered: bool,
}

/// The chart `path` is a template or a values file of, if any (`Chart.yaml` itself is a
/// chart's own candidate).
pub(crate) fn chart_part(path: &Path) -> Option<ChartPart> {
    let chart_dir = |dir: &Path| {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        dir.join("Chart.yaml").is_file().then(|| dir.to_path_buf())
    };
    let dir = path.ancestors().skip(1).filter_map(chart_dir).last()?;
    let depth = dir.components().filter(|c| *c != Component::CurDir).count();
    let inside: PathBuf = path
        .components()
        .filter(|c| *c != Component::CurDir)
        .skip(depth)
        .collect();
    let rendered = match discover::chart_role(&inside)? {
        discover::ChartRole::Rendered => true,
        discover::ChartRole::Kind(Kind::HelmValues) => false,
        discover::ChartRole::Kind(_) => return None,
    };
    Some(ChartPart {
        dir,
        inside: inside.to_string_lossy().replace('\\', "/"),
        rendered,
    })
}

/// A file named alone that belongs to a chart paved was not given (`paved lint
/// chart/templates/deploy.yaml`, as a pre-commit hook passes staged files): a template
/// renders its chart and gets the findings on its own lines; a values file is checked as
/// the chart's values, and the whole chart is linted. `None` for any other file.
pub(super) fn check_named_part(
    engine: &mut Engine,
    options: &Options,
    candidate: &Candidate,
    root: Option<&Root>,
    modules: &HashMap<PathBuf, Value>,
) -> Option<Checked> {
    if !candidate.named || !matches!(candidate.format, Some((_, Kind::Yaml))) {
        return None;
    }
    let part = chart_part(&candidate.path)?;
    let mut checked = if part.rendered {
        Checked::default()
    } else {
        let values = Candidate {
            format: Some((Format::Yaml, Kind::HelmValues)),
            ..candidate.clone()
        };
        super::check_file(engine, options, &values, root, modules, None)
    };
    let depth = Path::new(&part.inside).components().count();
    let outside = |path: &str| {
        Path::new(path)
            .ancestors()
            .nth(depth)
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    };
    let place = Place {
        shown: outside(&candidate.display),
        relative: outside(&candidate.relative),
        root,
        candidate,
        only: part.rendered.then(|| part.inside.clone()),
    };
    let boundary = crate::read::boundary_of_dir(&part.dir);
    let chart_yaml = part.dir.join("Chart.yaml");
    let text = crate::read::read(&chart_yaml, &boundary)
        .map_err(|e| e.to_string())
        .and_then(|bytes| {
            parse::decode(&bytes)
                .map(str::to_string)
                .map_err(|e| e.message)
        });
    match text {
        Ok(text) => check_chart_at(
            engine,
            options,
            &part.dir,
            &boundary,
            &place,
            &text,
            &mut checked,
        ),
        Err(message) => {
            let problem = Problem {
                file: "Chart.yaml".into(),
                line: None,
                message,
            };
            let finding = problem_finding(&place, &problem, Severity::Error);
            checked.findings.push(finding);
        }
    }
    Some(checked)
}

pub(super) fn check_chart(
    engine: &mut Engine,
    options: &Options,
    candidate: &Candidate,
    root: Option<&Root>,
    chart_yaml: &str,
    checked: &mut Checked,
) {
    let Some(dir) = candidate.path.parent() else {
        return;
    };
    let place = Place {
        shown: parent(&candidate.display),
        relative: parent(&candidate.relative),
        root,
        candidate,
        only: None,
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    check_chart_at(
        engine,
        options,
        dir,
        &candidate.boundary,
        &place,
        chart_yaml,
        checked,
    );
}

/// Renders the chart in `dir` with each scenario and checks what it deploys.
fn check_chart_at(
    engine: &mut Engine,
    options: &Options,
    dir: &Path,
    boundary: &Path,
    place: &Place<'_>,
    chart_yaml: &str,
    checked: &mut Checked,
) {
    let settings = settings_for(&options.helm, dir);
    let loaded = match load_dir(dir, boundary, &settings) {
        Ok(loaded) => loaded,
        Err(problem) => {
            let finding = problem_finding(place, &problem, Severity::Error);
            checked.findings.push(finding);
            return;
        }
    };
    for problem in &loaded.problems {
        checked
            .findings
            .push(problem_finding(place, problem, Severity::Error));
    }
    let mut texts = template_texts(&loaded.chart);
    texts.insert("Chart.yaml".into(), chart_yaml.to_string());
    let mut pending = Vec::new();
    let mut linted = Linted::default();
    // One scenario's output at a time: rendered, checked, dropped.
    for (index, scenario) in loaded.scenarios.iter().enumerate() {
        let output = loaded.render(scenario);
        let mut scenario = Scenario {
            engine: &mut *engine,
            options,
            place,
            chart: &loaded.chart.name,
            texts: &texts,
            index,
            pending: &mut pending,
            checked: &mut *checked,
            linted: &mut linted,
        };
        scenario.check(&output);
    }
    let names: Vec<&str> = loaded.scenarios.iter().map(|s| s.name.as_str()).collect();
    // By template file (relative to the chart), for its inline ignores.
    let mut by_file: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    for mut finding in once_per_place(pending, &loaded.chart.name, &names) {
        let inside = finding.location.file.clone();
        if !place.keeps(&inside) {
            continue;
        }
        finding.location.file = place.file(&inside);
        finding.location.repository = Some(place.repository_path(&inside));
        by_file.entry(inside).or_default().push(finding);
    }
    for (inside, mut findings) in by_file {
        // Chart.yaml's own ignores were applied with the file.
        if let Some(text) = texts.get(&inside).filter(|_| inside != "Chart.yaml") {
            apply_inline_ignores(
                engine,
                options,
                &place.file(&inside),
                text,
                &mut findings,
                checked,
            );
            for finding in findings.iter_mut().filter(|f| f.fingerprint.is_empty()) {
                finding.location.repository = Some(place.repository_path(&inside));
                finding.fingerprint = finding::fingerprint(finding, None);
            }
        }
        checked.findings.extend(findings);
    }
}

/// A rendered file's `paved:ignore` comments applied to the findings placed in it (the
/// suppression findings they make are left without a fingerprint for the caller to place).
pub(super) fn apply_inline_ignores(
    engine: &Engine,
    options: &Options,
    shown: &str,
    text: &str,
    findings: &mut Vec<Finding>,
    checked: &mut Checked,
) {
    if options.no_ignores || !text.contains("paved:ignore") {
        return;
    }
    let source = SourceFile::new(text);
    let in_file = suppress::InlineFile {
        name: shown,
        source: &source,
        format: Format::Yaml,
        documents: &[],
    };
    let rule_id = |id: &str| inline_rule_id(engine, id);
    suppress::apply_inline(
        &in_file,
        findings,
        &mut checked.suppressed,
        &options.suppressions,
        &rule_id,
    );
}

/// Findings made at one place (rule, file, position, message) by several scenarios (or
/// overlays): each once, with the scenarios that made it, in first-seen order.
pub(super) fn group_by_place(pending: Vec<Pending>) -> Vec<(Vec<usize>, Pending)> {
    let key = |f: &Finding| {
        let start = f.location.start.map(|p| (p.line, p.column));
        (
            f.rule.clone(),
            f.location.file.clone(),
            start,
            f.message.clone(),
        )
    };
    let mut groups: Vec<(Vec<usize>, Pending)> = Vec::new();
    let mut index: HashMap<_, usize> = HashMap::new();
    for item in pending {
        match index.get(&key(&item.finding)) {
            Some(&at) => {
                if !groups[at].0.contains(&item.scenario) {
                    groups[at].0.push(item.scenario);
                }
            }
            None => {
                index.insert(key(&item.finding), groups.len());
                groups.push((vec![item.scenario], item));
            }
        }
    }
    groups
}

/// The findings with their chart and scenario in the message; one without the scenario
/// where every scenario made it at the same place.
fn once_per_place(pending: Vec<Pending>, chart: &str, scenarios: &[&str]) -> Vec<Finding> {
    let groups = group_by_place(pending);
    let mut out = Vec::new();
    for (seen, item) in groups {
        let every = seen.len() == scenarios.len();
        let names: Vec<&str> = if every {
            vec![""]
        } else {
            seen.iter().map(|&i| scenarios[i]).collect()
        };
        for name in names {
            let mut finding = item.finding.clone();
            finding.message = if name.is_empty() {
                format!("{} (chart {chart})", finding.message)
            } else {
                format!("{} (chart {chart}, values {name})", finding.message)
            };
            finding.fingerprint = item.basis.fingerprint(&finding);
            out.push(finding);
        }
    }
    out
}

/// The text of every template on disk, by its file relative to the top chart (templates
/// inside archives have no place to show).
fn template_texts(chart: &Chart) -> HashMap<String, String> {
    let mut texts = HashMap::new();
    if !chart.archived {
        for template in chart.templates.iter().chain(chart.crds.iter()) {
            texts.insert(chart.shown(&template.path), template.text.clone());
        }
    }
    for sub in &chart.subcharts {
        texts.extend(template_texts(sub));
    }
    texts
}

fn problem_finding(place: &Place<'_>, problem: &Problem, severity: Severity) -> Finding {
    let location = point(place.file(&problem.file), problem.line, None);
    let mut finding = Finding::own(RENDER_ERROR, severity, problem.message.clone(), location);
    finding.location.repository = Some(place.repository_path(&problem.file));
    finding.fingerprint = finding::fingerprint(&finding, None);
    finding
}

/// A line and column of a file (line 0: somewhere in it), underlined to the line's end
/// when paved has the file's text.
pub(super) fn located(file: &str, text: Option<&str>, line: usize, column: usize) -> Location {
    match text.filter(|_| line > 0) {
        Some(text) => {
            let source = SourceFile::new(text);
            let whole = source.line_span(line);
            let start = source
                .offset(line, column.saturating_sub(1))
                .clamp(whole.start, whole.end);
            Location::at(file, &source, start..whole.end)
        }
        None => point(file.to_string(), (line > 0).then_some(line), Some(column)),
    }
}

/// A line (and column) in a file paved has no text of at hand.
fn point(file: String, line: Option<usize>, column: Option<usize>) -> Location {
    let start = line.map(|line| Position {
        line,
        column: column.unwrap_or(1),
    });
    Location {
        file,
        start,
        end: start,
        span: None,
        repository: None,
    }
}

/// Where the value a finding points at was printed from, when it is a scalar printed by
/// actions whose values' lines are all known: `value from values.yaml:12`, `values from
/// values.yaml:3, values.yaml:4` (a value printed by several actions). Nothing when any
/// action that printed part of it has no known source: the value is not only from there.
fn value_sources(
    manifest: &Manifest,
    document: &Document,
    path: Option<&[crate::parse::PathSegment]>,
) -> Option<String> {
    let path = path?;
    let found = document.map.resolve(path);
    if found.matched < path.len() || found.node.children != crate::parse::Children::Leaf {
        return None;
    }
    let span = &found.node.span;
    let mut froms: Vec<&str> = Vec::new();
    for source in &manifest.values {
        if source.span.start >= span.end || span.start >= source.span.end {
            continue;
        }
        let from = source.from.as_deref()?;
        if !froms.contains(&from) {
            froms.push(from);
        }
    }
    match froms.as_slice() {
        [] => None,
        [one] => Some(format!("value from {one}")),
        many => Some(format!("values from {}", many.join(", "))),
    }
}

/// A rendered document's source map with every span moved by `place` into the template,
/// or to its parent's place where `place` has none.
fn placed_map(
    node: &parse::Node,
    place: &dyn Fn(&Span) -> Option<Span>,
    parent: &Span,
) -> parse::Node {
    use crate::parse::Children;
    let span = place(&node.span).unwrap_or_else(|| parent.clone());
    let children = match &node.children {
        Children::Leaf => Children::Leaf,
        Children::Object(members) => Children::Object(
            members
                .iter()
                .map(|(key, child)| (key.clone(), placed_map(child, place, &span)))
                .collect(),
        ),
        Children::Array(items) => {
            Children::Array(items.iter().map(|c| placed_map(c, place, &span)).collect())
        }
    };
    parse::Node {
        key: node
            .key
            .as_ref()
            .map(|key| place(key).unwrap_or_else(|| span.clone())),
        span,
        children,
    }
}

/// Checking one scenario's output.
struct Scenario<'a> {
    engine: &'a mut Engine,
    options: &'a Options,
    place: &'a Place<'a>,
    /// The chart's name, for the model's workloads and objects.
    chart: &'a str,
    texts: &'a HashMap<String, String>,
    index: usize,
    pending: &'a mut Vec<Pending>,
    checked: &'a mut Checked,
    linted: &'a mut Linted,
}

/// The chart's manifests parsed and evaluated so far, by template file, then text.
/// Scenarios mostly render a template to the same text: it is read once, not once per
/// scenario (a chart's CRDs are megabytes, and charts have ten scenarios).
#[derive(Default)]
struct Linted(HashMap<String, Vec<(String, Manifested)>>);

/// A rendered manifest parsed, and each of its documents evaluated (`None`: not linted).
struct Manifested {
    parsed: parse::ParsedFile,
    /// Its documents: once reported, one that has nothing to say keeps only this count.
    documents: usize,
    evaluations: Vec<Option<Evaluation>>,
}

impl Manifested {
    /// Drops the documents when reporting it again needs only their count.
    fn keep_what_reports_need(&mut self) {
        let quiet = self
            .evaluations
            .iter()
            .flatten()
            .all(|e| e.results.is_empty() && e.errors.is_empty());
        if quiet && self.parsed.errors.is_empty() {
            self.parsed.documents = Vec::new();
        }
    }
}

impl Scenario<'_> {
    fn check(&mut self, output: &Output) {
        for error in &output.errors {
            let location = self.at(
                &error.file,
                error.line.unwrap_or(0),
                error.column.unwrap_or(1),
            );
            let finding = match output.without_dependencies(error) {
                None => Finding::own(
                    RENDER_ERROR,
                    Severity::Error,
                    error.message.clone(),
                    location,
                ),
                Some(message) => Finding::own(RENDER_ERROR, Severity::Info, message, location),
            };
            self.push(finding, None);
        }
        for missing in &output.missing {
            let message = format!(
                "the dependency {} is not vendored in charts/: the chart is checked without it (run `helm dependency build`)",
                missing.label()
            );
            let (file, line, column) =
                missing
                    .declared
                    .clone()
                    .unwrap_or((join(&missing.parent, "Chart.yaml"), 0, 1));
            let location = self.at(&file, line, column);
            self.push(
                Finding::own(RENDER_ERROR, Severity::Info, message, location),
                None,
            );
        }
        for manifest in output.manifests.iter().chain(&output.crds) {
            self.check_manifest(manifest, &output.sources);
        }
    }

    fn check_manifest(&mut self, manifest: &Manifest, sources: &HashMap<String, String>) {
        // A template named alone: the others are not checked (nothing of theirs is kept).
        if self
            .place
            .only
            .as_ref()
            .is_some_and(|only| *only != manifest.file)
        {
            return;
        }
        // A chart's test hooks (`templates/tests/`) run only on `helm test`: fixtures, as
        // test directories are everywhere else, counted and not linted by default.
        let class = match Class::of_path(&manifest.file) {
            Class::Deployable => self.place.candidate.class,
            class => class,
        };
        let shown = self.place.file(&manifest.file);
        let versions = self.linted.0.entry(manifest.file.clone()).or_default();
        let known = versions.iter().position(|(text, _)| *text == manifest.text);
        let (text, mut linted) = match known {
            Some(at) => versions.swap_remove(at),
            None => {
                let mut parsed = parse::parse(
                    &manifest.text,
                    Format::Yaml,
                    Kind::Yaml,
                    parse::Options::default(),
                );
                parse::expand_lists(&mut parsed);
                let evaluations = parsed
                    .documents
                    .iter()
                    .map(|document| {
                        (self.options.allows(class) && self.engine.has_rules_for(document.kind))
                            .then(|| self.engine.evaluate(document.kind, &document.value, &shown))
                    })
                    .collect();
                let linted = Manifested {
                    documents: parsed.documents.len(),
                    parsed,
                    evaluations,
                };
                (manifest.text.clone(), linted)
            }
        };
        self.report(manifest, sources, &linted, class, &shown);
        linted.keep_what_reports_need();
        let versions = self.linted.0.entry(manifest.file.clone()).or_default();
        versions.push((text, linted));
    }

    /// The findings of a manifest linted: its parse errors and its documents' results, each
    /// placed at the chart line that wrote it.
    fn report(
        &mut self,
        manifest: &Manifest,
        sources: &HashMap<String, String>,
        linted: &Manifested,
        class: Class,
        shown: &str,
    ) {
        let Manifested {
            parsed,
            documents,
            evaluations,
        } = linted;
        let rendered = SourceFile::new(&manifest.text);
        // Where a line of the rendered text was written in the chart.
        let origin = |line: usize| -> (String, usize, usize) {
            match manifest.origins.get(line.wrapping_sub(1)) {
                Some(o) => (
                    sources
                        .get(&*o.template)
                        .cloned()
                        .unwrap_or(manifest.file.clone()),
                    o.line,
                    o.column,
                ),
                None if manifest.origins.is_empty() => (manifest.file.clone(), line, 1),
                None => (manifest.file.clone(), 0, 1),
            }
        };
        for error in &parsed.errors {
            let (file, line, column) = origin(rendered.line(error.span.start));
            let message = format!("YAML parse error on {}: {}", manifest.name, error.message);
            let location = self.at(&file, line, column);
            self.push(
                Finding::own(RENDER_ERROR, Severity::Error, message, location),
                None,
            );
        }
        self.checked.documents += documents;
        if self.index == 0 && self.place.root.is_some() {
            self.add_to_model(manifest, &parsed.documents, &origin, class);
        }
        if !self.options.allows(class) {
            if self.index == 0 {
                *self.checked.skipped.entry(class).or_default() += documents;
            }
            return;
        }
        let catalogue = Arc::clone(self.engine.catalogue());
        for (document, evaluation) in parsed.documents.iter().zip(evaluations) {
            let Some(evaluation) = evaluation.clone() else {
                continue;
            };
            for (rule, error) in evaluation.errors {
                self.checked.failures.push(RuleFailure {
                    rule,
                    error,
                    file: shown.to_string(),
                    document: Some(document.index),
                    repository: self.place.repository_path(&manifest.file),
                });
            }
            for result in evaluation.results {
                let (rendered_at, label) =
                    locate_in_document(&manifest.name, &rendered, document, &result);
                let line = rendered_at.start.map_or(1, |p| p.line);
                let (file, line, column) = origin(line);
                let location = self.at(&file, line, column);
                let from = value_sources(manifest, document, result.path.as_deref());
                let mut finding = make_finding(
                    &catalogue,
                    self.options,
                    result,
                    location,
                    label,
                    Some(document.index),
                );
                if let Some(from) = from {
                    finding.message = format!("{} ({from})", finding.message);
                }
                self.push(finding, Some(&document.value));
            }
        }
    }

    /// The default scenario's objects join the repository model (its workloads, monitors,
    /// alerts), each placed at the template line its document starts on: the model points
    /// at documents, and a template is where a chart's document is written.
    fn add_to_model(
        &mut self,
        manifest: &Manifest,
        documents: &[Document],
        origin: &dyn Fn(usize) -> (String, usize, usize),
        class: Class,
    ) {
        let rendered = SourceFile::new(&manifest.text);
        let mut digest = FileDigest {
            relative: join(&self.place.relative, &manifest.file),
            display: self.place.file(&manifest.file),
            regular: true,
            ..FileDigest::default()
        };
        for document in documents {
            let (file, line, column) = origin(rendered.line(document.anchor.start));
            // Only a template on disk can be pointed at (not one inside an archive).
            let Some(text) = self.texts.get(&file).filter(|_| file == manifest.file) else {
                continue;
            };
            let source = SourceFile::new(text);
            let in_template = |line: usize, column: usize| {
                let start = source.offset(line, column.saturating_sub(1));
                start..source.line_span(line).end.max(start)
            };
            let anchor = in_template(line, column);
            // A rendered node is placed at the template line that wrote it, when that line
            // is in this template (one from a helper stays at its parent's place). Only a
            // workload's places are read (its pod spec's): a CRD's map is not rebuilt.
            let place = |span: &Span| {
                let (file, line, column) = origin(rendered.line(span.start));
                (file == manifest.file && line > 0).then(|| in_template(line, column))
            };
            let map = if repository::is_workload(&document.value) {
                placed_map(&document.map, &place, &anchor)
            } else {
                parse::Node::leaf(anchor.clone())
            };
            let placed = Document {
                map,
                anchor,
                ..document.clone()
            };
            digest.add(
                &placed,
                class.of_document(&self.place.candidate.relative, placed.kind, &placed.value),
            );
        }
        // The chart is the artefact (its Chart.yaml says so): what it renders is not evidence
        // of its own, or a chart repository with no code would be a service.
        digest.service.clear();
        let summaries = digest.workloads.iter_mut().map(|(summary, _)| summary);
        for summary in summaries.chain(digest.objects.iter_mut().map(|(summary, _)| summary)) {
            summary["chart"] = self.chart.into();
        }
        self.checked.rendered.push(digest);
    }

    /// A location in a chart file (relative to the chart); the line's text is underlined
    /// when paved has the file's text.
    fn at(&self, file: &str, line: usize, column: usize) -> Location {
        located(file, self.texts.get(file).map(String::as_str), line, column)
    }

    fn push(&mut self, finding: Finding, document: Option<&Value>) {
        self.pending.push(Pending {
            scenario: self.index,
            basis: finding::Basis::of(&finding, document),
            finding,
        });
    }
}
