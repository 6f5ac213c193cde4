//! One-file `paved lint` through the library, with the built-in rules: the first byte picks
//! the file's name (and so its kind), the rest is its content. No panic, and the run ends
//! with an outcome, never an error, whatever the file holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use paved::lint::{self, Options};

const NAMES: [&str; 8] = [
    "deploy.yaml",
    "main.tf",
    "Dockerfile",
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    "config.json",
    "pyproject.toml",
    "catalog-info.yaml",
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, content)) = data.split_first() else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join(NAMES[usize::from(first) % NAMES.len()]);
    std::fs::create_dir_all(file.parent().expect("a parent")).expect("its directory");
    std::fs::write(&file, content).expect("the file");
    let options = Options {
        paths: vec![file],
        builtin: true,
        ..Default::default()
    };
    lint::run(&options).expect("a lint run of one file has an outcome");
});
