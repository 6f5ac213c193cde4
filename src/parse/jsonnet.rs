//! Jsonnet, evaluated to the JSON value conftest (go-jsonnet) hands to policies. A Jsonnet
//! file is a program from an untrusted repository, so its evaluation is bounded: a call
//! stack of [`MAX_STACK`] frames, [`MAX_STEPS`] evaluation steps in all (a loop that never
//! ends is an error at that file, deterministically, not a hung run), and `import`,
//! `importstr` and `importbin` read only through [`crate::read`], inside the boundary of
//! the file being tested (its repository); standard input, having no directory, imports
//! nothing. Object keys come out sorted, as go-jsonnet writes them; a whole number is an
//! integer (policies compare values, and `8080` prints as `8080`, not `8080.0`).
//!
//! One call can allocate without bound (`std.makeArray(1e9, ...)`), and an allocation that
//! fails aborts a process: the paved binary evaluates each file in a worker process of its
//! own (`paved __jsonnet`) whose data segment is limited to [`MAX_MEMORY`], so a program
//! that takes more is an error at its file and the run goes on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rsjsonnet_lang::arena::Arena;
use rsjsonnet_lang::lexer::LexError;
use rsjsonnet_lang::parser::ParseError as SyntaxError;
use rsjsonnet_lang::program::{
    AnalyzeError, Callbacks, EvalError, EvalErrorKind, EvalStackTraceItem, ImportError, LoadError,
    NativeError, Program, Thunk, Value as Evaluated, ValueKind,
};
use rsjsonnet_lang::span::{SpanContextId, SpanId};
use serde_json::{Map, Number, Value};

use super::conftest::single;
use super::{ParseError, ParsedFile, MAX_DEPTH};
use crate::read;

/// Call frames a Jsonnet program may nest (go-jsonnet's default is 500 too).
pub const MAX_STACK: usize = 500;
/// Evaluation steps one file may take, its imports included.
pub const MAX_STEPS: u64 = 20_000_000;

/// Memory a Jsonnet worker process may use for its data.
pub const MAX_MEMORY: u64 = 2 << 30;

/// Evaluates `text` in this process; `file` is where it was read from (imports resolve
/// beside it), `None` for standard input.
pub fn parse(text: &str, file: Option<&Path>) -> ParsedFile {
    outcome_file(text, evaluate(text, file, MAX_STEPS))
}

/// [`parse`] in a worker process bounded in memory: for the paved binary only, which it
/// runs again as `paved __jsonnet [FILE]` with the program on standard input.
pub fn parse_isolated(text: &str, file: Option<&Path>) -> ParsedFile {
    let outcome = run_worker(text, file).unwrap_or_else(|why| Err((why, 0)));
    outcome_file(text, outcome)
}

/// What a worker writes on standard output: the value, or the message and byte offset.
type Outcome = Result<Value, (String, usize)>;

fn run_worker(text: &str, file: Option<&Path>) -> Result<Outcome, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let exe = std::env::current_exe().map_err(|e| format!("cannot start the evaluator: {e}"))?;
    let mut command = Command::new(exe);
    command.arg("__jsonnet");
    command.args(file);
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the evaluator: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    // Written from a thread: a worker that fails early must not leave this write blocked.
    let program = text.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(program.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("the evaluator failed: {e}"))?;
    let _ = writer.join();
    if !output.status.success() {
        return Err(format!(
            "evaluation stopped: it needed more than {} GiB of memory or failed ({})",
            MAX_MEMORY >> 30,
            output.status
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("the evaluator's answer: {e}"))
}

/// `paved __jsonnet [FILE]`: limits its own data segment, evaluates standard input and
/// writes the [`Outcome`] as JSON.
pub fn worker(file: Option<&Path>) -> anyhow::Result<u8> {
    use std::io::{Read, Write};
    let limit = libc::rlimit {
        rlim_cur: MAX_MEMORY as libc::rlim_t,
        rlim_max: MAX_MEMORY as libc::rlim_t,
    };
    // SAFETY: setrlimit reads the struct it is given and changes only this process.
    if unsafe { libc::setrlimit(libc::RLIMIT_DATA, &limit) } != 0 {
        anyhow::bail!("cannot limit memory: {}", std::io::Error::last_os_error());
    }
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let outcome = evaluate(&text, file, MAX_STEPS);
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &outcome)?;
    out.flush()?;
    Ok(0)
}

fn outcome_file(text: &str, outcome: Outcome) -> ParsedFile {
    match outcome {
        Ok(json) => single(json, text),
        Err((message, at)) => ParsedFile {
            documents: Vec::new(),
            errors: vec![ParseError::new(format!("Jsonnet: {message}"), at..at)],
        },
    }
}

fn evaluate(text: &str, file: Option<&Path>, max_steps: u64) -> Outcome {
    let arena = Arena::new();
    let mut program = Program::new(&arena);
    program.set_max_stack(MAX_STACK);
    program.set_max_steps(max_steps);
    let (main, _) = program.span_manager_mut().insert_source_context(text.len());
    let mut importer = Importer {
        boundary: file.map(read::boundary_of),
        directories: HashMap::new(),
        loaded: HashMap::new(),
        refused: None,
    };
    if let Some(dir) = file.map(|f| f.parent().unwrap_or(Path::new("")).to_path_buf()) {
        importer.directories.insert(main, dir);
    }
    let this_file = file.map(|f| f.display().to_string()).unwrap_or_default();
    match program.load_source(main, text.as_bytes(), true, &this_file) {
        Err(error) => Err(load_failure(&program, main, &error)),
        Ok(thunk) => match program.eval_value(&thunk, &mut importer) {
            Err(error) => Err(eval_failure(
                &program,
                main,
                &error,
                importer.refused.take(),
                max_steps,
            )),
            Ok(value) => to_json(&value, 0).map_err(|message| (message, 0)),
        },
    }
}

/// The evaluated value as JSON: keys sorted, whole numbers as integers, no functions.
fn to_json(value: &Evaluated<'_>, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "the value is nested deeper than {MAX_DEPTH} levels"
        ));
    }
    Ok(match value.kind() {
        ValueKind::Null => Value::Null,
        ValueKind::Bool(b) => Value::Bool(b),
        ValueKind::Number(n) => number(n),
        ValueKind::String(s) => Value::String(s),
        ValueKind::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| to_json(item, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        ValueKind::Object(fields) => {
            let mut fields: Vec<(String, Value)> = fields
                .iter()
                .map(|(name, field)| Ok((name.value().to_string(), to_json(field, depth + 1)?)))
                .collect::<Result<_, String>>()?;
            fields.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(fields.into_iter().collect::<Map<_, _>>())
        }
        ValueKind::Function => return Err("a function cannot be turned into JSON".into()),
    })
}

/// A whole number within f64's exact range as an integer, anything else as a float.
fn number(n: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if n.fract() == 0.0 && n.abs() <= EXACT {
        Value::Number(Number::from(n as i64))
    } else {
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// Resolves imports beside the importing file, inside the tested file's boundary.
struct Importer<'p> {
    /// The tested file's repository (or its directory); `None` for standard input.
    boundary: Option<PathBuf>,
    /// The directory of each loaded source, by its span context.
    directories: HashMap<SpanContextId, PathBuf>,
    /// Imported programs by real path: a file imported twice is evaluated once.
    loaded: HashMap<PathBuf, Thunk<'p>>,
    /// Why the last import failed (rsjsonnet's error carries no reason).
    refused: Option<String>,
}

impl<'p> Importer<'p> {
    /// The bytes of `path` as the source at `from` names it, or why they cannot be read.
    fn read(
        &mut self,
        program: &Program<'p>,
        from: SpanId,
        path: &str,
    ) -> Result<(PathBuf, Vec<u8>), ImportError> {
        let result = self
            .locate(program, from, path)
            .and_then(|(full, boundary)| {
                read::read(&full, &boundary)
                    .map(|bytes| (full, bytes))
                    .map_err(|e| format!("cannot import {path}: {e}"))
            });
        result.map_err(|reason| {
            self.refused = Some(reason);
            ImportError
        })
    }

    fn locate(
        &self,
        program: &Program<'p>,
        from: SpanId,
        path: &str,
    ) -> Result<(PathBuf, PathBuf), String> {
        let Some(boundary) = &self.boundary else {
            return Err(format!(
                "cannot import {path}: the text has no file to import beside"
            ));
        };
        let (context, _, _) = program.span_manager().get_span(from);
        let dir = self.directories.get(&context).cloned().unwrap_or_default();
        let full = dir.join(path);
        // `read::read` refuses it too, but words it for a symlink; say what happened here.
        match full.canonicalize() {
            Ok(real) if !real.starts_with(boundary) => Err(format!(
                "cannot import {path}: it is outside {}, which paved does not read from",
                boundary.display()
            )),
            _ => Ok((full, boundary.clone())),
        }
    }
}

impl<'p> Callbacks<'p> for Importer<'p> {
    fn import(
        &mut self,
        program: &mut Program<'p>,
        from: SpanId,
        path: &str,
    ) -> Result<Thunk<'p>, ImportError> {
        let (full, bytes) = self.read(program, from, path)?;
        let key = full.canonicalize().unwrap_or_else(|_| full.clone());
        if let Some(thunk) = self.loaded.get(&key) {
            return Ok(thunk.clone());
        }
        let (context, _) = program
            .span_manager_mut()
            .insert_source_context(bytes.len());
        self.directories.insert(
            context,
            full.parent().unwrap_or(Path::new("")).to_path_buf(),
        );
        match program.load_source(context, &bytes, true, &full.display().to_string()) {
            Ok(thunk) => {
                self.loaded.insert(key, thunk.clone());
                Ok(thunk)
            }
            Err(error) => {
                let (message, _) = load_failure(program, context, &error);
                self.refused = Some(format!("cannot import {path}: {message}"));
                Err(ImportError)
            }
        }
    }

    fn import_str(
        &mut self,
        program: &mut Program<'p>,
        from: SpanId,
        path: &str,
    ) -> Result<String, ImportError> {
        let (_, bytes) = self.read(program, from, path)?;
        String::from_utf8(bytes).map_err(|_| {
            self.refused = Some(format!("cannot import {path}: it is not UTF-8 text"));
            ImportError
        })
    }

    fn import_bin(
        &mut self,
        program: &mut Program<'p>,
        from: SpanId,
        path: &str,
    ) -> Result<Vec<u8>, ImportError> {
        self.read(program, from, path).map(|(_, bytes)| bytes)
    }

    /// `std.trace` writes nothing: conftest's output has no place for it either.
    fn trace(&mut self, _: &mut Program<'p>, _: &str, _: &[EvalStackTraceItem]) {}

    /// No native functions are registered, so none is ever called.
    fn native_call(
        &mut self,
        _: &mut Program<'p>,
        _: rsjsonnet_lang::interner::InternedStr<'p>,
        _: &[Evaluated<'p>],
    ) -> Result<Evaluated<'p>, NativeError> {
        Err(NativeError)
    }
}

/// A message and a byte offset in the source of `context` for an error reading a source.
fn load_failure(
    program: &Program<'_>,
    context: SpanContextId,
    error: &LoadError,
) -> (String, usize) {
    let span = match error {
        LoadError::Lex(lex) => Some(lex_span(lex)),
        LoadError::Parse(SyntaxError::Expected { span, .. }) => Some(*span),
        LoadError::Analyze(analyze) => Some(analyze_span(analyze)),
    };
    let at = span
        .and_then(|span| offset_in(program, context, span))
        .unwrap_or(0);
    let what = match error {
        LoadError::Lex(e) => without_spans(&format!("{e:?}")),
        LoadError::Parse(e) => without_spans(&format!("{e:?}")),
        LoadError::Analyze(e) => without_spans(&format!("{e:?}")),
    };
    (format!("syntax error: {what}"), at)
}

fn analyze_span(error: &AnalyzeError) -> SpanId {
    use AnalyzeError::*;
    match error {
        UnknownVariable { span, .. }
        | TextBlockAsImportPath { span }
        | ComputedImportPath { span } => *span,
        SelfOutsideObject { self_span } => *self_span,
        SuperOutsideObject { super_span } => *super_span,
        DollarOutsideObject { dollar_span } => *dollar_span,
        RepeatedLocalName { repeated_span, .. }
        | RepeatedFieldName { repeated_span, .. }
        | RepeatedParamName { repeated_span, .. } => *repeated_span,
        PositionalArgAfterNamed { arg_span } => *arg_span,
    }
}

fn lex_span(error: &LexError) -> SpanId {
    use LexError::*;
    match error {
        InvalidChar { span, .. }
        | InvalidUtf8 { span, .. }
        | UnfinishedMultilineComment { span }
        | LeadingZeroInNumber { span }
        | MissingFracDigits { span }
        | MissingExpDigits { span }
        | MissingDigitAfterUnderscore { span }
        | ExpOverflow { span }
        | InvalidEscapeInString { span, .. }
        | IncompleteUnicodeEscape { span }
        | InvalidUtf16EscapeSequence { span, .. }
        | UnfinishedString { span }
        | MissingLineBreakAfterTextBlockStart { span }
        | MissingWhitespaceTextBlockStart { span }
        | InvalidTextBlockTermination { span } => *span,
    }
}

/// A message and a byte offset in the tested file for an evaluation error: the innermost
/// expression of that file the evaluation was in.
fn eval_failure(
    program: &Program<'_>,
    main: SpanContextId,
    error: &EvalError,
    refused: Option<String>,
    max_steps: u64,
) -> (String, usize) {
    let at = kind_span(&error.kind)
        .into_iter()
        .chain(error.stack_trace.iter().rev().filter_map(trace_span))
        .find_map(|span| offset_in(program, main, span))
        .unwrap_or(0);
    let message = match &error.kind {
        EvalErrorKind::StepLimit => format!("stopped after {max_steps} evaluation steps: the program runs away (or is far larger than a configuration file needs)"),
        EvalErrorKind::StackOverflow => format!("more than {MAX_STACK} nested calls (runaway recursion)"),
        EvalErrorKind::ImportFailed { .. } => refused.unwrap_or_else(|| "an import failed".into()),
        EvalErrorKind::ExplicitError { message, .. } => format!("error: {message}"),
        other => without_spans(&format!("{other:?}")),
    };
    (message, at)
}

/// The expression an evaluation error is about, when its kind names one.
fn kind_span(kind: &EvalErrorKind) -> Option<SpanId> {
    use EvalErrorKind::*;
    match kind {
        InvalidIndexedType { span, .. }
        | InvalidSlicedType { span, .. }
        | SliceIndexOrStepIsNotNumber { span, .. }
        | StringIndexIsNotNumber { span, .. }
        | ArrayIndexIsNotNumber { span, .. }
        | NumericIndexIsNotValid { span, .. }
        | NumericIndexOutOfRange { span, .. }
        | ObjectIndexIsNotString { span, .. }
        | RepeatedFieldName { span, .. }
        | FieldNameIsNotString { span, .. }
        | UnknownObjectField { span, .. }
        | FieldOfNonObject { span }
        | SuperWithoutSuperObject { span }
        | ForSpecValueIsNotArray { span, .. }
        | CondIsNotBool { span, .. }
        | InvalidUnaryOpType { span, .. }
        | AssertFailed { span, .. }
        | ExplicitError { span, .. }
        | ImportFailed { span, .. } => Some(*span),
        CalleeIsNotFunction { span, .. }
        | TooManyCallArgs { span, .. }
        | UnknownCallParam { span, .. }
        | RepeatedCallParam { span, .. }
        | CallParamNotBound { span, .. }
        | InvalidBinaryOpTypes { span, .. }
        | NumberNotBitwiseSafe { span, .. }
        | NumberOverflow { span, .. }
        | NumberNan { span, .. }
        | DivByZero { span, .. }
        | ShiftByNegative { span, .. }
        | Other { span, .. } => *span,
        _ => None,
    }
}

fn trace_span(item: &EvalStackTraceItem) -> Option<SpanId> {
    match item {
        EvalStackTraceItem::Expr { span }
        | EvalStackTraceItem::Variable { span, .. }
        | EvalStackTraceItem::Import { span } => Some(*span),
        EvalStackTraceItem::Call { span, .. }
        | EvalStackTraceItem::ArrayItem { span, .. }
        | EvalStackTraceItem::ObjectField { span, .. } => *span,
        _ => None,
    }
}

/// The start of `span` when it lies in the source of `context`.
fn offset_in(program: &Program<'_>, context: SpanContextId, span: SpanId) -> Option<usize> {
    let (in_context, start, _) = program.span_manager().get_span(span);
    (in_context == context).then_some(start)
}

/// rsjsonnet's error described by its debug text, the variant's name in words and its
/// fields without the spans, which mean nothing to a reader (the location is given apart):
/// `UnknownObjectField { span: .., field_name: "b" }` is `unknown object field (field_name: "b")`.
fn without_spans(debug: &str) -> String {
    let spans = regex::Regex::new(
        r"\w*span: (?:Some\()?(?:Inline \{ offset: \d+, len: \d+ \}|Interned\(\d+\)|None)\)?(?:, )?",
    )
    .expect("a valid pattern");
    let debug = spans.replace_all(debug, "");
    let name_end = debug
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(debug.len());
    let mut words = String::new();
    for c in debug[..name_end].chars() {
        if c.is_uppercase() && !words.is_empty() {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    let fields = debug[name_end..].trim();
    let fields = fields
        .strip_prefix('{')
        .and_then(|f| f.strip_suffix('}'))
        .unwrap_or(fields)
        .trim();
    if fields.is_empty() {
        words
    } else {
        format!("{words} ({fields})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        let parsed = parse(text, None);
        assert_eq!(
            parsed.errors.len(),
            0,
            "{:?}",
            parsed.errors.first().map(|e| &e.message)
        );
        parsed.documents.into_iter().next().unwrap().value
    }

    fn error(parsed: ParsedFile) -> (String, usize) {
        let error = parsed.errors.into_iter().next().expect("an error");
        (error.message, error.span.start)
    }

    #[test]
    fn evaluates_to_json_with_sorted_keys_and_whole_numbers_as_integers() {
        let text = "local port = 8000 + 80;\n{ zone: 'b', port: port, ratio: 0.5, hidden:: 1,\n  list: [true, null, std.length('abc')], nested: { y: 2, x: 1 } }\n";
        let value = value(text);
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#"{"list":[true,null,3],"nested":{"x":1,"y":2},"port":8080,"ratio":0.5,"zone":"b"}"#
        );
    }

    #[test]
    fn a_runaway_program_stops_at_the_step_bound_with_its_location() {
        let text = "local f(n) = if n == 0 then 0 else f(n - 1) + f(n - 1);\n{ a: f(64) }\n";
        let (message, at) = error(outcome_file(text, evaluate(text, None, 100_000)));
        // The innermost expression of the file the evaluation was in: a recursive call.
        assert_eq!(&text[at..at + 8], "f(n - 1)");
        assert_eq!(at, 35);
        assert_eq!(
            message,
            "Jsonnet: stopped after 100000 evaluation steps: the program runs away (or is far larger than a configuration file needs)"
        );
    }

    #[test]
    fn deep_recursion_is_a_stack_error() {
        let (message, _) = error(parse("local f(n) = f(n + 1) + 1;\nf(0)\n", None));
        assert_eq!(
            message,
            "Jsonnet: more than 500 nested calls (runaway recursion)"
        );
    }

    #[test]
    fn errors_carry_their_offset() {
        let (message, at) = error(parse("{\n  a: error 'no a',\n}\n", None));
        assert_eq!((message.as_str(), at), ("Jsonnet: error: no a", 7));
        let (message, at) = error(parse("{ a: 1,\n  b: }\n", None));
        assert_eq!(
            message,
            "Jsonnet: syntax error: expected (expected: {Expr}, instead: Simple(RightBrace))"
        );
        assert_eq!(at, 13);
        let (message, at) = error(parse("{ a: 1,\n  c: x }", None));
        assert_eq!(
            (message.as_str(), at),
            ("Jsonnet: syntax error: unknown variable (name: \"x\")", 13)
        );
        let (message, at) = error(parse("{ a: {}.b }", None));
        assert_eq!(
            (message.as_str(), at),
            ("Jsonnet: unknown object field (field_name: \"b\")", 5)
        );
        let (message, _) = error(parse("{ f(x): x }", None));
        assert_eq!(message, "Jsonnet: a function cannot be turned into JSON");
    }

    #[test]
    fn a_value_nested_too_deep_is_refused() {
        let text = "std.foldl(function(acc, x) [acc], std.range(1, 300), [])";
        let (message, _) = error(parse(text, None));
        assert_eq!(
            message,
            "Jsonnet: the value is nested deeper than 256 levels"
        );
    }

    #[test]
    fn imports_resolve_beside_the_importing_file_inside_the_repository() {
        let outer = tempfile::tempdir().unwrap();
        std::fs::write(outer.path().join("secret.libsonnet"), "{ token: 'x' }").unwrap();
        let repo = outer.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("lib")).unwrap();
        std::fs::write(
            repo.join("lib/base.libsonnet"),
            "{ replicas: 2, note: importstr 'note.txt' }",
        )
        .unwrap();
        std::fs::write(repo.join("lib/note.txt"), "hello\n").unwrap();
        let main = repo.join("main.jsonnet");
        let text = "(import 'lib/base.libsonnet') + { replicas: 3 }";
        let parsed = parse(text, Some(&main));
        assert_eq!(
            parsed.documents[0].value,
            serde_json::json!({"note": "hello\n", "replicas": 3})
        );

        let (message, at) = error(parse("{ a: import '../secret.libsonnet' }", Some(&main)));
        let boundary = repo.canonicalize().unwrap();
        assert_eq!(
            message,
            format!(
                "Jsonnet: cannot import ../secret.libsonnet: it is outside {}, which paved does not read from",
                boundary.display()
            )
        );
        assert_eq!(at, 5);
        let (message, _) = error(parse("import 'missing.libsonnet'", Some(&main)));
        assert!(
            message.starts_with("Jsonnet: cannot import missing.libsonnet: "),
            "{message}"
        );
        let (message, _) = error(parse("importstr 'lib/note.txt'", None));
        assert_eq!(
            message,
            "Jsonnet: cannot import lib/note.txt: the text has no file to import beside"
        );
    }
}
