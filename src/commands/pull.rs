//! `paved pull SOURCE [DIR]`: a policy source's files copied into a directory (as `conftest
//! pull` does), fetched through the cache like any run's sources.

use std::io::Write;
use std::path::Path;

use crate::cli::PullArgs;
use crate::sources::{self, FetchOptions};

pub fn run(args: &PullArgs) -> anyhow::Result<u8> {
    let options = FetchOptions::unpinned(args.cache_dir.as_deref())?;
    let fetched = sources::fetch(&args.source, &options)?;
    let copied = copy_tree(&fetched.dir, &args.dir)?;
    let digest = if fetched.digest.is_empty() {
        String::new()
    } else {
        format!(" ({})", fetched.digest)
    };
    writeln!(
        crate::report::stdout(),
        "pulled {}{digest}: {copied} files into {}",
        args.source,
        args.dir.display()
    )?;
    Ok(0)
}

/// Copies the regular files under `from` into `to`, keeping their relative paths (links are
/// not followed). Used by `paved test --update` too.
pub fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<usize> {
    let mut copied = 0;
    if std::fs::metadata(from).is_ok_and(|m| m.is_file()) {
        std::fs::create_dir_all(to)?;
        let name = from.file_name().unwrap_or_default();
        std::fs::copy(from, to.join(name))?;
        return Ok(1);
    }
    for entry in ignore::WalkBuilder::new(from)
        .standard_filters(false)
        .build()
    {
        let entry = entry?;
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let relative = entry.path().strip_prefix(from)?;
        let target = to.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(entry.path(), &target)
            .map_err(|e| anyhow::anyhow!("{}: {e}", target.display()))?;
        copied += 1;
    }
    Ok(copied)
}
