//! Which parts of `input` a set of policies can read, found in their tokens (regorus' own
//! lexer, so comments and strings never count). `paved test` then builds only those parts
//! of each YAML document ([`Projection`]).
//!
//! Every mention of `input` is read with the constant keys that follow it (`.name`,
//! `["name"]`): `input.spec.template` keeps the value at `spec.template` whole, and
//! whatever leads to it. A mention that is not followed by a key (`input`, `input[i]`,
//! `walk(input)`, `import input`) can read anything, and so keeps everything. A key
//! chain is only followed on the line it starts on; stopping early keeps more, never less.
//! The target of `with input... as` (in tests) replaces the input and reads nothing.

use regorus::unstable::{Lexer, TokenKind};

use crate::parse::Projection;
use crate::policy::PolicyFile;

/// What the policies in `files` can read of an input; `None` when that may be all of it.
pub fn projection(files: &[PolicyFile]) -> Option<Projection> {
    let mut projection = Projection::default();
    for file in files {
        let tokens = tokens(file)?;
        for (at, token) in tokens.iter().enumerate() {
            // `with input as ...` replaces the input for what follows; that reads nothing.
            let replaced =
                at > 0 && tokens[at - 1].kind == Kind::Ident && tokens[at - 1].text == "with";
            if token.kind == Kind::Ident && token.text == "input" && !replaced {
                let path = constant_keys(&tokens[at..]);
                if path.is_empty() {
                    return None;
                }
                projection.read(&path);
            }
        }
    }
    Some(projection)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ident,
    /// A string whose text is its value: a raw string, or one without escapes.
    PlainString,
    Other,
}

struct Token {
    kind: Kind,
    text: String,
    line: u32,
}

/// The file's tokens; `None` if the lexer refuses one (the policy then fails to compile, or
/// is read by rules this module cannot see into).
fn tokens(file: &PolicyFile) -> Option<Vec<Token>> {
    let source = regorus::Source::from_contents(file.path.clone(), file.text.clone()).ok()?;
    let mut lexer = Lexer::new(&source);
    let mut tokens = Vec::new();
    loop {
        let token = lexer.next_token().ok()?;
        let text = token.1.text().to_string();
        let kind = match token.0 {
            TokenKind::Eof => return Some(tokens),
            TokenKind::Ident => Kind::Ident,
            TokenKind::RawString => Kind::PlainString,
            TokenKind::String if !text.contains('\\') => Kind::PlainString,
            _ => Kind::Other,
        };
        tokens.push(Token {
            kind,
            text,
            line: token.1.line,
        });
    }
}

/// The constant keys after `input` (the first token): `.name` and `["name"]` on its line.
fn constant_keys(tokens: &[Token]) -> Vec<String> {
    let line = tokens[0].line;
    let on_line = |at: usize| tokens.get(at).filter(|t| t.line == line);
    let mut keys = Vec::new();
    let mut at = 1;
    loop {
        let (Some(first), Some(second)) = (on_line(at), on_line(at + 1)) else {
            return keys;
        };
        let third = on_line(at + 2);
        if first.text == "." && first.kind == Kind::Other && second.kind == Kind::Ident {
            keys.push(second.text.clone());
            at += 2;
        } else if first.text == "["
            && first.kind == Kind::Other
            && second.kind == Kind::PlainString
            && third.is_some_and(|t| t.text == "]" && t.kind == Kind::Other)
        {
            keys.push(second.text.clone());
            at += 3;
        } else {
            return keys;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_by(policies: &[&str]) -> Option<Projection> {
        let files: Vec<PolicyFile> = policies
            .iter()
            .enumerate()
            .map(|(i, text)| PolicyFile {
                path: format!("policy{i}.rego"),
                text: text.to_string(),
            })
            .collect();
        projection(&files)
    }

    fn kept(paths: &[&[&str]]) -> Projection {
        let mut projection = Projection::default();
        for path in paths {
            projection.read(&path.iter().map(|k| k.to_string()).collect::<Vec<_>>());
        }
        projection
    }

    #[test]
    fn constant_keys_after_input_are_what_is_read() {
        let policy = r#"package main
import rego.v1
# input.commented.out is not read
deny contains msg if {
    input.kind == "Deployment"
    some c in input.spec.template.spec.containers
    not input["metadata"]["labels"].app
    input.spec[`selector`].matchLabels[x]
    msg := sprintf("input.in.a.string %v", [c.name])
}
"#;
        assert_eq!(
            read_by(&[policy, "package lib\nname := input.metadata.name\n"]),
            Some(kept(&[
                &["kind"],
                &["spec", "template", "spec", "containers"],
                &["metadata", "labels", "app"],
                &["spec", "selector", "matchLabels"],
                &["metadata", "name"],
            ]))
        );
    }

    #[test]
    fn input_read_whole_anywhere_means_everything() {
        for policy in [
            "package main\ndeny contains 1 if walk(input, [p, v])\n",
            "package main\ndeny contains k if input[k]\n",
            "package main\nimport input\ndeny contains 1 if input.a\n",
            "package main\ndeny contains 1 if x := input\n",
            // An escaped string is not taken as a key.
            "package main\ndeny contains 1 if input[\"a\\u0062\"]\n",
            // A key on the next line is not followed.
            "package main\ndeny contains 1 if {\n  x := input\n  .a\n}\n",
        ] {
            assert_eq!(read_by(&[policy]), None, "{policy}");
        }
    }

    #[test]
    fn a_replaced_input_is_not_read() {
        let test = "package main\ntest_x if deny with input as {\"kind\": \"Pod\"}\n";
        assert_eq!(
            read_by(&["package main\ndeny contains 1 if input.kind\n", test]),
            Some(kept(&[&["kind"]]))
        );
    }

    #[test]
    fn an_imported_part_of_input_is_read_whole() {
        assert_eq!(
            read_by(&["package main\nimport input.spec as s\ndeny contains 1 if s.x.y\n"]),
            Some(kept(&[&["spec"]]))
        );
    }
}
