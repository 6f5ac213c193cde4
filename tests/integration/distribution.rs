//! What paved ships to adopters (release workflow, container image, Action, docs) holds to
//! paved's own rules, and a fresh clone finds everything it links to inside the repository.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{concise, root, run};

/// The workflows, the Dockerfile and the Action, relative to the project root.
fn shipped_files() -> Vec<String> {
    let mut workflows: Vec<String> = std::fs::read_dir(root().join(".github/workflows"))
        .expect("the workflows directory")
        .map(|entry| entry.expect("a directory entry").file_name())
        .map(|name| format!(".github/workflows/{}", name.to_str().expect("a UTF-8 name")))
        .collect();
    workflows.sort();
    assert!(workflows.contains(&".github/workflows/release.yml".to_string()));
    workflows.extend(["Dockerfile".to_string(), "action.yml".to_string()]);
    workflows
}

#[test]
fn shipped_files_are_read_as_workflows_and_dockerfiles() {
    let files = shipped_files();
    let mut args = vec!["parse"];
    args.extend(files.iter().map(String::as_str));
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    let documents: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    let kinds: Vec<(&str, &str)> = documents
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d["kind"].as_str().unwrap()))
        .collect();
    let expected: Vec<(&str, &str)> = files
        .iter()
        .map(|file| {
            let kind = if file == "Dockerfile" {
                "dockerfile"
            } else {
                "github-actions"
            };
            (file.as_str(), kind)
        })
        .collect();
    assert_eq!(kinds, expected);
}

#[test]
fn shipped_files_pass_paved_own_rules() {
    let files = shipped_files();
    let mut args = vec!["lint", "-f", "concise", "--fail-level", "info"];
    args.extend(files.iter().map(String::as_str));
    let (code, stdout, stderr) = run(&args);
    assert_eq!(concise(&stdout), Vec::<&str>::new(), "{stderr}");
    assert_eq!(code, 0, "{stderr}");
    let checked = format!("Checked {n} files and {n} documents", n = files.len());
    assert!(stdout.contains(&checked), "{stdout}");
}

/// README.md and every page in docs/.
fn documentation() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("the docs directory")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    pages.insert(0, root().join("README.md"));
    pages
}

/// The targets of the markdown links `[text](target)` in `text`.
fn link_targets(text: &str) -> Vec<&str> {
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            rest.find(')').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn documentation_links_stay_inside_the_repository() {
    // Spelled in two parts so that this file does not trip .ci/run's own check.
    let outside = format!("{}/shared", "..");
    let repository = root().canonicalize().unwrap();
    let pages = documentation();
    assert!(pages.iter().any(|p| p.ends_with("docs/conftest.md")));
    assert!(pages.iter().any(|p| p.ends_with("docs/install.md")));
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        assert!(
            !text.contains(&outside),
            "{} names {outside}",
            page.display()
        );
        for target in link_targets(&text) {
            if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let file = target.split('#').next().unwrap();
            let resolved = page.parent().unwrap().join(file);
            let resolved = resolved
                .canonicalize()
                .unwrap_or_else(|_| panic!("{}: the link {target} names no file", page.display()));
            assert!(
                resolved.starts_with(&repository),
                "{}: the link {target} leaves the repository",
                page.display()
            );
        }
    }
}

/// Cargo.toml's `rust-version`.
fn rust_version() -> String {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(root().join("Cargo.toml")).unwrap()).unwrap();
    manifest["package"]["rust-version"]
        .as_str()
        .expect("Cargo.toml declares a rust-version")
        .to_string()
}

/// `1.95` or `1.95.0` as numbers, to compare versions.
fn version_numbers(version: &str) -> Vec<u32> {
    version.split('.').map(|n| n.parse().unwrap()).collect()
}

#[test]
fn cargo_toml_declares_the_rust_version_the_dependencies_need() {
    assert_eq!(rust_version(), "1.95");
}

#[test]
fn examples_and_releases_use_at_least_the_declared_rust() {
    let minimum = version_numbers(&rust_version());
    let mut images = Vec::new();
    for page in documentation() {
        let text = std::fs::read_to_string(&page).unwrap();
        for (at, _) in text.match_indices("image: rust:") {
            let tag = &text[at + "image: rust:".len()..];
            let version: String = tag
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            images.push((page.clone(), version));
        }
    }
    let readme = Path::new("README.md");
    assert!(images.iter().any(|(page, _)| page.ends_with(readme)));
    for (page, version) in images {
        assert!(
            version_numbers(&version) >= minimum,
            "{}: rust:{version} is older than rust-version",
            page.display()
        );
    }
    let release = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    assert!(
        release.contains(&format!("RUST_TOOLCHAIN: \"{}.0\"", rust_version())),
        "the release workflow builds with Cargo.toml's rust-version"
    );
}
