//! The parser of Go's `text/template`: tokens → a tree of nodes, each with the byte offset it
//! starts at in its file. `define` and `block` bodies come out as trees of their own, so a
//! file yields its top-level tree plus every template it defines.

use std::sync::Arc;

use super::lex::{lex, Tok, Token};

/// A file's text positions: byte offset → 1-based line and column.
#[derive(Debug)]
pub struct FileText {
    /// The file's template name, e.g. `mychart/templates/deploy.yaml`.
    pub name: Arc<str>,
    line_starts: Vec<usize>,
}

impl FileText {
    pub fn new(name: &str, text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        FileText {
            name: name.into(),
            line_starts,
        }
    }

    /// 1-based line and column (in bytes) of `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|s| *s <= offset).max(1);
        (line, offset - self.line_starts[line - 1] + 1)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Text {
        pos: usize,
        text: String,
    },
    Action {
        pos: usize,
        pipe: Pipe,
    },
    If(Branch),
    With(Branch),
    Range(Branch),
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
    Break(usize),
    Continue(usize),
}

impl Node {
    /// Where the node starts in its template.
    pub fn pos(&self) -> usize {
        match self {
            Node::Text { pos, .. } | Node::Action { pos, .. } | Node::Template { pos, .. } => *pos,
            Node::If(b) | Node::With(b) | Node::Range(b) => b.pos,
            Node::Break(pos) | Node::Continue(pos) => *pos,
        }
    }
}

/// `if`, `with` and `range`: a pipeline, its body and the optional `else` body.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub pos: usize,
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pipe {
    pub pos: usize,
    /// Variables declared (`:=`) or assigned (`=`) by the pipeline.
    pub decl: Vec<String>,
    pub is_assign: bool,
    pub cmds: Vec<Command>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// `.a.b`
    Field(usize, Vec<String>),
    /// `$x.a.b` (`$` alone is the root)
    Variable(usize, String, Vec<String>),
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    Number(usize, Number),
    Str(usize, String),
    Ident(usize, String),
    Pipe(Box<Pipe>),
    /// `(pipeline).a.b`
    Chain(usize, Box<Arg>, Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field(p, _)
            | Arg::Variable(p, _, _)
            | Arg::Dot(p)
            | Arg::Nil(p)
            | Arg::Bool(p, _)
            | Arg::Number(p, _)
            | Arg::Str(p, _)
            | Arg::Ident(p, _)
            | Arg::Chain(p, _, _) => *p,
            Arg::Pipe(pipe) => pipe.pos,
        }
    }
}

/// One parsed template: a file's top level or a `define`d body.
#[derive(Debug)]
pub struct Tree {
    pub name: String,
    pub file: Arc<FileText>,
    pub root: Vec<Node>,
}

impl Tree {
    /// Go does not let an empty `define` replace one that has content.
    pub fn is_empty(&self) -> bool {
        self.root.iter().all(|n| match n {
            Node::Text { text, .. } => text.trim().is_empty(),
            _ => false,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub pos: usize,
    pub message: String,
}

/// Parses a file: its top-level tree first, then its defined templates in order.
pub fn parse(
    name: &str,
    text: &str,
    is_function: &dyn Fn(&str) -> bool,
) -> Result<Vec<Tree>, (Arc<FileText>, ParseError)> {
    let file = Arc::new(FileText::new(name, text));
    let fail = |e: ParseError| (file.clone(), e);
    let tokens = lex(text).map_err(|e| {
        fail(ParseError {
            pos: e.pos,
            message: e.message,
        })
    })?;
    let mut parser = Parser {
        tokens,
        at: 0,
        end: text.len(),
        is_function,
        defines: Vec::new(),
        range_depth: 0,
    };
    let (root, stop) = parser.list(true).map_err(fail)?;
    if let Some((pos, word)) = stop {
        return Err(fail(ParseError {
            pos,
            message: format!("unexpected {{{{{word}}}}}"),
        }));
    }
    let mut trees = vec![Tree {
        name: name.to_string(),
        file: file.clone(),
        root,
    }];
    trees.extend(parser.defines.into_iter().map(|(name, root)| Tree {
        name,
        file: file.clone(),
        root,
    }));
    Ok(trees)
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    end: usize,
    is_function: &'a dyn Fn(&str) -> bool,
    defines: Vec<(String, Vec<Node>)>,
    range_depth: usize,
}

type Stop = Option<(usize, &'static str)>;

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Result<Token, ParseError> {
        let token = self.tokens.get(self.at).cloned().ok_or(ParseError {
            pos: self.end,
            message: "unexpected EOF".to_string(),
        })?;
        self.at += 1;
        Ok(token)
    }

    fn error<T>(&self, pos: usize, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            pos,
            message: message.into(),
        })
    }

    fn expect_close(&mut self, context: &str) -> Result<(), ParseError> {
        let t = self.next()?;
        if t.tok != Tok::Close {
            return self.error(
                t.pos,
                format!("unexpected {} in {context}", describe(&t.tok)),
            );
        }
        Ok(())
    }

    /// Nodes until `{{end}}`, `{{else}}` or the end of input; returns which one stopped it
    /// (`None` at the end of input, which only the top level accepts).
    fn list(&mut self, top: bool) -> Result<(Vec<Node>, Stop), ParseError> {
        let mut nodes = Vec::new();
        while let Some(token) = self.tokens.get(self.at).cloned() {
            self.at += 1;
            match token.tok {
                Tok::Text(text) => nodes.push(Node::Text {
                    pos: token.pos,
                    text,
                }),
                Tok::Open => {
                    if let Some(stop) = self.action(&mut nodes, top)? {
                        return Ok((nodes, Some(stop)));
                    }
                }
                other => return self.error(token.pos, format!("unexpected {}", describe(&other))),
            }
        }
        if top {
            Ok((nodes, None))
        } else {
            self.error(self.end, "unexpected EOF")
        }
    }

    /// One action after `{{`; `Some` when it is `end`/`else`, which closes the current list.
    fn action(&mut self, nodes: &mut Vec<Node>, top: bool) -> Result<Stop, ParseError> {
        let Some(first) = self.peek().cloned() else {
            return self.error(self.end, "unexpected EOF");
        };
        let Tok::Keyword(word) = first.tok else {
            let pipe = self.pipeline("command", true)?;
            nodes.push(Node::Action {
                pos: first.pos,
                pipe,
            });
            return Ok(None);
        };
        self.at += 1;
        match word {
            "end" => {
                self.expect_close("end")?;
                Ok(Some((first.pos, "end")))
            }
            "else" => Ok(Some((first.pos, "else"))),
            "if" | "with" | "range" => {
                let node = self.branch(word, first.pos)?;
                nodes.push(node);
                Ok(None)
            }
            "break" | "continue" => {
                if self.range_depth == 0 {
                    return self.error(first.pos, format!("{{{{{word}}}}} outside {{{{range}}}}"));
                }
                self.expect_close(word)?;
                nodes.push(if word == "break" {
                    Node::Break(first.pos)
                } else {
                    Node::Continue(first.pos)
                });
                Ok(None)
            }
            "template" => {
                let (name, pipe) = self.template_call("template")?;
                nodes.push(Node::Template {
                    pos: first.pos,
                    name,
                    pipe,
                });
                Ok(None)
            }
            "define" | "block" => {
                if word == "define" && !top {
                    return self.error(first.pos, "unexpected <define> in command");
                }
                let (name, pipe) = self.template_call(word)?;
                if word == "define" && pipe.is_some() {
                    return self.error(first.pos, "unexpected pipeline in define clause");
                }
                let (body, stop) = self.list(false)?;
                if stop.map(|s| s.1) != Some("end") {
                    return self.error(first.pos, format!("unexpected {{{{else}}}} in {word}"));
                }
                self.defines.push((name.clone(), body));
                if word == "block" {
                    nodes.push(Node::Template {
                        pos: first.pos,
                        name,
                        pipe,
                    });
                }
                Ok(None)
            }
            _ => self.error(first.pos, format!("unexpected {word}")),
        }
    }

    /// `"name" [pipeline] }}` after `template`, `define` or `block`.
    fn template_call(&mut self, context: &str) -> Result<(String, Option<Pipe>), ParseError> {
        let t = self.next()?;
        let Tok::Str(name) = t.tok else {
            return self.error(
                t.pos,
                format!("unexpected {} in {context} clause", describe(&t.tok)),
            );
        };
        if self.peek().map(|t| &t.tok) == Some(&Tok::Close) {
            self.at += 1;
            return Ok((name, None));
        }
        Ok((name, Some(self.pipeline(context, true)?)))
    }

    fn branch(&mut self, word: &'static str, pos: usize) -> Result<Node, ParseError> {
        let pipe = self.pipeline(word, true)?;
        if word == "range" {
            self.range_depth += 1;
        }
        let body = self.list(false);
        if word == "range" {
            self.range_depth -= 1;
        }
        let (list, stop) = body?;
        let else_list = match stop {
            Some((_, "end")) => None,
            _ => {
                // `{{else if ...}}` / `{{else with ...}}` nest a branch that shares our `end`.
                let chained = match self.peek().map(|t| &t.tok) {
                    Some(Tok::Keyword(k)) if (*k == "if" || *k == "with") && word != "range" => {
                        Some(*k)
                    }
                    _ => None,
                };
                if let Some(k) = chained {
                    let at = self.next()?.pos;
                    Some(vec![self.branch(k, at)?])
                } else {
                    self.expect_close("else")?;
                    let (else_list, stop) = self.list(false)?;
                    if stop.map(|s| s.1) != Some("end") {
                        return self.error(pos, "expected end; found {{else}}");
                    }
                    Some(else_list)
                }
            }
        };
        let branch = Branch {
            pos,
            pipe,
            list,
            else_list,
        };
        Ok(match word {
            "if" => Node::If(branch),
            "with" => Node::With(branch),
            _ => Node::Range(branch),
        })
    }

    /// A pipeline up to `}}` (`in_action`) or `)`; the closing token is consumed.
    fn pipeline(&mut self, context: &str, in_action: bool) -> Result<Pipe, ParseError> {
        let pos = self.peek().map_or(self.end, |t| t.pos);
        let mut decl = Vec::new();
        let mut is_assign = false;
        // Declarations: `$x :=`, `$x =`, `$i, $v :=` (range only).
        let save = self.at;
        if let Some(Tok::Variable(name)) = self.peek().map(|t| t.tok.clone()) {
            self.at += 1;
            match self.peek().map(|t| t.tok.clone()) {
                Some(Tok::Declare) | Some(Tok::Assign) => {
                    is_assign = self.next()?.tok == Tok::Assign;
                    decl.push(name);
                }
                Some(Tok::Comma) if context == "range" => {
                    self.at += 1;
                    let t = self.next()?;
                    let Tok::Variable(second) = t.tok else {
                        return self.error(t.pos, "range can only initialize variables");
                    };
                    let op = self.next()?;
                    if !matches!(op.tok, Tok::Declare | Tok::Assign) {
                        return self.error(op.pos, "range can only initialize variables");
                    }
                    is_assign = op.tok == Tok::Assign;
                    decl = vec![name, second];
                }
                _ => self.at = save,
            }
        }
        let mut cmds = Vec::new();
        loop {
            let cmd_pos = self.peek().map_or(self.end, |t| t.pos);
            let mut args = Vec::new();
            loop {
                let Some(t) = self.peek().cloned() else {
                    return self.error(self.end, "unexpected EOF");
                };
                match t.tok {
                    Tok::Close if in_action => break,
                    Tok::RParen if !in_action => break,
                    Tok::Pipe => break,
                    Tok::Close | Tok::RParen => {
                        return self
                            .error(t.pos, format!("unexpected {} in operand", describe(&t.tok)))
                    }
                    _ => args.push(self.operand()?),
                }
            }
            let t = self.next()?;
            if args.is_empty() {
                if cmds.is_empty() && t.tok != Tok::Pipe && decl.is_empty() {
                    return self.error(t.pos, format!("missing value for {context}"));
                }
                return self.error(t.pos, "missing value for command");
            }
            cmds.push(Command { pos: cmd_pos, args });
            if t.tok != Tok::Pipe {
                break;
            }
        }
        Ok(Pipe {
            pos,
            decl,
            is_assign,
            cmds,
        })
    }

    /// A term and any fields chained onto it without white space. As in Go, a chain is
    /// located at its first chained field (`.Values.a.b` at `.a`), which is where Go's
    /// errors about it point.
    fn operand(&mut self) -> Result<Arg, ParseError> {
        let term = self.term()?;
        let chain_pos = self.peek().map_or(0, |t| t.pos);
        let mut chain = Vec::new();
        while let Some(Token {
            tok: Tok::Field(name),
            spaced: false,
            ..
        }) = self.peek().cloned()
        {
            self.at += 1;
            chain.push(name);
        }
        if chain.is_empty() {
            return Ok(term);
        }
        Ok(match term {
            Arg::Field(_, mut names) => {
                names.extend(chain);
                Arg::Field(chain_pos, names)
            }
            Arg::Variable(_, name, mut names) => {
                names.extend(chain);
                Arg::Variable(chain_pos, name, names)
            }
            Arg::Bool(pos, _)
            | Arg::Str(pos, _)
            | Arg::Number(pos, _)
            | Arg::Nil(pos)
            | Arg::Dot(pos) => return self.error(pos, "unexpected . after term"),
            other => Arg::Chain(chain_pos, Box::new(other), chain),
        })
    }

    fn term(&mut self) -> Result<Arg, ParseError> {
        let t = self.next()?;
        let pos = t.pos;
        Ok(match t.tok {
            Tok::Ident(name) => {
                if !(self.is_function)(&name) {
                    return self.error(pos, format!("function {name:?} not defined"));
                }
                Arg::Ident(pos, name)
            }
            Tok::Dot => Arg::Dot(pos),
            Tok::Nil => Arg::Nil(pos),
            Tok::Variable(name) => Arg::Variable(pos, name, Vec::new()),
            Tok::Field(name) => Arg::Field(pos, vec![name]),
            Tok::Bool(b) => Arg::Bool(pos, b),
            Tok::Str(s) => Arg::Str(pos, s),
            Tok::Char(c) => Arg::Number(pos, Number::Int(c as i64)),
            Tok::Number(text) => Arg::Number(
                pos,
                parse_number(&text).ok_or(ParseError {
                    pos,
                    message: format!("illegal number syntax: {text:?}"),
                })?,
            ),
            Tok::LParen => Arg::Pipe(Box::new(self.pipeline("parenthesized pipeline", false)?)),
            other => return self.error(pos, format!("unexpected {} in operand", describe(&other))),
        })
    }
}

/// Go's number literals: decimal, hex, octal and binary integers (with `_`), floats.
fn parse_number(text: &str) -> Option<Number> {
    let clean = text.replace('_', "");
    let (negative, body) = match clean.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean)),
    };
    let lower = body.to_ascii_lowercase();
    let radix_int = |digits: &str, radix| i64::from_str_radix(digits, radix).ok();
    let int = if let Some(h) = lower.strip_prefix("0x") {
        radix_int(h, 16)
    } else if let Some(b) = lower.strip_prefix("0b") {
        radix_int(b, 2)
    } else if let Some(o) = lower.strip_prefix("0o") {
        radix_int(o, 8)
    } else if lower.len() > 1 && lower.starts_with('0') && lower.bytes().all(|c| c.is_ascii_digit())
    {
        radix_int(&lower[1..], 8)
    } else {
        lower.parse::<i64>().ok()
    };
    if let Some(i) = int {
        return Some(Number::Int(if negative { -i } else { i }));
    }
    if lower.starts_with("0x") {
        return None;
    }
    let f: f64 = lower.parse().ok()?;
    Some(Number::Float(if negative { -f } else { f }))
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Close => "\"}}\"".to_string(),
        Tok::Open => "\"{{\"".to_string(),
        Tok::RParen => "\")\"".to_string(),
        Tok::LParen => "\"(\"".to_string(),
        Tok::Pipe => "\"|\"".to_string(),
        Tok::Comma => "\",\"".to_string(),
        Tok::Declare => "\":=\"".to_string(),
        Tok::Assign => "\"=\"".to_string(),
        Tok::Dot => "<.>".to_string(),
        Tok::Field(f) => format!("<.{f}>"),
        Tok::Variable(v) => format!("<{v}>"),
        Tok::Ident(i) => format!("<{i}>"),
        Tok::Keyword(k) => format!("<{k}>"),
        Tok::Bool(b) => format!("<{b}>"),
        Tok::Nil => "<nil>".to_string(),
        Tok::Str(s) => format!("{s:?}"),
        Tok::Char(c) => format!("{c:?}"),
        Tok::Number(n) => n.clone(),
        Tok::Text(t) => format!("{t:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Vec<Tree> {
        parse("t", text, &|name| name == "include" || name == "quote").unwrap()
    }

    #[test]
    fn defines_become_their_own_trees() {
        let trees = parse_ok("a{{ define \"x\" }}b{{ end }}c");
        let names: Vec<&str> = trees.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["t", "x"]);
        assert_eq!(trees[0].root.len(), 2);
    }

    #[test]
    fn chains_need_no_space() {
        let trees = parse_ok("{{ (.a).b }}{{ $x.y.z }}");
        let Node::Action { pipe, .. } = &trees[0].root[0] else {
            panic!("not an action")
        };
        assert!(matches!(&pipe.cmds[0].args[0], Arg::Chain(_, _, names) if names == &["b"]));
        let Node::Action { pipe, .. } = &trees[0].root[1] else {
            panic!("not an action")
        };
        assert_eq!(
            pipe.cmds[0].args[0],
            Arg::Variable(17, "$x".into(), vec!["y".into(), "z".into()])
        );
    }

    #[test]
    fn errors_name_the_token() {
        let err = |text: &str| parse("t", text, &|_| false).unwrap_err().1.message;
        assert_eq!(err("{{ nope }}"), "function \"nope\" not defined");
        assert_eq!(err("{{ if .x }}"), "unexpected EOF");
        assert_eq!(err("{{ end }}"), "unexpected {{end}}");
        assert_eq!(err("{{ break }}"), "{{break}} outside {{range}}");
        assert_eq!(err("{{ .x | }}"), "missing value for command");
    }

    #[test]
    fn numbers_follow_go() {
        assert_eq!(parse_number("0x1F"), Some(Number::Int(31)));
        assert_eq!(parse_number("017"), Some(Number::Int(15)));
        assert_eq!(parse_number("-2.5e3"), Some(Number::Float(-2500.0)));
        assert_eq!(parse_number("1_000"), Some(Number::Int(1000)));
        assert_eq!(parse_number("1.2.3"), None);
    }

    #[test]
    fn positions_are_lines_and_columns() {
        let file = FileText::new("t", "ab\ncd\n");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(4), (2, 2));
    }
}
