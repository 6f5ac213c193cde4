//! Kustomize overlays in `paved lint`: what a repository deploys is what its leaf overlays
//! build (the kustomizations no other one uses as a base or component), so each is built and
//! its objects are checked as manifests; the plain files those builds include are linted
//! through them, not alone. Each finding is placed at the base, patch or kustomization line
//! that made the value and names its overlay; one made by several overlays at one place is
//! reported once, naming them all.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use super::chart::{apply_inline_ignores, group_by_place, located, Pending};
use super::*;
use crate::parse::PathSegment;
use crate::policy::own::RENDER_ERROR;
use crate::render::kustomize::{self, Built, BuiltObject};

/// A repository's kustomizations: which are built, and which files they include.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// The overlays to build, as indices into the group's files, in path order.
    leaves: Vec<usize>,
    /// For each overlay, the plain files its build includes (normalised paths).
    includes: Vec<BTreeSet<PathBuf>>,
    /// For each overlay, the patch and chart values files its build reads (keys): a change
    /// to one is a change to what the overlay deploys.
    inputs: Vec<BTreeSet<PathBuf>>,
    /// For each overlay, the directories of the charts it renders (keys): so is a change to
    /// any file of theirs.
    charts: Vec<BTreeSet<PathBuf>>,
}

/// The `resources`, `bases` and `components` a kustomization names that are local paths.
fn local_entries(kustomization: &Value) -> impl Iterator<Item = &str> {
    ["resources", "bases", "components"]
        .into_iter()
        .filter_map(|key| kustomization[key].as_array())
        .flatten()
        .filter_map(Value::as_str)
        .filter(|entry| !entry.contains("://") && !entry.starts_with("git@"))
}

impl Plan {
    /// Reads the group's kustomizations (one that cannot be read or parsed uses nothing
    /// here: its own file check reports it, and its build says why it fails).
    pub(super) fn of(files: &[&Candidate]) -> Plan {
        let by_path: HashMap<PathBuf, usize> = files
            .iter()
            .enumerate()
            .map(|(i, c)| (kustomize::key(&c.path), i))
            .collect();
        let mut by_dir: HashMap<PathBuf, usize> = HashMap::new();
        let mut uses: BTreeMap<usize, (Vec<PathBuf>, Vec<PathBuf>)> = BTreeMap::new();
        let mut inputs_of: HashMap<usize, Vec<PathBuf>> = HashMap::new();
        let mut charts_of: HashMap<usize, Vec<PathBuf>> = HashMap::new();
        for (index, candidate) in files.iter().enumerate() {
            if !matches!(candidate.format, Some((_, Kind::Kustomization))) {
                continue;
            }
            let dir = kustomize::key(candidate.path.parent().unwrap_or(Path::new("")));
            by_dir.insert(dir.clone(), index);
            let value = read_candidate(candidate)
                .ok()
                .and_then(|bytes| {
                    let text = parse::decode(&bytes).ok()?;
                    let parsed = parse::parse(
                        text,
                        parse::Format::Yaml,
                        Kind::Kustomization,
                        parse::Options::default(),
                    );
                    parsed.documents.into_iter().next().map(|d| d.value)
                })
                .unwrap_or(Value::Null);
            // A chart an overlay renders is linted through it, as a base is.
            let charts: Vec<PathBuf> = value["helmCharts"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|entry| kustomize::chart_dir(&dir, &value, entry))
                .map(|chart| kustomize::key(&chart))
                .collect();
            let targets = local_entries(&value)
                .map(|entry| dir.join(entry))
                .chain(charts.iter().map(|chart| chart.join("Chart.yaml")))
                .map(|path| kustomize::key(&path))
                .collect();
            charts_of.insert(index, charts);
            uses.insert(index, (targets, Vec::new()));
            let values_files = value["helmCharts"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|entry| entry["valuesFile"].as_str())
                .map(|file| kustomize::key(&dir.join(file)));
            let mut inputs = kustomize::patch_files(&dir, &value);
            inputs.extend(values_files);
            inputs_of.insert(index, inputs);
        }
        // Split each kustomization's targets into kustomizations and plain files.
        let mut used = HashSet::new();
        for (targets, plain) in uses.values_mut() {
            let (kustomizations, files): (Vec<PathBuf>, Vec<PathBuf>) =
                targets.drain(..).partition(|t| by_dir.contains_key(t));
            for target in &kustomizations {
                used.insert(by_dir[target]);
            }
            plain.extend(files.into_iter().filter(|f| by_path.contains_key(f)));
            *targets = kustomizations;
        }
        let mut plan = Plan::default();
        let mut reached = HashSet::new();
        // Leaves first; then a kustomization no leaf reaches (a cycle) is built on its own.
        let order: Vec<usize> = uses
            .keys()
            .filter(|i| !used.contains(*i))
            .chain(uses.keys().filter(|i| used.contains(*i)))
            .copied()
            .collect();
        for start in order {
            if reached.contains(&start) {
                continue;
            }
            let mut includes = BTreeSet::new();
            let mut inputs = BTreeSet::new();
            let mut charts = BTreeSet::new();
            let mut stack = vec![start];
            let mut seen = HashSet::new();
            while let Some(at) = stack.pop() {
                if !seen.insert(at) {
                    continue;
                }
                reached.insert(at);
                let (kustomizations, plain) = &uses[&at];
                includes.extend(plain.iter().cloned());
                inputs.extend(inputs_of[&at].iter().cloned());
                charts.extend(charts_of[&at].iter().cloned());
                stack.extend(kustomizations.iter().map(|dir| by_dir[dir]));
            }
            plan.leaves.push(start);
            plan.includes.push(includes);
            plan.inputs.push(inputs);
            plan.charts.push(charts);
        }
        plan
    }

    /// Whether a file lies in a chart an overlay renders (its values, a template): named
    /// alone, it is linted through the overlay, with the overlay's values.
    pub(super) fn in_rendered_chart(&self, candidate: &Candidate) -> bool {
        let path = kustomize::key(&candidate.path);
        self.charts
            .iter()
            .flatten()
            .any(|chart| path.starts_with(chart))
    }

    /// Whether a file is linted through an overlay rather than alone.
    pub(super) fn included(&self, candidate: &Candidate) -> bool {
        let path = kustomize::key(&candidate.path);
        self.includes.iter().any(|files| files.contains(&path))
    }
}

/// The files of the group by normalised path, and their texts as read once.
struct Files<'a> {
    by_path: HashMap<PathBuf, &'a Candidate>,
    root: Option<&'a Root>,
}

/// A file a build read, as findings and the repository model name it.
#[derive(Clone)]
struct Named {
    shown: String,
    /// Relative to the repository root paved walked (the model's file names).
    relative: String,
    repository: RepositoryPath,
    text: Option<String>,
}

impl Files<'_> {
    fn name(&self, path: &Path) -> Named {
        match self.by_path.get(&kustomize::key(path)) {
            Some(candidate) => Named {
                shown: candidate.display.clone(),
                relative: candidate.relative.clone(),
                repository: match self.root {
                    Some(root) => root.repository_path(&candidate.relative),
                    None => discover::named_repository_path(candidate),
                },
                text: read_text(candidate),
            },
            None => {
                let normal = kustomize::normalise(path).unwrap_or(path.to_path_buf());
                let shown = discover::display(&normal);
                Named {
                    repository: match self.root {
                        Some(root) => root.repository_path_of_display(&shown),
                        None => RepositoryPath {
                            path: shown.clone(),
                            in_git: false,
                        },
                    },
                    relative: shown.clone(),
                    shown,
                    text: None,
                }
            }
        }
    }
}

fn read_text(candidate: &Candidate) -> Option<String> {
    let bytes = read_candidate(candidate).ok()?;
    parse::decode(&bytes).ok().map(str::to_string)
}

/// One overlay's build and what its objects drew, before overlays are merged.
struct Overlay {
    pending: Vec<Pending>,
    checked: Checked,
    /// Its objects for the repository model, each with the place it starts at.
    model: Vec<((String, usize), FileDigest)>,
}

/// The overlays of a group that are built, each with its build: made once, before the
/// group's files are checked (a file equal to a build is that build's committed output).
pub(super) struct Overlays<'a> {
    /// (kustomization, whether it is linted, its build).
    built: Vec<(&'a Candidate, bool, Built)>,
}

/// Builds every overlay of the plan that has something in scope (in a repository, every
/// one: the repository model has their objects).
pub(super) fn build_overlays<'a>(
    options: &Options,
    files: &[&'a Candidate],
    plan: &Plan,
) -> Overlays<'a> {
    let by_path: HashMap<PathBuf, &Candidate> = files
        .iter()
        .map(|c| (kustomize::key(&c.path), *c))
        .collect();
    // An overlay is linted when it, a file it includes, a patch or values file it reads or a
    // file of a chart it renders is in scope.
    let overlays: Vec<(&Candidate, bool)> = plan
        .leaves
        .iter()
        .zip(plan.includes.iter().zip(&plan.inputs))
        .zip(&plan.charts)
        .map(|((&leaf, (includes, inputs)), charts)| {
            let kustomization = files[leaf];
            let in_a_chart = |c: &Candidate| {
                let path = kustomize::key(&c.path);
                charts.iter().any(|chart| path.starts_with(chart))
            };
            let lint = evaluates(options, kustomization)
                || includes
                    .iter()
                    .chain(inputs)
                    .any(|f| by_path.get(f).is_some_and(|c| evaluates(options, c)))
                || !charts.is_empty()
                    && files.iter().any(|c| in_a_chart(c) && evaluates(options, c));
            (kustomization, lint)
        })
        .filter(|(kustomization, lint)| *lint || kustomization.root.is_some())
        .collect();
    let built = overlays
        .into_par_iter()
        .with_max_len(1)
        .map(|(kustomization, lint)| {
            let dir = match kustomization.path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir,
                _ => Path::new("."),
            };
            (
                kustomization,
                lint,
                kustomize::build(dir, &kustomization.boundary),
            )
        })
        .collect();
    Overlays { built }
}

/// What a build's output committed beside its source looks like: a plain manifest no build
/// reads whose objects are, as data, exactly one overlay's objects. It is linted through the
/// overlay, so alone it is `generated`. Files are compared as `check_file` parses them, so
/// that none is read or parsed twice (multi-megabyte CRDs among them).
pub(super) struct CommittedOutputs {
    /// Each build's objects, canonical and sorted.
    outputs: HashSet<Vec<String>>,
    /// Each build's objects by kind and name: a cheap test first, most files fail it.
    identities: HashSet<Vec<(String, String)>>,
    /// The files the builds read (normalised paths): their own sources, never outputs.
    read: HashSet<PathBuf>,
}

impl CommittedOutputs {
    /// `None` when no overlay builds an object.
    pub(super) fn of(overlays: &Overlays<'_>) -> Option<CommittedOutputs> {
        let built = || {
            overlays
                .built
                .iter()
                .filter(|(_, _, built)| !built.objects.is_empty())
                .map(|(_, _, built)| built.objects.iter().map(|o| &o.value))
        };
        let outputs: HashSet<Vec<String>> = built().map(canonical).collect();
        let identities = built().map(identities).collect();
        let read = overlays
            .built
            .iter()
            .flat_map(|(_, _, built)| &built.read)
            .map(|p| kustomize::key(p))
            .collect();
        (!outputs.is_empty()).then_some(CommittedOutputs {
            outputs,
            identities,
            read,
        })
    }

    /// Whether the file could be one: plain YAML or JSON that no build reads.
    pub(super) fn may_be(&self, candidate: &Candidate) -> bool {
        matches!(candidate.format, Some((_, Kind::Yaml | Kind::Json)))
            && !self.read.contains(&kustomize::key(&candidate.path))
    }

    /// Whether the file, parsed with its lists expanded, is one.
    pub(super) fn is(&self, parsed: &parse::ParsedFile) -> bool {
        let objects = || {
            parsed
                .documents
                .iter()
                .map(|d| &d.value)
                .filter(|v| !v.is_null())
        };
        parsed.errors.is_empty()
            && self.identities.contains(&identities(objects()))
            && self.outputs.contains(&canonical(objects()))
    }
}

/// Objects as their sorted kinds and names.
fn identities<'a>(objects: impl Iterator<Item = &'a Value>) -> Vec<(String, String)> {
    let text = |value: &Value| value.as_str().unwrap_or_default().to_string();
    let mut identities: Vec<(String, String)> = objects
        .map(|o| (text(&o["kind"]), text(&o["metadata"]["name"])))
        .collect();
    identities.sort_unstable();
    identities
}

/// Objects as sorted JSON texts, to compare sets of objects as data.
fn canonical<'a>(objects: impl Iterator<Item = &'a Value>) -> Vec<String> {
    let mut texts: Vec<String> = objects
        .map(|o| serde_json::to_string(&kustomize::sorted(o)).unwrap_or_default())
        .collect();
    texts.sort_unstable();
    texts
}

/// Checks the objects of every built overlay.
pub(super) fn check_overlays(
    engine: &Engine,
    options: &Options,
    root: Option<&Root>,
    files: &[&Candidate],
    overlays: Overlays<'_>,
) -> Checked {
    let names = Files {
        by_path: files
            .iter()
            .map(|c| (kustomize::key(&c.path), *c))
            .collect(),
        root,
    };
    let overlay_names: Vec<String> = overlays
        .built
        .iter()
        .map(|(k, ..)| overlay_name(k))
        .collect();
    let checks: Vec<Overlay> = overlays
        .built
        .into_par_iter()
        .with_max_len(1)
        .enumerate()
        .map_init(
            || engine.clone(),
            |engine, (index, (kustomization, lint, built))| {
                check_overlay(engine, options, &names, kustomization, lint, built, index)
            },
        )
        .collect();
    let mut checked = Checked::default();
    let mut pending = Vec::new();
    // An object several overlays deploy from one base line joins the model once.
    let mut modelled = HashSet::new();
    for mut overlay in checks {
        pending.append(&mut overlay.pending);
        for (place, digest) in overlay.model {
            if modelled.insert(place) {
                checked.rendered.push(digest);
            }
        }
        checked.absorb(overlay.checked);
    }
    let mut by_file: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    for (seen, item) in group_by_place(pending) {
        let mut finding = item.finding;
        let mut named: Vec<&str> = seen.iter().map(|&i| overlay_names[i].as_str()).collect();
        named.sort_unstable();
        finding.message = match named.as_slice() {
            [one] => format!("{} (overlay {one})", finding.message),
            many => format!("{} (overlays {})", finding.message, listed(many)),
        };
        finding.fingerprint = item.basis.fingerprint(&finding);
        by_file
            .entry(finding.location.file.clone())
            .or_default()
            .push(finding);
    }
    for (shown, mut findings) in by_file {
        let place = names.by_path.values().find(|c| c.display == shown);
        if let Some(candidate) = place {
            if let Some(text) = read_text(candidate) {
                apply_inline_ignores(engine, options, &shown, &text, &mut findings, &mut checked);
            }
            let repository = match root {
                Some(root) => root.repository_path(&candidate.relative),
                None => discover::named_repository_path(candidate),
            };
            for finding in findings.iter_mut().filter(|f| f.fingerprint.is_empty()) {
                finding.location.repository = Some(repository.clone());
                finding.fingerprint = finding::fingerprint(finding, None);
            }
        }
        checked.findings.extend(findings);
    }
    checked
}

/// Overlays named in a message: three, then how many more (a component that 21 overlays
/// use would make a finding's message a page long).
fn listed(overlays: &[&str]) -> String {
    const SHOWN: usize = 3;
    match overlays.len().checked_sub(SHOWN) {
        Some(more) if more > 0 => format!("{} and {more} more", overlays[..SHOWN].join(", ")),
        _ => overlays.join(", "),
    }
}

/// What findings call an overlay: its directory as shown.
fn overlay_name(kustomization: &Candidate) -> String {
    let dir = Path::new(&kustomization.display)
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    if dir.is_empty() {
        ".".into()
    } else {
        dir
    }
}

fn check_overlay(
    engine: &mut Engine,
    options: &Options,
    names: &Files<'_>,
    kustomization: &Candidate,
    lint: bool,
    built: Built,
    index: usize,
) -> Overlay {
    let mut overlay = Overlay {
        pending: Vec::new(),
        checked: Checked::default(),
        model: Vec::new(),
    };
    let mut named: HashMap<PathBuf, Named> = HashMap::new();
    let mut name = |path: &Path| {
        named
            .entry(path.to_path_buf())
            .or_insert_with(|| names.name(path))
            .clone()
    };
    let Built {
        objects,
        errors,
        notes,
        read,
        ..
    } = built;
    let problems = errors
        .into_iter()
        .map(|e| (e.file, e.line, e.column, e.message, Severity::Error))
        .chain(
            notes
                .into_iter()
                .map(|n| (n.file, n.line, n.column, n.message, Severity::Info)),
        );
    let class = kustomization.class;
    let evaluate = lint && options.allows(class);
    // A fixture's build is counted, not linted: what it fails at is the test's point.
    for (file, line, column, message, severity) in problems.filter(|_| evaluate) {
        let named = name(&file);
        let mut finding = Finding::own(
            RENDER_ERROR,
            severity,
            message,
            located(&named.shown, named.text.as_deref(), line, column),
        );
        finding.location.repository = Some(named.repository);
        overlay.pending.push(Pending {
            scenario: index,
            basis: finding::Basis::of(&finding, None),
            finding,
        });
    }
    if lint && !evaluate && !objects.is_empty() {
        *overlay.checked.skipped.entry(class).or_default() += 1;
    }
    let catalogue = Arc::clone(engine.catalogue());
    if evaluate {
        // What the build read was linted through it: the summary counts those files.
        overlay.checked.read_by_overlays = read.iter().map(|p| kustomize::key(p)).collect();
    }
    for (position, object) in objects.iter().enumerate() {
        // Built only for the repository model, the objects were not checked.
        overlay.checked.documents += usize::from(lint);
        if kustomization.root.is_some() {
            overlay
                .model
                .extend(model_digest(object, position, class, &mut name));
        }
        if !evaluate || !engine.has_rules_for(Kind::Kubernetes) {
            continue;
        }
        let Named {
            shown: shown_overlay,
            repository: overlay_repository,
            ..
        } = name(&kustomization.path);
        let evaluation = engine.evaluate(Kind::Kubernetes, &object.value, &shown_overlay);
        for (rule, error) in evaluation.errors {
            overlay.checked.failures.push(RuleFailure {
                rule,
                error,
                file: shown_overlay.clone(),
                document: Some(position),
                repository: overlay_repository.clone(),
            });
        }
        for result in evaluation.results {
            let path = result.path.clone().unwrap_or_default();
            let looked_up = if path.is_empty() {
                vec![PathSegment::Key("kind".into())]
            } else {
                path.clone()
            };
            let origin = lookup(object, &looked_up);
            let named = name(origin.map_or(&kustomization.path, |p| &p.file));
            let (line, column) = origin.map_or((0, 1), |p| (p.line, p.column));
            let matched = existing_prefix(&object.value, &path);
            let label = (matched < path.len()).then(|| repository::missing_label(&path[matched]));
            let mut finding = make_finding(
                &catalogue,
                options,
                result,
                located(&named.shown, named.text.as_deref(), line, column),
                label,
                None,
            );
            finding.class = class;
            finding.location.repository = Some(named.repository);
            overlay.pending.push(Pending {
                scenario: index,
                basis: finding::Basis::of(&finding, Some(&object.value)),
                finding,
            });
        }
    }
    overlay
}

/// The place of the node at `path`, or of its nearest ancestor that has one.
fn lookup<'a>(object: &'a BuiltObject, path: &[PathSegment]) -> Option<&'a kustomize::Place> {
    object
        .origins
        .iter()
        .filter(|(prefix, _)| path.starts_with(prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, place)| place)
}

/// How many leading segments of `path` exist in `value`.
fn existing_prefix(value: &Value, path: &[PathSegment]) -> usize {
    let mut at = value;
    for (depth, segment) in path.iter().enumerate() {
        let next = match segment {
            PathSegment::Key(key) => at.get(key.as_str()),
            PathSegment::Index(index) => at.get(*index),
        };
        match next {
            Some(next) => at = next,
            None => return depth,
        }
    }
    path.len()
}

/// A built object for the repository model, in the digest of the file it starts in (its
/// base resource), placed at its `kind:` line there: the model points at documents.
fn model_digest(
    object: &BuiltObject,
    position: usize,
    class: Class,
    name: &mut dyn FnMut(&Path) -> Named,
) -> Option<((String, usize), FileDigest)> {
    let place = lookup(object, &[PathSegment::Key("kind".into())])?;
    let named_file = place.file.clone();
    let named = name(&place.file);
    let text = named.text?;
    let source = SourceFile::new(&text);
    let start = source.offset(place.line, place.column.saturating_sub(1));
    let anchor = start..source.line_span(place.line).end.max(start);
    let places: HashMap<&[PathSegment], &kustomize::Place> = object
        .origins
        .iter()
        .map(|(path, place)| (path.as_slice(), place))
        .collect();
    let in_file = |place: &kustomize::Place| {
        (place.file == named_file).then(|| {
            let start = source.offset(place.line, place.column.saturating_sub(1));
            start..source.line_span(place.line).end.max(start)
        })
    };
    let map = source_map(&object.value, &mut Vec::new(), &places, &in_file, &anchor);
    let document = Document {
        kind: Kind::Kubernetes,
        index: position,
        value: object.value.clone(),
        map,
        anchor,
    };
    let mut digest = FileDigest {
        relative: named.relative,
        display: named.shown,
        regular: true,
        ..FileDigest::default()
    };
    digest.add(&document, class);
    Some(((digest.relative.clone(), start), digest))
}

/// A built object's source map in the file its `kind:` is in, so the repository model
/// places a workload's fields (its pod spec) at their lines: a node is at the place its
/// value came from when that is in this file, else where its parent is (the `kind:` line
/// at the top). Places are looked up by exact path, each node once.
fn source_map(
    value: &Value,
    path: &mut Vec<PathSegment>,
    places: &HashMap<&[PathSegment], &kustomize::Place>,
    in_file: &dyn Fn(&kustomize::Place) -> Option<std::ops::Range<usize>>,
    parent: &std::ops::Range<usize>,
) -> parse::Node {
    let span = places
        .get(path.as_slice())
        .and_then(|place| in_file(place))
        .unwrap_or_else(|| parent.clone());
    let child = |path: &mut Vec<PathSegment>, segment, value| {
        path.push(segment);
        let node = source_map(value, path, places, in_file, &span);
        path.pop();
        node
    };
    let children = match value {
        Value::Object(members) => parse::Children::Object(
            members
                .iter()
                .map(|(key, value)| {
                    (
                        key.clone(),
                        child(path, PathSegment::Key(key.clone()), value),
                    )
                })
                .collect(),
        ),
        Value::Array(items) => parse::Children::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, value)| child(path, PathSegment::Index(index), value))
                .collect(),
        ),
        _ => parse::Children::Leaf,
    };
    parse::Node {
        key: None,
        span,
        children,
    }
}
