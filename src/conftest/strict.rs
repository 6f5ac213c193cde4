//! `--strict` and `--capabilities`: checks OPA makes when it compiles policies and regorus
//! does not. Both read the policies' tokens (regorus' own lexer, so comments and strings
//! never count), and every problem is reported with its file and line before anything runs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regorus::unstable::{Lexer, TokenKind, BUILTINS};

use crate::policy::PolicyFile;

/// Built-ins OPA's strict mode refuses: each has a replacement (`some ... in`, `regex.match`,
/// `net.cidr_intersects`, set difference `-`, the `to_number`/type functions).
const DEPRECATED: &[&str] = &[
    "any",
    "all",
    "re_match",
    "net.cidr_overlap",
    "set_diff",
    "cast_array",
    "cast_set",
    "cast_string",
    "cast_boolean",
    "cast_null",
    "cast_object",
];

/// What to check; the default checks nothing.
#[derive(Debug, Clone, Default)]
pub struct Checks {
    pub strict: bool,
    /// The built-ins a capabilities file allows, when one was given.
    pub allowed: Option<BTreeSet<String>>,
}

impl Checks {
    /// `--strict`, and the built-ins `--capabilities FILE` lists (OPA's capabilities JSON,
    /// `{"builtins": [{"name": ...}, ...]}`).
    pub fn new(strict: bool, capabilities: Option<&Path>) -> anyhow::Result<Checks> {
        let allowed = capabilities.map(read_capabilities).transpose()?;
        Ok(Checks { strict, allowed })
    }

    /// Every problem in every file, one per line; an error when there is any.
    pub fn check(&self, files: &[PolicyFile]) -> anyhow::Result<()> {
        if !self.strict && self.allowed.is_none() {
            return Ok(());
        }
        let mut problems = Vec::new();
        for file in files.iter().filter(|f| !f.is_builtin()) {
            let tokens = tokens(file);
            if self.strict {
                problems.extend(imports(&tokens).into_iter().map(|(line, message)| {
                    format!("{}:{line}: rego_compile_error: {message}", file.path)
                }));
            }
            for (name, line) in calls(&tokens) {
                if self.strict && DEPRECATED.contains(&name.as_str()) {
                    problems.push(format!(
                        "{}:{line}: rego_type_error: deprecated built-in function calls in expression: {name}",
                        file.path
                    ));
                }
                if let Some(allowed) = &self.allowed {
                    if is_builtin(&name) && !allowed.contains(&name) {
                        problems.push(format!(
                            "{}:{line}: rego_type_error: undefined function {name} (not in the capabilities)",
                            file.path
                        ));
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            anyhow::bail!("{}", problems.join("\n"))
        }
    }
}

fn read_capabilities(path: &Path) -> anyhow::Result<BTreeSet<String>> {
    let shown = path.display();
    let bytes = crate::read::read_named(&PathBuf::from(path))
        .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| anyhow::anyhow!("{shown}:{}:{}: {e}", e.line(), e.column()))?;
    let Some(builtins) = value.get("builtins").and_then(|b| b.as_array()) else {
        anyhow::bail!("{shown}: a capabilities file needs a `builtins` array");
    };
    builtins
        .iter()
        .map(|b| {
            b.get("name")
                .and_then(|n| n.as_str())
                .map(str::to_string)
                .ok_or_else(|| anyhow::anyhow!("{shown}: a built-in without a string `name`"))
        })
        .collect()
}

fn is_builtin(name: &str) -> bool {
    name == "print" || BUILTINS.contains_key(name) || DEPRECATED.contains(&name)
}

/// A token's kind, text and line.
struct Token {
    ident: bool,
    text: String,
    line: u32,
}

/// The file's tokens up to the first one the lexer refuses (compiling reports that).
fn tokens(file: &PolicyFile) -> Vec<Token> {
    let Ok(source) = regorus::Source::from_contents(file.path.clone(), file.text.clone()) else {
        return Vec::new();
    };
    let mut lexer = Lexer::new(&source);
    let mut tokens = Vec::new();
    while let Ok(token) = lexer.next_token() {
        if matches!(token.0, TokenKind::Eof) {
            break;
        }
        tokens.push(Token {
            ident: matches!(token.0, TokenKind::Ident),
            text: token.1.text().to_string(),
            line: token.1.line,
        });
    }
    tokens
}

/// Duplicate and unused imports: `import data.lib.k8s` is used when `k8s` appears outside
/// import statements (`import ... as name`: when `name` does). `rego.v1` and `future.*`
/// change the syntax and are never unused.
fn imports(tokens: &[Token]) -> Vec<(u32, String)> {
    let mut imported: BTreeMap<String, (u32, String)> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut in_import = vec![false; tokens.len()];
    let mut i = 0;
    while i < tokens.len() {
        if !(tokens[i].ident && tokens[i].text == "import") {
            i += 1;
            continue;
        }
        let line = tokens[i].line;
        let start = i;
        i += 1;
        let mut path = Vec::new();
        while i < tokens.len() && tokens[i].line == line && tokens[i].text != "as" {
            path.push(tokens[i].text.clone());
            i += 1;
        }
        let mut bound = path.last().cloned().unwrap_or_default();
        if i + 1 < tokens.len() && tokens[i].text == "as" {
            bound = tokens[i + 1].text.clone();
            i += 2;
        }
        in_import[start..i].iter_mut().for_each(|t| *t = true);
        let path = path.concat();
        if path == "rego.v1" || path.starts_with("future.") {
            continue;
        }
        if imported.values().any(|(_, p)| *p == path) {
            problems.push((line, format!("import {path} is a duplicate")));
            continue;
        }
        imported.insert(bound, (line, path));
    }
    for (bound, (line, path)) in imported {
        let used = tokens
            .iter()
            .zip(&in_import)
            .any(|(t, inside)| !inside && t.ident && t.text == bound);
        if !used {
            problems.push((line, format!("import {path} unused")));
        }
    }
    problems.sort();
    problems
}

/// Function calls: a dotted name followed by `(`, not itself after a `.`.
fn calls(tokens: &[Token]) -> Vec<(String, u32)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let after_dot = i > 0 && tokens[i - 1].text == ".";
        if !tokens[i].ident || after_dot {
            i += 1;
            continue;
        }
        let mut name = tokens[i].text.clone();
        let mut j = i + 1;
        while j + 1 < tokens.len() && tokens[j].text == "." && tokens[j + 1].ident {
            name.push('.');
            name.push_str(&tokens[j + 1].text);
            j += 2;
        }
        if tokens.get(j).is_some_and(|t| t.text == "(") {
            found.push((name, tokens[i].line));
        }
        i = j;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> PolicyFile {
        PolicyFile {
            path: "p.rego".into(),
            text: text.into(),
        }
    }

    #[test]
    fn strict_reports_unused_and_duplicate_imports_and_deprecated_calls() {
        let policy = file(
            "package main\n\nimport rego.v1\nimport data.lib.k8s\nimport data.lib.used\nimport data.lib.used\n\n# any(x) in a comment\ndeny contains \"any(\" if {\n\tused.x\n\tany([true])\n}\n",
        );
        let checks = Checks {
            strict: true,
            allowed: None,
        };
        let error = checks.check(&[policy]).unwrap_err().to_string();
        assert_eq!(
            error,
            "p.rego:4: rego_compile_error: import data.lib.k8s unused\n\
             p.rego:6: rego_compile_error: import data.lib.used is a duplicate\n\
             p.rego:11: rego_type_error: deprecated built-in function calls in expression: any"
        );
    }

    #[test]
    fn capabilities_limit_the_builtins_policies_may_call() {
        let policy = file("package main\n\ndeny contains msg if {\n\tmsg := sprintf(\"%v\", [time.now_ns()])\n\tdata.lib.helper(1)\n}\n");
        let checks = Checks {
            strict: false,
            allowed: Some(["sprintf".to_string()].into()),
        };
        assert_eq!(
            checks.check(&[policy]).unwrap_err().to_string(),
            "p.rego:4: rego_type_error: undefined function time.now_ns (not in the capabilities)"
        );
    }
}
