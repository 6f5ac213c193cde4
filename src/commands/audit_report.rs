//! `paved audit report`: read the shard outputs, merge them, record them in the history
//! when one is given, and write the report. Unreadable lines and a history that cannot be
//! used are reported (exit code 2) but never keep the report from being written.

use std::io::Write;
use std::path::Path;

use crate::audit::history::{self, History};
use crate::audit::report::results::{self, Read};
use crate::audit::report::{self, merge, Format, Summary};
use crate::cli::AuditReportArgs;

const CLEAN: u8 = 0;
const ERROR: u8 = 2;

pub fn run(args: AuditReportArgs) -> anyhow::Result<u8> {
    let format = args
        .format
        .unwrap_or_else(|| default_format(args.output.as_deref()));
    let mut read = Read::default();
    for path in &args.results {
        results::read_file(path, &mut read)
            .map_err(|e| anyhow::anyhow!("{}: cannot read the results: {e}", path.display()))?;
    }
    let mut failed = !read.problems.is_empty();
    for problem in &read.problems {
        eprintln!("error: {problem}");
    }
    let merged = merge::merge(read.lines);
    for note in &merged.notes {
        eprintln!("note: {note}");
    }
    let mut summary = Summary::of(&merged, read.problems);
    if let Some(path) = &args.history {
        let recorded = History::open(path)
            .and_then(|mut h| history::record_and_compare(&mut h, &merged.lines, &mut summary));
        if let Err(e) = recorded {
            eprintln!("error: {}: cannot use the history: {e:#}", path.display());
            failed = true;
        }
    }
    let render = |out: &mut dyn Write| report::render(format, &summary, &merged.lines, out);
    match &args.output {
        Some(path) => crate::report::write_atomically(path, render)
            .map_err(|e| anyhow::anyhow!("{}: cannot write the report: {e}", path.display()))?,
        None => {
            let mut out = std::io::BufWriter::new(crate::report::stdout());
            render(&mut out)?;
            out.flush()?;
        }
    }
    Ok(if failed { ERROR } else { CLEAN })
}

/// HTML for a file named `.html`, markdown anywhere else (standard output included).
fn default_format(output: Option<&Path>) -> Format {
    let html = output
        .and_then(Path::extension)
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if html {
        Format::Html
    } else {
        Format::Markdown
    }
}
