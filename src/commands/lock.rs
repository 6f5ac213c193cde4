//! `paved lock`: resolves every remote source of paved.toml (the configurations it
//! `extends`, then the policies of the composed configuration, and `-p`) now, and writes
//! paved.lock beside paved.toml (or in the current directory) with their digests. Sources
//! no longer named drop out of the lock.

use std::io::Write;
use std::path::Path;

use crate::cli::LockArgs;
use crate::sources::{self, lock, spec, FetchOptions, Lock};

pub fn run(args: &LockArgs) -> anyhow::Result<u8> {
    let file = args
        .config
        .clone()
        .or_else(|| crate::config::find(Path::new(".")));
    let dir = file
        .as_deref()
        .and_then(Path::parent)
        .unwrap_or(Path::new(""));
    let path = dir.join(lock::FILE_NAME);
    let mut pinned = Lock::default();
    let mut out = crate::report::stdout();
    // The configurations it extends are pinned first (in the cache they are read from,
    // docs/sources.md): composing the configuration reads them through the lock.
    if let Some(file) = &file {
        let text = std::fs::read_to_string(file)?;
        let raw = crate::config::parse(&text).map_err(|(span, message)| {
            crate::config::ConfigError::at(&file.display().to_string(), &text, span, message)
        })?;
        let options = FetchOptions::unpinned(None)?;
        for source in raw.extends.iter().filter(|s| spec::is_remote(s)) {
            let fetched = sources::fetch(source, &options)?;
            writeln!(out, "{source} {}", fetched.digest)?;
            pinned.sources.insert(source.clone(), fetched.digest);
        }
        lock::write(&path, &pinned)?;
    }
    let loaded = match &file {
        Some(file) => crate::config::load(file)?,
        None => crate::config::Loaded::default(),
    };
    let mut specs: Vec<String> = loaded
        .config
        .policies
        .iter()
        .filter_map(|p| p.to_str())
        .map(str::to_string)
        .collect();
    specs.extend(args.policy.iter().cloned());
    specs.retain(|s| spec::is_remote(s));
    specs.sort();
    specs.dedup();
    let options = FetchOptions::unpinned(args.cache_dir.as_deref())?;
    for source in specs {
        let fetched = sources::fetch(&source, &options)?;
        writeln!(out, "{source} {}", fetched.digest)?;
        pinned.sources.insert(source, fetched.digest);
    }
    lock::write(&path, &pinned)?;
    writeln!(
        out,
        "wrote {} ({} sources)",
        path.display(),
        pinned.sources.len()
    )?;
    Ok(0)
}
