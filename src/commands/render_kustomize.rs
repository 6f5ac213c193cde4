//! `paved render DIR` on a kustomization: what paved lints for an overlay, printed as
//! `kustomize build` prints it (a YAML stream, `---` between objects), or as JSON for tools
//! (bench/kustomize/conformance.py compares it with `kubectl kustomize`); and `paved parse
//! kustomization.yaml`: the same objects as policies see them, with the line each value
//! came from.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde_json::json;

use crate::cli::RenderFormat;
use crate::parse::PathSegment;
use crate::render::helm::template::{yaml, Value};
use crate::render::kustomize::{self, Built, BuiltObject};

/// The names kustomize looks for in a directory.
const NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Whether `path` is a kustomization file, or a directory holding one.
pub fn is_kustomization(path: &Path) -> bool {
    let named = |p: &Path| {
        p.file_name()
            .is_some_and(|n| NAMES.iter().any(|name| n == *name))
    };
    named(path) || (path.is_dir() && NAMES.iter().any(|name| path.join(name).is_file()))
}

/// Builds the kustomization in `dir` and prints it; exit 1 when the build had errors
/// (printed on standard error with their places, like the notes).
pub fn run(dir: &Path, boundary: &Path, format: RenderFormat) -> anyhow::Result<u8> {
    let built = kustomize::build(dir, boundary);
    let mut out = crate::report::stdout();
    match format {
        RenderFormat::Yaml => {
            let documents: Vec<String> = built
                .objects
                .iter()
                .map(|o| {
                    yaml::to_yaml(&Value::from(o.value.clone()))
                        .trim_end()
                        .to_string()
                })
                .collect();
            writeln!(out, "{}", documents.join("\n---\n"))?;
        }
        RenderFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &as_json(dir, &built))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    report_problems(&built);
    Ok(u8::from(!built.errors.is_empty()))
}

/// The build's notes and errors on standard error, each with its place.
fn report_problems(built: &Built) {
    for note in &built.notes {
        eprintln!(
            "info: {}:{}:{}: {}",
            note.file.display(),
            note.line,
            note.column,
            note.message
        );
    }
    for error in &built.errors {
        eprintln!(
            "error: {}:{}:{}: {}",
            error.file.display(),
            error.line,
            error.column,
            error.message
        );
    }
}

/// What `paved lint` checks of the kustomization file `path`, for `paved parse`: each
/// built object as policies get it, with `origins`, the `file:line:column` each of its
/// nodes came from (by JSON pointer; a node not listed came from its nearest listed
/// ancestor); and whether the build had errors (printed on standard error).
pub fn built_documents(path: &Path) -> (Vec<serde_json::Value>, bool) {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let built = kustomize::build(dir, &super::render::boundary_of(dir));
    report_problems(&built);
    let documents = built
        .objects
        .iter()
        .enumerate()
        .map(|(index, object)| {
            json!({
                "file": path.display().to_string(),
                "overlay": dir.display().to_string(),
                "document": index,
                "kind": "kubernetes",
                "input": object.value,
                "origins": origins(object),
            })
        })
        .collect();
    (documents, !built.errors.is_empty())
}

/// An object's origins as JSON pointer -> `file:line:column`, in pointer order.
fn origins(object: &BuiltObject) -> BTreeMap<String, String> {
    object
        .origins
        .iter()
        .map(|(path, place)| {
            let pointer: String = path
                .iter()
                .map(|segment| match segment {
                    PathSegment::Key(key) => {
                        format!("/{}", key.replace('~', "~0").replace('/', "~1"))
                    }
                    PathSegment::Index(index) => format!("/{index}"),
                })
                .collect();
            let file = kustomize::normalise(&place.file).unwrap_or(place.file.clone());
            let at = format!("{}:{}:{}", file.display(), place.line, place.column);
            (pointer, at)
        })
        .collect()
}

fn as_json(dir: &Path, built: &Built) -> serde_json::Value {
    let objects: Vec<&serde_json::Value> = built.objects.iter().map(|o| &o.value).collect();
    let errors: Vec<serde_json::Value> = built
        .errors
        .iter()
        .map(|e| json!({"file": e.file, "line": e.line, "column": e.column, "message": e.message}))
        .collect();
    let notes: Vec<serde_json::Value> = built
        .notes
        .iter()
        .map(|n| json!({"file": n.file, "line": n.line, "message": n.message}))
        .collect();
    json!({"kustomization": dir, "objects": objects, "errors": errors, "notes": notes})
}
