//! Where each setting of a composed configuration was written: `paved config` shows it, and
//! a forbidden opt-out points at it. Keys are TOML key paths (`fail-level`,
//! `rules.severity."kubernetes/probes"`); a list has one origin per item, in order.

use std::collections::BTreeMap;

use toml::de::{DeTable, DeValue};

use crate::source::SourceFile;

/// A file (as shown to the user) and the position of a value in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Origins by key path, sorted.
pub type Origins = BTreeMap<String, Vec<Origin>>;

/// The origins of every setting in `text`, the content of the file shown as `file`.
pub fn of(text: &str, file: &str) -> Origins {
    let source = SourceFile::new(text);
    let mut origins = Origins::new();
    if let Ok(table) = DeTable::parse(text) {
        settings(table.get_ref(), "", &mut |path, offsets| {
            let at = offsets.iter().map(|&offset| {
                let position = source.position(offset);
                Origin {
                    file: file.to_string(),
                    line: position.line,
                    column: position.column,
                }
            });
            origins.insert(path, at.collect());
        });
    }
    origins
}

/// The key path of `key` in the table at `prefix`; a key that is not bare is quoted.
pub fn join(prefix: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let key = if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    };
    if prefix.is_empty() {
        key
    } else {
        format!("{prefix}.{key}")
    }
}

/// Whether the setting at `path` is `within` (the setting itself or a key below it).
pub fn is_within(path: &str, within: &str) -> bool {
    path.strip_prefix(within)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// Calls `visit` with each setting's key path and the byte offsets of its value: a list's
/// items (a `[[waiver]]` entry is one item), or else the key. Tables are walked into.
fn settings(table: &DeTable<'_>, prefix: &str, visit: &mut dyn FnMut(String, Vec<usize>)) {
    for (key, value) in table.iter() {
        let path = join(prefix, key.get_ref());
        match value.get_ref() {
            DeValue::Table(inner) => settings(inner, &path, visit),
            DeValue::Array(items) => visit(path, items.iter().map(|i| i.span().start).collect()),
            _ => visit(path, vec![key.span().start]),
        }
    }
}

/// `text` (a resolved configuration written as TOML) with `# from FILE:LINE` after each
/// setting whose origin is known; a line holding several items names each file once.
pub fn annotate(text: &str, origins: &Origins) -> String {
    let source = SourceFile::new(text);
    let mut by_line: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    if let Ok(table) = DeTable::parse(text) {
        settings(table.get_ref(), "", &mut |path, offsets| {
            let Some(from) = origins.get(&path) else {
                return;
            };
            for (offset, origin) in offsets.iter().zip(from) {
                let shown = by_line.entry(source.line(*offset)).or_default();
                let origin = origin.to_string();
                if !shown.contains(&origin) {
                    shown.push(origin);
                }
            }
        });
    }
    let mut out = String::with_capacity(text.len() * 2);
    for (index, line) in text.lines().enumerate() {
        out.push_str(line);
        if let Some(from) = by_line.get(&(index + 1)) {
            out.push_str("   # from ");
            out.push_str(&from.join(", "));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_and_list_item_has_its_line() {
        let text = "fail-level = \"warning\"\npolicies = [\n  \"a\",\n  \"b\",\n]\n\n[rules.severity]\n\"kubernetes/probes\" = \"error\"\n\n[[waiver]]\nrule = \"x\"\n";
        let lines: Vec<(String, Vec<usize>)> = of(text, "paved.toml")
            .into_iter()
            .map(|(path, from)| (path, from.iter().map(|o| o.line).collect()))
            .collect();
        assert_eq!(
            lines,
            [
                ("fail-level".to_string(), vec![1]),
                ("policies".to_string(), vec![3, 4]),
                ("rules.severity.\"kubernetes/probes\"".to_string(), vec![8]),
                ("waiver".to_string(), vec![10]),
            ]
        );
    }

    #[test]
    fn annotations_name_each_file_once_per_line() {
        let at = |file: &str, line| Origin {
            file: file.into(),
            line,
            column: 1,
        };
        let origins = Origins::from([
            (
                "exclude".into(),
                vec![at("org.toml", 2), at("org.toml", 2), at("paved.toml", 5)],
            ),
            ("rules.select".into(), vec![at("paved.toml", 7)]),
        ]);
        let text =
            "exclude = [\"a\", \"b\", \"c\"]\nbuiltin = false\n\n[rules]\nselect = [\"x/*\"]\n";
        assert_eq!(
            annotate(text, &origins),
            "exclude = [\"a\", \"b\", \"c\"]   # from org.toml:2, paved.toml:5\nbuiltin = false\n\n[rules]\nselect = [\"x/*\"]   # from paved.toml:7\n"
        );
    }

    #[test]
    fn each_entry_of_an_array_of_tables_names_its_own_file() {
        let at = |file: &str, line| Origin {
            file: file.into(),
            line,
            column: 1,
        };
        let origins =
            Origins::from([("helm".into(), vec![at("org.toml", 3), at("paved.toml", 2)])]);
        let text = "[[helm]]\nchart = \"a/*\"\n\n[[helm]]\nchart = \"b/*\"\n";
        assert_eq!(
            annotate(text, &origins),
            "[[helm]]   # from org.toml:3\nchart = \"a/*\"\n\n[[helm]]   # from paved.toml:2\nchart = \"b/*\"\n"
        );
    }

    #[test]
    fn key_paths_quote_what_is_not_bare() {
        assert_eq!(join("", "fail-level"), "fail-level");
        assert_eq!(join("rules.severity", "a/b"), "rules.severity.\"a/b\"");
        assert!(is_within("rules.severity.\"a/b\"", "rules"));
        assert!(is_within("rules", "rules"));
        assert!(!is_within("rules-extra", "rules"));
    }
}
