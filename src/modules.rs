//! Terraform modules span files: a provider's `default_tags` in `providers.tf` covers the
//! resources of `main.tf`. Rules run on one file at a time, so the providers a module's
//! files declare are gathered first and given to the rules on each of its files as
//! `data.paved_module.provider` (the shape of `input.provider`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::discover::Candidate;
use crate::parse::{self, Format, Kind};

/// `data.paved_module` by directory, for the directories with more than one `.tf` file of
/// which one declares provider defaults (the only thing rules read from it): elsewhere a
/// file's own blocks are the whole story, and no context is built.
pub fn contexts(
    files: &[&Candidate],
    read: impl Fn(&Candidate) -> Option<Vec<u8>>,
) -> HashMap<PathBuf, Value> {
    let mut by_directory: HashMap<&Path, Vec<&Candidate>> = HashMap::new();
    for candidate in files {
        if candidate.format == Some((Format::Hcl, Kind::Terraform))
            && is_module_file(&candidate.path)
        {
            let directory = candidate.path.parent().unwrap_or(Path::new(""));
            by_directory.entry(directory).or_default().push(candidate);
        }
    }
    let mut contexts = HashMap::new();
    for (directory, candidates) in by_directory {
        if candidates.len() < 2 {
            continue;
        }
        let mut providers: Map<String, Value> = Map::new();
        for candidate in candidates {
            let Some(bytes) = read(candidate) else {
                continue;
            };
            let Ok(text) = parse::decode(&bytes) else {
                continue;
            };
            if !text.contains("default_tags") && !text.contains("default_labels") {
                continue;
            }
            let parsed = parse::parse(
                text,
                Format::Hcl,
                Kind::Terraform,
                parse::Options::default(),
            );
            for document in parsed.documents {
                let Some(Value::Object(declared)) = document.value.get("provider") else {
                    continue;
                };
                for (name, blocks) in declared {
                    let merged = providers
                        .entry(name.clone())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let (Value::Array(all), Value::Array(blocks)) = (merged, blocks) {
                        all.extend(blocks.iter().cloned());
                    }
                }
            }
        }
        if !providers.is_empty() {
            contexts.insert(
                directory.to_path_buf(),
                serde_json::json!({"provider": providers}),
            );
        }
    }
    contexts
}

/// Widens a set of changed files (absolute) by what a change to a module's providers
/// reaches: every `.tf` file of the directory of a changed `.tf` file that declares a
/// provider, since its `default_tags` tag the resources of all of them.
pub fn with_module_files(changed: &mut HashSet<PathBuf>) {
    let declares_provider = |path: &Path| {
        crate::read::read_text(path, &crate::read::boundary_of(path))
            .is_ok_and(|text| text.contains("provider \""))
    };
    let modules: Vec<PathBuf> = changed
        .iter()
        .filter(|path| is_module_file(path) && declares_provider(path))
        .filter_map(|path| path.parent().map(Path::to_path_buf))
        .collect();
    for module in modules {
        let Ok(entries) = std::fs::read_dir(&module) else {
            continue;
        };
        let files = entries
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
            .map(|entry| entry.path())
            .filter(|path| is_module_file(path));
        changed.extend(files);
    }
}

/// A file of a Terraform module (`.tf`; `.tf.json` and `.tfvars` hold no provider defaults).
pub fn is_module_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "tf")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::Class;
    use std::sync::Arc;

    fn candidate(path: &str) -> Candidate {
        Candidate {
            path: PathBuf::from(path),
            display: path.to_string(),
            relative: path.to_string(),
            format: parse::classify(Path::new(path)),
            root: None,
            boundary: Arc::from(Path::new("/")),
            special: false,
            named: false,
            in_scope: true,
            class: Class::Deployable,
            rendered_by_overlay: false,
        }
    }

    #[test]
    fn providers_with_defaults_are_gathered_per_module() {
        let files = HashMap::from([
            ("infra/providers.tf", "provider \"aws\" {\n  region = \"eu-west-1\"\n  default_tags {\n    tags = { owner = \"payments\" }\n  }\n}\n"),
            ("infra/main.tf", "resource \"aws_s3_bucket\" \"logs\" {}\n"),
            ("infra/other.tf", "provider \"google\" {\n  project = \"p\"\n}\n"),
            // One file: its own blocks say everything.
            ("solo/main.tf", "provider \"aws\" {\n  default_tags {\n    tags = { team = \"x\" }\n  }\n}\n"),
            // No defaults anywhere: nothing to give.
            ("plain/a.tf", "provider \"aws\" {}\n"),
            ("plain/b.tf", "resource \"aws_sqs_queue\" \"q\" {}\n"),
        ]);
        let candidates: Vec<Candidate> = files.keys().map(|p| candidate(p)).collect();
        let refs: Vec<&Candidate> = candidates.iter().collect();
        let contexts = contexts(&refs, |c| {
            files.get(c.display.as_str()).map(|t| t.as_bytes().to_vec())
        });
        assert_eq!(
            contexts.keys().collect::<Vec<_>>(),
            [&PathBuf::from("infra")]
        );
        let aws = &contexts[&PathBuf::from("infra")]["provider"]["aws"];
        assert_eq!(
            aws[0]["default_tags"][0]["tags"],
            serde_json::json!({"owner": "payments"})
        );
        assert!(contexts[&PathBuf::from("infra")]["provider"]
            .get("google")
            .is_none());
    }
}
