//! nginx configuration in conftest's shape: `{"directives": [{name, parameters?, block?}]}`,
//! where a block is `{"directives": [...]}`. Parameters keep their text as written (quotes
//! included, as conftest's gonginx prints them); comments are dropped; `include` is a
//! directive like any other, not followed.

use serde_json::{json, Map, Value};

use super::conftest::single;
use super::{strip_bom, ParseError, ParsedFile, MAX_DEPTH};

pub fn parse(text: &str) -> ParsedFile {
    let (body, bom) = strip_bom(text);
    let mut tokens = Tokens { text: body, at: 0 };
    match directives(&mut tokens, 0) {
        Ok((list, None)) => single(json!({ "directives": list }), text),
        Ok((_, Some(at))) => error("unexpected `}`", bom + at),
        Err((message, at)) => error(&message, bom + at),
    }
}

fn error(message: &str, at: usize) -> ParsedFile {
    ParsedFile {
        documents: Vec::new(),
        errors: vec![ParseError::new(
            format!("invalid nginx configuration: {message}"),
            at..at,
        )],
    }
}

type Failure = (String, usize);

/// Directives up to the end of the text or a `}` (whose offset is returned).
fn directives(
    tokens: &mut Tokens<'_>,
    depth: usize,
) -> Result<(Vec<Value>, Option<usize>), Failure> {
    let mut list = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut start = 0;
    loop {
        let Some((token, at)) = tokens.next()? else {
            if words.is_empty() {
                return Ok((list, None));
            }
            return Err(("a directive is not ended by `;`".into(), start));
        };
        match token {
            Token::Word(word) => {
                if words.is_empty() {
                    start = at;
                }
                words.push(word);
            }
            Token::Semicolon => {
                if words.is_empty() {
                    return Err(("`;` without a directive".into(), at));
                }
                list.push(directive(std::mem::take(&mut words), None));
            }
            Token::Open => {
                if words.is_empty() {
                    return Err(("`{` without a directive".into(), at));
                }
                if depth >= MAX_DEPTH {
                    return Err((format!("blocks nested deeper than {MAX_DEPTH} levels"), at));
                }
                let (inner, close) = directives(tokens, depth + 1)?;
                if close.is_none() {
                    return Err(("a block is not closed by `}`".into(), at));
                }
                let block = json!({ "directives": inner });
                list.push(directive(std::mem::take(&mut words), Some(block)));
            }
            Token::Close if words.is_empty() => return Ok((list, Some(at))),
            Token::Close => return Err(("a directive is not ended by `;`".into(), start)),
        }
    }
}

fn directive(mut words: Vec<String>, block: Option<Value>) -> Value {
    let parameters: Vec<Value> = words.drain(1..).map(Value::String).collect();
    let mut object = Map::new();
    object.insert("name".into(), Value::String(words.remove(0)));
    if !parameters.is_empty() {
        object.insert("parameters".into(), Value::Array(parameters));
    }
    if let Some(block) = block {
        object.insert("block".into(), block);
    }
    Value::Object(object)
}

enum Token {
    Word(String),
    Semicolon,
    Open,
    Close,
}

struct Tokens<'a> {
    text: &'a str,
    at: usize,
}

impl Tokens<'_> {
    /// The next token and its offset; `#` comments and white space are skipped.
    fn next(&mut self) -> Result<Option<(Token, usize)>, Failure> {
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() {
            match bytes[self.at] {
                b' ' | b'\t' | b'\r' | b'\n' => self.at += 1,
                b'#' => {
                    while self.at < bytes.len() && bytes[self.at] != b'\n' {
                        self.at += 1;
                    }
                }
                _ => break,
            }
        }
        let start = self.at;
        let Some(&first) = bytes.get(start) else {
            return Ok(None);
        };
        let token = match first {
            b';' => Token::Semicolon,
            b'{' => Token::Open,
            b'}' => Token::Close,
            b'"' | b'\'' => {
                let mut end = start + 1;
                loop {
                    match bytes.get(end) {
                        None => return Err(("a quoted string is not closed".into(), start)),
                        Some(b'\\') => end += 2,
                        Some(&c) if c == first => break,
                        Some(_) => end += 1,
                    }
                }
                self.at = end + 1;
                return Ok(Some((
                    Token::Word(self.text[start..=end].to_string()),
                    start,
                )));
            }
            _ => {
                let mut end = start;
                // `${var}` is part of a word, not a block.
                let mut in_variable = false;
                while end < bytes.len() {
                    match bytes[end] {
                        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'#' => break,
                        b'$' if bytes.get(end + 1) == Some(&b'{') => {
                            in_variable = true;
                            end += 2;
                        }
                        b'}' if in_variable => {
                            in_variable = false;
                            end += 1;
                        }
                        b'{' | b'}' => break,
                        b'\\' => end += 2,
                        _ => end += 1,
                    }
                }
                let end = end.min(bytes.len());
                self.at = end;
                return Ok(Some((
                    Token::Word(self.text[start..end].to_string()),
                    start,
                )));
            }
        };
        self.at = start + 1;
        Ok(Some((token, start)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        parse(text).documents.remove(0).value
    }

    #[test]
    fn directives_blocks_and_parameters() {
        let text = "# main\nuser nginx;\nhttp {\n  server {\n    listen 443 ssl; # tls\n    return 301 \"https://${host}$request_uri\";\n    location ~ ^/api/(.*)$ { proxy_pass http://api; }\n  }\n}\n";
        assert_eq!(
            value(text),
            json!({"directives": [
                {"name": "user", "parameters": ["nginx"]},
                {"name": "http", "block": {"directives": [
                    {"name": "server", "block": {"directives": [
                        {"name": "listen", "parameters": ["443", "ssl"]},
                        {"name": "return", "parameters": ["301", "\"https://${host}$request_uri\""]},
                        {"name": "location", "parameters": ["~", "^/api/(.*)$"], "block": {"directives": [
                            {"name": "proxy_pass", "parameters": ["http://api"]}
                        ]}}
                    ]}}
                ]}}
            ]})
        );
        assert_eq!(
            value("set $x ${y}z;")["directives"][0]["parameters"],
            json!(["$x", "${y}z"])
        );
    }

    #[test]
    fn errors_say_where() {
        let at = |text: &str| {
            let parsed = parse(text);
            let error = &parsed.errors[0];
            (error.message.clone(), error.span.start)
        };
        assert_eq!(
            at("http {\n  listen 80;\n"),
            (
                "invalid nginx configuration: a block is not closed by `}`".into(),
                5
            )
        );
        assert_eq!(
            at("listen 80\n}"),
            (
                "invalid nginx configuration: a directive is not ended by `;`".into(),
                0
            )
        );
        assert_eq!(
            at("}"),
            ("invalid nginx configuration: unexpected `}`".into(), 0)
        );
        assert_eq!(
            at("a \"open;"),
            (
                "invalid nginx configuration: a quoted string is not closed".into(),
                2
            )
        );
        let deep = "a {".repeat(300);
        assert_eq!(
            at(&deep).0,
            "invalid nginx configuration: blocks nested deeper than 256 levels"
        );
    }
}
