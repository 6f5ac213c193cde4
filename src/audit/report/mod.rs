//! `paved audit report`: shard outputs merged ([`merge`]), summed up once ([`summary`])
//! and laid out by one renderer per format behind one `match`.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod merge;
pub mod results;
pub mod summary;

use std::io::Write;

pub use summary::Summary;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Html,
    Markdown,
    Csv,
    Json,
}

/// Writes `summary` as `format`. CSV reads the merged lines too: it has one row per rule.
pub fn render(
    format: Format,
    summary: &Summary,
    lines: &[results::Line],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Html => html::render(summary, out),
        Format::Markdown => markdown::render(summary, out),
        Format::Csv => csv::render(lines, out),
        Format::Json => json::render(summary, out),
    }
}

/// A share as a whole percentage, as the reports print it.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}
