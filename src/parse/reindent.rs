//! libyaml (PyYAML, and the Kubernetes tools' readers) does not check the indentation of
//! the lines that continue a flow collection or a quoted scalar begun on an earlier line:
//!
//! ```yaml
//! matrix:
//!   dirs: [
//!     'a',
//!   ]          # at the key's column: saphyr says "invalid indentation", libyaml reads it
//! ```
//!
//! Inside a flow collection or a quoted scalar, leading spaces are folded away, so adding
//! some to those lines changes no value. [`pad`] does that, and [`Padding::original`] maps
//! an offset in the padded text back to the file as written, so locations stay exact.

/// Spaces inserted at the start of some lines of a text.
#[derive(Debug, Default)]
pub struct Padding {
    /// `(start in the padded text, line start in the original, spaces added)`, in order.
    runs: Vec<(usize, usize, usize)>,
}

impl Padding {
    /// The offset in the original text of an offset in the padded one; an inserted space
    /// maps to the start of its line.
    pub fn original(&self, padded: usize) -> usize {
        let index = self.runs.partition_point(|&(start, _, _)| start <= padded);
        let Some(&(start, at, added)) = index.checked_sub(1).map(|i| &self.runs[i]) else {
            return padded;
        };
        if padded < start + added {
            at
        } else {
            padded - (start - at) - added
        }
    }
}

/// Where a line ends in the middle of a node that goes on to the next lines.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Open {
    /// Nothing: the next line is block context.
    No,
    /// Inside a flow collection `depth` deep, perhaps inside a quoted scalar in it.
    Flow { depth: usize, quote: Option<char> },
    /// Inside a quoted scalar in block context.
    Quote(char),
    /// Inside a block scalar (`|`, `>`): lines indented deeper than the column are its text.
    BlockScalar,
}

/// The text with every continuation line of a flow collection or a quoted scalar indented
/// one column deeper than the node that opened it, or `None` when no line needed it.
pub fn pad(text: &str) -> Option<(String, Padding)> {
    let mut padded = String::with_capacity(text.len() + 64);
    let mut padding = Padding::default();
    let mut open = Open::No;
    // The column continuation lines must pass: one past the node that opened them.
    let mut needed = 0;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = line.trim();
        let continues = matches!(open, Open::Flow { .. } | Open::Quote(_));
        if continues && !content.is_empty() && indent < needed && !is_document_marker(line) {
            let added = needed - indent;
            padding.runs.push((padded.len(), line_start, added));
            padded.extend(std::iter::repeat_n(' ', added));
        }
        padded.push_str(line);
        line_start += line.len();
        open = match open {
            Open::BlockScalar if content.is_empty() || indent >= needed => Open::BlockScalar,
            Open::No | Open::BlockScalar => {
                let (node, open) = block_line(line);
                needed = node + 1;
                open
            }
            Open::Flow { depth, quote } => match flow(line, 0, depth, quote) {
                Ok(end) => after_node(line, end).1,
                Err(open) => open,
            },
            Open::Quote(quote) => match quoted(line, 0, quote) {
                Some(end) => after_node(line, end).1,
                None => Open::Quote(quote),
            },
        };
    }
    (!padding.runs.is_empty()).then_some((padded, padding))
}

/// `---` or `...` at the start of a line ends a document wherever it is: never moved.
fn is_document_marker(line: &str) -> bool {
    ["---", "..."].into_iter().any(|marker| {
        line.strip_prefix(marker)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
    })
}

/// A line in block context: the column of its first node (past `- ` and `? ` indicators)
/// and what it leaves open.
fn block_line(line: &str) -> (usize, Open) {
    let bytes = line.as_bytes();
    let mut at = line.len() - line.trim_start_matches(' ').len();
    while matches!(bytes.get(at), Some(b'-' | b'?'))
        && matches!(bytes.get(at + 1), Some(b' ' | b'\n' | b'\r') | None)
    {
        at = skip_spaces(line, at + 1);
    }
    (at, after_node(line, at).1)
}

/// Reads the nodes of a block-context line from `at` (a key, its value, flow collections,
/// quoted scalars): where the line ends up.
fn after_node(line: &str, mut at: usize) -> (usize, Open) {
    let bytes = line.as_bytes();
    loop {
        at = skip_spaces(line, at);
        // Anchors and tags come before a node.
        while matches!(bytes.get(at), Some(b'&' | b'!')) {
            while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            at = skip_spaces(line, at);
        }
        match bytes.get(at) {
            None | Some(b'\n' | b'\r' | b'#') => return (at, Open::No),
            Some(b'|' | b'>') => return (at, Open::BlockScalar),
            Some(b'[' | b'{') => match flow(line, at + 1, 1, None) {
                Ok(end) => at = end,
                Err(open) => return (at, open),
            },
            Some(&quote @ (b'"' | b'\'')) => match quoted(line, at + 1, quote as char) {
                Some(end) => at = end,
                None => return (at, Open::Quote(quote as char)),
            },
            Some(_) => {}
        }
        // A plain scalar, or what follows a closed node: the value after `: `, if any.
        match value_indicator(line, at) {
            Some(next) => at = next,
            None => return (at, Open::No),
        }
    }
}

/// The position after the next `: ` (or `:` at the end of the line) outside a comment.
fn value_indicator(line: &str, from: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        match bytes[at] {
            b'#' if at == from || bytes[at - 1] == b' ' => return None,
            b':' if matches!(bytes.get(at + 1), Some(b' ' | b'\n' | b'\r') | None) => {
                return Some(at + 1)
            }
            _ => at += 1,
        }
    }
    None
}

/// Scans flow content from `at` at `depth`, perhaps inside a quoted scalar: `Ok` with the
/// position after the bracket that closes the outermost collection, or `Err` with what stays
/// open at the end of the line.
fn flow(
    line: &str,
    mut at: usize,
    mut depth: usize,
    mut quote: Option<char>,
) -> Result<usize, Open> {
    let bytes = line.as_bytes();
    while at < bytes.len() {
        if let Some(q) = quote.take() {
            at = quoted(line, at, q).ok_or(Open::Flow {
                depth,
                quote: Some(q),
            })?;
            continue;
        }
        let starts_scalar = at == 0 || matches!(bytes[at - 1], b' ' | b'[' | b'{' | b',' | b':');
        match bytes[at] {
            b'#' if at == 0 || bytes[at - 1] == b' ' => break,
            b'"' | b'\'' if starts_scalar => quote = Some(bytes[at] as char),
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Ok(at + 1);
                }
            }
            _ => {}
        }
        at += 1;
    }
    Err(Open::Flow { depth, quote })
}

/// The position after the quote that closes a quoted scalar whose text starts at `at`, or
/// `None` when it goes on past this line. (`''` is a quote in single quotes, `\"` in double.)
fn quoted(line: &str, mut at: usize, quote: char) -> Option<usize> {
    let bytes = line.as_bytes();
    let quote = quote as u8;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' if quote == b'"' => at += 2,
            b'\'' if quote == b'\'' && bytes.get(at + 1) == Some(&b'\'') => at += 2,
            b if b == quote => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

fn skip_spaces(line: &str, at: usize) -> usize {
    let rest = line.as_bytes().get(at..).unwrap_or_default();
    at + rest
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn padded(text: &str) -> Option<String> {
        pad(text).map(|(padded, _)| padded)
    }

    #[test]
    fn flow_continuations_at_the_key_column_move_past_it() {
        let text = "jobs:\n  matrix:\n    dirs: [\n    'a',\n    'b'\n    ]\n    next: 1\n";
        assert_eq!(
            padded(text).unwrap(),
            "jobs:\n  matrix:\n    dirs: [\n     'a',\n     'b'\n     ]\n    next: 1\n"
        );
    }

    #[test]
    fn nested_flow_and_sequence_entries() {
        let text = "- name: api\n  args: {a: [\n  1,\n  2], b: 3\n  }\n";
        assert_eq!(
            padded(text).unwrap(),
            "- name: api\n  args: {a: [\n   1,\n   2], b: 3\n   }\n"
        );
    }

    #[test]
    fn quoted_continuations_move_too() {
        let text = "a:\n  key: \"one\ntwo\"\n  other: 'x\n  y'\n";
        assert_eq!(
            padded(text).unwrap(),
            "a:\n  key: \"one\n   two\"\n  other: 'x\n   y'\n"
        );
    }

    #[test]
    fn what_is_already_deep_enough_or_not_flow_is_left_alone() {
        for text in [
            "a: b [c\nd: \"x # y\"\ne: [1, 2] # [\nf: 1\n",
            "script: |\n  x = [\n  1]\nnext: [1,\n  2]\n",
            "a: 'it''s [' \nb: 1\n",
            "k: \"a\\\" [\"\nb: 1\n",
        ] {
            assert_eq!(padded(text), None, "{text}");
        }
    }

    #[test]
    fn document_markers_are_not_moved() {
        assert_eq!(padded("a: [\n---\n"), None);
    }

    #[test]
    fn offsets_map_back_to_the_text_as_written() {
        let text = "a:\n  k: [\n  1,\n  ]\n";
        let (padded, padding) = pad(text).unwrap();
        assert_eq!(padded, "a:\n  k: [\n   1,\n   ]\n");
        let one = padded.find('1').unwrap();
        assert_eq!(&text[padding.original(one)..][..1], "1");
        let close = padded.find(']').unwrap();
        assert_eq!(&text[padding.original(close)..][..1], "]");
        // The inserted space maps to the start of its line, the text after it to itself.
        assert_eq!(padding.original(10), 10);
        assert_eq!((padding.original(11), padding.original(13)), (10, 12));
        assert_eq!(padding.original(2), 2);
    }
}
