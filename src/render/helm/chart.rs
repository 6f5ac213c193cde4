//! Loading a chart as Helm's loader does: `Chart.yaml`, `values.yaml`,
//! `values.schema.json`, `templates/`, `crds/`, subcharts in `charts/` (directories and
//! `.tgz` archives), every other file for `.Files`, less what `.helmignore` names. Files
//! are read only through [`crate::read`]; a file that cannot be read is a [`Problem`],
//! never a crash, and the rest of the chart loads.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::archive;
use super::dependencies::Dependency;
use super::ignore::HelmIgnore;
use super::template::Files;
use super::value_sources::ValuesFile;
use crate::parse::{self, Dialect, Format, Kind};
use crate::source::SourceFile;

/// A chart's files by path relative to its directory, `/`-separated.
pub type FileTree = BTreeMap<String, Vec<u8>>;

/// A chart directory deeper than this is not a chart (and a loop of links cannot recurse).
const MAX_DEPTH: usize = 32;
/// Nor one with more files than this.
const MAX_FILES: usize = 10_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// `templates/deployment.yaml`, relative to its chart.
    pub path: String,
    pub text: String,
}

/// Something in a chart that could not be read or understood, at a file of the top chart
/// (relative to its directory) and, when known, a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Chart {
    /// Its name, or its alias once a dependency renames it.
    pub name: String,
    /// `Chart.yaml` as parsed.
    pub metadata: Value,
    /// `values.yaml`: the defaults (an empty map when there is none).
    pub values: Value,
    /// `values.yaml` as written, for where a value came from (none inside an archive:
    /// its lines have no place to show).
    pub values_file: Option<Arc<ValuesFile>>,
    pub schema: Option<Value>,
    /// Shared, as `files` are: every render clones the chart tree (aliases, conditions), and a
    /// chart's files can be megabytes of CRDs.
    pub templates: Arc<[Template]>,
    pub crds: Arc<[Template]>,
    /// What `.Files` holds: every file that is not a template, a subchart or Helm's own.
    pub files: Arc<Files>,
    pub dependencies: Vec<Dependency>,
    pub subcharts: Vec<Chart>,
    /// Where its files are below the top chart's directory: `` for the top chart,
    /// `charts/db` for a vendored directory, `charts/db-1.0.0.tgz` for an archive.
    pub location: String,
    pub archived: bool,
    pub problems: Vec<Problem>,
}

impl Chart {
    /// Loads the chart in `dir`; `Err` when it has no readable, valid `Chart.yaml`.
    pub fn load(dir: &Path, boundary: &Path) -> Result<Chart, Problem> {
        let mut problems = Vec::new();
        let ignore = match crate::read::read_text_if_present(&dir.join(".helmignore"), boundary) {
            Some(Ok(text)) => ignore_rules(&text, "", &mut problems),
            _ => HelmIgnore::new("").0,
        };
        let mut files = FileTree::new();
        read_tree(dir, boundary, "", 0, &ignore, &mut files, &mut problems);
        let mut chart = Chart::from_tree(files, "", false)?;
        problems.append(&mut chart.problems);
        chart.problems = problems;
        Ok(chart)
    }

    /// A chart from its files; `location` is where they are below the top chart.
    pub fn from_tree(
        mut files: FileTree,
        location: &str,
        archived: bool,
    ) -> Result<Chart, Problem> {
        let mut problems = Vec::new();
        let shown = |file: &str| shown_path(location, archived, file);
        if let Some(text) = files.get(".helmignore") {
            let rules = ignore_rules(&String::from_utf8_lossy(text), location, &mut problems);
            rules.filter(&mut files);
        }
        let Some(chart_yaml) = files.remove("Chart.yaml") else {
            return Err(Problem {
                file: shown("Chart.yaml"),
                line: None,
                message: "the chart has no Chart.yaml".into(),
            });
        };
        let metadata = yaml(&chart_yaml, &shown("Chart.yaml"))?;
        let Some(name) = metadata["name"].as_str().filter(|n| !n.is_empty()) else {
            return Err(Problem {
                file: shown("Chart.yaml"),
                line: None,
                message: "Chart.yaml has no `name`".into(),
            });
        };
        let name = name.to_string();
        let v1 = metadata["apiVersion"].as_str() == Some("v1");
        // The dependencies' own file, to say where each is declared.
        let declaring = if v1 {
            "requirements.yaml"
        } else {
            "Chart.yaml"
        };
        let declaring_text = match files.get("requirements.yaml").filter(|_| v1) {
            Some(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            None if v1 => String::new(),
            None => String::from_utf8_lossy(&chart_yaml).into_owned(),
        };
        let values_file = files.remove("values.yaml").and_then(|bytes| {
            ValuesFile::read(&bytes, &shown("values.yaml"))
                .map_err(|p| problems.push(p))
                .ok()
        });
        let mut take_yaml = |file: &str, problems: &mut Vec<Problem>| {
            let bytes = files.remove(file)?;
            yaml(&bytes, &shown(file))
                .map_err(|p| problems.push(p))
                .ok()
        };
        let values = match values_file.as_ref().map(|f| &f.value) {
            Some(Value::Object(map)) => Value::Object(map.clone()),
            Some(Value::Null) | None => Value::Object(Default::default()),
            Some(_) => {
                problems.push(Problem {
                    file: shown("values.yaml"),
                    line: None,
                    message: "values.yaml is not a map of values".into(),
                });
                Value::Object(Default::default())
            }
        };
        let declared = if v1 {
            take_yaml("requirements.yaml", &mut problems).unwrap_or(Value::Null)["dependencies"]
                .clone()
        } else {
            metadata["dependencies"].clone()
        };
        let mut dependencies: Vec<Dependency> = match declared {
            Value::Null => Vec::new(),
            list => serde_json::from_value(list).unwrap_or_else(|e| {
                problems.push(Problem {
                    file: shown(if v1 {
                        "requirements.yaml"
                    } else {
                        "Chart.yaml"
                    }),
                    line: None,
                    message: format!("the dependencies are not valid: {e}"),
                });
                Vec::new()
            }),
        };
        if !archived {
            for index in 0..dependencies.len() {
                let name = &dependencies[index].name;
                // The same chart twice (under two aliases) is declared twice.
                let earlier = dependencies[..index]
                    .iter()
                    .filter(|d| d.name == *name)
                    .count();
                dependencies[index].declared = dependency_line(&declaring_text, name, earlier)
                    .map(|(line, column)| (shown(declaring), line, column));
            }
        }
        let schema = files.remove("values.schema.json").and_then(|bytes| {
            serde_json::from_slice(&bytes)
                .map_err(|e| {
                    problems.push(Problem {
                        file: shown("values.schema.json"),
                        line: Some(e.line()),
                        message: format!("values.schema.json is not valid JSON: {e}"),
                    })
                })
                .ok()
        });
        let mut templates = Vec::new();
        let mut crds = Vec::new();
        let mut subtrees: BTreeMap<String, FileTree> = BTreeMap::new();
        let mut archives = Vec::new();
        let mut rest = FileTree::new();
        for (path, bytes) in files {
            if let Some(inside) = path.strip_prefix("charts/") {
                match inside.split_once('/') {
                    Some((dir, file)) => {
                        subtrees
                            .entry(dir.to_string())
                            .or_default()
                            .insert(file.to_string(), bytes);
                    }
                    None if inside.ends_with(".tgz") => archives.push((path, bytes)),
                    None => {}
                }
                continue;
            }
            let list = if path.starts_with("templates/") {
                &mut templates
            } else if path.starts_with("crds/") {
                &mut crds
            } else {
                rest.insert(path, bytes);
                continue;
            };
            match String::from_utf8(bytes) {
                Ok(text) => list.push(Template { path, text }),
                Err(_) => problems.push(Problem {
                    file: shown(&path),
                    line: None,
                    message: "not UTF-8 text: Helm cannot use it as a template".into(),
                }),
            }
        }
        let mut subcharts = Vec::new();
        let here = |sub: &str| {
            if location.is_empty() {
                format!("charts/{sub}")
            } else {
                format!("{location}/charts/{sub}")
            }
        };
        for (dir, tree) in subtrees {
            match Chart::from_tree(tree, &here(&dir), archived) {
                Ok(sub) => subcharts.push(sub),
                Err(problem) => problems.push(problem),
            }
        }
        for (path, bytes) in archives {
            let sub_location = here(path.trim_start_matches("charts/"));
            let loaded = archive::unpack(&bytes)
                .map_err(|message| Problem {
                    file: shown(&path),
                    line: None,
                    message,
                })
                .and_then(|tree| Chart::from_tree(tree, &sub_location, true));
            match loaded {
                Ok(sub) => subcharts.push(sub),
                Err(problem) => problems.push(problem),
            }
        }
        Ok(Chart {
            name,
            metadata,
            values,
            values_file: values_file.filter(|_| !archived).map(Arc::new),
            schema,
            templates: templates.into(),
            crds: crds.into(),
            files: Arc::new(Files(rest)),
            dependencies,
            subcharts,
            location: location.to_string(),
            archived,
            problems,
        })
    }

    /// Where a file of this chart is shown, relative to the top chart's directory (inside
    /// an archive: the archive).
    pub fn shown(&self, file: &str) -> String {
        shown_path(&self.location, self.archived, file)
    }
}

fn shown_path(location: &str, archived: bool, file: &str) -> String {
    if archived {
        // An archive's files have no place on disk: findings point at the archive.
        let archive_end = location.find(".tgz").map_or(location.len(), |at| at + 4);
        location[..archive_end].to_string()
    } else if location.is_empty() {
        file.to_string()
    } else {
        format!("{location}/{file}")
    }
}

fn ignore_rules(text: &str, location: &str, problems: &mut Vec<Problem>) -> HelmIgnore {
    let (rules, invalid) = HelmIgnore::new(text);
    for (line, message) in invalid {
        problems.push(Problem {
            file: shown_path(location, false, ".helmignore"),
            line: Some(line),
            message: format!("not a valid pattern: {message}"),
        });
    }
    rules
}

/// Where `Chart.yaml` (or `requirements.yaml`) names a dependency: the line and column
/// of its `name:` key.
fn dependency_line(text: &str, name: &str, nth: usize) -> Option<(usize, usize)> {
    let mut lines = text.lines().enumerate().filter_map(|(index, line)| {
        let key = line.trim_start().trim_start_matches('-').trim_start();
        let value = key.strip_prefix("name:")?.trim().trim_matches(['"', '\'']);
        (value == name).then(|| (index + 1, line.len() - key.len() + 1))
    });
    lines.nth(nth)
}

/// A YAML file's first document, read as Helm reads values (YAML 1.1 scalars).
pub fn yaml(bytes: &[u8], file: &str) -> Result<Value, Problem> {
    let (_, document) = yaml_document(bytes, file, false)?;
    Ok(document.map_or(Value::Null, |d| d.value))
}

/// A YAML file's text and first document (with its source map when asked), read as Helm
/// reads values.
pub fn yaml_document<'a>(
    bytes: &'a [u8],
    file: &str,
    source_map: bool,
) -> Result<(&'a str, Option<parse::Document>), Problem> {
    let problem = |line, message| Problem {
        file: file.to_string(),
        line,
        message,
    };
    let text = parse::decode(bytes).map_err(|e| problem(None, e.message))?;
    let options = parse::Options {
        dialect: Dialect::Yaml11,
        source_map,
        last_duplicate_wins: false,
    };
    let parsed = parse::parse(text, Format::Yaml, Kind::Yaml, options);
    if let Some(error) = parsed.errors.first() {
        let line = SourceFile::new(text).line(error.span.start);
        return Err(problem(Some(line), error.message.clone()));
    }
    Ok((text, parsed.documents.into_iter().next()))
}

/// Reads a chart directory's files into `files`, depth-first, skipping what `.helmignore`
/// names; links to directories are not followed (a file link is read only inside the
/// boundary, by [`crate::read::read`]).
fn read_tree(
    dir: &Path,
    boundary: &Path,
    prefix: &str,
    depth: usize,
    ignore: &HelmIgnore,
    files: &mut FileTree,
    problems: &mut Vec<Problem>,
) {
    let problem = |file: &str, message: String| Problem {
        file: if file.is_empty() {
            ".".into()
        } else {
            file.to_string()
        },
        line: None,
        message,
    };
    if depth > MAX_DEPTH {
        problems.push(problem(
            prefix,
            format!("directories nest deeper than {MAX_DEPTH}: not read"),
        ));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(problem(prefix, format!("cannot read the directory: {e}")));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            if !ignore.ignores_dir(&relative) && relative != ".git" {
                read_tree(
                    &entry.path(),
                    boundary,
                    &relative,
                    depth + 1,
                    ignore,
                    files,
                    problems,
                );
            }
            continue;
        }
        if ignore.ignores(&relative) {
            continue;
        }
        if files.len() >= MAX_FILES {
            problems.push(problem(
                prefix,
                format!("the chart has more than {MAX_FILES} files: the rest are not read"),
            ));
            return;
        }
        if file_type.is_symlink() && entry.path().is_dir() {
            problems.push(problem(
                &relative,
                "a link to a directory: paved does not follow it".into(),
            ));
            continue;
        }
        match crate::read::read(&entry.path(), boundary) {
            Ok(bytes) => {
                files.insert(relative, bytes);
            }
            // The walk reports an unsafe file as such; here, what it costs the chart.
            Err(e) => problems.push(problem(
                &relative,
                format!("{e}: the chart is rendered without it"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::helm::archive::tests::tgz;

    fn write(root: &Path, files: &[(&str, &[u8])]) {
        for (path, content) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
    }

    #[test]
    fn loads_templates_crds_files_and_subcharts_of_both_forms() {
        let dir = tempfile::tempdir().unwrap();
        let archive = tgz(&[
            ("cache/Chart.yaml", "apiVersion: v2\nname: cache\n"),
            ("cache/templates/svc.yaml", "kind: Service\n"),
        ]);
        write(
            dir.path(),
            &[
                ("Chart.yaml", b"apiVersion: v2\nname: app\nversion: 1.0.0\n"),
                ("values.yaml", b"replicas: 2\nenabled: yes\n"),
                (".helmignore", b"*.bak\n"),
                ("templates/deploy.yaml", b"kind: Deployment\n"),
                ("templates/_helpers.tpl", b"{{- define \"x\" }}{{ end }}"),
                ("templates/.hidden", b"x"),
                ("crds/crd.yaml", b"kind: CustomResourceDefinition\n"),
                ("files/config.ini", b"a=1\n"),
                ("old.bak", b"x"),
                ("charts/db/Chart.yaml", b"apiVersion: v2\nname: db\n"),
                ("charts/db/templates/sts.yaml", b"kind: StatefulSet\n"),
                ("charts/cache-1.0.0.tgz", &archive),
            ],
        );
        let boundary = dir.path().canonicalize().unwrap();
        let chart = Chart::load(dir.path(), &boundary).unwrap();
        assert_eq!(chart.name, "app");
        assert_eq!(
            chart.values,
            serde_json::json!({"replicas": 2, "enabled": true})
        );
        let paths = |list: &[Template]| list.iter().map(|t| t.path.clone()).collect::<Vec<_>>();
        assert_eq!(
            paths(&chart.templates),
            ["templates/_helpers.tpl", "templates/deploy.yaml"]
        );
        assert_eq!(paths(&chart.crds), ["crds/crd.yaml"]);
        assert_eq!(
            chart.files.0.keys().collect::<Vec<_>>(),
            [".helmignore", "files/config.ini"]
        );
        let subs: Vec<(&str, &str, bool)> = chart
            .subcharts
            .iter()
            .map(|s| (s.name.as_str(), s.location.as_str(), s.archived))
            .collect();
        assert_eq!(
            subs,
            [
                ("db", "charts/db", false),
                ("cache", "charts/cache-1.0.0.tgz", true)
            ]
        );
        assert_eq!(
            chart.subcharts[0].shown("templates/sts.yaml"),
            "charts/db/templates/sts.yaml"
        );
        assert_eq!(
            chart.subcharts[1].shown("templates/svc.yaml"),
            "charts/cache-1.0.0.tgz"
        );
        assert!(chart.problems.is_empty(), "{:?}", chart.problems);
    }

    #[test]
    fn broken_parts_are_problems_and_the_rest_loads() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                ("Chart.yaml", b"apiVersion: v2\nname: app\n"),
                ("values.yaml", b"a: [\n"),
                ("templates/ok.yaml", b"kind: Service\n"),
                ("templates/bin.yaml", b"\xff\xfe"),
                ("charts/evil.tgz", b"not an archive"),
                ("charts/nameless/values.yaml", b"a: 1\n"),
            ],
        );
        let boundary = dir.path().canonicalize().unwrap();
        let chart = Chart::load(dir.path(), &boundary).unwrap();
        let problems: Vec<(&str, Option<usize>)> = chart
            .problems
            .iter()
            .map(|p| (p.file.as_str(), p.line))
            .collect();
        assert_eq!(
            problems,
            [
                ("values.yaml", Some(2)),
                ("templates/bin.yaml", None),
                ("charts/nameless/Chart.yaml", None),
                ("charts/evil.tgz", None),
            ]
        );
        assert_eq!(chart.templates.len(), 1);
        let missing = Chart::load(&dir.path().join("templates"), &boundary).unwrap_err();
        assert_eq!(missing.message, "the chart has no Chart.yaml");
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_repository_are_problems_not_reads() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "token").unwrap();
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[("Chart.yaml", b"apiVersion: v2\nname: app\n")],
        );
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        let link = dir.path().join("templates/leak.yaml");
        std::os::unix::fs::symlink(outside.path().join("secret"), &link).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("files")).unwrap();
        let boundary = dir.path().canonicalize().unwrap();
        let chart = Chart::load(dir.path(), &boundary).unwrap();
        assert!(chart.templates.is_empty());
        let problems: Vec<(&str, &str)> = chart
            .problems
            .iter()
            .map(|p| (p.file.as_str(), p.message.as_str()))
            .collect();
        let target = outside.path().canonicalize().unwrap().join("secret");
        let leak = format!(
            "this file is a symlink to {}, outside the scanned directory; paved does not follow it: the chart is rendered without it",
            target.display()
        );
        assert_eq!(
            problems,
            [
                ("files", "a link to a directory: paved does not follow it"),
                ("templates/leak.yaml", leak.as_str()),
            ]
        );
    }
}
