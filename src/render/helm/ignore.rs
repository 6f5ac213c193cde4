//! `.helmignore`: the chart files Helm's loader never reads (gitignore-like patterns, `!`
//! to keep, a trailing `/` for directories), plus Helm's default: dot files in templates/.

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::chart::FileTree;

/// Helm ignores these in every chart, `.helmignore` or not.
const DEFAULT_RULES: [&str; 1] = ["templates/.?*"];

pub struct HelmIgnore {
    rules: Gitignore,
}

/// Patterns are matched as if the chart were at this directory.
const ROOT: &str = "/chart";

impl HelmIgnore {
    /// The rules of a `.helmignore` text; a line that is not a valid pattern is returned,
    /// with its number, and left out.
    pub fn new(text: &str) -> (HelmIgnore, Vec<(usize, String)>) {
        let mut builder = GitignoreBuilder::new(ROOT);
        let mut invalid = Vec::new();
        for line in DEFAULT_RULES {
            builder
                .add_line(None, line)
                .expect("the default rule is valid");
        }
        for (index, line) in text.lines().enumerate() {
            if let Err(e) = builder.add_line(None, line) {
                invalid.push((index + 1, e.to_string()));
            }
        }
        let rules = builder.build().unwrap_or_else(|_| Gitignore::empty());
        (HelmIgnore { rules }, invalid)
    }

    /// Whether the chart file at `path` (relative, `/`-separated) is ignored, itself or
    /// through a directory above it.
    pub fn ignores(&self, path: &str) -> bool {
        self.matches(path, false)
    }

    /// Whether the directory at `path` is ignored, with everything in it.
    pub fn ignores_dir(&self, path: &str) -> bool {
        self.matches(path, true)
    }

    fn matches(&self, path: &str, is_dir: bool) -> bool {
        let full = std::path::Path::new(ROOT).join(path);
        self.rules
            .matched_path_or_any_parents(&full, is_dir)
            .is_ignore()
    }

    /// Drops the ignored files of a chart's tree.
    pub fn filter(&self, files: &mut FileTree) {
        files.retain(|path, _| !self.ignores(path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_like_helm() {
        let (rules, invalid) = HelmIgnore::new("# comment\n*.tmp\nsecrets/\n!keep.tmp\n.git\n");
        assert!(invalid.is_empty());
        for ignored in [
            "a.tmp",
            "files/b.tmp",
            "secrets/key.pem",
            ".git/HEAD",
            "templates/.hidden.yaml",
        ] {
            assert!(rules.ignores(ignored), "{ignored}");
        }
        for kept in [
            "keep.tmp",
            "values.yaml",
            "templates/deployment.yaml",
            "secrets",
        ] {
            assert!(!rules.ignores(kept), "{kept}");
        }
        assert!(rules.ignores_dir("secrets"));
        assert!(!rules.ignores_dir("templates"));
    }

    #[test]
    fn filters_a_tree() {
        let (rules, _) = HelmIgnore::new("docs/\n");
        let mut files: FileTree = [("docs/a.md", ""), ("values.yaml", "")]
            .into_iter()
            .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
            .collect();
        rules.filter(&mut files);
        assert_eq!(files.keys().collect::<Vec<_>>(), ["values.yaml"]);
    }
}
