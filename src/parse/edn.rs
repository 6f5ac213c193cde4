//! EDN in conftest's shape. conftest decodes EDN and then turns every value that is not a
//! string, a collection or a map into its Go `%v` text: keywords stay `:name`, `true` becomes
//! `"true"`, `5432` becomes `"5432"`, `nil` becomes `"<nil>"`; map keys become their text
//! too. Lists and vectors are arrays; a set is a map from its elements to `"true"`. Tagged
//! values (`#inst "..."`, `#uuid "..."`) keep the value after the tag; `#_` discards the next
//! form.

use serde_json::{Map, Value};

use super::conftest::single;
use super::{strip_bom, ParseError, ParsedFile, MAX_DEPTH};

pub fn parse(text: &str) -> ParsedFile {
    let (body, bom) = strip_bom(text);
    let mut reader = Reader { text: body, at: 0 };
    let result = reader.form(0).and_then(|value| {
        reader.skip_space();
        match (value, reader.at < body.len()) {
            (Some(value), false) => Ok(value),
            (None, false) => Err(("no EDN value".to_string(), 0)),
            (_, true) => Err(("more than one top-level value".to_string(), reader.at)),
        }
    });
    match result {
        Ok(value) => single(value, text),
        Err((message, at)) => ParsedFile {
            documents: Vec::new(),
            errors: vec![ParseError::new(
                format!("invalid EDN: {message}"),
                bom + at..bom + at,
            )],
        },
    }
}

type Failure = (String, usize);

struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    /// White space, commas and `;` comments.
    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() || c == ',' {
                self.at += c.len_utf8();
            } else if c == ';' {
                self.at += self.text[self.at..]
                    .find('\n')
                    .unwrap_or(self.text.len() - self.at);
            } else {
                break;
            }
        }
    }

    /// The next form, or `None` at the end of the text or before a closing bracket.
    fn form(&mut self, depth: usize) -> Result<Option<Value>, Failure> {
        self.skip_space();
        // `#_` discards the next form (in a loop: a long run of them is no deep recursion).
        while self.text[self.at..].starts_with("#_") {
            let start = self.at;
            self.at += 2;
            self.required(start, depth)?;
            self.skip_space();
        }
        let start = self.at;
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        if depth > MAX_DEPTH {
            return Err((format!("nested deeper than {MAX_DEPTH} levels"), start));
        }
        let value = match c {
            ')' | ']' | '}' => return Ok(None),
            '(' | '[' => {
                self.at += 1;
                Value::Array(self.sequence(if c == '(' { ')' } else { ']' }, start, depth)?)
            }
            '{' => {
                self.at += 1;
                let items = self.sequence('}', start, depth)?;
                if items.len() % 2 == 1 {
                    return Err(("a map needs an even number of forms".into(), start));
                }
                let mut map = Map::new();
                for pair in items.chunks(2) {
                    map.insert(key_text(&pair[0]), pair[1].clone());
                }
                Value::Object(map)
            }
            '"' => Value::String(self.string()?),
            '#' => {
                self.at += 1;
                match self.peek() {
                    Some('{') => {
                        self.at += 1;
                        let items = self.sequence('}', start, depth)?;
                        let set = items
                            .iter()
                            .map(|item| (key_text(item), Value::String("true".into())))
                            .collect();
                        Value::Object(set)
                    }
                    _ => {
                        // A tag: the value after it stands.
                        self.token();
                        self.required(start, depth)?
                    }
                }
            }
            '\\' => {
                self.at += 1;
                let mut token = self.token();
                if token.is_empty() {
                    // A delimiter itself: `\(`.
                    if let Some(next) = self.peek() {
                        self.at += next.len_utf8();
                        token.push(next);
                    }
                }
                let character = match token.as_str() {
                    "newline" => '\n',
                    "space" => ' ',
                    "tab" => '\t',
                    "return" => '\r',
                    "backspace" => '\u{8}',
                    "formfeed" => '\u{c}',
                    _ if token.starts_with('u') && token.len() == 5 => {
                        u32::from_str_radix(&token[1..], 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or_else(|| ("an invalid character".to_string(), start))?
                    }
                    _ => {
                        let mut chars = token.chars();
                        match (chars.next(), chars.next()) {
                            (Some(one), None) => one,
                            _ => return Err(("an invalid character".into(), start)),
                        }
                    }
                };
                // Go's decoder gives a rune, which `%v` prints as its number.
                Value::String((character as u32).to_string())
            }
            _ => {
                let token = self.token();
                if token.is_empty() {
                    return Err((format!("unexpected `{c}`"), start));
                }
                Value::String(scalar_text(&token))
            }
        };
        Ok(Some(value))
    }

    /// A form that must be there (after a tag or `#_`).
    fn required(&mut self, start: usize, depth: usize) -> Result<Value, Failure> {
        self.form(depth + 1)?
            .ok_or_else(|| ("a tag without a value".to_string(), start))
    }

    fn sequence(&mut self, close: char, start: usize, depth: usize) -> Result<Vec<Value>, Failure> {
        let mut items = Vec::new();
        loop {
            if let Some(item) = self.form(depth + 1)? {
                items.push(item);
                continue;
            }
            match self.peek() {
                Some(c) if c == close => {
                    self.at += 1;
                    return Ok(items);
                }
                Some(c) => return Err((format!("`{c}` does not close this"), start)),
                None => return Err((format!("not closed by `{close}`"), start)),
            }
        }
    }

    /// A symbol, keyword, number, `nil`, `true` or `false`: up to a delimiter.
    fn token(&mut self) -> String {
        let rest = &self.text[self.at..];
        let end = rest
            .find(|c: char| c.is_whitespace() || "()[]{}\",;".contains(c))
            .unwrap_or(rest.len());
        self.at += end;
        rest[..end].to_string()
    }

    fn string(&mut self) -> Result<String, Failure> {
        let start = self.at;
        self.at += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(("a string is not closed".into(), start));
            };
            self.at += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let Some(escaped) = self.peek() else {
                        return Err(("a string is not closed".into(), start));
                    };
                    self.at += escaped.len_utf8();
                    out.push(match escaped {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'b' => '\u{8}',
                        'f' => '\u{c}',
                        other => other,
                    });
                }
                other => out.push(other),
            }
        }
    }
}

/// A map key as conftest writes it: Go's `%v` text of the decoded key (`[a b]` for a
/// vector, `map[k:v]` with sorted keys for a map).
fn key_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(key_text).collect();
            format!("[{}]", items.join(" "))
        }
        Value::Object(map) => {
            let mut pairs: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}:{}", key_text(v)))
                .collect();
            pairs.sort();
            format!("map[{}]", pairs.join(" "))
        }
        other => other.to_string(),
    }
}

/// A scalar's text as Go's `%v` prints the decoded value.
fn scalar_text(token: &str) -> String {
    match token {
        "nil" => return "<nil>".into(),
        "true" | "false" => return token.into(),
        _ => {}
    }
    let digits = token.trim_end_matches(['N', 'M']);
    if let Ok(integer) = digits.parse::<i64>() {
        return integer.to_string();
    }
    if token.ends_with('M') || token.ends_with('N') {
        return digits.trim_start_matches('+').to_string();
    }
    match token.parse::<f64>() {
        Ok(float) if token.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') => {
            go_float(float)
        }
        _ => token.to_string(),
    }
}

/// Go's `%v` for a float64: the shortest form, with an exponent below 1e-4 and from 1e21.
fn go_float(float: f64) -> String {
    let magnitude = float.abs();
    if magnitude != 0.0 && !(1e-4..1e21).contains(&magnitude) {
        let text = format!("{float:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let (sign, digits) = match exponent.strip_prefix('-') {
            Some(digits) => ('-', digits),
            None => ('+', exponent),
        };
        return format!("{mantissa}e{sign}{digits:0>2}");
    }
    format!("{float}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(text: &str) -> Value {
        let mut parsed = parse(text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        parsed.documents.remove(0).value
    }

    #[test]
    fn scalars_become_their_go_text() {
        assert_eq!(
            value("{;; a comment\n:user \"my-username\", :tls false, :port 5432 :ratio 0.5 :none nil}"),
            json!({":user": "my-username", ":tls": "false", ":port": "5432", ":ratio": "0.5", ":none": "<nil>"})
        );
        assert_eq!(
            value("[1.0 1e21 0.00001 -3 +7 12N 1.5M sym \\a \\newline \\( [x y]]"),
            json!([
                "1",
                "1e+21",
                "1e-05",
                "-3",
                "7",
                "12",
                "1.5",
                "sym",
                "97",
                "10",
                "40",
                ["x", "y"]
            ])
        );
    }

    #[test]
    fn collections_sets_tags_and_discards() {
        assert_eq!(
            value("{:hosts (\"a\" \"b\") :roles #{:admin} :at #inst \"2024-01-01T00:00:00Z\" #_ :skipped :kept 1 {1 2} 3}"),
            json!({":hosts": ["a", "b"], ":roles": {":admin": "true"}, ":at": "2024-01-01T00:00:00Z", ":kept": "1", "map[1:2]": "3"})
        );
        assert_eq!(value("\"a\\nb\""), json!("a\nb"));
    }

    #[test]
    fn errors_say_where() {
        let at = |text: &str| {
            let error = &parse(text).errors[0];
            (error.message.clone(), error.span.start)
        };
        assert_eq!(at("{:a 1"), ("invalid EDN: not closed by `}`".into(), 0));
        assert_eq!(
            at("[1 2}"),
            ("invalid EDN: `}` does not close this".into(), 0)
        );
        assert_eq!(
            at("{:a}"),
            ("invalid EDN: a map needs an even number of forms".into(), 0)
        );
        assert_eq!(
            at("1 2"),
            ("invalid EDN: more than one top-level value".into(), 2)
        );
        assert_eq!(
            at("  \"open"),
            ("invalid EDN: a string is not closed".into(), 2)
        );
        assert_eq!(
            value(&format!("[{}1]", "#_ 0 ".repeat(100_000))),
            json!(["1"])
        );
        assert_eq!(
            at(&"[".repeat(1000)).0,
            "invalid EDN: nested deeper than 256 levels"
        );
    }
}
