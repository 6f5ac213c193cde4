//! Development entry point for the kustomize conformance script
//! (bench/kustomize/conformance.py): builds the kustomization in DIR in-process and prints
//! its objects as one JSON list; errors and notes go to stderr, and any error exits 1.

use std::path::Path;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: kustomize_build DIR [BOUNDARY]");
        std::process::exit(2);
    };
    let boundary = std::env::args().nth(2).unwrap_or_else(|| dir.clone());
    let built = paved::render::kustomize::build(Path::new(&dir), Path::new(&boundary));
    let objects: Vec<&serde_json::Value> = built.objects.iter().map(|o| &o.value).collect();
    println!(
        "{}",
        serde_json::Value::from(objects.into_iter().cloned().collect::<Vec<_>>())
    );
    for note in &built.notes {
        eprintln!(
            "note: {}:{}: {}",
            note.file.display(),
            note.line,
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
    if !built.errors.is_empty() {
        std::process::exit(1);
    }
}
