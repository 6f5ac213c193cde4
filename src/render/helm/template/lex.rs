//! The lexer of Go's `text/template`: literal text, and inside `{{ }}` the tokens of actions.
//! Trim markers (`{{- `, ` -}}`) are applied here, so the parser sees text already trimmed;
//! comments vanish. Every token keeps its byte offset for error and origin positions.

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// Literal text between actions (already trimmed); the offset is where it starts.
    Text(String),
    /// `{{`
    Open,
    /// `}}`
    Close,
    Declare,
    Assign,
    Pipe,
    LParen,
    RParen,
    Comma,
    Dot,
    /// `.name`
    Field(String),
    /// `$name`, or `$` itself
    Variable(String),
    Ident(String),
    Keyword(&'static str),
    Bool(bool),
    Nil,
    Str(String),
    Char(char),
    Number(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub pos: usize,
    /// Whether white space precedes the token inside an action (`(.x).y` chains, `(.x) .y`
    /// does not).
    pub spaced: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LexError {
    pub pos: usize,
    pub message: String,
}

const KEYWORDS: [&str; 10] = [
    "block", "break", "continue", "define", "else", "end", "if", "range", "template", "with",
];

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Splits a template into tokens.
pub fn lex(text: &str) -> Result<Vec<Token>, LexError> {
    Lexer {
        src: text,
        bytes: text.as_bytes(),
        pos: 0,
        out: Vec::new(),
    }
    .run()
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    out: Vec<Token>,
}

impl Lexer<'_> {
    fn run(mut self) -> Result<Vec<Token>, LexError> {
        let mut trim_next = false;
        while self.pos < self.bytes.len() {
            let start = self.pos;
            let open = self.src[start..].find("{{").map(|i| start + i);
            let end = open.unwrap_or(self.bytes.len());
            let left_trim = open.is_some_and(|o| {
                self.bytes.get(o + 2) == Some(&b'-')
                    && self.bytes.get(o + 3).is_some_and(|c| is_space(*c))
            });
            let mut text_start = start;
            if trim_next {
                while text_start < end && is_space(self.bytes[text_start]) {
                    text_start += 1;
                }
            }
            let mut text_end = end;
            if left_trim {
                while text_end > text_start && is_space(self.bytes[text_end - 1]) {
                    text_end -= 1;
                }
            }
            if text_end > text_start {
                self.push(
                    Tok::Text(self.src[text_start..text_end].to_string()),
                    text_start,
                    false,
                );
            }
            let Some(open) = open else {
                break;
            };
            self.pos = open + 2 + if left_trim { 2 } else { 0 };
            trim_next = self.action(open)?;
        }
        Ok(self.out)
    }

    fn push(&mut self, tok: Tok, pos: usize, spaced: bool) {
        self.out.push(Token { tok, pos, spaced });
    }

    fn err<T>(&self, pos: usize, message: impl Into<String>) -> Result<T, LexError> {
        Err(LexError {
            pos,
            message: message.into(),
        })
    }

    /// At a right delimiter: `Some(true)` for ` -}}` (trim after), `Some(false)` for `}}`.
    fn at_close(&self) -> Option<bool> {
        let rest = &self.bytes[self.pos..];
        if rest.len() >= 4 && is_space(rest[0]) && rest[1] == b'-' && &rest[2..4] == b"}}" {
            return Some(true);
        }
        rest.starts_with(b"}}").then_some(false)
    }

    /// Lexes one action (or comment) whose `{{` is at `open`; returns whether it trims the
    /// text after it.
    fn action(&mut self, open: usize) -> Result<bool, LexError> {
        // Comments: `{{/* ... */}}`, with trim markers on either side.
        if self.src[self.pos..].starts_with("/*") {
            let Some(end) = self.src[self.pos + 2..].find("*/") else {
                return self.err(open, "unclosed comment");
            };
            self.pos += 2 + end + 2;
            return match self.at_close() {
                Some(trim) => {
                    self.pos += if trim { 4 } else { 2 };
                    Ok(trim)
                }
                None => self.err(open, "comment ends before closing delimiter"),
            };
        }
        self.push(Tok::Open, open, false);
        let mut depth = 0usize;
        let mut spaced = false;
        loop {
            if let Some(trim) = self.at_close() {
                if depth > 0 {
                    return self.err(self.pos, "unclosed left paren");
                }
                let pos = if trim { self.pos + 1 } else { self.pos };
                self.push(Tok::Close, pos, trim);
                self.pos += if trim { 4 } else { 2 };
                return Ok(trim);
            }
            if self.bytes.get(self.pos).is_some_and(|c| is_space(*c)) {
                spaced = true;
                self.pos += 1;
                continue;
            }
            let Some(&c) = self.bytes.get(self.pos) else {
                return self.err(open, "unclosed action");
            };
            let start = self.pos;
            let tok = match c {
                b':' if self.bytes.get(start + 1) == Some(&b'=') => {
                    self.pos += 2;
                    Tok::Declare
                }
                b'=' => {
                    self.pos += 1;
                    Tok::Assign
                }
                b'|' => {
                    self.pos += 1;
                    Tok::Pipe
                }
                b',' => {
                    self.pos += 1;
                    Tok::Comma
                }
                b'(' => {
                    self.pos += 1;
                    depth += 1;
                    Tok::LParen
                }
                b')' => {
                    if depth == 0 {
                        return self.err(start, "unexpected right paren");
                    }
                    depth -= 1;
                    self.pos += 1;
                    Tok::RParen
                }
                b'"' => Tok::Str(self.quoted()?),
                b'`' => {
                    let Some(end) = self.src[start + 1..].find('`') else {
                        return self.err(start, "unterminated raw quoted string");
                    };
                    self.pos = start + 1 + end + 1;
                    Tok::Str(self.src[start + 1..start + 1 + end].to_string())
                }
                b'\'' => Tok::Char(self.char_constant()?),
                b'$' => {
                    self.pos += 1;
                    let name = self.word();
                    Tok::Variable(format!("${name}"))
                }
                b'.' if self.bytes.get(start + 1).is_some_and(u8::is_ascii_digit) => {
                    Tok::Number(self.number())
                }
                b'.' => {
                    self.pos += 1;
                    let name = self.word();
                    if name.is_empty() {
                        Tok::Dot
                    } else {
                        Tok::Field(name)
                    }
                }
                b'0'..=b'9' => Tok::Number(self.number()),
                b'+' | b'-' if self.bytes.get(start + 1).is_some_and(u8::is_ascii_digit) => {
                    Tok::Number(self.number())
                }
                c if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => {
                    let word = self.word();
                    match word.as_str() {
                        "true" => Tok::Bool(true),
                        "false" => Tok::Bool(false),
                        "nil" => Tok::Nil,
                        w => match KEYWORDS.iter().find(|k| **k == w) {
                            Some(k) => Tok::Keyword(k),
                            None => Tok::Ident(word),
                        },
                    }
                }
                _ => {
                    let ch = self.src[start..].chars().next().unwrap_or('?');
                    return self.err(start, format!("unexpected {ch:?} in command"));
                }
            };
            self.push(tok, start, spaced);
            spaced = false;
        }
    }

    fn word(&mut self) -> String {
        let start = self.pos;
        for (i, ch) in self.src[start..].char_indices() {
            if !(ch == '_' || ch.is_alphanumeric()) {
                self.pos = start + i;
                return self.src[start..self.pos].to_string();
            }
        }
        self.pos = self.bytes.len();
        self.src[start..].to_string()
    }

    fn number(&mut self) -> String {
        let start = self.pos;
        let mut p = start;
        if matches!(self.bytes[p], b'+' | b'-') {
            p += 1;
        }
        while p < self.bytes.len() {
            let c = self.bytes[p];
            let exponent_sign =
                matches!(c, b'+' | b'-') && matches!(self.bytes[p - 1], b'e' | b'E' | b'p' | b'P');
            if c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || exponent_sign {
                // Hex digits contain 'e': a sign after it belongs to the next token unless
                // the number is decimal.
                if exponent_sign && self.src[start..p].to_ascii_lowercase().contains("0x") {
                    break;
                }
                p += 1;
            } else {
                break;
            }
        }
        self.pos = p;
        self.src[start..p].to_string()
    }

    fn quoted(&mut self) -> Result<String, LexError> {
        let start = self.pos;
        let mut p = start + 1;
        loop {
            match self.bytes.get(p) {
                None | Some(b'\n') => return self.err(start, "unterminated quoted string"),
                Some(b'\\') => p += 2,
                Some(b'"') => break,
                Some(_) => p += 1,
            }
        }
        self.pos = p + 1;
        unquote(&self.src[start + 1..p], '"').map_err(|message| LexError {
            pos: start,
            message,
        })
    }

    fn char_constant(&mut self) -> Result<char, LexError> {
        let start = self.pos;
        let mut p = start + 1;
        loop {
            match self.bytes.get(p) {
                None | Some(b'\n') => return self.err(start, "unterminated character constant"),
                Some(b'\\') => p += 2,
                Some(b'\'') => break,
                Some(_) => p += 1,
            }
        }
        self.pos = p + 1;
        let text = unquote(&self.src[start + 1..p], '\'').map_err(|message| LexError {
            pos: start,
            message,
        })?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(c),
            _ => self.err(
                start,
                format!("malformed character constant: {}", &self.src[start..p + 1]),
            ),
        }
    }
}

/// Go's escape sequences in interpreted string and character literals.
fn unquote(body: &str, quote: char) -> Result<String, String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    let bad = || format!("invalid syntax: {quote}{body}{quote}");
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next().ok_or_else(bad)?;
        let simple = match e {
            'a' => Some('\x07'),
            'b' => Some('\x08'),
            'f' => Some('\x0c'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\x0b'),
            '\\' => Some('\\'),
            '\'' | '"' if e == quote => Some(e),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let (count, radix) = match e {
            'x' => (2, 16),
            'u' => (4, 16),
            'U' => (8, 16),
            '0'..='7' => (2, 8),
            _ => return Err(bad()),
        };
        let mut digits = String::new();
        if radix == 8 {
            digits.push(e);
        }
        for _ in 0..count {
            digits.push(chars.next().ok_or_else(bad)?);
        }
        let code = u32::from_str_radix(&digits, radix).map_err(|_| bad())?;
        if matches!(e, 'x' | '0'..='7') {
            // A byte: valid UTF-8 only when ASCII (Go keeps raw bytes; strings here are UTF-8).
            out.push(
                char::from_u32(code)
                    .filter(|_| code < 0x80)
                    .ok_or_else(bad)?,
            );
        } else {
            out.push(char::from_u32(code).ok_or_else(bad)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        lex(text).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn trim_markers_eat_white_space_on_their_side() {
        assert_eq!(
            toks("a  \n{{- .x -}}\n  b"),
            vec![
                Tok::Text("a".into()),
                Tok::Open,
                Tok::Field("x".into()),
                Tok::Close,
                Tok::Text("b".into())
            ]
        );
    }

    #[test]
    fn comments_vanish_and_literals_unescape() {
        assert_eq!(
            toks("{{/* c */}}x{{ \"a\\tb\" `r\\n` 'c' 0x1F -2.5e3 $v.f }}"),
            vec![
                Tok::Text("x".into()),
                Tok::Open,
                Tok::Str("a\tb".into()),
                Tok::Str("r\\n".into()),
                Tok::Char('c'),
                Tok::Number("0x1F".into()),
                Tok::Number("-2.5e3".into()),
                Tok::Variable("$v".into()),
                Tok::Field("f".into()),
                Tok::Close
            ]
        );
    }

    #[test]
    fn unclosed_actions_are_errors() {
        assert_eq!(lex("{{ .x").unwrap_err().message, "unclosed action");
        assert_eq!(lex("{{/* x").unwrap_err().message, "unclosed comment");
    }
}
