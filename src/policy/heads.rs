//! The rule heads of a Rego file, found by a scan of its top level. regorus has already
//! parsed the file when this runs, so the scan only has to find names, not validate; it is
//! what makes loading a bundle take microseconds where serialising regorus' AST took 100 ms.

use super::RuleHead;

/// Every top-level rule definition: its name (`deny` for `deny contains x if ...`,
/// `deny[msg] { ... }` and `deny_x := ...`) and its 1-based line. A rule defined by several
/// bodies appears once per body.
pub fn scan(text: &str) -> Vec<RuleHead> {
    let bytes = text.as_bytes();
    let mut heads = Vec::new();
    let mut depth = 0usize;
    let mut line = 1;
    let mut at_line_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => {
                line += 1;
                at_line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'`' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'`' {
                    if bytes[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
            b'{' | b'[' | b'(' => depth += 1,
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ if depth == 0 && at_line_start && is_ident_start(b) => {
                let start = i;
                while i < bytes.len() && is_ident(bytes[i]) {
                    i += 1;
                }
                let word = &text[start..i];
                let name = match word {
                    "package" | "import" | "else" => None,
                    "default" => {
                        while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
                            i += 1;
                        }
                        let name_start = i;
                        while i < bytes.len() && is_ident(bytes[i]) {
                            i += 1;
                        }
                        Some(&text[name_start..i])
                    }
                    _ => Some(word),
                };
                if let Some(name) = name.filter(|n| !n.is_empty()) {
                    heads.push(RuleHead {
                        name: name.to_string(),
                        line,
                    });
                }
                at_line_start = false;
                continue;
            }
            _ => {}
        }
        at_line_start = false;
        i += 1;
    }
    heads
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, usize)> {
        scan(text).into_iter().map(|h| (h.name, h.line)).collect()
    }

    #[test]
    fn finds_top_level_rules_only() {
        let text = r#"# METADATA
# title: x
package main

import rego.v1
import data.lib

default allow := false

deny contains msg if {
	some c in input.containers # a comment { with a brace
	msg := sprintf("%s {", [c.name])
}

deny_latest[msg] {
	x := `multi
line { raw`
	msg := x
}

warn_x := "y" if input.a
else := "z"

f(x) := y if {
	y := x
}
"#;
        assert_eq!(
            names(text),
            [
                ("allow".to_string(), 8),
                ("deny".to_string(), 10),
                ("deny_latest".to_string(), 15),
                ("warn_x".to_string(), 21),
                ("f".to_string(), 24),
            ]
        );
    }
}
