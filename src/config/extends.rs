//! `extends`: a paved.toml composed on top of the configurations it names, an organisation's
//! below and the repository's own on top. Composition works on the tables as written, so a
//! value a file leaves unset never overrides one set below it. The rules, and why, are in
//! docs/configuration.md; `required` rules of a file below cannot be opted out of above.

use std::path::{Path, PathBuf};

use toml::Value;

use super::origins::{self, is_within, Origin, Origins};
use super::{Config, ConfigError, Loaded, Required};
use crate::finding::Severity;

/// How many files deep `extends` may go: deeper is a mistake, not an organisation.
pub const MAX_DEPTH: usize = 8;

/// Lists that add up from file to file; every other value, lists included, is single: the
/// file on top sets it whole.
const LISTS: [&str; 8] = [
    "policies",
    "data",
    "exclude",
    "required",
    "helm",
    "waiver",
    "rules.ignore",
    "suppressions.forbid-inline",
];

/// Where the files a configuration extends may be read from.
#[derive(Debug, Clone)]
pub enum Reach {
    /// Where the user keeps them (the config a user runs paved with): each file within its
    /// own repository, so a symlink out of it is refused.
    Own,
    /// Inside this directory only: an untrusted repository's config (`paved audit`).
    Within(PathBuf),
}

/// Fetches a remote configuration (`oci://`, `git::`, `https://`) as policy sources are
/// fetched (pinned by the `paved.lock` beside the file naming it, cached): the file is the
/// `paved.toml` (or `.paved.toml`) at the top of what the source holds.
pub fn fetch_remote(spec: &str, base: &Path) -> anyhow::Result<PathBuf> {
    let options = crate::sources::FetchOptions::for_run(None, base)?;
    let fetched = crate::sources::local_paths(&[PathBuf::from(spec)], &options)?;
    let dir = &fetched[0];
    super::FILE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|file| file.is_file())
        .ok_or_else(|| anyhow::anyhow!("`{spec}` holds no paved.toml at its top"))
}

/// Whether an entry names a remote source rather than a local path.
fn is_remote(spec: &str) -> bool {
    spec.contains("://") || spec.starts_with("git::")
}

/// A file's settings as written (`table`), and once composed, with what it extends below.
struct Layer {
    table: toml::Table,
    origins: Origins,
}

/// The files being composed, from the top one down: for cycles and the depth bound.
struct Chain {
    reach: Reach,
    files: Vec<(PathBuf, String)>,
}

/// `file` (its content `text`) composed on top of what it extends.
pub(super) fn resolve(file: &Path, text: &str, reach: &Reach) -> Result<Loaded, ConfigError> {
    let shown = crate::read::tidy(file).display().to_string();
    let own = super::parse(text).map_err(|(span, m)| ConfigError::at(&shown, text, span, m))?;
    let mut chain = Chain {
        reach: reach.clone(),
        files: vec![(
            file.canonicalize().unwrap_or_else(|_| file.to_path_buf()),
            shown.clone(),
        )],
    };
    let layer = compose_file(file, &shown, text, &own, &mut chain)?;
    let mut config: Config =
        Value::Table(layer.table)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError {
                file: shown,
                line: 1,
                column: 1,
                message: format!("the composed configuration: {}", e.message()),
            })?;
    // Waivers come from this file alone (extended files may have none): it knows their lines.
    config.waivers = own.waivers;
    Ok(Loaded {
        config,
        file: Some(file.to_path_buf()),
        origins: layer.origins,
    })
}

/// One file's layer: what it extends composed in order, then its own settings on top.
fn compose_file(
    file: &Path,
    shown: &str,
    text: &str,
    config: &Config,
    chain: &mut Chain,
) -> Result<Layer, ConfigError> {
    let mut table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        ConfigError::at(shown, text, e.span().unwrap_or(0..0), e.message().into())
    })?;
    let mut origins = origins::of(text, shown);
    table.remove("extends");
    let entries = origins.remove("extends").unwrap_or_default();
    let mut below: Option<Layer> = None;
    for (spec, entry) in config.extends.iter().zip(entries) {
        let extended = extended(file, shown, spec, &entry, chain)?;
        below = Some(match below {
            Some(layer) => compose(layer, extended)?,
            None => extended,
        });
    }
    let own = Layer { table, origins };
    match below {
        Some(layer) => compose(layer, own),
        None => Ok(own),
    }
}

/// The layer of the file `spec` names in `file` (at `entry`), its paths made relative to
/// `file`'s directory.
fn extended(
    file: &Path,
    shown: &str,
    spec: &str,
    entry: &Origin,
    chain: &mut Chain,
) -> Result<Layer, ConfigError> {
    let error = |message: String| ConfigError {
        file: entry.file.clone(),
        line: entry.line,
        column: entry.column,
        message,
    };
    let dir = file.parent().unwrap_or(Path::new(""));
    let (path, shown_path, relative_dir) = if is_remote(spec) {
        let path = fetch_remote(spec, dir).map_err(|e| error(format!("{e:#}")))?;
        let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
        (path, spec.to_string(), parent)
    } else {
        let shown_dir = Path::new(shown).parent().unwrap_or(Path::new(""));
        let relative = Path::new(spec).parent().unwrap_or(Path::new(""));
        (
            dir.join(spec),
            crate::read::tidy(&shown_dir.join(spec))
                .display()
                .to_string(),
            relative.to_path_buf(),
        )
    };
    let cannot_read = |e: &dyn std::fmt::Display| error(format!("cannot read `{spec}`: {e}"));
    let real_path = path.canonicalize().map_err(|e| cannot_read(&e))?;
    if let Some(start) = chain.files.iter().position(|(p, _)| *p == real_path) {
        let mut cycle: Vec<&str> = chain.files[start..]
            .iter()
            .map(|(_, s)| s.as_str())
            .collect();
        cycle.push(&shown_path);
        return Err(error(format!("`extends` cycle: {}", cycle.join(" → "))));
    }
    if chain.files.len() > MAX_DEPTH {
        return Err(error(format!(
            "`extends` goes more than {MAX_DEPTH} files deep"
        )));
    }
    // A fetched file is read where the sources module put it.
    let boundary = match &chain.reach {
        Reach::Within(dir) if !is_remote(spec) => {
            let dir = crate::read::canonical_dir(dir);
            if !real_path.starts_with(&dir) {
                return Err(error(format!(
                    "`{spec}` is outside the repository; a repository's configuration may \
                     extend only files inside it here"
                )));
            }
            dir
        }
        _ => crate::read::boundary_of(&path),
    };
    let text = crate::read::read_text(&path, &boundary).map_err(|e| cannot_read(&e))?;
    let config =
        super::parse(&text).map_err(|(span, m)| ConfigError::at(&shown_path, &text, span, m))?;
    // Their paths and lines are one repository's: in a file others extend they would be wrong.
    if !config.waivers.is_empty() || config.baseline.is_some() {
        let origins = origins::of(&text, &shown_path);
        let at = origins
            .get("waiver")
            .or_else(|| origins.get("baseline"))
            .and_then(|o| o.first());
        return Err(ConfigError {
            file: shown_path.clone(),
            line: at.map_or(1, |o| o.line),
            column: at.map_or(1, |o| o.column),
            message: "waivers and baselines belong in a repository's own paved.toml, not in a \
                      file it extends"
                .into(),
        });
    }
    chain.files.push((real_path, shown_path.clone()));
    let mut layer = compose_file(&path, &shown_path, &text, &config, chain)?;
    chain.files.pop();
    // Whether a directory is a repository of its own is about that directory alone.
    layer.table.remove("root");
    layer.origins.remove("root");
    layer.rebase(&relative_dir);
    Ok(layer)
}

impl Layer {
    /// Makes the paths of an extended file, relative to it, relative to the file that
    /// extends it through `dir` (the entry's directory).
    fn rebase(&mut self, dir: &Path) {
        if dir.as_os_str().is_empty() {
            return;
        }
        let rebase = |value: &mut Value| {
            if let Value::String(path) = value {
                if !is_remote(path) && !Path::new(path).is_absolute() {
                    *path = crate::read::tidy(&dir.join(path.as_str()))
                        .display()
                        .to_string();
                }
            }
        };
        for key in ["policies", "data"] {
            if let Some(Value::Array(items)) = self.table.get_mut(key) {
                items.iter_mut().for_each(&rebase);
            }
        }
        if let Some(Value::Array(charts)) = self.table.get_mut("helm") {
            for chart in charts.iter_mut().filter_map(Value::as_table_mut) {
                if let Some(glob) = chart.get_mut("chart") {
                    rebase(glob);
                }
            }
        }
    }

    fn strings(&self, path: &[&str]) -> Vec<String> {
        let mut value = self.table.get(path[0]);
        for key in &path[1..] {
            value = value.and_then(|v| v.get(*key));
        }
        value
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Appends `patterns` not already in the list at `path` (`rules.select`), with their
    /// origins.
    fn add_missing(&mut self, path: [&str; 2], patterns: &[(String, Origin)]) {
        let present = self.strings(&path);
        let table = self
            .table
            .entry(path[0])
            .or_insert_with(|| Value::Table(toml::Table::new()));
        let Some(Value::Array(list)) = table
            .as_table_mut()
            .map(|t| t.entry(path[1]).or_insert_with(|| Value::Array(Vec::new())))
        else {
            return;
        };
        let origins = self.origins.entry(path.join(".")).or_default();
        for (pattern, origin) in patterns {
            if !present.contains(pattern) {
                list.push(Value::String(pattern.clone()));
                origins.push(origin.clone());
            }
        }
    }
}

/// `top` composed on `below`: lists in [`LISTS`] add up, tables merge by key, every other
/// value is `top`'s when it sets one. What `below` requires stays on: `top` may not opt out
/// of it, its inline ignores are forbidden, and a narrowed `select` still selects it.
fn compose(mut below: Layer, top: Layer) -> Result<Layer, ConfigError> {
    let patterns = below.strings(&["required"]);
    let required_at = below.origins.get("required").cloned().unwrap_or_default();
    let required: Vec<(String, Origin)> = patterns.into_iter().zip(required_at).collect();
    forbid_opt_outs(&required, &below, &top)?;
    // An organisation's `ignore` gives way to what the repository selects by the same name.
    let selected = top.strings(&["rules", "select"]);
    if !selected.is_empty() {
        let ignored = below.strings(&["rules", "ignore"]);
        let keep: Vec<bool> = ignored.iter().map(|p| !selected.contains(p)).collect();
        if let Some(Value::Array(list)) = below
            .table
            .get_mut("rules")
            .and_then(|r| r.get_mut("ignore"))
        {
            let mut flags = keep.iter();
            list.retain(|_| *flags.next().unwrap_or(&true));
        }
        if let Some(origins) = below.origins.get_mut("rules.ignore") {
            let mut flags = keep.iter();
            origins.retain(|_| *flags.next().unwrap_or(&true));
        }
    }
    merge(
        &mut below.table,
        &mut below.origins,
        top.table,
        &top.origins,
        "",
    );
    if !required.is_empty() {
        below.add_missing(["suppressions", "forbid-inline"], &required);
        if !below.strings(&["rules", "select"]).is_empty() {
            below.add_missing(["rules", "select"], &required);
        }
    }
    Ok(below)
}

fn merge(
    below: &mut toml::Table,
    origins: &mut Origins,
    top: toml::Table,
    top_origins: &Origins,
    prefix: &str,
) {
    for (key, value) in top {
        let path = origins::join(prefix, &key);
        match (below.get_mut(&key), value) {
            (Some(Value::Table(lower)), Value::Table(upper)) => {
                merge(lower, origins, upper, top_origins, &path)
            }
            (Some(Value::Array(lower)), Value::Array(upper)) if LISTS.contains(&path.as_str()) => {
                lower.extend(upper);
                let added = top_origins.get(&path).cloned().unwrap_or_default();
                origins.entry(path).or_default().extend(added);
            }
            (_, value) => {
                below.insert(key, value);
                origins.retain(|k, _| !is_within(k, &path));
                origins.extend(
                    top_origins
                        .iter()
                        .filter(|(k, _)| is_within(k, &path))
                        .map(|(k, v)| (k.clone(), v.clone())),
                );
            }
        }
    }
}

/// A file that ignores, waives or lowers the severity of a rule required below it is a
/// configuration error at the line that does it.
fn forbid_opt_outs(
    required: &[(String, Origin)],
    below: &Layer,
    top: &Layer,
) -> Result<(), ConfigError> {
    if required.is_empty() {
        return Ok(());
    }
    let patterns: Vec<String> = required.iter().map(|(p, _)| p.clone()).collect();
    let set = Required::new(&patterns).map_err(|e| ConfigError {
        file: required[0].1.file.clone(),
        line: required[0].1.line,
        column: required[0].1.column,
        message: format!("invalid glob: {e}"),
    })?;
    let forbidden = |pattern: &str, doing: &str, at: Option<&Origin>| -> Result<(), ConfigError> {
        let Some(index) = set.reached_by(pattern) else {
            return Ok(());
        };
        let (required_pattern, required_at) = &required[index];
        // Name the narrower of the two: the rule the opt-out is about.
        let rule = if set.requires(pattern) {
            pattern
        } else {
            required_pattern.as_str()
        };
        let at = at.cloned().unwrap_or_else(|| Origin {
            file: required_at.file.clone(),
            line: 1,
            column: 1,
        });
        Err(ConfigError {
            file: at.file,
            line: at.line,
            column: at.column,
            message: format!(
                "forbidden opt-out: `{rule}` is required by {required_at}; a configuration \
                 that extends it may not {doing} it"
            ),
        })
    };
    let at = |path: &str, index: usize| top.origins.get(path).and_then(|o| o.get(index));
    for (index, pattern) in top.strings(&["rules", "ignore"]).iter().enumerate() {
        forbidden(pattern, "ignore", at("rules.ignore", index))?;
    }
    let levels = |layer: &Layer| -> Vec<(String, Option<Severity>)> {
        layer
            .table
            .get("rules")
            .and_then(|r| r.get("severity"))
            .and_then(Value::as_table)
            .map(|t| {
                t.iter()
                    .map(|(id, level)| (id.clone(), level.as_str().and_then(Severity::from_name)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let below_levels = levels(below);
    for (id, level) in levels(top) {
        // Raising is fine: up to the level set below, or to `error` when none is.
        let floor = below_levels
            .iter()
            .find(|(other, _)| *other == id)
            .and_then(|(_, l)| *l)
            .unwrap_or(Severity::Error);
        if level.is_some_and(|l| l < floor) {
            let path = origins::join("rules.severity", &id);
            forbidden(&id, "lower the severity of", at(&path, 0))?;
        }
    }
    let waivers = top.table.get("waiver").and_then(Value::as_array);
    for (index, waiver) in waivers.into_iter().flatten().enumerate() {
        if let Some(rule) = waiver.get("rule").and_then(Value::as_str) {
            forbidden(rule, "waive", at("waiver", index))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(text: &str, file: &str) -> Layer {
        Layer {
            table: text.parse().unwrap(),
            origins: origins::of(text, file),
        }
    }

    fn composed(below: &str, top: &str) -> Result<toml::Table, ConfigError> {
        compose(layer(below, "org.toml"), layer(top, "paved.toml")).map(|l| l.table)
    }

    #[test]
    fn lists_add_up_single_values_and_levels_are_the_top_files() {
        let table = composed(
            "exclude = [\"vendor\"]\nfail-level = \"warning\"\nbuiltin = false\n[rules]\nselect = [\"kubernetes/*\"]\n[rules.severity]\n\"a/b\" = \"info\"\n\"c/d\" = \"warning\"\n",
            "exclude = [\"gen\"]\nfail-level = \"error\"\n[rules]\nselect = [\"terraform/*\"]\n[rules.severity]\n\"a/b\" = \"error\"\n",
        )
        .unwrap();
        assert_eq!(
            table.to_string(),
            "exclude = [\"vendor\", \"gen\"]\nfail-level = \"error\"\nbuiltin = false\n\n[rules]\nselect = [\"terraform/*\"]\n\n[rules.severity]\n\"a/b\" = \"error\"\n\"c/d\" = \"warning\"\n"
        );
    }

    #[test]
    fn settings_merge_by_key_and_the_top_file_sets_a_leaf_whole() {
        let table = composed(
            "[policy.config]\nterraform = { owner_tag_keys = [\"owner\"], strict = true }\nci = { timeout = 30 }\n",
            "[policy.config.terraform]\nowner_tag_keys = [\"team\"]\n",
        )
        .unwrap();
        assert_eq!(
            table["policy"]["config"].as_table().unwrap().to_string(),
            "[terraform]\nowner_tag_keys = [\"team\"]\nstrict = true\n\n[ci]\ntimeout = 30\n"
        );
    }

    #[test]
    fn a_rule_the_top_file_selects_by_name_is_no_longer_ignored_below() {
        let table = composed(
            "[rules]\nignore = [\"a/b\", \"c/d\"]\n",
            "[rules]\nselect = [\"a/b\", \"x/*\"]\nignore = [\"e/f\"]\n",
        )
        .unwrap();
        assert_eq!(
            table["rules"].as_table().unwrap().to_string(),
            "ignore = [\"c/d\", \"e/f\"]\nselect = [\"a/b\", \"x/*\"]\n"
        );
    }

    #[test]
    fn required_rules_stay_selected_and_cannot_be_ignored_inline() {
        let table = composed(
            "required = [\"security/*\"]\n",
            "[rules]\nselect = [\"kubernetes/*\"]\n",
        )
        .unwrap();
        assert_eq!(
            table["rules"]["select"].to_string(),
            "[\"kubernetes/*\", \"security/*\"]"
        );
        assert_eq!(
            table["suppressions"]["forbid-inline"].to_string(),
            "[\"security/*\"]"
        );
    }

    #[test]
    fn opting_out_of_a_required_rule_is_an_error_at_its_line() {
        let org = "fail-level = \"error\"\nrequired = [\"security/*\", \"ci/pinned\"]\n[rules.severity]\n\"ci/pinned\" = \"warning\"\n";
        let error = |top: &str| composed(org, top).unwrap_err().to_string();
        assert_eq!(
            error("[rules]\nignore = [\n  \"kubernetes/*\",\n  \"security/privileged\",\n]\n"),
            "paved.toml:4:3: forbidden opt-out: `security/privileged` is required by org.toml:2; a configuration that extends it may not ignore it"
        );
        assert_eq!(
            error("[rules]\nignore = [\"*\"]\n"),
            "paved.toml:2:11: forbidden opt-out: `security/*` is required by org.toml:2; a configuration that extends it may not ignore it"
        );
        assert_eq!(
            error("[rules.severity]\n\"ci/pinned\" = \"info\"\n"),
            "paved.toml:2:1: forbidden opt-out: `ci/pinned` is required by org.toml:2; a configuration that extends it may not lower the severity of it"
        );
        assert_eq!(
            error("[rules.severity]\n\"security/privileged\" = \"warning\"\n"),
            "paved.toml:2:1: forbidden opt-out: `security/privileged` is required by org.toml:2; a configuration that extends it may not lower the severity of it"
        );
        assert_eq!(
            error("[[waiver]]\nrule = \"security/privileged\"\npaths = [\"a\"]\nreason = \"r\"\nowner = \"o\"\nexpires = 2099-01-01\n"),
            "paved.toml:1:1: forbidden opt-out: `security/privileged` is required by org.toml:2; a configuration that extends it may not waive it"
        );
        // Raising, or keeping the organisation's level, is not an opt-out.
        assert!(composed(
            org,
            "[rules.severity]\n\"ci/pinned\" = \"warning\"\n\"security/x\" = \"error\"\n"
        )
        .is_ok());
    }

    #[test]
    fn paths_of_an_extended_file_become_relative_to_the_extending_one() {
        let mut org = layer(
            "policies = [\"policy\", \"/abs\", \"oci://r/p:1\"]\ndata = [\"../data\"]\n[[helm]]\nchart = \"charts/*\"\n",
            "org.toml",
        );
        org.rebase(Path::new("../org"));
        assert_eq!(
            org.table.to_string(),
            "policies = [\"../org/policy\", \"/abs\", \"oci://r/p:1\"]\ndata = [\"../data\"]\n\n[[helm]]\nchart = \"../org/charts/*\"\n"
        );
    }

    #[test]
    fn an_untrusted_repository_extends_only_files_inside_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("repo")).unwrap();
        std::fs::write(dir.path().join("org.toml"), "fail-level = \"info\"\n").unwrap();
        std::fs::write(
            dir.path().join("repo/base.toml"),
            "fail-level = \"warning\"\n",
        )
        .unwrap();
        let file = dir.path().join("repo/paved.toml");
        let within = Reach::Within(dir.path().join("repo"));
        let loaded = resolve(&file, "extends = [\"base.toml\"]\n", &within).unwrap();
        assert_eq!(loaded.config.fail_level.as_deref(), Some("warning"));
        let error = resolve(&file, "extends = [\"../org.toml\"]\n", &within).unwrap_err();
        assert_eq!(
            (error.line, error.column, error.message.as_str()),
            (1, 12, "`../org.toml` is outside the repository; a repository's configuration may extend only files inside it here")
        );
        let loaded = resolve(&file, "extends = [\"../org.toml\"]\n", &Reach::Own).unwrap();
        assert_eq!(loaded.config.fail_level.as_deref(), Some("info"));
    }

    #[test]
    fn a_remote_entry_is_fetched_only_when_the_lock_pins_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("paved.lock"), "").unwrap();
        assert_eq!(
            fetch_remote("oci://r/org:v3", dir.path())
                .unwrap_err()
                .to_string(),
            format!(
                "policy source `oci://r/org:v3` is not pinned in {}: run `paved lock` to pin it",
                dir.path().join("paved.lock").display()
            )
        );
    }
}
