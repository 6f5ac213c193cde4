//! docs/paved.schema.json, the JSON Schema editors check paved.toml with, is generated from
//! the [`Config`] types: the committed file must be what they generate, so the two never
//! drift. `UPDATE_SCHEMA=1 cargo test --lib config::schema` rewrites it.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Config, STARTER};

fn generated() -> String {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Config>();
    serde_json::to_string_pretty(&schema).expect("a schema is JSON") + "\n"
}

fn committed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/paved.schema.json")
}

/// A paved.toml as the JSON an editor's TOML support validates (dates as strings).
fn as_json(text: &str) -> Value {
    use crate::parse::{Format, Kind, Options};
    let parsed = crate::parse::parse(text, Format::Toml, Kind::Toml, Options::default());
    assert!(parsed.errors.is_empty(), "{text}");
    parsed.documents[0].value.clone()
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&generated()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let generated = generated();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(committed_path(), &generated).unwrap();
    }
    let committed = std::fs::read_to_string(committed_path()).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/paved.schema.json is stale: run `UPDATE_SCHEMA=1 cargo test --lib config::schema`"
    );
}

#[test]
fn every_fixture_config_and_the_starter_are_valid() {
    let validator = validator();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(&fixtures)
        .standard_filters(false)
        .build()
        .filter_map(Result::ok)
        .map(|entry| entry.into_path())
        .filter(|path| {
            path.file_name()
                .is_some_and(|n| n == "paved.toml" || n == ".paved.toml")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    let mut texts: Vec<(String, String)> = files
        .iter()
        .map(|f| (f.display().to_string(), std::fs::read_to_string(f).unwrap()))
        .collect();
    texts.push(("the starter".into(), STARTER.into()));
    for (name, text) in texts {
        let errors: Vec<String> = validator
            .iter_errors(&as_json(&text))
            .map(|e| e.to_string())
            .collect();
        assert_eq!(errors, Vec::<String>::new(), "{name}");
    }
}

#[test]
fn a_wrong_key_or_value_is_rejected() {
    let validator = validator();
    for text in [
        "[rules]\nselct = [\"a/*\"]\n",
        "extends = \"../org/paved.toml\"\n",
        "[rules.severity]\n\"a/b\" = \"loud\"\n",
        "classes = [\"vendored\"]\n",
    ] {
        assert!(!validator.is_valid(&as_json(text)), "{text}");
    }
    assert!(validator.is_valid(&as_json(
        "extends = [\"../org/paved.toml\"]\nrequired = [\"security/*\"]\n"
    )));
}
