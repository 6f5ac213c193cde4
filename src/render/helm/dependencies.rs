//! A chart's dependencies as Helm processes them before rendering: each declared
//! dependency matched to its subchart in `charts/` (renamed by its `alias`), switched off by
//! its `condition` (the first path that holds a boolean wins) or its `tags`, its
//! `import-values` copied into the parent; then the values of the whole tree coalesced,
//! each subchart's under its name, with the parent's `global` values propagated.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::chart::Chart;
use super::values::{at_path, coalesce, merge, path_value};

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct Dependency {
    pub name: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub repository: Option<String>,
    #[serde(default)]
    pub condition: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub alias: Option<String>,
    #[serde(default)]
    pub import_values: Vec<Value>,
    /// Where it is declared: file (relative to the top chart), line and column of its
    /// `name:` (unknown inside an archive).
    #[serde(skip)]
    pub declared: Option<(String, usize, usize)>,
}

impl Dependency {
    /// The name its chart and values go by.
    pub fn effective_name(&self) -> &str {
        self.alias
            .as_deref()
            .filter(|a| !a.is_empty())
            .unwrap_or(&self.name)
    }
}

/// A declared dependency, switched on, with no chart in `charts/`: the chart renders
/// without it (one switched off is not needed, vendored or not).
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    pub name: String,
    /// The name its values and templates go by, when not its own.
    pub alias: Option<String>,
    /// The chart declaring it (its location below the top chart; empty for the top one).
    pub parent: String,
    /// Where: file (relative to the top chart), line, column.
    pub declared: Option<(String, usize, usize)>,
}

impl Missing {
    /// Its name in backticks, with its alias (a chart can depend on one chart twice).
    pub fn label(&self) -> String {
        match &self.alias {
            Some(alias) => format!("`{}` (as `{alias}`)", self.name),
            None => format!("`{}`", self.name),
        }
    }
}

/// The chart tree as it renders with `user` values (the subcharts switched off removed,
/// aliases applied, imports done), its coalesced values, and the dependencies missing.
pub fn resolve(chart: &Chart, user: &Value) -> (Chart, Value, Vec<Missing>) {
    let mut missing = Vec::new();
    let mut tree = attach(chart);
    let all = coalesce_tree(&tree, user);
    prune(&mut tree, &all, "", &mut missing);
    import_values(&mut tree, user);
    let values = coalesce_tree(&tree, user);
    (tree, values, missing)
}

/// Matches declared dependencies to vendored subcharts: unlisted subcharts stay, listed
/// ones are renamed by their alias (one chart may be listed twice under two aliases).
fn attach(chart: &Chart) -> Chart {
    let mut out = chart.clone();
    let listed = |sub: &Chart| chart.dependencies.iter().any(|d| d.name == sub.name);
    let mut subcharts: Vec<Chart> = chart
        .subcharts
        .iter()
        .filter(|s| !listed(s))
        .cloned()
        .collect();
    for dependency in &chart.dependencies {
        if let Some(sub) = chart.subcharts.iter().find(|s| s.name == dependency.name) {
            let mut sub = sub.clone();
            sub.name = dependency.effective_name().to_string();
            sub.metadata["name"] = Value::String(sub.name.clone());
            subcharts.push(sub);
        }
    }
    out.subcharts = subcharts.iter().map(attach).collect();
    out
}

/// The user's values over the chart's defaults, and each subchart's under its name over
/// its own defaults, with the parent's `global` propagated (the parent's win).
pub fn coalesce_tree(chart: &Chart, user: &Value) -> Value {
    let mut values = coalesce(user, &chart.values);
    let Value::Object(map) = &mut values else {
        return values;
    };
    let parent_global = map.get("global").cloned();
    for sub in &chart.subcharts {
        let mut given = match map.get(&sub.name) {
            Some(Value::Object(given)) => Value::Object(given.clone()),
            _ => Value::Object(Map::new()),
        };
        if let Some(global) = &parent_global {
            let mut combined = given
                .get("global")
                .cloned()
                .unwrap_or(Value::Object(Map::new()));
            merge(&mut combined, global.clone());
            given["global"] = combined;
        }
        map.insert(sub.name.clone(), coalesce_tree(sub, &given));
    }
    values
}

/// Removes the subcharts their condition or tags switch off, at every depth, and notes
/// the dependencies switched on that have no chart. `path` is where this chart's values
/// are in `all` (`db.` for a subchart `db`).
fn prune(chart: &mut Chart, all: &Value, path: &str, missing: &mut Vec<Missing>) {
    let tags = all.get("tags");
    let (on, off): (Vec<&Dependency>, Vec<&Dependency>) = chart
        .dependencies
        .iter()
        .partition(|d| enabled(d, all, tags, path));
    let disabled: Vec<&str> = off.iter().map(|d| d.effective_name()).collect();
    chart
        .subcharts
        .retain(|s| !disabled.contains(&s.name.as_str()));
    for dependency in on {
        if !chart
            .subcharts
            .iter()
            .any(|s| s.name == dependency.effective_name())
        {
            missing.push(Missing {
                name: dependency.name.clone(),
                alias: Some(dependency.effective_name())
                    .filter(|n| *n != dependency.name)
                    .map(str::to_string),
                parent: chart.location.clone(),
                declared: dependency.declared.clone(),
            });
        }
    }
    for sub in &mut chart.subcharts {
        let below = format!("{path}{}.", sub.name);
        prune(sub, all, &below, missing);
    }
}

fn enabled(dependency: &Dependency, all: &Value, tags: Option<&Value>, path: &str) -> bool {
    let conditions = dependency.condition.as_deref().unwrap_or("");
    for condition in conditions
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        if let Some(Value::Bool(on)) = path_value(all, &format!("{path}{condition}")) {
            return *on;
        }
    }
    let states: Vec<bool> = dependency
        .tags
        .iter()
        .filter_map(|tag| tags.and_then(|t| t.get(tag)).and_then(Value::as_bool))
        .collect();
    states.is_empty() || states.contains(&true)
}

/// Copies each dependency's `import-values` into its parent's defaults (the parent's own
/// values win), deepest charts first.
fn import_values(chart: &mut Chart, user: &Value) {
    for sub in &mut chart.subcharts {
        let given = user.get(&sub.name).cloned().unwrap_or(Value::Null);
        import_values(sub, &given);
    }
    let imports: Vec<(&Dependency, &Value)> = chart
        .dependencies
        .iter()
        .flat_map(|d| d.import_values.iter().map(move |i| (d, i)))
        .collect();
    if imports.is_empty() {
        return;
    }
    let values = coalesce_tree(chart, user);
    let mut imported = Value::Object(Map::new());
    for (dependency, import) in imports {
        let (child, parent) = match import {
            Value::String(name) => (format!("exports.{name}"), String::new()),
            Value::Object(spec) => (
                spec.get("child")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                spec.get("parent")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            ),
            _ => continue,
        };
        let from = format!("{}.{child}", dependency.effective_name());
        if let Some(found) = path_value(&values, &from) {
            merge(&mut imported, at_path(&parent, found.clone()));
        }
    }
    merge(&mut imported, chart.values.clone());
    chart.values = imported;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::helm::chart::FileTree;
    use serde_json::json;

    fn tree(files: &[(&str, &str)]) -> FileTree {
        files
            .iter()
            .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
            .collect()
    }

    fn chart(chart_yaml: &str, values: &str) -> Chart {
        Chart::from_tree(
            tree(&[
                ("Chart.yaml", chart_yaml),
                ("values.yaml", values),
                ("charts/db/Chart.yaml", "apiVersion: v2\nname: db\n"),
                (
                    "charts/db/values.yaml",
                    "port: 5432\nexports:\n  conn:\n    dbPort: 5432\nglobal:\n  region: here\n",
                ),
                ("charts/cache/Chart.yaml", "apiVersion: v2\nname: cache\n"),
                ("charts/cache/values.yaml", "enabled: false\n"),
            ]),
            "",
            false,
        )
        .unwrap()
    }

    fn names(chart: &Chart) -> Vec<&str> {
        chart.subcharts.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn the_first_condition_that_resolves_wins() {
        let parent = chart(
            "apiVersion: v2\nname: app\ndependencies:\n- name: db\n  condition: missing.enabled,db.enabled,cache.enabled\n- name: cache\n  condition: cache.enabled\n",
            "db:\n  enabled: true\n",
        );
        let (tree, _, missing) = resolve(&parent, &json!({}));
        assert_eq!(names(&tree), ["db"]);
        assert!(missing.is_empty());
        let (tree, _, _) = resolve(
            &parent,
            &json!({"db": {"enabled": false}, "cache": {"enabled": true}}),
        );
        assert_eq!(names(&tree), ["cache"]);
    }

    #[test]
    fn tags_switch_off_unless_one_is_true_and_a_condition_overrides_them() {
        let parent = chart(
            "apiVersion: v2\nname: app\ndependencies:\n- name: db\n  tags: [backend, storage]\n- name: cache\n  tags: [backend]\n  condition: cache.wanted\n",
            "tags:\n  backend: false\ncache:\n  wanted: true\n",
        );
        let (tree, _, _) = resolve(&parent, &json!({}));
        assert_eq!(names(&tree), ["cache"]);
        let (tree, _, _) = resolve(&parent, &json!({"tags": {"storage": true}}));
        assert_eq!(names(&tree), ["db", "cache"]);
    }

    #[test]
    fn aliases_rename_charts_and_scope_values_with_globals() {
        let parent = chart(
            "apiVersion: v2\nname: app\ndependencies:\n- name: db\n  alias: primary\n- name: db\n  alias: replica\n",
            "global:\n  env: prod\nprimary:\n  port: 1\n",
        );
        let (tree, values, _) =
            resolve(&parent, &json!({"replica": {"global": {"env": "ignored"}}}));
        assert_eq!(names(&tree), ["cache", "primary", "replica"]);
        assert_eq!(tree.subcharts[1].metadata["name"], "primary");
        assert_eq!(values["primary"]["port"], 1);
        assert_eq!(values["replica"]["port"], 5432);
        assert_eq!(
            values["primary"]["global"],
            json!({"region": "here", "env": "prod"})
        );
        assert_eq!(values["replica"]["global"]["env"], "prod");
        assert_eq!(values["cache"]["global"], json!({"env": "prod"}));
    }

    #[test]
    fn import_values_copy_exports_and_explicit_paths_parent_wins() {
        let parent = chart(
            "apiVersion: v2\nname: app\ndependencies:\n- name: db\n  import-values:\n  - conn\n  - child: port\n    parent: database.port\n",
            "database:\n  name: app\ndbPort: 1\n",
        );
        let (_, values, _) = resolve(&parent, &json!({}));
        assert_eq!(values["dbPort"], 1);
        assert_eq!(values["database"], json!({"port": 5432, "name": "app"}));
        let fresh = chart(
            "apiVersion: v2\nname: app\ndependencies:\n- name: db\n  import-values: [conn]\n",
            "",
        );
        let (_, values, _) = resolve(&fresh, &json!({}));
        assert_eq!(values["dbPort"], 5432);
    }

    #[test]
    fn v1_charts_declare_dependencies_in_requirements_yaml() {
        let files = [
            ("Chart.yaml", "apiVersion: v1\nname: app\n"),
            (
                "requirements.yaml",
                "dependencies:\n- name: db\n  condition: db.enabled\n",
            ),
            ("values.yaml", "db:\n  enabled: false\n"),
            ("charts/db/Chart.yaml", "apiVersion: v1\nname: db\n"),
        ];
        let parent = Chart::from_tree(tree(&files), "", false).unwrap();
        assert!(!parent.files.0.contains_key("requirements.yaml"));
        let (tree, _, _) = resolve(&parent, &json!({}));
        assert!(names(&tree).is_empty());
        let (tree, _, _) = resolve(&parent, &json!({"db": {"enabled": true}}));
        assert_eq!(names(&tree), ["db"]);
    }

    #[test]
    fn a_dependency_not_vendored_is_missing_and_the_rest_stays() {
        let parent = chart(
            "apiVersion: v2\nname: app\ndependencies:\n- name: redis\n  repository: https://charts.example\n- name: db\n- name: memcached\n  condition: memcached.enabled\n",
            "memcached:\n  enabled: false\n",
        );
        let (tree, _, missing) = resolve(&parent, &json!({}));
        assert_eq!(names(&tree), ["cache", "db"]);
        assert_eq!(
            missing,
            [Missing {
                name: "redis".into(),
                alias: None,
                parent: String::new(),
                declared: Some(("Chart.yaml".into(), 4, 3)),
            }]
        );
    }
}
