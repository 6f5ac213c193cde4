//! `paved config [PATH]`: the configuration that applies to a path, resolved, and where each
//! value came from when it is composed from several files (`extends`).

use std::collections::BTreeSet;
use std::io::Write;

use crate::cli::{ConfigArgs, ConfigFormat};
use crate::config;
use crate::parse::{Format, Kind, Options};
use crate::report;

pub fn run(args: ConfigArgs) -> anyhow::Result<u8> {
    // A path that is not there has no configuration: defaults would be a guess.
    std::fs::metadata(&args.path).map_err(|e| {
        anyhow::anyhow!(
            "{}: cannot show its configuration: {e}",
            args.path.display()
        )
    })?;
    let file = args.config.clone().or_else(|| config::find(&args.path));
    let loaded = match &file {
        Some(file) => config::load(file)?,
        None => config::Loaded::default(),
    };
    // Where it was found, whatever directory paved runs in.
    let found = loaded.file.as_ref().map(|file| {
        std::path::absolute(file)
            .unwrap_or_else(|_| file.clone())
            .display()
            .to_string()
    });
    let resolved = toml::to_string(&loaded.config)?;
    let mut out = report::stdout();
    match args.format {
        ConfigFormat::Text => {
            match &found {
                Some(file) => writeln!(out, "# from {file}")?,
                None => writeln!(
                    out,
                    "# no paved.toml applies to {}: defaults",
                    args.path.display()
                )?,
            }
            let files: BTreeSet<&str> = loaded
                .origins
                .values()
                .flatten()
                .map(|origin| origin.file.as_str())
                .collect();
            if files.len() > 1 {
                write!(out, "{}", config::annotate(&resolved, &loaded.origins))?;
            } else {
                write!(out, "{resolved}")?;
            }
        }
        ConfigFormat::Json => {
            let parsed =
                crate::parse::parse(&resolved, Format::Toml, Kind::Toml, Options::default());
            let config = parsed
                .documents
                .into_iter()
                .next()
                .map_or_else(|| serde_json::json!({}), |d| d.value);
            let origins: serde_json::Map<String, serde_json::Value> = loaded
                .origins
                .iter()
                .map(|(path, from)| {
                    let from: Vec<String> = from.iter().map(ToString::to_string).collect();
                    (path.clone(), from.into())
                })
                .collect();
            let document = serde_json::json!({"file": found, "config": config, "origins": origins});
            writeln!(out, "{}", serde_json::to_string_pretty(&document)?)?;
        }
    }
    Ok(0)
}
