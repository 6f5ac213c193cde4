//! Combining shard outputs into one set of results. Shards may overlap (a rerun of a failed
//! shard, a `--resume` that audited a repository again): a repository keeps its latest
//! audit, by `started`, and every duplicate is named in a note so none goes unnoticed.

use std::collections::BTreeMap;

use super::results::Line;

/// The merged results: one line per repository, sorted by repository.
#[derive(Debug, Default)]
pub struct Merged {
    pub lines: Vec<Line>,
    /// One sentence per repository that appeared more than once.
    pub notes: Vec<String>,
}

/// Merges lines in the order they were read; between two audits of one repository started
/// at the same instant, the one read last wins.
pub fn merge(lines: Vec<Line>) -> Merged {
    let mut kept: BTreeMap<String, (Line, usize)> = BTreeMap::new();
    for line in lines {
        match kept.get_mut(&line.repository) {
            None => {
                kept.insert(line.repository.clone(), (line, 1));
            }
            Some((current, seen)) => {
                *seen += 1;
                if line.started_at() >= current.started_at() {
                    *current = line;
                }
            }
        }
    }
    let mut merged = Merged::default();
    for (repository, (line, seen)) in kept {
        if seen > 1 {
            merged.notes.push(format!(
                "{repository} appeared {seen} times; kept the audit started {}",
                line.started
            ));
        }
        merged.lines.push(line);
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::report::results::{read_lines, Read};

    fn line(repository: &str, started: &str, files: u64) -> String {
        format!(
            r#"{{"schema":1,"repository":"{repository}","source":"path","started":"{started}","files":{files}}}"#
        )
    }

    #[test]
    fn two_shards_merge_into_one_sorted_set_and_the_later_audit_wins() {
        let shard_one = [
            line("payments", "2026-11-27T16:00:00Z", 1),
            line("billing", "2026-11-27T16:00:01Z", 2),
        ]
        .join("\n");
        let shard_two = [
            line("payments", "2026-11-27T17:00:00+01:00", 3),
            line("api", "2026-11-27T16:00:02Z", 4),
            line("billing", "2026-11-27T16:00:00Z", 5),
        ]
        .join("\n");
        let mut read = Read::default();
        read_lines("one", shard_one.as_bytes(), &mut read).unwrap();
        read_lines("two", shard_two.as_bytes(), &mut read).unwrap();
        let merged = merge(read.lines);
        let kept: Vec<(&str, u64)> = merged
            .lines
            .iter()
            .map(|l| (l.repository.as_str(), l.files))
            .collect();
        // payments: the same instant in another offset, read last; billing: the earlier
        // audit came later in the input and loses.
        assert_eq!(kept, [("api", 4), ("billing", 2), ("payments", 3)]);
        assert_eq!(
            merged.notes,
            [
                "billing appeared 2 times; kept the audit started 2026-11-27T16:00:01Z",
                "payments appeared 2 times; kept the audit started 2026-11-27T17:00:00+01:00",
            ]
        );
    }
}
