//! Executes parsed trees with Go's `text/template` semantics as Helm configures them
//! (`missingkey=zero`: a missing key is nil, printed `<no value>`, which Helm then removes).
//! The output keeps, for each line, where its first non-blank text came from.

use std::cell::Cell;
use std::collections::HashMap;

use super::functions::{self, Call};
use super::parse::{Arg, Branch, Command, FileText, Node, Number, Pipe, Tree};
use super::value::Value;
use super::{Origin, Read, TemplateError, TemplateSet};

/// Template calls (`template`, `include`, `tpl`) nested deeper than this are an error: a
/// chart that includes itself must fail, not overflow the stack.
pub const MAX_DEPTH: usize = 1000;
/// Output beyond this size is an error: a runaway `range`/`repeat` must not exhaust memory.
pub const MAX_OUTPUT: usize = 64 * 1024 * 1024;
/// Steps (nodes run, range iterations) one template Helm renders may take, with all it
/// includes: a chart's nested loops that write nothing (`range until 100000` twice) would
/// otherwise run for hours. Nodes of function results count too (see `functions::call`).
/// The corpus's charts take at most 15,943 (argo-cd's server Deployment); 20 million take
/// about a second.
pub const MAX_STEPS: u64 = 20_000_000;

thread_local! {
    /// Steps the template being rendered on this thread has taken. Includes, `template` and
    /// `tpl` run on the same thread, inside the render they count for.
    static STEPS: Cell<u64> = const { Cell::new(0) };
    /// [`MAX_STEPS`], lowered by tests that would otherwise take a minute to reach it.
    static STEP_LIMIT: Cell<u64> = const { Cell::new(MAX_STEPS) };
}

#[cfg(test)]
pub fn limit_steps(limit: u64) {
    STEP_LIMIT.set(limit);
}

/// Starts counting the steps of a template Helm renders.
pub fn start_counting_steps() {
    STEPS.set(0);
}

/// Rendered text with one origin per finished line.
#[derive(Debug, Default)]
pub struct Output {
    pub text: String,
    pub origins: Vec<Origin>,
    line_origin: Option<Origin>,
    /// Where lines emitted by nested templates came from, by their trimmed text: text that
    /// an `include` returns is traced back to the literal line inside the `define`.
    pub traces: HashMap<String, Origin>,
    /// The text actions wrote from values they read at a known place of the dot.
    pub reads: Vec<Read>,
}

impl Output {
    /// Appends `s`; `at(i)` is the origin of the byte `i` of `s`.
    fn push(&mut self, s: &str, at: &dyn Fn(usize) -> Origin) -> Result<(), String> {
        if self.text.len() + s.len() > MAX_OUTPUT {
            return Err(format!("output exceeds {MAX_OUTPUT} bytes"));
        }
        // Each line's origin is at its first non-blank character: past it, only the line's
        // end matters, found a chunk at a time (a chart's CRDs are megabytes of literal text).
        let mut i = 0;
        while let Some(found) = if self.line_origin.is_some() {
            s[i..].find('\n')
        } else {
            s[i..].find(|c: char| c == '\n' || !c.is_whitespace())
        } {
            let at_char = i + found;
            if s.as_bytes()[at_char] == b'\n' {
                let origin = self.line_origin.take().unwrap_or_else(|| at(at_char));
                self.origins.push(origin);
                i = at_char + 1;
            } else {
                self.line_origin = Some(at(at_char));
                i = at_char;
            }
        }
        self.text.push_str(s);
        Ok(())
    }

    fn literal(&mut self, text: &str, file: &FileText, start: usize) -> Result<(), String> {
        self.push(text, &|i| origin(file, start + i))
    }

    /// Text an action produced: each line maps to the line inside a nested template that
    /// produced it when it was a literal there, else to the action.
    fn emitted(
        &mut self,
        text: &str,
        action: Origin,
        traces: &HashMap<String, Origin>,
    ) -> Result<(), String> {
        if traces.is_empty() {
            return self.push(text, &|_| action.clone());
        }
        for line in text.split_inclusive('\n') {
            let traced = traces
                .get(line.trim())
                .cloned()
                .unwrap_or_else(|| action.clone());
            self.push(line, &|_| traced.clone())?;
        }
        Ok(())
    }

    /// The origins of every line, the last one included even without a final newline.
    pub fn finish(mut self, fallback: Origin) -> (String, Vec<Origin>) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            let last = self.line_origin.take().unwrap_or(fallback);
            self.origins.push(last);
        }
        (self.text, self.origins)
    }

    /// Lines that came from literal text, keyed by their trimmed text, for `include`.
    fn literal_traces(&self) -> HashMap<String, Origin> {
        self.text
            .split('\n')
            .zip(&self.origins)
            .filter(|(line, _)| !line.trim().is_empty())
            .map(|(line, origin)| (line.trim().to_string(), origin.clone()))
            .collect()
    }
}

fn origin(file: &FileText, pos: usize) -> Origin {
    let (line, column) = file.line_col(pos);
    Origin {
        template: file.name.clone(),
        line,
        column,
    }
}

/// An execution error as Go reports it, located at the outermost action (as Helm's message
/// is); `fail` and `required` also carry their own message, which is all Helm shows of them.
#[derive(Debug)]
pub struct Failure {
    file: String,
    line: usize,
    /// Go counts columns from 0.
    column0: usize,
    go: String,
    helm: Option<String>,
    /// Helm v4 writes an error one frame per template call, on several lines, when every
    /// error in Go's chain is the template engine's own (`nil pointer evaluating ...`
    /// through `include`s); an error a function returned (`error calling index: ...`)
    /// or `tpl` wrapped keeps Go's one-line text. `None` then.
    frames: Option<Vec<String>>,
}

impl Failure {
    /// An error outside any action, such as the depth limit at a template's start.
    pub fn at_start(file: &str, go: String) -> Self {
        Failure {
            file: file.to_string(),
            line: 1,
            column0: 0,
            go,
            helm: None,
            frames: None,
        }
    }

    /// Keeps Go's one-line text (an error wrapped by a function, as `tpl` does).
    pub fn one_line(mut self) -> Self {
        self.frames = None;
        self
    }

    pub fn into_error(self) -> TemplateError {
        let raised = self.helm.is_some();
        let message = match (self.helm, self.frames) {
            (Some(m), _) => format!(
                "execution error at ({}:{}:{}): {m}",
                self.file, self.line, self.column0
            ),
            (None, Some(frames)) => frames.join("\n"),
            (None, None) => self.go,
        };
        TemplateError {
            template: self.file,
            line: self.line,
            column: self.column0 + 1,
            message,
            raised,
        }
    }
}

/// Why execution stopped early: `break`, `continue`, or an error.
#[derive(Debug)]
pub enum Flow {
    Break,
    Continue,
    Fail(Failure),
}

impl From<Failure> for Flow {
    fn from(e: Failure) -> Self {
        Flow::Fail(e)
    }
}

/// A variable: its name, its value, and where in the top-level dot it was read, when known.
struct Var {
    name: String,
    value: Value,
    at: Option<Vec<String>>,
}

/// One template being executed: its tree, its variables, the set it can call.
pub struct Exec<'a> {
    pub set: &'a TemplateSet,
    pub tree: &'a Tree,
    pub depth: usize,
    vars: Vec<Var>,
    /// Where the current dot is in the top-level template's dot (`["Values", "image"]`
    /// inside `with .Values.image`), when known: only in the template Helm executes
    /// itself, not in templates it calls, whose dot is whatever they were given.
    dot_at: Option<Vec<String>>,
}

impl<'a> Exec<'a> {
    pub fn new(set: &'a TemplateSet, tree: &'a Tree, dot: &Value, depth: usize) -> Self {
        let at = (depth == 0).then(Vec::new);
        Exec {
            set,
            tree,
            depth,
            vars: vec![Var {
                name: "$".to_string(),
                value: dot.clone(),
                at: at.clone(),
            }],
            dot_at: at,
        }
    }

    /// Where a command that is a plain field chain (`.Values.image.tag`, `$img.tag`, `.`)
    /// reads its value in the top-level dot; `None` for anything else.
    fn read_at(&self, cmd: &Command) -> Option<Vec<String>> {
        let [arg] = cmd.args.as_slice() else {
            return None;
        };
        let (base, names) = match arg {
            Arg::Dot(_) => (self.dot_at.as_ref()?, &[][..]),
            Arg::Field(_, names) => (self.dot_at.as_ref()?, names.as_slice()),
            Arg::Variable(_, name, names) => {
                let var = self.vars.iter().rev().find(|v| &v.name == name)?;
                (var.at.as_ref()?, names.as_slice())
            }
            _ => return None,
        };
        Some([base.as_slice(), names].concat())
    }

    /// [`Self::read_at`] for a pipeline of one command: what `with`, `range` and a
    /// variable declaration bind is then exactly the value read.
    fn pipe_read_at(&self, pipe: &Pipe) -> Option<Vec<String>> {
        match pipe.cmds.as_slice() {
            [cmd] => self.read_at(cmd),
            _ => None,
        }
    }

    /// Runs the whole tree into `out`.
    pub fn run(&mut self, dot: &Value, out: &mut Output) -> Result<(), Failure> {
        match self.list(&self.tree.root, dot, out) {
            Ok(()) => Ok(()),
            Err(Flow::Fail(e)) => Err(e),
            // The parser allows break/continue only inside range.
            Err(Flow::Break | Flow::Continue) => Ok(()),
        }
    }

    /// An error at `pos` in this template, in Go's words:
    /// `template: FILE:LINE:COL: executing "NAME" at <CONTEXT>: MESSAGE`.
    pub fn error(&self, pos: usize, context: &str, message: &str) -> Failure {
        self.wrap(pos, context, message, None)
    }

    /// An error at `pos` whose message ends with a nested template's error.
    pub fn wrap(
        &self,
        pos: usize,
        context: &str,
        message: &str,
        inner: Option<Failure>,
    ) -> Failure {
        let (line, column) = self.tree.file.line_col(pos);
        let file = self.tree.file.name.clone();
        let frame = format!(
            "{file}:{line}:{}\n  executing {:?} at <{context}>:\n    {}",
            column - 1,
            self.tree.name,
            message.trim_end()
        );
        let (inner_go, helm, frames) = match inner {
            Some(f) => (
                f.go,
                f.helm,
                f.frames.map(|inner| [vec![frame], inner].concat()),
            ),
            // A function's error is not the engine's own: Go's text stays on one line.
            None => (
                String::new(),
                None,
                (!message.starts_with("error calling ")).then(|| vec![frame]),
            ),
        };
        Failure {
            go: format!(
                "template: {file}:{line}:{}: executing {:?} at <{context}>: {message}{inner_go}",
                column - 1,
                self.tree.name
            ),
            file: file.to_string(),
            line,
            column0: column - 1,
            helm,
            frames,
        }
    }

    /// `fail` and `required`: Helm shows only their message.
    pub fn helm_error(&self, pos: usize, context: &str, name: &str, message: &str) -> Failure {
        let mut f = self.error(pos, context, &format!("error calling {name}: {message}"));
        f.helm = Some(message.to_string());
        f
    }

    /// A function's error. Go checks the arguments itself before calling: a wrong count is
    /// reported at the function's name, a wrong type at the argument (`expected string;
    /// found 3` for a constant); anything else is the function's own `error calling`.
    pub fn call_error(
        &self,
        call: (usize, &str),
        name: &str,
        args: &[Arg],
        values: &[Value],
        message: &str,
    ) -> Failure {
        let (pos, context) = call;
        if let Some(counts) = message.strip_prefix("wrong number of args: ") {
            return self.error(
                pos,
                name,
                &format!("wrong number of args for {name}: {counts}"),
            );
        }
        let Some(types) = message.strip_prefix("wrong type for value; ") else {
            return self.error(pos, context, &format!("error calling {name}: {message}"));
        };
        let got = types.rsplit_once("; got ").map_or("", |(_, got)| got);
        let expected = types.split_once(';').map_or(types, |(e, _)| e);
        match values.iter().position(|v| v.type_name() == got) {
            Some(i) if i < args.len() => {
                let arg = &args[i];
                let message = match arg {
                    Arg::Number(..) | Arg::Bool(..) | Arg::Str(..) => {
                        format!("{expected}; found {}", arg_string(arg))
                    }
                    _ => message.to_string(),
                };
                self.error(arg.pos(), &arg_string(arg), &message)
            }
            // The piped value is checked where Go's evaluation last stood.
            _ => match args.last() {
                Some(arg) => self.error(arg.pos(), &arg_string(arg), message),
                None => self.error(pos, name, message),
            },
        }
    }

    fn origin(&self, pos: usize) -> Origin {
        origin(&self.tree.file, pos)
    }

    fn list(&mut self, nodes: &[Node], dot: &Value, out: &mut Output) -> Result<(), Flow> {
        for node in nodes {
            self.node(node, dot, out)?;
        }
        Ok(())
    }

    /// Counts `n` steps at `pos`, failing once the template has taken too many.
    pub fn step(&self, pos: usize, n: u64) -> Result<(), Flow> {
        let taken = STEPS.get().saturating_add(n);
        STEPS.set(taken);
        let limit = STEP_LIMIT.get();
        if taken > limit {
            return Err(Flow::Fail(self.error(
                pos,
                "",
                &format!("the template takes more than {limit} steps: a loop that does not end?"),
            )));
        }
        Ok(())
    }

    fn node(&mut self, node: &Node, dot: &Value, out: &mut Output) -> Result<(), Flow> {
        self.step(node.pos(), 1)?;
        match node {
            Node::Text { pos, text } => out
                .literal(text, &self.tree.file, *pos)
                .map_err(|m| Flow::Fail(self.error(*pos, "", &m))),
            Node::Action { pos, pipe } => {
                let mut traces = HashMap::new();
                let read = pipe.cmds.first().and_then(|cmd| self.read_at(cmd));
                let value = self.pipeline(pipe, dot, &mut traces)?;
                if pipe.decl.is_empty() {
                    let start = out.text.len();
                    out.emitted(&value.to_output(), self.origin(*pos), &traces)
                        .map_err(|m| Flow::Fail(self.error(*pos, "", &m)))?;
                    if out.text.len() > start {
                        let span = start..out.text.len();
                        out.reads.push(Read { span, path: read });
                    }
                }
                Ok(())
            }
            Node::If(branch) => self.conditional(branch, dot, out, false),
            Node::With(branch) => self.conditional(branch, dot, out, true),
            Node::Range(branch) => self.range(branch, dot, out),
            Node::Template { pos, name, pipe } => {
                let arg = match pipe {
                    Some(p) => self.pipeline(p, dot, &mut HashMap::new())?,
                    None => Value::Null,
                };
                let context = format!("{{{{template {name:?}}}}}");
                let tree = self.set.tree(name).ok_or_else(|| {
                    Flow::Fail(self.error(
                        *pos,
                        &context,
                        &format!("template {name:?} not defined"),
                    ))
                })?;
                self.call_tree(tree, &arg, out, *pos, &context)?;
                Ok(())
            }
            Node::Break(_) => Err(Flow::Break),
            Node::Continue(_) => Err(Flow::Continue),
        }
    }

    /// Runs another template with a fresh set of variables, one level deeper.
    pub fn call_tree(
        &self,
        tree: &Tree,
        dot: &Value,
        out: &mut Output,
        pos: usize,
        context: &str,
    ) -> Result<(), Flow> {
        if self.depth + 1 >= MAX_DEPTH {
            return Err(Flow::Fail(self.error(
                pos,
                context,
                &format!("exceeded maximum template depth ({MAX_DEPTH})"),
            )));
        }
        Exec::new(self.set, tree, dot, self.depth + 1).run(dot, out)?;
        Ok(())
    }

    /// `include`: runs a template into a string, and notes where its literal lines came from.
    pub fn include(
        &self,
        name: &str,
        dot: &Value,
        pos: usize,
        context: &str,
        traces: &mut HashMap<String, Origin>,
    ) -> Result<String, Flow> {
        let tree = self.set.tree(name).ok_or_else(|| {
            Flow::Fail(self.error(
                pos,
                context,
                &format!("error calling include: template: no template {name:?} associated with template \"gotpl\""),
            ))
        })?;
        let mut sub = Output::default();
        self.call_tree(tree, dot, &mut sub, pos, context)
            .map_err(|flow| match flow {
                Flow::Fail(inner) => {
                    Flow::Fail(self.wrap(pos, context, "error calling include: ", Some(inner)))
                }
                other => other,
            })?;
        traces.extend(sub.literal_traces());
        traces.extend(sub.traces.drain());
        let fallback = origin(&tree.file, 0);
        Ok(sub.finish(fallback).0)
    }

    fn conditional(
        &mut self,
        b: &Branch,
        dot: &Value,
        out: &mut Output,
        rebind: bool,
    ) -> Result<(), Flow> {
        let mark = self.vars.len();
        let at = self.pipe_read_at(&b.pipe);
        let value = self.pipeline(&b.pipe, dot, &mut HashMap::new())?;
        let result = if value.truthy() && rebind {
            let outer = std::mem::replace(&mut self.dot_at, at);
            let result = self.list(&b.list, &value, out);
            self.dot_at = outer;
            result
        } else if value.truthy() {
            self.list(&b.list, dot, out)
        } else if let Some(else_list) = &b.else_list {
            self.list(else_list, dot, out)
        } else {
            Ok(())
        };
        self.vars.truncate(mark);
        result
    }

    fn range(&mut self, b: &Branch, dot: &Value, out: &mut Output) -> Result<(), Flow> {
        let mark = self.vars.len();
        // The range's own variables are declared per element, not by the pipeline.
        let plain = Pipe {
            decl: Vec::new(),
            ..b.pipe.clone()
        };
        let at = self.pipe_read_at(&plain);
        let value = self.pipeline(&plain, dot, &mut HashMap::new())?;
        let items: Vec<(Value, Value)> = match &value {
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::Int(i as i64), v.clone()))
                .collect(),
            Value::ApiVersions(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::Int(i as i64), Value::String(v.clone())))
                .collect(),
            Value::Map(map) => map
                .read()
                .iter()
                .map(|(k, v)| (Value::String(k.clone()), v.clone()))
                .collect(),
            Value::Files(files) => files
                .0
                .iter()
                .map(|(k, v)| (Value::String(k.clone()), functions::bytes_value(v)))
                .collect(),
            Value::Int(n) => {
                // Counted before the list is built: `range 100000000` is a runaway too.
                self.step(b.pos, (*n).max(0) as u64)?;
                (0..*n).map(|i| (Value::Int(i), Value::Int(i))).collect()
            }
            Value::Null => Vec::new(),
            other => {
                return Err(Flow::Fail(self.error(
                    b.pos,
                    &format!("{{{{range {}}}}}", other.to_go_string()),
                    &format!("range can't iterate over {}", other.to_go_string()),
                )))
            }
        };
        if items.is_empty() {
            let result = match &b.else_list {
                Some(else_list) => self.list(else_list, dot, out),
                None => Ok(()),
            };
            self.vars.truncate(mark);
            return result;
        }
        // Elements of a list or map read at a known place are read at that place too.
        let keyed = matches!(value, Value::List(_) | Value::Map(_));
        for (key, elem) in items {
            self.step(b.pos, 1)?;
            let elem_at = at
                .as_ref()
                .filter(|_| keyed)
                .map(|at| [at.clone(), vec![key.to_output()]].concat());
            match b.pipe.decl.as_slice() {
                [v] => self.set_var(v, elem.clone(), elem_at.clone(), !b.pipe.is_assign, b.pos)?,
                [k, v] => {
                    self.set_var(k, key, None, !b.pipe.is_assign, b.pos)?;
                    self.set_var(v, elem.clone(), elem_at.clone(), !b.pipe.is_assign, b.pos)?;
                }
                _ => {}
            }
            let inner = self.vars.len();
            let outer = std::mem::replace(&mut self.dot_at, elem_at);
            let result = self.list(&b.list, &elem, out);
            self.dot_at = outer;
            self.vars.truncate(inner);
            match result {
                Ok(()) | Err(Flow::Continue) => {}
                Err(Flow::Break) => break,
                Err(e) => return Err(e),
            }
        }
        self.vars.truncate(mark);
        Ok(())
    }

    fn set_var(
        &mut self,
        name: &str,
        value: Value,
        at: Option<Vec<String>>,
        declare: bool,
        pos: usize,
    ) -> Result<(), Flow> {
        if declare {
            self.vars.push(Var {
                name: name.to_string(),
                value,
                at,
            });
            return Ok(());
        }
        match self.vars.iter_mut().rev().find(|v| v.name == name) {
            Some(slot) => {
                slot.value = value;
                slot.at = at;
                Ok(())
            }
            None => Err(Flow::Fail(self.error(
                pos,
                name,
                &format!("undefined variable: {name}"),
            ))),
        }
    }

    fn var(&self, name: &str, pos: usize) -> Result<Value, Flow> {
        self.vars
            .iter()
            .rev()
            .find(|v| v.name == name)
            .map(|v| v.value.clone())
            .ok_or_else(|| {
                Flow::Fail(self.error(pos, name, &format!("undefined variable: {name}")))
            })
    }

    pub fn pipeline(
        &mut self,
        pipe: &Pipe,
        dot: &Value,
        traces: &mut HashMap<String, Origin>,
    ) -> Result<Value, Flow> {
        let at = if pipe.decl.is_empty() {
            None
        } else {
            self.pipe_read_at(pipe)
        };
        let mut value = None;
        for cmd in &pipe.cmds {
            value = Some(self.command(cmd, dot, value, traces)?);
        }
        let value = value.unwrap_or(Value::Null);
        for name in &pipe.decl {
            self.set_var(name, value.clone(), at.clone(), !pipe.is_assign, pipe.pos)?;
        }
        Ok(value)
    }

    fn command(
        &mut self,
        cmd: &Command,
        dot: &Value,
        last: Option<Value>,
        traces: &mut HashMap<String, Origin>,
    ) -> Result<Value, Flow> {
        let first = &cmd.args[0];
        let context = command_string(cmd);
        match first {
            Arg::Ident(pos, name) => {
                self.call(*pos, name, &cmd.args[1..], dot, last, &context, traces)
            }
            Arg::Field(pos, names) => self.chain(
                *pos,
                dot.clone(),
                names,
                &cmd.args[1..],
                dot,
                last,
                &context,
            ),
            Arg::Variable(pos, name, names) => {
                let base = self.var(name, *pos)?;
                self.chain(*pos, base, names, &cmd.args[1..], dot, last, &context)
            }
            Arg::Chain(pos, inner, names) => {
                let base = self.arg(inner, dot, traces)?;
                self.chain(*pos, base, names, &cmd.args[1..], dot, last, &context)
            }
            _ => {
                if cmd.args.len() > 1 || last.is_some() {
                    return Err(Flow::Fail(self.error(
                        first.pos(),
                        &context,
                        &format!("can't give argument to non-function {}", arg_string(first)),
                    )));
                }
                if let Arg::Nil(pos) = first {
                    return Err(Flow::Fail(self.error(
                        *pos,
                        &context,
                        "nil is not a command",
                    )));
                }
                self.arg(first, dot, traces)
            }
        }
    }

    /// An argument's value (fields and variables without arguments).
    fn arg(
        &mut self,
        arg: &Arg,
        dot: &Value,
        traces: &mut HashMap<String, Origin>,
    ) -> Result<Value, Flow> {
        Ok(match arg {
            Arg::Dot(_) => dot.clone(),
            Arg::Nil(_) => Value::Null,
            Arg::Bool(_, b) => Value::Bool(*b),
            Arg::Number(_, Number::Int(i)) => Value::Int(*i),
            Arg::Number(_, Number::Float(f)) => Value::Float(*f),
            Arg::Str(_, s) => Value::String(s.clone()),
            Arg::Pipe(pipe) => {
                let mark = self.vars.len();
                let value = self.pipeline(pipe, dot, traces);
                self.vars.truncate(mark);
                value?
            }
            Arg::Field(pos, names) => {
                let context = arg_string(arg);
                self.chain(*pos, dot.clone(), names, &[], dot, None, &context)?
            }
            Arg::Variable(pos, name, names) => {
                let base = self.var(name, *pos)?;
                let context = arg_string(arg);
                self.chain(*pos, base, names, &[], dot, None, &context)?
            }
            Arg::Chain(pos, inner, names) => {
                let base = self.arg(inner, dot, traces)?;
                let context = arg_string(arg);
                self.chain(*pos, base, names, &[], dot, None, &context)?
            }
            Arg::Ident(pos, name) => self.call(*pos, name, &[], dot, None, name, traces)?,
        })
    }

    /// Walks `.a.b.c` from `base`; the last name may be a method taking the arguments.
    #[allow(clippy::too_many_arguments)]
    fn chain(
        &mut self,
        pos: usize,
        base: Value,
        names: &[String],
        args: &[Arg],
        dot: &Value,
        last: Option<Value>,
        context: &str,
    ) -> Result<Value, Flow> {
        // A nil the chain starts from (a variable, `.`, a parenthesised pipeline) has no
        // type left in Go, and its fields are nil too; a nil the chain itself reached (a
        // missing key) is a nil `interface {}`, whose fields are an error.
        if base == Value::Null && !names.is_empty() {
            return Ok(Value::Null);
        }
        let mut value = base;
        for (i, name) in names.iter().enumerate() {
            let is_last = i + 1 == names.len();
            if let Some(method) = functions::method(&value, name) {
                let mut values = Vec::new();
                if is_last {
                    for a in args {
                        values.push(self.arg(a, dot, &mut HashMap::new())?);
                    }
                    values.extend(last.clone());
                }
                value = method(&value, &values).map_err(|m| {
                    Flow::Fail(self.error(pos, context, &format!("error calling {name}: {m}")))
                })?;
                continue;
            }
            if is_last && (!args.is_empty() || last.is_some()) {
                return Err(Flow::Fail(self.error(
                    pos,
                    context,
                    &format!("{name} has arguments but cannot be invoked as function"),
                )));
            }
            value = match value {
                Value::Map(map) => map.get(name).unwrap_or(Value::Null),
                Value::Null => {
                    return Err(Flow::Fail(self.error(
                        pos,
                        context,
                        &format!("nil pointer evaluating interface {{}}.{name}"),
                    )))
                }
                other => {
                    return Err(Flow::Fail(self.error(
                        pos,
                        context,
                        &format!("can't evaluate field {name} in type {}", other.type_name()),
                    )))
                }
            };
        }
        if names.is_empty() && (!args.is_empty() || last.is_some()) {
            return Err(Flow::Fail(self.error(
                pos,
                context,
                "can't give argument to non-function",
            )));
        }
        Ok(value)
    }

    #[allow(clippy::too_many_arguments)]
    fn call(
        &mut self,
        pos: usize,
        name: &str,
        args: &[Arg],
        dot: &Value,
        last: Option<Value>,
        context: &str,
        traces: &mut HashMap<String, Origin>,
    ) -> Result<Value, Flow> {
        // `and`/`or` stop at the first argument that decides them, as Go's do.
        if name == "and" || name == "or" {
            let mut value = Value::Null;
            let count = args.len() + usize::from(last.is_some());
            if count == 0 {
                return Err(Flow::Fail(self.error(
                    pos,
                    context,
                    &format!("wrong number of args for {name}: want at least 1 got 0"),
                )));
            }
            for a in args {
                value = self.arg(a, dot, traces)?;
                if value.truthy() == (name == "or") {
                    return Ok(value);
                }
            }
            if let Some(l) = last {
                value = l;
            }
            return Ok(value);
        }
        let mut values = Vec::with_capacity(args.len() + 1);
        for a in args {
            values.push(self.arg(a, dot, traces)?);
        }
        values.extend(last);
        let call = Call {
            exec: self,
            pos,
            context,
            args,
        };
        functions::call(name, &values, call, traces)
    }
}

/// Go's `String()` of a command, for the `at <...>` part of error messages.
pub fn command_string(cmd: &Command) -> String {
    cmd.args
        .iter()
        .map(arg_string)
        .collect::<Vec<_>>()
        .join(" ")
}

fn arg_string(arg: &Arg) -> String {
    let fields = |names: &[String]| names.iter().map(|n| format!(".{n}")).collect::<String>();
    match arg {
        Arg::Field(_, names) => fields(names),
        Arg::Variable(_, name, names) => format!("{name}{}", fields(names)),
        Arg::Dot(_) => ".".to_string(),
        Arg::Nil(_) => "nil".to_string(),
        Arg::Bool(_, b) => b.to_string(),
        Arg::Number(_, Number::Int(i)) => i.to_string(),
        Arg::Number(_, Number::Float(f)) => super::value::format_float_g(*f),
        Arg::Str(_, s) => format!("{s:?}"),
        Arg::Ident(_, name) => name.clone(),
        Arg::Pipe(pipe) => format!(
            "({})",
            pipe.cmds
                .iter()
                .map(command_string)
                .collect::<Vec<_>>()
                .join(" | ")
        ),
        Arg::Chain(_, inner, names) => format!("{}{}", arg_string(inner), fields(names)),
    }
}
