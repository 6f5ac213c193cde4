//! `--format json`: the merged summary as one document, for dashboards and scripts.

use std::io::Write;

use super::Summary;

pub fn render(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, summary)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use crate::audit::report::summary::tests::fixture;

    #[test]
    fn the_summary_of_the_small_organisation() {
        let mut out = Vec::new();
        super::render(&fixture("small.jsonl"), &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }
}
