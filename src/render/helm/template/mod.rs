//! Go's `text/template` as Helm uses it, in-process: the lexer and parser (trees with
//! positions), the executor, Go's builtins, Sprig's functions and Helm's own. Every output
//! line carries the template position it came from, so findings on rendered manifests point
//! at the line a person edits.

mod exec;
pub mod functions;
mod lex;
mod parse;
pub mod value;
pub mod yaml;

#[cfg(test)]
mod cases;

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, Mutex};

pub use value::{Files, Value};

use exec::{Exec, Failure, Output};
use parse::Tree;

/// The renderer's stack: room for `exec::MAX_DEPTH` nested template calls (reserved, only
/// touched as deep as a template goes).
const STACK_SIZE: usize = 1024 * 1024 * 1024;

thread_local! {
    /// Whether this thread is one [`on_render_stack`] started.
    static ON_RENDER_STACK: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` on a thread with room for `exec::MAX_DEPTH` nested template calls (reserved,
/// only touched as deep as a template goes); [`TemplateSet::execute`] inside it runs
/// directly. A chart's templates share one such thread: starting one per template costs
/// more than rendering most of them. Error: the thread could not start, or failed.
pub fn on_render_stack<T: Send>(f: impl FnOnce() -> T + Send) -> Result<T, String> {
    if ON_RENDER_STACK.get() {
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .map_err(|_| "the renderer failed".to_string());
    }
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, || {
                ON_RENDER_STACK.set(true);
                f()
            })
            .map_err(|e| format!("cannot start the renderer: {e}"))?
            .join()
            .map_err(|_| "the renderer failed".to_string())
    })
}

/// A rayon pool whose threads have the renderer's stack, so that a chart renders on the
/// thread that checks it. A thread started per render cost more than its start: mimalloc
/// gives each thread a heap of its own, and what one left when it ended was not reused, so
/// every render took fresh pages (a third more memory, and the kernel's time to zero it).
/// Where stacks that large cannot be had (strict overcommit), an ordinary pool: each render
/// then starts its own thread, as [`on_render_stack`] does outside such a pool.
pub fn render_pool(threads: usize) -> Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(STACK_SIZE)
        .start_handler(|_| ON_RENDER_STACK.set(true))
        .build()
        .or_else(|_| rayon::ThreadPoolBuilder::new().num_threads(threads).build())
}

/// A file's trees: the file's own and each of its `define`s.
fn parse_file(name: &str, text: &str) -> Result<Vec<Arc<Tree>>, TemplateError> {
    let trees = parse::parse(name, text, &functions::is_function).map_err(|(file, e)| {
        let (line, column) = file.line_col(e.pos);
        TemplateError {
            template: name.to_string(),
            line,
            column,
            message: format!("parse error at ({name}:{line}): {}", e.message),
            raised: false,
        }
    })?;
    Ok(trees.into_iter().map(Arc::new).collect())
}

/// Files parsed, by template name and text: the renders of a chart's scenarios parse the
/// same templates (megabytes, in charts that ship CRDs), so each is parsed once.
#[derive(Default)]
pub struct ParseCache(Mutex<HashMap<String, Vec<(String, ParsedFile)>>>);

type ParsedFile = Result<Vec<Arc<Tree>>, TemplateError>;

impl ParseCache {
    fn parsed(&self, name: &str, text: &str) -> ParsedFile {
        let known = self.lock().get(name).and_then(|versions| {
            versions
                .iter()
                .find(|(parsed_text, _)| parsed_text == text)
                .map(|(_, parsed)| parsed.clone())
        });
        if let Some(parsed) = known {
            return parsed;
        }
        let parsed = parse_file(name, text);
        self.lock()
            .entry(name.to_string())
            .or_default()
            .push((text.to_string(), parsed.clone()));
        parsed
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<(String, ParsedFile)>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Every template of a chart and its subcharts: one namespace, as in Helm.
#[derive(Debug, Default, Clone)]
pub struct TemplateSet {
    trees: HashMap<String, Arc<Tree>>,
}

/// What a template rendered, with one origin per output line.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub text: String,
    pub origins: Vec<Origin>,
    /// What each action wrote, and what it read, in output order.
    pub reads: Vec<Read>,
}

/// The text an action wrote (`span`, bytes of the output, not empty) and, when its
/// pipeline starts by reading the value at a known place of the template's dot, that place:
/// `{{ .Values.image.tag | quote }}` reads `["Values", "image", "tag"]`, as does `{{ .tag }}`
/// inside `with .Values.image`. Only in the template executed itself is the place known
/// (not in templates it calls, whose dot is whatever they were given); whether the text is
/// that value is for the reader to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub span: Range<usize>,
    pub path: Option<Vec<String>>,
}

/// Where an output line's first non-blank text came from (1-based). There is one per
/// output line, so the template's name is shared, not copied (a CRD is 30,000 lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub template: Arc<str>,
    pub line: usize,
    pub column: usize,
}

/// A parse or execution error: where (1-based) and Helm's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub template: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// Raised by the chart itself on purpose (`fail`, `required`), not its code failing.
    pub raised: bool,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

impl TemplateSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses one file; `name` is Helm's template name, e.g. "mychart/templates/deploy.yaml",
    /// and its `define`s join the set. Error: file, line, column, Go/Helm's message.
    pub fn add(&mut self, name: &str, text: &str) -> Result<(), TemplateError> {
        self.parse(name, text).map(drop)
    }

    /// Parses one file as [`TemplateSet::add`] does, taking its trees from `cache` when the
    /// same name and text were parsed before.
    pub fn add_cached(
        &mut self,
        name: &str,
        text: &str,
        cache: &ParseCache,
    ) -> Result<(), TemplateError> {
        let trees = cache.parsed(name, text)?;
        self.insert(name, trees);
        Ok(())
    }

    /// Adds a file's templates, returning the tree parsed for `name` itself: what Go's
    /// `Parse` then `Execute` run, even when it is empty and the set keeps an older `name`.
    fn parse(&mut self, name: &str, text: &str) -> Result<Option<Arc<Tree>>, TemplateError> {
        Ok(self.insert(name, parse_file(name, text)?))
    }

    /// Adds a file's trees; the one for `name` itself is returned.
    fn insert(&mut self, name: &str, trees: Vec<Arc<Tree>>) -> Option<Arc<Tree>> {
        let mut main = None;
        for tree in trees {
            if tree.name == name {
                main = Some(tree.clone());
            }
            // Go keeps a template's content when an empty definition of the name follows.
            let keep_old = tree.is_empty() && self.trees.contains_key(&tree.name);
            if !keep_old {
                self.trees.insert(tree.name.clone(), tree);
            }
        }
        main
    }

    /// Executes the template `name` with `dot` (Helm's top-level object for that template's
    /// chart: Values, Release, Chart, Capabilities, Files, Template{Name, BasePath}).
    pub fn execute(&self, name: &str, dot: &Value) -> Result<Rendered, TemplateError> {
        if ON_RENDER_STACK.get() {
            return self.run(name, dot, 0);
        }
        on_render_stack(|| self.run(name, dot, 0)).unwrap_or_else(|message| {
            Err(TemplateError {
                template: name.to_string(),
                line: 1,
                column: 1,
                message,
                raised: false,
            })
        })
    }

    /// `tpl`'s nested run of `text` parsed as the template `name` in a copy of this set:
    /// the output only, one call deeper. Go runs the tree it just parsed, so an empty text
    /// renders nothing even inside a `tpl` whose own template has that name.
    fn execute_text(
        &self,
        name: &str,
        text: &str,
        dot: &Value,
        depth: usize,
    ) -> Result<Result<String, Failure>, TemplateError> {
        let mut set = self.clone();
        let tree = set.parse(name, text)?;
        Ok(match tree {
            Some(tree) => set.render_tree(&tree, dot, depth).map(|r| r.text),
            None => Ok(String::new()),
        })
    }

    fn run(&self, name: &str, dot: &Value, depth: usize) -> Result<Rendered, TemplateError> {
        self.render(name, dot, depth).map_err(Failure::into_error)
    }

    fn render(&self, name: &str, dot: &Value, depth: usize) -> Result<Rendered, Failure> {
        if depth >= exec::MAX_DEPTH {
            return Err(Failure::at_start(
                name,
                format!("exceeded maximum template depth ({})", exec::MAX_DEPTH),
            ));
        }
        let Some(tree) = self.trees.get(name) else {
            return Err(Failure::at_start(
                name,
                format!("template: no template {name:?} associated with template \"gotpl\""),
            ));
        };
        self.render_tree(tree, dot, depth)
    }

    fn render_tree(&self, tree: &Tree, dot: &Value, depth: usize) -> Result<Rendered, Failure> {
        if depth == 0 {
            exec::start_counting_steps();
        }
        let mut out = Output::default();
        Exec::new(self, tree, dot, depth).run(dot, &mut out)?;
        let reads = std::mem::take(&mut out.reads);
        let (text, origins) = out.finish(Origin {
            template: Arc::from(tree.name.as_str()),
            line: 1,
            column: 1,
        });
        Ok(without_no_value(Rendered {
            text,
            origins,
            reads,
        }))
    }

    fn tree(&self, name: &str) -> Option<&Tree> {
        self.trees.get(name).map(|t| t.as_ref())
    }
}

/// What Go prints for a missing value, which Helm removes from the output.
const NO_VALUE: &str = "<no value>";

/// `rendered` with Helm's removal of [`NO_VALUE`] done, its reads moved to match.
fn without_no_value(rendered: Rendered) -> Rendered {
    if !rendered.text.contains(NO_VALUE) {
        return rendered;
    }
    let removed: Vec<usize> = rendered
        .text
        .match_indices(NO_VALUE)
        .map(|(at, _)| at)
        .collect();
    // An offset less every removed byte before it.
    let shift = |at: usize| {
        at - removed
            .iter()
            .map(|&r| at.saturating_sub(r).min(NO_VALUE.len()))
            .sum::<usize>()
    };
    Rendered {
        text: rendered.text.replace(NO_VALUE, ""),
        origins: rendered.origins,
        reads: rendered
            .reads
            .into_iter()
            .map(|read| Read {
                span: shift(read.span.start)..shift(read.span.end),
                path: read.path,
            })
            .filter(|read| !read.span.is_empty())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Helm's top-level object for a chart named `mychart`, built by hand.
    pub(crate) fn dot(values: serde_json::Value) -> Value {
        Value::from(serde_json::json!({
            "Values": values,
            "Release": {"Name": "release-name", "Namespace": "default", "Service": "Helm",
                        "IsInstall": true, "IsUpgrade": false},
            "Chart": {"Name": "mychart", "Version": "0.1.0", "AppVersion": "1.0"},
            "Template": {"Name": "mychart/templates/t.yaml", "BasePath": "mychart/templates"},
        }))
    }

    #[test]
    fn the_render_pool_renders_on_its_own_threads() {
        let pool = render_pool(1).unwrap();
        let mut set = TemplateSet::new();
        set.add("mychart/templates/t.yaml", "a: {{ .Values.a }}\n")
            .unwrap();
        let values = dot(serde_json::json!({"a": 1}));
        let (on_stack, text) = pool.install(|| {
            let rendered = set.execute("mychart/templates/t.yaml", &values);
            (ON_RENDER_STACK.get(), rendered.unwrap().text)
        });
        assert!(on_stack);
        assert_eq!(text, "a: 1\n");
        assert!(!ON_RENDER_STACK.get());
    }

    #[test]
    fn a_parse_cache_parses_each_name_and_text_once() {
        let cache = ParseCache::default();
        let name = "mychart/templates/t.yaml";
        let text = "{{ define \"x\" }}x{{ end }}a: {{ .Values.a }}\n";
        let mut first = TemplateSet::new();
        let mut second = TemplateSet::new();
        first.add_cached(name, text, &cache).unwrap();
        second.add_cached(name, text, &cache).unwrap();
        for tree in [name, "x"] {
            assert!(
                Arc::ptr_eq(&first.trees[tree], &second.trees[tree]),
                "{tree}"
            );
        }
        let values = dot(serde_json::json!({"a": 1}));
        assert_eq!(second.execute(name, &values).unwrap().text, "a: 1\n");
        // Another text under the same name is parsed on its own; a parse error is kept too.
        let mut third = TemplateSet::new();
        third.add_cached(name, "b: 2\n", &cache).unwrap();
        assert_eq!(third.execute(name, &values).unwrap().text, "b: 2\n");
        assert_eq!(cache.lock()[name].len(), 2);
        let broken = "{{ nope }}";
        let errors = [1, 2].map(|_| third.add_cached("mychart/templates/b.yaml", broken, &cache));
        assert!(errors[0].is_err());
        assert_eq!(errors[0], errors[1]);
    }

    fn render(
        helpers: &str,
        text: &str,
        values: serde_json::Value,
    ) -> Result<Rendered, TemplateError> {
        let mut set = TemplateSet::new();
        set.add("mychart/templates/_helpers.tpl", helpers)?;
        set.add("mychart/templates/t.yaml", text)?;
        set.execute("mychart/templates/t.yaml", &dot(values))
    }

    fn origin(template: &str, line: usize, column: usize) -> Origin {
        Origin {
            template: format!("mychart/templates/{template}").into(),
            line,
            column,
        }
    }

    #[test]
    fn pipelines_branches_and_includes_render() {
        let helpers =
            "{{- define \"name\" -}}\n{{ .Chart.Name }}-{{ .Release.Name | trunc 5 }}\n{{- end }}";
        let text = "name: {{ include \"name\" . | quote }}\n{{- range $i, $p := .Values.ports }}\n- {{ $i }}: {{ $p }}\n{{- else }}\nnone\n{{- end }}\n{{ with .Values.missing }}x{{ else }}{{ .Values.replicas | default 1 }}{{ end }}";
        let out = render(
            helpers,
            text,
            serde_json::json!({"ports": [80, 443], "replicas": 3}),
        )
        .unwrap();
        assert_eq!(out.text, "name: \"mychart-relea\"\n- 0: 80\n- 1: 443\n3");
    }

    #[test]
    fn each_line_knows_its_template_line() {
        let helpers = "{{- define \"labels\" -}}\napp: web\ntier: {{ .Values.tier }}\n{{- end }}";
        let text = "metadata:\n  labels:\n    {{- include \"labels\" . | nindent 4 }}\n  name: {{ .Values.name }}\n";
        let out = render(
            helpers,
            text,
            serde_json::json!({"tier": "front", "name": "x"}),
        )
        .unwrap();
        assert_eq!(
            out.text,
            "metadata:\n  labels:\n    app: web\n    tier: front\n  name: x\n"
        );
        assert_eq!(
            out.origins,
            vec![
                origin("t.yaml", 1, 1),
                origin("t.yaml", 2, 3),
                origin("_helpers.tpl", 2, 1),
                origin("t.yaml", 3, 9),
                origin("t.yaml", 4, 3),
            ]
        );
    }

    #[test]
    fn actions_note_the_values_they_print_where_the_dot_is_known() {
        let helpers = "{{ define \"t\" }}{{ .Values.x }}{{ end }}";
        let text = "a: {{ .Values.x }}\n{{ .Values.gone }}b: {{ .Values.image.tag | quote }}\n{{- with .Values.image }}\nc: {{ .repository }}\n{{- end }}\n{{- range $k, $v := .Values.ports }}\n{{ $k }}: {{ $v }}\n{{- end }}\n{{ $img := .Values.image }}d: {{ $img.tag }} {{ printf \"%s\" .Values.x }} {{ include \"t\" . }}";
        let values = serde_json::json!({"x": "1", "image": {"tag": "v", "repository": "r"}, "ports": {"http": 80}});
        let out = render(helpers, text, values).unwrap();
        assert_eq!(out.text, "a: 1\nb: \"v\"\nc: r\nhttp: 80\nd: v 1 1");
        let reads: Vec<(&str, Option<String>)> = out
            .reads
            .iter()
            .map(|r| {
                (
                    &out.text[r.span.clone()],
                    r.path.as_ref().map(|p| p.join(".")),
                )
            })
            .collect();
        let at = |path: &str| Some(path.to_string());
        assert_eq!(
            reads,
            [
                ("1", at("Values.x")),
                ("\"v\"", at("Values.image.tag")),
                ("r", at("Values.image.repository")),
                ("http", None),
                ("80", at("Values.ports.http")),
                ("v", at("Values.image.tag")),
                ("1", None),
                ("1", None),
            ]
        );
    }

    #[test]
    fn errors_say_where_as_helm_does() {
        let err = render(
            "",
            "a\n  {{ required \"need x\" .Values.x }}",
            serde_json::json!({}),
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "execution error at (mychart/templates/t.yaml:2:5): need x"
        );
        assert_eq!((err.line, err.column), (2, 6));
        let err = render(
            "",
            "{{ index .Values.list 5 }}",
            serde_json::json!({"list": [1]}),
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "template: mychart/templates/t.yaml:1:3: executing \"mychart/templates/t.yaml\" at <index .Values.list 5>: error calling index: index out of range: 5"
        );
        let err = render("", "x\n{{ nope }}", serde_json::json!({})).unwrap_err();
        assert_eq!(
            err.message,
            "parse error at (mychart/templates/t.yaml:2): function \"nope\" not defined"
        );
    }

    #[test]
    fn set_changes_the_map_every_variable_holds() {
        let text = "{{- $d := dict \"f\" true -}}{{- range list 1 2 -}}{{ if not $d.f }},{{ end }}{{ . }}{{ $_ := set $d \"f\" false }}{{- end -}}";
        assert_eq!(render("", text, serde_json::json!({})).unwrap().text, "1,2");
        let helpers = "{{ define \"mark\" }}{{ $_ := set .Values \"seen\" true }}{{ end }}";
        let text = "{{ include \"mark\" . }}{{ .Values.seen }}";
        assert_eq!(
            render(helpers, text, serde_json::json!({})).unwrap().text,
            "true"
        );
        let err = render(
            "",
            "{{ $d := dict }}{{ set $d \"me\" (list $d) }}",
            serde_json::json!({}),
        )
        .unwrap_err();
        assert!(
            err.message
                .ends_with("error calling set: cannot put a map inside itself at key \"me\""),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_nested_tpl_of_empty_text_renders_nothing() {
        let text = r#"[{{ tpl "{{ tpl \"\" . }}" . }}]"#;
        assert_eq!(render("", text, serde_json::json!({})).unwrap().text, "[]");
    }

    #[test]
    fn fields_of_a_nil_the_chain_starts_from_are_nil() {
        let text = "{{ ((dict).a).b | default \"x\" }} {{ $v := .Values.m.a }}[{{ $v.b.c }}]";
        let values = serde_json::json!({"m": {}});
        assert_eq!(render("", text, values.clone()).unwrap().text, "x []");
        let err = render("", "{{ .Values.m.a.b }}", values).unwrap_err();
        assert!(
            err.message
                .ends_with("nil pointer evaluating interface {}.b"),
            "{}",
            err.message
        );
    }

    #[test]
    fn default_with_no_value_given_is_the_default() {
        let text = "{{ default (dict \"a\" 1) | toJson }} {{ default \"d\" \"\" \"x\" }}";
        let out = render("", text, serde_json::json!({})).unwrap();
        assert_eq!(out.text, "{\"a\":1} d");
        let err = render("", "{{ default }}", serde_json::json!({})).unwrap_err();
        assert!(
            err.message
                .ends_with("wrong number of args for default: want at least 1 got 0"),
            "{}",
            err.message
        );
    }

    #[test]
    fn templates_run_on_a_shared_render_stack_have_its_depth() {
        let err = on_render_stack(|| {
            render(
                "{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}",
                "{{ include \"loop\" . }}",
                serde_json::json!({}),
            )
        })
        .unwrap()
        .unwrap_err();
        assert!(
            err.message
                .ends_with("exceeded maximum template depth (1000)"),
            "{}",
            err.message
        );
    }

    #[test]
    fn runaway_recursion_is_an_error() {
        let err = render(
            "{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}",
            "{{ include \"loop\" . }}",
            serde_json::json!({}),
        )
        .unwrap_err();
        assert!(
            err.message
                .ends_with("exceeded maximum template depth (1000)"),
            "{}",
            err.message
        );
    }

    #[test]
    fn runaway_loops_are_an_error_not_a_hang() {
        // On one render thread, with a budget a debug build reaches in a second.
        on_render_stack(|| {
            exec::limit_steps(200_000);
            let steps = "the template takes more than 200000 steps: a loop that does not end?";
            let nested = "{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}";
            let doubling = "{{ define \"r\" }}{{ if lt (len .) 40 }}{{ include \"r\" (append . 1) }}{{ include \"r\" (append . 1) }}{{ end }}{{ end }}";
            for (defines, text) in [
                ("", nested),
                (doubling, "{{ include \"r\" list }}"),
                ("", "{{ range 100000000 }}x{{ end }}"),
            ] {
                let err = render(defines, text, serde_json::json!({})).unwrap_err();
                assert!(err.message.ends_with(steps), "{text}: {}", err.message);
            }
            // A map built by `set` in a range is counted once, not again at each `set`; a
            // loop that has a function check it over and over runs out of steps.
            let built = "{{ $m := dict }}{{ range until 10000 }}{{ $_ := set $m (toString .) 1 }}{{ end }}";
            assert_eq!(
                render("", &format!("{built}{{{{ len $m }}}}"), serde_json::json!({}))
                    .unwrap()
                    .text,
                "10000"
            );
            let rechecked = format!("{built}{{{{ range until 1000 }}}}{{{{ $x := dict \"a\" $m }}}}{{{{ end }}}}");
            let err = render("", &rechecked, serde_json::json!({})).unwrap_err();
            assert!(err.message.ends_with(steps), "{}", err.message);
            // Each template Helm renders has the whole budget.
            let loops = "{{ range until 100 }}{{ range until 500 }}{{ end }}{{ end }}ok";
            for _ in 0..5 {
                assert_eq!(render("", loops, serde_json::json!({})).unwrap().text, "ok");
            }
        })
        .unwrap();
        let err = render("", "{{ until 2000000 }}", serde_json::json!({})).unwrap_err();
        assert!(
            err.message
                .ends_with("sequence of 2000000 items is too long"),
            "{}",
            err.message
        );
    }

    #[test]
    fn values_that_double_in_a_loop_are_an_error() {
        let bound =
            "the result passes 1000000 nodes or 64 MiB of text: a value that doubles in a loop?";
        for (text, call) in [
            ("{{ $s := \"x\" }}{{ range until 60 }}{{ $s = printf \"%s%s\" $s $s }}{{ end }}", "printf"),
            ("{{ $l := list 1 }}{{ range until 60 }}{{ $l = concat $l $l }}{{ end }}", "concat"),
            // Shared, a map nested in itself twice over is small; written out, it is not.
            ("{{ $d := dict }}{{ range until 60 }}{{ $d = dict \"x\" $d \"y\" $d }}{{ end }}{{ toJson $d }}", "dict"),
        ] {
            let err = render("", text, serde_json::json!({})).unwrap_err();
            assert!(
                err.message.ends_with(&format!("error calling {call}: {bound}")),
                "{text}: {}",
                err.message
            );
        }
        let fine = "{{ $d := dict }}{{ range until 10 }}{{ $d = dict \"x\" $d \"y\" $d }}{{ end }}{{ toJson $d | len }}";
        assert_eq!(
            render("", fine, serde_json::json!({})).unwrap().text,
            "13301"
        );
    }

    #[test]
    fn string_functions_that_multiply_their_input_are_refused_before_they_build() {
        let big = "{{ $b := repeat 100000 \"x\" }}";
        let refused = "the result would be larger than the 64 MiB a render may write";
        for call in [
            "replace \"\" $b $b",
            "regexReplaceAll \"\" $b $b",
            "regexReplaceAllLiteral \"x\" $b $b",
            "regexReplaceAll \"(x+)\" $b (repeat 1000 \"$1\")",
            "indent 100000 (repeat 1000 \"\\n\")",
            "join $b (splitList \"\" $b)",
        ] {
            let text = format!("{big}{{{{ {call} }}}}");
            let err = render("", &text, serde_json::json!({})).unwrap_err();
            assert!(err.message.contains(refused), "{call}: {}", err.message);
        }
        // What stays within the bound is what Go writes.
        let fine = "{{ replace \"a\" \"bb\" \"aXa\" }} {{ regexReplaceAll \"(?m)^(.*)$\" \"a\\nb\" \"- ${1}\" }} {{ indent 2 \"a\\nb\" }}";
        assert_eq!(
            render("", fine, serde_json::json!({})).unwrap().text,
            "bbXbb - a\n- b   a\n  b"
        );
        // Go's fmt takes no width or precision above a million.
        let printf = "{{ printf \"%*d|%.*f|%2000000d\" 2000000 1 2000000 1.5 3 }}";
        assert_eq!(
            render("", printf, serde_json::json!({})).unwrap().text,
            "%!(BADWIDTH)1|%!(BADPREC)1.500000|%!(NOVERB)%!(EXTRA int=3)"
        );
    }
}
