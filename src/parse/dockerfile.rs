//! Dockerfiles in conftest's shape: an array of instructions
//! `{Cmd, Flags, Value, Stage, SubCmd, JSON, Original}`, one source-map node per instruction.

use serde_json::{json, Value};

use super::sourcemap::{Children, Node};
use super::{strip_bom, Document, Kind, Options, ParsedFile};
use crate::source::{SourceFile, Span};

/// A logical instruction: its text with line continuations joined, and where it stands.
struct Line {
    text: String,
    span: Span,
    /// The instruction word (`RUN`, `COPY`, ...).
    command_span: Span,
}

pub fn parse(text: &str, options: Options) -> ParsedFile {
    let (body, bom) = strip_bom(text);
    let mut values = Vec::new();
    let mut nodes = Vec::new();
    let mut stage = 0usize;
    let mut seen_from = false;
    for line in logical_lines(body, bom) {
        let (instruction, command) = instruction(&line.text);
        if command == "from" {
            if seen_from {
                stage += 1;
            }
            seen_from = true;
        }
        let mut value = instruction;
        value["Stage"] = json!(stage);
        values.push(value);
        if options.source_map {
            let value_span = line.command_span.end.min(line.span.end)..line.span.end;
            nodes.push(Node {
                key: Some(line.span.clone()),
                span: line.span.clone(),
                children: Children::Object(vec![
                    (
                        "Cmd".into(),
                        Node {
                            key: Some(line.command_span.clone()),
                            ..Node::leaf(line.command_span.clone())
                        },
                    ),
                    ("Value".into(), Node::leaf(value_span.clone())),
                    ("Flags".into(), Node::leaf(value_span)),
                ]),
            });
        }
    }
    let map = Node {
        key: None,
        span: bom..text.len(),
        children: Children::Array(nodes),
    };
    ParsedFile {
        documents: vec![Document {
            kind: Kind::Dockerfile,
            index: 0,
            anchor: bom..bom,
            value: Value::Array(values),
            map,
        }],
        errors: Vec::new(),
    }
}

/// Joins `\`-continued lines and drops comments and blank lines.
fn logical_lines(text: &str, base: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut current: Option<Line> = None;
    let source = SourceFile::new(text);
    for (index, content) in source.lines().enumerate() {
        let start = base + source.offset(index + 1, 0);
        let trimmed = content.trim_start();
        if trimmed.starts_with('#') || (trimmed.is_empty() && current.is_none()) {
            continue;
        }
        let (piece, continues) = match content.trim_end().strip_suffix('\\') {
            Some(piece) => (piece, true),
            None => (content, false),
        };
        let line = current.get_or_insert_with(|| {
            let indent = content.len() - trimmed.len();
            let command_len = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
            Line {
                text: String::new(),
                span: start + indent..start + content.len(),
                command_span: start + indent..start + indent + command_len,
            }
        });
        if !line.text.is_empty() {
            line.text.push(' ');
        }
        line.text.push_str(piece.trim());
        line.span.end = start + content.len();
        if !continues {
            lines.extend(current.take());
        }
    }
    lines.extend(current.take());
    lines
}

/// One instruction in conftest's shape (without `Stage`), and its lower-case command.
fn instruction(text: &str) -> (Value, String) {
    let (command, rest) = split_word(text);
    let command = command.to_ascii_lowercase();
    let (sub_command, rest) = if command == "onbuild" {
        let (sub, rest) = split_word(rest);
        (sub.to_ascii_lowercase(), rest)
    } else {
        (String::new(), rest)
    };
    let effective = if sub_command.is_empty() {
        &command
    } else {
        &sub_command
    };
    let (flags, rest) = flags(rest);
    let (values, is_json) = arguments(effective, rest);
    let value = json!({
        "Cmd": command,
        "SubCmd": sub_command,
        "Flags": flags,
        "Value": values,
        "JSON": is_json,
        "Original": text,
    });
    (value, command)
}

fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find(char::is_whitespace) {
        Some(i) => (&text[..i], text[i..].trim_start()),
        None => (text, ""),
    }
}

fn flags(mut rest: &str) -> (Vec<String>, &str) {
    let mut flags = Vec::new();
    while rest.starts_with("--") {
        let (flag, after) = split_word(rest);
        flags.push(flag.to_string());
        rest = after;
    }
    (flags, rest)
}

fn arguments(command: &str, rest: &str) -> (Vec<String>, bool) {
    let exec_form = matches!(
        command,
        "run" | "cmd" | "entrypoint" | "shell" | "copy" | "add" | "volume"
    );
    if exec_form && rest.starts_with('[') {
        if let Ok(items) = serde_json::from_str::<Vec<String>>(rest) {
            return (items, true);
        }
    }
    match command {
        "run" | "cmd" | "entrypoint" | "shell" => (vec![rest.to_string()], false),
        "env" | "label" => (name_values(rest), false),
        _ => (words(rest), false),
    }
}

/// `ENV a=1 b="two words"` gives `[a, 1, b, two words]`; the legacy `ENV a 1 2` gives `[a, 1 2]`.
fn name_values(rest: &str) -> Vec<String> {
    let first = words(rest);
    if first.first().is_some_and(|w| !w.contains('=')) {
        let (name, value) = split_word(rest);
        return vec![name.to_string(), unquote(value)];
    }
    first
        .into_iter()
        .flat_map(|pair| match pair.split_once('=') {
            Some((name, value)) => vec![name.to_string(), unquote(value)],
            None => vec![pair],
        })
        .collect()
}

/// Splits on white space outside quotes, keeping quotes (they are removed by `unquote`).
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                current.push(c);
            }
            (Some(q), _) if c == q => {
                quote = None;
                current.push(c);
            }
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn unquote(text: &str) -> String {
    let t = text.trim();
    for q in ['"', '\''] {
        if let Some(inner) = t.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCKERFILE: &str = "# build\nFROM golang:1.22 AS build\nRUN go build \\\n    -o /app .\n\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\nENV A=1 B=\"two words\"\nUSER 65532\nENTRYPOINT [\"/app\"]\n";

    #[test]
    fn instructions_in_the_conftest_shape() {
        let parsed = parse(DOCKERFILE, Options::default());
        let value = &parsed.documents[0].value;
        assert_eq!(value.as_array().unwrap().len(), 7);
        assert_eq!(value[0]["Cmd"], "from");
        assert_eq!(value[0]["Value"], json!(["golang:1.22", "AS", "build"]));
        assert_eq!(value[1]["Value"], json!(["go build -o /app ."]));
        assert_eq!(value[2]["Stage"], 1);
        assert_eq!(value[3]["Flags"], json!(["--from=build"]));
        assert_eq!(value[3]["Value"], json!(["/app", "/app"]));
        assert_eq!(value[4]["Value"], json!(["A", "1", "B", "two words"]));
        assert_eq!(value[6]["Value"], json!(["/app"]));
        assert_eq!(value[6]["JSON"], true);
    }

    #[test]
    fn each_instruction_maps_to_its_lines() {
        let parsed = parse(DOCKERFILE, Options::default());
        let map = &parsed.documents[0].map;
        let run = map.resolve(&[crate::parse::PathSegment::Index(1)]);
        assert_eq!(&DOCKERFILE[run.span()], "RUN go build \\\n    -o /app .");
        let user_cmd = map.resolve(&[
            crate::parse::PathSegment::Index(5),
            crate::parse::PathSegment::Key("Cmd".into()),
        ]);
        assert_eq!(&DOCKERFILE[user_cmd.span()], "USER");
    }

    #[test]
    fn carriage_returns_alone_end_lines() {
        let text = "FROM alpine\rRUN a \\\r  b\rUSER app\r";
        let parsed = parse(text, Options::default());
        let value = &parsed.documents[0].value;
        assert_eq!(value[1]["Value"], json!(["a b"]));
        assert_eq!(value[2]["Cmd"], "user");
        let user = parsed.documents[0]
            .map
            .resolve(&[crate::parse::PathSegment::Index(2)]);
        assert_eq!(&text[user.span()], "USER app");
    }
}
